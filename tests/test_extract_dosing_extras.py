"""Dosage forms, unit strengths and premedications (medkg.extract.dosing_extras), and the
interaction rule of the Precautions extractor, on invented drugs and general phrasing."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from medkg.extract.dosing_extras import dosage_forms, premedications, unit_strengths
from medkg.extract.precaution import extract_precautions
from medkg.extract.regimen import extract_regimens
from medkg.model import Document, Evidence, Mention, Quantity
from medkg.parse.monograph import parse


def document(body: str) -> Document:
    return Document(source="x.md", format="monograph", text=body, title="X", sections=())


def exact(doc: Document, ev: Evidence) -> tuple[str, int, int]:
    assert doc.text[ev.start : ev.end] == ev.quote
    return ev.quote, ev.start, ev.end


def words(mentions: list[Mention]) -> list[str]:
    return [m.text for m in mentions]


def amount(quantity: Quantity | None) -> tuple[Decimal | None, str] | None:
    return None if quantity is None else (quantity.value, quantity.unit)


# --------------------------------------------------------------------------
# Dosage forms
# --------------------------------------------------------------------------


def test_forms_listed_after_as() -> None:
    doc = document("Exampline is taken by mouth as tablets, capsules or an oral suspension.")
    forms = dosage_forms(doc, "Dosage", 0, len(doc.text))
    assert words(forms) == ["tablets", "capsules", "oral suspension"]
    assert exact(doc, forms[2].evidence) == ("oral suspension", 55, 70)


def test_administration_acts_and_counted_units_are_not_forms() -> None:
    for sentence in (
        "Exampline is given as a subcutaneous injection by a nurse.",
        "Exampline is given as an intravenous infusion.",
        "Exampline is given as two 105 mg tablets once a day.",
    ):
        doc = document(sentence)
        assert dosage_forms(doc, "Dosage", 0, len(doc.text)) == []


def test_forms_stop_at_the_first_item_that_is_not_a_form() -> None:
    doc = document("Take it as tablets or capsules, usually with water.")
    assert words(dosage_forms(doc, "Dosage", 0, len(doc.text))) == ["tablets", "capsules"]


# --------------------------------------------------------------------------
# Unit strengths
# --------------------------------------------------------------------------


def test_strengths_of_each_unit() -> None:
    doc = document("1 tablet (each containing 250 mg examplol and 10 mg other phosphate) daily")
    strengths = unit_strengths(doc, "Dosage", 0, len(doc.text))
    assert [(amount(s.quantity), s.substance.text) for s in strengths] == [
        ((Decimal(250), "mg"), "examplol"),
        ((Decimal(10), "mg"), "other phosphate"),
    ]
    assert exact(doc, strengths[1].substance.evidence) == ("other phosphate", 52, 67)
    assert exact(doc, strengths[0].evidence)[0] == (
        "each containing 250 mg examplol and 10 mg other phosphate"
    )


def test_strength_with_of_and_a_unit_noun() -> None:
    doc = document("Each capsule contains 5 mcg of examplin.")
    (strength,) = unit_strengths(doc, "Dosage", 0, len(doc.text))
    assert (amount(strength.quantity), strength.substance.text) == ((Decimal(5), "ug"), "examplin")


def test_no_strength_without_each_containing() -> None:
    doc = document("Take 250 mg examplol and 10 mg other phosphate daily.")
    assert unit_strengths(doc, "Dosage", 0, len(doc.text)) == []


# --------------------------------------------------------------------------
# Premedications
# --------------------------------------------------------------------------


def test_premedications_before_each_infusion() -> None:
    doc = document(
        "Before each infusion, patients receive examplisone 50 mg intravenously and an"
        " antiemetic to reduce nausea; a sedative may also be given."
    )
    found = premedications(doc, "Dosage", 0, len(doc.text))
    assert [
        (p.substance.text, amount(p.dose), tuple(r.text for r in p.routes), p.optional)
        for p in found
    ] == [
        ("examplisone", (Decimal(50), "mg"), ("intravenously",), False),
        ("antiemetic", None, (), False),
        ("sedative", None, (), True),
    ]
    assert all(exact(doc, p.evidence)[0] == doc.text for p in found)
    assert exact(doc, found[0].substance.evidence) == ("examplisone", 39, 50)


def test_premedicate_with() -> None:
    doc = document("Premedication with an antihistamine about 30 minutes before the dose.")
    (found,) = premedications(doc, "Dosage", 0, len(doc.text))
    assert (found.substance.text, found.dose, found.optional) == ("antihistamine", None, False)


def test_a_sentence_without_premedication_gives_none() -> None:
    doc = document("Patients are observed for one hour after each infusion.")
    assert premedications(doc, "Dosage", 0, len(doc.text)) == []


def test_premedications_reach_every_regimen_and_the_sentence_is_kept() -> None:
    text = (
        "---\ntitle: Exampline\n---\n# Exampline\n### Dosage\n"
        "Exampline is given as an intravenous infusion. A first dose of 100 mg is given, then"
        " 200 mg every 4 weeks. Before each infusion, patients receive an antihistamine.\n"
    )
    doc = parse(text, "x.md")
    section = doc.section("Dosage")
    assert section is not None
    regimens, _, statements = extract_regimens(doc, section, "Exampline")
    assert len(regimens) == 2
    assert [[p.substance.text for p in r.premedications] for r in regimens] == [
        ["antihistamine"],
        ["antihistamine"],
    ]
    assert [s.evidence.quote for s in statements] == [
        "Before each infusion, patients receive an antihistamine."
    ]


# --------------------------------------------------------------------------
# Interactions (Precautions)
# --------------------------------------------------------------------------


def test_risk_of_combined_use_names_what_it_is_taken_with() -> None:
    text = (
        "---\ntitle: Exampline\n---\n# Exampline\n### Precautions\n"
        "Taking Exampline with sedatives such as examplazepam increases the risk of drowsiness."
        " There is an increased risk of falls.\n"
    )
    doc = parse(text, "x.md")
    section = doc.section("Precautions")
    assert section is not None
    _, warnings, _ = extract_precautions(doc, section, "Exampline")
    assert [
        (w.condition.text if w.condition else None, words(list(w.interacting))) for w in warnings
    ] == [
        ("drowsiness", ["sedatives", "examplazepam"]),
        ("falls", []),
    ]
    for warning in warnings:
        for other in warning.interacting:
            exact(doc, other.evidence)


# --------------------------------------------------------------------------
# Never an exception, always exact evidence
# --------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "Before each infusion, ",
        "patients receive ",
        "Premedication with ",
        "each containing ",
        " as ",
        "tablets",
        ", ",
        " and ",
        " or ",
        "50 mg ",
        "1,000 mcg",
        "/kg",
        " of ",
        "intravenously",
        "; ",
        "may also be given",
        ".",
        "(",
        ")",
        "an ",
        "oral suspension",
        "examplol",
        "\n",
        " ",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=6)), max_size=25).map("".join))
def test_arbitrary_text_gives_exact_evidence_or_nothing(body: str) -> None:
    doc = document(body)
    for form in dosage_forms(doc, "Dosage", 0, len(body)):
        exact(doc, form.evidence)
    for strength in unit_strengths(doc, "Dosage", 0, len(body)):
        exact(doc, strength.evidence)
        exact(doc, strength.substance.evidence)
        exact(doc, strength.quantity.evidence)
    for premedication in premedications(doc, "Dosage", 0, len(body)):
        exact(doc, premedication.evidence)
        exact(doc, premedication.substance.evidence)
        if premedication.dose is not None:
            exact(doc, premedication.dose.evidence)
        for route in premedication.routes:
            exact(doc, route.evidence)
