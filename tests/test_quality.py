"""Quality rules: each names its reason and explains itself; thresholds come from config."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from ftfy.badness import is_bad
from pydantic import ValidationError

from curate.records import chat_records, message
from curate.stages.base import Context
from curate.stages.quality import PLACEHOLDERS, Quality, QualityConfig, mojibake_pattern
from tests.conftest import shared
from tests.filter_support import alpaca_eval, conversations, labelled, precision_recall

CLEAN = (
    "Vaccines train the immune system with a harmless piece of a pathogen, so that the body "
    "recognises the real one later and clears it before it causes disease."
)


def verdicts(frame: pl.DataFrame, **options) -> list[tuple[str | None, str | None]]:
    out = Quality(**options).apply(frame, Context())
    return list(zip(out["reject_reason"], out["reject_detail"], strict=True))


@pytest.mark.parametrize(
    ("prompt", "response", "reason", "in_detail"),
    [
        ("Explain the water cycle.", " . ", "empty_response", "no words"),
        (
            "Write an essay about the causes of World War I.",
            "Nationalism.",
            "too_short",
            "1 words < 8",
        ),
        ("Explain vaccines.", CLEAN[:-30], "truncated", "ends mid-sentence"),
        ("Write code.", "Here:\n```python\nprint(1)\n", "truncated", "code fence left open"),
        ("Advice?", "Practice every day and rest well. " * 10, "repetition", "> 0.25"),
        (
            "Capital of Japan?",
            "Tokyo is the capital of Japan.<|im_end|>",
            "template_tokens",
            "<|im_end|>",
        ),
        ("Coffee in French?", "It is cafÃ©, as in un cafÃ© noir.", "mojibake", "fÃ©"),
        ("Who are you?", "I am {{name}}, made by {{author}}.", "placeholder", "{{name}}"),
        (
            "Can you explain what a black hole is and how it forms in space?",
            "Un trou noir est une région de l'espace où la gravité est si forte que rien ne peut s'en échapper.",
            "language_mismatch",
            "prompt en",
        ),
    ],
)
def test_each_rule_names_itself_and_explains(prompt, response, reason, in_detail):
    [(got, detail)] = verdicts(conversations((prompt, response)))
    assert got == reason
    assert in_detail in detail


def test_clean_rows_and_legitimate_lookalikes_are_kept():
    frame = conversations(
        ("Explain vaccines.", CLEAN),
        ("Capital of France?", "Paris"),  # short answer to a short question
        (
            "Classify the sentiment: I loved every minute of this film, the cast was superb.",
            "Positive",
        ),
        (
            "Show a ChatML example.",
            "Wrap turns like this:\n```\n<|im_start|>user\nhi<|im_end|>\n```",
        ),
        (
            "Translate to French: I love reading books in the evening.",
            "J'adore lire des livres le soir.",
        ),
        (
            "Write a Jinja template.",
            "Use `{{ name }}` for variables:\n```jinja\nHello {{ name }}!\n```",
        ),
        ("List European capitals.", "- Paris\n- Berlin\n- Madrid\n- Rome"),
    )
    assert verdicts(frame) == [(None, None)] * frame.height


def test_rules_can_be_switched_off_and_thresholds_changed():
    frame = conversations(("Write an essay about rivers.", "Rivers flow."))
    assert verdicts(frame)[0][0] == "too_short"
    assert verdicts(frame, disable=["too_short"]) == [(None, None)]
    assert verdicts(frame, too_short_words=2) == [(None, None)]


def test_later_rules_that_also_fired_are_listed():
    frame = conversations(
        ("Write a poem.", ("Roses are red and violets are blue and " * 8) + "<|im_end|>")
    )
    [(reason, detail)] = verdicts(frame)
    assert reason == "template_tokens"
    assert "(also repetition)" in detail


def test_too_long_uses_estimate_by_default():
    frame = conversations(("Tell me a story.", " ".join(f"word{i}" for i in range(200)) + "."))
    [(reason, detail)] = verdicts(frame, max_tokens=100)
    assert reason == "too_long"
    assert "tokens (estimated) > 100" in detail


@pytest.mark.slow
def test_too_long_with_the_default_model_tokenizer():
    frame = conversations(("Tell me a story.", "Once upon a time there was a fox. " * 30))
    out = Quality(tokenizer="smollm2-135m", max_tokens=200, disable=["repetition"]).apply(
        frame, Context()
    )
    assert out["reject_reason"].to_list() == ["too_long"]
    assert 250 < out["quality_tokens"][0] < 400


def test_adds_score_columns_for_the_ledger():
    out = Quality().apply(conversations(("Explain vaccines.", CLEAN)), Context())
    for column in Quality.score_columns:
        assert column in out.columns
    assert 0 < out["quality"][0] <= 1
    assert not [c for c in out.columns if c.startswith("_q_")]


def test_config_errors_name_the_problem():
    with pytest.raises(ValidationError, match="disable"):
        QualityConfig(disable=["no_such_rule"])
    with pytest.raises(ValidationError, match="not a regex"):
        QualityConfig(placeholders=["[unclosed"])
    with pytest.raises(ValidationError, match="extra"):
        QualityConfig(treshold=1)


def test_mojibake_pattern_matches_ftfy_on_real_data():
    """ftfy's badness regex, run by polars, flags exactly what ftfy flags (the 17 rows of
    toolformer-similarity-0.9 with cp1252 mojibake among them)."""
    import gzip
    import json

    path = shared("alpacadatacleaned/toolformer-similarity-0.9-dataset.json.gz")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        rows = json.load(f)
    texts = pl.Series([r["output"] for r in rows] + [r["instruction"] for r in rows])
    ours = texts.str.contains(mojibake_pattern().removeprefix("\ufffd|"))
    assert ours.to_list() == [is_bad(t) for t in texts.to_list()]
    assert ours.sum() >= 17


def test_low_quality_precision_and_recall_on_labelled_set():
    frame, rows = labelled()
    predicted = Quality().apply(frame, Context())["reject_reason"].to_list()
    gold = [row["quality"] for row in rows]
    flagged = [p for p in predicted if p is not None]
    correct = sum(p is not None and p == g for p, g in zip(predicted, gold, strict=True))
    precision, recall = correct / len(flagged), correct / sum(g is not None for g in gold)
    assert precision >= 0.9, precision
    assert recall >= 0.85, recall
    for rule in {g for g in gold if g}:
        p, r = precision_recall(gold, predicted, rule)
        assert p >= 0.8 and r >= 0.7, (rule, p, r)


def test_strong_model_outputs_are_mostly_kept():
    """GPT-4's alpaca_eval answers are good: few rejections, and falcon-7b scores lower."""
    gpt4 = Quality().apply(alpaca_eval(shared("alpaca_eval/gpt4_model_outputs.json.gz")), Context())
    falcon = Quality().apply(
        alpaca_eval(shared("alpaca_eval/falcon-7b-instruct_model_outputs.json")), Context()
    )
    assert gpt4["reject_reason"].is_not_null().mean() < 0.04
    assert gpt4["quality"].mean() > falcon["quality"].mean()


