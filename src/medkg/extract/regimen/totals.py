"""Amounts per time: daily totals and how they are divided, and rates.

Rules: a dose quantity followed by ``/day``, ``per day``, ``a day``, ``/24 h``
or ``per 24 hours`` (``2 g/day``, ``200-300 mg/kg/day``, ``8 grams per day``),
or by ``daily`` when a division follows (``4-20 mg daily in divided doses``,
``in 2-3 divided doses``),
is the total given over a day: its UCUM unit gets ``/d`` (``g/d``,
``mg/kg/d``, ``g/m2/d``). A per-day total states no amount per
administration, and none is made up. Its timing is the number of doses it is
divided into (``divided into two doses``, ``in 3 divided doses``: 2 or 3
times a day; ``divided into 2-3 doses``: 2 to 3 times a day); ``in divided
doses`` with no number gives none, and a ``divided every 12 hours`` is read
as a timing. A quantity followed by ``/dose`` or ``per dose`` is one
administration's amount. A quantity followed by ``/h``, ``/hour``, ``per
hour``, ``/min`` or ``per minute`` (``0.5 mcg/kg/min``, ``2 mg/hour``) is a
rate: its unit gets ``/h`` or ``/min`` (an infusion rate is no amount per
administration). Used by `medkg.extract.regimen.dose`; nothing here knows a
drug.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from medkg.extract.regimen.timing import NUMBER_WORD
from medkg.model import Document, Timing
from medkg.quantities import FoundQuantity, to_decimal
from medkg.text import evidence

_PER_DAY = re.compile(
    r"\s*/\s*(?:day|d|24\s*h(?:ours?|rs?)?)\b|\s+(?:per|a)\s+(?:day|24\s+hours?)\b", re.I
)
_DAILY_DIVIDED = re.compile(
    r"\s+daily(?=\s*,?\s*(?:(?:usually|often|given|taken|administered)\s+)?"
    r"(?:in\s+(?:[\w–-]+(?:\s+(?:or|to)\s+\w+)?\s+)?divided|divided|split))",
    re.I,
)
_PER_DOSE = re.compile(r"\s*/\s*dose\b|\s+per\s+dose\b", re.I)
_DIVIDED = re.compile(
    rf"\b(?:divided\s+(?:into|in)\s+|split\s+into\s+|in\s+)(?P<k>\d+|{NUMBER_WORD})"
    rf"(?:\s*(?:or|to|-|–)\s*(?P<kmax>\d+|{NUMBER_WORD}))?\s+"
    r"(?:divided\s+|equal\s+|equally\s+divided\s+|separate\s+|individual\s+)?doses\b",
    re.I,
)


def daily_total(text: str, found: FoundQuantity, end: int) -> FoundQuantity | None:
    """The quantity as a per-day total (unit ``…/d``, span through the per-day words),
    or None when it is not stated per day."""
    suffix = _PER_DAY.match(text, found.end, end) or _DAILY_DIVIDED.match(text, found.end, end)
    if suffix is None:
        return None
    return replace(found, end=suffix.end(), unit=found.unit + "/d")


_PER_HOUR = re.compile(r"\s*/\s*(?:hours?|hrs?|h)\b|\s+(?:per|an|a)\s+hour\b", re.I)
_PER_MINUTE = re.compile(r"\s*/\s*(?:minutes?|mins?)\b|\s+(?:per|a)\s+minute\b", re.I)


def rate(text: str, found: FoundQuantity, end: int) -> FoundQuantity | None:
    """The quantity as a rate per hour or minute (unit ``…/h``, ``…/min``), or None."""
    for pattern, unit in ((_PER_HOUR, "/h"), (_PER_MINUTE, "/min")):
        suffix = pattern.match(text, found.end, end)
        if suffix is not None:
            return replace(found, end=suffix.end(), unit=found.unit + unit)
    return None


def per_time(unit: str) -> bool:
    """Is the unit an amount per day, hour or minute (a total or a rate, not one dose)?"""
    return unit.endswith(("/d", "/h", "/min"))


def per_dose(text: str, found: FoundQuantity, end: int) -> FoundQuantity | None:
    """The quantity with its ``/dose`` words, or None when it is not stated per dose."""
    suffix = _PER_DOSE.match(text, found.end, end)
    return None if suffix is None else replace(found, end=suffix.end())


def division_timing(
    document: Document, section: str, start: int, end: int
) -> tuple[Timing, tuple[int, int]] | None:
    """ "divided into N doses" in text[start:end]: N times a day, and where it was said."""
    match = _DIVIDED.search(document.text, start, end)
    if match is None:
        return None
    count = to_decimal(match.group("k"))
    most = to_decimal(match.group("kmax")) if match.group("kmax") else None
    if (
        count < 1
        or count != int(count)
        or (most is not None and (most <= count or most != int(most)))
    ):
        return None
    timing = Timing(
        frequency=int(count),
        period=Decimal(1),
        period_unit="d",
        evidence=evidence(document, section, match.start(), match.end()),
        frequency_max=None if most is None else int(most),
    )
    return timing, match.span()
