"""Side Effects items that deny or doubt their reaction, and places listed after a reaction
(invented sentences about an invented drug)."""

from __future__ import annotations

import pytest

from medkg.extract.reaction import extract_adverse_reactions
from medkg.parse.monograph import parse


def reactions(body: str) -> list[str]:
    text = f"---\ntitle: Testadine\n---\n# Testadine\n### Side Effects\n{body}\n"
    document = parse(text, "x.md")
    section = document.section("Side Effects")
    assert section is not None
    facts, _ = extract_adverse_reactions(document, section)
    return [fact.reaction.text for fact in facts]


@pytest.mark.parametrize(
    "item",
    [
        "* **Toe cramps:** Toe cramps have not been reported with this drug.",
        "* **Ear ringing:** This is theoretical only.",
        "* **Nail loss:** No cases are known in people.",
    ],
)
def test_a_label_whose_description_denies_it_is_no_reaction(item: str) -> None:
    assert reactions(f"{item}\n* Nausea") == ["Nausea"]


def test_a_label_whose_frequency_is_unknown_is_still_a_reaction() -> None:
    assert reactions("* **Toe cramps:** How often they occur is unknown.") == ["Toe cramps"]


def test_a_dash_description_that_doubts_its_term_leaves_no_markup_and_no_reaction() -> None:
    assert reactions("* **Ear ringing** – theoretical only\n* Nausea") == ["Nausea"]
    assert reactions("* **Ear ringing** – see a doctor if it lasts\n* Nausea") == [
        "Ear ringing",
        "Nausea",
    ]


def test_places_after_a_reaction_complete_it() -> None:
    assert reactions("* Swelling in the ankles, feet, or legs\n* Headache") == [
        "Swelling in the ankles, feet, or legs",
        "Headache",
    ]
    assert reactions("* Pain in the joints, headache, or nausea") == [
        "Pain in the joints",
        "headache",
        "nausea",
    ]


def test_a_body_part_alone_is_no_reaction() -> None:
    assert reactions("* Rash, eyes, dizziness") == ["Rash", "dizziness"]
