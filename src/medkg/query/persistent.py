"""The on-disk pyoxigraph store of a dataset: built once per distinct medkg.nq, opened read-only.

Loading ``medkg.nq`` into memory takes seconds to minutes on a large dataset,
on every command. Instead its graph is loaded once into an on-disk store in
the user's cache folder, which any later process opens in milliseconds.
``medkg build`` builds it right after publishing (`ready_store`), so the
first query does not; `open_store` builds it when it is still missing.

Where: ``<cache folder>/query-stores/<name>/`` with ``<name>`` =
``<sha256 of medkg.nq>-oxigraph-<pyoxigraph version>-<LAYOUT>`` (a new
pyoxigraph or layout never opens an old store). Inside: ``oxigraph/`` (the
RocksDB files), ``names.sqlite`` (the name index, see `NameIndex`) and
``store.json`` (what it was built from).

Which medkg.nq: its sha256 as listed in the dataset's ``SHA256SUMS`` (written
by the build after every other file), used when that file is not older than
medkg.nq and the store built for it recorded the same size; otherwise the
file's bytes are hashed, and the digest remembered under ``paths/`` for
this path, size, inode and modification time, so an unchanged file is hashed
once.

Build: into a ``.tmp-*`` folder next to the final one: medkg.nq is bulk-loaded
in chunks, each with its triples for the default graph, which is so the merge of
the named graphs (each triple once; `medkg.query.store_load`), the name index is
written (from the literals read on the way), the store is compacted and closed,
``store.json`` is written last, and the folder is renamed into place (atomic;
when another process got there first, its store is used and this one dropped).

Open: ``store.json`` must name the same sha256, size and layout, the name
index must be there, and RocksDB must open read-only; otherwise the store is
corrupt and is removed and built again. An open store holds a shared lock on
its ``store.json`` (and marks the store used: its modification time becomes now);
the stores of earlier versions of the same dataset folder are removed after a new
one is built, unless a process holds such a lock. Past that, stores are evicted
with the build cache, least recently used first (`medkg.pipeline.cache_eviction`).

`StoreUnavailable` means the store can be neither opened nor built (read-only
cache folder, disk full, ...): the caller loads medkg.nq into memory instead.
Input that does not parse raises `SyntaxError` or `ValueError` from pyoxigraph.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from medkg.query.name_index import NameIndex, write_name_index, write_name_index_of
from medkg.query.store_load import load_dataset

try:
    import fcntl
except ImportError:  # pragma: no cover - not Unix: no locks, old stores are kept
    fcntl = None  # type: ignore[assignment]

LAYOUT = "v3"  # change when the folder's content changes meaning (v3: name keys trim spaces)
STORES = "query-stores"
MARKER = "store.json"
NAMES_FILE = "names.sqlite"
SUMS_FILE = "SHA256SUMS"
STALE_SECONDS = 24 * 3600  # a .tmp-* build folder this old was left by a crashed build
_DIGEST = re.compile(r"[0-9a-f]{64}")
_COUNT_DEFAULT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


class StoreUnavailable(Exception):
    """The on-disk store can neither be opened nor built; `reason` says why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class OpenedStore:
    """A read-only on-disk store and what its ``store.json`` records.

    `lock` is the open ``store.json`` holding a shared lock while the store is
    in use (closed with this object); `triples` is the size of the default
    graph; `names` the name index (see `NameIndex`).
    """

    store: ox.Store
    folder: Path
    digest: str
    triples: int
    lock: IO[bytes] | None
    names: NameIndex


def stores_root(cache_folder: Path) -> Path:
    """The folder holding every query store under `cache_folder`."""
    return cache_folder / STORES


def store_name(digest: str) -> str:
    """The folder name of the store of a medkg.nq whose sha256 is `digest`."""
    return f"{digest}-oxigraph-{ox.__version__}-{LAYOUT}"


