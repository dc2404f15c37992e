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
