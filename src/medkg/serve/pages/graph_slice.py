"""The part of the graph one page shows, fetched by a few queries and read in Python.

`fetch_slice` collects every triple whose subject is within `DEPTH` steps
(outgoing links, one query per step) of a page's roots: the node itself and,
per page kind, a few more nodes (a drug's billing-code descriptions; a code's
regimens). Links no page shows are not followed (`STOPS`: a document's sections
and statements, FAQs; on a drug page also its procedures); a node reached
through one of `LEAVES` (the drug a code bills) has its own triples fetched but
its links are not followed. Triples no page shows (`UNSHOWN`: types, glosses,
identifier matches) are left out; `node_types` asks for a node's types. Every
IRI put in a query is checked first (`medkg.serve.node_data.node_iri`: only
characters RFC 3986 allows in a path), so it cannot change the query's structure.

A `Slice` answers "objects of (s, p)", labels and evidence for the renderers.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from rdflib import URIRef

from medkg.namespaces import PREFIXES, SPARQL_PREFIXES
from medkg.query import Store, run_query
from medkg.query.result import Value
from medkg.serve.node_data import NODE_SLOT, bind_node, node_iri

ID_BASE = PREFIXES["id"]
MEDKG = PREFIXES["medkg"]
SCHEMA = PREFIXES["schema"]
SKOS = PREFIXES["skos"]
RDFS = PREFIXES["rdfs"]
RDF_TYPE = PREFIXES["rdf"] + "type"
PROV_DERIVED = PREFIXES["prov"] + "wasDerivedFrom"

STOPS = frozenset(
    {
        PREFIXES["dcterms"] + "hasPart",
        MEDKG + "statement",
        MEDKG + "faq",
        MEDKG + "encodingRepair",
    }
)
LEAVES = frozenset({MEDKG + "bills"})
KIND_STOPS = {"drug": STOPS | {MEDKG + "procedure"}}
UNSHOWN = (RDF_TYPE, MEDKG + "glossedAs", SKOS + "exactMatch")
DEPTH = 3
_PROLOGUE = SPARQL_PREFIXES

# per page kind: the roots besides the node (a graph pattern binding ?root from ?node)
EXTRA_ROOTS = {
    "drug": "?root medkg:bills ?node",
    "code": "?node medkg:description/medkg:billingCalculation/medkg:regimen ?root",
}


def roots_query(kind: str) -> str:
    """The SELECT ?root of a page kind's extra roots, with the node slot to fill."""
    return _PROLOGUE + f"SELECT DISTINCT ?root WHERE {{ {NODE_SLOT} {EXTRA_ROOTS[kind]} }}\n"


def triples_query(subjects: list[str]) -> str:
    """The SELECT ?s ?p ?o of every triple of `subjects` (IRIs checked by `node_iri`)."""
    listed = " ".join(f"<{subject}>" for subject in subjects)
    return (
        f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {listed} }} ?s ?p ?o "
        f"FILTER(?p NOT IN ({', '.join(f'<{each}>' for each in UNSHOWN)})) }}\n"
    )


TYPES_QUERY = _PROLOGUE + f"SELECT ?type WHERE {{ {NODE_SLOT} ?node a ?type }}\n"


def node_types(store: Store, iri: str, deadline: float | None = None) -> set[str]:
    """The rdf:type IRIs of `iri`."""
    result = run_query(store, bind_node(TYPES_QUERY, URIRef(iri)), deadline=deadline)
    return {cells[0].value for cells in result.cells if cells[0] is not None}


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: the quote, its file, section and character offsets."""

    iri: str
    quote: str
    file: str | None
    section: str | None
    start: int | None
    end: int | None


_LABELS = (
    SKOS + "prefLabel",
    SCHEMA + "name",
    RDFS + "label",
    PREFIXES["dcterms"] + "title",
    SKOS + "notation",
    MEDKG + "fileName",
)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def words_of(iri: str) -> str:
    """A vocabulary IRI's local name as words: ``…#VeryCommon`` -> ``very common``."""
    name = re.split(r"[#/]", iri)[-1]
    return _CAMEL.sub(" ", name).replace("-", " ").lower()


