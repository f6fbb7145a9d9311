"""The fast path of ingest: a chunk of JSONL lines -> canonical records, in polars.

`curate.io.formats` is the reference: it maps one parsed object at a time and knows every
bad-row reason. This module does the same mapping for whole chunks with polars expressions,
but only for rows it can prove clean; it hands every other row back to the reference path.
So it never has to know a reason, and a test asserts both paths give identical frames.

A row goes back to the reference path when polars may have read it differently from a
JSON parser: polars coerces a column of mixed types to text (`5` -> "5", a list of
content parts -> its JSON), so text that looks like a coerced value is not trusted; when a
field the format needs is null or of an unexpected type; when the conversation is not
valid; or when `meta` would need a null, a float or a nested value.

Its records leave `id` null: `curate.io.ids.fill_ids` hashes them, many rows at a time.
"""

from __future__ import annotations

import io

import polars as pl
import pyarrow as pa

from curate.io.formats import MESSAGE_ROLES, SHAREGPT_ROLES, FieldNames
from curate.records import RECORD_SCHEMA

# Text that a mixed-type column may have produced from a non-string JSON value.
COERCED = r"^\s*[\[{]|^-?\d+(\.\d+)?([eE][+-]?\d+)?$|^(true|false|null)$"
META_TYPES = (pl.String, pl.Int64, pl.Boolean)
NON_BLANK = r"[^\s\x1c-\x1f]"
MESSAGES = "_curate_messages"  # the mapped messages, beside the file's own columns


def parse_block(data: bytes | memoryview) -> pl.DataFrame | None:
    """The lines of a JSONL block as a frame (None when a line cannot be read).

    Every line's keys are kept: the schema is inferred over all of them, since a key that
    first appears late is a meta field like any other. pyarrow's JSON reader does that in
    one multi-threaded pass (~2x faster than polars' `read_ndjson` with full inference,
    which parses twice). Where pyarrow reads a type polars would read as text (an ISO
    date string becomes a timestamp) or refuses the block (a key whose type changes
    between lines, which polars coerces to text), polars reads it as before.
    """
    table = _arrow_json(data)
    if table is not None and all(_plain(field.type) for field in table.schema):
        return pl.from_arrow(table)  # type: ignore[return-value]
    try:
        return pl.read_ndjson(io.BytesIO(data), infer_schema_length=None)
    except Exception:  # a malformed line anywhere: the reference path finds it
        return None


def _arrow_json(data: bytes | memoryview) -> pa.Table | None:
    import pyarrow.json as pj

    for block_size in (1 << 22, len(data) + 1):  # a line longer than a block: one block
        try:
            options = pj.ReadOptions(block_size=block_size)
            return pj.read_json(pa.BufferReader(pa.py_buffer(data)), read_options=options)
        except pa.ArrowInvalid as error:
            if "straddl" not in str(error):
                return None
    return None


def _plain(dtype: pa.DataType) -> bool:
    """JSON's own types: text, numbers, booleans, null, and lists and objects of them."""
    if pa.types.is_list(dtype) or pa.types.is_large_list(dtype):
        return _plain(dtype.value_type)
    if pa.types.is_struct(dtype):
        return all(_plain(dtype.field(i).type) for i in range(dtype.num_fields))
    return (
        pa.types.is_string(dtype)
        or pa.types.is_large_string(dtype)
        or pa.types.is_integer(dtype)
        or pa.types.is_floating(dtype)
        or pa.types.is_boolean(dtype)
        or pa.types.is_null(dtype)
    )


