"""The runner: ingest, stages in order, ledger, outputs. Stages only compute; this owns I/O.

Read top to bottom: `run_pipeline` is the whole run.
"""

from __future__ import annotations

import logging
import platform
import resource
import shutil
import threading
import time
import uuid
from collections import Counter
from importlib import metadata
from pathlib import Path
from typing import Any

import polars as pl

from curate import __version__
from curate.cache import Cache
from curate.config import Pipeline, load_pipeline
from curate.errors import InputError
from curate.io.ingest import BAD_SCHEMA, read_source
from curate.io.writers import (
    publish,
    to_output,
    write_json,
    write_jsonl,
    write_ndjson,
    write_parquet,
)
from curate.ledger import KEY, Ledger
from curate.progress import Progress
from curate.records import RECORD_SCHEMA
from curate.stages import STAGES, Context
from curate.stages.base import VERDICT_COLUMNS, Stage, warm_up_frame
from curate.stages.embed import COLUMN as EMBEDDING
from curate.text import field_chars

FILE = "_file"
CURATED_COLUMNS = ["id", "source", "messages", "tools", "meta"]


def run_pipeline(
    pipeline: str | Path | Pipeline,
    *,
    out: str | Path | None = None,
    cache: str | Path | None = None,
    strict: bool = False,
    limit: int | None = None,
    quiet: bool = True,
    train: bool = True,
) -> dict[str, Any]:
    """Run a pipeline end to end and return its summary (also written to summary.json):
    curation, then training and the base-vs-tuned comparison when `[train]` is set."""
    if not isinstance(pipeline, Pipeline):
        pipeline = load_pipeline(pipeline)
    config = pipeline.config
    if config.run.engine == "ray":  # same stages, ledger and outputs, on a Ray cluster
        from curate.engines.ray import run_on_ray

        summary = run_on_ray(
            pipeline, out=out, cache=cache, strict=strict, limit=limit, quiet=quiet
        )
    else:
        summary = _curate_locally(
            pipeline, out=out, cache=cache, strict=strict, limit=limit, quiet=quiet
        )
    if config.train is not None and train:
        _train(pipeline, summary, quiet=quiet)
    return summary


def stage_context(pipeline: Pipeline, cache_dir: Path | None, progress: Progress) -> Context:
    """What every stage of this run is lent: seed, cache, progress, base folder, tokenizer."""
    config = pipeline.config
    return Context(
        seed=config.run.seed,
        cache=Cache(cache_dir),
        progress=progress.track,
        base_dir=pipeline.base_dir,
        tokenizer=config.train.model if config.train is not None else None,
    )


