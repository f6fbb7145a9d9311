"""The built-in masked-loss trainer (DESIGN section 8) and base-vs-tuned comparison.

Importing this package is cheap: torch and transformers load inside `train` and `compare`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from curate.train.config import DEFAULT_MODEL, TrainConfig


def train(config: TrainConfig, **options: Any) -> dict[str, Any]:
    """Train as `config` says; see `curate.train.trainer.train` for the options."""
    from curate.train.trainer import train as _train

    return _train(config, **options)


def compare(
    base: str,
    tuned: str,
    prompts: str | Path,
    out: str | Path,
    max_new_tokens: int = 128,
    **options: Any,
) -> Path:
    """The same prompts through `base` and `tuned`; writes compare.jsonl lines {prompt, base, tuned}."""
    from curate.train.comparison import compare as _compare

    return _compare(base, tuned, prompts, out, max_new_tokens, **options)


__all__ = ["DEFAULT_MODEL", "TrainConfig", "compare", "train"]
