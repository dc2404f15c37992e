"""Dosage schedules: doses per kilogram or square metre written out, frequencies offered
as alternatives, titration intervals, and maxima offered as alternatives.

Every fixture is an invented sentence reproducing a general pattern.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medkg.model import RegimenFact
from medkg.quantities import find_quantities
from tests.test_extract_regimen import amount, from_text

D = Decimal


def _regimens(body: str) -> tuple[RegimenFact, ...]:
    _, (regimens, _, _) = from_text(body)
    return regimens


def _rows(body: str) -> list[tuple[object, ...]]:
    """(dose value, dose unit, times, times at most, period, period unit) per regimen."""
    rows: list[tuple[object, ...]] = []
    for regimen in _regimens(body):
        dose = amount(regimen.dose)
        timing = regimen.timing
        rows.append(
            (
                None if dose is None else dose[0],
                None if dose is None else dose[1],
                None if timing is None else timing.frequency,
                None if timing is None else timing.frequency_max,
                None if timing is None else timing.period,
                None if timing is None else timing.period_unit,
            )
        )
    return rows


# -- "per kilogram of body weight", "per square metre of body surface area" ------------------


@pytest.mark.parametrize(
    ("text", "unit", "per_kg"),
    [
        ("0.5 mg per kilogram of body weight", "mg/kg", True),
        ("2 mg per kg of body weight", "mg/kg", True),
        ("0.3 mL/kg body weight", "mL/kg", True),
        ("3 mcg per kilograms", "ug/kg", True),
        ("40 mg per square metre of body surface area", "mg/m2", False),
        ("40 mg per square meter", "mg/m2", False),
    ],
)
def test_a_denominator_written_out_is_per_kg_or_per_m2(text: str, unit: str, per_kg: bool) -> None:
    (found,) = find_quantities(text)
    assert (found.unit, found.per_kg, found.end) == (unit, per_kg, len(text))


@given(
    st.integers(min_value=1, max_value=999),
    st.sampled_from(["kg", "kilogram", "kilograms"]),
    st.sampled_from(["", " of body weight", " body weight"]),
)
def test_any_spelling_of_per_kilogram_reads_as_mg_per_kg(value: int, word: str, tail: str) -> None:
    (found,) = find_quantities(f"{value} mg per {word}{tail} daily")
    assert (found.value, found.unit, found.per_kg) == (D(value), "mg/kg", True)


def test_a_dose_per_kilogram_per_day_keeps_both_denominators() -> None:
    body = "The starting dose is 0.2 mg per kilogram of body weight per day in two doses."
    assert _rows(body) == [(D("0.2"), "mg/kg/d", 2, None, D(1), "d")]


def test_a_range_writing_its_denominator_once_is_one_range_per_kg() -> None:
    body = "Doses range from 4 mg to 8 mg per kilogram of body weight once daily."
    assert _rows(body) == [((D(4), D(8)), "mg/kg", 1, None, D(1), "d")]


# -- frequencies offered as alternatives ----------------------------------------------------


@pytest.mark.parametrize(
    ("body", "low", "high"),
    [
        ("Give 10-20 mg BID or TID.", 2, 3),
        ("Take 5 mg TID or QID with meals.", 3, 4),
        ("Take 40 mg once daily (OD) or twice daily (BID).", 1, 2),
        ("Take 40 mg OD or BID.", 1, 2),
        ("Take 15 mg twice daily or three times daily.", 2, 3),
        ("The usual dose is 15 mg, given either twice daily or once daily.", 1, 2),
    ],
)
def test_two_daily_frequencies_offered_as_alternatives_are_a_range(
    body: str, low: int, high: int
) -> None:
    ((_, _, times, most, period, unit),) = _rows(body)
    assert (times, most, period, unit) == (low, high, D(1), "d")


def test_a_second_frequency_belonging_to_another_dose_is_no_alternative() -> None:
    body = "Take 5 mg twice daily or 10 mg once daily."
    assert [row[2:4] for row in _rows(body)] == [(2, None), (1, None)]


def test_od_alone_is_no_frequency() -> None:
    # "OD" on its own is as often the right eye
    body = "Instil 1 drop OD at bedtime."
    assert [row[2] for row in _rows(body)] == [None]


# -- how often a dose is changed is no frequency ---------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "The dose is raised at weekly intervals to a target of 20 mg twice daily.",
        "The dose is increased every three weeks to a target of 20 mg twice daily.",
        "The dose is adjusted gradually (every 2-4 weeks) to reach 20 mg twice daily.",
        "It is titrated in weekly increments to 20 mg twice daily.",
    ],
)
def test_a_titration_interval_is_not_the_frequency_of_the_target_dose(body: str) -> None:
    assert _rows(body) == [(D(20), "mg", 2, None, D(1), "d")]


def test_a_target_dose_with_its_own_period_keeps_it() -> None:
    body = "If needed, the dose may be increased to 300 mg every four weeks."
    assert _rows(body) == [(D(300), "mg", 1, None, D(4), "wk")]


def test_a_dose_after_followed_by_keeps_its_frequency() -> None:
    body = "It begins with 100 mg once, followed by 50 mg every 4 weeks."
    assert (D(50), "mg", 1, None, D(4), "wk") in _rows(body)


# -- maxima offered as alternatives -----------------------------------------------------------


def test_a_maximum_per_dose_or_per_day_gives_both_maxima_and_no_dose() -> None:
    body = (
        "The usual dose is 10 mg before meals, with a maximum of 30 mg every 8 hours or 120 mg/day."
    )
    (regimen,) = _regimens(body)
    assert amount(regimen.dose)[:2] == (D(10), "mg")  # type: ignore[index]
    assert amount(regimen.max_dose)[:2] == (D(30), "mg")  # type: ignore[index]
    assert amount(regimen.max_daily_dose)[:2] == (D(120), "mg")  # type: ignore[index]
    assert regimen.timing is None  # "every 8 hours" is the maximum's period


def test_a_maximum_for_each_form_makes_no_dose() -> None:
    body = (
        "Take 20 mg once daily. The dose can be adjusted every four weeks, with a maximum "
        "daily dose of 80 mg for plain tablets and 60 mg for slow-release tablets."
    )
    assert [row[:2] for row in _rows(body)] == [(D(20), "mg")]


# -- "OD" next to a dose is once a day ---------------------------------------------------------


def test_od_right_after_a_dose_is_once_daily() -> None:
    body = "* **Tumours:** 10 mg OD for adults; 6 mg OD for children over 12 years."
    assert [row[:6] for row in _rows(body)] == [
        (D(10), "mg", 1, None, D(1), "d"),
        (D(6), "mg", 1, None, D(1), "d"),
    ]


def test_od_after_drops_or_an_eye_is_no_frequency() -> None:
    body = "Instil 2 drops into the affected eye (OD) at bedtime."
    assert [row[2] for row in _rows(body)] == [None]


def test_as_high_as_is_a_ceiling_not_a_dose() -> None:
    body = "The usual dose is 10 mg per kg per day, but it can go as high as 900 mg daily."
    (regimen,) = _regimens(body)
    assert amount(regimen.dose)[:2] == (D(10), "mg/kg/d")  # type: ignore[index]
    assert amount(regimen.max_daily_dose)[:2] == (D(900), "mg")  # type: ignore[index]
