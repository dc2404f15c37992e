"""Competency queries timed: p50/p95 per query, each capped in time (a child of benchmarks/run.py).

    python benchmarks/query_bench.py medkg DIST SUBJECTS.json [--repeat 30] [--cap 10]
    python benchmarks/query_bench.py naive NAIVE_OUT SUBJECTS.json [--repeat 3] [--cap 60]

``medkg``: a worker process opens ``DIST``'s query store once
(`medkg.query.load_store`, what ``medkg query`` uses: the on-disk store in the
cache folder, built on first use; benchmarks/run.py has a ``medkg query``
build it first, so this times opening it), then runs
every bundled competency query: one first run (reported apart), then
`repeat` timed runs, each timed inside the worker. ``naive``: the same with
``NAIVE_OUT/medkg.nt`` parsed into one rdflib graph and rdflib's SPARQL
engine (benchmarks/naive_build.py), in this process.

The cap (``--cap`` seconds; default 10 for medkg, 60 for naive): a run that
passes it is stopped — for medkg the worker is killed (a running pyoxigraph
query cannot be interrupted) and a new one opens the store for the next
query; for naive by SIGALRM — and the query is reported ``over cap`` with the
time it had run, without more runs; the benchmark goes on with the next
query. A query is also not repeated once its runs took `cap` seconds in all.

Each query is asked as a user asks it, about one subject: its ``drug``
parameter bound to a drug of the corpus, else ``code`` to that drug's billing
code, else ``document`` to its monograph's file name (other parameters left
unbound). Runs rotate over the subjects in SUBJECTS.json, a list of
``{"drug": ..., "code": ..., "document": ...}``. Progress goes to stderr; the
result is one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import json
import math
import select
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

BOUND_FIRST = ("drug", "code", "document")  # the one parameter bound, in this order of preference
DEFAULT_CAP = {"medkg": 10.0, "naive": 60.0}


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


class OverCap(Exception):
    """A query run passed the cap; `seconds` is how long it had run when stopped."""

    def __init__(self, seconds: float):
        super().__init__(f"over cap after {seconds:.1f} s")
        self.seconds = seconds


Ask = Callable[[str, dict[str, str], float], tuple[int, float]]
"""(query name, parameters, cap in seconds) -> (rows, seconds); raises OverCap."""


def time_queries(
    ask: Ask,
    parameters: Mapping[str, Sequence[str]],
    subjects: Sequence[Mapping[str, str]],
    repeat: int,
    cap: float,
    progress: TextIO | None = None,
) -> dict[str, dict[str, Any]]:
    """Per query: first run, p50, p95 (ms), runs, rows of the first run, the binding used,
    and ``over_cap``/``capped_s``/``over_cap_ms`` when a run passed the cap."""
    results: dict[str, dict[str, Any]] = {}
    for name, params in parameters.items():
        figure = QueryTiming(binding(params, subjects[0]))
        for run in range(repeat + 1):
            bound = binding(params, subjects[run % len(subjects)])
            try:
                count, seconds = ask(name, bound, cap)
            except OverCap as over:
                figure.over_cap_s = over.seconds
                break
            if run == 0:
                figure.first_s, figure.rows = seconds, count
                if seconds * 2 > cap:
                    figure.times.append(seconds)  # too slow to repeat: the first run is the figure
                    break
                continue
            figure.times.append(seconds)
            if sum(figure.times) > cap:
                break
        results[name] = figure.as_json(cap)
        if progress is not None:
            print(f"{name}: {figure.summary()}", file=progress, flush=True)
    return results


@dataclass
class QueryTiming:
    """The runs of one query."""

    binding: dict[str, str]
    first_s: float = math.nan
    rows: int = 0
    times: list[float] = field(default_factory=list)
    over_cap_s: float | None = None

    def as_json(self, cap: float) -> dict[str, Any]:
        p50, p95 = percentiles(self.times) if self.times else (math.nan, math.nan)
        first_s = self.first_s if not math.isnan(self.first_s) else (self.over_cap_s or math.nan)
        return {
            "binding": self.binding,
            "first_ms": first_s * 1000,
            "p50_ms": p50 * 1000,
            "p95_ms": p95 * 1000,
            "runs": len(self.times),
            "rows": self.rows,
            "over_cap": self.over_cap_s is not None,
            "over_cap_ms": None if self.over_cap_s is None else self.over_cap_s * 1000,
            "capped_s": cap if self.over_cap_s is not None else None,
        }

    def summary(self) -> str:
        if self.over_cap_s is not None and not self.times:
            return f"over cap ({self.over_cap_s:.1f} s when stopped)"
        p50, _ = percentiles(self.times) if self.times else (math.nan, math.nan)
        more = f"; a later run over cap ({self.over_cap_s:.1f} s)" if self.over_cap_s else ""
        return f"p50 {p50 * 1000:.2f} ms over {len(self.times)} runs, {self.rows} rows{more}"


# --- medkg: queries in a worker process that can be killed ------------------------------


class Worker:
    """A child process that opens the query store and answers ``{"name", "params"}`` lines."""

    def __init__(self, dist: Path):
        self.dist = dist
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "worker", str(dist)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.ready: dict[str, Any] = self._reply(None)

    def ask(self, name: str, params: dict[str, str], cap: float) -> tuple[int, float]:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps({"name": name, "params": params}) + "\n")
        self.process.stdin.flush()
        answer = self._reply(cap)
        return int(answer["rows"]), float(answer["seconds"])

    def _reply(self, cap: float | None) -> dict[str, Any]:
        assert self.process.stdout is not None
        started = time.perf_counter()
        waiting, _, _ = select.select([self.process.stdout], [], [], cap)
        if not waiting:
            self.stop()
            raise OverCap(time.perf_counter() - started)
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the query worker ended (exit {self.process.wait()})")
        answer: dict[str, Any] = json.loads(line)
        return answer

    def stop(self) -> None:
        """Kill this worker (only this process, by its handle) and reap it."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


