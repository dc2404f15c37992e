"""End to end: a monograph whose regimens use route abbreviations, lists of alternatives,
a negated route and a route the vocabulary lacks, with the code page of its billing code
(``fixtures/routes``, written for these tests), builds without failure; the graph, the
JSON-LD, the FHIR R5 and R4B Dosages and the regimens query say exactly what it states.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from medkg.export.jsonld import schema_problems
from medkg.namespaces import ID, MEDKG, RDFS, SCHEMA, SKOS
from medkg.pipeline.build import build
from medkg.pipeline.options import BuildOptions
from medkg.query import load_store, named_queries, run_query
from medkg.shacl.validate import validate_graph

from .conftest import FIXTURES

SOURCES = FIXTURES / "routes"
SNOMED = "http://snomed.info/sct"


def coded(code: str) -> dict[str, str]:
    """A SNOMED CT coding of a route (no display: that is SNOMED CT's wording, which the
    graph does not record; the route's name is the CodeableConcept's text beside it)."""
    return {"code": code, "system": SNOMED}


JSON = dict[str, Any]

# The regimens of tarovicin.md, in order: (routes as concepts, routes as written words).
REGIMENS = {
    1: ({"intravenous-route", "intramuscular-route"}, set()),  # "1 g IV or IM"
    2: ({"intravenous-route", "intramuscular-route", "subcutaneous-route"}, set()),  # IV/IM/SubQ
    3: (set(), {"intraosseous"}),  # "by intraosseous infusion": not in the vocabulary
    4: ({"oral-route"}, set()),  # "500 mg PO … after 3 days of IV treatment"
    5: ({"intravitreal-route"}, set()),  # "injected intravitreally once; … never … IT"
    6: ({"intravenous-route"}, set()),  # the label "(Intravenous (IV))"
}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("routes") / "dist"
    outcome = build([SOURCES], folder)
    assert [(s.file, s.status) for s in outcome.statuses] == [
        ("J9991.txt", "built"),
        ("tarovicin.md", "built"),
    ]
    return folder


@pytest.fixture(scope="module")
def graph(out: Path) -> Graph:
    found = Graph()
    found.parse(out / "medkg.ttl", format="turtle")
    return found


def regimen(number: int) -> URIRef:
    return ID[f"regimen/tarovicin/{number}"]


def test_the_graph_holds_every_route_and_conforms(graph: Graph) -> None:
    routes = Graph()
    for prop in (SCHEMA.administrationRoute, MEDKG.routeText):
        for triple in graph.triples((None, prop, None)):
            routes.add(triple)
    expected = Graph()
    for number, (concepts, words) in REGIMENS.items():
        for key in concepts:
            expected.add((regimen(number), SCHEMA.administrationRoute, ID[f"concept/{key}"]))
        for word in words:
            expected.add((regimen(number), MEDKG.routeText, Literal(word)))
    assert isomorphic(routes, expected)
    # the page's "into a vein or into a muscle" gives both routes too
    procedure = ID["procedure/hcpcs/J9991/j9991"]
    assert set(graph.objects(procedure, MEDKG.route)) == {
        ID["concept/intravenous-route"],
        ID["concept/intramuscular-route"],
    }
    assert validate_graph(graph).conforms


def test_no_route_concept_is_made_up_and_codes_say_where_they_were_confirmed(
    graph: Graph,
) -> None:
    for concept in set(graph.objects(None, SCHEMA.administrationRoute)):
        assert str(concept).endswith("-route")
        assert graph.value(concept, SKOS.prefLabel) is not None
    # nothing is linked to "intrathecal": the document only says it is never given that way
    assert (None, None, ID["concept/intrathecal-route"]) not in graph
    iv = ID["concept/intravenous-route"]
    assert set(graph.objects(iv, SKOS.exactMatch)) == {URIRef("http://snomed.info/id/47625008")}
    (mapping,) = graph.subjects(MEDKG.mappedNode, iv)
    assert "route-codes" in str(graph.value(mapping, MEDKG.confirmedIn))
    assert str(graph.value(mapping, MEDKG.confirmationQuality)) == "A"
    # "IV" is aligned to the concept, with the vocabulary row that says why
    alignments = {
        str(graph.value(a, MEDKG.termAsWritten)): str(graph.value(a, RDFS.comment))
        for a in graph.subjects(MEDKG.alignedConcept, iv)
    }
    assert "routes.csv" in alignments["IV"]


def test_comparisons_with_the_code_page_agree_when_they_share_a_route(graph: Graph) -> None:
    found = {}
    for comparison in graph.subjects(MEDKG.aspect, Literal("route")):
        claims = set(graph.objects(comparison, MEDKG.claim))
        (claim,) = (c for c in claims if "/regimen/" in str(c))
        concept = graph.value(comparison, MEDKG.comparedConcept)
        found[int(str(claim).rsplit("/", 1)[1])] = (
            str(graph.value(comparison, MEDKG.agreement)),
            None if concept is None else str(concept).rsplit("/", 1)[1],
        )
    assert found == {
        1: ("agree", None),  # IV or IM / IV or IM: two routes shared
        2: ("agree", None),
        4: ("differ", None),  # PO
        5: ("differ", None),  # intravitreal
        6: ("agree", "intravenous-route"),
        # 3: a route text is not compared
    }


def _dosing(out: Path, name: str) -> list[tuple[int, JSON]]:
    """(regimen number, Dosage) of every dosing guideline of the MedicationKnowledge."""
    resource = json.loads((out / "fhir" / name).read_text(encoding="utf-8"))
    found = []
    for guideline in resource.get("indicationGuideline", []):
        for dosing in guideline.get("dosingGuideline", []):
            (dosage,) = dosing["dosage"][0]["dosage"]
            node = dosage["extension"][0]["valueUri"]
            found.append((int(node.rsplit("/", 1)[1]), dosage))
    for guideline in resource.get("administrationGuidelines", []):  # R4B
        (dosage,) = guideline["dosage"][0]["dosage"]
        node = dosage["extension"][0]["valueUri"]
        found.append((int(node.rsplit("/", 1)[1]), dosage))
    return found


EXPECTED_ROUTES = [
    (1, {"coding": [coded("78421000")], "text": "intramuscular route"}),
    (1, {"coding": [coded("47625008")], "text": "intravenous route"}),
    (2, {"coding": [coded("78421000")], "text": "intramuscular route"}),
    (2, {"coding": [coded("47625008")], "text": "intravenous route"}),
    (2, {"coding": [coded("34206005")], "text": "subcutaneous route"}),
    (3, {"text": "intraosseous"}),
    (4, {"coding": [coded("26643006")], "text": "oral route"}),
    (5, {"coding": [coded("418401004")], "text": "intravitreal route"}),
    (6, {"coding": [coded("47625008")], "text": "intravenous route"}),
]


def test_fhir_r5_gives_one_dosage_per_route_coded_when_confirmed(out: Path) -> None:
    dosing = _dosing(out, "MedicationKnowledge-drug-tarovicin.json")
    assert [(number, dosage["route"]) for number, dosage in dosing] == EXPECTED_ROUTES
    texts = {dosage["text"] for number, dosage in dosing if number in (1, 3)}
    assert texts == {
        "1 g by intramuscular route; once every 8 hours; at most 6 g per day",
        "1 g by intravenous route; once every 8 hours; at most 6 g per day",
        "500 mg by intraosseous route; once every 12 hours; at most 6 g per day",
    }
    # the two Dosages of one regimen differ by their route and its words only
    first, second = (d for n, d in dosing if n == 1)
    assert {k: v for k, v in first.items() if k not in ("route", "text")} == {
        k: v for k, v in second.items() if k not in ("route", "text")
    }


def test_fhir_r5_activity_definition_carries_the_page_s_routes(out: Path) -> None:
    activity = json.loads(
        (out / "fhir" / "ActivityDefinition-procedure-hcpcs-J9991-j9991.json").read_text()
    )
    routes = [dosage["route"] for dosage in activity["dosage"]]
    # the billed drug's regimens, one Dosage per route, in regimen order
    assert routes == [route for _, route in EXPECTED_ROUTES]


def test_fhir_r4b_keeps_the_routes(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    build([SOURCES], out, BuildOptions(fhir_version="R4B"))
    dosing = _dosing(out, "MedicationKnowledge-drug-tarovicin.json")
    assert [(number, dosage["route"]) for number, dosage in dosing] == EXPECTED_ROUTES


def test_json_ld_lists_routes_and_route_texts_and_validates(out: Path) -> None:
    document = json.loads((out / "medkg.jsonld").read_text(encoding="utf-8"))
    assert schema_problems(document) == []
    (drug,) = (n for n in document["@graph"] if n.get("type") == "Drug")
    found = {
        int(r["id"].rsplit("/", 1)[1]): (
            {x["id"].rsplit("/", 1)[1] for x in r.get("routes", [])},
            set(r.get("routeTexts", [])),
        )
        for r in drug["regimens"]
    }
    assert found == REGIMENS
    (description,) = drug["billingCodeDescriptions"]
    (procedure,) = description["pageProcedures"]
    assert [r["prefLabel"] for r in procedure["procedureRoutes"]] == [
        "intramuscular route",
        "intravenous route",
    ]


def test_the_regimens_query_gives_a_row_per_route(out: Path) -> None:
    store = load_store(out)
    rows = run_query(store, named_queries()["regimens"], {"drug": "tarovicin"}).values()
    assert [(r["route"], r["dose_value"], r["dose_unit"]) for r in rows] == [
        ("intramuscular route", "1.0", "g"),
        ("intravenous route", "1.0", "g"),
        ("intramuscular route", "2.0", "g"),
        ("intravenous route", "2.0", "g"),
        ("subcutaneous route", "2.0", "g"),
        ("intraosseous", "500.0", "mg"),
        ("oral route", "500.0", "mg"),
        ("intravitreal route", "0.5", "mg"),
        ("intravenous route", "750.0", "mg"),
    ]


def test_shapes_refuse_a_made_up_route_concept_and_an_empty_route_text(graph: Graph) -> None:
    made_up = Graph()
    for triple in graph:
        made_up.add(triple)
    made_up.add((regimen(3), SCHEMA.administrationRoute, ID["concept/intraosseous"]))
    outcome = validate_graph(made_up)
    assert not outcome.conforms
    assert {v.shape for v in outcome.violations} == {"msh:routeConcept"}
    empty = Graph()
    for triple in graph:
        empty.add(triple)
    empty.add((regimen(3), MEDKG.routeText, Literal("")))
    outcome = validate_graph(empty)
    assert {v.shape for v in outcome.violations} == {"msh:routeText"}
