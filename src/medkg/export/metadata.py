"""Dataset metadata written after every other output: ``void.ttl``, ``README.md``, ``SHA256SUMS``.

These describe the other files (byte sizes, checksums), so they are made last,
from `FileInfo` (size, sha256) of every other file and the `DatasetFacts`
(triples per named graph, distinct triples, source documents) — which the
merge of export fragments gathers without the whole graph, and
`dataset_facts` reads from a built dataset. Everything is derived from the
dataset and the files: no clock is read unless ``SOURCE_DATE_EPOCH`` is set.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources

from rdflib import Dataset, Namespace, URIRef

from medkg import __version__
from medkg.export.nquads import term
from medkg.export.turtle import TurtleWriter, iri, literal, split_statement
from medkg.graph.quads import Quads, as_quads
from medkg.graph.reader import GraphReader
from medkg.namespaces import DCTERMS, ID, MEDKG, OWL, RDF, RDFS, SKOS, XSD

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
IANA = "https://www.iana.org/assignments/media-types/"

LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
SOURCE_TERMS = (
    "The source document states no licence or terms of use; medkg redistributes the "
    "facts read from it with their evidence. Check the terms of the original publisher "
    "before reuse."
)
DATASET_DESCRIPTION = (
    "Drugs, their mechanisms, dosing regimens, risks, billing codes and procedures, read "
    "from drug monographs and billing-code pages; every fact with its evidence."
)
SOURCE_PROPERTIES = (MEDKG.fileName, MEDKG.sha256, DCTERMS.title, DCTERMS.format)
VOID_PREFIXES = {
    "void": str(VOID),
    "dcat": str(DCAT),
    "sd": str(SD),
    "dcterms": str(DCTERMS),
    "medkg": str(MEDKG),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
}

# file name (or folder prefix) -> (media type, what it is)
DESCRIPTIONS: dict[str, tuple[str, str]] = {
    "medkg.ttl": ("text/turtle", "The whole knowledge graph as sorted Turtle."),
    "medkg.nq": (
        "application/n-quads",
        "The graph as N-Quads: one named graph per source document plus id/graph/links "
        "(concepts, identifier mappings, alignments, derived facts).",
    ),
    "medkg.jsonld": (
        "application/ld+json",
        "Framed JSON-LD: one object per drug with its facts nested (see context.jsonld).",
    ),
    "context.jsonld": ("application/ld+json", "The JSON-LD 1.1 context of medkg.jsonld."),
    "medkg.schema.json": (
        "application/schema+json",
        "JSON Schema (draft 2020-12) that medkg.jsonld is validated against.",
    ),
    "validation-report.ttl": (
        "text/turtle",
        "The SHACL validation report of this build (conforms, triples validated, shapes checksum).",
    ),
    "fhir/": (
        "application/fhir+json",
        "FHIR resources (R5, or R4B with --fhir-version R4B), one per file, and bundle.json.",
    ),
    "kgx/": (
        "application/jsonl",
        "KGX JSON Lines with Biolink Model 4.4.6 categories and predicates: "
        "medkg_nodes.jsonl (drugs, procedures, concepts) and medkg_edges.jsonl (indications, "
        "adverse reactions, contraindications, mechanism steps and effects, with their evidence).",
    ),
    "build-report.json": (
        "application/json",
        "What happened to each source document (built, skipped with the reason, failed with "
        "the error), facts by kind, totals, and the share of reaction/condition terms mapped "
        "to standard identifiers.",
    ),
    "void.ttl": ("text/turtle", "This dataset's description: VoID and DCAT."),
    "SHA256SUMS": ("text/plain", "sha256 of every other file, for `sha256sum -c SHA256SUMS`."),
    "README.md": ("text/markdown", "This guide."),
}
SELF_DESCRIBING = ("void.ttl", "SHA256SUMS", "README.md")
GUIDE = "dist-guide.md"  # package data: how to use the files, after the table of them


def describe(name: str) -> tuple[str, str]:
    if name in DESCRIPTIONS:
        return DESCRIPTIONS[name]
    for prefix, description in DESCRIPTIONS.items():
        if prefix.endswith("/") and name.startswith(prefix):
            return description
    return ("application/octet-stream", "")


def issued() -> str | None:
    """The build date from SOURCE_DATE_EPOCH, or None (reproducible builds carry no clock)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    return datetime.fromtimestamp(int(epoch), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class FileInfo:
    """What the metadata says about one output file: its size in bytes and its sha256."""

    size: int
    sha256: str

    @classmethod
    def of(cls, data: bytes) -> FileInfo:
        return cls(len(data), hashlib.sha256(data).hexdigest())


@dataclass(frozen=True)
class DatasetFacts:
    """What ``void.ttl`` says about the graph: triples per named graph, distinct triples
    of their union, and N-Triples statements (``<s> <p> o``, no final `` .``) giving each
    source document's `SOURCE_PROPERTIES`."""

    graphs: Mapping[str, int]
    triples: int
    sources: Sequence[str]


def dataset_facts(dataset: Quads | Dataset) -> DatasetFacts:
    """The `DatasetFacts` of built quads (an rdflib `Dataset` is converted)."""
    quads = as_quads(dataset)
    graphs = {str(graph.identifier): len(graph) for graph in quads.graphs() if len(graph)}
    return DatasetFacts(graphs, len(quads.union), source_statements(quads.union))


def source_statements(graph: GraphReader) -> list[str]:
    """N-Triples statements of each source document's `SOURCE_PROPERTIES` in `graph`, sorted."""
    described: set[str] = set()
    for document in set(graph.subjects(RDF.type, MEDKG.SourceDocument)):
        for prop in SOURCE_PROPERTIES:
            for value in graph.objects(document, prop):
                described.add(f"{term(document)} {term(prop)} {term(value)}")
    return sorted(described)


def _describe_dataset(node: str) -> list[tuple[str, str, str]]:
    statements = [
        (node, iri(RDF.type), iri(VOID.Dataset)),
        (node, iri(RDF.type), iri(DCAT.Dataset)),
        (node, iri(DCTERMS.title), literal("medkg drug knowledge graph")),
        (node, iri(DCTERMS.description), literal(DATASET_DESCRIPTION)),
        (node, iri(OWL.versionInfo), literal(__version__)),
        (node, iri(DCAT.version), literal(__version__)),
        (node, iri(DCTERMS.license), iri(LICENCE)),
        (node, iri(DCTERMS.creator), iri(ID["agent/medkg"])),
        (iri(ID["agent/medkg"]), iri(RDFS.label), literal("medkg developers")),
        (node, iri(VOID.uriSpace), literal(str(ID))),
        (node, iri(VOID.vocabulary), iri(URIRef(str(MEDKG)))),
    ]
    when = issued()
    if when:
        statements.append((node, iri(DCTERMS.issued), literal(when, XSD.dateTime)))
    return statements


def void_statements(facts: DatasetFacts, files: Mapping[str, FileInfo]) -> list[str]:
    """VoID + DCAT description of the dataset, its named graphs, sources and distributions,
    as sorted N-Triples statements."""
    node = iri(ID["dataset"])
    statements = _describe_dataset(node)
    for name, count in facts.graphs.items():
        subset = iri(ID[f"dataset/{name.removeprefix(str(ID))}"])
        statements += [
            (node, iri(VOID.subset), subset),
            (subset, iri(RDF.type), iri(VOID.Dataset)),
            (subset, iri(SD.name), iri(URIRef(name))),
            (subset, iri(VOID.triples), literal(str(count), XSD.integer)),
        ]
    statements.append((node, iri(VOID.triples), literal(str(facts.triples), XSD.integer)))
    lines = [" ".join(statement) for statement in statements]
    documents = {split_statement(line)[0] for line in facts.sources}
    for document in documents:
        lines.append(f"{node} {iri(DCTERMS.source)} {document}")
        lines.append(f"{document} {iri(DCTERMS.rights)} {literal(SOURCE_TERMS)}")
    lines += facts.sources
    for name, info in files.items():
        media_type, description = describe(name)
        distribution = iri(ID[f"dataset/distribution/{name}"])
        described = [
            (node, iri(DCAT.distribution), distribution),
            (distribution, iri(RDF.type), iri(DCAT.Distribution)),
            (distribution, iri(DCTERMS.title), literal(name)),
            (distribution, iri(DCAT.mediaType), iri(URIRef(IANA + media_type))),
            (distribution, iri(DCAT.byteSize), literal(str(info.size), XSD.nonNegativeInteger)),
            (distribution, iri(MEDKG.sha256), literal(info.sha256)),
        ]
        if description:
            described.append((distribution, iri(DCTERMS.description), literal(description)))
        lines += [" ".join(statement) for statement in described]
    return sorted(set(lines))


def void_of(facts: DatasetFacts, files: Mapping[str, FileInfo]) -> bytes:
    """``void.ttl`` (see `void_statements`), written by `TurtleWriter` with the VoID prefixes."""
    chunks: list[bytes] = []
    writer = TurtleWriter(chunks.append, VOID_PREFIXES)
    writer.add_all(void_statements(facts, files))
    writer.close()
    return b"".join(chunks)


def void_turtle(dataset: Quads | Dataset, files: Mapping[str, bytes]) -> bytes:
    """``void.ttl`` of a built dataset and the other files."""
    return void_of(dataset_facts(dataset), {n: FileInfo.of(d) for n, d in files.items()})


def readme(names: Iterable[str]) -> bytes:
    """A guide to the files of dist/ (the given names and `SELF_DESCRIBING`), for someone
    who only has the folder."""
    lines = [
        "# medkg dataset",
        "",
        f"Built by medkg {__version__}. Generated: do not edit; rebuild with `medkg build`.",
        "Licence of this dataset: CC BY 4.0; the terms of each source are in `void.ttl`.",
        "",
        "| file | media type | what it is |",
        "|---|---|---|",
    ]
    shown: set[str] = set()
    for name in sorted(set(names) | set(SELF_DESCRIBING)):
        key = name.split("/", 1)[0] + "/" if "/" in name else name
        if key in shown:
            continue
        shown.add(key)
        media_type, description = describe(name)
        lines.append(f"| `{key}` | {media_type} | {description} |")
    lines += [
        "",
        "Check the files: `sha256sum -c SHA256SUMS`.",
        "Identifiers: every node is under https://w3id.org/medkg/id/; terms under "
        "https://w3id.org/medkg/vocab#.",
        "",
    ]
    guide = resources.files("medkg.export").joinpath(GUIDE).read_text(encoding="utf-8")
    return ("\n".join(lines) + "\n" + guide).encode("utf-8")


def sha256sums_of(files: Mapping[str, FileInfo]) -> bytes:
    """``sha256sum``-compatible lines for every file, sorted by name."""
    return "".join(f"{files[name].sha256}  {name}\n" for name in sorted(files)).encode("utf-8")


def sha256sums(files: Mapping[str, bytes]) -> bytes:
    return sha256sums_of({name: FileInfo.of(data) for name, data in files.items()})


def add_metadata(dataset: Quads | Dataset, files: dict[str, bytes]) -> dict[str, bytes]:
    """`files` plus void.ttl, README.md and SHA256SUMS (which covers all the others)."""
    finished = dict(files)
    finished["void.ttl"] = void_turtle(dataset, files)
    finished["README.md"] = readme(files)
    finished["SHA256SUMS"] = sha256sums(finished)
    return finished
