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
doses`` with no number gives none, and a ``divided every 12 hours`` (or
``divided into doses every 6 hours``, ``in divided doses every 8 hours``) is
read as a timing. A dose the clause calls daily before it (``the usual daily
dose is 12-24 mg``, ``a daily dose of 2-6 mg/kg``) and divides after it
(``…, divided into three doses``, ``…, often in divided doses``), and an
amount ``of <substance> per day`` (``65-200 mg of elemental iron per day``)
are daily totals too. A division offered as one choice (``or divided into two
doses``, ``sometimes divided``, ``possibly divided``) does not make a total:
the amount is then also a once-daily dose. A quantity followed by ``/dose`` or ``per dose`` is one
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
# what may stand between a daily amount and the words dividing it: how usually, and how given
_HOW = (
    r"(?:(?:usually|often|typically|generally|commonly|normally|given|taken|administered|"
    r"orally|intravenously|intramuscularly)\s+)*"
)
# a division that is not offered as one choice among others
_DIVIDING = rf"\s*,?\s*{_HOW}(?:in\s+(?:[\w–-]+(?:\s+(?:or|to)\s+\w+)?\s+)?divided|divided|split)"
_DAILY_DIVIDED = re.compile(rf"\s+daily(?={_DIVIDING})", re.I)
# "of elemental iron per day": the amount's substance between it and its per-day words
_OF_SUBSTANCE_PER_DAY = re.compile(
    r"\s+of\s+(?:[A-Za-z][\w-]*\s+){1,3}?(?:per\s+day|/\s*day|a\s+day)\b", re.I
)
# "the usual daily dose is", "a daily dose of", "daily doses range from"
_DAILY_DOSE_BEFORE = re.compile(
    r"(?<!maximum\s)(?<!max\s)(?<!upper\s)(?<!highest\s)"
    r"\b(?:daily|per-day|total\s+daily)\s+(?:doses?|dosages?|amounts?)\b"
    r"[^.;:()\d]{0,40}$",
    re.I,
)
# an amount in a diet or a bound, not a dose: "at least 100 g of fat per day"
_BOUND_BEFORE = re.compile(r"\b(?:at\s+least|at\s+most|consum\w+|eat\w*|intake\s+of)\s*$", re.I)
_DIVIDING_LATER = re.compile(_DIVIDING, re.I)
# words offering the division as one choice: "once daily or divided", "sometimes divided"
_CHOICE = re.compile(r"[.;()]|\b(?:or|either|sometimes|possibly|potentially|if|single)\b", re.I)


def _divided_later(text: str, start: int, end: int) -> bool:
    """Does the clause go on to divide the amount (not as one choice among others)?"""
    match = _DIVIDING_LATER.search(text, start, end)
    return (
        match is not None
        and _CHOICE.search(text, start, match.end()) is None
        and not re.match(r"\s+or\b", text[match.end() : end])
    )


_PER_DOSE = re.compile(r"\s*/\s*dose\b|\s+per\s+dose\b", re.I)
_DIVIDED = re.compile(
    rf"\b(?:divided\s+(?:into|in)\s+|split\s+into\s+|in\s+)(?P<upto>up\s+to\s+)?"
    rf"(?P<k>\d+|{NUMBER_WORD})(?:\s*(?:or|to|-|–)\s*(?P<kmax>\d+|{NUMBER_WORD}))?\s+"
    r"(?:divided\s+|equal\s+|equally\s+divided\s+|separate\s+|individual\s+)?"
    r"(?:doses|administrations|intakes)\b",
    re.I,
)


def daily_total(
    text: str, found: FoundQuantity, end: int, before: str = ""
) -> FoundQuantity | None:
    """The quantity as a per-day total (unit ``…/d``, span through the per-day words),
    or None when it is not stated per day. `before` is the clause's text before it."""
    suffix = _PER_DAY.match(text, found.end, end) or _DAILY_DIVIDED.match(text, found.end, end)
    if suffix is None and not _BOUND_BEFORE.search(before):
        suffix = _OF_SUBSTANCE_PER_DAY.match(text, found.end, end)
    if suffix is not None:
        return replace(found, end=suffix.end(), unit=found.unit + "/d")
    if _DAILY_DOSE_BEFORE.search(before) and _divided_later(text, found.end, end):
        return replace(found, unit=found.unit + "/d")
    return None


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
    if match.group("upto") and most is None and count > 1:  # "up to three doses": 1 to 3
        count, most = Decimal(1), count
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
