"""Off-label uses named by the labels of a Dosage section, on invented items."""

from __future__ import annotations

from medkg.extract.indication.dosage import dosage_indications
from medkg.extract.monograph import extract
from medkg.model import IndicationFact
from medkg.parse.monograph import parse


def read(dosage: str, title: str = "Examplumab") -> tuple[IndicationFact, ...]:
    text = f"---\ntitle: {title}\n---\n# {title}\n### Dosage\n{dosage}\n"
    document = parse(text, "x.md")
    section = document.section("Dosage")
    assert section is not None
    facts = dosage_indications(document, section)
    for fact in facts:
        for ev in (fact.evidence, fact.condition.evidence):
            assert document.text[ev.start : ev.end] == ev.quote
    return facts


def names(facts: tuple[IndicationFact, ...]) -> list[str]:
    return [f.condition.text for f in facts]


def test_a_label_marked_off_label_is_an_off_label_indication() -> None:
    facts = read(
        "**Adults:**\n\n"
        "* **Gout:** 10 mg twice a day.\n"
        "* **Chronic Hiccups (Off-label):** 5 mg three times a day for a week.\n"
    )
    # the plain label names a known condition and its item a dose: a plain indication
    assert names(facts) == ["Gout", "Chronic Hiccups"]
    assert facts[0].qualifier is None
    assert facts[1].qualifier is not None and facts[1].qualifier.text == "Off-label"


def test_plain_labels_population_and_form_labels_give_none() -> None:
    facts = read(
        "* **Renal impairment:** halve the dose.\n"
        "* **Tablets:** 10 mg once daily.\n"
        "* **Children:** 2 mg/kg once daily.\n"
    )
    assert facts == ()


def test_marker_inside_a_parenthesis_with_a_treatment_line() -> None:
    facts = read(
        "* **Maintenance therapy (Crohn disease - off-label):** 1 g twice daily.\n"
        "* **Motion sickness (Prevention, off-label):** 25 mg before travel.\n"
        "* **Night cramps - Off-Label (Oral):** 50 mg at bedtime.\n"
    )
    assert names(facts) == ["Crohn disease", "Motion sickness", "Night cramps"]


def test_off_label_uses_list_their_conditions_in_a_parenthesis() -> None:
    facts = read(
        "* **Off-label uses (tinnitus, cluster headache, etc.):** doses vary.\n"
        "* **Off-label uses (require close monitoring):** doses vary.\n"
        "* **Off-label uses (Adults):** doses vary.\n"
    )
    assert names(facts) == ["tinnitus", "cluster headache"]


def test_other_dosing_and_hedged_labels_give_none() -> None:
    facts = read(
        "* **Other tumours (off-label):** doses vary.\n"
        "* **Pediatric dosage (off-label):** 1 mg/kg.\n"
        "* **Intensive care unit (off-label):** by infusion.\n"
        "* **Possible off-label use in gout:** unclear.\n"
        "* **Tinnitus (off-label):** Not recommended outside trials.\n"
    )
    assert facts == ()


def test_items_under_a_hedged_lead_in_give_none() -> None:
    facts = read(
        "Uses that might be explored include:\n\n* **Tinnitus (off-label):** 5 mg daily.\n"
    )
    assert facts == ()


def test_a_plain_label_naming_a_known_condition_with_a_dose_is_an_indication() -> None:
    facts = read(
        "* **Gastric Ulcer:** 150 mg twice daily for 8 weeks.\n"
        "* **Asthma (maintenance):** 10 mg once daily in the evening.\n"
    )
    assert names(facts) == ["Gastric Ulcer", "Asthma"]
    assert all(f.qualifier is None for f in facts)


def test_a_plain_label_gives_no_indication_without_a_known_condition_or_a_dose() -> None:
    facts = read(
        "* **Examplumab Tablets:** 10 mg once daily.\n"  # a form
        "* **Testadine:** 5 mg once daily.\n"  # a component
        "* **Important note:** 5 mg once daily.\n"
        "* **Hypertension:** Dosage is set by the physician.\n"  # no dose stated
        "* **Weight 20-30 kg:** 5 mg once daily.\n"  # a band of people
        "* **Gout (possible use):** 5 mg once daily might be tried.\n"  # hedged
    )
    assert facts == ()


def test_a_plain_label_whose_item_manages_a_condition_the_drug_causes_is_no_use() -> None:
    facts = read(
        "* **Hypotension:** If it occurs, reduce the dose by 0.5 mg.\n"
        "* **Bradycardia:** The dose should be reduced to 5 mg daily.\n"
    )
    assert facts == ()


def test_a_plain_label_repeats_no_condition_the_document_already_names() -> None:
    text = (
        "---\ntitle: Examplumab\n---\n# Examplumab\n### Usage\n"
        "Examplumab is used to treat hypertension.\n"
        "### Dosage\n* **Hypertension:** 10 mg once daily.\n* **Gout:** 5 mg once daily.\n"
    )
    document = parse(text, "x.md")
    extraction = extract(document)
    conditions = [f.condition.text.lower() for f in extraction.indications]
    assert conditions.count("hypertension") == 1
    assert "gout" in conditions


def test_people_in_a_parenthesis_after_a_known_condition_leave_it_a_use() -> None:
    facts = read(
        "* **Gout (Adult Maintenance):** 10 mg twice a day.\n"
        "* **Renal Impairment (Adults):** 5 mg once a day.\n"
        "* **Asthma (Oral):** 5 mg once a day.\n"
    )
    # the people say for whom; a population or a route before or in the label names none
    assert names(facts) == ["Gout"]
