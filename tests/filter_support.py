"""Helpers for the quality and refusal tests: record frames from plain turns, the
labelled set, and alpaca_eval model outputs."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import polars as pl

from curate.records import chat_records, message

LABELLED = Path(__file__).parent / "data" / "refusal_quality_labelled.jsonl"


def conversations(*chats: list[tuple[str, str]] | tuple[str, str]) -> pl.DataFrame:
    """A record frame; each chat is (prompt, response) or a list of (role, content)."""
    turns = [[("user", c[0]), ("assistant", c[1])] if isinstance(c, tuple) else c for c in chats]
    return chat_records([[message(role, content) for role, content in t] for t in turns], "test")


def labelled() -> tuple[pl.DataFrame, list[dict]]:
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    chats = [[(m["role"], m["content"]) for m in row["messages"]] for row in rows]
    return conversations(*chats), rows


def alpaca_eval(path: Path) -> pl.DataFrame:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        outputs = json.load(f)
    return conversations(*[(o["instruction"], o["output"]) for o in outputs])


def precision_recall(gold: list, predicted: list, label) -> tuple[float, float]:
    tp = sum(g == label and p == label for g, p in zip(gold, predicted, strict=True))
    flagged = sum(p == label for p in predicted)
    positives = sum(g == label for g in gold)
    return tp / max(flagged, 1), tp / max(positives, 1)
