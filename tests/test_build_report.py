"""Corpus builds: each document on its own, the exit policy, build-report.json, the summary."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from rdflib import Graph, Literal, URIRef

import medkg.pipeline.cluster_build
import medkg.pipeline.document_stage
from medkg.cli import EXIT_PARTIAL, EXIT_SOURCE, main
from medkg.export import build_report
from medkg.model import Document
from medkg.namespaces import ID, MEDKG, RDF, SCHEMA, SKOS
from medkg.pipeline.build import run
from medkg.pipeline.document_stage import DocumentsFailed, DocumentStatus
from medkg.pipeline.options import BuildOptions
from medkg.pipeline.progress import Progress

from .conftest import FIXTURES, SOURCES

BOOM = "boom.md"  # its parser raises an unexpected exception (a medkg bug)


def raising_parser(real: object) -> object:
    def parse(text: str, source: str) -> Document:
        if source == BOOM:
            raise RuntimeError("parser exploded")
        return real(text, source)  # type: ignore[operator, no-any-return]

    return parse


def make_sources(root: Path) -> Path:
    """The seeds + a broken UTF-8 file + a non-document + a bug-triggering file in a subfolder."""
    sources = root / "sources"
    shutil.copytree(SOURCES, sources)
    (sources / "broken.md").write_bytes(b"---\nlayout: minimal-medicine\n---\n\xff\xfe bad\n")
    (sources / "notes.txt").write_text("Shopping list\n- eggs\n", encoding="utf-8")
    (sources / "more").mkdir()
    shutil.copy(FIXTURES / "corpus" / "monographs" / "ibuprofen.md", sources / "more" / BOOM)
    return sources


def invoke(*args: str) -> Result:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            medkg.pipeline.document_stage,
            "parse_document",
            raising_parser(medkg.pipeline.document_stage.parse_document),
        )
        return CliRunner().invoke(main, list(args))


@dataclass(frozen=True)
class KeptGoing:
    root: Path
    out: Path
    result: Result
    report: dict[str, object]


@pytest.fixture(scope="module")
def kept_going(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KeptGoing]:
    root = tmp_path_factory.mktemp("keep-going")
    out = root / "dist"
    result = invoke("build", str(make_sources(root)), "--out", str(out), "--keep-going")
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    yield KeptGoing(root, out, result, report)


def test_default_build_processes_everything_then_fails_and_writes_nothing(
    tmp_path: Path,
) -> None:
    out = tmp_path / "dist"
    result = invoke("build", str(make_sources(tmp_path)), "--out", str(out))
    assert result.exit_code == EXIT_SOURCE, result.output
    assert not out.exists()
    assert "broken.md:4: is not valid UTF-8" in result.output
    assert "skipped  -          notes.txt (is neither a drug monograph" in result.output
    assert "failed   more/boom.md: RuntimeError: parser exploded" in result.output
    assert "bug in medkg" in result.output
    assert "5 documents: 2 built, 1 skipped, 2 failed" in result.output
    assert "was left as it was" in result.output
    assert "--keep-going" in result.output


def test_keep_going_publishes_the_built_documents(kept_going: KeptGoing) -> None:
    assert kept_going.result.exit_code == EXIT_PARTIAL, kept_going.result.output
    output = kept_going.result.output
    assert "5 documents: 2 built, 1 skipped, 2 failed" in output
    assert "identifier mapping: " in output
    assert "built with 2 failed document(s)" in output
    graph = Graph().parse(kept_going.out / "medkg.ttl", format="turtle")
    drug = ID["drug/romosozumab"]
    assert (drug, RDF.type, SCHEMA.Drug) in graph
    assert (drug, MEDKG.indication, None) in graph
    assert (None, MEDKG.bills, drug) in graph
    assert "boom.md" not in (kept_going.out / "medkg.nq").read_text(encoding="utf-8")


def test_report_lists_each_document_with_its_status(kept_going: KeptGoing) -> None:
    documents = {d["file"]: d for d in kept_going.report["documents"]}  # type: ignore[attr-defined]
    assert {f: (d["format"], d["status"]) for f, d in documents.items()} == {
        "broken.md": (None, "failed"),
        "j3111-code-page.txt": ("code-page", "built"),
        "more/boom.md": (None, "failed"),
        "notes.txt": (None, "skipped"),
        "romosozumab-monograph.txt": ("monograph", "built"),
    }
    assert documents["broken.md"]["error"].startswith("broken.md:4: is not valid UTF-8")
    assert "traceback" not in documents["broken.md"]
    boom = documents["more/boom.md"]
    assert boom["error"].startswith("more/boom.md: RuntimeError: parser exploded")
    assert "please report it" in boom["error"]
    assert any("in parse" in frame for frame in boom["traceback"])
    assert "is neither a drug monograph" in documents["notes.txt"]["reason"]
    assert documents["romosozumab-monograph.txt"]["facts"]["adverse_reactions"] > 0
    assert documents["j3111-code-page.txt"]["facts"]["billing_codes"] == 1
    assert all(
        d["facts"] == dict.fromkeys(build_report.FACT_KINDS, 0)
        for d in documents.values()
        if d["status"] != "built"
    )


def test_report_is_consistent_and_free_of_absolute_paths(kept_going: KeptGoing) -> None:
    report = kept_going.report
    assert set(report) == {"documents", "totals", "identifier_mapping", "kgx"}
    for name, count in (("nodes", "medkg_nodes.jsonl"), ("edges", "medkg_edges.jsonl")):
        lines = (kept_going.out / "kgx" / count).read_bytes().count(b"\n")
        assert report["kgx"][name] == lines > 0  # type: ignore[index]
    documents: list[dict[str, object]] = report["documents"]  # type: ignore[assignment]
    totals: dict[str, dict[str, int]] = report["totals"]  # type: ignore[assignment]
    assert [d["file"] for d in documents] == sorted(str(d["file"]) for d in documents)
    for entry in documents:
        assert {"file", "format", "status", "facts"} <= set(entry)
        assert set(entry["facts"]) == set(build_report.FACT_KINDS)  # type: ignore[arg-type]
    assert totals["documents"] == {"built": 2, "skipped": 1, "failed": 2, "total": 5}
    assert totals["facts"] == {
        kind: sum(d["facts"][kind] for d in documents)  # type: ignore[index]
        for kind in build_report.FACT_KINDS
    }
    mapping: dict[str, float] = report["identifier_mapping"]  # type: ignore[assignment]
    assert 0 < mapping["mapped"] <= mapping["terms"]
    assert mapping["rate"] == round(mapping["mapped"] / mapping["terms"], 4)
    text = (kept_going.out / "build-report.json").read_text(encoding="utf-8")
    assert str(kept_going.root) not in text
    assert text == json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert "build-report.json" in (kept_going.out / "SHA256SUMS").read_text(encoding="utf-8")
    assert "build-report.json" in (kept_going.out / "void.ttl").read_text(encoding="utf-8")


def test_mapping_rate_is_read_from_the_graph() -> None:
    g = Graph()
    mapped, local, other = URIRef("urn:c:mapped"), URIRef("urn:c:local"), URIRef("urn:c:other")
    for concept in (mapped, local, other):
        g.add((concept, RDF.type, SKOS.Concept))
    g.add((mapped, SKOS.exactMatch, URIRef("http://purl.obolibrary.org/obo/HP_0002829")))
    g.add((URIRef("urn:ar:1"), MEDKG.reaction, mapped))
    g.add((URIRef("urn:ci:1"), MEDKG.condition, local))
    g.add((URIRef("urn:ci:1"), MEDKG.example, Literal("not a concept")))
    # `other` is a concept but no reaction/condition/example: not counted
    result = build_report.identifier_mapping(g)
    assert (result.terms, result.mapped, result.rate) == (2, 1, 0.5)
    assert build_report.identifier_mapping(Graph()).rate is None


def test_drugs_are_counted_apart_from_reaction_and_condition_terms() -> None:
    g = Graph()
    identified, unknown = ID["drug/examplumab"], ID["drug/testadine"]
    for drug in (identified, unknown):
        g.add((drug, RDF.type, SCHEMA.Drug))
    g.add((identified, SKOS.exactMatch, URIRef("http://identifiers.org/drugbank/DB90001")))
    concept = URIRef("urn:c:headache")
    g.add((concept, RDF.type, SKOS.Concept))
    g.add((URIRef("urn:ar:1"), MEDKG.reaction, concept))
    result = build_report.identifier_mapping(g)
    assert (result.terms, result.mapped, result.rate) == (1, 0, 0.0)
    assert (result.drugs, result.drugs_mapped, result.drug_rate) == (2, 1, 0.5)
    lines = build_report.summary_lines([], result)
    assert "drug identifiers: 1 of 2 drugs mapped (50.0%)" in lines


def test_render_is_deterministic_whatever_the_order() -> None:
    statuses = [
        DocumentStatus("b.md", "monograph", "built", path="x/b.md", facts={"drugs": 1}),
        DocumentStatus("a.md", None, "skipped", "a stub", path="a.md"),
    ]
    mapping = build_report.IdentifierMapping(terms=3, mapped=1)
    first = build_report.render(statuses, mapping)
    assert first == build_report.render(list(reversed(statuses)), mapping)
    data = json.loads(first)
    assert [d["file"] for d in data["documents"]] == ["a.md", "x/b.md"]
    assert data["identifier_mapping"] == {
        "terms": 3,
        "mapped": 1,
        "rate": 0.3333,
        "drugs": 0,
        "drugs_mapped": 0,
        "drug_rate": None,
    }
    assert build_report.summary_lines(statuses, mapping) == [
        "2 documents: 1 built, 1 skipped, 0 failed",
        "identifier mapping: 1 of 3 reaction/condition terms mapped (33.3%)",
        "  skipped  a.md: a stub",
    ]


def test_progress_sees_every_stage_with_its_counts() -> None:
    seen: list[tuple[str, str, int | str | None]] = []

    class Recorder(Progress):
        def start(self, stage: str, total: int | None = None) -> None:
            seen.append(("start", stage, total))

        def advance(self, stage: str, done: int) -> None:
            seen.append(("advance", stage, done))

        def finish(self, stage: str, note: str = "") -> None:
            seen.append(("finish", stage, note))

    outcome = run([SOURCES], progress=Recorder())
    assert seen == [
        ("start", "documents", 2),
        ("advance", "documents", 1),
        ("advance", "documents", 2),
        ("finish", "documents", ""),
        ("start", "clusters", 1),
        ("advance", "clusters", 1),
        ("finish", "clusters", ""),
        ("start", "merge", 1),
        ("advance", "merge", 1),
        ("finish", "merge", ""),
        ("start", "exports", None),
        ("finish", "exports", f"{len(outcome.files)} files"),
    ]
    assert "build-report.json" in outcome.files


def test_a_document_that_breaks_the_graph_stage_is_isolated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    shutil.copy(FIXTURES / "corpus" / "monographs" / "ibuprofen.md", sources / BOOM)
    real = medkg.pipeline.cluster_build.write_graph

    def write_graph(documents: list[Any], lexicon: Any, shared: Any = frozenset()) -> Any:
        if any(source.name == BOOM for source, _ in documents):
            raise KeyError("graph exploded")
        return real(documents, lexicon, shared)

    monkeypatch.setattr(medkg.pipeline.cluster_build, "write_graph", write_graph)
    with pytest.raises(DocumentsFailed) as failure:
        run([sources])
    assert "boom.md: KeyError while graphing" in str(failure.value)
    outcome = run([sources], BuildOptions(keep_going=True))
    statuses = {s.file: s.status for s in outcome.statuses}
    assert statuses == {
        BOOM: "failed",
        "j3111-code-page.txt": "built",
        "romosozumab-monograph.txt": "built",
    }
    assert outcome.dataset is not None
    assert "romosozumab" in outcome.files["medkg.ttl"].decode("utf-8")
