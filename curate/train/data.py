"""Conversations -> token ids and labels, preflight, and the (packed) micro-batches.

Labels come from character offsets, not from `{% generation %}` tags, so any chat template
works: each trained assistant turn is rendered twice more, as the conversation before it
(with the generation prompt) and the conversation up to it; both must be prefixes of the
full rendering, and the characters between them, up to and including the end-of-turn
marker, are the turn's output. A fast tokenizer's offset mapping turns those character
spans into token labels; everything else (system, user and tool turns, template markup,
the assistant header, padding) is -100.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import polars as pl

from curate.errors import CurateError

if TYPE_CHECKING:
    import torch
    from transformers import PreTrainedTokenizerBase

IGNORE = -100
TRUNCATED = "truncated_assistant_turn"
NO_TRAINED = "no_trained_tokens"
TEMPLATE_ERROR = "template_error"
LIST_IDS = 10  # ids named in a preflight error


class DataError(CurateError):
    """Training data that cannot be trained as configured (preflight)."""


def read_conversations(path: str | Path, warn: Callable[[str], None] | None = None) -> pl.DataFrame:
    """Canonical records of a training file in any input format (curated.jsonl included)."""
    from curate.io.ingest import read_records

    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such training file")
    batch = read_records(path)
    reasons = Counter(batch.bad["reason"].to_list()) if batch.bad.height else Counter()
    why = ", ".join(f"{r}: {n}" for r, n in reasons.most_common())
    if batch.records.height == 0:
        raise DataError(f"{path}: no trainable conversation" + (f" ({why})" if why else ""))
    if reasons and warn is not None:
        warn(f"{path}: {batch.bad.height} rows are not conversations and are skipped ({why})")
    return batch.records


# --- rendering -------------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateSupport:
    """What a chat template renders itself; the rest is written into the text (Hermes style)."""

    reasoning: bool
    tool_calls: bool
    tools: bool

    @classmethod
    def probe(cls, tokenizer: PreTrainedTokenizerBase) -> TemplateSupport:
        """Render a tiny conversation with a marker in each field and see what comes out."""
        mark = "zq7probe"
        function = {
            "name": mark,
            "description": "",
            "parameters": {"type": "object", "properties": {}},
        }

        def shows(extra: dict[str, Any], tools: list[Any] | None = None) -> bool:
            chat = [
                {"role": "user", "content": "hi"},
                {"role": "assistant", "content": "ok", **extra},
            ]
            try:
                return mark in tokenizer.apply_chat_template(chat, tools=tools, tokenize=False)
            except Exception:  # a template that rejects the field does not render it
                return False

        return cls(
            reasoning=shows({"reasoning_content": mark, "thinking": mark}),
            tool_calls=shows(
                {"tool_calls": [{"type": "function", "function": {"name": mark, "arguments": {}}}]}
            ),
            tools=shows({}, tools=[{"type": "function", "function": function}]),
        )


def template_messages(
    messages: list[dict[str, Any]], tools: str | None, support: TemplateSupport
) -> tuple[list[dict[str, Any]], list[Any] | None]:
    """Canonical turns -> the dicts chat templates expect, plus the parsed tool schemas.

    Reasoning goes in `reasoning_content` / `thinking` when the template reads them, else
    in a `<think>` block before the content; tool calls likewise as HF `tool_calls` or
    `<tool_call>` blocks; tool schemas as `tools=` or a `<tools>` block in the system turn.
    """
    schemas = _parse_json(tools)
    if schemas is not None and not isinstance(schemas, list):
        schemas = [schemas]
    out: list[dict[str, Any]] = []
    for m in messages:
        turn: dict[str, Any] = {"role": m["role"], "content": m.get("content") or ""}
        reasoning = m.get("reasoning")
        if reasoning:
            if support.reasoning:
                turn["reasoning_content"] = turn["thinking"] = reasoning
            else:
                turn["content"] = f"<think>\n{reasoning}\n</think>\n\n{turn['content']}"
        calls = _tool_calls(m.get("tool_calls"))
        if calls:
            if support.tool_calls:
                turn["tool_calls"] = calls
            else:
                blocks = "\n".join(
                    f"<tool_call>\n{json.dumps(c['function'], ensure_ascii=False)}\n</tool_call>"
                    for c in calls
                )
                turn["content"] = f"{turn['content']}\n{blocks}" if turn["content"] else blocks
        out.append(turn)
    if schemas and not support.tools:
        listing = "\n".join(json.dumps(s, ensure_ascii=False) for s in schemas)
        block = f"# Tools\n\nYou may call these functions:\n<tools>\n{listing}\n</tools>"
        if out and out[0]["role"] == "system":
            out[0] = {**out[0], "content": f"{out[0]['content']}\n\n{block}"}
        else:
            out.insert(0, {"role": "system", "content": block})
        schemas = None
    return out, schemas or None


def _parse_json(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def _tool_calls(text: str | None) -> list[dict[str, Any]]:
    """tool_calls JSON text (one call, a list, or OpenAI shape) -> OpenAI/HF shape."""
    value = _parse_json(text)
    if not value:
        return []
    calls = []
    for call in value if isinstance(value, list) else [value]:
        function = call.get("function", call) if isinstance(call, dict) else {"name": str(call)}
        function = dict(function)
        if isinstance(function.get("arguments"), str):
            function["arguments"] = _parse_json(function["arguments"])
        calls.append({"type": "function", "function": function})
    return calls


def trained_turns(messages: list[dict[str, Any]], train_on: Literal["all", "last"]) -> list[int]:
    """Indices of the assistant turns whose output is trained (loss_weight 0 never is)."""
    turns = [
        i
        for i, m in enumerate(messages)
        if m["role"] == "assistant" and (m.get("loss_weight") is None or m["loss_weight"] > 0)
    ]
    return turns[-1:] if train_on == "last" else turns


def render(
    tokenizer: PreTrainedTokenizerBase,
    turns: list[dict[str, Any]],
    tools: list[Any] | None,
    trained: list[int],
) -> tuple[str, list[tuple[int, int]]]:
    """The rendered conversation and the character span of each trained assistant output."""

    def apply(upto: list[dict[str, Any]], generation_prompt: bool = False) -> str:
        return tokenizer.apply_chat_template(
            upto, tools=tools, tokenize=False, add_generation_prompt=generation_prompt
        )

    text = apply(turns)
    spans = []
    for i in trained:
        before = apply(turns[:i], generation_prompt=True)
        through = apply(turns[: i + 1])
        if not (text.startswith(before) and text.startswith(through)):
            raise ValueError(
                f"the chat template renders turn {i} differently once later turns follow "
                "(e.g. it drops earlier reasoning); use train_on = 'last' or another chat_template"
            )
        end = len(through.rstrip())  # the turn's output through its end-of-turn marker
        if end > len(before):
            spans.append((len(before), end))
    return text, spans


# --- tokens and labels -----------------------------------------------------------------


@dataclass
class Prepared:
    """Tokenised rows that passed preflight, and those that did not."""

    ids: list[str]
    index: list[int]  # row number in the source frame
    input_ids: list[np.ndarray]
    labels: list[np.ndarray]  # aligned with input_ids (HF convention), IGNORE where masked
    dropped: list[dict[str, str]] = field(default_factory=list)  # {id, reason, detail}
    warnings: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def lengths(self) -> np.ndarray:
        return np.array([len(x) for x in self.input_ids], dtype=np.int64)

    def token_counts(self) -> tuple[int, int]:
        """(trained, masked) tokens; the first token of a row is never a target."""
        trained = sum(int((lab[1:] != IGNORE).sum()) for lab in self.labels)
        return trained, int(self.lengths.sum()) - trained

    def subset(self, keep: list[int]) -> Prepared:
        return Prepared(
            [self.ids[i] for i in keep],
            [self.index[i] for i in keep],
            [self.input_ids[i] for i in keep],
            [self.labels[i] for i in keep],
        )


def tokenize_conversations(
    frame: pl.DataFrame,
    tokenizer: PreTrainedTokenizerBase,
    *,
    max_length: int,
    train_on: Literal["all", "last"] = "all",
    batch_rows: int = 512,
) -> Prepared:
    """Render, tokenise and label every row; rows that cannot be trained go to `dropped`."""
    support = TemplateSupport.probe(tokenizer)
    out = Prepared([], [], [], [])
    closed = 0  # trained spans that end on a special token (the end-of-turn marker)
    specials = tuple(t for t in tokenizer.all_special_tokens if t)
    rows = frame.select("id", "messages", "tools").iter_rows()
    for start in range(0, frame.height, batch_rows):
        texts, spans, keys = [], [], []
        for offset, (row_id, messages, tools) in enumerate(_take(rows, batch_rows)):
            try:
                turns, schemas = template_messages(messages, tools, support)
                shift = len(turns) - len(messages)  # a system turn added for the tools
                trained = [i + shift for i in trained_turns(messages, train_on)]
                text, row_spans = render(tokenizer, turns, schemas, trained)
            except Exception as exc:  # a template raising on a row is that row's problem
                out.dropped.append({"id": row_id, "reason": TEMPLATE_ERROR, "detail": str(exc)})
                continue
            closed += sum(text[s:e].endswith(specials) for s, e in row_spans)
            texts.append(text)
            spans.append(row_spans)
            keys.append((row_id, start + offset))
        if not texts:
            continue
        encoded = tokenizer(texts, add_special_tokens=False, return_offsets_mapping=True)
        for (row_id, index), ids, offsets, row_spans in zip(
            keys, encoded["input_ids"], encoded["offset_mapping"], spans, strict=True
        ):
            ids = np.asarray(ids, dtype=np.int64)
            labels = _labels(ids, np.asarray(offsets, dtype=np.int64).reshape(-1, 2), row_spans)
            reason, detail = _check(labels, max_length)
            if reason:
                out.dropped.append({"id": row_id, "reason": reason, "detail": detail})
                continue
            out.ids.append(row_id)
            out.index.append(index)
            out.input_ids.append(ids[:max_length])
            out.labels.append(labels[:max_length])
    if len(out) and not closed:
        out.warnings.append(
            "the chat template closes assistant turns with no special token, so the model "
            "will not learn to stop; add {{ eos_token }} after the assistant content"
        )
    return out


def _take(rows: Any, n: int) -> list[Any]:
    return [row for _, row in zip(range(n), rows, strict=False)]


def _labels(ids: np.ndarray, offsets: np.ndarray, spans: list[tuple[int, int]]) -> np.ndarray:
    """Token labels: the id where the token overlaps an output span, else IGNORE."""
    trained = np.zeros(len(ids), dtype=bool)
    starts, ends = offsets[:, 0], offsets[:, 1]
    for s, e in spans:
        trained |= (ends > s) & (starts < e)
    return np.where(trained, ids, IGNORE)


def _check(labels: np.ndarray, max_length: int) -> tuple[str | None, str]:
    trained = np.flatnonzero(labels[1:] != IGNORE) + 1
    if trained.size == 0:
        return NO_TRAINED, "no assistant output to train on"
    if trained[-1] >= max_length:
        return (
            TRUNCATED,
            f"{len(labels)} tokens, assistant output ends at token {trained[-1] + 1} > max_length {max_length}",
        )
    return None, ""


def preflight(prepared: Prepared, on_truncate: Literal["error", "drop"]) -> None:
    """Fail with one message naming every untrainable row, unless they are to be dropped."""
    if prepared.dropped and on_truncate == "error":
        by_reason: dict[str, list[str]] = {}
        for d in prepared.dropped:
            by_reason.setdefault(d["reason"], []).append(d["id"])
        parts = []
        for reason, ids in by_reason.items():
            more = f" and {len(ids) - LIST_IDS} more" if len(ids) > LIST_IDS else ""
            parts.append(f"{len(ids)} {reason} (ids: {', '.join(ids[:LIST_IDS])}{more})")
        first = prepared.dropped[0]
        raise DataError(
            f"{len(prepared.dropped)} rows cannot be trained: {'; '.join(parts)}. "
            f"First: {first['id']}: {first['detail']}. "
            "Raise max_length, fix the rows, or set on_truncate = 'drop'."
        )
    if not len(prepared):
        raise DataError("no row is left to train on")


# --- batches ---------------------------------------------------------------------------


def pack(lengths: np.ndarray, capacity: int) -> list[list[int]]:
    """Best-fit decreasing bins of row indices, each at most `capacity` tokens; deterministic."""
    import bisect

    order = sorted(range(len(lengths)), key=lambda i: (-int(lengths[i]), i))
    bins: list[list[int]] = []
    free: list[tuple[int, int]] = []  # (room left, bin), sorted
    for i in order:
        need = int(lengths[i])
        at = bisect.bisect_left(free, (need, -1))
        if at < len(free):
            room, b = free.pop(at)
            bins[b].append(i)
            bisect.insort(free, (room - need, b))
        else:
            bins.append([i])
            bisect.insort(free, (capacity - need, len(bins) - 1))
    return bins


@dataclass
class BatchPlan:
    """Which rows form micro-batch k: a fresh seeded shuffle each epoch, no state to resume."""

    items: list[list[int]]  # one row each, or the rows of a packed sequence
    batch_size: int
    seed: int
    _epoch: tuple[int, np.ndarray] | None = None

    @property
    def per_epoch(self) -> int:
        return -(-len(self.items) // self.batch_size)

    def micro_batch(self, k: int) -> list[list[int]]:
        epoch, j = divmod(k, self.per_epoch)
        if self._epoch is None or self._epoch[0] != epoch:
            self._epoch = (
                epoch,
                np.random.default_rng([self.seed, epoch]).permutation(len(self.items)),
            )
        order = self._epoch[1][j * self.batch_size : (j + 1) * self.batch_size]
        return [self.items[i] for i in order]


def collate(
    prepared: Prepared, items: list[list[int]], pad_id: int, *, packed: bool
) -> dict[str, torch.Tensor]:
    """Pad a micro-batch. Targets are labels shifted per row, so no row predicts the next one.

    Unpacked rows get an attention mask; packed sequences get position ids that restart at
    each row (the model then attends within rows only) and no mask.
    """
    import torch

    seqs = [np.concatenate([prepared.input_ids[r] for r in item]) for item in items]
    targets = [np.concatenate([_shift(prepared.labels[r]) for r in item]) for item in items]
    width = max(len(s) for s in seqs)
    input_ids = np.full((len(seqs), width), pad_id, dtype=np.int64)
    target_ids = np.full((len(seqs), width), IGNORE, dtype=np.int64)
    positions = np.zeros((len(seqs), width), dtype=np.int64)
    for b, (item, seq, tgt) in enumerate(zip(items, seqs, targets, strict=True)):
        input_ids[b, : len(seq)] = seq
        target_ids[b, : len(tgt)] = tgt
        lengths = [len(prepared.input_ids[r]) for r in item] + [width - len(seq)]
        positions[b] = np.concatenate([np.arange(n) for n in lengths])
    batch = {
        "input_ids": torch.from_numpy(input_ids),
        "targets": torch.from_numpy(target_ids),
        "tokens": torch.tensor(sum(len(s) for s in seqs)),
    }
    if packed:
        batch["position_ids"] = torch.from_numpy(positions)
    else:
        lengths = torch.tensor([len(s) for s in seqs])
        batch["attention_mask"] = (torch.arange(width)[None, :] < lengths[:, None]).long()
    return batch


def _shift(labels: np.ndarray) -> np.ndarray:
    return np.append(labels[1:], IGNORE)
