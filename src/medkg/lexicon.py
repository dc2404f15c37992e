"""The lexicon: confirmed identifiers and synonyms, read from ``data/terminology``.

* ``identifiers.csv`` — one row per identifier: concept key, label, scheme,
  id, SKOS mapping (exactMatch, closeMatch …), where it was confirmed, and
  quality (A: the identifier's own authority, B: a curated secondary source).
* ``synonyms.csv`` — other names of a concept, each with its source.
* ``routes.csv`` — spellings of routes of administration.

Look-up is exact after `normalise_term` (case, plural, punctuation, β): no
fuzzy matching, so nothing is linked that the lexicon does not say.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from medkg.errors import ResourceMissing
from medkg.resources import resource_dir
from medkg.text import normalise_term

# scheme -> IRI prefix for the identifier (OBO PURLs, UniProt, identifiers.org, SNOMED)
SCHEME_IRIS: dict[str, str] = {
    "UniProtKB": "http://purl.uniprot.org/uniprot/",
    "HGNC": "http://identifiers.org/hgnc/",
    "NCBIGene": "http://identifiers.org/ncbigene/",
    "GO": "http://purl.obolibrary.org/obo/GO_",
    "HP": "http://purl.obolibrary.org/obo/HP_",
    "MONDO": "http://purl.obolibrary.org/obo/MONDO_",
    "Reactome": "http://identifiers.org/reactome/",
    "SNOMEDCT": "http://snomed.info/id/",
    "ATC": "http://identifiers.org/atc/",
    "DrugBank": "http://identifiers.org/drugbank/",
}


@dataclass(frozen=True)
class Identifier:
    concept: str
    scheme: str
    id: str
    match: str  # SKOS mapping property: exactMatch, closeMatch, broadMatch, narrowMatch
    source: str
    quality: str

    @property
    def iri(self) -> str:
        local = self.id
        if ":" in local and self.scheme in ("GO", "HP", "MONDO"):
            local = local.split(":", 1)[1]
        if self.scheme == "HGNC":
            local = local.split(":", 1)[-1]
        return SCHEME_IRIS[self.scheme] + local

    @property
    def curie(self) -> str:
        return self.id if ":" in self.id else f"{self.scheme}:{self.id}"


@dataclass(frozen=True)
class LexiconEntry:
    """A concept of the lexicon and how it was matched."""

    concept: str  # key, e.g. "myalgia"
    label: str
    identifiers: tuple[Identifier, ...]
    matched_by: str  # the label or synonym that matched
    match_source: str  # where that label or synonym comes from


@dataclass(frozen=True)
class Lexicon:
    labels: dict[str, str]  # concept -> preferred label
    identifiers: dict[str, tuple[Identifier, ...]]
    names: dict[str, tuple[str, str, str]]  # normalised name -> (concept, name, source)
    routes: dict[str, tuple[str, str, str]]  # normalised spelling -> (concept, label, spelling)

    def lookup(self, term: str) -> LexiconEntry | None:
        """The concept whose label or synonym equals `term` after normalisation."""
        hit = self.names.get(normalise_term(term))
        if hit is None:
            return None
        concept, name, source = hit
        return LexiconEntry(
            concept=concept,
            label=self.labels[concept],
            identifiers=self.identifiers.get(concept, ()),
            matched_by=name,
            match_source=source,
        )

    def route(self, term: str) -> tuple[str, str] | None:
        """(concept key, label) of the route a word names ("subcutaneously")."""
        hit = self.routes.get(normalise_term(term))
        return (hit[0], hit[1]) if hit else None


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise ResourceMissing(f"{path}: lexicon file missing; reinstall medkg")
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_lexicon(folder: Path | None = None) -> Lexicon:
    """Read the lexicon files from `folder` (default: the bundled terminology)."""
    folder = folder or resource_dir("terminology")
    labels: dict[str, str] = {}
    identifiers: dict[str, list[Identifier]] = {}
    names: dict[str, tuple[str, str, str]] = {}
    for row in _rows(folder / "identifiers.csv"):
        concept = row["concept"]
        labels.setdefault(concept, row["label"])
        identifiers.setdefault(concept, []).append(
            Identifier(
                concept, row["scheme"], row["id"], row["match"], row["source"], row["quality"]
            )
        )
        names.setdefault(normalise_term(row["label"]), (concept, row["label"], row["source"]))
    for row in _rows(folder / "synonyms.csv"):
        if row["concept"] not in labels:
            raise ResourceMissing(
                f"{folder / 'synonyms.csv'}: synonym {row['synonym']!r} names unknown concept "
                f"{row['concept']!r}; add the concept to identifiers.csv or fix the key"
            )
        names.setdefault(
            normalise_term(row["synonym"]), (row["concept"], row["synonym"], row["source"])
        )
    routes: dict[str, tuple[str, str, str]] = {}
    for row in _rows(folder / "routes.csv"):
        routes[normalise_term(row["spelling"])] = (row["concept"], row["label"], row["spelling"])
    return Lexicon(
        labels=labels,
        identifiers={key: tuple(value) for key, value in identifiers.items()},
        names=names,
        routes=routes,
    )


@lru_cache(maxsize=1)
def bundled_lexicon() -> Lexicon:
    return load_lexicon()
