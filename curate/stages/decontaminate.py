"""Benchmark decontamination: drop rows whose prompt overlaps an evaluation set's prompts.

A row is `contaminated` when its text (default: all user turns)
- shares an `ngram`-token shingle (13 words, as in GPT-3's decontamination) with a
  reference text; a reference shorter than `ngram` tokens counts when the row contains
  all of it in order, if it has at least `min_tokens` tokens (shorter ones are matched by
  the MinHash test below), or
- has exact Jaccard >= `threshold` with a reference over the word 3-gram shingles of
  `near_dedup` (MinHash + LSH candidates, verified exactly).

References are files in any input format (their prompts are used) or, with `text_field`,
JSON/JSONL/Parquet/CSV rows whose `text_field` holds a string or a list of strings (e.g.
MT-bench's `turns`: each turn is a reference text). Paths are relative to the pipeline
file. The ledger detail names the reference item (file:line, and the list element) and
the overlapping span.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import ClassVar, Literal

import numpy as np
import polars as pl
from pydantic import Field

from curate.dedup.minhash import (
    MinHasher,
    cached_signatures,
    lsh_params,
    similar_pairs,
    two_decimals,
)
from curate.dedup.shingles import Shingles, ShingleSpec, shingle
from curate.errors import InputError
from curate.stages.base import DETAIL, REASON, Context, Stage, StageConfig
from curate.text import field_text

REFERENCE = "contaminated_by"
SPAN = "contamination_span"
SCORE = "contamination_jaccard"
SPAN_CHARS = 120


class DecontaminateConfig(StageConfig):
    kind: Literal["decontaminate"] = "decontaminate"
    references: list[str] = Field(
        min_length=1, description="eval files; relative to the pipeline file"
    )
    text_field: str | None = Field(
        None,
        description="field holding the text (str or list of str); default: read as an input format",
    )
    field: Literal["prompt", "last_prompt", "conversation"] = "prompt"
    ngram: int = Field(13, ge=1, le=64, description="tokens per shared-span shingle")
    min_tokens: int = Field(8, ge=1, description="shortest reference matched as a span")
    threshold: float | None = Field(0.8, gt=0.0, le=1.0, description="Jaccard; null disables")
    num_perm: int = Field(128, ge=2, le=1024)
    seed: int = Field(1, ge=0)

    def input_files(self) -> dict[str, list[str]]:
        return {"references": self.references}


class Decontaminate(Stage):
    kind = "decontaminate"
    Config = DecontaminateConfig
    config: DecontaminateConfig
    score_columns: ClassVar[dict[str, str]] = {SCORE: SCORE}

    def __init__(self, config: DecontaminateConfig | None = None, **options) -> None:
        super().__init__(config, **options)
        self.reference: pl.DataFrame | None = None  # name, text

    def setup(self, ctx: Context) -> None:
        """Read the reference files (the only I/O of this stage), once."""
        if self.reference is None:
            frames = [
                read_references(
                    _resolve(path, ctx.base_dir), self.config.text_field, self.config.field
                )
                for path in self.config.references
            ]
            self.reference = pl.concat(frames)
            if not self.reference.height:
                ctx.warn(f"{self.name}: the reference files hold no text")

    def annotate(self, frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        self.setup(ctx)
        assert self.reference is not None
        texts = frame.select(field_text(self.config.field)).to_series()
        ref_name, span, score = self._span_matches(texts)
        if self.config.threshold is not None:
            by_jaccard, jaccard = self._jaccard_matches(texts, ctx)
            ref_name = np.where(ref_name == None, by_jaccard, ref_name)  # noqa: E711
            score = jaccard
        return frame.with_columns(
            pl.Series(REFERENCE, ref_name.tolist(), dtype=pl.String),
            pl.Series(SPAN, span.tolist(), dtype=pl.String),
            pl.Series(SCORE, score.tolist(), dtype=pl.Float64),
        )

    def decide(self, frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        hit = pl.col(REFERENCE).is_not_null()
        detail = (
            pl.when(pl.col(SPAN).is_not_null())
            .then(
                pl.format(
                    '{}-gram overlap with {}: "{}"', pl.lit(self.config.ngram), REFERENCE, SPAN
                )
            )
            .otherwise(pl.format("J={} with {}", two_decimals(pl.col(SCORE)), REFERENCE))
        )
        return frame.with_columns(
            pl.when(hit).then(pl.lit("contaminated")).alias(REASON),
            pl.when(hit).then(detail).alias(DETAIL),
        ).drop(SPAN)

    def _span_matches(self, texts: pl.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per row: the reference sharing a span with it, the span, and no score (None)."""
        assert self.reference is not None
        n, ngram = len(texts), self.config.ngram
        ref = shingle(self.reference["text"], ShingleSpec(ngram, ngram))
        found = np.full(n, None, object)
        span = np.full(n, None, object)
        # each reference width: ngram, or the whole text of a shorter (but not tiny) one
        widths = np.unique(ref.widths[ref.widths >= min(self.config.min_tokens, ngram)])
        for width in widths[::-1]:
            owner = np.repeat(np.arange(len(ref)), ref.sizes())
            wanted = ref.widths[owner] == width
            table, table_owner = ref.hashes[wanted], owner[wanted]
            order = np.argsort(table, kind="stable")
            table, table_owner = table[order], table_owner[order]
            rows = shingle(texts, ShingleSpec(int(width), int(width)), positions=True)
            full = np.repeat(rows.widths == width, rows.sizes())
            at = np.minimum(np.searchsorted(table, rows.hashes), max(len(table) - 1, 0))
            hits = np.flatnonzero(full & (table[at] == rows.hashes)) if len(table) else []
            self._record(texts, rows, hits, table_owner[at], found, span)
        return found, span, np.full(n, None, object)

    def _record(
        self, texts: pl.Series, rows: Shingles, hits, owners, found: np.ndarray, span: np.ndarray
    ) -> None:
        assert self.reference is not None
        names = self.reference["name"]
        row_of = np.searchsorted(rows.offsets, hits, side="right") - 1
        for shingle_at, row in zip(hits, row_of, strict=True):
            if found[row] is None:
                found[row] = names[int(owners[shingle_at])]
                text = _as_written(texts[int(row)], rows.span(int(row), int(shingle_at)).split(" "))
                span[row] = text if len(text) <= SPAN_CHARS else text[: SPAN_CHARS - 1] + "…"

    def _jaccard_matches(self, texts: pl.Series, ctx: Context) -> tuple[np.ndarray, np.ndarray]:
        """Per row: the most similar reference at Jaccard >= threshold, and that Jaccard."""
        assert self.reference is not None and self.config.threshold is not None
        cfg, spec = self.config, ShingleSpec()
        hasher = MinHasher(cfg.num_perm, cfg.seed)
        both = pl.concat([texts, self.reference["text"]])
        signatures = cached_signatures(both, hasher, spec, ctx.cache)
        bands, rows = lsh_params(cfg.threshold, cfg.num_perm)
        pairs, similarity = similar_pairs(
            signatures, both, cfg.threshold, bands, rows, spec, cross=len(texts)
        )
        found = np.full(len(texts), None, object)
        score = np.full(len(texts), np.nan)
        names = self.reference["name"].to_list()
        for (row, ref), j in zip(pairs, similarity, strict=True):
            if np.isnan(score[row]) or j > score[row]:
                score[row], found[row] = j, names[ref - len(texts)]
        return found, np.where(np.isnan(score), None, score)


