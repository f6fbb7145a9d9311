"""Text -> shingle hashes, vectorised: polars folds the text, numba cuts and hashes n-grams.

A token is a run of word characters of the case-folded text (`curate.text.casefolded`:
NFKC + case folding, as in `normalized`), or a single CJK character, as in
`curate.signals.WORD`. A shingle is `n` consecutive tokens joined by one space: word
3-grams, or character 5-grams for a row whose tokens are mostly CJK characters. A row with
fewer tokens than `n` is one shingle of all its tokens; a non-blank row without any word
character (emoji, punctuation) takes its whitespace-separated pieces as tokens; a blank
row has no shingle.

Speed: most rows are ASCII, where NFKC is the identity, case folding is A-Z -> a-z and a
word character is [0-9A-Za-z_]; numba does that byte by byte. Only rows with non-ASCII
characters go through polars' Unicode regex, which turns every non-word run into a space
and isolates CJK characters, so that numba then meets only word bytes and spaces there.

A shingle's hash folds its tokens' FNV-1a-64 hashes, h = (h ^ fnv1a64(utf8(token))) * P
from the FNV offset basis, then finishes with MurmurHash3's fmix64 (`shingle_hash` is the
plain-Python reference). Each byte is read once, and the hash is documented and
version-stable (polars' own `hash` may change between releases, and signatures live in
caches and Redis indexes across runs). Exact Jaccard uses the 64 bits, MinHash the top 32.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numba as nb
import numpy as np
import polars as pl

from curate.text import casefolded, non_ascii, normalized

CJK = r"[\p{Han}\p{Hiragana}\p{Katakana}]"

_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)
_S33 = np.uint64(33)
_M1 = np.uint64(0xFF51AFD7ED558CCD)
_M2 = np.uint64(0xC4CEB9FE1A85EC53)
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_PY_TOKEN = re.compile(r"[0-9A-Za-z_\u0080-\U0010FFFF]+")


@dataclass(frozen=True)
class ShingleSpec:
    """How a text becomes shingles; `tag` names it in cache namespaces and index names."""

    ngram: int = 3
    cjk_ngram: int = 5

    @property
    def tag(self) -> str:
        return f"tok3-w{self.ngram}-cjk{self.cjk_ngram}"


@dataclass
class Shingles:
    """Shingle hashes of many rows, flat: row `i` owns `hashes[offsets[i]:offsets[i+1]]`."""

    hashes: np.ndarray  # uint64, in token order (may repeat within a row)
    offsets: np.ndarray  # int64, rows + 1
    starts: np.ndarray  # int64, each shingle's first token within its row (if asked for)
    widths: np.ndarray  # int64 per row: tokens per shingle
    token_text: pl.Series  # what the tokeniser read, to show a matched span

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def sizes(self) -> np.ndarray:
        return np.diff(self.offsets)

    def tokens(self, row: int) -> list[str]:
        return tokens_of(self.token_text[row])

    def span(self, row: int, shingle: int) -> str:
        """The text of shingle number `shingle` (flat index) of `row`."""
        start = int(self.starts[shingle])
        return " ".join(self.tokens(row)[start : start + int(self.widths[row])])


def tokens_of(token_text: str) -> list[str]:
    """The tokens of one prepared text, as the numba kernel cuts them (for display, tests)."""
    return [t.translate(_ASCII_LOWER) for t in _PY_TOKEN.findall(token_text)] or token_text.split()


def token_text(texts: pl.Series) -> tuple[pl.Series, np.ndarray]:
    """Texts prepared for the byte tokeniser, and the number of CJK characters per row."""
    texts = texts.cast(pl.String).fill_null("").rename("text")
    cjk = np.zeros(len(texts), np.int64)
    wide = np.flatnonzero(non_ascii(texts).to_numpy())
    if wide.size:
        folded = pl.col("folded")
        words = folded.str.replace_all(f"({CJK})", " $1 ").str.replace_all(r"\W+", " ")
        sub = (
            texts.gather(wide)
            .to_frame()
            .with_columns(folded=casefolded(pl.col("text")))
            .select(
                text=pl.when(folded.str.contains(r"\w")).then(words).otherwise(folded),
                cjk=pl.col("text").str.count_matches(CJK),
            )
        )
        texts = texts.scatter(wide, sub["text"])
        cjk[wide] = sub["cjk"].to_numpy()
    return texts, cjk


def shingle(
    texts: pl.Series, spec: ShingleSpec = ShingleSpec(), positions: bool = False
) -> Shingles:
    """Hash the shingles of every text: two numba passes over the bytes (count, then hash).
    `positions` keeps each shingle's first token (`Shingles.span` needs it)."""
    prepared, cjk = token_text(texts)
    data, text_off = _string_buffers(prepared)
    n_tokens = np.empty(len(prepared), np.int64)
    split_on_space = np.zeros(len(prepared), np.bool_)
    _count_tokens(data, text_off, split_on_space, np.arange(len(prepared)), n_tokens)
    # rows without a word character: whitespace-separated pieces are the tokens
    split_on_space = n_tokens == 0
    _count_tokens(data, text_off, split_on_space, np.flatnonzero(split_on_space), n_tokens)
    widths = np.where(2 * cjk > n_tokens, spec.cjk_ngram, spec.ngram).astype(np.int64)
    widths = np.minimum(widths, n_tokens)
    counts = np.where(n_tokens > 0, n_tokens - widths + 1, 0)
    offsets = np.zeros(len(counts) + 1, np.int64)
    np.cumsum(counts, out=offsets[1:])
    hashes = np.empty(offsets[-1], np.uint64)
    starts = np.empty(offsets[-1] if positions else 0, np.int64)
    _shingle_hashes(data, text_off, split_on_space, n_tokens, widths, offsets, hashes, starts)
    return Shingles(hashes, offsets, starts, widths, prepared)


