"""A deterministic corpus of real conversations with planted duplicates, for the Ray engine
equality tests and `benchmarks/scale.py`.

Base rows are real instruction/response pairs from ../shared/data (GPTeacher, LLaMA-Factory,
LIMA, alpaca_eval: the last holds the same 805 instructions answered by five models, so
real prompt near-duplicate clusters of five come for free). On top: exact duplicates
(the same conversation with other case and spacing, so only canonical text matches),
near duplicates (a few words of the prompt edited), and a few unparseable lines.
Past the real rows, more base rows are made by editing real ones heavily.
"""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

from tests.conftest import shared
from tests.dedup_support import edit

FILES = (
    "gpteacher/codegen-instruct.json.gz",
    "gpteacher/roleplay-simple-deduped-roleplay-instruct.json.gz",
    "gpteacher/toolformer-dedupe-only-dataset.json.gz",
    "llama-factory/alpaca_en_demo.json",
    "lima/lima.json.gz",
    "alpaca_eval/gpt4_model_outputs.json.gz",
    "alpaca_eval/claude-2_model_outputs.json.gz",
    "alpaca_eval/falcon-7b-instruct_model_outputs.json",
    "alpaca_eval/llama-2-7b-chat-hf_model_outputs.json.gz",
)
BROKEN = ['{"instruction": "cut off', '{"input": "no instruction or output"}', "[1, 2, 3]"]


def real_pairs() -> list[dict[str, str]]:
    """Distinct (instruction, input, output) rows of the shared files, in a fixed order."""
    seen: dict[tuple[str, str, str], None] = {}
    for name in FILES:
        path = shared(name)
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as handle:
            rows = json.load(handle)
        for row in rows:
            output = row.get("output") or row.get("response") or ""
            key = (row.get("instruction") or "", row.get("input") or "", output)
            if key[0].strip() and output.strip():
                seen.setdefault(key, None)
    return [{"instruction": i, "input": x, "output": o} for i, x, o in seen]


def corpus(n: int, seed: int = 0, exact_frac: float = 0.05, near_frac: float = 0.05) -> list[str]:
    """`n` JSONL lines: base rows, exact and near duplicates shuffled in, 3 broken lines."""
    rng = random.Random(seed)
    pairs = real_pairs()
    vocabulary = sorted({w for p in pairs[:500] for w in p["instruction"].split()})
    n_exact, n_near = int(n * exact_frac), int(n * near_frac)
    n_base = n - n_exact - n_near - len(BROKEN)
    base = [pairs[i % len(pairs)] for i in range(n_base)]
    for i in range(len(pairs), n_base):  # beyond the real rows: heavily edited copies
        row = dict(base[i])
        row["instruction"] = edit(row["instruction"] + " extra", rng, 8, vocabulary)
        row["output"] = edit(row["output"] + " extra", rng, 8, vocabulary)
        base[i] = row
    rows = list(base)
    for _ in range(n_exact):
        row = dict(rng.choice(base))
        row["instruction"] = "  " + row["instruction"].upper() + "\n"
        rows.append(row)
    long_ones = [r for r in base if len(r["instruction"].split()) >= 20]
    for _ in range(n_near):
        row = dict(rng.choice(long_ones))
        words = len(row["instruction"].split())
        row["instruction"] = edit(row["instruction"], rng, max(1, words // 30), vocabulary)
        rows.append(row)
    rng.shuffle(rows)
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    for text in BROKEN:
        lines.insert(rng.randrange(len(lines)), text)
    return lines


def write_corpus(folder: Path, n: int, files: int = 3, seed: int = 0) -> list[Path]:
    """The corpus split over `files` JSONL files in `folder` (so keys span files)."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = corpus(n, seed)
    size = -(-len(lines) // files)
    paths = []
    for i in range(files):
        path = folder / f"part-{i}.jsonl"
        path.write_text("\n".join(lines[i * size : (i + 1) * size]) + "\n", encoding="utf-8")
        paths.append(path)
    return paths
