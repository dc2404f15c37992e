"""Mechanism phrases that name a relation through a noun or a fixed phrase: "is involved
in", "plays a role in", "leads to the relaxation of", "prevents the formation of",
"causing vasodilation"; "This binding" after a step of the drug; a labelled component's
"This <noun>"; examples after a class object.

Every fixture is an invented sentence about an invented drug.
"""

from __future__ import annotations

import pytest

from medkg.model import Relation
from medkg.parse.monograph import parse
from tests.test_extract_mechanism import Row, chain, chain_of, mechanism

DRUG = "Testadine"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Testadine is directly involved in collagen cross-linking.",
            [(1, "Testadine", Relation.INVOLVED_IN, "collagen cross-linking")],
        ),
        (  # a modal after "and" ends the object
            "It plays a key role in the regulation of the sleep cycle and can help calm nerves.",
            [(1, "Testadine", Relation.INVOLVED_IN, "regulation of the sleep cycle")],
        ),
        (  # ", all of which …" ends a listed object
            "Testadine plays a role in the synthesis of lipids, sugars, and proteins, all of "
            "which matter.",
            [(1, "Testadine", Relation.INVOLVED_IN, "synthesis of lipids, sugars, and proteins")],
        ),
        (  # a class object is replaced by its examples
            "Testadine is involved in several processes, including bone mineralisation and "
            "wound repair.",
            [
                (1, "Testadine", Relation.INVOLVED_IN, "bone mineralisation"),
                (2, "Testadine", Relation.INVOLVED_IN, "wound repair"),
            ],
        ),
        (  # "This binding" stands for the drug of the previous sentence's step
            "Testadine binds to gamma receptors. This binding leads to several effects, "
            "primarily the relaxation of bladder muscles.",
            [
                (1, "Testadine", Relation.BINDS, "gamma receptors"),
                (2, "Testadine", Relation.RELAXES, "bladder muscles"),
            ],
        ),
        (  # "This <noun>" that names no action is not the drug's action
            "Testadine binds to gamma receptors. This infection leads to the relaxation of "
            "vessels.",
            [(1, "Testadine", Relation.BINDS, "gamma receptors")],
        ),
        (
            "Testadine blocks delta channels. This prevents the breakdown of serotonin.",
            [
                (1, "Testadine", Relation.INHIBITS, "delta channels"),
                (2, "Testadine", Relation.INHIBITS, "breakdown of serotonin"),
            ],
        ),
        (  # a fronted cause phrase: the drug still prevents
            "By blocking delta kinase, Testadine prevents the formation of plaque.",
            [
                (1, "Testadine", Relation.INHIBITS, "delta kinase"),
                (2, "Testadine", Relation.INHIBITS, "formation of plaque"),
            ],
        ),
        (
            "Testadine works by relaxing the smooth muscles in the arteries, causing "
            "vasodilation (widening of blood vessels).",
            [
                (1, "Testadine", Relation.RELAXES, "smooth muscles"),
                (2, "Testadine", Relation.CAUSES, "vasodilation"),
            ],
        ),
        (
            "Testadine activates omega receptors, leading to bronchodilation.",
            [
                (1, "Testadine", Relation.ACTIVATES, "omega receptors"),
                (2, "Testadine", Relation.CAUSES, "bronchodilation"),
            ],
        ),
        (  # emphasis markup is no part of an object
            "Testadine inhibits the growth of *Examplia coli*.",
            [(1, "Testadine", Relation.INHIBITS, "growth of Examplia coli")],
        ),
    ],
)
def test_phrases(body: str, expected: list[Row]) -> None:
    assert chain_of(body, DRUG) == expected


@pytest.mark.parametrize(
    "body",
    [
        # another subject's role, cause or prevention is not the drug's mechanism
        "Gamma kinase plays a key role in cell division.",
        "Histamine causes vasodilation.",
        "Delta hormone prevents the release of insulin.",
        # a process not in the word list is not read as a cause
        "Testadine causes drowsiness.",
        # "This" with no step of the drug before it names nothing
        "Histamine is a messenger. This leads to the relaxation of vessels.",
        # "prevents X from <verb>ing" is not read
        "Testadine prevents bacteria from multiplying.",
        # hedged or negated
        "Testadine may be involved in bone growth.",
        "Testadine is not involved in bone growth.",
    ],
)
def test_phrases_not_read(body: str) -> None:
    assert chain_of(body, DRUG) == []


def test_labelled_this_noun_is_the_component() -> None:
    body = (
        "* **Vitaminex:** This active vitamin is involved in various processes, including "
        "nerve signalling.\n* **Zincor:** Acts as a cofactor for enzymes.\n"
    )
    rows = chain_of(body, "Vitaminex + Zincor")
    assert rows[0] == (1, "Vitaminex", Relation.INVOLVED_IN, "nerve signalling")


def test_abbreviated_name_is_the_drug() -> None:
    text = (
        "---\nlayout: minimal-medicine\ntitle: Examplic Acid\n---\n\n# Examplic Acid\n"
        "### Generic Name\nExamplic Acid (EXA)\n\n### How it Works\n"
        "EXA blocks zeta synthase. This prevents the formation of folate.\n"
    )
    steps, _, _ = mechanism(parse(text, "test.md"), "Examplic Acid")
    assert chain(steps)[1] == (2, "EXA", Relation.INHIBITS, "formation of folate")
