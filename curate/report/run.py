"""A run's output files, loaded once for report.html and summary.md.

The ledger says what happened to each row but holds no text; the text is in curated.jsonl
(kept rows, in `[output].format`) and rejected.jsonl (messages format). Both are read back
with the ingest parsers, so every output format is understood the same way as an input,
and paired with their ledger rows: each file lists its rows in input order (DESIGN 3).

The report shows text for a few sampled rows and snippets for a bounded row table, so text
is read on demand (`RunFiles.with_text`): one pass finds where each line starts, and only
the lines of the rows asked for are parsed. A run of 100K rows thus never holds its
hundreds of MB of text in memory. `RunFiles.ledger` still gives every row with its text.
"""

from __future__ import annotations

import json
import mmap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
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
LINE = pl.Struct({"id": pl.String, **TEXT_SCHEMA})  # what the report reads of an output line
OUTPUTS = (("kept", "curated.jsonl"), ("rejected", "rejected.jsonl"))  # decision -> its file
SCAN_CHUNK = 1 << 20  # bytes scanned at a time for line starts (fits a CPU cache)


@dataclass
class RunFiles:
    """Everything the report reads; optional parts are None or empty when absent."""

    run_dir: Path
    summary: dict[str, Any]
    # the ledger in input order without text, plus `_i`, the row's input position, and
    # `_line`, its line in the output file of its decision
    rows: pl.DataFrame
    embeddings: pl.DataFrame | None = None
    train_log: list[dict[str, Any]] = field(default_factory=list)
    compare: list[dict[str, Any]] = field(default_factory=list)
    mask_preview: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what could not be read, for the page
    output_format: str = "messages"  # the format of curated.jsonl
    _outputs: dict[str, OutputText] = field(default_factory=dict, repr=False)
    _ledger: pl.DataFrame | None = field(default=None, repr=False)

    @property
    def has_training(self) -> bool:
        return bool(self.train_log) or (self.run_dir / "model").is_dir()

    @property
    def ledger(self) -> pl.DataFrame:
        """Every row with `messages` (null for unparsed rows) and `raw` (the input text of
        unparsed rows); reads both output files whole, so the report itself never asks."""
        if self._ledger is None:
            self._ledger = self.with_text(self.rows).drop("_line")
        return self._ledger

    def with_text(self, frame: pl.DataFrame) -> pl.DataFrame:
        """`frame` (rows of `self.rows`, any order) with `messages` and `raw` added."""
        if "messages" in frame.columns:
            return frame
        frame = frame.with_row_index("_o")
        parts = [frame.filter(~pl.col("decision").is_in([d for d, _ in OUTPUTS]))]
        parts[0] = parts[0].with_columns(_null_text())
        for decision, name in OUTPUTS:
            rows = frame.filter(pl.col("decision") == decision)
            if rows.is_empty():
                continue
            if decision not in self._outputs:
                fmt = self.output_format if decision == "kept" else "messages"
                every = self.rows.filter(pl.col("decision") == decision)["id"]
                self._outputs[decision] = OutputText(self.run_dir / name, fmt, every, self.notes)
            parts.append(self._outputs[decision].attach(rows))
        return pl.concat(parts).sort("_o").drop("_o")


