"""A competency query's parameters mean the same in every client: `medkg query` (which binds
the key of the value), `medkg serve`'s SPARQL endpoint, an Oxigraph server (the ``oxigraph``
command of the dev extras) that loaded ``dist/medkg.nq`` and serves it with
``--union-default-graph``, and a plain pyoxigraph store of the same file, where a user fills
the ``VALUES`` slots of the ``.rq`` text by hand with the value as typed.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medkg.query import named_queries, run_query
from medkg.query.run import fill_slots
from medkg.query.store import Store, load_store
from medkg.serve import MedkgServer, ServeConfig
from tests.conftest import Built
from tests.oxigraph_support import Row, oxigraph_load, running_oxigraph, same_values, sparql_rows
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
    location = tmp_path_factory.mktemp("oxigraph")
    oxigraph_load(location, built.out / "medkg.nq")
    with running_oxigraph(location, read_only=True) as base:
        yield base + "/query"


def by_hand(name: str, param: str, value: str) -> str:
    """The query text with the value as typed in each of the parameter's slots."""
    text, filled = fill_slots(named_queries()[name].text, {param: value})
    assert param in filled, (name, param)
    return text


def plain_rows(store: ox.Store, text: str) -> list[Row]:
    answer = store.query(text, use_default_graph_as_union=True)
    assert isinstance(answer, ox.QuerySolutions)
    names = [variable.value for variable in answer.variables]
    return same_values([None if row[n] is None else row[n].value for n in names] for row in answer)


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
