"""Near duplicates: MinHash + LSH proposes, exact Jaccard decides, union-find clusters.

1. Text: the chosen field (default: all user turns), with template lines stripped (lines
   found in more than max(template_line_frac * rows, template_line_min) rows: shared
   system prompts and tool descriptions make unrelated rows look alike).
2. Signatures: `num_perm` datasketch-compatible MinHash values over word 3-grams (CJK:
   character 5-grams), cached by content hash, so a re-run with another threshold
   recomputes none of them.
3. Candidates: LSH banding chosen for recall >= 0.95 at the threshold (`lsh_params`).
4. Verification: every candidate pair's exact Jaccard of shingle sets; pairs at or above
   the threshold are duplicates, so no pair is ever flagged on an estimate.
5. Clusters: connected components of the verified pairs. The keeper is the row with the
   best shared quality score (`curate.scoring.quality_score`: the quality stage's column
   when it ran), then the longer response, then the smaller id.
6. Optional persistent index (`index = {storage = "redis", ...}`): rows that survive are
   checked against every row accepted by earlier runs, then added to the index.

The score `minhash_jaccard` is a row's highest verified (exact) Jaccard with any row of
its cluster.
"""

from __future__ import annotations

from functools import cached_property
from typing import ClassVar, Literal

import numpy as np
import polars as pl
from pydantic import BaseModel, ConfigDict, Field, model_validator

from curate.dedup.minhash import (
    MAX_HASH,
    MinHasher,
    cached_signatures,
    clusters,
    lsh_params,
    shingle_sets,
    similar_pairs,
    two_decimals,
)
from curate.dedup.shingles import ShingleSpec, shingle, strip_template_lines
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
from curate.text import field_text

TEXT = "_near_dedup_text"
SIGNATURE = "_near_dedup_signature"
SCORE = "minhash_jaccard"


class RedisIndexConfig(BaseModel):
    """Where the persistent index lives; `basename` prefixes every Redis key it writes."""

    model_config = ConfigDict(extra="forbid")

    storage: Literal["redis"] = "redis"
    host: str = "127.0.0.1"
    port: int = Field(6379, ge=1, le=65535)
    db: int = Field(0, ge=0)
    basename: str = Field("curate:near_dedup", min_length=1)


class NearDedupConfig(StageConfig):
    kind: Literal["near_dedup"] = "near_dedup"
    field: Literal["prompt", "response", "conversation"] = "prompt"
    threshold: float = Field(
        0.8, gt=0.0, le=1.0, description="exact Jaccard at or above which rows are duplicates"
    )
    num_perm: int = Field(128, ge=2, le=1024)
    seed: int = Field(1, ge=0, description="permutation seed (datasketch's default is 1)")
    ngram: int = Field(3, ge=1, le=32, description="words per shingle")
    cjk_ngram: int = Field(5, ge=1, le=32, description="characters per shingle in CJK text")
    template_line_frac: float = Field(0.01, ge=0.0, le=1.0, description="1.0 disables stripping")
    template_line_min: int = Field(5, ge=1)
    bands: int | None = Field(None, ge=1, description="LSH bands; default: chosen for recall")
    rows: int | None = Field(None, ge=1, description="signature values per band")
    index: RedisIndexConfig | None = None

    @model_validator(mode="after")
    def _banding(self) -> NearDedupConfig:
        if (self.bands is None) != (self.rows is None):
            raise ValueError("near_dedup: set both `bands` and `rows`, or neither")
        if self.bands is not None and self.bands * self.rows > self.num_perm:
            raise ValueError(
                f"near_dedup: bands * rows = {self.bands * self.rows} exceeds num_perm = {self.num_perm}"
            )
        if self.index is not None and self.bands is not None and self.bands < 2:
            raise ValueError("near_dedup: a Redis index needs `bands` >= 2 (datasketch MinHashLSH)")
        return self


