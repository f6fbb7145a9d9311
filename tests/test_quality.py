"""Quality rules: each names its reason and explains itself; thresholds come from config."""

from __future__ import annotations

import polars as pl
import pytest
from ftfy.badness import is_bad
from pydantic import ValidationError

from curate.stages.base import Context
from curate.stages.quality import Quality, QualityConfig, mojibake_pattern
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
