"""Real prompts, controlled near-duplicates and brute-force Jaccard for the dedup tests.

The ground truth is independent of the code under test: shingles are built in plain
Python from `normalized` text as strings (no hashing), and every pair's exact Jaccard
comes from a sparse matrix product.
"""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import numpy as np
import polars as pl

from curate.records import chat_records, message
from curate.signals import WORD
from curate.text import normalized
from tests.conftest import shared


def load_alpaca(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def alpaca_prompt(row: dict) -> str:
    extra = (row.get("input") or "").strip()
    return row["instruction"] + ("\n\n" + extra if extra else "")


def real_prompts(limit: int | None = None) -> list[str]:
    """Distinct real prompts from several public SFT sets, in a fixed order."""
    seen: dict[str, None] = {}
    for name in (
        "gpteacher/codegen-instruct.json.gz",
        "gpteacher/roleplay-simple-deduped-roleplay-instruct.json.gz",
        "llama-factory/alpaca_en_demo.json",
        "lima/lima.json.gz",
    ):
        for row in load_alpaca(shared(name)):
            seen.setdefault(alpaca_prompt(row), None)
    prompts = list(seen)
    return prompts[:limit] if limit else prompts


def edit(text: str, rng: random.Random, edits: int, vocabulary: list[str]) -> str:
    """`edits` random word replacements, deletions or insertions."""
    words = text.split()
    for _ in range(edits):
        op = rng.choice(("replace", "delete", "insert"))
        at = rng.randrange(len(words))
        if op == "replace":
            words[at] = rng.choice(vocabulary)
        elif op == "delete" and len(words) > 3:
            del words[at]
        else:
            words.insert(at, rng.choice(vocabulary))
    return " ".join(words)


def with_near_duplicates(
    prompts: list[str], count: int, seed: int = 0
) -> tuple[list[str], list[int]]:
    """`prompts` plus `count` edited copies of random prompts of 30+ words, with one word
    edit per 0-28 words (so true Jaccards spread over ~0.6-1.0); returns the texts and,
    for each copy, the index of its original."""
    rng = random.Random(seed)
    vocabulary = sorted({w for p in prompts[:500] for w in p.split()})
    long_ones = [i for i, p in enumerate(prompts) if len(p.split()) >= 30]
    originals = [rng.choice(long_ones) for _ in range(count)]
    copies = [
        edit(
            prompts[i],
            rng,
            max(1, round(len(prompts[i].split()) * rng.uniform(0, 0.035))),
            vocabulary,
        )
        for i in originals
    ]
    return prompts + copies, originals


def python_shingles(texts: list[str], n: int = 3) -> list[set[str]]:
    """Shingle strings per text, from `normalized` + `WORD` (as DESIGN defines them)."""
    tokens = (
        pl.DataFrame({"t": texts}).select(normalized(pl.col("t")).str.extract_all(WORD)).to_series()
    )
    out = []
    for toks in tokens.to_list():
        if not toks:
            out.append(set())
        elif len(toks) < n:
            out.append({" ".join(toks)})
        else:
            out.append({" ".join(toks[i : i + n]) for i in range(len(toks) - n + 1)})
    return out


def brute_force_pairs(texts: list[str], threshold: float) -> dict[tuple[int, int], float]:
    """Every pair i < j with exact Jaccard >= threshold (sparse matrix product, blockwise)."""
    from scipy.sparse import csr_matrix

    sets = python_shingles(texts)
    vocab: dict[str, int] = {}
    indices = [vocab.setdefault(s, len(vocab)) for shingles in sets for s in sorted(shingles)]
    sizes = np.array([len(s) for s in sets])
    indptr = np.concatenate([[0], np.cumsum(sizes)])
    matrix = csr_matrix(
        (np.ones(len(indices), np.float32), indices, indptr), shape=(len(sets), len(vocab))
    )
    pairs: dict[tuple[int, int], float] = {}
    for lo in range(0, len(sets), 1000):
        common = (matrix[lo : lo + 1000] @ matrix.T).tocoo()
        i, j, inter = common.row + lo, common.col, common.data
        keep = i < j
        i, j, inter = i[keep], j[keep], inter[keep]
        jac = inter / (sizes[i] + sizes[j] - inter)
        for a, b, v in zip(
            i[jac >= threshold], j[jac >= threshold], jac[jac >= threshold], strict=True
        ):
            pairs[(int(a), int(b))] = float(v)
    return pairs


def chat_frame(
    prompts: list[str], responses: list[str] | None = None, source: str = "test"
) -> pl.DataFrame:
    """Canonical records, one single-turn chat per prompt."""
    responses = responses or [f"Answer {i}." for i in range(len(prompts))]
    chats = [
        [message("user", prompt), message("assistant", response)]
        for prompt, response in zip(prompts, responses, strict=True)
    ]
    return chat_records(chats, source)