def _curate_locally(
    pipeline: Pipeline,
    *,
    out: str | Path | None,
    cache: str | Path | None,
    strict: bool,
    limit: int | None,
    quiet: bool,
) -> dict[str, Any]:
    started = time.perf_counter()
    config = pipeline.config
    out_dir = Path(out).resolve() if out else pipeline.output_dir
    cache_dir = Path(cache).resolve() if cache else out_dir.parent / ".cache"
    progress = Progress(enabled=not quiet)
    ctx = stage_context(pipeline, cache_dir, progress)

    stages = [STAGES[stage_config.kind](stage_config) for stage_config in config.stages]
    warming = threading.Thread(target=_warm_up, args=(stages, ctx), daemon=True)
    warming.start()  # kernels and models load while ingest reads

    # 1. ingest: canonical records and bad rows, each row keyed by its input order
    with progress:
        t0 = time.perf_counter()
        records, bad = _ingest(pipeline, strict=strict, limit=limit, progress=progress)
        warming.join()
        order = (
            pl.concat(
                [
                    records.select(FILE, "row", "id", "source"),
                    bad.select(FILE, "row", "id", "source"),
                ]
            )
            .sort(FILE, "row")
            .with_row_index(KEY)
            .with_columns(pl.col(KEY).cast(pl.Int64))
        )
        records = _attach_key(records, order)
        bad = _attach_key(bad, order)
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
        ledger.scores.append(ingest_scores(records))
        input_rows = order.height
        stage_stats = [
            _stage_stat(
                "ingest",
                "ingest",
                input_rows,
                records.height,
                bad["reason"],
                time.perf_counter() - t0,
            )
        ]
        warnings = _ingest_warnings(pipeline, order, bad)
        progress.log(
            f"ingest: {input_rows} rows, {bad.height} bad, {time.perf_counter() - t0:.1f}s"
        )

        # 2. stages, in config order: annotate, then keep or reject with a reason
        overrides = _load_overrides(pipeline, order)
        alive = records.drop(FILE)
        embedded: pl.DataFrame | None = None  # rows as the embed stage saw them
        before_select: pl.DataFrame | None = None
        for i, stage in enumerate(stages):
            t0 = time.perf_counter()
            ctx.stages_before = [s.kind for s in config.stages[:i]]
            if stage.kind == "select":
                before_select = alive
            decided = stage.decide(stage.annotate(alive, ctx), ctx)
            ledger.record(stage.name, decided, stage.score_columns)
            rejected = decided.filter(pl.col("reject_reason").is_not_null())
            alive = decided.filter(pl.col("reject_reason").is_null()).drop(
                [c for c in VERDICT_COLUMNS if c in decided.columns]
            )
            if embedded is None and EMBEDDING in decided.columns:
                embedded = decided.select(KEY, "id", "source", "row", EMBEDDING)
            seconds = time.perf_counter() - t0
            stage_stats.append(
                _stage_stat(
                    stage.name,
                    stage.kind,
                    decided.height,
                    alive.height,
                    rejected["reject_reason"],
                    seconds,
                )
            )
            progress.log(f"{stage.name}: {decided.height} -> {alive.height} ({seconds:.1f}s)")
        if overrides is not None:
            alive, stat = _review(overrides, alive, records.drop(FILE), ledger)
            stage_stats.append(stat)

        # 3. outputs, staged and then published together
        table = ledger.finish()
        warnings += ctx.warnings
        if input_rows and table.filter(pl.col("decision") == "kept").height == 0:
            warnings.append("no row was kept")
        summary = _summary(pipeline, table, stage_stats, warnings, started)
        if embedded is not None:
            summary["diversity"] = _diversity(embedded, before_select, alive, config.run.seed)
        staging = out_dir.parent / f".{out_dir.name}.staging-{uuid.uuid4().hex[:8]}"
        staging.mkdir(parents=True)
        try:
            _write_outputs(staging, pipeline, records, bad, alive, table, summary, embedded)
            publish(staging, out_dir)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    summary["output_dir"] = str(out_dir)
    return summary


def _warm_up(stages: list[Stage], ctx: Context) -> None:
    """Ingest's id kernel, then each stage's `warm_up`, best effort: a failure here shows
    again, with its proper error, when the stage runs."""
    for name, warm_up in [("ingest", _warm_up_ids)] + [(s.name, s.warm_up) for s in stages]:
        try:
            warm_up(ctx)
        except Exception:
            logging.getLogger(__name__).debug("warm-up of %s failed", name, exc_info=True)


def _warm_up_ids(ctx: Context) -> None:
    from curate.io.ids import fill_ids  # numba: its kernels load while ingest reads

    fill_ids(warm_up_frame().with_columns(pl.lit(None, pl.String).alias("id")))


def ingest_scores(records: pl.DataFrame) -> pl.DataFrame:
    """The ledger scores every parsed row gets at ingest (shared with the Ray engine)."""
    return records.select(
        KEY,
        field_chars("prompt").alias("prompt_chars"),
        field_chars("response").alias("response_chars"),
        pl.col("messages").list.len().alias("turns"),
    ).cast({"prompt_chars": pl.Float64, "response_chars": pl.Float64, "turns": pl.Float64})


def _train(pipeline: Pipeline, summary: dict[str, Any], *, quiet: bool) -> None:
    """Masked-loss SFT on the run's curated.jsonl; the summary and report then show it."""
    from curate.report.build import write_report
    from curate.train import train

    out_dir = Path(summary["output_dir"])
    if not out_dir.is_dir():  # e.g. an s3:// output of the Ray engine
        summary["warnings"].append(f"[train] skipped: {out_dir} is not a local folder")
        return
    config = pipeline.config.train.resolved(pipeline.base_dir)  # type: ignore[union-attr]
    summary["train"] = train(config, run_dir=out_dir, seed=pipeline.config.run.seed, quiet=quiet)
    write_json(out_dir / "summary.json", {k: v for k, v in summary.items() if k != "output_dir"})
    write_report(out_dir)


def _diversity(
    embedded: pl.DataFrame, before_select: pl.DataFrame | None, alive: pl.DataFrame, seed: int
) -> dict[str, Any]:
    """Diversity of what selection chose from (or of the embedded rows) and of what it chose."""
    from curate.diversity import diversity_report
    from curate.stages.embed import embedding_matrix

    pool = (
        embedded
        if before_select is None or EMBEDDING not in before_select.columns
        else before_select
    )
    selected = (
        embedding_matrix(alive)
        if before_select is not None and EMBEDDING in alive.columns
        else None
    )
    return diversity_report(embedding_matrix(pool), selected, seed=seed)


