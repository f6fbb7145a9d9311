"""`train(config)`: curated conversations in, an HF-format model, its log and a comparison out.

Steps: read the data, tokenise and label it, preflight (fail or drop, and say how many
tokens are trained), hold out eval / compare rows, answer the compare prompts with the
base model, train, save, answer them again with the tuned model.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from curate.errors import ConfigError
from curate.train.config import TrainConfig


@dataclass(frozen=True)
class TrainPaths:
    """Where a run writes. In a pipeline run: RUN_DIR/{model/, train_log.jsonl, ...}."""

    model: Path
    log: Path
    dropped: Path
    compare: Path
    checkpoints: Path

    @classmethod
    def of(cls, config: TrainConfig, run_dir: Path | None) -> TrainPaths:
        if run_dir is None and config.out is None:
            raise ConfigError("train: `out` (the model's output dir) is required")
        model = Path(config.out) if config.out else Path(run_dir) / "model"  # type: ignore[arg-type]
        home = Path(run_dir) if run_dir is not None else model
        return cls(
            model=model,
            log=home / "train_log.jsonl",
            dropped=home / "train_dropped.jsonl",
            compare=home / "compare.jsonl",
            checkpoints=home / "checkpoints",
        )


def train(
    config: TrainConfig,
    *,
    run_dir: str | Path | None = None,
    seed: int = 0,
    quiet: bool = False,
    on_step: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Masked-loss SFT as `config` says; returns the summary (also in the log's folder).

    `run_dir`: a pipeline run's folder; `data` then defaults to its curated.jsonl and the
    outputs go next to it. `seed` is used when `config.seed` is unset (the run's seed).
    """
    from rich.console import Console

    from curate.train import comparison as cmp
    from curate.train.data import (
        preflight,
        read_conversations,
        tokenize_conversations,
    )
    from curate.train.loop import StepProgress, fit, runtime
    from curate.train.model import load_model, load_tokenizer

    started = time.perf_counter()
    console = Console(stderr=True, quiet=quiet)
    run_dir = Path(run_dir) if run_dir is not None else None
    paths = TrainPaths.of(config, run_dir)
    seed = config.seed if config.seed is not None else seed
    data = Path(config.data) if config.data else (run_dir / "curated.jsonl" if run_dir else None)
    if data is None:
        raise ConfigError("train: `data` (a training JSONL) is required")

    frame = read_conversations(data, warn=lambda m: console.print(f"[yellow]warning:[/] {m}"))
    tokenizer = load_tokenizer(config.model, config.chat_template)
    prepared = tokenize_conversations(
        frame, tokenizer, max_length=config.max_length, train_on=config.train_on
    )
    for warning in prepared.warnings:
        console.print(f"[yellow]warning:[/] {warning}")
    preflight(prepared, config.on_truncate)
    _write_dropped(paths.dropped, prepared.dropped)
    _write_mask_preview(paths.log.parent / "mask_preview.jsonl", prepared, tokenizer)
    trained, masked = prepared.token_counts()
    console.print(
        f"train: {_rows(len(prepared))}, {trained + masked:,} tokens: {trained:,} trained "
        f"({trained / max(trained + masked, 1):.1%}), {masked:,} masked"
        + (
            f"; {_rows(len(prepared.dropped))} dropped ({_reasons(prepared.dropped)})"
            if prepared.dropped
            else ""
        )
    )

    held = _held_out(len(prepared), config, seed)
    held_set = set(held)
    train_rows = prepared.subset([i for i in range(len(prepared)) if i not in held_set])
    eval_rows = prepared.subset(held)
    if not len(train_rows):
        raise ConfigError("train: every row is held out; lower eval_split or compare_prompts")
    prompts = _compare_prompts(config, frame, eval_rows)

    model = load_model(config.model).to(runtime(config).device)  # base answers there too
    base_answers = None
    if prompts:
        console.print(f"compare: {len(prompts)} prompts through the base model")
        base_answers = cmp.generate(model, tokenizer, prompts, max_new_tokens=config.max_new_tokens)

    figures = fit(
        model,
        train_rows,
        eval_rows,
        config,
        pad_id=tokenizer.pad_token_id,
        seed=seed,
        log_path=paths.log,
        checkpoints=paths.checkpoints,
        progress=StepProgress(not quiet),
        on_step=on_step,
    )
    _save(model, tokenizer, paths.model)
    compare_path = None
    if prompts and base_answers is not None:
        console.print(f"compare: {len(prompts)} prompts through the tuned model")
        tuned = cmp.generate(model, tokenizer, prompts, max_new_tokens=config.max_new_tokens)
        compare_path = str(cmp.write_compare(paths.compare, prompts, base_answers, tuned))

    summary = {
        "model": str(paths.model),
        "base_model": config.model,
        "train_log": str(paths.log),
        "compare": compare_path,
        "rows": len(train_rows),
        "eval_rows": len(eval_rows),
        "dropped": len(prepared.dropped),
        "dropped_reasons": dict(Counter(d["reason"] for d in prepared.dropped)),
        "trained_tokens": trained,
        "masked_tokens": masked,
        "seed": seed,
        **figures,
        "seconds": round(time.perf_counter() - started, 2),
    }
    console.print(
        f"train: {figures['steps']} steps, loss {figures['initial_loss']:.4f} -> "
        f"{figures['final_loss']:.4f}"
        + (f", eval loss {figures['eval_loss']:.4f}" if figures["eval_loss"] is not None else "")
        + f"; model in {paths.model}"
    )
    return summary


