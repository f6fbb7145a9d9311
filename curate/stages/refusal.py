"""Refusals in assistant turns, in three tiers, by regular expressions over the whole column.

- `hard`: the assistant declines the task. A refusal clause ("I can't help with",
  "I apologize, but I cannot provide", "As an AI language model, I cannot", "no puedo
  ayudarte", "je ne peux pas", "ich kann ... nicht helfen", "我无法提供") within the first
  `anchor_chars` characters of a turn, not followed by real help.
- `soft`: an AI-identity disclaimer ("As an AI, I don't have personal opinions", "I'm just
  an AI") or a partial refusal followed by real help (a pivot such as "However, here are"
  and at least `help_min_chars` characters after it).
- `none`.

Only assistant turns are read, and only their prose: fenced and inline code, quoted
passages ("..." “...” «...» 「...」) and block quotes are removed first, so an error string
in code, a character's line in a story or a refusal the user quotes is not a refusal.
When the prompt asks for a story, letter, message, dialogue or role-play, a clause counts
only when it carries assistant-refusal language (request, guidelines, as an AI, harmful,
...): "I'm sorry I can't help you move on Saturday" in an apology the user asked for is
not a refusal.
"""

from __future__ import annotations

from typing import ClassVar, Literal

import polars as pl
from pydantic import Field

from curate.signals import without_code, without_quotes
from curate.stages.base import ADD_TAGS, DETAIL, REASON, Context, Stage, StageConfig
from curate.text import field_text

TIERS = ("none", "soft", "hard")
# AI-identity disclaimers are looked for in the first characters of a turn's prose
DISCLAIMER_CHARS = 600
SCORE = {"none": 0.0, "soft": 0.5, "hard": 1.0}

# --- English ---------------------------------------------------------------------------
_EN_SUBJECT = r"\bI(?:'m| am|'ll| will| must| have to| do|'d| would)?"
_EN_NEG = (
    r"(?:can't|cannot|can not|could not|couldn't|won't|will not|"
    r"(?:unable|not able|not allowed|not permitted|not programmed|not designed|not going) to|"
    r"(?:respectfully |politely |kindly )?(?:decline|refuse) to|"
    r"(?:not |don't )?feel comfortable|not comfortable|rather not)"
)
_EN_VERB = (
    r"(?:help|assist|provid|fulfil|comply|creat|writ|generat|produc|answer|engag|support|"
    r"shar|offer|complet|participat|recommend|endors|promot|facilitat|condon|encourag|satisf|"
    r"accommodat|process|continu|discuss|respond|describ|explain|draft|compos|summari[sz]|"
    r"translat|predict|access|brows|disclos|reveal|perform|carry out|proceed|reproduc|draw|"
    r"listen|insert|recall|remember|send|mak(?:e|ing) (?:\w+ )?(?:calls?|jokes?|content|that|this|"
    r"such|an? |any)|do (?:that|this|so|what)|tell you (?:which|what|whether|who)|"
    r"giv(?:e|ing) (?:you )?(?:that|this|advice|information|instructions|details|specific|an? |"
    r"any|my opinion|personal|insults?))"
)
_EN = [
    rf"{_EN_SUBJECT} (?:\w+ )?{_EN_NEG} (?:\w+ ){{0,2}}?{_EN_VERB}\w*",
    rf"\b(?:unable|not able) to {_EN_VERB}\w* (?:with )?(?:this|that|your|such)\b",
    r"\bI must (?:respectfully |politely )?(?:decline|refuse)\b",
    r"\b(?:not (?:within|in line with)|against|violates?|goes against|outside(?: of)?) my "
    r"(?:programming|(?:ethical )?guidelines|polic(?:y|ies)|principles|capabilities|"
    r"content polic(?:y|ies)|purpose)\b",
    r"\bI(?:'m| am) (?:just |only )?an AI(?: language model| assistant)?,? (?:and )?"
    r"(?:it(?:'s| is) not|I (?:can't|cannot|don't|do not|am not))",
    r"\bAs an? (?:AI|artificial intelligence|(?:AI |large )?language model|AI assistant|"
    rf"responsible[^,.]{{0,50}}(?:AI|assistant|model))[^,.]{{0,40}},? {_EN_SUBJECT} (?:\w+ ){{0,3}}?{_EN_NEG}",
]
_EN_DISCLAIMER = [
    r"\bAs an? (?:AI|artificial intelligence|(?:AI |large )?language model|AI assistant|"
    r"digital assistant|virtual assistant|chatbot|machine)[^,.]{0,40},? I (?:don't|do not|"
    r"lack|have no|am not|'m not|cannot|can't|am unable|'m unable|am not able)",
    r"\bI(?:'m| am) (?:just |only |merely |not a human,? but )?(?:an? )?(?:AI|artificial "
    r"intelligence|(?:AI |large )?language model|computer program|chatbot|virtual assistant)\b",
    r"\bI (?:don't|do not) have (?:any )?(?:personal|real-time|the ability|access to (?:real-time|"
    r"the internet|current)|memory|memories|feelings|emotions|opinions|beliefs|preferences|"
    r"a body|consciousness|a (?:family|childhood|favorite))",
    r"\bI (?:don't|do not|can't|cannot) (?:browse|access|search) the (?:internet|web)\b",
    r"\bmy (?:knowledge|training(?: data)?) (?:cutoff|cut-off|only goes|is limited|ends)\b",
    r"\bI(?:'m| am) not a (?:doctor|lawyer|physician|medical professional|financial advisor|"
    r"licensed|therapist|certified)\b",
]
_EN_PIVOT = (
    r"\b(?:however|but|that said|that being said|nevertheless|nonetheless|instead|although|though|"
    r"still)\b,?\s+(?:here|I can|I could|I'll|I will|I'd|I would|what I can|you can|you could|"
    r"let me|there are|many|some|in general|generally|if you)|"
    r"\bwhat I can do\b|\bhere(?: is|'s| are) (?:a |an |some |the |what |how )|"
    r"\bgenerally(?: speaking)?,|\bin general,|\b(?:as for|regarding|for) (?:the|your) (?:rest|trip|"
    r"other|first|second|remaining|original)\b|:\s*\n\s*(?:\d+[.)]|[-*•])"
)

