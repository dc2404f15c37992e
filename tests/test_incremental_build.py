"""Rebuilds through the build cache: a rebuild after a change updates only what changed and
gives the bytes of a cold build of the changed sources; a broken output or merge state
makes the rebuild write everything again."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from medkg.pipeline.build import build
from medkg.pipeline.fragments import incremental
from medkg.pipeline.fragments.changed_fragments import CannotUpdate
from medkg.pipeline.merge_stage import MergeTarget
from medkg.pipeline.options import BuildOptions
from medkg.pipeline.sources import SOURCE_TICK_NS
from medkg.pipeline.staging import BuildOutcome

from .conftest import append_to_usage, files_in

OPTIONS = BuildOptions().output_key  # what a build keys its merge state by, before --out


def cold(sources: Path, tmp_path: Path) -> dict[str, bytes]:
    """The files of a build with an empty cache into a new folder."""
    out = tmp_path / "cold" / "dist"
    shutil.rmtree(out.parent, ignore_errors=True)
    build([sources], out, BuildOptions(cache_folder=tmp_path / "cold-cache"))
    shutil.rmtree(tmp_path / "cold-cache")
    return files_in(out)


def rebuild(sources: Path, out: Path, cache: Path) -> BuildOutcome:
    return build([sources], out, BuildOptions(jobs=2, cache_folder=cache))


def assert_same(made: dict[str, bytes], expected: dict[str, bytes]) -> None:
    assert sorted(made) == sorted(expected)
    assert [name for name in expected if made[name] != expected[name]] == []


def test_a_one_change_rebuild_gives_the_bytes_of_a_cold_build(
    sources: Path, tmp_path: Path
) -> None:
    out, cache = tmp_path / "dist", tmp_path / "cache"
    first = rebuild(sources, out, cache)
    assert first.update is None  # nothing to update yet: every file is written
    before = files_in(out)
    append_to_usage(sources / "monographs" / "ocrelizumab.md")
    second = rebuild(sources, out, cache)
    assert second.update is not None, "the rebuild should update the output in place"
    changed = {name for name in before if files_in(out).get(name) != before[name]}
    assert {"medkg.nq", "medkg.ttl", "medkg.jsonld", "SHA256SUMS"} <= changed
    assert set(second.update.written) >= changed - second.update.deleted
    assert len(second.update.written) < len(before) // 2
    assert_same(files_in(out), cold(sources, tmp_path))

    append_to_usage(sources / "romosozumab-monograph.txt")  # and again, from the updated state
    (sources / "hcpcs" / "J2350.txt").unlink()
    third = rebuild(sources, out, cache)
    assert third.update is not None
    assert_same(files_in(out), cold(sources, tmp_path))
    assert rebuild(sources, out, cache).reused


def test_an_output_changed_by_hand_is_written_in_full(sources: Path, tmp_path: Path) -> None:
    out, cache = tmp_path / "dist", tmp_path / "cache"
    rebuild(sources, out, cache)
    (out / "medkg.nq").write_bytes(b"edited by hand\n")
    append_to_usage(sources / "monographs" / "ocrelizumab.md")
    again = rebuild(sources, out, cache)
    assert again.update is None  # the output is not what the recorded merge wrote
    assert_same(files_in(out), cold(sources, tmp_path))


def test_a_lost_merge_state_or_fragment_is_written_in_full(sources: Path, tmp_path: Path) -> None:
    out, cache = tmp_path / "dist", tmp_path / "cache"
    rebuild(sources, out, cache)
    target = MergeTarget.of(out, cache, *OPTIONS, str(out.resolve()))
    assert target.state.is_file()
    target.state.write_bytes(b"not a database")
    append_to_usage(sources / "monographs" / "ocrelizumab.md")
    assert rebuild(sources, out, cache).update is None
    assert_same(files_in(out), cold(sources, tmp_path))

    for fragment in (cache / "fragment").rglob("*"):
        if fragment.is_file():
            fragment.unlink()  # the old fragments an update subtracts are gone
    append_to_usage(sources / "monographs" / "burosumab.md")
    assert rebuild(sources, out, cache).update is None
    assert_same(files_in(out), cold(sources, tmp_path))


def test_a_source_touched_without_a_change_is_not_a_change(sources: Path, tmp_path: Path) -> None:
    out, cache = tmp_path / "dist", tmp_path / "cache"
    rebuild(sources, out, cache)
    page = sources / "hcpcs" / "J2350.txt"
    os.utime(page, ns=(page.stat().st_atime_ns, page.stat().st_mtime_ns + 5_000_000_000))
    assert rebuild(sources, out, cache).reused


def test_an_update_that_gives_up_midway_is_a_full_merge(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, cache = tmp_path / "dist", tmp_path / "cache"
    rebuild(sources, out, cache)
    real = incremental.update

    def gives_up(out: Path, staging: Path, *args: object, **kwargs: object) -> object:
        real(out, staging, *args, **kwargs)  # type: ignore[arg-type]
        assert any(staging.iterdir())  # files were written to the staging folder
        raise CannotUpdate("given up on purpose")

    monkeypatch.setattr(incremental, "update", gives_up)
    append_to_usage(sources / "monographs" / "ocrelizumab.md")
    assert rebuild(sources, out, cache).update is None
    assert_same(files_in(out), cold(sources, tmp_path))
    monkeypatch.setattr(incremental, "update", real)
    append_to_usage(sources / "monographs" / "burosumab.md")
    assert rebuild(sources, out, cache).update is not None  # the state was recorded again
    assert_same(files_in(out), cold(sources, tmp_path))


def test_a_source_changed_behind_the_same_size_and_time_is_read_again(
    sources: Path, tmp_path: Path
) -> None:
    out, cache = tmp_path / "dist", tmp_path / "cache"
    page = sources / "hcpcs" / "J2350.txt"
    old = page.stat()
    os.utime(page, ns=(old.st_atime_ns, old.st_mtime_ns - 10_000_000_000))  # long before
    time.sleep(SOURCE_TICK_NS / 1e9 + 0.5)  # so its key is remembered (see document_keys)
    rebuild(sources, out, cache)
    before = page.stat()
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("J2350", "J2351", 1), encoding="utf-8")  # same size
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))  # same modification time
    assert page.stat().st_size == before.st_size
    again = rebuild(sources, out, cache)
    assert not again.reused  # its change time moved: the file is read again
    assert_same(files_in(out), cold(sources, tmp_path))