def open_store(nquads: Path, cache_folder: Path) -> OpenedStore:
    """The read-only on-disk store of `nquads`, built first when there is none (or it is corrupt).

    Raises `StoreUnavailable` when it cannot be built or opened, and pyoxigraph's
    `SyntaxError`/`ValueError` when `nquads` does not parse.
    """
    root = stores_root(cache_folder)
    size = _stat(nquads).st_size
    digest = listed_digest(nquads)
    if digest is not None:
        opened = _open_existing(root / store_name(digest), digest, size)
        if opened is not None:
            return opened
        if _recorded(root / store_name(digest)).get("size") not in (None, size):
            digest = None  # SHA256SUMS names another medkg.nq than this one
    if digest is None:
        digest = file_digest(nquads, root)
    folder = root / store_name(digest)
    opened = _open_existing(folder, digest, size)
    if opened is not None:
        return opened
    if folder.exists():
        remove_store(folder)  # corrupt: a marker that does not match, or RocksDB did not open
    _build(nquads, digest, size, root, folder)
    opened = _open_existing(folder, digest, size)
    if opened is None:
        raise StoreUnavailable(f"the store built in {folder} does not open")
    _remove_older(root, nquads.parent, keep=folder)
    return opened


def ready_store(nquads: Path, cache_folder: Path) -> Path:
    """Make sure the on-disk store of `nquads` exists under `cache_folder` (building it when
    there is none), close it, and return its folder: what `medkg build` does after
    publishing, so the next query opens it in milliseconds.

    Raises `StoreUnavailable` for every failure, `nquads` that does not parse included.
    """
    try:
        opened = open_store(nquads, cache_folder)
    except (SyntaxError, ValueError) as error:
        raise StoreUnavailable(f"{nquads} does not parse ({error})") from error
    except (OSError, RuntimeError) as error:
        raise StoreUnavailable(
            f"cannot build the query store under {cache_folder} ({error})"
        ) from error
    folder = opened.folder
    if opened.lock is not None:
        opened.lock.close()
    del opened  # closes RocksDB
    return folder


# --- which medkg.nq ----------------------------------------------------------------------


def listed_digest(path: Path) -> str | None:
    """`path`'s sha256 from the SHA256SUMS next to it, when listed there and not older."""
    sums = path.parent / SUMS_FILE
    try:
        if sums.stat().st_mtime_ns < path.stat().st_mtime_ns:
            return None  # medkg.nq changed after the build wrote the sums
        with sums.open("rb") as handle:
            for raw in handle:
                digest, _, name = raw.decode("utf-8", "replace").rstrip("\r\n").partition("  ")
                if name.lstrip("*") == path.name and _DIGEST.fullmatch(digest):
                    return digest
    except OSError:
        return None
    return None


def file_digest(path: Path, root: Path) -> str:
    """The sha256 of `path`'s bytes, remembered under ``root/paths`` for its stat."""
    status = _stat(path)
    stamp = [status.st_size, status.st_mtime_ns, status.st_ino, status.st_dev]
    memo = root / "paths" / (hashlib.sha256(str(path.resolve()).encode()).hexdigest() + ".json")
    try:
        remembered = json.loads(memo.read_text(encoding="utf-8"))
        if remembered.get("stat") == stamp and _DIGEST.fullmatch(str(remembered.get("sha256"))):
            return str(remembered["sha256"])
    except (OSError, ValueError, AttributeError):
        pass
    try:
        found = _sha256(path)
    except OSError as error:
        raise StoreUnavailable(f"{path} cannot be read ({error})") from error
    _write_atomically(memo, {"path": str(path.resolve()), "stat": stamp, "sha256": found})
    return found


# --- open ----------------------------------------------------------------------------


