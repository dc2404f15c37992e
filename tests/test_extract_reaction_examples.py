"""Examples inside a reaction term are reactions of their own (medkg.extract.reaction.examples).

Fixture sentences are invented; they reproduce the shapes met in real monographs.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medkg.extract.reaction import extract_adverse_reactions
from medkg.extract.reaction.examples import is_category, is_reaction_name, named_examples
from medkg.extract.term_lists import list_terms
from medkg.model import AdverseReactionFact, Band, StatementFact
from medkg.parse.monograph import parse


def run(body: str) -> tuple[tuple[AdverseReactionFact, ...], tuple[StatementFact, ...]]:
    document = parse("# Testadine\n### Side Effects\n" + body + "\n", "t.md")
    section = next(s for s in document.sections if s.name == "Side Effects")
    return extract_adverse_reactions(document, section)


def names(body: str) -> list[str]:
    return [fact.reaction.text for fact in run(body)[0]]


def examples(text: str) -> list[str]:
    found = []
    for term in list_terms(text, 0, len(text), like_examples=True):
        found += [text[slice(*example.term)] for example in named_examples(text, term)]
    return found


def test_a_bracket_listing_terms_gives_each_term_and_keeps_the_head() -> None:
    assert names("Common side effects:\n\n* Hypersensitivity (hives, wheezing, lip swelling)") == [
        "Hypersensitivity",
        "hives",
        "wheezing",
        "lip swelling",
    ]


def test_examples_share_the_band_and_evidence_of_their_head() -> None:
    reactions, _ = run("* **Rare (<0.1%):** Blood count changes (neutropenia, anemia)")
    assert [(f.reaction.text, f.band) for f in reactions] == [
        ("Blood count changes", Band.RARE),
        ("neutropenia", Band.RARE),
        ("anemia", Band.RARE),
    ]
    assert len({f.evidence for f in reactions}) == 1


def test_a_marked_bracket_gives_examples_even_when_single() -> None:
    assert names("Side effects include skin reactions (e.g., blistering).") == [
        "skin reactions",
        "blistering",
    ]


@pytest.mark.parametrize(
    "item",
    [
        "Fast pulse (tachycardia)",  # one term: another name for the head
        "Tingling (pins or needles)",  # "or" without a comma: one gloss
        "Jaundice (yellowing of the eyes and skin)",  # "and" without a comma: one gloss
        "Angioedema (swelling of the lips, tongue, or throat)",  # the place word carries over
        "Maculopapular rash (red, raised rash)",  # the bracket paraphrases the head
        "Raised liver enzymes (ALT, AST)",  # tests or abbreviations, not reactions
        "Flushing (mild, transient)",  # only words saying how
        "Appetite changes (increase, decrease)",  # words completing the head
        "Hypersensitivity (allergic reactions, ranging from mild to severe)",  # a description
        "Injection site reactions (soreness, bruising)",  # signs at a site: lose where alone
        "Scalp irritation (redness, stinging, flaking)",  # signs of harm to a tissue
        "Kidney damage (dark urine, less urine)",  # signs of the damage
        "Nerve injury (prickling, weakness)",  # signs of the injury
        "Sensory neuropathy (numbness, prickling in the toes)",  # symptoms of the neuropathy
    ],
)
def test_a_bracket_that_names_no_other_reaction_stays_a_gloss(item: str) -> None:
    reactions, _ = run("* " + item)
    assert len(reactions) == 1
    assert reactions[0].reaction.glosses


def test_named_disorders_after_a_harm_head_are_kinds_of_it() -> None:
    assert names("* Kidney damage (nephritis, acute renal failure)") == [
        "Kidney damage",
        "nephritis",
        "acute renal failure",
    ]


def test_marked_examples_after_a_harm_head_are_reactions() -> None:
    assert names("* Skin irritation, such as blistering or peeling") == [
        "Skin irritation",
        "blistering",
        "peeling",
    ]


def test_nested_such_as_after_an_experienced_object() -> None:
    assert names("Some people may experience sleep changes, such as vivid dreams or insomnia.") == [
        "sleep changes",
        "vivid dreams",
        "insomnia",
    ]


def test_like_introduces_examples_and_a_bare_category_head_is_dropped() -> None:
    assert names(
        "* **Nervous system:** Effects like vertigo, tremor, or somnolence may occur."
    ) == [
        "vertigo",
        "tremor",
        "somnolence",
    ]


def test_a_pronoun_head_inside_a_bracket_gives_its_own_examples() -> None:
    assert examples("Skin eruptions (including serious ones like bullous dermatitis)") == [
        "bullous dermatitis"
    ]


def test_a_reaction_label_whose_body_is_an_occurrence_clause() -> None:
    reactions, statements = run(
        "* **Skin reactions:** In rare cases, skin reactions like hives or blistering are possible."
    )
    assert [(f.reaction.text, f.band) for f in reactions] == [
        ("Skin reactions", Band.RARE),
        ("hives", Band.RARE),
        ("blistering", Band.RARE),
    ]
    assert statements == ()


def test_a_reaction_label_whose_body_only_describes_it_stays_a_statement() -> None:
    reactions, statements = run("* **Photosensitivity:** Avoid strong sunlight while treated.")
    assert [f.reaction.text for f in reactions] == ["Photosensitivity"]
    assert [s.evidence.quote for s in statements] == ["Avoid strong sunlight while treated."]


def test_a_dose_condition_before_the_subject_still_lists_reactions() -> None:
    assert names("At higher doses, tremor and agitation may occur.") == ["tremor", "agitation"]


def test_an_if_condition_before_the_subject_is_no_list() -> None:
    assert names("If taken with alcohol, tremor may occur.") == []


def test_examples_of_a_hedged_clause_are_not_read() -> None:
    assert names("Reactions such as tremor have not been reported.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("effects", True),
        ("side effects", True),
        ("severe ones", True),
        ("allergic reactions", False),
    ],
)
def test_is_category(text: str, expected: bool) -> None:
    assert is_category(text) is expected


@given(
    st.lists(
        st.sampled_from(["rash", "tremor", "dry mouth", "vivid dreams", "joint pain"]),
        min_size=2,
        max_size=5,
        unique=True,
    )
)
def test_any_comma_bracket_of_names_gives_every_name(items: list[str]) -> None:
    text = f"Reactions of the skin ({', '.join(items)})"
    assert examples(text) == items
    assert all(
        is_reaction_name(text, text.index(item), text.index(item) + len(item)) for item in items
    )
