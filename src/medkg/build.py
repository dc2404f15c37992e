"""The build: sources -> read -> parse -> extract -> link/graph -> validate -> export -> dist/.

`build()` is the one public function the CLI calls. It renders every output
in memory, validates before writing, and replaces the output folder only when
everything succeeded, so a failed build leaves ``dist/`` exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset

from medkg.errors import MedkgError, NotADrugDocument, SourceError, ValidationFailed
from medkg.export import render_all
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


@dataclass(frozen=True)
class DocumentStatus:
    file: str
    format: str | None
    status: str  # "built", "skipped"
    reason: str = ""


@dataclass
class BuildOutcome:
    statuses: list[DocumentStatus] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    dataset: Dataset | None = None
    changed: list[str] = field(default_factory=list)  # with check=True: files that differ


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


def run(
    paths: Sequence[Path], lexicon: Lexicon | None = None, fhir_version: str = "R5"
) -> BuildOutcome:
    """Read, parse, extract, graph, validate and render; raise on the first failure.

    `fhir_version` ("R5" or "R4B") is the FHIR version of ``fhir/``.
    """
    outcome = BuildOutcome()
    documents: list[tuple[SourceText, Extraction]] = []
    for path in collect_sources(paths):
        source = read_source(path)
        try:
            extraction = process(source)
        except NotADrugDocument as skipped:
            outcome.statuses.append(DocumentStatus(path.name, None, "skipped", skipped.problem))
            continue
        documents.append((source, extraction))
        outcome.statuses.append(DocumentStatus(path.name, extraction.document.format, "built"))
    if not documents:
        raise SourceError(
            ", ".join(str(p) for p in paths) or "(no sources)",
            "holds no drug monograph or code page",
            "point medkg build at .md/.txt documents",
        )
    dataset = build_dataset(documents, lexicon or bundled_lexicon())
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
    paths: Sequence[Path], out: Path, check: bool = False, fhir_version: str = "R5"
) -> BuildOutcome:
    """Build the dataset from `paths` into `out` (or, with `check`, only compare)."""
    outcome = run(paths, fhir_version=fhir_version)
    if check:
        outcome.changed = differences(outcome.files, out)
    else:
        write_outputs(outcome.files, out)
    return outcome
