"""decontaminate: MT-bench turns and input-format references, spans, Jaccard, paths."""

from __future__ import annotations

import json
import shutil

import polars as pl
import pytest
from pydantic import ValidationError

from curate.errors import InputError
from curate.stages.base import DETAIL, REASON, Context
from curate.stages.decontaminate import SCORE, Decontaminate
from tests.conftest import shared
from tests.dedup_support import chat_frame, load_alpaca, real_prompts

MT_BENCH = "fastchat/mt_bench_question.jsonl"


@pytest.fixture(scope="module")
def mt_bench() -> list[dict]:
    with open(shared(MT_BENCH), encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture
def stage() -> Decontaminate:
    return Decontaminate(references=[str(shared(MT_BENCH))], text_field="turns")


def test_mt_bench_overlaps_are_rejected_and_named(stage, mt_bench):
    clean = real_prompts(300)
    long_turn = next(q for q in mt_bench if len(q["turns"][0].split()) > 30)
    line = mt_bench.index(long_turn) + 1
    words = long_turn["turns"][0].split()
    planted = [
        "Before we start: "
        + " ".join(words[5:20])
        + " and so on, in my own words.",  # a 15-word span
        long_turn["turns"][0].replace(words[-1], "please"),  # near copy: caught by both tests
        "Hi!\n" + mt_bench[20]["turns"][1] + "\nThanks.",  # a whole second turn inside a prompt
    ]
    out = stage.apply(chat_frame(clean + planted), Context())
    hits = out.filter(pl.col(REASON).is_not_null())
    assert hits["row"].to_list() == [300, 301, 302]
    assert set(hits[REASON]) == {"contaminated"}
    detail = hits[DETAIL].to_list()
    assert detail[0].startswith(f"13-gram overlap with mt_bench_question.jsonl:{line} turns[0]: ")
    assert f': "{" ".join(words[5:12])}' in detail[0]  # the span as written in the row
    assert hits[SCORE][1] >= 0.8 and hits[SCORE][0] is None
    assert "mt_bench_question.jsonl:21 turns[1]" in detail[2]


def test_jaccard_alone_catches_a_short_paraphrase(mt_bench):
    short = next(q["turns"][0] for q in mt_bench if 6 <= len(q["turns"][0].split()) < 13)
    stage = Decontaminate(
        references=[str(shared(MT_BENCH))], text_field="turns", ngram=13, min_tokens=50
    )
    out = stage.apply(chat_frame([short + " ", "Write a poem about the sea."]), Context())
    assert out[REASON].to_list() == ["contaminated", None]
    assert out[DETAIL][0].startswith("J=1.00 with mt_bench_question.jsonl:")
    off = Decontaminate(
        references=[str(shared(MT_BENCH))], text_field="turns", min_tokens=50, threshold=None
    )
    assert off.apply(chat_frame([short]), Context())[REASON][0] is None


def test_references_in_an_input_format_resolve_against_the_pipeline_dir(tmp_path):
    rows = load_alpaca(shared("llama-factory/alpaca_en_demo.json"))
    shutil.copy(shared("llama-factory/alpaca_en_demo.json"), tmp_path / "eval.json")
    stage = Decontaminate(references=["eval.json"])
    prompts = [
        rows[7]["instruction"] + ("\n\n" + rows[7]["input"] if rows[7]["input"] else ""),
        "Tell me a joke.",
    ]
    out = stage.apply(chat_frame(prompts), Context(base_dir=tmp_path))
    assert out[REASON].to_list() == ["contaminated", None]
    assert "eval.json:8" in out[DETAIL][0]


def test_bad_references_fail_clearly(tmp_path):
    with pytest.raises(InputError, match=r"reference file not found: missing\.jsonl"):
        Decontaminate(references=["missing.jsonl"]).apply(
            chat_frame(["x"]), Context(base_dir=tmp_path)
        )
    (tmp_path / "r.jsonl").write_text('{"question": "hi"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="no text in field 'turns'"):
        Decontaminate(references=["r.jsonl"], text_field="turns").apply(
            chat_frame(["x"]), Context(base_dir=tmp_path)
        )
    with pytest.raises(ValidationError):
        Decontaminate(references=[])
    with pytest.raises(ValidationError):
        Decontaminate(references=["a"], ngrams=13)