def vectorised_records(
    frame: pl.DataFrame | None,
    first_row: int,
    count: int,
    fmt: str | None,
    source: str,
    license_: str | None,
    fields: FieldNames,
) -> tuple[pl.DataFrame | None, list[int]]:
    """Records for the clean rows of `frame` (`parse_block` of `count` non-blank JSONL
    lines, records `first_row`, `first_row + 1`, ...), and the positions of the lines left
    to the reference path."""
    everything = list(range(count))
    if fmt not in MAPPERS or frame is None or frame.height != count:
        return None, everything
    mapped = MAPPERS[fmt](frame, fields)
    if mapped is None:
        return None, everything
    messages, consumed, clean = mapped
    meta_columns = sorted(c for c in frame.columns if c not in consumed and c != "license")
    if any(not isinstance(frame.schema[c], META_TYPES) for c in meta_columns):
        return None, everything
    if "license" in frame.columns and frame.schema["license"] != pl.String:
        return None, everything
    # the messages once, as a column: an expression used three times is built three times
    frame = frame.with_columns(messages.alias(MESSAGES))
    mapped_messages = pl.col(MESSAGES)
    clean = clean & _valid(mapped_messages) & ~_coerced_text(mapped_messages)
    for column in meta_columns:
        clean = clean & pl.col(column).is_not_null()
        if frame.schema[column] == pl.String:
            clean = clean & ~pl.col(column).str.contains(COERCED)
    license_col = pl.col("license") if "license" in frame.columns else pl.lit(None, pl.String)
    meta = pl.struct(meta_columns).struct.json_encode() if meta_columns else pl.lit("{}")
    out = frame.select(
        pl.int_range(first_row, first_row + count, dtype=pl.Int64).alias("row"),
        mapped_messages.alias("messages"),
        meta.alias("meta"),
        license_col.fill_null(pl.lit(license_, pl.String)).alias("license"),
        clean.alias("_clean"),
    )
    fast = out.filter(pl.col("_clean"))
    slow = out.with_row_index("_pos").filter(~pl.col("_clean"))["_pos"].to_list()
    records = fast.select(
        pl.lit(None, pl.String).alias("id"),  # `ids.fill_ids` hashes all rows in one go
        pl.lit(source).alias("source"),
        "row",
        "messages",
        pl.lit(None, pl.String).alias("tools"),
        "meta",
        "license",
    ).cast(RECORD_SCHEMA)  # type: ignore[arg-type]
    return records, slow


def _turn(role: pl.Expr, content: pl.Expr) -> pl.Expr:
    return pl.struct(
        role.alias("role"),
        content.alias("content"),
        pl.lit(None, pl.String).alias("reasoning"),
        pl.lit(None, pl.String).alias("tool_calls"),
        pl.lit(None, pl.Float64).alias("loss_weight"),
    )


def _text_columns(frame: pl.DataFrame, names: list[str]) -> bool:
    return all(frame.schema.get(n) == pl.String for n in names)


def _sharegpt(frame: pl.DataFrame, fields: FieldNames):
    dtype = frame.schema.get("conversations")
    if not (isinstance(dtype, pl.List) and isinstance(dtype.inner, pl.Struct)):
        return None
    inner = {f.name: f.dtype for f in dtype.inner.fields}
    if (
        inner != {"from": pl.String, "value": pl.String}
        or "system" in frame.columns
        or "tools" in frame.columns
    ):
        return None
    turn = pl.element().struct
    speaker = turn.field("from").str.strip_chars().str.to_lowercase()
    mapping = {k: v for k, v in SHAREGPT_ROLES.items() if k != "function_call"}
    messages = pl.col("conversations").list.eval(
        _turn(speaker.replace_strict(mapping, default=None), turn.field("value").fill_null(""))
    )
    known = (
        pl.col("conversations")
        .list.eval(speaker.is_in(list(mapping)) & turn.field("value").is_not_null())
        .list.all()
    )
    return messages, {"conversations"}, known & pl.col("conversations").is_not_null()


