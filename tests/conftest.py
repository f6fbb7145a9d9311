"""Shared test helpers: where the real data lives, and tiny pipeline files."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

REPO = Path(__file__).resolve().parent.parent
# CURATE_SHARED_DATA: a copy of the few files a machine without ../shared needs (a borrowed GPU box)
SHARED_DATA = Path(os.environ.get("CURATE_SHARED_DATA") or REPO.parent / "shared" / "data")


def shared(path: str) -> Path:
    """A file from ../shared/data; skip the test when that folder is not there."""
    full = SHARED_DATA / path
    if not full.exists():
        pytest.skip(f"shared data not found: {full}")
    return full


def toml_value(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + "}"
    return json.dumps(value)


def write_pipeline(
    folder: Path,
    inputs: list[dict[str, Any]],
    stages: list[dict[str, Any]] = (),
    run: dict[str, Any] | None = None,
    extra: str = "",
) -> Path:
    """Write a pipeline.toml into `folder` and return its path."""
    lines = ["[run]"]
    for key, value in {"name": "test", "output": "out", **(run or {})}.items():
        lines.append(f"{key} = {toml_value(value)}")
    for spec in inputs:
        lines += ["", "[[inputs]]"] + [f"{k} = {toml_value(v)}" for k, v in spec.items()]
    for stage in stages:
        lines += ["", "[[stages]]"] + [f"{k} = {toml_value(v)}" for k, v in stage.items()]
    path = folder / "pipeline.toml"
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


def write_jsonl(path: Path, rows: list[Any]) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    return path


def chat(user: str, assistant: str) -> dict[str, Any]:
    return {
        "messages": [{"role": "user", "content": user}, {"role": "assistant", "content": assistant}]
    }
