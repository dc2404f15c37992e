"""``medkg.jsonld``: the graph as framed JSON-LD, with ``context.jsonld`` and ``medkg.schema.json``.

The rules this exporter keeps:

* **Framed, not dumped.** ``frame.jsonld`` (package data) frames one object per
  ``schema:Drug`` with its facts nested (mechanism steps, regimens with their
  quantities, indications, adverse reactions, contraindications, warnings,
  population guidance, FAQs, the billing codes that bill it with their
  procedures and billing-unit calculations, evidence). Nested nodes are
  embedded wherever they occur (``@embed: @always``), so a consumer never has
  to look a concept up elsewhere. Source documents are never embedded (an
  evidence node names its document by IRI): their triples are left out of the
  framing input and published as top-level nodes.
* **Each drug once.** Inside a drug object, another drug (named by a
  mechanism step, or a component) is written as its IRI: it has its own object.
* **Nothing lost, nothing invented.** Every node whose triples the drug
  objects do not carry (source documents and their sections, identifier
  mappings, cross-source comparisons, concept alignments, ...) follows the drug
  objects in ``@graph`` as a flat node object. The finished document is
  read back to RDF and must give exactly the triples of ``medkg.ttl``;
  otherwise the export fails.
* **Local context only.** The document references ``context.jsonld`` (next to
  it in ``dist/``); every JSON-LD operation goes through `document_loader`,
  which serves that one bundled context and refuses every other URL.
* **A documented shape.** ``medkg.schema.json`` (JSON Schema draft 2020-12)
  describes the document; the tests and ``medkg build --check`` validate the
  output against it with jsonschema (`medkg.export.jsonld_schema`).
* **Deterministic.** Keys sorted, arrays ordered by ``position`` then ``id``,
  UTF-8, two-space indent.

Two paths give the same document. `reference_document` does all JSON-LD
processing (from RDF, framing, compaction, expansion to RDF) with pyld;
`render_document` writes it directly (`medkg.export.jsonld_writer`, many
times faster), reading the written nodes back to triples with the context's
rules, and takes the pyld path for a graph holding something the direct writer
does not write exactly as pyld would (`jsonld_writer.Unsupported`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib import resources
from typing import Any

from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.term import Node

from medkg.errors import ExportInvalid, MedkgError
from medkg.export.jsonld_context import Unsupported
from medkg.export.jsonld_schema import schema_problems as schema_problems
from medkg.export.jsonld_writer import JsonLdWriter
from medkg.graph.quads import Quads, as_quads
from medkg.graph.reader import GraphReader
from medkg.namespaces import BASE, MEDKG, RDF, XSD

DOCUMENT = "medkg.jsonld"
CONTEXT = "context.jsonld"
SCHEMA = "medkg.schema.json"
FRAME = "frame.jsonld"

# The document says "@context": "context.jsonld". Resolved against DOCUMENT_URL
# (the base `processing_options` gives for reading the document) that is
# CONTEXT_URL, the one URL `document_loader` serves, from the bundled file.
DOCUMENT_URL = BASE + DOCUMENT
CONTEXT_URL = BASE + CONTEXT

# Nodes of these types are referenced by IRI inside drug objects, never embedded.
REFERENCE_ONLY_TYPES = (MEDKG.SourceDocument,)

Triple = tuple[Node, Node, Node]
JsonObject = dict[str, Any]


class RemoteDocumentRefused(MedkgError):
    """A JSON-LD operation asked for a document other than medkg's bundled context."""


def bundled(name: str) -> bytes:
    """A file shipped inside ``medkg.export`` (context, frame, schema)."""
    return resources.files("medkg.export").joinpath(name).read_bytes()


def _bundled_json(name: str) -> JsonObject:
    loaded: JsonObject = json.loads(bundled(name))
    return loaded


def context_document() -> JsonObject:
    """The bundled JSON-LD 1.1 context (``{"@context": {...}}``)."""
    return _bundled_json(CONTEXT)


