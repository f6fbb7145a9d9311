"""MinHash signatures, LSH banding, exact verification and clusters, all vectorised.

Signatures follow datasketch's "legacy" permutation scheme exactly: permutation k maps a
32-bit shingle hash h to ((a_k * h + b_k) mod 2^64 mod (2^61 - 1)) & (2^32 - 1), with
(a_k, b_k) drawn as datasketch draws them from `np.random.RandomState(seed)`. So a row's
signature, as `num_perm` uint64 values, is the `hashvalues` of a datasketch MinHash of the
same shingle hashes: `datasketch.LeanMinHash(seed=seed, hashvalues=sig, scheme="legacy")`
(see `to_lean`) estimates the same Jaccard and goes into `datasketch.MinHashLSH` as is.
The reduction mod 2^61 - 1 uses the Mersenne identity (no division), and one numba pass
per row keeps the running minimum in registers: no (shingles x num_perm) matrix is built.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numba as nb
import numpy as np

from curate.dedup.shingles import Shingles, ShingleSpec, shingle

MERSENNE = np.uint64((1 << 61) - 1)
MAX_HASH = np.uint64((1 << 32) - 1)
SCHEME = "legacy"
# A bucket with more rows than this contributes a star (first row to every other) and a
# chain (each row to the next) instead of all its pairs: a big bucket is almost always
# one mass of duplicates, and all pairs of 10,000 rows would be 50 million checks.
MAX_BUCKET = 256

_S61 = np.uint64(61)
_S32 = np.uint64(32)
_S33 = np.uint64(33)
_M1 = np.uint64(0xFF51AFD7ED558CCD)
_M2 = np.uint64(0xC4CEB9FE1A85EC53)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class MinHasher:
    num_perm: int = 128
    seed: int = 1

    @cached_property
    def permutations(self) -> tuple[np.ndarray, np.ndarray]:
        """(a, b) exactly as `datasketch.MinHash(scheme="legacy")._init_permutations` draws them."""
        gen = np.random.RandomState(self.seed)
        pairs = np.array(
            [
                (
                    gen.randint(1, MERSENNE, dtype=np.uint64),
                    gen.randint(0, MERSENNE, dtype=np.uint64),
                )
                for _ in range(self.num_perm)
            ],
            dtype=np.uint64,
        )
        return np.ascontiguousarray(pairs[:, 0]), np.ascontiguousarray(pairs[:, 1])

    def signatures(self, shingles: Shingles) -> np.ndarray:
        """(rows, num_perm) uint64; a row without shingles gets datasketch's empty value."""
        a, b = self.permutations
        out = np.empty((len(shingles), self.num_perm), np.uint64)
        _signatures(shingles.hashes, shingles.offsets, a, b, out)
        return out

    @property
    def tag(self) -> str:
        return f"minhash-{SCHEME}-p{self.num_perm}-s{self.seed}"


def to_lean(signature: np.ndarray, seed: int):
    """A `datasketch.LeanMinHash` of one signature (for `MinHashLSH` and interop)."""
    from datasketch import LeanMinHash

    try:
        return LeanMinHash(seed=seed, hashvalues=signature, scheme=SCHEME)
    except TypeError:  # datasketch < 2.0 has one scheme and no `scheme` argument
        return LeanMinHash(seed=seed, hashvalues=signature)


@nb.njit(cache=True, parallel=True)
def _signatures(hashes, offsets, a, b, out):  # pragma: no cover
    """MinHash input: the top 32 bits of each 64-bit shingle hash."""
    num_perm = len(a)
    for r in nb.prange(len(offsets) - 1):
        sig = np.full(num_perm, MAX_HASH, np.uint64)
        for i in range(offsets[r], offsets[r + 1]):
            h = hashes[i] >> _S32
            for k in range(num_perm):
                x = a[k] * h + b[k]
                x = (x & MERSENNE) + (x >> _S61)
                x = x - MERSENNE if x >= MERSENNE else x
                x &= MAX_HASH
                sig[k] = min(sig[k], x)
        out[r] = sig


# --- banding ----------------------------------------------------------------------------


def candidate_probability(similarity, bands: int, rows: int):
    """The LSH S-curve: chance that a pair of Jaccard `similarity` shares a band."""
    return 1.0 - (1.0 - np.asarray(similarity, dtype=np.float64) ** rows) ** bands


