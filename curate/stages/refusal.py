"""Refusals in assistant turns, in three tiers, by regular expressions over the whole column.

- `hard`: the assistant declines the task. A refusal clause within the first
  `anchor_chars` characters of a turn, not followed by real help: a negated modal and a
  task verb ("I can't help with", "I cannot and will not write", "no puedo ayudarte", "je
  ne peux pas", "ich kann ... nicht helfen", "我无法提供"); at the very start of a turn, after
  at most a greeting or an apology, a negated modal and any verb ("Sorry, I can't bypass
  ..."); "That's not something I can help with", "It wouldn't be appropriate for me to",
  "As an AI language model, I cannot ..." (a redirect after it is not help). The other
  languages by their own structures: object pronouns and a fronted object ("eso no lo
  puedo hacer", "so ein Skript schreibe ich nicht"), impersonal ("il m'est impossible",
  "es ist mir nicht möglich"), regret ("lamento no poder", "je regrette de ne pas
  pouvoir"), first-person futures ("no lo haré", "je ne le ferai pas"), German verb-final
  clauses, separable verbs and "da muss ich passen", Chinese potential complements
  ("帮不了", "做不到") and subjectless refusals after an apology.
- `soft`: a disclaimer, or a refusal followed by real help. Disclaimers: AI identity ("As
  an AI, I don't have personal opinions", "我是一个人工智能助手"), capability ("I can't see
  images", "I don't have access to real-time data", "No puedo ver fotos", "Ich habe keinen
  Zugriff", "我无法获取实时信息") and profession ("I'm not a doctor", "Je ne suis pas
  médecin", "我不是医生"). Help: a pivot ("However, here are", "pero sí puedo", "mais
  voici", "但我可以") and at least `help_min_chars` after it; after a capability or
  profession disclaimer (declining professional advice: "no puedo darte un diagnóstico",
  "eine Anlageberatung kann ich dir nicht geben", a dose deferred to a prescriber), that
  much text with or without a pivot. Help is measured in characters, a CJK character
  counting as CJK_WEIGHT, so one threshold fits every script; quoted text after the
  refusal counts (a sample message the assistant offers is help).
- A disclaimer that is the whole answer, starts it and says what the assistant has not or
  cannot ("As an AI, I don't have access to real-time data, so I can't tell you the
  price.") declines the task: `hard`, as soft needs help after it. An identity answer ("I'm
  an AI assistant.") or a sentence that goes on "but ..." stays soft.
- `none`.

Only assistant turns are read, and only their prose: fenced and inline code, quoted
passages ("..." “...” «...» 「...」) and block quotes are removed first, so an error string
in code, a character's line in a story or a refusal the user quotes is not a refusal;
idioms that look like refusals ("I can't wait", "I couldn't help but", "no puedo creer")
are removed too. When the prompt asks for a story, letter, message, dialogue or role-play
("voiced"), a clause counts only when it carries assistant-refusal language (request,
guidelines, as an AI, harmful, "I can't write that", ...): "I'm sorry I can't help you move
on Saturday" in an apology the user asked for is not a refusal. When the prompt asks to
translate, reword or quote a text that itself holds a negated first-person modal ("echo"),
the reply's refusal is that text, not the assistant's.
"""

from __future__ import annotations

from typing import ClassVar, Literal

import polars as pl
from pydantic import Field

from curate.refusal_patterns import (
    DE_GATE,
    DISCLAIMER_CLAUSES,
    ECHO_NEGATION,
    ECHO_PROMPT,
    FIRST_REFUSAL,
    LIST_QUOTE,
    LITERAL_SCREEN,
    NOT_REFUSAL,
    PARTIAL,
    PIVOT,
    SCREEN_DE_DISCLAIMER,
    SCREEN_DE_REFUSAL,
    SCREEN_DISCLAIMER,
    SCREEN_REFUSAL,
    SENTENCE,
    STOP,
    STRONG,
    VOICED_PROMPT,
)
from curate.signals import without_code, without_quotes
from curate.stages.base import ADD_TAGS, DETAIL, REASON, Context, Stage, StageConfig
from curate.text import field_text

