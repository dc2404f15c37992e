"""How often, how serious, and in whom: what a lead says about the reactions it introduces.

A *lead* is the part of a sentence before "include", a lead-in sentence
ending in a colon, or a block label. The rules:

* A number wins over a word: ``Common side effects (more than 10%)`` is
  VERY_COMMON, because >10% is CIOMS very common. Percentages and "1 in N"
  rates are turned into an interval; the band is the one CIOMS band holding
  the whole interval (``1-10%`` -> COMMON, ``>10%`` -> VERY_COMMON); an
  interval spanning several bands (``<1%``) gives no band, unless a band word
  names one band inside it (``Rare (<1%)`` is RARE; ``Common (<1%)`` none).
  The first stated rate counts.
* Otherwise a band word: very common, common, uncommon, rare, very rare,
  "not known" / "frequency not known" (NOT_KNOWN). "less common", "more
  common" and "post-marketing" are kept as `frequency_text` with no band.
* `serious` is True only when the lead says "serious"; otherwise None.
* A population ("in children", a ``**Children:**`` label) becomes the
  reaction's population Mention.
* A term's own bracket that says only how often (``Liver damage (rare)``,
  ``Headache (12%)``) is that term's frequency, not a gloss (`says_only_how_often`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from medkg.model import Band, Document, Mention
from medkg.text import Span, mention, trim

# CIOMS bands as percentage intervals, most frequent first.
_BAND_INTERVALS: tuple[tuple[Band, Decimal, Decimal], ...] = (
    (Band.VERY_COMMON, Decimal(10), Decimal(100)),
    (Band.COMMON, Decimal(1), Decimal(10)),
    (Band.UNCOMMON, Decimal("0.1"), Decimal(1)),
    (Band.RARE, Decimal("0.01"), Decimal("0.1")),
    (Band.VERY_RARE, Decimal(0), Decimal("0.01")),
)

_NUMBER = r"(\d+(?:\.\d+)?)"
_PERCENT_RANGE = re.compile(rf"{_NUMBER}\s*%?\s*(?:-|–|—|to)\s*{_NUMBER}\s*%")
_PERCENT_BOUND = re.compile(
    rf"(?P<op>more than|greater than|over|above|at least|>=|≥|>|less than|fewer than|under|"
    rf"below|up to|<=|≤|<)\s*{_NUMBER}\s*%",
    re.I,
)
_RATE = re.compile(
    r"(?:(?P<op>more than|at least|up to|less than|fewer than)\s+)?"
    r"(?P<n>\d[\d,]*)\s+in\s+(?P<m>\d[\d,]*)\b",
    re.I,
)
_PERCENT = re.compile(rf"{_NUMBER}\s*%")
_LOWER_BOUND_WORDS = ("more than", "greater than", "over", "above", "at least", ">=", "≥", ">")

_BAND_WORDS = re.compile(
    r"\b(?:very common|very rarely|very rare|rarely|less common|more common|uncommon|common|rare|"
    r"frequency not known|not known|frequency unknown|unknown frequency|post-?marketing)\b",
    re.I,
)
_WORD_BANDS: dict[str, Band | None] = {
    "very common": Band.VERY_COMMON,
    "common": Band.COMMON,
    "uncommon": Band.UNCOMMON,
    "rare": Band.RARE,
    "very rare": Band.VERY_RARE,
    "rarely": Band.RARE,
    "very rarely": Band.VERY_RARE,
    "frequency not known": Band.NOT_KNOWN,
    "not known": Band.NOT_KNOWN,
    "frequency unknown": Band.NOT_KNOWN,
    "unknown frequency": Band.NOT_KNOWN,
}
_SERIOUS = re.compile(r"(?<!non-)(?<!not )\bserious\b", re.I)
_POPULATION_WORDS = (
    r"(?:(?:pediatric|paediatric|adult|elderly|older|young|adolescent)\s+patients|children|"
    r"adults|adolescents|teenagers|infants|neonates|newborns|the elderly|elderly people|"
    r"older adults|older people|women|men)"
)
_POPULATION_IN_LEAD = re.compile(rf"\b(?:in|among|for)\s+(?P<who>{_POPULATION_WORDS})\b", re.I)
_POPULATION_LABEL = re.compile(rf"{_POPULATION_WORDS}\b", re.I)


def band_for_interval(low: Decimal, high: Decimal) -> Band | None:
    """The CIOMS band holding the whole percentage interval [low, high], if one does."""
    for band, band_low, band_high in _BAND_INTERVALS:
        if low >= band_low and high <= band_high:
            return band
    return None


def _within(band: Band, low: Decimal, high: Decimal) -> bool:
    """Does the CIOMS `band` lie inside the percentage interval [low, high]?"""
    for candidate, band_low, band_high in _BAND_INTERVALS:
        if candidate is band:
            return low <= band_low and band_high <= high
    return False


def _percent_interval(text: str, start: int, end: int) -> tuple[Decimal, Decimal, Span] | None:
    """The first stated rate in text[start:end] as a percentage interval and its span."""
    found: list[tuple[int, Decimal, Decimal, Span]] = []
    match = _PERCENT_RANGE.search(text, start, end)
    if match:
        low, high = Decimal(match.group(1)), Decimal(match.group(2))
        found.append((match.start(), low, high, match.span()))
    match = _PERCENT_BOUND.search(text, start, end)
    if match:
        value = Decimal(match.group(2))
        if match.group("op").lower() in _LOWER_BOUND_WORDS:
            found.append((match.start(), value, Decimal(100), match.span()))
        else:
            found.append((match.start(), Decimal(0), value, match.span()))
    match = _RATE.search(text, start, end)
    if match and int(match.group("m").replace(",", "")) > 0:
        value = (
            Decimal(100)
            * Decimal(match.group("n").replace(",", ""))
            / Decimal(match.group("m").replace(",", ""))
        )
        op = (match.group("op") or "").lower()
        if op in ("more than", "at least"):
            found.append((match.start(), value, Decimal(100), match.span()))
        elif op:
            found.append((match.start(), Decimal(0), value, match.span()))
        else:
            found.append((match.start(), value, value, match.span()))
    match = _PERCENT.search(text, start, end)
    if match:
        value = Decimal(match.group(1))
        found.append((match.start(), value, value, match.span()))
    if not found:
        return None
    # Earliest wins; at the same position the longer (range/bound) reading wins.
    found.sort(key=lambda item: (item[0], -(item[3][1] - item[3][0])))
    _, low, high, span = found[0]
    return low, high, span


@dataclass(frozen=True)
class Frequency:
    """What a lead says about the reactions it introduces."""

    band: Band | None = None
    frequency_text: str | None = None
    serious: bool | None = None
    population: Mention | None = None

    def over(self, inherited: Frequency) -> Frequency:
        """This frequency, with fields it does not state taken from `inherited`."""
        stated_band = self.frequency_text is not None
        return Frequency(
            band=self.band if stated_band else inherited.band,
            frequency_text=self.frequency_text if stated_band else inherited.frequency_text,
            serious=self.serious if self.serious is not None else inherited.serious,
            population=self.population or inherited.population,
        )

    @property
    def says_anything(self) -> bool:
        return (
            self.frequency_text is not None
            or self.serious is not None
            or self.population is not None
        )


def read_frequency(
    document: Document, section: str, start: int, end: int, is_label: bool = False
) -> Frequency:
    """Band, wording, seriousness and population stated in a lead span.

    A label that names a population ("Children (6 months and older)") is the
    population itself; in a lead sentence it must follow "in"/"among"/"for".
    """
    text = document.text
    band: Band | None = None
    frequency_text: str | None = None
    interval = _percent_interval(text, start, end)
    word = _BAND_WORDS.search(text, start, end)
    word_text = word.group(0).lower() if word else None
    word_band = _WORD_BANDS.get(word_text) if word_text else None
    if interval is not None:
        low, high, (s, e) = interval
        band = band_for_interval(low, high)
        frequency_text = text[s:e].lower()
        if band is None and word_text and word_band and _within(word_band, low, high):
            # "Rare (<1%)": the rate spans several bands, the word names one inside it
            band, frequency_text = word_band, word_text
    elif word_text:
        frequency_text, band = word_text, word_band
    serious = True if _SERIOUS.search(text, start, end) else None
    population: Mention | None = None
    who = _POPULATION_IN_LEAD.search(text, start, end)
    if who:
        population = mention(document, section, who.start("who"), who.end("who"))
    elif is_label:
        label = _POPULATION_LABEL.match(text, *trim(text, start, end))
        if label:
            population = mention(document, section, start, end)
    return Frequency(band, frequency_text, serious, population)


_HOW_OFTEN_ONLY = re.compile(
    rf"(?:(?:very|extremely)\s+)?(?:rare|rarely|uncommon|common|less\s+common)"
    rf"|(?:{_PERCENT_BOUND.pattern}|{_PERCENT_RANGE.pattern}|[~≈]?\s*{_NUMBER}\s*%)"
    rf"(?:\s+of\s+(?:patients|people|users))?",
    re.I,
)


def says_only_how_often(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is nothing but a frequency: "rare", "very common",
    "12%", "<1%", "1-10% of patients"."""
    start, end = trim(text, start, end, " \t\n()")
    return _HOW_OFTEN_ONLY.fullmatch(text, start, end) is not None
