"""Asides between a dose and its frequency, a dose in brackets after a dose word, and
lower-case Latin abbreviations. Every fixture is an invented sentence reproducing a
general pattern.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from medkg.model import RegimenFact
from tests.test_extract_regimen import from_text

D = Decimal


def read(regimen: RegimenFact) -> tuple[object, ...]:
    d, t = regimen.dose, regimen.timing
    assert d is not None and t is not None
    value = d.value if d.value is not None else (d.low, d.high)
    return value, d.unit, t.frequency, t.frequency_max, t.period, t.period_unit


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "* **Sarcoma:**  Typically 20 mg/m² intravenously (IV) every 3 weeks.",
            (D(20), "mg/m2", 1, None, D(3), "wk"),
        ),
        (
            "* **Gel:** Apply 1 gram (approximately a 2 cm strip) to the skin 3-4 times daily.",
            (D(1), "g", 3, 4, D(1), "d"),
        ),
        (
            "Another approach gives 2.5 mg/kg (maximum 150 mg) daily for 10 days.",
            (D("2.5"), "mg/kg", 1, None, D(1), "d"),
        ),
    ],
)
def test_a_bracketed_aside_between_a_dose_and_its_frequency(
    body: str, expected: tuple[object, ...]
) -> None:
    _, ((regimen,), _, _) = from_text(body)
    assert read(regimen) == expected


def test_a_bracket_after_a_dose_word_holds_this_drugs_dose() -> None:
    body = "Treatment typically begins with a low dose (0.5 mg three times daily)."
    _, ((regimen,), _, _) = from_text(body)
    assert read(regimen) == (D("0.5"), "mg", 3, None, D(1), "d")


def test_a_bracket_after_another_product_still_holds_its_dose() -> None:
    body = "It is given with oral testadine (250 mg twice daily)."
    _, (regimens, _, _) = from_text(body)
    assert regimens == ()


@pytest.mark.parametrize(
    ("body", "times"),
    [
        ("2-12 years: 50 mg qid initially.", 4),
        ("The usual range is 0.3-0.6 mg bid.", 2),
        ("Adults take 1 tablet tid.", 3),
    ],
)
def test_lower_case_latin_right_after_a_dose(body: str, times: int) -> None:
    _, ((regimen,), _, _) = from_text(body)
    assert regimen.timing is not None and regimen.timing.frequency == times


def test_lower_case_bid_away_from_a_dose_is_a_word() -> None:
    _, ((regimen,), _, _) = from_text("In a bid to help, adults take 3 mg once daily.")
    assert regimen.timing is not None and regimen.timing.frequency == 1


def test_a_bracket_after_a_dose_word_not_opening_with_an_amount_is_not_read_as_its_dose() -> None:
    body = (
        "The regimen starts with a 600 mg dose (given as four 150 mg injections) once, "
        "followed by 300 mg (two 150 mg injections) every other week."
    )
    _, ((regimen,), _, _) = from_text(body)
    assert regimen.unit_count == 2
    assert regimen.unit_dose is not None and regimen.unit_dose.value == D(150)


def test_a_count_or_an_amount_are_alternatives_not_a_strength() -> None:
    body = "The usual oral dosage is one capsule or 15 mL (milliliters) twice daily (BID)."
    _, ((regimen,), _, _) = from_text(body)
    assert regimen.unit_dose is None
    assert regimen.dose is not None and (regimen.dose.value, regimen.dose.unit) == (
        D(1),
        "{capsule}",
    )
