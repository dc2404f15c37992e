"""The document stage of the build: each document read, parsed and extracted on its own.

`process_one` never raises for a problem of the document, so one bad document
never stops or corrupts the others: a document that is not a monograph or
code page is *skipped* with the reason; one that cannot be read or parsed
(`SourceError`) is *failed* with the error naming the file; any other
exception is a medkg bug, recorded as *failed* with its type, message, a hint
to report it (`BUG_HINT`) and its traceback frames. `process_documents` runs
it on worker processes through the content-addressed store (`process_stored`:
a document with the same bytes, names and medkg version is never processed
twice), and `apply_exit_policy` decides whether the build goes on.
"""

from __future__ import annotations

import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from medkg.errors import MedkgError, NotADrugDocument, SourceError
from medkg.export import build_report
from medkg.extract import extract_document
from medkg.graph.origins import DowngradedFact
from medkg.model import Extraction
from medkg.parse import parse_document
from medkg.parse.monograph import is_stub
from medkg.pipeline.cache import Cache
from medkg.pipeline.cluster import linking_keys
from medkg.pipeline.fragments.pause import pause
from medkg.pipeline.pool import ordered_map
from medkg.pipeline.progress import Progress
from medkg.pipeline.sources import StoreIndex, document_keys, relative_name
from medkg.read.decode import SourceText, read_source

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
    # facts the shapes refused, kept as statements (see medkg.graph.origins)
    downgraded: tuple[DowngradedFact, ...] = ()


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
def process(source: SourceText) -> Extraction:
    """Parse and extract one document; `NotADrugDocument` when it is a stub or neither format."""
    document = parse_document(source.text, source.name)
    if document.format == "monograph":
        reason = is_stub(document)
        if reason:
            raise NotADrugDocument(source.name, reason, "nothing is extracted from it")
    return extract_document(document)


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
    key: str  # see `medkg.pipeline.sources.document_key`


@dataclass(frozen=True)
class DocumentSummary:
    """What the main process keeps of a processed document (the rest stays in the store)."""

    status: DocumentStatus
    key: str  # store key of (status, (source, extraction) | None)
    linking: frozenset[str]  # see medkg.pipeline.cluster.linking_keys


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


def document_crashed(job: DocumentJob, crash: BaseException) -> DocumentSummary:
    """The summary of a document whose worker process died while processing it."""
    message = f"{job.relative}: the worker process reading it died ({crash}) ({BUG_HINT})"
    status = DocumentStatus(job.path.name, None, "failed", path=job.relative, error=message)
    return DocumentSummary(status, job.key, frozenset())


def process_documents(
    sources: Sequence[Path],
    paths: Sequence[Path],
    store: Path,
    jobs: int,
    progress: Progress,
) -> list[DocumentSummary]:
    """`process_stored` for each of `sources` on `jobs` worker processes, in order; a
    document the previous build summarised in the store's index is not looked at again.
    `progress` is told of each document (stage ``documents``)."""
    index = StoreIndex(Cache(store))
    work = []
    for path, key in zip(sources, document_keys(sources, paths, store), strict=True):
        work.append(DocumentJob(path, relative_name(path, paths), store, key))
    indexed: dict[str, DocumentSummary] = index.load("documents")
    present = Cache(store)  # a summary is trusted only while its entry is there (see cache)
    known = {
        job.key: indexed[job.key]
        for job in work
        if job.key in indexed and present.has("document", job.key)
    }
    fresh = iter(
        ordered_map(
            process_stored,
            [j for j in work if j.key not in known],
            jobs,
            on_crash=document_crashed,
        )
    )
    summaries: list[DocumentSummary] = []
    progress.start("documents", len(work))
    for done, job in enumerate(work, start=1):
        summary = known[job.key] if job.key in known else next(fresh)
        summaries.append(summary)
        pause("documents")
        progress.advance("documents", done)
    for _rest in fresh:  # ends the generator, so its worker pool shuts down now
        raise AssertionError("a document result was left over")
    if len(indexed) != len(summaries) or any(s.key not in known for s in summaries):
        stored = Cache(store)  # a document whose worker died was not stored: try it again
        index.save("documents", {s.key: s for s in summaries if stored.has("document", s.key)})
    reused = len(known)
    progress.finish("documents", f"{reused:,} unchanged since the last build" if reused else "")
    return summaries
