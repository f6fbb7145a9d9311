"""Ingest + exact dedup against polars' bare JSONL read (issue 3).

Generates 100K ShareGPT-style conversations (~150 MB JSONL, 5% exact duplicates) once
under benchmarks/data/, then runs, each in a fresh child process so peak RSS is its own:
  (a) `polars.read_ndjson` of the file (the floor: parsing alone, no records, no ledger)
  (b) `curate run` with only exact_dedup: canonical records, ids, ledger, all outputs
and prints rows/s, peak RSS and two ratios: in process, curate's ingest + exact_dedup
(the runner's own stage timings) against polars' read; and whole process against whole
process, where curate also writes every output and the report. Goal (issue 3): ingest +
exact dedup within 3x of polars' bare read, peak RSS < 2 GB.

    python benchmarks/ingest.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TOPICS = [
    "python",
    "cooking",
    "history",
    "travel",
    "finance",
    "physics",
    "poetry",
    "sql",
    "health",
    "music",
]


def generate(path: Path, rows: int, seed: int = 0) -> None:
    rng = random.Random(seed)
    vocab = [f"{t}{i}" for t in TOPICS for i in range(400)] + [
        "the",
        "a",
        "of",
        "to",
        "and",
        "in",
        "is",
        "it",
        "that",
        "for",
        "with",
        "as",
        "on",
    ]

    def sentence(n: int) -> str:
        return " ".join(rng.choice(vocab) for _ in range(n)).capitalize() + "."

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    made: list[str] = []
    with open(tmp, "w", encoding="utf-8") as handle:
        for i in range(rows):
            if made and rng.random() < 0.05:
                handle.write(rng.choice(made))
                continue
            turns = []
            for _ in range(rng.choice([1, 1, 1, 2, 3])):
                turns.append(
                    {
                        "from": "human",
                        "value": " ".join(sentence(rng.randint(6, 14)) for _ in range(2)),
                    }
                )
                turns.append(
                    {
                        "from": "gpt",
                        "value": " ".join(
                            sentence(rng.randint(8, 20)) for _ in range(rng.randint(4, 8))
                        ),
                    }
                )
            line = json.dumps({"id": f"conv{i}", "conversations": turns}, ensure_ascii=False) + "\n"
            if len(made) < 5000:
                made.append(line)
            handle.write(line)
    tmp.replace(path)


POLARS = """
import sys, time, polars as pl
start = time.perf_counter()
frame = pl.read_ndjson(sys.argv[1])
print(frame.height, time.perf_counter() - start)
"""

CURATE = """
import sys
from curate.config import pipeline_from_dict
from curate.runner import run_pipeline
from pathlib import Path
data = {"run": {"name": "bench", "output": sys.argv[2]}, "inputs": [{"path": sys.argv[1]}],
        "stages": [{"kind": "exact_dedup"}]}
summary = run_pipeline(pipeline_from_dict(data, base_dir=Path(sys.argv[2]).parent))
phases = sum(s["seconds"] for s in summary["stages"])  # ingest + exact_dedup, in process
print(summary["input_rows"], summary["kept"], phases)
"""


def measure(code: str, *args: str) -> tuple[float, float, str]:
    """(seconds, peak RSS MB, stdout) of `code` run in a fresh Python process."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True)
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"child failed: {code[:40]}...")
    return seconds, usage.ru_maxrss / 1024, out.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each side; best kept")
    args = parser.parse_args()
    path = HERE / "data" / f"sharegpt_{args.rows}.jsonl"
    if not path.exists():
        print(f"generating {path} ...", flush=True)
        generate(path, args.rows)
    size_mb = path.stat().st_size / 1e6
    with tempfile.TemporaryDirectory() as tmp:
        # alternate the sides, keep each side's fastest run (the box may be shared)
        runs = [
            (measure(POLARS, str(path)), measure(CURATE, str(path), str(Path(tmp) / f"run{i}")))
            for i in range(args.repeat)
        ]
        polars_s, polars_rss, polars_out = min((r[0] for r in runs), key=lambda m: m[0])
        ours_s, ours_rss, out = min((r[1] for r in runs), key=lambda m: m[0])
    rows, kept, phases = int(out.split()[0]), int(out.split()[1]), float(out.split()[2])
    read_s = float(polars_out.split()[1])
    print(f"file: {size_mb:.0f} MB, {rows} rows, {rows - kept} exact duplicates removed")
    print(f"{'':28} {'seconds':>8} {'rows/s':>10} {'peak RSS MB':>12}")
    print(
        f"{'polars.read_ndjson (bare)':28} {polars_s:8.2f} {rows / polars_s:10.0f} {polars_rss:12.0f}"
    )
    print(f"{'curate run (exact_dedup)':28} {ours_s:8.2f} {rows / ours_s:10.0f} {ours_rss:12.0f}")
    print(
        f"in process: polars read {read_s:.2f} s; curate ingest + exact_dedup {phases:.2f} s: "
        f"{phases / read_s:.2f}x (goal <= 3x)"
    )
    print(
        f"whole processes: {ours_s / polars_s:.2f}x (curate also writes curated/rejected JSONL, "
        f"ledger, summary and report.html); peak RSS {ours_rss:.0f} MB (goal < 2048)"
    )


if __name__ == "__main__":
    main()
