"""The one `quality` score in [0, 1] that the quality stage, the near-dedup keeper and
selection share (DESIGN section 7).

It is a cheap, documented heuristic over the assistant turns (the response), not a model
score, so any stage can compute it on demand when no quality stage ran:

    quality = length * uniqueness * ending

- `length` = min(1, ln(1 + words) / ln(1 + FULL_WORDS)): an answer of FULL_WORDS (150)
  words or more is "long enough"; empty -> 0, one word -> 0.14, 20 words -> 0.61.
  Log-scaled because one more sentence matters for a 5-word answer, not a 500-word one.
  CJK characters count as one word each.
- `uniqueness` = distinct non-blank lines / non-blank lines of the response (1 when every
  line differs): copy-paste loops, the commonest generation failure, pull it down.
- `ending` = 1 when the response ends cleanly, TRUNCATED_ENDING (0.8) when it stops
  mid-sentence, UNCLOSED_FENCE (0.6) when a code fence is left open
  (`curate.signals.ends_mid_sentence` / `unclosed_fence`, the quality stage's
  `truncated` rule).

A product, so any one failure ranks a row below its clean near-duplicates.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl

from curate.signals import count_words, ends_mid_sentence, unclosed_fence
from curate.text import field_text
from curate.textstats import line_counts

COLUMN = "quality"
FULL_WORDS = 150
TRUNCATED_ENDING = 0.8
UNCLOSED_FENCE = 0.6


def length_term(words: pl.Expr) -> pl.Expr:
    """From the response's word count (`curate.signals.count_words`)."""
    words = words.cast(pl.Float64)
    return ((words + 1.0).log() / math.log(1 + FULL_WORDS)).clip(0.0, 1.0)


def uniqueness_term(response: pl.Expr) -> pl.Expr:
    """Distinct / all non-blank lines (`curate.signals.content_lines`); 1 without lines."""
    return response.map_batches(_uniqueness, return_dtype=pl.Float64, is_elementwise=True)


def _uniqueness(texts: pl.Series) -> pl.Series:
    lines, distinct = line_counts(texts, min_words=0)
    share = np.divide(distinct, lines, out=np.ones(len(lines)), where=lines > 0)
    return pl.Series(texts.name, share, dtype=pl.Float64)


def ending_term(fence: pl.Expr, mid_sentence: pl.Expr) -> pl.Expr:
    """From `unclosed_fence` and `ends_mid_sentence` of the response."""
    return (
        pl.when(fence)
        .then(UNCLOSED_FENCE)
        .when(mid_sentence)
        .then(TRUNCATED_ENDING)
        .otherwise(1.0)
        .cast(pl.Float64)
    )


def combine(words: pl.Expr, uniqueness: pl.Expr, fence: pl.Expr, mid_sentence: pl.Expr) -> pl.Expr:
    """The score from its signals, for callers that already hold them (the quality stage)."""
    score = length_term(words) * uniqueness * ending_term(fence, mid_sentence)
    return score.clip(0.0, 1.0).fill_null(0.0).alias(COLUMN)


def quality_expr(messages: pl.Expr | None = None) -> pl.Expr:
    """The score as a polars expression over the `messages` column."""
    response = field_text("response", messages)
    return combine(
        count_words(response),
        uniqueness_term(response),
        unclosed_fence(response),
        ends_mid_sentence(response),
    )


def quality_score(frame: pl.DataFrame) -> pl.Series:
    """The shared quality score of every row of a record frame (Float64 in [0, 1]).

    Reuses the `quality` column when a quality stage already added it, so keepers and
    selection agree with the quality stage; computes it from `messages` otherwise.
    """
    if COLUMN in frame.columns:
        return frame[COLUMN].cast(pl.Float64).fill_null(0.0)
    return frame.select(quality_expr()).to_series()
