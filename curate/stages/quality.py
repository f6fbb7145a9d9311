"""Quality rules: each names its own ledger reason, reads its thresholds from the config and
explains itself in `reject_detail` (the value against its threshold, or the matched span).

Rules, checked in this order (a row is rejected for the first that fires):

| reason | fires when |
|---|---|
| `empty_response` | the assistant turns hold no word and no tool call |
| `template_tokens` | chat-template or control tokens left in any turn, outside code |
| `mojibake` | U+FFFD or mis-decoded text (ftfy's `badness` heuristics), outside code |
| `placeholder` | unfilled template text (`{{name}}`, `[insert ...]`, lorem ipsum), outside code |
| `truncated` | the response stops inside a code fence or mid-sentence |
| `repetition` | Gopher repetition rules on the response: duplicate lines, top 2/3/4-gram and duplicate 5/10-gram fractions |
| `too_short` | a response under `too_short_words` words to a prompt that asks for long-form text |
| `too_long` | the conversation is over `max_tokens` tokens |
| `language_mismatch` | the response's language differs from the prompt's (py3langid), unless the prompt asks for a translation |

All but `language_mismatch` are vectorised over the whole column: each text view
(response, its prose without code, the conversation) is built once per frame in
`annotate`, and the rules and the score read it there; counts, distinct lines and n-gram
repetition are numba passes over the bytes (`curate.textstats`). `decide` words the
details for the rejected rows only. Language identification is one py3langid call per
text, cached by content hash.
"""

from __future__ import annotations

import functools
import re
from typing import Literal, get_args

import numpy as np
import polars as pl
from pydantic import Field, field_validator

from curate.records import content_id
from curate.scoring import COLUMN as QUALITY
from curate.scoring import combine, uniqueness_term
from curate.signals import (
    CODE,
    count_tokens,
    count_words,
    ends_mid_sentence,
    last_line,
    unclosed_fence,
    without_code,
)
from curate.stages.base import (
    DETAIL,
    REASON,
    Context,
    Stage,
    StageConfig,
    keep_all,
    warm_up_frame,
)
from curate.text import field_text
from curate.textstats import line_counts, ngram_repetition

Rule = Literal[
    "empty_response",
    "template_tokens",
    "mojibake",
    "placeholder",
    "truncated",
    "repetition",
    "too_short",
    "too_long",
    "language_mismatch",
]
RULES: tuple[str, ...] = get_args(Rule)

# Chat-template and control tokens of the common formats (ChatML, Llama 2/3, Mistral,
# Gemma, Phi, Alpaca/Vicuna headers). Literal strings, matched case-sensitively.
TEMPLATE_TOKENS = [
    "<|im_start|>", "<|im_end|>", "<|endoftext|>", "<|eot_id|>", "<|start_header_id|>",
    "<|end_header_id|>", "<|begin_of_text|>", "<|end_of_text|>", "<|assistant|>", "<|user|>",
    "<|system|>", "<|end|>", "<|eos|>", "<|pad|>", "[INST]", "[/INST]", "<<SYS>>", "<</SYS>>",
    "<start_of_turn>", "<end_of_turn>", "</s>", "<s>", "<unk>", "<pad>",
    "### Instruction:", "### Response:", "### Input:", "### Human:", "### Assistant:",
]  # fmt: skip

# Unfilled templates and stand-in text. Case-insensitive regexes.
PLACEHOLDERS = [
    r"\{\{\s*[\w.]+\s*\}\}",  # {{name}} (Jinja / Handlebars variables)
    r"\[\s*(?:insert|add|enter|fill in|put)\b[^\]\n]{0,60}\]",  # [insert date here]
    r"<\s*(?:insert|add|enter|fill in|put)\b[^>\n]{0,60}>",  # <insert name>
    r"\[(?:placeholder|todo|tbd|tk)\]",
    r"[<\[]\s*(?:your|the|insert|enter)\b[^<>\[\]\n]{0,40}\bhere\s*[>\]]",  # <your answer here>
    # the whole response is one bracketed field: "{response}", "<answer>", "[Answer]"
    r"\A\s*(?:\{\s*[A-Za-z_][\w ]{2,40}\}|<\s*[A-Za-z_][\w ]{2,40}>|\[\s*[A-Za-z_][\w ]{2,40}\])\s*(?-m:$)",
    # a note left for the writer: "TODO: write the answer" (upper case: not a to-do list)
    r"(?-i:\b(?:TODO|FIXME|TBD)\b)\s*:?\s*(?:write|add|fill|complete|insert|finish|answer|"
    r"implement|provide|respond)\b",
    r"\blorem ipsum\b",
    r"\A\s*(?:n/a|none|null|todo|tbd|\.\.\.|\?+)\s*(?-m:$)",  # the whole response is a stub
    r"\b(?:your|the) (?:answer|response|output|text) goes here\b",
]

