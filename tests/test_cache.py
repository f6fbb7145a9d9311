"""The content-hash cache: computes each key once, across runs."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from curate.cache import Cache


def test_cache_computes_missing_keys_once_and_keeps_order(tmp_path: Path) -> None:
    calls: list[list[int]] = []
    texts = pl.Series(["a", "bb", "a", "ccc"])

    def lengths(positions: pl.Series) -> pl.Series:
        calls.append(positions.to_list())
        return texts.gather(positions).str.len_chars()

    cache = Cache(tmp_path)
    assert cache.column("len", texts, lengths).to_list() == [1, 2, 1, 3]
    assert calls == [[0, 1, 3]]  # the repeated key is computed once
    more = pl.Series(["ccc", "dddd", "bb"])
    texts = more
    assert Cache(tmp_path).column("len", more, lengths).to_list() == [3, 4, 2]
    assert calls[-1] == [1]  # only the new key, from a fresh Cache on the same folder
    assert Cache(tmp_path).column("other", more, lengths).to_list() == [3, 4, 2]  # namespaces apart


def test_empty_keys_and_disabled_cache(tmp_path: Path) -> None:
    empty = pl.Series([], dtype=pl.String)
    out = Cache(tmp_path).column("len", empty, lambda p: pl.Series([], dtype=pl.UInt32))
    assert out.len() == 0
    disabled = Cache.disabled()
    keys = pl.Series(["x", "y"])
    assert disabled.column("len", keys, lambda p: keys.gather(p).str.len_chars()).to_list() == [
        1,
        1,
    ]
    assert not any(tmp_path.iterdir())
