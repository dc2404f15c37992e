"""Shared fixtures: one build of the bundled sources per test session, and the answers of
the named queries on it, each asked once per test session (per worker under pytest-xdist)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph

from medkg.pipeline.build import build
from medkg.query import Result, Store, load_store, named_queries, run_query
from medkg.read.decode import read_source

from .reference_store import RdflibStore

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "data" / "sources"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
USAGE_SENTENCE = " It is also used for adults with a related condition."


def files_in(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by its ``/``-separated relative path, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def append_to_usage(path: Path) -> None:
    """Append `USAGE_SENTENCE` to the first paragraph after the monograph's Usage heading."""
    text = path.read_text(encoding="utf-8")
    cut = text.index("\n", text.index("Usage"))
    cut = text.index("\n", cut + 2)  # the end of the first paragraph after the heading
    path.write_text(text[:cut] + USAGE_SENTENCE + text[cut:], encoding="utf-8")


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    """A writable copy of the sample corpus with the bundled sources beside it."""
    folder = tmp_path / "sources"
    shutil.copytree(FIXTURES / "corpus", folder)
    for path in SOURCES.iterdir():
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture(scope="session", autouse=True)
def session_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Module- and session-scoped fixtures (query stores, servers) get a cache folder of this
    test session's (each xdist worker's) own too: never the user's, never another run's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("session-cache")))
        yield


@pytest.fixture(autouse=True)
def own_cache_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test gets an empty build cache (the CLI's default folder), never the user's:
    a test that patches medkg must not be answered from another test's cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


@dataclass(frozen=True)
class Built:
    out: Path
    graph: Graph
    texts: dict[str, str]  # file name -> repaired text


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    out = tmp_path_factory.mktemp("build") / "dist"
    build([SOURCES], out)
    graph = Graph()
    graph.parse(out / "medkg.ttl", format="turtle")
    texts = {path.name: read_source(path).text for path in SOURCES.iterdir()}
    return Built(out=out, graph=graph, texts=texts)


class SeedAnswers:
    """The answer of each (engine, named query, parameters) on the seeds' build, asked once
    per test process: engine "oxigraph" is the production store, "rdflib" the reference
    (tests/reference_store.py)."""

    ENGINES = ("oxigraph", "rdflib")

    def __init__(self, data: Path) -> None:
        self.data = data
        self._stores: dict[str, Store] = {}
        self._answers: dict[tuple[str, str, tuple[tuple[str, str], ...]], Result] = {}

    def store(self, engine: str) -> Store:
        """The store of `engine` (on disk for oxigraph, in this session's cache folder)."""
        if engine not in self._stores:
            self._stores[engine] = (
                load_store(self.data) if engine == "oxigraph" else RdflibStore(self.data)
            )
        return self._stores[engine]

    def __call__(self, engine: str, name: str, params: Mapping[str, str]) -> Result:
        key = (engine, name, tuple(sorted(params.items())))
        if key not in self._answers:
            self._answers[key] = run_query(self.store(engine), named_queries()[name], params)
        return self._answers[key]


@pytest.fixture(scope="session")
def seed_answers(built: Built) -> SeedAnswers:
    return SeedAnswers(built.out)
