"""Errors and failures that cross process boundaries: pickling, worker exceptions and crashes,
and cache entries that cannot be loaded."""

from __future__ import annotations

import importlib
import os
import pickle
import pkgutil
import signal
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

import medkg
from medkg.errors import (
    ExportInvalid,
    MedkgError,
    NotADrugDocument,
    ResourceMissing,
    SourceError,
    ValidationFailed,
)
from medkg.export.jsonld import RemoteDocumentRefused
from medkg.export.jsonld_context import Unsupported
from medkg.parse.limits import DocumentOverLimit
from medkg.pipeline import cluster_build, document_stage
from medkg.pipeline.build import build
from medkg.pipeline.cache import Cache, CacheEntryLost, CacheEntryUnreadable
from medkg.pipeline.document_stage import DocumentsFailed, DocumentStatus
from medkg.pipeline.fragments.model import FragmentInvalid
from medkg.pipeline.options import BuildOptions
from medkg.pipeline.pool import ordered_map
from medkg.publish.graph_store import PublishFailed
from medkg.query.command import BadArgument
from medkg.query.errors import (
    DataMissing,
    DataStale,
    FormatMismatch,
    QueryError,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    UnknownParameter,
    UnknownQuery,
)
from medkg.shacl.errors import ShapeCompileError

from .conftest import FIXTURES, SOURCES

# one instance of every MedkgError class, built as medkg builds it
ERRORS: list[MedkgError] = [
    MedkgError("plain"),
    SourceError("a.md", "is empty", "give it a body", line=3),
    NotADrugDocument("b.md", "is a refusal", "nothing is extracted from it"),
    DocumentOverLimit("c.md", "has 1,001 list items, over medkg's limit", "split it"),
    ValidationFailed("report text", ["v1", "v2"]),
    ResourceMissing("shapes/ is missing"),
    ExportInvalid("medkg.jsonld", ["/0: 'x' is required", "/1: bad"]),
    ShapeCompileError("msh:DrugShape", "sh:xone"),
    FragmentInvalid("truncated"),
    CacheEntryLost("cache/: the stored fragment ab12 was lost"),
    RemoteDocumentRefused("https://example.org/context"),
    Unsupported("a list node"),
    QueryError("query"),
    DataMissing("dist/ is missing"),
    DataStale("dist", ["a.md changed"]),
    UnknownQuery("nope"),
    UnknownParameter("billing", ["drg"], ["drug"]),
    QuerySyntaxError("q.rq", 2, 5, "expected WHERE"),
    QueryRefused("SERVICE"),
    QueryTimeout("30 s"),
    FormatMismatch("csv of a graph"),
    BadArgument("--param x"),
    PublishFailed("http://localhost:7878/store: PUT graph <g> failed: HTTP 500"),
    DocumentsFailed([DocumentStatus("a.md", None, "failed", path="a.md", error="a.md: bad")]),
]


def _all_error_classes() -> set[type[MedkgError]]:
    for module in pkgutil.walk_packages(medkg.__path__, "medkg."):
        importlib.import_module(module.name)
    found: set[type[MedkgError]] = set()
    todo = [MedkgError]
    while todo:
        cls = todo.pop()
        found.add(cls)
        todo.extend(cls.__subclasses__())
    return {cls for cls in found if cls.__module__.startswith("medkg")}


def test_every_error_class_has_a_pickling_test() -> None:
    assert _all_error_classes() == {type(error) for error in ERRORS}


def _same(error: MedkgError, again: BaseException) -> None:
    assert type(again) is type(error)
    assert str(again) == str(error)
    assert again.args == error.args
    assert vars(again) == vars(error)


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: type(e).__name__)
def test_an_error_pickles_with_its_message_and_attributes(error: MedkgError) -> None:
    _same(error, pickle.loads(pickle.dumps(error)))


def _raise(error: MedkgError) -> None:
    raise error


def test_errors_cross_the_process_pool_intact() -> None:
    with ProcessPoolExecutor(max_workers=2) as pool:
        futures = [(error, pool.submit(_raise, error)) for error in ERRORS]
        for error, future in futures:
            again = future.exception()
            assert again is not None
            _same(error, again)


# -- worker crashes -----------------------------------------------------------------------


def _square_or_die(item: int) -> int:
    if item == 5:
        os.kill(os.getpid(), signal.SIGKILL)
    return item * item


def _crashed(item: int, error: BaseException) -> int:
    return -item


def test_a_dying_worker_costs_only_its_item() -> None:
    results = list(ordered_map(_square_or_die, range(12), jobs=2, on_crash=_crashed))
    assert results == [i * i if i != 5 else -5 for i in range(12)]


def test_without_a_crash_handler_a_dying_worker_is_reported() -> None:
    from concurrent.futures.process import BrokenProcessPool

    with pytest.raises(BrokenProcessPool):
        list(ordered_map(_square_or_die, range(12), jobs=2))


