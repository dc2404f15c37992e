"""Counted dosage forms (fractions of a unit, counts restating an amount) and ranges
written across two mass units or with "between".

Every fixture is an invented sentence reproducing a general pattern.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.test_extract_regimen import dose_of, from_text

D = Decimal


@pytest.mark.parametrize(
    ("body", "dose"),
    [
        ("* **Ages 3-6 years:** 1/2 tablet twice daily.", (D("0.5"), "{tablet}")),
        ("Children under 2 years: ½ suppository twice daily.", (D("0.5"), "{suppository}")),
        ("Infants: half a capsule once daily.", (D("0.5"), "{capsule}")),
        ("Give half a capsule to one capsule daily.", ((D("0.5"), D(1)), "{capsule}")),
        ("Take 1.5 tablets twice daily.", (D("1.5"), "{tablet}")),
    ],
)
def test_a_fraction_counts_part_of_one_unit(body: str, dose: tuple[object, str]) -> None:
    _, ((regimen,), _, _) = from_text(body)
    assert dose_of(regimen) == dose


@pytest.mark.parametrize(
    ("body", "dose"),
    [
        ("6-12 years: 1 mg (1/2 tablet) every 6-8 hours.", (D(1), "mg")),
        ("The usual dose is 2 mg (one tablet) at the first sign of an attack.", (D(2), "mg")),
        ("Commonly, 3 mL (60 drops) three times a day.", (D(3), "mL")),
        (
            "From day two, 25-50 units (½ to 1 tablet) are given 2-4 times a day.",
            ((D(25), D(50)), "[U]"),
        ),
    ],
)
def test_a_count_in_brackets_restates_the_amount_before_it(
    body: str, dose: tuple[object, str]
) -> None:
    _, ((regimen,), _, _) = from_text(body)
    assert dose_of(regimen) == dose
    assert regimen.unit_count is None


def test_a_maximum_restated_in_units_is_no_dose() -> None:
    body = (
        "Initial dose is typically 30 mcg; further doses may follow after an hour, "
        "not exceeding a maximum daily dose of 300 mcg (10 tablets)."
    )
    _, ((regimen,), _, _) = from_text(body)
    assert dose_of(regimen) == (D(30), "ug")
    assert regimen.max_daily_dose is not None and regimen.max_daily_dose.value == D(300)


def test_half_with_a_plural_form_counts_nothing() -> None:
    _, (regimens, _, _) = from_text("Younger children often take half tablets.")
    assert regimens == ()


@pytest.mark.parametrize(
    ("body", "dose"),
    [
        (
            "The dose is then 750 mg to 1.5 g three to four times daily.",
            ((D("0.75"), D("1.5")), "g"),
        ),
        ("Take 250 mcg to 1 mg once daily.", ((D("0.25"), D(1)), "mg")),
        ("Take 200 mg to 400 mg twice daily.", ((D(200), D(400)), "mg")),
    ],
)
def test_a_range_of_two_mass_units_is_one_range_in_the_larger_unit(
    body: str, dose: tuple[object, str]
) -> None:
    _, ((regimen,), _, _) = from_text(body)
    assert dose_of(regimen) == dose


def test_a_reduction_from_one_dose_to_another_is_no_range() -> None:
    _, (regimens, _, _) = from_text("Reduce from 2 g to 500 mg twice daily.")
    assert [dose_of(r) for r in regimens] == [(D(500), "mg")]


@pytest.mark.parametrize(
    "body",
    [
        "The dose may be increased by one spray daily, up to a maximum of 10 sprays per day.",
        "The dose may be raised by one capsule per meal per day.",
    ],
)
def test_a_count_of_units_after_by_is_a_titration_step(body: str) -> None:
    _, (regimens, _, _) = from_text(body)
    assert [dose_of(r) for r in regimens] == []


@pytest.mark.parametrize(
    "body",
    [
        "The usual dose is between 200 and 600 mg daily.",
        "The usual dose is between 200 mg and 600 mg daily.",
    ],
)
def test_between_two_amounts_is_a_range(body: str) -> None:
    _, ((regimen,), _, _) = from_text(body)
    assert dose_of(regimen) == ((D(200), D(600)), "mg")
