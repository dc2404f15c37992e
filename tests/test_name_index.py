"""The name index of the query store, read from medkg.ttl while the store loads it, is the
one a scan of the store writes."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pyoxigraph as ox
import pytest

from medkg.query import load_store, persistent
from medkg.query.name_index import (
    NAME_INDEX_MAX,
    literals_of,
    write_name_index,
    write_name_index_of,
)

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


def test_literals_read_from_turtle_index_as_a_scan_of_the_store_does(tmp_path: Path) -> None:
    turtle = tmp_path / "graph.ttl"
    turtle.write_text(TURTLE, encoding="utf-8")
    store = ox.Store()
    store.load(path=str(turtle), format=ox.RdfFormat.TURTLE)
    write_name_index(store, tmp_path / "scanned.sqlite")
    write_name_index_of(literals_of(turtle), tmp_path / "read.sqlite")
    found = rows(tmp_path / "read.sqlite")
    assert found == rows(tmp_path / "scanned.sqlite")
    terms = {term for _, term in found}
    # the store's spelling of a value, the longest text kept, the one past the limit left out
    assert '"210"^^<http://www.w3.org/2001/XMLSchema#decimal>' in terms
    assert '"7.5"^^<http://www.w3.org/2001/XMLSchema#decimal>' in terms
    assert f'"{"x" * NAME_INDEX_MAX}"' in terms
    assert not any(term.startswith('"yy') or term.startswith('"zz') for term in terms)
    assert ("romosozumab", '"Romosozumab"') in found


def test_the_store_built_from_medkg_ttl_has_the_name_index_of_a_scan(
    built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "dist"
    shutil.copytree(built.out, data)

    def no_scan(*args: object) -> None:
        raise AssertionError("the name index was written from a scan of the store")

    with monkeypatch.context() as patch:
        patch.setattr(persistent, "write_name_index", no_scan)
        read = load_store(data, cache_folder=tmp_path / "read")
    monkeypatch.setattr(persistent, "_union_turtle", lambda *args: None)
    scanned = load_store(data, cache_folder=tmp_path / "scanned")
    locations = [getattr(store, "location", None) for store in (read, scanned)]
    assert None not in locations
    found = rows(locations[0] / persistent.NAMES_FILE)
    assert found and found == rows(locations[1] / persistent.NAMES_FILE)
