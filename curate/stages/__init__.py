"""Stages, one module each. Add a stage by importing its class into `STAGES`."""

from curate.stages.base import Context, Stage, StageConfig
from curate.stages.exact_dedup import ExactDedup

STAGES: dict[str, type[Stage]] = {cls.kind: cls for cls in (ExactDedup,)}

__all__ = ["STAGES", "Context", "ExactDedup", "Stage", "StageConfig"]
