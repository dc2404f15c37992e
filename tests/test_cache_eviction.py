"""The build cache stays bounded: least-recently-used eviction after each build keeps what
the build used, and entries that vanish or rot are made again, never a crash."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import medkg
from medkg.cli import main
from medkg.pipeline import cache_eviction
from medkg.pipeline.cache import Cache, CacheEntryUnreadable
from medkg.pipeline.cache_eviction import evict, in_use, parse_size, usage
from medkg.pipeline.options import BuildOptions
from medkg.query import persistent

from .conftest import SOURCES, files_in

LONG_AGO = time.time() - 30 * 24 * 3600


def options(cache: Path, cache_max: int | None = 0) -> BuildOptions:
    return BuildOptions(jobs=1, cache_folder=cache, cache_max=cache_max, query_store=False)


def entries(cache: Path) -> set[str]:
    return {
        p.relative_to(cache).as_posix()
        for p in cache.rglob("*")
        if p.is_file() and p.name != cache_eviction.LOCK_FILE
    }


def age(path: Path, when: float = LONG_AGO) -> None:
    os.utime(path, (when, when))


def test_sizes() -> None:
    assert parse_size("0") == 0
    assert parse_size("500M") == 500 << 20
    assert parse_size("5G") == parse_size("5GiB") == parse_size("5 gb") == 5 << 30
    assert parse_size("1.5K") == 1536
    for wrong in ("five gigs", "5iB", "iB"):  # "5iB" once meant 5 bytes: evicting everything
        with pytest.raises(ValueError, match="not a size"):
            parse_size(wrong)


def test_the_least_recently_used_go_first_and_what_the_build_used_stays(tmp_path: Path) -> None:
    store = Cache(tmp_path)
    for number, key in enumerate(["aa01", "bb02", "cc03", "dd04"]):
        store.put("document", key, b"x" * 1000)
        age(store.path("document", key), LONG_AGO + number)
    started = time.time()
    assert store.has("document", "aa01")  # the oldest, but this "build" used it
    assert store.get("document", "cc03") == b"x" * 1000
    done = evict(tmp_path, 1500, used_since=started)
    assert not done.skipped and done.removed == 2
    assert done.after < done.before
    # over the cap still: what the build used is kept whatever the cap
    assert {p.rsplit("/", 1)[1] for p in entries(tmp_path)} == {"aa01", "cc03"}
    assert evict(tmp_path, 0).removed == 2  # nothing used since: everything goes


def test_no_eviction_while_a_build_holds_the_cache(tmp_path: Path) -> None:
    store = Cache(tmp_path)
    store.put("fragment", "ab12", b"x")
    age(store.path("fragment", "ab12"))
    with in_use(tmp_path):
        assert evict(tmp_path, 0).skipped
        assert store.has("fragment", "ab12")
    assert evict(tmp_path, 0).removed == 1


def test_a_rebuild_after_evicting_to_nothing_is_all_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, cache = tmp_path / "dist", tmp_path / "cache"
    stale = Cache(cache)
    stale.put("document", "ee05", b"an entry of an older build")
    age(stale.path("document", "ee05"))
    medkg.build([SOURCES], out, options(cache))  # cache_max=0: keep only what it used
    built = files_in(out)
    kept = entries(cache)
    assert "document/ee/ee05" not in kept
    assert any(p.startswith("fragment/") for p in kept)

    for path in cache.rglob("*"):
        if path.is_file():
            age(path)  # long ago: only what the next build marks used is kept
    assert medkg.build([SOURCES], out, options(cache)).reused
    assert entries(cache) == kept  # the build reused whole marked all it relies on

    def never(*args: object) -> None:
        raise AssertionError("the cache was missed")

    monkeypatch.setattr("medkg.pipeline.document_stage.process_one", never)
    monkeypatch.setattr("medkg.pipeline.cluster_build.graph_documents", never)
    (out / "medkg.ttl").write_text("# edited by hand\n", encoding="utf-8")
    again = medkg.build([SOURCES], out, options(cache))
    assert not again.reused
    assert files_in(out) == built


def test_vanished_and_unreadable_entries_are_made_again(tmp_path: Path) -> None:
    out, cache = tmp_path / "dist", tmp_path / "cache"
    medkg.build([SOURCES], out, options(cache, None))
    built = files_in(out)
    documents = sorted(p for p in (cache / "document").rglob("*") if p.is_file())
    fragments = sorted(p for p in (cache / "fragment").rglob("*") if p.is_file())
    assert documents and fragments

    documents[0].unlink()  # vanished: processed again
    fragments[0].write_bytes(b"rotten")  # unreadable: its cluster is built again
    (out / "medkg.ttl").write_text("# edited by hand\n", encoding="utf-8")
    with pytest.warns(CacheEntryUnreadable):
        medkg.build([SOURCES], out, options(cache, None))
    assert files_in(out) == built

    for path in documents:
        if path.is_file():
            path.write_bytes(b"rotten")  # read by the clusters built again below
    for path in (cache / "fragment").rglob("*"):
        if path.is_file():
            path.unlink()
    (out / "medkg.ttl").write_text("# edited again\n", encoding="utf-8")
    medkg.build([SOURCES], out, options(cache, None))  # (warned once per folder: above)
    assert files_in(out) == built
    assert all(Cache(cache).get("document", path.name) is not None for path in documents)


def test_an_old_query_store_is_evicted_and_an_open_one_kept(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first, second = tmp_path / "one", tmp_path / "two"
    medkg.build([SOURCES], first, BuildOptions(jobs=1, cache_folder=cache, cache_max=None))
    shutil.copytree(first, second)
    (second / "SHA256SUMS").unlink()  # hashed anew: same store, so make it another file
    with (second / "medkg.nq").open("a", encoding="utf-8") as handle:
        handle.write("<https://example.org/a> <https://example.org/b> <https://example.org/c> .\n")
    opened = persistent.open_store(second / "medkg.nq", cache)
    folders = sorted(persistent.stores_root(cache).iterdir())
    stores = [f for f in folders if (f / persistent.MARKER).is_file()]
    assert len(stores) == 2
    for folder in stores:
        age(folder / persistent.MARKER)
    evict(cache, 0)
    assert all(folder.is_dir() for folder in stores if folder == opened.folder)
    assert [f for f in stores if f.is_dir()] == [opened.folder]  # open: kept; the other: gone
    assert opened.lock is not None
    opened.lock.close()
    evict(cache, 0)
    assert not opened.folder.exists()


def test_concurrent_builds_of_two_outputs_sharing_a_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    command = [sys.executable, "-c", "from medkg.cli import main; main()", "build", str(SOURCES)]
    flags = ["--cache-dir", str(cache), "--cache-max", "0", "-j", "1", "--no-query-store"]
    builds = [
        subprocess.Popen(
            [*command, "--out", str(tmp_path / name), *flags],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for name in ("one", "two")
    ]
    outputs = [b.communicate(timeout=600)[0].decode() for b in builds]
    assert [b.returncode for b in builds] == [0, 0], outputs
    assert files_in(tmp_path / "one") == files_in(tmp_path / "two")
    assert usage(cache)["fragment"][0] > 0


def test_the_cache_command(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    store = Cache(cache)
    store.put("document", "ab12", b"x" * 2048)
    store.put("fragment", "cd34", b"y" * 4096)
    age(store.path("document", "ab12"))
    runner = CliRunner()
    shown = runner.invoke(main, ["cache", "--cache-dir", str(cache)])
    assert shown.exit_code == 0, shown.output
    assert "document" in shown.output and "fragment" in shown.output
    shrunk = runner.invoke(main, ["cache", "--cache-dir", str(cache), "--max", "5K"])
    assert shrunk.exit_code == 0, shrunk.output
    assert "removed 1 entries" in shrunk.output
    assert entries(cache) == {"fragment/cd/cd34"}
    cleared = runner.invoke(main, ["cache", "--cache-dir", str(cache), "--clear"])
    assert cleared.exit_code == 0 and entries(cache) == set()
    bad = runner.invoke(main, ["cache", "--cache-dir", str(cache), "--max", "lots"])
    assert bad.exit_code == 2 and "not a size" in bad.output
    refused = runner.invoke(main, ["build", str(SOURCES), "--cache-max", "lots"])
    assert refused.exit_code == 2 and "not a size" in refused.output


def test_the_cache_command_never_makes_a_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A mistyped --cache-dir is named and left unmade; a default folder not made yet is
    reported empty, and not made either."""
    runner = CliRunner()
    typo = tmp_path / "cahce"
    for extra in ([], ["--clear"], ["--max", "1G"]):
        result = runner.invoke(main, ["cache", "--cache-dir", str(typo), *extra])
        assert result.exit_code == 3, result.output
        assert f"{typo}/ is not a folder" in result.output and "--cache-dir" in result.output
        assert not typo.exists()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    fresh = runner.invoke(main, ["cache"])
    assert fresh.exit_code == 0 and "nothing cached yet" in fresh.output
    assert not (tmp_path / "xdg").exists()


def test_a_fragment_lost_on_every_try_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once lost, an entry is made again by a second run; lost again (a cache folder that
    cannot keep what it is given), the build fails naming the folder and what to do, and
    --out is untouched."""
    original = Cache.get

    def losing_fragments(self: Cache, kind: str, entry: str) -> object | None:
        return None if kind == "fragment" else original(self, kind, entry)

    monkeypatch.setattr(Cache, "get", losing_fragments)
    result = CliRunner().invoke(
        main,
        [
            "build",
            str(SOURCES),
            "--out",
            str(tmp_path / "dist"),
            "--cache-dir",
            str(tmp_path / "c"),
        ],
    )
    assert result.exit_code == 3
    assert "was lost; check that the cache folder can be read and written" in result.stderr
    assert "medkg cache --clear" in result.stderr and not (tmp_path / "dist").exists()
