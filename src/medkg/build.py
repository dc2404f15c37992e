"""The build: sources -> read -> parse -> extract -> link/graph -> validate -> export -> dist/.

`build()` is the one public function the CLI calls; `run()` does the work
into a staging folder, and `build()` swaps it in (or, with ``check``, only
compares), so a failed build leaves ``dist/`` exactly as it was.

The stages, each on ``jobs`` worker processes (`medkg.pool`):

1. **documents**: each document is read, parsed and extracted on its own
   (`process_one`), so one bad document never stops or corrupts the others: a
   document that is not a monograph or code page is *skipped* with the reason;
   one that cannot be read or parsed (`SourceError`) is *failed* with the error
   naming the file; any other exception is a medkg bug, recorded as *failed*
   with its type, message, a hint to report it and its traceback frames;
2. **clusters**: documents that share a drug or a billing code are graphed,
   validated and rendered together (`medkg.cluster`, `medkg.cluster_build`);
   a document whose graph breaks a shape is *failed* with its violations;
3. **merge**: the clusters' export fragments are merged into the files of
   ``dist/`` (`medkg.export.fragments`). With a cache folder the merge is
   recorded (`medkg.export.fragments.state`), and when ``dist/`` is exactly
   what the recorded merge wrote and few clusters changed, only the files that
   change are rewritten (`medkg.export.fragments.incremental`: old bytes copied
   around the changed pieces) and moved into ``dist/`` once everything is
   written; anything else merges in full, with the same bytes.

Every document and cluster result is kept in a content-addressed store
(`medkg.cache`): the user's cache folder, so an unchanged document or cluster
is never processed twice (an unchanged file is not even read again: see
`document_keys`), or a temporary folder with ``cache=None``. Every
document is processed and reported before the exit policy applies: by default
any failed document stops the build (`DocumentsFailed`, or `ValidationFailed`
when its graph breaks the shapes; nothing written); with ``keep_going`` the
built documents are published and ``build-report.json`` lists the failed ones.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from rdflib import Dataset

from medkg import cache
from medkg.cache import Cache
from medkg.cluster import clusters, linking_keys
from medkg.cluster_build import Blame, ClusterJob, ClusterOutcome, build_cluster, use_lexicon
from medkg.errors import ExportInvalid, MedkgError, NotADrugDocument, SourceError, ValidationFailed
from medkg.export import build_report
from medkg.export.fragments import Fragment, incremental, merge
from medkg.export.fragments.merge import Recording
from medkg.export.fragments.state import MergeState
from medkg.export.turtle import union_graph
from medkg.extract import extract_document
from medkg.graph import build_dataset
from medkg.lexicon import Lexicon, bundled_lexicon
from medkg.model import Extraction
from medkg.parse import parse_document
from medkg.parse.monograph import is_stub
from medkg.pool import ordered_map
from medkg.read import SourceText, read_source
from medkg.validate import ValidationOutcome, report_turtle, validate_graph

SOURCE_SUFFIXES = {".md", ".markdown", ".txt", ""}
MARKER = "medkg.ttl"
REPORT = "validation-report.ttl"  # an output folder medkg may replace holds this file (or is empty)


BUG_HINT = "this is a bug in medkg: please report it with the document that triggers it"


@dataclass(frozen=True)
class DocumentStatus:
    """What happened to one source document (one entry of ``build-report.json``)."""

    file: str  # the file name (the document key)
    format: str | None
    status: str  # "built", "skipped", "failed"
    reason: str = ""  # why it was skipped
    path: str = ""  # relative to the source root it was found under
    error: str = ""  # why it failed
    traceback: tuple[str, ...] = ()  # frames of an unexpected error ("file.py:12 in func")
    facts: Mapping[str, int] = field(default_factory=dict)  # counts by kind


class DocumentsFailed(MedkgError):
    """Some documents failed (listed); without ``keep_going`` nothing is written."""

    def __init__(self, statuses: list[DocumentStatus]):
        self.statuses = statuses
        failed = [s for s in statuses if s.status == "failed"]
        listed = "\n".join(f"  {s.path or s.file}: {s.error}" for s in failed)
        super().__init__(
            f"{len(failed)} of {len(statuses)} documents failed; nothing was written "
            f"(use --keep-going to publish the others):\n{listed}"
        )


# Called after each document: (documents done, documents in all, its status).
ProgressHook = Callable[[int, int, DocumentStatus], None]


class StagedFiles(Mapping[str, bytes]):
    """The files of a staging folder by relative path, read when asked for."""

    def __init__(self, folder: Path):
        self.folder = folder

    def _names(self) -> list[str]:
        return sorted(file_names(self.folder))

    def __getitem__(self, name: str) -> bytes:
        path = self.folder / name
        if not path.is_file():
            raise KeyError(name)
        return path.read_bytes()

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())


@dataclass
class BuildOutcome:
    """A finished build: the statuses, and its files in a staging folder until `build`
    moves them into place (or `discard` removes them)."""

    staging: Path
    statuses: list[DocumentStatus] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)  # with check=True: files that differ
    mapping: build_report.IdentifierMapping | None = None  # reaction/condition terms mapped
    reused: bool = False  # the output folder was already what the sources build
    update: incremental.Update | None = None  # the files of the output folder that change
    merge_state: MergeState | None = None  # what the merge recorded, committed by `build`
    merge_state_target: Path | None = None  # where a new merge state goes once committed
    _dataset: Dataset | None = None

    @property
    def files(self) -> Mapping[str, bytes]:
        return StagedFiles(self.staging)

    @property
    def dataset(self) -> Dataset:
        """The built dataset (parsed from ``medkg.nq`` on first use)."""
        if self._dataset is None:
            self._dataset = Dataset()
            self._dataset.parse(self.staging / "medkg.nq", format="nquads")
        return self._dataset

    @property
    def failed(self) -> list[DocumentStatus]:
        return [s for s in self.statuses if s.status == "failed"]

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
        self.drop_merge_state()

    def drop_merge_state(self) -> None:
        """Forget what the merge recorded (nothing of it is committed)."""
        if self.merge_state is not None:
            self.merge_state.rollback()
            self.merge_state.close()
            if self.merge_state_target is not None:
                self.merge_state.path.unlink(missing_ok=True)
            self.merge_state = None


def collect_sources(paths: Iterable[Path]) -> list[Path]:
    """Files named directly, and every non-hidden .md/.txt file under named folders, sorted."""
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            for candidate in path.rglob("*"):
                relative = candidate.relative_to(path).parts
                if (
                    candidate.is_file()
                    and not any(part.startswith(".") for part in relative)
                    and candidate.suffix.lower() in SOURCE_SUFFIXES
                ):
                    found.add(candidate)
        elif path.is_file():
            found.add(path)
        else:
            raise SourceError(str(path), "does not exist", "give existing files or folders")
    names: dict[str, Path] = {}
    for path in sorted(found):
        if path.name in names:
            raise SourceError(
                str(path),
                f"has the same file name as {names[path.name]}",
                "document IRIs are made from file names: rename one of them",
            )
        names[path.name] = path
    return sorted(found, key=lambda p: p.name)


def process(source: SourceText) -> Extraction:
    """Parse and extract one document; `NotADrugDocument` when it is a stub or neither format."""
    document = parse_document(source.text, source.name)
    if document.format == "monograph":
        reason = is_stub(document)
        if reason:
            raise NotADrugDocument(source.name, reason, "nothing is extracted from it")
    return extract_document(document)


def relative_name(path: Path, roots: Sequence[Path]) -> str:
    """`path` relative to the first folder root holding it, else its file name (POSIX form)."""
    for root in roots:
        if root.is_dir():
            try:
                return path.relative_to(root).as_posix()
            except ValueError:
                continue
    return path.name


def frames(error: BaseException) -> tuple[str, ...]:
    """The traceback of `error` as ``file.py:line in function`` (no absolute paths)."""
    return tuple(
        f"{Path(frame.filename).name}:{frame.lineno} in {frame.name}"
        for frame in traceback.extract_tb(error.__traceback__)
    )


def process_one(
    path: Path, relative: str
) -> tuple[DocumentStatus, tuple[SourceText, Extraction] | None]:
    """Read, parse and extract one document; never raises for a problem of the document."""
    try:
        source = read_source(path)
        extraction = process(source)
    except NotADrugDocument as skipped:
        return DocumentStatus(path.name, None, "skipped", skipped.problem, path=relative), None
    except SourceError as failed:
        message = str(failed)  # starts with the file as the reader named it
        if message.startswith(failed.source):
            message = relative + message[len(failed.source) :]
        return DocumentStatus(path.name, None, "failed", path=relative, error=message), None
    except Exception as bug:  # one document's bug must not stop the others
        message = f"{relative}: {type(bug).__name__}: {bug} ({BUG_HINT})"
        status = DocumentStatus(
            path.name, None, "failed", path=relative, error=message, traceback=frames(bug)
        )
        return status, None
    status = DocumentStatus(
        path.name,
        extraction.document.format,
        "built",
        path=relative,
        facts=build_report.fact_counts(extraction),
    )
    return status, (source, extraction)


def apply_exit_policy(
    statuses: list[DocumentStatus], built: int, paths: Sequence[Path], keep_going: bool
) -> None:
    """Raise `DocumentsFailed` when a document failed (unless `keep_going` and some built),
    `SourceError` when nothing at all was built."""
    failed = any(s.status == "failed" for s in statuses)
    if failed and (not keep_going or not built):
        raise DocumentsFailed(statuses)
    if not built:
        raise SourceError(
            ", ".join(str(p) for p in paths) or "(no sources)",
            "holds no drug monograph or code page",
            "point medkg build at .md/.txt documents",
        )


@dataclass(frozen=True)
class DocumentJob:
    path: Path
    relative: str
    store: Path
    key: str  # see `document_key`


def document_key(path: Path, relative: str) -> str:
    """The store key of a document: its bytes, names and the medkg version."""
    try:
        data = path.read_bytes()
    except OSError:
        data = b""  # process_one reports the read error
    return cache.key("document", relative, path.name, data)


# A file modified this close before its key was made is read again next time (as git
# treats a file modified in the second its index was written as possibly changed).
SOURCE_TICK_NS = 2_000_000_000
SourceEntry = tuple[tuple[int, int, int, int] | None, str, int, str]  # stat, relative, made, key


def document_keys(sources: Sequence[Path], paths: Sequence[Path], store: Path | None) -> list[str]:
    """`document_key` of each source. With a `store`, the key remembered there is reused for
    a file whose size, modification and change times and inode are those it had when
    its key was made, unless it was modified within `SOURCE_TICK_NS` of that moment."""
    index = StoreIndex(Cache(store)) if store is not None else None
    remembered: dict[str, SourceEntry] = index.load("sources") if index is not None else {}
    fresh: dict[str, SourceEntry] = {}
    keys = []
    for path in sources:
        relative = relative_name(path, paths)
        try:
            info = path.stat()
            stat = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
        except OSError:
            stat = None
        known = remembered.get(str(path))
        if (
            stat is not None
            and known is not None
            and known[:2] == (stat, relative)
            and max(stat[1], stat[2]) < known[2] - SOURCE_TICK_NS
        ):
            entry = known
        else:
            made = time.time_ns()
            entry = (stat, relative, made, document_key(path, relative))
        fresh[str(path)] = entry
        keys.append(entry[3])
    if index is not None and fresh != remembered:
        index.save("sources", fresh)
    return keys


@dataclass(frozen=True)
class DocumentSummary:
    """What the main process keeps of a processed document (the rest stays in the store)."""

    status: DocumentStatus
    key: str  # store key of (status, (source, extraction) | None)
    linking: frozenset[str]  # see medkg.cluster.linking_keys


def process_stored(job: DocumentJob) -> DocumentSummary:
    """`process_one` through the store: a document with the same bytes, name and medkg
    version is not processed again."""
    store = Cache(job.store)
    stored = store.get("document", job.key)
    if isinstance(stored, tuple):
        status, document = stored
    else:
        status, document = process_one(job.path, job.relative)
        store.put("document", job.key, (status, document))
    linking = linking_keys(document[1]) if document is not None else frozenset()
    return DocumentSummary(status, job.key, linking)


class StoreIndex:
    """The summaries of the previous build's documents and clusters, in one entry each, so
    an unchanged corpus is not read back from thousands of store entries."""

    def __init__(self, store: Cache):
        self.store = store

    def load(self, name: str) -> dict[str, Any]:
        found = self.store.get("index", name)
        return found if isinstance(found, dict) else {}

    def save(self, name: str, entries: dict[str, Any]) -> None:
        self.store.put("index", name, entries)


def _fail(statuses: list[DocumentStatus], name: str, blame: Blame) -> None:
    index = next(i for i, s in enumerate(statuses) if s.file == name)
    relative = statuses[index].path or name
    error = blame.error
    if error.startswith(name):
        error = relative + error[len(name) :]
    statuses[index] = replace(
        statuses[index], status="failed", error=error, traceback=blame.traceback, facts={}
    )


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
    lexicon: Lexicon | None = None,
    fhir_version: str = "R5",
    *,
    keep_going: bool = False,
    progress: ProgressHook | None = None,
    jobs: int = 1,
    cache_folder: Path | None = None,
    validator: str = "sparql",
    staging_parent: Path | None = None,
    target: MergeTarget | None = None,
    sources: Sequence[Path] | None = None,
) -> BuildOutcome:
    """Process every document, then graph, validate and render each cluster, and merge.

    `fhir_version` ("R5" or "R4B") is the FHIR version of ``fhir/``; `jobs` the worker
    processes; `cache_folder` the store kept between builds (None: a temporary one);
    `validator` the SHACL engine ("sparql", or "pyshacl", the reference). The files
    are written to a new staging folder (under `staging_parent`) that `BuildOutcome`
    owns. Raises `DocumentsFailed`/`ValidationFailed` after processing every document
    when any failed, unless `keep_going`; `progress` is called after each document.
    With a `target`, the merge is recorded (`BuildOutcome.merge_state`), and when the
    target's output folder is what the recorded merge wrote, only the files that change
    are written (`BuildOutcome.update`, see `merge_into`). `sources` are
    `collect_sources(paths)` when the caller has them already.
    """
    found = collect_sources(paths) if sources is None else list(sources)
    temporary = cache_folder is None
    store = Path(tempfile.mkdtemp(prefix="medkg-store-")) if temporary else cache_folder
    assert store is not None
    outcome = BuildOutcome(
        staging=Path(tempfile.mkdtemp(prefix=".medkg-staging-", dir=staging_parent))
    )
    try:
        _run(
            outcome,
            found,
            paths,
            lexicon,
            fhir_version,
            keep_going,
            progress,
            jobs,
            store,
            validator,
            target,
        )
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
    lexicon: Lexicon | None,
    fhir_version: str,
    keep_going: bool,
    progress: ProgressHook | None,
    jobs: int,
    store: Path,
    validator: str,
    target: MergeTarget | None,
) -> None:
    index = StoreIndex(Cache(store))
    work = []
    for path, key in zip(sources, document_keys(sources, paths, store), strict=True):
        work.append(DocumentJob(path, relative_name(path, paths), store, key))
    known: dict[str, DocumentSummary] = index.load("documents")
    fresh = iter(ordered_map(process_stored, [j for j in work if j.key not in known], jobs))
    summaries: list[DocumentSummary] = []
    for done, job in enumerate(work, start=1):
        summary = known[job.key] if job.key in known else next(fresh)
        summaries.append(summary)
        outcome.statuses.append(summary.status)
        if progress is not None:
            progress(done, len(work), summary.status)
    for _rest in fresh:  # ends the generator, so its worker pool shuts down now
        raise AssertionError("a document result was left over")
    if len(known) != len(summaries) or any(s.key not in known for s in summaries):
        index.save("documents", {s.key: s for s in summaries})
    built = [s for s in summaries if s.status.status == "built"]
    apply_exit_policy(outcome.statuses, len(built), paths, keep_going)

    use_lexicon(lexicon)
    cluster_jobs = []
    for members in clusters([s.linking for s in built]):
        chosen = [built[i] for i in members]
        names = tuple((s.status.file, s.key) for s in chosen)
        key = cache.key("cluster", fhir_version, validator, *(k for _, k in names))
        cluster_jobs.append(ClusterJob(names, store, fhir_version, validator, key))
    done_clusters: dict[str, ClusterOutcome] = index.load("clusters")
    fragments = Cache(store)
    done_clusters = {
        key: result
        for key, result in done_clusters.items()
        if result.fragment is None or fragments.has("fragment", result.fragment)
    }
    computed = iter(
        ordered_map(build_cluster, [j for j in cluster_jobs if j.key not in done_clusters], jobs)
    )
    results = [
        done_clusters[j.key] if j.key in done_clusters else next(computed) for j in cluster_jobs
    ]
    for _left in computed:  # ends the generator, so its worker pool shuts down now
        raise AssertionError("a cluster result was left over")
    if len(done_clusters) != len(cluster_jobs) or any(
        j.key not in done_clusters for j in cluster_jobs
    ):
        index.save("clusters", {j.key: r for j, r in zip(cluster_jobs, results, strict=True)})
    for result in results:
        for name, blame in sorted(result.blamed.items()):
            _fail(outcome.statuses, name, blame)
    if not keep_going:
        _raise_for_blame(results, outcome.statuses)
    apply_exit_policy(outcome.statuses, sum(len(r.built) for r in results), paths, keep_going)

    concepts: dict[str, bool] = {}
    for result in results:
        for concept, mapped in result.concepts.items():
            concepts[concept] = concepts.get(concept, False) or mapped
    outcome.mapping = build_report.mapping_of(concepts)
    warnings = sorted(
        {v for r in results for v in r.results}, key=lambda v: (v.focus, v.path, v.message)
    )
    validation = ValidationOutcome(True, tuple(warnings), "")
    fragments_store = Cache(store)
    keys = [r.fragment for r in results if r.fragment is not None]
    extras = {
        REPORT: lambda triples: report_turtle(validation, triples),
        build_report.FILE_NAME: lambda _triples: build_report.render(
            outcome.statuses, outcome.mapping or build_report.mapping_of({})
        ),
    }

    def load(key: str) -> Fragment:
        return Fragment.from_bytes(_fragment_bytes(fragments_store, key))

    if target is None:
        merge((load(key) for key in keys), outcome.staging, fhir_version, extras)
    else:
        merge_into(outcome, target, keys, load, fhir_version, extras)


@dataclass(frozen=True)
class MergeTarget:
    """The output folder a build will replace or update, and its merge state."""

    out: Path
    state: Path  # the `MergeState` of the merge that wrote `out` (if any)
    stamp: dict[str, tuple[int, int]]  # `output_stamp(out)` when the build started

    @classmethod
    def of(cls, out: Path, store: Path, *options: str) -> MergeTarget:
        key = cache.key("merge-state", str(out.resolve()), *options)
        stamp = output_stamp(out) if out.is_dir() else {}
        return cls(out, store / "merge" / key[:2] / f"{key}.sqlite", stamp)


# An update is tried when at most this many fragments changed (or a tenth of them):
# past that, writing every file is as quick as copying most of them around the changes.
MAX_CHANGED = 16


def merge_into(
    outcome: BuildOutcome,
    target: MergeTarget,
    keys: Sequence[str],
    load: Callable[[str], Fragment],
    fhir_version: str,
    extras: incremental.Extra,
) -> None:
    """Merge the fragments of `keys` for `target`: when its output folder is what its
    recorded merge wrote (same files, sizes and modification times) and few fragments
    changed, only the files that change are written to the staging folder
    (`incremental.update`); otherwise every file is, and the merge is recorded anew."""
    state = MergeState.open(target.state)
    if state is not None:
        try:
            outcome.update = _update(state, target, keys, load, outcome.staging, extras)
        except BaseException:
            state.rollback()
            state.close()
            raise
        if outcome.update is not None:
            outcome.merge_state = state
            return
        state.rollback()
        state.close()
    fresh = MergeState.create(target.state.with_name(f".new-{os.getpid()}-{target.state.name}"))
    outcome.merge_state, outcome.merge_state_target = fresh, target.state
    merge(
        (load(key) for key in keys),
        outcome.staging,
        fhir_version,
        extras,
        record=Recording(fresh, keys),
    )


def _update(
    state: MergeState,
    target: MergeTarget,
    keys: Sequence[str],
    load: Callable[[str], Fragment],
    staging: Path,
    extras: incremental.Extra,
) -> incremental.Update | None:
    if not target.stamp or state.get_meta("stamp") != target.stamp:
        return None
    merged = state.clusters()
    wanted = set(keys)
    removed = [key for key in merged if key not in wanted]
    added = [key for key in keys if key not in merged]
    if len(removed) + len(added) > max(MAX_CHANGED, len(keys) // 10):
        return None
    try:
        return incremental.update(
            target.out,
            staging,
            state,
            {key: load(key) for key in removed},
            {key: load(key) for key in added},
            load,
            extras,
        )
    except (incremental.CannotUpdate, MedkgError):  # e.g. a fragment the store lost
        state.rollback()
        for leftover in staging.iterdir():
            if leftover.is_dir():
                shutil.rmtree(leftover)
            else:
                leftover.unlink()
        return None


def _fragment_bytes(store: Cache, key: str) -> bytes:
    data = store.get("fragment", key)
    if not isinstance(data, bytes):
        raise MedkgError(f"{store.folder}: the build store lost a fragment; delete it and rebuild")
    return data


def reference_dataset(
    paths: Sequence[Path], lexicon: Lexicon | None = None
) -> tuple[list[DocumentStatus], Dataset, ValidationOutcome]:
    """The straightforward path the pipeline must agree with: every document processed in
    this process, ONE dataset for the corpus, ONE whole-graph pySHACL validation."""
    statuses: list[DocumentStatus] = []
    documents = []
    for path in collect_sources(paths):
        status, document = process_one(path, relative_name(path, paths))
        statuses.append(status)
        if document is not None:
            documents.append(document)
    dataset = build_dataset(documents, lexicon or bundled_lexicon())
    return statuses, dataset, validate_graph(union_graph(dataset), engine="pyshacl")


def differences(staging: Path, out: Path) -> list[str]:
    """Relative paths where `out` differs from the `staging` folder (missing, extra, changed)."""

    def names(folder: Path) -> set[str]:
        if not folder.is_dir():
            return set()
        return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}

    built, existing = names(staging), names(out)
    changed = []
    for name in sorted(built | existing):
        if name not in built:
            changed.append(f"{name} (not built from the sources)")
        elif name not in existing:
            changed.append(f"{name} (missing)")
        elif not filecmp.cmp(staging / name, out / name, shallow=False):
            changed.append(f"{name} (differs)")
    return changed


def check_output_folder(out: Path) -> None:
    """`out` must be a folder medkg may replace: new, empty, or a previous output."""
    if out.exists() and not out.is_dir():
        raise MedkgError(f"{out}: is a file, not a folder; give --out a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise MedkgError(
            f"{out}: is a non-empty folder that is not a medkg output (no {MARKER}); "
            "give --out an empty or new folder"
        )


def swap_in(staging: Path, out: Path) -> None:
    """Replace `out` with the finished `staging` folder (same file system: two renames)."""
    check_output_folder(out)
    old = out.parent / f".{out.name}.old"
    if old.exists():
        shutil.rmtree(old)
    if out.exists():
        os.replace(out, old)
    os.replace(staging, out)
    if old.exists():
        shutil.rmtree(old)


def corpus_key(
    paths: Sequence[Path],
    *options: str,
    store: Path | None = None,
    sources: Sequence[Path] | None = None,
) -> str:
    """One key for every source document (bytes, names) and the build options (document
    keys remembered in `store` are reused, see `document_keys`; `sources` are
    `collect_sources(paths)` when the caller has them already)."""
    found = collect_sources(paths) if sources is None else sources
    keys = document_keys(found, paths, store)
    return cache.key("build", *options, *keys)


def file_names(folder: Path) -> Iterator[str]:
    """The files under `folder`, relative and ``/``-separated (``os.scandir``: no stat);
    none when `folder` does not exist (as ``Path.rglob`` gives)."""
    pending = [(str(folder), "")] if folder.is_dir() else []
    while pending:
        where, prefix = pending.pop()
        with os.scandir(where) as entries:
            for entry in entries:
                if entry.is_dir():
                    pending.append((entry.path, f"{prefix}{entry.name}/"))
                elif entry.is_file():
                    yield prefix + entry.name


def output_stamp(out: Path) -> dict[str, tuple[int, int]]:
    """Every file of `out` with its size and modification time (as make and rsync compare)."""
    stamp: dict[str, tuple[int, int]] = {}

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir():
                    walk(entry.path, f"{prefix}{entry.name}/")
                elif entry.is_file():
                    info = entry.stat()
                    stamp[prefix + entry.name] = (info.st_size, info.st_mtime_ns)

    walk(str(out), "")
    return stamp


def restamp(
    stamp: Mapping[str, tuple[int, int]], out: Path, update: incremental.Update
) -> dict[str, tuple[int, int]]:
    """`stamp` after `update` was applied to `out` (only the files it changed are looked at)."""
    fresh = dict(stamp)
    for name in update.deleted:
        fresh.pop(name, None)
    for name in update.written:
        info = (out / name).stat()
        fresh[name] = (info.st_size, info.st_mtime_ns)
    return fresh


@dataclass(frozen=True)
class BuildRecord:
    """What a finished build left in `out`: enough to know a rebuild would change nothing."""

    out: str
    stamp: dict[str, tuple[int, int]]
    statuses: list[DocumentStatus]
    mapping: build_report.IdentifierMapping | None


def build(
    paths: Sequence[Path],
    out: Path,
    check: bool = False,
    fhir_version: str = "R5",
    *,
    keep_going: bool = False,
    progress: ProgressHook | None = None,
    jobs: int = 1,
    cache_folder: Path | None = None,
    validator: str = "sparql",
) -> BuildOutcome:
    """Build the dataset from `paths` into `out` (or, with `check`, only compare).

    Any failed document stops the build before anything is written
    (`DocumentsFailed`) unless `keep_going`; see `run` for the other options. With a
    `cache_folder`, a build whose sources, options and medkg version are those of the
    build that wrote `out`, with every file of `out` as that build left it (size and
    modification time), is not done again (`BuildOutcome.reused`); ``check`` always
    builds and compares.
    """
    record_key = None
    target = None
    sources = None
    if cache_folder is not None and not check:
        options = (fhir_version, validator, str(keep_going), str(out.resolve()))
        sources = collect_sources(paths)
        record_key = corpus_key(paths, *options, store=cache_folder, sources=sources)
        target = MergeTarget.of(out, cache_folder, *options)
        record = Cache(cache_folder).get("record", record_key)
        if isinstance(record, BuildRecord) and out.is_dir() and record.stamp == target.stamp:
            reused = BuildOutcome(staging=out, statuses=list(record.statuses), reused=True)
            reused.mapping = record.mapping
            return reused
    if not check:
        check_output_folder(out)
        out.parent.mkdir(parents=True, exist_ok=True)
    outcome = run(
        paths,
        fhir_version=fhir_version,
        keep_going=keep_going,
        progress=progress,
        jobs=jobs,
        cache_folder=cache_folder,
        validator=validator,
        staging_parent=None if check else out.parent,
        target=target,
        sources=sources,
    )
    try:
        if check:
            outcome.changed = differences(outcome.staging, out)
        else:
            stamp = publish(outcome, out, target)
            if record_key is not None and cache_folder is not None:
                record = BuildRecord(str(out), stamp, list(outcome.statuses), outcome.mapping)
                Cache(cache_folder).put("record", record_key, record)
    finally:
        if check:
            outcome.discard()
        else:
            outcome.drop_merge_state()
    return outcome


def publish(
    outcome: BuildOutcome, out: Path, target: MergeTarget | None
) -> dict[str, tuple[int, int]]:
    """Put the built files in `out` (swap the staging folder in, or apply the update) and
    commit the merge state; return the stamp of `out`.

    An update moves its files in one by one (renames): a crash in the middle leaves
    `out` partly updated, which no stamp matches, so the next build writes every
    file again."""
    if outcome.update is not None and target is not None:
        incremental.apply(outcome.update, outcome.staging, out)
        shutil.rmtree(outcome.staging, ignore_errors=True)
        stamp = restamp(target.stamp, out, outcome.update)
    else:
        swap_in(outcome.staging, out)
        stamp = output_stamp(out)
    outcome.staging = out
    state = outcome.merge_state
    if state is not None:
        state.set_meta("stamp", stamp)
        state.commit()
        state.close()
        outcome.merge_state = None
        if outcome.merge_state_target is not None:
            state.path.replace(outcome.merge_state_target)
    return stamp
