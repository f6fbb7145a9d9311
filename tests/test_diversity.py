"""Diversity metrics: the Vendi shortcut equals the kernel definition; the numbers move the
way they should when a set is more or less varied."""

from __future__ import annotations

import json

import numpy as np

from curate.diversity import diversity_report, nn_cosine_distance, vendi_score


def unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def blobs(
    k: int, per: int, dim: int = 64, noise: float = 0.2, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centers = rng.normal(size=(k, dim))
    labels = np.repeat(np.arange(k), per)
    return unit(centers[labels] + noise * rng.normal(size=(k * per, dim))), labels


def test_vendi_equals_the_kernel_definition():
    x = unit(np.random.default_rng(1).normal(size=(300, 24)))
    k = (x.astype(np.float64) @ x.T.astype(np.float64)) / x.shape[0]
    eig = np.linalg.eigvalsh(k)
    eig = eig[eig > 1e-12]
    expected = float(np.exp(-(eig * np.log(eig)).sum()))
    assert abs(vendi_score(x) - expected) < 1e-6 * expected


def test_vendi_counts_distinct_items():
    same = unit(np.ones((50, 8)))
    assert abs(vendi_score(same) - 1.0) < 1e-6
    orthogonal = np.repeat(np.eye(5, dtype=np.float32), 20, axis=0)
    assert abs(vendi_score(orthogonal) - 5.0) < 1e-5


def test_nearest_neighbour_distance():
    x, _ = blobs(4, 50)
    doubled = np.concatenate([x, x])
    assert nn_cosine_distance(doubled) < 1e-6
    assert nn_cosine_distance(x) > 0
    # subsampled queries give about the same mean
    many, _ = blobs(10, 500, noise=0.5)
    assert (
        abs(nn_cosine_distance(many, sample=500) - nn_cosine_distance(many, sample=10_000)) < 0.02
    )


def test_report_prefers_the_spread_selection():
    x, labels = blobs(16, 60, noise=0.3)
    spread = x[np.concatenate([np.flatnonzero(labels == c)[:4] for c in range(16)])]
    narrow = x[np.flatnonzero(labels < 2)[:64]]
    a = diversity_report(x, spread, seed=0)
    b = diversity_report(x, narrow, seed=0)
    assert a["clusters"] == b["clusters"] >= 16
    assert a["input"]["cluster_coverage"] == 1.0
    assert a["selected"]["cluster_coverage"] > 0.8 > 0.3 > b["selected"]["cluster_coverage"]
    assert a["selected"]["cluster_entropy"] > b["selected"]["cluster_entropy"]
    assert a["selected"]["vendi"] > 4 * b["selected"]["vendi"]
    assert a["selected"]["rows"] == b["selected"]["rows"] == 64
    json.dumps(a, allow_nan=False)  # summary.json material
    assert diversity_report(x, seed=0).keys() == {"clusters", "input"}


def test_report_is_seeded():
    x, _ = blobs(8, 40)
    assert diversity_report(x, x[:30], seed=3) == diversity_report(x, x[:30], seed=3)


def test_empty_and_tiny_sets():
    x, _ = blobs(3, 5)
    report = diversity_report(x, x[:0], seed=0)
    assert report["selected"]["rows"] == 0
    assert diversity_report(x[:0], None)["input"]["rows"] == 0
    one = diversity_report(x, x[:1], seed=0)
    assert one["selected"]["nn_cosine_distance"] is None
