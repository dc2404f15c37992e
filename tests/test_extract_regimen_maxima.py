"""Maxima of rates and of whole courses: a maximum caps only a dose it can measure.

Every fixture is an invented sentence reproducing a general pattern.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.test_extract_regimen import amount, from_text

D = Decimal


def test_a_maximum_rate_keeps_its_rate_unit() -> None:
    body = (
        "*   Infusion starts at 0.25 mcg/kg/min.\n"
        "*   It can be raised to 2 mcg/kg/min, and further titrated upwards to a maximum "
        "of 5 mcg/kg/min.\n"
    )
    _, (regimens, _, _) = from_text(body, "Examplodine")
    capped = [r for r in regimens if r.max_dose is not None]
    assert capped, regimens
    for regimen in capped:
        assert regimen.dose is not None and regimen.dose.unit == "ug/kg/min"
        assert amount(regimen.max_dose) == (D(5), "ug/kg/min", "5 mcg/kg/min", True)


def test_a_maximum_rate_caps_no_single_dose() -> None:
    body = "Give 40 mg by slow injection, at a rate of up to 10 mg/min."
    _, (regimens, _, _) = from_text(body, "Examplodine")
    assert [amount(r.dose) for r in regimens] == [(D(40), "mg", "40 mg", False)]
    assert regimens[0].max_dose is None


def test_a_single_maximum_caps_no_infusion_rate() -> None:
    body = (
        "*   **Rhythm disorders (IV):** A bolus of 1 mg/kg is given first, then "
        "0.5 mg/kg every 10 minutes, up to 3 mg/kg. A continuous infusion of 2-4 mg/min "
        "follows.\n"
    )
    _, (regimens, _, _) = from_text(body, "Testacaine")
    rates = [r for r in regimens if r.dose is not None and r.dose.unit.endswith("/min")]
    assert rates, regimens
    assert all(r.max_dose is None for r in rates)


def test_a_cumulative_maximum_is_no_single_maximum_and_no_dose() -> None:
    body = (
        "Testacaine is given as 2 mg/kg every 3 weeks, with a maximum cumulative dose of 12 mg/kg."
    )
    _, (regimens, _, _) = from_text(body, "Testacaine")
    assert [amount(r.dose) for r in regimens] == [(D(2), "mg/kg", "2 mg/kg", False)]
    assert regimens[0].max_dose is None and regimens[0].max_daily_dose is None


def test_a_lifetime_limit_is_no_maximum_of_one_dose() -> None:
    body = (
        "The usual dose is 50 mg/m2 once every 4 weeks. "
        "The lifetime dose should not exceed 400 mg/m2."
    )
    _, (regimens, _, _) = from_text(body, "Examplorubicin")
    assert [amount(r.dose) for r in regimens] == [(D(50), "mg/m2", "50 mg/m2", False)]
    assert regimens[0].max_dose is None


def test_a_plain_maximum_still_caps_a_single_dose() -> None:
    body = "The usual dose is 10 mg/kg every 8 hours, up to a maximum of 600 mg per dose."
    _, (regimens, _, _) = from_text(body, "Testamycin")
    assert amount(regimens[0].max_dose) == (D(600), "mg", "600 mg", True)


def test_a_maximum_per_second_is_a_rate_and_caps_no_bolus() -> None:
    body = (
        "The dose is 0.1 mL/kg, given as a bolus over at most 20 seconds. "
        "The injection rate should not exceed 2 mL/s."
    )
    _, (regimens, _, _) = from_text(body, "Examplogad")
    assert [amount(r.dose) for r in regimens] == [(D("0.1"), "mL/kg", "0.1 mL/kg", False)]
    assert regimens[0].max_dose is None


def test_a_rate_limit_without_a_time_caps_no_dose() -> None:
    body = "Give 500 mg by slow injection. The injection rate should not exceed 50 mg."
    _, (regimens, _, _) = from_text(body, "Examplodine")
    assert [amount(r.dose) for r in regimens] == [(D(500), "mg", "500 mg", False)]
    assert regimens[0].max_dose is None


def test_a_cumulative_maximum_per_day_is_the_daily_maximum() -> None:
    body = (
        "The first dose is 1-2 mg/kg, repeated as needed, up to a maximum cumulative "
        "dose of 8 mg/kg/day."
    )
    _, (regimens, _, _) = from_text(body, "Testacaine")
    assert [amount(r.dose) for r in regimens] == [((D(1), D(2)), "mg/kg", "1-2 mg/kg", False)]
    assert amount(regimens[0].max_daily_dose) == (D(8), "mg/kg", "8 mg/kg", True)
    assert regimens[0].max_dose is None


def test_a_maximum_with_a_word_before_its_period_is_a_daily_maximum() -> None:
    body = (
        "Treatment starts with 100 mg per day. The maximum recommended daily dose is "
        "300-400 mg, divided into several administrations."
    )
    _, (regimens, _, _) = from_text(body, "Examplexiline")
    assert [amount(r.dose) for r in regimens] == [(D(100), "mg/d", "100 mg per day", False)]
    assert amount(regimens[0].max_daily_dose) == ((D(300), D(400)), "mg", "300-400 mg", True)


def test_a_maximum_weekly_dose_after_an_adjective_keeps_its_period() -> None:
    body = "Give 10 mg once weekly. The maximum advised weekly dose is 25 mg."
    _, (regimens, _, _) = from_text(body, "Examplotrexate")
    assert [amount(r.dose) for r in regimens] == [(D(10), "mg", "10 mg", False)]
    assert amount(regimens[0].max_dose) == (D(25), "mg", "25 mg", True)
    assert regimens[0].max_daily_dose is None


@pytest.mark.parametrize(
    "body",
    [
        "*   **Injection:** The starting dose is 5 mcg, injected into the site. "
        "The maximum frequency is three times per week.\n",
        "The starting dose is 5 mcg, no more than twice daily.",
        "*   **Injection:** The starting dose is 5 mcg. "
        "Injections are given less than 3 times a week.\n",
    ],
)
def test_a_frequency_stated_as_a_limit_is_no_timing(body: str) -> None:
    _, (regimens, _, _) = from_text(body, "Examplostadil")
    assert [amount(r.dose) for r in regimens] == [(D(5), "ug", "5 mcg", False)]
    assert regimens[0].timing is None


def test_a_plain_frequency_is_still_the_timing() -> None:
    _, (regimens, _, _) = from_text("The dose is 5 mg twice daily.", "Examplostadil")
    assert regimens[0].timing is not None and regimens[0].timing.frequency == 2