# Template variables ({{name}}, {name}): the answer itself when the prompt asks for a
# template, a macro or text a program fills in (TEMPLATE_CUE), placeholders otherwise.
TEMPLATE_VARIABLE = r"\{\{\s*[\w.]+\s*\}\}|\{[A-Za-z_][A-Za-z0-9_]{2,40}\}"
TEMPLATE_CUE = (
    r"(?i)\b(?:templates?|macros?|canned (?:responses?|replies|messages?)|boilerplate|"
    r"form letters?|mail[- ]?merge|merge (?:fields?|tags?)|placeholders?|variables?|reusable|"
    r"snippets?|jinja|handlebars|mustache|liquid|f-strings?|format strings?|"
    r"(?:error|notification|confirmation|welcome|onboarding|status|empty[- ]state|404) "
    r"(?:pages?|messages?|e-?mails?|screens?|texts?|banners?|toasts?|copy)|UI (?:text|copy|"
    r"strings?)|microcopy|localization|i18n)\b|plantilla|modèle|Vorlage|模板|模版"
)

# Prompts that ask for another language (or a long-form text, for `too_short`).
TRANSLATION_CUE = (
    r"(?i)translat|traduc|traduz|übersetz|翻译|翻譯|\bin (?:english|spanish|french|german|"
    r"chinese|italian|portuguese|japanese|korean|russian|arabic|hindi|dutch)\b|"
    r"\b(?:english|spanish|french|german|chinese|italian|portuguese|japanese|korean|russian)\b"
)
LONG_FORM_CUE = (
    r"(?i)\b(?:write|compose|draft|create)\b.{0,40}\b(?:essay|story|article|blog|letter|"
    r"report|speech|poem|guide|tutorial|script|paragraph|review|description|proposal|summary)\b|"
    r"\bexplain\b.{0,40}\b(?:in detail|step by step|how)\b|\bin detail\b|\bstep[- ]by[- ]step\b|"
    r"\bdescribe\b|\b(?:compare|contrast)\b|\blist (?:\d+|several|some|the)\b|"
    r"escrib[ae] un|redacta|écri(?:s|vez) un|rédige|schreib(?:e|en Sie)? (?:einen|eine|ein)|"
    r"写一(?:篇|个|首|封)|详细|"
    # code that cannot be a one-liner: "a complete Python class", "write a class"
    r"\b(?:complete|full|entire|whole|fully[- ]working|full[- ]featured)\b.{0,30}\b(?:class|"
    r"program|script|module|application|app|game|implementation|website|project)\b|"
    r"\b(?:write|implement|create|build|design)\b.{0,30}\bclass(?:es)?\b"
)
# A length the prompt asks for: "a 500-word essay", "at least 300 words", "3 paragraphs"
# (group 1: a word that makes it an upper bound, "under 50 words"; 4: "or less").
REQUESTED_LENGTH = (
    r"(?i)(?:\b(under|fewer than|less than|at most|no more than|max(?:imum)?(?: of)?|up to|"
    r"within|limit(?:ed)? to|below|shorter than|not exceed(?:ing)?|menos de|moins de|"
    r"höchstens|maximal|不超过|以内)\s+)?(\d{1,3}(?:,\d{3})*|\d+)\s*-?\s*(words?|palabras|mots|"
    r"Wörtern?|字|paragraphs?|párrafos|paragraphes|Absätzen?|段)(\s+or (?:less|fewer)|以内)?"
)
# a cheap necessary condition for REQUESTED_LENGTH (case-sensitive, ASCII digits: ~10x
# faster than the case-insensitive regex)
LENGTH_NAMED = (
    r"[0-9][\s-]*(?:[Ww]ords?|WORDS|[Pp]alabras|[Mm]ots|Wört|字|[Pp]aragraph|PARAGRAPH|[Pp]árrafo|"
    r"[Pp]aragraphe|Absätz|段)"
)
# words a requested paragraph stands for
PARAGRAPH_WORDS = 50

