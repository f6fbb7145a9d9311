"""report.html: one self-contained page where a data team decides whether to trust a run.

Rendered with jinja2 (autoescape on: every string from the data is escaped). Styles,
script and charts are inline, and a Content-Security-Policy allows nothing but the page's
own script (by hash), so the page opens offline and injected markup could not run even if
something slipped through escaping. Row data for the client-side table travels as one JSON
blob in a `<script type="application/json">`, with `<`, `>`, `&` escaped as \\u003c etc.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import orjson
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from jinja2.bccache import Bucket, FileSystemBytecodeCache
from markupsafe import Markup

from curate.report import sections
from curate.report.charts import format_number
from curate.report.run import RunFiles, load_run

TEMPLATE = "report.html.j2"
JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def script_json(value: Any) -> Markup:
    """JSON safe inside a <script> element: no `</script>`, `<!--` or `&` can appear in it."""
    text = orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    for char, escape in JSON_ESCAPES.items():
        text = text.replace(char, escape)
    return Markup(text)


class CompiledTemplates(FileSystemBytecodeCache):
    """The template's compiled code, kept in jinja2's per-user temp folder so a run skips
    compiling it (~50 ms). jinja2 writes each entry atomically and recompiles when the
    template's text changes, so concurrent runs are safe; an entry that cannot be written
    is skipped, never an error."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _bytecode_cache() -> CompiledTemplates | None:
    try:
        # entries are named by this module's text and jinja2's version too, so code
        # compiled under other environment settings is never loaded
        key = hashlib.sha256(Path(__file__).read_bytes() + jinja2.__version__.encode())
        return CompiledTemplates(pattern=f"__curate_report_{key.hexdigest()[:16]}_%s.cache")
    except (OSError, RuntimeError):  # no private temp folder: compile every time
        return None


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("curate.report", "templates"),
        bytecode_cache=_bytecode_cache(),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = format_number
    env.filters["pct"] = lambda v: f"{v:.1f}%" if v >= 0.1 or v == 0 else "<0.1%"
    env.filters["pretty_json"] = lambda v: json.dumps(v, indent=2, ensure_ascii=False)
    return env


def _asset(name: str) -> str:
    return (Path(__file__).parent / "templates" / name).read_text(encoding="utf-8")


def render_html(run: RunFiles) -> str:
    table = sections.row_table(run)
    keys = table.pop("keys")
    data = {
        "run": {
            "name": run.summary.get("name", "run"),
            "config_hash": run.summary.get("config_hash"),
        },
        "table": table,
        "map": sections.embedding_map(run, keys),
    }
    script = _asset("report.js")
    script_hash = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    return (
        environment()
        .get_template(TEMPLATE)
        .render(
            header=sections.header(run),
            funnel=sections.funnel(run),
            reasons=sections.reasons(run),
            near=sections.near_duplicates(run),
            histograms=sections.histograms(run),
            refusals=sections.refusals(run),
            map=data["map"],
            diversity=sections.diversity(run),
            training=sections.training(run),
            compare=sections.compare(run),
            masks=sections.mask_preview(run),
            table=table,
            data_json=script_json(data),
            style=Markup(_asset("report.css")),
            script=Markup(script),
            script_hash=script_hash,
        )
    )


def build_html(run_dir: Path) -> str:
    """report.html's text for the run in `run_dir`."""
    return render_html(load_run(run_dir))
