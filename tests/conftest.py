"""Shared fixtures: one build of the bundled sources per test session, and the answers of
the named queries on it, each asked once per test session (per worker under pytest-xdist)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from medkg.build import build
from medkg.query import Result, Store, load_store, named_queries, run_query
from medkg.read import read_source

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
    """The answer of each (engine, named query, parameters) on the seeds' build, run once.

    rdflib takes about a minute of CPU for the cross-source query on the seeds (oxigraph a few
    milliseconds), so the engine-parity tests (SEED_ANSWER_TESTS) share these answers, and
    one xdist worker runs them all (`pytest_xdist_make_scheduler`)."""

    def __init__(self, data: Path) -> None:
        self.data = data
        self._stores: dict[str, Store] = {}
        self._answers: dict[tuple[str, str, tuple[tuple[str, str], ...]], Result] = {}

    def store(self, engine: str) -> Store:
        """The store of `engine` (on disk for oxigraph, in this session's cache folder)."""
        if engine not in self._stores:
            self._stores[engine] = load_store(self.data, engine)
        return self._stores[engine]

    def __call__(self, engine: str, name: str, params: Mapping[str, str]) -> Result:
        key = (engine, name, tuple(sorted(params.items())))
        if key not in self._answers:
            self._answers[key] = run_query(self.store(engine), named_queries()[name], params)
        return self._answers[key]


@pytest.fixture(scope="session")
def seed_answers(built: Built) -> SeedAnswers:
    return SeedAnswers(built.out)


# The tests that ask SeedAnswers rdflib's slow questions (about a minute of CPU each for the
# cross-source query): one xdist worker runs them, first, so each question is asked once.
SEED_ANSWER_TESTS = frozenset(
    {
        "tests/test_query.py::test_oxigraph_and_rdflib_give_identical_answers",
        "tests/test_query_store.py::test_persistent_in_memory_and_rdflib_stores_answer_alike",
    }
)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`-n 2` (pyproject.toml addopts): each test is a unit of work handed to the next free
    worker, but SEED_ANSWER_TESTS are one unit, handed out first (units with more tests
    go first). xdist's own `--dist loadgroup` with `xdist_group` marks would say this, but
    does not group on pytest 9.2 (its node ids lose the group suffix: pytest-xdist #1386).
    Another `--dist` asked for on the command line is left to pytest-xdist."""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class SeedAnswersTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return "seed answers" if nodeid in SEED_ANSWER_TESTS else nodeid

    return SeedAnswersTogether(config, log)