@dataclass
class Slice:
    """Triples by subject and predicate, objects in a stable (sorted) order."""

    node: str
    triples: dict[str, dict[str, list[Value]]] = field(default_factory=dict)

    def objects(self, subject: str, prop: str) -> list[Value]:
        return self.triples.get(subject, {}).get(prop, [])

    def nodes(self, subject: str, prop: str) -> list[str]:
        """The IRIs `subject` links to by `prop`."""
        return [value.value for value in self.objects(subject, prop) if value.kind == "uri"]

    def text(self, subject: str, prop: str) -> str | None:
        """The first literal of `subject` `prop` (lexical form), or None."""
        for value in self.objects(subject, prop):
            if value.kind == "literal":
                return value.value
        return None

    def texts(self, subject: str, prop: str) -> list[str]:
        return [value.value for value in self.objects(subject, prop) if value.kind == "literal"]

    def number(self, subject: str, prop: str) -> Decimal | None:
        found = self.text(subject, prop)
        if found is None:
            return None
        try:
            return Decimal(found)
        except InvalidOperation:
            return None

    def flag(self, subject: str, prop: str) -> bool:
        return self.text(subject, prop) in ("true", "1")

    def has(self, subject: str) -> bool:
        return subject in self.triples

    def label(self, iri: str) -> str:
        """What a person reads for `iri`: its first label in the slice, else its local name
        in words (never the IRI itself)."""
        for prop in _LABELS:
            found = self.text(iri, prop)
            if found:
                return found
        return words_of(iri)

    def evidence(self, fact: str) -> list[Evidence]:
        """The evidence of `fact` (``medkg:evidence`` and ``prov:wasDerivedFrom`` evidence
        nodes with a quote), by file and offsets."""
        spans = []
        for iri in self.nodes(fact, MEDKG + "evidence") + self.nodes(fact, PROV_DERIVED):
            quote = self.text(iri, MEDKG + "quote")
            if quote is None:
                continue
            document = self.nodes(iri, MEDKG + "document")
            start, end = self.number(iri, MEDKG + "start"), self.number(iri, MEDKG + "end")
            spans.append(
                Evidence(
                    iri=iri,
                    quote=quote,
                    file=self.text(document[0], MEDKG + "fileName") if document else None,
                    section=self.text(iri, MEDKG + "sectionName"),
                    start=int(start) if start is not None else None,
                    end=int(end) if end is not None else None,
                )
            )
        unique = {span.iri: span for span in spans}
        return sorted(
            unique.values(), key=lambda span: (span.file or "", span.start or 0, span.iri)
        )

    def position(self, iri: str) -> int:
        found = self.number(iri, SCHEMA + "position")
        return int(found) if found is not None else 0


def _order(value: Value) -> tuple[str, str, str, str]:
    return (value.kind, value.value, value.language or "", value.datatype or "")


def _checked(iri: str) -> bool:
    return iri.startswith(ID_BASE) and node_iri(iri[len(ID_BASE) :]) == URIRef(iri)


def fetch_slice(store: Store, iri: str, kind: str, deadline: float | None = None) -> Slice:
    """The slice of page kind `kind` around `iri` (see the module docstring)."""
    if not _checked(iri):
        raise ValueError(f"not a medkg node IRI: {iri!r}")
    roots = [iri]
    if kind in EXTRA_ROOTS:
        found = run_query(store, bind_node(roots_query(kind), URIRef(iri)), deadline=deadline)
        roots += sorted(
            cells[0].value
            for cells in found.cells
            if cells[0] is not None and _checked(cells[0].value)
        )
    grouped: dict[str, dict[str, list[Value]]] = defaultdict(lambda: defaultdict(list))
    stops = KIND_STOPS.get(kind, STOPS)
    seen = set(roots)
    frontier, leaves = sorted(seen), set()
    for _ in range(DEPTH + 1):
        if not frontier:
            break
        reached: set[str] = set()
        ends: set[str] = set()
        for subject, prop, value in run_query(
            store, triples_query(frontier), deadline=deadline
        ).cells:
            if subject is None or prop is None or value is None:
                continue
            grouped[subject.value][prop.value].append(value)
            if value.kind != "uri" or value.value in seen or subject.value in leaves:
                continue
            if prop.value in LEAVES:
                ends.add(value.value)
            elif prop.value not in stops:
                reached.add(value.value)
        seen |= reached | ends
        leaves = ends - reached
        frontier = sorted(each for each in reached | ends if _checked(each))
    triples = {
        subject: {prop: sorted(values, key=_order) for prop, values in props.items()}
        for subject, props in grouped.items()
    }
    return Slice(node=iri, triples=triples)
