"""Refusal and quality stages on a held-out labelled set (default config).

Each held-out set was written blind (its author read DESIGN.md and the issue, never the
detectors' patterns or the other sets) and measured once as it was. The detectors were
then widened by classes of phrasing against tests/data/refusal_quality_heldout.jsonl
(round 1), refusal_quality_heldout2.jsonl (round 2), refusal_quality_heldout3.jsonl
(round 3) and refusal_quality_heldout4.jsonl (round 4), so those are development sets now
and their figures upper bounds; tests/data/refusal_quality_heldout5.jsonl, measured after
round 4 and not tuned on, is the estimate (benchmarks/RESULTS.md). Prints hard / soft / any-refusal P/R/F1,
low-quality P/R overall and per reason, and every misclassified row.

    .venv/bin/python benchmarks/heldout.py [tests/data/refusal_quality_heldout5.jsonl]
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path

import polars as pl

from curate.records import chat_records, message
from curate.stages.base import Context
from curate.stages.quality import Quality
from curate.stages.refusal import Refusal

HELDOUT = (
    Path(__file__).resolve().parent.parent / "tests" / "data" / "refusal_quality_heldout5.jsonl"
)


def frame_of(rows: list[dict]) -> pl.DataFrame:
    chats = [[message(m["role"], m["content"]) for m in row["messages"]] for row in rows]
    return chat_records(chats, "heldout")


def prf(gold: list[bool], pred: list[bool]) -> tuple[float, float, float]:
    tp = sum(g and p for g, p in zip(gold, pred, strict=True))
    precision = tp / max(sum(pred), 1)
    recall = tp / max(sum(gold), 1)
    return precision, recall, 2 * precision * recall / max(precision + recall, 1e-9)


def assistant_head(row: dict, width: int = 120) -> str:
    """The assistant turns joined by " | ", newlines flattened, cut to width."""
    text = " | ".join(m["content"] for m in row["messages"] if m["role"] == "assistant")
    return json.dumps(text.replace("\n", " ")[:width], ensure_ascii=False)


def refusal_report(rows: list[dict], out: pl.DataFrame) -> None:
    gold = [r["refusal"] for r in rows]
    pred = out["refusal_tier"].to_list()
    detail = out["reject_detail"].to_list()
    print(
        f"## Refusal: {len(rows)} rows, gold {dict(Counter(gold))}, predicted {dict(Counter(pred))}\n"
    )
    print("| tier | P | R | F1 |\n|---|---:|---:|---:|")
    for name, g, p in [
        ("hard", [x == "hard" for x in gold], [x == "hard" for x in pred]),
        ("soft", [x == "soft" for x in gold], [x == "soft" for x in pred]),
        ("any (hard or soft)", [x != "none" for x in gold], [x != "none" for x in pred]),
    ]:
        print(f"| {name} | " + " | ".join(f"{v:.3f}" for v in prf(g, p)) + " |")
    print("\nconfusion (gold -> predicted):", dict(Counter(zip(gold, pred, strict=True))))
    print("\n### Refusal misclassifications (index, group, gold -> predicted, assistant, detail)")
    for i, (row, g, p, d) in enumerate(zip(rows, gold, pred, detail, strict=True)):
        if g != p:
            print(f"- [{i}] {row['group']}: {g} -> {p}: {assistant_head(row)} :: {d}")


def quality_report(rows: list[dict], out: pl.DataFrame) -> None:
    gold = [r["quality"] for r in rows]
    pred = out["reject_reason"].to_list()
    detail = out["reject_detail"].to_list()
    print(f"\n## Quality: {sum(g is not None for g in gold)} low-quality of {len(rows)} rows\n")
    p, r, f = prf([g is not None for g in gold], [x is not None for x in pred])
    print(f"low quality (any reason): P {p:.3f} R {r:.3f} F1 {f:.3f}")
    exact = sum(g is not None and g == x for g, x in zip(gold, pred, strict=True))
    print(f"flagged with the gold reason: {exact} of {sum(g is not None for g in gold)}\n")
    print("| reason | gold | predicted | P | R |\n|---|---:|---:|---:|---:|")
    for code in sorted({*filter(None, gold), *filter(None, pred)}):
        pc, rc, _ = prf([g == code for g in gold], [x == code for x in pred])
        print(f"| {code} | {gold.count(code)} | {pred.count(code)} | {pc:.3f} | {rc:.3f} |")
    print("\n### Quality misclassifications (index, group, gold -> predicted, assistant, detail)")
    for i, (row, g, x, d) in enumerate(zip(rows, gold, pred, detail, strict=True)):
        if g != x:
            print(f"- [{i}] {row['group']}: {g} -> {x}: {assistant_head(row)} :: {d}")


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else HELDOUT
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    frame = frame_of(rows)
    refusal_report(rows, Refusal().apply(frame, Context()))
    quality_report(rows, Quality().apply(frame, Context()))


if __name__ == "__main__":
    main()
