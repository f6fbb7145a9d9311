"""The numba counts of `curate.textstats` give exactly what the regex definitions in
`curate.signals` give, on real text in several scripts and on awkward characters."""

from __future__ import annotations

import gzip
import json
from collections import Counter

import numpy as np
import polars as pl
import pytest

from curate.signals import TOKEN_UNIT, WORD, content_lines
from curate.textstats import count_units, line_counts, ngram_repetition
from tests.conftest import shared

AWKWARD = [
    "",
    None,
    "a\x0bb c\x1cd e\x00f",  # \v is white space, \x1c and \x00 are not
    "  x y z  \n x y z\r\n\u00a0x y z\u00a0\n\u3000x y z\u3000\n\u2028",
    "中文abc def 日本語のテキスト カタカナ",
    "hello ⺀ world ⺀⺀ ・ー",  # Han radicals: CJK script but not \w
    "ＡＢＣ ｄｅｆ İstanbul İSTANBUL ß ẞ Σσς",
    "a\u200db c\u0301d e\u0300\u0301f",  # joiner and combining marks are \w
    "😀 a😀b 👍🏽 ✓",
    "x\n\n\n",
    "\n",
    "Ünïcödé wörds, ünïcödé wörds, ünïcödé wörds, ünïcödé wörds.",
]


@pytest.fixture(scope="module")
def texts() -> pl.Series:
    """LIMA answers and prompts (long, markdown, code, some non-English) and AlpacaEval
    model outputs (Chinese, emoji), plus the awkward strings."""
    with gzip.open(shared("lima/lima.json.gz"), "rt", encoding="utf-8") as f:
        lima = json.load(f)
    with gzip.open(shared("alpaca_eval/gpt4_model_outputs.json.gz"), "rt", encoding="utf-8") as f:
        gpt4 = json.load(f)
    real = [r["output"] for r in lima] + [r["instruction"] for r in lima]
    real += [r["output"] for r in gpt4]
    return pl.Series("text", real + AWKWARD, dtype=pl.String)


def test_real_data_has_non_ascii_rows(texts):
    assert (texts.str.len_bytes() != texts.str.len_chars()).sum() > 100


@pytest.mark.parametrize(("pattern", "punctuation"), [(WORD, False), (TOKEN_UNIT, True)])
def test_counts_equal_count_matches(texts, pattern, punctuation):
    ours = count_units(texts, punctuation=punctuation)
    assert ours.dtype == pl.Int64
    assert ours.to_list() == texts.str.count_matches(pattern).cast(pl.Int64).to_list()


@pytest.mark.parametrize("min_words", [0, 3])
def test_line_counts_equal_content_lines(texts, min_words):
    lines = content_lines(pl.col("text"))
    if min_words:
        lines = lines.list.eval(
            pl.element().filter(pl.element().str.count_matches(r"\w+") >= min_words)
        )
    expected = texts.to_frame().select(n=lines.list.len(), distinct=lines.list.n_unique())
    n, distinct = line_counts(texts, min_words)
    assert n.tolist() == expected["n"].fill_null(0).to_list()
    assert distinct.tolist() == expected["distinct"].fill_null(0).to_list()
    assert (distinct < n).sum() > 10  # the data does repeat lines


def reference_ngrams(words: list[str], sizes: list[int]) -> tuple[list[float], list[float]]:
    """The definition, in plain Python: top = max count x characters of a repeated
    n-gram over all word characters; dup = share of n-grams that occur more than once."""
    total = sum(len(w) for w in words)
    top, dup = [], []
    for n in sizes:
        grams = Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))
        repeated = {g: c for g, c in grams.items() if c > 1}
        top.append(
            max((c * sum(map(len, g)) for g, c in repeated.items()), default=0) / total
            if total
            else 0.0
        )
        dup.append(sum(repeated.values()) / sum(grams.values()) if grams else 0.0)
    return top, dup


def test_ngram_repetition_equals_the_definition(texts):
    sizes = [2, 3, 4, 5, 10]
    sample = pl.concat([texts.head(400), texts.tail(len(AWKWARD) + 200)])
    rows = np.arange(0, sample.len(), 1)
    top, dup = ngram_repetition(sample, rows, sizes)
    words = sample.fill_null("").str.to_lowercase().str.extract_all(WORD).to_list()
    for i, row_words in enumerate(words):
        ref_top, ref_dup = reference_ngrams(row_words, sizes)
        assert top[i].tolist() == pytest.approx(ref_top, abs=1e-12), i
        assert dup[i].tolist() == pytest.approx(ref_dup, abs=1e-12), i
    assert (top[:, 0] > 0).mean() > 0.5 and (dup[:, 3] > 0).sum() > 10


def test_ngram_rows_not_asked_for_are_zero():
    loop = pl.Series(["la la la la la la", "la la la la la la"])
    top, dup = ngram_repetition(loop, np.array([1]), [2, 3])
    assert top[0].tolist() == [0.0, 0.0] and dup[0].tolist() == [0.0, 0.0]
    assert dup[1].tolist() == [1.0, 1.0]
    with pytest.raises(ValueError, match="ascending"):
        ngram_repetition(loop, np.array([0]), [3, 2])
