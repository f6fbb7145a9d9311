"""Keys for exact deduplication: a 128-bit hash of a conversation's canonical text.

`curate.text` defines the canonical text: `normalized(field_text(field))`, the turns
joined, case-folded, every whitespace run one space, stripped. Built as a string column
that costs more than all the rest of exact dedup together (the join and the whitespace
regex each write every row anew). This kernel reads the turn contents once, in place,
and hashes the text they would join to, as if it were case-folded (A-Z as it reads;
polars folds the few texts that are not ASCII) and its whitespace collapsed.

Two rows get the same key when their canonical texts are equal; different texts share
one only by a 128-bit hash collision (two independent 64-bit lanes in the style of
MurmurHash3's 64-bit mixing, 8 bytes at a time, finished by fmix64): at a billion rows
about 1e-21. Grouping on 16 bytes instead of the text also keeps the Ray engine's
shuffle small. `tests/test_exact_dedup.py` checks the grouping against the text's on
real data, and the whitespace set against polars' `\\s` on every code point.
"""

from __future__ import annotations

import numba as nb
import numpy as np
import polars as pl

from curate.dedup.shingles import _fmix64, _string_buffers
from curate.text import Field, casefolded, on_non_ascii

KEYS = ["_exact_hi", "_exact_lo"]

_C1 = np.uint64(0x87C37B91114253D5)  # MurmurHash3 x64 constants
_C2 = np.uint64(0x4CF5AD432745937F)
_LANE1 = np.uint64(0x9E3779B97F4A7C15)
_LANE2 = np.uint64(0xC2B2AE3D27D4EB4F)
_N1 = np.uint64(0x52DCE729)
_N2 = np.uint64(0x38495AB5)
_FIVE = np.uint64(5)
_EIGHT = np.uint64(8)
_U31, _U33, _U27, _U37 = np.uint64(31), np.uint64(33), np.uint64(27), np.uint64(37)
# eight bytes at a time (SWAR): each constant holds one value in every byte
_LOW7 = np.uint64(0x7F7F7F7F7F7F7F7F)
_HIGH = np.uint64(0x8080808080808080)
_SPACES = np.uint64(0x2020202020202020)
_TO_A = np.uint64(0x3F3F3F3F3F3F3F3F)  # + this sets a byte's top bit from "A" (0x41) up
_PAST_Z = np.uint64(0x2525252525252525)  # ... and from past "Z" (0x5B) up
_FIRST = np.uint64(0x80)
_LAST = np.uint64(0x80) << np.uint64(56)


def exact_keys(messages: pl.Series, field: Field) -> pl.DataFrame:
    """`KEYS`, two UInt64 columns, one row per conversation of `messages`: equal for rows
    whose `normalized(field_text(field))` are equal. Fields: conversation, prompt."""
    if field not in ("conversation", "prompt"):
        raise ValueError(f"exact keys over {field!r}: use conversation or prompt")
    counts = messages.list.len().fill_null(0).to_numpy()
    turns = messages.explode(empty_as_null=False, keep_nulls=False).struct.unnest()
    content = _casefolded(turns["content"])
    if field == "conversation":  # "role: content tool_calls" per turn, "\n" between
        include = np.ones(turns.height, np.bool_)
        role = _casefolded(turns["role"])
        tool_valid = turns["tool_calls"].is_not_null().to_numpy()
        tools = _casefolded(turns["tool_calls"])
    else:  # the user turns' contents, TURN_SEPARATOR (whitespace) between
        include = (turns["role"] == "user").fill_null(False).to_numpy()
        role = tools = pl.repeat("", turns.height, eager=True)
        tool_valid = np.zeros(turns.height, np.bool_)
    offsets = np.zeros(len(counts) + 1, np.int64)
    np.cumsum(counts, out=offsets[1:])
    keys = np.zeros((len(counts), 2), np.uint64)
    _conversation_hashes(
        offsets,
        include,
        *_string_buffers(role),
        *_string_buffers(content),
        *_string_buffers(tools),
        tool_valid,
        field == "conversation",
        np.frombuffer(b": ", np.uint8),
        keys,
    )
    return pl.DataFrame({KEYS[0]: keys[:, 0], KEYS[1]: keys[:, 1]})


def _casefolded(texts: pl.Series) -> pl.Series:
    """`curate.text.casefolded` for the texts that are not pure ASCII; ASCII texts are
    lower-cased by the kernel as it reads them (the same result: only A-Z change), which
    spares writing every row anew."""
    return on_non_ascii(
        texts.fill_null(""),
        lambda odd: odd.to_frame("t").select(casefolded(pl.col("t"))).to_series(),
    )


@nb.njit(cache=True, inline="always")
def _space_width(data, c, end):  # pragma: no cover
    """Bytes of the White_Space character starting at `c` (0 when it is not one)."""
    b = data[c]
    if b == 0x20 or 0x09 <= b <= 0x0D:
        return 1
    if b < 0xC2 or c + 1 >= end:
        return 0
    b1 = data[c + 1]
    if b == 0xC2:  # U+0085, U+00A0
        return 2 if b1 == 0x85 or b1 == 0xA0 else 0
    if c + 2 >= end:
        return 0
    b2 = data[c + 2]
    if b == 0xE1:  # U+1680
        return 3 if b1 == 0x9A and b2 == 0x80 else 0
    if b == 0xE2:  # U+2000-200A, U+2028, U+2029, U+202F, U+205F
        if b1 == 0x80:
            return 3 if b2 <= 0x8A or b2 == 0xA8 or b2 == 0xA9 or b2 == 0xAF else 0
        return 3 if b1 == 0x81 and b2 == 0x9F else 0
    if b == 0xE3:  # U+3000
        return 3 if b1 == 0x80 and b2 == 0x80 else 0
    return 0


