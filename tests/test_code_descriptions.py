"""Two code pages for the same code that bill different drugs at different billing units.

The seed page says J3111 bills romosozumab-aqqg at 1 mg; the fixture page
``tests/fixtures/shared-code/j3111-romiplostim-page.txt`` (the corpus J2796 page
with its code changed to J3111) says J3111 bills romiplostim at 10 micrograms.
Each page's statement is its own `medkg:BillingCodeDescription`; the build
conforms, billing units pair each drug with its own page's unit, and the FHIR and
JSON-LD exports carry both descriptions.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from medkg.export import fhir
from medkg.export import jsonld as exporter
from medkg.export.turtle import union_graph
from medkg.namespaces import ID, MEDKG, PROV, RDF, RDFS, SCHEMA, SKOS, XSD
from medkg.pipeline.build import run

from .conftest import FIXTURES, SOURCES
from .test_gold import CODE_IDENTITY

CODE = ID["code/hcpcs/J3111"]
SEED_PAGE = ID["code/hcpcs/J3111/j3111-code-page"]
OTHER_PAGE = ID["code/hcpcs/J3111/j3111-romiplostim-page"]
ROMOSOZUMAB = ID["drug/romosozumab"]
ROMIPLOSTIM = ID["drug/romiplostim"]
FHIR_BASE = "https://w3id.org/medkg/fhir"
EXT = FHIR_BASE + "/StructureDefinition/"


@dataclass(frozen=True)
class SharedCode:
    statuses: list[tuple[str, str]]
    dataset: Any
    graph: Graph


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> SharedCode:
    folder = tmp_path_factory.mktemp("shared-code")
    for source in (
        SOURCES / "j3111-code-page.txt",
        SOURCES / "romosozumab-monograph.txt",
        FIXTURES / "corpus" / "monographs" / "romiplostim.md",
        FIXTURES / "shared-code" / "j3111-romiplostim-page.txt",
    ):
        shutil.copy(source, folder / source.name)
    outcome = run([folder])
    assert outcome.dataset is not None, "the build did not conform"
    statuses = [(s.file, s.status) for s in outcome.statuses]
    return SharedCode(statuses, outcome.dataset, union_graph(outcome.dataset))


def objects(g: Graph, subject: Node, prop: URIRef) -> list[Node]:
    return sorted(g.objects(subject, prop), key=str)


def one(g: Graph, subject: Node, prop: URIRef) -> Node:
    [value] = objects(g, subject, prop)
    return value


def quantity(g: Graph, node: Node) -> tuple[Decimal, str]:
    return Decimal(str(one(g, node, SCHEMA.value))), str(one(g, node, SCHEMA.unitCode))


def test_the_build_conforms(shared: SharedCode) -> None:
    assert shared.statuses == [
        ("j3111-code-page.txt", "built"),
        ("j3111-romiplostim-page.txt", "built"),
        ("romiplostim.md", "built"),
        ("romosozumab-monograph.txt", "built"),
    ]


def test_the_code_node_keeps_only_the_code(shared: SharedCode) -> None:
    g = shared.graph
    assert {p for p, _ in g.predicate_objects(CODE)} == CODE_IDENTITY
    assert objects(g, CODE, SKOS.prefLabel) == [Literal("J3111")]
    assert objects(g, CODE, MEDKG.description) == [SEED_PAGE, OTHER_PAGE]
    assert objects(g, CODE, MEDKG.procedure) == [
        ID["procedure/hcpcs/J3111/j3111-code-page"],
        ID["procedure/hcpcs/J3111/j3111-romiplostim-page"],
    ]


@pytest.mark.parametrize(
    ("description", "document", "descriptor", "unit", "drug", "procedure"),
    [
        (
            SEED_PAGE,
            "j3111-code-page",
            "Injection, romosozumab-aqqg, 1 mg",
            (Decimal(1), "mg"),
            ROMOSOZUMAB,
            "procedure/hcpcs/J3111/j3111-code-page",
        ),
        (
            OTHER_PAGE,
            "j3111-romiplostim-page",
            "Injection, romiplostim, 10 micrograms",
            (Decimal(10), "ug"),
            ROMIPLOSTIM,
            "procedure/hcpcs/J3111/j3111-romiplostim-page",
        ),
    ],
    ids=["seed-page", "other-page"],
)
def test_each_description_keeps_its_own_unit_and_drug(
    shared: SharedCode,
    description: URIRef,
    document: str,
    descriptor: str,
    unit: tuple[Decimal, str],
    drug: URIRef,
    procedure: str,
) -> None:
    g = shared.graph
    assert objects(g, description, RDF.type) == [MEDKG.BillingCodeDescription]
    assert one(g, description, MEDKG.describesCode) == CODE
    assert one(g, description, MEDKG.statedIn) == ID[f"document/{document}"]
    assert one(g, description, MEDKG.descriptor) == Literal(descriptor)
    assert one(g, description, RDFS.label) == Literal(descriptor)
    unit_node = one(g, description, MEDKG.billingUnit)
    assert unit_node == URIRef(f"{description}/billing-unit")
    assert quantity(g, unit_node) == unit
    assert objects(g, description, MEDKG.bills) == [drug]
    assert one(g, ID[procedure], MEDKG.codeDescription) == description
    quotes = {str(one(g, e, MEDKG.quote)) for e in objects(g, description, MEDKG.evidence)}
    assert descriptor in quotes and "J3111" in quotes
    documents = {one(g, e, MEDKG.document) for e in objects(g, description, MEDKG.evidence)}
    assert documents == {ID[f"document/{document}"]}


def calculations(g: Graph) -> dict[URIRef, dict[str, object]]:
    """Every billing-unit calculation: the description holding it, its links and numbers."""
    found: dict[URIRef, dict[str, object]] = {}
    for calculation in sorted(g.subjects(RDF.type, MEDKG.BillingUnitCalculation), key=str):
        assert isinstance(calculation, URIRef)
        numbers = {
            str(p)[len(str(MEDKG)) :]: Decimal(str(o))
            for p, o in g.predicate_objects(calculation)
            if isinstance(o, Literal) and o.datatype == XSD.decimal
        }
        found[calculation] = {
            "description": sorted(g.subjects(MEDKG.billingCalculation, calculation), key=str),
            "regimen": one(g, calculation, MEDKG.regimen),
            "code": one(g, calculation, MEDKG.billingCode),
            "inputs": set(g.objects(calculation, PROV.wasDerivedFrom)),
            **numbers,
        }
    return found


def test_units_per_administration_pair_each_drug_with_its_own_pages_unit(
    shared: SharedCode,
) -> None:
    found = calculations(shared.graph)
    romosozumab = ID[
        "derived/billing-units/code/hcpcs/J3111/j3111-code-page/regimen/romosozumab-monograph/1"
    ]
    romiplostim = ID[
        "derived/billing-units/code/hcpcs/J3111/j3111-romiplostim-page/regimen/romiplostim/1"
    ]
    assert sorted(found) == [romosozumab, romiplostim]
    # 210 mg at 1 mg per unit (never at the other page's 10 micrograms: 21000)
    assert found[romosozumab] == {
        "description": [SEED_PAGE],
        "regimen": ID["regimen/romosozumab-monograph/1"],
        "code": CODE,
        "inputs": {
            SEED_PAGE,
            URIRef(f"{SEED_PAGE}/billing-unit"),
            ID["regimen/romosozumab-monograph/1/dose"],
            ID["regimen/romosozumab-monograph/1/unit-dose"],
            ID["regimen/romosozumab-monograph/1/timing"],
            ID["regimen/romosozumab-monograph/1/max-duration"],
        },
        "unitsPerAdministration": Decimal(210),
        "unitsPerUnitDose": Decimal(105),
        "administrationsPerCourse": Decimal(12),
        "unitsPerCourse": Decimal(2520),
    }
    # 1 mcg/kg at 10 micrograms per unit (never at the other page's 1 mg: 0.001)
    assert found[romiplostim] == {
        "description": [OTHER_PAGE],
        "regimen": ID["regimen/romiplostim/1"],
        "code": CODE,
        "inputs": {
            OTHER_PAGE,
            URIRef(f"{OTHER_PAGE}/billing-unit"),
            ID["regimen/romiplostim/1/dose"],
        },
        "unitsPerKilogram": Decimal("0.1"),
    }


def test_comparisons_are_per_page(shared: SharedCode) -> None:
    g = shared.graph
    comparisons = sorted(g.subjects(RDF.type, MEDKG.CrossSourceComparison), key=str)
    assert comparisons
    for comparison in comparisons:
        path = str(comparison)
        page = SEED_PAGE if "/j3111-code-page/" in path else OTHER_PAGE
        assert str(page)[len(str(ID)) :] in path
        assert page in set(g.objects(comparison, PROV.wasDerivedFrom))
        drug = ROMOSOZUMAB if page == SEED_PAGE else ROMIPLOSTIM
        assert path.startswith(f"{ID}comparison/{str(drug)[len(str(ID)) :]}/code/hcpcs/J3111/")
    assert any("/j3111-romiplostim-page/" in str(c) for c in comparisons)


@pytest.fixture(scope="module")
def fhir_files(shared: SharedCode) -> dict[str, Any]:
    return {name: json.loads(data) for name, data in fhir.export(shared.dataset).items()}


@pytest.mark.parametrize(
    ("page", "drug", "display", "unit", "numbers"),
    [
        (
            "j3111-code-page",
            "drug-romosozumab",
            "Injection, romosozumab-aqqg, 1 mg",
            {"value": 1, "code": "mg"},
            {"unitsPerAdministration": 210, "unitsPerCourse": 2520},
        ),
        (
            "j3111-romiplostim-page",
            "drug-romiplostim",
            "Injection, romiplostim, 10 micrograms",
            {"value": 10, "code": "ug"},
            {"unitsPerKilogram": 0.1},
        ),
    ],
    ids=["seed-page", "other-page"],
)
def test_fhir_has_one_charge_item_definition_per_page(
    fhir_files: dict[str, Any],
    page: str,
    drug: str,
    display: str,
    unit: dict[str, object],
    numbers: dict[str, float],
) -> None:
    charges = sorted(n for n in fhir_files if n.startswith("fhir/ChargeItemDefinition-"))
    assert charges == [
        "fhir/ChargeItemDefinition-code-hcpcs-J3111-j3111-code-page.json",
        "fhir/ChargeItemDefinition-code-hcpcs-J3111-j3111-romiplostim-page.json",
    ]
    charge = fhir_files[f"fhir/ChargeItemDefinition-code-hcpcs-J3111-{page}.json"]
    assert charge["code"]["coding"] == [
        {
            "system": "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets",
            "code": "J3111",
            "display": display,
        }
    ]
    assert [i["reference"] for i in charge["instance"]] == [
        f"{FHIR_BASE}/Medication/{drug}",
        f"{FHIR_BASE}/ActivityDefinition/procedure-hcpcs-J3111-{page}",
    ]
    billing_unit = next(x for x in charge["extension"] if x["url"] == EXT + "billing-unit")
    assert {k: billing_unit["valueQuantity"][k] for k in ("value", "code")} == unit
    [calculation] = [x for x in charge["extension"] if x["url"] == EXT + "billing-units"]
    parts = {p["url"]: p for p in calculation["extension"]}
    for name, value in numbers.items():
        assert parts[name]["valueDecimal"] == value
    activity = fhir_files[f"fhir/ActivityDefinition-procedure-hcpcs-J3111-{page}.json"]
    assert activity["productReference"]["reference"] == f"{FHIR_BASE}/Medication/{drug}"
    assert activity["code"]["coding"][0]["display"] == display


def test_jsonld_carries_both_descriptions(shared: SharedCode) -> None:
    document = json.loads(exporter.export(shared.dataset)[exporter.DOCUMENT])
    drugs = {n["id"]: n for n in document["@graph"] if n.get("type") == "Drug"}
    for drug, page, descriptor, unit in (
        (ROMOSOZUMAB, SEED_PAGE, "Injection, romosozumab-aqqg, 1 mg", ("1.0", "mg")),
        (ROMIPLOSTIM, OTHER_PAGE, "Injection, romiplostim, 10 micrograms", ("10.0", "ug")),
    ):
        [description] = drugs[str(drug)]["billingCodeDescriptions"]
        assert description["id"] == str(page)
        assert description["descriptor"] == descriptor
        assert (description["billingUnit"]["value"], description["billingUnit"]["unit"]) == unit
        assert description["describesCode"]["notation"] == "J3111"
        assert description["describesCode"]["codeDescriptions"] == [str(SEED_PAGE), str(OTHER_PAGE)]
        [calculation] = description["billingCalculations"]
        assert calculation["billingCode"] == str(CODE)
        [procedure] = description["pageProcedures"]
        assert procedure["codeDescription"] == str(page)
