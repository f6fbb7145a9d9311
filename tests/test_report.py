"""report.html and summary.md: every section from real run outputs, safe with hostile text,
small at 10,000 rows; overrides.jsonl validation."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from curate.cli import app
from curate.errors import InputError
from curate.report import html, sections
from curate.report.build import write_report
from curate.report.html import render_html, script_json
from curate.report.markdown import render_markdown
from curate.report.run import load_run
from curate.review import check_overrides, load_overrides
from curate.stages import STAGES
from curate.text import field_text
from tests.conftest import chat, shared, write_jsonl, write_pipeline
from tests.report_fixtures import (
    HOSTILE,
    HOSTILE_SOURCE,
    SECTIONS,
    add_run_outputs,
    demo_run,
    make_run,
)


class Page(HTMLParser):
    """Tags (with attributes) and text per top-level section of a report."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None], str | None]] = []
        self.text: dict[str | None, list[str]] = {}
        self.section: str | None = None
        self.script_text: list[str] = []
        self._in_script = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self.section = attrs.get("id")
        self._in_script = tag == "script"
        self.tags.append((tag, attrs, self.section))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.script_text.append(data)
        else:
            self.text.setdefault(self.section, []).append(data)

    def find(
        self, tag: str, section: str | None = None, cls: str | None = None
    ) -> list[dict[str, str | None]]:
        return [
            a for t, a, s in self.tags
            if t == tag and (section is None or s == section) and (cls is None or cls in (a.get("class") or "").split())
        ]  # fmt: skip

    def section_text(self, section: str) -> str:
        return "".join(self.text.get(section, []))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = demo_run(tmp_path_factory)
    write_report(out)
    return out


def read_jsonl(path: Path) -> list[dict]:
    """JSON lines split on newlines only (str.splitlines would also split on U+2028)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]


def blob(html: str) -> dict:
    match = re.search(
        r'<script type="application/json" id="report-data">(.*?)</script>', html, re.S
    )
    assert match is not None
    return json.loads(match.group(1))


def test_every_section_renders_from_a_realistic_run(demo: Path) -> None:
    html = (demo / "report.html").read_text(encoding="utf-8")
    page = Page(html)
    ledger = pl.read_parquet(demo / "ledger.parquet")
    summary = json.loads((demo / "summary.json").read_text())
    assert [a["id"] for a in page.find("section")] == list(SECTIONS)
    # funnel: input, then every stage by its name, the last one marked selected
    funnel = page.section_text("funnel")
    for stage in summary["stages"]:
        assert stage["name"] in funnel
    assert "select (selected)" in funnel
    # reasons: one example group per (stage, reason), each with rendered examples
    pairs = (
        ledger.filter(pl.col("decision") == "rejected").select("stage", "reason").unique().height
    )
    assert len(page.find("details", "reasons", "group")) == pairs
    assert len(page.find("article", "reasons", "ex")) == sum(
        min(n, sections.EXAMPLES_PER_REASON)
        for n in ledger.group_by("stage", "reason").len().drop_nulls()["len"]
    )
    # near duplicates: keeper and removed rows, differences marked
    assert page.find("div", "duplicates", "keeper") and page.find("div", "duplicates", "member")
    assert page.find("span", "duplicates", "d-ins") or page.find("span", "duplicates", "d-del")
    # refusal: the matched span is highlighted in the answer
    marks = [a for t, a, s in page.tags if t == "mark" and s == "refusals"]
    assert marks
    # map, diversity, training, mask, compare
    data = blob(html)
    emb = pl.read_parquet(demo / "embeddings.parquet")
    assert len(data["map"]["points"]) == min(emb.height, sections.MAP_POINTS)
    assert page.find("canvas", "map")
    assert "vendi" in page.section_text("diversity")
    assert page.find("polyline", "training")
    previews = read_jsonl(demo / "mask_preview.jsonl")
    trained = sum(1 for p in previews for _, t in p["tokens"][: sections.MASK_TOKENS] if t)
    assert len(page.find("span", "training", "t")) == trained + 1  # + the legend's sample
    compare = read_jsonl(demo / "compare.jsonl")
    assert compare[0]["tuned"][:200] in page.section_text("training")
    # row table: every row, as data for the client-side table
    assert data["table"]["shown"] == data["table"]["total"] == ledger.height
    # the absent-section messages do not appear when their inputs exist
    assert [a for a in page.find("p", None, "absent") if "noscript" not in a["class"]] == []


def test_threshold_histograms_count_each_side(demo: Path) -> None:
    run = load_run(demo)
    hists = {h.name: h for h in sections.histograms(run)}
    scores = run.ledger.select(pl.col("scores").struct.unnest())
    near = hists["minhash_jaccard"]
    assert (near.threshold, near.stage, near.side) == (0.8, "near_dedup", "at_or_above")
    values = scores["minhash_jaccard"].drop_nulls()
    assert near.rejected_side == (values >= 0.8).sum() and near.kept_side == (values < 0.8).sum()
    assert sum(sum(b["counts"]) for b in near.bars) == values.len()
    # every row near_dedup removed sits on the rejected side; the stacks say who removed what
    removed = run.ledger.filter(pl.col("reason") == "near_duplicate")
    assert removed.height and (removed["scores"].struct.field("minhash_jaccard") >= 0.8).all()
    assert sum(b["counts"][1] for b in near.bars) == removed.height
    assert near.owner == "near_dedup"
    quality = hists["dup_line_frac"]
    configured = next(st for st in run.summary["config"]["stages"] if st["kind"] == "quality")
    assert (quality.stage, quality.key) == ("quality", "dup_line_frac")
    assert quality.threshold == configured["dup_line_frac"]
    assert hists["refusal"].threshold is None  # tiers, not a threshold
    assert hists["prompt_chars"].threshold is None  # no threshold: plain histogram


def test_thresholds_name_real_config_keys() -> None:
    """Each threshold the report marks is a key of its stage's config (for stages that exist)."""
    checked = 0
    for score, spec in sections.THRESHOLDS.items():
        if spec.kind not in STAGES:
            continue
        fields = STAGES[spec.kind].Config.model_fields
        top, *entry = spec.key.split(".")
        assert top in fields, f"{score}: {spec}"
        if entry:
            assert entry[0] in {str(k) for k in fields[top].get_default(call_default_factory=True)}
        checked += 1
    assert checked or not set(STAGES) & {s.kind for s in sections.THRESHOLDS.values()}


