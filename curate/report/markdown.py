"""summary.md: a markdown digest of a run, short enough for a pull request."""

from __future__ import annotations

from typing import Any


def render_markdown(summary: dict[str, Any]) -> str:
    lines = [
        f"# curate run: {summary.get('name', 'run')}",
        "",
        f"**{summary['input_rows']}** input rows -> **{summary['kept']}** kept, "
        f"**{summary['rejected']}** rejected (config `{summary['config_hash']}`).",
        "",
        "| stage | kind | in | out | rejected | reasons | seconds |",
        "|---|---|---:|---:|---:|---|---:|",
    ]
    for s in summary["stages"]:
        reasons = ", ".join(f"{r}: {n}" for r, n in s["reasons"].items()) or "-"
        lines.append(
            f"| {s['name']} | {s['kind']} | {s['in']} | {s['out']} | {s['rejected']} | {reasons} | {s['seconds']:.2f} |"
        )
    lines += ["", "| source | rows | license |", "|---|---:|---|"]
    for src in summary["sources"]:
        lines.append(f"| {src['source']} | {src['rows']} | {src['license'] or '-'} |")
    if summary["warnings"]:
        lines += ["", "## Warnings", ""] + [f"- {w}" for w in summary["warnings"]]
    return "\n".join(lines) + "\n"
