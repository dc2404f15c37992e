"""The fast pipeline (worker processes, clusters, cache, compiled SHACL) agrees with the
straightforward reference path (one dataset, one whole-graph pySHACL run), and its output does
not depend on the cache or the number of jobs."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

import medkg.pipeline.cluster_build
from medkg.errors import ValidationFailed
from medkg.export.turtle import union_graph
from medkg.graph import graph_iri
from medkg.graph.quads import Quads
from medkg.namespaces import MEDKG
from medkg.pipeline.build import reference_dataset, run
from medkg.pipeline.options import BuildOptions
from medkg.pipeline.staging import BuildOutcome

from .conftest import FIXTURES, SOURCES
from .test_generated_corpus import generator

CORPUS = FIXTURES / "corpus"
BROKEN = "broken"  # documents whose graph the test breaks have this in their file name


def quads(dataset: Dataset) -> set[tuple[Any, ...]]:
    return {(s, p, o, g.identifier) for g in dataset.graphs() for s, p, o in g if len(g)}


def files_of(outcome: BuildOutcome) -> dict[str, bytes]:
    return dict(outcome.files)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated")
    generator().generate(folder, 40, seed=5)
    return folder


@pytest.mark.parametrize("which", ["sample", "generated"])
def test_fast_path_builds_the_reference_graph(which: str, generated: Path, tmp_path: Path) -> None:
    paths = [CORPUS, SOURCES] if which == "sample" else [generated]
    statuses, reference, validation = reference_dataset(paths)
    outcome = run(paths, BuildOptions(jobs=2, cache_folder=tmp_path / "cache"))
    try:
        assert [(s.file, s.status) for s in outcome.statuses] == [
            (s.file, s.status) for s in statuses
        ]
        assert validation.conforms
        assert quads(outcome.dataset) == quads(reference)
        assert isomorphic(union_graph(outcome.dataset), union_graph(reference))
    finally:
        outcome.discard()


def test_output_is_the_same_for_any_jobs_with_and_without_cache(
    generated: Path, tmp_path: Path
) -> None:
    paths = [generated, SOURCES]
    builds = []
    for jobs, cache in [(1, None), (2, tmp_path / "c"), (2, tmp_path / "c"), (3, tmp_path / "c")]:
        outcome = run(paths, BuildOptions(jobs=jobs, cache_folder=cache))
        builds.append(files_of(outcome))
        outcome.discard()
    assert builds[0] == builds[1] == builds[2] == builds[3]
    assert "medkg.nq" in builds[0]


def break_hashes(real: Any) -> Any:
    """`build_dataset` (or `write_graph`) that drops the medkg:sha256 of documents named
    *broken*: the shapes require exactly one, so those documents' graphs do not conform."""

    def build_dataset(documents: list[Any], lexicon: Any, shared: Any = frozenset()) -> Any:
        built = real(documents, lexicon, shared)
        broken = {graph_iri(source.name) for source, _ in documents if BROKEN in source.name}
        if isinstance(built, Dataset):
            for name in broken:
                built.graph(name).remove((None, MEDKG.sha256, None))
            return built
        kept = Quads()  # the writer's quads without those triples
        for s, p, o, g in built.quads.quads((None, None, None)):
            if not (g in broken and p == MEDKG.sha256):
                kept.add((s, p, o, g))
        built.quads = kept
        return built

    return build_dataset


@pytest.fixture
def with_broken_documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    sources = tmp_path / "sources"
    shutil.copytree(CORPUS, sources)
    for monograph in sorted((sources / "monographs").glob("*.md"))[:2]:
        monograph.rename(monograph.with_name(f"{BROKEN}-{monograph.name}"))
    monkeypatch.setattr(
        medkg.pipeline.cluster_build,
        "write_graph",
        break_hashes(medkg.pipeline.cluster_build.write_graph),
    )
    yield sources


def test_violations_are_the_reference_engines_and_fail_only_their_documents(
    with_broken_documents: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import medkg.pipeline.build

    monkeypatch.setattr(
        medkg.pipeline.build, "build_dataset", break_hashes(medkg.pipeline.build.build_dataset)
    )
    _statuses, _reference, validation = reference_dataset([with_broken_documents])
    expected = {str(v) for v in validation.violations if v.severity == "Violation"}
    assert expected, "the broken documents must break a shape"
    for jobs in (1, 2):
        with pytest.raises(ValidationFailed) as failure:
            run([with_broken_documents], BuildOptions(jobs=jobs))
        assert set(failure.value.violations) == expected
    outcome = run([with_broken_documents], BuildOptions(jobs=2, keep_going=True))
    try:
        failed = {s.file for s in outcome.failed}
        assert failed == {p.name for p in with_broken_documents.rglob(f"{BROKEN}-*")}
        assert all("does not conform" in s.error for s in outcome.failed)
        built = {s.file for s in outcome.statuses if s.status == "built"}
        assert built and not built & failed
        graph: Graph = union_graph(outcome.dataset)
        assert not any(BROKEN in str(o) for o in graph.objects(None, None))
    finally:
        outcome.discard()
