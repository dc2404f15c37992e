"""KGX export: ``kgx/medkg_nodes.jsonl`` and ``kgx/medkg_edges.jsonl`` (KGX JSON Lines).

The nodes (drugs, procedures, concepts) and edges (indications, adverse reactions,
contraindications, the drug's mechanism steps and effects) with Biolink
categories, predicates and qualifiers from the table of `.mapping`; records in
`.records`; checked against the pinned Biolink Model in `.validate`. `render`
gives both files of one dataset; the build writes them from its fragments the
same way (`medkg.pipeline.fragments`).
"""

from __future__ import annotations

from rdflib import Dataset

from medkg.export import nquads
from medkg.export.kgx.records import curie, edge_lines, key, node_line, split
from medkg.graph.quads import Quads, as_quads

NODES = "kgx/medkg_nodes.jsonl"
EDGES = "kgx/medkg_edges.jsonl"
FILES = (EDGES, NODES)


def node_lines(sorted_lines: list[str]) -> list[bytes]:
    """The KGX nodes of sorted N-Quads lines (no newlines), sorted by id."""
    nodes = []
    index = 0
    while index < len(sorted_lines):
        prefix = sorted_lines[index][: sorted_lines[index].index(" ") + 1]
        end = index
        while end < len(sorted_lines) and sorted_lines[end].startswith(prefix):
            end += 1
        node = node_line("".join(t + "\n" for t in sorted_lines[index:end]).encode("utf-8"))
        if node is not None:
            nodes.append(node)
        index = end
    return sorted(nodes, key=key)


def render(data: Quads | Dataset) -> dict[str, bytes]:
    """Both KGX files of one dataset."""
    quads = as_quads(data)
    return {
        NODES: b"".join(node_lines(nquads.lines(quads))),
        EDGES: b"".join(edge_lines(quads.union)),
    }


__all__ = [
    "EDGES",
    "FILES",
    "NODES",
    "curie",
    "edge_lines",
    "key",
    "node_line",
    "node_lines",
    "render",
    "split",
]
