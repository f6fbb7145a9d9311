"""`engine = "ray"` gives the local engine's ledger, clusters and outputs, byte for byte.

The corpus is real conversations with planted exact and near duplicates and broken lines
(tests/ray_support.py), spread over three files. Both engines run the same pipeline.toml;
only `[run] engine` differs.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import curate
from curate.errors import ConfigError
from tests.conftest import write_pipeline
from tests.ray_support import write_corpus

ray = pytest.importorskip("ray", reason="ray is not installed: pip install 'curate[ray]'")

STAGES = [
    {"kind": "exact_dedup"},
    {"kind": "quality"},
    {"kind": "near_dedup", "threshold": 0.7},
    {"kind": "refusal", "action": "drop"},
]


@pytest.fixture(scope="module")
def cluster():
    """A local two-CPU Ray cluster for the module (reused when one is running)."""
    started = not ray.is_initialized()
    if started:
        ray.init(num_cpus=2, include_dashboard=False, logging_level="ERROR", log_to_driver=False)
    yield
    if started:
        ray.shutdown()


def run_both(tmp_path: Path, rows: int, stages: list[dict], **run) -> tuple[Path, Path]:
    data = tmp_path / "data"
    write_corpus(data, rows)
    out = {}
    for engine in ("local", "ray"):
        folder = tmp_path / engine
        folder.mkdir()
        pipeline = write_pipeline(
            folder,
            [{"path": str(data / "part-*.jsonl"), "source": "corpus"}],
            stages,
            run={"output": "run", "engine": engine, **run},
        )
        curate.run(pipeline)
        out[engine] = folder / "run"
    return out["local"], out["ray"]


def clusters(ledger: pl.DataFrame) -> set[frozenset[str]]:
    """Cluster groupings as sets of `source:row`, independent of the numbering."""
    named = ledger.filter(pl.col("cluster_id").is_not_null()).with_columns(
        pl.format("{}:{}", "source", "row").alias("name")
    )
    groups = named.group_by("cluster_id").agg("name")["name"].to_list()
    return {frozenset(g) for g in groups}


def assert_same_run(local: Path, on_ray: Path) -> pl.DataFrame:
    a, b = pl.read_parquet(local / "ledger.parquet"), pl.read_parquet(on_ray / "ledger.parquet")
    assert_frame_equal(a, b)
    assert clusters(a) == clusters(b)
    for name in ("curated.jsonl", "rejected.jsonl"):
        assert (local / name).read_bytes() == (on_ray / name).read_bytes(), name
    sa = json.loads((local / "summary.json").read_text())
    sb = json.loads((on_ray / "summary.json").read_text())
    strip = [{k: v for k, v in s.items() if k != "seconds"} for s in sa["stages"]]
    assert strip == [{k: v for k, v in s.items() if k != "seconds"} for s in sb["stages"]]
    assert sa["warnings"] == sb["warnings"]
    assert (sa["input_rows"], sa["kept"]) == (sb["input_rows"], sb["kept"])
    return a


def check_planted(ledger: pl.DataFrame) -> None:
    """The equality is not vacuous: every kind of verdict occurs."""
    reasons = set(ledger["reason"].drop_nulls().to_list())
    assert {"duplicate", "near_duplicate", "invalid_json"} <= reasons, reasons
    sizes = ledger.group_by("cluster_id").len().filter(pl.col("cluster_id").is_not_null())["len"]
    assert sizes.max() >= 3  # components bigger than a pair, so the rounds matter
    near = ledger.filter(pl.col("reason") == "near_duplicate")
    assert near["detail"].str.contains("cluster keeper").any()  # members linked via others


def test_ray_matches_local_on_a_small_corpus(tmp_path: Path, cluster) -> None:
    stages = [*STAGES, {"kind": "select", "method": "random", "budget": 200}]
    local, on_ray = run_both(tmp_path, 600, stages)
    ledger = assert_same_run(local, on_ray)
    check_planted(ledger)
    assert ledger.filter(pl.col("reason") == "not_selected").height > 0


def test_ray_writes_outputs_to_a_uri(tmp_path: Path, cluster) -> None:
    data = tmp_path / "data"
    write_corpus(data, 200, files=1)
    pipeline = write_pipeline(
        tmp_path,
        [{"path": str(data / "part-0.jsonl")}],
        [{"kind": "exact_dedup"}],
        run={"engine": "ray", "output": (tmp_path / "unused").as_uri()},
    )
    target = (tmp_path / "bucket" / "run").as_uri()
    summary = curate.run(pipeline, out=target)
    landed = tmp_path / "bucket" / "run"
    assert summary["output_dir"] == target
    names = {p.name for p in landed.iterdir()}
    assert {
        "curated.jsonl",
        "rejected.jsonl",
        "ledger.parquet",
        "summary.json",
        "report.html",
    } <= names
    kept = pl.read_parquet(landed / "ledger.parquet").filter(pl.col("decision") == "kept")
    assert len((landed / "curated.jsonl").read_text().splitlines()) == kept.height


def test_all_bad_rows_on_ray_match_local(tmp_path: Path, cluster) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "part-0.jsonl").write_text('{"broken": \n[1, 2]\n{"input": "x"}\n')
    runs = []
    for engine in ("local", "ray"):
        pipeline = write_pipeline(
            tmp_path,
            [{"path": "data/part-0.jsonl"}],
            STAGES,
            run={"engine": engine, "output": engine},
        )
        summary = curate.run(pipeline)
        assert summary["kept"] == 0 and "no row was kept" in summary["warnings"]
        runs.append(pl.read_parquet(tmp_path / engine / "ledger.parquet"))
    assert_frame_equal(*runs)


def test_local_runs_never_import_ray(tmp_path: Path) -> None:
    (tmp_path / "d.jsonl").write_text(
        json.dumps({"prompt": "hi there", "response": "hello"}) + "\n"
    )
    pipeline = write_pipeline(tmp_path, [{"path": "d.jsonl"}], STAGES[:2])
    code = (
        "import sys, curate, curate.cli; curate.run(sys.argv[1]); "
        "assert 'ray' not in sys.modules, 'ray imported'"
    )
    subprocess.run([sys.executable, "-c", code, str(pipeline)], check=True, cwd=tmp_path)


def test_unsupported_stage_options_fail_before_any_work(tmp_path: Path) -> None:
    data = tmp_path / "d.jsonl"
    data.write_text(json.dumps({"prompt": "hi there", "response": "hello"}) + "\n")
    pipeline = write_pipeline(
        tmp_path,
        [{"path": "d.jsonl"}],
        [{"kind": "near_dedup", "index": {"storage": "redis"}}],
        run={"engine": "ray"},
    )
    with pytest.raises(ConfigError, match=r"near_dedup.*index.*ray"):
        curate.run(pipeline)


@pytest.mark.slow
def test_ray_matches_local_on_20k_rows(tmp_path: Path, cluster) -> None:
    local, on_ray = run_both(tmp_path, 20_000, STAGES)
    ledger = assert_same_run(local, on_ray)
    check_planted(ledger)
    assert ledger.height == 20_000


@pytest.mark.slow
def test_ray_embed_and_deita_select_match_local(tmp_path: Path, cluster) -> None:
    """Embeddings are computed per block on Ray, so batch padding may move them by ~1e-8;
    decisions, details and the diversity summary must not move."""
    stages = [
        {"kind": "exact_dedup"},
        {"kind": "quality"},
        {"kind": "embed"},
        {"kind": "select", "method": "deita", "budget": 100},
    ]
    local, on_ray = run_both(tmp_path, 300, stages)
    assert_same_run(local, on_ray)
    a, b = (pl.read_parquet(d / "embeddings.parquet") for d in (local, on_ray))
    assert_frame_equal(a, b, check_exact=False, abs_tol=1e-6)
    summaries = [json.loads((d / "summary.json").read_text()) for d in (local, on_ray)]
    assert summaries[0]["diversity"] == summaries[1]["diversity"]


def test_model_stages_get_one_actor_per_gpu_else_per_cpu() -> None:
    from curate.engines.ray import actor_pool

    assert actor_pool({"CPU": 64.0, "GPU": 8.0}) == {"concurrency": 8, "num_gpus": 1}
    assert actor_pool({"CPU": 2.0}) == {"concurrency": 2, "num_cpus": 1}
    assert actor_pool({}) == {"concurrency": 1, "num_cpus": 1}
