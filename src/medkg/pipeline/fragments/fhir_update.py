"""The incremental merge's part of ``fhir/``: the resource files and bundle entries that change.

A resource of a changed fragment is written when its bytes changed and removed
when no fragment gives it any more; the bundle's entries likewise. Two
fragments giving different resources for one URL, two resources for one file,
and a reference or code system that no longer resolves raise `CannotUpdate`.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass

from medkg.pipeline.fragments.changed_fragments import CannotUpdate, Changes, Fragments
from medkg.pipeline.fragments.fhir_files import CODE_SYSTEM, ENTRY, bundle_entry
from medkg.pipeline.fragments.model import FhirFile
from medkg.pipeline.fragments.state import MergeState, Resource


@dataclass
class FhirUpdate:
    files: dict[str, bytes]  # resource files to write
    deleted: set[str]
    entries: Changes  # of bundle.json


def update_fhir(state: MergeState, fragments: Fragments) -> FhirUpdate:
    """The resource files and bundle entries that change; `CannotUpdate` for a conflict or a
    reference nothing resolves any more."""
    taken: Counter[str] = Counter()
    given: dict[str, list[FhirFile]] = {}
    systems: Counter[str] = Counter()
    for fragment in fragments.removed.values():
        taken.update(resource.full_url for resource in fragment.fhir)
        systems.subtract(r.code_system for r in fragment.fhir if r.code_system)
    for fragment in fragments.added.values():
        for resource in fragment.fhir:
            given.setdefault(resource.full_url, []).append(resource)
        systems.update(r.code_system for r in fragment.fhir if r.code_system)
    urls = set(taken) | set(given)
    stored = state.resources(urls)
    rows: dict[str, Resource | None] = {}
    files: dict[str, bytes] = {}
    deleted: set[str] = set()
    entries: Changes = []
    for url in sorted(urls, key=lambda u: u.encode("utf-8")):
        old = stored.get(url)
        left = (old[3] if old else 0) - taken[url]
        if left < 0:
            raise CannotUpdate(f"the merge state does not match the fragments at {url}")
        arriving = given.get(url, [])
        if not arriving:
            if left:
                assert old is not None
                rows[url] = (*old[:3], left)
            else:
                rows[url] = None
                if old is not None:
                    deleted.add(old[0])
                    entries.append((url.encode("utf-8"), []))
            continue
        if len({(r.file_name, r.data) for r in arriving}) > 1:
            raise CannotUpdate(f"two new fragments give different resources for {url}")
        resource = arriving[0]
        sha = hashlib.sha256(resource.data).hexdigest()
        if left and old is not None and (old[0], old[1]) != (resource.file_name, sha):
            raise CannotUpdate(f"a new fragment gives another resource for {url}")
        rows[url] = (resource.file_name, sha, len(resource.data), left + len(arriving))
        if old is None or (old[0], old[1]) != (resource.file_name, sha):
            if old is not None and old[0] != resource.file_name:
                deleted.add(old[0])
            files[resource.file_name] = resource.data
            entries.append((url.encode("utf-8"), [bundle_entry(url, resource.data)]))
    names = [row[0] for row in rows.values() if row is not None]
    if len(names) != len(set(names)):
        raise CannotUpdate("two resources would be written to one file")
    deleted -= set(files)
    state.put_resources(rows)
    known_systems = state.code_systems(systems)
    counts = {url: known_systems.get(url, 0) + n for url, n in systems.items()}
    state.put_code_systems(counts)
    gone = [url for url, row in rows.items() if row is None]
    gone += [url for url, n in counts.items() if n <= 0]
    if state.needs_of(gone):
        raise CannotUpdate("a reference or code system no longer resolves")
    needed = [n for f in fragments.added.values() for n in f.fhir_needs]
    have = state.resources(n.target for n in needed if n.kind == ENTRY)
    have_systems = state.code_systems(n.target for n in needed if n.kind == CODE_SYSTEM)
    for need in needed:
        if need.target not in (have if need.kind == ENTRY else have_systems):
            raise CannotUpdate(f"{need.problem}")
    return FhirUpdate(files, deleted, entries)
