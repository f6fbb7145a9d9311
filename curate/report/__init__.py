"""Human-readable digests of a run: report.html and summary.md.

`curate.report.build.write_report(run_dir)` writes both from a run folder's files; the
runner calls it at the end of a run and `curate report RUN_DIR` rebuilds them.
"""

from curate.report.markdown import render_markdown

__all__ = ["render_markdown"]
