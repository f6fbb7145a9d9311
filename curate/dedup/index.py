"""A persistent near-duplicate index across runs: datasketch `MinHashLSH` on Redis.

The LSH buckets are datasketch's own Redis storage, so any datasketch client with the same
basename, banding and permutations can query the index. Next to them, two Redis hashes
keep what LSH does not: each indexed row's distinct shingle hashes (so a match against an
earlier batch is verified by exact Jaccard, like a match inside the batch) and its
`source:row` name for the ledger. The basename carries the signature and shingle
parameters, so an index built with other parameters is never mixed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from curate.dedup.minhash import to_lean
from curate.errors import ConfigError, InputError


@dataclass
class Match:
    row: int  # position in the queried batch
    key: str  # the indexed row's id
    name: str  # its source:row
    similarity: float


class RedisIndex:
    def __init__(
        self,
        *,
        host: str,
        port: int,
        db: int,
        basename: str,
        num_perm: int,
        seed: int,
        bands: int,
        rows: int,
    ) -> None:
        try:
            import redis
        except ImportError:
            raise ConfigError(
                "near_dedup: `index` needs the redis client: pip install redis"
            ) from None
        from datasketch import MinHashLSH

        self.seed = seed
        self.base = basename
        config = {
            "type": "redis",
            "basename": basename.encode(),
            "redis": {"host": host, "port": port, "db": db},
        }
        self.client = redis.Redis(host=host, port=port, db=db)
        try:
            self.client.ping()
        except redis.ConnectionError as exc:
            raise InputError(
                f"near_dedup: cannot reach the Redis index at {host}:{port}: {exc}"
            ) from None
        self.lsh = MinHashLSH(num_perm=num_perm, params=(bands, rows), storage_config=config)

    def known(self, keys: Sequence[str]) -> np.ndarray:
        """Which keys are indexed already (a re-run of an accepted batch is not a duplicate)."""
        if not keys:
            return np.zeros(0, bool)
        found = self.client.hmget(f"{self.base}:names", list(keys))
        return np.array([f is not None for f in found], bool)

    def matches(
        self,
        keys: Sequence[str],
        signatures: np.ndarray,
        sets: tuple[np.ndarray, np.ndarray],
        threshold: float,
    ) -> list[Match]:
        """The best indexed match with exact Jaccard >= threshold, for each row that has one."""
        from curate.dedup.minhash import jaccard

        proposed = [
            [c for c in self.lsh.query(to_lean(sig, self.seed)) if c != key]
            for key, sig in zip(keys, signatures, strict=True)
        ]
        wanted = sorted({c for cs in proposed for c in cs})
        if not wanted:
            return []
        stored = self.client.hmget(f"{self.base}:sets", wanted)
        names = self.client.hmget(f"{self.base}:names", wanted)
        # one flat set table: the batch rows first, then the indexed rows
        flat, offsets = sets
        extra = [np.frombuffer(s or b"", np.uint64) for s in stored]
        sizes = np.array([len(e) for e in extra], np.int64)
        all_flat = np.concatenate([flat, *extra]) if extra else flat
        all_offsets = np.concatenate([offsets, offsets[-1] + np.cumsum(sizes)])
        where = {c: len(keys) + i for i, c in enumerate(wanted)}
        pairs = np.array([(r, where[c]) for r, cs in enumerate(proposed) for c in cs], np.int64)
        similarity = jaccard((all_flat, all_offsets), pairs)
        best: dict[int, Match] = {}
        for (r, c), j in zip(pairs, similarity, strict=True):
            if j >= threshold and (r not in best or j > best[r].similarity):
                i = int(c) - len(keys)
                best[int(r)] = Match(int(r), wanted[i], (names[i] or b"?").decode(), float(j))
        return sorted(best.values(), key=lambda m: m.row)

    def add(
        self,
        keys: Sequence[str],
        signatures: np.ndarray,
        sets: tuple[np.ndarray, np.ndarray],
        names: Sequence[str],
    ) -> None:
        flat, offsets = sets
        with self.lsh.insertion_session() as session:
            for key, sig in zip(keys, signatures, strict=True):
                session.insert(key, to_lean(sig, self.seed), check_duplication=False)
        with self.client.pipeline() as pipe:
            for i, (key, name) in enumerate(zip(keys, names, strict=True)):
                pipe.hset(f"{self.base}:sets", key, flat[offsets[i] : offsets[i + 1]].tobytes())
                pipe.hset(f"{self.base}:names", key, name)
            pipe.execute()