# --- Spanish, French, German, Chinese ---------------------------------------------------
_ES = [
    r"\b(?:no puedo|no me es posible|no estoy en condiciones de|me niego a|no voy a|no podré)"
    r" (?:\w+ ){0,2}?(?:ayudar\w*|proporcionar\w*|cumplir|crear|escribir|generar|responder|"
    r"dar\w*|ofrecer\w*|hacer eso|realizar|facilitar|brindar\w*|asistir\w*|participar|apoyar)",
    r"\bcomo (?:un |una )?(?:IA|inteligencia artificial|modelo de lenguaje|asistente de IA)"
    r"[^,.]{0,40}, no (?:puedo|debo|voy a)",
]
_ES_DISCLAIMER = [
    r"\bcomo (?:un |una )?(?:IA|inteligencia artificial|modelo de lenguaje|asistente de IA)"
    r"[^,.]{0,40}, no tengo",
    r"\bsoy (?:solo |sólo )?(?:un |una )?(?:IA|inteligencia artificial|modelo de lenguaje)\b",
]
_FR = [
    r"\bje ne (?:peux pas|pourrai pas|vais pas|suis pas en mesure d(?:e |'))\s*(?:vous |te |t'|en |y )?"
    r"(?:aider|fournir|répondre|créer|écrire|générer|donner|satisfaire|rédiger|assister|"
    r"proposer|accéder|produire|faire cela|traiter|participer)",
    r"\bje (?:refuse|me refuse) de\b",
    r"\ben tant qu(?:e |')(?:IA|intelligence artificielle|modèle de langage|assistant)"
    r"[^,.]{0,40}, je (?:ne |n')(?:peux|suis|vais|dois)",
]
_FR_DISCLAIMER = [
    r"\ben tant qu(?:e |')(?:IA|intelligence artificielle|modèle de langage|assistant)"
    r"[^,.]{0,40}, je n'ai pas",
    r"\bje suis (?:seulement |juste )?(?:une |un )?(?:IA|intelligence artificielle|modèle de langage)\b",
]
_DE_VERB = (
    r"(?:helfen|bereitstellen|erstellen|schreiben|generieren|geben|liefern|beantworten|"
    r"erfüllen|unterstützen|anbieten|nachkommen|verfassen|erteilen|teilen)"
)
_DE = [
    rf"\b(?:ich (?:kann|werde|darf)|(?:kann|werde|darf) ich)\b[^.!?\n]{{0,60}}\b(?:nicht|keine[nrms]?)\b"
    rf"[^.!?\n]{{0,60}}\b{_DE_VERB}\b",
    r"\bich muss (?:diese Anfrage |das |dies )?(?:leider )?ablehnen\b",
    r"\bals (?:eine? )?(?:KI|künstliche Intelligenz|Sprachmodell|KI-Sprachmodell|KI-Assistent)"
    r"[^,.]{0,40},?\s*(?:kann|darf|werde) ich\b[^.!?\n]{0,60}\b(?:nicht|keine[nrms]?)\b",
]
_DE_DISCLAIMER = [
    r"\bals (?:eine? )?(?:KI|künstliche Intelligenz|Sprachmodell|KI-Sprachmodell|KI-Assistent)"
    r"[^,.]{0,40},?\s*(?:habe ich keine|bin ich nicht)",
    r"\bich bin (?:nur |lediglich )?(?:eine? )?(?:KI|künstliche Intelligenz|Sprachmodell|KI-Sprachmodell)\b",
]
_ZH_AI = r"(?:AI|人工智能|语言模型|AI语言模型|人工智能语言模型|人工智能助手|AI助手)"
_ZH = [
    r"我(?:不能|无法|不可以|没办法|没有办法|不会|拒绝|不便)(?:为你|为您|帮你|帮您|帮助你|帮助您|向你|向您|给你|给您)?"
    r"(?:提供|帮助|协助|满足|回答|完成|生成|创作|编写|写|撰写|给出|参与|执行|处理|支持|回应)",
    rf"作为(?:一个|一名)?{_ZH_AI}[^，,。]{{0,20}}[，,]?\s*我(?:不能|无法|不会|不可以)",
]
_ZH_DISCLAIMER = [
    rf"作为(?:一个|一名)?{_ZH_AI}[^，,。]{{0,20}}[，,]?\s*我(?:没有|并没有|不具备)",
    rf"我(?:只是|仅仅是)?(?:一个|一名){_ZH_AI}",
]
_OTHER_PIVOT = (
    r"\bsin embargo\b|\bpero (?:puedo|aquí|te puedo)|\baquí (?:tienes|hay|está|te dejo)|"
    r"\bcependant\b|\btoutefois\b|\bmais je peux\b|\bvoici\b|"
    r"\bjedoch\b|\baber ich kann\b|\bich kann (?:dir |Ihnen |euch )?aber\b|\bhier (?:ist|sind)\b|\ballerdings kann ich\b|"
    r"(?:不过|但是|但|然而)[，,]?\s*我可以|以下是|这里有|下面是"
)


