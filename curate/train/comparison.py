"""The same prompts through the base and the tuned model, greedy and bounded, side by side."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from curate.train.data import DataError

if TYPE_CHECKING:
    from transformers import PreTrainedModel, PreTrainedTokenizerBase


@dataclass(frozen=True)
class Prompt:
    text: str  # the user turn, as shown in compare.jsonl
    conversation: list[dict[str, Any]]  # what the model sees: system (if any) + that user turn


def prompts_from_messages(messages: list[dict[str, Any]]) -> Prompt:
    """Everything up to and including the first user turn."""
    turns: list[dict[str, Any]] = []
    for m in messages:
        turns.append({"role": m["role"], "content": m.get("content") or ""})
        if m["role"] == "user":
            return Prompt(turns[-1]["content"], turns)
    raise DataError("a conversation without a user turn has no prompt")


def load_prompts(path: str | Path) -> list[Prompt]:
    """A JSONL with a `prompt` field, or any input format (its first user turn)."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such prompts file")
    if path.suffix == ".jsonl":
        rows = [
            json.loads(line)
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        if rows and all(isinstance(r, dict) and isinstance(r.get("prompt"), str) for r in rows):
            return [Prompt(r["prompt"], [{"role": "user", "content": r["prompt"]}]) for r in rows]
    from curate.train.data import read_conversations

    frame = read_conversations(path)
    return [prompts_from_messages(m) for m in frame["messages"].to_list()]


def generate(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    prompts: list[Prompt],
    *,
    max_new_tokens: int = 128,
    batch_size: int = 8,
) -> list[str]:
    """Greedy completions, batched with left padding."""
    import torch
    from transformers import GenerationConfig

    eos = model.generation_config.eos_token_id or tokenizer.eos_token_id
    config = GenerationConfig(
        max_new_tokens=max_new_tokens,
        do_sample=False,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=eos,
        use_cache=True,
    )
    side, tokenizer.padding_side = tokenizer.padding_side, "left"
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    answers: list[str] = []
    try:
        for s in range(0, len(prompts), batch_size):
            texts = [
                tokenizer.apply_chat_template(
                    p.conversation, tokenize=False, add_generation_prompt=True
                )
                for p in prompts[s : s + batch_size]
            ]
            enc = tokenizer(texts, add_special_tokens=False, padding=True, return_tensors="pt").to(
                device
            )
            with torch.no_grad():
                out = model.generate(**enc, generation_config=config)
            new = out[:, enc["input_ids"].shape[1] :]
            answers += [t.strip() for t in tokenizer.batch_decode(new, skip_special_tokens=True)]
    finally:
        tokenizer.padding_side = side
        model.train(was_training)
    return answers


def write_compare(path: Path, prompts: list[Prompt], base: list[str], tuned: list[str]) -> Path:
    """compare.jsonl, one {prompt, base, tuned} per line, written whole then renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        for p, b, t in zip(prompts, base, tuned, strict=True):
            f.write(
                json.dumps({"prompt": p.text, "base": b, "tuned": t}, ensure_ascii=False) + "\n"
            )
    os.replace(tmp, path)
    return path


def compare(
    base: str,
    tuned: str,
    prompts: str | Path | list[Prompt],
    out: str | Path,
    max_new_tokens: int = 128,
    *,
    chat_template: str | None = None,
    batch_size: int = 8,
    device: str = "auto",
) -> Path:
    """Run every prompt through `base` and `tuned` (names or dirs) on `device` (auto: CUDA
    when present) and write `out`."""
    from curate.train.loop import resolve_device
    from curate.train.model import load_model, load_tokenizer

    items = prompts if isinstance(prompts, list) else load_prompts(prompts)
    if not items:
        raise DataError("no prompts to compare")
    answers = []
    for name in (base, tuned):
        tokenizer = load_tokenizer(name, chat_template)
        model = load_model(name).to(resolve_device(device))
        answers.append(
            generate(model, tokenizer, items, max_new_tokens=max_new_tokens, batch_size=batch_size)
        )
        del model
    return write_compare(Path(out), items, answers[0], answers[1])
