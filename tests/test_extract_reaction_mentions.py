"""Reactions that a sentence outside Side Effects calls side effects
(medkg.extract.reaction.mentions). Fixture sentences are invented."""

from __future__ import annotations

import pytest

from medkg.extract.monograph import extract
from medkg.model import AdverseReactionFact, Band
from medkg.parse.monograph import parse

DOCUMENT = """# Testadine + Examplumab
### Side Effects
* Headache
### Precautions
{precautions}
### FAQs
* **Q: Can I drive?** A: {answer}
"""


def stated(
    precautions: str = "Keep out of reach.", answer: str = "Ask your doctor."
) -> list[AdverseReactionFact]:
    text = DOCUMENT.format(precautions=precautions, answer=answer)
    facts = extract(parse(text, "testadine.md")).adverse_reactions
    return [fact for fact in facts if fact.evidence.section != "Side Effects"]


def names(**sections: str) -> list[tuple[str, Band | None, bool | None]]:
    return [(f.reaction.text, f.band, f.serious) for f in stated(**sections)]


def test_an_faq_answer_calling_terms_common_side_effects() -> None:
    assert names(answer="Yes, somnolence and vertigo are common side effects.") == [
        ("somnolence", Band.COMMON, None),
        ("vertigo", Band.COMMON, None),
    ]


def test_a_labelled_precaution_and_how_serious() -> None:
    assert names(
        precautions="* **Metabolism:** Ketoacidosis is a rare but serious side effect of testadine."
    ) == [("Ketoacidosis", Band.RARE, True)]


def test_the_evidence_is_the_sentence() -> None:
    [fact] = stated(answer="Somnolence is a possible side effect.")
    assert fact.evidence.quote == "Somnolence is a possible side effect."
    assert fact.evidence.section == "FAQs"
    assert fact.band is None


@pytest.mark.parametrize(
    "answer",
    [
        "Somnolence is not a common side effect.",  # negated
        "Somnolence may be a side effect.",  # hedged: no plain "is"
        "Somnolence is a common side effect of antihistamines.",  # another product
        "This is a serious side effect.",  # a pronoun
        "Other symptoms are possible side effects.",  # a determiner, no name
        "However, like all medicines, there are potential side effects.",
        "Use caution as somnolence is a possible side effect.",  # a clause before it
        "Swelling, particularly of the lips, is a serious side effect.",  # a qualifier
        "Tendon and joint pain are possible side effects.",  # "tendon" may be tendon pain
    ],
)
def test_sentences_that_state_no_reaction(answer: str) -> None:
    assert names(answer=answer) == []


def test_the_side_effects_section_reads_the_shape_once() -> None:
    text = "# Testadine\n### Side Effects\nSomnolence is a common side effect.\n"
    facts = extract(parse(text, "t.md")).adverse_reactions
    assert [f.reaction.text for f in facts] == ["Somnolence"]
