"""Exact-dedup keys: the hash kernel groups rows exactly as the canonical text does."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from curate.dedup.exact import exact_keys
from curate.io.ingest import read_records
from curate.records import message
from curate.stages.base import Context
from curate.stages.exact_dedup import ExactDedup
from curate.text import field_text, normalized
from tests.conftest import shared
from tests.filter_support import conversations


def groups(keys: pl.DataFrame | pl.Series) -> list[int]:
    """Each row's group as the position of its first member (comparable across keyings)."""
    frame = keys.to_frame() if isinstance(keys, pl.Series) else keys
    by = frame.columns
    return frame.with_row_index("_pos").select(pl.col("_pos").min().over(by)).to_series().to_list()


def by_text(frame: pl.DataFrame, field: str) -> list[int]:
    return groups(frame.select(normalized(field_text(field))).to_series())


def by_key(frame: pl.DataFrame, field: str) -> list[int]:
    return groups(exact_keys(frame["messages"], field))


def test_every_whitespace_code_point_matches_polars() -> None:
    """The kernel's whitespace is polars' `\\s` (and `strip_chars`), code point by code
    point: every one up to U+3100 (all of White_Space is below it), then a sample."""
    points = np.r_[0:0x3100, 0x3100:0xD800:61, 0xE000:0x110000:61]
    chars = pl.Series([chr(p) for p in points])
    polars_space = chars.str.contains(r"^\s$").to_numpy()
    assert (chars.str.strip_chars() == "").to_numpy().tolist() == polars_space.tolist()
    # the prompt "a<c>b" collapses to "a b" exactly when <c> is whitespace
    prompts = pl.concat([pl.Series(["a b"]), "a" + chars + "b"])
    turn = {"reasoning": None, "tool_calls": None, "loss_weight": None}
    messages = pl.select(
        pl.concat_list(
            pl.struct(role=pl.lit("user"), content=prompts, **turn),
            pl.struct(role=pl.lit("assistant"), content=pl.lit("x"), **turn),
        )
    ).to_series()
    keys = exact_keys(messages, "prompt")
    kernel_space = (keys.to_numpy() == keys.row(0)).all(axis=1)[1:]
    assert (kernel_space == polars_space).all(), points[kernel_space != polars_space][:10]


def variants(records: pl.DataFrame) -> pl.DataFrame:
    """Real records, then copies that differ only in case and whitespace (same canonical
    text), copies with a letter changed (different text), and odd turns."""
    head = records.head(300)

    def edit(expr: pl.Expr) -> pl.DataFrame:
        return head.with_columns(
            pl.col("messages").list.eval(
                pl.element().struct.with_fields(pl.field("content").pipe(lambda c: expr))
            )
        )

    content = pl.field("content")
    odd = conversations(
        [("system", " Be brief. "), ("user", "Hi"), ("assistant", "Hello")],
        [("user", "Hi"), ("assistant", "Hello")],
        [("user", "hi"), ("assistant", "hello ")],
        [("user", ""), ("assistant", "\u3000")],
        [("user", "x y"), ("user", "z"), ("assistant", "w")],
        [("user", "x"), ("user", "y z"), ("assistant", "w")],
        [("user", "Straße"), ("assistant", "ok")],
        [("user", "STRASSE"), ("assistant", "ok")],
    )
    tool = message("assistant", "calling", tool_calls='[{"name": "Search"}]')
    with_tools = odd.head(2).with_columns(
        pl.Series("messages", [[*m[:-1], tool] for m in odd.head(2)["messages"].to_list()])
    )
    return pl.concat(
        [
            records,
            edit(content.str.to_uppercase()),
            edit(content.str.replace_all(" ", "  \t")),
            edit("\u3000 " + content + "\n\u2028"),
            edit(content.str.replace_all(r"\.", ". \u00a0")),
            edit(content.str.replace_all("a", "b")),
            odd,
            with_tools,
        ],
        how="diagonal_relaxed",
    )


@pytest.mark.parametrize("field", ["conversation", "prompt"])
def test_keys_group_rows_as_the_canonical_text_does(field: str) -> None:
    """On real conversations (single and multi-turn, system turns, tool calls) and their
    variants, grouping by the 128-bit key equals grouping by the full canonical text."""
    records = pl.concat(
        [
            read_records(shared(p)).records
            for p in (
                "lima/lima.json.gz",
                "llama-factory/alpaca_en_demo.json",
                "fastchat/dummy_conversation.json",
                "llama-factory/glaive_toolcall_en_demo.json",
            )
        ]
    )
    frame = variants(records)
    expected = by_text(frame, field)
    assert by_key(frame, field) == expected
    assert len(set(expected)) < len(expected) - 1000  # the variants really did group


def test_keys_agree_with_the_text_wherever_eight_byte_windows_fall() -> None:
    """The kernel takes plain text eight bytes at a time and everything else byte by
    byte: random texts of short pieces (letters at the A-Z edges, single and doubled
    spaces, tabs, newlines, non-ASCII letters and spaces) and their case and whitespace
    variants put every kind of byte at every place of a window."""
    import random

    rng = random.Random(0)
    pieces = ["ab", "A", "Z", "z", "@", "[", "`", "{", "~", "\x7f", " ", "  ", "\t", "\n",
              "\x1f", "é", "É", "\u00a0", "\u3000", "xxxxxxx", "Hello World", "0123456789"]  # fmt: skip
    texts = ["".join(rng.choices(pieces, k=rng.randint(0, 30))) for _ in range(1500)]
    variants = [t.upper() for t in texts] + [" " + t.replace(" ", " \t ") + " " for t in texts]
    frame = conversations(*[[("user", t), ("assistant", "a")] for t in texts + variants])
    for field in ("prompt", "conversation"):
        expected = by_text(frame, field)
        assert by_key(frame, field) == expected
        assert len(set(expected)) < len(expected) - 1000


def test_stage_marks_later_copies_and_keeps_the_first() -> None:
    records = read_records(shared("llama-factory/alpaca_en_demo.json")).records.head(50)
    copies = records.head(5).with_columns(row=pl.col("row") + 1000)
    out = ExactDedup().apply(pl.concat([records, copies]), Context())
    dropped = out.filter(pl.col("reject_reason") == "duplicate")
    assert dropped["row"].to_list() == list(range(1000, 1005))
    assert dropped["duplicate_of"].to_list() == records.head(5)["id"].to_list()
    assert not any(c.startswith("_exact") for c in out.columns)
