"""The examples of a contraindicated class of conditions are contraindications too; the
examples of a reaction are how it showed, not conditions of their own (invented sentences)."""

from __future__ import annotations

from tests.test_extract_precautions import run


def contraindicated(body: str) -> list[str]:
    contraindications, _, _ = run(body, "Testadine")
    return [fact.condition.text for fact in contraindications]


def test_examples_of_a_class_are_contraindications() -> None:
    assert contraindicated(
        "**Contraindications:**\n\n* Fluid overload conditions (e.g., lung oedema, heart failure)"
    ) == ["Fluid overload conditions", "lung oedema", "heart failure"]


def test_examples_of_a_reaction_are_not() -> None:
    assert contraindicated(
        "**Contraindications:**\n\n* Hypersensitivity to testadine (e.g., angioedema, hives)"
    ) == ["Hypersensitivity to testadine"]


def test_examples_of_people_are_not() -> None:
    assert contraindicated(
        "**Contraindications:**\n\n* Critically ill adult patients (including those with sepsis)"
    ) == ["Critically ill adult patients"]


def test_an_example_naming_people_is_not_a_condition() -> None:
    assert contraindicated(
        "**Contraindications:**\n\n* Kidney conditions (e.g., those with kidney stones, nephritis)"
    ) == ["Kidney conditions", "nephritis"]
