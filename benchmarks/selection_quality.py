"""Diversity of 1,000 rows chosen by each select method from a real mixed set (issue 6).

Seven sets from ../shared/data mixed (~16K rows: alpaca, code, roleplay, tool use, LIMA,
AlpacaEval prompts, templated ShareGPT), exact-deduplicated, embedded with the default
model (onnx backend, cached under --cache), then `select` with deita, kcenter, random and
longest at the same budget. Prints the summary.json `diversity` metrics of each selection
(`curate.diversity.diversity_report`), its mean quality score and source mix.

    python benchmarks/selection_quality.py [--budget 1000] [--cache benchmarks/.cache]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import polars as pl

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from curate.cache import Cache  # noqa: E402
from curate.diversity import diversity_report  # noqa: E402
from curate.io.ingest import read_records  # noqa: E402
from curate.scoring import quality_score  # noqa: E402
from curate.stages.base import Context  # noqa: E402
from curate.stages.embed import Embed, embedding_matrix  # noqa: E402
from curate.stages.exact_dedup import ExactDedup  # noqa: E402
from curate.stages.select import Select  # noqa: E402

DATA = REPO.parent / "shared" / "data"
SETS = [
    "llama-factory/alpaca_en_demo.json",
    "gpteacher/codegen-instruct.json.gz",
    "gpteacher/roleplay-simple-deduped-roleplay-instruct.json.gz",
    "alpacadatacleaned/toolformer-similarity-0.9-dataset.json.gz",
    "lima/lima.json.gz",
    "alpaca_eval/gpt4_model_outputs.json.gz",
    "fastchat/dummy_conversation.json",
]


def load_mixed() -> pl.DataFrame:
    return pl.concat([read_records(DATA / s).records for s in SETS])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache", type=Path, default=REPO / "benchmarks" / ".cache")
    args = parser.parse_args()

    frame = ExactDedup().filter(load_mixed())
    t0 = time.perf_counter()
    frame = Embed(backend="onnx").annotate(frame, Context(cache=Cache(args.cache)))
    frame = frame.with_columns(quality_score(frame).alias("quality"))
    print(
        f"{frame.height} rows from {len(SETS)} sets after exact dedup; embedded in {time.perf_counter() - t0:.1f} s"
    )
    emb = embedding_matrix(frame)
    rows = []
    for method in ("deita", "kcenter", "random", "longest"):
        ctx = Context(seed=args.seed)
        t0 = time.perf_counter()
        out = Select(method=method, budget=args.budget).apply(frame, ctx)
        seconds = time.perf_counter() - t0
        mask = out["reject_reason"].is_null().to_numpy()
        report = diversity_report(emb, emb[mask], seed=args.seed)
        chosen = out.filter(pl.col("reject_reason").is_null())
        mix = chosen["source"].str.split(".").list.first().value_counts(sort=True)
        rows.append(
            {
                "method": method,
                **report["selected"],
                "mean_quality": round(chosen["quality"].mean(), 3),
                "seconds": round(seconds, 2),
            }
        )
        top = ", ".join(f"{s} {c}" for s, c in mix.head(7).iter_rows())
        print(f"  {method:8s} sources: {top}")
        for warning in ctx.warnings:
            print(f"    warning: {warning}")
    rows.insert(
        0,
        {
            "method": "input (all)",
            **report["input"],
            "mean_quality": round(frame["quality"].mean(), 3),
        },
    )
    print(f"\nk-means clusters on the input: {report['clusters']}")
    table = pl.DataFrame(rows)
    with pl.Config(tbl_rows=10, tbl_cols=12, tbl_width_chars=160):
        print(table)


if __name__ == "__main__":
    main()
