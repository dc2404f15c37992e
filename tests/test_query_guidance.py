"""What `medkg query` tells a user beyond the rows: medkg's prefixes need no declaration, an
undeclared prefix is named where it is used, and a parameter that matches nothing says so
on stderr with the nearest names."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from click.testing import Result as CliResult

from medkg.cli import main
from medkg.namespaces import PREFIXES
from medkg.query import QuerySyntaxError, Store, load_store, named_queries, run_query
from medkg.query.command import no_match_notes
from medkg.query.run import known_prologue
from medkg.query.sparql_text import tokens, undeclared_prefixes
from tests.conftest import Built

DRUGS = "SELECT ?name WHERE { ?drug a schema:Drug ; schema:name ?name }"


def cli(built: Built, cache: Path, *args: str) -> CliResult:
    return CliRunner().invoke(
        main, ["query", *args, "--data", str(built.out), "--cache-dir", str(cache)]
    )


@pytest.fixture(scope="module")
def indexed(built: Built, tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The seeds' on-disk store, with its name index."""
    return load_store(built.out, cache_folder=tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def in_memory(built: Built) -> Store:
    return load_store(built.out, persistent=False)


# --- prefixes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "undeclared"),
    [
        (DRUGS, ["schema"]),
        ("PREFIX schema: <http://x/> " + DRUGS, []),
        (
            'SELECT * { ?s a skos:Concept ; ?p "x:y" . <urn:a:b> rdfs:label ?o } # owl:x',
            ["skos", "rdfs"],
        ),
        ("SELECT * { ?s :p ?o . ?s xsd:int ?x }", ["", "xsd"]),
        ('ASK { ?s ?p "1"^^xsd:integer }', ["xsd"]),
    ],
)
def test_undeclared_prefixes_are_those_used_and_not_declared(
    text: str, undeclared: list[str]
) -> None:
    assert undeclared_prefixes(tokens(text)) == undeclared


def test_only_medkg_prefixes_are_declared_for_the_user() -> None:
    assert known_prologue(["schema", "nope", ""]) == f"PREFIX schema: <{PREFIXES['schema']}> "
    assert known_prologue(["nope"]) == ""


def test_a_query_using_medkg_prefixes_undeclared_runs(built: Built, tmp_path: Path) -> None:
    result = cli(built, tmp_path, "--sparql", DRUGS, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["name", "Romosozumab"]


def test_a_prefix_the_user_declares_is_theirs(in_memory: Store) -> None:
    mine = "PREFIX schema: <http://schema.org/>\n" + DRUGS
    assert run_query(in_memory, mine).rows == ()
    assert len(run_query(in_memory, DRUGS).rows) == 1


def test_an_unknown_prefix_is_named_where_it_is_used(in_memory: Store) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        run_query(in_memory, "SELECT * WHERE {\n  ?s foo:bar ?o\n}")
    error = caught.value
    assert (error.line, error.column) == (2, 6)
    assert "prefix foo: is not declared" in str(error)
    assert "medkg declares medkg:, id:, schema:" in str(error)


def test_positions_on_the_first_line_are_in_the_text_as_given(in_memory: Store) -> None:
    """medkg's declarations go before the first line; an error there is still located in
    the user's text."""
    with pytest.raises(QuerySyntaxError) as caught:
        run_query(in_memory, "SELECT ?name WHERE { ?d schema:name ?name . FILTER(?name = ) }")
    assert (caught.value.line, caught.value.column) == (1, 45)  # where rdflib names it
    with pytest.raises(QuerySyntaxError) as caught:
        run_query(in_memory, "SELECT * WHERE { ?s schema:name ?o . ?s bad:x ?y }")
    assert (caught.value.line, caught.value.column) == (1, 41)


# --- parameters that match nothing ---------------------------------------------------------


def test_a_misspelled_name_gets_a_note_with_the_nearest_names(built: Built, tmp_path: Path) -> None:
    result = cli(built, tmp_path, "regimens", "--param", "drug=Romosozumb")
    assert result.exit_code == 0
    assert "(0 rows)" in result.stdout
    assert "no name in the graph is 'Romosozumb'" in result.stderr
    assert "nearest: 'Romosozumab'" in result.stderr
    assert "note" not in cli(built, tmp_path, "regimens", "--param", "drug=romosozumab").stderr


def test_names_that_exist_but_do_not_join_say_so(indexed: Store) -> None:
    query = named_queries()["regimens"]
    params = {"drug": "Sclerostin"}
    notes = no_match_notes(indexed, query, params, run_query(indexed, query, params))
    assert notes == [
        "0 rows: each of drug='Sclerostin' names something in the graph, but no regimens row "
        "matches it"
    ]


def test_without_a_name_index_the_note_is_general(in_memory: Store) -> None:
    query = named_queries()["regimens"]
    params = {"drug": "xyz"}
    notes = no_match_notes(in_memory, query, params, run_query(in_memory, query, params))
    assert len(notes) == 1 and notes[0].startswith("0 rows for drug='xyz'")


def test_no_note_when_there_are_rows_or_no_parameters(indexed: Store) -> None:
    query = named_queries()["regimens"]
    assert no_match_notes(indexed, query, {}, run_query(indexed, query)) == []
    params = {"drug": "ROMOSOZUMAB"}
    assert no_match_notes(indexed, query, params, run_query(indexed, query, params)) == []


def test_nearest_names_are_close_names_only(indexed: Store) -> None:
    assert indexed.nearest_names("romosozumb")[0] == "Romosozumab"
    assert indexed.nearest_names("zzzzzz") == []
    assert "Romosozumab" not in indexed.nearest_names("romosozumab")  # not the name itself
