"""Stages, one module each. Add a stage by importing its class into `STAGES`."""

from curate.stages.base import Context, Stage, StageConfig
from curate.stages.decontaminate import Decontaminate
from curate.stages.embed import Embed
from curate.stages.exact_dedup import ExactDedup
from curate.stages.ifd import Ifd
from curate.stages.near_dedup import NearDedup
from curate.stages.quality import Quality
from curate.stages.refusal import Refusal
from curate.stages.select import Select

STAGES: dict[str, type[Stage]] = {
    cls.kind: cls
    for cls in (ExactDedup, Quality, NearDedup, Decontaminate, Refusal, Embed, Select, Ifd)
}

__all__ = [
    "STAGES",
    "Context",
    "Decontaminate",
    "Embed",
    "ExactDedup",
    "Ifd",
    "NearDedup",
    "Quality",
    "Refusal",
    "Select",
    "Stage",
    "StageConfig",
]
