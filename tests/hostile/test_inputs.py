"""Hostile inputs (issue 15, items 2, 3 and 5): every kind of `kinds.kinds()` in real builds.

Three builds with the CLI, in a fresh process each, share the work: the controls alone
(the baseline), the controls with every kind that must build or be skipped (exit 0),
and the controls with every kind that must fail, with ``--keep-going`` (exit 5) and
without (exit 3). For each kind the test asserts its exit code, that the message
names its file, that the control documents' graphs are those of the baseline (other
documents unaffected), and that the output conforms (``medkg validate``).
"""

from __future__ import annotations

import fcntl
import json
import os
import pickle
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Dataset
from rdflib.compare import isomorphic

from medkg.namespaces import MEDKG
from medkg.parse import limits

from ..conftest import FIXTURES
from .kinds import Kind, kinds

CONTROLS = {
    "burosumab.md": FIXTURES / "corpus" / "monographs" / "burosumab.md",
    "J0584.txt": FIXTURES / "corpus" / "hcpcs" / "J0584.txt",
}
KINDS = kinds()


@dataclass(frozen=True)
class Run:
    """One CLI build: its exit code, terminal output, report and (when written) N-Quads."""

    code: int
    output: str
    statuses: dict[str, dict[str, object]]
    nquads: str
    conforms: bool | None  # `medkg validate` of its Turtle (None: nothing written)
    file_names: frozenset[str] = frozenset()  # the medkg:fileName of every document node


def _medkg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "medkg", *args], capture_output=True, text=True, check=False
    )


def _build(folder: Path, files: dict[str, bytes], *options: str) -> Run:
    sources = folder / "sources"
    sources.mkdir(parents=True)
    for name, path in CONTROLS.items():
        (sources / name).write_bytes(path.read_bytes())
    for name, data in files.items():
        (sources / name).write_bytes(data)
    out = folder / "out"
    done = _medkg("build", str(sources), "--out", str(out), "--no-cache", "--jobs", "2", *options)
    if not (out / "medkg.nq").is_file():
        return Run(done.returncode, done.stdout + done.stderr, {}, "", None)
    report = json.loads((out / "build-report.json").read_text(encoding="utf-8"))
    statuses = {entry["file"]: entry for entry in report["documents"]}
    valid = _medkg("validate", str(out / "medkg.ttl"))
    nquads = (out / "medkg.nq").read_text(encoding="utf-8")
    names = frozenset(
        str(o) for _, _, o, _ in _graphs(nquads).quads((None, MEDKG.fileName, None, None))
    )
    output = done.stdout + done.stderr
    return Run(done.returncode, output, statuses, nquads, valid.returncode == 0, names)


@dataclass(frozen=True)
class Runs:
    baseline: Run
    good: Run  # every kind that builds or is skipped, no --keep-going
    bad: Run  # every kind that fails, --keep-going
    bad_strict: Run  # the same, without --keep-going


def _files(wanted: set[str]) -> dict[str, bytes]:
    return {
        name: data
        for kind in KINDS
        for name, data in kind.files.items()
        if set(kind.outcome.values()) <= wanted
    }


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    """The builds, made once for all pytest-xdist workers (the first one to get the lock
    builds and pickles them; the others read them)."""
    base = tmp_path_factory.getbasetemp()
    # under pytest-xdist each worker's base is inside the session's own folder
    session = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    shared = session / "hostile-inputs"
    shared.mkdir(exist_ok=True)
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = shared / "runs.pickle"
        if done.is_file():
            found: Runs = pickle.loads(done.read_bytes())
            return found
        work = tmp_path_factory.mktemp("hostile")
        made = Runs(
            baseline=_build(work / "baseline", {}),
            good=_build(work / "good", _files({"built", "skipped"})),
            bad=_build(work / "bad", _files({"failed"}), "--keep-going"),
            bad_strict=_build(work / "bad-strict", _files({"failed"})),
        )
        done.write_bytes(pickle.dumps(made))
        return made


def _graphs(nquads: str) -> Dataset:
    dataset = Dataset()
    dataset.parse(data=nquads, format="nquads")
    return dataset


def _control_graphs(run: Run) -> dict[str, object]:
    dataset = _graphs(run.nquads)
    return {
        str(graph.identifier): graph
        for graph in dataset.graphs()
        if str(graph.identifier).endswith(("/graph/burosumab", "/graph/j0584"))
    }


