"""The query store loaded from medkg.nq in chunks: the store and the name index a whole load
and a scan of the store give, with no bulk load of more than a chunk at a time."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pyoxigraph as ox
import pytest

from medkg.query import load_store, persistent, store_load
from medkg.query.name_index import NAME_INDEX_MAX, write_name_index, write_name_index_of
from medkg.query.store_load import chunks, load_dataset

from .conftest import Built

TURTLE = f"""\
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/> .
ex:a ex:name "Romosozumab", "ROMOSOZUMAB"@EN, "Straße"@de, "ΟΔΥΣΣΕΥΣ" ;
     ex:dose "210.0"^^xsd:decimal, "0{"0" * 120}7.50"^^xsd:decimal, 42, "2020-01-01"^^xsd:date ;
     ex:text "{"x" * NAME_INDEX_MAX}", "{"y" * (NAME_INDEX_MAX + 1)}", "{"z" * 200}"@en ;
     ex:link ex:b .
ex:b ex:name "Romosozumab" ; ex:flag true .
"""


def rows(path: Path) -> list[tuple[str, str]]:
    database = sqlite3.connect(path)
    try:
        return sorted(database.execute("SELECT lower, term FROM names").fetchall())
    finally:
        database.close()


def quads_of(turtle: str) -> str:
    """The triples of `turtle` in two named graphs, one N-Quads line each (each triple in
    both graphs, and a few in one only)."""
    lines = []
    for number, triple in enumerate(ox.parse(input=turtle, format=ox.RdfFormat.TURTLE)):
        for name in ("g1", "g2") if number % 3 else ("g1",):
            graph = ox.NamedNode(f"urn:{name}")
            named = ox.Quad(triple.subject, triple.predicate, triple.object, graph)
            lines.append(str(named) + " .\n")
    return "".join(sorted(lines))


class Recorder:
    """A store that records the size of each bulk load it is given."""

    def __init__(self, store: ox.Store):
        self.store = store
        self.loads: list[int] = []

    def bulk_load(self, *, input: bytes, format: ox.RdfFormat) -> None:
        self.loads.append(len(input))
        self.store.bulk_load(input=input, format=format)


def test_a_load_in_chunks_is_the_whole_load_and_its_name_index_a_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    nquads = tmp_path / "medkg.nq"
    nquads.write_text(quads_of(TURTLE), encoding="utf-8")
    whole = ox.Store()
    whole.load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    whole.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")

    monkeypatch.setattr(store_load, "CHUNK_BYTES", 300)
    chunked = Recorder(ox.Store())
    literals = load_dataset(chunked, nquads)  # type: ignore[arg-type]
    assert literals is not None
    assert len(chunked.loads) > 5
    assert max(chunked.loads) < 2 * (300 + 1000)  # a chunk (and its triples) at a time
    assert set(chunked.store) == set(whole)

    write_name_index(whole, tmp_path / "scanned.sqlite")
    write_name_index_of(literals, tmp_path / "read.sqlite")
    found = rows(tmp_path / "read.sqlite")
    assert found == rows(tmp_path / "scanned.sqlite")
    terms = {term for _, term in found}
    # the store's spelling of a value, the longest text kept, the one past the limit left out
    assert '"210"^^<http://www.w3.org/2001/XMLSchema#decimal>' in terms
    assert '"7.5"^^<http://www.w3.org/2001/XMLSchema#decimal>' in terms
    assert f'"{"x" * NAME_INDEX_MAX}"' in terms
    assert not any(term.startswith('"yy') or term.startswith('"zz') for term in terms)
    assert ("romosozumab", '"Romosozumab"') in found


def test_chunks_end_at_line_ends_and_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "lines.nq"
    text = b"".join(b"line %d " % n + b"x" * (n % 7) + b"\n" for n in range(200)) + b"last"
    path.write_bytes(text)
    pieces = list(chunks(path, 64))
    assert b"".join(pieces) == text + b"\n"
    assert all(piece.endswith(b"\n") for piece in pieces) and len(pieces) > 10


def test_blank_nodes_load_whole_and_stay_one_node(tmp_path: Path) -> None:
    nquads = tmp_path / "medkg.nq"
    lines = [f"_:b <urn:p{n}> <urn:o> <urn:g{n % 2}> .\n" for n in range(60)]
    nquads.write_text("".join(lines), encoding="utf-8")
    store = ox.Store()
    assert load_dataset(store, nquads) is None  # the name index is then a scan's
    named = {q.subject for q in store if q.graph_name != ox.DefaultGraph()}
    assert len(named) == 1 and len(store) == 120


def test_the_built_store_has_the_name_index_of_a_scan(
    built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "dist"
    shutil.copytree(built.out, data)

    def no_scan(*args: object) -> None:
        raise AssertionError("the name index was written from a scan of the store")

    with monkeypatch.context() as patch:
        patch.setattr(persistent, "write_name_index", no_scan)
        patch.setattr(store_load, "CHUNK_BYTES", 4096)
        read = load_store(data, cache_folder=tmp_path / "read")
    monkeypatch.setattr(store_load, "_mentions_blank_nodes", lambda path: True)
    scanned = load_store(data, cache_folder=tmp_path / "scanned")
    locations = [getattr(store, "location", None) for store in (read, scanned)]
    assert None not in locations
    found = rows(locations[0] / persistent.NAMES_FILE)
    assert found and found == rows(locations[1] / persistent.NAMES_FILE)
    assert len(read) == len(scanned) == len(built.graph)


def test_only_a_term_starting_with_underscore_colon_is_taken_for_a_blank_node(
    tmp_path: Path,
) -> None:
    path = tmp_path / "medkg.nq"
    path.write_text('<urn:s> <urn:p> "sporogenes_:** text" <urn:g> .\n', encoding="utf-8")
    assert load_dataset(ox.Store(), path) is not None  # loaded in chunks
    for line in ('_:b <urn:p> "x" <urn:g> .\n', "<urn:s> <urn:p> _:b <urn:g> .\n"):
        path.write_text('<urn:s> <urn:p> "x" <urn:g> .\n' + line, encoding="utf-8")
        assert load_dataset(ox.Store(), path) is None  # loaded whole
