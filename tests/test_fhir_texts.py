"""FHIR texts read as sentences: units of time and counted things agree with their numbers,
how often reads as people say it, and a billing calculation names its drug and regimen."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef

from medkg.export.fhir.charge_item import _counted
from medkg.export.fhir.dosage import _timing_text
from medkg.export.fhir.quantities import spoken, unit_words
from medkg.graph.reader import GraphReader
from medkg.namespaces import MEDKG, SCHEMA
from medkg.pipeline.build import build

from .conftest import FIXTURES, SOURCES

TIMING = URIRef("urn:x-test:timing")


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("unitsPerKilogram", 1, "1 unit per kilogram"),
        ("unitsPerKilogram", Decimal("0.8"), "0.8 units per kilogram"),
        ("unitsPerKilogram", 2, "2 units per kilogram"),
        ("administrationsPerCourse", 1, "1 administration per course"),
        ("unitsPerAdministrationMax", 9, "at most 9 units per administration"),
        ("unitsPerAdministrationMin", 1, "at least 1 unit per administration"),
    ],
)
def test_a_calculations_noun_agrees_with_its_number(name: str, value: Decimal, words: str) -> None:
    assert _counted(name, value) == words


@pytest.mark.parametrize(
    ("unit", "one", "words"),
    [
        ("mo", True, "month"),
        ("mo", False, "months"),
        ("h", False, "hours"),
        ("{tablet}", False, "tablets"),
        ("{tablet}", True, "tablet"),
        ("{each}", False, "each"),
        ("mg/kg", False, "mg/kg"),
    ],
)
def test_unit_words(unit: str, one: bool, words: str) -> None:
    assert unit_words(unit, one) == words


def timing(**values: object) -> GraphReader:
    graph = Graph()
    for name, value in values.items():
        graph.add((TIMING, MEDKG[name], Literal(value)))
    return graph  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"frequency": 1, "period": 1, "periodUnit": "mo"}, "once a month"),
        ({"frequency": 2, "period": 1, "periodUnit": "d"}, "twice a day"),
        ({"frequency": 3, "period": 1, "periodUnit": "h"}, "3 times an hour"),
        ({"frequency": 1, "frequencyMax": 2, "period": 1, "periodUnit": "d"}, "1-2 times a day"),
        ({"frequency": 1, "period": 2, "periodUnit": "wk"}, "once every 2 weeks"),
        ({"frequency": 1, "period": 4, "periodMax": 6, "periodUnit": "h"}, "once every 4-6 hours"),
        ({"period": 1, "periodUnit": "d"}, "every day"),
        ({"frequency": 1, "period": 8, "periodUnit": "h", "asNeeded": True},
         "once every 8 hours as needed"),
    ],
)  # fmt: skip
def test_how_often_reads_as_people_say_it(values: dict[str, object], words: str) -> None:
    assert _timing_text(timing(**values), TIMING) == words


def test_a_duration_of_one_is_singular() -> None:
    graph = Graph()
    node = BNode()
    graph.add((node, SCHEMA.value, Literal(1)))
    graph.add((node, SCHEMA.unitCode, Literal("wk")))
    assert spoken(graph, node) == "1 week"  # type: ignore[arg-type]


def test_burosumab_billing_says_which_regimen_and_population_each_figure_is_for(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    corpus = FIXTURES / "corpus"
    build([corpus / "hcpcs" / "J0584.txt", corpus / "monographs" / "burosumab.md", SOURCES], out)
    charge = json.loads(
        (out / "fhir" / "ChargeItemDefinition-code-hcpcs-J0584-j0584.json").read_text("utf-8")
    )
    paragraphs = charge["description"].split("\n\n")
    assert paragraphs[-2:] == [
        "For the regimen of Burosumab (0.8 mg/kg by subcutaneous route; once every 2 weeks; at "
        "most 90 mg per dose; administered by healthcare provider; population: Children (6 "
        "months and older) with XLH): 0.8 units per kilogram.",
        "For the regimen of Burosumab (1 mg/kg by subcutaneous route; once every 4 weeks; at "
        "most 90 mg per dose; administered by healthcare provider; population: Adults with "
        "XLH): 1 unit per kilogram.",
    ]


def test_a_timing_without_a_unit_of_time_says_only_how_often() -> None:
    """A period of 1 with no unit says nothing about it ("once", never "once an")."""
    from rdflib import Graph, Literal, URIRef

    from medkg.export.fhir.dosage import _timing_text
    from medkg.namespaces import MEDKG

    timing = URIRef("https://w3id.org/medkg/id/regimen/x/1/timing")
    graph = Graph()
    graph.add((timing, MEDKG.frequency, Literal(1)))
    graph.add((timing, MEDKG.period, Literal(1)))
    assert _timing_text(graph, timing) == "once"
    graph.add((timing, MEDKG.periodUnit, Literal("h")))
    assert _timing_text(graph, timing) == "once an hour"
