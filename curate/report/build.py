"""Rebuild a run's human-readable outputs from its files (`curate report RUN_DIR`)."""

from __future__ import annotations

import json
from pathlib import Path

from curate.errors import InputError
from curate.io.writers import write_text
from curate.report.markdown import render_markdown


def rebuild(run_dir: Path) -> list[Path]:
    summary_path = run_dir / "summary.json"
    if not summary_path.is_file():
        raise InputError(f"{run_dir}: not a run folder (no summary.json)")
    summary = json.loads(summary_path.read_text(encoding="utf-8"))
    write_text(run_dir / "summary.md", render_markdown(summary))
    return [run_dir / "summary.md"]
