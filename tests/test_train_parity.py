"""Parity with TRL's SFTTrainer (assistant-only loss): same labels, same initial loss.

TRL needs `{% generation %}` tags and has no training template for SmolLM2, so TRL gets a
hand-tagged copy of SmolLM2's template that renders the same text; our trainer uses the
stock template and finds the assistant spans from character offsets.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from curate.train.templates import SMOLLM2_GENERATION_TEMPLATE as TAGGED_SMOLLM2
from tests.train_support import real_rows, tiny_model_dir, tokenizer_dir, write_jsonl

torch = pytest.importorskip("torch")
trl = pytest.importorskip("trl")


def _conversations() -> list[dict]:
    """Single-turn rows with per-turn loss weights and two-turn ShareGPT rows (both trained)."""
    rows = [
        {
            "messages": [
                {"role": t["role"], "content": t["content"][0]["value"]} for t in r["messages"]
            ]
        }
        for r in real_rows("llama-factory/v1_sft_demo.jsonl", 6, start=60)
    ]
    roles = {"human": "user", "gpt": "assistant"}
    rows += [
        {
            "messages": [
                {"role": roles[t["from"]], "content": t["value"]} for t in r["conversations"]
            ]
        }
        for r in real_rows("fastchat/dummy_conversation.json", 6, start=40)
    ]
    return rows


def test_same_labels_and_initial_loss_as_trl(tmp_path: Path) -> None:
    from datasets import Dataset
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import SFTConfig, SFTTrainer

    from curate.train.data import collate, read_conversations, tokenize_conversations
    from curate.train.loss import loss_sum
    from curate.train.model import load_tokenizer

    rows = _conversations()
    model_dir = tiny_model_dir(tmp_path, tokenizer_dir(tmp_path))
    ours_tok = load_tokenizer(str(model_dir))
    prepared = tokenize_conversations(
        read_conversations(write_jsonl(tmp_path / "rows.jsonl", rows)), ours_tok, max_length=1024
    )
    assert len(prepared) == len(rows) and not prepared.dropped

    trl_tok = AutoTokenizer.from_pretrained(model_dir)
    trl_tok.chat_template = TAGGED_SMOLLM2
    for row in rows:  # both templates render the very same text
        assert trl_tok.apply_chat_template(
            row["messages"], tokenize=False
        ) == ours_tok.apply_chat_template(row["messages"], tokenize=False)
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32)
    args = SFTConfig(
        output_dir=str(tmp_path / "trl"),
        assistant_only_loss=True,
        max_length=1024,
        per_device_train_batch_size=len(rows),
        report_to=[],
        use_cpu=True,
        bf16=False,
        save_strategy="no",
        dataset_num_proc=None,
    )
    trainer = SFTTrainer(
        model=model, args=args, train_dataset=Dataset.from_list(rows), processing_class=trl_tok
    )
    trl_rows = list(trainer.train_dataset)
    for ids, labels, theirs in zip(prepared.input_ids, prepared.labels, trl_rows, strict=True):
        assert ids.tolist() == theirs["input_ids"]
        assert labels.tolist() == theirs["labels"]
    # both mask most of each row: the default system prompt, the users' turns and headers
    assert (
        0
        < sum(int((lab != -100).sum()) for lab in prepared.labels)
        < sum(map(len, prepared.labels))
    )

    model.eval()
    batch = trainer.data_collator(trl_rows)
    with torch.no_grad():
        trl_loss = float(trainer.compute_loss(model, batch))
        ours = collate(
            prepared, [[i] for i in range(len(prepared))], ours_tok.pad_token_id, packed=False
        )
        n = int((ours["targets"] != -100).sum())
        our_loss = float(loss_sum(model, ours)) / n
    assert our_loss == pytest.approx(trl_loss, rel=1e-5)