def test_sections_say_plainly_what_is_absent(tmp_path: Path) -> None:
    pipeline = write_pipeline(
        tmp_path, [{"path": str(shared("llama-factory/identity.json"))}], [{"kind": "exact_dedup"}]
    )
    import curate

    curate.run(str(pipeline))
    write_report(tmp_path / "out")
    text = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    for message in (
        "No near-duplicate stage in this run.",
        "No refusal stage in this run.",
        "No embeddings in this run",
        "No diversity metrics in this run",
        "No training in this run.",
    ):
        assert message in text
    md = (tmp_path / "out" / "summary.md").read_text()
    assert "## Training" not in md and "## Funnel" in md


def test_hostile_text_is_escaped(demo: Path) -> None:
    html = (demo / "report.html").read_text(encoding="utf-8")
    page = Page(html)
    # exactly the page's own two script elements; no injected element of any kind
    assert len(page.find("script")) == 2 and html.count("<script") == 2
    assert not page.find("img") and not page.find("textarea")
    assert "<b>not bold</b>" not in html and "</textarea>" not in html
    # the hostile strings are on the page as text
    assert HOSTILE_SOURCE in page.section_text("overview")
    assert '</script><script>alert("raw")</script>' in page.section_text(
        "reasons"
    )  # the unparseable row
    assert HOSTILE[0] in page.section_text("training")  # compare.jsonl
    # the row table's JSON round-trips them intact, and holds no markup
    script = page.script_text[0]
    assert "<" not in script and ">" not in script and "&" not in script
    rows = blob(html)["table"]["rows"]
    assert any(HOSTILE[3] in (r[7] or "") for r in rows)
    # only the page's own script may run (hash-based CSP)
    assert "script-src 'sha256-" in html


def test_script_json_cannot_break_out() -> None:
    value = {"a": "</script><!-- <script>alert(1)</script> & \u2028 \u2029", "b": [1, None]}
    text = str(script_json(value))
    for bad in ("</", "<!--", "<script", "&", "\u2028", "\u2029"):
        assert bad not in text
    assert json.loads(text) == value


