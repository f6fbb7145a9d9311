"""Refusal and quality filters against the phrase lists other projects use.

1. Accuracy on tests/data/refusal_quality_labelled.jsonl: each list of
   ../shared/data/refusal_phrase_lists.json, applied as its source applies it (substring,
   case-sensitive or not, or regex) to the assistant turns, against our detector; P/R/F1 for
   "hard refusal" and for "any refusal" (hard or soft).
2. Refusal rate per model on the alpaca_eval outputs (same 805 prompts each).
3. Speed: quality (without language id) + refusal, conversations/s, next to a plain Python
   loop over the Open-Assistant phrase list; language identification timed on its own.

    .venv/bin/python benchmarks/refusal.py [--rows 100000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import time
from pathlib import Path

import polars as pl

from curate.records import chat_records, message
from curate.stages.base import Context
from curate.stages.quality import Quality
from curate.stages.refusal import Refusal
from curate.text import field_text

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"
LABELLED = REPO / "tests" / "data" / "refusal_quality_labelled.jsonl"
MODELS = ["llama-2-7b-chat-hf", "falcon-7b-instruct", "gpt4", "claude-2", "gpt4_1106_preview"]


def frame_of(chats: list[list[tuple[str, str]]]) -> pl.DataFrame:
    return chat_records(
        [[message(role, content) for role, content in turns] for turns in chats], "bench"
    )


def load_json(path: Path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def phrase_matchers() -> dict[str, callable]:
    """One matcher per list, applied the way its source applies it."""
    lists = load_json(DATA / "refusal_phrase_lists.json")
    matchers = {}
    for name, entry in lists.items():
        phrases, how = entry["phrases"], entry["match"].lower()
        if "regex" in how:
            lower = "lower-cased" in how
            pattern = re.compile("|".join(f"(?:{p})" for p in phrases), 0 if lower else re.I)
            matchers[name] = lambda t, p=pattern, lo=lower: bool(p.search(t.lower() if lo else t))
        elif "case-sensitive" in how:
            matchers[name] = lambda t, ps=phrases: any(p in t for p in ps)
        else:
            low = [p.lower() for p in phrases]
            matchers[name] = lambda t, ps=low: any(p in t.lower() for p in ps)
    return matchers


def prf(gold: list[bool], pred: list[bool]) -> tuple[float, float, float]:
    tp = sum(g and p for g, p in zip(gold, pred, strict=True))
    precision = tp / max(sum(pred), 1)
    recall = tp / max(sum(gold), 1)
    return precision, recall, 2 * precision * recall / max(precision + recall, 1e-9)


def accuracy(matchers) -> None:
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    frame = frame_of([[(m["role"], m["content"]) for m in r["messages"]] for r in rows])
    ours = Refusal().annotate(frame, Context())["refusal_tier"].to_list()
    responses = frame.select(field_text("response")).to_series().to_list()
    gold = [r["refusal"] for r in rows]
    print(f"\n## Labelled set: {len(rows)} conversations "
          f"({gold.count('hard')} hard, {gold.count('soft')} soft, {gold.count('none')} none)\n")  # fmt: skip
    print("| detector | hard P | hard R | hard F1 | any P | any R | any F1 |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    hard = [g == "hard" for g in gold]
    anyr = [g != "none" for g in gold]
    results = {"curate (hard tier / any tier)": (
        [t == "hard" for t in ours], [t != "none" for t in ours])}  # fmt: skip
    for name, match in matchers.items():
        flags = [match(t) for t in responses]
        results[name] = (flags, flags)
    for name, (pred_hard, pred_any) in results.items():
        cells = [*prf(hard, pred_hard), *prf(anyr, pred_any)]
        print(f"| {name} | " + " | ".join(f"{c:.3f}" for c in cells) + " |")


def rates(matchers) -> None:
    print("\n## alpaca_eval: refusal rate per model (805 prompts each)\n")
    names = list(matchers)
    print("| model | curate hard | curate soft | " + " | ".join(names) + " |")
    print("|---|---:|---:|" + "---:|" * len(names))
    for model in MODELS:
        path = next(DATA.glob(f"alpaca_eval/{model}_model_outputs.json*"))
        outputs = load_json(path)
        frame = frame_of(
            [[("user", o["instruction"]), ("assistant", o["output"])] for o in outputs]
        )
        tiers = Refusal().annotate(frame, Context())["refusal_tier"]
        n = frame.height
        cells = [f"{(tiers == 'hard').sum() / n:.1%}", f"{(tiers == 'soft').sum() / n:.1%}"]
        cells += [f"{sum(m(o['output']) for o in outputs) / n:.1%}" for m in matchers.values()]
        print(f"| {model} | " + " | ".join(cells) + " |")


def speed(rows: int, matchers) -> None:
    chats = []
    for path in ["llama-factory/alpaca_en_demo.json", "lima/lima.json.gz"] + [
        str(p.relative_to(DATA)) for p in sorted(DATA.glob("alpaca_eval/*_model_outputs.json*"))
    ]:
        for r in load_json(DATA / path):
            prompt = r["instruction"] + (("\n\n" + r["input"]) if r.get("input") else "")
            chats.append([("user", prompt), ("assistant", r["output"])])
    base = frame_of(chats)
    frame = pl.concat([base] * (rows // base.height + 1)).head(rows)
    words = frame.select(field_text("response").str.count_matches(r"\w+")).to_series()
    print(f"\n## Speed: {frame.height:,} conversations (LIMA, alpaca_en_demo and alpaca_eval "
          f"outputs, repeated; median response {int(words.median())} words)\n")  # fmt: skip
    ctx = Context()
    quality, refusal = Quality(disable=["language_mismatch"]), Refusal()
    # warm-up: numba loads its compiled kernels and the character table once per process
    refusal.apply(quality.apply(frame.head(200), ctx), ctx)

    def timed(run, repeats: int = 3) -> tuple[float, float, pl.DataFrame]:
        """Best wall time and process CPU time (all threads) of `repeats` runs: the
        machine is shared, so the best run is the least disturbed one."""
        best = (float("inf"), float("inf"), None)
        for _ in range(repeats):
            cpu, wall = time.process_time(), time.perf_counter()
            result = run()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            best = min(best, (wall, cpu, result), key=lambda b: b[0])
        return best

    ours, ours_cpu, out = timed(lambda: refusal.apply(quality.apply(frame, ctx), ctx))
    q_time, q_cpu, _ = timed(lambda: quality.apply(frame, ctx))
    r_time, r_cpu, _ = timed(lambda: refusal.apply(frame, ctx))
    phrases = [p.lower() for p in load_json(DATA / "refusal_phrase_lists.json")[
        "LAION-AI/Open-Assistant"]["phrases"]]  # fmt: skip

    def phrase_loop() -> int:
        texts = [m[-1]["content"] for m in frame["messages"].to_list()]
        return sum(any(p in t.lower() for p in phrases) for t in texts)

    loop, loop_cpu, flagged = timed(phrase_loop)
    sample = base.head(2000)
    start = time.perf_counter()
    Quality().apply(sample, Context())
    lang = time.perf_counter() - start
    start = time.perf_counter()
    Quality(disable=["language_mismatch"]).apply(sample, Context())
    lang -= time.perf_counter() - start
    print("| | wall s (best of 3) | conversations/s | CPU s | conversations per CPU s |")
    print("|---|---:|---:|---:|---:|")
    for name, wall, cpu in [
        ("curate quality + refusal (no language id)", ours, ours_cpu),
        ("curate quality alone", q_time, q_cpu),
        ("curate refusal alone", r_time, r_cpu),
        ("Python loop, Open-Assistant phrases (substring)", loop, loop_cpu),
    ]:
        print(
            f"| {name} | {wall:.2f} | {frame.height / wall:,.0f} | {cpu:.2f} | {frame.height / cpu:,.0f} |"
        )
    print(
        f"| language id (py3langid, {sample.height} rows, no cache) | {lang:.2f} | {sample.height / lang:,.0f} | | |"
    )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\n{os.cpu_count()} cores, load average {load:.1f} while measuring")
    print(f"\nratio curate / loop: {loop / ours:.2f}x; rejected {out['reject_reason'].is_not_null().sum():,}"
          f", loop flagged {flagged:,}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    matchers = phrase_matchers()
    accuracy(matchers)
    rates(matchers)
    speed(args.rows, matchers)


if __name__ == "__main__":
    main()
