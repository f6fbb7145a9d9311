"""MinHash signatures and the whole near_dedup stage, against datasketch and rensa (issue 4).

Part 1, in one process: the same 20,000 documents of ~150 words (windows of real model
outputs from ../shared/data/alpaca_eval) from raw text to 128-permutation signatures by
  (a) datasketch `MinHash.bulk` over word 3-grams (re.findall + lower in Python),
  (b) rensa `RMinHash` over the same Python-built 3-grams,
  (c) ours: `shingle` (polars + numba) and `MinHasher.signatures` (numba).
Each runs once on 500 documents first (imports, numba's cached machine code). Goals:
>= 6x datasketch bulk, >= 1.0x rensa.

Part 2, in a child process (so the peak RSS is the stage's own run): the whole stage,
`NearDedup().apply` (template lines, shingles, signatures, LSH, exact verification,
clusters, keepers), on 100,000 chat records whose prompts have ~150 words drawn from the
same corpus's word distribution (there is not enough distinct real text for 100,000), 10%
of them edited copies of others. Goals: < 60 s and < 2 GB peak RSS on 2 cores.

    python benchmarks/minhash.py [--docs 20000] [--stage-docs 100000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data" / "alpaca_eval"
WORD = re.compile(r"\w+")


def corpus_words() -> list[str]:
    """Every word of the five models' outputs to AlpacaEval's 805 prompts (~0.9M words)."""
    words: list[str] = []
    for path in sorted(DATA.glob("*_model_outputs.json*")):
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as f:
            words += " ".join(r["output"] for r in json.load(f)).split()
    return words


def documents(count: int, words: int = 150, seed: int = 0) -> list[str]:
    """`count` windows of 120-180 consecutive words of real model outputs. There are more
    windows than distinct text, so many overlap: fine for signature speed, not for dedup."""
    corpus = corpus_words()
    rng = np.random.default_rng(seed)
    starts = rng.integers(0, len(corpus) - 2 * words, count)
    lengths = rng.integers(words - 30, words + 30, count)
    return [" ".join(corpus[s : s + n]) for s, n in zip(starts, lengths, strict=True)]


def distinct_documents(
    count: int, words: int = 150, edited: float = 0.1, seed: int = 1
) -> list[str]:
    """`count` documents of 120-180 words drawn at random from the real corpus's word
    distribution (so no two are alike by chance), then `edited` of them replaced by copies
    of another document with 1-6 words changed: planted near duplicates, J ~0.8-0.98."""
    corpus = np.array(corpus_words(), dtype=object)
    rng = np.random.default_rng(seed)
    lengths = rng.integers(words - 30, words + 30, count)
    docs = [" ".join(corpus[rng.integers(0, len(corpus), n)]) for n in lengths]
    for i in np.flatnonzero(rng.random(count) < edited):
        copy = docs[rng.integers(0, count)].split()
        for at in rng.integers(0, len(copy), rng.integers(1, 7)):
            copy[at] = corpus[rng.integers(0, len(corpus))]
        docs[i] = " ".join(copy)
    return docs


def python_shingles(doc: str) -> list[str]:
    words = WORD.findall(doc.lower())
    return [" ".join(words[i : i + 3]) for i in range(max(len(words) - 2, 1))]


def run_datasketch(docs: list[str]) -> np.ndarray:
    from datasketch import MinHash

    sets = [[s.encode("utf-8") for s in python_shingles(d)] for d in docs]
    return np.stack([m.hashvalues for m in MinHash.bulk(sets, num_perm=128, seed=1)])


def run_rensa(docs: list[str]) -> np.ndarray:
    from rensa import RMinHash

    out = []
    for d in docs:
        m = RMinHash(num_perm=128, seed=1)
        m.update(python_shingles(d))
        out.append(m.digest())
    return np.array(out, dtype=np.uint64)


def run_ours(docs: list[str]) -> np.ndarray:
    import polars as pl

    from curate.dedup.minhash import MinHasher
    from curate.dedup.shingles import shingle

    return MinHasher(128, 1).signatures(shingle(pl.Series(docs)))


def signatures(count: int) -> dict[str, float]:
    docs = documents(count)
    print(
        f"{len(docs):,} documents, {sum(len(d.split()) for d in docs) / len(docs):.0f} words on average"
    )
    rates: dict[str, float] = {}
    for name, fn in (
        ("datasketch MinHash.bulk", run_datasketch),
        ("rensa RMinHash", run_rensa),
        ("ours", run_ours),
    ):
        fn(docs[:500])  # warm-up: imports, JIT cache, allocator
        start = time.perf_counter()
        fn(docs)
        seconds = time.perf_counter() - start
        rates[name] = len(docs) / seconds
        print(f"  {name:24s} {seconds:7.2f} s  {rates[name]:10,.0f} docs/s")
    # for context: the peers' own hashing alone, shingles built beforehand (not the goal)
    from datasketch import MinHash
    from rensa import RMinHash

    shingled = [python_shingles(d) for d in docs]
    encoded = [[s.encode("utf-8") for s in sh] for sh in shingled]
    start = time.perf_counter()
    MinHash.bulk(encoded, num_perm=128, seed=1)
    print(
        f"  (datasketch bulk, shingles given: {len(docs) / (time.perf_counter() - start):,.0f} docs/s)"
    )
    start = time.perf_counter()
    for sh in shingled:
        m = RMinHash(num_perm=128, seed=1)
        m.update(sh)
        m.digest()
    print(
        f"  (rensa, shingles given:           {len(docs) / (time.perf_counter() - start):,.0f} docs/s)"
    )
    ours = rates["ours"]
    print(f"  ours / datasketch bulk: {ours / rates['datasketch MinHash.bulk']:.1f}x (goal >= 6x)")
    print(f"  ours / rensa:           {ours / rates['rensa RMinHash']:.2f}x (goal >= 1.0x)")
    return rates


def stage_child(count: int) -> None:
    """Runs in a fresh process: build the records, run the stage, print one JSON line."""
    import polars as pl

    from curate.records import chat_records, message
    from curate.stages.base import Context
    from curate.stages.near_dedup import NearDedup

    docs = distinct_documents(count)
    frame = chat_records(
        [
            [message("user", doc), message("assistant", f"Answer {i}.")]
            for i, doc in enumerate(docs)
        ],
        "bench",
    )
    del docs
    NearDedup().apply(frame.head(500), Context())  # numba's cached code, imports
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    out = NearDedup().apply(frame, Context())
    seconds = time.perf_counter() - start
    print(json.dumps({
        "rows": frame.height,
        "seconds": seconds,
        "rejected": int(out["reject_reason"].is_not_null().sum()),
        "clusters": int(out["cluster_id"].n_unique() - 1),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_before_mb": rss_before,
        "frame_mb": frame.estimated_size() / 2**20,
        "pl_threads": pl.thread_pool_size(),
    }))  # fmt: skip


def whole_stage(count: int) -> None:
    result = subprocess.run(
        [sys.executable, __file__, "--child", str(count)],
        capture_output=True,
        text=True,
        check=True,
    )
    r = json.loads(result.stdout.strip().splitlines()[-1])
    print(
        f"whole near_dedup stage on {r['rows']:,} records (~150-word prompts, 10% edited copies):"
    )
    print(f"  {r['seconds']:.1f} s ({r['rows'] / r['seconds']:,.0f} rows/s), goal < 60 s")
    print(f"  peak RSS {r['peak_rss_mb']:.0f} MB (records frame {r['frame_mb']:.0f} MB, "
          f"{r['rss_before_mb']:.0f} MB before the run), goal < 2048 MB")  # fmt: skip
    print(f"  {r['rejected']:,} near duplicates in {r['clusters']:,} clusters")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--stage-docs", type=int, default=100_000)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        stage_child(args.child)
        return
    signatures(args.docs)
    whole_stage(args.stage_docs)


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    main()