def test_word_diff_and_highlight() -> None:
    segs = sections.word_diff("Are you based on davinci?", "Are you based on davinci-002?")
    assert "".join(t for op, t in segs if op != "del") == "Are you based on davinci-002?"
    assert ("ins", "-002") in segs
    assert sections.highlight("Well, I Apologize, But no.", 'matched "I apologize, but"') == [
        ("", "Well, "), ("mark", "I Apologize, But"), ("", " no."),
    ]  # fmt: skip
    assert sections.highlight("nothing here", 'matched "I cannot"') == [("", "nothing here")]


def test_table_snippets_collapse_only_the_head_of_each_text(demo: Path) -> None:
    """The row table collapses whitespace in a text's head only: its snippets must equal
    those of the whole text collapsed, on real texts and on heads that are all whitespace."""
    ledger = load_run(demo).ledger
    real = [t for f in ("prompt", "response") for t in ledger.select(field_text(f)).to_series()]
    gaps = [" " * 500, "\n\t \u00a0\u2003\u3000" * 80, "\r\n" * 300]
    made = [f"{gap}{word}{gap}{word} end" for gap in gaps for word in ("a", "word " * 30)]
    made += ["", "  ", "x", " x ", "a \u2028 b" * 200, "é\t" * 500 + "z" * 40]
    texts = pl.DataFrame({"t": real + made})
    assert texts.height > 500
    for limit in (30, 50, 240):
        whole = texts.with_columns(pl.col("t").str.replace_all(r"\s+", " ").str.strip_chars())
        head = texts.lazy().with_columns(sections._collapsed_head("t", limit)).collect()
        assert head["t"].str.len_chars().max() < whole["t"].str.len_chars().max()
        assert head.select(sections._snippet("t", limit)).equals(
            whole.select(sections._snippet("t", limit))
        )


