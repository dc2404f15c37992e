"""Clean words for the conditions of a precaution: a population named by its state, the
drug's own name, clauses after a list, lay label heads, Storage blocks, "if you are …"."""

from __future__ import annotations

import pytest

from medkg.extract.precaution.labels import lay_wording, topic_label
from medkg.extract.precaution.populations import if_you_are_span, population_state
from medkg.extract.precaution.terms import conditions
from tests.test_extract_precaution_sentences import rows
from tests.test_extract_precautions import Result, run


def names(span: str, drug: str = "Exampline") -> list[str]:
    return [c.text for c in conditions(span, 0, len(span), drug)]


@pytest.mark.parametrize(
    ("phrase", "condition"),
    [
        ("pregnant women", "pregnancy"),
        ("Nursing mothers", "breastfeeding"),
        ("lactating women", "breastfeeding"),
        ("pregnant", "pregnancy"),
        ("breastfeeding", None),  # already the condition
        ("elderly patients", None),  # an age group, not a state
        ("women", None),
    ],
)
def test_a_population_named_by_its_state_is_the_state(phrase: str, condition: str | None) -> None:
    assert population_state(phrase) == condition


def test_the_state_of_people_who_should_consult_is_the_caution() -> None:
    body = "Pregnant or nursing women should talk to their doctor before using Exampline."
    assert rows(body) == [("caution", "pregnancy", []), ("caution", "breastfeeding", [])]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Ask your pharmacist before use if you are pregnant, nursing, or planning a pregnancy.",
            ["pregnancy", "breastfeeding", "planning a pregnancy"],
        ),
        ("Talk to a doctor first if you are currently pregnant.", ["pregnancy"]),
    ],
)
def test_advice_for_readers_in_a_state_names_the_state(body: str, expected: list[str]) -> None:
    assert [condition for _, condition, _ in rows(body)] == expected


def test_advice_for_readers_taking_something_is_no_state() -> None:
    text = "Ask your doctor if you are taking blood thinners."
    assert if_you_are_span(text, 0, len(text)) is None


@pytest.mark.parametrize(
    ("span", "expected"),
    [
        ("abrupt withdrawal of Exampline", ["abrupt withdrawal"]),
        ("abrupt withdrawal of the medication", ["abrupt withdrawal"]),
        ("hypersensitivity to Exampline", ["hypersensitivity to Exampline"]),
        ("overdose of paracetamol", ["overdose of paracetamol"]),  # another substance
    ],
)
def test_the_drugs_own_name_leaves_its_precaution(span: str, expected: list[str]) -> None:
    assert names(span) == expected


@pytest.mark.parametrize(
    ("span", "expected"),
    [
        # a participle or an instruction after the list is no condition
        ("gout, possibly causing joint damage", ["gout"]),
        ("gout, and adjust the dose as needed", ["gout"]),
        ("gout, and close monitoring is recommended", ["gout"]),
        # a purpose or a reason clause ends the condition
        ("kidney disease to prevent accumulation", ["kidney disease"]),
        ("nursing mothers as passage into milk is unknown", ["nursing mothers"]),
        # two groups joined by "or those …"
        ("liver failure or those on haemodialysis", ["liver failure", "haemodialysis"]),
        ("asthma or those receiving oxygen therapy", ["asthma", "oxygen therapy"]),
        # later items of "who are X, have Y, or are Z"
        (
            "who are dehydrated, have angina, or are at risk of falls",
            ["dehydrated", "angina", "at risk of falls"],
        ),
        # a gloss of the second modifier is not part of the shared head
        (
            "hepatic (liver) or renal (kidney) insufficiency",
            ["hepatic (liver) insufficiency", "renal (kidney) insufficiency"],
        ),
        # generic heads name nothing
        ("these patient groups", []),
        ("other complications", []),
        ("the components of Exampline", []),
    ],
)
def test_clauses_and_generic_heads_are_no_conditions(span: str, expected: list[str]) -> None:
    assert names(span) == expected


def test_a_condition_item_may_still_hold_a_clause_of_its_own() -> None:
    # "when serum sodium is low" states the condition: "is" alone does not end it
    assert names("when serum sodium is below the normal range") == [
        "serum sodium is below the normal range"
    ]


def test_avoiding_exposure_keeps_what_it_is_exposure_to() -> None:
    assert rows("Avoid exposure to strong sunlight while using Exampline.") == [
        ("caution", "exposure to strong sunlight", [])
    ]


