"""The collection Bundle and the check that every reference in it resolves inside it.

Every entry's ``fullUrl`` is ``https://w3id.org/medkg/fhir/<type>/<id>``; entries
are sorted by it. A reference resolves when it is ``#id`` of a resource
contained in the same resource, or (absolute, or relative ``Type/id`` read
against the entry's base ``https://w3id.org/medkg/fhir``) the ``fullUrl`` of an
entry. A coding whose system is one of ours (under ``https://w3id.org/medkg/``)
resolves when a CodeSystem in the bundle has that ``url``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from medkg.export.fhir.resource import FHIR_BASE, JSON
from medkg.namespaces import BASE

BUNDLE_ID = "medkg"
FILE = "fhir/bundle.json"


def bundle(entries: list[tuple[str, JSON]]) -> JSON:
    """A Bundle of type collection from (fullUrl, resource) pairs, sorted by fullUrl."""
    return {
        "resourceType": "Bundle",
        "id": BUNDLE_ID,
        "type": "collection",
        "entry": [
            {"fullUrl": url, "resource": res} for url, res in sorted(entries, key=lambda e: e[0])
        ],
    }


def _references(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "reference" and isinstance(item, str):
                yield item
            else:
                yield from _references(item)
    elif isinstance(value, list):
        for item in value:
            yield from _references(item)


def _systems(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        system = value.get("system")
        if isinstance(system, str) and "code" in value:
            yield system
        for item in value.values():
            yield from _systems(item)
    elif isinstance(value, list):
        for item in value:
            yield from _systems(item)


def unresolved(document: JSON) -> list[str]:
    """Every reference (and medkg coding system) of the bundle that does not resolve inside it."""
    entries = document.get("entry", [])
    full_urls = {entry.get("fullUrl") for entry in entries}
    code_systems = {
        entry["resource"].get("url")
        for entry in entries
        if entry.get("resource", {}).get("resourceType") == "CodeSystem"
    }
    problems = []
    for entry in entries:
        resource = entry.get("resource", {})
        contained = {c.get("id") for c in resource.get("contained", [])}
        where = entry.get("fullUrl")
        for ref in _references(resource):
            if ref.startswith("#"):
                ok = ref[1:] in contained
            elif "://" in ref or ref.startswith("urn:"):
                ok = ref in full_urls
            else:
                ok = f"{FHIR_BASE}/{ref}" in full_urls
            if not ok:
                problems.append(f"{where}: reference {ref} does not resolve to an entry")
        for system in _systems(resource):
            if system.startswith(BASE) and system not in code_systems:
                problems.append(f"{where}: code system {system} is not a CodeSystem in the bundle")
    return problems
