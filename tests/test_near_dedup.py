"""near_dedup: planted duplicates, keepers, ledger fields, accuracy, cache, Redis index."""

from __future__ import annotations

import random
import shutil
import socket
import subprocess
import time

import numpy as np
import polars as pl
import pytest
from pydantic import ValidationError

from curate.cache import Cache
from curate.dedup import minhash as mh
from curate.dedup.shingles import ShingleSpec, shingle
from curate.errors import InputError
from curate.stages import near_dedup as nd
from curate.stages.base import CLUSTER, DETAIL, DUPLICATE_OF, REASON, Context
from curate.stages.near_dedup import NearDedup
from tests.conftest import shared
from tests.dedup_support import (
    brute_force_pairs,
    chat_frame,
    load_alpaca,
    real_prompts,
    with_near_duplicates,
)


@pytest.fixture(scope="module")
def prompts() -> list[str]:
    return real_prompts()


def test_planted_near_duplicates_are_found_and_explained(prompts):
    base = prompts[:600] + [p for p in prompts[600:] if len(p.split()) > 60][:200]
    planted = {800 + k: i for k, i in enumerate(random.Random(1).sample(range(600, 800), 40))}
    texts = base + [
        "Please help. " + base[i].replace(" the ", " this ", 1) for i in planted.values()
    ]
    frame = chat_frame(texts)
    out = NearDedup().apply(frame, Context())
    assert out.columns[: frame.width] == frame.columns and nd.TEXT not in out.columns
    rejected = out.filter(pl.col(REASON).is_not_null())
    assert set(rejected[REASON]) == {"near_duplicate"}
    for copy, original in planted.items():
        pair = out[[original, copy]]
        assert pair[CLUSTER][0] == pair[CLUSTER][1] is not None
        assert pair[REASON].null_count() == 1  # one of the two keeps
        keeper = pair.filter(pl.col(REASON).is_null())["id"][0]
        assert pair.filter(pl.col(REASON).is_not_null())[DUPLICATE_OF][0] == keeper
        assert pair["minhash_jaccard"].min() >= 0.8
    assert rejected[DETAIL].str.contains(r"^J=(0\.[89]\d|1\.00) with test:\d+").all()
    kept_ids = set(out.filter(pl.col(REASON).is_null())["id"])
    assert set(rejected[DUPLICATE_OF]) <= kept_ids


def test_keeper_is_best_quality_then_longer_response_then_smaller_id(prompts):
    text = prompts[5]
    frame = chat_frame(
        [text, text + " Now.", text + " Thanks."], ["short", "a much longer answer", "mid answer"]
    )
    out = NearDedup().apply(frame, Context())
    assert out[REASON].to_list() == ["near_duplicate", None, "near_duplicate"]  # longest response
    scored = frame.with_columns(quality=pl.Series([0.9, 0.1, 0.5]))
    out = NearDedup().apply(scored, Context())
    assert out[REASON].to_list() == [None, "near_duplicate", "near_duplicate"]
    assert out[DUPLICATE_OF].to_list() == [None, frame["id"][0], frame["id"][0]]
    tie = chat_frame([text, text + " Now."], ["same", "same"]).with_columns(quality=pl.lit(0.5))
    out = NearDedup().apply(tie, Context())
    assert out.filter(pl.col(REASON).is_null())["id"][0] == min(tie["id"])


def test_field_choice_and_unclustered_rows(prompts):
    frame = chat_frame([prompts[1], prompts[2]], ["The same long answer " * 5] * 2)
    assert NearDedup().apply(frame, Context())[REASON].null_count() == 2
    out = NearDedup(field="response").apply(frame, Context())
    assert out[REASON].null_count() == 1 and out[CLUSTER].null_count() == 0
    lone = NearDedup().apply(chat_frame([prompts[3], ""]), Context())
    assert lone[CLUSTER].null_count() == 2 and lone["minhash_jaccard"].null_count() == 2


def test_recall_and_precision_against_brute_force_jaccard(prompts):
    """>= 5,000 real prompts plus 1,500 edited copies; truth = exact Jaccard of shingle
    strings by sparse matrix product. Pair recall at J >= 0.85 and precision."""
    texts, _ = with_near_duplicates(prompts[:6000], 1500)
    assert len(prompts[:6000]) >= 5000
    truth = brute_force_pairs(texts, 0.8)
    series = pl.Series(texts)
    sig = mh.MinHasher().signatures(shingle(series))
    for threshold in (0.8, 0.85):
        pairs, sim = mh.similar_pairs(
            sig, series, threshold, *mh.lsh_params(threshold, 128), ShingleSpec()
        )
        found = {tuple(p): s for p, s in zip(pairs.tolist(), sim, strict=True)}
        assert all(
            p in truth and abs(truth[p] - s) < 1e-6 for p, s in found.items()
        )  # precision 1.0
        wanted = [p for p, j in truth.items() if j >= 0.85]
        recall = sum(p in found for p in wanted) / len(wanted)
        assert len(wanted) > 800 and recall >= 0.95, (threshold, recall)


