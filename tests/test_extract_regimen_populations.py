"""Who a dose is for, stated next to the dose: plain labels and bands of weight, age,
kidney function or sex.

Every fixture is an invented sentence reproducing a general pattern.
"""

from __future__ import annotations

import pytest

from medkg.extract.regimen.population import names_band
from tests.test_extract_regimen import from_text


def _populations(body: str) -> list[str | None]:
    _, (regimens, _, _) = from_text(body)
    return [None if r.population is None else r.population.text for r in regimens]


def test_plain_labels_opening_each_dose_are_its_population() -> None:
    body = (
        "* CrCl 30-50 mL/min: 250 mg every 8 hours.\n"
        "* CrCl 10-29 mL/min: 250 mg every 12 hours.\n"
        "* Males 19-50 years: 40 mcg/day\n"
        "* Pregnancy: 30 mcg/day\n"
        "* Weight <20 kg: 0.5 mg twice daily\n"
    )
    assert _populations(body) == [
        "CrCl 30-50 mL/min",
        "CrCl 10-29 mL/min",
        "Males 19-50 years",
        "Pregnancy",
        "Weight <20 kg",
    ]


def test_plain_labels_inside_one_labelled_item_name_each_dose() -> None:
    body = (
        "* **Dosing by weight:** Infants (<8 kg): 40-200 mcg/kg/day; "
        "Children (8-30 kg): 40-100 mcg/kg/day.\n"
    )
    assert _populations(body) == ["Infants (<8 kg)", "Children (8-30 kg)"]


@pytest.mark.parametrize(
    "body",
    [
        "* Oral: 20 mg daily.\n",
        "* Days 1-7: 20 mg daily.\n",
        "* The regimen is the same as for adults: 20 mg daily.\n",
    ],
)
def test_a_plain_label_that_names_no_people_or_is_a_clause_is_no_population(body: str) -> None:
    assert _populations(body) == [None]


def test_bold_labels_that_are_bands_are_populations() -> None:
    body = (
        "* **20 to <40 kg:** 10 mg once daily.\n"
        "* **eGFR 15-29 mL/min:** 5 mg once daily.\n"
        "* **Ages 6-11:** 100 mg once daily.\n"
    )
    assert _populations(body) == ["20 to <40 kg", "eGFR 15-29 mL/min", "Ages 6-11"]


def test_a_band_after_the_dose_is_its_population() -> None:
    body = (
        "* **Liver tumours:** 12 mg once daily for patients weighing 60 kg or more; "
        "8 mg once daily for patients weighing less than 60 kg.\n"
    )
    assert _populations(body) == [
        "patients weighing 60 kg or more",
        "patients weighing less than 60 kg",
    ]


def test_a_band_after_a_maximum_is_the_maximums_not_the_doses() -> None:
    body = "Give 10 mg/kg/day, with a maximum daily dose of 100 mg for children under 3 years."
    assert _populations(body) == [None]


def test_a_condition_after_the_dose_is_no_population() -> None:
    assert _populations("* **Adults:** 10 mg daily for patients with severe pain.\n") == ["Adults"]


@pytest.mark.parametrize(
    ("label", "band"),
    [
        ("20 to <50 kg", True),
        ("Weight-based dosing", False),
        ("CrCl 30-50 mL/min", True),
        ("Cancer with EGFR mutations", False),  # a gene, not a kidney measure: no value
        ("Toxic ingestion (all ages)", False),
        ("Ages 2-6", True),
        ("Females >50 years", True),
        ("Child-Pugh class B", True),
        ("10 mg/kg", False),
    ],
)
def test_names_band(label: str, band: bool) -> None:
    assert names_band(label) is band


@pytest.mark.parametrize(
    ("body", "who"),
    [
        (
            "Patients with moderate impairment (grade B) should receive 20 mg once daily.",
            "Patients with moderate impairment (grade B)",
        ),
        ("Older adults typically start with a lower dose of 50 mg daily.", "Older adults"),
        (
            "Children weighing less than 25 kg receive 2 mg/day for 10 days.",
            "Children weighing less than 25 kg",
        ),
    ],
)
def test_people_opening_the_dosing_sentence_as_its_subject_are_its_population(
    body: str, who: str
) -> None:
    assert _populations(body) == [who]


def test_a_band_in_brackets_after_each_dose_is_its_population() -> None:
    body = "By weight: 100 mg once daily (10-20 kg), 150 mg once daily (in children >20 kg)."
    assert _populations(body) == ["10-20 kg", "children >20 kg"]


def test_a_plain_label_opening_an_item_speaks_for_all_its_doses() -> None:
    body = "* Ages 6-11 years: Start at 5 mg once daily; increase to 10 mg once daily if needed.\n"
    assert _populations(body) == ["Ages 6-11 years", "Ages 6-11 years"]
