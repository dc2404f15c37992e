"""Transdermal patches: a patch's delivery rate is what one application gives.

Rule: when a regimen is a patch (its routes say "transdermal", or its clause
or block label says "patch"), a dose stated per day (``9.5 mg/day``,
``4.6 mg/24 h``; `medkg.extract.regimen.totals`) is not a daily total to be
divided: one patch delivers that amount over the day it is worn, and it is
replaced once a day. So the regimen's dose is the amount per application
(``9.5 mg``) and, unless the clause states another timing, its timing is
once a day, read from the per-day words themselves. This is how prescribers
write patch regimens ("one 9.5 mg patch once daily") and keeps a
patch regimen comparable with a tablet one; the label's rate unit (mg/24 h)
stays in the quote. A rate per hour (``25 mcg/hour`` every 72 hours) is not a
per-day amount and is left as written. Used by `medkg.extract.regimen`;
nothing here knows a drug.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from medkg.extract.regimen.dose import DosageReader, DoseReading
from medkg.model import Mention, Timing
from medkg.text import Span

_PATCH = re.compile(r"\b(?:transdermal\w*|patch(?:es)?)\b", re.I)
_PER_DAY_WORDS = re.compile(r"(?:/|\bper\b|\ba\b)\s*(?:24\s*h\w*|day|d)\b|\bdaily\b", re.I)


def is_patch(text: str, routes: tuple[Mention, ...], spans: tuple[Span | None, ...]) -> bool:
    """Is the regimen a transdermal patch: by its routes, its clause or its labels?"""
    if any(_PATCH.search(route.text) for route in routes):
        return True
    return any(span is not None and _PATCH.search(text, *span) for span in spans)


def per_application(reader: DosageReader, reading: DoseReading) -> None:
    """A patch's per-day dose -> the dose of one application, given once a day."""
    dose = reading.dose
    if dose is None or not dose.unit.endswith("/d"):
        return
    timing = reading.timing
    if timing is not None and (timing.frequency, timing.period, timing.period_unit) != (
        1,
        Decimal(1),
        "d",
    ):
        return  # the clause says something else about how often: not read as a patch
    reading.dose = replace(dose, unit=dose.unit.removesuffix("/d"))
    if timing is None:
        words = _PER_DAY_WORDS.search(reader.text, dose.evidence.start, dose.evidence.end)
        start, end = words.span() if words else (dose.evidence.start, dose.evidence.end)
        reading.timing = Timing(
            frequency=1, period=Decimal(1), period_unit="d", evidence=reader.evidence(start, end)
        )
