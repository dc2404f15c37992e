"""References back across sentences: what "This means it …", "These molecules …" and the
like stand for in a How it Works section."""

from __future__ import annotations

import pytest

from medkg.extract.mechanism import extract_mechanism
from medkg.model import Relation
from medkg.parse.monograph import parse

Step = tuple[str, Relation, str]


def _read(body: str, drug: str = "Testadine") -> tuple[list[Step], list[tuple[str, str]]]:
    text = (
        f"---\nlayout: minimal-medicine\ntitle: {drug}\n---\n\n# {drug}\n"
        f"### Generic Name\n{drug}\n\n### How it Works\n{body}\n"
    )
    document = parse(text, "test.md")
    section = next(s for s in document.sections if s.name == "How it Works")
    steps, effects, _ = extract_mechanism(document, section, drug)
    return (
        [(s.subject.text, s.relation, s.object.text) for s in steps],
        [(e.direction, e.effect.text) for e in effects],
    )


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Testadine is an anticholinergic. This means it blocks the action of "
            "examplamine at its receptors.",
            [("Testadine", Relation.INHIBITS, "examplamine")],
        ),
        (
            "Testadine is a bronchodilator. This means it works by relaxing the muscles "
            "around the airways.",
            [("Testadine", Relation.RELAXES, "muscles around the airways")],
        ),
    ],
)
def test_this_means_it_is_the_drug(body: str, expected: list[Step]) -> None:
    steps, _ = _read(body)
    assert steps == expected


@pytest.mark.parametrize(
    "body",
    [
        # what a hedged sentence "means" is no more certain than it
        "Testadine is thought to be cytostatic. This means it inhibits the growth of skin cells.",
        "Its action is not fully understood. This means it blocks receptor Q.",
    ],
)
def test_this_means_after_a_hedge_states_nothing(body: str) -> None:
    steps, effects = _read(body)
    assert steps == [] and effects == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Testadine is a prodrug that is converted in the liver. This active form "
            "inhibits kinase Q.",
            [("Testadine", Relation.INHIBITS, "kinase Q")],
        ),
        (
            "Testadine is turned into another compound in the gut. This active metabolite "
            "binds to receptor P.",
            [("Testadine", Relation.BINDS, "receptor P")],
        ),
    ],
)
def test_this_active_form_is_the_drug(body: str, expected: list[Step]) -> None:
    steps, _ = _read(body)
    assert steps == expected


def test_this_active_form_after_a_hedge_states_nothing() -> None:
    steps, _ = _read("Testadine may be converted in the liver. This active form inhibits kinase Q.")
    assert steps == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "When injected, testadine binds to receptor Q.",
            [("testadine", Relation.BINDS, "receptor Q")],
        ),
        (
            "Testadine is a statin. Simultaneously, it inhibits enzyme R.",
            [("Testadine", Relation.INHIBITS, "enzyme R")],
        ),
        (
            "After absorption, testadine activates receptor S.",
            [("testadine", Relation.ACTIVATES, "receptor S")],
        ),
    ],
)
def test_a_fronted_time_phrase_is_passed_over(body: str, expected: list[Step]) -> None:
    steps, _ = _read(body)
    assert steps == expected


def test_a_fronted_condition_is_no_time_phrase() -> None:
    # "when" with a clause of its own states a condition, not when the drug acts
    steps, effects = _read("When glucose is high, testadine raises insulin output.")
    assert steps == [] and effects == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Testadine slows the growth of cells and reduces the formation of new vessels.",
            [("decrease", "formation of new vessels")],
        ),
        (
            "By blocking kinase Q, testadine slows the heart and lowers the force of contractions.",
            [("decrease", "force of contractions")],
        ),
    ],
)
def test_a_second_verb_after_an_unread_one_keeps_the_drug(
    body: str, expected: list[tuple[str, str]]
) -> None:
    _, effects = _read(body)
    assert effects == expected


@pytest.mark.parametrize(
    "body",
    [
        # two subjects: the effect is not Testadine's alone
        "Testadine and examplin reduce the formation of new vessels.",
        # a hedged first verb
        "Testadine may slow the growth of cells and reduces the formation of new vessels.",
        # a relative clause before "and": another clause
        "Testadine blocks cells that grow fast and reduces the formation of new vessels.",
    ],
)
def test_a_second_verb_needs_the_drugs_own_plain_clause(body: str) -> None:
    _, effects = _read(body)
    assert ("decrease", "formation of new vessels") not in effects


@pytest.mark.parametrize(
    ("body", "expected_steps", "expected_effects"),
    [
        (
            "Testadine raises plasma volume due to its large starch molecules. These molecules "
            "increase the osmotic pressure of the blood.",
            [],
            [("increase", "plasma volume"), ("increase", "osmotic pressure of the blood")],
        ),
        (
            "Testadine contains venom-specific fragments of sheep antibodies. These fragments "
            "bind to the toxins of the venom.",
            [("Testadine", Relation.BINDS, "toxins of the venom")],
            [],
        ),
        (
            "Testadine is converted into active metabolites in the liver. These metabolites "
            "inhibit kinase Q.",
            [
                ("Testadine", Relation.CONVERTED_TO, "active metabolites"),
                ("Testadine", Relation.INHIBITS, "kinase Q"),
            ],
            [],
        ),
    ],
)
def test_these_parts_of_the_drug_are_the_drug(
    body: str, expected_steps: list[Step], expected_effects: list[tuple[str, str]]
) -> None:
    assert _read(body) == (expected_steps, expected_effects)


@pytest.mark.parametrize(
    "body",
    [
        # the receptors it acts on are not the drug
        "Testadine is a partial agonist of Q receptors in the brain. These receptors bind "
        "examplamine.",
        # "its" before a preposition: the enzyme is another thing
        "Testadine works through its role in the enzyme Q. This enzyme binds examplamine.",
        # antibodies the body makes are not the drug
        "Testadine stimulates the immune system to make antibodies. These antibodies bind to "
        "the virus.",
        # after a hedge
        "Testadine may contain starch molecules. These molecules bind examplamine.",
    ],
)
def test_these_other_things_are_not_the_drug(body: str) -> None:
    steps, _ = _read(body)
    assert all(s[0] != "Testadine" or s[2] not in ("examplamine", "virus") for s in steps)


def test_a_drug_named_in_the_plural_is_read_with_a_plural_verb() -> None:
    steps, effects = _read(
        "Examplic esters bind to receptor Q and reduce the output of hormone P.",
        drug="Examplic Esters",
    )
    assert steps == [("Examplic esters", Relation.BINDS, "receptor Q")]
    assert effects == [("decrease", "output of hormone P")]


def test_a_plural_verb_of_another_subject_is_not_read() -> None:
    assert _read("Examplic acids bind to receptor Q.") == ([], [])


def test_this_noun_is_no_plural_subject() -> None:
    # "increase" here is a noun: no effect "in cyclic AMP" of the drug
    _, effects = _read("Testadine inhibits enzyme Q. This increase in cyclic AMP relaxes vessels.")
    assert ("increase", "in cyclic AMP") not in effects


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Testadine releases oxygen due to its peroxide content.", "oxygen"),
        ("Testadine neutralizes the cells before the body can respond.", "cells"),
    ],
)
def test_an_object_ends_before_a_reason_or_a_time(body: str, expected: str) -> None:
    steps, _ = _read(body)
    assert [s[2] for s in steps] == [expected]
