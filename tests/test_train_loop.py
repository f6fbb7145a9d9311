"""The loss and the loop on a tiny random Llama: accumulation, packing, resume, seeds, output."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.train_support import real_rows, tiny_model_dir, tokenizer_dir, write_jsonl

torch = pytest.importorskip("torch")

from curate.train import TrainConfig, train  # noqa: E402
from curate.train.data import (  # noqa: E402
    Prepared,
    collate,
    pack,
    read_conversations,
    tokenize_conversations,
)
from curate.train.loop import Runtime, forward_backward  # noqa: E402
from curate.train.loss import LinearCrossEntropy, loss_sum  # noqa: E402
from curate.train.model import load_model, load_tokenizer  # noqa: E402

FP32 = Runtime(torch.device("cpu"), None)


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A tiny model and real rows: single-turn (v1_sft_demo) and two-turn ShareGPT (FastChat)."""
    root = tmp_path_factory.mktemp("train")
    model_dir = tiny_model_dir(root, tokenizer_dir(root))
    data = write_jsonl(
        root / "rows.jsonl", real_rows("llama-factory/v1_sft_demo.jsonl", 32, start=200)
    )
    sharegpt = root / "sharegpt.json"
    sharegpt.write_text(json.dumps(real_rows("fastchat/dummy_conversation.json", 16, start=100)))
    tokenizer = load_tokenizer(str(model_dir))
    parts = [
        tokenize_conversations(read_conversations(path), tokenizer, max_length=512)
        for path in (data, sharegpt)
    ]
    rows = Prepared(
        *(
            getattr(parts[0], k) + getattr(parts[1], k)
            for k in ("ids", "index", "input_ids", "labels")
        )
    )
    assert len(rows) > 40
    return {"root": root, "model": model_dir, "data": data, "tokenizer": tokenizer, "rows": rows}


def _grads(model) -> list:
    return [p.grad.clone() for p in model.parameters() if p.grad is not None]


def test_accumulation_4x2_equals_batch_of_8(setup: dict) -> None:
    model = load_model(str(setup["model"]))
    rows, pad = setup["rows"], setup["tokenizer"].pad_token_id
    items = [[i] for i in (0, 1, 2, 3, 32, 33, 34, 35)]  # mixed lengths and trained-token counts
    big_loss, n = forward_backward(model, [collate(rows, items, pad, packed=False)], FP32)
    big = _grads(model)
    model.zero_grad()
    micro = [collate(rows, items[k : k + 2], pad, packed=False) for k in range(0, 8, 2)]
    acc_loss, n_acc = forward_backward(model, micro, FP32)
    assert n == n_acc
    assert acc_loss == pytest.approx(big_loss, rel=1e-6)
    for a, b in zip(_grads(model), big, strict=True):
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-7)
    # the test can fail: a mean of per-micro-batch means is a different number here
    with torch.no_grad():
        means = [float(loss_sum(model, mb)) / int((mb["targets"] != -100).sum()) for mb in micro]
    assert abs(np.mean(means) - big_loss) > 1e-3


def test_packed_loss_equals_unpacked(setup: dict) -> None:
    model = load_model(str(setup["model"]))
    rows, pad = setup["rows"], setup["tokenizer"].pad_token_id
    subset = list(range(0, len(rows), 3))
    bins = [[subset[i] for i in b] for b in pack(rows.lengths[subset], 512)]
    assert any(len(b) > 2 for b in bins)  # rows really share sequences
    packed = collate(rows, bins, pad, packed=True)
    plain = collate(rows, [[i] for i in subset], pad, packed=False)
    assert int((packed["targets"] != -100).sum()) == int((plain["targets"] != -100).sum())
    with torch.no_grad():
        a = float(loss_sum(model, packed))
        b = float(loss_sum(model, plain))
    assert a == pytest.approx(b, rel=1e-5)
    # without restarting position ids the rows would see each other: a different loss
    leaky = dict(
        packed,
        position_ids=torch.arange(packed["input_ids"].shape[1]).expand_as(packed["input_ids"]),
    )
    with torch.no_grad():
        assert abs(float(loss_sum(model, leaky)) - b) / b > 1e-4


def test_chunked_head_matches_plain_cross_entropy() -> None:
    torch.manual_seed(0)
    hidden = torch.randn(37, 16, dtype=torch.float64, requires_grad=True)
    weight = torch.randn(101, 16, dtype=torch.float64, requires_grad=True)
    targets = torch.randint(0, 101, (37,))
    ours = LinearCrossEntropy.apply(hidden, weight, targets, 8)
    ours.backward(torch.tensor(0.5, dtype=torch.float64))
    g_h, g_w = hidden.grad.clone(), weight.grad.clone()
    hidden.grad = weight.grad = None
    ref = torch.nn.functional.cross_entropy(hidden @ weight.T, targets, reduction="sum")
    (ref * 0.5).backward()
    torch.testing.assert_close(ours, ref)
    torch.testing.assert_close(g_h, hidden.grad)
    torch.testing.assert_close(g_w, weight.grad)


