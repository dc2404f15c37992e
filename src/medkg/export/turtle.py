"""``medkg.ttl``: the union of all named graphs as sorted, diff-friendly Turtle."""

from __future__ import annotations

from rdflib import Dataset, Graph

from medkg.namespaces import PREFIXES

FILE = "medkg.ttl"


def union_graph(dataset: Dataset) -> Graph:
    """Every triple of every named graph in one graph, with medkg's prefixes bound."""
    union = Graph()
    for prefix, namespace in PREFIXES.items():
        union.bind(prefix, namespace, override=True, replace=True)
    for graph in dataset.graphs():
        for triple in graph:
            union.add(triple)
    return union


def serialise(graph: Graph) -> bytes:
    """Turtle with subjects and predicates sorted (rdflib's long-form Turtle)."""
    return graph.serialize(format="longturtle", encoding="utf-8")


def export(dataset: Dataset) -> dict[str, bytes]:
    return {FILE: serialise(union_graph(dataset))}