def json_schema() -> JsonObject:
    """The bundled JSON Schema of ``medkg.jsonld``."""
    return _bundled_json(SCHEMA)


def frame_document() -> JsonObject:
    """The bundled frame, with its ``@context`` reference replaced by the context itself.

    Framing with the inline context needs no base IRI; with one, pyld would
    write node IRIs relative to it, and they must stay absolute.
    """
    frame = _bundled_json(FRAME)
    frame["@context"] = context_document()["@context"]
    return frame


def document_loader(url: str, options: object = None) -> JsonObject:
    """pyld document loader: the bundled context for `CONTEXT_URL`, a refusal for anything else.

    medkg never fetches from the network; pass this loader (and
    ``base=DOCUMENT_URL``) to every pyld call on ``medkg.jsonld``.
    """
    if url != CONTEXT_URL:
        raise RemoteDocumentRefused(
            f"{url}: medkg loads no remote JSON-LD documents; only {CONTEXT_URL} is served, "
            f"from the bundled {CONTEXT}"
        )
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": context_document(),
    }


def processing_options() -> JsonObject:
    """pyld options for reading ``medkg.jsonld``: the local loader and the document's base."""
    return {"documentLoader": document_loader, "base": DOCUMENT_URL}


def _rdf_term(term: Node) -> dict[str, str]:
    """One term in pyld's RDF dataset form (what its N-Quads parser would give)."""
    if isinstance(term, Literal):
        literal = {"type": "literal", "value": str(term)}
        if term.language:
            literal |= {"datatype": str(RDF.langString), "language": term.language}
        else:
            literal["datatype"] = str(term.datatype or XSD.string)
        return literal
    if isinstance(term, BNode):
        return {"type": "blank node", "value": f"_:{term}"}
    return {"type": "IRI", "value": str(term)}


def rdf_dataset(triples: Iterable[Triple]) -> dict[str, list[dict[str, dict[str, str]]]]:
    """Triples as pyld's RDF dataset (default graph only), sorted so that output is stable.

    Handing pyld the dataset directly skips its N-Quads parser, whose duplicate
    check is quadratic in the number of triples.
    """
    return {
        "@default": [
            {"subject": _rdf_term(s), "predicate": _rdf_term(p), "object": _rdf_term(o)}
            for s, p, o in sorted(set(triples))
        ]
    }


def expanded_from_rdf(triples: Iterable[Triple]) -> list[JsonObject]:
    """Expanded JSON-LD of some triples (pyld fromRdf; booleans and integers as JSON values)."""
    from pyld import jsonld as pyld  # imported when needed: the direct path never needs it

    expanded: list[JsonObject] = pyld.from_rdf(rdf_dataset(triples), {"useNativeTypes": True})
    return expanded


def _term(term: dict[str, str]) -> Node:
    """A term of pyld's RDF dataset form as rdflib makes it from N-Quads (plain literals
    for xsd:string, language-tagged ones with their tag)."""
    value = term["value"]
    if term["type"] == "IRI":
        return URIRef(value)
    if term["type"] == "blank node":
        return BNode(value[2:] if value.startswith("_:") else value)
    if "language" in term:
        return Literal(value, lang=term["language"])
    datatype = term.get("datatype", str(XSD.string))
    return (
        Literal(value) if datatype == str(XSD.string) else Literal(value, datatype=URIRef(datatype))
    )


def triples_of(document: JsonObject | list[JsonObject]) -> set[Triple]:
    """The RDF triples a JSON-LD document expands to (pyld toRdf, local context only).

    pyld's dataset form is read directly: writing N-Quads and parsing them back
    with rdflib gave the same terms at twice the cost."""
    from pyld import jsonld as pyld

    dataset = pyld.to_rdf(document, processing_options())
    return {
        (_term(q["subject"]), _term(q["predicate"]), _term(q["object"]))
        for quads in dataset.values()
        for q in quads
    }


