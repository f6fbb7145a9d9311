"""The vectorised JSONL path gives exactly the frames of the reference (per-row) path."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from curate.io.formats import FieldNames
from curate.io.ingest import SourceFile, read_records, read_source
from curate.io.vectorised import parse_block, vectorised_records
from tests.conftest import shared, write_jsonl


def both_paths(path: Path, **options) -> tuple[pl.DataFrame, pl.DataFrame]:
    src = SourceFile(path, path.name, path.name, **options)
    fast = list(read_source(src, batch_rows=700))
    slow = list(read_source(src, batch_rows=700, vectorised=False))
    for a, b in zip(fast, slow, strict=True):
        assert_frame_equal(a.bad, b.bad)
    return pl.concat([b.records for b in fast]), pl.concat([b.records for b in slow])


def as_jsonl(tmp_path: Path, shared_path: str) -> Path:
    rows = read_records(shared(shared_path)).records  # noqa: F841  (proves the file reads)
    import gzip

    source = shared(shared_path)
    opener = gzip.open if source.suffix == ".gz" else open
    with opener(source, "rt", encoding="utf-8") as handle:
        items = json.load(handle)
    return write_jsonl(tmp_path / (Path(shared_path).name.split(".")[0] + ".jsonl"), items)


@pytest.mark.parametrize(
    ("path", "min_fast"),
    [
        ("llama-factory/alpaca_en_demo.json", 0.9),  # alpaca with input
        ("fastchat/dummy_conversation.json", 0.9),  # sharegpt, multi-turn, extra `id` field
        ("gpteacher/roleplay-simple-deduped-roleplay-instruct.json.gz", 0.9),  # `response` key
        ("alpaca_eval/falcon-7b-instruct_model_outputs.json", 0.9),  # meta columns
        ("lima/lima.json.gz", 0.0),  # history: reference path
        ("llama-factory/glaive_toolcall_en_demo.json", 0.0),  # tools: reference path
    ],
)
def test_vectorised_equals_reference_on_real_data(
    tmp_path: Path, path: str, min_fast: float
) -> None:
    jsonl = as_jsonl(tmp_path, path)
    fast, slow = both_paths(jsonl)
    assert_frame_equal(fast, slow)
    lines = [line for line in jsonl.read_bytes().split(b"\n") if line.strip()]
    records, rest = vectorised_records(
        parse_block(b"\n".join(lines)), 0, len(lines), _format(path), "x", None, FieldNames()
    )
    taken = 0 if records is None else records.height
    assert taken + len(rest) == len(lines)
    assert taken >= min_fast * len(lines)


def _format(path: str) -> str:
    return "sharegpt" if "conversation" in path or "glaive" in path else "alpaca"


def test_vectorised_equals_reference_on_messages_files() -> None:
    fast, slow = both_paths(shared("llama-factory/v1_sft_demo.jsonl"))  # typed parts: reference
    assert_frame_equal(fast, slow)


ODD_ROWS = [
    {
        "messages": [
            {"role": "user", "content": "Name a café"},
            {"role": "assistant", "content": "Cafe\u0301 Central"},
        ]
    },
    {"messages": [{"role": "user", "content": "2+2?"}, {"role": "assistant", "content": 4}]},
    {
        "messages": [
            {"role": "user", "content": "x"},
            {"role": "assistant", "content": [{"type": "text", "text": "y"}]},
        ]
    },
    {
        "messages": [{"role": "User ", "content": "hi"}, {"role": "ASSISTANT", "content": "hello"}],
        "tag": "a",
    },
    {"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "  "}]},
    # blank to Python's str.strip, not to `\s`: still a blank assistant turn
    {
        "messages": [
            {"role": "user", "content": "hi"},
            {"role": "assistant", "content": "\x1c\u3000"},
        ]
    },
    {"messages": [{"role": "assistant", "content": "first"}, {"role": "user", "content": "then"}]},
    {"messages": [{"role": "user", "content": "q"}, {"role": "wizard", "content": "a"}]},
    {
        "messages": [
            {"role": "user", "content": 'q\u0000\u001f\u007f\u2028"\\/'},
            {"role": "assistant", "content": "ok 😀"},
        ],
        "n": 7,
    },
    {
        "messages": [
            {"role": "system", "content": "s"},
            {"role": "user", "content": "q"},
            {"role": "assistant", "content": "a"},
        ],
        "tag": None,
    },
    {
        "messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}],
        "flag": True,
        "license": "MIT",
    },
    {
        "messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}],
        "tag": 5,
    },
    {"messages": None},
]


def test_vectorised_equals_reference_on_odd_rows(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "odd.jsonl", ODD_ROWS * 3)
    fast, slow = both_paths(path, license="CC0-1.0")
    assert_frame_equal(fast, slow)
    assert fast.height > 0


def test_parse_block_keeps_late_keys_and_json_types() -> None:
    """Whichever reader parses a block, the frame holds every key of every line with the
    type JSON gave it: a key first seen on the last line is kept, ISO date strings stay
    text, a key whose type changes between lines and a line longer than a reader's block
    still parse."""
    lines = [{"instruction": f"q{i}", "output": f"a{i}"} for i in range(50)]
    lines[-1]["late"] = "kept"
    frame = parse_block(b"\n".join(json.dumps(x).encode() for x in lines))
    assert frame is not None and frame["late"].to_list() == [None] * 49 + ["kept"]
    dated = parse_block(b'{"when": "2023-01-01"}\n{"when": "2023-01-02T10:00:00"}')
    assert dated is not None and dated["when"].to_list() == ["2023-01-01", "2023-01-02T10:00:00"]
    mixed = parse_block(b'{"n": 5}\n{"n": "five"}')
    assert mixed is not None and mixed.height == 2
    long = "word " * 1_500_000  # 7.5 MB: longer than a reader block
    big = parse_block(json.dumps({"output": long}).encode() + b'\n{"output": "short"}')
    assert big is not None and big["output"].to_list() == [long, "short"]
    assert parse_block(b'{"a": 1}\n{oops') is None
