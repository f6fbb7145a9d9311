"""The shipped quickstart data: reproducible, and its planted cases are what planted.json says.

The files are read here with a few lines per format rather than with `curate.io`, so a bug
in ingest cannot hide a bug in the data (the quickstart run tests the two together).
Matching reuses `curate.text`, the definitions the dedup stages use.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import unicodedata
from collections import Counter
from itertools import combinations
from pathlib import Path

import polars as pl
import pytest

from curate.text import field_text, normalized

PIPELINES = Path(__file__).resolve().parent.parent / "pipelines"
DATA = PIPELINES / "data"
MAIN = ("alpaca.json", "chats.jsonl", "messages.parquet")  # input order of a `data/` folder
TEXT_FILES = ("alpaca.json", "chats.jsonl", "broken.jsonl", "planted.json", "README.md")

Turns = list[tuple[str, str]]  # (role, content)


def generator():
    spec = importlib.util.spec_from_file_location("make_demo_data", PIPELINES / "make_demo_data.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def read(name: str, folder: Path = DATA) -> list[Turns]:
    """Each conversation of a main file as (role, content) turns, as DESIGN's ingest builds them."""
    path = folder / name
    if name.endswith(".parquet"):
        return [
            [(m["role"], m["content"]) for m in row] for row in pl.read_parquet(path)["messages"]
        ]
    if name.endswith(".jsonl"):
        roles = {"human": "user", "gpt": "assistant", "system": "system"}
        rows = [
            json.loads(line)
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        return [[(roles[t["from"]], t["value"]) for t in row["conversations"]] for row in rows]
    out = []
    for row in json.loads(path.read_text(encoding="utf-8")):
        turns = [("system", row["system"])] if row.get("system") else []
        for user, answer in row.get("history", []):
            turns += [("user", user), ("assistant", answer)]
        prompt = row["instruction"] + (f"\n\n{row['input']}" if row.get("input") else "")
        out.append([*turns, ("user", prompt), ("assistant", row["output"])])
    return out


@pytest.fixture(scope="module")
def rows() -> dict[str, list[Turns]]:
    return {name: read(name) for name in MAIN}


@pytest.fixture(scope="module")
def planted() -> list[dict]:
    return json.loads((DATA / "planted.json").read_text(encoding="utf-8"))


def conversation_keys(convs: list[Turns]) -> list[str]:
    """Exact-dedup text of each conversation, through curate.text."""
    message = pl.Struct({"role": pl.String, "content": pl.String, "tool_calls": pl.String})
    frame = pl.DataFrame(
        {
            "messages": [
                [{"role": r, "content": c, "tool_calls": None} for r, c in t] for t in convs
            ]
        },
        schema={"messages": pl.List(message)},
    )
    return frame.select(normalized(field_text("conversation")))["messages"].to_list()


def prompt(turns: Turns) -> str:
    return "\n\n".join(c for r, c in turns if r == "user")


def answer(turns: Turns) -> str:
    return "\n\n".join(c for r, c in turns if r == "assistant")


def shingles(text: str) -> frozenset:
    """DESIGN's near-dup shingles: word 3-grams, words = \\w+ after NFKC + casefold."""
    w = re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold())
    return frozenset([tuple(w)] if len(w) < 3 else zip(w, w[1:], w[2:], strict=False))


def jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b)


def test_generator_reproduces_the_shipped_files(tmp_path: Path) -> None:
    make = generator()
    first, second = tmp_path / "a", tmp_path / "b"
    make.write_demo_data(first)
    make.write_demo_data(second)
    assert {p.name for p in first.iterdir()} <= {p.name for p in DATA.iterdir()}
    for path in first.iterdir():
        assert path.read_bytes() == (second / path.name).read_bytes(), (
            f"{path.name} is not deterministic"
        )
    for name in TEXT_FILES:
        assert (first / name).read_bytes() == (DATA / name).read_bytes(), (
            f"pipelines/data/{name} is stale: run `python pipelines/make_demo_data.py`"
        )
    # Parquet bytes carry the writer's version, so the shipped file is compared by content.
    assert read("messages.parquet", first) == read("messages.parquet")
    assert pl.read_parquet(first / "messages.parquet").equals(
        pl.read_parquet(DATA / "messages.parquet")
    )


