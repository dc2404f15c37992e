"""Run one function over many items in worker processes, results in input order.

``jobs == 1`` runs in this process (no pickling, easy to debug, and what the
library does by default); more jobs use a process pool. Workers are forked
where the platform allows it, so they start with medkg already imported and
with whatever the caller prepared at module level (`WorkerState`); elsewhere
they are spawned and import medkg themselves.

A worker process that dies (a signal, the out-of-memory killer, a crash in a
C extension) breaks the whole pool. With an `on_crash` handler the map goes
on: the first item not yet answered is run again alone, in a process of its
own, and either gives its result or, when that process dies too, becomes
``on_crash(item, error)``; the rest go to a new pool. So a crash costs the
item that causes it, never the others.

Workers die with the process that started them: on Linux each asks the kernel
for SIGKILL when its parent goes (``prctl(PR_SET_PDEATHSIG)``, `die_with_parent`),
so a build killed with SIGKILL leaves no worker behind (nor the output folder's
lock, which the workers share: `medkg.pipeline.staging.lock_output`). The signal follows
the *thread* that started the worker, so call `ordered_map` from a thread that
outlives its pool (the build calls it from the main thread). Elsewhere workers
notice their parent's death only when they next talk to it.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def default_jobs() -> int:
    """The number of CPU cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent(parent: int, initializer: Callable[[], object] | None = None) -> None:
    """In a worker process: be killed when the process `parent` ends (Linux: the kernel
    sends SIGKILL; a worker whose parent is already gone exits now), then `initializer()`."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
        if os.getppid() != parent:  # the parent died before the request was made
            os._exit(1)
    if initializer is not None:
        initializer()


def _worker_start(initializer: Callable[[], object] | None) -> Callable[[], object]:
    """The initializer of this process's workers: `die_with_parent`, then `initializer`."""
    return partial(die_with_parent, os.getpid(), initializer)


def _alone(
    function: Callable[[Item], Result],
    item: Item,
    initializer: Callable[[], object] | None,
    on_crash: Callable[[Item, BaseException], Result],
) -> Result:
    """`function(item)` in a process of its own; `on_crash` when that process dies."""
    with ProcessPoolExecutor(
        max_workers=1, mp_context=_context(), initializer=_worker_start(initializer)
    ) as executor:
        try:
            return executor.submit(function, item).result()
        except BrokenProcessPool as crash:
            return on_crash(item, crash)


def ordered_map(
    function: Callable[[Item], Result],
    items: Iterable[Item],
    jobs: int,
    initializer: Callable[[], object] | None = None,
    on_crash: Callable[[Item, BaseException], Result] | None = None,
) -> Iterator[Result]:
    """`function(item)` for each item, in the items' order, on `jobs` processes.

    `initializer()` runs first in every process that calls `function` (this one
    when there is no pool): the way to hand workers state, since a spawned
    worker does not inherit this process's globals (use `functools.partial`
    of a module-level function, so it can be pickled). When a worker process
    dies, `on_crash(item, error)` stands for the result of the item that killed
    it (see the module's docstring); without `on_crash`, `BrokenProcessPool` is
    raised."""
    work = list(items)
    if jobs <= 1 or len(work) <= 1:
        if initializer is not None:
            initializer()
        yield from map(function, work)
        return
    done = 0
    while done < len(work):
        rest = work[done:]
        workers = min(jobs, len(rest))
        chunk = max(1, min(64, len(rest) // (workers * 8)))
        try:
            with ProcessPoolExecutor(
                max_workers=workers, mp_context=_context(), initializer=_worker_start(initializer)
            ) as executor:
                for result in executor.map(function, rest, chunksize=chunk):
                    yield result
                    done += 1
        except BrokenProcessPool:
            if on_crash is None:
                raise
            yield _alone(function, work[done], initializer, on_crash)
            done += 1
