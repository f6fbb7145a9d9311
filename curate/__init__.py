"""curate: build small, diverse, honest SFT sets and train on them with a response-only loss."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"


def run(pipeline: str, **options: Any) -> dict[str, Any]:
    """Run a pipeline.toml and return its summary (what `curate run` writes to summary.json)."""
    from curate.runner import run_pipeline

    return run_pipeline(pipeline, **options)
