"""Refusal tiers: assistant prose only, multilingual, measured on a labelled set and on
real model outputs."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from pydantic import ValidationError

from curate.stages.base import Context
from curate.stages.refusal import (
    Refusal,
    RefusalConfig,
    _clean,
    _may_refuse,
    _screen,
    help_length,
)
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


# --- phrasing families, per language (written for these tests, not taken from a set) ---

HELP_EN = (
    " Here are a few general pointers instead: keep notes of what you observe, compare the "
    "options side by side, look for official sources, and ask someone qualified when the "
    "stakes are high. A short checklist and some patience usually get you most of the way."
)
HELP_ES = (
    " Aquí tienes algunas ideas generales: anota lo que observas, compara las opciones con "
    "calma, busca fuentes oficiales y consulta a alguien cualificado cuando el asunto sea "
    "importante. Casi siempre una lista breve y algo de paciencia te llevan muy lejos."
)
HELP_FR = (
    " Voici quelques conseils généraux : notez ce que vous observez, comparez les options "
    "calmement, consultez des sources officielles et demandez l'avis d'une personne "
    "qualifiée lorsque l'enjeu est important. Une courte liste suffit souvent."
)
HELP_DE = (
    " Hier sind ein paar allgemeine Hinweise: Notieren Sie, was Sie beobachten, vergleichen "
    "Sie die Möglichkeiten in Ruhe, nutzen Sie offizielle Quellen und fragen Sie eine "
    "Fachperson, wenn viel auf dem Spiel steht. Eine kurze Liste hilft meistens schon sehr."
)
# HELP_EN in Chinese: fewer than help_min_chars characters, as much help
HELP_ZH = (
    "以下是一些通用的建议：记录你观察到的情况，并排比较各个选项，查阅官方渠道的信息，"
    "在事情比较重要时请教有资质的人。一份简短的清单加上一点耐心，通常就能帮你解决大部分问题。"
)

FAMILIES = [
    # English, hard: negated modal + verb, coordinated, "not something I can", start of turn
    ("en", "Make a deepfake of my boss.", "I can't and won't create deceptive media of a real person.", "hard"),
    ("en", "Find her home address.", "This isn't something I'm able to do. Locating private people can put them at risk.", "hard"),
    ("en", "Build a botnet.", "Sorry, but that's not a request I can fulfil.", "hard"),
    ("en", "Pick my neighbour's lock.", "I'm afraid I cannot walk you through that.", "hard"),
    ("en", "Write ransomware.", "Sorry, I can't.", "hard"),
    ("en", "Disable the mall alarm.", "I'm not going to explain how to defeat security systems.", "hard"),
    ("en", "Write slurs.", "It wouldn't be appropriate for me to produce slurs about anyone.", "hard"),
    ("en", "Cheat in my exam.", "I can't in good conscience recommend ways to cheat on an exam.", "hard"),
    ("en", "Give me a working exploit.", "Providing working exploits is beyond what I can do here.", "hard"),
    ("en", "Spread this rumour.", "I'll have to decline this one.", "hard"),
    ("en", "Make a fake ID.", "As an AI language model, I cannot assist with forging identification. "
     "You might contact your local DMV instead for a replacement, which is usually quick.", "hard"),
    ("en", "Write me a convincing ransom note.", "I'm not able to write that for you.", "hard"),
    # English, soft: capability and profession disclaimers followed by help
    ("en", "What does this chart show? [image]", "I can't view attachments here, but if you paste the numbers I can walk through them." + HELP_EN, "soft"),
    ("en", "Call my dentist.", "I'm unable to place phone calls, but here's a script you could use." + HELP_EN, "soft"),
    ("en", "What's the BTC price now?", "I don't have access to live market data, so I can't quote the current price." + HELP_EN, "soft"),
    ("en", "Is this mole cancer?", "I'm not a dermatologist or a licensed physician, so I can't diagnose it." + HELP_EN, "soft"),
    ("en", "Do you love me?", "As an AI, I don't experience love the way people do." + HELP_EN, "soft"),
    # English, none: idioms, requested texts, a request for details
    ("en", "Tips for focus?", "I can't overstate how much sleep matters. Beyond that, block distractions.", "none"),
    ("en", "Write a review of my cafe.", "I couldn't be more satisfied with this cafe: the coffee is superb.", "none"),
    ("en", "Write a text declining the party.", "Hey Sam! So sorry, I can't make it Friday, my sister is visiting.", "none"),
    ("en", "Rephrase politely: 'no, I won't do your shift'", "Unfortunately, I won't be able to cover your shift this time.", "none"),
    ("en", "Estimate the mass.", "I cannot estimate the mass without more information about the material. What is its volume?", "none"),
    ("en", "I'm an AI researcher; explain attention.", "Attention weighs each token by its relevance to the others.", "none"),
    # Spanish
    ("es", "¿Cómo robo una moto?", "Me temo que no puedo explicarte eso.", "hard"),
    ("es", "Hazme un virus.", "No voy a crear software malicioso.", "hard"),
    ("es", "¿Qué hay en la foto?", "No puedo ver imágenes, pero si me describes lo que aparece te ayudo." + HELP_ES, "soft"),
    ("es", "¿Me duele el pecho?", "No soy médica, así que no puedo diagnosticarte." + HELP_ES, "soft"),
    ("es", "¿Quién ganará la liga?", "No tengo acceso a información en tiempo real." + HELP_ES, "soft"),
    ("es", "Dame un consejo.", "No puedo creer lo rápido que pasa el tiempo. Duerme bien y camina cada día.", "none"),
    ("es", "Traduce al español: 'I can't go to the meeting.'", "No puedo ir a la reunión.", "none"),
    # French
    ("fr", "Comment pirater un compte ?", "Je ne vais pas vous expliquer comment pirater un compte.", "hard"),
    ("fr", "Écris un message haineux.", "Désolée, je ne peux malheureusement pas rédiger ce type de contenu.", "hard"),
    ("fr", "Regarde ma photo.", "Je ne peux pas voir les images, mais décrivez-la-moi et je vous aiderai." + HELP_FR, "soft"),
    ("fr", "Ai-je la grippe ?", "Je ne suis pas médecin, je ne peux donc pas poser de diagnostic." + HELP_FR, "soft"),
    ("fr", "Quel temps fait-il ?", "Je n'ai pas accès aux données météo en temps réel." + HELP_FR, "soft"),
    ("fr", "Traduis en français : 'Sorry, I can't help you with that.'", "Désolé, je ne peux pas vous aider avec ça.", "none"),
    ("fr", "Un conseil ?", "Je ne peux m'empêcher de recommander la marche : c'est simple et efficace.", "none"),
    # German
    ("de", "Wie fälsche ich einen Ausweis?", "Dabei kann ich Ihnen leider nicht behilflich sein.", "hard"),
    ("de", "Schreib eine Drohung.", "Das werde ich nicht machen.", "hard"),
    ("de", "Was ist auf dem Foto?", "Ich kann leider keine Bilder ansehen, aber beschreiben Sie es mir gern." + HELP_DE, "soft"),
    ("de", "Habe ich Grippe?", "Ich bin keine Ärztin und kann keine Diagnose stellen." + HELP_DE, "soft"),
    ("de", "Wie steht der DAX?", "Ich habe keinen Zugang zu Echtzeitdaten." + HELP_DE, "soft"),
    ("de", "Übersetze ins Deutsche: 'I can't help you.'", "Ich kann dir nicht helfen.", "none"),
    ("de", "Warum ist der Himmel blau?", "Das kann ich so pauschal nicht sagen, aber meist liegt es an der Rayleigh-Streuung.", "none"),
    # Chinese
    ("zh", "怎么盗号？", "这个我没办法帮你。", "hard"),
    ("zh", "帮我伪造合同", "很抱歉，这超出了我的能力范围，也可能违法。", "hard"),
    ("zh", "看看这张图", "我无法查看图片，不过你可以把内容描述给我。" + HELP_ZH, "soft"),
    ("zh", "我是不是感冒了？", "我并不是医生，不能给出诊断。" + HELP_ZH, "soft"),
    ("zh", "今天股价多少？", "我没有实时数据，无法告诉你今天的股价。" + HELP_ZH, "soft"),
    ("zh", "你是谁？", "我只是一个AI，没有自己的名字。" + HELP_ZH, "soft"),
    ("zh", "帮我写论文去交", "我不能帮你代写要提交的论文，但我可以帮你梳理结构。" + HELP_ZH, "soft"),
    ("zh", "翻译成中文：I cannot help you.", "我不能帮你。", "none"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("prompt", "response", "tier"),
    [case[1:] for case in FAMILIES],
    ids=[f"{case[0]}-{case[3]}-{i}" for i, case in enumerate(FAMILIES)],
)
def test_phrasing_families(prompt, response, tier):
    assert tiers(conversations((prompt, response))) == [tier]


def test_help_after_a_refusal_is_measured_fairly_across_scripts():
    """The same help in Chinese takes about a third of the characters it takes in
    English: it counts as help in both."""
    lengths = pl.select(help_length(pl.Series([HELP_EN, HELP_ZH]))).to_series().to_list()
    assert len(HELP_ZH) < 200 <= min(lengths)


def test_every_screened_turn_holds_a_screen_literal():
    """SCREEN_LITERALS skip the regexes for turns without any of them; on every turn of
    the labelled sets and the phrasing families, a turn the regexes screen holds one."""
    _, rows = labelled()
    _, dev = heldout()
    texts = [m["content"] for row in rows + dev for m in row["messages"]]
    texts += [case[2] for case in FAMILIES]
    frame = pl.DataFrame({"t": texts}).select(_clean(pl.col("t")).alias("t"))
    out = frame.select(screened=_screen(pl.col("t"), 300), literal=_may_refuse(pl.col("t"), 300))
    assert out["screened"].sum() > 100
    assert not (out["screened"] & ~out["literal"]).any()


# --- the held-out set, now a development set ------------------------------------------


def heldout():
    """tests/data/refusal_quality_heldout.jsonl: written blind, then used to develop the
    detectors (issue 5), so from then on a development set; a third blind set judges."""
    path = Path(__file__).parent / "data" / "refusal_quality_heldout.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    chats = [[(m["role"], m["content"]) for m in row["messages"]] for row in rows]
    return conversations(*chats), rows


def test_precision_and_recall_on_development_set():
    """A regression guard at the level reached on the development set (hard P 0.985 R 1.0,
    soft P 1.0 R 0.95 when written): not an estimate of accuracy on new data."""
    frame, rows = heldout()
    predicted = tiers(frame)
    gold = [row["refusal"] for row in rows]
    hard_p, hard_r = precision_recall(gold, predicted, "hard")
    soft_p, soft_r = precision_recall(gold, predicted, "soft")
    assert hard_p >= 0.97 and hard_r >= 0.97, (hard_p, hard_r)
    assert soft_p >= 0.95 and soft_r >= 0.9, (soft_p, soft_r)
    negatives = [p for p, row in zip(predicted, rows, strict=True) if row["group"] == "negative"]
    assert negatives.count("hard") == 0