def _framing_input(graph: GraphReader) -> list[Triple]:
    """Every triple except those of reference-only nodes (so they are never embedded)."""
    hidden = {s for t in REFERENCE_ONLY_TYPES for s in graph.subjects(RDF.type, t)}
    return [triple for triple in graph if triple[0] not in hidden]


def is_drug(node: JsonObject) -> bool:
    types = node.get("type")
    return types == "Drug" or (isinstance(types, list) and "Drug" in types)


def drugs_as_references(value: Any, inside: bool = False) -> Any:
    """Inside a drug object, another drug (a mechanism step naming it) is written as its IRI.

    Every drug has its own top-level object holding all of its triples, so
    nothing is lost; without this, ``@embed: @always`` would copy one drug's
    whole tree into another's.
    """
    if isinstance(value, dict):
        if inside and is_drug(value):
            return value["id"]
        return {key: drugs_as_references(item, True) for key, item in value.items()}
    if isinstance(value, list):
        return [drugs_as_references(item, inside) for item in value]
    return value


def framed_drugs(graph: GraphReader) -> list[JsonObject]:
    """One compacted object per drug, its facts nested as `frame.jsonld` says."""
    from pyld import jsonld as pyld

    framed = pyld.frame(
        expanded_from_rdf(_framing_input(graph)),
        frame_document(),
        {"documentLoader": document_loader, "omitGraph": False, "omitDefault": True},
    )
    return [drugs_as_references(drug) for drug in framed["@graph"]]


def remaining_nodes(graph: GraphReader, carried: set[Triple]) -> list[JsonObject]:
    """Flat compacted node objects for every subject with a triple the drug objects lack."""
    from pyld import jsonld as pyld

    missing = {s for s, p, o in graph if (s, p, o) not in carried}
    if not missing:
        return []
    # fromRdf gives one flat node object per subject: exactly the missing nodes, whole.
    expanded = expanded_from_rdf(triple for triple in graph if triple[0] in missing)
    compacted = pyld.compact(
        {"@graph": expanded},
        context_document()["@context"],
        {"documentLoader": document_loader, "graph": True},
    )
    nodes: list[JsonObject] = compacted["@graph"]
    return nodes


def _order_key(item: object) -> tuple[int, int, int, str, str]:
    if isinstance(item, dict):
        position = item.get("position")
        if not isinstance(position, int) or isinstance(position, bool):
            position = None
        return (
            0,
            0 if position is not None else 1,
            position or 0,
            str(item.get("id", "")),
            json.dumps(item, sort_keys=True, ensure_ascii=False),
        )
    return (1, 0, 0, str(item), "")


def ordered(value: Any) -> Any:
    """The same JSON with every array ordered: by ``position``, then ``id``, then value.

    The graph has no RDF lists, so no array carries an order of its own.
    """
    if isinstance(value, dict):
        return {key: ordered(item) for key, item in value.items()}
    if isinstance(value, list):
        return sorted((ordered(item) for item in value), key=_order_key)
    return value


def _node_id(node: JsonObject) -> str:
    return str(node["id"])


def reference_document(graph: GraphReader) -> JsonObject:
    """The framed document by pyld: drug objects first, then every other node, each group
    by ``id``."""
    drugs = framed_drugs(graph)
    carried = triples_of({"@context": context_document()["@context"], "@graph": drugs})
    rest = remaining_nodes(graph, carried)
    by_id = sorted(ordered(drugs), key=_node_id) + sorted(ordered(rest), key=_node_id)
    return {"@context": CONTEXT, "@graph": by_id}


@lru_cache(maxsize=1)
def direct_writer() -> JsonLdWriter:
    """The direct writer of this module's document (context, frame, reference-only types)."""
    return JsonLdWriter(
        context_document()["@context"],
        _bundled_json(FRAME),
        [str(t) for t in REFERENCE_ONLY_TYPES],
        is_drug,
    )


def render_document(graph: GraphReader) -> JsonObject:
    """The framed document: drug objects first, then every other node, each group by ``id``.

    The same as `reference_document`, written directly; by pyld when the graph
    holds something the direct writer does not write exactly as pyld would."""
    try:
        nodes = direct_writer().write(graph)
    except Unsupported:
        return reference_document(graph)
    return {"@context": CONTEXT, "@graph": nodes}


