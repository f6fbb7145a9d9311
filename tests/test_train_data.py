"""Labels, preflight and packing of the trainer, on real rows and the SmolLM2 tokenizer."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from curate.train.data import (
    IGNORE,
    NO_TRAINED,
    TRUNCATED,
    DataError,
    pack,
    preflight,
    read_conversations,
    tokenize_conversations,
)
from tests.train_support import real_rows, tokenizer_dir, write_jsonl

pytest.importorskip("transformers")

EOT = "<|im_end|>"
# A base-model style template without {% generation %} tags; the turn ends with eos_token.
PLAIN_TEMPLATE = (
    "{% for m in messages %}{% if m.role == 'user' %}### User:\n{{ m.content }}\n\n"
    "{% elif m.role == 'assistant' %}### Assistant:\n{{ m.content }}{{ eos_token }}\n\n"
    "{% else %}### {{ m.role }}:\n{{ m.content }}\n\n{% endif %}{% endfor %}"
    "{% if add_generation_prompt %}### Assistant:\n{% endif %}"
)
# A Qwen-like template that renders tools, tool calls and reasoning itself.
RICH_TEMPLATE = (
    "{% if tools %}<|im_start|>system\n# Tools\n{% for t in tools %}{{ t | tojson }}\n{% endfor %}<|im_end|>\n{% endif %}"
    "{% for m in messages %}<|im_start|>{{ m.role }}\n"
    "{% if m.reasoning_content %}<think>{{ m.reasoning_content }}</think>{% endif %}{{ m.content }}"
    "{% for c in m.tool_calls or [] %}<tool_call>{{ c.function | tojson }}</tool_call>{% endfor %}"
    "<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)


@pytest.fixture(scope="module")
def tok_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    return tokenizer_dir(tmp_path_factory.mktemp("tok"))


def _tokenizer(tok_dir: str, template: str | None = None):
    from curate.train.model import load_tokenizer

    return load_tokenizer(tok_dir, template)


def _prepare(tmp_path: Path, tokenizer, rows: list[dict], **kw):
    frame = read_conversations(write_jsonl(tmp_path / "rows.jsonl", rows))
    return frame, tokenize_conversations(frame, tokenizer, **{"max_length": 4096, **kw})


def _runs(tokenizer, ids: np.ndarray, labels: np.ndarray, trained: bool = True) -> list[str]:
    """Decoded maximal runs of trained (or masked) tokens."""
    mask = (labels != IGNORE) == trained
    runs, current = [], []
    for token, on in zip(ids.tolist(), mask.tolist(), strict=True):
        if on:
            current.append(token)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return [tokenizer.decode(r) for r in runs]


def test_only_assistant_output_and_its_end_token_are_trained(tok_dir: str, tmp_path: Path) -> None:
    """ShareGPT tool-use rows: user and observation turns, tool schemas, headers all masked."""
    raw = real_rows("llama-factory/glaive_toolcall_en_demo.json", 12)
    tokenizer = _tokenizer(tok_dir)
    _, prepared = _prepare(tmp_path, tokenizer, raw)
    assert len(prepared) == len(raw)
    for row, ids, labels in zip(raw, prepared.input_ids, prepared.labels, strict=True):
        expected = []
        for turn in row["conversations"]:
            if turn["from"] == "gpt":
                expected.append(turn["value"] + EOT)
            elif (
                turn["from"] == "function_call"
            ):  # SmolLM2's template has no tool calls: Hermes blocks
                expected.append(
                    f"<tool_call>\n{json.dumps(json.loads(turn['value']))}\n</tool_call>{EOT}"
                )
        assert _runs(tokenizer, ids, labels) == expected
        masked = "".join(_runs(tokenizer, ids, labels, trained=False))
        for turn in row["conversations"]:
            if turn["from"] in ("human", "observation"):
                assert turn["value"] in masked
        for tool in json.loads(row["tools"] or "[]"):  # inlined in the system turn
            assert f'"name": "{tool["name"]}"' in masked


def test_loss_weight_zero_and_train_on_last(tok_dir: str, tmp_path: Path) -> None:
    first, second = "Paris is the capital.", "Berlin is the capital."
    row = {
        "messages": [
            {"role": "user", "content": "Capital of France?"},
            {"role": "assistant", "content": first},
            {"role": "user", "content": "And Germany?"},
            {"role": "assistant", "content": second},
        ]
    }
    weighted = json.loads(json.dumps(row))
    weighted["messages"][1]["loss_weight"] = 0.0
    tokenizer = _tokenizer(tok_dir)
    _, every = _prepare(tmp_path, tokenizer, [row])
    _, last = _prepare(tmp_path, tokenizer, [row], train_on="last")
    _, zero = _prepare(tmp_path, tokenizer, [weighted])
    assert _runs(tokenizer, every.input_ids[0], every.labels[0]) == [first + EOT, second + EOT]
    assert _runs(tokenizer, last.input_ids[0], last.labels[0]) == [second + EOT]
    assert _runs(tokenizer, zero.input_ids[0], zero.labels[0]) == [second + EOT]


def test_template_without_generation_tags(tok_dir: str, tmp_path: Path) -> None:
    """A base model's configured template: offsets find the spans, eos is trained."""
    tokenizer = _tokenizer(tok_dir, PLAIN_TEMPLATE)
    raw = real_rows("llama-factory/v1_sft_demo.jsonl", 5, start=100)
    _, prepared = _prepare(tmp_path, tokenizer, raw)
    assert not prepared.warnings
    for row, ids, labels in zip(raw, prepared.input_ids, prepared.labels, strict=True):
        answer = row["messages"][1]["content"][0]["value"]
        assert _runs(tokenizer, ids, labels) == [answer + EOT]
        assert tokenizer.decode(ids[labels == IGNORE]).startswith("### User:")

    no_eos = PLAIN_TEMPLATE.replace("{{ eos_token }}", "")
    _, prepared = _prepare(tmp_path, _tokenizer(tok_dir, no_eos), raw)
    assert prepared.warnings and "stop" in prepared.warnings[0]