def text_hash(texts: pl.Series) -> np.ndarray:
    """`fmix64(fnv1a64(utf8(text)))` of each text: a stable content key for caches."""
    data, offsets = _string_buffers(texts.cast(pl.String).fill_null(""))
    out = np.empty(len(offsets) - 1, np.uint64)
    _whole_hashes(data, offsets, out)
    return out


def _string_buffers(strings: pl.Series) -> tuple[np.ndarray, np.ndarray]:
    """The UTF-8 bytes and int64 offsets of a string Series (zero-copy where arrow allows)."""
    import pyarrow as pa

    array = strings.rechunk().to_arrow()
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    array = array.cast(pa.large_string())
    _, off_buf, data_buf = array.buffers()
    offsets = np.frombuffer(off_buf, np.int64)[array.offset : array.offset + len(array) + 1]
    data = np.frombuffer(data_buf, np.uint8) if data_buf is not None else np.zeros(1, np.uint8)
    return data, offsets


@nb.njit(cache=True, inline="always")
def _fmix64(h: np.uint64) -> np.uint64:
    h ^= h >> _S33
    h *= _M1
    h ^= h >> _S33
    h *= _M2
    h ^= h >> _S33
    return h


def _byte_classes() -> np.ndarray:
    """Bit 0: a word byte ([0-9A-Za-z_] or any byte of a non-ASCII character); bit 1: not
    ASCII whitespace (the token bytes of rows without word characters)."""
    classes = np.full(256, 2, np.uint8)
    classes[[9, 10, 11, 12, 13, 32]] = 0
    for c in b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_":
        classes[c] |= 1
    classes[128:] |= 1
    return classes


_CLASSES = _byte_classes()
_LOWER = np.arange(256, dtype=np.uint64)
_LOWER[65:91] += 32


@nb.njit(cache=True, parallel=True)
def _count_tokens(data, offsets, split_on_space, rows, out):  # pragma: no cover
    for i in nb.prange(len(rows)):
        r = rows[i]
        bit = np.uint8(1) + np.uint8(split_on_space[r])
        count = 0
        inside = False
        for c in range(offsets[r], offsets[r + 1]):
            word = (_CLASSES[data[c]] & bit) != 0
            count += word and not inside
            inside = word
        out[r] = count


@nb.njit(cache=True, parallel=True)
def _shingle_hashes(
    data, offsets, split_on_space, n_tokens, widths, out_off, out, starts
):  # pragma: no cover
    for r in nb.prange(len(n_tokens)):
        n = n_tokens[r]
        if n == 0:
            continue
        bit = np.uint8(1) + np.uint8(split_on_space[r])
        token = np.empty(n, np.uint64)  # each token's FNV-1a, one pass over the bytes
        t = -1
        inside = False
        for c in range(offsets[r], offsets[r + 1]):
            byte = data[c]
            word = (_CLASSES[byte] & bit) != 0
            if word:
                if not inside:
                    t += 1
                    token[t] = _FNV_OFFSET
                token[t] = (token[t] ^ _LOWER[byte]) * _FNV_PRIME
            inside = word
        width = widths[r]
        for s in range(n - width + 1):
            h = _FNV_OFFSET
            for j in range(s, s + width):
                h = (h ^ token[j]) * _FNV_PRIME
            out[out_off[r] + s] = _fmix64(h)
            if len(starts):
                starts[out_off[r] + s] = s


