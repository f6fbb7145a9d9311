"""The ledger: one row per input row saying what happened to it and why (DESIGN section 3).

The runner records each stage's verdicts here as they come; `finish` assembles the
ledger frame: decisions, reasons, clusters merged across stages, tags and a `scores` struct.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from curate.stages.base import ADD_TAGS, CLUSTER, DETAIL, DUPLICATE_OF, REASON

KEY = "_key"  # global input order: (file number, row) ranked; owned by the runner

LEDGER_COLUMNS = (
    "id",
    "source",
    "row",
    "decision",
    "stage",
    "reason",
    "detail",
    "duplicate_of",
    "cluster_id",
    "tags",
    "scores",
)


@dataclass
class Ledger:
    rows: pl.DataFrame  # _key, id, source, row: every input row, in input order
    verdicts: list[pl.DataFrame] = field(default_factory=list)
    scores: list[pl.DataFrame] = field(default_factory=list)
    tags: list[pl.DataFrame] = field(default_factory=list)
    clusters: list[pl.DataFrame] = field(default_factory=list)
    notes: list[pl.DataFrame] = field(default_factory=list)  # details of kept, tagged rows
    overruled: list[int] = field(default_factory=list)  # rejected rows a reviewer kept

    def record(self, stage: str, decided: pl.DataFrame, score_columns: dict[str, str]) -> None:
        """Keep a stage's verdicts, cluster labels, tags and scores for its input rows."""
        rejected = decided.filter(pl.col(REASON).is_not_null())
        self.verdicts.append(
            rejected.select(
                KEY,
                pl.lit(stage).alias("stage"),
                pl.col(REASON).alias("reason"),
                _column_or_null(decided, DETAIL).alias("detail"),
                _column_or_null(decided, DUPLICATE_OF).alias("duplicate_of"),
            )
        )
        if CLUSTER in decided.columns:
            self.clusters.append(
                decided.filter(pl.col(CLUSTER).is_not_null()).select(
                    KEY, pl.format("{}:{}", pl.lit(stage), pl.col(CLUSTER)).alias("label")
                )
            )
        if ADD_TAGS in decided.columns:
            self.tags.append(
                decided.select(KEY, pl.col(ADD_TAGS).alias("tag")).explode("tag").drop_nulls()
            )
            if DETAIL in decided.columns:  # e.g. the span behind a refusal:soft tag
                self.notes.append(
                    decided.filter(
                        pl.col(REASON).is_null()
                        & pl.col(DETAIL).is_not_null()
                        & (pl.col(ADD_TAGS).list.len() > 0)
                    ).select(KEY, pl.col(DETAIL).alias("note"))
                )
        present = {c: n for c, n in score_columns.items() if c in decided.columns}
        if present:
            self.scores.append(
                decided.select(
                    KEY, *[pl.col(c).cast(pl.Float64).alias(n) for c, n in present.items()]
                )
            )

    def finish(self) -> pl.DataFrame:
        ledger = self.rows.sort(KEY)
        verdicts = pl.concat(self.verdicts) if self.verdicts else _empty_verdicts()
        verdicts = verdicts.filter(
            ~pl.col(KEY).is_in(pl.Series(self.overruled, dtype=pl.Int64).implode())
        )
        ledger = ledger.join(verdicts.unique(KEY, keep="first"), on=KEY, how="left")
        if self.notes:
            notes = pl.concat(self.notes).unique(KEY, keep="first")
            ledger = (
                ledger.join(notes, on=KEY, how="left")
                .with_columns(pl.coalesce("detail", "note").alias("detail"))
                .drop("note")
            )
        ledger = ledger.with_columns(
            pl.when(pl.col("reason").is_null())
            .then(pl.lit("kept"))
            .otherwise(pl.lit("rejected"))
            .alias("decision")
        )
        ledger = ledger.join(_merged_clusters(self.clusters), on=KEY, how="left")
        if self.overruled:
            self.tags.append(
                pl.DataFrame(
                    {KEY: self.overruled, "tag": ["review:keep"] * len(self.overruled)},
                    schema={KEY: pl.Int64, "tag": pl.String},
                )
            )
        if self.tags:
            tags = (
                pl.concat(self.tags)
                .group_by(KEY, maintain_order=True)
                .agg(pl.col("tag").unique(maintain_order=True).alias("tags"))
            )
            ledger = ledger.join(tags, on=KEY, how="left")
        else:
            ledger = ledger.with_columns(pl.lit(None, pl.List(pl.String)).alias("tags"))
        ledger = ledger.with_columns(pl.col("tags").fill_null(pl.lit([], pl.List(pl.String))))
        scores = self.rows.select(KEY)
        for frame in self.scores:
            new = [c for c in frame.columns if c != KEY and c not in scores.columns]
            scores = scores.join(frame.select(KEY, *new), on=KEY, how="left")
        score_fields = [c for c in scores.columns if c != KEY]
        ledger = ledger.join(
            scores.select(KEY, pl.struct(score_fields).alias("scores")), on=KEY, how="left"
        ).sort(KEY)
        return ledger.select(KEY, *LEDGER_COLUMNS)


def _column_or_null(frame: pl.DataFrame, name: str) -> pl.Expr:
    return pl.col(name) if name in frame.columns else pl.lit(None, pl.String)


def _empty_verdicts() -> pl.DataFrame:
    return pl.DataFrame(
        schema={
            KEY: pl.Int64,
            "stage": pl.String,
            "reason": pl.String,
            "detail": pl.String,
            "duplicate_of": pl.String,
        }
    )


def _merged_clusters(clusters: list[pl.DataFrame]) -> pl.DataFrame:
    """One cluster id per row; clusters of different stages that share a row are merged.

    A keeper of exact duplicates can be a near duplicate of another keeper: both groups
    then form one cluster. Ids are numbered by each cluster's first row in input order.
    """
    if not clusters:
        return pl.DataFrame(schema={KEY: pl.Int64, "cluster_id": pl.Int64})
    pairs = pl.concat(clusters)
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    # rows that carry labels from several stages tie those labels together
    multi = pairs.group_by(KEY).agg(pl.col("label")).filter(pl.col("label").list.len() > 1)
    for labels in multi["label"].to_list():
        root = find(labels[0])
        for other in labels[1:]:
            other_root = find(other)
            if other_root != root:
                parent[other_root] = root
    roots = {label: find(label) for label in pairs["label"].unique().to_list()}
    merged = pairs.with_columns(pl.col("label").replace_strict(roots).alias("root"))
    merged = merged.group_by(KEY).agg(pl.col("root").first())
    first = merged.group_by("root").agg(pl.col(KEY).min().alias("first")).sort("first")
    numbering = first.with_row_index("cluster_id").select(
        "root", pl.col("cluster_id").cast(pl.Int64)
    )
    return merged.join(numbering, on="root").select(KEY, "cluster_id")
