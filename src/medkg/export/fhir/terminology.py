"""Code systems of the FHIR export and the codings of graph concepts.

A coding is written only for an identifier the graph confirms: a
``skos:exactMatch`` of the concept that has a ``medkg:IdentifierMapping``
(with its scheme and notation), in a scheme whose FHIR system URI is listed in
``code-systems.csv`` next to this module (taken from the shared
``terminology/code-systems.csv`` and HL7's terminology, each row with its
source). A scheme without a confirmed FHIR system (DrugBank: HL7 publishes
none) gives no coding; the concept keeps its text.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rdflib import URIRef
from rdflib.term import Node

from medkg.errors import ResourceMissing
from medkg.export.fhir.rdf import iris, label, subjects, text
from medkg.export.fhir.resource import JSON
from medkg.graph.reader import GraphReader
from medkg.namespaces import MEDKG, SKOS

UCUM = "http://unitsofmeasure.org"  # shared/terminology/code-systems.csv (UCUM)
PUBLICATION_STATUS = "http://hl7.org/fhir/publication-status"  # FHIR R5 PublicationStatus
# THO CodeSystem adverse-event-seriousness: codes "serious", "non-serious".
SERIOUSNESS = "http://terminology.hl7.org/CodeSystem/adverse-event-seriousness"
TABLE = "code-systems.csv"


@dataclass(frozen=True)
class CodeSystem:
    """A scheme of the graph (``medkg:scheme``) and how FHIR names it."""

    scheme: str
    fhir_system: str
    code_form: str  # "local": the notation without its prefix; "curie": the notation as is
    source: str

    def code(self, notation: str) -> str:
        if self.code_form == "local" and ":" in notation:
            return notation.split(":", 1)[1]
        return notation


@lru_cache(maxsize=1)
def code_systems() -> dict[str, CodeSystem]:
    """The package's table of FHIR code systems, keyed by scheme name."""
    try:
        data = resources.files("medkg.export.fhir").joinpath(TABLE).read_text(encoding="utf-8")
    except FileNotFoundError as missing:
        raise ResourceMissing(
            f"medkg/export/fhir/{TABLE} is missing from the medkg install; reinstall medkg"
        ) from missing
    table = {}
    for row in csv.DictReader(io.StringIO(data)):
        system = CodeSystem(row["scheme"], row["fhir_system"], row["code_form"], row["source"])
        table[system.scheme] = system
    return table


def system_for_uri(uri: str) -> CodeSystem | None:
    """The code system whose FHIR URI is `uri` (a billing code's ``skos:inScheme``)."""
    for system in code_systems().values():
        if system.fhir_system == uri:
            return system
    return None


def confirmed_codings(graph: GraphReader, node: Node) -> list[JSON]:
    """Codings for the identifiers the graph confirms for `node` (sorted by system, code).

    An identifier counts when it is a ``skos:exactMatch`` of `node` and a
    ``medkg:IdentifierMapping`` records it (mapped node, identifier,
    ``skos:exactMatch`` as the mapping property, scheme, notation). A coding has no
    display: that is the code system's own wording for the code, which the graph does not
    record; the concept's name is the CodeableConcept's text.
    """
    codings: list[JSON] = []
    exact = set(iris(graph, node, SKOS.exactMatch))
    for mapping in subjects(graph, MEDKG.mappedNode, node):
        target = graph.value(mapping, MEDKG.mappedIdentifier)
        if target not in exact or graph.value(mapping, MEDKG.mappingProperty) != SKOS.exactMatch:
            continue
        scheme = text(graph, mapping, MEDKG.scheme)
        notation = text(graph, mapping, SKOS.notation)
        system = code_systems().get(scheme or "")
        if system is None or not notation:
            continue
        codings.append({"system": system.fhir_system, "code": system.code(notation)})
    return sorted(codings, key=lambda c: (c["system"], c["code"]))


def concept(graph: GraphReader, node: URIRef, text_value: str | None = None) -> JSON:
    """A CodeableConcept for a graph concept: its label as text, plus its confirmed codings."""
    codeable: JSON = {"text": text_value or label(graph, node)}
    codings = confirmed_codings(graph, node)
    if codings:
        codeable["coding"] = codings
    return codeable


def text_concept(value: str) -> JSON:
    """A CodeableConcept that is only text (nothing to code it with)."""
    return {"text": value}


def active_status() -> JSON:
    """``active`` (PublicationStatus) as a CodeableConcept, as ClinicalUseDefinition.status is."""
    return {"coding": [{"system": PUBLICATION_STATUS, "code": "active", "display": "Active"}]}


def retired_status() -> JSON:
    """``retired`` (PublicationStatus: withdrawn, no longer to be used) as a CodeableConcept."""
    return {"coding": [{"system": PUBLICATION_STATUS, "code": "retired", "display": "Retired"}]}


def seriousness(serious: bool) -> JSON:
    """The classification of an undesirable effect the document calls serious or not serious."""
    code, display = ("serious", "Serious") if serious else ("non-serious", "Non-serious")
    return {
        "coding": [{"system": SERIOUSNESS, "code": code, "display": display}],
        "text": code,
    }
