"""Text views of a conversation as polars expressions, shared by every stage.

One definition of "the prompt", "the response" and "the conversation" serves exact and
near dedup, quality, refusal, embeddings and decontamination, so they can never disagree.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Literal

import polars as pl

Field = Literal["prompt", "response", "conversation", "last_prompt", "last_response"]

TURN_SEPARATOR = "\n\n"


def _turns(role: str | None, messages: pl.Expr) -> pl.Expr:
    """The contents of the turns with `role` (all turns when None), in order, as list[str]."""
    if role is None:
        turn = pl.element().struct
        return messages.list.eval(
            pl.concat_str(
                [
                    turn.field("role"),
                    pl.lit(": "),
                    turn.field("content"),
                    pl.lit(" ") + turn.field("tool_calls"),
                ],
                ignore_nulls=True,
            )
        )
    return messages.list.eval(
        pl.element().filter(pl.element().struct.field("role") == role).struct.field("content")
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


def field_chars(field: Literal["prompt", "response"]) -> pl.Expr:
    """`field_text(field).str.len_chars()` without joining the texts: the turns' lengths
    plus a separator between each two."""
    turn = pl.element().struct  # as `_turns`, with the lengths taken in the same pass
    lengths = pl.col("messages").list.eval(
        turn.field("content").filter(turn.field("role") == _ROLE[field]).str.len_chars()
    )
    return lengths.list.sum() + (lengths.list.len() - 1).clip(lower_bound=0) * len(TURN_SEPARATOR)


_ROLE = {"prompt": "user", "response": "assistant"}


def normalized(text: pl.Expr) -> pl.Expr:
    """Text for matching: NFKC, case-folded, whitespace collapsed; numbers and punctuation kept."""
    return collapsed_whitespace(casefolded(text))


def collapsed_whitespace(text: pl.Expr) -> pl.Expr:
    """Every whitespace run as one space, stripped. Same as replacing `\\s+` by a space,
    but 5x faster: a run of two or more, or a single whitespace character not a space."""
    return text.str.replace_all(r"\s{2,}|[^\S ]", " ").str.strip_chars()


def casefolded(text: pl.Expr) -> pl.Expr:
    """NFKC, then case-folded: `normalized` without the whitespace step (for tokenisers).

    Polars lowercases per Unicode; the few full case foldings that differ from lowercase
    in real text (German sharp s, final sigma, long s) are applied on top. NFKC runs in
    CPython's `unicodedata`, whose quick check skips text that is already normal: ~10x
    faster than `str.normalize("NFKC")` on real text, same result.
    """
    return (
        text.map_batches(_nfkc, return_dtype=pl.String, is_elementwise=True)
        .str.to_lowercase()
        .str.replace_many(["ß", "ς", "ſ"], ["ss", "σ", "s"])
    )


def _nfkc(texts: pl.Series) -> pl.Series:
    """NFKC of the rows that are not pure ASCII (NFKC changes no ASCII text)."""
    return on_non_ascii(
        texts,
        lambda odd: pl.Series([unicodedata.normalize("NFKC", t) for t in odd], dtype=pl.String),
    )


def on_non_ascii(texts: pl.Series, transform: Callable[[pl.Series], pl.Series]) -> pl.Series:
    """`texts` with `transform` applied to the rows that are not pure ASCII only: for a
    step that changes no ASCII text, the other rows are neither read nor written anew."""
    wide = non_ascii(texts)
    if not wide.any():
        return texts
    positions = wide.arg_true()
    return texts.scatter(positions, transform(texts.gather(positions)))


def non_ascii(texts: pl.Series) -> pl.Series:
    """Whether each text holds a character beyond ASCII (more bytes than characters);
    false for null."""
    return (texts.str.len_bytes() != texts.str.len_chars()).fill_null(False)
