"""A run's output files, loaded once for report.html and summary.md.

The ledger says what happened to each row but holds no text; the text is in curated.jsonl
(kept rows, in `[output].format`) and rejected.jsonl (messages format). Both are read back
with the ingest parsers, so every output format is understood the same way as an input,
and paired with their ledger rows: each file lists its rows in input order (DESIGN 3).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import polars as pl

from curate.errors import InputError
from curate.io.ingest import read_records
from curate.records import MESSAGE

SUMMARY = "summary.json"
LEDGER = "ledger.parquet"
EMBEDDINGS = "embeddings.parquet"
TRAIN_LOG = "train_log.jsonl"
COMPARE = "compare.jsonl"
MASK_PREVIEW = "mask_preview.jsonl"
TEXT_SCHEMA = {"messages": pl.List(MESSAGE), "raw": pl.String}


@dataclass
class RunFiles:
    """Everything the report reads; optional parts are None or empty when absent."""

    run_dir: Path
    summary: dict[str, Any]
    # the ledger in input order, plus `messages` (null for unparsed rows) and `raw`
    # (the input text of unparsed rows), and `_i`, the row's input position
    ledger: pl.DataFrame
    embeddings: pl.DataFrame | None = None
    train_log: list[dict[str, Any]] = field(default_factory=list)
    compare: list[dict[str, Any]] = field(default_factory=list)
    mask_preview: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what could not be read, for the page

    @property
    def has_training(self) -> bool:
        return bool(self.train_log) or (self.run_dir / "model").is_dir()


def load_run(run_dir: Path) -> RunFiles:
    run_dir = Path(run_dir)
    summary_path = run_dir / SUMMARY
    if not summary_path.is_file():
        raise InputError(f"{run_dir}: not a run folder (no {SUMMARY})")
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    notes: list[str] = []
    if (run_dir / LEDGER).is_file():
        ledger = pl.read_parquet(run_dir / LEDGER).with_row_index("_i")
        fmt = (summary.get("config") or {}).get("output", {}).get("format", "messages")
        ledger = _with_text(ledger, run_dir, fmt, notes)
    else:
        notes.append(f"no {LEDGER}: row-level sections are empty")
        ledger = _empty_ledger()
    embeddings = None
    if (run_dir / EMBEDDINGS).is_file():
        embeddings = pl.read_parquet(run_dir / EMBEDDINGS)
    return RunFiles(
        run_dir=run_dir,
        summary=summary,
        ledger=ledger,
        embeddings=embeddings,
        train_log=read_jsonl(run_dir / TRAIN_LOG),
        compare=read_jsonl(run_dir / COMPARE),
        mask_preview=read_jsonl(run_dir / MASK_PREVIEW),
        notes=notes,
    )


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Objects of a small JSONL file ([] when absent); a bad line names file:line."""
    if not path.is_file():
        return []
    rows = []
    with open(path, "rb") as handle:
        for n, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                value = orjson.loads(line)
            except orjson.JSONDecodeError as err:
                raise InputError(f"{path}:{n}: invalid JSON ({err})") from None
            if not isinstance(value, dict):
                raise InputError(f"{path}:{n}: expected a JSON object")
            rows.append(value)
    return rows


def _with_text(ledger: pl.DataFrame, run_dir: Path, fmt: str, notes: list[str]) -> pl.DataFrame:
    parts = []
    for decision, name, file_fmt in (
        ("kept", "curated.jsonl", fmt),
        ("rejected", "rejected.jsonl", "messages"),
    ):
        rows = ledger.filter(pl.col("decision") == decision)
        path = run_dir / name
        if not path.is_file():
            if rows.height:
                notes.append(f"no {name}: {decision} rows are shown without text")
            parts.append(rows.with_columns(_null_text()))
            continue
        parts.append(_pair(rows, _texts(path, file_fmt), name, notes))
    return pl.concat(parts).sort("_i")


def _texts(path: Path, fmt: str) -> pl.DataFrame:
    """id, messages and raw text of each line of an output file, in file order.

    Messages-format files (rejected.jsonl, and curated.jsonl by default) are read by
    polars in one vectorised pass; other formats, or a file polars cannot read with the
    expected schema, go through the ingest parsers. For a line that is not a conversation
    (an unparseable input row in rejected.jsonl) the `raw` field holds the input text.
    """
    if fmt == "messages":
        try:
            return pl.read_ndjson(path, schema={"id": pl.String, **TEXT_SCHEMA})
        except pl.exceptions.PolarsError:
            pass
    return _parsed_texts(path, fmt)


def _parsed_texts(path: Path, fmt: str) -> pl.DataFrame:
    """`_texts` through the ingest parsers; the line's own `id` is kept in `meta`."""
    batch = read_records(path, format=fmt)
    parsed = batch.records.select(
        "row",
        pl.col("meta").str.json_path_match("$.id").fill_null(pl.col("id")).alias("id"),
        "messages",
        pl.lit(None, pl.String).alias("raw"),
    )
    unparsed = batch.bad.select(
        "row",
        pl.col("raw").str.json_path_match("$.id").alias("id"),
        pl.lit(None, TEXT_SCHEMA["messages"]).alias("messages"),
        pl.col("raw").str.json_path_match("$.raw").fill_null(pl.col("raw")).alias("raw"),
    )
    return pl.concat([parsed, unparsed]).sort("row").drop("row")


def _pair(rows: pl.DataFrame, texts: pl.DataFrame, name: str, notes: list[str]) -> pl.DataFrame:
    """Attach texts to ledger rows: by position when the ids line up, else by id."""
    if texts.height == rows.height and (texts["id"] == rows["id"]).all():
        return rows.hstack(texts.drop("id"))
    notes.append(f"{name} does not line up with the ledger; texts matched by id")
    return rows.join(texts.unique("id", keep="first"), on="id", how="left").sort("_i")


def _null_text() -> list[pl.Expr]:
    return [pl.lit(None, dtype).alias(name) for name, dtype in TEXT_SCHEMA.items()]


def _empty_ledger() -> pl.DataFrame:
    return pl.DataFrame(
        schema={
            "_i": pl.UInt32,
            "id": pl.String,
            "source": pl.String,
            "row": pl.Int64,
            "decision": pl.String,
            "stage": pl.String,
            "reason": pl.String,
            "detail": pl.String,
            "duplicate_of": pl.String,
            "cluster_id": pl.Int64,
            "tags": pl.List(pl.String),
            "scores": pl.Struct({}),
            **TEXT_SCHEMA,
        }
    )
