"""The Ray engine (`[run] engine = "ray"`): the same pipeline, the same results, on Ray Data.

Nothing here re-implements a stage. Rows live in Ray Data blocks (Arrow tables); every
step turns a block into a polars frame and calls the code the local engine calls:

- ingest: one read task per input file, mapped through `curate.io.ingest.read_source`;
  the global input order (`_key`) is the local runner's: (file, row) ranked.
- per-row stages (quality, refusal, embed, decontaminate): `map_batches` calling the
  stage's own `annotate` and `decide` on each block; embed on a pool of actors, one per
  GPU when the cluster has GPUs (each loads the model once), else one per CPU.
- exact_dedup: the stage's `annotate` per block, a hash shuffle on the canonical text,
  then the stage's own `decide` on each partition (a partition holds whole groups).
- near_dedup: texts and template-line counts per block, frequent lines counted by a
  shuffle, signatures per block (`cached_signatures`), LSH band buckets by a shuffle on
  (band, key) with `bucket_pairs`, candidate pairs verified by exact Jaccard in a map
  after two joins that bring both texts to the pair, connected components by
  large-star / small-star rounds (Kiveris et al., 2014) over the verified edges, then
  each component (its rows and edges, one partition) gets the stage's own keeper and
  verdict (`_keepers`, `_verdict`); a left join hands the verdicts to every row.
- select: global by nature; the surviving rows are gathered on the driver, when they fit
  (`CURATE_RAY_GATHER_BYTES`, default half the driver's available memory).

The driver holds what the local engine's ledger holds: per input row its key, id,
source, row, verdict and scores (not the records). Outputs are written by the local
engine's writers, the records streamed to the driver block by block in input order, so
`curated.jsonl`, `rejected.jsonl` and `ledger.parquet` are byte-identical to a local
run. An output that is a URI (`s3://...`, `gs://...`, `file://...`) is staged locally
and copied with pyarrow filesystems, summary.json last.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import polars as pl
import pyarrow as pa

from curate import runner
from curate.config import Pipeline
from curate.dedup.minhash import (
    MAX_HASH,
    band_keys,
    bucket_pairs,
    cached_signatures,
    jaccard,
    shingle_sets,
)
from curate.dedup.shingles import line_keys, row_line_keys, shingle, strip_lines
from curate.errors import ConfigError, InputError
from curate.io.ingest import BAD_SCHEMA, read_source
from curate.io.writers import atomic_path, publish, to_output, write_json, write_parquet
from curate.ledger import KEY, Ledger
from curate.progress import Progress
from curate.records import RECORD_SCHEMA
from curate.stages import STAGES, Context, Stage
from curate.stages.base import ADD_TAGS, CLUSTER, DETAIL, DUPLICATE_OF, REASON, VERDICT_COLUMNS
from curate.stages.embed import COLUMN as EMBEDDING
from curate.stages.near_dedup import SCORE as JACCARD
from curate.stages.near_dedup import SIGNATURE, TEXT, NearDedup, _keepers, _matrix, _verdict
from curate.text import field_text

FILE = runner.FILE
RANK = "_rank"  # a row's place in its file
BAD = "_bad"
ROOT = "_root"  # a row's connected component: its smallest key
EDGE_A, EDGE_B, EDGE_J = "_a", "_b", "_j"
HASH = "_hash"  # shuffle key
SIDE = "_side"  # join input: 0 left, 1 right
STRIP_STATS = {"stripped": "_nd_stripped", "rows": "_nd_rows", "whole": "_nd_whole"}
ROW_STAGES = frozenset({"quality", "refusal", "embed", "decontaminate"})
MODEL_STAGES = frozenset({"embed"})  # row stages that load a model: run on an actor pool
DISTRIBUTED = ROW_STAGES | {"exact_dedup", "near_dedup"}
GATHERED = frozenset({"select"})  # global by nature: run on the driver when the rows fit
EXTRA_COLUMNS = {"refusal": ["refusal_tier"]}  # gathered for driver-side warnings
BLOCK_ROWS = 20_000
MAX_ROUNDS = 64
VERDICT_TYPES: dict[str, pl.DataType] = {
    REASON: pl.String(), DETAIL: pl.String(), DUPLICATE_OF: pl.String(),
    CLUSTER: pl.Int64(), ADD_TAGS: pl.List(pl.String()),
}  # fmt: skip
INGEST_SCHEMA: dict[str, pl.DataType] = {
    **RECORD_SCHEMA,
    **{k: v for k, v in BAD_SCHEMA.items() if k not in RECORD_SCHEMA},
    BAD: pl.Boolean(),
    FILE: pl.Int32(),
    RANK: pl.Int64(),
}


def run_on_ray(
    pipeline: Pipeline,
    *,
    out: str | Path | None = None,
    cache: str | Path | None = None,
    strict: bool = False,
    limit: int | None = None,
    quiet: bool = True,
) -> dict[str, Any]:
    """`curate.runner.run_pipeline` on Ray: same ledger, outputs and summary."""
    started = time.perf_counter()
    config = pipeline.config
    check_supported(pipeline)
    target = str(out) if out is not None else config.run.output
    uri = target if "://" in target else None
    out_dir = None if uri else (Path(out).resolve() if out else pipeline.output_dir)
    warnings: list[str] = []
    if cache is not None:
        cache_dir: Path | None = Path(cache).resolve()
    elif out_dir is not None:
        cache_dir = out_dir.parent / ".cache"
    else:
        cache_dir = None
        warnings.append("output is a URI and no --cache was given: the cache is off")
    engine = RayEngine.connect(config.run.ray_address, quiet=quiet)
    progress = Progress(enabled=not quiet)
    ctx = runner.stage_context(pipeline, cache_dir, progress)
    with progress:
        # 1. ingest: records stay in the cluster; the driver keeps each row's key and verdict
        t0 = time.perf_counter()
        records, order, bad = engine.ingest(pipeline, strict=strict, limit=limit)
        n_records = records.count()
        if n_records == 0:  # nothing to distribute: the local engine is the reference
            return _run_locally(
                pipeline, out=out, cache=cache, strict=strict, limit=limit, quiet=quiet
            )
        ledger = Ledger(rows=order.select(KEY, "id", "source", "row"))
        ledger.verdicts.append(
            bad.select(
                KEY,
                pl.lit("ingest").alias("stage"),
                "reason",
                "detail",
                pl.lit(None, pl.String).alias("duplicate_of"),
            )
        )
        ledger.scores.append(engine.gather(engine.map(records, runner.ingest_scores)))
        input_rows = order.height
        stage_stats = [
            runner._stage_stat(
                "ingest", "ingest", input_rows, n_records, bad["reason"], time.perf_counter() - t0
            )
        ]
        warnings += runner._ingest_warnings(pipeline, order, bad)
        progress.log(
            f"ingest: {input_rows} rows, {bad.height} bad, {time.perf_counter() - t0:.1f}s"
        )

        # 2. stages, in config order
        overrides = runner._load_overrides(pipeline, order)
        alive = records
        embedded: pl.DataFrame | None = None
        before_select: pl.Series | None = None  # keys that reached select, when embedded
        for i, stage_config in enumerate(config.stages):
            stage = STAGES[stage_config.kind](stage_config)
            t0 = time.perf_counter()
            ctx.stages_before = [s.kind for s in config.stages[:i]]
            if stage.kind == "select" and embedded is not None:
                before_select = engine.gather(alive, [KEY])[KEY]
            decided = engine.run_stage(stage, alive, ctx)
            columns = engine.columns(decided)
            wanted = [KEY, *(c for c in (*VERDICT_COLUMNS, *stage.score_columns) if c in columns)]
            wanted += [c for c in EXTRA_COLUMNS.get(stage.kind, []) if c in columns]
            verdicts = engine.gather(decided, wanted)
            ledger.record(stage.name, verdicts, stage.score_columns)
            if stage.kind == "refusal":
                stage.warn_rate(verdicts["refusal_tier"], ctx)  # type: ignore[attr-defined]
            if embedded is None and EMBEDDING in columns:
                embedded = engine.gather(decided, [KEY, "id", "source", "row", EMBEDDING]).sort(KEY)
            alive = engine.map(decided, _survivors).materialize()
            rejected = verdicts.filter(pl.col(REASON).is_not_null())[REASON]
            n_out = verdicts.height - rejected.len()
            seconds = time.perf_counter() - t0
            stage_stats.append(
                runner._stage_stat(
                    stage.name, stage.kind, verdicts.height, n_out, rejected, seconds
                )
            )
            progress.log(f"{stage.name}: {verdicts.height} -> {n_out} ({seconds:.1f}s)")
        if overrides is not None:
            parsed = order.filter(~pl.col(BAD)).select(KEY, "source", "row")
            _, stat = runner._review(
                overrides, engine.gather(alive, [KEY, "source", "row"]), parsed, ledger
            )
            stage_stats.append(stat)

        # 3. outputs: the ledger decides what is curated; records stream in input order
        table = ledger.finish()
        warnings += ctx.warnings
        kept_keys = table.filter(pl.col("decision") == "kept")[KEY]
        if input_rows and kept_keys.len() == 0:
            warnings.append("no row was kept")
        summary = runner._summary(pipeline, table, stage_stats, warnings, started)
        if embedded is not None:
            pool = (
                None
                if before_select is None
                else embedded.filter(pl.col(KEY).is_in(before_select.implode()))
            )
            chosen = embedded.filter(pl.col(KEY).is_in(kept_keys.implode()))
            summary["diversity"] = runner._diversity(embedded, pool, chosen, config.run.seed)
        local_out = out_dir if out_dir is not None else Path(tempfile.mkdtemp(prefix="curate-run-"))
        staging = local_out.parent / f".{local_out.name}.staging-{uuid.uuid4().hex[:8]}"
        staging.mkdir(parents=True)
        try:
            engine.write_outputs(staging, pipeline, records, bad, table, summary, embedded)
            if uri is None:
                publish(staging, local_out)
            else:
                upload(staging, uri)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            if uri is not None:
                shutil.rmtree(local_out, ignore_errors=True)
    summary["output_dir"] = uri or str(out_dir)
    return summary


def check_supported(pipeline: Pipeline) -> None:
    """Refuse, before any work, a pipeline the Ray engine cannot run as the local one does."""
    for i, stage in enumerate(pipeline.config.stages):
        where = f"stages[{i}] ({stage.label})"
        if stage.kind not in DISTRIBUTED | GATHERED:
            raise ConfigError(
                f'{where}: stage kind {stage.kind!r} has no implementation on engine = "ray"'
            )
        if stage.kind == "near_dedup" and getattr(stage, "index", None) is not None:
            raise ConfigError(
                f'{where}: near_dedup `index` (Redis) is not supported on engine = "ray"; '
                'run the indexed dedup with engine = "local"'
            )


def _run_locally(pipeline: Pipeline, **options: Any) -> dict[str, Any]:
    run = pipeline.config.run.model_copy(update={"engine": "local"})
    config = pipeline.config.model_copy(update={"run": run})
    return runner.run_pipeline(replace(pipeline, config=config), **options)


def upload(staging: Path, uri: str) -> None:
    """Copy the staged outputs to `uri` with pyarrow filesystems; summary.json goes last,
    so a reader that finds it finds a complete run."""
    from pyarrow import fs

    filesystem, root = fs.FileSystem.from_uri(uri)
    filesystem.create_dir(root, recursive=True)
    files = sorted(staging.iterdir(), key=lambda p: p.name == "summary.json")
    for item in files:
        target = f"{root.rstrip('/')}/{item.name}"
        if item.is_dir():
            fs.copy_files(
                str(item),
                target,
                source_filesystem=fs.LocalFileSystem(),
                destination_filesystem=filesystem,
            )
        else:
            with open(item, "rb") as src, filesystem.open_output_stream(target) as dst:
                shutil.copyfileobj(src, dst, 1 << 20)


# --- frames <-> blocks ------------------------------------------------------------------


def frame_of(table: pa.Table) -> pl.DataFrame:
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame.rechunk()


def table_of(frame: pl.DataFrame) -> pa.Table:
    """Arrow with classic (large) string and list types, which every Ray Data op accepts."""
    return frame.to_arrow(compat_level=pl.CompatLevel.oldest())


def _on_frames(fn: Callable[..., pl.DataFrame], *args: Any) -> Callable[[pa.Table], pa.Table]:
    def apply(table: pa.Table) -> pa.Table:
        return table_of(fn(frame_of(table), *args))

    apply.__name__ = getattr(fn, "__name__", "apply")
    return apply


class _FrameActor:
    """A Ray Data actor UDF: `fn(frame, *args)` per block; the actor's process keeps what
    `fn` caches (an embedding model) for every block it is given."""

    def __init__(self, fn: Callable[..., pl.DataFrame], *args: Any) -> None:
        self.apply = _on_frames(fn, *args)

    def __call__(self, table: pa.Table) -> pa.Table:
        return self.apply(table)


def actor_pool(resources: dict[str, float]) -> dict[str, Any]:
    """map_batches options for a model stage: one actor per GPU when the cluster has
    GPUs, else one per CPU."""
    gpus = int(resources.get("GPU", 0))
    if gpus:
        return {"concurrency": gpus, "num_gpus": 1}
    return {"concurrency": max(1, int(resources.get("CPU", 1))), "num_cpus": 1}


def _typed(frame: pl.DataFrame) -> pl.DataFrame:
    """Verdict columns with one dtype in every block (an all-null block must not differ)."""
    return frame.with_columns(
        [pl.col(c).cast(t) for c, t in VERDICT_TYPES.items() if c in frame.columns]
    )


def _survivors(frame: pl.DataFrame) -> pl.DataFrame:
    kept = frame.filter(pl.col(REASON).is_null())
    return kept.drop([c for c in VERDICT_COLUMNS if c in kept.columns])


# --- the engine ---------------------------------------------------------------------------


class RayEngine:
    """Ray Data plumbing: maps, shuffles, joins and gathers over polars frames."""

    def __init__(self, ray: Any, partitions: int) -> None:
        self.ray = ray
        self.partitions = partitions

    @classmethod
    def connect(cls, address: str | None, *, quiet: bool = True) -> RayEngine:
        try:
            import ray
        except ImportError:
            raise ConfigError(
                'run.engine = "ray" needs Ray: pip install "curate[ray]" (or ray[data])'
            ) from None
        if not ray.is_initialized():
            ray.init(
                address=address or os.environ.get("RAY_ADDRESS") or None,
                include_dashboard=False,
                logging_level=logging.WARNING if quiet else logging.INFO,
                log_to_driver=not quiet,
            )
        from ray.data import DataContext
        from ray.data.context import ShuffleStrategy

        data = DataContext.get_current()
        data.enable_progress_bars = not quiet
        if quiet:
            logging.getLogger("ray.data").setLevel(logging.WARNING)
        if data.shuffle_strategy not in (
            ShuffleStrategy.SORT_SHUFFLE_PULL_BASED,
            ShuffleStrategy.SORT_SHUFFLE_PUSH_BASED,
        ):  # the sort-based shuffle runs as tasks: no aggregator actors to start per step
            data.shuffle_strategy = ShuffleStrategy.SORT_SHUFFLE_PULL_BASED
        cpus = int(ray.cluster_resources().get("CPU", 1))
        return cls(ray, partitions=max(2, 2 * cpus))

    # generic steps

    def map(self, ds: Any, fn: Callable[..., pl.DataFrame], *args: Any) -> Any:
        """`fn(frame, *args)` on every block (a whole block per call)."""
        return ds.map_batches(_on_frames(fn, *args), batch_format="pyarrow", batch_size=None)

    def map_on_actors(self, ds: Any, fn: Callable[..., pl.DataFrame], *args: Any) -> Any:
        """`fn(frame, *args)` on every block, in a pool of long-lived actors: a stage that
        loads a model loads it once per actor, not once per task. On a cluster with GPUs
        each actor holds one GPU (Ray sets its CUDA_VISIBLE_DEVICES), so the stage's
        default device, cuda when present, is that GPU; without GPUs, one actor per CPU."""
        pool = actor_pool(self.ray.cluster_resources())
        return ds.map_batches(
            _FrameActor,
            fn_constructor_args=(fn, *args),
            batch_format="pyarrow",
            batch_size=None,
            **pool,
        )

    def shuffle(self, ds: Any, keys: list[str]) -> Any:
        """Partition by `keys` so that each block holds whole groups: a Ray Data sort on a
        64-bit hash of the keys (range partitions never split equal values, and the
        task-based sort shuffle needs no long-lived actors)."""
        return self.map(ds, _hashed, keys).sort(HASH)

    def grouped(self, ds: Any, keys: list[str], fn: Callable[..., pl.DataFrame], *args: Any) -> Any:
        """`fn` on blocks that each hold every row of their key groups."""
        return self.map(self.shuffle(ds, keys), _unhashed, fn, *args)

    def join(self, left: Any, right: Any, on: str, how: str = "inner") -> Any:
        """`left` joined with `right` on `on` (how: inner | left): both sides in one
        shuffle by the key, joined per block by polars."""
        left, right = self.materialize(left), self.materialize(right)  # schema without recompute
        lt, rt = self.template(left), self.template(right)
        both = pl.concat([lt, rt.drop(on)], how="horizontal").with_columns(
            pl.lit(None, pl.Int8).alias(SIDE)
        )
        tagged = self.map(left, _tag, 0, both).union(self.map(right, _tag, 1, both))
        return self.grouped(tagged, [on], _join_sides, on, how, lt.columns, rt.columns)

    def template(self, ds: Any) -> pl.DataFrame:
        """An empty frame with the columns and types of `ds`."""
        return frame_of(ds.schema().base_schema.empty_table())

    def columns(self, ds: Any) -> list[str]:
        schema = ds.schema()
        return list(schema.names) if schema is not None else []

    def gather(self, ds: Any, columns: list[str] | None = None) -> pl.DataFrame:
        """The rows of `ds` (only `columns`) on the driver, as one frame."""
        if columns is not None:
            ds = ds.select_columns(columns)
        tables = [t for t in self.ray.get(ds.to_arrow_refs()) if t.num_rows]
        if not tables:
            schema = ds.schema()
            if schema is None:
                return pl.DataFrame(schema=dict.fromkeys(columns or [], pl.Null))
            return frame_of(schema.base_schema.empty_table())
        return pl.concat([frame_of(t) for t in tables], how="vertical_relaxed").rechunk()

    def materialize(self, ds: Any) -> Any:
        from ray.data.dataset import MaterializedDataset

        if isinstance(ds, MaterializedDataset):
            return ds
        try:
            return ds.materialize()
        except Exception as exc:  # a bad row under --strict, raised in a worker
            cause = _user_error(exc)
            if cause is not None:
                raise cause from None
            raise

    # ingest

    def ingest(
        self, pipeline: Pipeline, *, strict: bool, limit: int | None
    ) -> tuple[Any, pl.DataFrame, pl.DataFrame]:
        """Records (a dataset with `_key`), the input order and the bad rows (driver)."""
        sources = pipeline.sources
        files = self.ray.data.from_items(
            [{FILE: i} for i in range(len(sources))], override_num_blocks=max(1, len(sources))
        )
        read = partial(_read_files, sources=sources, strict=strict, limit=limit)
        rows = self.materialize(files.map_batches(read, batch_format="pyarrow", batch_size=1))
        order = self.gather(rows, [FILE, RANK, "row", "id", "source", BAD])
        order = order.sort(FILE, "row").with_row_index(KEY).with_columns(pl.col(KEY).cast(pl.Int64))
        first = order.group_by(FILE).agg(pl.col(KEY).min().alias("_first"))
        check = order.join(first, on=FILE).filter(pl.col(KEY) != pl.col("_first") + pl.col(RANK))
        assert check.height == 0, "ingest: rows of a file did not arrive in row order"
        offsets = dict(zip(first[FILE].to_list(), first["_first"].to_list(), strict=True))
        keyed = self.map(rows, _with_key, offsets)
        bad = self.gather(self.map(keyed, _bad_rows), [*BAD_SCHEMA, FILE, KEY]).sort(KEY)
        n = int((~order[BAD]).sum())
        blocks = max(self.partitions, -(-n // BLOCK_ROWS))
        records = self.map(keyed, _parsed_rows).repartition(blocks).materialize()
        if strict and n == 0:
            raise InputError("no valid rows in any input")
        return records, order, bad

    # stages

    def run_stage(self, stage: Stage, alive: Any, ctx: Context) -> Any:
        """The stage's verdict columns on every surviving row (a materialized dataset)."""
        worker = Context(
            seed=ctx.seed,
            cache=ctx.cache,
            stages_before=list(ctx.stages_before),
            base_dir=ctx.base_dir,
            tokenizer=ctx.tokenizer,
        )
        if alive.count() == 0:
            empty = self.gather(alive)
            return self.ray.data.from_arrow(table_of(_typed(stage.apply(empty, ctx))))
        if stage.kind in MODEL_STAGES:
            decided = self.map_on_actors(alive, _row_stage, stage, worker)
        elif stage.kind in ROW_STAGES:
            if hasattr(stage, "setup"):  # read reference files once, on the driver
                stage.setup(ctx)
            decided = self.map(alive, _row_stage, stage, worker)
        elif stage.kind == "exact_dedup":
            decided = self.exact_dedup(stage, alive, worker)
        elif stage.kind == "near_dedup":
            assert isinstance(stage, NearDedup)
            decided = self.near_dedup(stage, alive, ctx, worker)
        else:
            decided = self.gathered(stage, alive, ctx)
        return self.materialize(decided)

    def exact_dedup(self, stage: Stage, alive: Any, ctx: Context) -> Any:
        """annotate per block; decide per partition of whole canonical-text groups."""
        before = set(self.columns(alive))
        annotated = self.map(alive, _annotate, stage, ctx).materialize()
        keys = [c for c in self.columns(annotated) if c not in before]
        return self.grouped(annotated, keys, _decide_groups, stage, ctx)

    def gathered(self, stage: Stage, alive: Any, ctx: Context) -> Any:
        """A global stage on the driver, when the surviving rows fit there."""
        size, budget = alive.size_bytes(), gather_budget()
        if size > budget:
            raise ConfigError(
                f"{stage.name}: needs all {alive.count()} surviving rows on the driver "
                f"({size / 2**30:.1f} GiB, budget {budget / 2**30:.1f} GiB, "
                "CURATE_RAY_GATHER_BYTES); reduce the rows first (dedup, filters) or raise it"
            )
        frame = self.gather(alive).sort(KEY)
        decided = _typed(stage.apply(frame, ctx))
        return self.ray.data.from_arrow(table_of(decided))

    def near_dedup(self, stage: NearDedup, alive: Any, ctx: Context, worker: Context) -> Any:
        cfg = stage.config
        n = alive.count()
        texts = self.map(alive, _near_texts, cfg.field).materialize()
        # template lines: counted over every row by a shuffle on the line key
        limit = max(cfg.template_line_frac * n, float(cfg.template_line_min))
        counted = self.grouped(self.map(texts, _line_keys), ["key"], _frequent, limit)
        frequent = self.gather(counted, ["key"])["key"].cast(pl.String)
        signed = self.map(texts, _strip_and_sign, stage, frequent, worker).materialize()
        sums = self.gather(self.map(signed, _totals, list(STRIP_STATS.values())))
        stats = {k: int(sums[c].sum()) if sums.height else 0 for k, c in STRIP_STATS.items()}
        stage.warn_template_lines({"lines": frequent.len(), "limit": int(limit), **stats}, ctx)
        rows = self.map(signed, _drop, [TEXT, SIGNATURE, *STRIP_STATS.values()])
        # candidates: LSH buckets by a shuffle on (band, key); verified by exact Jaccard
        bands, per_band = stage.banding
        banded = self.map(signed, _band_rows, cfg.num_perm, bands, per_band)
        pairs = self.grouped(banded, ["band", "bkey"], _bucket_pairs)
        pairs = self.grouped(pairs, [EDGE_A, EDGE_B], _unique)
        text = signed.select_columns([KEY, TEXT])
        pairs = self.join(pairs, text.rename_columns({KEY: EDGE_A, TEXT: "_text_a"}), EDGE_A)
        pairs = self.join(pairs, text.rename_columns({KEY: EDGE_B, TEXT: "_text_b"}), EDGE_B)
        edges = self.map(pairs, _verify, stage.spec, cfg.threshold).materialize()
        if edges.count() == 0:
            return self.map(rows, _no_clusters)
        # clusters: connected components, then each component's keeper and verdicts
        labels = self.components(edges)  # KEY, ROOT for every row in an edge
        member_columns = [KEY, "id", "source", "row", "messages"]
        member_columns += [c for c in ("quality",) if c in self.columns(alive)]
        members = self.materialize(self.join(labels, rows.select_columns(member_columns), KEY))
        edges = self.join(edges, labels.rename_columns({KEY: EDGE_A}), EDGE_A)
        template = self.template(members)
        both = self.map(members, _as_part, template).union(self.map(edges, _as_part, template))
        verdicts = self.grouped(both, [ROOT], _component_verdicts, stage)
        return self.map(self.join(rows, verdicts, KEY, how="left"), _typed)

    def components(self, edges: Any) -> Any:
        """Connected components of the verified pairs, distributed: alternate large-star and
        small-star until every component is a star around its smallest key (Kiveris et
        al., "Connected Components in MapReduce and Beyond", 2014). Each round is three
        shuffles of the edges only; no step holds more than one node's neighbours."""
        star = self.map(edges, _oriented).materialize()
        for _ in range(MAX_ROUNDS):
            labels = self.grouped(self.map(star, _check_rows), ["_node"], _check).materialize()
            if not self.gather(self.map(labels, _totals, ["_bad"]))["_bad"].sum():
                return self.map(labels, _labels).materialize()
            large = self.grouped(self.map(star, _both_ways), ["_u"], _large_star)
            star = self.grouped(large, ["_hi"], _small_star).materialize()
        raise RuntimeError(
            f"near_dedup: connected components did not converge in {MAX_ROUNDS} rounds"
        )

    # outputs

    def write_outputs(
        self,
        staging: Path,
        pipeline: Pipeline,
        records: Any,
        bad: pl.DataFrame,
        table: pl.DataFrame,
        summary: dict[str, Any],
        embedded: pl.DataFrame | None,
    ) -> None:
        """The local engine's files, the records streamed to the driver in input order."""
        from ray.data import DataContext

        fmt = pipeline.config.output.format
        kept = table.filter(pl.col("decision") == "kept")[KEY]
        rejected = table.filter(pl.col("decision") == "rejected")
        data = DataContext.get_current()
        preserve = data.execution_options.preserve_order
        data.execution_options.preserve_order = True
        try:
            with ExitStack() as stack:
                curated = stack.enter_context(
                    open(stack.enter_context(atomic_path(staging / "curated.jsonl")), "wb")
                )
                dropped = stack.enter_context(
                    open(stack.enter_context(atomic_path(staging / "rejected.jsonl")), "wb")
                )
                parquet = (
                    _ParquetStream(staging / "curated.parquet")
                    if pipeline.config.output.parquet
                    else None
                )
                last = -1
                for block in records.sort(KEY).iter_batches(
                    batch_format="pyarrow", batch_size=BLOCK_ROWS
                ):
                    frame = frame_of(block)
                    if not frame.height:
                        continue
                    lo, hi = int(frame[KEY][0]), int(frame[KEY][-1])
                    if lo <= last:
                        raise RuntimeError("ray engine: records did not stream in input order")
                    chosen = frame.filter(pl.col(KEY).is_in(kept.implode())).select(
                        list(RECORD_SCHEMA)
                    )
                    _write_curated(curated, chosen, fmt)
                    if parquet is not None:
                        parquet.write(chosen)
                    window = (pl.col(KEY) > last) & (pl.col(KEY) <= hi)
                    runner._rejected_rows(
                        frame, bad.filter(window), rejected.filter(window)
                    ).write_ndjson(dropped)
                    last = hi
                rest = pl.DataFrame(schema={**RECORD_SCHEMA, KEY: pl.Int64})
                tail = pl.col(KEY) > last
                runner._rejected_rows(rest, bad.filter(tail), rejected.filter(tail)).write_ndjson(
                    dropped
                )
                if parquet is not None:
                    parquet.close()
        finally:
            data.execution_options.preserve_order = preserve
        write_parquet(staging / "ledger.parquet", table.drop(KEY))
        if embedded is not None:
            runner.write_embeddings(staging / "embeddings.parquet", embedded, kept)
        write_json(staging / "summary.json", summary)
        from curate.report.build import write_report

        write_report(staging)


