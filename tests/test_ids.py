"""The id kernel: its BLAKE2b is hashlib's, and its ids are `record_id`'s."""

from __future__ import annotations

import hashlib
import random

import polars as pl
import pytest

from curate.io.ids import blake2b_hex, fill_ids
from curate.io.ingest import read_records
from curate.records import chat_records, message, record_id, records_frame
from tests.conftest import shared


@pytest.mark.parametrize("length", [0, 1, 63, 127, 128, 129, 255, 256, 257, 1000, 4096])
def test_blake2b_matches_hashlib_across_block_boundaries(length: int) -> None:
    data = random.Random(length).randbytes(length)
    assert blake2b_hex(data) == hashlib.blake2b(data, digest_size=8).hexdigest()


def without_ids(records: pl.DataFrame) -> pl.DataFrame:
    return records.with_columns(pl.lit(None, pl.String).alias("id"))


def test_ids_equal_record_id_for_every_escape_and_every_kind_of_row() -> None:
    """Every ASCII byte (the controls JSON escapes as \\n or \\u00XX, quotes, backslash,
    DEL), turns that cross a 128-byte block or are empty; and the rows the kernel leaves
    to `record_id`: non-ASCII text (NFC), reasoning, tool calls, tools."""
    every_byte = "".join(chr(c) for c in range(128))
    chats = [
        [message("user", every_byte), message("assistant", every_byte[::-1])],
        [message("user", 'say "hi" \\ bye'), message("assistant", "x" * 127 + '"' + "y" * 300)],
        [message("system", ""), message("user", "q"), message("assistant", "")],
        [message("user", "Cafe\u0301?"), message("assistant", "Oui, caf\xe9 \u2028 \U0001f600")],
        [message("user", "q" * 128), message("assistant", "a" * 256)],
    ]
    records = chat_records(chats, "test")
    rows = records.to_dicts()
    rows[0]["messages"][1]["reasoning"] = "because"
    rows[1]["messages"][1]["tool_calls"] = '[{"name": "f"}]'
    rows[2]["tools"] = '[{"name": "f"}]'
    records = records_frame(rows)
    expected = [record_id(r["messages"], r["tools"]) for r in records.to_dicts()]
    plain = chat_records(chats, "test")
    assert fill_ids(without_ids(plain))["id"].to_list() == plain["id"].to_list()
    assert fill_ids(without_ids(records))["id"].to_list() == expected


def test_fill_ids_keeps_the_ids_it_is_given() -> None:
    records = chat_records([[message("user", "q"), message("assistant", "a")]] * 3, "test")
    records = records.with_columns(pl.Series("id", ["given", None, "also given"]))
    middle = record_id(records["messages"][1].to_list(), None)
    assert fill_ids(records)["id"].to_list() == ["given", middle, "also given"]


@pytest.mark.parametrize(
    "path",
    ["gpteacher/codegen-instruct.json.gz", "fastchat/dummy_conversation.json", "lima/lima.json.gz"],
)
def test_ids_equal_record_id_on_real_data(path: str) -> None:
    """Code with quotes, backslashes and tabs; multi-turn chats; long answers."""
    records = read_records(shared(path)).records  # not JSONL: every id from `record_id`
    assert records.height > 0
    assert fill_ids(without_ids(records))["id"].equals(records["id"])