def worker_main(dist: Path) -> int:
    """The worker's loop: open the store, report, then answer one query per input line."""
    from medkg.query import load_store, named_queries, run_query

    started = time.perf_counter()
    store = load_store(dist)
    load_s = time.perf_counter() - started
    queries = named_queries()
    ready = {"engine": "oxigraph", "load_s": load_s, "triples": len(store)}
    print(json.dumps(ready), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        started = time.perf_counter()
        rows = len(run_query(store, queries[request["name"]], request["params"]))
        print(json.dumps({"rows": rows, "seconds": time.perf_counter() - started}), flush=True)
    return 0


def medkg_child(
    dist: Path, subjects: list[dict[str, str]], repeat: int, cap: float
) -> dict[str, Any]:
    from medkg.query import named_queries

    workers = [Worker(dist)]
    opened = workers[0].ready

    def ask(name: str, params: dict[str, str], cap: float) -> tuple[int, float]:
        if workers[-1].process.poll() is not None:
            workers.append(Worker(dist))  # the last one was stopped at the cap
        return workers[-1].ask(name, params, cap)

    parameters = {name: list(query.params) for name, query in named_queries().items()}
    try:
        timed = time_queries(ask, parameters, subjects, repeat, cap, sys.stderr)
    finally:
        for worker in workers:
            worker.stop()
    return {
        "engine": opened.get("engine", "?"),
        "load_s": opened.get("load_s"),
        "triples": opened.get("triples"),
        "cap_s": cap,
        "workers_started": len(workers),
        "queries": timed,
    }


# --- naive: rdflib in this process, stopped by SIGALRM -------------------------------------


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise TimeoutError


def naive_child(
    out: Path, subjects: list[dict[str, str]], repeat: int, cap: float
) -> dict[str, Any]:
    from naive_build import load_graph, naive_query

    from medkg.query import named_queries

    started = time.perf_counter()
    graph = load_graph(out)
    load_s = time.perf_counter() - started
    signal.signal(signal.SIGALRM, _alarm)

    def ask(name: str, params: dict[str, str], cap: float) -> tuple[int, float]:
        signal.setitimer(signal.ITIMER_REAL, cap)
        started = time.perf_counter()
        try:
            rows = len(naive_query(graph, name, params))
        except TimeoutError:
            raise OverCap(time.perf_counter() - started) from None
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        return rows, time.perf_counter() - started

    parameters = {name: list(query.params) for name, query in named_queries().items()}
    return {
        "engine": "rdflib (one Graph, parsed from medkg.nt)",
        "load_s": load_s,
        "triples": len(graph),
        "cap_s": cap,
        "queries": time_queries(ask, parameters, subjects, repeat, cap, sys.stderr),
    }


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    if arguments[:1] == ["worker"]:
        return worker_main(Path(arguments[1]))
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("engine", choices=["medkg", "naive"])
    parser.add_argument("data", type=Path, help="a dist/ folder (medkg) or naive output folder")
    parser.add_argument("subjects", type=Path, help="JSON list of {drug, code, document}")
    parser.add_argument("--repeat", type=int, default=30, help="timed runs per query")
    parser.add_argument(
        "--cap", type=float, default=None, help="seconds a query run may take [medkg 10, naive 60]"
    )
    args = parser.parse_args(arguments)
    subjects = json.loads(args.subjects.read_text(encoding="utf-8"))
    cap = args.cap if args.cap is not None else DEFAULT_CAP[args.engine]
    if args.engine == "medkg":
        result = medkg_child(args.data, subjects, args.repeat, cap)
    else:
        result = naive_child(args.data, subjects, args.repeat, cap)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
