"""Realistic run folders for the report tests: the real runner and stages on real data,
plus the run outputs that the runner does not write yet, in their documented formats.

`make_run` runs `curate.run` on files from ../shared/data plus a file of hostile rows,
with the real exact_dedup, quality, near_dedup, refusal and select (method "random": the
embed stage's model is too slow for unit tests) stages. `add_run_outputs` then adds what
the embed stage and the trainer will add (DESIGN section 6): embeddings.parquet (hashed
bag-of-words vectors of the rows that reached selection, with their `selected` flag),
summary.json `diversity` (computed by curate.diversity), train_log.jsonl, compare.jsonl
and mask_preview.jsonl. Comparison answers are real model outputs from alpaca_eval
(falcon-7b as "base", gpt-4 as "tuned"); the loss curve is synthetic.
"""

from __future__ import annotations

import json
import re
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

import curate
from curate.diversity import diversity_report
from curate.io.formats import FieldNames
from curate.io.ingest import read_records
from curate.io.writers import write_json, write_jsonl, write_parquet
from curate.report.run import load_run
from curate.stages import STAGES
from curate.text import field_text
from tests.conftest import shared, write_pipeline

# the report's sections, in page order: what both report tests expect to find
SECTIONS = (
    "overview",
    "funnel",
    "reasons",
    "duplicates",
    "scores",
    "refusals",
    "map",
    "diversity",
    "training",
    "rows",
)


HOSTILE = [
    "<script>document.title='PWNED';alert('xss')</script>",
    "<img src=x onerror=\"document.title='PWNED';alert(1)\">",
    "</textarea><b>not bold</b>",
    "</script><script>alert('breakout')</script>",
    "<!-- comment --> & &amp; \u2028 line separator",
]
HOSTILE_SOURCE = "<img src=y onerror=alert(3)>.jsonl"


def hostile_rows() -> list[dict[str, Any]]:
    rows = []
    for i, text in enumerate(HOSTILE):
        rows.append({"messages": [{"role": "user", "content": f"Explain this HTML: {text}"},
                                  {"role": "assistant", "content": f"It is markup: {text} (case {i})"}]})  # fmt: skip
    rows.append(rows[0])  # an exact duplicate: shown as an example of `duplicate`
    # a hard refusal quoting hostile markup, so the highlighted span holds it
    rows.append({"messages": [{"role": "user", "content": "Write <script>alert(2)</script> into my page."},
                              {"role": "assistant", "content": "I apologize, but I cannot help inject <script>alert(2)</script>."}]})  # fmt: skip
    return rows


STAGE_SPECS = [
    {"kind": "exact_dedup"},
    {"kind": "quality"},
    {"kind": "near_dedup", "threshold": 0.8},
    {"kind": "refusal", "action": "drop"},
    {"kind": "select", "method": "random", "budget": 1200},
]


def make_run(
    folder: Path, inputs: list[dict[str, Any]] | None = None, name: str = "report-demo"
) -> Path:
    """Run the real pipeline on real files plus hostile rows; return the run folder."""
    folder.mkdir(parents=True, exist_ok=True)
    hostile = folder / "hostile.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) for r in hostile_rows()]
    lines.append('{"messages": </script><script>alert("raw")</script>')  # an unparseable row
    hostile.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if inputs is None:
        inputs = [
            {"path": str(shared("llama-factory/alpaca_en_demo.json")), "license": "Apache-2.0"},
            {"path": str(shared("alpaca_eval/llama-2-7b-chat-hf_model_outputs.json.gz")),
             "format": "prompt_response", "prompt_field": "instruction", "response_field": "output",
             "license": "CC-BY-NC-4.0"},
            {"path": str(shared("fastchat/dummy_conversation.json")), "license": "Apache-2.0"},
        ]  # fmt: skip
    inputs = [*inputs, {"path": "hostile.jsonl", "source": HOSTILE_SOURCE}]
    stages = [s for s in STAGE_SPECS if s["kind"] in STAGES]
    pipeline = write_pipeline(folder, inputs, stages, run={"name": name})
    curate.run(str(pipeline))
    return folder / "out"


# --------------------------------------------------------------------------- outputs to come