class NearDedup(Stage):
    kind = "near_dedup"
    Config = NearDedupConfig
    config: NearDedupConfig
    score_columns: ClassVar[dict[str, str]] = {SCORE: SCORE}

    @property
    def hasher(self) -> MinHasher:
        return MinHasher(self.config.num_perm, self.config.seed)

    @property
    def spec(self) -> ShingleSpec:
        return ShingleSpec(self.config.ngram, self.config.cjk_ngram)

    @cached_property
    def banding(self) -> tuple[int, int]:
        if self.config.bands is not None and self.config.rows is not None:
            return self.config.bands, self.config.rows
        return lsh_params(self.config.threshold, self.config.num_perm)

    def warm_up(self, ctx: Context) -> None:
        if self.config.index is None:  # with an index, decide would write to it
            self.apply(warm_up_frame())  # loads numba and the shingle/MinHash/LSH kernels

    def annotate(self, frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        cfg = self.config
        texts = frame.select(field_text(cfg.field)).to_series()
        texts, stats = strip_template_lines(texts, cfg.template_line_frac, cfg.template_line_min)
        self.warn_template_lines(stats, ctx)
        signatures = cached_signatures(texts, self.hasher, self.spec, ctx.cache)
        return frame.with_columns(texts.alias(TEXT), pl.Series(SIGNATURE, signatures))

    def warn_template_lines(self, stats: dict[str, int], ctx: Context) -> None:
        """Say how many template lines were stripped (`strip_template_lines` stats)."""
        if stats["lines"]:
            ctx.warn(
                f"{self.name}: {stats['lines']} template lines (each in more than "
                f"{stats['limit']} rows) stripped from {stats['rows']} rows before shingling; "
                f"{stats['whole']} rows made only of such lines kept their text"
            )

    def decide(self, frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        cfg = self.config
        texts = frame[TEXT]
        signatures = _matrix(frame[SIGNATURE], cfg.num_perm)
        bands, rows = self.banding
        pairs, similarity = similar_pairs(signatures, texts, cfg.threshold, bands, rows, self.spec)
        labels = clusters(frame.height, pairs)
        verdict = _verdict(frame, labels, _keepers(frame, labels), pairs, similarity)
        if cfg.index is not None:
            verdict = self._against_index(frame, verdict, signatures, texts, ctx)
        return frame.drop(TEXT, SIGNATURE).with_columns(verdict)

    def _against_index(
        self,
        frame: pl.DataFrame,
        verdict: pl.DataFrame,
        signatures: np.ndarray,
        texts: pl.Series,
        ctx: Context,
    ) -> pl.DataFrame:
        """Reject survivors that match a row accepted by an earlier run; index the rest."""
        from curate.dedup.index import RedisIndex

        cfg, index_cfg = self.config, self.config.index
        assert index_cfg is not None
        bands, rows = self.banding
        basename = f"{index_cfg.basename}:{self.hasher.tag}:{self.spec.tag}:b{bands}r{rows}"
        index = RedisIndex(
            host=index_cfg.host, port=index_cfg.port, db=index_cfg.db, basename=basename,
            num_perm=cfg.num_perm, seed=cfg.seed, bands=bands, rows=rows,
        )  # fmt: skip
        ids = frame["id"].to_list()
        alive = verdict[REASON].is_null().to_numpy() & (signatures != MAX_HASH).any(axis=1)
        candidates = np.flatnonzero(alive)
        fresh = candidates[~index.known([ids[i] for i in candidates])]
        sets = shingle_sets(shingle(texts.gather(fresh), self.spec))
        found = index.matches([ids[i] for i in fresh], signatures[fresh], sets, cfg.threshold)
        if found:
            ctx.warn(
                f"{self.name}: {len(found)} rows matched rows already in index {index_cfg.basename!r}"
            )
            verdict = _index_verdict(verdict, fresh, found)
        matched = np.isin(np.arange(len(fresh)), [m.row for m in found])
        added = np.flatnonzero(~matched)
        names = frame.select(pl.format("{}:{}", "source", "row")).to_series()
        index.add(
            [ids[i] for i in fresh[added]],
            signatures[fresh[added]],
            _take_sets(sets, added),
            [names[int(i)] for i in fresh[added]],
        )
        return verdict


def _matrix(column: pl.Series, num_perm: int) -> np.ndarray:
    values = column.to_numpy()
    return np.ascontiguousarray(values.reshape(-1, num_perm).astype(np.uint64, copy=False))


def _keepers(frame: pl.DataFrame, labels: np.ndarray) -> np.ndarray:
    """Per row, the position of its cluster's keeper (-1 outside clusters): best quality,
    then longer response, then smaller id."""
    keeper = np.full(frame.height, -1, np.int64)
    members = np.flatnonzero(labels >= 0)
    if not len(members):
        return keeper
    sub = frame[members]
    try:
        from curate.scoring import quality_score
    except ImportError:  # shared score not available: fall back to response length
        quality = pl.Series(np.zeros(len(members)))
    else:
        quality = quality_score(sub)
    ranked = (
        sub.select(
            pos=pl.Series(members),
            label=pl.Series(labels[members]),
            quality=quality,
            length=field_text("response").str.len_chars(),
            id=pl.col("id"),
        )
        .sort(["label", "quality", "length", "id"], descending=[False, True, True, False])
        .group_by("label", maintain_order=True)
        .agg(keeper=pl.col("pos").first())
    )
    by_label = np.full(frame.height, -1, np.int64)  # labels are row positions
    by_label[ranked["label"].to_numpy()] = ranked["keeper"].to_numpy()
    keeper[members] = by_label[labels[members]]
    return keeper


def _verdict(
    frame: pl.DataFrame,
    labels: np.ndarray,
    keeper: np.ndarray,
    pairs: np.ndarray,
    similarity: np.ndarray,
) -> pl.DataFrame:
    """Verdict columns: members point to their keeper and name their closest match."""
    n = frame.height
    edges = pl.DataFrame(
        {
            "pos": np.concatenate([pairs[:, 0], pairs[:, 1]]),
            "other": np.concatenate([pairs[:, 1], pairs[:, 0]]),
            "j": np.concatenate([similarity, similarity]),
        },
        schema={"pos": pl.Int64, "other": pl.Int64, "j": pl.Float64},
    ).with_columns(keeper=pl.lit(pl.Series(keeper)).gather(pl.col("pos")))
    # the keeper when the row matched it directly, else its most similar neighbour
    best = (
        edges.sort(["pos", "j", "other"], descending=[False, True, False])
        .with_columns(rank=pl.when(pl.col("other") == pl.col("keeper")).then(0).otherwise(1))
        .group_by("pos")
        .agg(
            score=pl.col("j").max(),
            partner=pl.col("other").sort_by("rank", maintain_order=True).first(),
            partner_j=pl.col("j").sort_by("rank", maintain_order=True).first(),
        )
    )
    table = (
        pl.DataFrame({"pos": np.arange(n), "label": labels, "keeper": keeper})
        .join(best, on="pos", how="left")
        .sort("pos")
    )
    names = frame.select(pl.format("{}:{}", "source", "row")).to_series()
    partner = table["partner"].fill_null(-1).to_numpy()
    parts = pl.DataFrame(
        {
            "member": (labels >= 0) & (np.arange(n) != keeper),
            "label": labels,
            "j": table["partner_j"],
            "partner": names.gather(np.clip(partner, 0, None)),
            "indirect": partner != keeper,
            "keeper": names.gather(np.clip(keeper, 0, None)),
            "keeper_id": frame["id"].gather(np.clip(keeper, 0, None)),
            "score": table["score"],
        }
    )
    detail = pl.format("J={} with {}", two_decimals(pl.col("j")), "partner") + pl.when(
        "indirect"
    ).then(pl.format(" (cluster keeper {})", "keeper")).otherwise(pl.lit(""))
    return parts.select(
        pl.when("member").then(pl.lit("near_duplicate")).alias(REASON),
        pl.when("member").then(detail).alias(DETAIL),
        pl.when("member").then("keeper_id").alias(DUPLICATE_OF),
        pl.when(pl.col("label") >= 0).then("label").alias(CLUSTER),
        pl.col("score").alias(SCORE),
    )


def _index_verdict(verdict: pl.DataFrame, rows: np.ndarray, found: list) -> pl.DataFrame:
    """Rows that matched the index are duplicates of the indexed row, and so is anything
    that pointed to them inside the batch."""
    n = verdict.height
    key = np.full(n, None, object)
    why = np.full(n, None, object)
    score = np.full(n, np.nan)
    pos = rows[[m.row for m in found]]
    key[pos] = [m.key for m in found]
    why[pos] = [f"J={m.similarity:.2f} with {m.name} (index)" for m in found]
    score[pos] = [m.similarity for m in found]
    # members whose in-batch keeper matched the index now point to the indexed row
    label = verdict[CLUSTER].fill_null(-1).to_numpy()
    moved = dict(zip(label[pos].tolist(), key[pos].tolist(), strict=True))
    moved.pop(-1, None)
    members = verdict[REASON].is_not_null().to_numpy() & np.isin(label, list(moved))
    key[members] = [moved[int(x)] for x in label[members]]
    hit = pl.DataFrame(
        {"key": key.tolist(), "why": why.tolist(), "j": score},
        schema={"key": pl.String, "why": pl.String, "j": pl.Float64},
    )
    return pl.concat([verdict, hit], how="horizontal").select(
        pl.when(pl.col("why").is_not_null())
        .then(pl.lit("near_duplicate"))
        .otherwise(REASON)
        .alias(REASON),
        pl.coalesce("why", DETAIL).alias(DETAIL),
        pl.coalesce("key", DUPLICATE_OF).alias(DUPLICATE_OF),
        pl.col(CLUSTER),
        pl.max_horizontal(SCORE, pl.col("j").fill_nan(None)).alias(SCORE),
    )


def _take_sets(
    sets: tuple[np.ndarray, np.ndarray], rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    flat, offsets = sets
    sizes = np.diff(offsets)[rows]
    new_offsets = np.zeros(len(rows) + 1, np.int64)
    np.cumsum(sizes, out=new_offsets[1:])
    within = np.arange(new_offsets[-1]) - np.repeat(new_offsets[:-1], sizes)
    return flat[np.repeat(offsets[:-1][rows], sizes) + within], new_offsets
