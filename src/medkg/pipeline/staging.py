"""A build's staging folder (`BuildOutcome`) and the output folder it replaces.

A build writes its files to a new staging folder, never into the output folder
itself: `swap_in` replaces the output folder with it in two renames, and only a
folder medkg may replace is replaced (`check_output_folder`: new, empty, or a
previous output, which holds `MARKER`). `differences` compares the two for
``--check``. `output_stamp` is every file of an output folder with its size and
modification time (as make and rsync compare): a later build whose stamp is the
same knows the folder is as it left it.
"""

from __future__ import annotations

import filecmp
import os
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset

from medkg.errors import MedkgError
from medkg.export import build_report
from medkg.pipeline.document_stage import DocumentStatus
from medkg.pipeline.fragments import incremental
from medkg.pipeline.fragments.state import MergeState

MARKER = "medkg.ttl"


def file_names(folder: Path) -> Iterator[str]:
    """The files under `folder`, relative and ``/``-separated (``os.scandir``: no stat);
    none when `folder` does not exist (as ``Path.rglob`` gives)."""
    pending = [(str(folder), "")] if folder.is_dir() else []
    while pending:
        where, prefix = pending.pop()
        with os.scandir(where) as entries:
            for entry in entries:
                if entry.is_dir():
                    pending.append((entry.path, f"{prefix}{entry.name}/"))
                elif entry.is_file():
                    yield prefix + entry.name


class StagedFiles(Mapping[str, bytes]):
    """The files of a staging folder by relative path, read when asked for."""

    def __init__(self, folder: Path):
        self.folder = folder

    def _names(self) -> list[str]:
        return sorted(file_names(self.folder))

    def __getitem__(self, name: str) -> bytes:
        path = self.folder / name
        if not path.is_file():
            raise KeyError(name)
        return path.read_bytes()

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())


@dataclass
class BuildOutcome:
    """A finished build: the statuses, and its files in a staging folder until `build`
    moves them into place (or `discard` removes them)."""

    staging: Path
    statuses: list[DocumentStatus] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # with check=True: files that differ
    mapping: build_report.IdentifierMapping | None = None  # reaction/condition terms mapped
    reused: bool = False  # the output folder was already what the sources build
    # False when a worker died or raised: those documents are tried again by the next build,
    # so this one is not recorded as one a rebuild could reuse
    repeatable: bool = True
    update: incremental.Update | None = None  # the files of the output folder that change
    merge_state: MergeState | None = None  # what the merge recorded, committed by `build`
    merge_state_target: Path | None = None  # where a new merge state goes once committed
    _dataset: Dataset | None = None

    @property
    def files(self) -> Mapping[str, bytes]:
        return StagedFiles(self.staging)

    @property
    def dataset(self) -> Dataset:
        """The built dataset (parsed from ``medkg.nq`` on first use)."""
        if self._dataset is None:
            self._dataset = Dataset()
            self._dataset.parse(self.staging / "medkg.nq", format="nquads")
        return self._dataset

    @property
    def failed(self) -> list[DocumentStatus]:
        return [s for s in self.statuses if s.status == "failed"]

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
        self.drop_merge_state()

    def drop_merge_state(self) -> None:
        """Forget what the merge recorded (nothing of it is committed)."""
        if self.merge_state is not None:
            self.merge_state.rollback()
            self.merge_state.close()
            if self.merge_state_target is not None:
                self.merge_state.path.unlink(missing_ok=True)
            self.merge_state = None


def differences(staging: Path, out: Path) -> list[str]:
    """Relative paths where `out` differs from the `staging` folder (missing, extra, changed)."""

    def names(folder: Path) -> set[str]:
        if not folder.is_dir():
            return set()
        return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}

    built, existing = names(staging), names(out)
    changed = []
    for name in sorted(built | existing):
        if name not in built:
            changed.append(f"{name} (not built from the sources)")
        elif name not in existing:
            changed.append(f"{name} (missing)")
        elif not filecmp.cmp(staging / name, out / name, shallow=False):
            changed.append(f"{name} (differs)")
    return changed


def check_output_folder(out: Path) -> None:
    """`out` must be a folder medkg may replace: new, empty, or a previous output."""
    if out.exists() and not out.is_dir():
        raise MedkgError(f"{out}: is a file, not a folder; give --out a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise MedkgError(
            f"{out}: is a non-empty folder that is not a medkg output (no {MARKER}); "
            "give --out an empty or new folder"
        )


def swap_in(staging: Path, out: Path) -> None:
    """Replace `out` with the finished `staging` folder (same file system: two renames)."""
    check_output_folder(out)
    old = out.parent / f".{out.name}.old"
    if old.exists():
        shutil.rmtree(old)
    if out.exists():
        os.replace(out, old)
    os.replace(staging, out)
    if old.exists():
        shutil.rmtree(old)


def output_stamp(out: Path) -> dict[str, tuple[int, int]]:
    """Every file of `out` with its size and modification time (as make and rsync compare)."""
    stamp: dict[str, tuple[int, int]] = {}

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir():
                    walk(entry.path, f"{prefix}{entry.name}/")
                elif entry.is_file():
                    info = entry.stat()
                    stamp[prefix + entry.name] = (info.st_size, info.st_mtime_ns)

    walk(str(out), "")
    return stamp


def restamp(
    stamp: Mapping[str, tuple[int, int]], out: Path, update: incremental.Update
) -> dict[str, tuple[int, int]]:
    """`stamp` after `update` was applied to `out` (only the files it changed are looked at)."""
    fresh = dict(stamp)
    for name in update.deleted:
        fresh.pop(name, None)
    for name in update.written:
        info = (out / name).stat()
        fresh[name] = (info.st_size, info.st_mtime_ns)
    return fresh
