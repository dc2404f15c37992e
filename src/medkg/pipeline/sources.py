"""The source documents of a build: which files it reads, their names, and their store keys.

`collect_sources` finds the documents (files named directly, and every
non-hidden ``.md``/``.txt`` file under named folders; two documents may not
share a file name, the key every stage knows a document by). Document IRIs are
made from file names (`medkg.graph.writer.document_slug`); names that would share
one (``foo.md`` and ``Foo.txt``) are the `shared_names`, whose IRIs carry the
digest of the whole name. A document's
store key (`document_key`) is made from its bytes, its names and the medkg
version; `document_keys` remembers each file's key with its size,
modification and change times and inode in the store (`StoreIndex`), so an
unchanged file is not even read again, unless it was modified within
`SOURCE_TICK_NS` of the moment its key was made. `corpus_key` is one key for
every document and the build options.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from medkg.errors import SourceError
from medkg.graph.writer import document_slug
from medkg.pipeline import cache
from medkg.pipeline.cache import Cache

SOURCE_SUFFIXES = {".md", ".markdown", ".txt", ""}


def collect_sources(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, and every non-hidden .md/.txt file under named folders, sorted."""
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            for candidate in path.rglob("*"):
                relative = candidate.relative_to(path).parts
                if (
                    candidate.is_file()
                    and not any(part.startswith(".") for part in relative)
                    and candidate.suffix.lower() in SOURCE_SUFFIXES
                ):
                    found.add(candidate)
        elif path.is_file():
            found.add(path)
        else:
            raise SourceError(str(path), "does not exist", "give existing files or folders")
    names: dict[str, Path] = {}
    for path in sorted(found):
        if path.name in names:
            raise SourceError(
                str(path),
                f"has the same file name as {names[path.name]}",
                "a build knows each document by its file name: rename one of them",
            )
        names[path.name] = path
    ordered = sorted(found, key=lambda p: p.name)
    shared_names(ordered)  # refuses the (improbable) names whose segments would still clash
    return ordered


def shared_names(sources: Sequence[Path]) -> frozenset[str]:
    """The file names of `sources` whose plain document segment (`document_slug`) another
    source's name also has (``foo.md`` and ``Foo.txt`` are both ``foo``): every one of
    them gets the digest of its whole file name instead, so no source is preferred and
    the choice depends on the set of names only (not on listing order, jobs or cache).
    Raises `SourceError` should two names still share a segment (a digest clash)."""
    by_segment: dict[str, list[str]] = {}
    for path in sources:
        by_segment.setdefault(document_slug(path.name), []).append(path.name)
    shared = frozenset(name for names in by_segment.values() if len(names) > 1 for name in names)
    final: dict[str, str] = {}
    for path in sorted(sources, key=lambda p: p.name):
        segment = document_slug(path.name, path.name in shared)
        if segment in final:
            raise SourceError(
                str(path),
                f"would have the same document IRI as {final[segment]} (id/document/{segment})",
                "rename one of them",
            )
        final[segment] = path.name
    return shared


def relative_name(path: Path, roots: Sequence[Path]) -> str:
    """`path` relative to the first folder root holding it, else its file name (POSIX form)."""
    for root in roots:
        if root.is_dir():
            try:
                return path.relative_to(root).as_posix()
            except ValueError:
                continue
    return path.name


class StoreIndex:
    """The summaries of the previous build's documents and clusters, in one entry each, so
    an unchanged corpus is not read back from thousands of store entries. An index is
    kept per medkg code version (`cache.key`), so another version's summaries are never
    read back."""

    def __init__(self, store: Cache):
        self.store = store

    def load(self, name: str) -> dict[str, Any]:
        found = self.store.get("index", cache.key("index", name))
        return found if isinstance(found, dict) else {}

    def save(self, name: str, entries: dict[str, Any]) -> None:
        self.store.put("index", cache.key("index", name), entries)


def document_key(path: Path, relative: str) -> str:
    """The store key of a document: its bytes, names and the medkg version."""
    try:
        data = path.read_bytes()
    except OSError:
        data = b""  # process_one reports the read error
    return cache.key("document", relative, path.name, data)


# A file modified this close before its key was made is read again next time (as git
# treats a file modified in the second its index was written as possibly changed).
SOURCE_TICK_NS = 2_000_000_000
SourceEntry = tuple[tuple[int, int, int, int] | None, str, int, str]  # stat, relative, made, key


def document_keys(sources: Sequence[Path], paths: Sequence[Path], store: Path | None) -> list[str]:
    """`document_key` of each source. With a `store`, the key remembered there is reused for
    a file whose size, modification and change times and inode are those it had when
    its key was made, unless it was modified within `SOURCE_TICK_NS` of that moment."""
    index = StoreIndex(Cache(store)) if store is not None else None
    remembered: dict[str, SourceEntry] = index.load("sources") if index is not None else {}
    fresh: dict[str, SourceEntry] = {}
    keys = []
    for path in sources:
        relative = relative_name(path, paths)
        try:
            info = path.stat()
            stat = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
        except OSError:
            stat = None
        known = remembered.get(str(path))
        if (
            stat is not None
            and known is not None
            and known[:2] == (stat, relative)
            and max(stat[1], stat[2]) < known[2] - SOURCE_TICK_NS
        ):
            entry = known
        else:
            made = time.time_ns()
            entry = (stat, relative, made, document_key(path, relative))
        fresh[str(path)] = entry
        keys.append(entry[3])
    if index is not None and fresh != remembered:
        index.save("sources", fresh)
    return keys


def corpus_key(
    paths: Sequence[Path],
    *options: str,
    store: Path | None = None,
    sources: Sequence[Path] | None = None,
) -> str:
    """One key for every source document (bytes, names) and the build options (document
    keys remembered in `store` are reused, see `document_keys`; `sources` are
    `collect_sources(paths)` when the caller has them already)."""
    found = collect_sources(paths) if sources is None else sources
    keys = document_keys(found, paths, store)
    return cache.key("build", *options, *keys)