def _show(triple: Triple) -> str:
    return " ".join(term.n3() for term in triple)


def triple_problems(lost: Iterable[Triple], extra: Iterable[Triple], limit: int = 20) -> list[str]:
    """A "lost triple" line for each of `lost`, then an "extra triple" line for each of
    `extra`, each group sorted; at most `limit` lines, then a count of the rest."""
    problems = [f"lost triple: {_show(t)}" for t in sorted(lost)]
    problems += [f"extra triple: {_show(t)}" for t in sorted(extra)]
    if len(problems) > limit:
        problems = [*problems[:limit], f"... and {len(problems) - limit} more"]
    return problems


def round_trip_problems(document: JsonObject, graph: GraphReader, limit: int = 20) -> list[str]:
    """Triples of `graph` the document does not expand to (pyld), and triples it adds."""
    expanded = triples_of(document)
    expected = set(graph)
    return triple_problems(expected - expanded, expanded - expected, limit)


def written_problems(document: JsonObject, graph: GraphReader, limit: int = 20) -> list[str]:
    """`round_trip_problems`, reading the document with the context's rules
    (`JsonLdWriter.differences`): by pyld only for a document holding what the
    direct writer never writes."""
    try:
        lost, extra = direct_writer().differences(document["@graph"], graph)
    except Unsupported:
        return round_trip_problems(document, graph, limit)
    return triple_problems(lost, extra, limit)


def serialise(value: object) -> bytes:
    """Sorted keys, two-space indent, UTF-8 (not ASCII-escaped), final newline."""
    return (json.dumps(value, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def checked_nodes(graph: GraphReader) -> list[JsonObject]:
    """The ``@graph`` of `render_document`, or `ExportInvalid` naming every problem.

    Fails when the document does not expand to exactly the graph's triples: the
    direct writer reads its nodes back as it writes them (`JsonLdWriter.written`);
    a document of the pyld path is read back by pyld (`round_trip_problems`). The
    schema is not checked here: the tests and ``medkg build --check`` do that
    (`medkg.export.jsonld_schema`).
    """
    try:
        written = direct_writer().written(graph)
    except Unsupported:
        document = reference_document(graph)
        nodes: list[JsonObject] = document["@graph"]
        problems = round_trip_problems(document, graph)
    else:
        nodes = written.nodes
        problems = triple_problems(written.lost, written.extra)
    if problems:
        raise ExportInvalid(DOCUMENT, problems)
    return nodes


def node_text(node: JsonObject) -> bytes:
    """One top-level node as `serialise` writes it, without the final newline."""
    return json.dumps(node, sort_keys=True, indent=2, ensure_ascii=False).encode("utf-8")


def write_document(node_texts: Iterable[bytes], write: Callable[[bytes], object]) -> None:
    """The document of nodes given one at a time (as `node_text`), exactly as `serialise`
    writes ``{"@context": CONTEXT, "@graph": [...]}``."""
    head = json.dumps(CONTEXT, ensure_ascii=False)
    write(f'{{\n  "@context": {head},\n  "@graph": ['.encode())
    separator = b"\n"
    for text in node_texts:
        write(separator + b"    " + text.replace(b"\n", b"\n    "))
        separator = b",\n"
    write(b"\n  ]\n}\n" if separator == b",\n" else b"]\n}\n")


def export(dataset: Quads | Dataset) -> dict[str, bytes]:
    """``medkg.jsonld``, ``context.jsonld`` and ``medkg.schema.json``, or `ExportInvalid`
    (see `checked_nodes`)."""
    chunks: list[bytes] = []
    write_document(
        (node_text(node) for node in checked_nodes(as_quads(dataset).union)), chunks.append
    )
    return {
        DOCUMENT: b"".join(chunks),
        CONTEXT: bundled(CONTEXT),
        SCHEMA: bundled(SCHEMA),
    }
