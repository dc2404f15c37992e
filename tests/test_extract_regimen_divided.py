"""Daily totals the clause divides: "daily dose" wording, "of <substance> per day",
divisions into doses every N hours. Every fixture is an invented sentence
reproducing a general pattern.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medkg.model import RegimenFact
from tests.test_extract_regimen import dose_of, every, from_text

D = Decimal


def timing_of(regimen: RegimenFact) -> tuple[object, ...] | None:
    t = regimen.timing
    return None if t is None else (t.frequency, t.frequency_max, t.period, t.period_unit)


@pytest.mark.parametrize(
    ("body", "dose", "timing"),
    [
        (
            "The usual daily dose of Testdrug is 10-20 mg, divided into multiple doses.",
            ((D(10), D(20)), "mg/d"),
            None,
        ),
        (
            "Generally, initial daily doses range from 15 mg to 45 mg, divided into three doses.",
            ((D(15), D(45)), "mg/d"),
            (3, None, D(1), "d"),
        ),
        (
            "A daily dose of 2-5 mg/kg is generally enough, divided into three administrations.",
            ((D(2), D(5)), "mg/kg/d"),
            (3, None, D(1), "d"),
        ),
        (
            "The usual daily dose ranges from 0.5 mg to 3 mg, divided into 3-4 administrations.",
            ((D("0.5"), D(3)), "mg/d"),
            (3, 4, D(1), "d"),
        ),
        (
            "Usually 30-60 mg daily, often divided into multiple doses.",
            ((D(30), D(60)), "mg/d"),
            None,
        ),
        (
            "Adults take 40-150 mg of elemental iron per day, divided into up to three doses.",
            ((D(40), D(150)), "mg/d"),
            (1, 3, D(1), "d"),
        ),
    ],
)
def test_a_dose_the_clause_calls_daily_and_divides_is_a_daily_total(
    body: str, dose: tuple[object, str], timing: tuple[object, ...] | None
) -> None:
    _, ((regimen,), _, _) = from_text(body)
    assert dose_of(regimen) == dose
    assert timing_of(regimen) == timing


@pytest.mark.parametrize(
    "body",
    [
        "The usual daily dose is 10 mg once daily or divided into two doses.",
        "Doses range from 10 mg to 60 mg daily, sometimes divided into two doses.",
        "The daily dose is 10 mg.",
    ],
)
def test_a_division_offered_as_a_choice_leaves_a_once_daily_dose(body: str) -> None:
    _, ((regimen,), _, _) = from_text(body)
    dose = dose_of(regimen)
    assert dose is not None and dose[1] == "mg"


def test_a_maximum_daily_dose_of_two_substances_gives_no_dose() -> None:
    body = "The maximum daily dose is 2 g of testadine and 200 mg of examplidopa, divided."
    _, (regimens, _, _) = from_text(body)
    assert [dose_of(r) for r in regimens] == []


@pytest.mark.parametrize(
    "body",
    [
        "The dose is 500 units per meal when consuming at least 100 g of fat per day.",
        "Adjustments are made in increments or decrements of 500 mg of iron per day.",
    ],
)
def test_a_diet_amount_or_a_titration_step_per_day_is_no_dose(body: str) -> None:
    _, (regimens, _, _) = from_text(body)
    assert all(dose_of(r) != (D(100), "g/d") and dose_of(r) != (D(500), "mg/d") for r in regimens)


@pytest.mark.parametrize(
    ("phrase", "period"),
    [
        ("50-100 mg/kg/day, divided into doses every 6 hours.", D(6)),
        ("3-5 mg/kg/day given in divided doses every 8 hours.", D(8)),
        ("Usually 900-1800 mg/day, divided into doses given every 12 hours.", D(12)),
        ("50 to 150 mg/kg per day, administered orally in divided doses every 6 hours.", D(6)),
    ],
)
def test_a_daily_total_divided_into_doses_every_n_hours(phrase: str, period: Decimal) -> None:
    _, ((regimen,), _, _) = from_text(phrase)
    assert regimen.dose is not None and regimen.dose.unit.endswith("/d")
    timing = every(regimen.timing)
    assert timing is not None and timing[:4] == (1, period, None, "h")


@given(
    st.integers(min_value=1, max_value=900),
    st.sampled_from(["calcium", "elemental zinc", "elemental iron", "magnesium oxide"]),
)
def test_an_amount_of_a_substance_per_day_is_a_daily_total(value: int, substance: str) -> None:
    _, ((regimen,), _, _) = from_text(f"Adults take {value} mg of {substance} per day.")
    assert dose_of(regimen) == (D(value), "mg/d")
