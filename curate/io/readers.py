"""Raw rows from files: JSONL, JSON array, Parquet, CSV; plain or gzip.

Readers stream: JSONL line by line, Parquet by record batch, CSV by record. Each raw row
carries its 0-based `row` (the record number) and its 1-based `line` for error messages
(the physical line for JSONL, the element or record number otherwise). A row that cannot
be parsed comes back with `error` set instead of raising, so it reaches the ledger.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import orjson

from curate.io.formats import BadRow

FILE_TYPES = ("jsonl", "json", "parquet", "csv")


PENDING = object()  # a JSONL line not parsed yet: the vectorised path may not need to


@dataclass(slots=True)
class RawRow:
    row: int
    line: int
    value: Any = None
    raw: bytes | None = None  # the row's bytes (JSONL lines; rows that could not be parsed)
    error: BadRow | None = None

    def parse(self) -> RawRow:
        """Parse a pending JSONL line in place (a bad line sets `error`)."""
        if self.value is PENDING:
            self.value = None
            try:
                self.value = orjson.loads(self.raw)  # type: ignore[arg-type]
            except orjson.JSONDecodeError as exc:
                self.error = _parse_error(self.raw or b"", exc)
        return self


def file_type(path: Path) -> str:
    """jsonl | json | parquet | csv, from the name (a trailing .gz is ignored)."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    ext = suffixes[-1].lstrip(".") if suffixes else ""
    ext = {"ndjson": "jsonl", "pq": "parquet", "tsv": "csv"}.get(ext, ext)
    if ext not in FILE_TYPES:
        raise ValueError(
            f"{path}: unsupported file type {ext or '(none)'!r}; use {', '.join(FILE_TYPES)}"
        )
    return ext


def open_binary(path: Path) -> IO[bytes]:
    return gzip.open(path, "rb") if path.suffix.lower() == ".gz" else open(path, "rb")


def read_raw(path: Path) -> Iterator[RawRow]:
    kind = file_type(path)
    if kind == "jsonl":
        yield from _jsonl(path)
    elif kind == "json":
        yield from _json(path)
    elif kind == "parquet":
        yield from _parquet(path)
    else:
        yield from _csv(path)


def _parse_error(data: bytes, error: Exception) -> BadRow:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return BadRow("not_utf8", f"invalid UTF-8 at byte {exc.start}")
    return BadRow("invalid_json", str(error).split("\n")[0][:200])


def _jsonl(path: Path) -> Iterator[RawRow]:
    for block in jsonl_blocks(path):
        yield from block


@dataclass(slots=True)
class LineBlock:
    """Consecutive non-blank JSONL lines, unparsed: line i is record `first_row + i`.

    A block is a sequence of pending `RawRow`s (made only when asked for), and `data` is
    the same lines as one newline-separated buffer, so a parser can take the whole block
    without a Python object per line.
    """

    lines: list[bytes]  # without line ends
    first_row: int
    line_numbers: list[int]  # physical, 1-based
    data: bytes

    def __len__(self) -> int:
        return len(self.lines)

    def __getitem__(self, i: int) -> RawRow:
        return RawRow(self.first_row + i, self.line_numbers[i], PENDING, raw=self.lines[i])

    def __iter__(self) -> Iterator[RawRow]:
        return (self[i] for i in range(len(self.lines)))

    def head(self, n: int) -> LineBlock:
        lines = self.lines[:n]
        return LineBlock(lines, self.first_row, self.line_numbers[:n], b"\n".join(lines))


def jsonl_blocks(
    path: Path, max_rows: int = 20_000, read_bytes: int = 1 << 25
) -> Iterator[LineBlock]:
    """The file's non-blank lines in blocks of at most `max_rows`, read `read_bytes` at a
    time. Blank lines are not rows, but they count for line numbers."""
    row, line_no, tail = 0, 1, b""
    with open_binary(path) as handle:
        while True:
            chunk = handle.read(read_bytes)
            data = tail + chunk if tail else chunk
            cut = data.rfind(b"\n") + 1 if chunk else len(data)
            if chunk and cut == 0:  # one line longer than read_bytes: read on
                tail = data
                continue
            block, tail = data[:cut], data[cut:]
            if not block:
                return
            for part in _blocks_of(block, row, line_no, max_rows):
                row += len(part.lines)
                yield part
            line_no += block.count(b"\n") + (not block.endswith(b"\n"))


def _blocks_of(block: bytes, row: int, line_no: int, max_rows: int) -> Iterator[LineBlock]:
    lines = block.split(b"\n")
    if block.endswith(b"\n"):
        lines.pop()
    if b"\r" in block:
        lines = [line.rstrip(b"\r") for line in lines]
    keep = [i for i, line in enumerate(lines) if line.strip()]
    clean = len(keep) == len(lines) and b"\r" not in block
    if not clean:
        lines = [lines[i] for i in keep]
    for start in range(0, len(lines), max_rows):
        part = lines[start : start + max_rows]
        # the block as read is already the buffer when nothing was dropped or cut
        data = block if clean and len(lines) <= max_rows else b"\n".join(part)
        numbers = [line_no + i for i in keep[start : start + max_rows]]
        yield LineBlock(part, row + start, numbers, data)


def _json(path: Path) -> Iterator[RawRow]:
    with open_binary(path) as handle:
        data = handle.read()
    if not data.strip():
        return
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        # A broken JSON document has no rows we can trust: the file is one bad row.
        yield RawRow(0, 1, raw=data[:2000], error=_parse_error(data, exc))
        return
    items = value if isinstance(value, list) else [value]
    for row, item in enumerate(items):
        yield RawRow(row, row + 1, item)


def _parquet(path: Path) -> Iterator[RawRow]:
    import pyarrow.parquet as pq

    row = 0
    with open_binary(path) as handle:
        for batch in pq.ParquetFile(handle).iter_batches(batch_size=4096):
            for item in batch.to_pylist():
                yield RawRow(row, row + 1, _drop_nulls(item))
                row += 1


def _drop_nulls(item: dict[str, Any]) -> dict[str, Any]:
    """Parquet gives every column to every row; a null column is an absent key."""
    return {k: v for k, v in item.items() if v is not None}


def _csv(path: Path) -> Iterator[RawRow]:
    delimiter = "\t" if ".tsv" in [s.lower() for s in path.suffixes] else ","
    with open_binary(path) as binary:
        text = io.TextIOWrapper(binary, encoding="utf-8", errors="surrogateescape", newline="")
        reader = csv.reader(text, delimiter=delimiter)
        header = next(reader, None)
        if header is None:
            return
        row = -1
        for cells in reader:
            if not any(cells):
                continue
            row += 1
            joined = delimiter.join(cells)
            if _has_surrogates(joined):
                raw = joined.encode("utf-8", "surrogateescape")
                yield RawRow(row, row + 1, raw=raw, error=_parse_error(raw, ValueError()))
            elif len(cells) != len(header):
                yield RawRow(
                    row,
                    row + 1,
                    raw=joined.encode(),
                    error=BadRow("bad_csv_row", f"{len(cells)} cells, header has {len(header)}"),
                )
            else:
                yield RawRow(
                    row, row + 1, {k: _csv_cell(v) for k, v in zip(header, cells, strict=True)}
                )


def _has_surrogates(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _csv_cell(value: str) -> Any:
    """CSV cells are text; a cell holding a JSON list/object (e.g. conversations) is parsed."""
    stripped = value.lstrip()
    if stripped[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value if value != "" else None
