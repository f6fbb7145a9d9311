"""How the cost grows with the rows: local engine vs Ray engine, rows/s and peak memory.

    .venv/bin/python benchmarks/scale.py                 # 20K and 100K rows
    .venv/bin/python benchmarks/scale.py --rows 20000 100000 1000000

Data: tests/ray_support.py's corpus (real conversations from ../shared/data, planted exact
and near duplicates, a few broken lines; past ~19K rows, heavily edited copies of real
rows). Pipeline: exact_dedup, quality, near_dedup, refusal (no embedding: DESIGN section
9). Each run is a fresh child process; the parent samples the PSS (proportional set size:
shared pages such as Ray's object store are split, not double counted) of the child and
all its descendants (Ray's raylet, GCS and workers) every 0.25 s and keeps the peak.
Ray runs on a local cluster of `--cpus` CPUs, started before the clock starts (its start
time is printed apart). Both engines get a fresh cache, so every signature is computed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
STAGES = [
    {"kind": "exact_dedup"},
    {"kind": "quality"},
    {"kind": "near_dedup", "threshold": 0.7},
    {"kind": "refusal"},
]


def child(args: argparse.Namespace) -> None:
    """One run in this process; prints a JSON line with the timings."""
    sys.path.insert(0, str(REPO))
    started = time.perf_counter()
    if args.engine == "ray":
        import ray

        ray.init(
            num_cpus=args.cpus, include_dashboard=False, logging_level="ERROR", log_to_driver=False
        )
    cluster = time.perf_counter() - started
    import curate
    from tests.conftest import write_pipeline

    folder = Path(args.work) / args.engine
    folder.mkdir(parents=True, exist_ok=True)
    pipeline = write_pipeline(
        folder,
        [{"path": str(Path(args.data) / "part-*.jsonl"), "source": "corpus"}],
        STAGES,
        run={"output": "run", "engine": args.engine},
    )
    t0 = time.perf_counter()
    summary = curate.run(pipeline)
    seconds = time.perf_counter() - t0
    stages = {s["name"]: s["seconds"] for s in summary["stages"]}
    print(
        json.dumps(
            {"seconds": seconds, "cluster": cluster, "kept": summary["kept"], "stages": stages}
        )
    )


def measure(engine: str, data: Path, work: Path, cpus: int) -> dict:
    cmd = [
        sys.executable,
        __file__,
        "--child",
        engine,
        "--data",
        str(data),
        "--work",
        str(work),
        "--cpus",
        str(cpus),
    ]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True
    )
    root, peak = psutil.Process(proc.pid), 0
    while proc.poll() is None:
        total = 0
        try:
            family = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        for p in family:
            try:
                total += p.memory_full_info().pss
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
        peak = max(peak, total)
        time.sleep(0.25)
    out = proc.stdout.read() if proc.stdout else ""
    if proc.returncode:
        raise RuntimeError(f"{engine} run failed ({proc.returncode})")
    result = json.loads(out.strip().splitlines()[-1])
    result["peak_mb"] = peak / 2**20
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--engines", nargs="+", default=["local", "ray"])
    parser.add_argument("--cpus", type=int, default=2, help="CPUs of the local Ray cluster")
    parser.add_argument("--child", choices=["local", "ray"], help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        args.engine = args.child
        child(args)
        return
    sys.path.insert(0, str(REPO))
    from tests.ray_support import write_corpus

    print(
        f"{'rows':>9} {'engine':>6} {'seconds':>8} {'rows/s':>8} {'peak MB':>8} {'near_dedup s':>12} {'cluster s':>9}"
    )
    for rows in args.rows:
        with tempfile.TemporaryDirectory(prefix="curate-scale-") as tmp:
            data = Path(tmp) / "data"
            write_corpus(data, rows)
            for engine in args.engines:
                r = measure(engine, data, Path(tmp) / f"work-{engine}", args.cpus)
                print(
                    f"{rows:>9} {engine:>6} {r['seconds']:>8.1f} {rows / r['seconds']:>8.0f} "
                    f"{r['peak_mb']:>8.0f} {r['stages'].get('near_dedup', 0):>12.1f} {r['cluster']:>9.1f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
