"""KGX records: a node from its subject's N-Quads lines, the edges from a cluster's graph.

A node depends only on its own statements (type, name, synonyms, confirmed
identifiers), so the merge makes it from the merged lines of its subject and an
incremental update from the new lines of a changed subject. An edge is one fact
stated in one document (an indication, adverse reaction, contraindication, or a
mechanism step or effect of the drug), so exactly one cluster renders it. Each
record is one JSON line with ``id`` first and the other keys sorted; the files
sort them by id (`KEY_START`: where the id starts in a line).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from typing import Any

from rdflib import Literal, URIRef
from rdflib.plugins.parsers.ntriples import unquote

from medkg.export import turtle
from medkg.export.kgx.mapping import BiolinkMapping, EdgeKind, bundled_mapping
from medkg.graph.quads import TripleIndex
from medkg.model import PAST_USE
from medkg.namespaces import ID, MEDKG, RDF, RDFS, SCHEMA, SKOS
from medkg.resources import terminology_rows
from medkg.text import normalise_term

KEY_START = len(b'{"id":"')
EXTENSION = "medkg_"  # edge properties outside Biolink start so: the evidence offsets

_NAMES = (str(SCHEMA.name), str(SKOS.prefLabel), str(RDFS.label))
_SYNONYMS = (str(SKOS.altLabel), str(SCHEMA.alternateName))
PAST_USE_LITERAL = Literal(PAST_USE)


def line(record: dict[str, Any]) -> bytes:
    """One JSON line: ``id`` first, the other keys sorted, UTF-8, newline-terminated."""
    rest = {key: value for key, value in record.items() if key != "id"}
    body = json.dumps(rest, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    head = json.dumps({"id": record["id"]}, ensure_ascii=False, separators=(",", ":"))
    return (head[:-1] + ("," + body[1:] if rest else "}") + "\n").encode("utf-8")


def split(data: bytes) -> list[bytes]:
    """The lines of KGX records (newlines kept); only ``\\n`` ends a line."""
    return [part + b"\n" for part in data.split(b"\n")[:-1]]


def key(record_line: bytes) -> bytes:
    """The id of a line `line` wrote."""
    return record_line[KEY_START : record_line.index(b'"', KEY_START)]


def curie(iri: str, mapping: BiolinkMapping | None = None) -> str:
    """The KGX id of a medkg node IRI."""
    mapping = mapping or bundled_mapping()
    return f"{mapping.settings['id_prefix']}:{iri[len(str(ID)) :]}"


def node_line(lines: bytes, mapping: BiolinkMapping | None = None) -> bytes | None:
    """The KGX node of one subject's N-Quads lines (as merged), or None when the
    subject is not a node (not a medkg node, or of no kind in the table)."""
    mapping = mapping or bundled_mapping()
    subject = lines[: lines.index(b" ")].decode("utf-8")[1:-1]
    if not subject.startswith(str(ID)) or not any(t in lines for t in _type_lines(mapping)):
        return None  # most subjects: no kind of node, so their lines are not read
    values: dict[str, set[str]] = {}
    for text in lines.decode("utf-8").split("\n")[:-1]:  # not splitlines: U+2028 in text
        statement = text[: text.rindex(" ", 0, len(text) - 2)]
        _, predicate, value = turtle.split_statement(statement)
        values.setdefault(predicate[1:-1], set()).add(value)
    types = {v[1:-1] for v in values.get(str(RDF.type), ())}
    category = next((c for t, c in mapping.types if str(t) in types), None)
    if not category:  # no kind in the table, or a kind that is not a node
        return None
    matches = sorted(v[1:-1] for v in values.get(str(SKOS.exactMatch), ()) if v[0] == "<")
    category = mapping.category_of_identifiers(matches) or category
    record: dict[str, Any] = {
        "id": curie(subject, mapping),
        "category": [category],
        "provided_by": [mapping.settings["primary_knowledge_source"]],
    }
    name = next((sorted(_texts(values.get(p, ()))) for p in _NAMES if values.get(p)), None)
    if name:
        record["name"] = name[0]
    synonyms = sorted({t for p in _SYNONYMS for t in _texts(values.get(p, ()))})
    if synonyms:
        record["synonym"] = synonyms
    identifiers = sorted({c for c in (mapping.curie(m) for m in matches) if c})
    if identifiers:
        record["equivalent_identifiers"] = identifiers
    return line(record)


def _type_lines(mapping: BiolinkMapping) -> list[bytes]:
    """``<rdf:type> <T>`` of each node type of the table, as N-Quads spell them."""
    return [f"<{RDF.type}> <{kind}> ".encode() for kind, _category in mapping.types]


def _texts(values: Iterable[str]) -> list[str]:
    """The lexical forms of N-Triples literals."""
    texts = []
    for value in values:
        if value.startswith('"'):
            texts.append(unquote(value[1 : value.rindex('"')]))
    return texts


def edge_lines(graph: TripleIndex, mapping: BiolinkMapping | None = None) -> list[bytes]:
    """The KGX edges of a cluster's (union) graph, sorted by id."""
    mapping = mapping or bundled_mapping()
    found: list[tuple[URIRef, URIRef, URIRef, EdgeKind]] = []  # fact, drug, object, kind
    for predicate, kind in mapping.facts.items():
        for drug, _, fact in graph.triples((None, predicate, None)):
            if (fact, MEDKG.qualifier, PAST_USE_LITERAL) in graph:
                continue  # a past use: Biolink has no way to say "was used to treat"
            for target in (MEDKG.condition, MEDKG.reaction):
                for concept in graph.objects(fact, target):
                    if predicate == MEDKG.indication and _is_purpose(graph, concept):
                        continue  # "used as a sedative": sedation is no disease it treats
                    found.append((_ref(fact), _ref(drug), _ref(concept), kind))
    for drug, _, mechanism in graph.triples((None, SCHEMA.mechanismOfAction, None)):
        for step in graph.objects(mechanism, MEDKG.step):
            relation = graph.value(step, MEDKG.relation)
            step_kind = mapping.relations.get(relation) if isinstance(relation, URIRef) else None
            step_target = graph.value(step, MEDKG.object)
            if step_kind is not None and graph.value(step, MEDKG.subject) == drug and step_target:
                found.append((_ref(step), _ref(drug), _ref(step_target), step_kind))
        for effect in graph.objects(mechanism, MEDKG.effect):
            direction = graph.value(effect, MEDKG.direction)
            effect_kind = mapping.effects.get(direction) if isinstance(direction, URIRef) else None
            affected = graph.value(effect, MEDKG.affects)
            if effect_kind is not None and affected is not None:
                found.append((_ref(effect), _ref(drug), _ref(affected), effect_kind))
    lines = [_edge(graph, *item, mapping) for item in found]
    return sorted(set(lines), key=key)


