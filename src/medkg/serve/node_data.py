"""What the linked-data page of one node shows, read from the store.

A node IRI is bound into the queries below as an IRI term: each query holds
the empty block ``VALUES ?node { }`` at the start of its WHERE clause, which
`bind_node` fills with ``<iri>``. The IRI is accepted only when every
character is one RFC 3986 allows in a path (`node_iri`), so it cannot change
a query's structure. (A trailing VALUES would apply after GROUP BY, where
``?node`` is no longer bound.)

- **description** (Turtle/JSON-LD): the node's concise bounded description,
  i.e. every triple with the node as subject (the graph has no blank nodes).
- **properties**: the same triples, each object with its label;
- **incoming**: triples with the node as object (up to `INCOMING_CAP`);
- **evidence**: the ``medkg:Evidence`` reached by ``medkg:evidence`` or
  ``prov:wasDerivedFrom``, with document, section, quote and offsets.

A label is the first of skos:prefLabel, rdfs:label, schema:name,
dcterms:title, skos:notation, medkg:quote, medkg:fileName (the smallest
value when a property has several).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Literal, URIRef

from medkg.namespaces import ID, PREFIXES, SPARQL_PREFIXES
from medkg.query import Result, Store, run_query

INCOMING_CAP = 500
_PATH_CHARACTERS = re.compile(r"[A-Za-z0-9\-._~%!$&'()*+,;=:@/]+")

_PROLOGUE = SPARQL_PREFIXES
_LABEL_PROPERTIES = (
    "skos:prefLabel",
    "rdfs:label",
    "schema:name",
    "dcterms:title",
    "skos:notation",
    "medkg:quote",
    "medkg:fileName",
)
_LABEL_VARIABLES = [f"?label{index}" for index in range(len(_LABEL_PROPERTIES))]


def _label_of(variable: str) -> str:
    """Graph patterns binding ``?labelN`` for each label property of `variable`."""
    return "\n".join(
        f"  OPTIONAL {{ {variable} {prop} ?label{index} }}"
        for index, prop in enumerate(_LABEL_PROPERTIES)
    )


_LABEL = f"(MIN(COALESCE({', '.join(_LABEL_VARIABLES)})) AS ?label)"

NODE_SLOT = "VALUES ?node { }"

DESCRIPTION = _PROLOGUE + f"CONSTRUCT {{ ?node ?p ?o }} WHERE {{ {NODE_SLOT} ?node ?p ?o }}\n"
PROPERTIES = (
    _PROLOGUE
    + f"SELECT ?p ?o {_LABEL} WHERE {{\n  {NODE_SLOT}\n  ?node ?p ?o .\n{_label_of('?o')}\n}}\n"
    + "GROUP BY ?p ?o ORDER BY ?p ?o\n"
)
INCOMING = (
    _PROLOGUE
    + f"SELECT ?s ?p {_LABEL} WHERE {{\n  {NODE_SLOT}\n  ?s ?p ?node .\n{_label_of('?s')}\n}}\n"
    + "GROUP BY ?s ?p ORDER BY ?p ?s\n"
)
EVIDENCE = (
    _PROLOGUE
    + "SELECT ?evidence ?quote ?document ?file ?section ?start ?end WHERE {\n"
    + f"  {NODE_SLOT}\n"
    + """  ?node medkg:evidence|prov:wasDerivedFrom ?evidence .
  ?evidence a medkg:Evidence ; medkg:quote ?quote .
  OPTIONAL { ?evidence medkg:document ?document OPTIONAL { ?document medkg:fileName ?file } }
  OPTIONAL { ?evidence medkg:sectionName ?section }
  OPTIONAL { ?evidence medkg:start ?start }
  OPTIONAL { ?evidence medkg:end ?end }
}
ORDER BY ?document ?start ?end ?evidence
"""
)


def node_iri(path: str) -> URIRef | None:
    """The node IRI for a path under ``/id/`` (``drug/x`` -> ``…/id/drug/x``), or None if unsafe."""
    if not _PATH_CHARACTERS.fullmatch(path):
        return None
    return URIRef(str(ID) + path)


def bind_node(text: str, iri: URIRef) -> str:
    """`text` with its `NODE_SLOT` filled with `iri` (checked by `node_iri` first)."""
    if not str(iri).startswith(str(ID)) or node_iri(str(iri)[len(str(ID)) :]) != iri:
        raise ValueError(f"not a medkg node IRI: {iri!r}")
    if text.count(NODE_SLOT) != 1:
        raise ValueError(f"the query must hold {NODE_SLOT!r} exactly once")
    return text.replace(NODE_SLOT, f"VALUES ?node {{ <{iri}> }}")


@dataclass(frozen=True)
class Value:
    """One object or subject on a page: an IRI (with its label) or a literal."""

    term: URIRef | Literal
    label: str | None = None


@dataclass(frozen=True)
class EvidenceSpan:
    """Where a fact was read: the quote, its document (IRI, file name), section and offsets."""

    iri: URIRef
    quote: str
    document: URIRef | None
    file: str | None
    section: str | None
    start: int | None
    end: int | None


@dataclass(frozen=True)
class NodeView:
    """Everything a node's HTML page shows."""

    iri: URIRef
    label: str | None
    properties: tuple[tuple[URIRef, Value], ...]
    incoming: tuple[tuple[Value, URIRef], ...]
    incoming_truncated: bool
    evidence: tuple[EvidenceSpan, ...]

    @property
    def types(self) -> tuple[Value, ...]:
        return tuple(value for prop, value in self.properties if prop == _RDF_TYPE)


