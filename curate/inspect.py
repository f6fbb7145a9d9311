"""`curate inspect FILE`: what a file holds before it goes into a pipeline."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import polars as pl

from curate.errors import InputError
from curate.io.formats import FieldNames
from curate.io.ingest import DETECT_ROWS, SourceFile, read_records, vote_format
from curate.io.readers import file_type, read_raw
from curate.text import field_text


def inspect_file(path: Path, format: str = "auto") -> dict[str, Any]:
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        kind = file_type(path)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    batch = read_records(SourceFile(path, str(path), path.name, format=format))
    records, bad = batch.records, batch.bad
    detected = format
    if format == "auto":
        detected = vote_format(list(itertools.islice(read_raw(path), DETECT_ROWS)), FieldNames())
    lengths = records.select(
        turns=pl.col("messages").list.len(),
        prompt_chars=field_text("prompt").str.len_chars(),
        response_chars=field_text("response").str.len_chars(),
    )
    return {
        "file": str(path),
        "file_type": kind,
        "format": detected or "unknown",
        "rows": records.height + bad.height,
        "records": records.height,
        "bad_rows": bad.height,
        "bad_reasons": dict(bad["reason"].value_counts(sort=True).iter_rows())
        if bad.height
        else {},
        "multi_turn": int((lengths["turns"] > 3).sum()) if records.height else 0,
        "with_tools": int(records["tools"].is_not_null().sum()),
        "lengths": {c: _stats(lengths[c]) for c in lengths.columns} if records.height else {},
    }


def _stats(values: pl.Series) -> dict[str, float]:
    return {
        "min": int(values.min()),
        "median": float(values.median()),
        "p95": float(values.quantile(0.95)),
        "max": int(values.max()),
    }
