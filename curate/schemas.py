"""JSON Schemas of pipeline.toml, the canonical record and the ledger (`curate schema`).

The pipeline schema comes from the config models; the record and ledger schemas from the
pydantic models below, which a test keeps in step with `RECORD_SCHEMA` and the ledger.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from curate.io.writers import atomic_path


class MessageModel(BaseModel):
    model_config = ConfigDict(extra="forbid", title="Message")
    role: Literal["system", "user", "assistant", "tool"]
    content: str
    reasoning: str | None = None
    tool_calls: str | None = Field(None, description="JSON text of the tool calls")
    loss_weight: float | None = Field(None, description="per-turn training weight; 0 = not trained")


class RecordModel(BaseModel):
    """One canonical record (DESIGN section 2)."""

    model_config = ConfigDict(extra="forbid", title="Record")
    id: str = Field(description="blake2b-64 of the canonical JSON of messages and tools")
    source: str
    row: int = Field(ge=0, description="0-based record number in its file")
    messages: list[MessageModel]
    tools: str | None = Field(None, description="JSON text of the tool schemas")
    meta: str = Field(description="JSON of every other input field")
    license: str | None = None


class LedgerRowModel(BaseModel):
    """One ledger row: what happened to one input row (DESIGN section 3)."""

    model_config = ConfigDict(extra="forbid", title="LedgerRow")
    id: str
    source: str
    row: int = Field(ge=0)
    decision: Literal["kept", "rejected"]
    stage: str | None = Field(description="the rejecting stage's name; null on kept rows")
    reason: str | None = Field(description="snake_case reason code; null on kept rows")
    detail: str | None
    duplicate_of: str | None = Field(description="the keeper's id")
    cluster_id: int | None
    tags: list[str]
    scores: dict[str, Any] = Field(description="every score the stages computed; fields vary")


def schemas() -> dict[str, dict[str, Any]]:
    from curate.config import PipelineConfig

    return {
        "pipeline.schema.json": PipelineConfig.model_json_schema(),
        "record.schema.json": RecordModel.model_json_schema(),
        "ledger.schema.json": LedgerRowModel.model_json_schema(),
    }


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    written = []
    for name, schema in schemas().items():
        path = folder / name
        with atomic_path(path) as tmp:
            tmp.write_text(render(schema), encoding="utf-8")
        written.append(path)
    return written
