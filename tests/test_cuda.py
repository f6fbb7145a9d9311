"""The CUDA branches against their CPU twins: the trainer (device "auto", bf16 autocast,
fused AdamW, checkpoints), the embed stage's torch backend and the ifd stage.

Skipped without a GPU (CI has none); on a GPU machine `pytest tests/test_cuda.py`. Tiny random
models built in-process and real rows, with the helpers of test_train_loop, test_embed
and test_ifd.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from tests.conftest import shared
from tests.test_embed import tiny_model  # noqa: F401  (fixture: a tiny sentence-transformers dir)
from tests.test_train_loop import _config as train_config
from tests.train_support import real_rows, tiny_model_dir, tokenizer_dir, write_jsonl

torch = pytest.importorskip("torch")

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")

from curate.io.ingest import read_records  # noqa: E402
from curate.stages import ifd  # noqa: E402
from curate.stages.base import Context  # noqa: E402
from curate.stages.embed import Embed, embedding_matrix, load_encoder  # noqa: E402
from curate.train import TrainConfig, train  # noqa: E402
from curate.train.data import (  # noqa: E402
    Prepared,
    collate,
    pack,
    read_conversations,
    tokenize_conversations,
)
from curate.train.loop import Runtime, evaluate, fit, forward_backward, runtime  # noqa: E402
from curate.train.model import load_model, load_tokenizer  # noqa: E402

CUDA = torch.device("cuda")
CPU = torch.device("cpu")


@pytest.fixture(scope="module")
def lm(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A tiny random Llama (SmolLM2 tokenizer) and 48 real single-turn rows, tokenised."""
    root = tmp_path_factory.mktemp("cuda")
    model = tiny_model_dir(root, tokenizer_dir(root))
    data = write_jsonl(
        root / "rows.jsonl", real_rows("llama-factory/v1_sft_demo.jsonl", 48, start=200)
    )
    tokenizer = load_tokenizer(str(model))
    rows = tokenize_conversations(read_conversations(data), tokenizer, max_length=512)
    assert len(rows) >= 40
    return {
        "root": root,
        "model": str(model),
        "data": data,
        "pad": tokenizer.pad_token_id,
        "rows": rows,
    }


def _split(rows: Prepared, held: int = 8) -> tuple[Prepared, Prepared]:
    n = len(rows)
    return rows.subset(list(range(n - held))), rows.subset(list(range(n - held, n)))


def _log(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text().splitlines() if x.strip()]


def _micro_batches(rows: Prepared, pad: int) -> list[dict]:
    """One padded micro-batch (attention mask) and one packed (restarting position ids)."""
    plain = collate(rows, [[i] for i in range(4)], pad, packed=False)
    subset = list(range(8, 20))
    bins = [[subset[i] for i in b] for b in pack(rows.lengths[subset], 512)]
    assert any(len(b) > 1 for b in bins)
    return [plain, collate(rows, bins, pad, packed=True)]


def _grads(model) -> dict[str, torch.Tensor]:
    return {n: p.grad.detach().float().cpu() for n, p in model.named_parameters()}


def test_auto_runtime_is_cuda_with_bf16_autocast() -> None:
    bf16 = torch.cuda.is_bf16_supported(including_emulation=False)
    rt = runtime(TrainConfig())
    assert rt.device.type == "cuda"
    assert rt.autocast == (torch.bfloat16 if bf16 else None)
    assert runtime(TrainConfig(precision="fp32")).autocast is None
    assert runtime(TrainConfig(device="cpu")).autocast is None