def _as_written(text: str, tokens: list[str]) -> str:
    """The span of `text` that the matched tokens came from (their normalised form when
    NFKC or case folding moved it too far to find)."""
    pattern = r"\W*".join(re.escape(t) for t in tokens)
    found = re.search(pattern, unicodedata.normalize("NFKC", text), re.IGNORECASE)
    return " ".join(found.group(0).split()) if found else " ".join(tokens)


def _resolve(path: str, base: Path) -> Path:
    resolved = Path(path) if Path(path).is_absolute() else base / path
    if not resolved.is_file():
        raise InputError(f"decontaminate: reference file not found: {path} (looked at {resolved})")
    return resolved


def read_references(path: Path, text_field: str | None, field: str) -> pl.DataFrame:
    """(name, text) of every reference text in one file; name = file:line[element]."""
    if text_field is None:
        return _records_references(path, field)
    from curate.io.readers import read_raw

    names, texts = [], []
    for raw in read_raw(path):
        raw.parse()  # JSONL lines come unparsed
        if raw.error is not None or not isinstance(raw.value, dict):
            continue
        value = raw.value.get(text_field)
        items = value if isinstance(value, list) else [value]
        for k, item in enumerate(items):
            if isinstance(item, str) and item.strip():
                suffix = f" {text_field}[{k}]" if isinstance(value, list) else ""
                names.append(f"{path.name}:{raw.line}{suffix}")
                texts.append(item)
    if not texts:
        raise InputError(f"decontaminate: {path} has no text in field {text_field!r}")
    return pl.DataFrame(
        {"name": names, "text": texts}, schema={"name": pl.String, "text": pl.String}
    )


def _records_references(path: Path, field: str) -> pl.DataFrame:
    """Prompts of a reference file in any input format, via the ingest reader."""
    try:
        from curate.io import read_records
    except ImportError:
        from curate.io.ingest import read_records
    batch = read_records(path)
    records = getattr(batch, "records", batch)
    return records.select(
        name=pl.format("{}:{}", pl.lit(path.name), pl.col("row") + 1),
        text=field_text(field),  # type: ignore[arg-type]
    ).filter(pl.col("text").str.strip_chars() != "")
