"""Stage 7, export: one module per output format behind a name -> function registry.

Each exporter takes the built dataset and returns ``{relative path: bytes}``;
`render_all` runs them all. Nothing here touches the disk.
"""

from __future__ import annotations

from collections.abc import Callable

from rdflib import Dataset

from medkg.export import fhir, jsonld, nquads, turtle

Exporter = Callable[[Dataset], dict[str, bytes]]

EXPORTERS: dict[str, Exporter] = {
    "turtle": turtle.export,
    "nquads": nquads.export,
    "jsonld": jsonld.export,
    "fhir": fhir.export,
}


def render_all(dataset: Dataset) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for name in sorted(EXPORTERS):
        files.update(EXPORTERS[name](dataset))
    return files