class Stop(Exception):
    pass


def _config(setup: dict, out: Path, **kw) -> TrainConfig:
    base = dict(
        model=str(setup["model"]),
        data=str(setup["data"]),
        out=str(out),
        max_steps=4,
        batch_size=2,
        grad_accum=2,
        max_length=512,
        lr=3e-3,
        warmup=2,
        eval_split=0.2,
        on_truncate="drop",
    )
    return TrainConfig(**{**base, **kw})


def _losses(out: Path) -> list[tuple]:
    lines = [json.loads(x) for x in (out / "train_log.jsonl").read_text().splitlines()]
    return [(r["step"], r["loss"], r["lr"], r["grad_norm"], r.get("eval_loss")) for r in lines]


def test_resume_follows_the_uninterrupted_run(setup: dict, tmp_path: Path) -> None:
    whole = tmp_path / "whole"
    summary = train(_config(setup, whole, save_every=2), quiet=True)
    assert summary["steps"] == 4 and summary["eval_rows"] == 7

    cut = tmp_path / "cut"

    def interrupt(record: dict) -> None:
        if record["step"] == 3:
            raise Stop

    with pytest.raises(Stop):
        train(_config(setup, cut, save_every=2), quiet=True, on_step=interrupt)
    assert sorted(p.name for p in (cut / "checkpoints").iterdir()) == ["step-000002"]
    resumed = train(_config(setup, cut, save_every=2, resume=True), quiet=True)
    assert resumed["resumed_from"] == 2
    assert _losses(cut) == _losses(whole)
    from safetensors.torch import load_file

    a, b = load_file(whole / "model.safetensors"), load_file(cut / "model.safetensors")
    assert all(torch.equal(a[k], b[k]) for k in a)


def test_seed_determinism_and_loadable_output(setup: dict, tmp_path: Path) -> None:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    runs = {
        name: _config(setup, tmp_path / name, max_steps=2, grad_accum=1, packing=True, seed=seed)
        for name, seed in (("a", 0), ("b", 0), ("c", 7))
    }
    for config in runs.values():
        train(config, quiet=True)
    assert _losses(tmp_path / "a") == _losses(tmp_path / "b")
    assert _losses(tmp_path / "a") != _losses(tmp_path / "c")
    log = [json.loads(x) for x in (tmp_path / "a" / "train_log.jsonl").read_text().splitlines()]
    assert set(log[0]) >= {"step", "loss", "lr", "tokens_per_s", "trained_tokens"}
    assert "eval_loss" in log[-1]

    tuned = AutoModelForCausalLM.from_pretrained(tmp_path / "a")
    tokenizer = AutoTokenizer.from_pretrained(tmp_path / "a")
    base = AutoModelForCausalLM.from_pretrained(setup["model"])
    assert tokenizer.chat_template == setup["tokenizer"].chat_template
    changed = [
        not torch.equal(p, q) for p, q in zip(tuned.parameters(), base.parameters(), strict=True)
    ]
    assert all(changed)
    text = tokenizer.apply_chat_template([{"role": "user", "content": "hi"}], tokenize=False)
    ids = tokenizer(text, return_tensors="pt", add_special_tokens=False)
    assert (
        tuned.generate(**ids, max_new_tokens=3, do_sample=False).shape[1]
        > ids["input_ids"].shape[1]
    )


def test_compare_writes_both_answers(setup: dict, tmp_path: Path) -> None:
    from curate.train import compare

    prompts = write_jsonl(
        tmp_path / "prompts.jsonl", [{"prompt": "Name a colour."}, {"prompt": "Say hi."}]
    )
    tuned = tmp_path / "tuned"
    train(_config(setup, tuned, max_steps=2, lr=5e-2), quiet=True)
    out = compare(
        str(setup["model"]), str(tuned), prompts, tmp_path / "compare.jsonl", max_new_tokens=6
    )
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert [x["prompt"] for x in lines] == ["Name a colour.", "Say hi."]
    assert all(set(x) == {"prompt", "base", "tuned"} for x in lines)
    # the same file through ingest: any input format's first user turn
    conv = compare(
        str(setup["model"]), str(tuned), setup["data"], tmp_path / "c2.jsonl", max_new_tokens=2
    )
    first = json.loads(conv.read_text().splitlines()[0])
    assert (
        first["prompt"]
        == real_rows("llama-factory/v1_sft_demo.jsonl", 1, start=200)[0]["messages"][0]["content"][
            0
        ]["value"]
    )