def _any(patterns: list[str]) -> str:
    return "(?i)(?:" + "|".join(f"(?:{p})" for p in patterns) + ")"


REFUSAL_PARTS = _EN + _ES + _FR + _DE + _ZH
DISCLAIMER_PARTS = (
    _EN_DISCLAIMER + _ES_DISCLAIMER + _FR_DISCLAIMER + _DE_DISCLAIMER + _ZH_DISCLAIMER
)
REFUSAL = _any(REFUSAL_PARTS)
DISCLAIMER = _any(DISCLAIMER_PARTS)
PIVOT = _any([_EN_PIVOT, _OTHER_PIVOT])
# A sentence: the refusal clause and its sentence, for the detail and the strong check.
SENTENCE = r"[^.!?。！？\n]*"
# Words that make a clause an assistant's refusal even inside a story or letter.
STRONG = (
    r"(?i)request|as an ai|\bAI\b|language model|guideline|programming|polic(?:y|ies)|"
    r"inappropriate|harmful|unethical|illegal|offensive|explicit|assist with|"
    r"help (?:you )?with (?:that|this|your)|comply|fulfil|decline|solicitud|petición|demande|"
    r"Anfrage|请求|要求|\bIA\b|\bKI\b|人工智能|harass|bull(?:y|ies)|threat|violen|abus|hate|"
    r"sexual|fraud|defam|misinformation|disinformation|propaganda|fake|forg|insult|demean|"
    r"glorif|malware|phishing|weapon|drug|minor|self-harm|extremis|racis|discriminat|danger|"
    r"bomb|explosiv|kill|murder|even in a role-?play|even (?:in|for) (?:a|the) (?:story|fiction)"
)
# Prompts whose answer may legitimately say "I'm sorry, I can't ...": the user asked for
# a story, a letter, a message, a dialogue, a role.
VOICED_PROMPT = (
    r"(?i)\b(?:write|draft|compose|create|continue|generate|help me (?:write|word))\b "
    r"(?:(?:me|us|a|an|the|my|this|that|some) )?(?:\w+ ){0,3}?(?:story|stories|letter|e-?mail|message|text|note|dialogue|dialog|poem|scene|speech|"
    r"apology|monologue|rsvp|reply|script for a (?:play|film|movie))|"
    r"\brole-?play|\bpretend (?:to be|you(?:'re| are))|\bact as\b|\bstay in character|"
    r"\bcontinue the story|\byou are an? \w+ (?:in|who|at|from)\b|"
    r"escrib[ea] (?:un|una) (?:cuento|historia|carta|mensaje|correo)|"
    r"écri(?:s|vez|re) (?:une|un) (?:histoire|lettre|message|e-?mail)|"
    r"schreib\w* (?:eine?n?|mir eine?n?) (?:Geschichte|Brief|Nachricht|E-Mail)|"
    r"写一(?:个|篇|封|段)(?:故事|信|邮件|对话|道歉)"
)
# Idioms that look like refusals and are not.
NOT_REFUSAL = (
    r"(?i)\bcan(?:'t|not| not) help (?:but|feeling|thinking|wondering|noticing)|"
    r"\b(?:can't|cannot) (?:recommend|thank|praise|stress)[^!?\n]{0,80}\benough\b"
)


