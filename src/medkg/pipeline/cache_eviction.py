"""Keeping the build cache bounded: least-recently-used eviction down to a size cap.

Every entry a build relies on is *marked used* (its modification time set to
now: `Cache.get` and `Cache.has` do it, and a build reused whole marks the
entries its record lists). After a build, `evict` removes the entries least
recently used until the folder is at most `max_bytes`, **never one this build
used**: a rebuild with nothing changed stays all-cache, however small the cap
(the cap then holds what the last build used and nothing more).

Units of eviction: each entry file (``<kind>/<xx>/<key>``, merge states under
``merge/``) and each on-disk query store (``query-stores/<name>/``, last used
when its ``store.json`` was; one a process has open is skipped, see
`medkg.query.persistent`).

Concurrent builds: a build holds a shared lock on ``<folder>/cache.lock``
while it runs (`in_use`); eviction needs the exclusive lock and is skipped
(left to the next build) when another build holds it, so it never removes an
entry a running build is about to read. An entry that vanished or cannot be
read anyway is made again (`medkg.pipeline.cache`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # pragma: no cover - not Unix: no locks, no eviction
    fcntl = None  # type: ignore[assignment]

LOCK_FILE = "cache.lock"
STORES = "query-stores"  # medkg.query.persistent.STORES
STORE_MARKER = "store.json"  # medkg.query.persistent.MARKER
DEFAULT_MAX_BYTES = 5 << 30  # 5 GiB: the real collection's entries and store take ~4 GiB
_SIZE = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*(?:([KMGT])i?)?B?\s*", re.IGNORECASE)
_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
_SLACK_SECONDS = 2.0  # file times may be coarser than the clock


def parse_size(text: str) -> int:
    """A size such as ``500M``, ``5G``, ``2.5GiB`` or ``0`` in bytes; `ValueError` otherwise."""
    found = _SIZE.fullmatch(text)
    if found is None:
        raise ValueError(f"{text!r} is not a size (write e.g. 500M, 5G or 0)")
    return int(float(found.group(1)) * _UNITS[(found.group(2) or "").upper()])


def human(size: int) -> str:
    """`size` bytes as a short figure (``1.5 GiB``)."""
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class Unit:
    """One thing eviction removes whole: an entry file or a query store's folder."""

    path: Path
    size: int
    used: float  # when it was last used (modification time)
    store: bool  # a query store's folder (removed through medkg.query.persistent)


@dataclass(frozen=True)
class Eviction:
    """What `evict` found and removed (`skipped`: another build held the cache)."""

    before: int
    after: int
    removed: int
    skipped: bool = False


def units(folder: Path) -> list[Unit]:
    """Every unit of eviction in `folder` (unfinished ``.tmp-*``/``.trash-*`` ones left out)."""
    found: list[Unit] = []
    try:
        tops = sorted(folder.iterdir())
    except OSError:
        return found
    for top in tops:
        if top.name.startswith(".") or not top.is_dir() or top.is_symlink():
            continue
        if top.name == STORES:
            found.extend(_stores(top))
        else:
            found.extend(_files(top))
    return found


def _files(top: Path) -> Iterator[Unit]:
    """Every file under `top` (dot-named ones and folders left out), with size and time."""
    folders = [str(top)]
    while folders:
        try:
            listing = list(os.scandir(folders.pop()))
        except OSError:
            continue
        for entry in listing:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                    continue
                status = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            yield Unit(Path(entry.path), status.st_size, status.st_mtime, store=False)


def _stores(top: Path) -> Iterator[Unit]:
    for entry in sorted(top.iterdir()):
        if entry.name.startswith(".") or not entry.is_dir() or entry.name == "paths":
            continue
        try:
            used = (entry / STORE_MARKER).stat().st_mtime
        except OSError:
            continue  # no marker: being built, or left broken (the next open removes it)
        size = sum(unit.size for unit in _files(entry))
        yield Unit(entry, size, used, store=True)


def usage(folder: Path) -> dict[str, tuple[int, int]]:
    """How many units and bytes `folder` holds, by kind (the top folder: ``document``,
    ``fragment``, ..., ``query-stores``)."""
    found: dict[str, tuple[int, int]] = {}
    for unit in units(folder):
        kind = unit.path.relative_to(folder).parts[0]
        count, size = found.get(kind, (0, 0))
        found[kind] = (count + 1, size + unit.size)
    return found


def evict(folder: Path, max_bytes: int, used_since: float | None = None) -> Eviction:
    """Remove the least recently used units of `folder` until it holds at most `max_bytes`,
    keeping every unit used at or after `used_since` (a `time.time()` value). Skipped
    (`Eviction.skipped`) while a build holds the cache (see `in_use`)."""
    if fcntl is None:  # pragma: no cover - no locks: never remove what a build may read
        return Eviction(0, 0, 0, skipped=True)
    try:
        lock = _lock_file(folder)
    except OSError:
        return Eviction(0, 0, 0, skipped=True)
    with lock:
        try:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return Eviction(0, 0, 0, skipped=True)
        return _evict_locked(folder, max_bytes, used_since)


def _evict_locked(folder: Path, max_bytes: int, used_since: float | None) -> Eviction:
    found = units(folder)
    before = sum(unit.size for unit in found)
    total, removed = before, 0
    keep_from = None if used_since is None else used_since - _SLACK_SECONDS
    for unit in sorted(found, key=lambda unit: (unit.used, str(unit.path))):
        if total <= max_bytes:
            break
        if keep_from is not None and unit.used >= keep_from:
            continue
        if _remove(unit):
            total -= unit.size
            removed += 1
    return Eviction(before, total, removed)


def _remove(unit: Unit) -> bool:
    if unit.store:
        from medkg.query.persistent import remove_store

        return remove_store(unit.path)
    try:
        unit.path.unlink()
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return True


def clear(folder: Path) -> Eviction:
    """Remove everything `folder` holds (`evict` down to nothing, keeping nothing)."""
    return evict(folder, 0)


def _lock_file(folder: Path) -> IO[bytes]:
    """The open lock file of `folder` (made with the folder when missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    return (folder / LOCK_FILE).open("a+b")


@contextmanager
def in_use(folder: Path | None) -> Iterator[None]:
    """Hold `folder`'s shared lock while the body (a build) uses the cache, so that no
    `evict` runs meanwhile (waits while one does). Nothing happens for no folder."""
    if folder is None or fcntl is None:
        yield
        return
    try:
        lock = _lock_file(folder)
    except OSError:  # a cache folder that cannot be written is only slower
        yield
        return
    with lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_SH)
        yield