def test_stage_clusters_cover_true_pairs(prompts):
    texts, _ = with_near_duplicates(prompts[:3000], 500, seed=3)
    truth = [p for p, j in brute_force_pairs(texts, 0.85).items()]
    out = NearDedup(template_line_frac=1.0).apply(chat_frame(texts), Context())
    cluster = out[CLUSTER].to_numpy()
    together = sum(cluster[i] == cluster[j] and not np.isnan(cluster[i]) for i, j in truth)
    assert together / len(truth) >= 0.95


def test_template_stripping_on_toolformer_set():
    """GPTeacher toolformer prompts share tool descriptions: without stripping most rows
    look alike; with it, only real near-duplicates remain."""
    rows = load_alpaca(shared("gpteacher/toolformer-dedupe-only-dataset.json.gz"))[:3000]
    frame = chat_frame(
        [r["instruction"] + "\n" + r["input"] for r in rows], [r["response"] for r in rows]
    )
    ctx = Context()
    stripped = NearDedup().apply(frame, ctx)[REASON].is_not_null().mean()
    raw = NearDedup(template_line_frac=1.0).apply(frame, Context())[REASON].is_not_null().mean()
    assert stripped < 0.25 < 0.5 < raw
    assert any("template lines" in w for w in ctx.warnings)


def test_rerun_with_another_threshold_recomputes_no_signature(tmp_path, prompts, monkeypatch):
    frame = chat_frame([*prompts[:300], prompts[0] + " ok"])
    cache = Cache(tmp_path)
    first = NearDedup(threshold=0.8).apply(frame, Context(cache=cache))

    def boom(self, shingles):
        raise AssertionError("signature recomputed")

    monkeypatch.setattr(mh.MinHasher, "signatures", boom)
    again = NearDedup(threshold=0.9).apply(frame, Context(cache=cache))
    rejected = [set(out.filter(pl.col(REASON).is_not_null())["row"]) for out in (first, again)]
    assert rejected[0] and rejected[1] < rejected[0]  # a stricter threshold flags fewer


def test_config_is_checked():
    with pytest.raises(ValidationError, match="both"):
        NearDedup(bands=10)
    with pytest.raises(ValidationError, match="exceeds num_perm"):
        NearDedup(bands=20, rows=10)
    with pytest.raises(ValidationError):
        NearDedup(treshold=0.5)
    assert NearDedup(bands=16, rows=8).banding == (16, 8)
    assert NearDedup().banding == mh.lsh_params(0.8, 128)


# --- persistent index ------------------------------------------------------------------


@pytest.fixture
def redis_server(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.skip(
            "redis-server is not on PATH (apt-get install redis-server); Redis index untested"
        )
    pytest.importorskip("redis", reason="the `redis` client package is not installed")
    import redis

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    try:
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_redis_index_dedups_a_new_batch_against_earlier_runs(redis_server, prompts):
    index = {"storage": "redis", "port": redis_server, "basename": "test"}
    verdict = NearDedup(threshold=0.5).apply(chat_frame(prompts[:500]), Context())[REASON]
    prompts = [p for p, r in zip(prompts, verdict, strict=False) if r is None]  # no dups among them
    first = chat_frame(prompts[:200], source="first")
    out = NearDedup(index=index).apply(first, Context())
    assert out[REASON].null_count() == 200
    again = NearDedup(index=index).apply(first, Context())  # accepted rows are not their own dups
    assert again[REASON].null_count() == 200
    second = chat_frame(
        [
            prompts[10] + " Thanks!",
            prompts[10] + " Thank you!",
            prompts[20] + " Please.",
            *prompts[300:320],
        ],
        source="second",
    )
    ctx = Context()
    out = NearDedup(index=index).apply(second, ctx)
    hits = out.filter(pl.col(REASON).is_not_null())
    assert hits.height == 3 and set(hits[REASON]) == {"near_duplicate"}
    assert set(hits[DUPLICATE_OF]) == {first["id"][10], first["id"][20]}
    assert hits[DETAIL].str.contains(r"with first:(10|20) \(index\)").sum() >= 2
    assert any("index" in w for w in ctx.warnings)
    third = chat_frame(
        [prompts[305] + " Please."], source="third"
    )  # second batch's rows were added
    assert NearDedup(index=index).apply(third, Context())[DUPLICATE_OF][0] == second["id"][8]


def test_empty_and_single_row_frames():
    from curate.records import empty_records

    for frame in (empty_records(), chat_frame(["just one row"])):
        out = NearDedup().apply(frame, Context())
        assert out.height == frame.height and out[REASON].null_count() == frame.height
        assert out.schema[CLUSTER] == pl.Int64 and out.schema["minhash_jaccard"] == pl.Float64


def test_unreachable_redis_index_is_one_clear_error(prompts):
    pytest.importorskip("redis", reason="the `redis` client package is not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens there once the socket is closed
    stage = NearDedup(index={"storage": "redis", "port": port})
    with pytest.raises(InputError, match=f"cannot reach the Redis index at 127.0.0.1:{port}"):
        stage.apply(chat_frame(prompts[:3]), Context())
