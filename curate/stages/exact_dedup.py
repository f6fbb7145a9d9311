"""Exact duplicates: rows whose canonical text matches an earlier row's.

Canonical text is NFKC, case-folded, whitespace-collapsed (numbers kept, so "2+2" and
"2+3" stay apart); rows are grouped by a 128-bit hash of it (`curate.dedup.exact`). The
first row in input order keeps; the others point to it.
"""

from __future__ import annotations

from typing import Literal

import polars as pl

from curate.stages.base import (
    CLUSTER,
    DETAIL,
    DUPLICATE_OF,
    REASON,
    Context,
    Stage,
    StageConfig,
    warm_up_frame,
)

KEYS = ["_exact_hi", "_exact_lo"]  # curate.dedup.exact.KEYS (numba is only loaded to run)


class ExactDedupConfig(StageConfig):
    kind: Literal["exact_dedup"] = "exact_dedup"
    field: Literal["conversation", "prompt"] = "conversation"


class ExactDedup(Stage):
    kind = "exact_dedup"
    Config = ExactDedupConfig
    config: ExactDedupConfig

    def warm_up(self, ctx: Context) -> None:
        self.apply(warm_up_frame())  # loads numba and the hash kernel (~0.4 s)

    def annotate(self, frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        from curate.dedup.exact import exact_keys  # numba: loaded when the stage runs

        keys = exact_keys(frame["messages"], self.config.field)
        return pl.concat([frame, keys], how="horizontal")

    def decide(self, frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        first = pl.col("_pos").min().over(KEYS)
        keeper = frame.with_row_index("_pos").select(
            keeper_pos=first,
            in_group=pl.len().over(KEYS) > 1,
            duplicate=pl.col("_pos") != first,
        )
        keeper_id = frame["id"].gather(keeper["keeper_pos"])
        where = pl.concat_str(
            pl.lit("same text as "),
            frame["source"].gather(keeper["keeper_pos"]),
            pl.lit(":"),
            frame["row"].gather(keeper["keeper_pos"]).cast(pl.String),
        )
        return frame.drop(KEYS).with_columns(
            pl.when(keeper["duplicate"]).then(pl.lit("duplicate")).alias(REASON),
            pl.when(keeper["duplicate"]).then(frame.select(where).to_series()).alias(DETAIL),
            pl.when(keeper["duplicate"]).then(keeper_id).alias(DUPLICATE_OF),
            pl.when(keeper["in_group"]).then(keeper["keeper_pos"].cast(pl.Int64)).alias(CLUSTER),
        )