@nb.njit(cache=True, inline="always")
def _rotl(x, r):  # pragma: no cover
    return (x << r) | (x >> (np.uint64(64) - r))


@nb.njit(cache=True, inline="always")
def _mix(h1, h2, word):  # pragma: no cover
    """One 8-byte word into both lanes (MurmurHash3 x64 block step, one word per lane)."""
    k = _rotl(word * _C1, _U31) * _C2
    h1 = (_rotl(h1 ^ k, _U27) + h2) * _FIVE + _N1
    k = _rotl(word * _C2, _U33) * _C1
    h2 = (_rotl(h2 ^ k, _U37) + h1) * _FIVE + _N2
    return h1, h2


@nb.njit(cache=True, inline="always")
def _load8(data, c):  # pragma: no cover
    """data[c:c+8] as a little-endian word (LLVM makes this one unaligned load)."""
    word = np.uint64(0)
    for i in range(8):
        word |= np.uint64(data[c + i]) << np.uint64(8 * i)
    return word


@nb.njit(cache=True, inline="always")
def _plain8(data, c, b, pending, started):  # pragma: no cover
    """data[c:c+8] lower-cased when those bytes go into the hash as they are, but for
    A-Z: printable ASCII whose spaces are single and neither lead nor trail the text
    (else 0, and the bytes take the byte-by-byte path)."""
    word = _load8(data, c)
    if ((word - _SPACES) | word) & _HIGH:  # a byte below 0x20 or above 0x7F
        return np.uint64(0)
    flipped = word ^ _SPACES  # spaces become zero bytes; mark each with its top bit
    spaces = ~(((flipped & _LOW7) + _LOW7) | flipped | _LOW7)
    if spaces & (spaces >> _EIGHT):  # two spaces in a row
        return np.uint64(0)
    if spaces & _FIRST and (pending or not started):  # after whitespace, or leading
        return np.uint64(0)
    if spaces & _LAST and (c + 8 >= b or not 0x20 < data[c + 8] < 0x7F):
        return np.uint64(0)  # a space must be followed by a byte that is not whitespace
    upper = (word + _TO_A) & ~(word + _PAST_Z) & _HIGH
    return word | (upper >> np.uint64(2))


@nb.njit(cache=True, inline="always")
def _feed(data, a, b, state):  # pragma: no cover
    """Bytes data[a:b] into the hash state, whitespace runs as one space, leading
    whitespace dropped (a pending space is only written before the next other byte).
    Runs of plain text go in eight bytes at a time."""
    h1, h2, word, shift, length, pending, started = state
    c = a
    while c < b:
        if c + 8 <= b:
            plain = _plain8(data, c, b, pending, started)
            if plain:
                if pending:
                    h1, h2, word, shift, length = _put(h1, h2, word, shift, length, 0x20)
                    pending = False
                if shift == np.uint64(0):
                    h1, h2 = _mix(h1, h2, plain)
                else:
                    h1, h2 = _mix(h1, h2, word | (plain << shift))
                    word = plain >> (np.uint64(64) - shift)
                length += _EIGHT
                started = True
                c += 8
                continue
        byte = data[c]
        width = 0
        if byte >= 0x80 or byte <= 0x20:
            width = _space_width(data, c, b)
        if width:
            pending = started
            c += width
            continue
        if pending:
            h1, h2, word, shift, length = _put(h1, h2, word, shift, length, 0x20)
            pending = False
        if 0x41 <= byte <= 0x5A:  # A-Z: lower case (other letters came case-folded)
            byte += 0x20
        h1, h2, word, shift, length = _put(h1, h2, word, shift, length, byte)
        started = True
        c += 1
    return h1, h2, word, shift, length, pending, started


@nb.njit(cache=True, inline="always")
def _put(h1, h2, word, shift, length, byte):  # pragma: no cover
    """One byte into the 8-byte word; a full word goes into the lanes."""
    word |= np.uint64(byte) << shift
    shift += _EIGHT
    if shift == np.uint64(64):
        h1, h2 = _mix(h1, h2, word)
        word, shift = np.uint64(0), np.uint64(0)
    return h1, h2, word, shift, length + np.uint64(1)


@nb.njit(cache=True, inline="always")
def _space(state):  # pragma: no cover
    """A separator: whitespace, so at most one space between non-blank parts."""
    h1, h2, word, shift, length, _, started = state
    return h1, h2, word, shift, length, started, started


@nb.njit(cache=True, parallel=True, nogil=True)
def _conversation_hashes(
    offsets,
    include,
    role,
    role_off,
    content,
    content_off,
    tools,
    tools_off,
    tool_valid,
    with_role,
    colon,
    out,
):  # pragma: no cover
    for r in nb.prange(out.shape[0]):
        state = (_LANE1, _LANE2, np.uint64(0), np.uint64(0), np.uint64(0), False, False)
        first = True
        for t in range(offsets[r], offsets[r + 1]):
            if not include[t]:
                continue
            if not first:
                state = _space(state)
            first = False
            if with_role:
                state = _feed(role, role_off[t], role_off[t + 1], state)
                state = _feed(colon, 0, 2, state)
            state = _feed(content, content_off[t], content_off[t + 1], state)
            if tool_valid[t]:
                state = _space(state)
                state = _feed(tools, tools_off[t], tools_off[t + 1], state)
        h1, h2, word, _, length, _, _ = state
        h1 ^= word * _C1
        h2 ^= word * _C2
        h1 ^= length
        h2 ^= length
        h1 += h2
        h2 += h1
        h1 = _fmix64(h1)
        h2 = _fmix64(h2)
        h1 += h2
        h2 += h1
        out[r, 0] = h1
        out[r, 1] = h2