def test_compiled_template_cache(
    demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The compiled template is kept between runs and renders the same page; a cache that
    cannot be written changes nothing."""
    run = load_run(demo)
    html.environment.cache_clear()
    monkeypatch.setattr(html, "_bytecode_cache", lambda: None)
    page = render_html(run)
    cache = tmp_path / "cache"
    cache.mkdir()
    for folder in (cache, tmp_path / "missing"):
        monkeypatch.setattr(
            html, "_bytecode_cache", lambda f=folder: html.CompiledTemplates(str(f))
        )
        html.environment.cache_clear()
        assert render_html(run) == page  # compiled, and kept where it can be
        kept = [(p, p.stat().st_ino) for p in tmp_path.glob("**/*.cache")]
        html.environment.cache_clear()
        assert render_html(run) == page  # loaded
        assert [(p, p.stat().st_ino) for p in tmp_path.glob("**/*.cache")] == kept
    assert [p.parent for p, _ in kept] == [cache]
    html.environment.cache_clear()


def test_texts_are_paired_with_their_ledger_rows(demo: Path) -> None:
    run = load_run(demo)
    assert run.notes == []
    parsed = run.ledger.filter(pl.col("messages").is_not_null())
    assert (
        parsed.height == run.ledger.height - run.ledger.filter(pl.col("stage") == "ingest").height
    )
    curated = read_jsonl(demo / "curated.jsonl")
    kept = run.ledger.filter(pl.col("decision") == "kept")
    assert kept["id"].to_list() == [c["id"] for c in curated]
    assert kept["messages"][5][0]["content"] == curated[5]["messages"][0]["content"]


def test_summary_md_is_a_pr_digest(demo: Path) -> None:
    md = (demo / "summary.md").read_text(encoding="utf-8")
    summary = json.loads((demo / "summary.json").read_text())
    for stage in summary["stages"]:
        assert f"| {stage['name']} |" in md
    assert "| refusal | `hard_refusal` |" in md
    assert "## Diversity" in md and "| vendi |" in md
    assert "## Training" in md and "60 steps" in md
    assert "&lt;img src=y onerror=alert(3)>.jsonl" in md  # no raw markup in the digest
    summary["warnings"] = ["a | pipe\nand a newline"]
    assert "- ⚠️ a \\| pipe and a newline" in render_markdown(summary)


def test_cli_report_rebuilds(demo: Path, tmp_path: Path) -> None:
    (demo / "report.html").unlink()
    result = CliRunner().invoke(app, ["report", str(demo)])
    assert result.exit_code == 0, result.output
    assert (demo / "report.html").is_file() and "report.html" in result.output
    result = CliRunner().invoke(app, ["report", str(tmp_path)])
    assert result.exit_code == 2 and "not a run folder" in result.output


def test_overrides_load_and_check(tmp_path: Path) -> None:
    path = tmp_path / "overrides.jsonl"
    write_jsonl(path, [
        {"source": "a.jsonl", "row": 0, "id": "x1", "decision": "keep", "note": "fine"},
        {"source": "a.jsonl", "row": 3, "decision": "drop"},
    ])  # fmt: skip
    frame = load_overrides(path)
    assert frame.select("source", "row", "decision", "note", "line").rows() == [
        ("a.jsonl", 0, "keep", "fine", 1), ("a.jsonl", 3, "drop", "", 2),
    ]  # fmt: skip
    rows = pl.DataFrame(
        {"source": ["a.jsonl"] * 4, "row": [0, 1, 2, 3], "id": ["x1", "x2", "x3", "x4"]}
    )
    check_overrides(frame, rows, path)
    with pytest.raises(InputError, match=r"overrides.jsonl:1: a.jsonl:0 has id x9 now, not x1"):
        check_overrides(frame, rows.with_columns(pl.lit("x9").alias("id")), path)
    with pytest.raises(InputError, match=r"overrides.jsonl:2: no row a.jsonl:3"):
        check_overrides(frame, rows.head(3), path)
    bad = {
        '{"source": "a", "row": 1, "decision": "maybe"}': "decision: Input should be 'keep' or 'drop'",
        '{"source": "a", "row": -1, "decision": "keep"}': "row: Input should be greater than or equal to 0",
        '{"source": "a", "row": "1", "decision": "keep"}': "row: Input should be a valid integer",
        '{"source": "a", "decision": "keep"}': "missing key 'row'",
        '{"source": "a", "row": 1, "decision": "keep", "nots": ""}': "unknown key 'nots'",
        "[1, 2]": "expected a JSON object",
        "{not json": "invalid JSON",
    }
    for line, message in bad.items():
        path.write_text('{"source": "a", "row": 0, "decision": "keep"}\n\n' + line + "\n")
        with pytest.raises(InputError) as err:
            load_overrides(path)
        assert str(err.value).startswith(f"{path}:3: ") and message in str(err.value)
    path.write_text(
        '{"source": "a", "row": 0, "decision": "keep"}\n{"source": "a", "row": 0, "decision": "drop"}\n'
    )
    with pytest.raises(InputError, match=r":2: a:0 is already overridden on line 1"):
        load_overrides(path)


def test_report_for_10000_rows_stays_small(tmp_path: Path) -> None:
    """10,000 real input rows: examples sampled, the rest aggregated; under 5 MB."""
    out = make_run(
        tmp_path,
        inputs=[
            {"path": str(shared("gpteacher/toolformer-dedupe-only-dataset.json.gz"))},
            {"path": str(shared("gpteacher/roleplay-simple-deduped-roleplay-instruct.json.gz"))},
            {"path": str(shared("llama-factory/glaive_toolcall_en_demo.json"))},
            {"path": str(shared("llama-factory/identity.json"))},
            {"path": str(shared("fastchat/mt_bench_question.jsonl"))},  # not a chat: bad rows
        ],
        name="scale",
    )
    add_run_outputs(out)
    write_report(out)
    rows = pl.read_parquet(out / "ledger.parquet").height
    assert rows >= 10_000
    size = (out / "report.html").stat().st_size
    print(f"\n{rows} rows -> report.html {size / 1e6:.2f} MB")
    assert size < 5_000_000
    data = blob((out / "report.html").read_text(encoding="utf-8"))
    emb = pl.read_parquet(out / "embeddings.parquet").height
    assert data["table"]["shown"] == rows and len(data["map"]["points"]) == min(
        emb, sections.MAP_POINTS
    )


def test_report_without_ledger_texts_still_renders(tmp_path: Path) -> None:
    """Missing curated/rejected files: rows are listed without text and the page says why."""
    write_jsonl(
        tmp_path / "d.jsonl",
        [chat("hi there", "hello"), chat("hi there", "hello"), chat("2+2?", "4")],
    )
    import curate

    curate.run(str(write_pipeline(tmp_path, [{"path": "d.jsonl"}], [{"kind": "exact_dedup"}])))
    out = tmp_path / "out"
    (out / "rejected.jsonl").unlink()
    html = render_html(load_run(out))
    assert "no rejected.jsonl: rejected rows are shown without text" in html
