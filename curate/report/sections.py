"""What each section of report.html shows, computed from a run's files.

Every function here returns plain data (dicts, lists, numbers, strings); the template
escapes and draws it. A section whose inputs are missing returns None or an empty list,
and the template says plainly what is absent. Rows shown in full are sampled
(deterministically, by a hash of the row id), everything else is aggregated, so the page
stays small for large runs.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from curate.report.charts import Histogram, Side, curve, format_number, histogram, project_2d
from curate.report.run import RunFiles
from curate.text import collapsed_whitespace, field_text

EXAMPLES_PER_REASON = 3
CLUSTERS_SHOWN = 6
MEMBERS_PER_CLUSTER = 3
REFUSALS_PER_TIER = 4
TURN_CHARS = 1200  # characters of one turn shown in an example
DIFF_CHARS = 900  # characters of a text compared in a near-duplicate diff
MAP_POINTS = 4000
MAX_TABLE_ROWS = 20_000
TABLE_TEXT_CHARS = 2_000_000  # snippet characters in the row table, shared by its rows
SNIPPET_HEAD = 4  # a snippet of n characters collapses the first 4n of its text
COMPARE_SHOWN = 12
MASK_ROWS, MASK_TOKENS = 4, 600
SEED = 0


@dataclass(frozen=True)
class Threshold:
    """Where a score's threshold lives in the config, and which side the stage rejects."""

    kind: str  # the stage kind whose config holds it
    key: str  # its config key; `a.b` reads entry b of table a (e.g. top_ngram_frac.2)
    rejects: Side


# Score name (as in the ledger's `scores` struct) -> its threshold. A stage that adds a
# threshold-driven score adds a line here; tests check each key exists in its stage config.
THRESHOLDS: dict[str, Threshold] = {
    "minhash_jaccard": Threshold("near_dedup", "threshold", "at_or_above"),
    "tokens": Threshold("quality", "max_tokens", "above"),
    "dup_line_frac": Threshold("quality", "dup_line_frac", "above"),
    "top_2gram_frac": Threshold("quality", "top_ngram_frac.2", "above"),
    "dup_5gram_frac": Threshold("quality", "dup_ngram_frac.5", "above"),
    "contamination_jaccard": Threshold("decontaminate", "threshold", "at_or_above"),
}

REFUSAL_TIERS = {"hard_refusal": "hard", "soft_refusal": "soft"}  # reason -> tier
REFUSAL_TAGS = {"refusal:hard": "hard", "refusal:soft": "soft"}  # tag (action = "tag") -> tier
SELECT_KIND = "select"
# summary.json `diversity` keys of the sets measured before and after selection
PHASES = (("input", "selected"), ("before", "after"))
PHASE_LABELS = {
    "input": "before selection",
    "selected": "after selection",
    "before": "before",
    "after": "after",
}


# ----------------------------------------------------------------------------- header


def header(run: RunFiles) -> dict[str, Any]:
    s = run.summary
    stages = s.get("stages", [])
    return {
        "name": s.get("name", "run"),
        "input_rows": s.get("input_rows", run.rows.height),
        "kept": s.get("kept"),
        "rejected": s.get("rejected"),
        "config_hash": s.get("config_hash", "-"),
        "seconds": s.get("seconds"),
        "peak_rss_mb": s.get("peak_rss_mb"),
        "versions": s.get("versions", {}),
        "sources": s.get("sources", []),
        "warnings": s.get("warnings", []),
        "stages": stages,
        "selected": any(st.get("kind") == SELECT_KIND for st in stages),
        "config": s.get("config"),
        "notes": run.notes,
    }


# ----------------------------------------------------------------------------- funnel


