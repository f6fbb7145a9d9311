"""MinHash machinery: tokens, shingle hashes, datasketch compatibility, banding, pairs."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from datasketch import MinHash, MinHashLSH

from curate.dedup import minhash as mh
from curate.dedup.shingles import (
    ShingleSpec,
    shingle,
    shingle_hash,
    strip_template_lines,
    tokens_of,
)
from tests.dedup_support import python_shingles, real_prompts

MIXED = [
    "Hello, World! foo_bar 42",
    "",
    "   \n\t ",
    "!!! ?? ...",
    "😀 👍",
    "Straße ÄBC Ｆｕｌｌｗｉｄｔｈ ﬁne",
    "東京は日本の首都です。人口は多い。",
    "two words",
    "Ελληνικά ΣΟΦΟΣ and English mixed — “quoted” text",
]


@pytest.fixture(scope="module")
def prompts() -> list[str]:
    return real_prompts(1500) + MIXED


def test_tokens_and_hashes_follow_the_documented_definition(prompts):
    """Tokens are WORD runs of `normalized` text; each shingle's hash is the documented
    fold of token FNV-1a hashes, whatever path (ASCII fast path or Unicode) a row took."""
    sh = shingle(pl.Series(prompts))
    expected = python_shingles(prompts)
    for i, text in enumerate(prompts):
        tokens = tokens_of(sh.token_text[i])
        width = int(sh.widths[i])
        grams = [tokens[j : j + width] for j in range(len(tokens) - width + 1)] if tokens else []
        got = sh.hashes[sh.offsets[i] : sh.offsets[i + 1]].tolist()
        assert got == [shingle_hash(g) for g in grams], text
        texts = [" ".join(g) for g in grams]
        if expected[i] and sh.widths[i] <= 3:  # rows with words (CJK rows use 5-grams)
            assert set(texts) == expected[i], text


def test_edge_rows_shingle_as_documented():
    sh = shingle(pl.Series(MIXED))
    sizes = sh.sizes().tolist()
    assert sizes[1] == 0 and sizes[2] == 0  # blank rows have no shingle
    assert tokens_of(sh.token_text[3]) == ["!!!", "??", "..."]  # no word character
    assert sizes[3] == 1 and sizes[4] == 1
    assert sh.widths[6] == 5  # CJK: character 5-grams
    assert tokens_of(sh.token_text[6])[:4] == ["東", "京", "は", "日"]
    assert sizes[6] == len(tokens_of(sh.token_text[6])) - 4
    assert sizes[7] == 1 and sh.widths[7] == 2  # under 3 words: one shingle
    assert "strasse" in tokens_of(sh.token_text[5]) and "fullwidth" in tokens_of(sh.token_text[5])


def test_signatures_are_datasketch_hashvalues(prompts):
    """Ours == datasketch's legacy-scheme MinHash over the same 32-bit shingle hashes, so
    LeanMinHash rebuilt from ours estimates exactly datasketch's Jaccard."""
    hasher = mh.MinHasher(num_perm=128, seed=7)
    texts = pl.Series(prompts[:60])
    sh = shingle(texts)
    ours = hasher.signatures(sh)
    theirs = []
    for i in range(len(texts)):
        m = MinHash(num_perm=128, seed=7, hashfunc=int, scheme="legacy")
        m.update_batch((sh.hashes[sh.offsets[i] : sh.offsets[i + 1]] >> np.uint64(32)).tolist())
        theirs.append(m)
        assert np.array_equal(m.hashvalues, ours[i]), i
    for i, j in [(0, 1), (2, 30), (5, 59)]:
        lean_i, lean_j = mh.to_lean(ours[i], 7), mh.to_lean(ours[j], 7)
        assert lean_i.jaccard(lean_j) == theirs[i].jaccard(theirs[j])


def test_signature_estimates_track_exact_jaccard(prompts):
    texts = [prompts[0], prompts[0] + " and then some more words here", prompts[1]]
    sh = shingle(pl.Series(texts))
    sig = mh.MinHasher(256, 1).signatures(sh)
    sets = mh.shingle_sets(sh)
    exact = mh.jaccard(sets, np.array([[0, 1], [0, 2]]))
    estimate = [(sig[0] == sig[1]).mean(), (sig[0] == sig[2]).mean()]
    assert abs(estimate[0] - exact[0]) < 0.1 and abs(estimate[1] - exact[1]) < 0.1


