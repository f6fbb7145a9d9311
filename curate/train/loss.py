"""The masked loss: summed cross-entropy over trained tokens only.

Only the positions with a target go through the LM head, a chunk at a time, with the
gradients computed in the forward pass (as Liger's fused linear cross-entropy does), so
the (tokens, vocab) logits of a batch never exist whole and prompt tokens cost no head
FLOPs. Models that post-process logits (soft-capping, scaling) take the plain path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F

from curate.train.data import IGNORE

if TYPE_CHECKING:
    from transformers import PreTrainedModel

LOGIT_ELEMENTS = 1 << 24  # logits per chunk (64 MiB in fp32)
_SCALED_HEAD = ("final_logit_softcapping", "logit_scale", "logits_scaling", "output_multiplier")


class LinearCrossEntropy(torch.autograd.Function):
    """sum_i CE(hidden_i @ weight.T, target_i), chunked; grads are kept from the forward."""

    @staticmethod
    def forward(ctx, hidden: torch.Tensor, weight: torch.Tensor, targets: torch.Tensor, chunk: int):
        need_h, need_w = ctx.needs_input_grad[0], ctx.needs_input_grad[1]
        acc = torch.promote_types(hidden.dtype, torch.float32)  # fp32 at least, for bf16 inputs
        grad_h = torch.empty_like(hidden) if need_h else None
        grad_w = torch.zeros(weight.shape, dtype=acc, device=weight.device) if need_w else None
        total = torch.zeros((), dtype=acc, device=hidden.device)
        for s in range(0, hidden.shape[0], chunk):
            h, y = hidden[s : s + chunk], targets[s : s + chunk]
            logits = (h @ weight.T).to(acc)
            logp = torch.log_softmax(logits, dim=-1)
            total -= logp.gather(1, y[:, None]).sum()
            if need_h or need_w:
                g = logp.exp_()  # softmax, in place
                g[torch.arange(len(y), device=g.device), y] -= 1
                g = g.to(h.dtype)
                if need_h:
                    grad_h[s : s + chunk] = g @ weight.to(g.dtype)
                if need_w:
                    grad_w += (g.T @ h).to(acc)
        ctx.save_for_backward(grad_h, grad_w)
        ctx.weight_dtype = weight.dtype
        return total

    @staticmethod
    def backward(ctx, grad_total: torch.Tensor):
        grad_h, grad_w = ctx.saved_tensors
        dh = grad_h * grad_total.to(grad_h.dtype) if grad_h is not None else None
        dw = (grad_w * grad_total).to(ctx.weight_dtype) if grad_w is not None else None
        return dh, dw, None, None


def loss_sum(
    model: PreTrainedModel, batch: dict[str, torch.Tensor], *, per_row: bool = False
) -> torch.Tensor:
    """Summed CE over the batch's trained tokens (`targets` != IGNORE, already shifted);
    with `per_row`, one sum per batch row (scoring, e.g. the ifd stage; unpacked rows)."""
    inputs = {k: batch[k] for k in ("input_ids", "attention_mask", "position_ids") if k in batch}
    targets = batch["targets"]
    mask = targets != IGNORE
    head = model.get_output_embeddings()
    config = model.config.get_text_config()
    if head is None or head.bias is not None or any(getattr(config, a, None) for a in _SCALED_HEAD):
        logits = model(**inputs, use_cache=False).logits
        if per_row:
            ce = F.cross_entropy(logits[mask].float(), targets[mask], reduction="none")
            rows = mask.nonzero()[:, 0]
            return torch.zeros(len(targets), dtype=ce.dtype, device=ce.device).index_add_(
                0, rows, ce
            )
        return F.cross_entropy(logits[mask].float(), targets[mask], reduction="sum")
    hidden = model.base_model(**inputs, use_cache=False).last_hidden_state
    chunk = max(1, LOGIT_ELEMENTS // head.weight.shape[0])
    if per_row:
        return torch.stack(
            [
                LinearCrossEntropy.apply(
                    hidden[r][mask[r]], head.weight, targets[r][mask[r]], chunk
                )
                for r in range(len(targets))
            ]
        )
    return LinearCrossEntropy.apply(hidden[mask], head.weight, targets[mask], chunk)
