"""Caution phrasings of a Precautions section: "exercise caution", "caution should be
exercised", "<people> with X should exercise caution", "<people> with X require careful
monitoring", and avoidance that stays absolute ("should also be avoided in X") as a
contraindication (fixtures written for these tests)."""

from __future__ import annotations

import pytest

from tests.test_extract_precautions import run


def cautions(body: str) -> list[str]:
    _, warnings, _ = run(body, "Examplumab")
    return [w.condition.text for w in warnings if w.kind == "caution" and w.condition]


@pytest.mark.parametrize(
    ("sentence", "conditions"),
    [
        (
            "Exercise caution in patients with gout, heart failure, or low sodium levels.",
            ["gout", "heart failure", "low sodium levels"],
        ),
        (
            "Exercise extra caution in people with asthma.",
            ["asthma"],
        ),
        (
            "Caution should be exercised in patients with severe psoriasis, depression, or gout.",
            ["severe psoriasis", "depression", "gout"],
        ),
        ("Special caution is necessary in patients with epilepsy.", ["epilepsy"]),
        (
            "Individuals with gallstones or pancreatitis should exercise caution and consult "
            "their doctor before use.",
            ["gallstones", "pancreatitis"],
        ),
        ("People with migraine should also proceed with caution.", ["migraine"]),
        (
            "Patients with gout, asthma, or kidney problems require careful monitoring while "
            "taking Examplumab.",
            ["gout", "asthma", "kidney problems"],
        ),
        ("Close monitoring is crucial for patients with arrhythmias.", ["arrhythmias"]),
        (
            "Caution should be exercised when prescribing Examplumab to patients with lupus.",
            ["lupus"],
        ),
        (
            "Exercise extra caution when using Examplumab in children and the elderly, "
            "strictly following the recommended dosage.",
            ["children", "elderly"],
        ),
    ],
)
def test_caution_phrasings(sentence: str, conditions: list[str]) -> None:
    assert cautions(sentence) == conditions


def test_population_that_should_exercise_caution() -> None:
    assert cautions("Elderly patients should use caution.") == ["Elderly patients"]


@pytest.mark.parametrize(
    "sentence",
    [
        "There is no need to exercise caution in patients with gout.",
        "Caution is not necessary in people with asthma.",
    ],
)
def test_negated_caution_states_none(sentence: str) -> None:
    assert cautions(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "conditions"),
    [
        ("It should also be avoided in patients with severe gout.", ["severe gout"]),
        ("Examplumab should strictly be avoided by people with porphyria.", ["porphyria"]),
        ("It should not be used on open wounds.", ["open wounds"]),
        ("It should also not be given to neonates.", ["neonates"]),
    ],
)
def test_absolute_avoidance_is_a_contraindication(sentence: str, conditions: list[str]) -> None:
    contraindications, _, _ = run(sentence, "Examplumab")
    assert [c.condition.text for c in contraindications] == conditions


@pytest.mark.parametrize(
    "sentence",
    [
        "It should probably be avoided in people with gout.",
        "It should generally be avoided in people with gout.",
        "It should not generally be given to people with asthma.",
        "It should not always be used in people with asthma.",
    ],
)
def test_a_hedged_avoidance_is_no_contraindication(sentence: str) -> None:
    contraindications, _, _ = run(sentence)
    assert contraindications == ()


def test_like_in_brackets_gives_examples_of_an_interacting_class() -> None:
    _, warnings, _ = run(
        "Concurrent use with certain antifungal medicines (like testazole) may raise "
        "Examplumab levels.",
        "Examplumab",
    )
    interactions = [w.condition.text for w in warnings if w.kind == "interaction" and w.condition]
    assert interactions == ["certain antifungal medicines", "testazole"]