TIERS = ("none", "soft", "hard")
# AI-identity disclaimers are looked for in the first characters of a turn's prose
DISCLAIMER_CHARS = 600
SCORE = {"none": 0.0, "soft": 0.5, "hard": 1.0}
# help after a refusal is measured in characters, a CJK character counting as 3 (a
# translation from English takes about a third of the characters in Chinese or Japanese)
CJK = r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]"
CJK_WEIGHT = 3
# fewer characters than this after a disclaimer's sentence: the disclaimer is the answer
ALONE_CHARS = 20
NEGATION = (
    r"(?i)\b(?:not|no|don't|do not|can't|cannot|unable|lack|sin|ne|pas|nicht|keine[nrms]?|kein)\b|"
    r"n'|不|没|无"
)
CONTRAST = (
    r"(?i)\b(?:but|however|though|although|pero|mais|cependant|aber|jedoch|doch)\b|但|不过|可是"
)


class RefusalConfig(StageConfig):
    kind: Literal["refusal"] = "refusal"
    action: Literal["drop", "tag"] = "drop"
    drop_soft: bool = False
    # a refusal clause must start within this many characters of the turn's prose
    anchor_chars: int = Field(300, ge=20)
    # characters after a help pivot that make a refusal partial (soft); a CJK character
    # counts as CJK_WEIGHT
    help_min_chars: int = Field(200, ge=0)
    warn_rate: float = Field(0.02, ge=0, le=1)


