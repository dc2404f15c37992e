"""Dataset metadata written after every other output: ``void.ttl``, ``README.md``, ``SHA256SUMS``.

These describe the other files (byte sizes, checksums), so they run last, on
the finished ``{path: bytes}`` map. Everything is derived from the dataset
and the files: no clock is read unless ``SOURCE_DATE_EPOCH`` is set.
"""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime

from rdflib import Dataset, Graph, Literal, Namespace, URIRef

from medkg import __version__
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


def void_turtle(dataset: Dataset, files: dict[str, bytes]) -> bytes:
    """VoID + DCAT description of the dataset, its named graphs, sources and distributions."""
    g = Graph()
    for prefix, namespace in (
        ("void", VOID),
        ("dcat", DCAT),
        ("sd", SD),
        ("dcterms", DCTERMS),
        ("medkg", MEDKG),
        ("xsd", XSD),
        ("skos", SKOS),
    ):
        g.bind(prefix, namespace)
    node = ID["dataset"]
    g.add((node, RDF.type, VOID.Dataset))
    g.add((node, RDF.type, DCAT.Dataset))
    g.add((node, DCTERMS.title, Literal("medkg drug knowledge graph")))
    g.add(
        (
            node,
            DCTERMS.description,
            Literal(
                "Drugs, their mechanisms, dosing regimens, risks, billing codes and procedures, "
                "read "
                "from drug monographs and billing-code pages; every fact with its evidence."
            ),
        )
    )
    g.add((node, OWL.versionInfo, Literal(__version__)))
    g.add((node, DCAT.version, Literal(__version__)))
    g.add((node, DCTERMS.license, LICENCE))
    creator = ID["agent/medkg"]
    g.add((node, DCTERMS.creator, creator))
    g.add((creator, RDFS.label, Literal("medkg developers")))
    g.add((node, VOID.uriSpace, Literal(str(ID))))
    g.add((node, VOID.vocabulary, URIRef(str(MEDKG))))
    when = issued()
    if when:
        g.add((node, DCTERMS.issued, Literal(when, datatype=XSD.dateTime)))
    union = Graph()
    for graph in sorted(dataset.graphs(), key=lambda graph: str(graph.identifier)):
        if len(graph) == 0:
            continue
        union += graph
        subset = ID[f"dataset/{str(graph.identifier).removeprefix(str(ID))}"]
        g.add((node, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, SD.name, graph.identifier))
        g.add((subset, VOID.triples, Literal(len(graph), datatype=XSD.integer)))
    g.add((node, VOID.triples, Literal(len(union), datatype=XSD.integer)))
    for document in sorted(set(union.subjects(RDF.type, MEDKG.SourceDocument)), key=str):
        g.add((node, DCTERMS.source, document))
        for prop in (MEDKG.fileName, MEDKG.sha256, DCTERMS.title, DCTERMS.format):
            for value in union.objects(document, prop):
                g.add((document, prop, value))
        g.add((document, DCTERMS.rights, Literal(SOURCE_TERMS)))
    for name in sorted(files):
        media_type, description = describe(name)
        distribution = ID[f"dataset/distribution/{name}"]
        g.add((node, DCAT.distribution, distribution))
        g.add((distribution, RDF.type, DCAT.Distribution))
        g.add((distribution, DCTERMS.title, Literal(name)))
        if description:
            g.add((distribution, DCTERMS.description, Literal(description)))
        g.add((distribution, DCAT.mediaType, URIRef(IANA + media_type)))
        g.add(
            (
                distribution,
                DCAT.byteSize,
                Literal(len(files[name]), datatype=XSD.nonNegativeInteger),
            )
        )
        g.add((distribution, MEDKG.sha256, Literal(hashlib.sha256(files[name]).hexdigest())))
    return g.serialize(format="longturtle", encoding="utf-8")


def readme(files: dict[str, bytes]) -> bytes:
    """A guide to the files of dist/, for someone who only has the folder."""
    lines = [
        "# medkg dataset",
        "",
        f"Built by medkg {__version__}. Generated: do not edit; rebuild with `medkg build`.",
        "Licence of this dataset: CC BY 4.0; the terms of each source are in `void.ttl`.",
        "",
        "| file | media type | what it is |",
        "|---|---|---|",
    ]
    names = sorted(set(files) | set(SELF_DESCRIBING))
    shown: set[str] = set()
    for name in names:
        key = name
        if "/" in name:
            key = name.split("/", 1)[0] + "/"
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
    return "\n".join(lines).encode("utf-8")


def sha256sums(files: dict[str, bytes]) -> bytes:
    """``sha256sum``-compatible lines for every file, sorted by name."""
    return "".join(
        f"{hashlib.sha256(files[name]).hexdigest()}  {name}\n" for name in sorted(files)
    ).encode("utf-8")


def add_metadata(dataset: Dataset, files: dict[str, bytes]) -> dict[str, bytes]:
    """`files` plus void.ttl, README.md and SHA256SUMS (which covers all the others)."""
    finished = dict(files)
    finished["void.ttl"] = void_turtle(dataset, files)
    finished["README.md"] = readme(files)
    finished["SHA256SUMS"] = sha256sums(finished)
    return finished
