"""The one interface every stage has: annotate columns, then keep or reject with a reason.

A stage is a small class with a pydantic `Config`. The runner calls `annotate` then
`decide` on the frame of surviving records; it owns I/O, the ledger, caching, timings and
progress, so a stage only computes. Stages work on a plain polars frame as well:

    >>> from curate.stages import ExactDedup
    >>> ExactDedup().apply(frame)        # frame + verdict columns
    >>> ExactDedup().filter(frame)       # the kept rows only
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import polars as pl
from pydantic import BaseModel, ConfigDict

from curate.cache import Cache

# Verdict columns that `decide` adds. A null reason keeps the row.
REASON = "reject_reason"
DETAIL = "reject_detail"
DUPLICATE_OF = "duplicate_of"  # the keeper's id, for duplicates
CLUSTER = "cluster_id"  # stage-local cluster label, shared by a keeper and its members
ADD_TAGS = "add_tags"  # list[str]: annotations that did not reject (e.g. "refusal:soft")
VERDICT_COLUMNS = (REASON, DETAIL, DUPLICATE_OF, CLUSTER, ADD_TAGS)

T = TypeVar("T")


class StageConfig(BaseModel):
    """Keys shared by every `[[stages]]` table; each stage adds its own."""

    model_config = ConfigDict(extra="forbid")

    kind: str
    name: str | None = None  # needed only when a kind is used twice

    @property
    def label(self) -> str:
        return self.name or self.kind

    def check_pipeline(self, earlier: list[StageConfig]) -> None:
        """Raise ValueError when this stage cannot run after the `earlier` stages."""

    def input_files(self) -> dict[str, list[str]]:
        """Files this stage reads, by config key, relative to the pipeline file; they are
        checked to exist before any work starts."""
        return {}


@dataclass
class Context:
    """What the runner lends a stage: seed, cache, warnings, progress."""

    seed: int = 0
    cache: Cache = field(default_factory=Cache.disabled)
    warnings: list[str] = field(default_factory=list)
    progress: Callable[[Iterable[Any], int | None, str], Iterable[Any]] | None = None
    stages_before: list[str] = field(default_factory=list)  # kinds that already ran
    base_dir: Path = field(default_factory=Path.cwd)  # relative paths in stage configs start here
    # the model whose tokenizer counts tokens when a stage names none ([train].model); None:
    # the fast estimate
    tokenizer: str | None = None

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def track(
        self, items: Iterable[T], total: int | None = None, description: str = ""
    ) -> Iterator[T]:
        """Iterate with a progress bar when the runner shows one."""
        yield from (self.progress(items, total, description) if self.progress else items)


class Stage:
    """Base of every stage. Subclasses set `kind`, `Config` and override annotate/decide."""

    kind: ClassVar[str]
    Config: ClassVar[type[StageConfig]] = StageConfig
    # annotated columns that the ledger copies into its `scores` struct (column -> score name)
    score_columns: ClassVar[dict[str, str]] = {}

    def __init__(self, config: StageConfig | None = None, **options: Any) -> None:
        self.config = config if config is not None else self.Config(kind=self.kind, **options)

    @property
    def name(self) -> str:
        return self.config.label

    def warm_up(self, ctx: Context) -> None:
        """Load what `annotate` and `decide` will need (compiled kernels, models) ahead of
        time. The local runner calls it in a background thread while ingest reads the
        input, so loading overlaps reading. It must not touch `ctx` beyond reading it."""

    def annotate(self, frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        """Return `frame` with this stage's columns added (scores, signatures, tags)."""
        return frame

    def decide(self, frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        """Return the annotated frame with a `reject_reason` column (null keeps) and
        `reject_detail`; duplicate stages also add `duplicate_of` and `cluster_id`."""
        return keep_all(frame)

    def apply(self, frame: pl.DataFrame, ctx: Context | None = None) -> pl.DataFrame:
        ctx = ctx or Context()
        return self.decide(self.annotate(frame, ctx), ctx)

    def filter(self, frame: pl.DataFrame, ctx: Context | None = None) -> pl.DataFrame:
        """The rows this stage keeps, without verdict columns."""
        decided = self.apply(frame, ctx)
        return decided.filter(pl.col(REASON).is_null()).drop(
            [c for c in VERDICT_COLUMNS if c in decided.columns]
        )


def warm_up_frame() -> pl.DataFrame:
    """Two small records, one a near copy of the other: enough to run a stage's kernels."""
    from curate.records import chat_records, message

    question = message("user", "What is the capital of France?")
    answers = ("Paris is the capital of France.", "Paris is France's capital.")
    return chat_records([[question, message("assistant", a)] for a in answers], "warm-up")


def keep_all(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        pl.lit(None, pl.String).alias(REASON), pl.lit(None, pl.String).alias(DETAIL)
    )