class Refusal(Stage):
    kind = "refusal"
    Config = RefusalConfig
    config: RefusalConfig
    score_columns: ClassVar[dict[str, str]] = {"refusal": "refusal"}

    def annotate(self, frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        frame = frame.rechunk()  # see Quality.annotate: polars 2.1 and mixed chunking
        tiers = detect(frame, self.config)
        return frame.with_columns(tiers.get_columns())

    def decide(self, frame: pl.DataFrame, ctx: Context) -> pl.DataFrame:
        cfg = self.config
        tier = pl.col("refusal_tier")
        self.warn_rate(frame["refusal_tier"], ctx)
        drops = [] if cfg.action == "tag" else ["hard", "soft"] if cfg.drop_soft else ["hard"]
        dropped = tier.is_in(drops)
        detail = pl.concat_str(tier, pl.lit(': "'), pl.col("refusal_span"), pl.lit('"'))
        tags = (
            pl.when((tier != "none") & ~dropped)
            .then(pl.concat_list(pl.concat_str(pl.lit("refusal:"), tier)))
            .otherwise(pl.lit([], pl.List(pl.String)))
        )
        return frame.with_columns(
            pl.when(dropped).then(pl.concat_str(tier, pl.lit("_refusal"))).alias(REASON),
            # tagged rows keep their span too: the ledger shows it on kept rows
            pl.when(tier != "none").then(detail).alias(DETAIL),
            tags.alias(ADD_TAGS),
        ).drop("refusal_span")

    def warn_rate(self, tiers: pl.Series, ctx: Context) -> None:
        """Warn when refusals (any tier) exceed `warn_rate` of `tiers` (all rows judged)."""
        n = tiers.len()
        if n:
            hard = int((tiers == "hard").sum())
            soft = int((tiers == "soft").sum())
            rate = (hard + soft) / n
            if rate > self.config.warn_rate:
                ctx.warn(
                    f"{self.name}: {rate:.1%} of {n} rows are refusals (hard {hard}, soft {soft}),"
                    f" above warn_rate {self.config.warn_rate:.0%}"
                )


def _flagged(part: str) -> str:
    """`part` case-insensitive (the alternations built by `_any` already are)."""
    return part if part.startswith("(?i)") else f"(?i)(?:{part})"


def _contains_any(text: pl.Expr, parts: list[str]) -> pl.Expr:
    """`text.str.contains(alternation(parts))`, one regex per part: the same rows match, and
    small regexes stay on the fast engines (a large alternation falls back to a slow one
    on non-ASCII text, ~10x the time). Counted rather than `pl.any_horizontal`: planning
    an `any_horizontal` of some 30 inputs takes polars 2.1 ~50 ms a call, a fixed cost
    that grows steeply with the inputs; a sum plans in well under 1 ms."""
    return pl.sum_horizontal(text.str.contains(_flagged(p)) for p in parts) > 0


def _first_clause(frame: pl.DataFrame, head: pl.Expr, parts: list[str], name: str) -> pl.DataFrame:
    """`frame` with `{name}` (the sentence around the first clause of `parts` that occurs
    in `head`) and `{name}_after` (the prose after that clause), nulls where none occurs.

    What `({SENTENCE}(?:alternation){SENTENCE})` and `(?s)^.*?(?:alternation)` would give,
    worked out one group of parts at a time (the clause that ends first wins): a few
    mid-sized regexes stay on the fast engines, where the alternation of them all does not
    (~3x the time).
    """
    prose = pl.col("prose")
    found = frame.select(
        head.str.contains(_flagged(part)).alias(str(i)) for i, part in enumerate(parts)
    )
    # the prose is searched again only where the head holds the clause (a when/then
    # computes its branch on every row)
    afters = frame.select(
        pl.when(found[str(i)])
        .then(pl.when(found[str(i)]).then(prose).str.replace(f"(?s)^.*?{_flagged(part)}", ""))
        .alias(str(i))
        for i, part in enumerate(parts)
    )
    # the first clause is the one that ends first
    longest = pl.max_horizontal(pl.all().str.len_chars())
    after = afters.select(
        pl.coalesce(
            pl.when(pl.col(c).str.len_chars() == longest).then(pl.col(c)) for c in afters.columns
        )
    ).to_series()
    frame = frame.with_columns(after.alias(f"{name}_after"))
    before = prose.str.slice(0, prose.str.len_chars() - pl.col(f"{name}_after").str.len_chars())
    return frame.with_columns(
        pl.concat_str(
            # the clause may end the sentence ("Sorry, I can't.")
            before.str.extract(f"({SENTENCE}{STOP}?)\\z", 1),
            _sentence_rest(pl.col(f"{name}_after"))[0],
        ).alias(name)
    )


def _sentence_rest(after: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """Of `after`, the prose after a clause: the rest of the clause's sentence, and the
    prose after that sentence."""
    return after.str.extract(f"^({SENTENCE})", 1), after.str.replace(f"^{SENTENCE}{STOP}?", "")


def help_length(text: pl.Expr) -> pl.Expr:
    """Characters of `text`, a CJK character counting as CJK_WEIGHT: about the Latin
    characters the same words take, so one threshold is fair to every script."""
    cjk = text.str.count_matches(CJK)
    return text.str.len_chars() + (CJK_WEIGHT - 1) * cjk


def _with_quotes(after: pl.Expr, text: pl.Expr) -> pl.Expr:
    """The part of `text` (quoted passages kept) that `after` (a tail of its prose) starts,
    found by its first characters; `after` where those are too few or not found. Help may
    come quoted: "here's a message you could send: \"Hi Sam, ...\"" helps."""
    key = after.str.strip_chars_start().str.slice(0, 24)
    # characters before the key (`str.find` counts bytes); all of `text` when it is absent
    start = text.str.split(key).list.first().str.len_chars()
    found = (key.str.len_chars() >= 12) & (start < text.str.len_chars())
    return pl.when(found).then(text.str.slice(start)).otherwise(after)


def _clean(text: pl.Expr) -> pl.Expr:
    """Refusal-lookalike idioms removed, block quotes in list items ("1. > I can't help with
    that."; without_quotes takes those at a line's start), and leading markdown (so `^` is
    the turn's start)."""
    return (
        text.str.replace_all(NOT_REFUSAL, " ")
        .str.replace_all(LIST_QUOTE, " ")
        .str.replace(r"^[\s*#_>\-]+", "")
    )


def _screen(prose: pl.Expr, anchor_chars: int, slack: int = 0) -> pl.Expr:
    """Whether a refusal clause starts in the first `anchor_chars` (+ `slack`) characters,
    or a disclaimer in the first DISCLAIMER_CHARS (+ `slack`)."""
    window = prose.str.slice(0, DISCLAIMER_CHARS + slack)
    german = pl.when(window.str.contains(DE_GATE)).then(window).otherwise(pl.lit(""))
    refusal = _contains_any(
        prose.str.slice(0, anchor_chars + slack), SCREEN_REFUSAL
    ) | german.str.slice(0, anchor_chars + slack).str.contains(SCREEN_DE_REFUSAL)
    disclaimer = _contains_any(window, SCREEN_DISCLAIMER) | german.str.contains(
        SCREEN_DE_DISCLAIMER
    )
    return refusal | disclaimer


def _may_refuse(prose: pl.Expr, anchor_chars: int, slack: int = 0) -> pl.Expr:
    """A necessary condition for `_screen`: a SCREEN_LITERALS string in the window."""
    window = max(anchor_chars, DISCLAIMER_CHARS) + slack
    return prose.str.slice(0, window).str.contains(LITERAL_SCREEN)


def detect(frame: pl.DataFrame, cfg: RefusalConfig) -> pl.DataFrame:
    """`refusal_tier` (none/soft/hard), `refusal` (0/0.5/1) and `refusal_span` per row.

    Each assistant turn is judged on its own; a row takes its worst turn. Every turn is
    screened (does a refusal or disclaimer clause occur in its head?); the spans, the
    prompt and the text after the clause are read for the few turns that pass.
    """
    turns = (
        frame.select(
            pl.int_range(pl.len(), dtype=pl.UInt32).alias("_row"),
            pl.col("messages")
            .list.eval(
                pl.element()
                .filter(pl.element().struct.field("role") == "assistant")
                .struct.field("content")
            )
            .alias("turn"),
        )
        .explode("turn")
        .with_columns(pl.col("turn").fill_null(""))
    )
    unquoted = without_code(pl.col("turn").str.replace_all("’", "'", literal=True))
    prose = without_quotes(unquoted)
    # screened before the idioms are removed (a superset: removing text only drops matches,
    # and the slack covers what it pulls into the window); the clauses looked for below on
    # the few turns that pass are the exact test
    turns = (
        turns.select("_row", "turn", prose.alias("prose"))
        .filter(_may_refuse(pl.col("prose"), cfg.anchor_chars, 100))
        .filter(_screen(pl.col("prose").str.replace(r"^[\s*#_>\-]+", ""), cfg.anchor_chars, 100))
        .with_columns(_clean(pl.col("prose")).alias("prose"))
    )
    prompts = frame[turns["_row"]].select(field_text("prompt").alias("prompt"))["prompt"]
    head = pl.col("prose").str.slice(0, cfg.anchor_chars)
    disclaimer_head = pl.col("prose").str.slice(0, DISCLAIMER_CHARS)
    judged = turns.with_columns(
        prompts,
        unquoted.alias("turn"),
        voiced=prompts.str.contains(VOICED_PROMPT),
        # a requested translation / rewording / quotation of a refusal
        echo=prompts.str.contains(ECHO_PROMPT)
        & prompts.str.replace_all("’", "'", literal=True).str.contains(ECHO_NEGATION),
    )
    # the first refusal clause in the head: its sentence, and the text after it
    judged = _first_clause(judged, head, FIRST_REFUSAL, "sentence").rename(
        {"sentence_after": "after"}
    )
    judged = _first_clause(judged, disclaimer_head, DISCLAIMER_CLAUSES, "disclaimer")
    refuses = (
        pl.col("sentence").is_not_null()
        & (~pl.col("voiced") | head.str.contains(STRONG))
        & ~pl.col("echo")
    )
    # real help after the refusal: a pivot ("However, here are ...") and enough text after
    # it; or, when the refusal is an AI or capability disclaimer ("I can't see images,
    # so ..."), enough text after it
    after = _with_quotes(pl.col("after"), pl.col("turn"))
    after_pivot = help_length(after.str.extract(f"(?s)(?:{PIVOT})(.*)", 1))
    disclaims = _contains_any(pl.col("sentence"), PARTIAL)
    # after a disclaimer, help is what follows its sentence, unless the sentence itself
    # turns to help ("No puedo ver fotos ..., pero sí puedo ayudarte a ..."); the rest of
    # a sentence without a turn is the refusal ("Da muss ich passen: ich kann dir keine
    # Dosierung nennen, die ...")
    sentence_rest, after_sentence = _sentence_rest(after)
    turns_to_help = sentence_rest.str.contains(CONTRAST)
    disclaimer_help = pl.when(turns_to_help).then(after).otherwise(after_sentence)
    helped = (
        (after_pivot >= cfg.help_min_chars)
        | (disclaims & (help_length(disclaimer_help) >= cfg.help_min_chars))
    ).fill_null(False)
    disclaimer = pl.col("disclaimer").is_not_null() & ~pl.col("echo")
    # a disclaimer that is the whole answer and says what the assistant has not or cannot
    # ("As an AI, I don't have access to real-time data, so I can't tell you the price.")
    # declines the task: soft needs help after it. "I'm an AI assistant." answering "who
    # are you?" declines nothing, nor does a sentence that goes on "but I do ..."
    rest, beyond = _sentence_rest(pl.col("disclaimer_after"))
    # where the disclaimer's sentence starts: an answer given before it is help too
    start = (
        pl.col("prose").str.len_chars()
        - pl.col("disclaimer_after").str.len_chars()
        - (pl.col("disclaimer").str.len_chars() - rest.str.len_chars())
    )
    disclaimer_only = (
        disclaimer
        & (start < ALONE_CHARS)
        & (help_length(beyond.str.strip_chars()) < ALONE_CHARS)
        & pl.col("disclaimer").str.contains(NEGATION)
        & ~rest.str.contains(CONTRAST).fill_null(False)
    )
    judged = judged.with_columns(
        tier=pl.when((refuses & ~helped) | disclaimer_only.fill_null(False))
        .then(pl.lit(2, pl.Int8))
        .when(refuses | disclaimer)
        .then(pl.lit(1, pl.Int8))
        .otherwise(pl.lit(0, pl.Int8)),
        span=pl.when(refuses).then(pl.col("sentence")).when(disclaimer).then(pl.col("disclaimer")),
    )
    # unscreened turns are tier 0 without a span, so they cannot be a row's worst turn
    worst = (
        judged.sort(["_row", "tier"], descending=[False, True], maintain_order=True)
        .group_by("_row", maintain_order=True)
        .agg(pl.first("tier"), pl.first("span"))
    )
    rows = pl.DataFrame({"_row": pl.int_range(frame.height, dtype=pl.UInt32, eager=True)})
    worst = rows.join(worst, on="_row", how="left", maintain_order="left")
    names = pl.Series(TIERS, dtype=pl.String)
    return worst.select(
        pl.col("tier").fill_null(0).replace_strict([0, 1, 2], names).alias("refusal_tier"),
        pl.col("tier").fill_null(0).cast(pl.Float64).truediv(2).alias("refusal"),
        pl.col("span").str.strip_chars().str.slice(0, 120).alias("refusal_span"),
    )
