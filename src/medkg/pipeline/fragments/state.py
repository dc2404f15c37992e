"""The merge state: what the files of one output folder were merged from.

A full merge (`medkg.pipeline.fragments.merge`) can record it; an incremental
merge (`medkg.pipeline.fragments.incremental`) reads the little it needs and
updates it, so a rebuild where one cluster changed touches only what depends on
that cluster. It is a SQLite database in the build store, next to the fragments
it names (so it is as trusted as the store: its blobs are pickles):

* ``cluster``: the fragments merged, by store key;
* ``node_owner``: which fragments have a copy of each JSON-LD node (by a 64-bit
  hash of its id: a collision only makes a fragment a candidate to look at);
* ``node``: for a node several fragments have, or whose copies differ
  (`NodeState`), what all of them say about it, as counts, so removing one
  fragment's part is a subtraction; ``patched``: the union written for each node
  whose copies differ;
* ``subject``: for an N-Quads subject several fragments have, each line with
  the number of fragments giving it (a subject only one fragment has is just its
  lines in ``medkg.nq``);
* ``resource``, ``need``, ``code_system``: FHIR resources (file, sha256, number
  of fragments giving it), the references fragments could not resolve alone,
  the medkg code systems;
* ``source``: each fragment's source-document statements (``void.ttl``);
* ``file``: size and sha256 of every file written; ``meta``: the rest
  (triples per named graph, distinct triples, the output folder's stamp).

Everything is written in one transaction that the caller commits once the
files are in place, so the state never describes files that are not there.
"""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medkg.export.metadata import FileInfo