def lsh_params(threshold: float, num_perm: int, min_recall: float = 0.95) -> tuple[int, int]:
    """(bands, rows) with recall >= `min_recall` at `threshold`, then fewest false candidates.

    datasketch's `MinHashLSH` weighs false positives and negatives equally, which at
    threshold 0.8 and 128 permutations picks 9 bands x 13 rows and finds only ~40% of the
    pairs at J = 0.8. Here recall is a constraint; among the bandings that meet it, the
    one with the least S-curve area below the threshold (fewest pairs to verify) wins.
    """
    below = np.linspace(0.0, threshold, 257)
    best: tuple[float, int, int] | None = None
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        if candidate_probability(threshold, bands, rows) < min_recall:
            continue
        area = float(np.trapezoid(candidate_probability(below, bands, rows), below))
        if best is None or area < best[0]:
            best = (area, bands, rows)
    assert best is not None  # rows = 1 always qualifies
    return best[1], best[2]


def candidate_pairs(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """(pairs, 2) int64 row pairs i < j that share at least one band, sorted, unique."""
    n = len(signatures)
    if n < 2:
        return np.zeros((0, 2), np.int64)
    return bucket_pairs(band_keys(signatures, bands, rows))


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """(bands, n) uint64: each row's bucket key in each band (a hash of its band values)."""
    keys = np.empty((bands, len(signatures)), np.uint64)
    _band_keys(np.ascontiguousarray(signatures), rows, keys)
    return keys


def bucket_pairs(keys: np.ndarray) -> np.ndarray:
    """(pairs, 2) int64 row pairs i < j with equal keys in some band, sorted, unique.

    Rows are positions in `keys[band]`; within a bucket they pair in position order, and
    a bucket of more than MAX_BUCKET rows gives a star and a chain (see MAX_BUCKET).
    """
    n = keys.shape[1]
    if n < 2:
        return np.zeros((0, 2), np.int64)
    bands = keys.shape[0]
    order = np.argsort(keys, axis=1, kind="stable")
    counts = np.zeros(bands, np.int64)
    _bucket_pairs(keys, order, counts, np.zeros((0, 2), np.int64), count_only=True)
    starts = np.zeros(bands + 1, np.int64)
    np.cumsum(counts, out=starts[1:])
    pairs = np.empty((starts[-1], 2), np.int64)
    _bucket_pairs(keys, order, starts, pairs, count_only=False)
    if not len(pairs):
        return pairs
    flat = np.unique(pairs[:, 0] * n + pairs[:, 1])
    return np.stack([flat // n, flat % n], axis=1)


@nb.njit(cache=True, parallel=True)
def _band_keys(signatures, rows, keys):  # pragma: no cover
    for band in nb.prange(keys.shape[0]):
        for r in range(signatures.shape[0]):
            h = np.uint64(band)
            for k in range(band * rows, (band + 1) * rows):
                h = (h ^ signatures[r, k]) * _GOLDEN
                h ^= h >> _S33
            h *= _M1
            h ^= h >> _S33
            keys[band, r] = h * _M2


@nb.njit(cache=True, parallel=True)
def _bucket_pairs(keys, order, starts, out, count_only):  # pragma: no cover
    """Pairs within each bucket of each band; first pass counts, second fills `out`."""
    n = keys.shape[1]
    for band in nb.prange(keys.shape[0]):
        written = 0
        at = 0 if count_only else starts[band]
        lo = 0
        while lo < n:
            hi = lo + 1
            key = keys[band, order[band, lo]]
            while hi < n and keys[band, order[band, hi]] == key:
                hi += 1
            size = hi - lo
            if size > MAX_BUCKET:
                for m in range(lo + 1, hi):
                    for t in range(2):
                        first = lo if t == 0 else m - 1
                        if t == 1 and first == lo:
                            continue
                        if not count_only:
                            i, j = order[band, first], order[band, m]
                            out[at + written, 0] = min(i, j)
                            out[at + written, 1] = max(i, j)
                        written += 1
            elif size > 1:
                for x in range(lo, hi):
                    for y in range(x + 1, hi):
                        if not count_only:
                            i, j = order[band, x], order[band, y]
                            out[at + written, 0] = min(i, j)
                            out[at + written, 1] = max(i, j)
                        written += 1
            lo = hi
        if count_only:
            starts[band] = written


# --- verification -----------------------------------------------------------------------


def shingle_sets(shingles: Shingles) -> tuple[np.ndarray, np.ndarray]:
    """Each row's distinct shingle hashes, sorted: (flat uint64, offsets int64)."""
    flat = shingles.hashes.copy()
    sizes = np.empty(len(shingles), np.int64)
    _sort_unique(flat, shingles.offsets, sizes)
    offsets = np.zeros(len(sizes) + 1, np.int64)
    np.cumsum(sizes, out=offsets[1:])
    keep = np.arange(len(flat)) - np.repeat(shingles.offsets[:-1], np.diff(shingles.offsets))
    keep = keep < np.repeat(sizes, np.diff(shingles.offsets))
    return flat[keep], offsets


@nb.njit(cache=True, parallel=True)
def _sort_unique(flat, offsets, sizes):  # pragma: no cover
    for r in nb.prange(len(sizes)):
        lo, hi = offsets[r], offsets[r + 1]
        if hi == lo:
            sizes[r] = 0
            continue
        part = np.sort(flat[lo:hi])
        m = 1
        for i in range(1, hi - lo):
            if part[i] != part[m - 1]:
                part[m] = part[i]
                m += 1
        flat[lo : lo + m] = part[:m]
        sizes[r] = m


def jaccard(sets: tuple[np.ndarray, np.ndarray], pairs: np.ndarray) -> np.ndarray:
    """Exact Jaccard of the shingle sets of each pair (0 when both are empty)."""
    flat, offsets = sets
    out = np.empty(len(pairs), np.float64)
    _jaccard(flat, offsets, np.ascontiguousarray(pairs), out)
    return out


@nb.njit(cache=True, parallel=True)
def _jaccard(flat, offsets, pairs, out):  # pragma: no cover
    for p in nb.prange(len(pairs)):
        i, j = pairs[p, 0], pairs[p, 1]
        x, xe, y, ye = offsets[i], offsets[i + 1], offsets[j], offsets[j + 1]
        union = (xe - x) + (ye - y)
        common = 0
        while x < xe and y < ye:
            if flat[x] == flat[y]:
                common += 1
                x += 1
                y += 1
            elif flat[x] < flat[y]:
                x += 1
            else:
                y += 1
        union -= common
        out[p] = common / union if union else 0.0


def clusters(n: int, pairs: np.ndarray) -> np.ndarray:
    """Connected components (union-find) of the verified pairs: one int64 label per row,
    -1 for rows in no pair. Labels are the smallest row of each component."""
    labels = np.full(n, -1, np.int64)
    if not len(pairs):
        return labels
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    graph = coo_matrix((np.ones(len(pairs), np.int8), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    _, component = connected_components(graph, directed=False)
    first = np.full(component.max() + 1, n, np.int64)
    np.minimum.at(first, component, np.arange(n))
    members = np.zeros(n, bool)
    members[pairs.ravel()] = True
    labels[members] = first[component[members]]
    return labels


def similar_pairs(
    signatures: np.ndarray,
    texts,
    threshold: float,
    bands: int,
    rows: int,
    spec: ShingleSpec,
    cross: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Row pairs (i < j) whose shingle sets have exact Jaccard >= `threshold`, and that J.

    LSH proposes candidates from the signatures; only the rows in a candidate pair are
    shingled again (`texts`: a polars String Series, the texts the signatures were made
    from), so a re-run served from the signature cache shingles a small fraction. With
    `cross`, only pairs with i < cross <= j count (queries against references).
    """
    active = np.flatnonzero((signatures != MAX_HASH).any(axis=1))
    pairs = active[candidate_pairs(signatures[active], bands, rows)]
    if cross is not None:
        pairs = pairs[(pairs[:, 0] < cross) & (pairs[:, 1] >= cross)]
    if not len(pairs):
        return pairs.reshape(0, 2), np.zeros(0)
    involved = np.unique(pairs)
    sets = shingle_sets(shingle(texts.gather(involved), spec))
    similarity = jaccard(sets, np.searchsorted(involved, pairs))
    keep = similarity >= threshold
    return pairs[keep], similarity[keep]


def cached_signatures(texts, hasher: MinHasher, spec: ShingleSpec, cache) -> np.ndarray:
    """(rows, num_perm) signatures of `texts` (polars String Series), cached by content hash.

    The namespace names everything a signature depends on besides the text, so stages
    that shingle the same way (near_dedup, decontaminate) share their entries.
    """
    import polars as pl

    from curate.dedup.shingles import text_hash

    def compute(positions: pl.Series) -> pl.Series:
        return pl.Series(hasher.signatures(shingle(texts.gather(positions), spec)))

    if not len(texts):
        return np.zeros((0, hasher.num_perm), np.uint64)
    keys = pl.Series("key", text_hash(texts))
    values = cache.column(f"minhash-{hasher.tag}-{spec.tag}", keys, compute)
    matrix = values.to_numpy().reshape(-1, hasher.num_perm)
    return np.ascontiguousarray(matrix.astype(np.uint64, copy=False))


def two_decimals(x):
    """A polars float expression as text with two decimals: 0.8712 -> "0.87" (for details)."""
    import polars as pl

    cents = (x * 100).round().cast(pl.Int64)
    return pl.format("{}.{}", cents // 100, (cents % 100).cast(pl.String).str.zfill(2))