def test_banding_meets_recall_at_threshold_where_datasketch_default_does_not():
    for threshold in (0.5, 0.7, 0.8, 0.85, 0.9, 0.95):
        bands, rows = mh.lsh_params(threshold, 128)
        assert bands * rows <= 128
        assert mh.candidate_probability(threshold, bands, rows) >= 0.95
    default = MinHashLSH(threshold=0.8, num_perm=128)
    assert mh.candidate_probability(0.8, default.b, default.r) < 0.6
    # and the S-curve is steep: few candidates far below the threshold
    bands, rows = mh.lsh_params(0.8, 128)
    assert mh.candidate_probability(0.4, bands, rows) < 0.05


def test_lsh_signatures_work_in_datasketch_minhashlsh(prompts):
    texts = pl.Series([prompts[10], prompts[10] + " Please be brief.", prompts[20]])
    sig = mh.MinHasher(128, 1).signatures(shingle(texts))
    bands, rows = mh.lsh_params(0.7, 128)
    lsh = MinHashLSH(num_perm=128, params=(bands, rows))
    for i, s in enumerate(sig):
        lsh.insert(str(i), mh.to_lean(s, 1))
    assert "1" in lsh.query(mh.to_lean(sig[0], 1))
    assert "2" not in lsh.query(mh.to_lean(sig[0], 1))


def test_candidate_pairs_all_pairs_in_small_buckets_star_and_chain_in_big_ones():
    rng = np.random.default_rng(0)
    sig = rng.integers(0, 2**32, (600, 8), dtype=np.uint64)
    sig[:5] = sig[0]  # a small bucket: all 10 pairs
    sig[100:400] = sig[100]  # a bucket over MAX_BUCKET rows
    pairs = {tuple(p) for p in mh.candidate_pairs(sig, bands=2, rows=4).tolist()}
    assert {(i, j) for i in range(5) for j in range(i + 1, 5)} <= pairs
    big = {p for p in pairs if p[0] >= 100 and p[1] < 400}
    assert len(big) == 2 * 299 - 1  # star from the first row plus a chain
    assert all(100 <= p[0] < 400 and 100 <= p[1] < 400 for p in big)


def test_clusters_are_connected_components():
    labels = mh.clusters(7, np.array([[0, 3], [3, 5], [1, 2]]))
    assert labels.tolist() == [0, 1, 1, 0, -1, 0, -1]


def test_template_lines_are_stripped_and_counted():
    header = "You are a helpful assistant. Answer in English."
    texts = [f"{header}\nQuestion number {i} about topic {i * 7}" for i in range(20)]
    texts += [header, "Another row\n  you are a HELPFUL assistant.   answer in english.  "]
    stripped, stats = strip_template_lines(pl.Series(texts), frac=0.01, min_rows=5)
    assert stripped[0] == "Question number 0 about topic 0"
    assert stripped[20] == header  # nothing but template: keeps its text
    assert stripped[21] == "Another row"  # matched after normalisation
    assert stats == {"lines": 1, "limit": 5, "stripped": 21, "rows": 21, "whole": 1}
    kept, stats = strip_template_lines(pl.Series(texts[:5]), frac=0.01, min_rows=5)
    assert kept.to_list() == texts[:5] and stats["lines"] == 0  # 5 rows is not "more than 5"


def test_similar_pairs_verify_exactly(prompts):
    base = prompts[100]
    texts = pl.Series([base, base + " Thanks!", prompts[101], base])
    sh = shingle(texts)
    sig = mh.MinHasher().signatures(sh)
    pairs, sim = mh.similar_pairs(sig, texts, 0.8, *mh.lsh_params(0.8, 128), ShingleSpec())
    truth = python_shingles(texts.to_list())
    for (i, j), s in zip(pairs.tolist(), sim, strict=True):
        assert s == len(truth[i] & truth[j]) / len(truth[i] | truth[j]) >= 0.8
    assert [0, 3] in pairs.tolist()