def gather_budget() -> int:
    """Bytes a global stage may gather on the driver: CURATE_RAY_GATHER_BYTES, else half
    of the memory available now."""
    if os.environ.get("CURATE_RAY_GATHER_BYTES"):
        return int(float(os.environ["CURATE_RAY_GATHER_BYTES"]))
    import psutil

    return psutil.virtual_memory().available // 2


def _user_error(exc: BaseException) -> BaseException | None:
    """The InputError/ConfigError a worker raised, out of Ray's wrappers."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        item = todo.pop()
        if item is None or id(item) in seen:
            continue
        seen.add(id(item))
        for kind in (InputError, ConfigError):  # Ray's wrapper subclasses the error
            if isinstance(item, kind):
                return kind(*item.args)
        todo += [item.__cause__, item.__context__, getattr(item, "cause", None)]
    return None


class _ParquetStream:
    """curated.parquet written block by block (pyarrow), renamed into place at the end."""

    def __init__(self, path: Path) -> None:
        self.path, self.writer = path, None
        self.tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")

    def write(self, frame: pl.DataFrame) -> None:
        import pyarrow.parquet as pq

        table = frame.to_arrow()
        if self.writer is None:
            self.writer = pq.ParquetWriter(self.tmp, table.schema)
        self.writer.write_table(table)

    def close(self) -> None:
        if self.writer is None:
            write_parquet(self.path, pl.DataFrame(schema=RECORD_SCHEMA))
            return
        self.writer.close()
        os.replace(self.tmp, self.path)


def _write_curated(handle: Any, frame: pl.DataFrame, fmt: str) -> None:
    if fmt == "messages":  # as the local engine writes it: polars, the same columns
        frame.select(runner.CURATED_COLUMNS).write_ndjson(handle)
        return
    for record in frame.iter_rows(named=True):
        handle.write(orjson.dumps(to_output(record, fmt)) + b"\n")


# --- block functions: ingest ---------------------------------------------------------------


def _read_files(
    batch: pa.Table, *, sources: list, strict: bool, limit: int | None
) -> Iterator[pa.Table]:
    """Each file through the local reader, records and bad rows in one row order."""
    empty = pl.DataFrame(schema=INGEST_SCHEMA)
    for i in batch.column(FILE).to_pylist():
        src, rank = sources[i], 0
        for part in read_source(src, strict=strict, limit=limit):
            rows = pl.concat(
                [
                    empty,
                    part.records.with_columns(pl.lit(False).alias(BAD)),
                    part.bad.with_columns(pl.lit(True).alias(BAD)),
                ],
                how="diagonal_relaxed",
            ).sort("row")
            rows = rows.with_columns(
                pl.lit(i, pl.Int32).alias(FILE),
                (pl.int_range(pl.len(), dtype=pl.Int64) + rank).alias(RANK),
            )
            rank += rows.height
            yield table_of(rows.select(list(INGEST_SCHEMA)).cast(INGEST_SCHEMA))
        if rank == 0 and strict:
            raise InputError(f"{src.display}: no rows (empty file)")


def _with_key(frame: pl.DataFrame, offsets: dict[int, int]) -> pl.DataFrame:
    first = pl.col(FILE).replace_strict(offsets, return_dtype=pl.Int64)
    return frame.with_columns((first + pl.col(RANK)).alias(KEY))


def _bad_rows(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.filter(pl.col(BAD)).select(*BAD_SCHEMA, FILE, KEY)


def _parsed_rows(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.filter(~pl.col(BAD)).select(*RECORD_SCHEMA, KEY)


# --- block functions: stages ---------------------------------------------------------------


def _row_stage(frame: pl.DataFrame, stage: Stage, ctx: Context) -> pl.DataFrame:
    return _typed(stage.decide(stage.annotate(frame, ctx), ctx))


def _annotate(frame: pl.DataFrame, stage: Stage, ctx: Context) -> pl.DataFrame:
    return stage.annotate(frame, ctx)


def _decide_groups(frame: pl.DataFrame, stage: Stage, ctx: Context) -> pl.DataFrame:
    """The stage's decide on whole groups, in input order; cluster labels (row positions
    in the partition) become the keys of those rows, unique across partitions."""
    decided = stage.decide(frame.sort(KEY), ctx)
    if CLUSTER in decided.columns:
        label = pl.col(CLUSTER)
        decided = decided.with_columns(
            pl.when(label.is_not_null()).then(pl.col(KEY).gather(label.fill_null(0))).alias(CLUSTER)
        )
    return _typed(decided)


def _hashed(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    key = pl.col(keys[0]) if len(keys) == 1 else pl.struct(keys)
    return frame.with_columns(key.hash(seed=0).alias(HASH))


def _unhashed(frame: pl.DataFrame, fn: Callable[..., pl.DataFrame], *args: Any) -> pl.DataFrame:
    return fn(frame.drop(HASH), *args)


def _tag(frame: pl.DataFrame, side: int, template: pl.DataFrame) -> pl.DataFrame:
    tagged = frame.with_columns(pl.lit(side, pl.Int8).alias(SIDE))
    return pl.concat([template, tagged], how="diagonal_relaxed")


def _join_sides(
    frame: pl.DataFrame, on: str, how: str, left: list[str], right: list[str]
) -> pl.DataFrame:
    sides = pl.col(SIDE)
    return (
        frame.filter(sides == 0)
        .select(left)
        .join(
            frame.filter(sides == 1).select(right),
            on=on,
            how=how,  # type: ignore[arg-type]
        )
    )


def _totals(frame: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    """One row per block: the sums of `columns` (Int64)."""
    return frame.select([pl.col(c).cast(pl.Int64).sum() for c in columns])


def _drop(frame: pl.DataFrame, columns: list[str]) -> pl.DataFrame:
    return frame.drop([c for c in columns if c in frame.columns])


def _unique(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.unique()


def _near_texts(frame: pl.DataFrame, field: str) -> pl.DataFrame:
    return frame.with_columns(field_text(field).alias(TEXT))  # type: ignore[arg-type]


def _line_keys(frame: pl.DataFrame) -> pl.DataFrame:
    return row_line_keys(line_keys(frame[TEXT])).select("key")


def _frequent(frame: pl.DataFrame, limit: float) -> pl.DataFrame:
    return frame.group_by("key").len().filter(pl.col("len") > limit).select("key")


def _strip_and_sign(
    frame: pl.DataFrame, stage: NearDedup, frequent: pl.Series, ctx: Context
) -> pl.DataFrame:
    """What `NearDedup.annotate` does to a row, given the template lines of all rows."""
    texts, per_row = strip_lines(frame[TEXT], line_keys(frame[TEXT]), frequent)
    signatures = cached_signatures(texts, stage.hasher, stage.spec, ctx.cache)
    if not len(signatures):
        signatures = np.zeros((0, stage.config.num_perm), np.uint64)
    return frame.with_columns(
        texts.alias(TEXT),
        pl.Series(SIGNATURE, signatures),
        *[per_row[k].alias(c) for k, c in STRIP_STATS.items()],
    )


def _band_rows(frame: pl.DataFrame, num_perm: int, bands: int, rows: int) -> pl.DataFrame:
    """One row per (band, bucket key, row) for rows with shingles."""
    signatures = _matrix(frame[SIGNATURE], num_perm)
    active = (signatures != MAX_HASH).any(axis=1)
    keys = band_keys(signatures[active], bands, rows)
    ids = frame[KEY].to_numpy()[active]
    return pl.DataFrame(
        {
            "band": np.repeat(np.arange(bands, dtype=np.int32), len(ids)),
            "bkey": keys.ravel(),
            KEY: np.tile(ids, bands),
        },
        schema={"band": pl.Int32, "bkey": pl.UInt64, KEY: pl.Int64},
    )


def _bucket_pairs(frame: pl.DataFrame) -> pl.DataFrame:
    """Candidate pairs of whole buckets, rows in input order, as local `candidate_pairs`."""
    found = [np.zeros((0, 2), np.int64)]
    for _, band in frame.sort(KEY).group_by("band", maintain_order=True):
        positions = bucket_pairs(band["bkey"].to_numpy()[None, :])
        found.append(band[KEY].to_numpy()[positions])
    pairs = np.unique(np.concatenate(found), axis=0)
    return pl.DataFrame(
        {EDGE_A: pairs[:, 0], EDGE_B: pairs[:, 1]}, schema={EDGE_A: pl.Int64, EDGE_B: pl.Int64}
    )


def _verify(frame: pl.DataFrame, spec: Any, threshold: float) -> pl.DataFrame:
    """Exact Jaccard of each candidate pair's shingle sets; keep those at the threshold."""
    m = frame.height
    if not m:
        return pl.DataFrame(schema={EDGE_A: pl.Int64, EDGE_B: pl.Int64, EDGE_J: pl.Float64})
    sets = shingle_sets(shingle(pl.concat([frame["_text_a"], frame["_text_b"]]), spec))
    similarity = jaccard(sets, np.stack([np.arange(m), np.arange(m) + m], axis=1))
    return frame.select(EDGE_A, EDGE_B, pl.Series(EDGE_J, similarity)).filter(
        pl.col(EDGE_J) >= threshold
    )


