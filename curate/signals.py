"""Text signals as polars expressions, shared by the quality score, the quality rules and
the refusal detector, so "truncated", "a content line" or "outside code" mean one thing.

The regexes here are the definitions; word and token counts run through
`curate.textstats`, one numba pass over the bytes that gives the same numbers as
`count_matches` at a fraction of its cost.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

import polars as pl

from curate.records import content_id
from curate.textstats import count_units, token_units

if TYPE_CHECKING:
    from curate.stages.base import Context

# A word: a run of word characters, or one CJK character (those scripts have no spaces).
WORD = r"[\p{Han}\p{Hiragana}\p{Katakana}]|[^\W\p{Han}\p{Hiragana}\p{Katakana}]+"
# A rough token: a word or one punctuation mark. SmolLM2's BPE makes ~1.1 tokens per such
# unit on LIMA, alpaca and GPTeacher code (measured: benchmarks/RESULTS.md, issue 5).
TOKEN_UNIT = r"[\p{Han}\p{Hiragana}\p{Katakana}]|[^\W\p{Han}\p{Hiragana}\p{Katakana}]+|[^\w\s]"
TOKENS_PER_UNIT = 1.1

TILDE_FENCE_LINE = r"(?m)^[ \t]*~~~"
# Fenced blocks (closed, or open until the end of the text) and inline code spans.
CODE = r"(?s)(?:```|~~~).*?(?:```|~~~|\z)|`[^`\n]+`"
# Quoted passages (within one line): double quotes of several scripts and markdown block
# quotes. Single quotes are left alone: they are apostrophes far more often than quotes.
QUOTED = (
    r"\"[^\"\n]*\"|“[^”\n]*”|„[^“”\n]*[“”]|«[^»\n]*»|「[^」\n]*」|『[^』\n]*』|(?m:^[ \t]*>[^\n]*)"
)

# What a finished response ends with (after trailing whitespace): sentence punctuation in
# Latin and CJK scripts, a closing bracket or quote, markdown emphasis or a table bar, a
# symbol or emoji. A trailing ':' or ',' is not an ending: the text stops before the list
# or clause it announced.
# a sentence end, a closing bracket or quote of any script (German „…“ closes with U+201C,
# Chinese with 」), a symbol; or a sign-off after a dash ("… for your order! — Mia")
CLEAN_END = (
    r"(?:[.!?。！？…;>*`|~_/\"']|[\p{So}\p{Sk}\p{Sm}\p{Pe}\p{Pf}\p{Pi}]|"
    r"[—–] ?\p{Lu}[\w.]*(?: \p{Lu}[\w.]*)?)\s*$"
)
# The last line stops on a word that cannot end an English sentence.
DANGLING_END = (
    r"(?i)(?:[,:\-–(]|\b(?:the|a|an|and|or|but|of|to|with|for|by|from|that|which|"
    r"is|are|was|were|be|because|than|their|its|our|your|my))\s*$"
)
# A truncation is judged on prose: a last line of this many words or more.
PROSE_LINE_WORDS = 20
# ... or on a list whose items end a sentence but the last, of this many words or more
# ("5. **Saturn**: its density is lower than that of wat"): cut mid-item.
LIST_ITEM = r"[ \t]*(?:[-*•+]|\d+[.)])[ \t]+"
CUT_LIST_ITEM = (
    rf"(?m)^{LIST_ITEM}[^\n]*[.!?。！？][*_)\]]*[ \t]*\n(?:[ \t]*\n)*{LIST_ITEM}[^\n]*\z"
)
LIST_ITEM_WORDS = 3


def count_words(text: pl.Expr) -> pl.Expr:
    """Matches of WORD per row (Int64)."""
    return text.map_batches(
        lambda s: count_units(s, punctuation=False), return_dtype=pl.Int64,
        is_elementwise=True,
    )  # fmt: skip


def approx_tokens(text: pl.Expr) -> pl.Expr:
    """A fast token estimate (no tokenizer): `textstats.token_units` (a unit per
    punctuation mark, CJK character and short word; long words, numbers and hashes by
    their length), times 1.1."""
    units = text.map_batches(token_units, return_dtype=pl.Float64, is_elementwise=True)
    return (units * TOKENS_PER_UNIT).ceil().cast(pl.Int64)


def without_code(text: pl.Expr) -> pl.Expr:
    """The text with fenced code blocks and inline code removed (kept: the prose)."""
    return text.str.replace_all(CODE, " ")


def without_quotes(text: pl.Expr) -> pl.Expr:
    """The text with quoted passages and block quotes removed."""
    return text.str.replace_all(QUOTED, " ")


def content_lines(text: pl.Expr) -> pl.Expr:
    """Non-blank lines, stripped, as list[str]."""
    return text.str.split("\n").list.eval(
        pl.element().str.strip_chars().filter(pl.element().str.strip_chars() != "")
    )


def unclosed_fence(text: pl.Expr) -> pl.Expr:
    """An odd number of ``` (or of ~~~ fence lines): the text was cut inside a code block.

    Counting every ``` rather than fence lines keeps ```inline``` spans (common in LIMA
    and Stack Exchange answers) balanced.
    """
    backticks = text.str.count_matches("```", literal=True) % 2 == 1
    tildes = text.str.count_matches(TILDE_FENCE_LINE) % 2 == 1
    return backticks | tildes


def last_line(text: pl.Expr) -> pl.Expr:
    return text.str.strip_chars().str.extract(r"([^\n]*)\z", 1).fill_null("")


def ends_mid_sentence(text: pl.Expr) -> pl.Expr:
    """The text stops mid-sentence: its last line is prose (PROSE_LINE_WORDS words or more)
    without a sentence ending, or it ends on a comma, colon or a word like "the"/"and", or
    it is a list item of LIST_ITEM_WORDS+ words without a sentence ending after an item
    with one (the items were sentences; the last was cut).

    Other short last lines (a list item, a poem or lyric line, "Paris", a code line,
    hashtags) are not judged: they end cleanly without punctuation all the time.
    """
    stripped = text.str.strip_chars()
    tail = last_line(text)
    cut_item = stripped.str.contains(CUT_LIST_ITEM)
    # one threshold expression, so the last line's words are counted once
    min_words = pl.when(cut_item).then(LIST_ITEM_WORDS).otherwise(PROSE_LINE_WORDS)
    return (stripped != "") & (
        stripped.str.contains(DANGLING_END)
        | (
            ~stripped.str.contains(CLEAN_END)
            & ~tail.str.contains(r"#\w+\s*$")
            & (count_words(tail) >= min_words)
        )
    )


def count_tokens(text: pl.Series, tokenizer: str | None, ctx: Context) -> pl.Series:
    """Tokens per text: the fast estimate, or exact counts by a model's tokenizer ("smollm2-135m",
    a local Hugging Face folder or a .gguf file), cached by content. One routine for every
    token bound and budget (quality's too_long, select's token_budget). With no tokenizer
    named, the run's (`ctx.tokenizer`: [train].model) counts; with none at all, the estimate."""
    tokenizer = tokenizer or ctx.tokenizer
    if tokenizer is None:
        return text.to_frame().select(approx_tokens(pl.col(text.name))).to_series().cast(pl.Int64)

    def compute(positions: pl.Series) -> pl.Series:
        batch = text.gather(positions).to_list()
        ids = _load_tokenizer(tokenizer)(batch, add_special_tokens=False)["input_ids"]
        return pl.Series([len(i) for i in ids], dtype=pl.Int64)

    keys = pl.Series([content_id(t) for t in text.to_list()], dtype=pl.String)
    return ctx.cache.column(f"tokens/{tokenizer}", keys, compute).cast(pl.Int64)


@functools.cache
def _load_tokenizer(name: str) -> Any:
    from curate.train.model import load_tokenizer

    return load_tokenizer(name)
