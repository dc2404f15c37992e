"""The build cache: content keys, unreadable entries, and rebuilds that change nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from medkg.pipeline.build import build
from medkg.pipeline.cache import Cache, CacheEntryUnreadable, key
from medkg.pipeline.options import BuildOptions

from .conftest import SOURCES


def test_keys_depend_on_every_part_and_its_boundaries() -> None:
    assert key("document", "a", b"bc") == key("document", "a", b"bc")
    assert key("document", "a", b"bc") != key("document", "ab", b"c")
    assert key("document", "a") != key("cluster", "a")


def test_an_unreadable_entry_is_a_miss(tmp_path: Path) -> None:
    store = Cache(tmp_path)
    store.put("document", "ab12", {"x": 1})
    assert store.get("document", "ab12") == {"x": 1}
    store.path("document", "ab12").write_bytes(b"not a pickle")
    with pytest.warns(CacheEntryUnreadable, match="ab12"):
        assert store.get("document", "ab12") is None
    assert store.get("document", "cd34") is None
    assert (store.hits, store.misses) == (1, 2)


def test_a_rebuild_of_unchanged_sources_writes_nothing(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    out, cache = tmp_path / "dist", tmp_path / "cache"
    first = build([sources], out, BuildOptions(jobs=2, cache_folder=cache))
    assert not first.reused
    files = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    second = build([sources], out, BuildOptions(jobs=2, cache_folder=cache))
    assert second.reused
    assert [s.status for s in second.statuses] == [s.status for s in first.statuses]
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == files

    (out / "medkg.ttl").write_text("# edited by hand\n", encoding="utf-8")
    third = build([sources], out, BuildOptions(jobs=2, cache_folder=cache))
    assert not third.reused  # a file of the output changed: built again
    assert (out / "medkg.ttl").read_bytes() == files[out / "medkg.ttl"]

    page = sources / "j3111-code-page.txt"
    page.write_text(page.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    fourth = build([sources], out, BuildOptions(jobs=2, cache_folder=cache))
    assert not fourth.reused  # a source changed
    assert (out / "SHA256SUMS").read_bytes() != files[out / "SHA256SUMS"]


def test_without_a_cache_every_build_is_done(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    build([SOURCES], out)
    assert not build([SOURCES], out).reused
