"""SIGKILL a real ``medkg build`` at named points (``MEDKG_TEST_PAUSE_AT``, see
`medkg.pipeline.fragments.pause`): the output folder is always the old one or the new one,
whole; the next build removes what the killed one left; no worker outlives its build; a
second build into a locked folder fails at once with a message saying so."""

from __future__ import annotations

import hashlib
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from medkg.cli import EXIT_SOURCE
from medkg.errors import MedkgError
from medkg.pipeline import build as medkg_build
from medkg.pipeline import staging
from medkg.pipeline.build import build
from medkg.pipeline.fragments.pause import MARKER, VARIABLE
from medkg.pipeline.options import BuildOptions
from medkg.pipeline.staging import LOCK, PREVIOUS, swap_in, sweep, work_folder

from ..conftest import SOURCES, append_to_usage, files_in

WAIT = 180  # seconds a marker or an exit may take on a busy machine (never asserted on)


STARTED: list[subprocess.Popen[str]] = []


@pytest.fixture(autouse=True)
def no_build_left() -> Iterator[None]:
    """A test that fails while a build waits at a point kills it."""
    yield
    while STARTED:
        process = STARTED.pop()
        if process.poll() is None:
            process.kill()
            process.wait()


class Build:
    """A ``medkg build`` subprocess paused at the points named in `pause_at`."""

    def __init__(self, sources: Path, out: Path, *options: str, pause_at: str = ""):
        env = {**os.environ, VARIABLE: pause_at}
        command = [sys.executable, "-m", "medkg", "build", str(sources), "--out", str(out)]
        self.process = subprocess.Popen(
            [*command, "--jobs", "2", *options],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        STARTED.append(self.process)
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def wait_for(self, point: str) -> None:
        """Wait until the build says it paused at `point`."""
        while True:
            line = self.lines.get(timeout=WAIT)
            if line is None:
                pytest.fail(f"the build ended before {point}:\n{''.join(self.output)}")
            self.output.append(line)
            if line.strip() == f"{MARKER} {point}":
                return

    def resume(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("\n")
        self.process.stdin.flush()

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=WAIT)

    def finish(self) -> int:
        """Let the build run to its end; its exit code."""
        assert self.process.stdin is not None
        self.process.stdin.close()
        code = self.process.wait(timeout=WAIT)
        while (line := self.lines.get(timeout=WAIT)) is not None:
            self.output.append(line)
        return code


def run_build(sources: Path, out: Path, *options: str) -> Build:
    done = Build(sources, out, *options)
    assert done.finish() == 0, "".join(done.output)
    return done


def assert_whole(out: Path) -> dict[str, bytes]:
    """Every file of `out` is listed in its SHA256SUMS with the right digest, and nothing
    else is there (what ``sha256sum -c SHA256SUMS`` checks, and more); the files."""
    files = files_in(out)
    listed = dict(
        reversed(line.split("  ", 1)) for line in files["SHA256SUMS"].decode().splitlines()
    )
    assert sorted(listed) == sorted(name for name in files if name != "SHA256SUMS")
    assert {name: hashlib.sha256(files[name]).hexdigest() for name in listed} == listed
    return files


def leftovers(out: Path) -> list[str]:
    """What is in the work folder of `out` besides its lock file."""
    return sorted(p.name for p in work_folder(out).iterdir() if p.name != LOCK)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output folder of the bundled sources, to copy."""
    out = tmp_path_factory.mktemp("published") / "dist"
    build([SOURCES], out)
    return out


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "sources"
    shutil.copytree(SOURCES, folder)
    return folder


@pytest.fixture
def out(tmp_path: Path, published: Path) -> Iterator[Path]:
    target = tmp_path / "dist"
    shutil.copytree(published, target)
    yield target


def test_a_kill_in_the_document_stage_leaves_the_output_and_no_worker(
    sources: Path, out: Path, published: Path
) -> None:
    killed = Build(sources, out, "--no-cache", pause_at="documents")
    killed.wait_for("documents")
    workers = psutil.Process(killed.process.pid).children(recursive=True)
    assert workers, "the document stage should run on worker processes"
    killed.kill()
    _gone, alive = psutil.wait_procs(workers, timeout=WAIT)
    for orphan in alive:
        orphan.kill()
    assert alive == []
    assert files_in(out) == files_in(published)
    left = leftovers(out)
    assert any(name.startswith("medkg-store-") for name in left), left
    assert any(name.startswith(".medkg-staging-") for name in left), left

    run_build(sources, out, "--no-cache")
    assert leftovers(out) == []
    assert assert_whole(out) == files_in(published)


def test_a_kill_inside_the_merge_leaves_the_output_and_the_next_build_cleans_up(
    sources: Path, out: Path, published: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    killed = Build(sources, out, "--cache-dir", str(cache), pause_at="merge")
    killed.wait_for("merge")
    killed.kill()
    assert files_in(out) == files_in(published)
    unfinished = list((cache / "merge").rglob(".new-*"))
    assert unfinished, "the killed merge should leave its unfinished merge state"
    assert leftovers(out) != []

    run_build(sources, out, "--cache-dir", str(cache))
    assert list((cache / "merge").rglob(".new-*")) == []
    assert leftovers(out) == []
    assert assert_whole(out) == files_in(published)


def test_a_kill_right_after_the_swap_leaves_the_whole_new_output(
    sources: Path, out: Path, published: Path
) -> None:
    append_to_usage(sources / "romosozumab-monograph.txt")
    killed = Build(sources, out, "--no-cache", pause_at="swap")
    killed.wait_for("swap")
    killed.kill()
    assert assert_whole(out) != files_in(published)
    old = [work_folder(out) / name for name in leftovers(out) if name.startswith(".medkg-stag")]
    assert [files_in(folder) for folder in old] == [files_in(published)]  # exchanged, whole


def test_kills_inside_an_incremental_update_leave_the_old_or_the_whole_new_output(
    sources: Path, tmp_path: Path
) -> None:
    out, cache = tmp_path / "dist", tmp_path / "cache"
    build([sources], out, BuildOptions(cache_folder=cache))  # the options the command line uses
    old = assert_whole(out)
    append_to_usage(sources / "romosozumab-monograph.txt")

    killed = Build(sources, out, "--cache-dir", str(cache), pause_at="update")
    killed.wait_for("update")  # only an incremental update passes here
    killed.kill()
    assert files_in(out) == old

    killed = Build(sources, out, "--cache-dir", str(cache), pause_at="update,swap")
    killed.wait_for("update")
    killed.resume()
    killed.wait_for("swap")
    killed.kill()
    new = assert_whole(out)
    assert new != old

    run_build(sources, out, "--cache-dir", str(cache))
    assert leftovers(out) == []
    assert assert_whole(out) == new


def test_a_second_build_into_a_locked_folder_fails_at_once(
    sources: Path, out: Path, published: Path
) -> None:
    first = Build(sources, out, "--no-cache", pause_at="merge")
    first.wait_for("merge")
    for options in [("--no-cache",), ("--no-cache", "--check")]:
        second = Build(sources, out, *options)
        assert second.finish() == EXIT_SOURCE
        said = "".join(second.output)
        assert f"{out}: another medkg build is using this output folder" in said
        assert "wait for it to finish, or give --out another folder" in said
    assert first.finish() == 0, "".join(first.output)
    assert leftovers(out) == []
    assert assert_whole(out) == files_in(published)


class Killed(Exception):
    """Stands for SIGKILL in the in-process tests."""


def test_the_fallback_swap_killed_between_its_renames_is_put_back_by_the_next_build(
    tmp_path: Path, published: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "dist"
    shutil.copytree(published, out)
    work = work_folder(out)
    work.mkdir()
    new = work / ".medkg-staging-new"
    shutil.copytree(published, new)
    (new / "medkg.ttl").write_bytes(b"# new\n")
    monkeypatch.setattr(staging, "_exchange", lambda first, second: False)

    def killed(point: str) -> None:
        raise Killed(point)

    monkeypatch.setattr(staging, "pause", killed)
    with pytest.raises(Killed):
        swap_in(new, out)
    assert not out.exists() and (work / PREVIOUS).is_dir()
    sweep(work, out)
    assert files_in(out) == files_in(published)
    assert list(work.iterdir()) == []

    monkeypatch.setattr(staging, "pause", lambda point: None)
    shutil.copytree(published, new)
    (new / "medkg.ttl").write_bytes(b"# new\n")
    swap_in(new, out)
    assert (out / "medkg.ttl").read_bytes() == b"# new\n"
    assert list(work.iterdir()) == []


def test_an_update_killed_at_any_rename_while_it_publishes_leaves_a_whole_output(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kill (in process) at the first, second, … rename or exchange `publish` makes, until
    one run gets through: the output is the old or the new folder, whole, every time."""
    out, cache, saved = tmp_path / "dist", tmp_path / "cache", tmp_path / "saved"
    build([sources], out, BuildOptions(cache_folder=cache))
    old = assert_whole(out)
    append_to_usage(sources / "romosozumab-monograph.txt")
    shutil.copytree(out, saved / "dist")
    shutil.copytree(cache, saved / "cache")
    real_publish, real_replace, real_exchange = medkg_build.publish, os.replace, staging._exchange
    left = [0]  # renames still allowed; counted only while publishing

    def counted(step: Callable[..., object], *args: object) -> object:
        if left[0] == 0:
            raise Killed(str(args))
        left[0] -= 1
        return step(*args)

    def publishing(*args: Any) -> object:
        patch.setattr(os, "replace", lambda *a: counted(real_replace, *a))
        patch.setattr(staging, "_exchange", lambda *a: counted(real_exchange, *a))
        try:
            return real_publish(*args)
        finally:
            patch.setattr(os, "replace", real_replace)
            patch.setattr(staging, "_exchange", real_exchange)

    results = []
    with monkeypatch.context() as patch:
        patch.setattr(medkg_build, "publish", publishing)
        for allowed in range(50):
            for name in ("dist", "cache"):
                shutil.rmtree(tmp_path / name)
                shutil.copytree(saved / name, tmp_path / name)
            left[0] = allowed
            try:
                outcome = build([sources], out, BuildOptions(cache_folder=cache))
            except Killed:
                results.append(assert_whole(out))
                continue
            assert outcome.update is not None, "the rebuild should be an incremental update"
            new = assert_whole(out)
            break
    assert all(files in (old, new) for files in results)
    assert results and new != old


def test_an_output_folder_whose_lock_cannot_be_made_is_named(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    out = tmp_path / "file" / "dist"
    for check in (False, True):
        with pytest.raises(MedkgError, match=r"file/dist: cannot make the build's lock file"):
            build([SOURCES], out, check=check)