def test_sizes_and_formats(rows: dict[str, list[Turns]]) -> None:
    shipped = (*MAIN, *TEXT_FILES)
    assert sum((DATA / name).stat().st_size for name in set(shipped)) < 1_000_000
    assert sum(len(convs) for convs in rows.values()) >= 320
    assert all(len(convs) >= 100 for convs in rows.values())
    alpaca = json.loads((DATA / "alpaca.json").read_text(encoding="utf-8"))
    assert sum("system" in r for r in alpaca) >= 5 and sum("history" in r for r in alpaca) >= 3
    assert sum("input" in r for r in alpaca) >= 5
    exchanges = [sum(r == "user" for r, _ in turns) for turns in rows["chats.jsonl"]]
    assert sum(2 <= n <= 4 for n in exchanges) >= 5 and max(exchanges) <= 4
    assert any(turns[0][0] == "system" for turns in rows["chats.jsonl"])
    topics = pl.read_parquet(DATA / "messages.parquet")["topic"].unique()
    assert topics.len() >= 12


def test_broken_file_holds_the_bad_rows_it_claims(planted: list[dict]) -> None:
    text = (DATA / "broken.jsonl").read_text(encoding="utf-8")
    assert not text.endswith("\n")  # the last line is cut off
    lines = text.split("\n")
    assert len(lines) == 8
    parsed = {}
    for row, line in enumerate(lines):
        try:
            parsed[row] = json.loads(line)
        except json.JSONDecodeError:
            parsed[row] = None
    expected = {e["row"]: e["kind"] for e in planted if e["file"] == "broken.jsonl"}
    assert {row for row, obj in parsed.items() if obj is None} == {
        row for row, kind in expected.items() if kind == "invalid_json"
    }
    assert "messages" not in parsed[_row(expected, "missing_field:messages")]
    roles = {m["role"] for m in parsed[_row(expected, "bad_role:bot")]["messages"]}
    assert "bot" in roles
    blank = parsed[_row(expected, "blank_assistant_turn")]["messages"]
    assert blank[-1]["role"] == "assistant" and not blank[-1]["content"].strip()
    assert all(
        m["role"] != "assistant" for m in parsed[_row(expected, "no_assistant_turn")]["messages"]
    )
    good = [row for row in range(8) if row not in expected]
    assert len(good) == 2 and all(parsed[row]["messages"][-1]["content"].strip() for row in good)


def _row(expected: dict[int, str], kind: str) -> int:
    return next(row for row, k in expected.items() if k == kind)


def test_manifest_counts_and_rows_exist(rows: dict[str, list[Turns]], planted: list[dict]) -> None:
    kinds = Counter(e["kind"] for e in planted)
    assert 18 <= kinds["duplicate"] <= 22
    assert 18 <= kinds["near_duplicate"] <= 22
    assert 13 <= kinds["hard_refusal"] <= 17
    assert 8 <= kinds["soft_refusal"] <= 12
    quality = {
        "empty_response",
        "too_short",
        "truncated",
        "repetition",
        "template_tokens",
        "mojibake",
        "placeholder",
        "language_mismatch",
    }
    assert all(kinds[k] >= 1 for k in quality) and 22 <= sum(kinds[k] for k in quality) <= 28
    assert kinds["hard_negative"] >= 4
    sizes = {name: len(convs) for name, convs in rows.items()} | {"broken.jsonl": 8}
    keys = [(e["file"], e["row"]) for e in planted]
    assert len(keys) == len(set(keys)), "a row is planted twice"
    for entry in planted:
        assert 0 <= entry["row"] < sizes[entry["file"]], entry
        if entry["kind"] in ("duplicate", "near_duplicate"):
            assert 0 <= entry["of"]["row"] < sizes[entry["of"]["file"]], entry
            assert (entry["of"]["file"], entry["of"]["row"]) not in keys, (
                "an original is itself planted"
            )
        else:
            assert entry["of"] is None


def test_planted_duplicates_match_their_originals(
    rows: dict[str, list[Turns]], planted: list[dict]
) -> None:
    keys = {name: conversation_keys(convs) for name, convs in rows.items()}
    for entry in planted:
        if entry["kind"] not in ("duplicate", "near_duplicate"):
            continue
        src, row = entry["of"]["file"], entry["of"]["row"]
        copy, original = rows[entry["file"]][entry["row"]], rows[src][row]
        same_text = keys[entry["file"]][entry["row"]] == keys[src][row]
        if entry["kind"] == "duplicate":
            assert same_text, entry
            # the original is first in input order, so exact dedup keeps it
            assert (MAIN.index(src), row) < (MAIN.index(entry["file"]), entry["row"]), entry
        else:
            assert not same_text, entry
            assert jaccard(shingles(prompt(copy)), shingles(prompt(original))) >= 0.85, entry
    variants = [e for e in planted if e["kind"] == "duplicate"]
    assert (
        sum(rows[e["file"]][e["row"]] != rows[e["of"]["file"]][e["of"]["row"]] for e in variants)
        >= 4
    )
    assert sum(e["file"] != e["of"]["file"] for e in variants) >= 8


