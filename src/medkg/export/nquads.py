"""``medkg.nq``: N-Quads, one named graph per source document plus the links graph, lines sorted.

Each line is rdflib's N-Triples line of a statement with the graph's IRI
before the final `` .``; the file is the sorted, distinct lines, each ending
in a newline (an empty dataset gives a single newline).
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Dataset

FILE = "medkg.nq"


def lines(dataset: Dataset) -> list[str]:
    """Every statement of every non-empty graph as an N-Quads line (no newline), sorted, once."""
    found: set[str] = set()
    for graph in dataset.graphs():
        if len(graph) == 0:
            continue
        name = graph.identifier.n3()
        ntriples = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
        for line in ntriples.split("\n"):
            if line.endswith(" ."):
                found.add(f"{line[:-2]} {name} .")
    return sorted(found)


def render(sorted_lines: Iterable[str]) -> bytes:
    text = "\n".join(sorted_lines)
    return (text + "\n").encode("utf-8")


def export(dataset: Dataset) -> dict[str, bytes]:
    return {FILE: render(lines(dataset))}
