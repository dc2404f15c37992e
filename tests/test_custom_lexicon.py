"""A build given its own lexicon: the cache never hands it clusters graphed with another
lexicon, and spawned workers (no fork) graph with it too."""

from __future__ import annotations

import multiprocessing
import shutil
from pathlib import Path

import pytest

import medkg.pipeline.pool
from medkg.link.lexicon import HPO_INDEX, Lexicon, bundled_lexicon, load_lexicon
from medkg.pipeline.build import run
from medkg.pipeline.options import BuildOptions
from medkg.resources import resource_dir

from .conftest import FIXTURES, SOURCES

# two clusters (the seeds' drug and another drug), so jobs=2 really uses a pool
PATHS = [SOURCES, FIXTURES / "corpus" / "monographs" / "ibuprofen.md"]


def lexicon_without_identifiers(folder: Path) -> Lexicon:
    """The bundled lexicon with no identifiers, synonyms or HPO index (routes kept)."""
    shutil.copytree(resource_dir("terminology"), folder)
    for name in ("identifiers.csv", "synonyms.csv"):
        header = (folder / name).read_text(encoding="utf-8").splitlines()[0]
        (folder / name).write_text(header + "\n", encoding="utf-8")
    (folder / HPO_INDEX).unlink(missing_ok=True)
    return load_lexicon(folder)


def built(lexicon: Lexicon | None, jobs: int, cache: Path | None) -> dict[str, bytes]:
    outcome = run(PATHS, BuildOptions(lexicon=lexicon, jobs=jobs, cache_folder=cache))
    try:
        return dict(outcome.files)
    finally:
        outcome.discard()


def test_the_lexicon_changes_the_graph(tmp_path: Path) -> None:
    plain = lexicon_without_identifiers(tmp_path / "terminology")
    with_bundled = built(None, 1, None)
    with_plain = built(plain, 1, None)
    assert b"purl.obolibrary.org/obo/HP_" in with_bundled["medkg.nq"]
    assert b"purl.obolibrary.org/obo/HP_" not in with_plain["medkg.nq"]


def test_a_cached_cluster_is_never_reused_with_another_lexicon(tmp_path: Path) -> None:
    plain = lexicon_without_identifiers(tmp_path / "terminology")
    cache = tmp_path / "cache"
    with_bundled = built(None, 1, cache)
    assert built(plain, 1, cache) == built(plain, 1, None)
    assert built(None, 1, cache) == with_bundled  # and back: the bundled entries are still there


def test_the_fingerprint_follows_the_content(tmp_path: Path) -> None:
    plain = lexicon_without_identifiers(tmp_path / "a")
    again = lexicon_without_identifiers(tmp_path / "b")
    assert plain.fingerprint == again.fingerprint
    assert plain.fingerprint != bundled_lexicon().fingerprint
    assert len(plain.fingerprint) == 64


def test_spawned_workers_graph_with_the_given_lexicon(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = lexicon_without_identifiers(tmp_path / "terminology")
    expected = built(plain, 1, None)
    monkeypatch.setattr(
        medkg.pipeline.pool.multiprocessing, "get_all_start_methods", lambda: ["spawn"]
    )
    assert multiprocessing.get_all_start_methods() == ["spawn"]
    assert built(plain, 2, None) == expected
