"""The training loop, nanoGPT-style: one readable function, no callbacks framework.

Per optimizer step: count the trained tokens of all its micro-batches, backpropagate each
micro-batch's summed loss divided by that count (so the step's loss is the mean over every
trained token of the accumulated batch, whatever the split), clip, step, schedule, log,
and now and then evaluate and checkpoint. Data order is a pure function of (seed, step),
and a checkpoint holds model, optimizer, scheduler and RNG state, so a resumed run follows
the uninterrupted one exactly.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import torch

from curate.errors import CurateError
from curate.train.config import TrainConfig
from curate.train.data import BatchPlan, Prepared, collate, pack
from curate.train.loss import loss_sum

if TYPE_CHECKING:
    from transformers import PreTrainedModel

CHECKPOINT = "state.pt"


@dataclass
class Runtime:
    device: torch.device
    autocast: torch.dtype | None  # bf16 autocast, or None for plain fp32

    def amp(self) -> AbstractContextManager[Any]:
        if self.autocast is None:
            return nullcontext()
        return torch.autocast(self.device.type, dtype=self.autocast)

    @property
    def precision(self) -> str:
        return "bf16" if self.autocast is not None else "fp32"


def resolve_device(name: str) -> torch.device:
    """A torch device; "auto" is CUDA when present, else the CPU."""
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    return torch.device(name)


def runtime(config: TrainConfig) -> Runtime:
    """bf16 autocast on CUDA (weights and optimizer stay fp32), fp32 on CPU, unless told.
    Auto takes bf16 only where the GPU runs it natively (Ampere and later), not emulated."""
    device = resolve_device(config.device)
    bf16 = config.precision == "bf16" or (
        config.precision == "auto"
        and device.type == "cuda"
        and torch.cuda.is_bf16_supported(including_emulation=False)
    )
    return Runtime(device, torch.bfloat16 if bf16 else None)


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # CUDA too


def batch_plan(prepared: Prepared, config: TrainConfig, seed: int) -> BatchPlan:
    if config.packing:
        items = pack(prepared.lengths, config.max_length)
    else:
        items = [[i] for i in range(len(prepared))]
    return BatchPlan(items, config.batch_size, seed)


def total_steps(plan: BatchPlan, config: TrainConfig) -> int:
    if config.max_steps:
        return config.max_steps
    return config.epochs * math.ceil(plan.per_epoch / config.grad_accum)


def forward_backward(
    model: PreTrainedModel, micro_batches: list[dict[str, torch.Tensor]], rt: Runtime
) -> tuple[float, int]:
    """Accumulate gradients of one optimizer step; returns (mean loss, trained tokens).

    Each micro-batch contributes sum(loss) / N, N = trained tokens of the whole step: the
    same loss and gradients as one big batch, not a mean of per-micro-batch means.
    """
    n = sum(int((mb["targets"] != -100).sum()) for mb in micro_batches)
    total = 0.0
    for mb in micro_batches:
        mb = {k: v.to(rt.device, non_blocking=True) for k, v in mb.items()}
        with rt.amp():
            loss = loss_sum(model, mb) / max(n, 1)
        loss.backward()
        total += loss.item()
    return total, n


@torch.no_grad()
def evaluate(
    model: PreTrainedModel, prepared: Prepared, config: TrainConfig, rt: Runtime, pad_id: int
) -> float | None:
    """Mean loss over every trained token of the held-out rows."""
    if not len(prepared):
        return None
    was_training = model.training
    model.eval()
    total, n = 0.0, 0
    for s in range(0, len(prepared), config.batch_size):
        items = [[i] for i in range(s, min(s + config.batch_size, len(prepared)))]
        mb = collate(prepared, items, pad_id, packed=False)
        n += int((mb["targets"] != -100).sum())
        mb = {k: v.to(rt.device) for k, v in mb.items()}
        with rt.amp():
            total += loss_sum(model, mb).item()
    model.train(was_training)
    return total / max(n, 1)


def fit(
    model: PreTrainedModel,
    train_rows: Prepared,
    eval_rows: Prepared,
    config: TrainConfig,
    *,
    pad_id: int,
    seed: int,
    log_path: Path,
    checkpoints: Path,
    progress: StepProgress | None = None,
    on_step: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Train `model` in place; returns the run's figures."""
    from transformers import get_scheduler

    rt = runtime(config)
    seed_everything(seed)
    model.to(rt.device)
    model.train()
    model.config.use_cache = False
    if config.gradient_checkpointing:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    plan = batch_plan(train_rows, config, seed)
    steps = total_steps(plan, config)
    warmup = int(config.warmup * steps) if config.warmup < 1 else int(config.warmup)
    decay, no_decay = [], []
    for p in model.parameters():
        if p.requires_grad:
            (decay if p.dim() >= 2 else no_decay).append(p)
    optimizer = torch.optim.AdamW(
        [
            {"params": decay, "weight_decay": config.weight_decay},
            {"params": no_decay, "weight_decay": 0.0},
        ],
        lr=config.lr,
        fused=rt.device.type in ("cuda", "cpu"),  # one kernel, no per-tensor temporaries
    )
    schedule = "constant_with_warmup" if config.schedule == "constant" else config.schedule
    scheduler = get_scheduler(
        schedule, optimizer, num_warmup_steps=warmup, num_training_steps=steps
    )
    fingerprint = _fingerprint(train_rows, config, seed)

    start = 0
    checkpoint = _find_checkpoint(config.resume, checkpoints)
    if checkpoint is not None:
        start = _load_checkpoint(checkpoint, model, optimizer, scheduler, fingerprint, rt)
        _truncate_log(log_path, start)
    elif log_path.exists():
        log_path.unlink()
    log_path.parent.mkdir(parents=True, exist_ok=True)

    figures: dict[str, Any] = {
        "steps": steps,
        "resumed_from": start or None,
        "precision": rt.precision,
    }
    losses: list[float] = []
    speeds: list[float] = []
    eval_loss = None
    with log_path.open("a", encoding="utf-8") as log, progress or StepProgress(False) as bar:
        bar.start(steps, start)
        for step in range(start, steps):
            t0 = time.perf_counter()
            first = step * config.grad_accum
            batches = [
                collate(train_rows, plan.micro_batch(k), pad_id, packed=config.packing)
                for k in range(first, first + config.grad_accum)
            ]
            loss, trained = forward_backward(model, batches, rt)
            grad_norm = None
            if config.max_grad_norm:
                grad_norm = float(
                    torch.nn.utils.clip_grad_norm_(model.parameters(), config.max_grad_norm)
                )
            lr = scheduler.get_last_lr()[0]
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            if rt.device.type == "cuda":
                torch.cuda.synchronize()
            seconds = time.perf_counter() - t0
            tokens = sum(int(b["tokens"]) for b in batches)
            record: dict[str, Any] = {
                "step": step + 1,
                "loss": round(loss, 6),
                "lr": lr,
                "grad_norm": None if grad_norm is None else round(grad_norm, 6),
                "tokens": tokens,
                "trained_tokens": trained,
                "tokens_per_s": round(tokens / seconds, 1),
                "seconds": round(seconds, 4),
            }
            losses.append(loss)
            speeds.append(tokens / seconds)
            done = step + 1
            if len(eval_rows) and (
                done == steps or (config.eval_every and done % config.eval_every == 0)
            ):
                eval_loss = evaluate(model, eval_rows, config, rt, pad_id)
                record["eval_loss"] = round(eval_loss, 6)
            log.write(json.dumps(record) + "\n")
            log.flush()
            if config.save_every and done % config.save_every == 0 and done < steps:
                _save_checkpoint(
                    checkpoints, done, model, optimizer, scheduler, fingerprint, config
                )
            bar.advance(loss)
            if on_step is not None:
                on_step(record)
    figures.update(
        initial_loss=losses[0] if losses else None,
        final_loss=losses[-1] if losses else None,
        eval_loss=eval_loss,
        tokens_per_s=round(float(np.mean(speeds)), 1) if speeds else None,
    )
    return figures


