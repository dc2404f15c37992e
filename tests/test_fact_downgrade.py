"""A fact the shapes refuse costs that fact (kept as a statement), not its document."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import Graph, Literal

from medkg import graph
from medkg.errors import ValidationFailed
from medkg.export.turtle import union_graph
from medkg.extract import extract_document
from medkg.graph import write_graph
from medkg.graph.origins import fact_of, without_facts
from medkg.graph.writer import GraphWriter, document_iri
from medkg.link.lexicon import bundled_lexicon
from medkg.model import (
    Document,
    DurationFact,
    Evidence,
    Extraction,
    Mention,
    ProcedureFact,
    RiskFact,
    StatementFact,
)
from medkg.namespaces import ID, MEDKG, RDF, SCHEMA
from medkg.parse import parse_document
from medkg.pipeline import document_stage
from medkg.pipeline.build import build
from medkg.read.decode import SourceText, read_source
from medkg.shacl.validate import validate_graph

from .conftest import FIXTURES, SOURCES

MONOGRAPH = FIXTURES / "corpus" / "monographs" / "ibuprofen.md"


def _monographs(tmp_path: Path, *names: str) -> Path:
    """A source folder holding the fixture monograph under each of `names`."""
    sources = tmp_path / "sources"
    sources.mkdir()
    for name in names:
        shutil.copy(MONOGRAPH, sources / name)
    return sources


def _evidence(start: int, end: int) -> Evidence:
    return Evidence("page.txt", "Risks", f"text {start}", start, end)


def test_a_node_belongs_to_the_nearest_fact_node_its_iri_extends() -> None:
    regimen = ID["regimen/doc/1"]
    origins = {regimen: ("doc.md", (("regimens", 0),))}
    assert fact_of(origins, str(regimen)) == ("doc.md", (("regimens", 0),))
    assert fact_of(origins, f"{regimen}/dose") == ("doc.md", (("regimens", 0),))
    assert fact_of(origins, str(ID["regimen/doc/10"])) is None  # not a path extension
    assert fact_of(origins, str(ID["document/doc"])) is None


def test_taking_facts_out_keeps_their_words_as_statements_once() -> None:
    risks = tuple(
        RiskFact(Mention(f"r{i}", _evidence(i, i + 1)), _evidence(i, i + 1)) for i in range(3)
    )
    duration = DurationFact("procedure", _evidence(10, 11), None, "a few minutes")
    procedure = ProcedureFact(
        evidence=_evidence(0, 20),
        code=Mention("J0000", _evidence(0, 5)),
        risks=risks,
        durations=(duration,),
    )
    kept = StatementFact("unstructured", _evidence(2, 3))
    extraction = Extraction(
        document=None,  # type: ignore[arg-type]  # not read by without_facts
        procedures=(procedure,),
        statements=(kept,),
    )
    smaller = without_facts(
        extraction, [("procedures", 0, "risks", 1), ("procedures", 0, "risks", 2)]
    )
    assert smaller.procedures[0].risks == (risks[0],)
    assert smaller.procedures[0].durations == (duration,)
    # r1's words become a statement; r2's span is one already kept
    assert smaller.statements == (kept, StatementFact("unstructured", risks[1].evidence))

    gone = without_facts(extraction, [("procedures", 0), ("procedures", 0, "risks", 0)])
    assert gone.procedures == ()
    assert StatementFact("unstructured", procedure.evidence) in gone.statements


def _extract_with_a_reversed_range(document: Document) -> Extraction:
    """The real extraction, with the first dose range of a regimen reversed (the shapes want
    its low end not above its high end): a fact the model cannot hold."""
    extraction = REAL_EXTRACT(document)
    for index, regimen in enumerate(extraction.regimens):
        dose = regimen.dose
        if dose is not None and dose.low is not None and dose.high is not None:
            reversed_dose = replace(dose, low=dose.high, high=dose.low)
            regimens = list(extraction.regimens)
            regimens[index] = replace(regimen, dose=reversed_dose)
            return replace(extraction, regimens=tuple(regimens))
    raise AssertionError("the fixture has no dose range")


REAL_EXTRACT = document_stage.extract_document


def test_a_fact_that_breaks_a_shape_is_kept_as_a_statement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = _monographs(tmp_path, MONOGRAPH.name)
    monkeypatch.setattr(document_stage, "extract_document", _extract_with_a_reversed_range)
    out = tmp_path / "dist"
    outcome = build([sources], out)  # no --keep-going: nothing failed
    (status,) = outcome.statuses
    assert status.status == "built"
    (dropped,) = status.downgraded
    assert dropped.kind == "regimens"
    assert "minValue" in dropped.reason

    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    (entry,) = report["documents"]
    assert entry["downgraded"] == [
        {
            "kind": "regimens",
            "section": dropped.section,
            "quote": dropped.quote,
            "start": dropped.start,
            "end": dropped.end,
            "reason": dropped.reason,
        }
    ]
    assert report["totals"]["downgraded_facts"] == 1
    assert entry["facts"]["regimens"] == status.facts["regimens"]

    result = Graph().parse(out / "medkg.ttl", format="turtle")
    regimens = set(result.subjects(RDF.type, MEDKG.DosingRegimen))
    assert len(regimens) == status.facts["regimens"]  # the others stay
    statement = ID[f"document/ibuprofen/statement/{dropped.start}-{dropped.end}"]
    assert (statement, MEDKG.statementKind, Literal("unstructured")) in result
    assert (statement, SCHEMA.text, Literal(dropped.quote)) in result


REAL_WRITE_DOCUMENT = graph.write_document


def _write_document_twice_named(
    writer: GraphWriter, source: SourceText, extraction: Extraction
) -> None:
    """The real document node, with a second file name: its identity is broken."""
    REAL_WRITE_DOCUMENT(writer, source, extraction)
    node = document_iri(source.name)
    writer.graph(source.name).add((node, MEDKG.fileName, Literal("another-name.md")))


def test_a_document_whose_identity_breaks_a_shape_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(graph, "write_document", _write_document_twice_named)
    with pytest.raises(ValidationFailed) as failed:
        build([SOURCES], tmp_path / "dist")
    assert "fileName" in str(failed.value)
    assert not (tmp_path / "dist").exists()


def _documents(*paths: Path) -> list[tuple[SourceText, Extraction]]:
    documents = []
    for path in paths:
        source = read_source(path)
        documents.append((source, extract_document(parse_document(source.text, source.name))))
    return documents


def test_a_premedication_belongs_to_the_regimens_that_link_to_it() -> None:
    writer = write_graph(
        _documents(FIXTURES / "corpus" / "monographs" / "ocrelizumab.md"), bundled_lexicon()
    )
    premedications = {
        (regimen, premedication)
        for regimen, premedication in union_graph(writer.dataset).subject_objects(
            MEDKG.premedication
        )
    }
    assert premedications
    for regimen, premedication in premedications:
        document, refs = writer.origins[regimen]
        assert document == "ocrelizumab.md"
        assert set(refs) <= set(writer.origins[premedication][1])


def test_two_chains_of_one_mechanism_never_share_a_step_node() -> None:
    ((source, extraction),) = _documents(MONOGRAPH)
    first = extraction.mechanism[0]
    second_chain = replace(first, order=1, object=replace(first.object, text="inflammation"))
    extraction = replace(extraction, mechanism=(*extraction.mechanism, second_chain))
    writer = write_graph([(source, extraction)], bundled_lexicon())
    union = union_graph(writer.dataset)
    steps = list(union.subjects(RDF.type, MEDKG.MechanismStep))
    assert len(steps) == len(extraction.mechanism)
    for step in steps:
        assert len(list(union.objects(step, MEDKG.object))) == 1
    positions = sorted(int(p) for s in steps for p in union.objects(s, SCHEMA.position))
    assert positions == list(range(1, len(steps) + 1))
    assert validate_graph(union).conforms


def test_two_documents_giving_one_drug_two_generic_names_both_build(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    text = MONOGRAPH.read_text(encoding="utf-8")
    (sources / "ibuprofen.md").write_text(text, encoding="utf-8")
    other = text.replace("### Generic Name\nIbuprofen\n", "### Generic Name\nIbuprofen lysine\n")
    assert other != text
    (sources / "ibuprofen-lysine-tablets.md").write_text(other, encoding="utf-8")
    out = tmp_path / "dist"
    outcome = build([sources], out)
    assert {s.status for s in outcome.statuses} == {"built"}
    document = json.loads((out / "medkg.jsonld").read_text(encoding="utf-8"))
    (drug,) = [node for node in document["@graph"] if node.get("name") == "Ibuprofen"]
    assert drug["nonProprietaryName"] == ["Ibuprofen", "Ibuprofen lysine"]


def _extract_with_an_empty_condition(document: Document) -> Extraction:
    """The real extraction plus a contraindication whose condition has no words: its concept
    gets an empty label, which the shapes refuse on the concept node, not the fact node."""
    extraction = REAL_EXTRACT(document)
    first = extraction.contraindications[0]
    empty = replace(first, condition=replace(first.condition, text=""), examples=())
    return replace(extraction, contraindications=(*extraction.contraindications, empty))


def test_a_concept_the_shapes_refuse_costs_the_facts_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = _monographs(tmp_path, MONOGRAPH.name)
    monkeypatch.setattr(document_stage, "extract_document", _extract_with_an_empty_condition)
    outcome = build([sources], tmp_path / "dist")
    (status,) = outcome.statuses
    assert status.status == "built"
    (dropped,) = status.downgraded
    assert dropped.kind == "contraindications"
    assert "prefLabel" in dropped.reason


def test_a_refused_concept_named_in_two_documents_costs_each_its_facts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = _monographs(tmp_path, "ibuprofen.md", "ibuprofen-tablets.md")  # one cluster
    monkeypatch.setattr(document_stage, "extract_document", _extract_with_an_empty_condition)
    outcome = build([sources], tmp_path / "dist")
    assert {s.status for s in outcome.statuses} == {"built"}
    for status in outcome.statuses:
        assert [fact.kind for fact in status.downgraded] == ["contraindications"]


def test_a_procedure_part_belongs_to_that_part_of_its_fact() -> None:
    writer = write_graph(_documents(SOURCES / "j3111-code-page.txt"), bundled_lexicon())
    risks = {node: refs for node, (_, refs) in writer.origins.items() if "/risk-" in str(node)}
    assert risks
    for node, refs in risks.items():
        number = int(str(node).rsplit("-", 1)[1])
        assert refs == (("procedures", 0, "risks", number - 1),)
