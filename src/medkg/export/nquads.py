"""``medkg.nq``: N-Quads, one named graph per source document plus the links graph, lines sorted."""

from __future__ import annotations

from rdflib import Dataset

FILE = "medkg.nq"


def export(dataset: Dataset) -> dict[str, bytes]:
    lines: set[str] = set()
    for graph in dataset.graphs():
        if len(graph) == 0:
            continue
        name = graph.identifier.n3()
        ntriples = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
        for line in ntriples.splitlines():
            if line.endswith(" ."):
                lines.add(f"{line[:-2]} {name} .")
    return {FILE: ("\n".join(sorted(lines)) + "\n").encode("utf-8")}