# --- families of flaws (issue 5), written for these tests --------------------------------

PLANETS = (
    "1. **Mercury**: closest to the Sun, with almost no atmosphere.\n"
    "2. **Venus**: wrapped in clouds of sulphuric acid.\n"
    "3. **Earth**: the only world known to have liquid water on its surface.\n"
)


@pytest.mark.parametrize(
    ("prompt", "response", "reason"),
    [
        # stubs and notes for the writer: placeholders
        ("Name three rivers in Africa.", "{answer}", "placeholder"),
        ("Describe photosynthesis.", "[Your answer here]", "placeholder"),
        ("Summarise the plot of Hamlet.", "<insert summary>", "placeholder"),
        (
            "How do I sort a dict by value?",
            "FIXME: add the explanation before release.",
            "placeholder",
        ),
        ("Write a welcome line for new users.", "Welcome aboard, {{ user.name }}!", "placeholder"),
        # template variables in a template the user asked for: the answer itself
        (
            "Write an email template for a shipping delay.",
            "Hi {{first_name}}, your order {{order_id}} is running two days late. Sorry!",
            None,
        ),
        (
            "Give me a notification message for a failed payment.",
            "Your payment of {{amount}} did not go through. Please update your card.",
            None,
        ),
        (
            "Write a Handlebars snippet greeting the user.",
            "Hello, {{name}}! You have {{count}} new messages.",
            None,
        ),
        # look-alikes that are answers
        ("Sort [3, 1, 2].", "[1, 2, 3]", None),
        (
            "Make me a to-do list for moving house.",
            "- todo: book the van\n- todo: pack the kitchen",
            None,
        ),
        # a list cut inside its last item
        (
            "List the first four planets with a fact each.",
            PLANETS + "4. **Mars**: its red colour comes from iron oxi",
            "truncated",
        ),
        (
            "List the first four planets with a fact each.",
            PLANETS + "4. **Mars**: its red colour comes from iron oxide.",
            None,
        ),
        ("Name two fruits.", "- Apples are crunchy.\n- Pears", None),
        # ends that close cleanly in other scripts and styles: a German closing quote, a
        # Chinese corner bracket, a sign-off after a dash; and a real cut before a dash
        (
            "Schreib einen Abschiedsgruß für eine Kollegin in die Karte.",
            "„Liebe Anna, wir danken dir für die schönen Jahre im Team und wünschen dir für "
            "deine berufliche und private Zukunft alles Gute und viel Erfolg.“",
            None,
        ),
        (
            "帮我写一句台卡文案。",
            "可以这样写：「感谢光临小巷面馆！您的每一条评价都是我们进步的动力，欢迎扫码说说您的感受～」",
            None,
        ),
        (
            "Write a thank-you note for my Etsy customers.",
            "Thank you so much for your order and for supporting a small shop like mine, it "
            "truly means the world to me and my family! — Mia",
            None,
        ),
        (
            "Write a thank-you note for my Etsy customers.",
            "Thank you so much for your order and for supporting a small shop like mine, it "
            "truly means the world to me and my family — and I hope that the",
            "truncated",
        ),
        ("List European capitals.", "1. Paris\n2. Berlin\n3. Madrid", None),
        # lengths the prompt asks for
        (
            "Write a 300-word story about a lighthouse keeper.",
            "The keeper lit the lamp every night until the ships stopped coming.",
            "too_short",
        ),
        (
            "Write a 3-paragraph essay on tides.",
            "Tides come from the Moon's pull on the oceans and repeat twice a day.",
            "too_short",
        ),
        (
            "Write a complete Java class for a bank account with deposits and withdrawals.",
            "Use a HashMap.",
            "too_short",
        ),
        (
            "Summarise this in under 50 words: the committee met and approved the budget.",
            "The committee approved the budget.",
            None,
        ),
        (
            "Write a 20-word slogan for a bakery.",
            "Fresh bread every morning, baked with love, shared with neighbours.",
            None,
        ),
    ],
)
def test_flaw_families(prompt, response, reason):
    [(got, _)] = verdicts(conversations((prompt, response)))
    assert got == reason


