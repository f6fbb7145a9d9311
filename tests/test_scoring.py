"""The shared quality score: bounded, ordered the way a reviewer would order rows, reused."""

from __future__ import annotations

import polars as pl

from curate.scoring import quality_score
from tests.filter_support import conversations

GOOD = (
    "Photosynthesis turns light into chemical energy. Chlorophyll absorbs sunlight, water is "
    "split into oxygen, protons and electrons, and the Calvin cycle uses the stored energy to "
    "turn carbon dioxide into glucose. Oxygen is released as a by-product."
)


def test_score_is_bounded_and_orders_rows():
    frame = conversations(
        ("Explain photosynthesis.", GOOD),
        ("Explain photosynthesis.", "Plants use light."),
        ("Explain photosynthesis.", ""),
        ("Explain photosynthesis.", "\n".join(["Plants use light to make food."] * 8)),
        ("Explain photosynthesis.", GOOD[:-40]),  # cut mid-sentence
        ("Write code.", "```python\nprint('hi')"),  # unclosed fence
    )
    score = quality_score(frame)
    assert score.dtype == pl.Float64
    assert score.is_between(0.0, 1.0).all()
    good, short, empty, loop, cut, fence = score.to_list()
    assert empty == 0.0
    assert good > short > empty
    assert good > loop and good > cut
    assert fence < 0.6


def test_cjk_characters_count_as_words():
    zh, one_word = quality_score(
        conversations(
            ("光合作用是什么？", "光合作用是植物利用阳光、水和二氧化碳制造葡萄糖的过程。"),
            ("q", "Yes."),
        )
    ).to_list()
    assert zh > one_word * 2


def test_existing_quality_column_is_reused():
    frame = conversations(("q", GOOD)).with_columns(pl.lit(0.123).alias("quality"))
    assert quality_score(frame).to_list() == [0.123]