@nb.njit(cache=True, parallel=True)
def _whole_hashes(data, offsets, out):  # pragma: no cover
    for r in nb.prange(len(out)):
        h = _FNV_OFFSET
        for c in range(offsets[r], offsets[r + 1]):
            h = (h ^ np.uint64(data[c])) * _FNV_PRIME
        out[r] = _fmix64(h)


def shingle_hash(tokens: list[str]) -> int:
    """The 64-bit hash of one shingle (its tokens), in plain Python: the reference."""
    mask = 0xFFFFFFFFFFFFFFFF

    def fnv1a(data: bytes) -> int:
        h = int(_FNV_OFFSET)
        for byte in data:
            h = ((h ^ byte) * int(_FNV_PRIME)) & mask
        return h

    h = int(_FNV_OFFSET)
    for token in tokens:
        h = ((h ^ fnv1a(token.encode("utf-8"))) * int(_FNV_PRIME)) & mask
    for mult in (int(_M1), int(_M2)):
        h ^= h >> 33
        h = (h * mult) & mask
    return h ^ (h >> 33)


def strip_template_lines(
    texts: pl.Series, frac: float, min_rows: int, frequent: pl.Series | None = None
) -> tuple[pl.Series, dict[str, int]]:
    """Drop lines that occur in more than max(frac * rows, min_rows) rows.

    Shared system prompts, headers and boilerplate make unrelated rows look alike. Lines
    are compared normalised; a row left with no non-blank line keeps its original text.
    Returns the texts and counts: `lines` (distinct template lines), `limit` (the row
    count a line must exceed), `stripped` (line occurrences removed), `rows` (rows
    changed), `whole` (rows made only of template lines, kept as they were).
    `frequent`: the template line keys when they were counted elsewhere (a distributed
    engine counts `line_keys` over all partitions and strips each one).
    """
    limit = max(frac * len(texts), float(min_rows))
    lines = line_keys(texts)
    if frequent is None:
        frequent = frequent_lines(lines, limit)
    stats = {"lines": frequent.len(), "limit": int(limit), "stripped": 0, "rows": 0, "whole": 0}
    if not frequent.len():
        return texts, stats
    stripped, per_row = strip_lines(texts, lines, frequent)
    stats.update({k: int(per_row[k].sum()) for k in ("stripped", "rows", "whole")})
    return stripped, stats


def line_keys(texts: pl.Series) -> pl.DataFrame:
    """Every line of every text (`_row`, `line`) with its normalised `key`."""
    return (
        pl.DataFrame({"text": texts.fill_null("")})
        .with_row_index("_row")
        .select("_row", line=pl.col("text").str.split("\n"))
        .explode("line")
        .with_columns(key=normalized(pl.col("line")))
    )


def row_line_keys(lines: pl.DataFrame) -> pl.DataFrame:
    """Each row's distinct non-blank line keys: what template-line counting counts."""
    return lines.filter(pl.col("key") != "").unique(["_row", "key"])


def frequent_lines(lines: pl.DataFrame, limit: float) -> pl.Series:
    """Keys of the lines found in more than `limit` rows."""
    return row_line_keys(lines).group_by("key").len().filter(pl.col("len") > limit)["key"]


def strip_lines(
    texts: pl.Series, lines: pl.DataFrame, frequent: pl.Series
) -> tuple[pl.Series, pl.DataFrame]:
    """Texts without their `frequent` lines, and per row: `stripped` (lines removed),
    `rows` (changed: 0/1) and `whole` (only template lines, kept as it was: 0/1)."""
    if not frequent.len():
        zeros = pl.Series(np.zeros(len(texts), np.int64))
        return texts, pl.DataFrame({"stripped": zeros, "rows": zeros, "whole": zeros})
    marked = lines.with_columns(template=pl.col("key").is_in(frequent.implode()))
    kept = marked.group_by("_row", maintain_order=True).agg(
        text=pl.col("line").filter(~pl.col("template")).str.join("\n"),
        removed=pl.col("template").sum(),
        content=(~pl.col("template") & (pl.col("key") != "")).any(),
    )
    stripped = kept.select(
        pl.when(pl.col("content")).then(pl.col("text")).otherwise(pl.lit(texts.fill_null("")))
    ).to_series()
    changed = pl.col("content") & (pl.col("removed") > 0)
    per_row = kept.select(
        stripped=pl.when(changed).then(pl.col("removed")).otherwise(0).cast(pl.Int64),
        rows=changed.cast(pl.Int64),
        whole=(~pl.col("content") & (pl.col("removed") > 0)).cast(pl.Int64),
    )
    return stripped.rename(texts.name), per_row