# --- checkpoints -----------------------------------------------------------------------


def _fingerprint(rows: Prepared, config: TrainConfig, seed: int) -> str:
    """What must not change between a run and its resumption: data, batching, seed, steps."""
    keys = [
        config.max_length,
        config.packing,
        config.batch_size,
        config.grad_accum,
        seed,
        config.train_on,
    ]
    keys += [config.max_steps, config.epochs]
    digest = hashlib.blake2b(digest_size=8)
    digest.update(json.dumps(keys).encode())
    digest.update("\n".join(rows.ids).encode())
    return digest.hexdigest()


def _save_checkpoint(
    root: Path,
    step: int,
    model: PreTrainedModel,
    optimizer: torch.optim.Optimizer,
    scheduler: Any,
    fingerprint: str,
    config: TrainConfig,
) -> None:
    """checkpoints/step-000100/state.pt, written under a temporary name and renamed."""
    root.mkdir(parents=True, exist_ok=True)
    final = root / f"step-{step:06d}"
    tmp = root / f".step-{step:06d}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    state = {
        "step": step,
        "fingerprint": fingerprint,
        "model": model.state_dict(),
        "optimizer": optimizer.state_dict(),
        "scheduler": scheduler.state_dict(),
        "rng": {
            "python": random.getstate(),
            "numpy": np.random.get_state(),
            "torch": torch.get_rng_state(),
            "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None,
        },
        "config": config.model_dump(),
    }
    torch.save(state, tmp / CHECKPOINT)
    shutil.rmtree(final, ignore_errors=True)
    tmp.rename(final)
    for old in sorted(root.glob("step-*"))[: -config.keep_checkpoints]:
        shutil.rmtree(old, ignore_errors=True)


