"""A competency query's parameters mean the same in every client: `medkg query` (which binds
the key of the value), `medkg serve`'s SPARQL endpoint, an Oxigraph server (the ``oxigraph``
command of the dev extras) that loaded ``dist/medkg.nq`` and serves it with
``--union-default-graph``, and a plain pyoxigraph store of the same file, where a user fills
the ``VALUES`` slots of the ``.rq`` text by hand with the value as typed.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medkg.query import named_queries, run_query
from medkg.query.run import fill_slots
from medkg.query.store import Store, load_store
from medkg.serve import MedkgServer, ServeConfig
from tests.conftest import Built
from tests.serve_support import running_server

# A value each parameter has in the seeds' graph, spelled as a user might type it.
SEED_VALUES = {
    "drug": "Romosozumab",
    "code": "j3111",
    "reaction": "Headache",
    "target": "Sclerostin",
    "pathway": "Canonical WNT signaling pathway",
    "document": "Romosozumab-Monograph.txt",
    "subject": "ROMOSOZUMAB-AQQG",
    "concept": "Arthralgia",
    "agreement": "Differ",
}
CASES = [(name, param) for name, query in sorted(named_queries().items()) for param in query.params]


def spellings(value: str) -> list[str]:
    """The value as written, lower-cased, and upper-cased with stray spaces around and inside."""
    return [value, value.lower(), "  " + value.upper().replace(" ", " \t ") + " \n"]


@pytest.fixture(scope="module")
def medkg_store(built: Built) -> Store:
    return load_store(built.out, persistent=False)


@pytest.fixture(scope="module")
def plain_store(built: Built) -> ox.Store:
    store = ox.Store()
    store.load(path=str(built.out / "medkg.nq"), format=ox.RdfFormat.N_QUADS)
    return store


@pytest.fixture(scope="module")
def server(built: Built) -> Iterator[MedkgServer]:
    with running_server(ServeConfig(data_dir=built.out, port=0, quiet=True)) as running:
        yield running


@pytest.fixture(scope="module")
def oxigraph_server(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The SPARQL endpoint of an Oxigraph server holding dist/medkg.nq (read-only)."""
    beside = Path(sys.executable).parent / "oxigraph"  # the virtualenv's, when not on PATH
    program = str(beside) if beside.exists() else shutil.which("oxigraph")
    if program is None:
        pytest.skip("the oxigraph server is not installed (pip install -e '.[dev]')")
    location = tmp_path_factory.mktemp("oxigraph")
    subprocess.run(
        [program, "load", "--location", str(location), "--file", str(built.out / "medkg.nq")],
        check=True,
        capture_output=True,
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    bind = f"127.0.0.1:{port}"
    command = [program, "serve-read-only", "--union-default-graph", "--bind", bind]
    server = subprocess.Popen(
        [*command, "--location", str(location)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://{bind}/query"
    try:
        for _ in range(200):
            try:
                sparql_rows(endpoint, "ASK {}")
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.05)
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=10)


def by_hand(name: str, param: str, value: str) -> str:
    """The query text with the value as typed in each of the parameter's slots."""
    text, filled = fill_slots(named_queries()[name].text, {param: value})
    assert param in filled, (name, param)
    return text


Row = tuple[str | None, ...]


def same_values(rows: Iterable[Iterable[str | None]]) -> list[Row]:
    """Rows sorted, numbers by value (stores spell ``210.0`` as ``210`` or ``210.0``)."""

    def cell(value: str | None) -> str | None:
        try:
            return None if value is None else str(Decimal(value).normalize())
        except InvalidOperation:
            return value

    return sorted(tuple(cell(value) for value in row) for row in rows)


def plain_rows(store: ox.Store, text: str) -> list[Row]:
    answer = store.query(text, use_default_graph_as_union=True)
    assert isinstance(answer, ox.QuerySolutions)
    names = [variable.value for variable in answer.variables]
    return same_values([None if row[n] is None else row[n].value for n in names] for row in answer)


def sparql_rows(endpoint: str, text: str) -> list[Row]:
    """The rows of a SELECT (or nothing for an ASK) through the SPARQL 1.1 protocol."""
    request = urllib.request.Request(
        endpoint,
        data=urllib.parse.urlencode({"query": text}).encode(),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        body = json.loads(response.read())
    names = body["head"].get("vars", [])
    return same_values(
        [row[n]["value"] if n in row else None for n in names]
        for row in body.get("results", {}).get("bindings", [])
    )


def medkg_rows(store: Store, name: str, param: str, value: str) -> list[Row]:
    result = run_query(store, named_queries()[name], {param: value})
    return same_values([None if v is None else str(v) for v in row] for row in result.rows)


@pytest.mark.parametrize(("name", "param"), CASES)
def test_every_client_gets_the_same_rows_for_any_spelling(
    name: str,
    param: str,
    medkg_store: Store,
    plain_store: ox.Store,
    server: MedkgServer,
    oxigraph_server: str,
) -> None:
    value = SEED_VALUES[param]
    expected = medkg_rows(medkg_store, name, param, value.lower())
    for spelled in spellings(value):
        assert medkg_rows(medkg_store, name, param, spelled) == expected, spelled
        text = by_hand(name, param, spelled)
        assert plain_rows(plain_store, text) == expected, spelled
        assert sparql_rows(server.url + "/sparql", text) == expected, spelled
        assert sparql_rows(oxigraph_server, text) == expected, spelled


def test_the_seed_values_find_rows_for_every_query(medkg_store: Store) -> None:
    """So the test above compares answers, not empty lists: each query has rows for at least
    one of its parameters' seed values, and a misspelled value finds none."""
    for name, query in named_queries().items():
        found = {p: medkg_rows(medkg_store, name, p, SEED_VALUES[p]) for p in query.params}
        assert any(found.values()), name
        for param in query.params:
            assert medkg_rows(medkg_store, name, param, SEED_VALUES[param] + "x") == [], name


@settings(max_examples=40, deadline=None)
@given(
    cases=st.lists(st.booleans(), min_size=16, max_size=16),
    before=st.sampled_from(["", " ", "\t", "  \n"]),
    after=st.sampled_from(["", " ", "\r\n", " \t "]),
)
def test_a_name_in_any_case_with_spaces_at_the_ends_matches_in_a_plain_store(
    plain_store: ox.Store, cases: list[bool], before: str, after: str
) -> None:
    name = "romosozumab-aqqg"
    spelled = (
        before + "".join(c.upper() if up else c for c, up in zip(name, cases, strict=True)) + after
    )
    rows = plain_rows(plain_store, by_hand("regimens", "drug", spelled))
    assert rows == plain_rows(plain_store, by_hand("regimens", "drug", name))
    assert rows
