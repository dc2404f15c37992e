"""Repeat intervals in minutes, and rates that take no frequency.

Every fixture is an invented sentence reproducing a general pattern.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.test_extract_regimen import from_text

D = Decimal


@pytest.mark.parametrize(
    ("body", "period", "period_max"),
    [
        ("The initial dose is usually 5 mcg every 90 minutes.", D(90), None),
        ("Give 0.2-0.4 mg every 5 minutes as needed, up to 3 doses.", D(5), None),
        ("* **Adults:** 1 drop every 5-10 minutes for a total of 4 doses.", D(5), D(10)),
        ("Repeat doses of 100 mcg may be given every 15 to 90 minutes.", D(15), D(90)),
    ],
)
def test_every_n_minutes_is_a_repeat_interval(
    body: str, period: Decimal, period_max: Decimal | None
) -> None:
    _, ((regimen,), _, _) = from_text(body)
    timing = regimen.timing
    assert timing is not None
    assert (timing.frequency, timing.period, timing.period_max, timing.period_unit) == (
        1,
        period,
        period_max,
        "min",
    )


@pytest.mark.parametrize(
    "body",
    [
        "Infuse 10 mg over 10 minutes once daily.",
        "Give 10 mg every minute.",
    ],
)
def test_a_duration_or_an_interval_without_a_number_is_no_minute_timing(body: str) -> None:
    _, (regimens, _, _) = from_text(body)
    assert all(r.timing is None or r.timing.period_unit != "min" for r in regimens)


def test_a_rate_takes_no_frequency_from_its_titration() -> None:
    body = "Start at 0.05 mg/minute, increasing by 0.05 mg/minute every 10 minutes."
    _, ((regimen,), _, _) = from_text(body)
    assert regimen.dose is not None and regimen.dose.unit == "mg/min"
    assert regimen.timing is None


def test_a_total_after_repeated_doses_is_no_dose() -> None:
    body = "If needed, 10 mg/kg is repeated every 15-30 minutes, up to a total dose of 30 mg/kg."
    _, ((regimen,), _, _) = from_text(body)
    assert regimen.dose is not None and regimen.dose.value == D(10)
    assert regimen.max_dose is None


def test_a_maximum_of_one_dose_per_interval_is_a_ceiling() -> None:
    _, (regimens, _, _) = from_text(
        "* **IV:** 2-3 mg over 1 minute; maximum one dose every 15 minutes."
    )
    assert all(r.timing is None for r in regimens)