VERSION = 2
SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID;
CREATE TABLE cluster (id INTEGER PRIMARY KEY, key TEXT UNIQUE NOT NULL);
CREATE TABLE node_owner (id BLOB, cluster INTEGER, PRIMARY KEY (id, cluster)) WITHOUT ROWID;
CREATE TABLE node (id TEXT PRIMARY KEY, state BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE patched (id TEXT PRIMARY KEY, node TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE subject (subject BLOB PRIMARY KEY, lines BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE resource (
    url TEXT PRIMARY KEY, file_name TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL,
    owners INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE need (cluster INTEGER, kind TEXT, target TEXT, problem TEXT);
CREATE INDEX need_target ON need (target);
CREATE INDEX need_cluster ON need (cluster);
CREATE TABLE code_system (url TEXT PRIMARY KEY, owners INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE source (cluster INTEGER, document TEXT, line TEXT);
CREATE INDEX source_cluster ON source (cluster);
CREATE INDEX source_document ON source (document);
CREATE TABLE file (name TEXT PRIMARY KEY, size INTEGER NOT NULL, sha256 TEXT NOT NULL)
    WITHOUT ROWID;
"""
BATCH = 500  # keys per ``IN (...)`` query

Lines = Counter[bytes]  # N-Quads line -> fragments giving it
Resource = tuple[str, str, int, int]  # file name, sha256, size, fragments giving it
Need = tuple[str, str, str]  # kind, target, problem


@dataclass
class NodeState:
    """What every fragment having a copy of one JSON-LD node says about it, as counts.

    `top` and `embedded` count the digests of its top-level and embedded copies
    (`medkg.pipeline.fragments.model.NodeCopy`), `roots` the top-level nodes
    holding an embedded copy, `tops` its top-level texts with their drug flag,
    and `copies` the canonical JSON of every copy (kept only while the copies
    differ: that is what the patched union is made of).
    """

    owners: int
    top: Counter[str]
    embedded: Counter[str]
    roots: Counter[str]
    tops: Counter[tuple[bool, bytes]]
    copies: Counter[str] | None = None

    @classmethod
    def empty(cls) -> NodeState:
        return cls(0, Counter(), Counter(), Counter(), Counter(), Counter())

    def add(self, other: NodeState, sign: int = 1) -> None:
        """Add (`sign` 1) or take away (-1) another fragment's part."""
        self.owners += sign * other.owners
        for mine, theirs in (
            (self.top, other.top),
            (self.embedded, other.embedded),
            (self.roots, other.roots),
        ):
            _count(mine, theirs, sign)
        _count(self.tops, other.tops, sign)
        if self.copies is not None and other.copies is not None:
            _count(self.copies, other.copies, sign)
        elif other.copies is None:
            self.copies = None

    @property
    def is_embedded(self) -> bool:
        return bool(self.embedded)

    @property
    def dropped(self) -> bool:
        """Embedded somewhere and top-level somewhere: its top-level copies are not written."""
        return bool(self.embedded) and bool(self.top)

    @property
    def patched(self) -> bool:
        """Embedded somewhere, and its copies differ: every embedded copy gets the union."""
        return bool(self.embedded) and len(set(self.top) | set(self.embedded)) > 1


def _count(mine: Counter[Any], theirs: Counter[Any], sign: int) -> None:
    for item, number in theirs.items():
        left = mine[item] + sign * number
        if left:
            mine[item] = left
        else:
            del mine[item]


def node_hash(node_id: str) -> bytes:
    """The 64-bit key of a node id in ``node_owner``."""
    return hashlib.blake2b(node_id.encode("utf-8"), digest_size=8).digest()


def _chunks(items: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(items), BATCH):
        yield items[start : start + BATCH]


class MergeState:
    """One merge state database (see the module docstring)."""

    def __init__(self, connection: sqlite3.Connection, path: Path):
        self.connection = connection
        self.path = path

    @classmethod
    def create(cls, path: Path) -> MergeState:
        """A new, empty state at `path` (any file there is replaced)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        for stale in (path, path.with_name(path.name + "-journal")):
            stale.unlink(missing_ok=True)
        connection = sqlite3.connect(path, isolation_level="DEFERRED")
        connection.execute("PRAGMA journal_mode = DELETE")
        connection.execute("PRAGMA synchronous = OFF")
        connection.executescript(SCHEMA)
        state = cls(connection, path)
        state.set_meta("version", VERSION)
        return state

    @classmethod
    def open(cls, path: Path) -> MergeState | None:
        """The state at `path`, or None when there is none (or it is unreadable)."""
        if not path.is_file():
            return None
        try:
            connection = sqlite3.connect(path, isolation_level="DEFERRED")
            connection.execute("PRAGMA synchronous = NORMAL")
            state = cls(connection, path)
            if state.get_meta("version") != VERSION:
                connection.close()
                return None
        except (sqlite3.Error, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        return state

    def commit(self) -> None:
        self.connection.commit()

    def rollback(self) -> None:
        self.connection.rollback()

    def close(self) -> None:
        self.connection.close()

    # --- meta -------------------------------------------------------------------------------

    def get_meta(self, name: str) -> Any:
        row = self.connection.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return None if row is None else pickle.loads(row[0])

    def set_meta(self, name: str, value: object) -> None:
        self.connection.execute(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)",
            (name, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)),
        )

    # --- clusters and node owners -----------------------------------------------------------

    def clusters(self) -> dict[str, int]:
        """Store key -> number of every fragment merged."""
        return {
            key: number for number, key in self.connection.execute("SELECT id, key FROM cluster")
        }

    def add_cluster(self, number: int, key: str) -> None:
        self.connection.execute("INSERT INTO cluster VALUES (?, ?)", (number, key))

    def remove_cluster(self, number: int) -> None:
        """Forget a fragment, with its needs and source statements (its owner rows are
        removed by the caller, who knows its nodes)."""
        self.connection.execute("DELETE FROM cluster WHERE id = ?", (number,))
        self.connection.execute("DELETE FROM need WHERE cluster = ?", (number,))
        self.connection.execute("DELETE FROM source WHERE cluster = ?", (number,))

    def next_cluster_number(self) -> int:
        row = self.connection.execute("SELECT max(id) FROM cluster").fetchone()
        return 0 if row[0] is None else int(row[0]) + 1

    def owners(self, node_ids: Iterable[str]) -> dict[str, set[int]]:
        """The fragments that may have a copy of each node (see `node_hash`)."""
        by_hash: dict[bytes, list[str]] = {}
        for node_id in node_ids:
            by_hash.setdefault(node_hash(node_id), []).append(node_id)
        found: dict[str, set[int]] = {node_id: set() for ids in by_hash.values() for node_id in ids}
        for batch in _chunks(list(by_hash)):
            marks = ",".join("?" * len(batch))
            query = f"SELECT id, cluster FROM node_owner WHERE id IN ({marks})"
            for key, number in self.connection.execute(query, batch):
                for node_id in by_hash[key]:
                    found[node_id].add(number)
        return found

    def add_owners(self, rows: Iterable[tuple[str, int]]) -> None:
        self.connection.executemany(
            "INSERT OR IGNORE INTO node_owner VALUES (?, ?)",
            ((node_hash(node_id), number) for node_id, number in rows),
        )

    def remove_owners(self, rows: Iterable[tuple[str, int]]) -> None:
        self.connection.executemany(
            "DELETE FROM node_owner WHERE id = ? AND cluster = ?",
            ((node_hash(node_id), number) for node_id, number in rows),
        )

    # --- JSON-LD nodes ----------------------------------------------------------------------

    def nodes(self, node_ids: Iterable[str]) -> dict[str, NodeState]:
        found: dict[str, NodeState] = {}
        for batch in _chunks(sorted(set(node_ids))):
            marks = ",".join("?" * len(batch))
            query = f"SELECT id, state FROM node WHERE id IN ({marks})"
            for node_id, blob in self.connection.execute(query, batch):
                found[node_id] = pickle.loads(blob)
        return found

    def put_nodes(self, nodes: Mapping[str, NodeState | None]) -> None:
        dump = pickle.HIGHEST_PROTOCOL
        self.connection.executemany(
            "INSERT OR REPLACE INTO node VALUES (?, ?)",
            ((i, pickle.dumps(s, protocol=dump)) for i, s in nodes.items() if s is not None),
        )
        self.connection.executemany(
            "DELETE FROM node WHERE id = ?", ((i,) for i, s in nodes.items() if s is None)
        )

    def table(self) -> dict[str, str]:
        """Every patched node's union, as canonical JSON."""
        return dict(self.connection.execute("SELECT id, node FROM patched"))

    def put_table(self, entries: Mapping[str, str | None]) -> None:
        self.connection.executemany(
            "INSERT OR REPLACE INTO patched VALUES (?, ?)",
            ((i, text) for i, text in entries.items() if text is not None),
        )
        self.connection.executemany(
            "DELETE FROM patched WHERE id = ?", ((i,) for i, t in entries.items() if t is None)
        )

    # --- N-Quads subjects -------------------------------------------------------------------

    def subjects(self, subjects: Iterable[bytes]) -> dict[bytes, tuple[int, Lines]]:
        """Shared subjects: (fragments having it, each line with the fragments giving it)."""
        found: dict[bytes, tuple[int, Lines]] = {}
        for batch in _chunks(sorted(set(subjects))):
            marks = ",".join("?" * len(batch))
            query = f"SELECT subject, lines FROM subject WHERE subject IN ({marks})"
            for subject, blob in self.connection.execute(query, batch):
                found[bytes(subject)] = pickle.loads(blob)
        return found

    def put_subjects(self, subjects: Mapping[bytes, tuple[int, Lines] | None]) -> None:
        dump = pickle.HIGHEST_PROTOCOL
        self.connection.executemany(
            "INSERT OR REPLACE INTO subject VALUES (?, ?)",
            ((s, pickle.dumps(v, protocol=dump)) for s, v in subjects.items() if v is not None),
        )
        self.connection.executemany(
            "DELETE FROM subject WHERE subject = ?",
            ((s,) for s, v in subjects.items() if v is None),
        )

    # --- FHIR -------------------------------------------------------------------------------

    def resources(self, urls: Iterable[str]) -> dict[str, Resource]:
        found: dict[str, Resource] = {}
        for batch in _chunks(sorted(set(urls))):
            marks = ",".join("?" * len(batch))
            query = (
                f"SELECT url, file_name, sha256, size, owners FROM resource WHERE url IN ({marks})"
            )
            for url, name, sha, size, owners in self.connection.execute(query, batch):
                found[url] = (name, sha, size, owners)
        return found

    def put_resources(self, resources: Mapping[str, Resource | None]) -> None:
        self.connection.executemany(
            "INSERT OR REPLACE INTO resource VALUES (?, ?, ?, ?, ?)",
            ((url, *r) for url, r in resources.items() if r is not None),
        )
        self.connection.executemany(
            "DELETE FROM resource WHERE url = ?", ((u,) for u, r in resources.items() if r is None)
        )

    def code_systems(self, urls: Iterable[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for batch in _chunks(sorted(set(urls))):
            marks = ",".join("?" * len(batch))
            query = f"SELECT url, owners FROM code_system WHERE url IN ({marks})"
            found.update(self.connection.execute(query, batch))
        return found

    def put_code_systems(self, counts: Mapping[str, int]) -> None:
        self.connection.executemany(
            "INSERT OR REPLACE INTO code_system VALUES (?, ?)",
            ((url, n) for url, n in counts.items() if n > 0),
        )
        self.connection.executemany(
            "DELETE FROM code_system WHERE url = ?", ((u,) for u, n in counts.items() if n <= 0)
        )

    def add_needs(self, rows: Iterable[tuple[int, str, str, str]]) -> None:
        self.connection.executemany("INSERT INTO need VALUES (?, ?, ?, ?)", rows)

    def needs_of(self, targets: Iterable[str]) -> list[Need]:
        """The needs (of any fragment) with one of `targets`."""
        found: list[Need] = []
        for batch in _chunks(sorted(set(targets))):
            marks = ",".join("?" * len(batch))
            query = f"SELECT kind, target, problem FROM need WHERE target IN ({marks})"
            found.extend(self.connection.execute(query, batch))
        return found

    # --- sources and files ------------------------------------------------------------------

    def add_sources(self, rows: Iterable[tuple[int, str]]) -> None:
        """Source-document statements (``<document> <p> o``) of a fragment."""
        self.connection.executemany(
            "INSERT INTO source VALUES (?, ?, ?)",
            ((number, line[: line.index(" ")], line) for number, line in rows),
        )

    def sources(self, documents: Iterable[str]) -> dict[str, list[str]]:
        """The statements about each of `documents` (with repeats), by document."""
        found: dict[str, list[str]] = {}
        for batch in _chunks(sorted(set(documents))):
            marks = ",".join("?" * len(batch))
            query = f"SELECT document, line FROM source WHERE document IN ({marks})"
            for document, line in self.connection.execute(query, batch):
                found.setdefault(document, []).append(line)
        return found

    def cluster_sources(self, number: int) -> list[str]:
        query = "SELECT line FROM source WHERE cluster = ?"
        return [line for (line,) in self.connection.execute(query, (number,))]

    def files(self, names: Iterable[str] | None = None) -> dict[str, FileInfo]:
        """Size and sha256 of the files `names` (of every file without names)."""
        query = "SELECT name, size, sha256 FROM file"
        if names is None:
            return {n: FileInfo(size, sha) for n, size, sha in self.connection.execute(query)}
        found: dict[str, FileInfo] = {}
        for batch in _chunks(sorted(set(names))):
            marks = ",".join("?" * len(batch))
            for name, size, sha in self.connection.execute(
                f"{query} WHERE name IN ({marks})", batch
            ):
                found[name] = FileInfo(size, sha)
        return found

    def folders(self) -> list[str]:
        """The top-level files and folders (``name/``) of the output, as `readme` lists them."""
        query = (
            "SELECT DISTINCT CASE WHEN instr(name, '/') THEN substr(name, 1, instr(name, '/')) "
            "ELSE name END FROM file"
        )
        return sorted(name for (name,) in self.connection.execute(query))

    def put_files(self, files: Mapping[str, FileInfo | None]) -> None:
        self.connection.executemany(
            "INSERT OR REPLACE INTO file VALUES (?, ?, ?)",
            ((n, i.size, i.sha256) for n, i in files.items() if i is not None),
        )
        self.connection.executemany(
            "DELETE FROM file WHERE name = ?", ((n,) for n, i in files.items() if i is None)
        )
