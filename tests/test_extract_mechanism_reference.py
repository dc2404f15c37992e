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
