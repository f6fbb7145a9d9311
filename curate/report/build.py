"""Write a run's human-readable outputs, report.html and summary.md, from its files.

`write_report` is what the runner calls at the end of a run (and again after training);
`rebuild` is `curate report RUN_DIR`. Both read only the run folder, so a report can be
rebuilt at any time, e.g. after an upgrade of curate.
"""

from __future__ import annotations

from pathlib import Path

from curate.io.writers import write_text
from curate.report.html import render_html
from curate.report.markdown import render_markdown
from curate.report.run import load_run

REPORT = "report.html"
SUMMARY_MD = "summary.md"


def write_report(run_dir: Path) -> list[Path]:
    """Write report.html and summary.md into `run_dir` (atomically); return their paths."""
    run_dir = Path(run_dir)
    run = load_run(run_dir)
    write_text(run_dir / SUMMARY_MD, render_markdown(run.summary, run))
    write_text(run_dir / REPORT, render_html(run))
    return [run_dir / REPORT, run_dir / SUMMARY_MD]


def rebuild(run_dir: Path) -> list[Path]:
    """`curate report RUN_DIR`: raises InputError when the folder holds no run."""
    return write_report(run_dir)
