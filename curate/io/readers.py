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
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
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

    `data` holds the lines as one newline-separated buffer, so a parser can take the
    whole block at once. The block is also a sequence of pending `RawRow`s, for the rows
    a parser leaves; the lines are only split into Python objects when one is asked for.
    """

    data: bytes | memoryview
    count: int
    first_row: int
    first_line: int  # physical, 1-based line number of the first line
    line_numbers: list[int] | None = None  # each line's, when blank lines were left out
    _lines: list[bytes] | None = None

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, i: int) -> RawRow:
        line = self.line_numbers[i] if self.line_numbers else self.first_line + i
        return RawRow(self.first_row + i, line, PENDING, raw=self.lines[i])

    def __iter__(self) -> Iterator[RawRow]:
        return (self[i] for i in range(self.count))

    @property
    def lines(self) -> list[bytes]:
        if self._lines is None:
            self._lines = bytes(self.data).split(b"\n")[: self.count]
        return self._lines

    def head(self, n: int) -> LineBlock:
        """The first `n` lines (splitting only as much of the block as they need)."""
        lines = self._lines[:n] if self._lines is not None else self._first_lines(n)
        numbers = self.line_numbers[:n] if self.line_numbers else None
        return LineBlock(b"\n".join(lines), len(lines), self.first_row, self.first_line, numbers)

    def _first_lines(self, n: int) -> list[bytes]:
        size = 1 << 16
        while True:
            parts = bytes(self.data[:size]).split(b"\n")
            if len(parts) > n or size >= len(self.data):  # n whole lines, or all there is
                return parts[: min(n, self.count)]
            size *= 4


# a line of nothing but whitespace (blank lines are not rows): the first line, or any
# other (its leading newline is a literal prefix, which `re` scans for at memchr speed)
_BLANK_FIRST = re.compile(rb"[ \t\x0b\x0c]*(?:\n|\Z)")
_BLANK_LATER = re.compile(rb"\n[ \t\x0b\x0c]*(?:\n|\Z)")


# bytes a line may start with when it is blank (or only whitespace and a CR)
_BLANK_START = np.zeros(256, np.bool_)
_BLANK_START[list(b" \t\n\x0b\x0c\r")] = True


def _has_blank_line(block: memoryview) -> bool:
    end = len(block) - (block[-1] == 10)  # the block's own last newline ends no line
    return bool(_BLANK_FIRST.match(block, 0, end) or _BLANK_LATER.search(block, 0, end))


def _scan(chunk: memoryview, scratch: np.ndarray) -> tuple[int, bool]:
    """The number of lines in `chunk`, and whether they are plain: none blank, none
    ending in CR, so each line is a row as it stands. One numpy pass over the bytes (no
    GIL) finds the newlines; only a chunk with a line that starts with whitespace is
    searched for blank lines."""
    data = np.frombuffer(chunk, np.uint8)
    ends = np.flatnonzero(np.equal(data, 10, out=scratch[: len(data)]))
    lines = len(ends) + int(data[-1] != 10)
    starts = np.concatenate(([0], ends[ends + 1 < len(data)] + 1))
    cr_end = data[-1] == 13 or bool((data[ends[ends > 0] - 1] == 13).any())
    may_be_blank = bool(_BLANK_START[data[starts]].any())
    return lines, not cr_end and not (may_be_blank and _has_blank_line(chunk))


def jsonl_blocks(
    path: Path, max_rows: int = 20_000, read_bytes: int = 1 << 25, *, reuse: bool = False
) -> Iterator[LineBlock]:
    """The file's non-blank lines in blocks of at most `max_rows`, about `read_bytes` at a
    time. Blank lines are not rows, but they count for line numbers.

    With `reuse`, one read buffer serves the whole file (a fresh one costs its page faults,
    ~0.5 ms per MB): a block's `data` is then only valid until the next block is asked
    for, so the caller must be done with it (`lines` and `head` are copies)."""
    row, line_no = 0, 1
    scratch = np.empty(0, np.bool_)
    for chunk in _line_chunks(path, read_bytes, reuse):
        if len(scratch) < len(chunk):
            scratch = np.empty(max(read_bytes, len(chunk)), np.bool_)
        lines, plain = _scan(chunk, scratch)
        for part in _blocks_of(chunk, lines, plain, row, line_no, max_rows):
            row += part.count
            yield part
        line_no += lines


def _line_chunks(path: Path, read_bytes: int, reuse: bool = False) -> Iterator[memoryview]:
    """The file in pieces of whole lines, each read straight into a buffer (`readinto`:
    no concatenation, no slicing copies), a new one per piece unless `reuse`. A line cut
    at a piece's end is carried into the next piece; a line longer than a piece grows it."""
    tail = b""
    buffer = bytearray()
    with open_binary(path) as handle:
        while True:
            size = max(read_bytes, 2 * len(tail))
            if not reuse or len(buffer) < size:
                buffer = bytearray(size)
            buffer[: len(tail)] = tail
            view = memoryview(buffer)
            filled = len(tail) + (handle.readinto(view[len(tail) :]) or 0)
            if filled == len(tail):  # end of file
                if tail:
                    yield memoryview(tail)
                return
            cut = buffer.rfind(b"\n", 0, filled) + 1
            tail = bytes(view[cut:filled])
            if cut:
                yield view[:cut]


def _blocks_of(
    chunk: memoryview, lines: int, plain: bool, row: int, line_no: int, max_rows: int
) -> Iterator[LineBlock]:
    if plain:  # the common case: no copies
        if lines <= max_rows:
            yield LineBlock(chunk, lines, row, line_no)
            return
        parts = bytes(chunk).split(b"\n")[:lines]
        for start in range(0, len(parts), max_rows):
            part = parts[start : start + max_rows]
            yield LineBlock(b"\n".join(part), len(part), row + start, line_no + start, None, part)
        return
    parts = [line.rstrip(b"\r") for line in bytes(chunk).split(b"\n")[:lines]]
    keep = [i for i, line in enumerate(parts) if line.strip()]
    parts = [parts[i] for i in keep]
    for start in range(0, len(parts), max_rows):
        part = parts[start : start + max_rows]
        numbers = [line_no + i for i in keep[start : start + max_rows]]
        yield LineBlock(b"\n".join(part), len(part), row + start, line_no, numbers, part)


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
