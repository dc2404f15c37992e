"""FAQ pairs that caution: the question's topic, the answer's caution, the pair as evidence."""

from __future__ import annotations

import pytest

from medkg.extract.monograph import extract
from medkg.parse.monograph import parse


def cautions(question: str, answer: str) -> list[tuple[str | None, str]]:
    text = f"# Exampline\n### FAQs\n* **Q: {question}** A: {answer}\n"
    extraction = extract(parse(text, "exampline.md"))
    found = [w for w in extraction.warnings if w.evidence.section == "FAQs"]
    for warning in found:
        assert warning.kind == "caution"
        assert warning.evidence.quote == text[warning.evidence.start : warning.evidence.end]
        assert question in warning.evidence.quote and answer in warning.evidence.quote
    return [(w.condition.text if w.condition else None, w.evidence.section) for w in found]


@pytest.mark.parametrize(
    ("question", "answer", "expected"),
    [
        (
            "Can I drink alcohol while taking Exampline?",
            "No. Alcohol may increase drowsiness.",
            ["alcohol"],
        ),
        (
            "Can I stop taking Exampline suddenly?",
            "Never stop abruptly; your doctor will reduce the dose gradually.",
            ["abrupt discontinuation"],
        ),
        (
            "Can I stop taking Exampline when I feel better?",
            "No, finish the whole course.",
            ["discontinuation"],
        ),
        (
            "Is it safe to drive or operate machinery after a dose?",
            "Avoid driving until you know how it affects you.",
            ["driving or operating machinery"],
        ),
        (
            "Can I use it while pregnant or breastfeeding?",
            "Consult your doctor before using it.",
            ["pregnancy", "breastfeeding"],
        ),
    ],
)
def test_a_cautioning_answer_gives_a_caution_per_topic(
    question: str, answer: str, expected: list[str]
) -> None:
    assert cautions(question, answer) == [(c, "FAQs") for c in expected]


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("Can I drink alcohol while taking Exampline?", "Yes, in moderation it is fine."),
        ("Can I drink alcohol while taking Exampline?", "No interaction with alcohol is known."),
        ("How should I store Exampline?", "Do not store it above 25 °C."),  # no topic
        ("What is Exampline?", "Do not drive after a dose."),  # not a may-I question
        ("Can I take Exampline with food?", "Avoid heavy meals."),  # no topic in the table
    ],
)
def test_no_caution_without_a_topic_a_may_i_question_and_a_cautioning_answer(
    question: str, answer: str
) -> None:
    assert cautions(question, answer) == []
