"""Token counts: the run's [train].model tokenizer counts when a stage names none."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from curate.cache import Cache
from curate.config import load_pipeline
from curate.progress import Progress
from curate.runner import stage_context
from curate.signals import approx_tokens, count_tokens
from curate.stages.base import Context
from tests.conftest import chat, write_jsonl, write_pipeline
from tests.train_support import tokenizer_dir


def test_count_tokens_uses_the_run_tokenizer(tmp_path: Path) -> None:
    from transformers import AutoTokenizer

    path = tokenizer_dir(tmp_path)
    tokenizer = AutoTokenizer.from_pretrained(path)
    texts = pl.Series("t", ["Hello there, how are you?", "Straße und Café " * 20, ""])
    exact = [len(tokenizer(t, add_special_tokens=False)["input_ids"]) for t in texts]
    ctx = Context(cache=Cache(tmp_path / "cache"), tokenizer=path)
    assert count_tokens(texts, None, ctx).to_list() == exact
    estimate = texts.to_frame().select(approx_tokens(pl.col("t"))).to_series().to_list()
    assert count_tokens(texts, None, Context()).to_list() == estimate
    assert estimate != exact  # the two routes really differ


def test_stage_context_takes_the_train_model(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "d.jsonl", [chat("hi", "hello")])
    plain = load_pipeline(write_pipeline(tmp_path, [{"path": "d.jsonl"}]))
    assert stage_context(plain, None, Progress(False)).tokenizer is None
    trained = load_pipeline(
        write_pipeline(tmp_path, [{"path": "d.jsonl"}], extra='\n[train]\nmodel = "some/model"\n')
    )
    assert stage_context(trained, None, Progress(False)).tokenizer == "some/model"


def test_token_units_weigh_long_words_numbers_and_hashes() -> None:
    from curate.textstats import token_units

    texts = pl.Series(
        [
            "abc 123 a1b2c3 internationalization 你好!",  # 1 + 3 + (3 + 2) + (1 + 10/2.5) + 1 + 1 + 1
            "Hello, world.",  # 2 words, 2 marks
            "",
            None,
        ]
    )
    assert token_units(texts).to_list() == [17.0, 4.0, 0.0, None]


def test_estimate_follows_the_smollm2_tokenizer_on_prose_and_dumps(tmp_path: Path) -> None:
    """On real prose the estimate stays near the default model's count; on dumps of
    hashes, base64 and numbers (tests/data/refusal_quality_heldout2.jsonl), where counting
    words undercounts up to 19x, it stays within 20%."""
    import json

    from transformers import AutoTokenizer

    from curate.io.ingest import read_records
    from curate.text import field_text
    from tests.conftest import REPO, shared

    tokenizer = AutoTokenizer.from_pretrained(tokenizer_dir(tmp_path))
    prose = read_records(shared("lima/lima.json.gz")).records.head(200)
    rows = [
        json.loads(line) for line in (REPO / "tests/data/refusal_quality_heldout2.jsonl").open()
    ]
    dumps = [r["messages"] for r in rows if r["quality"] == "too_long"]
    for texts, low, high in (
        (prose.select(field_text("conversation")).to_series(), 0.9, 1.15),
        (pl.Series(["\n".join(m["content"] for m in d) for d in dumps]), 0.8, 1.2),
    ):
        exact = pl.Series(
            [len(t) for t in tokenizer(texts.to_list(), add_special_tokens=False)["input_ids"]]
        )
        ratio = texts.to_frame("t").select(approx_tokens(pl.col("t"))).to_series() / exact
        assert low <= ratio.median() <= high, ratio.describe()
    assert ratio.min() >= 0.8  # every dump, not only the middle one
