"""Calibrate deita's `tau` for the default embedding model on real data (issue 6).

DEITA's tau = 0.9 was set for Llama-13B embeddings; cosines of all-MiniLM-L6-v2 prompt
embeddings are spread differently. Two real signals:

1. Labelled near-duplicates: AlpacaDataCleaned's toolformer set before (7,673 rows) and
   after its "similarity < 0.9" filter (5,959 kept, 1,714 removed). A removed row should
   have a kept row at cosine >= tau; a kept row should have none. Printed: for each tau,
   the share of removed rows caught and of kept rows wrongly skipped.
2. What a pair at a given cosine looks like: the mixed set of benchmarks/selection_quality.py
   (seven sets); for each cosine band, the share of rows whose nearest neighbour falls in
   it, and example pairs to read.

    python benchmarks/tau_calibration.py [--cache benchmarks/.cache]
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np
import polars as pl

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from curate.cache import Cache  # noqa: E402
from curate.io.ingest import read_records  # noqa: E402
from curate.stages.base import Context  # noqa: E402
from curate.stages.embed import Embed, embedding_matrix  # noqa: E402
from curate.stages.exact_dedup import ExactDedup  # noqa: E402
from curate.text import field_text  # noqa: E402

DATA = REPO.parent / "shared" / "data"
TAUS = (0.8, 0.85, 0.88, 0.9, 0.92, 0.95)


def embed(frame: pl.DataFrame, cache: Path) -> np.ndarray:
    out = Embed(backend="onnx").annotate(frame, Context(cache=Cache(cache)))
    return embedding_matrix(out)


def max_cos(queries: np.ndarray, pool: np.ndarray, exclude_self: bool = False) -> np.ndarray:
    best = np.empty(queries.shape[0], dtype=np.float32)
    for start in range(0, queries.shape[0], 2048):
        sims = queries[start : start + 2048] @ pool.T
        if exclude_self:
            idx = np.arange(start, min(start + 2048, queries.shape[0]))
            sims[idx - start, idx] = -1
        best[start : start + 2048] = sims.max(axis=1)
    return best


def repair(text: str) -> str:
    """The 17 'after' rows with mojibake (see ../shared/data/README.md)."""
    try:
        return text.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def labelled(cache: Path) -> None:
    before = read_records(DATA / "alpacadatacleaned/toolformer-dedupe-only-dataset.json.gz").records
    after = read_records(
        DATA / "alpacadatacleaned/toolformer-similarity-0.9-dataset.json.gz"
    ).records
    text = field_text("conversation")
    kept_text = set(
        after.select(text).to_series().map_elements(repair, return_dtype=pl.String).to_list()
    )
    before = before.with_columns(text.is_in(list(kept_text)).alias("kept"))
    kept_mask = before["kept"].to_numpy()
    emb = embed(before, cache)
    kept, removed = emb[kept_mask], emb[~kept_mask]
    s_removed = max_cos(removed, kept)
    s_kept = max_cos(kept, kept, exclude_self=True)
    print(f"toolformer: {kept_mask.sum()} kept, {(~kept_mask).sum()} removed by the 0.9 filter")
    print("  tau   removed caught (cos >= tau to a kept row)   kept rows that would be skipped")
    for tau in TAUS:
        print(
            f"  {tau:.2f}  {np.mean(s_removed >= tau):7.1%}                               {np.mean(s_kept >= tau):7.1%}"
        )
    qs = np.quantile(s_removed, [0.1, 0.5]), np.quantile(s_kept, [0.5, 0.9])
    print(f"  removed rows' max cosine to kept: p10 {qs[0][0]:.3f}, median {qs[0][1]:.3f}")
    print(f"  kept rows' max cosine to other kept: median {qs[1][0]:.3f}, p90 {qs[1][1]:.3f}")


def mixed(cache: Path) -> None:
    from selection_quality import load_mixed  # benchmarks/ is on sys.path when run as a script

    frame = ExactDedup().filter(load_mixed())
    emb = embed(frame, cache)
    nn = np.empty(emb.shape[0], dtype=np.int64)
    best = np.empty(emb.shape[0], dtype=np.float32)
    for start in range(0, emb.shape[0], 2048):
        sims = emb[start : start + 2048] @ emb.T
        idx = np.arange(start, min(start + 2048, emb.shape[0]))
        sims[idx - start, idx] = -1
        nn[start : start + 2048] = sims.argmax(axis=1)
        best[start : start + 2048] = sims.max(axis=1)
    prompts = frame.select(field_text("prompt")).to_series().to_list()
    print(
        f"\nmixed set: {frame.height} rows after exact dedup; nearest-neighbour cosine of each row"
    )
    edges = (0.0, 0.7, 0.8, 0.85, 0.9, 0.95, 1.01)
    rng = np.random.default_rng(0)
    for lo, hi in itertools.pairwise(edges):
        band = np.flatnonzero((best >= lo) & (best < hi))
        print(f"  [{lo:.2f}, {min(hi, 1.0):.2f}): {band.size / best.size:6.1%}")
        if lo >= 0.8 and band.size:
            for i in rng.choice(band, size=min(3, band.size), replace=False):
                a, b = prompts[i][:90].replace("\n", " "), prompts[nn[i]][:90].replace("\n", " ")
                print(f"      {best[i]:.3f}  {a!r}\n             {b!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=REPO / "benchmarks" / ".cache")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    labelled(args.cache)
    mixed(args.cache)


if __name__ == "__main__":
    main()
