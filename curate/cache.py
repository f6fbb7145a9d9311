"""Content-addressed cache for expensive per-row work (signatures, embeddings, model scores).

Values live in parquet shards under `ROOT/NAMESPACE/`, keyed by a content hash the stage
chooses (e.g. the hash of the text it embeds). A namespace names everything else the value
depends on (model, parameters), so a re-run with one threshold changed recomputes nothing.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable
from pathlib import Path

import polars as pl

KEY = "key"
VALUE = "value"


class Cache:
    def __init__(self, root: str | Path | None) -> None:
        self.root = Path(root) if root is not None else None

    @classmethod
    def disabled(cls) -> Cache:
        return cls(None)

    def column(
        self,
        namespace: str,
        keys: pl.Series,
        compute: Callable[[pl.Series], pl.Series],
    ) -> pl.Series:
        """Values for `keys`, in order; `compute(positions)` fills the ones not cached yet.

        `positions` are the row numbers (UInt32) of the missing keys, first occurrence of
        each distinct key; `compute` returns one value per position, in that order.
        """
        keys = keys.rename(KEY)
        if keys.len() == 0:
            return compute(pl.Series("_pos", [], dtype=pl.UInt32)).rename(VALUE)
        stored = self._load(namespace)
        frame = keys.to_frame().with_row_index("_pos")
        if stored is not None:
            frame = frame.join(stored, on=KEY, how="left", maintain_order="left")
            missing = frame.filter(pl.col(VALUE).is_null())
        else:
            missing = frame
        missing = missing.unique(KEY, keep="first", maintain_order=True)
        if missing.height:
            values = compute(missing["_pos"]).rename(VALUE)
            fresh = pl.DataFrame({KEY: missing[KEY], VALUE: values})
            self._store(namespace, fresh)
            stored = fresh if stored is None else pl.concat([stored, fresh], how="vertical_relaxed")
            frame = keys.to_frame().join(stored, on=KEY, how="left", maintain_order="left")
        return frame[VALUE]

    def _dir(self, namespace: str) -> Path | None:
        if self.root is None:
            return None
        return self.root / re.sub(r"[^A-Za-z0-9_.=-]+", "_", namespace)

    def _load(self, namespace: str) -> pl.DataFrame | None:
        folder = self._dir(namespace)
        if folder is None or not folder.is_dir():
            return None
        shards = sorted(folder.glob("*.parquet"))
        if not shards:
            return None
        return pl.concat([pl.read_parquet(s) for s in shards], how="vertical_relaxed").unique(
            KEY, keep="first", maintain_order=True
        )

    def _store(self, namespace: str, fresh: pl.DataFrame) -> None:
        folder = self._dir(namespace)
        if folder is None:
            return
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{uuid.uuid4().hex}.parquet"
        tmp = folder / f".{name}.tmp"
        fresh.write_parquet(tmp)
        os.replace(tmp, folder / name)
