"""The index of drugs and billing codes the landing page lists and searches.

Read once per store (a worker's store never changes while it runs) with two
queries, then kept: a drug's name and its other names, a code's notation,
system and descriptors. Search is a substring match on any name, ignoring case
and extra spaces (`medkg.query.run.match_key`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from medkg.namespaces import SPARQL_PREFIXES
from medkg.query import Store, run_query
from medkg.query.run import match_key

_PROLOGUE = SPARQL_PREFIXES
DRUGS = (
    _PROLOGUE
    + """SELECT ?drug (MIN(?name) AS ?label)
       (GROUP_CONCAT(DISTINCT ?other; SEPARATOR="\\n") AS ?others)
WHERE {
  ?drug a schema:Drug ; schema:name ?name .
  OPTIONAL { ?drug schema:alternateName|rdfs:label|schema:nonProprietaryName ?other }
}
GROUP BY ?drug
"""
)
CODES = (
    _PROLOGUE
    + """SELECT ?code (MIN(?notation) AS ?label) (MIN(?scheme) AS ?system)
       (GROUP_CONCAT(DISTINCT ?descriptor; SEPARATOR="\\n") AS ?descriptors)
WHERE {
  ?code a medkg:BillingCode ; skos:notation ?notation .
  OPTIONAL { ?code schema:codingSystem ?scheme }
  OPTIONAL { ?code medkg:description/medkg:descriptor ?descriptor }
}
GROUP BY ?code
"""
)


@dataclass(frozen=True)
class Entry:
    """One drug or code: its node IRI, the name shown, and every name it is found by."""

    iri: str
    label: str
    detail: str
    keys: tuple[str, ...]

    @property
    def letter(self) -> str:
        """The index letter: the first letter of the label, ``#`` for anything else."""
        first = self.label[:1].upper()
        return first if "A" <= first <= "Z" else "#"


@dataclass(frozen=True)
class Catalogue:
    drugs: tuple[Entry, ...]
    codes: tuple[Entry, ...]

    @cached_property
    def by_label(self) -> dict[tuple[str, str], Entry]:
        """("drugs" or "codes", label) -> the first entry with that label."""
        found: dict[tuple[str, str], Entry] = {}
        for kind, entries in (("drugs", self.drugs), ("codes", self.codes)):
            for entry in entries:
                found.setdefault((kind, entry.label), entry)
        return found

    def search(self, text: str) -> tuple[list[Entry], list[Entry]]:
        """The drugs and codes one of whose names contains `text` (ignoring case and spaces),
        exact matches first."""
        wanted = match_key(text)
        if not wanted:
            return [], []

        def found(entries: tuple[Entry, ...]) -> list[Entry]:
            hits = [entry for entry in entries if any(wanted in key for key in entry.keys)]
            return sorted(hits, key=lambda entry: (wanted not in entry.keys, entry.label.lower()))

        return found(self.drugs), found(self.codes)


def _lines(text: str) -> list[str]:
    return [each for each in text.split("\n") if each]


def _entry(iri: str, label: str, others: list[str], detail: str) -> Entry:
    keys = tuple(sorted({match_key(label), *(match_key(each) for each in others)}))
    return Entry(iri=iri, label=label, detail=detail, keys=keys)


def _sorted(entries: list[Entry]) -> tuple[Entry, ...]:
    return tuple(sorted(entries, key=lambda entry: (entry.label.lower(), entry.iri)))


def _drugs(store: Store) -> tuple[Entry, ...]:
    entries = []
    for row in run_query(store, DRUGS).values():
        others = [each for each in _lines(row.get("others", "")) if each != row["label"]]
        entries.append(_entry(row["drug"], row["label"], others, ", ".join(others)))
    return _sorted(entries)


def _codes(store: Store) -> tuple[Entry, ...]:
    entries = []
    for row in run_query(store, CODES).values():
        descriptors = _lines(row.get("descriptors", ""))
        detail = " · ".join(filter(None, (row.get("system", ""), "; ".join(descriptors))))
        entries.append(_entry(row["code"], row["label"], descriptors, detail))
    return _sorted(entries)


_LAST: list[tuple[Store, Catalogue]] = []  # the last store asked about and its catalogue


def catalogue(store: Store) -> Catalogue:
    """The drugs and codes of `store` (asked once per store object)."""
    for known, found in _LAST:
        if known is store:
            return found
    made = Catalogue(drugs=_drugs(store), codes=_codes(store))
    _LAST[:] = [(store, made)]
    return made
