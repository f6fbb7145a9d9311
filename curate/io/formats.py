"""Input formats -> canonical messages (DESIGN section 2).

Each `from_*` function takes one parsed input object and returns
`(messages, tools, consumed_keys)`, or raises `BadRow` with a ledger reason. Everything not
consumed goes to `meta`, so nothing in the input is dropped.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from curate.records import Message, message

Format = Literal["alpaca", "sharegpt", "messages", "prompt_response"]
FORMATS: tuple[str, ...] = ("alpaca", "sharegpt", "messages", "prompt_response")


class BadRow(Exception):
    """A row that cannot become a record; `reason` is its ledger reason code."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class FieldNames:
    """Column names of the prompt/response format (overridable per input)."""

    prompt: str = "prompt"
    response: str = "response"
    system: str = "system"


Parsed = tuple[list[Message], str | None, set[str]]

SHAREGPT_ROLES = {
    "human": "user",
    "user": "user",
    "gpt": "assistant",
    "assistant": "assistant",
    "chatgpt": "assistant",
    "bard": "assistant",
    "bing": "assistant",
    "model": "assistant",
    "system": "system",
    "function_call": "assistant",  # the model's output: trained
    "observation": "tool",  # the tool's answer: masked
    "tool": "tool",
    "function": "tool",
}
MESSAGE_ROLES = {
    "system": "system",
    "developer": "system",
    "user": "user",
    "assistant": "assistant",
    "tool": "tool",
    "function": "tool",
    "ipython": "tool",
}
REASONING_PART_TYPES = {"reasoning", "thinking", "reasoning_content"}
TOOL_CALL_PART_TYPES = {"tool_call", "tool_calls", "function_call"}


def detect_format(obj: Any, fields: FieldNames = FieldNames()) -> str | None:
    """The format an input object is in, from its keys; None when none fits."""
    if not isinstance(obj, dict):
        return None
    if isinstance(obj.get("conversations"), list):
        return "sharegpt"
    if isinstance(obj.get("messages"), list):
        return "messages"
    if "instruction" in obj:
        return "alpaca"
    if fields.prompt in obj:
        return "prompt_response"
    return None


def _text(obj: dict[str, Any], key: str, *, required: bool = True) -> str | None:
    value = obj.get(key)
    if value is None:
        if required:
            raise BadRow(f"missing_field:{key}")
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise BadRow(f"bad_field:{key}", f"{key} is {type(value).__name__}, not text")
    return value


def _json_text(value: Any) -> str | None:
    """Tool schemas / tool calls as JSON text (kept verbatim when already a string)."""
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def from_alpaca(obj: dict[str, Any], fields: FieldNames) -> Parsed:
    instruction = _text(obj, "instruction")
    output_key = "output" if "output" in obj else "response" if "response" in obj else "output"
    output = _text(obj, output_key)
    extra = _text(obj, "input", required=False)
    system = _text(obj, "system", required=False)
    history = obj.get("history") or []
    if not isinstance(history, list):
        raise BadRow("bad_field:history", "history must be a list of [user, assistant] pairs")
    messages: list[Message] = []
    if system and system.strip():
        messages.append(message("system", system))
    for pair in history:
        if not (isinstance(pair, (list, tuple)) and len(pair) == 2):
            raise BadRow("bad_field:history", "history entries must be [user, assistant] pairs")
        messages += [message("user", str(pair[0])), message("assistant", str(pair[1]))]
    prompt = f"{instruction}\n\n{extra}" if extra and extra.strip() else instruction
    messages += [message("user", prompt), message("assistant", output)]
    return messages, None, {"instruction", "input", output_key, "system", "history"}


def from_prompt_response(obj: dict[str, Any], fields: FieldNames) -> Parsed:
    prompt = _text(obj, fields.prompt)
    response_key = fields.response
    if response_key not in obj and response_key == "response" and "completion" in obj:
        response_key = "completion"
    response = _text(obj, response_key)
    system = _text(obj, fields.system, required=False)
    messages = [message("system", system)] if system and system.strip() else []
    messages += [message("user", prompt), message("assistant", response)]
    return messages, None, {fields.prompt, response_key, fields.system}


