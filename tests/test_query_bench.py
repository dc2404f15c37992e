"""benchmarks/query_bench.py: a query over the cap is reported and the run goes on."""

from __future__ import annotations

import importlib.util
import json
import math
import os
import signal
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from .conftest import ROOT, Built


def query_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "query_bench", ROOT / "benchmarks" / "query_bench.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["query_bench"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_a_query_over_the_cap_is_reported_and_the_next_ones_still_run() -> None:
    bench = query_bench()
    asked: list[tuple[str, dict[str, str]]] = []

    def ask(name: str, params: dict[str, str], cap: float) -> tuple[int, float]:
        asked.append((name, params))
        if name == "slow":
            raise bench.OverCap(cap + 0.5)
        return 3, 0.002

    subjects = [{"drug": "A", "code": "C1"}, {"drug": "B", "code": "C2"}]
    timed = bench.time_queries(
        ask, {"slow": ["drug"], "fast": ["code"], "plain": []}, subjects, 4, 2.0
    )
    assert timed["slow"]["over_cap"] is True
    assert timed["slow"]["over_cap_ms"] == 2500.0 and timed["slow"]["capped_s"] == 2.0
    assert timed["slow"]["runs"] == 0 and math.isnan(timed["slow"]["p50_ms"])
    assert timed["slow"]["first_ms"] == 2500.0
    assert timed["fast"] | {"p50_ms": 0, "p95_ms": 0} == {
        "binding": {"code": "C1"},
        "first_ms": 2.0,
        "p50_ms": 0,
        "p95_ms": 0,
        "runs": 4,
        "rows": 3,
        "over_cap": False,
        "over_cap_ms": None,
        "capped_s": None,
    }
    assert timed["plain"]["binding"] == {} and timed["plain"]["runs"] == 4
    assert [name for name, _ in asked] == ["slow"] + ["fast"] * 5 + ["plain"] * 5
    assert [params for name, params in asked if name == "fast"] == [
        {"code": "C1"},
        {"code": "C2"},
        {"code": "C1"},
        {"code": "C2"},
        {"code": "C1"},
    ]


def test_the_medkg_benchmark_runs_each_query_in_a_worker(built: Built, tmp_path: Path) -> None:
    subjects = tmp_path / "subjects.json"
    subjects.write_text(json.dumps([{"drug": "Romosozumab", "code": "J3111"}]), "utf-8")
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "query_bench.py"), "medkg", str(built.out),
         str(subjects), "--repeat", "2", "--cap", "30"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    result = json.loads(done.stdout)
    assert result["engine"] == "oxigraph" and result["workers_started"] == 1
    assert result["triples"] == len(built.graph)
    assert result["queries"]["billing"]["rows"] == 1
    assert result["queries"]["billing"]["binding"] == {"drug": "Romosozumab"}
    assert all(figure["runs"] == 2 for figure in result["queries"].values())
    assert "billing: p50" in done.stderr


def test_a_worker_that_does_not_answer_within_the_cap_is_stopped(built: Built) -> None:
    bench = query_bench()
    worker = bench.Worker(built.out)
    assert worker.ask("billing", {"code": "J3111"}, 60.0)[0] == 1
    os.kill(worker.process.pid, signal.SIGSTOP)  # it can no longer answer
    with pytest.raises(bench.OverCap):
        worker.ask("billing", {}, 0.2)
    assert worker.process.poll() is not None  # killed, not left behind
