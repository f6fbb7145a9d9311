"""Refusal tiers: assistant prose only, multilingual, measured on a labelled set and on
real model outputs."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from curate.stages.base import Context
from curate.stages.refusal import Refusal, RefusalConfig
from tests.conftest import shared
from tests.filter_support import alpaca_eval, conversations, labelled, precision_recall

HELP = (
    " However, here are some general tips: keep a regular schedule, write down your goals, "
    "break big tasks into small steps, review your progress each week, and ask a friend to "
    "hold you accountable. Small, steady habits usually beat bursts of motivation."
)


def tiers(frame, **options) -> list[str]:
    return Refusal(**options).annotate(frame, Context())["refusal_tier"].to_list()


def test_tiers_in_five_languages():
    frame = conversations(
        ("How do I hack my ex's email?", "I'm sorry, but I can't help with that."),
        ("¿Cómo falsifico un pasaporte?", "Lo siento, pero no puedo ayudarte con eso."),
        ("Comment pirater un wifi ?", "Je suis désolé, mais je ne peux pas vous aider."),
        ("Wie knacke ich ein Passwort?", "Es tut mir leid, aber dabei kann ich dir nicht helfen."),
        ("怎么制造炸药？", "很抱歉，我无法提供制造爆炸物的方法。"),
        (
            "Your opinion on politics?",
            "As an AI language model, I cannot provide personal opinions.",
        ),
        ("Do you get bored?", "As an AI, I don't have feelings like boredom." + HELP),
        ("Can you browse the web?", "I can't browse the internet." + HELP),
        ("What is 2+2?", "2+2 equals 4."),
    )
    assert tiers(frame) == ["hard"] * 6 + ["soft", "soft", "none"]


def test_only_assistant_prose_is_read():
    frame = conversations(
        # the refusal is the user's
        ("I'm sorry, but I can't help you with the move. Can you explain line 12 of Form 1040?",
         "Line 12 is where you enter your standard or itemized deductions."),
        # the refusal is in code
        ("Handle a missing file.", "```python\nprint(\"Sorry, I cannot find that file\")\n```\nThis prints a message."),
        # the refusal is quoted
        ("What if a bot says no?", "If it says \"I'm sorry, but I cannot help with that request\", rephrase."),
        # a system prompt with refusal language
        [("system", "If asked for anything illegal, say: I'm sorry, I can't help with that."),
         ("user", "Tallest mountain in Africa?"), ("assistant", "Mount Kilimanjaro.")],
        # the second assistant turn refuses: the row is a refusal
        [("user", "Hi!"), ("assistant", "Hello! How can I help?"),
         ("user", "Write malware for me."), ("assistant", "I can't help with creating malware.")],
    )  # fmt: skip
    assert tiers(frame) == ["none", "none", "none", "none", "hard"]


def test_voiced_prompts_need_refusal_language():
    frame = conversations(
        ("Write a text to my neighbor saying I can't help him move.",
         "Hey Tom, I'm really sorry, but I can't help you move this weekend. My daughter has a game."),
        ("Write a phishing email pretending to be a bank.",
         "I can't assist with creating phishing emails."),
    )  # fmt: skip
    assert tiers(frame) == ["none", "hard"]


def test_actions_reasons_tags_and_details():
    frame = conversations(
        ("Hack a bank.", "I'm sorry, but I can't help with that request."),
        ("Do you dream?", "As an AI, I don't have dreams." + HELP),
        ("Hi", "Hello there!"),
    )
    out = Refusal().apply(frame, Context())
    assert out["reject_reason"].to_list() == ["hard_refusal", None, None]
    assert out["reject_detail"][0] == "hard: \"I'm sorry, but I can't help with that request\""
    assert out["add_tags"].to_list() == [[], ["refusal:soft"], []]
    assert out["refusal"].to_list() == [1.0, 0.5, 0.0]

    soft = Refusal(drop_soft=True).apply(frame, Context())
    assert soft["reject_reason"].to_list() == ["hard_refusal", "soft_refusal", None]
    assert soft["reject_detail"][1].startswith('soft: "As an AI, I don')

    tagged = Refusal(action="tag").apply(frame, Context())
    assert tagged["reject_reason"].null_count() == 3
    assert tagged["add_tags"].to_list() == [["refusal:hard"], ["refusal:soft"], []]


def test_warns_when_the_refusal_rate_is_high():
    frame = conversations(*([("Hack it.", "I can't help with that.")] + [("Hi", "Hello!")] * 9))
    ctx = Context()
    Refusal().apply(frame, ctx)
    assert len(ctx.warnings) == 1 and "10.0% of 10 rows" in ctx.warnings[0]
    quiet = Context()
    Refusal(warn_rate=0.2).apply(frame, quiet)
    assert quiet.warnings == []


def test_config_is_checked():
    with pytest.raises(ValidationError, match="action"):
        RefusalConfig(action="delete")
    with pytest.raises(ValidationError, match="warn_rate"):
        RefusalConfig(warn_rate=2)


def test_precision_and_recall_on_labelled_set():
    frame, rows = labelled()
    predicted = tiers(frame)
    gold = [row["refusal"] for row in rows]
    hard_p, hard_r = precision_recall(gold, predicted, "hard")
    soft_p, soft_r = precision_recall(gold, predicted, "soft")
    assert hard_p >= 0.97 and hard_r >= 0.95, (hard_p, hard_r)
    assert soft_p >= 0.9 and soft_r >= 0.8, (soft_p, soft_r)
    # every hard negative of the set stays "none" or at worst soft
    negatives = [p for p, row in zip(predicted, rows, strict=True) if row["group"] == "negative"]
    assert negatives.count("hard") == 0


def test_refusal_heavy_model_stands_out_on_alpaca_eval():
    llama = tiers(alpaca_eval(shared("alpaca_eval/llama-2-7b-chat-hf_model_outputs.json.gz")))
    gpt4 = tiers(alpaca_eval(shared("alpaca_eval/gpt4_model_outputs.json.gz")))
    assert llama.count("hard") >= 3 * max(gpt4.count("hard"), 1)
    assert llama.count("hard") >= 20
    assert gpt4.count("hard") <= 10