def load_run(run_dir: Path) -> RunFiles:
    run_dir = Path(run_dir)
    summary_path = run_dir / SUMMARY
    if not summary_path.is_file():
        raise InputError(f"{run_dir}: not a run folder (no {SUMMARY})")
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    notes: list[str] = []
    fmt = (summary.get("config") or {}).get("output", {}).get("format", "messages")
    if (run_dir / LEDGER).is_file():
        rows = pl.read_parquet(run_dir / LEDGER).with_row_index("_i")
        rows = rows.with_columns(pl.int_range(pl.len()).over("decision").alias("_line"))
        for decision, name in OUTPUTS:
            if not (run_dir / name).is_file() and (rows["decision"] == decision).any():
                notes.append(f"no {name}: {decision} rows are shown without text")
    else:
        notes.append(f"no {LEDGER}: row-level sections are empty")
        rows = _empty_ledger()
    embeddings = None
    if (run_dir / EMBEDDINGS).is_file():
        embeddings = pl.read_parquet(run_dir / EMBEDDINGS)
    return RunFiles(
        run_dir=run_dir,
        summary=summary,
        rows=rows,
        embeddings=embeddings,
        train_log=read_jsonl(run_dir / TRAIN_LOG),
        compare=read_jsonl(run_dir / COMPARE),
        mask_preview=read_jsonl(run_dir / MASK_PREVIEW),
        notes=notes,
        output_format=fmt,
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


class OutputText:
    """The texts of one output file, paired with the ledger ids of its rows (in order).

    A row's text is its line: the file is scanned once for line starts, then only the
    lines asked for are parsed. When the file does not line up with the ledger (another
    line count, an id that differs, another format than messages, a line polars cannot
    read), the whole file is read as before and paired by position or else by id.
    """

    def __init__(self, path: Path, fmt: str, ids: pl.Series, notes: list[str]) -> None:
        self.path, self.fmt, self.ids, self.notes = path, fmt, ids, notes
        self.spans: np.ndarray | None = None  # (start, end) byte offsets of each line
        self.whole: pl.DataFrame | None = None  # every row's text, when read whole

    def attach(self, rows: pl.DataFrame) -> pl.DataFrame:
        """`rows` (with `_line`) plus `messages` and `raw`."""
        if not self.path.is_file():
            return rows.with_columns(_null_text())
        if self.whole is None and self.fmt == "messages":
            texts = self._lines(rows["_line"].to_numpy())
            if texts is not None and texts["id"].eq_missing(rows["id"]).all():
                return rows.hstack(texts.drop("id"))
        return rows.join(self._whole(), on="_line", how="left")

    def _lines(self, lines: np.ndarray) -> pl.DataFrame | None:
        """id, messages and raw of the given lines; None when they cannot be read so."""
        if self.spans is None:
            self.spans = line_spans(self.path)
        if len(self.spans) != len(self.ids):
            return None
        spans = self.spans[lines]
        with (
            open(self.path, "rb") as handle,
            mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mm,
        ):
            data = pl.Series([mm[a:b] for a, b in spans.tolist()], dtype=pl.Binary)
        try:
            # decoding the lines as a column is ~2x faster than read_ndjson on their join
            texts = data.cast(pl.String).str.json_decode(LINE).struct.unnest()
        except pl.exceptions.PolarsError:
            return None
        return texts if texts.height == len(lines) else None

    def _whole(self) -> pl.DataFrame:
        """Every line's text by ledger line number: by position when the ids line up,
        else by id (first line of an id wins; rows without one get no text)."""
        if self.whole is None:
            texts = _texts(self.path, self.fmt)
            ids = (
                self.ids.to_frame("id")
                .with_row_index("_line")
                .with_columns(pl.col("_line").cast(pl.Int64))
            )
            if texts.height == ids.height and (texts["id"] == ids["id"]).all():
                whole = ids.hstack(texts.drop("id"))
            else:
                self.notes.append(
                    f"{self.path.name} does not line up with the ledger; texts matched by id"
                )
                whole = ids.join(texts.unique("id", keep="first"), on="id", how="left")
            self.whole = whole.drop("id")
        return self.whole


def line_spans(path: Path) -> np.ndarray:
    """(start, end) byte offsets of each non-empty line of `path`, found in fixed-size chunks."""
    ends, size = [], 0
    with open(path, "rb") as handle:
        while chunk := handle.read(SCAN_CHUNK):
            ends.append(np.flatnonzero(np.frombuffer(chunk, np.uint8) == ord("\n")) + size)
            size += len(chunk)
    stops = np.concatenate([*ends, np.array([size], np.int64)]).astype(np.int64)
    starts = np.concatenate([[0], stops[:-1] + 1]).astype(np.int64)
    spans = np.stack([starts, stops], axis=1)
    return spans[spans[:, 1] > spans[:, 0]]


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
            "_line": pl.Int64,
            **TEXT_SCHEMA,
        }
    )
