"""The merge stage of the build, and publishing its result into the output folder.

The clusters' export fragments are merged into the files of a staging folder
(`merge_clusters`, `medkg.pipeline.fragments`). For a `MergeTarget` (a build with
a cache folder) the merge is recorded (`medkg.pipeline.fragments.state`), and
when the output folder is exactly what the recorded merge wrote (same files,
sizes and modification times) and few clusters changed, only the files that
change are written (`merge_into`, `medkg.pipeline.fragments.incremental`: old
bytes copied around the changed pieces); anything else merges in full, with
the same bytes. `publish` then swaps the staging folder in (an update's
completed with hard links to the unchanged files) and commits the merge state.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from medkg.errors import MedkgError
from medkg.export import build_report, kgx
from medkg.pipeline import cache
from medkg.pipeline.cache import LOST_HINT, Cache, CacheEntryLost
from medkg.pipeline.cluster_build import ClusterOutcome
from medkg.pipeline.fragments import Fragment, incremental, merge
from medkg.pipeline.fragments.changed_fragments import CannotUpdate
from medkg.pipeline.fragments.merge import Recording
from medkg.pipeline.fragments.state import MergeState
from medkg.pipeline.progress import SILENT, Progress
from medkg.pipeline.staging import BuildOutcome, output_stamp, restamp, swap_in
from medkg.shacl.validate import ValidationOutcome, report_turtle

REPORT = "validation-report.ttl"  # an output folder medkg may replace holds this file (or is empty)


@dataclass(frozen=True)
class MergeTarget:
    """The output folder a build will replace or update, and its merge state."""

    out: Path
    state: Path  # the `MergeState` of the merge that wrote `out` (if any)
    stamp: dict[str, tuple[int, int]]  # `output_stamp(out)` when the build started

    @classmethod
    def of(cls, out: Path, store: Path, *options: str) -> MergeTarget:
        key = cache.key("merge-state", str(out.resolve()), *options)
        stamp = output_stamp(out) if out.is_dir() else {}
        return cls(out, store / "merge" / key[:2] / f"{key}.sqlite", stamp)

    def discard_unfinished(self) -> None:
        """Remove the merge states a killed build of this target began and never committed
        (call it holding the lock of the output folder)."""
        if self.state.parent.is_dir():
            for leftover in self.state.parent.glob(f".new-*-{self.state.name}*"):
                leftover.unlink(missing_ok=True)


def merge_clusters(
    outcome: BuildOutcome,
    results: Sequence[ClusterOutcome],
    store: Path,
    fhir_version: str,
    target: MergeTarget | None,
    progress: Progress = SILENT,
) -> None:
    """Merge the fragments of the built clusters (`results`, kept in `store`) into the
    staging folder of `outcome`, with the validation report of their warnings and the
    build report; with a `target`, see `merge_into`. `progress` is told of the stages
    ``merge`` (fragments gathered) and ``exports`` (files written)."""
    concepts: dict[str, bool] = {}
    for result in results:
        for concept, mapped in result.concepts.items():
            concepts[concept] = concepts.get(concept, False) or mapped
    outcome.mapping = build_report.mapping_of(concepts)
    warnings = sorted(
        {v for r in results for v in r.results}, key=lambda v: (v.focus, v.path, v.message)
    )
    validation = ValidationOutcome(True, tuple(warnings), "")
    fragments_store = Cache(store)
    keys = [r.fragment for r in results if r.fragment is not None]
    extras = {
        REPORT: lambda triples: report_turtle(validation, triples),
        build_report.FILE_NAME: lambda _triples: build_report.render(
            outcome.statuses,
            outcome.mapping or build_report.mapping_of({}),
            _kgx_counts(outcome.staging, target),
        ),
    }

    def load(key: str) -> Fragment:
        return Fragment.from_bytes(_fragment_bytes(fragments_store, key))

    if target is None:
        files = merge(_gathered(keys, load, progress), outcome.staging, fhir_version, extras)
        progress.finish("exports", f"{len(files):,} files")
    else:
        merge_into(outcome, target, keys, load, fhir_version, extras, progress)


def _gathered(
    keys: Sequence[str], load: Callable[[str], Fragment], progress: Progress
) -> Iterator[Fragment]:
    """The fragments of `keys`, each reported as merged; once all are, the exports begin."""
    progress.start("merge", len(keys))
    for done, key in enumerate(keys, start=1):
        yield load(key)
        progress.advance("merge", done)
    progress.finish("merge")
    progress.start("exports")


def _kgx_counts(staging: Path, target: MergeTarget | None) -> dict[str, int]:
    """The lines of the KGX files just merged: in the staging folder, or (an update that
    left them as they were) in the output folder. Called after they are written."""
    counts = {}
    for name, label in ((kgx.NODES, "nodes"), (kgx.EDGES, "edges")):
        folders = [staging, *([target.out] if target is not None else [])]
        path = next((f / name for f in folders if (f / name).is_file()), None)
        if path is None:
            raise MedkgError(f"{name}: not written before the build report (a medkg bug)")
        with path.open("rb") as handle:
            counts[label] = sum(
                chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")
            )
    return counts


# An update is tried when at most this many fragments changed (or a tenth of them):
# past that, writing every file is as quick as copying most of them around the changes.
MAX_CHANGED = 16


def merge_into(
    outcome: BuildOutcome,
    target: MergeTarget,
    keys: Sequence[str],
    load: Callable[[str], Fragment],
    fhir_version: str,
    extras: incremental.Extra,
    progress: Progress = SILENT,
) -> None:
    """Merge the fragments of `keys` for `target`: when its output folder is what its
    recorded merge wrote (same files, sizes and modification times) and few fragments
    changed, only the files that change are written to the staging folder
    (`incremental.update`); otherwise every file is, and the merge is recorded anew."""
    state = MergeState.open(target.state)
    if state is not None:
        progress.start("merge")
        try:
            outcome.update = _update(state, target, keys, load, outcome.staging, extras)
        except BaseException:
            state.rollback()
            state.close()
            raise
        if outcome.update is not None:
            outcome.merge_state = state
            written, deleted = len(outcome.update.written), len(outcome.update.deleted)
            progress.finish(
                "merge",
                f"updated in place: {written:,} files rewritten, {deleted:,} removed, "
                "the others kept",
            )
            return
        progress.finish("merge", "not updated in place: every file is merged again")
        state.rollback()
        state.close()
    fresh = MergeState.create(target.state.with_name(f".new-{os.getpid()}-{target.state.name}"))
    outcome.merge_state, outcome.merge_state_target = fresh, target.state
    files = merge(
        _gathered(keys, load, progress),
        outcome.staging,
        fhir_version,
        extras,
        record=Recording(fresh, keys),
    )
    progress.finish("exports", f"{len(files):,} files")


def _update(
    state: MergeState,
    target: MergeTarget,
    keys: Sequence[str],
    load: Callable[[str], Fragment],
    staging: Path,
    extras: incremental.Extra,
) -> incremental.Update | None:
    if not target.stamp or state.get_meta("stamp") != target.stamp:
        return None
    merged = state.clusters()
    wanted = set(keys)
    removed = [key for key in merged if key not in wanted]
    added = [key for key in keys if key not in merged]
    if len(removed) + len(added) > max(MAX_CHANGED, len(keys) // 10):
        return None
    try:
        return incremental.update(
            target.out,
            staging,
            state,
            {key: load(key) for key in removed},
            {key: load(key) for key in added},
            load,
            extras,
        )
    except (CannotUpdate, MedkgError):  # e.g. a fragment the store lost
        state.rollback()
        for leftover in staging.iterdir():
            if leftover.is_dir():
                shutil.rmtree(leftover)
            else:
                leftover.unlink()
        return None


def _fragment_bytes(store: Cache, key: str) -> bytes:
    data = store.get("fragment", key)
    if not isinstance(data, bytes):
        raise CacheEntryLost(f"{store.folder}: the stored fragment {key} was lost; {LOST_HINT}")
    return data


def publish(
    outcome: BuildOutcome, out: Path, target: MergeTarget | None
) -> dict[str, tuple[int, int]]:
    """Put the built files in `out` and commit the merge state; return the stamp of `out`.

    The staging folder becomes `out` in one atomic step (`swap_in`); for an update it is
    first completed with hard links to the files of `out` the update left as they were
    (`incremental.link_unchanged`), so a kill at any moment leaves the old folder or the
    new one, whole."""
    if outcome.update is not None and target is not None:
        incremental.link_unchanged(outcome.update, outcome.staging, out)
        swap_in(outcome.staging, out)
        stamp = restamp(target.stamp, out, outcome.update)
    else:
        swap_in(outcome.staging, out)
        stamp = output_stamp(out)
    outcome.staging = out
    state = outcome.merge_state
    if state is not None:
        state.set_meta("stamp", stamp)
        state.commit()
        state.close()
        outcome.merge_state = None
        if outcome.merge_state_target is not None:
            state.path.replace(outcome.merge_state_target)
    return stamp
