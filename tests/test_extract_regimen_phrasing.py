"""Dosage phrasing rules: ranges of frequencies, notes above the dosing, patches,
combination strengths, doses of other products.

Every fixture is an invented sentence reproducing a general pattern.
"""

from __future__ import annotations

from decimal import Decimal

from medkg.extract.regimen import extract_regimens
from medkg.parse.monograph import parse
from tests.test_extract_regimen import amount, from_text

D = Decimal


def test_twice_or_three_times_daily_is_a_range_and_keeps_the_dose() -> None:
    _, (regimens, _, _) = from_text(
        "Testdrug is taken orally. Start with 3 mg twice or three times daily, "
        "followed by 6 mg twice daily."
    )
    assert [amount(r.dose)[:2] for r in regimens if r.dose] == [(D(3), "mg"), (D(6), "mg")]
    first, second = (r.timing for r in regimens)
    assert first is not None and second is not None
    assert (first.frequency, first.frequency_max, first.period_unit) == (2, 3, "d")
    assert (second.frequency, second.frequency_max) == (2, None)


def test_a_note_above_the_dosing_does_not_swallow_it() -> None:
    text = (
        "---\ntitle: Examplumab\n---\n\n# Examplumab\n\n### Dosage\n\n"
        "**Important Note:** The dose is set by the treating team.\n\n"
        "**Adults:**\n\n* **Oral:** 3 g/day divided into three doses.\n\n"
        "### Side Effects\n\n* Nausea\n"
    )
    document = parse(text, "test.md")
    assert [s.name for s in document.sections if s.blocks] == [
        "Note",
        "Dosage",
        "Side Effects",
    ]
    section = next(s for s in document.sections if s.name == "Dosage" and s.blocks)
    (regimen,), _, _ = extract_regimens(document, section, "Examplumab")
    assert amount(regimen.dose)[:2] == (D(3), "g/d")
    assert regimen.timing is not None and regimen.timing.frequency == 3


# -- transdermal patches ---------------------------------------------------------------


def test_a_patch_rate_per_day_is_one_application_a_day() -> None:
    body = (
        "**Transdermal (Patches):**\n\n* **Adults:** Start with one 5 mg/24 h patch. "
        "The dose may be raised to 10 mg/day after four weeks."
    )
    _, (regimens, _, _) = from_text(body)
    assert [amount(r.dose)[:2] for r in regimens] == [(D(5), "mg"), (D(10), "mg")]
    for regimen in regimens:
        assert regimen.timing is not None
        assert (regimen.timing.frequency, regimen.timing.period_unit) == (1, "d")


def test_a_per_day_amount_by_mouth_stays_a_daily_total() -> None:
    _, ((regimen,), _, _) = from_text("Testdrug is taken orally at 10 mg/24 h in two doses.")
    assert amount(regimen.dose)[:2] == (D(10), "mg/d")


# -- combination strengths --------------------------------------------------------------


def test_a_strength_pair_of_a_combination_is_a_dose_per_component() -> None:
    _, (regimens, _, _) = from_text(
        "**Adults:** One inhalation of Alphamab 50 mcg/Betadine 20 mcg once daily.",
        drug="Alphamab + Betadine",
    )
    assert sorted(amount(r.unit_dose)[:2] for r in regimens) == [(D(20), "ug"), (D(50), "ug")]
    assert {(r.unit_count, r.unit_form) for r in regimens} == {(1, "inhalation")}
    assert all(r.timing is not None and r.timing.frequency == 1 for r in regimens)
    assert all([m.text for m in r.routes] == ["inhalation"] for r in regimens)


def test_a_tablet_of_a_strength_pair() -> None:
    _, (regimens, _, _) = from_text(
        "The dose is one 150 mg/30 mg tablet twice daily.", drug="Alphamab + Betadine"
    )
    assert sorted(amount(r.dose)[:2] for r in regimens) == [(D(30), "mg"), (D(150), "mg")]
    assert {r.unit_form for r in regimens} == {"tablet"}


def test_a_slash_between_doses_of_one_drug_is_no_pair() -> None:
    _, (regimens, _, _) = from_text("Adults take 240 mg/480 mg once daily.")
    assert [amount(r.dose)[:2] for r in regimens] == [(D(480), "mg")]


def test_a_range_of_strength_pairs_is_not_guessed_at() -> None:
    _, (regimens, _, _) = from_text(
        "Doses range from 250 mg/125 mg to 500 mg/125 mg twice daily.", drug="Alphamab + Betadine"
    )
    assert regimens == ()


# -- what is given alongside -------------------------------------------------------------


def test_the_route_of_a_premedication_in_brackets_is_not_this_drugs() -> None:
    _, ((regimen,), _, _) = from_text(
        "Children receive 5 mg/kg every 3 weeks, with premedication "
        "(testamol 15 mg/kg orally) before each dose."
    )
    assert amount(regimen.dose)[:2] == (D(5), "mg/kg")
    assert regimen.routes == ()


def test_a_mass_labelled_with_a_radioactivity_states_both() -> None:
    _, (regimens, _, _) = from_text(
        "**Imaging (Adults):** 0.4 mg of examplumab tiuxetan radiolabeled with 6 mCi of "
        "an isotope is given intravenously over 5 minutes."
    )
    assert [amount(r.dose)[:2] for r in regimens] == [(D("0.4"), "mg"), (D(6), "mCi")]
    assert all([m.text for m in r.routes] == ["intravenously"] for r in regimens)


def test_a_maximum_stated_per_component_is_no_regimen() -> None:
    _, (regimens, _, _) = from_text(
        "The starting dose is Alphamab 3.5 mg + Betadine 2.5 mg, taken once daily. "
        "The maximum dose is Alphamab 14 mg + Betadine 10 mg once daily.",
        drug="Alphamab + Betadine",
    )
    assert sorted(amount(r.dose)[:2] for r in regimens) == [(D("2.5"), "mg"), (D("3.5"), "mg")]
    assert all(r.max_dose is None for r in regimens)


def test_the_dose_of_another_product_given_with_it_is_not_this_drugs() -> None:
    _, (regimens, _, _) = from_text(
        "Adults take Testdrug 500 mg twice daily with boostavir 100 mg twice daily."
    )
    assert [amount(r.dose)[:2] for r in regimens] == [(D(500), "mg")]


def test_an_infusion_rate_keeps_its_time_unit() -> None:
    _, (regimens, _, _) = from_text(
        "* **Adults:** The initial dose is 0.3-0.5 mcg/kg/min by intravenous infusion.\n"
        "* **Children:** 2 mg/hour as a continuous infusion."
    )
    assert [amount(r.dose)[:2] for r in regimens] == [
        ((D("0.3"), D("0.5")), "ug/kg/min"),
        (D(2), "mg/h"),
    ]


def test_a_kidney_function_value_is_no_dose() -> None:
    _, (regimens, _, _) = from_text(
        "Testdrug is given orally, 200 mg once daily. For CrCl 30-60 mL/min, give 100 mg "
        "once daily. If the eGFR is below 30 mL/min, give 50 mg once daily."
    )
    doses = [amount(r.dose)[:2] for r in regimens if r.dose]
    assert doses == [(D(200), "mg"), (D(100), "mg"), (D(50), "mg")]
