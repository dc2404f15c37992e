"""A content-addressed build cache, so unchanged documents are not processed again.

An entry's key is the SHA-256 of everything its value depends on: the kind of
entry, the medkg *code version* (every file of the installed package, the
shapes, the ontology and the terminology, hashed together) and the inputs
(a document's bytes and name; a cluster's document keys and options). So a
change to a source, to medkg, to a shape or to the lexicon changes the key and
the entry is simply not found: nothing is ever invalidated by hand, and a
cached build gives exactly the bytes an uncached one gives.

Entries are pickles under ``<folder>/<kind>/<key[:2]>/<key>``, written to a
temporary file and renamed, so a crashed build never leaves half an entry; an
entry that cannot be read is treated as missing. The folder is as trusted as
the code: it holds pickles, so it must not be writable by others (the default
is the user's own cache folder).

Reading an entry (`Cache.get`, `Cache.has`) marks it used (its modification time
becomes now), so `medkg.pipeline.cache_eviction` can keep the folder under a size
cap by removing the least recently used entries, never one the last build used.
An entry that cannot be read is removed, so the next look finds it missing and it
is made again.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
import warnings
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from medkg import __version__
from medkg.errors import MedkgError
from medkg.resources import resource_dir

_PACKAGE = Path(__file__).resolve().parent.parent  # all of medkg: its code is part of every key


def default_folder() -> Path:
    """``$XDG_CACHE_HOME/medkg``, else ``~/.cache/medkg``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "medkg"


@lru_cache(maxsize=1)
def code_version() -> str:
    """SHA-256 over medkg's version, code and bundled resources (names and bytes)."""
    digest = hashlib.sha256(__version__.encode())
    roots = [_PACKAGE, *(resource_dir(kind) for kind in ("shapes", "ontology", "terminology"))]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                digest.update(path.relative_to(root).as_posix().encode() + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def key(kind: str, *parts: str | bytes) -> str:
    """The key of an entry of `kind` computed from `parts` (and the code version)."""
    digest = hashlib.sha256(f"{kind}\0{code_version()}\0".encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


class CacheEntryLost(MedkgError):
    """An entry a build relied on vanished or could not be read while it ran (`Cache.get`
    removed it): `medkg.pipeline.build.run` builds once more, which makes it again. Raised
    a second time, it reaches the user: the message says what to do (`LOST_HINT`)."""


LOST_HINT = (
    "check that the cache folder can be read and written, or clear it (`medkg cache --clear`) "
    "or build with --no-cache"
)


class CacheEntryUnreadable(UserWarning):
    """A cache entry could not be loaded; it is treated as missing and made again."""


_WARNED: set[Path] = set()  # folders this process has already warned about


def _warn_unreadable(folder: Path, path: Path, error: BaseException) -> None:
    if folder in _WARNED:
        return
    _WARNED.add(folder)
    warnings.warn(
        f"{path}: this build cache entry could not be loaded ({type(error).__name__}: "
        f"{error}); it is treated as missing and made again (other unreadable entries of "
        f"{folder} are treated the same way without a warning; delete the folder to clear "
        "them)",
        CacheEntryUnreadable,
        stacklevel=3,
    )


class Cache:
    """Get and put pickled values by key under one folder."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.hits = 0
        self.misses = 0

    def _path(self, kind: str, entry: str) -> Path:
        return self.folder / kind / entry[:2] / entry

    def has(self, kind: str, entry: str) -> bool:
        """Whether `entry` is stored; marks it used when it is."""
        path = self._path(kind, entry)
        return mark_path_used(path) or path.is_file()

    def mark_used(self, entries: Iterable[tuple[str, str]]) -> None:
        """Mark the (kind, entry) pairs used, as a `has` would (missing ones are skipped)."""
        for kind, entry in entries:
            mark_path_used(self._path(kind, entry))

    def path(self, kind: str, entry: str) -> Path:
        """Where `entry` is (or would be) stored."""
        return self._path(kind, entry)

    def get(self, kind: str, entry: str) -> object | None:
        """The value stored under `entry`, or None when there is none or it cannot be loaded
        (with a `CacheEntryUnreadable` warning: see the module's docstring)."""
        path = self._path(kind, entry)
        try:
            file = path.open("rb")
        except OSError:
            self.misses += 1
            return None
        try:
            with file:
                value: object = pickle.load(file)
        except Exception as error:  # any unpickling failure: the entry is a miss, never a crash
            _warn_unreadable(self.folder, path, error)
            with contextlib.suppress(OSError):  # so that a `has` finds it missing: made again
                path.unlink(missing_ok=True)
            self.misses += 1
            return None
        mark_path_used(path)
        self.hits += 1
        return value

    def put(self, kind: str, entry: str, value: object) -> None:
        """Store `value` under `entry`; a cache that cannot be written is only slower."""
        target = self._path(kind, entry)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            with os.fdopen(handle, "wb") as file:
                pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, target)
        except OSError:
            return


def mark_path_used(path: Path) -> bool:
    """Set `path`'s modification time to now (see `medkg.pipeline.cache_eviction`); False
    when it is missing or cannot be changed (a read-only cache folder)."""
    try:
        os.utime(path)
    except OSError:
        return False
    return True
