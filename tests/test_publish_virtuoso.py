"""`medkg publish` into OpenLink Virtuoso, the second store: published through its Graph
Store Protocol endpoint and switched in one SPARQL Update, every competency query answers
through its SPARQL endpoint as `medkg query` does (Virtuoso queries the union of its graphs
when a query names none).

What Virtuoso 7.2.5 (Debian bookworm) does differently, found by these tests and allowed
for here, each named where it is allowed for:

- it returns ``xsd:boolean`` values as the integers 0 and 1: booleans are compared by value;
- its ``SELECT DISTINCT`` leaves some identical rows in (``regimens`` on the sample corpus):
  rows are compared as sets, and medkg's own answers are checked to have no duplicates;
- ``cross-source`` runs past its 60-second limit on the sample corpus, and on the seeds
  pairs terms of one claim with the values of another (its unions and grouped
  subqueries): it is not compared, and a Virtuoso answer to it is wrong;
- ``procedure`` on the sample corpus gives some codes another code's settings, personnel
  and durations (its grouped subqueries; which codes changes from run to run): a Virtuoso
  answer to it is wrong, so it is compared on the seeds only (one code), where it is right.

Two deviations were mended in the queries instead, since both stores then agree: CONCAT of
an unbound value gives a string in Virtuoso (an error in SPARQL, which COALESCE skips), so
ranges are joined where both ends are bound; and a BIND after an OPTIONAL group saw a
variable of that group as bound, so ``period`` is bound inside its group."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from medkg import build
from medkg.publish import MANIFEST, STAGING, publish
from medkg.publish.graph_store import GraphStore
from medkg.query import load_store, named_queries, run_query
from tests.conftest import FIXTURES, SOURCES, Built
from tests.oxigraph_support import Row, same_values, sparql_rows
from tests.virtuoso_support import running_virtuoso

BOOLEANS = {"false": "0", "true": "1"}
ON_THE_SEEDS_ONLY = {"procedure"}  # see above: Virtuoso fails it on more
NOT_COMPARED = {"cross-source"}  # see above: Virtuoso answers it wrongly
GRAPHS = (  # Virtuoso's own graphs (its schemas, its configuration) left out
    "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
    "FILTER(STRSTARTS(STR(?g), 'https://w3id.org/medkg/') || STRSTARTS(STR(?g), 'urn:medkg:')) }"
)


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as base:
        yield base


@pytest.fixture(scope="module")
def corpus_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds and the sample corpus, built: ranges, weight-based doses, several codes."""
    out = tmp_path_factory.mktemp("corpus") / "dist"
    build([FIXTURES / "corpus", SOURCES], out)
    return out


def store_of(base: str) -> GraphStore:
    return GraphStore(base + "/sparql-graph-crud", base + "/sparql", sleep=lambda _: None)


def medkg_rows(out: Path, name: str) -> list[Row]:
    result = run_query(load_store(out, persistent=False), named_queries()[name])
    return same_values(
        [None if v is None else BOOLEANS.get(str(v), str(v)) for v in row] for row in result.rows
    )


def graphs(base: str) -> list[str]:
    return sorted(str(row[0]) for row in sparql_rows(base + "/sparql", GRAPHS))


def test_every_competency_query_answers_in_virtuoso_as_medkg_query_does(
    virtuoso: str, corpus_dist: Path
) -> None:
    report = publish(corpus_dist, store_of(virtuoso))
    assert report.atomic
    assert report.triples == sum(1 for _ in (corpus_dist / "medkg.nq").open(encoding="utf-8"))
    for name, query in sorted(named_queries().items()):
        if name in ON_THE_SEEDS_ONLY | NOT_COMPARED:
            continue
        rows = medkg_rows(corpus_dist, name)
        assert rows and len(set(rows)) == len(rows), name
        assert set(sparql_rows(virtuoso + "/sparql", query.text)) == set(rows), name


@pytest.mark.parametrize("name", sorted(ON_THE_SEEDS_ONLY))
def test_on_the_seeds_virtuoso_answers_as_medkg_query_does(
    virtuoso: str, built: Built, name: str
) -> None:
    publish(built.out, store_of(virtuoso))
    rows = medkg_rows(built.out, name)
    assert rows
    assert sparql_rows(virtuoso + "/sparql", named_queries()[name].text) == rows


def test_a_new_version_replaces_the_old_in_virtuoso(
    virtuoso: str, corpus_dist: Path, tmp_path: Path
) -> None:
    publish(corpus_dist, store_of(virtuoso))
    before = graphs(virtuoso)
    smaller = tmp_path / "smaller"
    smaller.mkdir()
    shutil.copy(SOURCES / "romosozumab-monograph.txt", smaller)
    build([smaller], tmp_path / "dist")
    report = publish(tmp_path / "dist", store_of(virtuoso))
    now = graphs(virtuoso)
    assert report.dropped == len(before) - len(now) > 0
    assert now == sorted(
        [MANIFEST]
        + [f"https://w3id.org/medkg/id/graph/{g}" for g in ("links", "romosozumab-monograph")]
    )
    assert not any(g.startswith(STAGING) for g in now)
    assert sparql_rows(virtuoso + "/sparql", named_queries()["billing"].text) == []
    assert medkg_rows(tmp_path / "dist", "regimens") == sparql_rows(
        virtuoso + "/sparql", named_queries()["regimens"].text
    )