def test_a_lay_topic_label_over_stated_risks_gives_no_caution() -> None:
    body = "**Stomach Issues:** Exampline can increase the risk of gastric ulcers."
    assert rows(body) == [("increased-risk", "gastric ulcers", [])]


def test_a_lay_topic_label_alone_is_still_a_caution() -> None:
    body = "**Joint Problems:** Tell your doctor before starting treatment."
    assert [condition for _, condition, _ in rows(body)] == ["Joint Problems"]


def test_topic_and_lay_words() -> None:
    assert topic_label("Stomach Issues") and not topic_label("Renal Impairment")
    assert lay_wording("Renal Impairment", "kidney problems")
    assert lay_wording("Liver Disease", "liver issues")
    assert not lay_wording("Liver Disease", "kidney problems")
    assert not lay_wording("Kidney Problems", "kidney problems")


def test_a_caution_in_lay_words_takes_its_labels_clinical_words() -> None:
    body = "**Hepatic Impairment:** Dose changes may be needed for people with liver problems."
    assert rows(body) == [("caution", "Hepatic Impairment", [])]


def test_a_storage_block_states_no_warning() -> None:
    _, warnings, statements = run_body(
        "**Storage:** Keep below 25 °C and out of the reach of infants."
    )
    assert warnings == ()
    assert [s.kind for s in statements] == ["unstructured"]


def test_careful_monitoring_in_people_with_a_condition_is_a_caution() -> None:
    body = "Careful monitoring is needed in patients with asthma or epilepsy."
    assert rows(body) == [("caution", "asthma", []), ("caution", "epilepsy", [])]


def run_body(body: str) -> Result:
    return run(body, "Exampline")


def test_the_risk_a_contraindication_gives_as_its_reason_is_a_warning() -> None:
    contraindications, warnings, _ = run_body(
        "**Contraindications:**\n\n* Frail patients due to an increased risk of falls and fractures"
    )
    assert [c.condition.text for c in contraindications] == ["Frail patients"]
    assert [(w.kind, w.condition.text if w.condition else None) for w in warnings] == [
        ("increased-risk", "falls"),
        ("increased-risk", "fractures"),
    ]


def test_a_lay_wording_more_specific_than_its_label_keeps_its_words() -> None:
    body = "**Heart Disease:** Use with caution in patients with heart rhythm problems."
    assert rows(body) == [("caution", "heart rhythm problems", [])]


def test_a_label_its_facts_name_leaves_no_warning_statements() -> None:
    body = (
        "**Pregnancy and Breastfeeding:** Exampline is pregnancy category C. Its passage "
        "into milk has not been studied. Ask your doctor first if you are breastfeeding."
    )
    assert [(kind, condition) for kind, condition, _ in rows(body)] == [
        ("caution", "pregnancy"),
        ("caution", "breastfeeding"),
    ]


def test_advice_for_readers_taking_medicines_currently_is_no_state() -> None:
    text = "Ask your doctor if you are currently taking other medicines."
    assert if_you_are_span(text, 0, len(text)) is None


def test_the_examples_of_an_interacting_class_interact_too() -> None:
    body = "**Drug Interactions:** Exampline may interact with sedatives (e.g., testazepam)."
    assert [(kind, condition) for kind, condition, _ in rows(body)] == [
        ("interaction", "sedatives"),
        ("interaction", "testazepam"),
    ]


def test_an_interaction_that_might_occur_is_no_interaction() -> None:
    body = "**Drug Interactions:** Exampline might interact with sedatives."
    assert [kind for kind, _, _ in rows(body)] == ["statement"]


@pytest.mark.parametrize(
    "body",
    [
        "Dose adjustments might be necessary for patients with gout.",  # a hedge
        "Patients with gout might need dose adjustments.",
    ],
)
def test_a_dose_adjustment_that_might_be_needed_is_no_caution(body: str) -> None:
    assert [kind for kind, _, _ in rows(body)] != ["caution"]


def test_contraception_said_to_be_essential_is_a_caution() -> None:
    assert rows("Effective contraception is essential during treatment.") == [
        ("caution", "Effective contraception", [])
    ]


def test_a_label_naming_warnings_for_a_group_is_a_category() -> None:
    body = "**Warnings for Special Groups:** Nursing women should talk to their doctor first."
    assert rows(body) == [("caution", "breastfeeding", [])]
