"""The ``fhir/`` part of a fragment, and the bundle the merge writes from all fragments.

A fragment's resources are made from its cluster's graph by
`medkg.export.fhir.resources`, rewritten for R4B when asked, and each is
validated (`medkg.export.fhir.validation.validate`: model, references and
bindings on every resource, the round trip through fhir.resources for element
paths and JSON kinds the worker has not yet seen come back unchanged) in the
worker. A reference
or medkg coding system no resource of the fragment resolves becomes a
`FhirNeed`, checked once every fragment is merged; a ``#id`` reference to a
contained resource must resolve inside its own resource.

The bundle is written entry by entry, sorted by ``fullUrl``: the bytes are
exactly `medkg.export.fhir.serialise` of `medkg.export.fhir.bundle.bundle`,
so the bundle is never held in memory. Its entries were validated one by
one; the bundle's own elements (type, id) are validated once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from medkg.errors import ExportInvalid
from medkg.export import fhir
from medkg.export.fhir import bundle
from medkg.export.fhir.bundle import _references, _systems
from medkg.export.fhir.r4b import to_r4b
from medkg.export.fhir.resource import FHIR_BASE, JSON
from medkg.export.fhir.validation import VERSIONS, validate
from medkg.graph.reader import GraphReader
from medkg.namespaces import BASE
from medkg.pipeline.fragments.model import FhirFile, FhirNeed
from medkg.shacl.validate import load_ontology

ENTRY = "entry"
CODE_SYSTEM = "code system"


def check_version(version: str) -> None:
    if version not in VERSIONS:
        raise ValueError(f"unknown FHIR version {version!r}; use one of {', '.join(VERSIONS)}")


def fhir_files(graph: GraphReader, version: str) -> tuple[list[FhirFile], list[FhirNeed]]:
    """Every resource of the graph, validated, by file name; and what they need from others."""
    check_version(version)
    made = fhir.resources(graph, load_ontology())
    r5 = {resource.full_url: resource.json() for resource in made}
    files: list[FhirFile] = []
    entries: list[tuple[str, JSON]] = []
    for resource in made:
        document = r5[resource.full_url]
        if version != "R5":
            document = to_r4b(document, r5)
        checked = validate(document, resource.file_name, version)
        system = str(checked.get("url", "")) if checked.get("resourceType") == "CodeSystem" else ""
        files.append(
            FhirFile(resource.file_name, resource.full_url, fhir.serialise(checked), system)
        )
        entries.append((resource.full_url, checked))
    return sorted(files, key=lambda f: f.file_name), needs(entries)


def needs(entries: list[tuple[str, JSON]]) -> list[FhirNeed]:
    """References and medkg coding systems of `entries` that none of them resolves (the rule
    of `medkg.export.fhir.bundle.unresolved`); `ExportInvalid` for a broken ``#id``."""
    full_urls = {url for url, _ in entries}
    code_systems = {
        str(resource.get("url"))
        for _, resource in entries
        if resource.get("resourceType") == "CodeSystem"
    }
    found: list[FhirNeed] = []
    broken: list[str] = []
    for where, resource in entries:
        contained = {c.get("id") for c in resource.get("contained", [])}
        for ref in _references(resource):
            if ref.startswith("#"):
                if ref[1:] not in contained:
                    broken.append(f"{where}: reference {ref} does not resolve to an entry")
                continue
            target = ref if "://" in ref or ref.startswith("urn:") else f"{FHIR_BASE}/{ref}"
            if target not in full_urls:
                problem = f"{where}: reference {ref} does not resolve to an entry"
                found.append(FhirNeed(ENTRY, target, problem))
        for system in _systems(resource):
            if system.startswith(BASE) and system not in code_systems:
                problem = f"{where}: code system {system} is not a CodeSystem in the bundle"
                found.append(FhirNeed(CODE_SYSTEM, system, problem))
    if broken:
        raise ExportInvalid(bundle.FILE, broken)
    return sorted(set(found), key=lambda n: (n.problem, n.kind, n.target))


def unmet(found: Iterable[FhirNeed], full_urls: set[str], code_systems: set[str]) -> list[str]:
    """The problems of the needs that no merged resource resolves."""
    problems = set()
    for need in found:
        known = full_urls if need.kind == ENTRY else code_systems
        if need.target not in known:
            problems.add(need.problem)
    return sorted(problems)


def bundle_entry(full_url: str, data: bytes) -> bytes:
    """One entry of ``fhir/bundle.json`` as written, at its indent (no separator): `data` is
    the resource file's bytes (`medkg.export.fhir.serialise`)."""
    resource = data.rstrip(b"\n").replace(b"\n", b"\n      ")
    url = json.dumps(full_url, ensure_ascii=False).encode("utf-8")
    return b'    {\n      "fullUrl": ' + url + b',\n      "resource": ' + resource + b"\n    }"


class BundleWriter:
    """Writes ``fhir/bundle.json`` one entry at a time, in the order given (by fullUrl)."""

    def __init__(self, write: Callable[[bytes], object], version: str):
        validate(self._shell(), bundle.FILE, version)
        self._write = write
        self._count = 0
        write(b'{\n  "entry": [')

    @staticmethod
    def _shell() -> JSON:
        return {"resourceType": "Bundle", "id": bundle.BUNDLE_ID, "type": "collection"}

    def add(self, full_url: str, data: bytes) -> None:
        """One entry: `data` is a resource file's bytes (`medkg.export.fhir.serialise`)."""
        self._write((b",\n" if self._count else b"\n") + bundle_entry(full_url, data))
        self._count += 1

    def close(self) -> None:
        tail = json.dumps(self._shell(), sort_keys=True, indent=2, ensure_ascii=False)
        self._write((b"\n  ]," if self._count else b"],") + tail[1:].encode("utf-8") + b"\n")
