"""Run one command as a child process and measure it: wall time and peak memory.

* **Wall time**: `time.perf_counter` from just before the child is started to
  just after it has been reaped (start-up, imports and exit included).
* **Peak RSS of the process tree**: a sampling thread adds up the resident
  set size of the child and all its descendants (psutil) every 20 ms during
  the first second, then every 100 ms, and keeps the largest sum. A peak
  shorter than the interval can be missed.
* **Largest single process**: ``ru_maxrss`` of the child as `os.wait4`
  reports it (the child and its waited-for descendants, the largest one; KiB
  on Linux). Used alone when psutil is not installed.

The reported peak is the larger of the two (the sampled tree sum is usually
the larger one for a build with worker processes). A child that runs past
its timeout, or whose tree passes the memory limit, is stopped (its own
process group, by id) and marked so.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

try:
    import psutil
except ImportError:  # pragma: no cover - the dev extra installs it
    psutil = None

MIB = 1024 * 1024


@dataclass(frozen=True)
class Run:
    """One measured execution of a command."""

    command: tuple[str, ...]
    wall_s: float
    tree_peak_mb: float | None  # None without psutil
    process_peak_mb: float
    returncode: int  # negative: killed by that signal
    timed_out: bool
    over_memory: bool  # stopped because the tree's RSS passed the limit
    stdout: Path
    stderr: Path

    @property
    def peak_rss_mb(self) -> float:
        return max(self.tree_peak_mb or 0.0, self.process_peak_mb)

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out and not self.over_memory

    def failure(self) -> str:
        """Why the run did not succeed, for the report ("" when it did)."""
        if self.over_memory:
            return f"stopped after {self.wall_s:.0f} s: its RSS passed the memory limit"
        if self.timed_out:
            return f"stopped after the timeout ({self.wall_s:.0f} s)"
        if self.returncode < 0:
            name = signal.Signals(-self.returncode).name
            hint = " (likely out of memory)" if name == "SIGKILL" else ""
            return f"killed by {name}{hint}"
        if self.returncode != 0:
            tail = self.stderr.read_text(encoding="utf-8", errors="replace").strip()
            last = tail.splitlines()[-1] if tail else "no message"
            return f"exit {self.returncode}: {last[:300]}"
        return ""


class _Sampler(threading.Thread):
    """Samples the RSS of a process tree until `done` is set; stops the tree after `timeout`
    seconds or once its RSS passes `limit` bytes."""

    def __init__(self, pid: int, timeout: float | None, limit: int | None, started: float):
        super().__init__(daemon=True)
        self.pid = pid
        self.timeout = timeout
        self.limit = limit
        self.started = started
        self.peak_bytes = 0
        self.timed_out = False
        self.over_memory = False
        self.done = threading.Event()

    def run(self) -> None:
        root = None
        if psutil is not None:
            try:
                root = psutil.Process(self.pid)
            except psutil.Error:  # already gone
                root = None
        while not self.done.is_set():
            elapsed = time.perf_counter() - self.started
            if root is not None:
                self.peak_bytes = max(self.peak_bytes, _tree_rss(root))
            if self.limit is not None and self.peak_bytes > self.limit:
                self.over_memory = True
                _stop_group(self.pid)
                return
            if self.timeout is not None and elapsed > self.timeout:
                self.timed_out = True
                _stop_group(self.pid)
                return
            self.done.wait(0.02 if elapsed < 1.0 else 0.1)


def _tree_rss(root: object) -> int:
    """Resident bytes of `root` (a psutil.Process) and all its descendants; 0 once it is gone."""
    assert psutil is not None
    total = 0
    try:
        processes = [root, *root.children(recursive=True)]  # type: ignore[attr-defined]
    except psutil.Error:
        return 0
    for process in processes:
        try:
            total += process.memory_info().rss
        except psutil.Error:
            continue
    return total


def _stop_group(pid: int) -> None:
    """SIGTERM, then SIGKILL, to the process group the child leads (started by `measure`)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return
        time.sleep(2.0)


def measure(
    command: Sequence[str],
    logs: Path,
    label: str,
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float | None = None,
    memory_limit_mb: float | None = None,
) -> Run:
    """Run `command` once; its stdout and stderr go to ``logs/<label>.out`` / ``.err``.
    It is stopped after `timeout` seconds, or when its tree's RSS passes `memory_limit_mb`
    (sampled, so only with psutil), to protect the machine."""
    logs.mkdir(parents=True, exist_ok=True)
    stdout, stderr = logs / f"{label}.out", logs / f"{label}.err"
    with stdout.open("wb") as out, stderr.open("wb") as err:
        started = time.perf_counter()
        child = subprocess.Popen(
            list(command),
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            cwd=cwd,
            env=dict(env) if env is not None else None,
            start_new_session=True,  # its own process group, so a timeout stops the whole tree
        )
        limit = int(memory_limit_mb * MIB) if memory_limit_mb else None
        sampler = _Sampler(child.pid, timeout, limit, started)
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        sampler.done.set()
        sampler.join()
    tree = sampler.peak_bytes / MIB if psutil is not None else None
    return Run(
        command=tuple(command),
        wall_s=wall,
        tree_peak_mb=tree,
        process_peak_mb=usage.ru_maxrss / 1024,  # KiB on Linux
        returncode=child.returncode,
        timed_out=sampler.timed_out,
        over_memory=sampler.over_memory,
        stdout=stdout,
        stderr=stderr,
    )


def rss_method() -> str:
    """How peak RSS is measured on this machine (for the report)."""
    if psutil is None:
        return "ru_maxrss of the largest single process (os.wait4); psutil not installed"
    return (
        "max of: the sum of RSS over the process tree sampled with psutil (20 ms, then 100 ms), "
        "and ru_maxrss of the largest single process (os.wait4)"
    )