def _load_overrides(pipeline: Pipeline, order: pl.DataFrame) -> pl.DataFrame | None:
    """All `[[overrides]]` files, checked against this run's rows (same source, row, id)."""
    if not pipeline.config.overrides:
        return None
    from curate.review import check_overrides, load_overrides

    frames = []
    for spec in pipeline.config.overrides:
        path = pipeline.base_dir / spec.path
        frame = load_overrides(path)
        check_overrides(frame, order.select("source", "row", "id"), path)
        frames.append(frame)
    return pl.concat(frames).unique(["source", "row"], keep="last", maintain_order=True)


def _review(
    overrides: pl.DataFrame, alive: pl.DataFrame, records: pl.DataFrame, ledger: Ledger
) -> tuple[pl.DataFrame, dict[str, Any]]:
    """Apply the overrides as the last stage, `review`; its "in" counts the rows brought back."""
    t0 = time.perf_counter()
    alive, dropped = _apply_overrides(overrides, alive, records, ledger)
    n_in = alive.height + dropped.len()
    return alive, _stage_stat(
        "review", "review", n_in, alive.height, dropped, time.perf_counter() - t0
    )


def _apply_overrides(
    overrides: pl.DataFrame, alive: pl.DataFrame, records: pl.DataFrame, ledger: Ledger
) -> tuple[pl.DataFrame, pl.Series]:
    """A reviewer's word is final: `drop` rejects a kept row (stage review, reason
    override); `keep` brings back a row a stage rejected, as it was ingested."""
    marks = overrides.select("source", "row", "decision", "note")
    drops = alive.join(marks.filter(pl.col("decision") == "drop"), on=["source", "row"], how="semi")
    drop_notes = drops.select(KEY, "source", "row").join(marks, on=["source", "row"])
    ledger.verdicts.append(
        drop_notes.select(
            KEY,
            pl.lit("review").alias("stage"),
            pl.lit("override").alias("reason"),
            pl.format(
                "reviewer: drop{}",
                pl.when(pl.col("note") != "")
                .then(pl.lit(" - ") + pl.col("note"))
                .otherwise(pl.lit("")),
            ).alias("detail"),
            pl.lit(None, pl.String).alias("duplicate_of"),
        )
    )
    keeps = records.join(
        marks.filter(pl.col("decision") == "keep"), on=["source", "row"], how="semi"
    )
    keeps = keeps.join(alive.select(KEY), on=KEY, how="anti")
    ledger.overruled.extend(keeps[KEY].to_list())
    alive = alive.join(drops.select(KEY), on=KEY, how="anti")
    alive = pl.concat([alive, keeps], how="diagonal_relaxed").sort(KEY)
    return alive, pl.Series("reason", ["override"] * drops.height, dtype=pl.String)


def _ingest(
    pipeline: Pipeline, *, strict: bool, limit: int | None, progress: Progress
) -> tuple[pl.DataFrame, pl.DataFrame]:
    good: list[pl.DataFrame] = []
    bad: list[pl.DataFrame] = []
    for i, src in enumerate(pipeline.sources):
        rows = 0
        for batch in progress.track(
            read_source(src, strict=strict, limit=limit, with_ids=False),
            None,
            f"reading {src.display}",
        ):
            good.append(batch.records.with_columns(pl.lit(i).alias(FILE)))
            bad.append(batch.bad.with_columns(pl.lit(i).alias(FILE)))
            rows += batch.records.height + batch.bad.height
        if rows == 0 and strict:
            raise InputError(f"{src.display}: no rows (empty file)")
    # one chunk per column: polars 2.1 can crash on str/list kernels over mixed chunking
    records = (
        pl.concat(good).rechunk()
        if good
        else pl.DataFrame(schema={**RECORD_SCHEMA, FILE: pl.Int32})
    )
    bad_rows = pl.concat(bad) if bad else pl.DataFrame(schema={**BAD_SCHEMA, FILE: pl.Int32})
    if strict and records.height == 0:
        raise InputError("no valid rows in any input")
    from curate.io.ids import fill_ids

    return fill_ids(records), bad_rows


def _attach_key(frame: pl.DataFrame, order: pl.DataFrame) -> pl.DataFrame:
    return frame.join(order.select(KEY, FILE, "row"), on=[FILE, "row"], how="left").sort(KEY)


def _ingest_warnings(pipeline: Pipeline, order: pl.DataFrame, bad: pl.DataFrame) -> list[str]:
    warnings = []
    counts = Counter(order[FILE].to_list())
    for i, src in enumerate(pipeline.sources):
        if counts[i] == 0:
            warnings.append(f"{src.display}: no rows (empty file)")
        elif bad.filter(pl.col(FILE) == i).height == counts[i]:
            warnings.append(f"{src.display}: every row is bad")
    return warnings


