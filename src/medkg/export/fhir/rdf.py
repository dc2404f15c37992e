"""Reading the graph for the FHIR export: small, typed accessors over an rdflib GraphReader.

Every value the FHIR resources carry is read through these functions, so the
export never depends on anything but the graph. Multi-valued properties are
always returned sorted, so the output does not depend on rdflib's set order.
"""

from __future__ import annotations

from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.term import Node

from medkg.graph.reader import GraphReader
from medkg.namespaces import MEDKG, SCHEMA, SKOS


def iris(graph: GraphReader, subject: Node, prop: URIRef) -> list[URIRef]:
    """The IRI objects of `subject prop ?o`, sorted."""
    return sorted(o for o in set(graph.objects(subject, prop)) if isinstance(o, URIRef))


def iri(graph: GraphReader, subject: Node, prop: URIRef) -> URIRef | None:
    """The first IRI object of `subject prop ?o` (sorted), or None."""
    found = iris(graph, subject, prop)
    return found[0] if found else None


def subjects(graph: GraphReader, prop: URIRef, obj: Node) -> list[URIRef]:
    """The IRI subjects of `?s prop obj`, sorted."""
    return sorted(s for s in set(graph.subjects(prop, obj)) if isinstance(s, URIRef))


def texts(graph: GraphReader, subject: Node, prop: URIRef) -> list[str]:
    """The literal objects of `subject prop ?o` as strings, sorted."""
    return sorted(str(o) for o in set(graph.objects(subject, prop)) if isinstance(o, Literal))


def text(graph: GraphReader, subject: Node, prop: URIRef) -> str | None:
    """The first literal object (sorted) as a string, or None."""
    found = texts(graph, subject, prop)
    return found[0] if found else None


def number(graph: GraphReader, subject: Node, prop: URIRef) -> float | int | None:
    """A numeric literal as a JSON number: integers stay int, decimals become float."""
    for obj in sorted(set(graph.objects(subject, prop)), key=str):
        if not isinstance(obj, Literal):
            continue
        value = obj.toPython()
        if isinstance(value, bool):
            continue
        if isinstance(value, int):
            return value
        if isinstance(value, Decimal | float):
            return float(value)
    return None


def flag(graph: GraphReader, subject: Node, prop: URIRef) -> bool | None:
    """A boolean literal, or None when the graph does not say."""
    for obj in set(graph.objects(subject, prop)):
        if isinstance(obj, Literal) and isinstance(obj.toPython(), bool):
            return bool(obj.toPython())
    return None


def label(graph: GraphReader, node: Node) -> str:
    """What to call a node: skos:prefLabel, schema:name or schema:text, else its IRI."""
    for prop in (SKOS.prefLabel, SCHEMA.name, SCHEMA.text):
        found = text(graph, node, prop)
        if found:
            return found
    return str(node)


def documents(graph: GraphReader, node: Node) -> list[URIRef]:
    """The source documents a fact was read from (through its medkg:evidence), sorted."""
    found = {
        document
        for evidence in iris(graph, node, MEDKG.evidence)
        for document in iris(graph, evidence, MEDKG.document)
    }
    found.update(iris(graph, node, MEDKG.statedIn))
    return sorted(found)


def ordered_texts(graph: GraphReader, subject: Node, prop: URIRef) -> list[str]:
    """The schema:text of the statements `subject prop ?s`, in schema:position order."""

    def position(node: URIRef) -> tuple[float, str]:
        pos = number(graph, node, SCHEMA.position)
        return (float(pos) if pos is not None else float("inf"), str(node))

    found = []
    for node in sorted(iris(graph, subject, prop), key=position):
        value = text(graph, node, SCHEMA.text)
        if value:
            found.append(value)
    return found