def funnel(run: RunFiles) -> list[dict[str, Any]]:
    """input -> each stage's output -> the final (selected) set, as bar widths in [0, 1]."""
    s = run.summary
    total = max(int(s.get("input_rows", 0)), 1)
    steps = [
        {"label": "input", "kind": "", "count": s.get("input_rows", 0), "removed": 0, "reasons": ""}
    ]
    for st in s.get("stages", []):
        reasons = sorted(st.get("reasons", {}).items(), key=lambda kv: -kv[1])
        steps.append(
            {
                "label": st["name"],
                "kind": st.get("kind", ""),
                "count": st["out"],
                "removed": st.get("rejected", 0),
                "reasons": ", ".join(f"{r} {format_number(n)}" for r, n in reasons[:3])
                + (f", +{len(reasons) - 3} more" if len(reasons) > 3 else ""),
                "seconds": st.get("seconds"),
            }
        )
    if any(st.get("kind") == SELECT_KIND for st in s.get("stages", [])):
        steps[-1]["label"] = f"{steps[-1]['label']} (selected)"
    for step in steps:
        step["frac"] = step["count"] / total
    return steps


# ----------------------------------------------------------------------------- examples


def _sample(frame: pl.DataFrame, by: list[str], k: int) -> pl.DataFrame:
    """Up to k rows per group, chosen by a hash of the id (stable across rebuilds)."""
    if frame.is_empty():
        return frame
    rank = (
        pl.struct("id", "_i").hash(SEED).rank("ordinal").over(by)
        if by
        else pl.struct("id", "_i").hash(SEED).rank("ordinal")
    )
    return frame.filter(rank <= k).sort("_i")


def _clip(text: str | None, limit: int) -> tuple[str, int]:
    text = text or ""
    return (text, 0) if len(text) <= limit else (text[:limit], len(text) - limit)


def turns(
    messages: list[dict[str, Any]] | None, raw: str | None, limit: int = TURN_CHARS
) -> list[dict[str, Any]]:
    """A conversation as displayable turns; an unparsed row shows its raw input."""
    if messages is None:
        text, more = _clip(raw, limit)
        return [{"role": "raw input", "text": text, "more": more}]
    out = []
    for m in messages:
        body = m.get("content") or ""
        if m.get("tool_calls"):
            body = f"{body}\n[tool call] {m['tool_calls']}".strip()
        text, more = _clip(body, limit)
        out.append({"role": m["role"], "text": text, "more": more})
    return out


def _verdict(row: dict[str, Any]) -> dict[str, Any]:
    """Which row it is and what happened to it: the head of every example card."""
    return {
        "source": row["source"],
        "row": row["row"],
        "id": row["id"],
        "decision": row["decision"],
        "stage": row.get("stage"),
        "reason": row.get("reason"),
        "detail": row.get("detail"),
    }


def example(row: dict[str, Any]) -> dict[str, Any]:
    scores = {k: v for k, v in (row.get("scores") or {}).items() if v is not None}
    return {
        **_verdict(row),
        "tags": row.get("tags") or [],
        "scores": {k: format_number(v) for k, v in scores.items()},
        "turns": turns(row.get("messages"), row.get("raw")),
    }


def reasons(run: RunFiles) -> list[dict[str, Any]]:
    """One line per (stage, reason), in stage order, with a few sampled rows each."""
    ledger = run.rows
    rejected = ledger.filter(pl.col("decision") == "rejected")
    if rejected.is_empty():
        return []
    order = {st["name"]: i for i, st in enumerate(run.summary.get("stages", []))}
    counts = rejected.group_by("stage", "reason").len().to_dicts()
    counts.sort(key=lambda c: (order.get(c["stage"], len(order)), -c["len"], c["reason"]))
    picked = run.with_text(_sample(rejected, ["stage", "reason"], EXAMPLES_PER_REASON))
    examples: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in picked.iter_rows(named=True):
        examples.setdefault((row["stage"], row["reason"]), []).append(example(row))
    total = max(ledger.height, 1)
    return [
        {
            "stage": c["stage"],
            "reason": c["reason"],
            "count": c["len"],
            "pct": 100 * c["len"] / total,
            "examples": examples.get((c["stage"], c["reason"]), []),
        }
        for c in counts
    ]


