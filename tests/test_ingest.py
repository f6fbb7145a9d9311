"""Ingest: every format and file type, real files, and every kind of bad row."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import polars as pl
import pytest

from curate.errors import InputError
from curate.io.ingest import SourceFile, read_records, read_source
from curate.records import canonical_json, content_id
from tests.conftest import chat, shared, write_jsonl


def read(path: Path, **options):
    return read_records(SourceFile(path, path.name, path.name, **options))


def roles(frame: pl.DataFrame, i: int = 0) -> list[str]:
    return [m["role"] for m in frame["messages"][i]]


@pytest.mark.parametrize(
    ("path", "rows"),
    [
        ("llama-factory/alpaca_en_demo.json", 999),
        ("llama-factory/identity.json", 91),
        ("llama-factory/v1_sft_demo.jsonl", 500),
        ("llama-factory/glaive_toolcall_en_demo.json", 300),
        ("llama-factory/reason_tool_use_demo_50.jsonl", 50),
        ("fastchat/dummy_conversation.json", 500),
        ("gpteacher/codegen-instruct.json.gz", 4535),
        ("gpteacher/roleplay-simple-deduped-roleplay-instruct.json.gz", 1923),
        ("lima/lima.json.gz", 1029),
        ("alpaca_eval/falcon-7b-instruct_model_outputs.json", 805),
    ],
)
def test_real_files_read_every_row(path: str, rows: int) -> None:
    batch = read(shared(path))
    assert batch.records.height + batch.bad.height == rows
    assert batch.records.height == rows, batch.bad["reason"].value_counts()
    assert batch.records["row"].to_list() == list(range(rows))


def test_sharegpt_tool_roles_map_and_tools_are_kept() -> None:
    records = read(shared("llama-factory/glaive_toolcall_en_demo.json")).records
    all_roles = {m["role"] for ms in records["messages"] for m in ms}
    assert all_roles <= {"system", "user", "assistant", "tool"}
    calls = [m for ms in records["messages"] for m in ms if m["tool_calls"] is not None]
    observations = [m for ms in records["messages"] for m in ms if m["role"] == "tool"]
    assert len(calls) == 211 and len(observations) == 211
    assert all(m["role"] == "assistant" for m in calls)
    assert records["tools"].is_not_null().sum() > 0
    json.loads(records["tools"].drop_nulls()[0])


def test_messages_with_typed_parts_reasoning_and_loss_weight() -> None:
    records = read(shared("llama-factory/reason_tool_use_demo_50.jsonl")).records
    assert sum(m["reasoning"] is not None for ms in records["messages"] for m in ms) > 0
    v1 = read(shared("llama-factory/v1_sft_demo.jsonl")).records
    first = v1["messages"][0]
    assert [m["loss_weight"] for m in first] == [0.0, 1.0]
    assert first[0]["content"] == "hi"


def test_alpaca_history_system_and_input(tmp_path: Path) -> None:
    rows = [
        {
            "instruction": "Sum these.",
            "input": "2 and 3",
            "output": "5",
            "system": "Be brief.",
            "history": [["Hi", "Hello!"]],
            "category": "math",
            "license": "CC0-1.0",
        }
    ]
    path = tmp_path / "a.json"
    path.write_text(json.dumps(rows))
    records = read(path, license="MIT").records
    assert roles(records) == ["system", "user", "assistant", "user", "assistant"]
    assert records["messages"][0][3]["content"] == "Sum these.\n\n2 and 3"
    assert json.loads(records["meta"][0]) == {"category": "math"}
    assert records["license"][0] == "CC0-1.0"  # the row's own license wins over the input's


def test_gpteacher_response_key_is_accepted() -> None:
    records = read(shared("gpteacher/codegen-instruct.json.gz")).records
    assert records["messages"][0][-1]["role"] == "assistant"
    assert records["messages"][0][-1]["content"].strip()


def test_prompt_response_with_custom_columns_from_csv(tmp_path: Path) -> None:
    from curate.io.formats import FieldNames

    path = tmp_path / "qa.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["question", "answer", "topic"])
        writer.writerow(['Say "hi",\nthen stop.', 'hi,\n"done"', "greeting"])
        writer.writerow(["2+2?", "4", "math"])
    records = read(path, fields=FieldNames(prompt="question", response="answer")).records
    assert records.height == 2
    assert records["messages"][0][0]["content"] == 'Say "hi",\nthen stop.'
    assert records["messages"][0][1]["content"] == 'hi,\n"done"'
    assert json.loads(records["meta"][0]) == {"topic": "greeting"}


def test_parquet_and_gzip_inputs(tmp_path: Path) -> None:
    rows = [chat(f"question {i}", f"answer {i}") for i in range(5)]
    parquet = tmp_path / "m.parquet"
    pl.DataFrame(rows).write_parquet(parquet)
    gz = tmp_path / "m.jsonl.gz"
    with gzip.open(gz, "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(r) + "\n" for r in rows)
    a, b = read(parquet).records, read(gz).records
    assert a.height == b.height == 5
    assert a["id"].to_list() == b["id"].to_list()


def test_same_conversation_same_id_across_formats(tmp_path: Path) -> None:
    alpaca = tmp_path / "a.json"
    alpaca.write_text(
        json.dumps([{"instruction": "Name a colour.", "input": "", "output": "Blue."}])
    )
    sharegpt = write_jsonl(
        tmp_path / "s.jsonl",
        [
            {
                "conversations": [
                    {"from": "human", "value": "Name a colour."},
                    {"from": "gpt", "value": "Blue."},
                ]
            }
        ],
    )
    messages = write_jsonl(tmp_path / "m.jsonl", [chat("Name a colour.", "Blue.")])
    ids = {read(p).records["id"][0] for p in (alpaca, sharegpt, messages)}
    assert len(ids) == 1
    expected = content_id(
        json.dumps(
            {
                "messages": [
                    {"content": "Name a colour.", "role": "user"},
                    {"content": "Blue.", "role": "assistant"},
                ],
                "tools": None,
            },
            ensure_ascii=False,
            separators=(",", ":"),
            sort_keys=True,
        )
    )
    assert ids == {expected}


def test_id_is_nfc_normalised() -> None:
    composed = [{"role": "user", "content": "caf\u00e9"}]
    decomposed = [{"role": "user", "content": "cafe\u0301"}]
    assert canonical_json(composed, None) == canonical_json(decomposed, None)


BAD_LINES = [
    (b'{"messages": [', "invalid_json"),
    (
        b'{"messages": [{"role": "user", "content": "hi"}, {"role": "wizard", "content": "x"}]}',
        "bad_role:wizard",
    ),
    (
        b'{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "  \\n "}]}',
        "blank_assistant_turn",
    ),
    (b'{"messages": [{"role": "user", "content": "hi"}]}', "no_assistant_turn"),
    (b'{"messages": []}', "empty_conversation"),
    (
        b'{"messages": [{"role": "user", "content": "caf\xe9"}, {"role": "assistant", "content": "ok"}]}',
        "not_utf8",
    ),
    (b'{"text": "no known keys"}', "missing_field:messages"),
    (b"[1, 2]", "not_an_object"),
]


def test_bad_rows_get_reasons_and_the_run_goes_on(tmp_path: Path) -> None:
    good = json.dumps(chat("What is 2+2?", "4")).encode()
    path = tmp_path / "bad.jsonl"
    body = b"\n".join([good, *(line for line, _ in BAD_LINES), b"", good]) + b"\n"
    path.write_bytes(
        body + b'{"messages": [{"role": "user", "content": "trunc'
    )  # truncated last line
    batch = read(path, format="messages")
    assert batch.records.height == 2
    expected = [reason for _, reason in BAD_LINES] + ["invalid_json"]
    assert batch.bad["reason"].to_list() == expected
    # rows are numbered without the blank line; the error detail names the physical line
    assert batch.records["row"].to_list() == [0, len(BAD_LINES) + 1]
    assert batch.bad["detail"][-1].startswith(f"line {len(BAD_LINES) + 4}")
    assert batch.bad["id"][0] == content_id(b'{"messages": [')


def test_missing_field_in_alpaca(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "a.jsonl", [{"instruction": "x", "output": "y"}, {"instruction": "no output"}]
    )
    assert read(path).bad["reason"].to_list() == ["missing_field:output"]


def test_unknown_format_file(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "q.jsonl", [{"question_id": 1, "turns": ["a", "b"]}])
    assert read(path).bad["reason"].to_list() == ["unknown_format"]


def test_strict_stops_at_first_bad_row_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_bytes(json.dumps(chat("a", "b")).encode() + b"\n\n{oops\n")
    src = SourceFile(path, "data/bad.jsonl", "bad.jsonl")
    with pytest.raises(InputError, match=r"^data/bad\.jsonl:3: invalid_json$"):
        list(read_source(src, strict=True))


def test_ten_megabyte_row(tmp_path: Path) -> None:
    big = "word " * 2_000_000
    path = write_jsonl(tmp_path / "big.jsonl", [chat("Summarise this.", big), chat("hi", "hello")])
    records = read(path).records
    assert records.height == 2
    assert len(records["messages"][0][1]["content"]) == len(big)


def test_empty_and_whitespace_files(tmp_path: Path) -> None:
    for name, body in (("e.jsonl", b""), ("w.jsonl", b"\n \n"), ("e.json", b""), ("e.csv", b"")):
        (tmp_path / name).write_bytes(body)
        batch = read(tmp_path / name)
        assert batch.records.height == 0 and batch.bad.height == 0


def test_broken_json_array_is_one_bad_row(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text('[{"instruction": "x", "output": "y"},')
    batch = read(path)
    assert batch.bad["reason"].to_list() == ["invalid_json"]


def test_csv_non_utf8_record(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_bytes(b"prompt,response\nhello,world\ncaf\xe9,bad\n")
    batch = read(path)
    assert batch.records.height == 1
    assert batch.bad["reason"].to_list() == ["not_utf8"]


def test_batches_stream_large_files(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "many.jsonl", [chat(f"q{i}", f"a{i}") for i in range(2500)])
    batches = list(read_source(SourceFile(path, "many", "many"), batch_rows=1000))
    assert [b.records.height for b in batches] == [1000, 1000, 500]


@pytest.mark.parametrize("read_bytes", [1, 7, 64, 1 << 20])
@pytest.mark.parametrize("max_rows", [1, 3, 1000])
@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz"])  # mapped, read piece by piece
@pytest.mark.parametrize("reuse", [False, True])
def test_jsonl_blocks_match_a_line_by_line_reader(
    tmp_path: Path, read_bytes: int, max_rows: int, suffix: str, reuse: bool
) -> None:
    """Blocks cut anywhere (mid-line, mid-CRLF) give the rows, line numbers and bytes of a
    plain line-by-line read: blank lines are skipped but counted, CRLF is stripped, a
    last line without a newline is kept. With one reused read buffer, each block is
    checked before the next is read, as ingest uses it."""
    from curate.io.readers import jsonl_blocks

    clean = b"".join(b'{"n": %d}\n' % i for i in range(5))  # blocks without blank lines
    odd = b'{"a": 1}\n\n{"b": "two"}\r\n  \n{"c": "x' + b"y" * 100 + b'"}\n\r\n{bad\n{"d": 4}'
    # lines that start with whitespace but are not blank, and a CR inside a line
    indented = b'  {"e": 5}\n\t{"f":\r 6}\n'
    odd = odd + b"\n" + indented + clean + indented
    body = clean + odd + b"\n" + clean + b" \t"  # last line: whitespace, no newline
    path = tmp_path / f"odd{suffix}"
    path.write_bytes(gzip.compress(body) if suffix.endswith(".gz") else body)
    expected = [
        (number, line.rstrip(b"\r"))
        for number, line in enumerate(body.split(b"\n"), start=1)
        if line.strip()
    ]
    rows = []
    for block in jsonl_blocks(path, max_rows=max_rows, read_bytes=read_bytes, reuse=reuse):
        assert len(block) <= max_rows
        # the buffer a parser gets holds exactly the block's lines
        assert [line for line in bytes(block.data).split(b"\n") if line.strip()] == [
            line.rstrip(b"\r") for line in block.lines
        ]
        assert list(block.head(2)) == list(block)[:2]
        rows += list(block)
    assert [(r.line, r.raw) for r in rows] == expected
    assert [r.row for r in rows] == list(range(len(expected)))
