"""Review overrides: a reviewer's keep/drop decisions on rows, from report.html.

The report's row table lets a reviewer mark rows and download `overrides.jsonl`, one
object per line: {"source", "row", "id", "decision": "keep" | "drop", "note"}. Listed under
`[[overrides]]` in pipeline.toml, the file is applied on the next run (ledger stage
`review`, reason `override`). `load_overrides` reads and validates it: any problem is an
`InputError` naming the file and line, before any work starts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import orjson
import polars as pl
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError

from curate.errors import InputError

OVERRIDE_SCHEMA: dict[str, pl.DataType] = {
    "source": pl.String(),
    "row": pl.Int64(),
    "id": pl.String(),
    "decision": pl.String(),
    "note": pl.String(),
    "line": pl.Int64(),
}


class Override(BaseModel):
    """One line of overrides.jsonl."""

    model_config = ConfigDict(extra="forbid")

    source: StrictStr = Field(min_length=1)
    row: StrictInt = Field(ge=0)
    id: StrictStr | None = None  # the row's id when marked; checked against the run's ledger
    decision: Literal["keep", "drop"]
    note: StrictStr = ""


def load_overrides(path: str | Path) -> pl.DataFrame:
    """Overrides as a frame (source, row, id, decision, note, line), in file order.

    Blank lines are skipped. A line that is not a JSON object, misses a key, has an
    unknown key or a bad value, or marks a (source, row) already marked, is an error.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read overrides ({err.strerror})") from None
    rows: list[dict[str, object]] = []
    seen: dict[tuple[str, int], int] = {}
    for n, line in enumerate(data.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError as err:
            raise InputError(f"{where}: invalid JSON ({err})") from None
        try:
            item = Override.model_validate(value)
        except ValidationError as err:
            raise InputError(f"{where}: {_first_error(err)}") from None
        first = seen.setdefault((item.source, item.row), n)
        if first != n:
            raise InputError(
                f"{where}: {item.source}:{item.row} is already overridden on line {first}"
            )
        rows.append({**item.model_dump(), "line": n})
    return pl.DataFrame(rows, schema=OVERRIDE_SCHEMA)


def check_overrides(overrides: pl.DataFrame, rows: pl.DataFrame, path: str | Path) -> None:
    """Every override names a row of this run (`rows`: source, row, id), with the same id.

    A changed id means the input changed since the review: the decision was about other
    content, so it is refused rather than applied to the wrong text.
    """
    joined = overrides.join(
        rows.select("source", "row", pl.col("id").alias("_run_id")),
        on=["source", "row"],
        how="left",
    ).sort("line")
    missing = joined.filter(pl.col("_run_id").is_null())
    if missing.height:
        r = missing.row(0, named=True)
        raise InputError(
            f"{path}:{r['line']}: no row {r['source']}:{r['row']} in this run's inputs"
        )
    changed = joined.filter(pl.col("id").is_not_null() & (pl.col("id") != pl.col("_run_id")))
    if changed.height:
        r = changed.row(0, named=True)
        raise InputError(
            f"{path}:{r['line']}: {r['source']}:{r['row']} has id {r['_run_id']} now, not {r['id']}"
            " (the input changed since the review)"
        )


def _first_error(err: ValidationError) -> str:
    e = err.errors()[0]
    key = ".".join(str(p) for p in e["loc"]) or "line"
    if e["type"] == "missing":
        return f"missing key {key!r}"
    if e["type"] == "extra_forbidden":
        return f"unknown key {key!r}"
    if e["type"] == "model_type":
        return "expected a JSON object"
    return f"{key}: {e['msg']}"
