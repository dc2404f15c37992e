"""Competency queries timed inside one process: p50/p95 per query (a child of benchmarks/run.py).

    python benchmarks/query_bench.py medkg DIST SUBJECTS.json [--repeat 30]
    python benchmarks/query_bench.py naive NAIVE_OUT SUBJECTS.json [--repeat 3] [--cap 60]

``medkg``: load ``DIST/medkg.nq`` once into medkg's query store
(`medkg.query.load_store`, the engine ``medkg query`` uses), then run every
bundled competency query: one first run (reported apart), then `repeat`
timed runs. ``naive``: the same with ``NAIVE_OUT/medkg.nt`` parsed into one
rdflib graph and rdflib's SPARQL engine (benchmarks/naive_build.py); a run
longer than `cap` seconds is stopped (SIGALRM) and the query not repeated,
and a query is not repeated once its runs took `cap` seconds in all.

Each query is asked as a user asks it, about one subject: its ``drug``
parameter bound to a drug of the corpus, else ``code`` to that drug's billing
code, else ``document`` to its monograph's file name (other parameters left
unbound). Runs rotate over the subjects in SUBJECTS.json, a list of
``{"drug": ..., "code": ..., "document": ...}``. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import signal
import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import FrameType
from typing import Any

BOUND_FIRST = ("drug", "code", "document")  # the one parameter bound, in this order of preference


def binding(parameters: Sequence[str], subject: Mapping[str, str]) -> dict[str, str]:
    """The parameter a query is asked with for `subject` ({} when it takes none we know)."""
    for name in BOUND_FIRST:
        if name in parameters and subject.get(name):
            return {name: subject[name]}
    return {}


def percentiles(times: Sequence[float]) -> tuple[float, float]:
    """(p50, p95) of `times` (inclusive method; one value is both)."""
    if len(times) == 1:
        return times[0], times[0]
    return statistics.median(times), statistics.quantiles(times, n=20, method="inclusive")[18]


class Cap(Exception):
    """A query ran past the cap."""


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise Cap


def time_queries(
    ask: Callable[[str, dict[str, str]], int],
    parameters: Mapping[str, Sequence[str]],
    subjects: Sequence[Mapping[str, str]],
    repeat: int,
    cap: float | None,
) -> dict[str, dict[str, Any]]:
    """Per query: first run, p50, p95 (ms), runs, rows of the first run, the binding used."""
    results: dict[str, dict[str, Any]] = {}
    if cap is not None:
        signal.signal(signal.SIGALRM, _alarm)
    for name, params in parameters.items():
        first_binding = binding(params, subjects[0])
        times: list[float] = []
        first_ms, rows, capped = 0.0, 0, False
        for run in range(repeat + 1):
            bound = binding(params, subjects[run % len(subjects)])
            if cap is not None:
                signal.setitimer(signal.ITIMER_REAL, cap)
            started = time.perf_counter()
            try:
                count = ask(name, bound)
            except Cap:
                capped = True
                break
            finally:
                if cap is not None:
                    signal.setitimer(signal.ITIMER_REAL, 0)
            elapsed = time.perf_counter() - started
            if run == 0:
                first_ms, rows = elapsed * 1000, count
                if cap is not None and elapsed * 2 > cap:
                    times.append(elapsed)  # too slow to repeat: the first run is the figure
                    break
                continue
            times.append(elapsed)
            if cap is not None and sum(times) > cap:
                break
        p50, p95 = percentiles(times) if times else (float("nan"), float("nan"))
        results[name] = {
            "binding": first_binding,
            "first_ms": first_ms,
            "p50_ms": p50 * 1000,
            "p95_ms": p95 * 1000,
            "runs": len(times),
            "rows": rows,
            "capped_s": cap if capped else None,
        }
    return results


def medkg_child(dist: Path, subjects: list[dict[str, str]], repeat: int) -> dict[str, Any]:
    from medkg.query import load_store, named_queries, run_query

    started = time.perf_counter()
    store = load_store(dist)
    load_s = time.perf_counter() - started
    queries = named_queries()

    def ask(name: str, params: dict[str, str]) -> int:
        return len(run_query(store, queries[name], params).rows)

    parameters = {name: list(query.params) for name, query in queries.items()}
    return {
        "engine": getattr(store, "engine", "?"),
        "load_s": load_s,
        "triples": len(store),
        "queries": time_queries(ask, parameters, subjects, repeat, None),
    }


def naive_child(
    out: Path, subjects: list[dict[str, str]], repeat: int, cap: float
) -> dict[str, Any]:
    from naive_build import load_graph, naive_query

    from medkg.query import named_queries

    started = time.perf_counter()
    graph = load_graph(out)
    load_s = time.perf_counter() - started

    def ask(name: str, params: dict[str, str]) -> int:
        return len(naive_query(graph, name, params))

    parameters = {name: list(query.params) for name, query in named_queries().items()}
    return {
        "engine": "rdflib (one Graph, parsed from medkg.nt)",
        "load_s": load_s,
        "triples": len(graph),
        "queries": time_queries(ask, parameters, subjects, repeat, cap),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("engine", choices=["medkg", "naive"])
    parser.add_argument("data", type=Path, help="a dist/ folder (medkg) or naive output folder")
    parser.add_argument("subjects", type=Path, help="JSON list of {drug, code, document}")
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per query")
    parser.add_argument("--cap", type=float, default=60.0, help="naive: seconds per query")
    args = parser.parse_args(argv)
    subjects = json.loads(args.subjects.read_text(encoding="utf-8"))
    if args.engine == "medkg":
        result = medkg_child(args.data, subjects, args.repeat)
    else:
        result = naive_child(args.data, subjects, args.repeat, args.cap)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
