"""`medkg build` (and `medkg.build`) ready the query store of the dataset they publish."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import medkg
from medkg.cli import main
from medkg.pipeline.options import BuildOptions
from medkg.query import persistent

from .conftest import SOURCES


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def stores(cache: Path) -> list[Path]:
    root = persistent.stores_root(cache)
    if not root.is_dir():
        return []
    return sorted(folder for folder in root.iterdir() if (folder / "store.json").is_file())


def refuse_to_load(*args: object) -> int:
    raise AssertionError("the query store was built again")


def test_build_readies_the_store_and_the_first_query_does_not_build_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, cache = tmp_path / "dist", tmp_path / "cache"
    result = run("build", str(SOURCES), "--out", str(out), "--cache-dir", str(cache))
    assert result.exit_code == 0, result.output
    assert "query store ready: " in result.output
    (folder,) = stores(cache)
    assert (folder / persistent.NAMES_FILE).is_file()

    monkeypatch.setattr(persistent, "_load", refuse_to_load)
    answered = run(
        "query", "billing", "--param", "code=J3111", "--data", str(out), "--cache-dir", str(cache)
    )
    assert answered.exit_code == 0, answered.output
    assert "J3111" in answered.output
    assert "into memory" not in answered.output  # the on-disk store answered

    again = run("build", str(SOURCES), "--out", str(out), "--cache-dir", str(cache))
    assert again.exit_code == 0, again.output  # nothing to build: the store is opened, not loaded
    assert stores(cache) == [folder]


def test_the_store_is_readied_in_the_default_cache_folder(tmp_path: Path) -> None:
    result = run("build", str(SOURCES), "--out", str(tmp_path / "dist"))
    assert result.exit_code == 0, result.output
    assert len(stores(Path(os.environ["XDG_CACHE_HOME"]) / "medkg")) == 1


def test_check_and_no_cache_ready_no_store(tmp_path: Path) -> None:
    out, cache, other = tmp_path / "dist", tmp_path / "cache", tmp_path / "other"
    assert run("build", str(SOURCES), "--out", str(out), "--no-cache").exit_code == 0
    assert stores(Path(os.environ["XDG_CACHE_HOME"]) / "medkg") == []
    checked = run("build", str(SOURCES), "--out", str(out), "--check", "--cache-dir", str(other))
    assert checked.exit_code == 0, checked.output
    assert "query store" not in checked.output + checked.stderr
    assert stores(other) == [] and stores(cache) == []


def test_no_query_store_readies_none(tmp_path: Path) -> None:
    out, cache = tmp_path / "dist", tmp_path / "cache"
    args = ("build", str(SOURCES), "--out", str(out), "--cache-dir", str(cache))
    result = run(*args, "--no-query-store")
    assert result.exit_code == 0, result.output
    assert "query store" not in result.output + result.stderr
    assert stores(cache) == []


def test_a_store_that_cannot_be_readied_is_a_warning_not_a_failed_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(*args: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(persistent, "_load", disk_full)
    out, cache = tmp_path / "dist", tmp_path / "cache"
    result = run("build", str(SOURCES), "--out", str(out), "--cache-dir", str(cache))
    assert result.exit_code == 0, result.output
    assert "warning: the query store was not readied" in result.output
    assert "No space left on device" in result.output
    assert (out / "medkg.nq").is_file() and stores(cache) == []
    assert [entry.name for entry in persistent.stores_root(cache).iterdir()] == []


def test_the_public_build_readies_the_store_with_a_cache_folder_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    medkg.build([SOURCES], tmp_path / "a", BuildOptions(cache_folder=cache))
    (folder,) = stores(cache)
    monkeypatch.setattr(persistent, "_load", refuse_to_load)
    store = medkg.load_store(tmp_path / "a", cache_folder=cache)
    assert getattr(store, "location", None) == folder

    skipped = tmp_path / "skipped"
    medkg.build([SOURCES], tmp_path / "b", BuildOptions(cache_folder=skipped, query_store=False))
    medkg.build([SOURCES], tmp_path / "c", BuildOptions())  # a temporary cache folder
    assert stores(skipped) == []
    assert stores(Path(os.environ["XDG_CACHE_HOME"]) / "medkg") == []


def test_the_public_build_warns_when_the_store_cannot_be_readied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(*args: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(persistent, "_load", disk_full)
    with pytest.warns(RuntimeWarning, match="query store .* was not readied"):
        outcome = medkg.build([SOURCES], tmp_path / "dist", BuildOptions(cache_folder=tmp_path))
    assert outcome.changed == [] and (tmp_path / "dist" / "medkg.nq").is_file()


def test_query_store_is_not_part_of_the_output_key() -> None:
    assert BuildOptions(query_store=False).output_key == BuildOptions().output_key
