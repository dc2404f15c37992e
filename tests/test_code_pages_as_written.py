"""Code pages as they are written (issue 12, item 5).

The pages of ``tests/fixtures/code-pages/`` reproduce, in our own words, the layouts
of real code pages: the code after a comma, in a breadcrumb, starting the title line,
after ``HCPCS Code`` without parentheses, opening the medical term, or only in the
file name; descriptors naming several drugs, with the billing unit after the list or
after one drug. ``EXPECTED.yaml`` says what each page states and where.

Each page is parsed and extracted alone (the code, where it was read, the descriptor,
the drugs, the unit); then the folder is built: it conforms, the code read from a file
name is in the graph exactly as expected (compared by isomorphism), a combination
bills every drug it names and derives no billing units, and the JSON-LD and FHIR
exports carry both (compared by value).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
import yaml
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from medkg.export import fhir
from medkg.export import jsonld as exporter
from medkg.export.turtle import union_graph
from medkg.extract.code_page import extract
from medkg.model import FILE_NAME_SECTION, Evidence, Extraction, Mention
from medkg.namespaces import ID, MEDKG
from medkg.parse.code_page import parse
from medkg.pipeline.build import run
from medkg.read.decode import read_source

from .conftest import FIXTURES

FOLDER = FIXTURES / "code-pages"
EXPECTED: dict[str, dict[str, Any]] = yaml.safe_load(
    (FOLDER / "EXPECTED.yaml").read_text(encoding="utf-8")
)
PAGES = sorted(EXPECTED)
FHIR_BASE = "https://w3id.org/medkg/fhir"


def _extract(name: str) -> Extraction:
    source = read_source(FOLDER / name)
    return extract(parse(source.text, source.name))


def test_expected_lists_every_page_of_the_folder() -> None:
    assert sorted(p.name for p in FOLDER.glob("*.txt")) == PAGES


@pytest.mark.parametrize("page", PAGES)
def test_page_states_its_code_where_expected(page: str) -> None:
    expected = EXPECTED[page]
    extraction = _extract(page)
    (fact,) = extraction.billing_codes
    document = extraction.document
    assert (fact.code.text, fact.system) == (str(expected["code"]), expected["system"])
    assert fact.code.evidence.section == expected["read_from"]
    assert fact.code.evidence.quote == str(expected["code"])
    reference = document.metadata["code_reference_span"]
    if expected["reference"] is None:
        assert reference is None
        start, end = document.metadata["code_file_span"]
        assert page[start:end] == str(expected["code"])
    else:
        assert document.text[slice(*reference)] == expected["reference"]
    assert fact.descriptor.text == document.title == expected["descriptor"]
    assert [name.text for name in fact.drug_names] == expected["drugs"]
    assert extraction.procedures[0].code == fact.code
    if expected["unit"] is None:
        assert fact.billing_unit is None
    else:
        value, unit, quote = expected["unit"]
        assert fact.billing_unit is not None
        got = fact.billing_unit
        assert (got.value, got.unit, got.evidence.quote) == (Decimal(value), unit, quote)


def _evidence(value: object) -> list[Evidence]:
    if isinstance(value, Evidence):
        return [value]
    if isinstance(value, Mention):
        return [value.evidence]
    if isinstance(value, tuple):
        return [ev for item in value for ev in _evidence(item)]
    if hasattr(value, "__dataclass_fields__") and not isinstance(value, type):
        return [ev for name in value.__dataclass_fields__ for ev in _evidence(getattr(value, name))]
    return []


@pytest.mark.parametrize("page", PAGES)
def test_every_quote_is_its_span_of_the_text_or_the_file_name(page: str) -> None:
    extraction = _extract(page)
    document = extraction.document
    facts = (
        extraction.drugs,
        extraction.billing_codes,
        extraction.procedures,
        extraction.statements,
    )
    for ev in _evidence(facts):
        quoted = document.source if ev.section == FILE_NAME_SECTION else document.text
        assert quoted[ev.start : ev.end] == ev.quote, ev


def test_the_file_name_wording_never_becomes_a_name() -> None:
    """The file name gives the code only: its words (after the code) name nothing."""
    extraction = _extract("3051F-most-recent-hemoglobin-a1c.txt")
    procedure = extraction.procedures[0]
    assert procedure.common_name is None and procedure.medical_term is None


@pytest.mark.parametrize(
    ("page", "names"),
    [
        ("pertuzumab-combination.txt", ["Pertuzumab", "trastuzumab", "hyaluronidase"]),
        ("trastuzumab-subcutaneous.txt", ["Trastuzumab", "hyaluronidase"]),
        ("rituximab-hyaluronidase.txt", ["Rituximab", "hyaluronidase"]),
        ("herzuma-biosimilar.txt", ["trastuzumab-pkrb"]),
    ],
)
def test_each_named_drug_is_a_drug_named_as_the_page_names_it(page: str, names: list[str]) -> None:
    assert [drug.name.text for drug in _extract(page).drugs] == names


# -- the folder built -------------------------------------------------------------------------


@dataclass(frozen=True)
class Built:
    statuses: list[tuple[str, str]]
    dataset: Any
    graph: Graph


@pytest.fixture(scope="module")
def built() -> Built:
    outcome = run([FOLDER])
    assert outcome.dataset is not None, "the build did not conform"
    statuses = [(s.file, s.status) for s in outcome.statuses]
    return Built(statuses, outcome.dataset, union_graph(outcome.dataset))


def test_every_page_builds_and_the_graph_conforms(built: Built) -> None:
    assert built.statuses == [(page, "built") for page in sorted(PAGES)]


J3110_CODE_AND_EVIDENCE = """
@prefix id: <https://w3id.org/medkg/id/> .
@prefix medkg: <https://w3id.org/medkg/vocab#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

