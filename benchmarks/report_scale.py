"""report.html at 10,000 input rows: build time, file size, and load/render time in
headless Chromium (goal: under 5 MB, rendered within 2 s).

The run is the real runner on real data from ../shared/data (GPTeacher toolformer and
roleplay, LLaMA-Factory glaive tool calls and identity, MT-bench questions as bad rows,
plus a few hostile rows), with the later stages' outputs added as in the report tests
(tests/report_fixtures.py). Chromium is driven over the DevTools protocol; the page's own
script reports how long it took (parse of the row data, first table page, map).

    .venv/bin/python benchmarks/report_scale.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from curate.report.build import write_report
from tests.browser import Browser, find_chromium
from tests.report_fixtures import add_run_outputs, make_run

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="build the run here and keep it")
    parser.add_argument("--loads", type=int, default=5, help="page loads to time")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="report-scale-"))
    out = make_run(
        folder,
        inputs=[
            {"path": str(DATA / "gpteacher/toolformer-dedupe-only-dataset.json.gz")},
            {"path": str(DATA / "gpteacher/roleplay-simple-deduped-roleplay-instruct.json.gz")},
            {"path": str(DATA / "llama-factory/glaive_toolcall_en_demo.json")},
            {"path": str(DATA / "llama-factory/identity.json")},
            {"path": str(DATA / "fastchat/mt_bench_question.jsonl")},
        ],
        name="scale",
    )
    add_run_outputs(out)
    started = time.perf_counter()
    write_report(out)
    build_s = time.perf_counter() - started
    html = out / "report.html"
    import polars as pl

    rows = pl.read_parquet(out / "ledger.parquet").height
    print(f"input rows: {rows:,}")
    print(f"write_report (report.html + summary.md): {build_s:.2f} s")
    print(f"report.html: {html.stat().st_size / 1e6:.2f} MB (goal < 5 MB)")
    chromium = find_chromium()
    if chromium is None:
        print("chromium not installed: no render timing")
        return
    loads, scripts = [], []
    with Browser(chromium) as browser:
        for _ in range(args.loads):
            loads.append(browser.open(html))
            scripts.append(browser.eval("window.curateReport.renderMs"))
            assert browser.errors() == [], browser.errors()
        search_ms = browser.eval(
            "(() => { document.getElementById('f-search').value = 'weather';"
            " const t = performance.now(); window.curateReport.refilter();"
            " return performance.now() - t; })()"
        )
        matching = browser.eval("window.curateReport.visibleRows()")
    print(
        f"chromium load to load event: median {statistics.median(loads) * 1000:.0f} ms "
        f"(max {max(loads) * 1000:.0f} ms) over {len(loads)} loads (goal < 2000 ms)"
    )
    print(f"page script (data parse, table, map): median {statistics.median(scripts):.0f} ms")
    print(
        f"search 'weather' over {rows:,} rows: {matching:,} matches, {search_ms:.0f} ms (first search builds the index)"
    )
    if not args.keep:
        print(f"run folder: {folder}")


if __name__ == "__main__":
    main()