def add_run_outputs(run_dir: Path, seed: int = 0) -> None:
    """Add embeddings.parquet, summary `diversity` and the trainer's files to a run."""
    run = load_run(run_dir)
    select = [st["name"] for st in run.summary["stages"] if st["kind"] == "select"]
    reached = run.ledger.filter((pl.col("decision") == "kept") | pl.col("stage").is_in(select))
    vectors = embed(reached.select(field_text("prompt").fill_null("")).to_series().to_list())
    selected = (reached["decision"] == "kept").to_numpy()
    write_parquet(
        run_dir / "embeddings.parquet",
        reached.select("id", "source", "row").with_columns(
            pl.Series("embedding", vectors, dtype=pl.List(pl.Float32)),
            pl.Series("selected", selected),
        ),
    )
    run.summary["diversity"] = diversity_report(vectors, vectors[selected], seed=seed)
    write_json(run_dir / "summary.json", run.summary)
    _write_training(run_dir, run.ledger)


WORD = re.compile(r"\w+")


def embed(texts: list[str], dims: int = 96) -> np.ndarray:
    """Signed feature hashing of words: a fast, deterministic stand-in for a sentence model."""
    out = np.zeros((len(texts), dims), dtype=np.float32)
    for i, text in enumerate(texts):
        for word in WORD.findall(text.casefold()):
            h = zlib.crc32(word.encode())
            out[i, h % dims] += 1.0 if (h >> 7) & 1 else -1.0
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1
    return out / norms


def _write_training(run_dir: Path, ledger: pl.DataFrame, steps: int = 60) -> None:
    rng = np.random.default_rng(0)
    log = []
    for step in range(1, steps + 1):
        loss = 1.15 + 1.4 * np.exp(-step / 14) + rng.normal(0, 0.05)
        log.append({"step": step, "loss": round(float(loss), 4), "lr": 2e-5 * min(1, step / 6),
                    "tokens_per_s": round(float(2400 + rng.normal(0, 80)), 1), "trained_tokens": 512 * step})  # fmt: skip
        if step % 15 == 0:
            log.append({"step": step, "eval_loss": round(float(loss + 0.08), 4)})
    write_jsonl(run_dir / "train_log.jsonl", log)
    base = read_records(shared("alpaca_eval/falcon-7b-instruct_model_outputs.json"), format="prompt_response",
                        fields=_fields()).records  # fmt: skip
    tuned = read_records(
        shared("alpaca_eval/gpt4_model_outputs.json.gz"), format="prompt_response", fields=_fields()
    ).records
    pick = [3, 17, 42, 101, 250]
    rows = [
        {"prompt": base["messages"][i][0]["content"], "base": base["messages"][i][-1]["content"],
         "tuned": tuned["messages"][i][-1]["content"]}
        for i in pick
    ]  # fmt: skip
    rows.append({"prompt": HOSTILE[1], "base": HOSTILE[0], "tuned": HOSTILE[3]})
    write_jsonl(run_dir / "compare.jsonl", rows)
    kept = ledger.filter(pl.col("decision") == "kept").head(3)
    previews = [
        {"id": r["id"], "tokens": _chatml_tokens(r["messages"])} for r in kept.iter_rows(named=True)
    ]
    write_jsonl(run_dir / "mask_preview.jsonl", previews)
    (run_dir / "model").mkdir(exist_ok=True)


def _fields() -> FieldNames:
    return FieldNames(prompt="instruction", response="output")


def _chatml_tokens(messages: list[dict[str, Any]]) -> list[list[Any]]:
    """ChatML rendering split into word-piece-like tokens; assistant text and its end token trained."""
    tokens: list[list[Any]] = []
    for m in messages:
        tokens += [["<|im_start|>", False], [m["role"] + "\n", False]]
        for piece in re.findall(r"\s*\S+|\s+", m["content"] or ""):
            tokens.append([piece, m["role"] == "assistant"])
        tokens += [["<|im_end|>", m["role"] == "assistant"], ["\n", False]]
    return tokens


def demo_run(tmp_path_factory: Any) -> Path:
    """The realistic run with every section, built once per test session and shared."""
    root = tmp_path_factory.getbasetemp() / "report-demo"
    out = root / "out"
    if not (out / "mask_preview.jsonl").is_file():
        make_run(root)
        add_run_outputs(out)
    return out
