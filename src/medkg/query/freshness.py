"""Is a built dataset still what its sources build? A cheap check, without re-running the pipeline.

Rule: every ``medkg:SourceDocument`` in the graph records its ``medkg:fileName``
(base name) and the ``medkg:sha256`` of its bytes. The dataset is stale when,
under the sources folder (searched recursively), a recorded file is gone or
no file of that name has the recorded sha256. Files the graph does not
record are not looked at (a build skips documents that are not drug
documents, and the graph does not list those), so adding a new source is not
detected here; `medkg build --check` is the full comparison.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from medkg.query.store import Store

_RECORDED = """
PREFIX medkg: <https://w3id.org/medkg/vocab#>
SELECT ?file ?sha256 WHERE {
  ?document a medkg:SourceDocument ; medkg:fileName ?file ; medkg:sha256 ?sha256 .
}
ORDER BY ?file ?sha256
"""


def recorded_sources(store: Store) -> list[tuple[str, str]]:
    """(file name, sha256) of every source document the graph records, sorted."""
    return [
        (row[0].value, row[1].value)
        for row in store.execute(_RECORDED).cells
        if row[0] is not None and row[1] is not None
    ]


def stale_sources(store: Store, sources_dir: Path) -> list[str]:
    """One line per recorded source that is missing or changed under `sources_dir`; [] if fresh."""
    on_disk: dict[str, set[str]] = {}
    if sources_dir.is_dir():
        for path in sorted(sources_dir.rglob("*")):
            if path.is_file():
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                on_disk.setdefault(path.name, set()).add(digest)
    problems = []
    for name, sha256 in recorded_sources(store):
        if name not in on_disk:
            problems.append(f"{name}: recorded in the graph but not found under {sources_dir}/")
        elif sha256 not in on_disk[name]:
            problems.append(f"{name}: changed since the build (sha256 differs)")
    return problems
