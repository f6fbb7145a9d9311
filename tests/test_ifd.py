"""The ifd stage: the ratio of two independently computed losses, cache, bounds, ledger."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from tests.conftest import write_pipeline
from tests.train_support import real_rows, tiny_model_dir, tokenizer_dir, write_jsonl

torch = pytest.importorskip("torch")

import curate  # noqa: E402
import curate.train.model  # noqa: E402
from curate.cache import Cache  # noqa: E402
from curate.stages import STAGES, Context, Select  # noqa: E402
from curate.stages.ifd import Ifd  # noqa: E402
from curate.train.data import read_conversations  # noqa: E402


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A tiny random Llama (SmolLM2 tokenizer) and 12 real single-turn rows."""
    root = tmp_path_factory.mktemp("ifd")
    model = tiny_model_dir(root, tokenizer_dir(root))
    data = write_jsonl(root / "d.jsonl", real_rows("llama-factory/v1_sft_demo.jsonl", 12, 200))
    return {"root": root, "model": str(model), "data": data, "frame": read_conversations(data)}


def independent_ifd(model_dir: str, messages: list[dict]) -> float:
    """IFD from plain HF calls: chat template, tokenizer, logits, cross-entropy."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(model_dir)
    lm = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32).eval()
    turns = [{"role": m["role"], "content": m["content"]} for m in messages]
    prompt = tok.apply_chat_template(turns[:-1], tokenize=False, add_generation_prompt=True)
    full = tok.apply_chat_template(turns, tokenize=False)
    response = full[len(prompt) : len(full.rstrip())]  # the answer and its end-of-turn marker
    prompt_ids = tok(prompt, add_special_tokens=False).input_ids
    answer = tok(response, add_special_tokens=False).input_ids

    def mean_loss(context: list[int]) -> float:
        ids = torch.tensor([context + answer])
        with torch.no_grad():
            logits = lm(ids).logits[0, len(context) - 1 : -1]
        return torch.nn.functional.cross_entropy(logits, torch.tensor(answer)).item()

    return mean_loss(prompt_ids) / mean_loss([tok.bos_token_id])


def test_ifd_is_the_ratio_of_the_two_losses(setup: dict) -> None:
    frame = setup["frame"]
    out = Ifd(model=setup["model"], batch_size=4).apply(frame, Context())
    assert out["ifd"].dtype == pl.Float64
    assert out["ifd"].null_count() == 0 and out["reject_reason"].null_count() == frame.height
    rows = frame.to_dicts()
    for i in (0, 5, 11):
        assert out["ifd"][i] == pytest.approx(
            independent_ifd(setup["model"], rows[i]["messages"]), rel=1e-4
        )
    # batching and padding do not change a row's value
    single = Ifd(model=setup["model"], batch_size=1).apply(frame, Context())
    np.testing.assert_allclose(single["ifd"].to_numpy(), out["ifd"].to_numpy(), rtol=1e-5)


def test_rows_past_max_length_get_null_and_a_warning(setup: dict) -> None:
    ctx = Context()
    out = Ifd(model=setup["model"], max_length=24).annotate(setup["frame"], ctx)
    assert out["ifd"].null_count() == setup["frame"].height
    assert any("not scored" in w for w in ctx.warnings)


def test_rerun_is_a_cache_hit(setup: dict, tmp_path: Path, monkeypatch) -> None:
    ctx = Context(cache=Cache(tmp_path / "cache"))
    first = Ifd(model=setup["model"]).annotate(setup["frame"], ctx)

    def no_model(name: str):
        raise AssertionError("the model was loaded on a cached re-run")

    monkeypatch.setattr(curate.train.model, "load_model", no_model)
    again = Ifd(model=setup["model"], min=0.5).annotate(setup["frame"].reverse(), ctx)
    assert again["ifd"].to_list() == first["ifd"].reverse().to_list()
    with pytest.raises(AssertionError, match="loaded"):  # another model is another namespace
        Ifd(model=setup["model"], max_length=256).annotate(setup["frame"], ctx)


def test_bounds_reject_with_reason_and_detail(setup: dict) -> None:
    values = Ifd(model=setup["model"]).annotate(setup["frame"], Context())["ifd"]
    cut = float(values.median())
    out = Ifd(model=setup["model"], max=cut).decide(values.to_frame(), Context())
    over = (values > cut).to_list()
    assert [r is not None for r in out["reject_reason"].to_list()] == over
    assert set(out["reject_reason"].drop_nulls()) == {"ifd_out_of_range"}
    assert all(f"> max {cut}" in d for d in out["reject_detail"].drop_nulls())
    kept = Ifd(model=setup["model"], min=0.0).decide(values.to_frame(), Context())
    assert kept["reject_reason"].null_count() == values.len()


def test_select_deita_ranks_by_ifd(setup: dict) -> None:
    scored = Ifd(model=setup["model"]).annotate(setup["frame"], Context())
    emb = np.random.default_rng(0).normal(size=(scored.height, 8)).astype(np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)  # unit vectors, as the embed stage writes
    out = Select(method="deita", budget=4, tau=1.0, score="ifd").apply(
        scored.with_columns(pl.Series("embedding", emb)), Context()
    )
    chosen = set(out.filter(pl.col("reject_reason").is_null())["id"])
    assert chosen == set(scored.sort("ifd", descending=True)["id"].head(4))


def test_config_is_checked() -> None:
    assert STAGES["ifd"] is Ifd and Ifd.score_columns == {"ifd": "ifd"}
    with pytest.raises(ValueError, match="above max"):
        Ifd(min=2.0, max=1.0)
    with pytest.raises(ValueError, match="extra"):
        Ifd(threshold=1.0)


def test_the_column_reaches_the_ledger(setup: dict) -> None:
    root = setup["root"] / "pipe"
    root.mkdir()
    write_jsonl(root / "d.jsonl", real_rows("llama-factory/v1_sft_demo.jsonl", 12, 200))
    stage = {"kind": "ifd", "model": setup["model"], "max": 1.0}
    curate.run(str(write_pipeline(root, [{"path": "d.jsonl"}], [stage])))
    ledger = pl.read_parquet(root / "out" / "ledger.parquet")
    ifd = ledger["scores"].struct.field("ifd")
    assert ifd.null_count() == 0 and ledger.height == 12
    rejected = ledger.filter(pl.col("reason") == "ifd_out_of_range")
    assert rejected.height == int((ifd > 1.0).sum())
    assert (rejected["stage"] == "ifd").all()


@pytest.mark.slow
def test_smollm2_copy_is_easier_than_an_unrelated_answer(tmp_path: Path) -> None:
    """With the real default model: answering by copying the prompt has a low IFD; an
    answer from another row has a higher one than the row's own answer, on average."""
    rows = real_rows("llama-factory/v1_sft_demo.jsonl", 8, 300)
    prompts = [r["messages"][0]["content"][0]["value"] for r in rows]
    answers = [r["messages"][1]["content"][0]["value"] for r in rows]

    other = answers[1:] + answers[:1]
    pairs = [*zip(prompts, answers, strict=True)]  # own answers, then copies, then swaps
    pairs += [(p, p) for p in prompts] + [*zip(prompts, other, strict=True)]
    chats = [
        {"messages": [{"role": "user", "content": p}, {"role": "assistant", "content": a}]}
        for p, a in pairs
    ]
    frame = read_conversations(write_jsonl(tmp_path / "d.jsonl", chats))
    ifd = Ifd(max_length=1024).annotate(frame, Context())["ifd"].to_numpy()  # one model load
    own, copy, swap = ifd[:8], ifd[8:16], ifd[16:]
    assert not np.isnan(ifd).any()
    print(f"mean IFD: own {own.mean():.3f}, copy {copy.mean():.3f}, swapped {swap.mean():.3f}")
    assert (copy < swap).all()
    assert own.mean() < swap.mean()
