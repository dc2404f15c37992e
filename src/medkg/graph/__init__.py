"""Stage 5, graph: facts -> RDF quads with deterministic IRIs and no blank nodes.

One named graph per source document (what that document says), and one
named graph, ``id/graph/links``, for concepts, identifier mappings,
alignments and derived facts. The build keeps them in `medkg.graph.quads.Quads`
(plain dicts); `build_dataset` gives them as an rdflib `Dataset` for the
reference path and the tests.
"""

from __future__ import annotations

from collections.abc import Sequence

from rdflib import Dataset

from medkg.graph.code_facts import CodeFacts
from medkg.graph.derived import write_derived
from medkg.graph.documents import write_document
from medkg.graph.drug_facts import DrugFacts
from medkg.graph.writer import LINKS_GRAPH, GraphWriter, graph_iri
from medkg.link.lexicon import Lexicon
from medkg.link.linker import Linker
from medkg.model import Extraction
from medkg.read.decode import SourceText

__all__ = ["LINKS_GRAPH", "GraphWriter", "build_dataset", "graph_iri", "write_graph"]


def build_dataset(
    documents: Sequence[tuple[SourceText, Extraction]],
    lexicon: Lexicon,
    shared: frozenset[str] = frozenset(),
) -> Dataset:
    """The rdflib dataset of a set of (source, extraction) pairs (the reference path);
    `shared` are the file names whose document IRIs carry a digest
    (`medkg.pipeline.sources.shared_names`)."""
    return write_graph(documents, lexicon, shared).dataset


def write_graph(
    documents: Sequence[tuple[SourceText, Extraction]],
    lexicon: Lexicon,
    shared: frozenset[str] = frozenset(),
) -> GraphWriter:
    """The writer that wrote the documents' quads (`GraphWriter.quads`, in a stable order):
    the quads, and which fact each fact node states (`GraphWriter.origins`, see
    `medkg.graph.origins`)."""
    ordered = sorted(documents, key=lambda pair: pair[0].name)
    linker = Linker(lexicon, [extraction for _, extraction in ordered])
    writer = GraphWriter(linker, lexicon, shared)
    writer.prefer_drug_labels([extraction for _, extraction in ordered])
    for source, extraction in ordered:
        write_document(writer, source, extraction)
        DrugFacts(writer, extraction).write()
        CodeFacts(writer, extraction).write()
    write_derived(writer)
    return writer
