"""A fact the shapes refuse costs that fact (kept as a statement), not its document."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import Graph, Literal

from medkg import document_stage, graph
from medkg.build import build
from medkg.errors import ValidationFailed
from medkg.graph.origins import fact_of, without_facts
from medkg.graph.writer import GraphWriter, document_iri
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
from medkg.namespaces import ID, MEDKG, SCHEMA
from medkg.read import SourceText

from .conftest import FIXTURES, SOURCES

MONOGRAPH = FIXTURES / "corpus" / "monographs" / "ibuprofen.md"


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


def _extract_with_a_bad_step(document: Document) -> Extraction:
    """The real extraction, with the first mechanism step at position 0 (the shapes want
    positions from 1): a fact the model cannot hold."""
    extraction = REAL_EXTRACT(document)
    if not extraction.mechanism:
        return extraction
    first = replace(extraction.mechanism[0], order=0)
    return replace(extraction, mechanism=(first, *extraction.mechanism[1:]))


REAL_EXTRACT = document_stage.extract_document


def test_a_fact_that_breaks_a_shape_is_kept_as_a_statement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    shutil.copy(MONOGRAPH, sources / MONOGRAPH.name)
    monkeypatch.setattr(document_stage, "extract_document", _extract_with_a_bad_step)
    out = tmp_path / "dist"
    outcome = build([sources], out)  # no --keep-going: nothing failed
    (status,) = outcome.statuses
    assert status.status == "built"
    (dropped,) = status.downgraded
    assert dropped.kind == "mechanism"
    assert "position" in dropped.reason

    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    (entry,) = report["documents"]
    assert entry["downgraded"] == [
        {
            "kind": "mechanism",
            "section": dropped.section,
            "quote": dropped.quote,
            "start": dropped.start,
            "end": dropped.end,
            "reason": dropped.reason,
        }
    ]
    assert report["totals"]["downgraded_facts"] == 1
    assert entry["facts"]["mechanism_steps"] == status.facts["mechanism_steps"]

    result = Graph().parse(out / "medkg.ttl", format="turtle")
    assert not list(result.subjects(SCHEMA.position, Literal(0)))
    statement = ID[f"document/ibuprofen/statement/{dropped.start}-{dropped.end}"]
    assert (statement, MEDKG.statementKind, Literal("unstructured")) in result
    assert (statement, SCHEMA.text, Literal(dropped.quote)) in result
    steps = list(result.subjects(MEDKG.subject, None))
    assert steps  # the other steps stay


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
