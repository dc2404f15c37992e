"""Exports rendered per cluster and merged by streaming (the export side of the pipeline).

A worker renders each cluster's dataset to a `Fragment` (`render_fragment`):
its N-Quads lines, its checked JSON-LD top-level nodes, its validated FHIR
resources, and the few facts the metadata needs. `Fragment.to_bytes` /
`Fragment.from_bytes` store one. `merge` writes every file of ``dist/`` from
the fragments of all clusters into a staging folder, by streaming; the result
does not depend on the order of the fragments nor on how documents were
grouped into them. `medkg.export.render_all` is the same path over one
fragment of a whole dataset, in memory.
"""

from __future__ import annotations

from medkg.export.metadata import FileInfo
from medkg.pipeline.fragments.merge import DEFAULT_MEMORY_BUDGET, Extra, merge, merge_in_memory
from medkg.pipeline.fragments.model import (
    FhirFile,
    FhirNeed,
    Fragment,
    FragmentInvalid,
    JsonLdNode,
    NodeCopy,
)
from medkg.pipeline.fragments.render import render_fragment

__all__ = [
    "DEFAULT_MEMORY_BUDGET",
    "Extra",
    "FhirFile",
    "FhirNeed",
    "FileInfo",
    "Fragment",
    "FragmentInvalid",
    "JsonLdNode",
    "NodeCopy",
    "merge",
    "merge_in_memory",
    "render_fragment",
]
