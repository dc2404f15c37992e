"""Shared fixtures: one build of the bundled sources per test session."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph

from medkg.build import build
from medkg.read import read_source

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "data" / "sources"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


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
