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
