"""Mechanism object terms: a clause after a colon, a head shared out over "of A and B",
organism adjectives, "molecule" dropped, abbreviations written as their long forms.

Every fixture is an invented sentence about an invented drug.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medkg.extract.mechanism.terms import long_forms, object_terms
from medkg.model import Evidence, Mention, Relation
from tests.test_extract_mechanism import Row, chain_of, effect_summary, from_text

DRUG = "Testadine"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (  # the clause after a colon has its own subject
            "Testadine's action as a disinfectant is simple: it blocks the enzyme zetase.",
            [(1, "Testadine", Relation.INHIBITS, "enzyme zetase")],
        ),
        (  # "growth of A and B": two terms, each an organism adjective and the head
            "Testadine inhibits the growth of bacteria and fungi.",
            [
                (1, "Testadine", Relation.INHIBITS, "bacterial growth"),
                (2, "Testadine", Relation.INHIBITS, "fungal growth"),
            ],
        ),
        (  # a shared head without an organism: "synthesis of A", "synthesis of B"
            "Testadine blocks the synthesis of prostanoids and leukotrienes.",
            [
                (1, "Testadine", Relation.INHIBITS, "synthesis of prostanoids"),
                (2, "Testadine", Relation.INHIBITS, "synthesis of leukotrienes"),
            ],
        ),
        (  # "the" after "of" stays with each term
            "Testadine relaxes the smooth muscles of the colon and bladder.",
            [
                (1, "Testadine", Relation.RELAXES, "smooth muscles of the colon"),
                (2, "Testadine", Relation.RELAXES, "smooth muscles of the bladder"),
            ],
        ),
        (  # ", B blocks Y": the next clause, with its own subject, ends the object
            "In short: Testadine inhibits zetase, examplol blocks histamine, and "
            "testamine thins mucus.",
            [(1, "Testadine", Relation.INHIBITS, "zetase")],
        ),
        (  # ", lowers Y": a verb after the comma opens the next clause
            "Testadine inhibits zetase, lowers the output of examplin, and thins mucus.",
            [(1, "Testadine", Relation.INHIBITS, "zetase")],
        ),
        (  # "the action of an enzyme called X" names X
            "Testadine blocks the action of an enzyme called zetase kinase.",
            [(1, "Testadine", Relation.INHIBITS, "zetase kinase")],
        ),
        (  # "kills" removes what it names; "damages" breaks it up
            "Testadine kills the mites. Testadine damages the fungal cell membrane.",
            [
                (1, "Testadine", Relation.DEPLETES, "mites"),
                (2, "Testadine", Relation.DISRUPTS, "fungal cell membrane"),
            ],
        ),
        (  # "rather than" ends the object
            "Testadine kills bacteria rather than merely slowing their growth.",
            [(1, "Testadine", Relation.DEPLETES, "bacteria")],
        ),
        (  # "damage" as a noun names no relation
            "Testadine lessens the irritation and damage to the gut lining.",
            [],
        ),
        (  # a verb inside a parenthetical gloss has no subject
            "Testadine is an antibiotic. It's bactericidal (kills bacteria).",
            [],
        ),
        (  # ", binds Y": the same subject's next verb after a comma
            "Testadine inhibits zetase, binds examplin, and activates the Z receptor.",
            [
                (1, "Testadine", Relation.INHIBITS, "zetase"),
                (2, "Testadine", Relation.BINDS, "examplin"),
                (3, "Testadine", Relation.ACTIVATES, "Z receptor"),
            ],
        ),
        (  # a joint head relates its members: one object
            "Testadine disrupts the balance of sodium and potassium.",
            [(1, "Testadine", Relation.DISRUPTS, "balance of sodium and potassium")],
        ),
        (  # a class head names the organisms: no adjective
            "Testadine targets a range of bacteria.",
            [(1, "Testadine", Relation.BINDS, "range of bacteria")],
        ),
        (  # "the X molecule" is X
            "Testadine binds to the zetamine molecule that sits on the enzyme.",
            [(1, "Testadine", Relation.BINDS, "zetamine")],
        ),
        (  # an abbreviation the section defined is written as its long form
            "Testadine resembles para-examplic acid (PEA), a bacterial nutrient. "
            "Testadine blocks PEA.",
            [(1, "Testadine", Relation.INHIBITS, "para-examplic acid")],
        ),
    ],
)
def test_object_terms(body: str, expected: list[Row]) -> None:
    assert chain_of(body, DRUG) == expected


def test_a_hedged_introduction_before_a_colon_leaves_the_clause_unread() -> None:
    assert chain_of("Its exact action is not known: it blocks the enzyme zetase.", DRUG) == []


def test_an_effect_on_a_shared_head_is_two_effects() -> None:
    _, (_, effects, _) = from_text("Testadine reduces the growth of bacteria and fungi.", DRUG)
    assert effect_summary(effects) == [
        ("decrease", "bacterial growth", None),
        ("decrease", "fungal growth", None),
    ]


def test_the_abbreviation_stays_a_gloss() -> None:
    _, (steps, _, _) = from_text(
        "Testadine resembles para-examplic acid (PEA). Testadine blocks PEA.", DRUG
    )
    assert steps[0].object.glosses == ("PEA",)
    assert steps[0].object.evidence.quote == "PEA"


def test_long_forms_hold_the_letters_in_order() -> None:
    text = (
        "It acts on gamma-examplic acid (GEA) and the zeta kinase (ZK), not on (pH) or (OK1); "
        "it blocks examplase 17/21-lyase (EX17)."
    )
    assert long_forms(text) == {
        "GEA": "gamma-examplic acid",
        "ZK": "zeta kinase",
        "EX17": "examplase 17/21-lyase",
    }


_EVIDENCE = Evidence(document="t.md", section="How it Works", start=0, end=1, quote="x")


@given(st.from_regex(r"[a-z]{3,9}( [a-z]{3,9}){0,3}", fullmatch=True))
def test_a_term_without_of_or_molecule_is_kept(text: str) -> None:
    term = Mention(text, _EVIDENCE)
    if "molecule" in text:
        return
    assert object_terms(term) == [term]
