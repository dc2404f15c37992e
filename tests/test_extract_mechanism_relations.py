"""Mechanism relations beyond inhibit/activate/bind: relaxes, dilates, releases, chelates,
reactivates, depresses, disrupts, acts on, required for, resistant to, incorporated into.

Every fixture is an invented sentence about an invented drug.
"""

from __future__ import annotations

import pytest

from medkg.model import Relation
from medkg.parse.monograph import parse
from tests.test_extract_mechanism import Row, chain, chain_of, from_text, mechanism

DRUG = "Testadine"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Testadine relaxes the smooth muscle of the bladder.",
            [(1, "Testadine", Relation.RELAXES, "smooth muscle of the bladder")],
        ),
        (  # a gerund after "works by", a location cut off the object
            "Testadine works by directly relaxing the smooth muscles in the veins.",
            [(1, "Testadine", Relation.RELAXES, "smooth muscles")],
        ),
        (  # "helps (to)" and a base verb; two coordinated verbs
            "Testadine helps to relax and widen the bronchi.",
            [
                (1, "Testadine", Relation.RELAXES, "bronchi"),
                (2, "Testadine", Relation.DILATES, "bronchi"),
            ],
        ),
        (  # "releases X, which disrupts Y": the released thing is the next subject
            "Testadine releases chlorine, which disrupts the outer membrane of microbes.",
            [
                (1, "Testadine", Relation.RELEASES, "chlorine"),
                (2, "chlorine", Relation.DISRUPTS, "microbial outer membrane"),
            ],
        ),
        (
            "Testadine chelates free copper.",
            [(1, "Testadine", Relation.CHELATES, "free copper")],
        ),
        (
            "Testadine reactivates the blocked enzyme.",
            [(1, "Testadine", Relation.REACTIVATES, "blocked enzyme")],
        ),
        (
            "Testadine depresses the central nervous system.",
            [(1, "Testadine", Relation.DEPRESSES, "central nervous system")],
        ),
        (  # a purpose clause ends the object; its verb is the subject's own step
            "Testadine acts on the spinal cord to relax tense muscles.",
            [
                (1, "Testadine", Relation.ACTS_ON, "spinal cord"),
                (2, "Testadine", Relation.RELAXES, "tense muscles"),
            ],
        ),
        (  # after a causative verb the object does what follows "to"
            "Testadine stimulates the adrenal gland to release more cortisol.",
            [
                (1, "Testadine", Relation.STIMULATES, "adrenal gland"),
                (2, "adrenal gland", Relation.RELEASES, "cortisol"),
            ],
        ),
        (  # ", causing X to <verb>" continues the clause's subject
            "Testadine works by activating gamma receptors, causing the muscles around the "
            "airways to relax.",
            [
                (1, "Testadine", Relation.ACTIVATES, "gamma receptors"),
                (2, "Testadine", Relation.RELAXES, "muscles around the airways"),
            ],
        ),
        (
            "Testadine is required for the synthesis of myelin.",
            [(1, "Testadine", Relation.REQUIRED_FOR, "synthesis of myelin")],
        ),
        (  # a quantity word before the object is not part of it
            "Testadine acts as a cofactor for numerous enzymes involved in energy use.",
            [(1, "Testadine", Relation.REQUIRED_FOR, "enzymes")],
        ),
        (
            "Testadine is resistant to breakdown by lactamases.",
            [(1, "Testadine", Relation.RESISTANT_TO, "lactamases")],
        ),
        (
            "Testadine is a lactamase-resistant antibiotic.",
            [(1, "Testadine", Relation.RESISTANT_TO, "lactamase")],
        ),
        (  # a coordinated passive: "is absorbed … and incorporated into X"
            "Testadine is absorbed in the gut and incorporated into ferritin.",
            [(1, "Testadine", Relation.INCORPORATED_INTO, "ferritin")],
        ),
        (
            "Testadine's antiviral activity stems from its ability to chelate trace metals.",
            [(1, "Testadine", Relation.CHELATES, "trace metals")],
        ),
        (  # role nouns that name a relation
            "Testadine is a skeletal muscle relaxant.",
            [(1, "Testadine", Relation.RELAXES, "skeletal muscle")],
        ),
        (
            "Testadine acts as a central nervous system depressant.",
            [(1, "Testadine", Relation.DEPRESSES, "central nervous system")],
        ),
        (  # "-ly" words before a role noun say how, not what
            "Testadine is a centrally acting muscle relaxant.",
            [(1, "Testadine", Relation.RELAXES, "muscle")],
        ),
        (  # a role noun before "that works by …" is read too
            "Testadine is a sodium channel blocker that works by relaxing blood vessels.",
            [
                (1, "Testadine", Relation.INHIBITS, "sodium channel"),
                (2, "Testadine", Relation.RELAXES, "blood vessels"),
            ],
        ),
        (  # adjectives coordinated before one head noun are one object
            "Testadine disrupts bacterial and fungal cell membranes.",
            [(1, "Testadine", Relation.DISRUPTS, "bacterial and fungal cell membranes")],
        ),
    ],
)
def test_new_relations(body: str, expected: list[Row]) -> None:
    assert chain_of(body, DRUG) == expected


@pytest.mark.parametrize(
    "body",
    [
        "Testadine may relax the smooth muscle of the bladder.",  # hedged
        "Testadine does not relax the smooth muscle of the bladder.",  # negated
        "Testadine's effect is thought to stem from its ability to chelate metals.",
        "Testadine's activity does not stem from its ability to chelate metals.",
        "Testadine works against bacteria that are resistant to penicillins.",  # not the drug
        "Some bacteria are resistant to lactamase inhibitors.",
        "They are incorporated into cell membranes.",  # "they" names nothing
        "Since minerals are essential for bone growth, Testadine is given daily.",
        "Kinin is a substance that the body releases during injury.",  # relative clause
        "Testadine works by causing them to relax.",  # a pronoun object
        "Testadine is essential for its own absorption.",
        "Testadine is an essential cofactor.",  # no preposition: nothing it is needed for
        "The gonadotropin-releasing hormone analog lowers nothing.",  # a hyphenated adjective
    ],
)
def test_no_step_from_hedged_negated_or_unanchored_sentences(body: str) -> None:
    assert chain_of(body, DRUG) == []


def test_expand_is_an_increase() -> None:
    _, (_, effects, _) = from_text("Testadine expands the plasma volume.", "Testadine")
    assert [(e.direction, e.effect.text) for e in effects] == [("increase", "plasma volume")]


def test_generic_name_resolves_a_pronoun_when_the_title_adds_a_word() -> None:
    """The title "Testadine Topical" is written "Testadine" in the text: "it" still resolves."""
    body = "Testadine is an old drug.\n\nEssentially, it relaxes the smooth muscle."
    text = (
        "---\nlayout: minimal-medicine\ntitle: Testadine Topical\n---\n\n# Testadine Topical\n"
        "### Generic Name\nTestadine\n\n### How it Works\n" + body + "\n"
    )
    document = parse(text, "test.md")
    steps, _, _ = mechanism(document, "Testadine Topical")
    assert chain(steps) == [(1, "Testadine", Relation.RELAXES, "smooth muscle")]


def test_a_step_on_an_outcome_is_no_step() -> None:
    """A symptom or clinical measure (outcome-words.csv) is what the mechanism achieves."""
    assert chain_of("Testadine stimulates healing.", DRUG) == []
    assert chain_of("Testadine inhibits pain.", DRUG) == []
    assert chain_of("Testadine stimulates tissue repair.", DRUG) == [
        (1, "Testadine", Relation.STIMULATES, "tissue repair")
    ]
