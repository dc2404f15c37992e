"""The published files: Turtle read by a second, independent parser; N-Quads named graphs."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from .conftest import Built

ID = "https://w3id.org/medkg/id/"


def test_turtle_parses_in_a_second_parser_with_the_same_triples(built: Built) -> None:
    store = ox.Store()
    store.load(path=str(built.out / "medkg.ttl"), format=ox.RdfFormat.TURTLE)
    assert len(store) == len(built.graph)
    subjects = {str(q.subject.value) for q in store}
    assert f"{ID}drug/romosozumab" in subjects


def test_nquads_hold_one_graph_per_document_plus_links(built: Built) -> None:
    dataset = Dataset()
    dataset.parse(built.out / "medkg.nq", format="nquads")
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert names == {
        f"{ID}graph/romosozumab-monograph",
        f"{ID}graph/j3111-code-page",
        f"{ID}graph/links",
    }
    monograph = dataset.graph(URIRef(f"{ID}graph/romosozumab-monograph"))
    page = dataset.graph(URIRef(f"{ID}graph/j3111-code-page"))
    assert (URIRef(f"{ID}document/romosozumab-monograph"), None, None) in monograph
    assert (URIRef(f"{ID}document/romosozumab-monograph"), None, None) not in page


def test_union_of_named_graphs_is_the_turtle(built: Built) -> None:
    dataset = Dataset()
    dataset.parse(built.out / "medkg.nq", format="nquads")
    union = Graph()
    for graph in dataset.graphs():
        for triple in graph:
            union.add(triple)
    assert isomorphic(union, built.graph)


def test_nquads_parse_in_a_second_parser(built: Built) -> None:
    store = ox.Store()
    store.load(path=str(built.out / "medkg.nq"), format=ox.RdfFormat.N_QUADS)
    assert len({(q.subject, q.predicate, q.object) for q in store}) == len(built.graph)


def test_validation_report_says_conforms(built: Built) -> None:
    report = Graph()
    report.parse(built.out / "validation-report.ttl", format="turtle")
    query = "ASK { ?r a sh:ValidationReport ; sh:conforms true ; medkg:shapesSha256 ?s }"
    assert report.query(
        query,
        initNs={
            "sh": "http://www.w3.org/ns/shacl#",
            "medkg": "https://w3id.org/medkg/vocab#",
        },
    ).askAnswer
