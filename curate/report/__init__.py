"""Human-readable digests of a run: summary.md (and report.html, see issue 8)."""

from curate.report.markdown import render_markdown

__all__ = ["render_markdown"]
