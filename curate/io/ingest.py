"""Ingest: files -> batches of canonical records, plus bad rows for the ledger.

Rows stream through in batches of `batch_rows`, so a large file is never held whole as
Python objects; each batch becomes a polars frame at once. A bad row never stops the run
(unless `strict`): it becomes a bad-row entry with a DESIGN section 2 reason.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import polars as pl

from curate.errors import InputError
from curate.io.formats import PARSERS, BadRow, FieldNames, detect_format, validate_conversation
from curate.io.readers import LineBlock, RawRow, file_type, jsonl_blocks, read_raw
from curate.io.vectorised import parse_block, vectorised_records
from curate.records import RECORD_SCHEMA, content_id, record_id, records_frame

BAD_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.String(),
    "source": pl.String(),
    "row": pl.Int64(),
    "reason": pl.String(),
    "detail": pl.String(),
    "raw": pl.String(),
}
DETECT_ROWS = 64  # rows looked at to detect a file's format


@dataclass(frozen=True)
class SourceFile:
    """One input file and how to read it."""

    path: Path
    display: str  # the path as the user wrote it, for error lines
    source: str
    format: str = "auto"
    license: str | None = None
    fields: FieldNames = field(default_factory=FieldNames)


@dataclass
class Batch:
    records: pl.DataFrame
    bad: pl.DataFrame


def read_source(
    src: SourceFile,
    *,
    strict: bool = False,
    batch_rows: int = 20_000,
    limit: int | None = None,
    vectorised: bool = True,
    with_ids: bool = True,
) -> Iterator[Batch]:
    """Canonical records and bad rows of one file, in input order, batch by batch.

    JSONL batches go through the vectorised path first; the rows it does not take (and
    every row of other file types) go through the reference mapping in `formats`. The
    vectorised rows' ids are hashed per batch, or, without `with_ids`, left null for the
    caller to fill in all at once (`ids.fill_ids`).
    """
    fmt = None if src.format == "auto" else src.format
    if with_ids:
        from curate.io.ids import fill_ids  # numba: loaded when first needed
    first = True
    for batch in _batches(src, batch_rows, limit):
        if first and src.format == "auto":
            sample = batch.head(DETECT_ROWS) if isinstance(batch, LineBlock) else batch
            fmt = vote_format(list(itertools.islice(sample, DETECT_ROWS)), src.fields)
        first = False
        mapped = _map_batch(src, batch, fmt, strict, vectorised)
        if with_ids:
            mapped.records = fill_ids(mapped.records)
        yield mapped


def _batches(src: SourceFile, batch_rows: int, limit: int | None) -> Iterator[Sequence[RawRow]]:
    """Raw rows in batches; JSONL comes as unparsed line blocks (`readers.LineBlock`)."""
    left = limit if limit is not None else -1  # record numbers run 0, 1, 2... in every reader
    if _is_jsonl(src):
        # each block is mapped (and its leftover lines copied) before the next is read
        for block in jsonl_blocks(src.path, batch_rows, reuse=True):
            if left == 0:
                return
            if 0 < left < len(block):
                block = block.head(left)
            left -= len(block)
            yield block
        return
    rows = read_raw(src.path)
    if limit is not None:
        rows = itertools.islice(rows, limit)
    while batch := list(itertools.islice(rows, batch_rows)):
        yield batch


def _map_batch(
    src: SourceFile, raws: Sequence[RawRow], fmt: str | None, strict: bool, vectorised: bool
) -> Batch:
    fast: pl.DataFrame | None = None
    rest: Iterable[int] = range(len(raws))
    if vectorised and isinstance(raws, LineBlock):  # lines not parsed yet: the fast path
        fast, rest = vectorised_records(
            parse_block(raws.data),
            raws.first_row,
            len(raws),
            fmt,
            src.source,
            src.license,
            src.fields,
        )
    good: list[dict[str, Any]] = []
    bad: list[dict[str, Any]] = []
    for i in rest:
        raw = raws[i].parse()
        try:
            if raw.error is not None:
                raise raw.error
            good.append(_to_record(src, raw, fmt))
        except BadRow as exc:
            if strict:
                raise InputError(f"{src.display}:{raw.line}: {exc.reason}") from None
            bad.append(_bad_row(src, raw, exc))
    records = records_frame(good)
    if fast is not None and fast.height:
        records = pl.concat([fast, records]).sort("row") if records.height else fast
    return Batch(records, pl.DataFrame(bad, schema=BAD_SCHEMA))


def read_records(src: SourceFile | str | Path, **options: Any) -> Batch:
    """The whole file as one batch (for references, `curate inspect` and tests)."""
    if not isinstance(src, SourceFile):
        path = Path(src)
        src = SourceFile(path=path, display=str(src), source=path.name, **options)
    batches = list(read_source(src))
    if not batches:
        return Batch(records_frame([]), pl.DataFrame(schema=BAD_SCHEMA))
    return Batch(pl.concat([b.records for b in batches]), pl.concat([b.bad for b in batches]))


def _is_jsonl(src: SourceFile) -> bool:
    return file_type(src.path) == "jsonl"


def vote_format(rows: list[RawRow], fields: FieldNames) -> str | None:
    """The format most of `rows` are in (None when none fits): a file's format, by its first rows."""
    votes = Counter(detect_format(r.parse().value, fields) for r in rows if r.parse().error is None)
    votes.pop(None, None)
    return votes.most_common(1)[0][0] if votes else None


def _to_record(src: SourceFile, raw: RawRow, fmt: str | None) -> dict[str, Any]:
    obj = raw.value
    if not isinstance(obj, dict):
        raise BadRow("not_an_object", f"a {type(obj).__name__}, not an object")
    if fmt is None:
        raise BadRow("unknown_format", "keys: " + ", ".join(sorted(obj)[:8]))
    messages, tools, consumed = PARSERS[fmt](obj, src.fields)
    validate_conversation(messages)
    license_ = obj.get("license")
    meta = {k: v for k, v in obj.items() if k not in consumed and k != "license"}
    return {
        "id": record_id(messages, tools),
        "source": src.source,
        "row": raw.row,
        "messages": messages,
        "tools": tools,
        # sorted and compact, as the vectorised path writes it
        "meta": json.dumps(
            meta, ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=str
        ),
        "license": license_ if isinstance(license_, str) else src.license,
    }


def _bad_row(src: SourceFile, raw: RawRow, error: BadRow) -> dict[str, Any]:
    data = raw.raw if raw.raw is not None else _dump(raw.value)
    where = f"line {raw.line}" if src.path.suffix != ".parquet" else f"record {raw.line}"
    return {
        "id": content_id(data),
        "source": src.source,
        "row": raw.row,
        "reason": error.reason,
        "detail": f"{where}: {error.detail}" if error.detail else where,
        "raw": data.decode("utf-8", "replace"),
    }


def _dump(value: Any) -> bytes:
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # e.g. integers beyond 64 bits
        return json.dumps(value, sort_keys=True, default=str).encode()


__all__ = ["BAD_SCHEMA", "RECORD_SCHEMA", "Batch", "SourceFile", "read_records", "read_source"]
