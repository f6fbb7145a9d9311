"""Per-row counts over a whole text column in one numba pass over its UTF-8 bytes: word
and token counts, distinct lines, Gopher n-gram repetition.

The regexes of `curate.signals` stay the definitions. A `count_matches` pays per match
(millions per column), while these counts only need each character's class: `\\w`, CJK
(`[\\p{Han}\\p{Hiragana}\\p{Katakana}]`) and `\\s`. `char_classes` asks polars' own regex
engine for the class of every code point once, so the byte loops agree with the regexes
by construction (`tests/test_textstats.py` also checks them against the regexes on real
data).

Lines and n-grams are compared by 64-bit hashes (FNV-1a over the code points, finished by
MurmurHash3's fmix64, as in `curate.dedup.shingles`); a collision inside one response is
vanishingly unlikely.
"""

from __future__ import annotations

import functools
from typing import Any

import numba as nb
import numpy as np
import polars as pl

from curate.dedup.shingles import _FNV_OFFSET, _FNV_PRIME, _fmix64, _string_buffers
from curate.text import on_non_ascii

CJK = r"[\p{Han}\p{Hiragana}\p{Katakana}]"
WORD_CHAR, CJK_CHAR, SPACE_CHAR = 1, 2, 4  # class bits


@functools.cache
def char_classes() -> np.ndarray:
    """Class bits (WORD_CHAR: `\\w`, CJK_CHAR, SPACE_CHAR: `\\s`) of every code point, as
    the Rust regex engine of polars sees them (~50 ms, once per process)."""
    points = np.r_[0:0xD800, 0xE000:0x110000].astype("<u4")  # no surrogates in UTF-8
    chars = pl.Series([points.tobytes().decode("utf-32-le")]).str.split("").explode()
    classes = np.zeros(0x110000, np.uint8)
    for bit, pattern in ((WORD_CHAR, r"\w"), (CJK_CHAR, CJK), (SPACE_CHAR, r"\s")):
        hit = chars.str.contains(rf"^{pattern}\z").to_numpy()
        classes[points[hit]] |= bit
    return classes


def count_units(texts: pl.Series, punctuation: bool) -> pl.Series:
    """Words per row (Int64, null for null): a run of `\\w` characters outside CJK, or
    one CJK character (`curate.signals.WORD`); with `punctuation`, also each other
    character that is not whitespace (`curate.signals.TOKEN_UNIT`)."""
    return _per_row(texts, np.int64, _count_units, punctuation)


# a tokenizer splits a long word into pieces and a number into (about) one token a digit
LONG_WORD, CHARS_PER_PIECE = 10, 2.5


def token_units(texts: pl.Series) -> pl.Series:
    """Tokens a BPE tokenizer would make of each row, before any per-tokenizer factor
    (Float64, null for null): the units of `count_units(punctuation=True)`, but a run of
    `\\w` weighs what a tokenizer makes of it. A word of letters is one token up to
    LONG_WORD characters and gains one per CHARS_PER_PIECE after; a run with ASCII digits
    is a token a digit plus one per two other characters (hashes, base64, numbers). Fitted
    to SmolLM2's tokenizer on real text, where counting words undercounts a dump of hashes
    ~19x (benchmarks/RESULTS.md)."""
    return _per_row(texts, np.float64, _token_units)


def _per_row(texts: pl.Series, dtype: type, kernel: Any, *args: Any) -> pl.Series:
    """`kernel(data, offsets, char_classes(), *args, out)`'s value per row (null for null)."""
    texts = texts.rechunk()
    values = np.zeros(texts.len(), dtype)
    if texts.len():
        data, offsets = _string_buffers(texts)
        kernel(data, offsets, char_classes(), *args, values)
    out = pl.Series(texts.name, values)
    if texts.null_count():
        out = pl.select(pl.when(texts.is_not_null()).then(out)).to_series().alias(texts.name)
    return out


