"""`curate train` and `curate compare` (DESIGN section 5), registered by curate/cli.py.

`curate train TRAIN.toml` reads a `[train]` table (or top-level keys); a pipeline.toml
works too and trains on that run's curated.jsonl. Flags override the file.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError

from curate.errors import ConfigError
from curate.train.config import DEFAULT_MODEL, TrainConfig


def train_command(
    config: Annotated[
        Path | None,
        typer.Argument(
            help="TRAIN.toml: a [train] table (a pipeline.toml works) or top-level keys."
        ),
    ] = None,
    data: Annotated[
        Path | None, typer.Option("--data", help="Training JSONL (any input format).")
    ] = None,
    model: Annotated[
        str | None, typer.Option("--model", help=f"Local HF dir, .gguf, or {DEFAULT_MODEL}.")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Output dir: HF model and train_log.jsonl.")
    ] = None,
    max_steps: Annotated[int | None, typer.Option("--max-steps", help="Optimizer steps.")] = None,
    lr: Annotated[float | None, typer.Option("--lr", help="Peak learning rate.")] = None,
    batch_size: Annotated[
        int | None, typer.Option("--batch-size", help="Rows per micro-batch.")
    ] = None,
    max_length: Annotated[int | None, typer.Option("--max-length", help="Tokens per row.")] = None,
    packing: Annotated[
        bool | None, typer.Option("--packing/--no-packing", help="Pack rows up to max_length.")
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Continue from the latest checkpoint.")
    ] = False,
    seed: Annotated[int | None, typer.Option("--seed")] = None,
) -> None:
    """Masked-loss SFT: loss on assistant output only; writes an HF model and train_log.jsonl."""
    from curate.train import train

    flags = {
        "data": _abs(data),
        "model": model,
        "out": _abs(out),
        "max_steps": max_steps,
        "lr": lr,
        "batch_size": batch_size,
        "max_length": max_length,
        "packing": packing,
        "resume": resume or None,
        "seed": seed,
    }
    settings, run_dir = _read_toml(config) if config else (TrainConfig(), None)
    try:
        merged = TrainConfig.model_validate(
            {
                **settings.model_dump(exclude_unset=True),
                **{k: v for k, v in flags.items() if v is not None},
            }
        )
    except ValidationError as exc:
        raise ConfigError(_describe(exc, "curate train")) from None
    if merged.out is None and run_dir is None:
        raise ConfigError(
            "curate train: --out DIR is required (or a pipeline.toml with [run].output)"
        )
    if merged.data is None and run_dir is None:
        raise ConfigError("curate train: --data FILE is required")
    train(merged, run_dir=run_dir, quiet=_quiet())


def compare_command(
    tuned: Annotated[Path, typer.Option("--tuned", help="The tuned model dir.")],
    prompts: Annotated[
        Path, typer.Option("--prompts", help="JSONL with `prompt`, or any input format.")
    ],
    base: Annotated[
        str, typer.Option("--base", help=f"Base model: local dir, .gguf, or {DEFAULT_MODEL}.")
    ] = DEFAULT_MODEL,
    out: Annotated[Path, typer.Option("--out", help="Where compare.jsonl goes.")] = Path(
        "compare.jsonl"
    ),
    max_new_tokens: Annotated[
        int, typer.Option("--max-new-tokens", help="Generation bound (greedy).")
    ] = 128,
    chat_template: Annotated[
        str | None, typer.Option("--chat-template", help="Template for a base model without one.")
    ] = None,
    device: Annotated[
        str, typer.Option("--device", help='"auto" (CUDA when present), "cpu", "cuda", ...')
    ] = "auto",
) -> None:
    """The same prompts through the base and the tuned model; one JSON line per prompt."""
    from curate.train import compare

    path = compare(
        base, str(tuned), prompts, out, max_new_tokens, chat_template=chat_template, device=device
    )
    if not _quiet():
        typer.echo(f"compare: {path}")


def load_train_toml(path: Path) -> tuple[TrainConfig, Path | None]:
    """A TRAIN.toml (or pipeline.toml) -> its validated, path-resolved [train] settings and,
    for a pipeline file, the run dir whose curated.jsonl it trains on."""
    return _read_toml(path)


def _read_toml(path: Path) -> tuple[TrainConfig, Path | None]:
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from None
    table = doc.get("train", {} if "run" in doc or "inputs" in doc else doc)
    run_dir = None
    if "run" in doc or "inputs" in doc:  # a pipeline.toml: train on its run's output
        output = doc.get("run", {}).get("output", "runs/run")
        run_dir = (path.parent / output).resolve()
    try:
        config = TrainConfig.model_validate(table)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, str(path))) from None
    return config.resolved(path.parent), run_dir


def _describe(exc: ValidationError, where: str) -> str:
    first = exc.errors()[0]
    key = ".".join(str(p) for p in first["loc"]) or "(top level)"
    message = "unknown key" if first["type"] == "extra_forbidden" else first["msg"]
    more = f" (+{exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{where}: train.{key}: {message.removeprefix('Value error, ')}{more}"


def _abs(path: Path | None) -> str | None:
    return str(path.expanduser().resolve()) if path is not None else None


def _quiet() -> bool:
    try:
        from curate.cli import Options
    except ImportError:
        return False
    return bool(Options.quiet)


__all__: list[Any] = ["compare_command", "load_train_toml", "train_command"]
