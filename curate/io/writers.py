"""Output files: curated records in the chosen format, rejected rows, atomic writes."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
import polars as pl

SHAREGPT_ROLES = {"system": "system", "user": "human", "assistant": "gpt", "tool": "observation"}


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path next to `path`; rename it over `path` only on success."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    n = 0
    with atomic_path(path) as tmp, open(tmp, "wb") as handle:
        for row in rows:
            handle.write(orjson.dumps(row) + b"\n")
            n += 1
    return n


def write_ndjson(path: Path, frame: pl.DataFrame) -> None:
    """A frame as JSON lines, written by polars (every line has every column)."""
    with atomic_path(path) as tmp:
        frame.write_ndjson(tmp)


def write_json(path: Path, value: Any) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_text(path: Path, text: str) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_parquet(path: Path, frame: pl.DataFrame) -> None:
    with atomic_path(path) as tmp:
        frame.write_parquet(tmp, statistics=False)


def publish(staging: Path, out: Path) -> None:
    """Move every finished file from `staging` into `out`, then drop `staging`."""
    out.mkdir(parents=True, exist_ok=True)
    for item in sorted(staging.iterdir()):
        target = out / item.name
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        os.replace(item, target)
    shutil.rmtree(staging, ignore_errors=True)


def clean_messages(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Messages without the null optional fields, for readable output."""
    return [{k: v for k, v in m.items() if v is not None} for m in messages]


def to_output(record: dict[str, Any], fmt: str) -> dict[str, Any]:
    """A canonical record as one output line in `fmt` (messages | sharegpt | alpaca).

    The runner writes the messages format straight from the frame; this serves the others
    and anything that formats single records.
    """
    meta = record.get("meta") or "{}"
    head = {"id": record["id"], "source": record["source"]}
    messages = clean_messages(record["messages"])
    if fmt == "messages":
        return {**head, "messages": messages, "tools": record.get("tools"), "meta": meta}
    if fmt == "sharegpt":
        turns = []
        for m in messages:
            if m.get("tool_calls") is not None and m["role"] == "assistant":
                turns.append({"from": "function_call", "value": m["tool_calls"]})
            else:
                turns.append({"from": SHAREGPT_ROLES[m["role"]], "value": m["content"]})
        return {**head, "conversations": turns, "tools": record.get("tools"), "meta": meta}
    if fmt == "alpaca":
        return {**head, **_alpaca(messages), "meta": meta}
    raise ValueError(f"unknown output format {fmt!r}")


def _alpaca(messages: list[dict[str, Any]]) -> dict[str, Any]:
    system = "\n\n".join(m["content"] for m in messages if m["role"] == "system")
    pairs: list[list[str]] = []
    user: str | None = None
    for m in messages:
        if m["role"] == "user":
            user = m["content"] if user is None else f"{user}\n\n{m['content']}"
        elif m["role"] == "assistant" and user is not None:
            pairs.append([user, m["content"]])
            user = None
    last_user, last_answer = pairs[-1] if pairs else ("", "")
    row: dict[str, Any] = {"instruction": last_user, "input": "", "output": last_answer}
    if system:
        row["system"] = system
    if len(pairs) > 1:
        row["history"] = pairs[:-1]
    return row
