"""Run one function over many items in worker processes, results in input order.

``jobs == 1`` runs in this process (no pickling, easy to debug, and what the
library does by default); more jobs use a process pool. Workers are forked
where the platform allows it, so they start with medkg already imported and
with whatever the caller prepared at module level (`WorkerState`); elsewhere
they are spawned and import medkg themselves.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def default_jobs() -> int:
    """The number of CPU cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def ordered_map(
    function: Callable[[Item], Result],
    items: Iterable[Item],
    jobs: int,
    initializer: Callable[[], object] | None = None,
) -> Iterator[Result]:
    """`function(item)` for each item, in the items' order, on `jobs` processes.

    `initializer()` runs first in every process that calls `function` (this one
    when there is no pool): the way to hand workers state, since a spawned
    worker does not inherit this process's globals (use `functools.partial`
    of a module-level function, so it can be pickled)."""
    work = list(items)
    if jobs <= 1 or len(work) <= 1:
        if initializer is not None:
            initializer()
        yield from map(function, work)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    workers = min(jobs, len(work))
    chunk = max(1, min(64, len(work) // (workers * 8)))
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=initializer
    ) as executor:
        yield from executor.map(function, work, chunksize=chunk)
