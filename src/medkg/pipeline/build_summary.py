"""The end-of-build summary: how long it took, what went in and came out, what to try next.

Everything is read back from the published output folder, so a build that changed
nothing (its folder reused) or updated it in place says the same as a full one: the
triples are the dataset's ``void:triples`` in ``void.ttl``, and the example drug is the
subject of the first adverse reaction in ``fhir/`` (so the suggested query has rows), else
the first ``Medication``.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

DATASET = "<https://w3id.org/medkg/id/dataset>"
_TRIPLES = re.compile(r'void:triples "(\d+)"')


def dataset_triples(out: Path) -> int | None:
    """The distinct triples of the dataset in `out` (its ``void.ttl``), None when unknown."""
    try:
        text = (out / "void.ttl").read_text(encoding="utf-8")
    except OSError:
        return None
    start = text.find(f"\n{DATASET}\n")
    if start < 0:
        return None
    end = text.find("\n.\n", start)
    found = _TRIPLES.search(text, start, end if end >= 0 else len(text))
    return int(found.group(1)) if found else None


def example_drug(out: Path) -> str | None:
    """A drug of the build in `out` to suggest a query about: one with adverse reactions
    when there is one (the first such FHIR ClinicalUseDefinition's subject), else the first
    FHIR Medication's name; None without either."""
    fhir = out / "fhir"
    for pattern, read in (
        ("ClinicalUseDefinition-adverse-reaction-*.json", _subject_name),
        ("Medication-*.json", _medication_name),
    ):
        for path in sorted(fhir.glob(pattern)):
            try:
                name = read(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError):
                continue
            if name:
                return name
    return None


def _subject_name(resource: object) -> str | None:
    if isinstance(resource, dict):
        for subject in resource.get("subject") or []:
            if isinstance(subject, dict) and isinstance(subject.get("display"), str):
                return str(subject["display"])
    return None


def _medication_name(resource: object) -> str | None:
    if isinstance(resource, dict) and isinstance(resource.get("code"), dict):
        text = resource["code"].get("text")
        return text if isinstance(text, str) else None
    return None


def summary_lines(
    out: Path, built: int, elapsed: float, written: int | None, *, default_out: bool
) -> list[str]:
    """The last lines of a build into `out`: elapsed time, documents built, triples, the
    files `written` (None: `out` was already what the sources build), and the commands to
    try next (``--data`` named unless `default_out`, which the commands read by default)."""
    triples = dataset_triples(out)
    made = f"{triples:,} triples" if triples is not None else "the dataset"
    wrote = f"wrote {written:,} files to {out}/" if written is not None else f"{out}/ unchanged"
    documents = "1 document" if built == 1 else f"{built:,} documents"
    lines = [f"{documents} built into {made} in {elapsed:.1f} s; {wrote}"]
    data = [] if default_out else ["--data", str(out)]
    drug = example_drug(out)
    query = ["medkg", "query", "adverse-reactions", *data]
    if drug is not None:
        query += ["--param", f"drug={drug}"]
    lines.append("next, try:")
    lines.append("  " + shlex.join(query))
    lines.append("  medkg query --list")
    lines.append(
        "  " + shlex.join(["medkg", "serve", *data]) + "   (drug pages and SPARQL at "
        "http://127.0.0.1:8000/)"
    )
    return lines
