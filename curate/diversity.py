"""Diversity of a set of unit-length embeddings, for summary.json `diversity`.

Four numbers per set, computed for the rows that reached selection ("input") and for the
rows it kept ("selected"):

- `vendi`: the Vendi score (Friedman & Dieng, 2023) with the cosine kernel: exp of the
  entropy of the eigenvalues of K/n. The effective number of distinct items, from 1 (all
  the same) to n. For a linear kernel on unit vectors the non-zero eigenvalues of
  X Xᵀ/n equal those of Xᵀ X/n (d x d), so it is exact on every row, no sample needed.
- `nn_cosine_distance`: mean over rows of 1 - cosine to the nearest other row of the same
  set (on up to `NN_SAMPLE` query rows against all rows). Near-duplicates pull it to 0.
- `cluster_entropy`: Shannon entropy of the k-means cluster shares, divided by log(k)
  (1 = rows spread evenly over the k clusters found in the input).
- `cluster_coverage`: share of the input's non-empty clusters that the set touches.

k-means is fitted once, on the input (a seeded sample of at most `KMEANS_SAMPLE` rows),
with k = clip(round(sqrt(n_input)), 2, `MAX_CLUSTERS`), so input and selection are
measured against the same clusters.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

NN_SAMPLE = 2_000
KMEANS_SAMPLE = 20_000
MAX_CLUSTERS = 100
BLOCK = 4_096


def diversity_report(
    input_emb: np.ndarray, selected_emb: np.ndarray | None = None, seed: int = 0
) -> dict[str, Any]:
    """`{"clusters": k, "input": {...}, "selected": {...}}` (selected only when given)."""
    x = _unit(input_emb)
    if x.shape[0] == 0:
        return {"clusters": 0, "input": _empty()}
    k, centers = fit_clusters(x, seed)
    input_labels = assign(x, centers)
    report: dict[str, Any] = {
        "clusters": k,
        "input": _metrics(x, input_labels, input_labels, k, seed),
    }
    if selected_emb is not None:
        s = _unit(selected_emb)
        labels = assign(s, centers) if s.shape[0] else np.zeros(0, dtype=np.int64)
        report["selected"] = _metrics(s, labels, input_labels, k, seed) if s.shape[0] else _empty()
    return report


def vendi_score(x: np.ndarray) -> float:
    """Vendi score of unit-length rows under the cosine kernel, via the d x d Gram matrix."""
    n = x.shape[0]
    if n == 0:
        return 0.0
    x64 = x.astype(np.float64, copy=False)
    eig = np.linalg.eigvalsh(x64.T @ x64 / n)
    eig = eig[eig > 1e-12]
    eig = eig / eig.sum()  # rows exactly unit -> already sums to 1; guards rounding
    return float(np.exp(-(eig * np.log(eig)).sum()))


def nn_cosine_distance(x: np.ndarray, seed: int = 0, sample: int = NN_SAMPLE) -> float:
    """Mean 1 - max cosine to another row, over (a seeded sample of) the rows."""
    n = x.shape[0]
    if n < 2:
        return float("nan")
    rng = np.random.default_rng(seed)
    queries = np.sort(rng.choice(n, size=sample, replace=False)) if n > sample else np.arange(n)
    best = np.full(queries.size, -np.inf, dtype=np.float32)
    for start in range(0, n, BLOCK):
        sims = x[queries] @ x[start : start + BLOCK].T
        own = (queries >= start) & (queries < start + BLOCK)  # a row is not its own neighbour
        sims[np.flatnonzero(own), queries[own] - start] = -np.inf
        np.maximum(best, sims.max(axis=1), out=best)
    return float(np.mean(1.0 - np.clip(best, -1.0, 1.0)))


def fit_clusters(x: np.ndarray, seed: int = 0) -> tuple[int, np.ndarray]:
    """k-means on (a sample of) the input; returns k and the unit-length centres."""
    from sklearn.cluster import KMeans

    n = x.shape[0]
    k = int(min(MAX_CLUSTERS, max(2, round(math.sqrt(n)))))
    k = min(k, n)
    rng = np.random.default_rng(seed)
    fit_rows = (
        x[np.sort(rng.choice(n, size=KMEANS_SAMPLE, replace=False))] if n > KMEANS_SAMPLE else x
    )
    km = KMeans(n_clusters=k, n_init=1, random_state=seed, max_iter=100).fit(fit_rows)
    return k, _unit(km.cluster_centers_.astype(np.float32))


def assign(x: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """Nearest centre (cosine) of each row."""
    labels = np.empty(x.shape[0], dtype=np.int64)
    for start in range(0, x.shape[0], BLOCK):
        labels[start : start + BLOCK] = (x[start : start + BLOCK] @ centers.T).argmax(axis=1)
    return labels


def cluster_entropy(labels: np.ndarray, k: int) -> float:
    if labels.size == 0 or k < 2:
        return 0.0
    p = np.bincount(labels, minlength=k) / labels.size
    p = p[p > 0]
    return float(-(p * np.log(p)).sum() / math.log(k))


def cluster_coverage(labels: np.ndarray, input_labels: np.ndarray) -> float:
    occupied = np.unique(input_labels)
    return float(np.isin(occupied, labels).mean()) if occupied.size else 0.0


def _metrics(
    x: np.ndarray, labels: np.ndarray, input_labels: np.ndarray, k: int, seed: int
) -> dict[str, Any]:
    return {
        "rows": int(x.shape[0]),
        "vendi": round(vendi_score(x), 4),
        "nn_cosine_distance": _round(nn_cosine_distance(x, seed)),
        "cluster_entropy": round(cluster_entropy(labels, k), 4),
        "cluster_coverage": round(cluster_coverage(labels, input_labels), 4),
    }


def _empty() -> dict[str, Any]:
    return {
        "rows": 0,
        "vendi": 0.0,
        "nn_cosine_distance": None,
        "cluster_entropy": 0.0,
        "cluster_coverage": 0.0,
    }


def _round(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 4)


def _unit(x: np.ndarray) -> np.ndarray:
    x = np.ascontiguousarray(x, dtype=np.float32)
    if x.ndim != 2:
        raise ValueError(f"embeddings must be a 2-D array, got shape {x.shape}")
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.maximum(norms, 1e-12)