def _no_clusters(frame: pl.DataFrame) -> pl.DataFrame:
    return _typed(
        frame.with_columns(
            pl.lit(None, pl.String).alias(REASON),
            pl.lit(None, pl.String).alias(DETAIL),
            pl.lit(None, pl.String).alias(DUPLICATE_OF),
            pl.lit(None, pl.Int64).alias(CLUSTER),
            pl.lit(None, pl.Float64).alias(JACCARD),
        )
    )


# connected components: edges are (_hi, _lo) with _hi > _lo


def _oriented(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(pl.col(EDGE_B).alias("_hi"), pl.col(EDGE_A).alias("_lo"))


def _both_ways(frame: pl.DataFrame) -> pl.DataFrame:
    return pl.concat(
        [
            frame.select(pl.col("_hi").alias("_u"), pl.col("_lo").alias("_v")),
            frame.select(pl.col("_lo").alias("_u"), pl.col("_hi").alias("_v")),
        ]
    )


def _large_star(frame: pl.DataFrame) -> pl.DataFrame:
    """Per node u: link each larger neighbour to the smallest of u and its neighbours."""
    grouped = frame.unique().group_by("_u").agg(pl.col("_v"), _m=pl.col("_v").min())
    return (
        grouped.with_columns(pl.min_horizontal("_m", "_u").alias("_m"))
        .explode("_v")
        .filter(pl.col("_v") > pl.col("_u"))
        .select(pl.col("_v").alias("_hi"), pl.col("_m").alias("_lo"))
    )


def _small_star(frame: pl.DataFrame) -> pl.DataFrame:
    """Per node u: link u and its smaller neighbours to the smallest of them."""
    grouped = frame.unique().group_by("_hi").agg(pl.col("_lo"), _m=pl.col("_lo").min())
    return pl.concat(
        [
            grouped.explode("_lo")
            .filter(pl.col("_lo") != pl.col("_m"))
            .select(pl.col("_lo").alias("_hi"), pl.col("_m").alias("_lo")),
            grouped.select("_hi", pl.col("_m").alias("_lo")),
        ]
    )


def _check_rows(frame: pl.DataFrame) -> pl.DataFrame:
    return pl.concat(
        [
            frame.select(pl.col("_hi").alias("_node"), pl.col("_lo").alias("_parent")),
            frame.select(pl.col("_lo").alias("_node"), pl.lit(None, pl.Int64).alias("_parent")),
        ]
    )


def _check(frame: pl.DataFrame) -> pl.DataFrame:
    """Per node: its root (its one parent, or itself), and whether the graph is not yet a
    set of stars there (several parents, or a parent that has a parent)."""
    parents = pl.col("_parent").drop_nulls()
    grouped = frame.group_by("_node").agg(
        _n=parents.n_unique(), _centre=pl.col("_parent").is_null().any(), _first=parents.min()
    )
    return grouped.select(
        pl.col("_node"),
        pl.when(pl.col("_n") > 0).then(pl.col("_first")).otherwise(pl.col("_node")).alias(ROOT),
        ((pl.col("_n") > 1) | ((pl.col("_n") > 0) & pl.col("_centre")))
        .cast(pl.Int64)
        .alias("_bad"),
    )


def _labels(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(pl.col("_node").alias(KEY), ROOT)


def _as_part(frame: pl.DataFrame, template: pl.DataFrame) -> pl.DataFrame:
    """Member rows and edges in one schema, so one shuffle brings a component together."""
    edge = pl.DataFrame(schema={EDGE_A: pl.Int64, EDGE_B: pl.Int64, EDGE_J: pl.Float64})
    return pl.concat([template, edge, frame], how="diagonal_relaxed").select(
        *template.columns, EDGE_A, EDGE_B, EDGE_J
    )


def _component_verdicts(frame: pl.DataFrame, stage: NearDedup) -> pl.DataFrame:
    """Whole components: the local stage's keeper and verdict, labels made global."""
    is_edge = pl.col(EDGE_A).is_not_null()
    members = frame.filter(~is_edge).drop(EDGE_A, EDGE_B, EDGE_J).unique(KEY).sort(KEY)
    out = {
        KEY: pl.Int64,
        REASON: pl.String,
        DETAIL: pl.String,
        DUPLICATE_OF: pl.String,
        CLUSTER: pl.Int64,
        JACCARD: pl.Float64,
    }
    if not members.height:
        return pl.DataFrame(schema=out)
    edges = (
        frame.filter(is_edge)
        .select(EDGE_A, EDGE_B, EDGE_J)
        .unique([EDGE_A, EDGE_B])
        .sort(EDGE_A, EDGE_B)
    )
    position = members.select(KEY).with_row_index("_p").with_columns(pl.col("_p").cast(pl.Int64))

    def at(column: pl.DataFrame, name: str) -> np.ndarray:
        found = column.join(position, left_on=name, right_on=KEY, how="left", maintain_order="left")
        return found["_p"].to_numpy()

    pairs = np.stack([at(edges, EDGE_A), at(edges, EDGE_B)], axis=1).astype(np.int64)
    labels = at(members, ROOT).astype(np.int64)
    verdict = _verdict(members, labels, _keepers(members, labels), pairs, edges[EDGE_J].to_numpy())
    keys = members[KEY]
    return (
        pl.concat([members.select(KEY), verdict], how="horizontal")
        .with_columns(
            pl.when(pl.col(CLUSTER).is_not_null()).then(keys.gather(labels)).alias(CLUSTER)
        )
        .select(list(out))
        .cast(out)
    )
