"""Source documents -> triples: file, checksum, format, sections, repairs, statements."""

from __future__ import annotations

from rdflib import Literal

from medkg.graph.writer import GraphWriter, local
from medkg.model import Extraction, Mention
from medkg.namespaces import DCTERMS, ID, MEDKG, RDF, RDFS, SCHEMA, XSD
from medkg.read.decode import SourceText
from medkg.text import slug

MEDIA_TYPES = {"monograph": "text/markdown", "code-page": "text/plain"}


def write_document(writer: GraphWriter, source: SourceText, extraction: Extraction) -> None:
    """The SourceDocument node of one file, its sections and its kept statements."""
    document = extraction.document
    g = writer.graph(source.name)
    node = writer.document_iri(source.name)
    g.add((node, RDF.type, MEDKG.SourceDocument))
    g.add((node, DCTERMS.title, Literal(document.title)))
    g.add((node, MEDKG.fileName, Literal(source.name)))
    g.add((node, MEDKG.sha256, Literal(source.sha256)))
    g.add((node, MEDKG.byteSize, Literal(source.size, datatype=XSD.integer)))
    g.add((node, MEDKG.documentFormat, Literal(document.format)))
    g.add((node, DCTERMS.format, Literal(MEDIA_TYPES[document.format])))
    for position, section in enumerate(document.sections, start=1):
        part = ID[f"{local(node)}/section/{position}-{slug(section.name)}"]
        g.add((node, DCTERMS.hasPart, part))
        g.add((part, RDF.type, MEDKG.Section))
        g.add((part, RDFS.label, Literal(section.name)))
        g.add((part, MEDKG.heading, Literal(section.heading)))
        g.add((part, SCHEMA.position, Literal(position, datatype=XSD.integer)))
        g.add((part, MEDKG.start, Literal(section.start, datatype=XSD.integer)))
        g.add((part, MEDKG.end, Literal(section.end, datatype=XSD.integer)))
    for repair in source.repairs:
        fix = ID[f"{local(node)}/repair/{repair.start}"]
        g.add((node, MEDKG.encodingRepair, fix))
        g.add((fix, RDF.type, MEDKG.EncodingRepair))
        g.add((fix, MEDKG.found, Literal(repair.found)))
        g.add((fix, MEDKG.repaired, Literal(repair.repaired)))
        g.add((fix, MEDKG.start, Literal(repair.start, datatype=XSD.integer)))
    for statement in extraction.statements:
        ev = statement.evidence
        text = Mention(text=ev.quote, evidence=ev)
        kept = writer.statement(
            g, ID[f"{local(node)}/statement/{ev.start}-{ev.end}"], statement.kind, text
        )
        g.add((node, MEDKG.statement, kept))