_RDF_TYPE = URIRef(PREFIXES["rdf"] + "type")
_LABEL_IRIS = [
    URIRef(PREFIXES[name.split(":")[0]] + name.split(":")[1]) for name in _LABEL_PROPERTIES
]


def _run(store: Store, text: str, iri: URIRef, deadline: float | None, cap: int | None) -> Result:
    return run_query(store, bind_node(text, iri), max_rows=cap, deadline=deadline)


def node_description(
    store: Store, iri: URIRef, *, deadline: float | None = None, max_triples: int | None = None
) -> Result:
    """The concise bounded description of `iri` (a graph result; empty when unknown)."""
    return _run(store, DESCRIPTION, iri, deadline, max_triples)


def _value(term: object, label: object) -> Value:
    if not isinstance(term, URIRef | Literal):
        raise TypeError(f"unexpected term on a node page: {term!r}")
    return Value(term, str(label) if label is not None else None)


def _integer(term: object) -> int | None:
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, int):
            return value
    return None


def _own_label(properties: tuple[tuple[URIRef, Value], ...]) -> str | None:
    for label_iri in _LABEL_IRIS:
        found = sorted(str(value.term) for prop, value in properties if prop == label_iri)
        if found:
            return found[0]
    return None


def node_view(store: Store, iri: URIRef, *, deadline: float | None = None) -> NodeView | None:
    """The page contents of `iri`, or None when no triple mentions it."""
    properties = tuple(
        (URIRef(str(row[0])), _value(row[1], row[2]))
        for row in _run(store, PROPERTIES, iri, deadline, None).rows
    )
    incoming_result = _run(store, INCOMING, iri, deadline, INCOMING_CAP)
    incoming = tuple((_value(row[0], row[2]), URIRef(str(row[1]))) for row in incoming_result.rows)
    if not properties and not incoming:
        return None
    evidence = tuple(
        EvidenceSpan(
            iri=URIRef(str(row[0])),
            quote=str(row[1]),
            document=URIRef(str(row[2])) if row[2] is not None else None,
            file=str(row[3]) if row[3] is not None else None,
            section=str(row[4]) if row[4] is not None else None,
            start=_integer(row[5]),
            end=_integer(row[6]),
        )
        for row in _run(store, EVIDENCE, iri, deadline, None).rows
    )
    return NodeView(
        iri=iri,
        label=_own_label(properties),
        properties=properties,
        incoming=incoming,
        incoming_truncated=incoming_result.truncated,
        evidence=evidence,
    )
