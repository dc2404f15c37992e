"""Competency queries, `medkg query`, the store: gold answers on the seeds, formats, errors."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from click.testing import Result as CliResult
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.query import Result as RdflibResult

from medkg import build as medkg_build
from medkg.cli import main
from medkg.namespaces import ID, MEDKG, SCHEMA
from medkg.query import (
    DataMissing,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    Result,
    Store,
    UnknownParameter,
    bind_parameters,
    load_store,
    named_queries,
    run_query,
    serialise,
    stale_sources,
)
from medkg.query.result import Value
from medkg.query.run import match_key, sparql_string
from medkg.query.sparql_text import MAX_NESTING, calls_service, tokens

from .conftest import ROOT, SOURCES, Built, SeedAnswers
from .reference_store import SLOW_IN_RDFLIB

NAMES = {
    "mechanism",
    "regimens",
    "adverse-reactions",
    "contraindications",
    "indications",
    "warnings",
    "billing",
    "procedure",
    "drugs-by-target",
    "drugs-by-pathway",
    "evidence",
    "cross-source",
}
COLUMNS = {
    "mechanism": "drug, step, subject, relation, object",
    "regimens": "drug, population, route, dose_value, dose_unit, per_kg, count, unit_dose_value, "
    "unit_dose_unit, frequency, frequency_max, period, period_unit, max_duration_value, "
    "max_duration_unit",
    "adverse-reactions": "drug, reaction, frequency, band, serious, sources, identifiers, concept",
    "contraindications": "drug, condition, statement, concept",
    "indications": "drug, condition, population, qualifier, quote, document, section, concept",
    "warnings": "drug, kind, warning",
    "billing": "drug, code, system, descriptor, unit_value, unit, units_per_administration, "
    "units_per_course, population, route, dose_value, dose_unit, frequency, frequency_max, period, "
    "period_unit, source",
    "procedure": "code, name, setting, personnel, duration, body_site, anesthesia",
    "drugs-by-target": "target, drug, relation",
    "drugs-by-pathway": "pathway, drug, relation",
    "evidence": "subject, predicate, object, document, section, quote, start, end",
    "cross-source": "concept, monograph_term, code_page_term, agreement, compared, "
    "monograph_value, code_page_value",
}


@pytest.fixture(scope="module")
def stores(seed_answers: SeedAnswers) -> dict[str, Store]:
    return {engine: seed_answers.store(engine) for engine in SeedAnswers.ENGINES}


@pytest.fixture(scope="module")
def store(stores: dict[str, Store]) -> Store:
    return stores["oxigraph"]


def ask(store: Store, name: str, **params: str) -> list[dict[str, str]]:
    return run_query(store, named_queries()[name], params).values()


def cli(*args: str) -> CliResult:
    return CliRunner().invoke(main, ["query", *args])


# --- the catalogue ---------------------------------------------------------------------


def test_every_competency_query_is_bundled_with_its_header() -> None:
    queries = named_queries()
    assert set(queries) == NAMES
    for name, query in queries.items():
        assert query.question.endswith("?"), name
        assert ", ".join(query.columns) == COLUMNS[name]
        for param, description in query.params.items():
            assert f"?param_{param}" in query.text, (name, param)
            assert "ignoring case and extra spaces" in description or param == "agreement"


def test_each_query_returns_exactly_its_declared_columns(store: Store) -> None:
    for name, query in named_queries().items():
        result = run_query(store, query)
        assert result.kind == "select"
        assert result.variables == query.columns, name
        assert result.rows, f"{name} has no answer on the seeds"


def test_list_shows_every_query_with_its_question_and_parameters() -> None:
    result = cli("--list")
    assert result.exit_code == 0, result.output
    flat = " ".join(result.stdout.split())
    for name, query in named_queries().items():
        assert f"\n{name}\n" in f"\n{result.stdout}"
        assert " ".join(query.question.split()) in flat
        assert f"columns: {COLUMNS[name]}" in flat
        for param in query.params:
            assert f"--param {param}=" in flat


# --- gold answers on the seeds ----------------------------------------------------------


def test_billing_gives_the_code_its_unit_and_the_units_per_administration_and_course(
    store: Store,
) -> None:
    rows = ask(store, "billing", drug="romosozumab")
    assert len(rows) == 1
    row = rows[0]
    assert (row["drug"], row["code"], row["unit"]) == ("Romosozumab", "J3111", "mg")
    assert "HCPCS" in row["system"]
    assert row["descriptor"] == "Injection, romosozumab-aqqg, 1 mg"
    assert Decimal(row["unit_value"]) == 1
    assert Decimal(row["units_per_administration"]) == 210
    assert Decimal(row["units_per_course"]) == 2520
    assert row["source"] == "j3111-code-page.txt"
    assert ask(store, "billing", code="j3111") == rows
    # the regimen the units were computed for (no population is stated for it)
    assert (row["route"], row["dose_unit"], row["period_unit"]) == (
        "subcutaneous route",
        "mg",
        "mo",
    )
    assert [Decimal(row[c]) for c in ("dose_value", "frequency", "period")] == [210, 1, 1]
    assert "population" not in row and "frequency_max" not in row


def test_each_billing_row_says_which_regimen_and_population_it_is_for(tmp_path: Path) -> None:
    """A drug dosed differently for two populations gets a row per regimen, each telling
    them apart (the fixture corpus's per-kilogram drug: children and adults)."""
    sources = tmp_path / "sources"
    sources.mkdir()
    for name in ("monographs/burosumab.md", "hcpcs/J0584.txt"):
        shutil.copy(ROOT / "tests" / "fixtures" / "corpus" / name, sources)
    medkg_build([sources], tmp_path / "dist")
    rows = ask(load_store(tmp_path / "dist", persistent=False), "billing", drug="burosumab")
    assert sorted(
        (
            r["units_per_administration"],
            r["population"],
            r["dose_unit"],
            r["period_unit"],
            *(Decimal(r[c]) for c in ("dose_value", "frequency", "period")),
        )
        for r in rows
    ) == [
        ("0.8/kg", "Children (6 months and older) with XLH", "mg/kg", "wk", Decimal("0.8"), 1, 2),
        ("1/kg", "Adults with XLH", "mg/kg", "wk", 1, 1, 4),
    ]


def test_mechanism_is_four_ordered_steps_then_two_effects(store: Store) -> None:
    result = run_query(store, named_queries()["mechanism"], {"drug": "romosozumab"})
    steps = [(int(r[1]), str(r[2]), r[3], str(r[4])) for r in result.rows]  # type: ignore[arg-type]
    assert steps == [
        (1, "Romosozumab", Literal("inhibits"), "sclerostin"),
        (2, "sclerostin", Literal("suppresses"), "bone formation"),
        (3, "blocking sclerostin", Literal("activates"), "canonical Wnt signaling pathway"),
        (4, "canonical Wnt signaling pathway", Literal("stimulates"), "bone formation"),
        # effects follow the steps, numbered on; their subject is the drug
        (5, "Romosozumab", Literal("increases"), "bone mass density"),
        (6, "Romosozumab", Literal("decreases"), "bone resorption"),
    ]


def test_regimen_is_210_mg_as_two_105_mg_once_a_month_for_at_most_12_months(
    store: Store,
) -> None:
    (row,) = ask(store, "regimens", drug="romosozumab")
    assert row["route"] == "subcutaneous route"
    assert (Decimal(row["dose_value"]), row["dose_unit"], row["per_kg"]) == (210, "mg", "false")
    assert (int(row["count"]), Decimal(row["unit_dose_value"]), row["unit_dose_unit"]) == (
        2,
        105,
        "mg",
    )
    assert (int(row["frequency"]), Decimal(row["period"]), row["period_unit"]) == (1, 1, "mo")
    assert (Decimal(row["max_duration_value"]), row["max_duration_unit"]) == (12, "mo")
    assert "population" not in row  # the seed monograph names no population for the dose


def test_adverse_reactions_keep_each_documents_band_with_its_source(store: Store) -> None:
    result = run_query(store, named_queries()["adverse-reactions"], {"drug": "romosozumab"})
    rows = {(str(r[7]), str(r[2])): r for r in result.rows}  # (concept, frequency)
    monograph, code_page = "romosozumab-monograph.txt", "j3111-code-page.txt"
    # the reaction column keeps each document's own words; the concept column says what they mean
    assert str(rows["arthralgia", "common"][1]) == "joint pain"
    assert str(rows["stroke", "less common, serious"][1]) == "cerebrovascular accident"
    assert str(rows["hypersensitivity reaction", "rare"][1]) == "allergic reactions"
    arthralgia_very_common = rows["arthralgia", "very common"]
    assert str(arthralgia_very_common[3]) == "very common"  # the band's name
    assert str(arthralgia_very_common[5]) == monograph
    assert str(arthralgia_very_common[6]) == "HP:0002829"
    assert str(rows["arthralgia", "common"][5]) == code_page
    assert str(rows["hypersensitivity reaction", "common"][5]) == monograph
    assert str(rows["hypersensitivity reaction", "rare"][5]) == code_page
    assert str(rows["headache", "common"][5]) == f"{code_page}, {monograph}"
    stroke = rows["stroke", "less common, serious"]
    assert stroke[3] is None  # no band: the document says "less common"
    assert stroke[4] == Literal(True)
    assert str(stroke[6]) == "HP:0001297, MONDO:0005098, SNOMEDCT:230690007"
    from_monograph = {str(r[7]) for r in result.rows if monograph in str(r[5])}
    assert len(from_monograph) == 21
    very_common = {reaction for reaction, band in rows if band == "very common"}
    assert very_common == {"arthralgia"}
    serious = {reaction for (reaction, _), row in rows.items() if row[4] == Literal(True)}
    assert serious == {
        "acute myocardial infarction", "angioedema", "stroke", "dermatitis",
        "erythema multiforme", "femur fracture", "hypocalcemia", "osteonecrosis of the jaw",
        "urticaria",
    }  # fmt: skip
    assert ask(store, "adverse-reactions", reaction="Joint Pain") == [
        row for row in ask(store, "adverse-reactions") if row["concept"] == "arthralgia"
    ]


def test_indications(store: Store) -> None:
    rows = ask(store, "indications", drug="Romosozumab-AQQG")
    assert [(r["condition"], r["population"], r["qualifier"]) for r in rows] == [
        ("osteoporosis", "postmenopausal women", "at high risk of fractures")
    ]
    assert rows[0]["document"] == "romosozumab-monograph.txt"
    assert rows[0]["section"] == "Usage"
    assert rows[0]["quote"].startswith("Romosozumab is a medication used to treat osteoporosis")
    assert ask(store, "indications", drug="nothing-of-that-name") == []


def test_contraindications_and_warnings(store: Store) -> None:
    contraindications = ask(store, "contraindications", drug="romosozumab")
    assert [row["condition"] for row in contraindications] == [
        "hypersensitivity",
        "uncorrected hypocalcemia",
    ]
    assert contraindications[1]["statement"] == (
        "in patients with uncorrected hypocalcemia (low blood calcium)"
    )
    rows = ask(store, "warnings", drug="romosozumab")
    warnings = [(row["kind"], row["warning"]) for row in rows]
    assert len(warnings) == 12
    assert ("increased risk", "hypocalcemia") in warnings
    assert ("statement", "Good oral hygiene is advised during treatment.") in warnings


def test_procedure_of_the_code(store: Store) -> None:
    assert ask(store, "procedure", code="J3111") == [
        {
            "code": "J3111",
            "name": "Injection of romosozumab",
            "setting": "outpatient clinic; physician's office",
            "personnel": "trained nurse or healthcare professional (administers); "
            "physician (supervises, optional)",
            "duration": "a few minutes (procedure); around 30 minutes (appointment)",
            "body_site": "abdomen; upper thigh",
            "anesthesia": "false",
        }
    ]


def test_drugs_by_target_and_by_pathway(store: Store) -> None:
    by_target = run_query(store, named_queries()["drugs-by-target"], {"target": "SCLEROSTIN"})
    assert by_target.rows == ((Literal("sclerostin"), Literal("Romosozumab"), Literal("inhibits")),)
    wnt = {"pathway": "Wnt/beta-catenin signaling pathway"}
    by_pathway = run_query(store, named_queries()["drugs-by-pathway"], wnt)
    assert by_pathway.rows == (
        (Literal("canonical Wnt signaling pathway"), Literal("Romosozumab"), Literal("activates")),
    )
    assert ask(store, "drugs-by-pathway", pathway="bone formation") == []  # a process


def test_evidence_quotes_are_exact_spans_of_the_documents(store: Store, built: Built) -> None:
    rows = ask(store, "evidence")
    assert len(rows) > 100
    for row in rows:
        text = built.texts[row["document"]]
        assert text[int(row["start"]) : int(row["end"])] == row["quote"]
    step_one = [row for row in rows if row["object"].endswith("/romosozumab/step-1")]
    assert [(r["predicate"], r["section"], r["quote"]) for r in step_one] == [
        (str(MEDKG.step), "How it Works", "Romosozumab works by inhibiting sclerostin")
    ]
    # what the page says about its code: the quotes of the page's description of it
    code, description = f"{ID}code/hcpcs/J3111", f"{ID}code/hcpcs/J3111/j3111-code-page"
    assert [
        (r["predicate"], r["quote"], r["start"])
        for r in rows
        if r["subject"] == code and r["object"] == description
    ] == [
        (str(MEDKG.description), "Injection, romosozumab-aqqg, 1 mg", "25"),
        (str(MEDKG.description), "romosozumab-aqqg", "36"),
        (str(MEDKG.description), "J3111", "186"),
    ]
    only_code_page = ask(store, "evidence", document="J3111-CODE-PAGE.TXT")
    assert only_code_page and {row["document"] for row in only_code_page} == {"j3111-code-page.txt"}


def test_cross_source_shows_the_differing_pairs(store: Store) -> None:
    differ = ask(store, "cross-source", agreement="differ")
    assert [(r["concept"], r["monograph_term"], r["code_page_term"]) for r in differ] == [
        ("arthralgia", "arthralgia", "joint pain"),
        ("hypersensitivity reaction", "Hypersensitivity reactions", "allergic reactions"),
    ]
    agree = {(r["concept"], r["monograph_term"], r["code_page_term"]) for r in ask(
        store, "cross-source", agreement="agree")}  # fmt: skip
    assert ("subcutaneous route", "subcutaneously", "subcutaneous") in agree
    assert len([row for row in agree if row[0] == "indication-criterion"]) == 3


def test_cross_source_rows_say_what_was_compared_and_the_two_values(store: Store) -> None:
    rows = {
        (r["concept"], r["monograph_term"]): (
            r["agreement"], r["compared"], r.get("monograph_value"), r.get("code_page_value"))
        for r in ask(store, "cross-source", drug=" ROMOSOZUMAB ")
    }  # fmt: skip
    assert rows["arthralgia", "arthralgia"] == ("differ", "band", "very common", "common")
    assert rows["hypersensitivity reaction", "Hypersensitivity reactions"] == (
        "differ", "band", "common", "rare")  # fmt: skip
    assert rows["headache", "Headache"] == ("agree", "band", "common", "common")
    assert rows["subcutaneous route", "subcutaneously"] == (
        "agree", "route", "subcutaneous route", "subcutaneous route")  # fmt: skip
    assert rows["healthcare professional", "healthcare professional"] == (
        "agree", "who administers", "healthcare professional",
        "trained nurse or healthcare professional")  # fmt: skip
    assert rows["indication-criterion", "multiple risk factors for fractures"] == (
        "agree", "wording", "multiple risk factors for fractures",
        "Multiple risk factors for fracture")  # fmt: skip
    assert len(rows) == 9


# --- engines -----------------------------------------------------------------------------


def test_oxigraph_and_rdflib_give_identical_answers(
    stores: dict[str, Store], seed_answers: SeedAnswers
) -> None:
    """Every competency query but the one too slow for rdflib (SLOW_IN_RDFLIB, whose rows are
    checked by its own tests above) answers alike in the store and in the reference."""
    cases: list[tuple[str, dict[str, str]]] = [
        (name, {}) for name in sorted(NAMES - SLOW_IN_RDFLIB)
    ]
    cases += [
        ("billing", {"drug": "Romosozumab-AQQG"}),
        ("adverse-reactions", {"reaction": "headache"}),
    ]
    for name, params in cases:
        answers = [seed_answers(e, name, params) for e in SeedAnswers.ENGINES]
        assert answers[0] == answers[1], name
        assert serialise(answers[0], "json") == serialise(answers[1], "json")
    construct = "CONSTRUCT { ?d ?p ?o } WHERE { ?d a <https://schema.org/Drug> ; ?p ?o }"
    graphs = [run_query(stores[e], construct).graph for e in SeedAnswers.ENGINES]
    assert graphs[0] is not None and graphs[1] is not None
    assert isomorphic(graphs[0], graphs[1]) and len(graphs[0]) > 10


def test_default_graph_is_the_merge_of_the_document_graphs(built: Built, store: Store) -> None:
    assert len(store) == len(built.graph)
    per_graph = run_query(
        store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    )
    assert len(per_graph.rows) >= 3  # one graph per document plus the links graph


# --- parameters are bound, not pasted -------------------------------------------------------


def test_parameters_match_names_case_insensitively(store: Store) -> None:
    everything = ask(store, "regimens")
    assert ask(store, "regimens", drug="  ROMOSOZUMAB-aqqg ") == everything
    assert ask(store, "regimens", drug="romosozumab-xyz") == []


HOSTILE = [
    '" } UNION { ?drug_node ?p ?o } #',
    'romosozumab" ) } { ("x',
    "') } SELECT * WHERE { ?s ?p ?o } #",
    '\\" } \n VALUES ?x { 1 }',
    "{}}}{{",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_parameter_value_cannot_change_the_query(store: Store, value: str) -> None:
    text = named_queries()["billing"].text
    slot = "VALUES (?param_drug ?drug_name) { (UNDEF UNDEF) }"
    bound = bind_parameters(text, {"drug": value})
    literal = sparql_string(match_key(value))
    assert bound == text.replace(slot, f"VALUES (?param_drug ?drug_name) {{ ({literal} UNDEF) }}")
    assert ask(store, "billing", drug=value) == []


@settings(max_examples=60, deadline=None)
@given(value=st.text(max_size=30))
def test_any_parameter_value_either_matches_a_name_or_nothing(value: str) -> None:
    store = _seed_store()
    rows = ask(store, "mechanism", drug=value)
    names = {"romosozumab", "romosozumab-aqqg"}
    # SPARQL's white space (\\s: space, tab, line feed, carriage return), not Python's
    key = re.sub("[ \t\n\r]+", " ", value.lower()).strip(" ")
    assert len(rows) == (6 if key in names else 0)


_SEED_STORE: list[Store] = []


def _seed_store() -> Store:
    """The committed-source build for hypothesis (function fixtures do not mix with @given)."""
    if not _SEED_STORE:
        _SEED_STORE.append(load_store(_built_dir()))
    return _SEED_STORE[0]


def _built_dir() -> Path:
    assert _BUILT, "the built fixture sets this first"
    return _BUILT[0]


_BUILT: list[Path] = []


@pytest.fixture(autouse=True, scope="module")
def _remember_build(built: Built) -> Iterator[None]:
    _BUILT[:] = [built.out]
    yield


def test_unknown_parameter_lists_the_valid_ones(store: Store) -> None:
    with pytest.raises(UnknownParameter) as caught:
        run_query(store, named_queries()["billing"], {"drugg": "x"})
    assert "drugg" in str(caught.value) and "drug, code" in str(caught.value)


# --- formats ------------------------------------------------------------------------------


def test_csv_parses_back_to_the_rows_of_the_json(store: Store) -> None:
    for name in sorted(NAMES):
        result = run_query(store, named_queries()[name])
        document = json.loads(serialise(result, "json"))
        from_json = [
            {var: binding[var]["value"] if var in binding else "" for var in result.variables}
            for binding in document["results"]["bindings"]
        ]
        from_csv = list(csv.DictReader(io.StringIO(serialise(result, "csv"), newline="")))
        assert from_csv == from_json, name
        assert document["head"]["vars"] == list(result.variables)


def test_json_and_xml_are_standard_sparql_results(store: Store) -> None:
    result = run_query(store, named_queries()["adverse-reactions"])
    for fmt in ("json", "xml"):
        parsed = RdflibResult.parse(io.StringIO(serialise(result, fmt)), format=fmt)
        rows = [tuple(row) for row in parsed]  # type: ignore[arg-type]
        assert [str(v) for v in parsed.vars or []] == list(result.variables)
        assert rows == [tuple(row) for row in result.rows], fmt


def test_tsv_writes_terms_in_turtle_form(store: Store) -> None:
    result = run_query(store, named_queries()["mechanism"])
    text = serialise(result, "tsv")
    lines = text.splitlines()
    assert lines[0] == "?drug\t?step\t?subject\t?relation\t?object"
    # pyoxigraph writes an xsd:integer in Turtle's short form (1, not "1"^^xsd:integer)
    assert lines[1].split("\t") == [
        '"Romosozumab"',
        "1",
        '"Romosozumab"',
        '"inhibits"',
        '"sclerostin"',
    ]
    assert len(lines) == 1 + len(result.rows)
    evidence = serialise(run_query(store, named_queries()["evidence"]), "tsv").splitlines()
    assert evidence[1].split("\t")[0].startswith("<https://w3id.org/medkg/id/")  # IRIs in <>
    parsed = RdflibResult.parse(io.StringIO(text), format="tsv")
    assert [tuple(row) for row in parsed] == [tuple(row) for row in result.rows]  # type: ignore[arg-type]


def test_result_formats_are_what_pyoxigraph_writes_for_the_same_query(store: Store) -> None:
    engine = ox.Store()
    engine.load(path=str(_built_dir() / "medkg.nq"), format=ox.RdfFormat.N_QUADS)
    engine.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    for name in ("mechanism", "adverse-reactions", "contraindications", "warnings"):
        text = named_queries()[name].text
        result = run_query(store, text)
        assert result.cells, name
        for fmt, format_ in (("json", ox.QueryResultsFormat.JSON),
                             ("xml", ox.QueryResultsFormat.XML),
                             ("csv", ox.QueryResultsFormat.CSV),
                             ("tsv", ox.QueryResultsFormat.TSV)):  # fmt: skip
            solutions = engine.query(text)
            assert isinstance(solutions, ox.QuerySolutions)
            expected = solutions.serialize(format=format_)
            assert expected is not None
            assert serialise(result, fmt).rstrip("\n") == expected.decode().rstrip("\n"), (
                name,
                fmt,
            )


_AWKWARD = Result(
    kind="select",
    variables=("a", "b", "c"),
    cells=(
        (
            Value("uri", "https://w3id.org/medkg/id/drug/x"),
            Value("literal", 'say "hi",\tthen\nstop; a\\b, \u00e9'),
            Value("literal", "Wort", language="de"),
        ),
        (
            None,
            Value("bnode", "b0"),
            Value("literal", "210.0", datatype="http://www.w3.org/2001/XMLSchema#decimal"),
        ),
        (None, None, Value("literal", "")),
    ),
)


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_awkward_values_parse_back_to_the_same_terms(fmt: str) -> None:
    parsed = RdflibResult.parse(io.StringIO(serialise(_AWKWARD, fmt)), format=fmt)
    assert [str(v) for v in parsed.vars or []] == ["a", "b", "c"]
    rows = [tuple(row) for row in parsed]  # type: ignore[arg-type]
    expected = [tuple(row) for row in _AWKWARD.rows]
    # blank node labels need not survive a results format; compare them by position only
    assert [tuple(t for t in row if not isinstance(t, BNode)) for row in rows] == [
        tuple(t for t in row if not isinstance(t, BNode)) for row in expected
    ]
    assert isinstance(rows[1][1], BNode)


def test_awkward_values_in_csv_are_the_plain_values() -> None:
    text = serialise(_AWKWARD, "csv")
    assert text.endswith("\r\n")
    read = list(csv.reader(io.StringIO(text, newline="")))
    assert read == [
        ["a", "b", "c"],
        ["https://w3id.org/medkg/id/drug/x", 'say "hi",\tthen\nstop; a\\b, \u00e9', "Wort"],
        ["", "_:b0", "210.0"],
        ["", "", ""],
    ]


def test_no_variables_and_no_rows_are_written_too() -> None:
    one_empty_row = Result(kind="select", variables=(), cells=((),))
    nothing = Result(kind="select", variables=("x",), cells=())
    assert json.loads(serialise(one_empty_row, "json")) == {
        "head": {"vars": []},
        "results": {"bindings": [{}]},
    }
    assert json.loads(serialise(nothing, "json")) == {
        "head": {"vars": ["x"]},
        "results": {"bindings": []},
    }
    assert serialise(nothing, "tsv") == "?x\n"


def test_graph_results_round_trip_in_turtle_jsonld_and_ntriples(store: Store) -> None:
    result = run_query(store, "DESCRIBE <https://w3id.org/medkg/id/code/hcpcs/J3111>")
    assert result.kind == "graph" and result.graph is not None
    assert (URIRef("https://w3id.org/medkg/id/code/hcpcs/J3111"), SCHEMA.codeValue,
            Literal("J3111")) in result.graph  # fmt: skip
    for fmt, syntax in (("turtle", "turtle"), ("jsonld", "json-ld"), ("ntriples", "nt")):
        text = serialise(result, fmt)
        assert isomorphic(Graph().parse(data=text, format=syntax), result.graph), fmt
        assert serialise(result, fmt) == text  # deterministic


def test_ask_answers_true_or_false(store: Store) -> None:
    yes = run_query(store, "ASK { ?d a <https://schema.org/Drug> }")
    no = run_query(store, "ASK { ?d a <https://example.org/Nothing> }")
    assert (yes.boolean, no.boolean) == (True, False)
    assert serialise(yes) == "true\n"
    assert json.loads(serialise(no, "json")) == {"head": {}, "boolean": False}


# --- library limits the server relies on -----------------------------------------------------


def test_max_rows_truncates_and_a_passed_deadline_stops(store: Store) -> None:
    capped = run_query(store, "SELECT * WHERE { ?s ?p ?o }", max_rows=5)
    assert len(capped.rows) == 5 and capped.truncated
    with pytest.raises(QueryTimeout):
        run_query(store, "SELECT * WHERE { ?s ?p ?o }", deadline=time.monotonic() - 1)


def test_service_is_refused_but_the_word_elsewhere_is_not(store: Store) -> None:
    with pytest.raises(QueryRefused):
        run_query(store, "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    with pytest.raises(QueryRefused):
        run_query(store, "SELECT * WHERE { ?s ?p ?o .service <http://x/> { } }")
    # pyoxigraph reads SERVICE:x as the keyword and a name of the empty prefix
    with pytest.raises(QueryRefused):
        run_query(store, "PREFIX : <http://127.0.0.1:9/> ASK { SERVICE:x { } }")
    with pytest.raises(QueryRefused):
        run_query(store, "SELECT * WHERE { ?s ?p true.SERVICE <http://x/> { } }")
    harmless = 'SELECT ?service WHERE { ?service ?p "SERVICE" } # SERVICE <http://x/>'
    assert not calls_service(tokens(harmless))
    assert run_query(store, harmless).rows == ()


def test_deep_nesting_is_refused_before_the_engine_parses_it(store: Store) -> None:
    deep = "SELECT * WHERE " + "{" * (MAX_NESTING + 1) + "}" * (MAX_NESTING + 1)
    with pytest.raises(QueryRefused, match=f"nested {MAX_NESTING + 1} deep"):
        run_query(store, deep)
    # thousands of levels would crash pyoxigraph's parser: refused just the same
    with pytest.raises(QueryRefused):
        run_query(store, "ASK " + "{" * 6000 + "}" * 6000)
    at_limit = "ASK " + "{" * MAX_NESTING + "}" * MAX_NESTING
    assert run_query(store, at_limit).boolean is True


def test_updates_do_not_parse_as_queries(store: Store) -> None:
    for update in ("INSERT DATA { <a:b> <a:c> <a:d> }", "DROP ALL", "LOAD <http://example.org/>"):
        with pytest.raises(QuerySyntaxError):
            run_query(store, update)


# --- the command line ------------------------------------------------------------------------


def test_cli_billing_table_and_every_format(built: Built) -> None:
    result = cli("billing", "--param", "drug=romosozumab", "--data", str(built.out))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == COLUMNS["billing"].replace(",", "").split()
    assert lines[2].split()[:2] == ["Romosozumab", "J3111"]
    assert lines[-1] == "(1 row)"
    for fmt in ("csv", "tsv", "json", "xml"):
        formatted = cli("billing", "--format", fmt, "--data", str(built.out))
        assert formatted.exit_code == 0, formatted.output
        assert "J3111" in formatted.stdout


def test_readme_shows_what_each_query_prints(built: Built) -> None:
    """Every `$ medkg query …` block of the README shows what the command prints."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.findall(r"^\$ medkg query ([^\n]+)\n(.*?)^```", readme, re.DOTALL | re.MULTILINE)
    assert len(shown) >= 2
    for arguments, output in shown:
        printed = cli(*arguments.split(), "--data", str(built.out))
        assert printed.exit_code == 0, printed.output
        assert printed.stdout == output, arguments


def test_cli_runs_a_query_file_and_construct(built: Built, tmp_path: Path) -> None:
    file = tmp_path / "names.rq"
    file.write_text(
        "# question: What are the drugs called?\n# param drug: a drug name\n"
        "# columns: name\n"
        "PREFIX schema: <https://schema.org/>\n"
        "SELECT ?name WHERE { ?d a schema:Drug ; schema:name ?name ;"
        " schema:alternateName ?alt . BIND(LCASE(STR(?alt)) AS ?param_drug) }\n",
        encoding="utf-8",
    )
    result = cli(str(file), "--param", "drug=ROMOSOZUMAB-AQQG", "--format", "csv",
                 "--data", str(built.out))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == b"name\r\nRomosozumab\r\n"
    graph = cli("--sparql", "CONSTRUCT WHERE { ?d a <https://schema.org/Drug> }",
                "--format", "jsonld", "--data", str(built.out))  # fmt: skip
    assert graph.exit_code == 0, graph.output
    described = Graph().parse(data=graph.stdout, format="json-ld")
    assert (None, RDF.type, SCHEMA.Drug) in described


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope"], "no query named 'nope'; named queries: adverse-reactions, billing"),
        (["billing", "--param", "drug"], "write it as NAME=VALUE"),
        (["billing", "--param", "colour=red"], "valid parameters: drug, code"),
        (["--sparql", "SELECT * WHERE {\n  ?s ?p\n  FILTER(}"], "--sparql:3:"),
        (["--sparql", "SELEC * {}"], "--sparql:1:1: SPARQL syntax error"),
        (["--sparql", "SELECT * { SERVICE <http://x/> { ?s ?p ?o } }"], "SERVICE"),
        (["--sparql", "CONSTRUCT WHERE { ?s ?p ?o }", "--format", "csv"], "use one of turtle"),
        (["billing", "--sparql", "ASK {}"], "give one query"),
        ([], "give one query"),
        (["missing.rq"], "missing.rq: no such query file"),
    ],
)
def test_cli_usage_errors_exit_2_with_a_message(
    built: Built, args: list[str], message: str
) -> None:
    result = cli(*args, "--data", str(built.out))
    assert result.exit_code == 2, result.output
    assert message in result.stderr


def test_syntax_error_points_at_line_and_column(store: Store) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        run_query(store, "SELECT ?x\nWHERE {\n  ?x ?p ?o .\n  FILTER(?x = )\n}")
    assert (caught.value.line, caught.value.column) == (4, 3)
    assert "  FILTER(?x = )\n    ^" in str(caught.value)


def test_missing_or_unreadable_dataset_says_to_run_build(tmp_path: Path, built: Built) -> None:
    for folder in (tmp_path / "absent", tmp_path):
        result = cli("billing", "--data", str(folder))
        assert result.exit_code == 3, result.output
        assert "Run `medkg build`" in result.stderr
    broken = tmp_path / "broken"
    shutil.copytree(built.out, broken)
    (broken / "medkg.nq").write_text("<a:b> <a:c> .\n", encoding="utf-8")
    with pytest.raises(DataMissing, match="cannot be read"):
        load_store(broken)
    (broken / "validation-report.ttl").unlink()
    with pytest.raises(DataMissing, match="not a complete build"):
        load_store(broken)


def test_default_dist_is_checked_against_the_sources(
    tmp_path: Path, built: Built, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(built.out, tmp_path / "dist")
    shutil.copytree(SOURCES, tmp_path / "data" / "sources")
    monkeypatch.chdir(tmp_path)
    assert cli("billing").exit_code == 0
    assert stale_sources(load_store("dist"), Path("data/sources")) == []
    changed = tmp_path / "data" / "sources" / "j3111-code-page.txt"
    changed.write_bytes(changed.read_bytes() + b"\n")
    result = cli("billing")
    assert result.exit_code == 4, result.output
    assert "j3111-code-page.txt: changed since the build" in result.stderr
    assert "Run `medkg build`" in result.stderr
    assert cli("billing", "--data", "dist").exit_code == 0  # an explicit --data is not checked
    changed.unlink()
    assert "not found under" in cli("billing").stderr


def test_cli_offers_exactly_the_library_formats() -> None:
    from medkg.query import FORMATS

    command = main.commands["query"]
    (option,) = [param for param in command.params if param.name == "fmt"]
    assert list(option.type.choices) == list(FORMATS)  # type: ignore[attr-defined]
