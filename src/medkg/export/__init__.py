"""Stage 7, export: one module per output format, and the fragments that join them.

Each format module holds the rules of its file (`nquads`, `turtle`, `jsonld`,
`fhir`, `kgx`, `metadata`); `fragments` renders a dataset's pieces of every file
(`render_fragment`) and writes the files from any number of such pieces
(`merge`). `render_all` renders one dataset as one fragment, in memory, so
every file is written one way. The exporters of `EXPORTERS` give one format
each from a dataset, with the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable

from rdflib import Dataset

from medkg.export import fhir, jsonld, kgx, nquads, turtle
from medkg.graph.quads import Quads

Exporter = Callable[[Quads | Dataset], dict[str, bytes]]

EXPORTERS: dict[str, Exporter] = {
    "turtle": turtle.export,
    "nquads": nquads.export,
    "jsonld": jsonld.export,
    "fhir": fhir.export,
    "kgx": kgx.render,
}


def render_all(dataset: Quads | Dataset, fhir_version: str = "R5") -> dict[str, bytes]:
    """Every format's files (not the metadata files) of one dataset: the merge of its
    single fragment."""
    from medkg.pipeline.fragments import merge_in_memory, render_fragment

    return merge_in_memory([render_fragment(dataset, fhir_version)], fhir_version, metadata=False)
