"""The build: sources -> read -> parse -> extract -> link/graph -> validate -> export -> dist/.

`build()` is the one public function the CLI calls. It renders every output
in memory, validates before writing, and replaces the output folder only when
everything succeeded, so a failed build leaves ``dist/`` exactly as it was.

Each document is read, parsed and extracted on its own (`process_one`), so one
bad document never stops or corrupts the others: a document that is not a
monograph or code page is *skipped* with the reason; one that cannot be read or
parsed (`SourceError`) is *failed* with the error naming the file; any other
exception is a medkg bug, recorded as *failed* with its type, message, a hint
to report it and its traceback frames. Every document is processed and
reported before the exit policy applies: by default any failed document stops
the build (`DocumentsFailed`, nothing written); with ``keep_going`` the built
documents are published and ``build-report.json`` lists the failed ones.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from rdflib import Dataset

from medkg.errors import MedkgError, NotADrugDocument, SourceError, ValidationFailed
from medkg.export import build_report, render_all
from medkg.export.fhir import render as render_fhir
from medkg.export.metadata import add_metadata
from medkg.export.turtle import union_graph
from medkg.extract import extract_document
from medkg.graph import build_dataset
from medkg.lexicon import Lexicon, bundled_lexicon
from medkg.model import Extraction
from medkg.parse import parse_document
from medkg.parse.monograph import is_stub
from medkg.read import SourceText, read_source
from medkg.validate import report_turtle, validate_graph

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


@dataclass
class BuildOutcome:
    statuses: list[DocumentStatus] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    dataset: Dataset | None = None
    changed: list[str] = field(default_factory=list)  # with check=True: files that differ
    mapping: build_report.IdentifierMapping | None = None  # reaction/condition terms mapped

    @property
    def failed(self) -> list[DocumentStatus]:
        return [s for s in self.statuses if s.status == "failed"]


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
    statuses: list[DocumentStatus],
    documents: list[tuple[SourceText, Extraction]],
    paths: Sequence[Path],
    keep_going: bool,
) -> None:
    """Raise `DocumentsFailed` when a document failed (unless `keep_going` and some built),
    `SourceError` when nothing at all was built."""
    failed = any(s.status == "failed" for s in statuses)
    if failed and (not keep_going or not documents):
        raise DocumentsFailed(statuses)
    if not documents:
        raise SourceError(
            ", ".join(str(p) for p in paths) or "(no sources)",
            "holds no drug monograph or code page",
            "point medkg build at .md/.txt documents",
        )


def isolate_graph_failures(
    documents: list[tuple[SourceText, Extraction]],
    lexicon: Lexicon,
    statuses: list[DocumentStatus],
    error: Exception,
) -> list[tuple[SourceText, Extraction]]:
    """After the graph stage raised `error` unexpectedly: graph each document alone, mark those that
    raise as failed (in `statuses`, in place) and return the others. Re-raises when no single
    document is to blame (a bug in linking across documents)."""
    kept: list[tuple[SourceText, Extraction]] = []
    blamed = False
    for document in documents:
        try:
            build_dataset([document], lexicon)
        except Exception as bug:  # one document's bug must not stop the others
            blamed = True
            index = next(i for i, s in enumerate(statuses) if s.file == document[0].name)
            relative = statuses[index].path or document[0].name
            statuses[index] = replace(
                statuses[index],
                status="failed",
                error=f"{relative}: {type(bug).__name__} while graphing: {bug} ({BUG_HINT})",
                traceback=frames(bug),
                facts={},
            )
        else:
            kept.append(document)
    if not blamed:
        raise error
    return kept


def run(
    paths: Sequence[Path],
    lexicon: Lexicon | None = None,
    fhir_version: str = "R5",
    *,
    keep_going: bool = False,
    progress: ProgressHook | None = None,
) -> BuildOutcome:
    """Read, parse and extract every document on its own, then graph, validate and render.

    `fhir_version` ("R5" or "R4B") is the FHIR version of ``fhir/``. Raises
    `DocumentsFailed` after processing every document when any failed, unless
    `keep_going`; `progress` is called after each document.
    """
    outcome = BuildOutcome()
    documents: list[tuple[SourceText, Extraction]] = []
    sources = collect_sources(paths)
    for done, path in enumerate(sources, start=1):
        status, document = process_one(path, relative_name(path, paths))
        outcome.statuses.append(status)
        if document is not None:
            documents.append(document)
        if progress is not None:
            progress(done, len(sources), status)
    apply_exit_policy(outcome.statuses, documents, paths, keep_going)
    lexicon = lexicon or bundled_lexicon()
    try:
        dataset = build_dataset(documents, lexicon)
    except MedkgError:
        raise
    except Exception as error:
        documents = isolate_graph_failures(documents, lexicon, outcome.statuses, error)
        apply_exit_policy(outcome.statuses, documents, paths, keep_going)
        dataset = build_dataset(documents, lexicon)
    union = union_graph(dataset)
    validation = validate_graph(union)
    if not validation.conforms:
        raise ValidationFailed(validation.report_text, [str(v) for v in validation.violations])
    outcome.dataset = dataset
    files = render_all(dataset)
    if fhir_version != "R5":  # the registry renders R5; swap in the other version
        files = {name: data for name, data in files.items() if not name.startswith("fhir/")}
        files.update(render_fhir(dataset, fhir_version))
    files[REPORT] = report_turtle(validation, len(union))
    outcome.mapping = build_report.identifier_mapping(union)
    files[build_report.FILE_NAME] = build_report.render(outcome.statuses, outcome.mapping)
    outcome.files = add_metadata(dataset, files)
    return outcome


def differences(files: dict[str, bytes], out: Path) -> list[str]:
    """Relative paths where `out` differs from `files` (missing, extra or changed)."""
    changed = []
    existing = (
        {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()} if out.is_dir() else set()
    )
    for name in sorted(set(files) | existing):
        target = out / name
        if name not in files:
            changed.append(f"{name} (not built from the sources)")
        elif not target.is_file():
            changed.append(f"{name} (missing)")
        elif target.read_bytes() != files[name]:
            changed.append(f"{name} (differs)")
    return changed


def write_outputs(files: dict[str, bytes], out: Path) -> None:
    """Replace `out` with exactly `files`, swapping a finished folder in at the end."""
    if out.exists() and not out.is_dir():
        raise MedkgError(f"{out}: is a file, not a folder; give --out a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise MedkgError(
            f"{out}: is a non-empty folder that is not a medkg output (no {MARKER}); "
            "give --out an empty or new folder"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
    try:
        for name, data in files.items():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        old = out.parent / f".{out.name}.old"
        if old.exists():
            shutil.rmtree(old)
        if out.exists():
            os.replace(out, old)
        os.replace(staging, out)
        if old.exists():
            shutil.rmtree(old)
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def build(
    paths: Sequence[Path],
    out: Path,
    check: bool = False,
    fhir_version: str = "R5",
    *,
    keep_going: bool = False,
    progress: ProgressHook | None = None,
) -> BuildOutcome:
    """Build the dataset from `paths` into `out` (or, with `check`, only compare).

    Any failed document stops the build before anything is written
    (`DocumentsFailed`) unless `keep_going`; see `run`.
    """
    outcome = run(paths, fhir_version=fhir_version, keep_going=keep_going, progress=progress)
    if check:
        outcome.changed = differences(outcome.files, out)
    else:
        write_outputs(outcome.files, out)
    return outcome