# ----------------------------------------------------------------------------- near duplicates

TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def word_diff(a: str, b: str) -> list[tuple[str, str]]:
    """`b` against `a`, word by word, as segments (op, text): op "" where they agree,
    "del" for text only in `a`, "ins" for text only in `b` (a deletion precedes its insertion)."""
    ta, tb = TOKEN.findall(a), TOKEN.findall(b)
    out: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, ta, tb, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(("", "".join(tb[j1:j2])))
            continue
        out.append(("del", "".join(ta[i1:i2])))
        out.append(("ins", "".join(tb[j1:j2])))
    return _merge(out)


def _merge(segments: list[tuple[str, str]]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for op, text in segments:
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        elif text:
            out.append((op, text))
    return out


def _texts(run: RunFiles, frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with its rows' prompt and response text (read for these rows only)."""
    return run.with_text(frame).with_columns(
        field_text("prompt").fill_null(pl.col("raw")).fill_null("").alias("_prompt"),
        field_text("response").fill_null("").alias("_response"),
    )


def near_duplicates(run: RunFiles) -> dict[str, Any]:
    """The largest near-duplicate clusters: keeper and removed rows side by side, diffed."""
    ledger = run.rows
    kinds = {st.get("kind") for st in run.summary.get("stages", [])}
    members = ledger.filter(pl.col("reason") == "near_duplicate")
    info: dict[str, Any] = {
        "ran": "near_dedup" in kinds,
        "removed": members.height,
        "exact": ledger.filter(pl.col("reason") == "duplicate").height,
        "clusters": [],
        "n_clusters": members["duplicate_of"].n_unique() if members.height else 0,
    }
    if members.is_empty():
        return info
    sizes = (
        members.group_by("duplicate_of")
        .agg(pl.len().alias("n"), pl.col("_i").min().alias("first"))
        .sort(["n", "first"], descending=[True, False])
        .head(CLUSTERS_SHOWN)
    )
    keeper_ids = sizes["duplicate_of"]
    keepers = _texts(
        run,
        ledger.filter(
            pl.col("id").is_in(keeper_ids.implode())
            & (pl.col("reason").fill_null("") != "near_duplicate")
        ).unique("id", keep="first"),
    )
    shown = _texts(
        run,
        _sample(
            members.filter(pl.col("duplicate_of").is_in(keeper_ids.implode())),
            ["duplicate_of"],
            MEMBERS_PER_CLUSTER,
        ),
    )
    by_keeper: dict[str, list[dict[str, Any]]] = {}
    for row in shown.iter_rows(named=True):
        by_keeper.setdefault(row["duplicate_of"], []).append(row)
    keeper_rows = {r["id"]: r for r in keepers.iter_rows(named=True)}
    for cluster in sizes.iter_rows(named=True):
        keeper = keeper_rows.get(cluster["duplicate_of"])
        shown_members = []
        for member in by_keeper.get(cluster["duplicate_of"], []):
            item = {**_brief(member), "diff": None}
            if keeper is not None:
                item["diff"] = [
                    (
                        part,
                        word_diff(
                            _clip(keeper[f"_{part}"], DIFF_CHARS)[0],
                            _clip(member[f"_{part}"], DIFF_CHARS)[0],
                        ),
                    )
                    for part in ("prompt", "response")
                ]
            shown_members.append(item)
        info["clusters"].append(
            {
                "keeper": None
                if keeper is None
                else {
                    **_brief(keeper),
                    "text": [
                        (part, *_clip(keeper[f"_{part}"], DIFF_CHARS))
                        for part in ("prompt", "response")
                    ],
                },
                "keeper_id": cluster["duplicate_of"],
                "size": cluster["n"] + 1,
                "members": shown_members,
            }
        )
    return info


def _brief(row: dict[str, Any]) -> dict[str, Any]:
    scores = row.get("scores") or {}
    return {
        **_verdict(row),
        "jaccard": scores.get("minhash_jaccard"),
    }


# ----------------------------------------------------------------------------- score histograms


def config_value(config: dict[str, Any] | None, kind: str, key: str) -> tuple[str, Any] | None:
    """(stage name, value) of `key` in the first stage of `kind` in the run's config."""
    for stage in (config or {}).get("stages", []):
        if stage.get("kind") != kind:
            continue
        value: Any = stage
        for part in key.split("."):
            if not isinstance(value, dict) or part not in value:
                return None
            value = value[part]
        return stage.get("name") or kind, value
    return None


def score_owners(stages: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Score name -> names of the run's stages that compute it (from each stage's
    `score_columns`); the runner's own ingest scores (lengths, turns) have none."""
    from curate.stages import STAGES

    owners: dict[str, list[str]] = {}
    for st in stages:
        cls = STAGES.get(st.get("kind", ""))
        for score in cls.score_columns.values() if cls else ():
            owners.setdefault(score, []).append(st["name"])
    return owners


def histograms(run: RunFiles) -> list[Histogram]:
    """One histogram per score in the ledger, its threshold marked when the config sets one."""
    ledger = run.rows
    if "scores" not in ledger.columns or not isinstance(ledger.schema["scores"], pl.Struct):
        return []
    fields = [f.name for f in ledger.schema["scores"].fields]
    if not fields:
        return []
    config = run.summary.get("config")
    owners = score_owners(run.summary.get("stages", []))
    out = []
    for name in fields:
        spec = THRESHOLDS.get(name)
        found = config_value(config, spec.kind, spec.key) if spec else None
        if found is not None and not (
            isinstance(found[1], (int, float)) and not isinstance(found[1], bool)
        ):
            found = None
        owner = owners.get(name, [])
        own = pl.col("stage").is_in(owner) if owner else pl.lit(True)
        group = pl.when(pl.col("decision") == "kept").then(0).when(own).then(1).otherwise(2)
        column = (
            ledger.select(
                group.alias("group"),
                pl.col("scores").struct.field(name).cast(pl.Float64, strict=False).alias("v"),
            )
            .drop_nulls()
            .filter(pl.col("v").is_finite())
        )
        if column.is_empty():
            continue
        values, groups = column["v"].to_numpy(), column["group"].to_numpy()
        if found is not None:
            hist = histogram(name, values, groups, float(found[1]), spec.rejects)
            hist.stage, hist.key = found[0], spec.key
        else:
            hist = histogram(name, values, groups)
        hist.owner = ", ".join(owner) or None
        out.append(hist)
    out.sort(key=lambda h: (h.threshold is None, fields.index(h.name)))
    return out


# ----------------------------------------------------------------------------- refusals

QUOTED = re.compile(r"[\"“'‘«]([^\"”'’»]{2,200})[\"”'’»]")


def highlight(text: str, detail: str | None) -> list[tuple[str, str]]:
    """`text` split into segments, op "mark" on the first match of the span named in `detail`.

    The span is the quoted part of the detail when it has one, else the whole detail.
    """
    if not detail:
        return [("", text)]
    quoted = QUOTED.search(detail)
    span = (quoted.group(1) if quoted else detail).strip()
    if not span:
        return [("", text)]
    found = re.search(re.escape(span), text, flags=re.IGNORECASE)
    if found is None:
        return [("", text)]
    a, b = found.span()
    return [(op, t) for op, t in (("", text[:a]), ("mark", text[a:b]), ("", text[b:])) if t]


def refusals(run: RunFiles) -> dict[str, Any]:
    """Sampled refusals per tier (hard, soft), the matched span highlighted in the answer."""
    kinds = {st.get("kind") for st in run.summary.get("stages", [])}
    tier = pl.when(pl.col("reason").is_in(list(REFUSAL_TIERS))).then(
        pl.col("reason").replace_strict(REFUSAL_TIERS, default=None)
    )
    for tag, name in REFUSAL_TAGS.items():
        tier = tier.when(pl.col("tags").list.contains(tag)).then(pl.lit(name))
    rows = run.rows.with_columns(tier.alias("_tier")).filter(pl.col("_tier").is_not_null())
    counts = dict(rows.group_by("_tier").len().iter_rows())
    tiers = []
    for name in ("hard", "soft"):
        picked = _texts(run, _sample(rows.filter(pl.col("_tier") == name), [], REFUSALS_PER_TIER))
        items = []
        for row in picked.iter_rows(named=True):
            answer, more = _clip(row["_response"], TURN_CHARS * 2)
            # only a refusal verdict's detail names the matched span
            span = row.get("detail") if row.get("reason") in REFUSAL_TIERS else None
            prompt, pmore = _clip(row["_prompt"], 400)
            items.append(
                {
                    **_brief(row),
                    "tags": row["tags"] or [],
                    "score": (row.get("scores") or {}).get("refusal"),
                    "prompt": prompt,
                    "prompt_more": pmore,
                    "segments": highlight(answer, span),
                    "span_detail": span,
                    "more": more,
                }
            )
        tiers.append({"tier": name, "count": counts.get(name, 0), "examples": items})
    return {"ran": "refusal" in kinds, "tiers": tiers, "total": rows.height}


# ----------------------------------------------------------------------------- embeddings map


def embedding_map(run: RunFiles, table_rows: pl.DataFrame) -> dict[str, Any] | None:
    """PCA of the embeddings, sampled; each point: x, y, category, index into the row table
    (`table_rows`: source, row and `t`, the row's index in the table)."""
    emb = run.embeddings
    if emb is None or emb.is_empty() or "embedding" not in emb.columns:
        return None
    select_names = [
        st["name"] for st in run.summary.get("stages", []) if st.get("kind") == SELECT_KIND
    ]
    joined = emb.join(
        run.rows.select("source", "row", "_i", "id", "decision", "stage"),
        on=["source", "row"],
        how="left",
    )
    if "selected" not in joined.columns:
        joined = joined.with_columns(pl.lit(None, pl.Boolean).alias("selected"))
    category = (
        pl.when(pl.col("selected").fill_null(False))
        .then(pl.lit("selected"))
        .when(pl.col("stage").is_in(select_names))
        .then(pl.lit("not selected"))
        .when(pl.col("decision") == "rejected")
        .then(pl.lit("rejected"))
        .otherwise(pl.lit("kept"))
    )
    joined = joined.with_columns(category.alias("category")).join(
        table_rows, on=["source", "row"], how="left"
    )
    total = joined.height
    if total > MAP_POINTS:
        joined = joined.filter(pl.struct("source", "row").hash(SEED).rank("ordinal") <= MAP_POINTS)
    dims = joined["embedding"].list.len().unique()
    if joined.is_empty() or dims.len() != 1:
        return None
    vectors = joined["embedding"].list.to_array(int(dims[0])).to_numpy().astype(np.float32)
    xy = project_2d(vectors)
    categories = ["selected", "kept", "not selected", "rejected"]
    present = [c for c in categories if c in set(joined["category"].to_list())]
    code = {c: i for i, c in enumerate(present)}
    points = [
        [round(float(x), 4), round(float(y), 4), code[c], -1 if t is None else int(t)]
        for (x, y), c, t in zip(
            xy, joined["category"].to_list(), joined["t"].to_list(), strict=True
        )
    ]
    counts = joined.group_by("category").len()
    return {
        "points": points,
        "categories": present,
        "counts": dict(counts.iter_rows()),
        "shown": len(points),
        "total": total,
        "dims": int(vectors.shape[1]),
    }


# ----------------------------------------------------------------------------- diversity


def diversity(run: RunFiles) -> dict[str, Any] | None:
    return diversity_table(run.summary.get("diversity"))


def diversity_table(value: Any) -> dict[str, Any] | None:
    """summary.json `diversity` as a metric table: before/after columns when it has them."""
    if not value or not isinstance(value, dict):
        return None
    phases = next(
        (
            [a, b]
            for a, b in PHASES
            if isinstance(value.get(a), dict) and isinstance(value.get(b), dict)
        ),
        [k for pair in PHASES for k in pair if isinstance(value.get(k), dict)],
    )
    if phases:
        flat = {p: _flatten(value[p]) for p in phases}
        metrics = list(dict.fromkeys(k for p in phases for k in flat[p]))
        rows = [{"metric": m, **{p: flat[p].get(m) for p in phases}} for m in metrics]
        for r in rows:
            b, a = r.get("before"), r.get("after")
            r["change"] = a - b if _is_num(a) and _is_num(b) else None
        extra = {
            k: v for k, v in _flatten({k: v for k, v in value.items() if k not in phases}).items()
        }
        labels = [PHASE_LABELS.get(p, p) for p in phases]
        return {"phases": phases, "labels": labels, "rows": rows, "extra": extra}
    return {"phases": [], "labels": [], "rows": [], "extra": _flatten(value)}


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _flatten(value: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in value.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flatten(v, f"{key}."))
        else:
            out[key] = v
    return out


# ----------------------------------------------------------------------------- training


def training(run: RunFiles) -> dict[str, Any] | None:
    log = run.train_log
    if not log and not run.has_training:
        return None
    train = [
        (float(r["step"]), float(r["loss"]))
        for r in log
        if _is_num(r.get("step")) and _is_num(r.get("loss"))
    ]
    evals = [
        (float(r["step"]), float(r["eval_loss"]))
        for r in log
        if _is_num(r.get("step")) and _is_num(r.get("eval_loss"))
    ]
    series = {k: v for k, v in (("train loss", train), ("eval loss", evals)) if v}
    last = log[-1] if log else {}
    speeds = [r["tokens_per_s"] for r in log if _is_num(r.get("tokens_per_s"))]
    trained = [r["trained_tokens"] for r in log if _is_num(r.get("trained_tokens"))]
    return {
        "curve": curve(series) if series else None,
        "series": list(series),
        "steps": int(max(p[0] for p in train)) if train else last.get("step"),
        "first_loss": train[0][1] if train else None,
        "last_loss": train[-1][1] if train else None,
        "eval_loss": evals[-1][1] if evals else None,
        "tokens_per_s": float(np.median(speeds)) if speeds else None,
        "trained_tokens": trained[-1] if trained else None,
        "lr": max((r["lr"] for r in log if _is_num(r.get("lr"))), default=None),
        "model_dir": (run.run_dir / "model").is_dir(),
    }


def compare(run: RunFiles) -> list[dict[str, Any]]:
    out = []
    for r in run.compare[:COMPARE_SHOWN]:
        item = {}
        for key in ("prompt", "base", "tuned"):
            text = r.get(key)
            item[key], item[f"{key}_more"] = _clip(
                text if isinstance(text, str) else str(text or ""), TURN_CHARS
            )
        out.append(item)
    return out


def mask_preview(run: RunFiles) -> list[dict[str, Any]]:
    out = []
    for r in run.mask_preview[:MASK_ROWS]:
        tokens = [t for t in r.get("tokens", []) if isinstance(t, list | tuple) and len(t) == 2]
        trained = sum(1 for t in tokens if t[1])
        out.append(
            {
                "id": r.get("id"),
                "tokens": [(str(t[0]), bool(t[1])) for t in tokens[:MASK_TOKENS]],
                "more": max(len(tokens) - MASK_TOKENS, 0),
                "n": len(tokens),
                "trained": trained,
            }
        )
    return out


# ----------------------------------------------------------------------------- row table


def row_table(run: RunFiles) -> dict[str, Any]:
    """Every row (sampled above MAX_TABLE_ROWS) as compact arrays for the client-side table.

    Strings that repeat (source, stage, reason) are indexed into lists; prompt, response
    and detail are snippets whose length shrinks as the row count grows.
    """
    ledger = run.rows
    total = ledger.height
    if total > MAX_TABLE_ROWS:
        ledger = ledger.filter(pl.struct("id", "_i").hash(SEED).rank("ordinal") <= MAX_TABLE_ROWS)
    n = max(ledger.height, 1)
    per_row = max(60, min(480, TABLE_TEXT_CHARS // n))
    p_len, r_len, d_len = per_row // 2, per_row * 3 // 10, max(per_row // 5, 40)
    # whitespace collapsed once per text, in its own step (select would redo it per use);
    # lazy, so that each head is collapsed once for both its uses in `_collapsed_head`
    texts = (
        _texts(run, ledger)
        .lazy()
        .with_columns(_collapsed_head("_prompt", p_len), _collapsed_head("_response", r_len))
        .collect()
    )
    frame = texts.select(
        "source", "row", "id", "decision", "stage", "reason", "tags",
        pl.col("detail").str.slice(0, d_len),
        _snippet("_prompt", p_len), _snippet("_response", r_len),
    )  # fmt: skip
    sources = sorted(frame["source"].unique().to_list())
    stage_order = [st["name"] for st in run.summary.get("stages", [])]
    stages = stage_order + sorted(
        set(frame["stage"].drop_nulls().unique().to_list()) - set(stage_order)
    )
    reasons_ = sorted(frame["reason"].drop_nulls().unique().to_list())
    index = {"source": sources, "stage": stages, "reason": reasons_}
    coded = frame.with_columns(
        *[
            pl.col(c).replace_strict(
                {v: i for i, v in enumerate(vals)}, default=-1, return_dtype=pl.Int32
            )
            for c, vals in index.items()
        ],
        (pl.col("decision") == "kept").cast(pl.Int8),
        pl.col("tags").list.join(" "),
    )
    rows = coded.select(
        "source",
        "row",
        "id",
        "decision",
        "stage",
        "reason",
        "detail",
        "_prompt",
        "_response",
        "tags",
    ).rows()
    keys = frame.select("source", "row", pl.int_range(pl.len(), dtype=pl.Int64).alias("t"))
    return {
        "total": total,
        "shown": len(rows),
        "sources": sources,
        "stages": stages,
        "reasons": reasons_,
        "rows": rows,
        "keys": keys,
    }


def _collapsed_head(column: str, limit: int) -> pl.Expr:
    """A text column with each whitespace run as one space, enough of it for a snippet of
    `limit` characters.

    Only the head of a text is collapsed, which is much cheaper on long texts and gives the
    same snippet: collapsing turns a prefix of a text into a prefix of the result, so a
    head that collapses to more than `limit` characters starts as the whole text does. Only
    a text whose head collapses to fewer (mostly whitespace) is collapsed whole.
    """
    full = pl.col(column)
    head = collapsed_whitespace(full.str.slice(0, SNIPPET_HEAD * limit))
    enough = (head.str.len_chars() > limit) | (full.str.len_chars() <= SNIPPET_HEAD * limit)
    rest = collapsed_whitespace(pl.when(~enough).then(full))  # null where the head is enough
    return pl.when(enough).then(head).otherwise(rest).alias(column)


def _snippet(column: str, limit: int) -> pl.Expr:
    """The first `limit` characters of an already whitespace-collapsed text column."""
    text = pl.col(column)
    return (
        pl.when(text.str.len_chars() > limit)
        .then(text.str.slice(0, limit - 1) + "…")
        .otherwise(text)
        .alias(column)
    )
