"""A build's staging folder (`BuildOutcome`), the output folder it replaces, and the lock
and work folder that keep every published state of the output folder whole.

A build writes its files to a new staging folder, never into the output folder
itself, and `swap_in` puts it in place in one atomic step: on Linux the two
folders are exchanged with ``renameat2(RENAME_EXCHANGE)`` (elsewhere, two
renames whose gap the next build repairs), so a reader or a kill at any moment
sees the old folder or the new one, whole. An incremental update builds a
complete new folder too (the files it rewrites, hard links to the others) and
is swapped in the same way. This was chosen over a ``SHA256SUMS`` manifest
written last (a half-updated folder would still be published, and every
reader would have to check it) and over a symlink to versioned folders (the
output would no longer be a plain folder to copy, commit or serve). Only a
folder medkg may replace is replaced (`check_output_folder`: new, empty, or a
previous output, which holds `MARKER`).

Everything else a build writes near the output folder lives in its *work
folder* (`work_folder`: ``.<name>.medkg-build`` beside it): the lock file,
the staging folder, the merge's scratch files and, without a cache folder,
the build's store. `lock_output` takes an ``flock`` on the lock file for the
whole build (shared for ``--check``), so a second build into the same folder
fails at once with a message saying so; the kernel releases the lock when its
process dies, however it dies. `sweep` (run under the exclusive lock) removes
whatever a killed build left in the work folder.

`differences` compares the two for ``--check``. `output_stamp` is every file of
an output folder with its size and modification time (as make and rsync
compare): a later build whose stamp is the same knows the folder is as it left
it.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import filecmp
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset

from medkg.errors import MedkgError
from medkg.export import build_report
from medkg.pipeline.document_stage import DocumentStatus
from medkg.pipeline.fragments import incremental
from medkg.pipeline.fragments.pause import pause
from medkg.pipeline.fragments.state import MergeState

MARKER = "medkg.ttl"
WORK_SUFFIX = ".medkg-build"  # the work folder of output folder `dist` is `.dist.medkg-build`
LOCK = "lock"  # the lock file, in the work folder
PREVIOUS = "previous"  # the old output folder between the two renames of `swap_in`'s fallback


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
    # the (kind, key) of every cache entry the build relied on (`medkg.pipeline.cache_eviction`)
    cache_entries: list[tuple[str, str]] = field(default_factory=list)
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


def new_staging_folder(parent: Path | None) -> Path:
    """A new, empty staging folder under `parent` with the permissions a folder made by
    ``mkdir`` gets (0777 less the umask), not the 0700 of a temporary folder: it becomes
    the output folder, which others may need to read."""
    folder = Path(tempfile.mkdtemp(prefix=".medkg-staging-", dir=parent))
    umask = os.umask(0)
    os.umask(umask)
    folder.chmod(0o777 & ~umask)
    return folder


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


def work_folder(out: Path) -> Path:
    """Where a build into `out` keeps its lock, staging folder and scratch files: a hidden
    folder beside `out`, on its file system (so the staging folder can be renamed into place)."""
    out = out.absolute()
    return out.parent / f".{out.name}{WORK_SUFFIX}"


@contextmanager
def lock_output(out: Path, *, shared: bool = False) -> Iterator[Path]:
    """Hold the lock of `out` (exclusive, or `shared` for a build that only compares) and
    give its work folder; `MedkgError` at once when another build holds it.

    An ``flock`` on the work folder's lock file: the kernel releases it when the process
    exits or is killed (and its worker processes, which share it, die with it: see
    `medkg.pipeline.pool`)."""
    work = work_folder(out)
    lock = work / LOCK
    try:
        work.mkdir(parents=True, exist_ok=True)
        handle = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise MedkgError(
            f"{out}: cannot make the build's lock file {lock} ({error.strerror}); "
            "give --out a folder whose parent medkg can write to"
        ) from None
    try:
        fcntl.flock(handle, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(handle)
        raise MedkgError(
            f"{out}: another medkg build is using this output folder (it holds {lock}); "
            "wait for it to finish, or give --out another folder"
        ) from None
    try:
        yield work
    finally:
        os.close(handle)


def sweep(work: Path, out: Path) -> None:
    """Remove what killed builds left in the `work` folder of `out` (everything but the
    lock file); call it holding the exclusive lock. An old output folder caught between
    the two renames of `swap_in`'s fallback is put back when `out` is missing."""
    previous = work / PREVIOUS
    if previous.is_dir() and not os.path.lexists(out):
        os.replace(previous, out)
    for entry in work.iterdir():
        if entry.name == LOCK:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def swap_in(staging: Path, out: Path) -> None:
    """Replace `out` with the finished `staging` folder in one atomic step (same file
    system): a rename when `out` does not exist, else an exchange of the two folders
    (``renameat2(RENAME_EXCHANGE)``), after which `staging` holds the old folder and is
    removed. Where the exchange is not available, two renames, the old folder waiting in
    the work folder as `PREVIOUS` (`sweep` puts it back if the process dies between them)."""
    check_output_folder(out)
    if not os.path.lexists(out):
        os.replace(staging, out)
        return
    if not _exchange(staging, out):
        previous = staging.parent / PREVIOUS
        if previous.exists():
            shutil.rmtree(previous)
        os.replace(out, previous)
        pause("swap")
        os.replace(staging, out)
        shutil.rmtree(previous, ignore_errors=True)
        return
    pause("swap")
    shutil.rmtree(staging, ignore_errors=True)


RENAME_EXCHANGE = 2  # linux/fs.h
AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap the names of two folders atomically; False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:  # a C library older than glibc 2.28
        return False
    done = renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE)
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False  # a file system (or kernel) without exchange
    raise OSError(code, os.strerror(code), str(second))


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
