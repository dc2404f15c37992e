"""Dosage phrasing rules: daily totals, chained doses, abbreviations, maxima, routes.

Every fixture is an invented sentence reproducing a general pattern.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from medkg.model import RegimenFact
from tests.test_extract_regimen import amount, every, from_text

D = Decimal


def doses(regimens: tuple[RegimenFact, ...]) -> list[tuple[object, ...] | None]:
    return [amount(r.dose) for r in regimens]


def timings(regimens: tuple[RegimenFact, ...]) -> list[tuple[object, ...] | None]:
    return [None if r.timing is None else every(r.timing)[:4] for r in regimens]


# -- a route alone is no regimen ------------------------------------------------------


def test_a_route_without_dose_or_frequency_makes_no_regimen() -> None:
    body = "The dose depends on the infection. Testdrug is taken orally with food."
    _, (regimens, _, statements) = from_text(body)
    assert regimens == ()
    assert [s.evidence.quote for s in statements] == [
        "The dose depends on the infection.",
        "Testdrug is taken orally with food.",
    ]


def test_a_route_and_frequency_without_dose_is_still_a_regimen() -> None:
    _, (regimens, _, _) = from_text("Testdrug is applied topically twice daily.")
    assert [(r.dose, timings((r,))[0]) for r in regimens] == [(None, (2, D(1), None, "d"))]
    assert [m.text for m in regimens[0].routes] == ["topically"]


def test_a_frequency_alone_makes_no_regimen() -> None:
    _, (regimens, _, statements) = from_text("It is usually taken once daily.")
    assert regimens == ()
    assert [s.evidence.quote for s in statements] == ["It is usually taken once daily."]


def test_several_times_daily_states_no_number() -> None:
    _, ((regimen,), _, _) = from_text("Adults take 1 tablet orally several times daily.")
    assert regimen.timing is None


def test_a_heading_label_lends_its_route_to_the_items_below() -> None:
    body = (
        "**Transdermal Administration (Patches):**\n\n"
        "* **Dementia:** The starting dose is one 3.2 mg patch applied once daily.\n\n"
        "**Children:** Not established."
    )
    _, ((regimen,), _, _) = from_text(body)
    assert [m.text for m in regimen.routes] == ["Transdermal"]


def test_a_quantity_opening_a_labelled_paragraph_is_its_dose() -> None:
    body = "**Imaging (Adults):** 0.7 mg of Testdrug is administered intravenously over 3 minutes."
    _, ((regimen,), _, _) = from_text(body)
    assert amount(regimen.dose) == (D("0.7"), "mg", "0.7 mg", False)
    assert [m.text for m in regimen.routes] == ["intravenously"]


# -- daily totals ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "dose", "timing"),
    [
        (
            "The usual dosage is 6-9 grams per day, divided into 2 doses.",
            ((D(6), D(9)), "g/d", "6-9 grams per day", False),
            (2, D(1), None, "d"),
        ),
        (
            "Children receive 150 mg/kg/day in three divided doses.",
            (D(150), "mg/kg/d", "150 mg/kg/day", False),
            (3, D(1), None, "d"),
        ),
        (
            "It starts at 0.4 g/m²/day divided every 8 hours.",
            (D("0.4"), "g/m2/d", "0.4 g/m²/day", False),
            (1, D(8), None, "h"),
        ),
        (
            "It is given as 3-12 mg daily in divided doses.",
            ((D(3), D(12)), "mg/d", "3-12 mg daily", False),
            None,
        ),
    ],
)
def test_a_daily_total_keeps_its_day_and_its_division(
    body: str, dose: tuple[object, ...], timing: tuple[object, ...] | None
) -> None:
    _, (regimens, _, _) = from_text(body)
    assert doses(regimens) == [dose]
    assert timings(regimens) == [timing]


def test_a_later_titration_interval_is_not_the_timing_of_a_daily_total() -> None:
    _, (regimens, _, _) = from_text("Treatment starts at 0.5 mcg/day, raised every 3 weeks.")
    assert doses(regimens) == [(D("0.5"), "ug/d", "0.5 mcg/day", False)]
    assert timings(regimens) == [None]


def test_a_per_dose_amount_is_a_dose() -> None:
    body = "* **Infants:** Usual range 4–9 mL/kg/dose; mean reported dose 6 ± 2 mL/kg/dose."
    _, (regimens, _, _) = from_text(body)
    assert doses(regimens) == [((D(4), D(9)), "mL/kg", "4–9 mL/kg/dose", False)]


def test_a_compared_value_is_no_dose() -> None:
    body = "Patients with protein loss >200 mg/day take 5 mg once daily."
    _, (regimens, _, _) = from_text(body)
    assert doses(regimens) == [(D(5), "mg", "5 mg", False)]


# -- dose phrasing ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "quote"),
    [
        ("* **IV:** The initial dose is typically 700-1400 mg. Later doses vary.", "700-1400 mg"),
        ("The oral dosage is 300 mg, taken with food.", "300 mg"),
        ("The first infusion of 15-30 mL should be given slowly.", "15-30 mL"),
        (
            "* **Adults:** The usual dose may range from 150mg - 300mg, given every 8 hours.",
            "150mg - 300mg",
        ),
    ],
)
def test_dose_phrasings(body: str, quote: str) -> None:
    _, (regimens, _, _) = from_text(body)
    assert [r.dose.evidence.quote if r.dose else None for r in regimens] == [quote]


def test_a_negated_dose_is_none() -> None:
    _, (regimens, _, _) = from_text("Testdrug is not given as 40 mg once daily.")
    assert regimens == ()


@pytest.mark.parametrize(
    ("word", "times"), [("BID", 2), ("TID", 3), ("QID", 4), ("q.i.d.", 4), ("t.i.d", 3)]
)
def test_latin_frequency_abbreviations(word: str, times: int) -> None:
    _, (regimens, _, _) = from_text(f"Adults take 3 mg {word} with meals.")
    assert timings(regimens) == [(times, D(1), None, "d")]


def test_lower_case_bid_is_a_word() -> None:
    _, (regimens, _, _) = from_text("In a bid to help, adults take 3 mg after meals.")
    assert regimens == ()


# -- chained doses ---------------------------------------------------------------------


def test_each_chained_dose_keeps_its_own_frequency() -> None:
    body = (
        "* **Nausea:** Usually starts at 3 mg three times a day (TID), adjusting to 3-15 mg "
        "daily in divided doses.\n"
        "* **Crisis:** The first dose is 9 mg, followed by 1 mg every 3 hours, or 2-6 mg every "
        "4 hours as needed."
    )
    _, (regimens, _, _) = from_text(body)
    assert [r.dose.evidence.quote if r.dose else None for r in regimens] == [
        "3 mg",
        "3-15 mg daily",
        "9 mg",
        "1 mg",
        "2-6 mg",
    ]
    assert timings(regimens) == [
        (3, D(1), None, "d"),
        None,
        None,
        (1, D(3), None, "h"),
        (1, D(4), None, "h"),
    ]
    assert regimens[-1].timing is not None and regimens[-1].timing.as_needed


def test_a_later_phase_sentence_lends_no_frequency_to_the_item_dose() -> None:
    body = (
        "* **IV:** The initial dose is usually 500 mg. Subsequent doses may be given every "
        "10 minutes as needed."
    )
    _, (regimens, _, _) = from_text(body)
    assert doses(regimens) == [(D(500), "mg", "500 mg", False)]
    assert timings(regimens) == [None]


def test_an_item_sentence_lends_its_frequency_and_maximum() -> None:
    body = (
        "* **Adults:** 20 mg per kilogram. It is repeated every 2 weeks. The maximum dose is 80 mg."
    )
    _, ((regimen,), _, _) = from_text(body)
    assert timings((regimen,)) == [(1, D(2), None, "wk")]
    assert amount(regimen.max_dose) == (D(80), "mg", "80 mg", True)


# -- maxima ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "The maximum dose is 2.5 g/m²/day or 70 mg/kg/day.",
        "The maximum dose remains at 2.5 g/m²/day.",
        "Adults take 4 mg twice daily, maximum 20 mg/day.",
        "Adults take 4 mg twice daily; the maximum is 20 mg per day.",
        "Adults take 4 mg twice daily, up to 8 mg BID (16 mg/day).",
        "Adults take 4 mg twice daily; the maximum daily dose is usually limited to 12 mg/day.",
    ],
)
def test_maxima_are_no_doses(body: str) -> None:
    _, (regimens, _, _) = from_text(body)
    assert all(r.dose is None or (r.dose.unit == "mg" and r.dose.value == 4) for r in regimens)


# -- routes ----------------------------------------------------------------------------


def test_a_route_label_with_a_release_kind() -> None:
    body = "* **Oral, Extended-Release:** 30 mg once daily."
    _, ((regimen,), _, _) = from_text(body)
    assert [r.text for r in regimen.routes] == ["Oral"]


def test_swallowed_tablets_are_taken_by_mouth() -> None:
    body = (
        "Adults take 6 mg twice daily.\n\n"
        "**Administration:** Testdrug tablets should be swallowed whole."
    )
    _, ((regimen,), _, _) = from_text(body)
    assert [r.text for r in regimen.routes] == ["be swallowed"]


def test_components_given_separately_lend_no_route() -> None:
    body = (
        "Adults take 1 tablet twice daily.\n\n"
        "Its two components are sometimes given IV separately in hospital."
    )
    _, ((regimen,), _, _) = from_text(body)
    assert regimen.routes == ()


def test_a_route_given_alongside_is_another_administration() -> None:
    body = "* **Mania (Intramuscular):** 300mg once monthly, often with an initial oral dose."
    _, ((regimen,), _, _) = from_text(body)
    assert [m.text for m in regimen.routes] == ["Intramuscular"]


# -- ranges of frequencies -------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "low", "high"),
    [
        ("once or twice daily", 1, 2),
        ("three to four times a day", 3, 4),
        ("1-2 times daily", 1, 2),
        ("two or three times per day", 2, 3),
    ],
)
def test_a_range_of_frequencies(phrase: str, low: int, high: int) -> None:
    _, ((regimen,), _, _) = from_text(f"Adults take 5 mg {phrase}.")
    assert regimen.timing is not None
    assert (regimen.timing.frequency, regimen.timing.frequency_max) == (low, high)
    assert (regimen.timing.period, regimen.timing.period_unit) == (D(1), "d")


def test_a_daily_total_divided_into_a_range_of_doses() -> None:
    _, ((regimen,), _, _) = from_text("The usual dosage is 6-9 g/day, divided into 2-3 doses.")
    assert regimen.timing is not None
    assert (regimen.timing.frequency, regimen.timing.frequency_max) == (2, 3)


def test_a_topical_regimen_without_dose_keeps_its_frequency_range() -> None:
    body = "Testdrug gel is applied topically up to three or four times daily, as needed."
    _, ((regimen,), _, _) = from_text(body)
    assert regimen.dose is None and regimen.timing is not None
    assert (regimen.timing.frequency, regimen.timing.frequency_max) == (3, 4)


# -- hedges and radioactivity ----------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "A typical dose might consist of one or two tablets taken twice daily.",
        "Initial doses could be 8 mg, followed by 1 mg every 3 hours.",
        "**Example (Hypothetical):** Adults take 2 tablets orally twice daily.",
        "**Dosage Examples (Illustrative):**\n\nAdults take 40 mg once daily.",
    ],
)
def test_a_hedged_dose_is_no_regimen(body: str) -> None:
    _, (regimens, _, _) = from_text(body)
    assert regimens == ()


def test_radioactivity_units() -> None:
    _, ((regimen,), _, _) = from_text("A single intravenous dose of 4 mCi (148 MBq) is given.")
    assert amount(regimen.dose) == (D(4), "mCi", "4 mCi", False)
    assert [m.text for m in regimen.routes] == ["intravenous"]


def test_a_dose_of_what_is_given_alongside_is_not_this_drugs() -> None:
    body = (
        "* **Vaginal Tablet (300 mg):** Insert one tablet at bedtime. It is often used in "
        "combination with oral testadine (150 mg three times a day for 5 days or 150 mg "
        "twice a day for 8 days)."
    )
    _, (regimens, _, _) = from_text(body)
    assert [amount(r.dose) for r in regimens] == [(D(1), "{tablet}", "one tablet", False)]


def test_a_dosing_stretch_that_reads_nothing_alone_is_no_regimen() -> None:
    """ "2mg twice or three times daily" cut at "or": the first stretch keeps no dose and
    no timing, and a regimen stating nothing is no fact (and no empty FHIR Dosage)."""
    _, (regimens, _, _) = from_text(
        "* **Muscle stiffness:** Oral tablets may start at 2mg twice or three times daily, "
        "with possible increases to 5mg three times daily."
    )
    assert regimens
    for regimen in regimens:
        assert regimen.dose or regimen.unit_dose or regimen.unit_count or regimen.timing
