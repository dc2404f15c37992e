"""Precaution sentences about populations, monitoring, occurrence and named substances,
and the label of a block whose sentences name other conditions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medkg.extract.precaution.monitoring import consideration_span, monitored_for_span
from medkg.extract.precaution.populations import (
    contraception_span,
    not_recommended_span,
    population_advice_span,
    susceptible_span,
    use_in_span,
)
from medkg.extract.precaution.rules import negated, occurrence_span, taken_with_span
from tests.test_extract_precautions import run


def rows(body: str, drug: str = "Exampline") -> list[tuple[str, str | None, list[str]]]:
    _, warnings, _ = run(body, drug)
    return [
        (w.kind, w.condition.text if w.condition else None, [d.text for d in w.details])
        for w in warnings
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Breastfeeding is generally not recommended while using Exampline.",
            [("caution", "Breastfeeding", [])],
        ),
        ("Use in infants is not recommended.", [("caution", "infants", [])]),
        (
            "Nursing or pregnant women should consult their physician before use.",
            # the people named by their state are the state: one wording for one condition
            [("caution", "breastfeeding", []), ("caution", "pregnancy", [])],
        ),
        (
            "Elderly people may be more susceptible to the side effects of Exampline, "
            "particularly dizziness.",
            [("caution", "Elderly people", [])],
        ),
        (
            "Use in children should be approached cautiously and only under supervision.",
            [("caution", "children", [])],
        ),
        (
            "The use of Exampline during pregnancy and lactation should be carefully considered.",
            [("caution", "pregnancy", []), ("caution", "lactation", [])],
        ),
        (
            "Females of reproductive potential must use effective contraception during "
            "treatment and for at least three months after the last dose.",
            [
                (
                    "caution",
                    "effective contraception during treatment and for at least three months "
                    "after the last dose",
                    [],
                )
            ],
        ),
        (
            "Exampline is classified as a pregnancy Category C medicine.",
            [("caution", "pregnancy", ["Category C"])],
        ),
        (
            "Testadine is a Category D drug in pregnancy (risk to the fetus).",
            [("caution", "pregnancy", ["Category D"])],
        ),
    ],
)
def test_population_sentences(body: str, expected: list[tuple[str, str, list[str]]]) -> None:
    assert rows(body, "Testadine" if body.startswith("Testadine") else "Exampline") == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Patients should be closely monitored for possible side effects, especially mood "
            "changes (anxiety, low mood), rashes, and stomach upset.",
            [
                ("caution", "mood changes", ["anxiety", "low mood"]),
                ("caution", "rashes", []),
                ("caution", "stomach upset", []),
            ],
        ),
        (
            "Close monitoring for low blood sugar and other metabolic problems is essential.",
            [("caution", "low blood sugar", []), ("caution", "other metabolic problems", [])],
        ),
        (
            "Regular monitoring is advised, especially for any signs of unusual bruising.",
            [("caution", "unusual bruising", [])],
        ),
        (
            "Liver impairment also requires careful consideration and potential dose adjustment.",
            [("caution", "Liver impairment", [])],
        ),
        (
            "Older patients and those with severe kidney disease may require closer monitoring "
            "and lower doses.",
            [("caution", "Older patients", []), ("caution", "severe kidney disease", [])],
        ),
    ],
)
def test_monitoring_sentences(body: str, expected: list[tuple[str, str, list[str]]]) -> None:
    assert rows(body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Though uncommon, late-onset skin reactions (blisters days after the start) can occur.",
            [("increased-risk", "late-onset skin reactions", ["blisters days after the start"])],
        ),
        ("Tremor is also possible.", [("increased-risk", "Tremor", [])]),
        (
            "Fluid retention and weight gain are common side effects; a water pill may be added.",
            [("increased-risk", "Fluid retention", []), ("increased-risk", "weight gain", [])],
        ),
        (
            "Be aware of the potential for allergic reactions.",
            [("increased-risk", "allergic reactions", [])],
        ),
        (  # a negation in parentheses is an aside, not a negation of the risk
            "Taking it alone (without a steroid inhaler) for asthma increases the risk of "
            "asthma deaths.",
            [("increased-risk", "asthma deaths", [])],
        ),
    ],
)
def test_occurrence_sentences(body: str, expected: list[tuple[str, str, list[str]]]) -> None:
    assert rows(body) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Ask your pharmacist before use if you are taking other medicines, especially "
            "blood thinners.",
            [("interaction", "blood thinners", [])],
        ),
        (
            "Exampline may potentiate the ototoxic (hearing-damaging) effects of gentamycin.",
            [("interaction", "gentamycin", [])],
        ),
        ("The concomitant use of lithium may cause tremor.", [("interaction", "lithium", [])]),
        (  # a list after "Avoid using" in an interactions block, cut before its population
            "**Drug Interactions:** It can interact with many medicines. Avoid using sedatives, "
            "opioids, and phenothiazine-type drugs in patients with poisoning.",
            [
                ("interaction", "sedatives", []),
                ("interaction", "opioids", []),
                ("interaction", "phenothiazine-type drugs", []),
            ],
        ),
    ],
)
def test_named_substances(body: str, expected: list[tuple[str, str, list[str]]]) -> None:
    assert rows(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        "Side effects can occur.",
        "Patients should be monitored for 2 hours after the injection.",
        "Exampline is not recommended for children.",  # kept a statement, as the seed is
        "It is not known whether breastfeeding is not recommended.",
        "Dizziness can not occur.",
        "No monitoring for low blood sugar is needed.",
        "The use of alcohol during treatment should be limited.",
        "Exampline is pregnancy Category A.",
    ],
)
def test_sentences_that_name_no_condition_stay_statements(body: str) -> None:
    assert rows(body) == [("statement", None, [])]


@pytest.mark.parametrize(
    "body",
    [
        "No interactions are known.",
        "Interactions with other medicines are possible.",
        "Higher doses are not recommended.",
        "Pregnancy category B (generally considered safe).",
    ],
)
def test_vague_or_reassuring_sentences_are_plain_statements(body: str) -> None:
    _, warnings, statements = run(body, "Exampline")
    assert warnings == ()
    assert [(s.kind, s.evidence.quote) for s in statements] == [("unstructured", body)]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (  # the contraception is read whole and stops before another instruction
            "Male patients should also use contraception and consider storing sperm first.",
            [("caution", "contraception", [])],
        ),
        (  # a stop word inside parentheses does not end the list
            "Patients should be monitored for signs of clotting (such as leg swelling).",
            [("caution", "clotting", ["leg swelling"])],
        ),
        (
            "In older patients, monitor for easy bruising more closely.",
            [("caution", "easy bruising", [])],
        ),
        (
            "Use during pregnancy and breastfeeding requires careful consideration and close "
            "monitoring.",
            [("caution", "pregnancy", []), ("caution", "breastfeeding", [])],
        ),
        ("Children are also more sensitive and need smaller doses.", [("caution", "Children", [])]),
        (  # a label naming a category of precautions names no condition
            "**Specific Warnings:** Exampline can cause drowsiness.",
            [("increased-risk", "drowsiness", [])],
        ),
    ],
)
def test_rule_boundaries(body: str, expected: list[tuple[str, str, list[str]]]) -> None:
    assert rows(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        "Avoid combining these medications without asking your doctor.",
        "Patients should be monitored for other serious side effects.",
    ],
)
def test_generic_objects_name_no_condition(body: str) -> None:
    assert rows(body) == [("statement", None, [])]


def test_generic_objects_alone_are_a_plain_statement() -> None:
    assert rows("Patients should be monitored closely for these risks.") == []


def test_label_names_the_people_its_block_is_about() -> None:
    # the sentence only names the people of the label: the label's words are kept
    assert rows("**Geriatric Patients:** Older adults may be more sensitive to it.") == [
        ("caution", "Geriatric Patients", [])
    ]


def test_label_conditions_no_fact_of_the_block_names_are_cautions() -> None:
    assert rows(
        "**Pregnancy and Lactation:** Exampline is classified as pregnancy category C."
    ) == [("caution", "pregnancy", ["category C"]), ("caution", "Lactation", [])]
    # a fact that shares a word with the label names it
    assert rows("**Late Rash:** Late-onset skin rashes can occur.") == [
        ("increased-risk", "Late-onset skin rashes", [])
    ]


def test_negation_inside_parentheses_is_an_aside() -> None:
    text = "Use (not with food) raises the risk"
    assert not negated(text, 0, text.index("raises"))
    assert negated("Use not with food raises", 0, 20)


RULES = (
    not_recommended_span,
    population_advice_span,
    susceptible_span,
    use_in_span,
    contraception_span,
    monitored_for_span,
    consideration_span,
    taken_with_span,
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *"abXY ,;.()-",
                "monitored for ",
                " is possible",
                " may occur",
                "Breastfeeding is not recommended",
                "Patients should consult",
                " if you are taking ",
                "use in ",
                " should ",
            ]
        ),
        max_size=20,
    ).map("".join),
    st.integers(min_value=0, max_value=10),
)
def test_rule_spans_stay_inside_the_sentence(text: str, offset: int) -> None:
    start = min(offset, len(text))
    for rule in RULES:
        span = rule(text, start, len(text), "Exampline")
        assert span is None or start <= span[0] < span[1] <= len(text)
    span = occurrence_span(text, start, len(text))
    assert span is None or start <= span[0] < span[1] <= len(text)