@cache
def _purposes() -> frozenset[str]:
    """The purposes a drug's role names (`use-roles.csv`: sedation, analgesia, diuresis …):
    effects it brings about, never a disease or phenotype it treats."""
    rows = terminology_rows("use-roles.csv", "use-role list", ("word", "kind"))
    return frozenset(row["purpose"].strip() for row in rows if (row.get("purpose") or "").strip())


def _is_purpose(graph: TripleIndex, concept: object) -> bool:
    """Whether an indication's condition is a purpose ("local analgesia"), not a condition."""
    label = graph.value(concept, SKOS.prefLabel) if isinstance(concept, URIRef) else None
    words = normalise_term(str(label)) if label is not None else ""
    return any(words == p or words.endswith(" " + p) for p in _purposes())


def _ref(node: object) -> URIRef:
    if not isinstance(node, URIRef):
        raise TypeError(f"expected an IRI, got {node!r}")
    return node


def _edge(
    graph: TripleIndex,
    fact: URIRef,
    subject: URIRef,
    target: URIRef,
    kind: EdgeKind,
    mapping: BiolinkMapping,
) -> bytes:
    settings = mapping.settings
    record: dict[str, Any] = {
        "id": curie(fact, mapping),
        "category": [kind.association],
        "subject": curie(subject, mapping),
        "predicate": kind.predicate,
        "object": curie(target, mapping),
        "primary_knowledge_source": settings["primary_knowledge_source"],
        "knowledge_level": settings["knowledge_level"],
        "agent_type": settings["agent_type"],
    }
    if kind.aspect:
        record["object_aspect_qualifier"] = kind.aspect
    if kind.direction:
        record["object_direction_qualifier"] = kind.direction
    evidence = []
    for item in graph.objects(fact, MEDKG.evidence):
        document = graph.value(item, MEDKG.document)
        file_name = graph.value(document, MEDKG.fileName) if document is not None else None
        start, end = graph.value(item, MEDKG.start), graph.value(item, MEDKG.end)
        quote = graph.value(item, MEDKG.quote)
        if not (
            isinstance(file_name, Literal)
            and isinstance(start, Literal)
            and isinstance(end, Literal)
            and isinstance(quote, Literal)
            and document is not None
        ):
            continue
        evidence.append(
            (
                str(file_name),
                int(start.toPython()),
                int(end.toPython()),
                str(quote),
                curie(_ref(item), mapping),
                document,
            )
        )
    evidence.sort()
    if evidence:
        record["supporting_text"] = [e[3] for e in evidence]
        record["publications"] = sorted({curie(_ref(e[5]), mapping) for e in evidence})
        record[EXTENSION + "evidence"] = [e[4] for e in evidence]
        record[EXTENSION + "evidence_document"] = [e[0] for e in evidence]
        record[EXTENSION + "evidence_start"] = [e[1] for e in evidence]
        record[EXTENSION + "evidence_end"] = [e[2] for e in evidence]
    return line(record)
