"""Record ids for many rows at once: BLAKE2b-64 of the canonical JSON, in a kernel.

`records.record_id` is the definition: the hex BLAKE2b digest (8 bytes) of
`canonical_json(messages, tools)`. Hashing row by row in Python costs a JSON text per row
and a hashlib call under the GIL. For plain chats (no tools, no reasoning, no tool calls,
ASCII text, which NFC leaves alone) this kernel writes the same JSON into the hash as it
reads the turn columns, with no text built, in parallel and without the GIL. Every
other row keeps `record_id`. `tests/test_ids.py` checks the kernel's BLAKE2b against
hashlib and its ids against `record_id` on real data.

The ingest path leaves `id` null on the rows it maps itself; `fill_ids` fills them in,
per batch or, in the runner, once for the whole input after the kernels have loaded.
"""

from __future__ import annotations

import numba as nb
import numpy as np
import polars as pl

from curate.dedup.shingles import _string_buffers
from curate.records import record_id
from curate.text import non_ascii

_IV = np.array(
    [
        0x6A09E667F3BCC908,
        0xBB67AE8584CAA73B,
        0x3C6EF372FE94F82B,
        0xA54FF53A5F1D36F1,
        0x510E527FADE682D1,
        0x9B05688C2B3E6C1F,
        0x1F83D9ABFB41BD6B,
        0x5BE0CD19137E2179,
    ],
    dtype=np.uint64,
)
_DIGEST_BYTES = 8
_HEX = np.frombuffer(b"0123456789abcdef", np.uint8)
# the canonical JSON of a plain chat, around its turns' escaped texts
_OPEN = np.frombuffer(b'{"messages":[', np.uint8)
_TURN_OPEN = np.frombuffer(b'{"content":"', np.uint8)
_TURN_MIDDLE = np.frombuffer(b'","role":"', np.uint8)
_TURN_CLOSE = np.frombuffer(b'"}', np.uint8)
_CLOSE = np.frombuffer(b'],"tools":null}', np.uint8)
_COMMA = np.frombuffer(b",", np.uint8)
# JSON's short escapes, by control byte (0: none, so \u00XX)
_SHORT_ESCAPES = np.zeros(32, np.uint8)
for _byte, _letter in zip(b"\b\t\n\f\r", b"btnfr", strict=True):
    _SHORT_ESCAPES[_byte] = _letter


def fill_ids(records: pl.DataFrame) -> pl.DataFrame:
    """`records` with every null `id` filled in: `record_id` of the row."""
    missing = records["id"].is_null()
    if not missing.any():
        return records
    positions = missing.arg_true()
    todo = records.select("messages", "tools").gather(positions)
    turns = todo["messages"].explode(empty_as_null=False, keep_nulls=False).struct.unnest()
    ascii_turn = ~non_ascii(turns["content"]) & ~non_ascii(turns["role"])
    plain_turn = ascii_turn & turns["reasoning"].is_null() & turns["tool_calls"].is_null()
    counts = todo["messages"].list.len().fill_null(0).to_numpy()
    offsets = np.zeros(len(counts) + 1, np.int64)
    np.cumsum(counts, out=offsets[1:])
    # a row is plain when all its turns are (a running count of turns that are not)
    odd_turns = np.zeros(len(plain_turn) + 1, np.int64)
    np.cumsum(~plain_turn.to_numpy(), out=odd_turns[1:])
    plain = (odd_turns[offsets[1:]] == odd_turns[offsets[:-1]]) & todo["tools"].is_null().to_numpy()
    hex_ids = np.zeros((len(counts), 2 * _DIGEST_BYTES), np.uint8)
    _canonical_ids(
        offsets,
        plain,
        *_string_buffers(turns["role"].fill_null("")),
        *_string_buffers(turns["content"].fill_null("")),
        hex_ids,
    )
    ids = pl.Series("id", hex_ids.view(f"S{2 * _DIGEST_BYTES}").ravel()).cast(pl.String)
    others = np.flatnonzero(~plain)
    if len(others):
        rows = todo.gather(others).to_dicts()
        ids = ids.scatter(others, [record_id(r["messages"], r["tools"]) for r in rows])
    return records.with_columns(records["id"].scatter(positions, ids))