def _corpus(tmp_path: Path) -> Path:
    """The bundled sources (one cluster) and a monograph of another drug (a second one):
    with one item, work runs in this process, and a SIGKILL there would end the test."""
    folder = tmp_path / "sources"
    folder.mkdir()
    for path in [*SOURCES.iterdir(), FIXTURES / "corpus" / "monographs" / "ibuprofen.md"]:
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def test_a_cluster_that_raises_fails_its_documents_not_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(job: cluster_build.ClusterJob) -> cluster_build.ClusterOutcome:
        raise ExportInvalid("fhir/bundle.json", ["Bundle.entry: bad"])

    monkeypatch.setattr(cluster_build, "build_cluster", broken)  # forked workers inherit it
    sources = _corpus(tmp_path)
    with pytest.raises(DocumentsFailed) as failed:
        build([sources], tmp_path / "dist", BuildOptions(jobs=2, cache_folder=tmp_path / "cache"))
    statuses = {s.file: s for s in failed.value.statuses}
    assert {s.status for s in statuses.values()} == {"failed"}
    for status in statuses.values():
        assert "ExportInvalid" in status.error
        assert "fhir/bundle.json" in status.error
    assert not (tmp_path / "dist").exists()


def test_a_cluster_whose_worker_dies_fails_its_documents_and_is_tried_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = cluster_build.build_cluster

    def dies_on_the_monograph(job: cluster_build.ClusterJob) -> cluster_build.ClusterOutcome:
        if any("monograph" in name for name, _ in job.members):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(job)

    monkeypatch.setattr(cluster_build, "build_cluster", dies_on_the_monograph)
    sources, cache = _corpus(tmp_path), tmp_path / "cache"
    outcome = build(
        [sources], tmp_path / "dist", BuildOptions(jobs=2, cache_folder=cache, keep_going=True)
    )
    statuses = {s.file: s for s in outcome.statuses}
    for name in ("romosozumab-monograph.txt", "j3111-code-page.txt"):  # one cluster
        assert statuses[name].status == "failed"
        assert "worker process building it died" in statuses[name].error
    assert statuses["ibuprofen.md"].status == "built"

    monkeypatch.setattr(cluster_build, "build_cluster", real)
    again = build(
        [sources], tmp_path / "dist", BuildOptions(jobs=2, cache_folder=cache, keep_going=True)
    )
    assert {s.status for s in again.statuses} == {"built"}  # the crash was not kept


_PROCESS_STORED = document_stage.process_stored


def _dies_on_the_code_page(job: document_stage.DocumentJob) -> document_stage.DocumentSummary:
    """`process_stored`, but the worker dies on the code page (module level: the pool
    pickles the function it maps by name)."""
    if job.path.name.startswith("j3111"):
        os.kill(os.getpid(), signal.SIGKILL)
    return _PROCESS_STORED(job)


def test_a_document_whose_worker_dies_fails_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(document_stage, "process_stored", _dies_on_the_code_page)
    sources = _corpus(tmp_path)
    outcome = build(
        [sources],
        tmp_path / "dist",
        BuildOptions(jobs=2, cache_folder=tmp_path / "cache", keep_going=True),
    )
    statuses = {s.file: s for s in outcome.statuses}
    assert statuses["j3111-code-page.txt"].status == "failed"
    assert "worker process reading it died" in statuses["j3111-code-page.txt"].error
    assert statuses["romosozumab-monograph.txt"].status == "built"
    assert statuses["ibuprofen.md"].status == "built"


# -- cache entries that cannot be loaded --------------------------------------------------


class _Unloadable:
    """Pickles fine, fails to unpickle with a TypeError (as an exception class whose
    ``__init__`` changed between medkg versions did)."""

    def __reduce__(self) -> tuple[object, ...]:
        return (ExportInvalid, ("only one argument",))


def test_an_entry_that_cannot_be_unpickled_is_a_miss_with_a_warning(tmp_path: Path) -> None:
    store = Cache(tmp_path / "store")
    store.put("cluster", "ab12", _Unloadable())
    with pytest.warns(CacheEntryUnreadable, match="treated as missing"):
        assert store.get("cluster", "ab12") is None
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # one warning per folder: the second miss is quiet
        assert store.get("cluster", "ab12") is None
    assert store.misses == 2


def test_a_cache_of_another_version_never_stops_the_build(tmp_path: Path) -> None:
    sources, cache, out = _corpus(tmp_path), tmp_path / "cache", tmp_path / "dist"
    build([sources], out, BuildOptions(jobs=1, cache_folder=cache))
    expected = {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    # every entry replaced by one that fails to load, as entries of an older medkg did
    for entry in cache.rglob("*"):
        if entry.is_file() and not entry.name.endswith((".sqlite", "-wal", "-shm")):
            entry.write_bytes(pickle.dumps(_Unloadable()))
    (out / "medkg.ttl").write_text("# touched\n", encoding="utf-8")  # not reusable as is
    with pytest.warns(CacheEntryUnreadable):
        outcome = build([sources], out, BuildOptions(jobs=2, cache_folder=cache))
    assert {s.status for s in outcome.statuses} == {"built"}
    assert {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()} == expected
