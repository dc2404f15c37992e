"""The route vocabulary: how documents spell routes of administration.

Read from ``data/terminology/routes.csv``, one row per spelling: concept key,
label, spelling, match, source. The concepts' identifiers (SNOMED CT route
codes) are rows of ``identifiers.csv`` like any other concept's, each with
where it was confirmed. ``match`` says where a spelling counts as a route:

* ``any case`` — in any letter case ("Intravenously", "by mouth");
* ``exact case`` — only as written: abbreviations whose lower-case form is an
  ordinary word or another abbreviation (``IT`` and "it", ``ID`` and "id",
  ``PO``), a Roman numeral (``IV``), or dotted (``i.v.``);
* ``before a dosing word`` — any case, but only where the text goes on with a
  dosing word ("oral tablets", "nasal spray", "Oral:", "oral or IV"): adjectives
  that also name conditions or drug classes ("nasal congestion", "rectal
  bleeding", "oral contraceptives"). What counts as a dosing word is grammar,
  not vocabulary: `medkg.extract.routes`.

Each spelling names one concept, and each concept has one label. The table is
checked when it is read; a broken one is a `ResourceMissing` naming the row.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from medkg.errors import ResourceMissing
from medkg.resources import resource_dir
from medkg.text import normalise_term

ROUTES = "routes.csv"
COLUMNS = ["concept", "label", "spelling", "match", "source"]
ANY_CASE = "any case"
EXACT_CASE = "exact case"
BEFORE_DOSING_WORD = "before a dosing word"
MATCHES = (ANY_CASE, EXACT_CASE, BEFORE_DOSING_WORD)


@dataclass(frozen=True)
class RouteSpelling:
    """One way a document writes a route, and the route concept it names."""

    concept: str  # key, e.g. "intravenous-route"
    label: str  # "intravenous route"
    spelling: str  # "IV"
    match: str  # one of MATCHES
    source: str  # why the spelling names the concept

    @property
    def exact(self) -> bool:
        return self.match == EXACT_CASE

    @property
    def needs_dosing_word(self) -> bool:
        return self.match == BEFORE_DOSING_WORD


@dataclass(frozen=True)
class RouteVocabulary:
    """Every spelling of the route table, and how to find and look them up."""

    spellings: tuple[RouteSpelling, ...]

    @cached_property
    def _exact(self) -> dict[str, RouteSpelling]:
        return {s.spelling: s for s in self.spellings if s.exact}

    @cached_property
    def _folded(self) -> dict[str, RouteSpelling]:
        return {normalise_term(s.spelling): s for s in self.spellings if not s.exact}

    def lookup(self, text: str) -> RouteSpelling | None:
        """The spelling `text` is: an exact-case spelling as written, any other after
        `normalise_term` (case, plural, punctuation). Nothing fuzzy."""
        text = text.strip()
        return self._exact.get(text) or self._folded.get(normalise_term(text))

    @cached_property
    def labels(self) -> dict[str, str]:
        """Concept key -> label, for every route concept."""
        return {s.concept: s.label for s in self.spellings}

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """Every spelling as a whole word (longest first; exact-case ones case-sensitive,
        the others in any case; a space matches any run of white space)."""
        alternatives = []
        for spelling in sorted(self.spellings, key=lambda s: (-len(s.spelling), s.spelling)):
            body = r"\s+".join(re.escape(word) for word in spelling.spelling.split())
            alternatives.append(body if spelling.exact else f"(?i:{body})")
        return re.compile(rf"(?<![A-Za-z0-9])(?:{'|'.join(alternatives)})(?![A-Za-z0-9])")


def load_routes(path: Path) -> RouteVocabulary:
    """Read and check a route table (see the module docstring for its columns)."""
    if not path.is_file():
        raise ResourceMissing(f"{path}: route vocabulary missing; reinstall medkg")
    spellings: list[RouteSpelling] = []
    labels: dict[str, str] = {}
    seen: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != COLUMNS:
            raise ResourceMissing(
                f"{path}, line 1: expected the columns {','.join(COLUMNS)}, got "
                f"{','.join(reader.fieldnames or [])}; make the header {','.join(COLUMNS)}"
            )
        for row in reader:
            where = f"{path}, line {reader.line_num}"
            if None in row:  # more values than columns: an unquoted comma
                raise ResourceMissing(
                    f"{where}: more than {len(COLUMNS)} values; quote a value that holds a comma"
                )
            spelling = RouteSpelling(**{name: (row[name] or "").strip() for name in COLUMNS})
            if not (spelling.concept and spelling.label and spelling.spelling and spelling.source):
                raise ResourceMissing(f"{where}: every column must have a value; fix the row")
            if spelling.match not in MATCHES:
                raise ResourceMissing(
                    f"{where}: match {spelling.match!r} is not one of {', '.join(MATCHES)}; "
                    "use one of them"
                )
            if labels.setdefault(spelling.concept, spelling.label) != spelling.label:
                raise ResourceMissing(
                    f"{where}: concept {spelling.concept!r} is labelled both "
                    f"{labels[spelling.concept]!r} and {spelling.label!r}; use one label"
                )
            key = spelling.spelling if spelling.exact else normalise_term(spelling.spelling)
            if key in seen and seen[key] != spelling.concept:
                raise ResourceMissing(
                    f"{where}: spelling {spelling.spelling!r} names both {seen[key]!r} and "
                    f"{spelling.concept!r}; a spelling names one route: keep only its row"
                )
            seen[key] = spelling.concept
            spellings.append(spelling)
    return RouteVocabulary(tuple(spellings))


@lru_cache(maxsize=1)
def bundled_routes() -> RouteVocabulary:
    """The route table shipped with medkg."""
    return load_routes(resource_dir("terminology") / ROUTES)