def test_auto_fit_trains_on_cuda_in_bf16_and_the_loss_goes_down(lm: dict, tmp_path: Path) -> None:
    model = load_model(lm["model"])
    train_rows, eval_rows = _split(lm["rows"])
    config = TrainConfig(max_steps=40, batch_size=4, lr=3e-3, warmup=4, max_length=512)
    rt = runtime(config)
    model.to(rt.device)
    before = evaluate(model, eval_rows, config, rt, lm["pad"])
    seen: set[tuple[str, torch.dtype]] = set()
    hook = model.model.layers[0].mlp.down_proj.register_forward_hook(
        lambda module, args, out: seen.add((out.device.type, out.dtype))
    )
    figures = fit(
        model,
        train_rows,
        eval_rows,
        config,
        pad_id=lm["pad"],
        seed=0,
        log_path=tmp_path / "log.jsonl",
        checkpoints=tmp_path / "checkpoints",
    )
    hook.remove()
    bf16 = torch.cuda.is_bf16_supported(including_emulation=False)
    assert figures["precision"] == ("bf16" if bf16 else "fp32")
    assert seen == {("cuda", torch.bfloat16 if bf16 else torch.float32)}  # matmuls in bf16
    assert {p.device.type for p in model.parameters()} == {"cuda"}
    assert {p.dtype for p in model.parameters()} == {torch.float32}  # weights stay fp32
    log = _log(tmp_path / "log.jsonl")
    losses = [r["loss"] for r in log]
    assert len(losses) == 40
    assert all(math.isfinite(x) for x in losses)
    assert all(math.isfinite(r["grad_norm"]) and r["grad_norm"] > 0 for r in log)
    assert np.mean(losses[-5:]) < 0.85 * np.mean(losses[:5]), losses
    assert math.isfinite(figures["eval_loss"]) and figures["eval_loss"] < before


def test_fp32_step_on_cuda_matches_cpu_and_bf16_is_close(lm: dict) -> None:
    """The masked loss and its gradients are the same computation on both devices
    (padded and packed micro-batches); bf16 autocast stays within rounding of them."""
    micro = _micro_batches(lm["rows"], lm["pad"])
    results = {}
    for name, rt in (
        ("cpu", Runtime(CPU, None)),
        ("cuda", Runtime(CUDA, None)),
        ("bf16", Runtime(CUDA, torch.bfloat16)),
    ):
        model = load_model(lm["model"]).to(rt.device)
        loss, n = forward_backward(model, micro, rt)
        results[name] = (loss, n, _grads(model))
    cpu_loss, cpu_n, cpu_grads = results["cpu"]
    loss, n, grads = results["cuda"]
    assert n == cpu_n
    assert loss == pytest.approx(cpu_loss, rel=1e-5)
    for key, ref in cpu_grads.items():
        assert (grads[key] - ref).norm() <= 1e-4 * ref.norm() + 1e-8, key
    loss, _, grads = results["bf16"]
    assert loss == pytest.approx(cpu_loss, rel=2e-2)
    flat = torch.cat([g.flatten() for g in grads.values()])
    ref = torch.cat([g.flatten() for g in cpu_grads.values()])
    assert torch.nn.functional.cosine_similarity(flat, ref, dim=0) > 0.99
    # the comparison can fail: another batch gives another loss
    other, _ = forward_backward(
        load_model(lm["model"]),
        [collate(lm["rows"], [[20], [21]], lm["pad"], packed=False)],
        Runtime(CPU, None),
    )
    assert abs(other - cpu_loss) > 1e-3 * cpu_loss


def test_fp32_fit_on_cuda_follows_the_cpu_run(lm: dict, tmp_path: Path) -> None:
    """Same seed, data order and steps (fused AdamW on both): the same losses."""
    train_rows, eval_rows = _split(lm["rows"])
    logs, evals = {}, {}
    for device in ("cpu", "cuda"):
        config = TrainConfig(
            max_steps=6,
            batch_size=4,
            lr=3e-3,
            warmup=2,
            max_length=512,
            packing=True,
            device=device,
            precision="fp32",
        )
        model = load_model(lm["model"])
        figures = fit(
            model,
            train_rows,
            eval_rows,
            config,
            pad_id=lm["pad"],
            seed=3,
            log_path=tmp_path / device / "log.jsonl",
            checkpoints=tmp_path / device / "checkpoints",
        )
        assert figures["precision"] == "fp32"
        assert next(model.parameters()).device.type == device
        logs[device], evals[device] = _log(tmp_path / device / "log.jsonl"), figures["eval_loss"]
    cpu, cuda = logs["cpu"], logs["cuda"]
    assert [r["trained_tokens"] for r in cuda] == [r["trained_tokens"] for r in cpu]
    assert [r["loss"] for r in cuda] == pytest.approx([r["loss"] for r in cpu], rel=1e-3)
    assert evals["cuda"] == pytest.approx(evals["cpu"], rel=1e-3)
    assert cpu[-1]["loss"] != pytest.approx(cpu[0]["loss"], rel=1e-3)  # the model did move