def _stage_stat(
    name: str, kind: str, n_in: int, n_out: int, reasons: pl.Series, seconds: float
) -> dict[str, Any]:
    counts = reasons.drop_nulls().value_counts(sort=True)
    return {
        "name": name,
        "kind": kind,
        "in": n_in,
        "out": n_out,
        "rejected": n_in - n_out,
        "reasons": {
            r: int(n) for r, n in zip(counts[reasons.name or ""], counts["count"], strict=True)
        }
        if counts.height
        else {},
        "seconds": round(seconds, 3),
    }


def _summary(
    pipeline: Pipeline,
    ledger: pl.DataFrame,
    stage_stats: list[dict[str, Any]],
    warnings: list[str],
    started: float,
) -> dict[str, Any]:
    kept = ledger.filter(pl.col("decision") == "kept").height
    rows_per_source = dict(Counter(ledger["source"].to_list()))
    return {
        "name": pipeline.config.run.name,
        "input_rows": ledger.height,
        "kept": kept,
        "rejected": ledger.height - kept,
        "stages": stage_stats,
        "warnings": warnings,
        "diversity": None,
        "sources": [
            {
                "source": s.source,
                "path": s.display,
                "rows": rows_per_source.get(s.source, 0),
                "license": s.license,
            }
            for s in pipeline.sources
        ],
        "config_hash": pipeline.config_hash,
        "config": pipeline.config.model_dump(mode="json"),
        "versions": _versions(),
        "seconds": round(time.perf_counter() - started, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def _versions() -> dict[str, str]:
    versions = {"curate": __version__, "python": platform.python_version()}
    for package in (
        "polars",
        "pyarrow",
        "datasketch",
        "sentence-transformers",
        "transformers",
        "torch",
    ):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            continue
    return versions


def _write_outputs(
    staging: Path,
    pipeline: Pipeline,
    records: pl.DataFrame,
    bad: pl.DataFrame,
    alive: pl.DataFrame,
    ledger: pl.DataFrame,
    summary: dict[str, Any],
    embedded: pl.DataFrame | None,
) -> None:
    fmt = pipeline.config.output.format
    curated = alive.sort(KEY).select(list(RECORD_SCHEMA))
    if fmt == "messages":  # the common case, written by polars: ~10x faster
        write_ndjson(staging / "curated.jsonl", curated.select(CURATED_COLUMNS))
    else:
        write_jsonl(
            staging / "curated.jsonl", (to_output(r, fmt) for r in curated.iter_rows(named=True))
        )
    if pipeline.config.output.parquet:
        write_parquet(staging / "curated.parquet", curated)
    write_ndjson(staging / "rejected.jsonl", _rejected_rows(records, bad, ledger))
    write_parquet(staging / "ledger.parquet", ledger.drop(KEY))
    if embedded is not None:
        write_embeddings(staging / "embeddings.parquet", embedded, alive[KEY])
    write_json(staging / "summary.json", summary)
    from curate.report.build import write_report

    write_report(staging)


def write_embeddings(path: Path, embedded: pl.DataFrame, kept: pl.Series) -> None:
    """embeddings.parquet: every embedded row, its vector and whether it was kept."""
    write_parquet(
        path,
        embedded.with_columns(pl.col(KEY).is_in(kept.implode()).alias("selected"))
        .drop(KEY)
        .with_columns(pl.col(EMBEDDING).cast(pl.List(pl.Float32))),
    )


def _rejected_rows(records: pl.DataFrame, bad: pl.DataFrame, ledger: pl.DataFrame) -> pl.DataFrame:
    """Full rejected records (or the raw text of unparseable rows) with stage, reason, detail."""
    verdicts = ledger.filter(pl.col("decision") == "rejected").select(
        KEY, "stage", "reason", "detail", "duplicate_of", "cluster_id"
    )
    parsed = verdicts.join(records.select(KEY, "row", *CURATED_COLUMNS), on=KEY, how="inner")
    unparsed = verdicts.join(bad.select(KEY, "id", "source", "row", "raw"), on=KEY, how="inner")
    columns = [
        "id",
        "source",
        "row",
        "stage",
        "reason",
        "detail",
        "duplicate_of",
        "cluster_id",
        "messages",
        "tools",
        "meta",
        "raw",
    ]
    rows = pl.concat([parsed, unparsed], how="diagonal_relaxed").sort(KEY)
    return rows.select([c for c in columns if c in rows.columns])
