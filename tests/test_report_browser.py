"""report.html in a real browser: headless Chromium over the DevTools protocol.

The page must load with no console error, no exception, no dialog and no blocked
resource; show every section; render hostile row text as text; and let a reviewer filter
rows, mark overrides and download an overrides.jsonl that `load_overrides` accepts.
Skipped (with the reason) only when no Chromium is installed: CI installs Debian's
`chromium` in .ci/run.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import polars as pl
import pytest

from curate.report.build import write_report
from curate.review import check_overrides, load_overrides
from tests.browser import Browser, find_chromium
from tests.report_fixtures import HOSTILE, HOSTILE_SOURCE, SECTIONS, demo_run

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium not installed (apt-get install -y chromium)"
)

# What each section must show once the page has loaded (examples rendered on load).
CHECKS = """(() => {
  const q = (s) => document.querySelectorAll(s).length;
  return {
    sections: Array.from(document.querySelectorAll('main > section')).map((s) => s.id),
    funnel_bars: q('#funnel svg rect.bar'),
    examples: q('#reasons article.ex'),
    clusters: q('#duplicates .cluster'),
    diff_marks: q('#duplicates .d-ins, #duplicates .d-del'),
    histograms: q('#scores figure.hist'),
    thresholds: q('#scores line.thr'),
    refusal_marks: q('#refusals mark'),
    map_legend: q('#map-legend button'),
    diversity_rows: q('#diversity tbody tr'),
    loss_lines: q('#training polyline'),
    trained_tokens: q('#training .tokens .tok.t'),
    compare_cells: q('#training .compare .cc'),
    table_rows: q('#rows-body tr'),
    scripts: q('script'),
    images: q('img'),
    textareas: q('textarea'),
    title: document.title,
    text: document.body.innerText,
    renderMs: window.curateReport.renderMs,
  };
})()"""


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = demo_run(tmp_path_factory)
    write_report(out)
    return out


def settle(browser: Browser, ms: int = 300) -> None:
    browser.eval(f"new Promise((done) => setTimeout(done, {ms}))")


def test_report_in_headless_chromium(report: Path, tmp_path: Path) -> None:
    with Browser(CHROMIUM) as browser:
        load_s = browser.open(report / "report.html")
        page = browser.eval(CHECKS)
        shot = browser.screenshot(tmp_path / "report.png")
        print(f"\nload {load_s * 1000:.0f} ms, script {page['renderMs']:.0f} ms; screenshot {shot}")
        assert browser.errors() == []

        # every section, in order, with its content rendered on load
        assert page["sections"] == list(SECTIONS)
        summary = json.loads((report / "summary.json").read_text())
        assert page["funnel_bars"] == len(summary["stages"]) + 1
        assert page["examples"] > 0 and page["clusters"] > 0 and page["diff_marks"] > 0
        assert page["histograms"] >= 3 and page["thresholds"] >= 1
        assert page["refusal_marks"] > 0 and page["map_legend"] >= 2
        assert page["diversity_rows"] > 0 and page["loss_lines"] >= 1
        assert page["trained_tokens"] > 0 and page["compare_cells"] > 0
        assert page["table_rows"] == 50  # the first page of the row table
        assert shot.stat().st_size > 50_000

        # hostile text is shown as text and nothing of it ran
        assert page["scripts"] == 2 and page["images"] == 0 and page["textareas"] == 0
        assert page["title"].endswith("curate report")
        assert HOSTILE_SOURCE in page["text"] and HOSTILE[0] in page["text"]

        # search and filter the row table
        browser.eval(
            "(() => { const s = document.getElementById('f-search'); s.value = 'onerror';"
            " s.dispatchEvent(new Event('input')); })()"
        )
        settle(browser)
        matching = browser.eval("window.curateReport.visibleRows()")
        assert matching >= 6  # the hostile rows: their source name matches
        assert browser.eval("document.querySelectorAll('#rows-body tr').length") == min(
            matching, 50
        )

        # mark two rows, add a note, download overrides.jsonl
        browser.eval(
            "(() => { const rows = document.querySelectorAll('#rows-body tr');"
            " rows[0].querySelector('button[data-action=keep]').click(); })()"
        )
        browser.eval(
            "(() => { const rows = document.querySelectorAll('#rows-body tr');"
            " rows[1].querySelector('button[data-action=drop]').click();"
            " const note = document.querySelector('#ov-list li:last-child input');"
            " note.value = '</textarea> \"quoted\" note'; note.dispatchEvent(new Event('input')); })()"
        )
        expected = browser.eval("window.curateReport.overridesJsonl()")
        browser.eval("document.getElementById('ov-download').click()")
        target = browser.downloads / "overrides.jsonl"
        deadline = time.monotonic() + 10
        while not target.is_file() and time.monotonic() < deadline:
            settle(browser, 100)
        assert target.is_file(), "the download did not arrive"
        assert target.read_text(encoding="utf-8") == expected
        overrides = load_overrides(target)
        assert overrides["decision"].to_list() == ["keep", "drop"]
        assert overrides["note"].to_list() == ["", '</textarea> "quoted" note']
        assert set(overrides["source"]) == {HOSTILE_SOURCE}
        check_overrides(overrides, pl.read_parquet(report / "ledger.parquet"), target)

        # hovering the map shows a prompt
        browser.eval(
            "(() => { const d = JSON.parse(document.getElementById('report-data').textContent);"
            " const p = d.map.points[0], c = document.getElementById('map-canvas').getBoundingClientRect();"
            " const x = c.left + 14 + p[0] * (c.width - 28), y = c.top + 14 + (1 - p[1]) * (c.height - 28);"
            " document.getElementById('map-canvas').dispatchEvent("
            "   new MouseEvent('mousemove', {clientX: x, clientY: y, bubbles: true})); })()"
        )
        tip = browser.eval(
            "[document.getElementById('map-tip').hidden, document.getElementById('map-tip').textContent]"
        )
        assert tip[0] is False and len(tip[1]) > 10
        assert browser.errors() == []
