"""Combination products: which facts belong to a component (medkg.extract.monograph),
and the graph puts them on that component's drug node (medkg.graph.drug_facts)."""

from __future__ import annotations

from pathlib import Path

from medkg.extract.monograph import extract
from medkg.model import Document, DrugFact, Extraction
from medkg.parse.monograph import parse
from medkg.read.decode import read_source

CORPUS = Path(__file__).resolve().parent / "fixtures" / "corpus" / "monographs"


def load(path: Path) -> Document:
    source = read_source(path)
    return parse(source.text, source.name)


def combination() -> tuple[Extraction, DrugFact]:
    extraction = extract(load(CORPUS / "paracetamol-codeine.md"))
    (drug,) = extraction.drugs
    return extraction, drug


def owner(drug: DrugFact, offset: int) -> str:
    component = drug.component_at(offset)
    return drug.name.text if component is None else component.text


def test_each_component_scope_runs_from_its_heading_to_its_last_section() -> None:
    extraction, drug = combination()
    text = extraction.document.text
    scopes = [(s.component.text, text[s.start : s.end]) for s in drug.component_scopes]
    assert [name for name, _ in scopes] == ["Paracetamol", "Codeine"]
    paracetamol, codeine = (body for _, body in scopes)
    assert paracetamol.startswith("Paracetamol\n\n**Generic Name:** Paracetamol")
    assert paracetamol.endswith("liver damage in overdose.")
    assert codeine.startswith("Codeine\n\n**Generic Name:** Codeine")
    assert codeine.endswith("Not recommended while breastfeeding.")  # FAQs are the product's
    for scope in drug.component_scopes:
        assert scope.component in drug.components


def test_facts_belong_to_the_component_whose_sections_state_them() -> None:
    extraction, drug = combination()
    product = "Paracetamol + Codeine"
    assert {owner(drug, f.evidence.start) for f in extraction.indications} == {product}
    assert {owner(drug, f.evidence.start) for f in extraction.regimens} == {product}
    assert {owner(drug, f.evidence.start) for f in extraction.faqs} == {product}
    assert {owner(drug, f.evidence.start) for f in extraction.mechanism} == {"Codeine"}
    assert {owner(drug, f.evidence.start) for f in extraction.contraindications} == {"Codeine"}
    by_owner = sorted(
        (owner(drug, f.evidence.start), f.reaction.text) for f in extraction.adverse_reactions
    )
    assert by_owner == [
        ("Codeine", "Breathing problems"),
        ("Codeine", "Constipation"),
        ("Codeine", "dependence"),
        ("Codeine", "dizziness"),
        ("Codeine", "drowsiness"),
        ("Codeine", "nausea"),
        ("Paracetamol", "Nausea"),
        ("Paracetamol", "Skin reactions"),
        ("Paracetamol", "liver damage in overdose"),
    ]


def test_a_single_drug_has_no_component_scopes() -> None:
    text = "---\ntitle: X\n---\n# X\n### Generic Name\nX\n### Side Effects\nCommon: nausea.\n"
    extraction = extract(parse(text, "x.md"))
    (drug,) = extraction.drugs
    assert drug.component_scopes == ()
    assert drug.component_at(extraction.adverse_reactions[0].evidence.start) is None