@nb.njit(cache=True, inline="always")
def _rotr(x, r):  # pragma: no cover
    return (x >> np.uint64(r)) | (x << np.uint64(64 - r))


@nb.njit(cache=True, inline="always")
def _g(a, b, c, d, x, y):  # pragma: no cover
    """BLAKE2b's mixing function G on four state words (kept in registers)."""
    a = a + b + x
    d = _rotr(d ^ a, 32)
    c = c + d
    b = _rotr(b ^ c, 24)
    a = a + b + y
    d = _rotr(d ^ a, 16)
    c = c + d
    b = _rotr(b ^ c, 63)
    return a, b, c, d


@nb.njit(cache=True)
def _compress(h, block, counter, last):  # pragma: no cover
    """BLAKE2b's compression of one 128-byte block into the state `h` (RFC 7693 3.2).

    The twelve rounds are written out, each with its message schedule (SIGMA, RFC 7693
    2.7; rounds 10 and 11 repeat 0 and 1): with every word a local, the state stays in
    registers. A loop over a SIGMA table ran 1.5x slower.
    """
    m = block.view(np.uint64)  # little-endian words, as the spec reads them
    m0, m1, m2, m3, m4, m5, m6, m7 = m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7]
    m8, m9, m10, m11, m12, m13, m14, m15 = m[8], m[9], m[10], m[11], m[12], m[13], m[14], m[15]
    v0, v1, v2, v3, v4, v5, v6, v7 = h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]
    v8, v9, v10, v11 = _IV[0], _IV[1], _IV[2], _IV[3]
    v12 = _IV[4] ^ np.uint64(counter)
    v13 = _IV[5]
    v14 = ~_IV[6] if last else _IV[6]
    v15 = _IV[7]
    # round 0: SIGMA[0] = 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
    v0, v4, v8, v12 = _g(v0, v4, v8, v12, m0, m1)
    v1, v5, v9, v13 = _g(v1, v5, v9, v13, m2, m3)
    v2, v6, v10, v14 = _g(v2, v6, v10, v14, m4, m5)
    v3, v7, v11, v15 = _g(v3, v7, v11, v15, m6, m7)
    v0, v5, v10, v15 = _g(v0, v5, v10, v15, m8, m9)
    v1, v6, v11, v12 = _g(v1, v6, v11, v12, m10, m11)
    v2, v7, v8, v13 = _g(v2, v7, v8, v13, m12, m13)
    v3, v4, v9, v14 = _g(v3, v4, v9, v14, m14, m15)
    # round 1: SIGMA[1] = 14 10 4 8 9 15 13 6 1 12 0 2 11 7 5 3
    v0, v4, v8, v12 = _g(v0, v4, v8, v12, m14, m10)
    v1, v5, v9, v13 = _g(v1, v5, v9, v13, m4, m8)
    v2, v6, v10, v14 = _g(v2, v6, v10, v14, m9, m15)
    v3, v7, v11, v15 = _g(v3, v7, v11, v15, m13, m6)
    v0, v5, v10, v15 = _g(v0, v5, v10, v15, m1, m12)
    v1, v6, v11, v12 = _g(v1, v6, v11, v12, m0, m2)
    v2, v7, v8, v13 = _g(v2, v7, v8, v13, m11, m7)
    v3, v4, v9, v14 = _g(v3, v4, v9, v14, m5, m3)
    # round 2: SIGMA[2] = 11 8 12 0 5 2 15 13 10 14 3 6 7 1 9 4
    v0, v4, v8, v12 = _g(v0, v4, v8, v12, m11, m8)
    v1, v5, v9, v13 = _g(v1, v5, v9, v13, m12, m0)
    v2, v6, v10, v14 = _g(v2, v6, v10, v14, m5, m2)
    v3, v7, v11, v15 = _g(v3, v7, v11, v15, m15, m13)
    v0, v5, v10, v15 = _g(v0, v5, v10, v15, m10, m14)
    v1, v6, v11, v12 = _g(v1, v6, v11, v12, m3, m6)
    v2, v7, v8, v13 = _g(v2, v7, v8, v13, m7, m1)
    v3, v4, v9, v14 = _g(v3, v4, v9, v14, m9, m4)
    # round 3: SIGMA[3] = 7 9 3 1 13 12 11 14 2 6 5 10 4 0 15 8
    v0, v4, v8, v12 = _g(v0, v4, v8, v12, m7, m9)
    v1, v5, v9, v13 = _g(v1, v5, v9, v13, m3, m1)
    v2, v6, v10, v14 = _g(v2, v6, v10, v14, m13, m12)
    v3, v7, v11, v15 = _g(v3, v7, v11, v15, m11, m14)
    v0, v5, v10, v15 = _g(v0, v5, v10, v15, m2, m6)
    v1, v6, v11, v12 = _g(v1, v6, v11, v12, m5, m10)
    v2, v7, v8, v13 = _g(v2, v7, v8, v13, m4, m0)
    v3, v4, v9, v14 = _g(v3, v4, v9, v14, m15, m8)
    # round 4: SIGMA[4] = 9 0 5 7 2 4 10 15 14 1 11 12 6 8 3 13
    v0, v4, v8, v12 = _g(v0, v4, v8, v12, m9, m0)
    v1, v5, v9, v13 = _g(v1, v5, v9, v13, m5, m7)
    v2, v6, v10, v14 = _g(v2, v6, v10, v14, m2, m4)
    v3, v7, v11, v15 = _g(v3, v7, v11, v15, m10, m15)
    v0, v5, v10, v15 = _g(v0, v5, v10, v15, m14, m1)
    v1, v6, v11, v12 = _g(v1, v6, v11, v12, m11, m12)
    v2, v7, v8, v13 = _g(v2, v7, v8, v13, m6, m8)
    v3, v4, v9, v14 = _g(v3, v4, v9, v14, m3, m13)
    # round 5: SIGMA[5] = 2 12 6 10 0 11 8 3 4 13 7 5 15 14 1 9
    v0, v4, v8, v12 = _g(v0, v4, v8, v12, m2, m12)
    v1, v5, v9, v13 = _g(v1, v5, v9, v13, m6, m10)
    v2, v6, v10, v14 = _g(v2, v6, v10, v14, m0, m11)
    v3, v7, v11, v15 = _g(v3, v7, v11, v15, m8, m3)
    v0, v5, v10, v15 = _g(v0, v5, v10, v15, m4, m13)
    v1, v6, v11, v12 = _g(v1, v6, v11, v12, m7, m5)
    v2, v7, v8, v13 = _g(v2, v7, v8, v13, m15, m14)
    v3, v4, v9, v14 = _g(v3, v4, v9, v14, m1, m9)
    # round 6: SIGMA[6] = 12 5 1 15 14 13 4 10 0 7 6 3 9 2 8 11
    v0, v4, v8, v12 = _g(v0, v4, v8, v12, m12, m5)
    v1, v5, v9, v13 = _g(v1, v5, v9, v13, m1, m15)
    v2, v6, v10, v14 = _g(v2, v6, v10, v14, m14, m13)
    v3, v7, v11, v15 = _g(v3, v7, v11, v15, m4, m10)
    v0, v5, v10, v15 = _g(v0, v5, v10, v15, m0, m7)
    v1, v6, v11, v12 = _g(v1, v6, v11, v12, m6, m3)
    v2, v7, v8, v13 = _g(v2, v7, v8, v13, m9, m2)
    v3, v4, v9, v14 = _g(v3, v4, v9, v14, m8, m11)
    # round 7: SIGMA[7] = 13 11 7 14 12 1 3 9 5 0 15 4 8 6 2 10
    v0, v4, v8, v12 = _g(v0, v4, v8, v12, m13, m11)
    v1, v5, v9, v13 = _g(v1, v5, v9, v13, m7, m14)
    v2, v6, v10, v14 = _g(v2, v6, v10, v14, m12, m1)
    v3, v7, v11, v15 = _g(v3, v7, v11, v15, m3, m9)
    v0, v5, v10, v15 = _g(v0, v5, v10, v15, m5, m0)
    v1, v6, v11, v12 = _g(v1, v6, v11, v12, m15, m4)
    v2, v7, v8, v13 = _g(v2, v7, v8, v13, m8, m6)
    v3, v4, v9, v14 = _g(v3, v4, v9, v14, m2, m10)
    # round 8: SIGMA[8] = 6 15 14 9 11 3 0 8 12 2 13 7 1 4 10 5
    v0, v4, v8, v12 = _g(v0, v4, v8, v12, m6, m15)
    v1, v5, v9, v13 = _g(v1, v5, v9, v13, m14, m9)
    v2, v6, v10, v14 = _g(v2, v6, v10, v14, m11, m3)
    v3, v7, v11, v15 = _g(v3, v7, v11, v15, m0, m8)
    v0, v5, v10, v15 = _g(v0, v5, v10, v15, m12, m2)
    v1, v6, v11, v12 = _g(v1, v6, v11, v12, m13, m7)
    v2, v7, v8, v13 = _g(v2, v7, v8, v13, m1, m4)
    v3, v4, v9, v14 = _g(v3, v4, v9, v14, m10, m5)
    # round 9: SIGMA[9] = 10 2 8 4 7 6 1 5 15 11 9 14 3 12 13 0
    v0, v4, v8, v12 = _g(v0, v4, v8, v12, m10, m2)
    v1, v5, v9, v13 = _g(v1, v5, v9, v13, m8, m4)
    v2, v6, v10, v14 = _g(v2, v6, v10, v14, m7, m6)
    v3, v7, v11, v15 = _g(v3, v7, v11, v15, m1, m5)
    v0, v5, v10, v15 = _g(v0, v5, v10, v15, m15, m11)
    v1, v6, v11, v12 = _g(v1, v6, v11, v12, m9, m14)
    v2, v7, v8, v13 = _g(v2, v7, v8, v13, m3, m12)
    v3, v4, v9, v14 = _g(v3, v4, v9, v14, m13, m0)
    # round 10: SIGMA[0] = 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
    v0, v4, v8, v12 = _g(v0, v4, v8, v12, m0, m1)
    v1, v5, v9, v13 = _g(v1, v5, v9, v13, m2, m3)
    v2, v6, v10, v14 = _g(v2, v6, v10, v14, m4, m5)
    v3, v7, v11, v15 = _g(v3, v7, v11, v15, m6, m7)
    v0, v5, v10, v15 = _g(v0, v5, v10, v15, m8, m9)
    v1, v6, v11, v12 = _g(v1, v6, v11, v12, m10, m11)
    v2, v7, v8, v13 = _g(v2, v7, v8, v13, m12, m13)
    v3, v4, v9, v14 = _g(v3, v4, v9, v14, m14, m15)
    # round 11: SIGMA[1] = 14 10 4 8 9 15 13 6 1 12 0 2 11 7 5 3
    v0, v4, v8, v12 = _g(v0, v4, v8, v12, m14, m10)
    v1, v5, v9, v13 = _g(v1, v5, v9, v13, m4, m8)
    v2, v6, v10, v14 = _g(v2, v6, v10, v14, m9, m15)
    v3, v7, v11, v15 = _g(v3, v7, v11, v15, m13, m6)
    v0, v5, v10, v15 = _g(v0, v5, v10, v15, m1, m12)
    v1, v6, v11, v12 = _g(v1, v6, v11, v12, m0, m2)
    v2, v7, v8, v13 = _g(v2, v7, v8, v13, m11, m7)
    v3, v4, v9, v14 = _g(v3, v4, v9, v14, m5, m3)
    h[0] ^= v0 ^ v8
    h[1] ^= v1 ^ v9
    h[2] ^= v2 ^ v10
    h[3] ^= v3 ^ v11
    h[4] ^= v4 ^ v12
    h[5] ^= v5 ^ v13
    h[6] ^= v6 ^ v14
    h[7] ^= v7 ^ v15


