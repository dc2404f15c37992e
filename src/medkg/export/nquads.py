"""``medkg.nq``: N-Quads, one named graph per source document plus the links graph, lines sorted.

Each line is the N-Triples line of a statement (as rdflib's N-Triples
serialiser writes it: `term`) with the graph's IRI before the final `` .``;
the file is the sorted, distinct lines, each ending in a newline (an empty
dataset gives a single newline). The lines are made straight from the build's
`medkg.graph.quads.Quads`, each term rendered once.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Dataset, Literal, URIRef
from rdflib.term import Node

from medkg.graph.quads import Quads, as_quads

FILE = "medkg.nq"


def term(node: Node) -> str:
    """`node` as an N-Triples term: ``<iri>``, ``_:label`` or a literal with ``\\``,
    line feed, ``"`` and carriage return escaped, then ``@lang`` or ``^^<datatype>``
    (other characters, non-ASCII too, as they are). An IRI N-Triples cannot hold
    (a space, ``<``, ``>``, ``"`` …) raises, as rdflib's serialiser does."""
    if isinstance(node, Literal):
        text = (
            str(node)
            .replace("\\", "\\\\")
            .replace("\n", "\\n")
            .replace('"', '\\"')
            .replace("\r", "\\r")
        )
        if node.language:
            return f'"{text}"@{node.language}'
        if node.datatype:
            return f'"{text}"^^<{node.datatype}>'
        return f'"{text}"'
    if isinstance(node, URIRef):
        return node.n3()  # checks the IRI, raising on characters N-Triples forbids
    return node.n3()  # a blank node: _:label


def lines(data: Quads | Dataset) -> list[str]:
    """Every statement of every non-empty graph as an N-Quads line (no newline), sorted, once."""
    quads = as_quads(data)
    written: dict[Node, str] = {}
    found: set[str] = set()
    for graph in quads.graphs():
        if len(graph) == 0:
            continue
        name = term(graph.identifier)
        for triple in graph:
            parts = []
            for node in triple:
                text = written.get(node)
                if text is None:
                    text = written[node] = term(node)
                parts.append(text)
            found.add(f"{parts[0]} {parts[1]} {parts[2]} {name} .")
    return sorted(found)


def render(sorted_lines: Iterable[str]) -> bytes:
    text = "\n".join(sorted_lines)
    return (text + "\n").encode("utf-8")


def export(dataset: Quads | Dataset) -> dict[str, bytes]:
    return {FILE: render(lines(dataset))}