def test_there_are_at_least_sixty_kinds() -> None:
    assert len(KINDS) >= 60
    assert len({kind.name for kind in KINDS}) == len(KINDS)
    files = [name for kind in KINDS for name in kind.files]
    assert len(set(files)) == len(files)


def test_the_builds_exit_as_documented_and_conform(runs: Runs) -> None:
    assert runs.baseline.code == 0 and runs.baseline.conforms
    assert runs.good.code == 0, runs.good.output
    assert runs.good.conforms
    assert runs.bad.code == 5, runs.bad.output  # built with failures (--keep-going)
    assert runs.bad.conforms
    assert runs.bad_strict.code == 3, runs.bad_strict.output  # nothing written
    assert runs.bad_strict.conforms is None


@pytest.mark.parametrize("group", ["good", "bad"])
def test_the_control_documents_are_unaffected(runs: Runs, group: str) -> None:
    baseline = _control_graphs(runs.baseline)
    assert len(baseline) == 2
    mixed = _control_graphs(getattr(runs, group))
    assert baseline.keys() == mixed.keys()
    for name, graph in baseline.items():
        assert isomorphic(graph, mixed[name]), name  # type: ignore[arg-type]
    for control in CONTROLS:
        assert getattr(runs, group).statuses[control]["status"] == "built"


def _line_naming(output: str, file: str) -> str:
    lines = [line for line in output.splitlines() if file in line]
    assert lines, f"{file} is not named in the output"
    return "\n".join(lines)


@pytest.mark.parametrize("kind", KINDS, ids=[kind.name for kind in KINDS])
def test_hostile_kind(runs: Runs, kind: Kind) -> None:
    for file, expected in kind.outcome.items():
        run = runs.bad if expected == "failed" else runs.good
        status = run.statuses[file]
        assert status["status"] == expected, status
        if expected == "failed":
            named = _line_naming(run.output, file)
            error = str(status["error"])
            assert error.startswith(file), error
            assert kind.message in error
            assert kind.message in named
            assert run.code == 5
            # without --keep-going the build stops, names the file and writes nothing
            assert runs.bad_strict.code == 3
            assert kind.message in _line_naming(runs.bad_strict.output, file)
        elif expected == "skipped":
            assert kind.message in str(status.get("reason", "")), status
            assert kind.message in _line_naming(run.output, file)
            assert run.code == 0
        else:
            assert run.code == 0
            assert file in run.file_names  # its document node is in the output
        assert run.conforms
    if kind.check is not None:
        assert kind.check(runs.good.nquads)


def test_every_limit_is_far_above_the_real_collection() -> None:
    """The limits are at least ten times the real collection's largest document."""
    assert 10 * limits.REAL_MAXIMA["bytes"] <= limits.MAX_BYTES
    assert 10 * limits.REAL_MAXIMA["lines"] <= limits.MAX_LINES
    assert 10 * limits.REAL_MAXIMA["line_chars"] <= limits.MAX_LINE_CHARS
    assert 10 * limits.REAL_MAXIMA["list_items"] <= limits.MAX_LIST_ITEMS
    assert 4 * limits.REAL_MAXIMA["nesting"] <= limits.MAX_NESTING


@pytest.mark.parametrize(
    ("line", "depth"),
    [
        ("plain text", 0),
        ("- item", 1),
        ("  - item", 2),
        ("    1. step", 3),
        ("> quoted", 1),
        ("> > - item in two quotes", 3),
        ("\t- tabbed", 3),
    ],
)
def test_nesting_counts_quotes_and_list_levels(line: str, depth: int) -> None:
    assert limits.nesting(line) == depth


@pytest.mark.parametrize(
    ("line", "what"),
    [
        ("x" * (limits.MAX_LINE_CHARS + 1), r"characters on one line \(line 3\)"),
        ("> " * 30 + "deep", r"levels of nesting \(line 3\)"),
    ],
)
def test_a_line_over_a_limit_is_named_by_its_number(line: str, what: str) -> None:
    text = "first\nsecond\n" + line + "\nlast"
    with pytest.raises(limits.DocumentOverLimit, match=what):
        limits.check_structure("example.md", text)
