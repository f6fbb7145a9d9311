"""Instruction-Following Difficulty (Li et al. 2024, "From Quantity to Quality", Cherry LLM).

IFD = mean loss of the response tokens given the prompt / mean loss of the same tokens
without it, from a small causal LM. Near 0: the prompt all but dictates the response; near
1: the prompt barely helps; over 1: the response does not follow from the prompt at all.
Cherry keeps the high-IFD rows below 1, so `select` can rank by it (`score = "ifd"`) and
`min`/`max` here can reject; by default the stage only annotates.

The response is the last assistant turn; the prompt is everything before it, rendered with
the model's chat template. Tokens and labels come from the trainer (`curate.train.data`),
the summed loss from `curate.train.loss`; "without the prompt" is the same response token
ids after only the model's start token (BOS, else EOS), as Cherry scores the bare answer.
Rows the trainer cannot score (response past `max_length`, template errors) get null.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

import numpy as np
import polars as pl
from pydantic import Field, model_validator

from curate.stages.base import DETAIL, REASON, Context, Stage, StageConfig, keep_all

if TYPE_CHECKING:
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

    from curate.train.data import Prepared

COLUMN = "ifd"
REASON_CODE = "ifd_out_of_range"
VERSION = 1  # bump when the definition changes: it names the cache namespace


class IfdConfig(StageConfig):
    kind: Literal["ifd"] = "ifd"
    # "smollm2-135m" (the bundled GGUF), a local Hugging Face model dir, or a .gguf file
    model: str = "smollm2-135m"
    max_length: int = Field(512, ge=8)  # tokens of prompt + response; longer rows get null
    batch_size: int = Field(8, ge=1)
    # optional bounds: rows with an IFD outside [min, max] are rejected (null IFD is kept)
    min: float | None = Field(None, ge=0)
    max: float | None = Field(None, gt=0)

    @model_validator(mode="after")
    def _bounds(self) -> IfdConfig:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"ifd min {self.min} is above max {self.max}")
        return self


class Ifd(Stage):
    kind = "ifd"
    Config = IfdConfig
    config: IfdConfig
    score_columns: ClassVar[dict[str, str]] = {COLUMN: COLUMN}

    def annotate(self, frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        cfg = self.config
        namespace = f"ifd-v{VERSION}/{cfg.model}/max_length={cfg.max_length}"

        def compute(positions: pl.Series) -> pl.Series:
            return ifd_scores(frame[positions], cfg.model, cfg.max_length, cfg.batch_size, ctx)

        # the id is the content id of messages + tools: the same conversation, the same value
        values = ctx.cache.column(namespace, frame["id"], compute)
        scores = values.fill_nan(None).alias(COLUMN)
        if (missing := scores.null_count()) and frame.height:
            ctx.warn(
                f"ifd: {missing} of {frame.height} rows not scored (response past max_length "
                f"{cfg.max_length}, no assistant output, or a chat-template error)"
            )
        return frame.with_columns(scores)

    def decide(self, frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        cfg = self.config
        if cfg.min is None and cfg.max is None:
            return keep_all(frame)
        ifd = pl.col(COLUMN)
        low = ifd < cfg.min if cfg.min is not None else pl.lit(False)
        high = ifd > cfg.max if cfg.max is not None else pl.lit(False)
        value = ifd.round(3).cast(pl.String)
        return frame.with_columns(
            pl.when(low.fill_null(False) | high.fill_null(False))
            .then(pl.lit(REASON_CODE))
            .alias(REASON),
            pl.when(low.fill_null(False))
            .then(pl.concat_str(pl.lit("ifd "), value, pl.lit(f" < min {cfg.min}")))
            .when(high.fill_null(False))
            .then(pl.concat_str(pl.lit("ifd "), value, pl.lit(f" > max {cfg.max}")))
            .alias(DETAIL),
        )


def ifd_scores(
    frame: pl.DataFrame, model: str, max_length: int, batch_size: int, ctx: Context | None = None
) -> pl.Series:
    """IFD of each row's last response (NaN where it cannot be scored), in frame order."""
    import torch

    from curate.train.data import tokenize_conversations
    from curate.train.model import load_model, load_tokenizer

    ctx = ctx or Context()
    out = np.full(frame.height, np.nan)
    if frame.height == 0:
        return pl.Series(COLUMN, out)
    tokenizer = load_tokenizer(model)
    prepared = tokenize_conversations(frame, tokenizer, max_length=max_length, train_on="last")
    if not len(prepared):
        return pl.Series(COLUMN, out)
    bare = response_only(prepared, tokenizer)
    lm = load_model(model)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    lm.to(device).eval()
    given = mean_losses(lm, prepared, tokenizer, batch_size, device, ctx, "ifd: with prompt")
    alone = mean_losses(lm, bare, tokenizer, batch_size, device, ctx, "ifd: response alone")
    out[np.asarray(prepared.index)] = given / alone
    return pl.Series(COLUMN, out)


def response_only(prepared: Prepared, tokenizer: PreTrainedTokenizerBase) -> Prepared:
    """The same rows with the prompt removed: start token + the labelled response tokens."""
    from curate.train.data import IGNORE, Prepared

    start = tokenizer.bos_token_id if tokenizer.bos_token_id is not None else tokenizer.eos_token_id
    if start is None:
        raise ValueError("ifd needs a model whose tokenizer has a BOS or EOS token")
    ids, labels = [], []
    for row_ids, row_labels in zip(prepared.input_ids, prepared.labels, strict=True):
        response = row_ids[1:][
            row_labels[1:] != IGNORE
        ]  # exactly the targets scored with the prompt
        ids.append(np.concatenate([[start], response]).astype(np.int64))
        labels.append(np.concatenate([[IGNORE], response]).astype(np.int64))
    return Prepared(prepared.ids, prepared.index, ids, labels)


def mean_losses(
    model: PreTrainedModel,
    prepared: Prepared,
    tokenizer: PreTrainedTokenizerBase,
    batch_size: int,
    device: str,
    ctx: Context,
    description: str,
) -> np.ndarray:
    """Mean CE over each row's trained tokens, rows batched by length (little padding)."""
    import torch

    from curate.train.data import IGNORE, collate
    from curate.train.loss import loss_sum

    order = np.argsort(prepared.lengths, kind="stable")
    batches = [order[s : s + batch_size] for s in range(0, len(order), batch_size)]
    means = np.empty(len(prepared))
    with torch.inference_mode():
        for rows in ctx.track(batches, len(batches), description):
            batch = collate(
                prepared, [[int(r)] for r in rows], tokenizer.pad_token_id, packed=False
            )
            batch = {k: v.to(device) for k, v in batch.items()}
            sums = loss_sum(model, batch, per_row=True).double().cpu().numpy()
            counts = (batch["targets"] != IGNORE).sum(dim=1).cpu().numpy()
            means[rows] = sums / counts
    return means
