"""Text views of a conversation as polars expressions, shared by every stage.

One definition of "the prompt", "the response" and "the conversation" serves exact and
near dedup, quality, refusal, embeddings and decontamination, so they can never disagree.
"""

from __future__ import annotations

from typing import Literal

import polars as pl

Field = Literal["prompt", "response", "conversation", "last_prompt", "last_response"]

TURN_SEPARATOR = "\n\n"


def _turns(role: str | None, messages: pl.Expr) -> pl.Expr:
    """The contents of the turns with `role` (all turns when None), in order, as list[str]."""
    if role is None:
        return messages.list.eval(
            pl.element().struct.field("role")
            + pl.lit(": ")
            + pl.element().struct.field("content")
            + pl.when(pl.element().struct.field("tool_calls").is_not_null())
            .then(pl.lit(" ") + pl.element().struct.field("tool_calls"))
            .otherwise(pl.lit(""))
        )
    return messages.list.eval(
        pl.element()
        .filter(pl.element().struct.field("role") == role)
        .struct.field("content")
    )


def field_text(field: Field, messages: pl.Expr | None = None) -> pl.Expr:
    """One string per row: the chosen view of the `messages` column."""
    messages = pl.col("messages") if messages is None else messages
    if field == "prompt":
        return _turns("user", messages).list.join(TURN_SEPARATOR)
    if field == "response":
        return _turns("assistant", messages).list.join(TURN_SEPARATOR)
    if field == "last_prompt":
        return _turns("user", messages).list.last().fill_null("")
    if field == "last_response":
        return _turns("assistant", messages).list.last().fill_null("")
    if field == "conversation":
        return _turns(None, messages).list.join("\n")
    raise ValueError(f"unknown text field {field!r}")


def normalized(text: pl.Expr) -> pl.Expr:
    """Text for matching: NFKC, case-folded, whitespace collapsed; numbers and punctuation kept.

    Polars lowercases per Unicode; the few full case foldings that differ from lowercase
    in real text (German sharp s, final sigma, long s) are applied on top.
    """
    return (
        text.str.normalize("NFKC")
        .str.to_lowercase()
        .str.replace_many(["ß", "ς", "ſ"], ["ss", "σ", "s"])
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )
