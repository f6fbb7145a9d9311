"""The select stage: diverse methods beat random on known clusters; limits are honoured;
every unselected row says why; seeded and reproducible."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from pydantic import ValidationError

from curate.records import message, record_id, records_frame
from curate.stages import STAGES
from curate.stages.base import Context
from curate.stages.embed import EmbedConfig
from curate.stages.exact_dedup import ExactDedupConfig
from curate.stages.select import Select, SelectConfig

N_CLUSTERS = 30


def clustered(n: int = 1500, dim: int = 48, seed: int = 0) -> tuple[pl.DataFrame, np.ndarray]:
    """Records whose embeddings fall in N_CLUSTERS known clusters, one of them holding half
    the rows (real data is lopsided like this: a random sample mostly hits the big topic)."""
    rng = np.random.default_rng(seed)
    centers = rng.normal(size=(N_CLUSTERS, dim))
    p = np.r_[0.5, np.full(N_CLUSTERS - 1, 0.5 / (N_CLUSTERS - 1))]
    labels = rng.choice(N_CLUSTERS, size=n, p=p)
    emb = centers[labels] + 0.25 * rng.normal(size=(n, dim))
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    rows = []
    for i in range(n):
        words = int(rng.integers(3, 200))
        ending = "." if rng.random() < 0.8 else " and"
        msgs = [
            message("user", f"question {i} about topic {labels[i]}"),
            message("assistant", " ".join(f"w{(i * 7 + j) % 97}" for j in range(words)) + ending),
        ]
        rows.append(
            {
                "id": record_id(msgs, None),
                "source": ["alpha", "beta", "gamma/x.jsonl"][i % 3],
                "row": i,
                "messages": msgs,
                "tools": None,
                "meta": "{}",
                "license": None,
            }
        )
    frame = records_frame(rows).with_columns(pl.Series("embedding", emb.astype(np.float32)))
    return frame, labels


@pytest.fixture(scope="module")
def data() -> tuple[pl.DataFrame, np.ndarray]:
    return clustered()


def selected(out: pl.DataFrame) -> pl.DataFrame:
    return out.filter(pl.col("reject_reason").is_null())


def clusters_hit(out: pl.DataFrame, labels: np.ndarray) -> int:
    mask = out["reject_reason"].is_null().to_numpy()
    return len(set(labels[mask].tolist()))


def test_deita_and_kcenter_cover_more_clusters_than_random(data):
    frame, labels = data
    budget = N_CLUSTERS
    random_hits = [
        clusters_hit(Select(method="random", budget=budget).apply(frame, Context(seed=s)), labels)
        for s in range(5)
    ]
    deita = clusters_hit(Select(method="deita", budget=budget).apply(frame, Context()), labels)
    kcenter = clusters_hit(Select(method="kcenter", budget=budget).apply(frame, Context()), labels)
    longest = clusters_hit(Select(method="longest", budget=budget).apply(frame, Context()), labels)
    assert kcenter > max(random_hits), (kcenter, random_hits)
    assert deita > max(random_hits), (deita, random_hits)
    assert kcenter >= 0.9 * N_CLUSTERS
    assert longest < kcenter


def test_deita_keeps_no_pair_at_or_above_tau(data):
    frame, _ = data
    out = Select(method="deita", budget=200, tau=0.8).apply(frame, Context())
    emb = selected(out)["embedding"].to_numpy()
    sims = emb @ emb.T
    np.fill_diagonal(sims, -1)
    assert sims.max() < 0.8
    # rows skipped by tau name the selected row that was too close, with its cosine
    skipped = out.filter(pl.col("reject_detail").str.contains(">= tau"))
    assert skipped.height > 0
    picked = set(selected(out).select(pl.format("{}:{}", "source", "row")).to_series().to_list())
    for detail in skipped["reject_detail"].head(50).to_list():
        cos = float(detail.split("cosine ")[1].split(" ")[0])
        assert cos >= 0.8
        assert detail.rsplit("to selected ", 1)[1] in picked


def test_deita_prefers_higher_scores(data):
    frame, _ = data
    frame = frame.with_columns(pl.Series("quality", np.linspace(0, 1, frame.height)))
    out = Select(method="deita", budget=50, tau=1.0).apply(frame, Context())
    chosen = selected(out)["quality"].to_numpy()
    assert chosen.min() >= np.sort(frame["quality"].to_numpy())[-50]


def test_every_unselected_row_is_explained(data):
    frame, _ = data
    for method in ("deita", "kcenter", "random", "longest"):
        ctx = Context(seed=3)
        out = Select(method=method, budget=100).apply(frame, ctx)
        n = selected(out).height
        if method == "deita":  # 30 tight clusters: tau 0.9 leaves fewer than 100 rows to take
            assert n < 100
            assert any("passed tau" in w for w in ctx.warnings)
        else:
            assert n == 100
        rejected = out.filter(pl.col("reject_reason").is_not_null())
        assert set(rejected["reject_reason"].unique()) == {"not_selected"}
        assert rejected["reject_detail"].null_count() == 0
        assert rejected["reject_detail"].str.contains(r"\w+:\d+ \(cosine [-0-9.]+\)|>= tau").all()
        assert selected(out)["reject_detail"].null_count() == n


def test_budget_token_budget_and_quotas_are_honoured(data):
    frame, _ = data
    for method in ("deita", "kcenter", "random", "longest"):
        limits = {"budget": 120, "token_budget": 20000, "quotas": {"alpha": 10, "gamma": 0.25}}
        out = Select(method=method, tau=1.0, **limits).apply(frame, Context(seed=1))
        chosen = selected(out)
        assert 0 < chosen.height <= 120
        assert chosen["select_tokens"].sum() <= 20000
        counts = dict(chosen["source"].value_counts().iter_rows())
        assert counts.get("alpha", 0) <= 10
        assert counts.get("gamma/x.jsonl", 0) <= 30  # a glob input's files share its quota
        # the token budget is nearly used up: the next row would not fit
        details = out["reject_detail"].drop_nulls()
        assert details.str.contains("token_budget 20000").any()
        assert details.str.contains("quota of 'alpha' full").any()


def test_token_budget_alone_fills_up(data):
    frame, _ = data
    out = Select(method="random", token_budget=5000).apply(frame, Context())
    tokens = out["select_tokens"].to_numpy()
    chosen = out["reject_reason"].is_null().to_numpy()
    used = tokens[chosen].sum()
    assert used <= 5000
    # greedy fill: no left-out row would still fit
    assert (tokens[~chosen] > 5000 - used).all()


def test_quota_zero_excludes_a_source(data):
    frame, _ = data
    out = Select(method="kcenter", budget=60, quotas={"beta": 0}).apply(frame, Context())
    assert "beta" not in selected(out)["source"].to_list()
    assert selected(out).height == 60


def test_seeded_and_reproducible(data):
    frame, _ = data

    def ids(method: str, seed: int) -> list[str]:
        return selected(Select(method=method, budget=80).apply(frame, Context(seed=seed)))[
            "id"
        ].to_list()

    assert ids("random", 7) == ids("random", 7)
    assert ids("random", 7) != ids("random", 8)
    for method in ("deita", "kcenter", "longest"):
        assert ids(method, 0) == ids(method, 0)
    a = Select(method="deita", budget=80).apply(frame, Context())
    b = Select(method="deita", budget=80).apply(frame, Context())
    assert a.select("reject_reason", "reject_detail").equals(
        b.select("reject_reason", "reject_detail")
    )


def test_deita_score_may_include_length_and_columns(data):
    frame, _ = data
    frame = frame.with_columns(pl.Series("ifd", np.random.default_rng(0).random(frame.height)))
    out = Select(method="deita", budget=40, tau=0.99, score="quality * length * ifd").apply(
        frame, Context()
    )
    assert selected(out).height == 40
    with pytest.raises(ValueError, match="nope"):
        Select(method="deita", budget=40, score="quality*nope").apply(frame, Context())


def test_methods_needing_embeddings_are_checked_in_the_pipeline():
    with pytest.raises(ValueError, match="needs an embed stage"):
        SelectConfig(method="deita", budget=5).check_pipeline([ExactDedupConfig()])
    with pytest.raises(ValueError, match="needs an embed stage"):
        SelectConfig(method="kcenter", budget=5).check_pipeline([])
    SelectConfig(method="kcenter", budget=5).check_pipeline([ExactDedupConfig(), EmbedConfig()])
    SelectConfig(method="random", budget=5).check_pipeline([])
    SelectConfig(method="longest", budget=5).check_pipeline([])
    assert STAGES["select"] is Select


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({}, "needs a limit"),
        ({"budget": 0}, ">= 1"),
        ({"budget": 10, "tau": 1.5}, "tau"),
        ({"token_budget": 10, "quotas": {"a": 0.5}}, "fraction needs `budget`"),
        ({"budget": 10, "quotas": {"a": 1.5}}, "use an integer"),
        ({"budget": 10, "score": "quality+length"}, "joined by"),
        ({"budget": 10, "method": "best"}, "method"),
        ({"budget": 10, "bogus": 1}, "bogus"),
    ],
)
def test_config_errors_name_the_problem(options, message):
    with pytest.raises(ValidationError, match=message):
        SelectConfig(**options)


def test_random_and_longest_work_without_embeddings(data):
    frame, _ = data
    plain = frame.drop("embedding")
    out = Select(method="longest", budget=10).apply(plain, Context())
    tokens = out["select_score"].to_numpy()
    chosen = out["reject_reason"].is_null().to_numpy()
    assert tokens[chosen].min() >= tokens[~chosen].max()
    assert not out["reject_detail"].drop_nulls().str.contains("nearest").any()
    with pytest.raises(ValueError, match="embedding"):
        Select(method="deita", budget=10).apply(plain, Context())


def test_empty_frame():
    frame, _ = clustered(n=0)
    out = Select(method="random", budget=3).apply(frame, Context())
    assert out.height == 0