def test_template_renders_tools_calls_and_reasoning(tok_dir: str, tmp_path: Path) -> None:
    """Tools go to the template (masked); reasoning and tool calls are model output (trained)."""
    raw = real_rows("llama-factory/reason_tool_use_demo_50.jsonl", 6)
    tokenizer = _tokenizer(tok_dir, RICH_TEMPLATE)
    frame, prepared = _prepare(tmp_path, tokenizer, raw)
    assert len(prepared) == len(raw)
    for i, (ids, labels) in enumerate(zip(prepared.input_ids, prepared.labels, strict=True)):
        messages = frame["messages"][i].to_list()
        trained = "".join(_runs(tokenizer, ids, labels))
        masked = "".join(_runs(tokenizer, ids, labels, trained=False))
        assert json.loads(frame["tools"][i])[0]["function"]["name"] in masked
        for m in messages:
            if m["role"] == "assistant":
                assert m["reasoning"] is None or f"<think>{m['reasoning']}</think>" in trained
                assert m["content"] in trained
                calls = json.loads(m["tool_calls"] or "[]")
                for call in calls if isinstance(calls, list) else [calls]:
                    assert f'"name": "{call["name"]}"' in trained
            else:
                assert m["content"] not in trained


def test_preflight_names_rows_it_cannot_train(tok_dir: str, tmp_path: Path) -> None:
    raw = real_rows("llama-factory/v1_sft_demo.jsonl", 40, start=50)
    untrained = {
        "messages": [
            {"role": "user", "content": "hi"},
            {"role": "assistant", "content": "hello", "loss_weight": 0},
        ]
    }
    tokenizer = _tokenizer(tok_dir)
    frame, prepared = _prepare(tmp_path, tokenizer, [*raw, untrained], max_length=128)
    reasons = {d["id"]: d["reason"] for d in prepared.dropped}
    assert reasons[frame["id"][-1]] == NO_TRAINED
    cut = [i for i, r in reasons.items() if r == TRUNCATED]
    assert cut and len(prepared) + len(reasons) == frame.height
    full = tokenize_conversations(frame.filter(frame["id"].is_in(cut)), tokenizer, max_length=4096)
    assert all(len(x) > 128 for x in full.input_ids)  # really longer than max_length
    assert all(len(x) <= 128 for x in prepared.input_ids)
    with pytest.raises(DataError) as err:
        preflight(prepared, "error")
    assert all(i in str(err.value) for i in [*cut[:5], frame["id"][-1]])
    assert "on_truncate" in str(err.value)
    preflight(prepared, "drop")  # no error: the rows are dropped, reasons kept


def test_pack_fills_bins_once_each() -> None:
    rng = np.random.default_rng(0)
    lengths = rng.integers(5, 300, size=500)
    bins = pack(lengths, 512)
    flat = sorted(i for b in bins for i in b)
    assert flat == list(range(500))
    assert all(lengths[b].sum() <= 512 for b in bins)
    assert len(bins) <= int(np.ceil(lengths.sum() / 512)) * 1.05 + 1  # close to the bound
    assert bins == pack(lengths, 512)


def test_template_support_is_probed(tok_dir: str) -> None:
    from curate.train.data import TemplateSupport

    assert TemplateSupport.probe(_tokenizer(tok_dir)) == TemplateSupport(False, False, False)
    assert TemplateSupport.probe(_tokenizer(tok_dir, RICH_TEMPLATE)) == TemplateSupport(
        True, True, True
    )
