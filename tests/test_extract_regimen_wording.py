"""Dosage wording rules: doses hedged after the fact, titration steps, compared
quantities, maxima and where they apply, counted forms per day.

Every fixture is an invented sentence reproducing a general pattern.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from medkg.extract.regimen.hedge import hedged_after
from tests.test_extract_regimen import amount, from_text

D = Decimal


def _doses(body: str) -> list[tuple[object, ...] | None]:
    _, (regimens, _, _) = from_text(body)
    return [None if r.dose is None else amount(r.dose)[:2] for r in regimens]


# -- a "might" / "could" after the dose, in its clause, hedges it -------------------------


@pytest.mark.parametrize(
    "body",
    [
        "A lower dose of 5 mg might be used in frail patients.",
        "Tablets, at a dose of 20 mg once daily, could be given for a week.",
        "Higher doses (40 mg/day) might be used in severe cases.",
        "A dose of 10 mg twice weekly (three days apart) might be considered.",
        "Capsules hold 10-30 mg and might be taken twice daily.",
    ],
)
def test_a_dose_that_is_the_subject_of_might_is_no_regimen(body: str) -> None:
    assert _doses(body) == []


@pytest.mark.parametrize(
    ("body", "kept"),
    [
        ("The usual dose is 10 mg daily, but higher doses might be needed.", (D(10), "mg")),
        ("Take 10 mg daily for 5 days (longer courses might be needed).", (D(10), "mg")),
        ("Start at 5 mg twice daily, and it might be increased later.", (D(5), "mg")),
        ("Give 4 mg daily; higher doses could be used for severe pain.", (D(4), "mg")),
        ("Adults take 8 mg daily, while children might receive 2 mg daily.", (D(8), "mg")),
    ],
)
def test_a_modal_of_another_clause_leaves_the_dose_a_fact(
    body: str, kept: tuple[object, ...]
) -> None:
    assert _doses(body) == [kept]


def test_hedged_after_reads_through_a_closed_bracket_only() -> None:
    text = "5 mg (at night) might be used. 5 mg (more might help) is used."
    assert hedged_after(text, 4, text.index(".") + 1)
    second = text.index("5 mg", 5)
    assert not hedged_after(text, second + 4, len(text))


def test_a_hedged_sentence_lends_no_frequency_to_a_doseless_regimen() -> None:
    _, (regimens, _, _) = from_text("Testdrug might be applied topically twice daily.")
    assert regimens == ()


# -- titration steps are neither doses nor maxima ------------------------------------------


def test_by_up_to_is_a_step_not_a_maximum() -> None:
    _, (regimens, _, _) = from_text(
        "Start at 300 mg twice daily, increasing by up to 600 mg/day weekly, "
        "with a maximum of 2400 mg/day."
    )
    (regimen,) = regimens
    assert amount(regimen.dose)[:2] == (D(300), "mg")
    assert regimen.max_daily_dose is not None and regimen.max_daily_dose.value == D(2400)


@pytest.mark.parametrize(
    "body",
    [
        "Begin with 1 mg once daily, increasing in 1 mg increments weekly.",
        "Begin with 1 mg once daily, with increases of 2 mg daily every 2 weeks.",
    ],
)
def test_a_step_size_is_no_dose(body: str) -> None:
    _, (regimens, _, _) = from_text(body)
    assert [(amount(r.dose)[:2], r.timing and r.timing.period_unit) for r in regimens] == [
        ((D(1), "mg"), "d")
    ]


def test_the_timing_of_a_step_is_not_the_doses() -> None:
    _, (regimens, _, _) = from_text(
        "The dose is raised by 5 mg every 2 weeks, to a usual range of 5-20 mg daily."
    )
    (regimen,) = regimens
    assert amount(regimen.dose)[:2] == ((D(5), D(20)), "mg")
    assert regimen.timing is not None
    assert (regimen.timing.frequency, regimen.timing.period, regimen.timing.period_unit) == (
        1,
        D(1),
        "d",
    )


# -- a compared quantity is no dose; "not exceeding" is a maximum ---------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Doses above 40 mg/day should be divided.",
        "The dose rarely exceeds 8 mg per day.",
        "Doses exceeding 900 mg/day are seldom needed.",
        "Reducing the dose below 150 mg twice daily is not advised.",
    ],
)
def test_a_compared_quantity_is_no_dose(body: str) -> None:
    assert _doses(body) == []


def test_not_exceeding_a_count_within_24_hours_is_a_daily_maximum() -> None:
    _, (regimens, _, _) = from_text(
        "One 0.5 mg lozenge is dissolved in the mouth every 3 hours, not exceeding "
        "10 lozenges within a 24-hour period."
    )
    (regimen,) = regimens
    assert amount(regimen.dose)[:2] == (D("0.5"), "mg")
    assert regimen.max_dose is None
    assert amount(regimen.max_daily_dose)[:2] == (D(10), "{lozenge}")


def test_a_maximum_total_in_24_hours_is_daily() -> None:
    _, (regimens, _, _) = from_text(
        "A second dose of 5 mg may be given after 2 hours, not exceeding 10 mg total in 24 hours."
    )
    (regimen,) = regimens
    assert regimen.max_dose is None
    assert amount(regimen.max_daily_dose)[:2] == (D(10), "mg")


def test_a_maximum_in_a_block_labelled_for_others_is_not_lent() -> None:
    body = (
        "* **Adults:** 10-30 mg per day, divided into three doses.\n"
        "* **Children:** The dose depends on weight and should not exceed 5 mg per day.\n"
    )
    _, (regimens, _, _) = from_text(body)
    (regimen,) = regimens
    assert regimen.max_daily_dose is None


def test_a_maximum_in_a_block_labelled_for_the_dose_is_lent() -> None:
    body = (
        "* **Adults:** 10-30 mg per day, divided into three doses.\n"
        "* **Maximum dose:** The dose should not exceed 40 mg per day.\n"
    )
    _, (regimens, _, _) = from_text(body)
    (regimen,) = regimens
    assert amount(regimen.max_daily_dose)[:2] == (D(40), "mg")


# -- counted forms: open counts and counts per day ------------------------------------------


def test_a_count_left_open_above_states_no_dose() -> None:
    assert _doses("Adults take one tablet to several tablets per day.") == []
    assert _doses("Adults take two capsules or more at bedtime.") == []


@pytest.mark.parametrize(
    ("body", "dose", "frequency"),
    [
        ("Adults take 2-4 tablets daily in divided doses.", ((D(2), D(4)), "{tablet}/d"), None),
        ("Adults take 6 capsules per day.", (D(6), "{capsule}/d"), None),
        ("Take 3 tablets a day, divided into three doses.", (D(3), "{tablet}/d"), 3),
    ],
)
def test_a_count_per_day_is_a_daily_total(
    body: str, dose: tuple[object, ...], frequency: int | None
) -> None:
    _, ((regimen,), _, _) = from_text(body)
    assert amount(regimen.dose)[:2] == dose
    assert (regimen.timing and regimen.timing.frequency) == frequency


def test_a_daily_total_in_a_range_of_divided_doses_keeps_both_ends() -> None:
    _, ((regimen,), _, _) = from_text("Adults take 200-400 mg daily in 2-3 divided doses.")
    assert amount(regimen.dose)[:2] == ((D(200), D(400)), "mg/d")
    assert regimen.timing is not None
    assert (regimen.timing.frequency, regimen.timing.frequency_max) == (2, 3)


def test_one_unit_a_day_is_one_dose_not_a_total() -> None:
    _, ((regimen,), _, _) = from_text("Adults take one tablet per day.")
    assert amount(regimen.dose)[:2] == (D(1), "{tablet}")


# -- "may be considered", "is not recommended", kidney-function values ---------------------


@pytest.mark.parametrize(
    "body",
    [
        "In frail patients, a lower dose of 2 mg daily may be considered.",
        "The doctor may consider changing the dose to 300 mg every four weeks.",
        "Higher doses (150 mg twice daily) are not currently recommended.",
        "Reduce the dose when creatinine clearance is between 15 and 40 mL/min.",
        "Stop treatment if creatinine clearance falls below 50 mL/min.",
    ],
)
def test_a_considered_or_denied_dose_or_a_kidney_value_is_no_regimen(body: str) -> None:
    assert _doses(body) == []


def test_a_range_of_daily_totals_is_one_range() -> None:
    _, ((regimen,), _, _) = from_text("Adults take 10 mg per day to 20 mg per day in two doses.")
    assert amount(regimen.dose)[:2] == ((D(10), D(20)), "mg/d")