def _messages(frame: pl.DataFrame, fields: FieldNames):
    dtype = frame.schema.get("messages")
    if not (isinstance(dtype, pl.List) and isinstance(dtype.inner, pl.Struct)):
        return None
    inner = {f.name: f.dtype for f in dtype.inner.fields}
    if inner != {"role": pl.String, "content": pl.String} or "tools" in frame.columns:
        return None
    turn = pl.element().struct
    role = turn.field("role").str.strip_chars().str.to_lowercase()
    mapping = MESSAGE_ROLES
    messages = pl.col("messages").list.eval(
        _turn(role.replace_strict(mapping, default=None), turn.field("content").fill_null(""))
    )
    known = pl.col("messages").list.eval(role.is_in(list(mapping))).list.all()
    return messages, {"messages"}, known & pl.col("messages").is_not_null()


def _single_turn(frame: pl.DataFrame, prompt: pl.Expr, response: str, system: str) -> pl.Expr:
    has_system = system in frame.columns
    system_text = pl.col(system) if has_system else pl.lit(None, pl.String)
    with_system = system_text.is_not_null() & (system_text.str.strip_chars() != "")
    pair = [_turn(pl.lit("user"), prompt), _turn(pl.lit("assistant"), pl.col(response))]
    return (
        pl.when(with_system)
        .then(pl.concat_list([_turn(pl.lit("system"), system_text), *pair]))
        .otherwise(pl.concat_list(pair))
    )


def _alpaca(frame: pl.DataFrame, fields: FieldNames):
    response = "output" if "output" in frame.columns else "response"
    optional = [c for c in ("input", "system") if c in frame.columns]
    if "history" in frame.columns or not _text_columns(frame, ["instruction", response, *optional]):
        return None
    extra = pl.col("input") if "input" in frame.columns else pl.lit(None, pl.String)
    prompt = (
        pl.when(extra.is_not_null() & (extra.str.strip_chars() != ""))
        .then(pl.col("instruction") + pl.lit("\n\n") + extra)
        .otherwise(pl.col("instruction"))
    )
    messages = _single_turn(frame, prompt, response, "system")
    clean = pl.col("instruction").is_not_null() & pl.col(response).is_not_null()
    for column in optional:
        clean = clean & ~pl.col(column).fill_null("").str.contains(COERCED)
    return messages, {"instruction", "input", response, "system"}, clean


def _prompt_response(frame: pl.DataFrame, fields: FieldNames):
    response = fields.response
    if response not in frame.columns and response == "response" and "completion" in frame.columns:
        response = "completion"
    optional = [fields.system] if fields.system in frame.columns else []
    if not _text_columns(frame, [fields.prompt, response, *optional]):
        return None
    messages = _single_turn(frame, pl.col(fields.prompt), response, fields.system)
    clean = pl.col(fields.prompt).is_not_null() & pl.col(response).is_not_null()
    for column in optional:
        clean = clean & ~pl.col(column).fill_null("").str.contains(COERCED)
    return messages, {fields.prompt, response, fields.system}, clean


MAPPERS = {
    "sharegpt": _sharegpt,
    "messages": _messages,
    "alpaca": _alpaca,
    "prompt_response": _prompt_response,
}


def _valid(messages: pl.Expr) -> pl.Expr:
    """A user turn followed by a non-blank assistant turn (formats.validate_conversation)."""
    turn = pl.element().struct
    is_user = messages.list.eval(turn.field("role") == "user")
    # non-blank as Python's str.strip sees it (its whitespace adds \x1c-\x1f to `\s`);
    # a regex stops at the first such character instead of writing every stripped text
    answered = messages.list.eval(
        (turn.field("role") == "assistant") & turn.field("content").str.contains(NON_BLANK)
    )
    first_user = is_user.list.arg_max()
    last_answer = answered.list.len() - 1 - answered.list.reverse().list.arg_max()
    return is_user.list.any() & answered.list.any() & (last_answer > first_user)


def _coerced_text(messages: pl.Expr) -> pl.Expr:
    return messages.list.eval(pl.element().struct.field("content").str.contains(COERCED)).list.any()