def line_counts(texts: pl.Series, min_words: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row: its non-blank lines, whitespace-stripped (`curate.signals.content_lines`),
    that hold `min_words`+ runs of `\\w`, and how many of them are distinct. Null: 0."""
    texts = texts.rechunk().fill_null("")
    lines = np.zeros(texts.len(), np.int64)
    distinct = np.zeros(texts.len(), np.int64)
    if texts.len():
        data, offsets = _string_buffers(texts)
        _line_counts(data, offsets, char_classes(), min_words, lines, distinct)
    return lines, distinct


def ngram_repetition(
    texts: pl.Series, rows: np.ndarray, sizes: list[int]
) -> tuple[np.ndarray, np.ndarray]:
    """Gopher n-gram repetition over the words (`curate.signals.WORD`) of the lower-cased
    `texts[rows]`, one column per size n (`sizes` ascending):

    - top: the largest count x characters of an n-gram that occurs more than once, over
      the characters of all words (0 when none repeats);
    - dup: the share of the row's n-grams whose n-gram occurs more than once.

    Other rows, and rows with fewer than n words, get 0.
    """
    if list(sizes) != sorted(set(sizes)):
        raise ValueError(f"n-gram sizes must be distinct and ascending, got {sizes}")
    top = np.zeros((texts.len(), len(sizes)), np.float64)
    dup = np.zeros((texts.len(), len(sizes)), np.float64)
    rows = np.asarray(rows, np.int64)
    if rows.size == 0 or not sizes:
        return top, dup
    # the kernel folds A-Z itself; polars lower-cases the rows with other letters
    texts = on_non_ascii(texts.rechunk().fill_null(""), lambda wide: wide.str.to_lowercase())
    data, offsets = _string_buffers(texts)
    _ngram_repetition(data, offsets, char_classes(), rows, np.asarray(sizes, np.int64), top, dup)
    return top, dup


# --- kernels ---------------------------------------------------------------------------
# A pure-ASCII row takes a tight byte loop over small tables; other rows decode each
# character's first byte, and the bytes that continue a character share its class.


@nb.njit(cache=True, inline="always")
def _is_ascii(data, start, end):  # pragma: no cover
    for c in range(start, end):  # noqa: SIM110 (a loop numba compiles to a tight scan)
        if data[c] >= 0x80:
            return False
    return True


@nb.njit(cache=True, inline="always")
def _code_point(data, c):  # pragma: no cover
    """The code point of the UTF-8 character whose first (non-ASCII) byte is data[c]."""
    b = np.int64(data[c])
    if b < 0xE0:
        return ((b & 0x1F) << 6) | (np.int64(data[c + 1]) & 0x3F)
    if b < 0xF0:
        return (
            ((b & 0x0F) << 12)
            | ((np.int64(data[c + 1]) & 0x3F) << 6)
            | (np.int64(data[c + 2]) & 0x3F)
        )
    return (
        ((b & 0x07) << 18)
        | ((np.int64(data[c + 1]) & 0x3F) << 12)
        | ((np.int64(data[c + 2]) & 0x3F) << 6)
        | (np.int64(data[c + 3]) & 0x3F)
    )


@nb.njit(cache=True, parallel=True, nogil=True)
def _count_units(data, offsets, classes, punctuation, out):  # pragma: no cover
    # per ASCII byte: 1 if a word character; 1 if counted as punctuation
    word_byte = (classes[:128] & WORD_CHAR).astype(np.int64)
    punct_byte = np.zeros(128, np.int64)
    if punctuation:
        punct_byte[:] = (classes[:128] & (WORD_CHAR | SPACE_CHAR)) == 0
    for r in nb.prange(len(out)):
        start, end = offsets[r], offsets[r + 1]
        count = 0
        inside = 0  # the previous character continues a run of non-CJK word characters
        if _is_ascii(data, start, end):
            for c in range(start, end):
                b = data[c]
                word = word_byte[b]
                count += (word & (inside ^ 1)) + punct_byte[b]
                inside = word
        else:
            for c in range(start, end):
                b = data[c]
                if b < 0x80:
                    cls = classes[b]
                elif b >= 0xC0:
                    cls = classes[_code_point(data, c)]
                else:
                    continue  # the rest of a character
                cjk = (cls >> 1) & 1
                word = cls & 1 & (cjk ^ 1)
                other = ((cls | (cls >> 1) | (cls >> 2)) & 1) ^ 1  # not word, CJK or space
                count += cjk + (word & (inside ^ 1)) + (other & punctuation)
                inside = word
        out[r] = count


@nb.njit(cache=True, inline="always")
def _run_tokens(letters, digits):  # pragma: no cover
    """`token_units` of one run of word characters."""
    if digits == 0:
        return 1.0 + max(0, letters - LONG_WORD) / CHARS_PER_PIECE
    return float(digits + (letters + 1) // 2)


@nb.njit(cache=True, parallel=True, nogil=True)
def _token_units(data, offsets, classes, out):  # pragma: no cover
    for r in nb.prange(len(out)):
        start, end = offsets[r], offsets[r + 1]
        units = 0.0
        letters = digits = 0  # the current run of non-CJK word characters
        c = start
        while c < end:
            cls, width = _char_at(data, c, classes)
            if cls & 1 and not (cls >> 1) & 1:  # a word character outside CJK
                if 0x30 <= data[c] <= 0x39:
                    digits += 1
                else:
                    letters += 1
            else:
                if letters + digits:
                    units += _run_tokens(letters, digits)
                    letters = digits = 0
                if not (cls >> 2) & 1:  # CJK, or anything else but whitespace
                    units += 1.0
            c += width
        if letters + digits:
            units += _run_tokens(letters, digits)
        out[r] = units


@nb.njit(cache=True, inline="always")
def _char_at(data, c, classes):  # pragma: no cover
    """(class bits, bytes) of the character that starts at data[c]."""
    b = data[c]
    if b < 0x80:
        return classes[b], 1
    return classes[_code_point(data, c)], 2 + (b >= 0xE0) + (b >= 0xF0)


@nb.njit(cache=True, inline="always")
def _hash_bytes(data, a, b):  # pragma: no cover
    """64-bit hash of data[a:b]: FNV-1a steps over 8-byte words and the length, fmix64."""
    h = (_FNV_OFFSET ^ np.uint64(b - a)) * _FNV_PRIME
    c = a
    while c + 8 <= b:
        w = np.uint64(0)
        for j in range(8):
            w |= np.uint64(data[c + j]) << np.uint64(8 * j)
        h = (h ^ w) * _FNV_PRIME
        c += 8
    w = np.uint64(0)
    for j in range(b - c):
        w |= np.uint64(data[c + j]) << np.uint64(8 * j)
    return _fmix64((h ^ w) * _FNV_PRIME)


@nb.njit(cache=True, parallel=True, nogil=True)
def _line_counts(data, offsets, classes, min_words, lines, distinct):  # pragma: no cover
    for r in nb.prange(len(lines)):
        start, end = offsets[r], offsets[r + 1]
        breaks = 0
        for c in range(start, end):
            breaks += data[c] == 10
        hashes = np.empty(breaks + 1, np.uint64)
        k = 0
        line = start
        while line <= end:
            stop = line
            while stop < end and data[stop] != 10:
                stop += 1
            a, b = line, stop  # strip white space from both ends
            while a < b:
                cls, width = _char_at(data, a, classes)
                if not cls & SPACE_CHAR:
                    break
                a += width
            while b > a:
                p = b - 1
                while data[p] & 0xC0 == 0x80:
                    p -= 1
                cls, width = _char_at(data, p, classes)
                if not cls & SPACE_CHAR:
                    break
                b = p
            words = 0
            inside = False
            c = a
            while c < b and words < min_words:
                cls, width = _char_at(data, c, classes)
                word = (cls & WORD_CHAR) != 0
                if word and not inside:
                    words += 1
                inside = word
                c += width
            if a < b and words >= min_words:
                hashes[k] = _hash_bytes(data, a, b)
                k += 1
            line = stop + 1
        lines[r] = k
        if k:
            seen = np.sort(hashes[:k])
            unique = 1
            for j in range(1, k):
                unique += seen[j] != seen[j - 1]
            distinct[r] = unique


@nb.njit(cache=True, inline="always")
def _words(data, start, end, classes, word_byte, lower_byte, word_hash, chars):  # pragma: no cover
    """Hash (A-Z folded) and characters (prefix sums into `chars`) of each word of
    data[start:end]; returns how many there are."""
    n_words = 0
    h = _FNV_OFFSET
    chars[0] = 0
    if _is_ascii(data, start, end):
        # branch-free: every byte stores the open word's hash and end, and the word count
        # only moves on where a word ends (word boundaries are too random to predict)
        length = 0
        total = 0
        for c in range(start, end + 1):
            b = data[c] if c < end else np.uint8(32)
            word = word_byte[b]
            ends = (word ^ 1) & np.int64(length > 0)
            word_hash[n_words] = h
            chars[n_words + 1] = total + length
            n_words += ends
            total += length * ends
            folded = (h ^ lower_byte[b]) * _FNV_PRIME
            h = folded if word else _FNV_OFFSET
            length = (length + 1) * word
        return n_words
    length = 0  # characters of the open word
    open_cjk = False
    for c in range(start, end + 1):
        b = data[c] if c < end else np.uint8(32)
        if 0x80 <= b < 0xC0:  # the rest of a character
            if length:
                h = (h ^ np.uint64(b)) * _FNV_PRIME
            continue
        cls = classes[b] if b < 0x80 else classes[_code_point(data, c)]
        cjk = (cls & CJK_CHAR) != 0
        word = (cls & WORD_CHAR) != 0 and not cjk
        if length and (open_cjk or not word):  # the open word ends here
            word_hash[n_words] = h
            chars[n_words + 1] = chars[n_words] + length
            n_words += 1
            h = _FNV_OFFSET
            length = 0
        if word or cjk:
            h = (h ^ np.uint64(b | 0x20 if 65 <= b <= 90 else b)) * _FNV_PRIME
            length += 1
            open_cjk = cjk
    return n_words


@nb.njit(cache=True, parallel=True, nogil=True)
def _ngram_repetition(data, offsets, classes, rows, sizes, top, dup):  # pragma: no cover
    word_byte = np.zeros(256, np.int64)
    word_byte[:128] = (classes[:128] & WORD_CHAR) != 0
    lower_byte = np.arange(256).astype(np.uint64)
    for b in range(65, 91):
        lower_byte[b] = b + 32
    for i in nb.prange(len(rows)):
        r = rows[i]
        start, end = offsets[r], offsets[r + 1]
        # a word and the character after it take 2+ bytes
        word_hash = np.empty((end - start) // 2 + 2, np.uint64)
        chars = np.empty((end - start) // 2 + 3, np.int64)
        n_words = _words(data, start, end, classes, word_byte, lower_byte, word_hash, chars)
        if n_words == 0:
            continue
        total = chars[n_words]
        # An n-gram can only repeat where the shorter gram at the same start repeats, so
        # each size hashes just the starts whose previous gram repeated (all for the first)
        starts = np.arange(n_words, dtype=np.int64)
        n_starts = n_words
        capacity = 1
        while capacity < 2 * n_words:
            capacity *= 2
        keys = np.empty(capacity, np.uint64)
        counts = np.empty(capacity, np.int64)
        slots = np.empty(n_words, np.int64)
        for j in range(len(sizes)):
            n = sizes[j]
            grams = n_words - n + 1
            while n_starts > 0 and starts[n_starts - 1] >= grams:
                n_starts -= 1
            if n_starts == 0:
                break
            size = 1
            while size < 2 * n_starts:
                size *= 2
            mask = size - 1
            keys[:size] = 0
            best = 0
            repeated = 0
            for k in range(n_starts):
                s = starts[k]
                h = _FNV_OFFSET
                for w in range(s, s + n):
                    h = (h ^ word_hash[w]) * _FNV_PRIME
                h = _fmix64(h)
                if h == 0:
                    h = np.uint64(1)  # 0 marks an empty slot
                slot = np.int64(h & np.uint64(mask))
                while keys[slot] != 0 and keys[slot] != h:
                    slot = (slot + 1) & mask
                slots[k] = slot
                # branch-free: whether the n-gram is new is as good as random
                count = np.int64(keys[slot] == h) * counts[slot] + 1
                keys[slot] = h
                counts[slot] = count
                repeated += np.int64(count == 2) + np.int64(count > 1)
                best = max(best, np.int64(count > 1) * count * (chars[s + n] - chars[s]))
            top[r, j] = best / total
            dup[r, j] = repeated / grams
            kept = 0
            for k in range(n_starts):
                if counts[slots[k]] > 1:
                    starts[kept] = starts[k]
                    kept += 1
            n_starts = kept
