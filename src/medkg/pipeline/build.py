"""The build: sources -> read -> parse -> extract -> link/graph -> validate -> export -> dist/.

`build()` is the one public function the CLI calls; `run()` does the work
into a staging folder (`medkg.pipeline.staging`), and `build()` swaps it in (or, with
``check``, only compares), so a failed build leaves ``dist/`` exactly as it was.

The stages, each on ``jobs`` worker processes (`medkg.pipeline.pool`):

1. **documents** (`medkg.pipeline.document_stage`): each document is read, parsed and
   extracted on its own (`process_one`), so one bad document never stops or
   corrupts the others: a document that is not a monograph or code page is
   *skipped* with the reason; one that cannot be read or parsed
   (`SourceError`) is *failed* with the error naming the file; any other
   exception is a medkg bug, recorded as *failed* with its type, message, a
   hint to report it and its traceback frames;
2. **clusters** (here): documents that share a drug or a billing code are
   graphed, validated and rendered together (`medkg.pipeline.cluster`,
   `medkg.pipeline.cluster_build`); a document whose graph breaks a shape is *failed*
   with its violations;
3. **merge** (`medkg.pipeline.merge_stage`): the clusters' export fragments are merged
   into the files of ``dist/`` (`medkg.pipeline.fragments`). With a cache folder
   the merge is recorded (`medkg.pipeline.fragments.state`), and when ``dist/``
   is exactly what the recorded merge wrote and few clusters changed, only the
   files that change are rewritten (`medkg.pipeline.fragments.incremental`: old
   bytes copied around the changed pieces), beside hard links to the unchanged
   ones; anything else merges in full, with the same bytes. Either way a
   complete new folder replaces ``dist/`` in one atomic step
   (`medkg.pipeline.staging.swap_in`), under a lock on ``dist/``.

Every document and cluster result is kept in a content-addressed store
(`medkg.pipeline.cache`): the user's cache folder, so an unchanged document or cluster
is never processed twice (an unchanged file is not even read again: see
`medkg.pipeline.sources.document_keys`), or a temporary folder with ``cache=None``.
Every document is processed and reported before the exit policy applies: by
default any failed document stops the build (`DocumentsFailed`, or
`ValidationFailed` when its graph breaks the shapes; nothing written); with
``keep_going`` the built documents are published and ``build-report.json``
lists the failed ones.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from rdflib import Dataset

from medkg.errors import ExportInvalid, ValidationFailed
from medkg.export import build_report
from medkg.export.turtle import union_graph
from medkg.graph import build_dataset
from medkg.graph.origins import DowngradedFact
from medkg.link.lexicon import Lexicon, bundled_lexicon
from medkg.pipeline import cache
from medkg.pipeline.cache import LOST_HINT, Cache, CacheEntryLost, mark_path_used
from medkg.pipeline.cache_eviction import in_use
from medkg.pipeline.cluster import clusters
from medkg.pipeline.cluster_build import (
    Blame,
    ClusterJob,
    ClusterOutcome,
    build_cluster_safely,
    cluster_crashed,
    use_lexicon,
)
from medkg.pipeline.document_stage import (
    DocumentsFailed,
    DocumentStatus,
    DocumentSummary,
    apply_exit_policy,
    process_documents,
    process_one,
)
from medkg.pipeline.merge_stage import MergeTarget, merge_clusters, publish
from medkg.pipeline.options import DEFAULT_OPTIONS, BuildOptions
from medkg.pipeline.pool import ordered_map
from medkg.pipeline.progress import SILENT, Progress
from medkg.pipeline.sources import (
    StoreIndex,
    collect_sources,
    corpus_key,
    relative_name,
    shared_names,
)
from medkg.pipeline.staging import (
    BuildOutcome,
    check_output_folder,
    differences,
    lock_output,
    new_staging_folder,
    sweep,
)
from medkg.shacl.validate import ValidationOutcome, validate_graph


def _fail(statuses: list[DocumentStatus], name: str, blame: Blame) -> None:
    index = next(i for i, s in enumerate(statuses) if s.file == name)
    relative = statuses[index].path or name
    error = blame.error
    if error.startswith(name):
        error = relative + error[len(name) :]
    statuses[index] = replace(
        statuses[index], status="failed", error=error, traceback=blame.traceback, facts={}
    )


def _downgrade(
    statuses: list[DocumentStatus],
    name: str,
    facts: tuple[DowngradedFact, ...],
    counts: dict[str, int],
) -> None:
    index = next(i for i, s in enumerate(statuses) if s.file == name)
    statuses[index] = replace(statuses[index], downgraded=facts, facts=counts)


def _raise_for_blame(outcomes: Sequence[ClusterOutcome], statuses: list[DocumentStatus]) -> None:
    """Without ``keep_going``: the error for the documents the clusters left out."""
    blames = [blame for outcome in outcomes for blame in outcome.blamed.values()]
    invalid = [violation for blame in blames for violation in blame.violations]
    if invalid:
        shown = sorted(set(invalid), key=lambda v: (v.focus, v.path, v.message))
        raise ValidationFailed("\n".join(str(v) for v in shown), [str(v) for v in shown])
    exports = [blame.export for blame in blames if blame.export is not None]
    if exports:
        raise ExportInvalid(exports[0].output, exports[0].problems)
    if blames:
        raise DocumentsFailed(statuses)


def run(
    paths: Sequence[Path],
    options: BuildOptions = DEFAULT_OPTIONS,
    *,
    progress: Progress = SILENT,
    staging_parent: Path | None = None,
    target: MergeTarget | None = None,
    sources: Sequence[Path] | None = None,
) -> BuildOutcome:
    """Process every document, then graph, validate and render each cluster, and merge.

    `options` says how (`BuildOptions`: FHIR version, SHACL engine, exit policy, worker
    processes, the cache folder kept between builds or None for a temporary one, the
    lexicon). The files
    are written to a new staging folder (under `staging_parent`, where a temporary
    store goes too) that `BuildOutcome` owns. Raises `DocumentsFailed`/`ValidationFailed`
    after processing every document when any failed, unless `keep_going`; `progress` is
    told of each stage (`medkg.pipeline.progress`).
    With a `target`, the merge is recorded (`BuildOutcome.merge_state`), and when the
    target's output folder is what the recorded merge wrote, only the files that change
    are written (`BuildOutcome.update`, see `medkg.pipeline.merge_stage.merge_into`). `sources` are
    `collect_sources(paths)` when the caller has them already.
    """
    found = collect_sources(paths) if sources is None else list(sources)
    temporary = options.cache_folder is None
    store = (
        Path(tempfile.mkdtemp(prefix="medkg-store-", dir=staging_parent))
        if temporary
        else options.cache_folder
    )
    assert store is not None
    outcome = BuildOutcome(staging=new_staging_folder(staging_parent))
    try:
        try:
            _run(outcome, found, paths, options, progress, store, target)
        except CacheEntryLost:  # `Cache.get` removed the entry: this time it is made again
            outcome.discard()
            outcome = BuildOutcome(staging=new_staging_folder(staging_parent))
            _run(outcome, found, paths, options, progress, store, target)
    except BaseException:
        outcome.discard()
        raise
    finally:
        if temporary:
            shutil.rmtree(store, ignore_errors=True)
    return outcome


def _run(
    outcome: BuildOutcome,
    sources: list[Path],
    paths: Sequence[Path],
    options: BuildOptions,
    progress: Progress,
    store: Path,
    target: MergeTarget | None,
) -> None:
    summaries = process_documents(sources, paths, store, options.jobs, progress)
    outcome.statuses.extend(summary.status for summary in summaries)
    stored = Cache(store)
    outcome.repeatable = all(stored.has("document", s.key) for s in summaries)
    built = [s for s in summaries if s.status.status == "built"]
    apply_exit_policy(outcome.statuses, len(built), paths, options.keep_going)

    shared = shared_names(sources)
    results, all_stored, cluster_keys = _cluster_results(built, store, options, shared, progress)
    outcome.repeatable = outcome.repeatable and all_stored
    for result in results:
        for name, blame in sorted(result.blamed.items()):
            _fail(outcome.statuses, name, blame)
        for name, facts in sorted(result.downgraded.items()):
            _downgrade(outcome.statuses, name, facts, result.facts[name])
    if not options.keep_going:
        _raise_for_blame(results, outcome.statuses)
    built_count = sum(len(r.built) for r in results)
    apply_exit_policy(outcome.statuses, built_count, paths, options.keep_going)
    merge_clusters(outcome, results, store, options.fhir_version, target, progress)
    outcome.cache_entries = [
        ("index", cache.key("index", "documents")),
        ("index", cache.key("index", "clusters")),
        *(("document", s.key) for s in summaries),
        *(("cluster", key) for key in cluster_keys),
        *(("fragment", r.fragment) for r in results if r.fragment is not None),
    ]


def _cluster_results(
    built: Sequence[DocumentSummary],
    store: Path,
    options: BuildOptions,
    shared: frozenset[str] = frozenset(),
    progress: Progress = SILENT,
) -> tuple[list[ClusterOutcome], bool, list[str]]:
    """`build_cluster` for each cluster of the `built` documents on the worker processes,
    in order; a cluster the previous build summarised in the store's index (with its
    fragment still stored) is not built again. A cluster's key holds the `lexicon`'s
    fingerprint (none for the bundled one, which the code version covers), and every
    worker is given the lexicon, forked or spawned. Also says whether every cluster's
    outcome is stored (not when its worker died or raised), and gives the clusters' keys.
    `shared`: the file names whose
    document IRIs carry a digest (`medkg.pipeline.sources.shared_names`), in the key of a cluster
    holding one."""
    index = StoreIndex(Cache(store))
    fhir_version, validator, lexicon = options.fhir_version, options.validator, options.lexicon
    lexicon_key = "bundled" if lexicon is None else lexicon.fingerprint
    cluster_jobs = []
    for members in clusters([s.linking for s in built]):
        chosen = [built[i] for i in members]
        names = tuple((s.status.file, s.key) for s in chosen)
        mine = frozenset(name for name, _ in names if name in shared)
        key = cache.key(
            "cluster", fhir_version, validator, lexicon_key, *(k for _, k in names), *sorted(mine)
        )
        cluster_jobs.append(ClusterJob(names, store, fhir_version, validator, key, mine))
    done_clusters: dict[str, ClusterOutcome] = index.load("clusters")
    fragments = Cache(store)
    indexed = done_clusters
    done_clusters = {
        key: result
        for key, result in indexed.items()
        if result.fragment is None or fragments.has("fragment", result.fragment)
    }
    for key in indexed.keys() - done_clusters.keys():  # its fragment is gone: built again, and
        fragments.path("cluster", key).unlink(missing_ok=True)  # only a new outcome is kept
    computed = iter(
        ordered_map(
            build_cluster_safely,
            [j for j in cluster_jobs if j.key not in done_clusters],
            options.jobs,
            initializer=partial(use_lexicon, lexicon),
            on_crash=cluster_crashed,
        )
    )
    results = []
    progress.start("clusters", len(cluster_jobs))
    for done, job in enumerate(cluster_jobs, start=1):
        results.append(done_clusters[job.key] if job.key in done_clusters else next(computed))
        progress.advance("clusters", done)
    for _left in computed:  # ends the generator, so its worker pool shuts down now
        raise AssertionError("a cluster result was left over")
    stored = Cache(store)  # a cluster that crashed or raised was not stored: try it again
    if any(r.blamed for r in results) and not all(stored.has("document", s.key) for s in built):
        for job, result in zip(cluster_jobs, results, strict=True):
            for _name, key in job.members if result.blamed else ():
                stored.get("document", key)  # removes every other unreadable one as well
        # made again by the second run; lost again, the user is told what to do
        raise CacheEntryLost(f"{store}: a stored document could not be read; {LOST_HINT}")
    kept = {  # `has` first: it marks the entry used (medkg.pipeline.cache_eviction)
        j.key: r
        for j, r in zip(cluster_jobs, results, strict=True)
        if stored.has("cluster", j.key) or j.key in done_clusters
    }
    if kept.keys() != done_clusters.keys():
        index.save("clusters", kept)
    reused = sum(1 for job in cluster_jobs if job.key in done_clusters)
    progress.finish("clusters", f"{reused:,} unchanged since the last build" if reused else "")
    return results, len(kept) == len(cluster_jobs), [j.key for j in cluster_jobs]


def reference_dataset(
    paths: Sequence[Path], lexicon: Lexicon | None = None
) -> tuple[list[DocumentStatus], Dataset, ValidationOutcome]:
    """The straightforward path the pipeline must agree with: every document processed in
    this process, ONE dataset for the corpus, ONE whole-graph pySHACL validation."""
    statuses: list[DocumentStatus] = []
    documents = []
    sources = collect_sources(paths)
    for path in sources:
        status, document = process_one(path, relative_name(path, paths))
        statuses.append(status)
        if document is not None:
            documents.append(document)
    dataset = build_dataset(documents, lexicon or bundled_lexicon(), shared_names(sources))
    return statuses, dataset, validate_graph(union_graph(dataset), engine="pyshacl")


@dataclass(frozen=True)
class BuildRecord:
    """What a finished build left in `out`: enough to know a rebuild would change nothing."""

    out: str
    stamp: dict[str, tuple[int, int]]
    statuses: list[DocumentStatus]
    mapping: build_report.IdentifierMapping | None
    entries: tuple[tuple[str, str], ...] = ()  # the cache entries it relied on (kind, key)


def build(
    paths: Sequence[Path],
    out: Path,
    options: BuildOptions = DEFAULT_OPTIONS,
    *,
    check: bool = False,
    progress: Progress = SILENT,
) -> BuildOutcome:
    """Build the dataset from `paths` into `out` (or, with `check`, only compare).

    Any failed document stops the build before anything is written
    (`DocumentsFailed`) unless `options.keep_going`; see `run` for the other options.
    With a cache folder, a build whose sources, options and medkg version are those of the
    build that wrote `out`, with every file of `out` as that build left it (size and
    modification time), is not done again (`BuildOutcome.reused`); ``check`` always
    builds and compares.

    The build holds the lock of `out` throughout (`medkg.pipeline.staging.lock_output`; shared
    with ``check``): a second build into `out` raises `MedkgError` at once. Holding it,
    a build first removes what killed builds left (`medkg.pipeline.staging.sweep`, and their
    unfinished merge states) and then works in the work folder beside `out`. It holds the
    cache folder's shared lock too (`medkg.pipeline.cache_eviction.in_use`).
    """
    if not check:
        check_output_folder(out)
    with lock_output(out, shared=check) as work, in_use(options.cache_folder):
        if not check:
            sweep(work, out)
        return _build(paths, out, options, check, progress, work)


def _build(
    paths: Sequence[Path],
    out: Path,
    options: BuildOptions,
    check: bool,
    progress: Progress,
    work: Path,
) -> BuildOutcome:
    record_key = None
    target = None
    sources = None
    cache_folder = options.cache_folder
    if cache_folder is not None and not check:
        key = (*options.output_key, str(out.resolve()))
        sources = collect_sources(paths)
        record_key = corpus_key(paths, *key, store=cache_folder, sources=sources)
        target = MergeTarget.of(out, cache_folder, *key)
        target.discard_unfinished()
        record = Cache(cache_folder).get("record", record_key)
        if isinstance(record, BuildRecord) and out.is_dir() and record.stamp == target.stamp:
            Cache(cache_folder).mark_used(record.entries)  # kept by eviction, see cache_eviction
            mark_path_used(target.state)
            reused = BuildOutcome(staging=out, statuses=list(record.statuses), reused=True)
            reused.mapping = record.mapping
            return reused
    outcome = run(
        paths,
        options,
        progress=progress,
        staging_parent=work,
        target=target,
        sources=sources,
    )
    try:
        if check:
            outcome.changed = differences(outcome.staging, out)
        else:
            stamp = publish(outcome, out, target)
            if record_key is not None and cache_folder is not None and outcome.repeatable:
                record = BuildRecord(
                    str(out),
                    stamp,
                    list(outcome.statuses),
                    outcome.mapping,
                    tuple(outcome.cache_entries),
                )
                Cache(cache_folder).put("record", record_key, record)
    finally:
        if check:
            outcome.discard()
        else:
            outcome.drop_merge_state()
    return outcome
