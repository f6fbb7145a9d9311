"""summary.md: a markdown digest of a run, short enough for a pull request description.

It answers the review questions in a few tables: how many rows came in and survived each
stage, why rows were removed, what warnings came up, how diverse the selection is and what
training did. Examples live in report.html; this file only points there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from curate.report.charts import format_number as num

if TYPE_CHECKING:
    from curate.report.run import RunFiles


def _cell(value: Any) -> str:
    """Text safe inside a markdown table cell."""
    text = "-" if value is None or value == "" else str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("\n", " ")


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def render_markdown(summary: dict[str, Any], run: RunFiles | None = None) -> str:
    """The digest of `summary` (summary.json); `run` adds training results when given."""
    total, kept = summary.get("input_rows", 0), summary.get("kept", 0)
    stages = summary.get("stages", [])
    selected = any(s.get("kind") == "select" for s in stages)
    lines = [
        f"# curate run: {_cell(summary.get('name', 'run'))}",
        "",
        f"**{num(total)}** input rows → **{num(kept)}** {'selected' if selected else 'kept'} "
        f"({_pct(kept, total)}), **{num(summary.get('rejected', 0))}** rejected · "
        f"config `{summary.get('config_hash', '-')}` · {num(summary.get('seconds'))} s · "
        f"peak RSS {num(summary.get('peak_rss_mb'))} MB",
    ]
    if summary.get("warnings"):
        lines += ["", "## Warnings", ""] + [f"- ⚠️ {_cell(w)}" for w in summary["warnings"]]
    lines += [
        "",
        "## Funnel",
        "",
        "| stage | kind | in | out | removed | seconds |",
        "|---|---|---:|---:|---:|---:|",
        f"| input | | | {num(total)} | | |",
    ]
    for s in stages:
        lines.append(
            f"| {_cell(s['name'])} | {_cell(s.get('kind'))} | {num(s['in'])} | {num(s['out'])} "
            f"| {num(s.get('rejected', 0))} | {num(s.get('seconds'))} |"
        )
    reasons = [
        (s["name"], reason, n)
        for s in stages
        for reason, n in sorted(s.get("reasons", {}).items(), key=lambda kv: -kv[1])
    ]
    if reasons:
        lines += [
            "",
            "## Why rows were removed",
            "",
            "| stage | reason | rows | of input |",
            "|---|---|---:|---:|",
        ]
        lines += [
            f"| {_cell(st)} | `{_cell(r)}` | {num(n)} | {_pct(n, total)} |" for st, r, n in reasons
        ]
    lines += _diversity(summary.get("diversity"))
    if run is not None:
        lines += _training(run)
    lines += ["", "## Sources", "", "| source | rows | license |", "|---|---:|---|"]
    lines += [
        f"| {_cell(s['source'])} | {num(s.get('rows'))} | {_cell(s.get('license'))} |"
        for s in summary.get("sources", [])
    ]
    versions = ", ".join(f"{k} {v}" for k, v in summary.get("versions", {}).items())
    lines += ["", f"Examples, score histograms and the row table: `report.html`. {_cell(versions)}"]
    return "\n".join(lines) + "\n"


def _diversity(value: Any) -> list[str]:
    from curate.report.sections import diversity_table

    table = diversity_table(value)
    if table is None:
        return []
    lines = ["", "## Diversity", ""]
    phases = table["phases"]
    if table["rows"]:
        lines += [
            "| metric | "
            + " | ".join(table["labels"])
            + (" | change |" if len(phases) == 2 else " |"),
            "|---|" + "---:|" * (len(phases) + (len(phases) == 2)),
        ]
        for r in table["rows"]:
            cells = [_num_or_text(r.get(p)) for p in phases]
            if len(phases) == 2:
                change = r.get("change")
                cells.append("-" if change is None else ("+" if change > 0 else "") + num(change))
            lines.append(f"| {_cell(r['metric'])} | " + " | ".join(cells) + " |")
    if table["extra"]:
        lines += ["", "| metric | value |", "|---|---:|"]
        lines += [f"| {_cell(k)} | {_num_or_text(v)} |" for k, v in table["extra"].items()]
    return lines


def _num_or_text(value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return num(value)
    return _cell(value)


def _training(run: RunFiles) -> list[str]:
    from curate.report.sections import training

    t = training(run)
    if t is None:
        return []
    lines = ["", "## Training", ""]
    if t["first_loss"] is not None:
        lines.append(
            f"- {num(t['steps'])} steps: train loss {num(t['first_loss'])} → **{num(t['last_loss'])}**"
            + (f", eval loss **{num(t['eval_loss'])}**" if t["eval_loss"] is not None else "")
        )
    if t["trained_tokens"] is not None:
        lines.append(
            f"- {num(t['trained_tokens'])} trained tokens, median {num(t['tokens_per_s'])} tokens/s"
        )
    if run.compare:
        lines.append(
            f"- base vs tuned answers for {len(run.compare)} prompts: `compare.jsonl` (side by side in report.html)"
        )
    if not t["model_dir"]:
        lines.append("- no `model/` folder in this run")
    return lines