@nb.njit(cache=True, inline="always")
def _put(h, block, v, state, data, a, b):  # pragma: no cover
    """Bytes data[a:b] into the hash. A full block is compressed only once more bytes
    come: the last block is compressed by `_digest`, flagged as the last."""
    filled, counter = state
    while a < b:
        if filled == 128:
            counter += 128
            _compress(h, block, counter, False)
            filled = 0
        take = min(b - a, 128 - filled)
        block[filled : filled + take] = data[a : a + take]
        filled += take
        a += take
    return filled, counter


@nb.njit(cache=True, inline="always")
def _put_escaped(h, block, v, state, data, a, b, escape):  # pragma: no cover
    """Text data[a:b] as the inside of a JSON string: runs without `"`, `\\` or control
    bytes go in whole; those bytes go in escaped, as `json.dumps` writes them."""
    while a < b:
        run = a
        while run < b and data[run] >= 0x20 and data[run] != 0x22 and data[run] != 0x5C:
            run += 1
        state = _put(h, block, v, state, data, a, run)
        if run == b:
            break
        byte = data[run]
        escape[0] = 0x5C  # backslash
        if byte >= 0x20:  # " or \
            escape[1] = byte
            state = _put(h, block, v, state, escape, 0, 2)
        elif _SHORT_ESCAPES[byte]:
            escape[1] = _SHORT_ESCAPES[byte]
            state = _put(h, block, v, state, escape, 0, 2)
        else:  # \u00XX, lower-case hex
            escape[1] = 0x75
            escape[2] = 0x30
            escape[3] = 0x30
            escape[4] = _HEX[byte >> 4]
            escape[5] = _HEX[byte & 15]
            state = _put(h, block, v, state, escape, 0, 6)
        a = run + 1
    return state