def test_empty_last_assistant_turn():
    chats = [
        [("user", "Recommend a history podcast."), ("assistant", "Try The Rest Is History."),
         ("user", "And one about space?"), ("assistant", "  ")],
        # the last turn holds a tool call: not empty
        [("user", "Weather in Oslo?"), ("assistant", "Let me check."),
         ("user", "Thanks"), ("assistant", "", '{"name": "weather", "arguments": {"city": "Oslo"}}')],
    ]  # fmt: skip
    frame = chat_records(
        [[message(t[0], t[1], tool_calls=(t[2:] or [None])[0]) for t in chat] for chat in chats],
        "test",
    )
    out = verdicts(frame)
    assert out[0] == ("empty_response", "last assistant turn has no words")
    assert out[1][0] != "empty_response"


def test_requested_length_names_itself():
    [(reason, detail)] = verdicts(
        conversations(("Write a 400-word essay on bees.", "Bees pollinate crops and make honey."))
    )
    assert reason == "too_short"
    assert "6 words < 100" in detail and "400-word" in detail


def test_default_placeholders_are_valid_config():
    assert QualityConfig(placeholders=list(PLACEHOLDERS)).placeholders == PLACEHOLDERS


def test_low_quality_precision_and_recall_on_development_set():
    """tests/data/refusal_quality_heldout.jsonl was written blind, then used to develop the
    rules (issue 5): from then on a development set. A regression guard at the level
    reached (P 1.0, R 0.98 with the gold reason on 43 of 45 when written)."""
    path = Path(__file__).parent / "data" / "refusal_quality_heldout.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    frame = conversations(*[[(m["role"], m["content"]) for m in r["messages"]] for r in rows])
    predicted = Quality().apply(frame, Context())["reject_reason"].to_list()
    gold = [row["quality"] for row in rows]
    flagged = [p for p in predicted if p is not None]
    correct = sum(p is not None and p == g for p, g in zip(predicted, gold, strict=True))
    assert correct / len(flagged) >= 0.95 and correct / sum(g is not None for g in gold) >= 0.9
    negatives = [p for p, row in zip(predicted, rows, strict=True) if row["group"] == "negative"]
    assert negatives.count(None) == len(negatives)