def _open_existing(folder: Path, digest: str, size: int) -> OpenedStore | None:
    """The store in `folder` when it is complete and built from this medkg.nq, else None."""
    marker = folder / MARKER
    try:
        lock = marker.open("rb")
    except OSError:
        return None
    try:
        if fcntl is not None:
            fcntl.flock(lock.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
        recorded = json.loads(lock.read().decode("utf-8"))
        if (
            recorded.get("sha256") != digest
            or recorded.get("size") != size
            or recorded.get("layout") != LAYOUT
            or not (folder / NAMES_FILE).is_file()
        ):
            lock.close()
            return None
        store = ox.Store.read_only(str(folder / "oxigraph"))
        names = NameIndex(folder / NAMES_FILE)
        with contextlib.suppress(OSError):  # marks it used (medkg.pipeline.cache_eviction)
            os.utime(marker)
        return OpenedStore(store, folder, digest, int(recorded["triples"]), lock, names)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        lock.close()
        return None


def _recorded(folder: Path) -> dict[str, Any]:
    """What the ``store.json`` in `folder` records ({} when there is none or it is unreadable)."""
    try:
        recorded = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return recorded if isinstance(recorded, dict) else {}


# --- build ---------------------------------------------------------------------------


def _build(nquads: Path, digest: str, size: int, root: Path, folder: Path) -> None:
    """Build the store of `nquads` in a temporary folder and rename it to `folder`."""
    _sweep(root)
    try:
        root.mkdir(parents=True, exist_ok=True)
        temporary = Path(tempfile.mkdtemp(prefix=".tmp-", dir=root))
    except OSError as error:
        raise StoreUnavailable(f"cannot write to {root} ({error})") from error
    try:
        triples = _load(nquads, temporary / "oxigraph", temporary / NAMES_FILE)
        marker = {
            "sha256": digest,
            "size": size,
            "layout": LAYOUT,
            "pyoxigraph": ox.__version__,
            "triples": triples,
            "data_folder": str(nquads.parent.resolve()),
        }
        (temporary / MARKER).write_text(json.dumps(marker, indent=1) + "\n", encoding="utf-8")
        try:
            os.rename(temporary, folder)
        except OSError:
            if not (folder / MARKER).is_file():
                raise
            shutil.rmtree(temporary, ignore_errors=True)  # another process built it first
    except (OSError, RuntimeError) as error:  # disk full, no permission, RocksDB refused
        shutil.rmtree(temporary, ignore_errors=True)
        raise StoreUnavailable(f"cannot build the query store in {root} ({error})") from error
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


def _load(nquads: Path, path: Path, names: Path) -> int:
    """Load `nquads` into a new store at `path`: its named graphs, and their merge as the
    default graph (`medkg.query.store_load`, in chunks of bounded memory); write its name
    index to `names`. Returns the number of triples in the default graph; the store is
    closed."""
    store = ox.Store(str(path))
    literals = load_dataset(store, nquads)
    solutions = store.query(_COUNT_DEFAULT)
    assert isinstance(solutions, ox.QuerySolutions)
    count = next(iter(solutions))["n"]
    triples = int(count.value) if isinstance(count, ox.Literal) else 0
    if literals is not None:
        write_name_index_of(literals, names)
    else:
        write_name_index(store, names)
    store.optimize()
    del store  # closes RocksDB before the folder is renamed
    return triples


def _sha256(path: Path) -> str:
    """The sha256 of `path`'s bytes, read a megabyte at a time."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


# --- remove --------------------------------------------------------------------------


def remove_store(folder: Path) -> bool:
    """Remove a store no process holds a lock on; False when one does (or it cannot be)."""
    try:
        with (folder / MARKER).open("rb") as marker:
            if fcntl is not None:
                fcntl.flock(marker.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            trash = Path(tempfile.mkdtemp(prefix=".trash-", dir=folder.parent))
            os.rename(folder, trash / folder.name)
    except FileNotFoundError:
        try:
            trash = Path(tempfile.mkdtemp(prefix=".trash-", dir=folder.parent))
            os.rename(folder, trash / folder.name)
        except OSError:
            return False
    except OSError:
        return False
    shutil.rmtree(trash, ignore_errors=True)
    return True


def _remove_older(root: Path, data_folder: Path, keep: Path) -> None:
    """Remove the stores built from earlier versions of `data_folder`'s medkg.nq."""
    here = str(data_folder.resolve())
    try:
        folders = [entry for entry in root.iterdir() if entry.is_dir() and entry != keep]
    except OSError:
        return
    for folder in folders:
        if not folder.name.startswith(".") and _recorded(folder).get("data_folder") == here:
            remove_store(folder)


def _sweep(root: Path) -> None:
    """Remove what crashed processes left: ``.trash-*`` folders, ``.tmp-*`` older than a day."""
    try:
        entries = list(root.iterdir())
    except OSError:
        return
    day_ago = time.time() - STALE_SECONDS
    for entry in entries:
        try:
            stale = entry.name.startswith(".tmp-") and entry.stat().st_mtime < day_ago
        except OSError:
            continue
        if entry.name.startswith(".trash-") or stale:
            shutil.rmtree(entry, ignore_errors=True)


# --- small helpers -----------------------------------------------------------------------


def _stat(path: Path) -> os.stat_result:
    try:
        return path.stat()
    except OSError as error:
        raise StoreUnavailable(f"{path} cannot be read ({error})") from error


def _write_atomically(path: Path, content: dict[str, Any]) -> None:
    """Write JSON to `path` through a temporary file; a folder that cannot be written is skipped."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(content, file)
        os.replace(temporary, path)
    except OSError:
        return
