"""Time the pages for people on a built dataset, as a query worker renders them.

    .venv/bin/python docs/page_timings.py DIST [--limit N]

Loads DIST's query store as `medkg serve`'s workers do, then renders every drug's
page (its queries and HTML), every code's page, the landing page (first and later
requests: the index is read once per worker) and a search, and prints the median,
90th percentile and slowest time of each kind, in milliseconds, wall-clock and CPU
(the process's own: on a shared machine wall-clock time includes waiting for a core).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path


def _timed(render: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU milliseconds of one render (CPU time is what a shared, busy
    machine changes least)."""
    wall, cpu = time.perf_counter(), time.process_time()
    render()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def _summary(times: list[float]) -> str:
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    return f"p50={statistics.median(times):.1f} p90={p90:.1f} max={ordered[-1]:.1f} ms"


def _line(kind: str, times: list[tuple[float, float]]) -> str:
    if not times:
        return f"{kind}: none"
    wall = _summary([each[0] for each in times])
    cpu = _summary([each[1] for each in times])
    return f"{kind}: n={len(times)} wall {wall}; cpu {cpu}"


def main() -> None:
    from medkg.query import load_store
    from medkg.serve.jobs import PageJob
    from medkg.serve.pages import answer_page, node_page
    from medkg.serve.pages.catalogue import catalogue

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dist", type=Path)
    parser.add_argument("--limit", type=int, default=0, help="at most this many drugs")
    args = parser.parse_args()
    store = load_store(args.dist)
    first_landing = _timed(lambda: answer_page(store, PageJob("landing"), 1000, None))
    index = catalogue(store)
    drugs = index.drugs[: args.limit] if args.limit else index.drugs
    print(f"{len(store)} triples, {len(index.drugs)} drugs, {len(index.codes)} codes")
    print(f"landing, first request (reads the index): {first_landing[0]:.1f} ms")
    landing = [
        _timed(lambda: answer_page(store, PageJob("landing"), 1000, None)) for _ in range(20)
    ]
    search = [
        _timed(lambda: answer_page(store, PageJob("landing", (("q", "ab"),)), 1000, None))
        for _ in range(20)
    ]
    drug_times = [_timed(lambda iri=entry.iri: node_page(store, iri)) for entry in drugs]
    code_times = [_timed(lambda iri=entry.iri: node_page(store, iri)) for entry in index.codes]
    for kind, times in (
        ("landing", landing),
        ("search", search),
        ("drug pages", drug_times),
        ("code pages", code_times),
    ):
        print(_line(kind, times))


if __name__ == "__main__":
    main()
