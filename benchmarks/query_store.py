"""Benchmark: which store answers medkg's competency queries faster — rdflib or pyoxigraph?

For each dataset folder (written by `medkg build`) and each engine, a fresh
child process loads ``medkg.nq`` once (timed with time.perf_counter, peak
memory from resource.getrusage) and runs every bundled competency query
without parameters `--repeat` times (median reported; a query is not
repeated once its runs took SLOW_SECONDS in total). Row counts are
printed for both engines so a difference in answers shows up here too
(tests/test_query.py checks the answers are identical).

``--synthetic DIR:N`` adds a larger dataset: N copies of DIR's graph, each
copy's node IRIs renamed (id/... -> id/copy-K/...), written to a temporary
folder.

Reproduce (from the project root):

    PYTHONPATH=src python -m medkg build tests/fixtures/corpus data/sources --out /tmp/corpus-dist
    PYTHONPATH=src python benchmarks/query_store.py dist /tmp/corpus-dist \
        --synthetic /tmp/corpus-dist:10
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ID = "https://w3id.org/medkg/id/"
SLOW_SECONDS = 10.0  # a query slower than this in total is not repeated further


def measure(data_dir: str, engine: str, repeat: int) -> dict[str, object]:
    """Load once and time each named query; runs inside the child process."""
    from medkg.query import Store, load_store, named_queries, run_query

    started = time.perf_counter()
    # in memory for both engines: this compares loading medkg.nq (`medkg query` itself opens
    # the on-disk store that medkg.query.persistent builds once per medkg.nq); rdflib is the
    # tests' reference store (tests/reference_store.py)
    store: Store
    if engine == "rdflib":
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from tests.reference_store import RdflibStore

        store = RdflibStore(Path(data_dir))
    else:
        store = load_store(data_dir, persistent=False)
    load_seconds = time.perf_counter() - started
    queries: dict[str, dict[str, float | int]] = {}
    for name, query in named_queries().items():
        times: list[float] = []
        rows = 0
        while len(times) < repeat and sum(times) < SLOW_SECONDS:
            started = time.perf_counter()
            result = run_query(store, query)
            times.append(time.perf_counter() - started)
            rows = len(result)
        queries[name] = {
            "median_ms": statistics.median(times) * 1000,
            "rows": rows,
            "runs": len(times),
        }
        print(f"{engine} {name}: {times}", file=sys.stderr)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {
        "triples": len(store),
        "load_s": load_seconds,
        "peak_rss_mib": peak_kib / 1024,
        "queries": queries,
    }


def synthetic(source: Path, copies: int, folder: Path) -> Path:
    """`copies` renamed copies of `source`'s graph as a dataset folder."""
    lines = (source / "medkg.nq").read_text(encoding="utf-8").splitlines()
    out = folder / f"synthetic-{copies}x"
    out.mkdir()
    with (out / "medkg.nq").open("w", encoding="utf-8") as handle:
        for copy in range(1, copies + 1):
            renamed = f"{ID}copy-{copy}/"
            for line in lines:
                handle.write(line.replace(f"<{ID}", f"<{renamed}") + "\n")
    shutil.copy(source / "validation-report.ttl", out / "validation-report.ttl")
    return out


def run_child(data_dir: Path, engine: str, repeat: int) -> dict[str, object]:
    command = [sys.executable, __file__, "--child", str(data_dir), engine, str(repeat)]
    done = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
    result: dict[str, object] = json.loads(done.stdout)
    return result


def _ms(milliseconds: float) -> str:
    if milliseconds >= 10_000:
        return f"{milliseconds / 1000:.1f} s"
    return f"{milliseconds:.1f} ms"


def report(label: str, results: dict[str, dict[str, object]]) -> str:
    engines = list(results)
    first = results[engines[0]]
    lines = [
        f"### {label} ({first['triples']} triples in the merged default graph)",
        "",
        "| | " + " | ".join(engines) + " |",
        "|---|" + "---:|" * len(engines),
        "| load medkg.nq (s) | "
        + " | ".join(f"{results[e]['load_s']:.3f}" for e in engines)
        + " |",
        "| peak RSS (MiB) | "
        + " | ".join(f"{results[e]['peak_rss_mib']:.0f}" for e in engines)
        + " |",
    ]
    queries = first["queries"]
    assert isinstance(queries, dict)
    total = dict.fromkeys(engines, 0.0)
    for name in queries:
        cells = []
        for engine in engines:
            timing = results[engine]["queries"][name]  # type: ignore[index]
            total[engine] += timing["median_ms"]
            runs = "" if timing["runs"] > 1 else ", 1 run"
            cells.append(f"{_ms(timing['median_ms'])} ({timing['rows']} rows{runs})")
        lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
    lines.append(
        "| all queries (sum of medians) | " + " | ".join(_ms(total[e]) for e in engines) + " |"
    )
    return "\n".join(lines) + "\n"


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        print(json.dumps(measure(sys.argv[2], sys.argv[3], int(sys.argv[4]))))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", nargs="*", default=["dist"], help="dataset folders")
    parser.add_argument(
        "--synthetic",
        action="append",
        default=[],
        metavar="DIR:N",
        help="add N renamed copies of DIR's graph as a dataset",
    )
    parser.add_argument("--repeat", type=int, default=5, help="runs of each query (median)")
    parser.add_argument("--engines", default="rdflib,oxigraph")
    args = parser.parse_args()
    print(
        f"Python {platform.python_version()} on {platform.machine()}, "
        f"{platform.system()} {platform.release()}"
    )
    with tempfile.TemporaryDirectory() as scratch:
        folders = [(folder, Path(folder)) for folder in args.data]
        for spec in args.synthetic:
            source, _, copies = spec.rpartition(":")
            made = synthetic(Path(source), int(copies), Path(scratch))
            folders.append((f"{source} x{copies} (synthetic)", made))
        for label, folder in folders:
            results = {
                engine: run_child(folder, engine, args.repeat) for engine in args.engines.split(",")
            }
            print()
            print(report(label, results))


if __name__ == "__main__":
    main()
