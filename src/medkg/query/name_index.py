"""The name index of an on-disk query store: an SQLite table of the graph's short literals.

A name slot (``drug=…``) is matched on the literal's key (``LCASE(STR())`` with runs of
white space made one space and the ends trimmed: `medkg.query.run.match_key`); scanning
every literal of a large graph for that takes seconds, so the store keeps every literal
of its default graph up to `NAME_INDEX_MAX` characters, keyed as pyoxigraph computes that
key, in ``names.sqlite``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

NAME_INDEX_MAX = 100  # literals up to this many characters are in the name index
_TEXT_TYPES = {
    "http://www.w3.org/2001/XMLSchema#string",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString",
}
_HOLDER = ox.NamedNode("urn:medkg:name-index")  # subject and predicate of each literal held
_SHORT_LITERALS = f"""
SELECT ?literal (REPLACE(REPLACE(LCASE(STR(?literal)), "\\\\s+", " "), "^ | $", "") AS ?lower)
WHERE {{
  {{ SELECT DISTINCT ?literal WHERE {{
       ?s ?p ?literal . FILTER(isLiteral(?literal) && STRLEN(STR(?literal)) <= {NAME_INDEX_MAX})
  }} }}
}}
"""


class NameIndex:
    """The name index of an on-disk store: which literals have a given key (see above).

    Opened (read-only) on first use, so a query without name slots never opens it.
    """

    def __init__(self, path: Path):
        self.path = path
        self._database: Any = None

    def lookup(self, lower: str) -> list[str] | None:
        """The literals (as SPARQL terms, sorted) whose key is `lower`; None when
        `lower` is longer than the index covers or the index cannot be read."""
        if len(lower) > NAME_INDEX_MAX:
            return None
        import sqlite3

        try:
            if self._connect() is None:
                return None
            found = self._database.execute(
                "SELECT term FROM names WHERE lower = ? ORDER BY term", (lower,)
            ).fetchall()
        except sqlite3.Error:
            return None
        return [str(row[0]) for row in found]

    def nearest(self, lower: str, limit: int = 5) -> list[str]:
        """Up to `limit` text literals (their text, most alike first) whose key is close to
        `lower` but not it: a misspelling's likely meaning. Candidates share the first two
        characters of the key; empty when none is close or the index cannot be read."""
        import difflib
        import sqlite3

        if len(lower) < 3 or len(lower) > NAME_INDEX_MAX or self._connect() is None:
            return []
        start = lower[:2]
        try:
            rows = self._database.execute(
                "SELECT lower, MIN(term) FROM names WHERE lower >= ? AND lower < ? "
                "AND term LIKE '\"%\"' GROUP BY lower LIMIT 20000",
                (start, start + "\U0010ffff"),
            ).fetchall()
        except sqlite3.Error:
            return []
        spelled = {str(key): _text(str(term)) for key, term in rows if key != lower}
        close = difflib.get_close_matches(lower, list(spelled), n=limit, cutoff=0.75)
        return [spelled[key] for key in close]

    def _connect(self) -> Any:
        """The read-only connection (opened on first use), or None when it cannot be opened."""
        import sqlite3

        if self._database is None:
            try:
                self._database = sqlite3.connect(
                    f"{self.path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False
                )
            except sqlite3.Error:
                return None
        return self._database


_ESCAPED = re.compile(r"\\(.)", re.DOTALL)
_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f"}


def _text(term: str) -> str:
    """The text of a plain string literal written as a SPARQL term (``"a \\"b\\""``)."""
    return _ESCAPED.sub(lambda found: _ESCAPES.get(found[1], found[1]), term[1:-1])


def write_name_index(store: ox.Store, path: Path) -> None:
    """Every literal of `store`'s default graph up to `NAME_INDEX_MAX` characters, keyed by its
    key (see the module docstring) as the store computes it, in an SQLite file at `path`."""
    import sqlite3

    solutions = store.query(_SHORT_LITERALS)
    assert isinstance(solutions, ox.QuerySolutions)
    rows = (
        (solution["lower"].value, str(solution["literal"]))
        for solution in solutions
        if isinstance(solution["lower"], ox.Literal)
    )
    try:
        database = sqlite3.connect(path)
        try:
            database.execute("CREATE TABLE names (lower TEXT NOT NULL, term TEXT NOT NULL)")
            database.executemany("INSERT INTO names VALUES (?, ?)", rows)
            database.execute("CREATE INDEX names_by_lower ON names (lower)")
            database.commit()
        finally:
            database.close()
    except sqlite3.Error as error:  # e.g. the disk is full
        raise OSError(f"cannot write the name index {path} ({error})") from error


def may_be_indexed(term: ox.Literal) -> bool:
    """Whether the literal `term` may belong in the name index: every one up to
    `NAME_INDEX_MAX` characters, and every typed literal that is not text (the store keeps
    its value, and the value's spelling may be shorter: ``"210.0"`` is ``210``)."""
    return len(term.value) <= NAME_INDEX_MAX or term.datatype.value not in _TEXT_TYPES


def write_name_index_of(literals: Iterable[ox.Literal], path: Path) -> None:
    """The name index of a default graph holding `literals` (and no other literal), exactly
    as `write_name_index` writes it from that graph's store: the literals are put in an
    in-memory store (which keeps values as the on-disk one does) and indexed from there."""
    held = ox.Store()
    held.extend(ox.Quad(_HOLDER, _HOLDER, literal, ox.DefaultGraph()) for literal in literals)
    write_name_index(held, path)