SCORE_COLUMNS = {
    QUALITY: "quality",
    "quality_tokens": "tokens",
    "quality_dup_line_frac": "dup_line_frac",
    "quality_top_ngram_frac": "top_2gram_frac",
    "quality_dup_ngram_frac": "dup_5gram_frac",
}


class QualityConfig(StageConfig):
    kind: Literal["quality"] = "quality"
    # rules to switch off, by name
    disable: list[Rule] = Field(default_factory=list)
    # template_tokens / mojibake / placeholder
    template_tokens: list[str] = Field(default_factory=lambda: list(TEMPLATE_TOKENS))
    placeholders: list[str] = Field(default_factory=lambda: list(PLACEHOLDERS))
    # repetition: the Gopher rules (Rae et al. 2021, table A1) on the response's prose (code
    # blocks removed), n-gram rules on responses of `repetition_min_words`+ words. Gopher's
    # web-page thresholds (lines 0.3; top 2/3/4-gram 0.20/0.18/0.16; duplicate 5..10-grams
    # 0.15..0.10) reject 5% of GPT-4's alpaca_eval answers (songs with a chorus, parallel
    # lists); these defaults keep those and still catch generation loops (0.4 and up).
    repetition_min_words: int = Field(20, ge=1)
    dup_line_frac: float = Field(0.40, gt=0, le=1)
    top_ngram_frac: dict[int, float] = Field(default_factory=lambda: {2: 0.25, 3: 0.25, 4: 0.25})
    dup_ngram_frac: dict[int, float] = Field(default_factory=lambda: {5: 0.35, 10: 0.30})
    # too_short: fewer words than this, to a prompt that asks for long-form text; or fewer
    # than this fraction of a length the prompt asks for ("a 500-word essay")
    too_short_words: int = Field(8, ge=1)
    too_short_fraction: float = Field(0.25, gt=0, le=1)
    # too_long: conversation tokens; `tokenizer` None = fast estimate, else "smollm2-135m"
    # (the default model's GGUF tokenizer) or a local Hugging Face model/tokenizer folder
    max_tokens: int = Field(8192, ge=1)
    tokenizer: str | None = None
    # language_mismatch
    language_min_chars: int = Field(20, ge=1)
    language_min_confidence: float = Field(0.9, ge=0, le=1)

    @field_validator("placeholders")
    @classmethod
    def _regexes_compile(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as err:
                raise ValueError(f"placeholder pattern {pattern!r} is not a regex: {err}") from err
        return patterns

    @field_validator("top_ngram_frac", "dup_ngram_frac")
    @classmethod
    def _ngram_sizes(cls, table: dict[int, float]) -> dict[int, float]:
        for n, frac in table.items():
            if not 2 <= n <= 20 or not 0 < frac <= 1:
                raise ValueError(f"n-gram size {n} must be 2..20 and its fraction in (0, 1]")
        return table

    def enabled(self, rule: str) -> bool:
        return rule not in self.disable


class Quality(Stage):
    kind = "quality"
    Config = QualityConfig
    config: QualityConfig
    score_columns = SCORE_COLUMNS

    def warm_up(self, ctx: Context) -> None:
        # numba text kernels, the character table and the language-id model
        self.apply(warm_up_frame())

    def annotate(self, frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        cfg = self.config
        # one chunk per column: polars 2.1 panics on some list/string expressions over a
        # frame whose columns are chunked differently (e.g. after concat + head)
        frame = frame.rechunk()
        views = frame.select(
            response=field_text("response"), conversation=field_text("conversation")
        ).with_columns(
            prose=without_code(pl.col("response")),
            conversation_prose=without_code(pl.col("conversation")),
        )
        response = pl.col("response")
        signals = views.select(
            words=count_words(response),
            uniqueness=uniqueness_term(response),
            fence=unclosed_fence(response),
            mid_sentence=ends_mid_sentence(response),
            dup_lines=_dup_line_frac(pl.col("prose")),
            **{f"_q_{rule}": hit for rule, hit in _text_hits(cfg).items()},
        )
        frame = frame.with_columns(
            signals.select(
                combine(*(pl.col(c) for c in ("words", "uniqueness", "fence", "mid_sentence"))),
                pl.col("words").alias("quality_words"),
                pl.col("dup_lines").alias("quality_dup_line_frac"),
                (pl.col("fence") | pl.col("mid_sentence")).alias("_q_truncated"),
                pl.col("^_q_.*$"),
            ).get_columns()
        )
        frame = frame.with_columns(
            count_tokens(views["conversation"], cfg.tokenizer, ctx).alias("quality_tokens"),
            _last_turn_empty(pl.col("messages")).alias("_q_last_empty"),
            *_min_words(frame, views["conversation"], cfg).get_columns(),
            *_ngram_stats(views["prose"], frame["quality_words"], cfg).get_columns(),
        )
        if "_q_placeholder" in frame.columns:
            frame = frame.with_columns(_unless_template(frame, views["prose"], cfg))
        if cfg.enabled("language_mismatch"):
            frame = frame.with_columns(_languages(frame, cfg, ctx).get_columns())
        return frame

    def decide(self, frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        cfg = self.config
        checks = [(rule, *_RULE_EXPRS[rule](cfg)) for rule in RULES if cfg.enabled(rule)]
        checks = [c for c in checks if c[1] is not None]
        temp = [c for c in frame.columns if c.startswith("_q_") or c == "quality_words"]
        if not checks:
            return keep_all(frame.drop(temp))
        hits = frame.select([hit.fill_null(False).alias(rule) for rule, hit, _ in checks])
        fired = hits.select(
            reason=pl.coalesce([pl.when(pl.col(r)).then(pl.lit(r)) for r, _, _ in checks]),
            rules=pl.concat_list(
                [pl.when(pl.col(r)).then(pl.lit(r)) for r, _, _ in checks]
            ).list.drop_nulls(),
        )
        # details are worded only for the rejected rows: span extraction is the slow part
        rows = fired["reason"].is_not_null().arg_true()
        subset = frame[rows].hstack(hits[rows].rename(lambda c: f"_hit_{c}"))
        detail = pl.coalesce([pl.when(pl.col(f"_hit_{r}")).then(d) for r, _, d in checks])
        also = pl.lit(fired["rules"][rows]).list.slice(1)
        worded = subset.select(
            pl.when(also.list.len() > 0)
            .then(pl.concat_str(detail, pl.lit(" (also "), also.list.join(", "), pl.lit(")")))
            .otherwise(detail)
        ).to_series()
        details = pl.Series(DETAIL, [None] * frame.height, dtype=pl.String).scatter(rows, worded)
        return frame.drop(temp).with_columns(fired["reason"].alias(REASON), details)


# --- per-rule expressions: (fires, detail) -------------------------------------------


def _fmt(value: pl.Expr, digits: int = 2) -> pl.Expr:
    return value.round(digits).cast(pl.String)


def _rule_empty(cfg: QualityConfig) -> tuple[pl.Expr, pl.Expr]:
    calls = pl.col("messages").list.eval(
        (pl.element().struct.field("role") == "assistant")
        & pl.element().struct.field("tool_calls").is_not_null()
    )
    none = (pl.col("quality_words") == 0) & ~calls.list.any()
    detail = (
        pl.when(none)
        .then(pl.lit("response has no words"))
        .otherwise(pl.lit("last assistant turn has no words"))
    )
    return none | pl.col("_q_last_empty"), detail


def _span(text: pl.Expr, pattern: str) -> pl.Expr:
    return pl.concat_str(pl.lit("matched "), text.str.extract(f"({pattern})", 1).str.slice(0, 60))


def _template_pattern(cfg: QualityConfig) -> str:
    return "|".join(re.escape(t) for t in cfg.template_tokens)


def _rule_template(cfg: QualityConfig) -> tuple[pl.Expr | None, pl.Expr]:
    if not cfg.template_tokens:
        return None, pl.lit(None)
    text = without_code(field_text("conversation"))
    return pl.col("_q_template_tokens"), _span(text, _template_pattern(cfg))


@functools.cache
def mojibake_pattern() -> str:
    """ftfy's `BADNESS_RE` (the maintained mojibake heuristics) as a Rust-regex pattern.

    ftfy writes it in Python's verbose syntax; Rust's verbose mode also drops spaces
    inside character classes, so the pattern is flattened instead of flagged `(?x)`.
    """
    from ftfy.badness import BADNESS_RE

    source, out, i, in_class = BADNESS_RE.pattern, [], 0, False
    while i < len(source):
        char = source[i]
        if char == "\\":
            out.append(source[i : i + 2])
            i += 2
            continue
        if in_class:
            if char == "]" and out[-1] not in ("[", "^"):
                in_class = False
            out.append(r"\x20" if char == " " else char)
        elif char == "[":
            in_class = True
            out.append(char)
            if source[i + 1 : i + 2] == "^":
                out.append("^")
                i += 1
        elif char == "#":
            while i < len(source) and source[i] != "\n":
                i += 1
            continue
        elif not char.isspace():
            out.append(char)
        i += 1
    return "\ufffd|" + "".join(out)


def _rule_mojibake(cfg: QualityConfig) -> tuple[pl.Expr, pl.Expr]:
    text = without_code(field_text("conversation"))
    context = text.str.extract(f"(.{{0,12}}(?:{mojibake_pattern()}).{{0,12}})", 1)
    return pl.col("_q_mojibake"), pl.concat_str(pl.lit("mis-decoded text: "), context)


def _placeholder_pattern(cfg: QualityConfig) -> str:
    return "(?im)" + "|".join(f"(?:{p})" for p in cfg.placeholders)


def _rule_placeholder(cfg: QualityConfig) -> tuple[pl.Expr | None, pl.Expr]:
    if not cfg.placeholders:
        return None, pl.lit(None)
    text = without_code(field_text("response"))
    span = text.str.extract(f"({_placeholder_pattern(cfg)})", 1).str.strip_chars().str.slice(0, 60)
    return pl.col("_q_placeholder"), pl.concat_str(pl.lit("placeholder "), span)


def _rule_truncated(cfg: QualityConfig) -> tuple[pl.Expr, pl.Expr]:
    response = field_text("response")
    detail = (
        pl.when(unclosed_fence(response))
        .then(pl.lit("code fence left open"))
        .otherwise(
            pl.concat_str(pl.lit("ends mid-sentence: ..."), last_line(response).str.slice(-50))
        )
    )
    return pl.col("_q_truncated"), detail


def _rule_repetition(cfg: QualityConfig) -> tuple[pl.Expr, pl.Expr]:
    checks: list[tuple[pl.Expr, pl.Expr]] = [
        (
            pl.col("quality_dup_line_frac") > cfg.dup_line_frac,
            pl.concat_str(
                pl.lit("duplicate lines "),
                _fmt(pl.col("quality_dup_line_frac")),
                pl.lit(f" > {cfg.dup_line_frac}"),
            ),
        )
    ]
    for kind, table in (("top", cfg.top_ngram_frac), ("dup", cfg.dup_ngram_frac)):
        for n, limit in sorted(table.items()):
            value = pl.col(f"_q_{kind}{n}")
            label = f"top {n}-gram" if kind == "top" else f"duplicate {n}-grams"
            checks.append(
                (
                    value > limit,
                    pl.concat_str(pl.lit(f"{label} "), _fmt(value), pl.lit(f" > {limit}")),
                )
            )
    long_enough = pl.col("quality_words") >= cfg.repetition_min_words
    hit = pl.any_horizontal([h.fill_null(False) for h, _ in checks])
    detail = pl.coalesce([pl.when(h.fill_null(False)).then(d) for h, d in checks])
    lines_only = checks[0][0].fill_null(False)
    # duplicate lines are judged at any length (a loop of 5 lines is a loop); n-gram
    # fractions only on long enough responses, where they are not noise
    return (lines_only | (long_enough & hit)), detail


def _rule_too_short(cfg: QualityConfig) -> tuple[pl.Expr, pl.Expr]:
    hit = pl.col("quality_words") < pl.col("_q_min_words")
    detail = pl.concat_str(
        pl.col("quality_words").cast(pl.String),
        pl.lit(" words < "),
        pl.col("_q_min_words").cast(pl.String),
        pl.lit(" for a prompt asking for: "),
        pl.col("_q_asked"),
    )
    return hit, detail


def _rule_too_long(cfg: QualityConfig) -> tuple[pl.Expr, pl.Expr]:
    how = "tokens" if cfg.tokenizer else "tokens (estimated)"
    detail = pl.concat_str(
        pl.col("quality_tokens").cast(pl.String), pl.lit(f" {how} > {cfg.max_tokens}")
    )
    return pl.col("quality_tokens") > cfg.max_tokens, detail


def _rule_language(cfg: QualityConfig) -> tuple[pl.Expr | None, pl.Expr]:
    hit = pl.col("_q_lang_prompt") != pl.col("_q_lang_response")
    detail = pl.concat_str(
        pl.lit("prompt "), pl.col("_q_lang_prompt"), pl.lit(" "), _fmt(pl.col("_q_conf_prompt")),
        pl.lit(" vs response "), pl.col("_q_lang_response"), pl.lit(" "),
        _fmt(pl.col("_q_conf_response")),
    )  # fmt: skip
    return hit.fill_null(False), detail


_RULE_EXPRS = {
    "empty_response": _rule_empty,
    "template_tokens": _rule_template,
    "mojibake": _rule_mojibake,
    "placeholder": _rule_placeholder,
    "truncated": _rule_truncated,
    "repetition": _rule_repetition,
    "too_short": _rule_too_short,
    "too_long": _rule_too_long,
    "language_mismatch": _rule_language,
}


# --- annotations ---------------------------------------------------------------------


def _text_hits(cfg: QualityConfig) -> dict[str, pl.Expr]:
    """The rules that read text, over the views `annotate` builds once (columns
    `conversation_prose`, `prose`: code removed)."""
    hits = {}
    if cfg.enabled("template_tokens") and cfg.template_tokens:
        hits["template_tokens"] = pl.col("conversation_prose").str.contains(_template_pattern(cfg))
    if cfg.enabled("mojibake"):
        hits["mojibake"] = pl.col("conversation_prose").str.contains(mojibake_pattern())
    if cfg.enabled("placeholder") and cfg.placeholders:
        hits["placeholder"] = _has_placeholder(pl.col("prose"), cfg)
    return hits


def _last_turn_empty(messages: pl.Expr) -> pl.Expr:
    """The last assistant turn holds no word and no tool call (a conversation whose final
    answer is missing, though earlier turns have words)."""
    last = messages.list.eval(
        pl.element().filter(pl.element().struct.field("role") == "assistant")
    ).list.last()
    content = last.struct.field("content").fill_null("")
    return (
        last.is_not_null()
        & ~content.str.contains(r"\w")
        & last.struct.field("tool_calls").is_null()
    ).fill_null(False)


def _min_words(frame: pl.DataFrame, conversation: pl.Series, cfg: QualityConfig) -> pl.DataFrame:
    """`_q_min_words`: the fewest words an answer to the last prompt may have (null: no
    bound), and `_q_asked`: the prompt text that sets it. `too_short_words` when the prompt
    asks for long-form text (read only where the response is shorter than that); the
    `too_short_fraction` of a length it asks for ("a 500-word essay": 125).
    """
    height = frame.height
    bound = pl.Series("_q_min_words", [None] * height, dtype=pl.Int64)
    asked = pl.Series("_q_asked", [None] * height, dtype=pl.String)
    if not cfg.enabled("too_short") or height == 0:
        return pl.DataFrame([bound, asked])
    prompt = field_text("last_prompt")
    short = (frame["quality_words"] < cfg.too_short_words).fill_null(False).arg_true()
    if short.len():
        cue = frame[short].select(prompt.str.extract(f"({LONG_FORM_CUE})", 1)).to_series()
        rows = short.filter(cue.is_not_null())
        bound = bound.scatter(rows, cfg.too_short_words)
        asked = asked.scatter(rows, cue.drop_nulls())
    # a length unit in the conversation, then the last prompt of those rows is read
    named = conversation.str.contains(LENGTH_NAMED).fill_null(False).arg_true()
    if named.len():
        length = (
            frame[named]
            .select(
                prompt.str.extract(f"({REQUESTED_LENGTH})", 1).alias("text"),
                groups=prompt.str.extract_groups(REQUESTED_LENGTH),
            )
            .unnest("groups")
            .select(
                "text",
                upper=pl.col("1").is_not_null() | pl.col("4").is_not_null(),
                words=pl.col("2").str.replace_all(",", "").cast(pl.Int64, strict=False)
                * pl.when(pl.col("3").str.contains(r"(?i)^(?:paragraph|párrafo|Absätz|段)"))
                .then(PARAGRAPH_WORDS)
                .otherwise(1),
            )
            .with_columns(
                need=(pl.col("words") * cfg.too_short_fraction).ceil().cast(pl.Int64),
            )
        )
        keep = (~length["upper"] & length["need"].is_not_null()).fill_null(False)
        rows, need = named.filter(keep), length["need"].filter(keep)
        current = bound.gather(rows)
        more = (current.is_null() | (need > current)).fill_null(True)
        bound = bound.scatter(rows.filter(more), need.filter(more))
        text = length["text"].filter(keep).filter(more)
        asked = asked.scatter(rows.filter(more), text)
    return pl.DataFrame([bound, asked])


def _unless_template(frame: pl.DataFrame, prose: pl.Series, cfg: QualityConfig) -> pl.Series:
    """`_q_placeholder`, with template variables ({{name}}, {name}) not counted where the
    last prompt asks for a template or text a program fills in (TEMPLATE_CUE)."""
    hits = frame["_q_placeholder"].fill_null(False)
    rows = hits.arg_true()
    if not rows.len():
        return hits
    cue = frame[rows].select(field_text("last_prompt").str.contains(TEMPLATE_CUE)).to_series()
    rows = rows.filter(cue.fill_null(False))
    if not rows.len():
        return hits
    stripped = (
        prose.gather(rows)
        .to_frame("prose")
        .select(_has_placeholder(pl.col("prose").str.replace_all(TEMPLATE_VARIABLE, " "), cfg))
    )
    return hits.scatter(rows, stripped.to_series())


def _has_placeholder(text: pl.Expr, cfg: QualityConfig) -> pl.Expr:
    """Any of `cfg.placeholders` in `text`."""
    # one regex per pattern: the same rows match as with their alternation, and each
    # keeps its literal prefilter (the alternation runs ~10x slower)
    return pl.any_horizontal(text.str.contains(f"(?im)(?:{p})") for p in cfg.placeholders)


def _dup_line_frac(prose: pl.Expr) -> pl.Expr:
    """Gopher's duplicate-line fraction over lines of 3+ words (so "}" and "---" in code
    or markdown do not count as repetition): 1 - distinct / all such lines, 0 for 0-1."""

    def frac(texts: pl.Series) -> pl.Series:
        lines, distinct = line_counts(texts, min_words=3)
        share = np.divide(distinct, lines, out=np.ones(len(lines)), where=lines > 1)
        return pl.Series(texts.name, 1.0 - share, dtype=pl.Float64)

    return prose.map_batches(frac, return_dtype=pl.Float64, is_elementwise=True)


def _ngram_stats(prose: pl.Series, words: pl.Series, cfg: QualityConfig) -> pl.DataFrame:
    """Gopher n-gram repetition of the response's prose (code removed), as fractions:

    `_q_top{n}`: the largest count x characters of a repeated word n-gram over the
    characters of all words (Gopher takes the most frequent n-gram; this picks the
    repeated one that covers most text; 0 when no n-gram repeats).
    `_q_dup{n}`: the share of word n-grams that occur more than once (a count-based
    stand-in for Gopher's characters-in-duplicate-n-grams).
    Words are `curate.signals.WORD` matches of the lower-cased text; only rows of
    `repetition_min_words`+ words (of the whole response) are measured, 0 elsewhere.
    """
    sizes = {"top": sorted(cfg.top_ngram_frac), "dup": sorted(cfg.dup_ngram_frac)}
    names = [f"_q_{kind}{n}" for kind, ns in sizes.items() for n in ns]
    height = prose.len()
    if not cfg.enabled("repetition") or height == 0:
        out = pl.DataFrame({name: pl.Series([None] * height, dtype=pl.Float64) for name in names})
        return _with_summary(out, sizes)
    every = sorted(set(sizes["top"]) | set(sizes["dup"]))
    rows = (words >= cfg.repetition_min_words).fill_null(False).arg_true().to_numpy()
    top, dup = ngram_repetition(prose, rows, every)
    values = {"top": top, "dup": dup}
    out = pl.DataFrame(
        {
            f"_q_{kind}{n}": pl.Series(values[kind][:, every.index(n)], dtype=pl.Float64)
            for kind, ns in sizes.items()
            for n in ns
        }
    )
    return _with_summary(out, sizes)


def _with_summary(stats: pl.DataFrame, sizes: dict[str, list[int]]) -> pl.DataFrame:
    """Add the ledger's two summary scores: top 2-gram and duplicate 5-gram fractions."""
    top = f"_q_top{sizes['top'][0]}" if sizes["top"] else None
    dup = f"_q_dup{sizes['dup'][0]}" if sizes["dup"] else None
    null = pl.lit(None, pl.Float64)
    return stats.with_columns(
        (pl.col(top) if top else null).alias("quality_top_ngram_frac"),
        (pl.col(dup) if dup else null).alias("quality_dup_ngram_frac"),
    )


# --- language identification ---------------------------------------------------------

LANGID_CHARS = 600  # text that py3langid reads per turn: plenty for a confident call


@functools.cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _languages(frame: pl.DataFrame, cfg: QualityConfig, ctx: Context) -> pl.DataFrame:
    """Language of the last prompt and of the last response, where both are long and
    clear enough to judge; null where they are not (or where a translation is asked)."""
    prose = frame.select(
        prompt=field_text("last_prompt").str.replace_all(CODE, " "),
        response=field_text("last_response").str.replace_all(CODE, " "),
    ).with_columns(
        judged=(pl.col("prompt").str.count_matches(r"\p{L}") >= cfg.language_min_chars)
        & (pl.col("response").str.count_matches(r"\p{L}") >= cfg.language_min_chars)
        & ~pl.col("prompt").str.contains(TRANSLATION_CUE),
    )
    out = {}
    for side in ("prompt", "response"):
        text = prose[side].str.slice(0, LANGID_CHARS)
        judged = prose["judged"]
        found = _identify(text.filter(judged), ctx)
        lang = pl.Series([None] * frame.height, dtype=pl.String)
        conf = pl.Series([None] * frame.height, dtype=pl.Float64)
        index = judged.arg_true()
        lang = lang.scatter(index, found.struct.field("lang")) if len(index) else lang
        conf = conf.scatter(index, found.struct.field("conf")) if len(index) else conf
        sure = conf >= cfg.language_min_confidence
        out[f"_q_lang_{side}"] = pl.select(pl.when(sure).then(lang)).to_series()
        out[f"_q_conf_{side}"] = conf
    return pl.DataFrame(out)


def _identify(texts: pl.Series, ctx: Context) -> pl.Series:
    """py3langid (language, confidence) per text, cached by content hash."""
    import py3langid

    def compute(positions: pl.Series) -> pl.Series:
        ident = _identifier()
        batch = texts.gather(positions).to_list()
        calls = [ident.classify(t) for t in ctx.track(batch, len(batch), "language id")]
        return pl.Series(
            [{"lang": lang, "conf": float(conf)} for lang, conf in calls],
            dtype=pl.Struct({"lang": pl.String, "conf": pl.Float64}),
        )

    if texts.len() == 0:
        return pl.Series([], dtype=pl.Struct({"lang": pl.String, "conf": pl.Float64}))
    keys = pl.Series([content_id(t) for t in texts.to_list()], dtype=pl.String)
    version = getattr(py3langid, "__version__", "0")
    return ctx.cache.column(f"langid/py3langid-{version}", keys, compute)
