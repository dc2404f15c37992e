"""The build's SHACL path: a cluster's N-Quads lines loaded into pyoxigraph in one call give
the outcome the rdflib path gives (`validate_rdflib` on the union graph), broken or not."""

from __future__ import annotations

import pytest

from medkg.errors import MedkgError
from medkg.export import nquads
from medkg.export.turtle import union_graph
from medkg.extract import extract_document
from medkg.graph import write_graph
from medkg.graph.quads import Quads
from medkg.link.lexicon import bundled_lexicon
from medkg.namespaces import MEDKG
from medkg.parse import parse_document
from medkg.pipeline.cluster_build import validate_quads
from medkg.read.decode import read_source
from medkg.shacl.engine import validate_nquads, validate_rdflib
from medkg.shacl.loading import store_from_nquads

from .conftest import FIXTURES

MONOGRAPHS = ("ibuprofen.md", "ocrelizumab.md")


def _quads() -> Quads:
    documents = []
    for name in MONOGRAPHS:
        source = read_source(FIXTURES / "corpus" / "monographs" / name)
        documents.append((source, extract_document(parse_document(source.text, source.name))))
    return write_graph(documents, bundled_lexicon()).quads


def _without(quads: Quads, predicate: object) -> Quads:
    kept = Quads()
    for s, p, o, g in quads.quads((None, None, None)):
        if p != predicate:
            kept.add((s, p, o, g))
    return kept


@pytest.mark.parametrize("broken", [False, True])
def test_nquads_give_the_rdflib_path_s_outcome(broken: bool) -> None:
    quads = _quads()
    if broken:  # every document loses its sha256: the shapes require exactly one
        quads = _without(quads, MEDKG.sha256)
    lines = nquads.lines(quads)
    expected = validate_rdflib(union_graph(quads.to_dataset()))
    found = validate_nquads(nquads.render(lines))
    assert found.violations == expected.violations
    assert found.conforms == expected.conforms == (not broken)
    assert validate_quads(quads, lines, "sparql").violations == expected.violations
    if broken:
        assert any("sha256" in v.path for v in found.violations)


def test_the_store_holds_each_quad_in_its_named_graph() -> None:
    quads = _quads()
    store = store_from_nquads(nquads.render(nquads.lines(quads)))
    assert len(store) == len(quads)
    assert {str(g) for g in store.named_graphs()} == {
        f"<{graph.identifier}>" for graph in quads.graphs() if len(graph)
    }


def test_lines_that_are_not_nquads_are_refused() -> None:
    with pytest.raises(MedkgError, match="not RDF the SPARQL engine can load"):
        store_from_nquads(b"<https://w3id.org/medkg/id/a> not a quad .\n")