@nb.njit(cache=True, inline="always")
def _start(h):  # pragma: no cover
    for i in range(8):
        h[i] = _IV[i]
    h[0] ^= np.uint64(0x01010000 ^ _DIGEST_BYTES)  # no key, 8-byte digest
    return 0, 0


@nb.njit(cache=True, inline="always")
def _digest(h, block, v, state, out):  # pragma: no cover
    """Finish the hash: the last block, zero-padded, then the digest as hex into `out`."""
    filled, counter = state
    block[filled:] = 0
    _compress(h, block, counter + filled, True)
    for i in range(_DIGEST_BYTES):
        byte = (h[i // 8] >> np.uint64(8 * (i % 8))) & np.uint64(0xFF)
        out[2 * i] = _HEX[byte >> np.uint64(4)]
        out[2 * i + 1] = _HEX[byte & np.uint64(15)]


@nb.njit(cache=True, parallel=True, nogil=True)
def _canonical_ids(offsets, plain, role, role_off, content, content_off, out):  # pragma: no cover
    """The hex id of each plain row r (turns offsets[r]:offsets[r+1]) into out[r]."""
    for r in nb.prange(out.shape[0]):
        if not plain[r]:
            continue
        h = np.empty(8, np.uint64)
        v = np.empty(16, np.uint64)
        block = np.empty(128, np.uint8)
        escape = np.empty(6, np.uint8)
        state = _start(h)
        state = _put(h, block, v, state, _OPEN, 0, len(_OPEN))
        for t in range(offsets[r], offsets[r + 1]):
            if t > offsets[r]:
                state = _put(h, block, v, state, _COMMA, 0, 1)
            state = _put(h, block, v, state, _TURN_OPEN, 0, len(_TURN_OPEN))
            state = _put_escaped(
                h, block, v, state, content, content_off[t], content_off[t + 1], escape
            )
            state = _put(h, block, v, state, _TURN_MIDDLE, 0, len(_TURN_MIDDLE))
            state = _put_escaped(h, block, v, state, role, role_off[t], role_off[t + 1], escape)
            state = _put(h, block, v, state, _TURN_CLOSE, 0, len(_TURN_CLOSE))
        state = _put(h, block, v, state, _CLOSE, 0, len(_CLOSE))
        _digest(h, block, v, state, out[r])


def blake2b_hex(data: bytes) -> str:
    """The kernel's BLAKE2b-64 of `data` (for tests against hashlib)."""
    h, v = np.empty(8, np.uint64), np.empty(16, np.uint64)
    block = np.empty(128, np.uint8)
    out = np.zeros(2 * _DIGEST_BYTES, np.uint8)
    _hash_bytes(np.frombuffer(data, np.uint8), h, v, block, out)
    return out.tobytes().decode()


@nb.njit(cache=True)
def _hash_bytes(data, h, v, block, out):  # pragma: no cover
    state = _start(h)
    state = _put(h, block, v, state, data, 0, len(data))
    _digest(h, block, v, state, out)