def test_checkpoint_resume_on_cuda(lm: dict, tmp_path: Path) -> None:
    """train() end to end on CUDA: bf16 checkpoints (CUDA RNG, fused AdamW state) resume."""

    class Stop(Exception):
        pass

    def config(out: Path, **kw) -> TrainConfig:
        return train_config(lm, out, save_every=2, **kw)

    whole = train(config(tmp_path / "whole"), quiet=True)
    native_bf16 = torch.cuda.is_bf16_supported(including_emulation=False)
    assert whole["precision"] == ("bf16" if native_bf16 else "fp32")

    def interrupt(record: dict) -> None:
        if record["step"] == 3:
            raise Stop

    with pytest.raises(Stop):
        train(config(tmp_path / "cut"), quiet=True, on_step=interrupt)
    state = torch.load(
        tmp_path / "cut" / "checkpoints" / "step-000002" / "state.pt",
        map_location="cpu",
        weights_only=False,
    )
    assert state["rng"]["cuda"] is not None
    assert all(v.device.type == "cpu" for v in state["model"].values())  # loaded to CPU here
    resumed = train(config(tmp_path / "cut", resume=True), quiet=True)
    assert resumed["resumed_from"] == 2
    a, b = _log(tmp_path / "whole" / "train_log.jsonl"), _log(tmp_path / "cut" / "train_log.jsonl")
    assert [r["step"] for r in b] == [1, 2, 3, 4]
    assert [r["trained_tokens"] for r in b] == [r["trained_tokens"] for r in a]
    assert [r["loss"] for r in b] == pytest.approx([r["loss"] for r in a], rel=1e-3)
    assert b[-1]["eval_loss"] == pytest.approx(a[-1]["eval_loss"], rel=1e-3)


@pytest.fixture(scope="module")
def prompts() -> pl.DataFrame:
    """Real prompts of several shapes: identity questions, code, LIMA, multi-turn chats."""
    return pl.concat(
        [
            read_records(shared("llama-factory/identity.json")).records.head(40),
            read_records(shared("gpteacher/codegen-instruct.json.gz")).records.head(60),
            read_records(shared("lima/lima.json.gz")).records.head(60),
            read_records(shared("fastchat/dummy_conversation.json")).records.head(40),
        ]
    )


def test_embed_on_cuda_matches_cpu(tiny_model: str, prompts: pl.DataFrame) -> None:  # noqa: F811
    encoder = load_encoder(tiny_model)  # device and backend left to "auto"
    assert encoder.backend == "torch" and encoder.st.device.type == "cuda"
    gpu = embedding_matrix(Embed(model=tiny_model).annotate(prompts, Context()))
    cpu = embedding_matrix(
        Embed(model=tiny_model, backend="torch", device="cpu").annotate(prompts, Context())
    )
    assert gpu.shape == cpu.shape == (prompts.height, 32)
    np.testing.assert_allclose(np.linalg.norm(gpu, axis=1), 1.0, atol=1e-5)
    cosine = (gpu * cpu).sum(axis=1)
    assert cosine.min() > 0.999, float(cosine.min())
    assert np.abs(gpu - cpu).max() < 1e-4
    # the check can fail: each row's vector is not its neighbour's
    assert (gpu * np.roll(cpu, 1, axis=0)).sum(axis=1).min() < 0.999


def test_ifd_on_cuda_matches_cpu(lm: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    frame = read_conversations(lm["data"]).head(16)
    devices: list[tuple[str, str]] = []
    mean_losses = ifd.mean_losses

    def spy(model, prepared, tokenizer, batch_size, device, *args):
        devices.append((device, next(model.parameters()).device.type))
        return mean_losses(model, prepared, tokenizer, batch_size, device, *args)

    monkeypatch.setattr(ifd, "mean_losses", spy)
    gpu = ifd.ifd_scores(frame, lm["model"], 512, 4).to_numpy()  # padded batches of 4
    assert devices == [("cuda", "cuda")] * 2
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    cpu = ifd.ifd_scores(frame, lm["model"], 512, 4).to_numpy()
    assert devices[2:] == [("cpu", "cpu")] * 2
    scored = np.isfinite(cpu)
    assert scored.sum() >= 12
    np.testing.assert_array_equal(np.isfinite(gpu), scored)
    np.testing.assert_allclose(gpu[scored], cpu[scored], rtol=1e-4)
    assert np.ptp(cpu[scored]) > 1e-2  # rows differ: the comparison can fail