def test_no_unplanted_duplicates(rows: dict[str, list[Turns]], planted: list[dict]) -> None:
    """Only planted rows may collide, so the demo's dedup counts are exactly the planted ones."""
    root = {(e["file"], e["row"]): (e["of"]["file"], e["of"]["row"]) for e in planted if e["of"]}
    items = [(name, row) for name in MAIN for row in range(len(rows[name]))]
    group = [root.get(item, item) for item in items]
    keys = [k for name in MAIN for k in conversation_keys(rows[name])]
    exact = Counter(zip(keys, group, strict=True))
    by_key = Counter(keys)
    assert all(by_key[key] == n for (key, _), n in exact.items()), "unplanted exact duplicate"
    prompts = [shingles(prompt(rows[name][row])) for name, row in items]
    close = [
        (items[i], items[j], round(jaccard(prompts[i], prompts[j]), 3))
        for i, j in combinations(range(len(items)), 2)
        if group[i] != group[j] and jaccard(prompts[i], prompts[j]) >= 0.8
    ]
    assert not close, f"unplanted near duplicates: {close}"


REFUSAL = re.compile(
    r"\b(I'm sorry|I am sorry|I apologi[sz]e|I can't|I cannot|I'm (not )?able|I am unable|As an AI)\b",
    re.I,
)
FOREIGN_REFUSAL = re.compile("Lo siento|Je suis désolé|Es tut mir leid|抱歉")
TEMPLATE = re.compile(r"### (Response|Instruction)|<\|im_(start|end)\|>|\[/?INST\]|</?s>")
MOJIBAKE = re.compile("Ã.|â€|\ufffd")
PLACEHOLDER = re.compile(r"lorem ipsum|\[insert[^\]]*\]|\bTODO\b", re.I)


def test_clean_rows_are_clean_and_planted_rows_show_their_flaw(
    rows: dict[str, list[Turns]], planted: list[dict]
) -> None:
    kind = {(e["file"], e["row"]): e["kind"] for e in planted}
    for name in MAIN:
        for row, turns in enumerate(rows[name]):
            text, flaw = answer(turns), kind.get((name, row), "clean")
            if flaw in ("clean", "duplicate", "near_duplicate"):
                where = f"{name}:{row}"
                assert len(text.split()) >= 12, f"{where}: short answer"
                for pattern in (REFUSAL, TEMPLATE, MOJIBAKE, PLACEHOLDER):
                    assert not pattern.search(text), f"{where}: {pattern.search(text)}"
                last = text.rstrip().splitlines()[-1]
                assert text.count("```") % 2 == 0, f"{where}: unclosed code fence"
                # a sentence ends, or the last line is a sign-off or a list item
                assert last[-1] in '.!?)`*"»' or len(last.split()) <= 6, f"{where}: {last!r}"
            elif flaw == "hard_refusal":
                assert REFUSAL.search(text) or FOREIGN_REFUSAL.search(text), (name, row)
            elif flaw == "soft_refusal":  # a disclaimer, then real help
                assert len(text.split()) >= 40 and re.search(
                    r"\b(AI|KI|I'm not a|I can't|I don't)\b", text
                )
            elif flaw == "template_tokens":
                assert TEMPLATE.search(text), (name, row)
            elif flaw == "mojibake":
                assert MOJIBAKE.search(text), (name, row)
            elif flaw == "placeholder":
                assert PLACEHOLDER.search(text), (name, row)
            elif flaw == "empty_response":
                assert not re.search(r"\w", text), (name, row)
            elif flaw == "too_short":
                assert len(text.split()) == 1, (name, row)
            elif flaw == "truncated":
                assert text.count("```") % 2 == 1 or text.rstrip()[-1].isalpha(), (name, row)
            elif flaw == "repetition":
                lines = Counter(re.split(r"(?<=[.!?])\s+|\n", text))
                assert lines.most_common(1)[0][1] >= 5, (name, row)


def test_code_blocks_compile(rows: dict[str, list[Turns]], planted: list[dict]) -> None:
    broken = {(e["file"], e["row"]) for e in planted if e["kind"] == "truncated"}
    blocks = [
        block
        for name in MAIN
        for row, turns in enumerate(rows[name])
        if (name, row) not in broken
        for block in re.findall(r"```python\n(.*?)```", answer(turns), re.S)
    ]
    assert len(blocks) >= 25
    for block in blocks:
        compile(block, "<demo>", "exec")