def _held_out(n: int, config: TrainConfig, seed: int) -> list[int]:
    """Rows kept out of training: the eval split, at least the compare prompts' count."""
    n_eval = int(np.ceil(config.eval_split * n)) if config.eval_split else 0
    n_compare = config.compare_prompts if isinstance(config.compare_prompts, int) else 0
    count = min(max(n_eval, n_compare), n)
    if not count:
        return []
    order = np.random.default_rng([seed, 1]).permutation(n)
    return sorted(int(i) for i in order[:count])


def _compare_prompts(config: TrainConfig, frame: Any, eval_rows: Any) -> list[Any]:
    from curate.train.comparison import load_prompts, prompts_from_messages

    if isinstance(config.compare_prompts, str):
        return load_prompts(config.compare_prompts)
    if not config.compare_prompts:
        return []
    messages = frame["messages"].to_list()
    return [prompts_from_messages(messages[i]) for i in eval_rows.index[: config.compare_prompts]]


def _save(model: Any, tokenizer: Any, out: Path) -> None:
    """HF format (safetensors + config + tokenizer), written aside, then moved in file by file
    (the folder may also hold the log and checkpoints of a `curate train --out DIR` run)."""
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    model.config.use_cache = True
    model.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    out.mkdir(parents=True, exist_ok=True)
    for file in tmp.iterdir():
        os.replace(file, out / file.name)
    tmp.rmdir()


def _write_mask_preview(
    path: Path, prepared: Any, tokenizer: Any, rows: int = 4, tokens: int = 400
) -> None:
    """A few rows as (token text, trained?) pairs: the report colours what the loss sees."""
    from curate.io.writers import write_jsonl
    from curate.train.data import IGNORE

    preview = []
    for i in range(min(rows, len(prepared))):
        ids = prepared.input_ids[i][:tokens].tolist()
        labels = prepared.labels[i][:tokens]
        pieces = [tokenizer.decode([token]) for token in ids]
        preview.append(
            {
                "id": prepared.ids[i],
                "tokens": [[p, bool(lab != IGNORE)] for p, lab in zip(pieces, labels, strict=True)],
            }
        )
    write_jsonl(path, preview)


def _write_dropped(path: Path, dropped: list[dict[str, str]]) -> None:
    if not dropped:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in dropped), encoding="utf-8"
    )


def _reasons(dropped: list[dict[str, str]]) -> str:
    return ", ".join(f"{r}: {n}" for r, n in Counter(d["reason"] for d in dropped).items())


def _rows(n: int) -> str:
    return f"{n} row" if n == 1 else f"{n} rows"