class RefusalConfig(StageConfig):
    kind: Literal["refusal"] = "refusal"
    action: Literal["drop", "tag"] = "drop"
    drop_soft: bool = False
    # a refusal clause must start within this many characters of the turn's prose
    anchor_chars: int = Field(300, ge=20)
    # characters after a help pivot that make a refusal partial (soft)
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


def _contains_any(text: pl.Expr, parts: list[str]) -> pl.Expr:
    """`text.str.contains(_any(parts))`, one regex per part: the same rows match, and
    small regexes stay on the fast engines (the alternation falls back to a slow one on
    non-ASCII text, ~10x the time)."""
    return pl.any_horizontal(text.str.contains(f"(?i)(?:{p})") for p in parts)


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
    prose = (
        without_quotes(without_code(pl.col("turn").str.replace_all("’", "'", literal=True)))
        .str.replace_all(NOT_REFUSAL, " ")
        .str.replace(r"^[\s*#_>\-]+", "")
    )
    turns = turns.select("_row", prose.alias("prose")).filter(
        _contains_any(pl.col("prose").str.slice(0, cfg.anchor_chars), REFUSAL_PARTS)
        | _contains_any(pl.col("prose").str.slice(0, DISCLAIMER_CHARS), DISCLAIMER_PARTS)
    )
    voiced = frame[turns["_row"]].select(field_text("prompt").str.contains(VOICED_PROMPT))
    judged = (
        turns.with_columns(voiced.to_series().alias("voiced"))
        .with_columns(
            sentence=pl.col("prose")
            .str.slice(0, cfg.anchor_chars)
            .str.extract(f"({SENTENCE}(?:{REFUSAL}){SENTENCE})", 1),
            disclaimer=pl.col("prose")
            .str.slice(0, DISCLAIMER_CHARS)
            .str.extract(f"({SENTENCE}(?:{DISCLAIMER}){SENTENCE})", 1),
            # the text after the (first) refusal clause: what `(?s)(?:REFUSAL)(.*)` would
            # capture, but without a capture group the regex runs ~10x faster
            after=pl.col("prose").str.replace(f"(?s)^.*?(?:{REFUSAL})", ""),
        )
        .with_columns(
            pl.when(pl.col("sentence").is_not_null()).then(pl.col("after")).alias("after")
        )
    )
    head = pl.col("prose").str.slice(0, cfg.anchor_chars)
    refuses = pl.col("sentence").is_not_null() & (~pl.col("voiced") | head.str.contains(STRONG))
    # real help after the refusal: a pivot ("However, here are ...") and enough text after
    # it; or, when the refusal is an AI disclaimer ("I don't have feelings, so I can't
    # ..."), enough text after it
    after_pivot = pl.col("after").str.extract(f"(?s)(?:{PIVOT})(.*)", 1).str.len_chars()
    disclaims = pl.col("sentence").str.contains(DISCLAIMER)
    helped = (
        (after_pivot >= cfg.help_min_chars)
        | (disclaims & (pl.col("after").str.len_chars() >= cfg.help_min_chars))
    ).fill_null(False)
    judged = judged.with_columns(
        tier=pl.when(refuses & ~helped)
        .then(pl.lit(2, pl.Int8))
        .when(refuses | pl.col("disclaimer").is_not_null())
        .then(pl.lit(1, pl.Int8))
        .otherwise(pl.lit(0, pl.Int8)),
        span=pl.when(refuses).then(pl.col("sentence")).otherwise(pl.col("disclaimer")),
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