def _turn_list(obj: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """The list of turn objects under `key`, or the bad-row reason why it is not one."""
    turns = obj.get(key)
    if turns is None:
        raise BadRow(f"missing_field:{key}")
    if not isinstance(turns, list):
        raise BadRow(f"bad_field:{key}", f"{key} must be a list")
    if not all(isinstance(turn, dict) for turn in turns):
        raise BadRow(f"bad_field:{key}", "a turn is not an object")
    return turns


def from_sharegpt(obj: dict[str, Any], fields: FieldNames) -> Parsed:
    turns = _turn_list(obj, "conversations")
    messages: list[Message] = []
    system = obj.get("system")
    if isinstance(system, str) and system.strip():
        messages.append(message("system", system))
    for turn in turns:
        speaker = turn.get("from", turn.get("role"))
        value = turn.get("value", turn.get("content"))
        if speaker is None:
            raise BadRow("missing_field:from")
        role = SHAREGPT_ROLES.get(str(speaker).strip().lower())
        if role is None:
            raise BadRow(f"bad_role:{speaker}")
        if value is not None and not isinstance(value, str):
            value = _json_text(value)
        if speaker == "function_call":
            messages.append(message(role, "", tool_calls=value))
        else:
            messages.append(message(role, value, loss_weight=_weight(turn)))
    return messages, _json_text(obj.get("tools")), {"conversations", "system", "tools"}


def from_messages(obj: dict[str, Any], fields: FieldNames) -> Parsed:
    messages: list[Message] = []
    for turn in _turn_list(obj, "messages"):
        if "role" not in turn:
            raise BadRow("missing_field:role")
        role = MESSAGE_ROLES.get(str(turn["role"]).strip().lower())
        if role is None:
            raise BadRow(f"bad_role:{turn['role']}")
        content, reasoning, tool_calls = _content_parts(turn.get("content"))
        reasoning = _first_text(turn, ("reasoning", "reasoning_content", "thinking")) or reasoning
        calls = turn.get("tool_calls") or turn.get("function_call")
        tool_calls = _json_text(calls) if calls else tool_calls
        messages.append(message(role, content, reasoning, tool_calls, _weight(turn)))
    return messages, _json_text(obj.get("tools")), {"messages", "tools"}


def _weight(turn: dict[str, Any]) -> float | None:
    weight = turn.get("loss_weight", turn.get("weight"))
    return float(weight) if isinstance(weight, (int, float)) else None


def _first_text(turn: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        if isinstance(turn.get(key), str) and turn[key]:
            return turn[key]
    return None


def _content_parts(content: Any) -> tuple[str, str | None, str | None]:
    """(text, reasoning, tool_calls) from a string or a list of typed parts."""
    if content is None:
        return "", None, None
    if isinstance(content, str):
        return content, None, None
    if not isinstance(content, list):
        raise BadRow("bad_field:content", f"content is {type(content).__name__}")
    texts: list[str] = []
    reasoning: list[str] = []
    calls: list[Any] = []
    for part in content:
        if isinstance(part, str):
            texts.append(part)
            continue
        if not isinstance(part, dict):
            raise BadRow("bad_field:content", "a content part is not an object")
        kind = part.get("type", "text")
        value = part.get("text", part.get("value", part.get(kind)))
        if kind in REASONING_PART_TYPES:
            reasoning.append(str(value or ""))
        elif kind in TOOL_CALL_PART_TYPES:
            calls.append(_parse_maybe_json(value))
        elif isinstance(value, str):
            texts.append(value)
        else:
            raise BadRow("bad_field:content", f"content part of type {kind!r} has no text")
    tool_calls = _json_text(calls if len(calls) > 1 else calls[0]) if calls else None
    return "".join(texts), "\n".join(reasoning) if reasoning else None, tool_calls


def _parse_maybe_json(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


PARSERS: dict[str, Callable[[dict[str, Any], FieldNames], Parsed]] = {
    "alpaca": from_alpaca,
    "sharegpt": from_sharegpt,
    "messages": from_messages,
    "prompt_response": from_prompt_response,
}


def validate_conversation(messages: list[Message]) -> None:
    """A conversation needs a user turn followed by a non-blank assistant turn."""
    if not messages:
        raise BadRow("empty_conversation")
    seen_user = False
    answered = False
    for m in messages:
        if m["role"] == "user":
            seen_user = True
        elif m["role"] == "assistant" and seen_user:
            answered = True
            if _non_blank(m):
                return
    if not seen_user:
        raise BadRow("no_user_turn")
    raise BadRow("blank_assistant_turn" if answered else "no_assistant_turn")


def _non_blank(m: Message) -> bool:
    return any(v is not None and v.strip() for v in (m["content"], m["reasoning"], m["tool_calls"]))