def _find_checkpoint(resume: bool | str, root: Path) -> Path | None:
    if resume is False:
        return None
    if resume is True:
        found = sorted(root.glob(f"step-*/{CHECKPOINT}"))
        return found[-1].parent if found else None
    path = Path(resume)
    if not (path / CHECKPOINT).is_file():
        raise CurateError(f"resume: {path} is not a checkpoint (no {CHECKPOINT})")
    return path


def _load_checkpoint(
    path: Path,
    model: PreTrainedModel,
    optimizer: torch.optim.Optimizer,
    scheduler: Any,
    fingerprint: str,
    rt: Runtime,
) -> int:
    state = torch.load(path / CHECKPOINT, map_location=rt.device, weights_only=False)
    if state["fingerprint"] != fingerprint:
        raise CurateError(
            f"resume: {path} was made with other data or batch settings "
            "(rows, max_length, packing, batch_size, grad_accum, seed, max_steps must match)"
        )
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    scheduler.load_state_dict(state["scheduler"])
    rng = state["rng"]
    random.setstate(rng["python"])
    np.random.set_state(rng["numpy"])
    torch.set_rng_state(rng["torch"].cpu())
    if rng["cuda"] is not None and torch.cuda.is_available():
        torch.cuda.set_rng_state_all([s.cpu() for s in rng["cuda"]])
    return int(state["step"])


def _truncate_log(path: Path, step: int) -> None:
    """Keep the log lines up to the checkpoint's step, so the resumed log reads as one run."""
    if not path.exists():
        return
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    kept = [ln for ln in lines if json.loads(ln).get("step", 0) <= step]
    path.write_text("".join(ln + "\n" for ln in kept), encoding="utf-8")


# --- progress --------------------------------------------------------------------------


class StepProgress:
    """A rich bar with the last loss and an ETA; silent when disabled or not a terminal."""

    def __init__(self, enabled: bool = True, description: str = "train") -> None:
        self.enabled = enabled
        self.description = description
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> StepProgress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            console = Console(stderr=True)
            if console.is_terminal:
                self._progress = Progress(
                    TextColumn("{task.description}"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TextColumn("loss {task.fields[loss]}"),
                    TimeElapsedColumn(),
                    TextColumn("eta"),
                    TimeRemainingColumn(),
                    console=console,
                )
                self._progress.start()
        return self

    def start(self, total: int, completed: int) -> None:
        if self._progress is not None:
            self._task = self._progress.add_task(
                self.description, total=total, completed=completed, loss="-"
            )

    def advance(self, loss: float) -> None:
        if self._progress is not None:
            self._progress.update(self._task, advance=1, loss=f"{loss:.4f}")

    def __exit__(self, *exc: Any) -> None:
        if self._progress is not None:
            self._progress.stop()


def iter_steps(log_path: Path) -> Iterator[dict[str, Any]]:
    """The records of a train_log.jsonl."""
    with log_path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)