id:code\\/hcpcs\\/J3110 a medkg:BillingCode , schema:MedicalCode , skos:Concept ;
    skos:notation "J3110" ; skos:prefLabel "J3110" ; schema:codeValue "J3110" ;
    schema:codingSystem "HCPCS Level II" ;
    skos:inScheme <http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets> ;
    medkg:description id:code\\/hcpcs\\/J3110\\/j3110 ;
    medkg:procedure id:procedure\\/hcpcs\\/J3110\\/j3110 ;
    medkg:evidence id:evidence\\/j3110\\/file-name\\/0-5 .

id:evidence\\/j3110\\/file-name\\/0-5 a medkg:Evidence ;
    medkg:document id:document\\/j3110 ; medkg:sectionName "File name" ;
    medkg:quote "J3110" ; medkg:start "0"^^xsd:integer ; medkg:end "5"^^xsd:integer .
"""


def test_code_read_from_the_file_name_is_in_the_graph_as_expected(built: Built) -> None:
    code = ID["code/hcpcs/J3110"]
    evidence = ID["evidence/j3110/file-name/0-5"]
    found = Graph()
    for subject in (code, evidence):
        for triple in built.graph.triples((subject, None, None)):
            found.add(triple)
    expected = Graph().parse(data=J3110_CODE_AND_EVIDENCE, format="turtle")
    assert isomorphic(found, expected)


def test_every_file_name_evidence_quotes_its_file_name(built: Built) -> None:
    rows = built.graph.query(
        """SELECT ?file ?quote ?start ?end WHERE {
        ?e medkg:sectionName "File name" ; medkg:quote ?quote ; medkg:start ?start ;
           medkg:end ?end ; medkg:document/medkg:fileName ?file }""",
        initNs={"medkg": MEDKG},
    )
    found = sorted((str(r[0]), str(r[1]), int(r[2]), int(r[3])) for r in rows)  # type: ignore[index]
    assert found == [
        ("3051F-most-recent-hemoglobin-a1c.txt", "3051F", 0, 5),
        ("96365_iv-infusion-first-hour.txt", "96365", 0, 5),
        ("J3110.txt", "J3110", 0, 5),
    ]


COMBINATION = ID["code/hcpcs/J9316/pertuzumab-combination"]
COMBINED_DRUGS = [ID["drug/hyaluronidase"], ID["drug/pertuzumab"], ID["drug/trastuzumab"]]


def _objects(graph: Graph, subject: URIRef, prop: URIRef) -> list[Any]:
    return sorted(graph.objects(subject, prop), key=str)


def test_a_combination_bills_every_drug_it_names(built: Built) -> None:
    assert _objects(built.graph, COMBINATION, MEDKG.bills) == COMBINED_DRUGS
    assert _objects(built.graph, ID["code/hcpcs/J9356/trastuzumab-subcutaneous"], MEDKG.bills) == [
        ID["drug/hyaluronidase"],
        ID["drug/trastuzumab"],
    ]


def test_a_combination_derives_no_billing_units(built: Built) -> None:
    combinations = set()
    for description in built.graph.subjects(MEDKG.bills, None):
        if len(set(built.graph.objects(description, MEDKG.bills))) > 1:
            combinations.add(description)
            assert _objects(built.graph, URIRef(str(description)), MEDKG.billingCalculation) == []
    assert COMBINATION in combinations  # the loop checked something


def test_jsonld_lists_every_billed_drug(built: Built) -> None:
    document = json.loads(exporter.export(built.dataset)[exporter.DOCUMENT])
    drugs = {n["id"]: n for n in document["@graph"] if n.get("type") == "Drug"}
    for drug in COMBINED_DRUGS:
        descriptions = {d["id"]: d for d in drugs[str(drug)]["billingCodeDescriptions"]}
        description = descriptions[str(COMBINATION)]
        assert sorted(description["bills"]) == [str(d) for d in COMBINED_DRUGS]
        assert description["billingUnit"]["value"] == "10.0"


def test_fhir_charge_item_lists_every_drug_and_the_activity_names_none(built: Built) -> None:
    files = {name: json.loads(data) for name, data in fhir.export(built.dataset).items()}
    charge = files["fhir/ChargeItemDefinition-code-hcpcs-J9316-pertuzumab-combination.json"]
    combination = "procedure-hcpcs-J9316-pertuzumab-combination"
    assert charge["instance"] == [
        {"reference": f"{FHIR_BASE}/Medication/drug-hyaluronidase"},
        {"reference": f"{FHIR_BASE}/Medication/drug-pertuzumab"},
        {"reference": f"{FHIR_BASE}/Medication/drug-trastuzumab"},
        {"reference": f"{FHIR_BASE}/ActivityDefinition/{combination}"},
    ]
    activity = files["fhir/ActivityDefinition-procedure-hcpcs-J9316-pertuzumab-combination.json"]
    assert "productReference" not in activity
    # no drug's regimen: at most the page's own route of the procedure
    assert [set(dosage) for dosage in activity.get("dosage", [])] in ([], [{"text", "route"}])
    single = files["fhir/ActivityDefinition-procedure-hcpcs-J3110-j3110.json"]
    assert single["productReference"] == {"reference": f"{FHIR_BASE}/Medication/drug-teriparatide"}
