"""`render_fragment`: one cluster's quads -> its checked `Fragment` (run in a worker).

Everything that needs pyld or fhir.resources happens here, on the cluster's
quads only (`medkg.graph.quads.Quads`, read through their union): the N-Quads
lines and Turtle blocks of each subject (`.graph_part`); the JSON-LD top-level
nodes, i.e. the framed document of the cluster checked by
`medkg.export.jsonld.checked_nodes` (it expands to exactly the cluster's
triples and validates against the schema, whose rules apply to each top-level
node on its own), with their `.nodes.copies`; the FHIR resources, validated
one by one (`.fhir_files`); the KGX edges (`medkg.export.kgx`); the
reaction/condition concepts for the build report and the source documents for
``void.ttl``.
"""

from __future__ import annotations

from rdflib import Dataset, Literal

from medkg.export import jsonld, kgx, nquads
from medkg.export.build_report import mapped_concepts
from medkg.export.metadata import source_statements
from medkg.graph.quads import Quads, as_quads
from medkg.namespaces import MEDKG, RDF
from medkg.pipeline.fragments.fhir_files import fhir_files
from medkg.pipeline.fragments.graph_part import graph_part
from medkg.pipeline.fragments.model import Fragment, JsonLdNode
from medkg.pipeline.fragments.nodes import copies

DEFAULT_FHIR_VERSION = "R5"


def render_fragment(
    data: Quads | Dataset, fhir_version: str = DEFAULT_FHIR_VERSION, lines: list[str] | None = None
) -> Fragment:
    """The fragment of one cluster (or of any quads: the whole corpus is one fragment; an
    rdflib `Dataset` is converted first: the reference path and tests).

    `lines` are the quads' `medkg.export.nquads.lines` when the caller has them already.

    Raises `medkg.errors.ExportInvalid` when the cluster's JSON-LD or a FHIR
    resource does not validate, and ValueError for an unknown FHIR version.
    """
    quads = as_quads(data)
    graph = quads.union
    resources, needs = fhir_files(graph, fhir_version)
    roots = jsonld.checked_nodes(graph)
    nodes = tuple(JsonLdNode(str(n["id"]), jsonld.is_drug(n), jsonld.node_text(n)) for n in roots)
    lines = lines if lines is not None else nquads.lines(quads)
    documents = sorted(
        str(name)
        for document in graph.subjects(RDF.type, MEDKG.SourceDocument)
        for name in graph.objects(document, MEDKG.fileName)
        if isinstance(name, Literal)
    )
    return Fragment(
        documents=tuple(documents),
        fhir_version=fhir_version,
        graph=graph_part(lines),
        sources=tuple(source_statements(graph)),
        concepts=tuple(sorted(mapped_concepts(graph).items())),
        nodes=nodes,
        copies=tuple(copies(roots)),
        fhir=tuple(resources),
        fhir_needs=tuple(needs),
        kgx_edges=b"".join(kgx.edge_lines(graph)),
    )
