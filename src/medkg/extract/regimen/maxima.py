"""Stated maxima of a dose: is a quantity in a Dosage section a maximum, and of what?

Rule: ``up to (a maximum of) Q``, ``do not exceed Q``, ``not exceeding Q``,
``no more than Q``, ``(can go) as high as Q``,
``the maximum (recommended) (single) dose is Q`` (or any quantity later in a clause about
the maximum dose, "is usually limited to Q") -> a maximum single dose; the same with
``per day`` / ``in 24 hours`` / ``maximum daily dose`` -> a maximum daily
dose; ``maximum weekly|monthly dose`` records its period, so that it counts as
the maximum single dose of a once-weekly|monthly regimen only. A maximum that
names another substance (``the total <name> dose must not exceed Q``) is not
one, nor is a titration step "by up to Q" ("increasing by up to 600 mg/day
weekly"). A maximum followed by ``/min`` or ``per hour`` is a maximum rate
(its unit gets the rate, "up to 4 mcg/kg/min"), a maximum of an infusion rate
only (``/s``, per second, too). A ``cumulative`` or ``lifetime`` maximum (or "up to
a total dose of Q" after repeated doses) is the total of a whole course (stated
per day, it is the daily maximum), and a maximum in a clause about a rate with
no time in its unit ("the infusion rate should not exceed 50 mg") is no amount
of one dose: either is read (so it makes no dose) but kept on no regimen. Used by
`medkg.extract.regimen.dose`; nothing here knows a drug.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from medkg.extract.regimen.totals import rate
from medkg.quantities import FoundQuantity

_MAX_DOSE_OF = re.compile(
    r"\bmaximum\s+(?:[a-z]+\s+)??(?:(?P<per>daily|weekly|monthly|single|total)\s+)?(?:[a-z]+\s+)?"
    r"dose\s+(?:(?:is|was)(?:\s+(?:typically|usually|generally|normally|commonly|often))?|of|=|"
    r"(?:remains|stays)(?:\s+at)?)"
    r"\s*:?\s*$",
    re.I,
)
# A clause about the maximum dose: its quantities are maxima ("the maximum dose is usually
# limited to 10 mg/day"), unless another dose or number comes between.
_MAX_SUBJECT = re.compile(
    r"\bmaximum\s+(?:[a-z]+\s+)??(?:(?P<per>daily|weekly|monthly|single|total)\s+)?"
    r"(?:[a-z]+\s+)?doses?\b"
    r"(?:(?!\bdoses?\b)[^.;\d])*$",
    re.I,
)
_MAX_BEFORE = re.compile(
    r"\b(?:up\s+to(?:\s+a)?(?:\s+maximum(?:\s+of)?)?|up\s+to\s+(?:a\s+)?total(?:\s+dose)?(?:\s+of)?|(?:do|does|must|should|may)\s+not\s+exceed|"
    r"not\s+to\s+exceed|(?:not|never|without)\s+exceeding|no\s+more\s+than|not\s+more\s+than|(?:a\s+)?maximum(?:\s+(?:of|is|was))?|at\s+most|"
    r"as\s+(?:high|much)\s+as)"
    r"\s*:?\s*$",
    re.I,
)
# "a maximum cumulative dose", "lifetime dose must not exceed": a course's total
_CUMULATIVE = re.compile(r"\b(?:cumulative|lifetime)\b|\bup\s+to\s+(?:a\s+)?total\b", re.I)
_RATE_SUBJECT = re.compile(r"\brates?\b", re.I)
# "should not exceed 2 mL/s": an injection speed, a maximum rate per second
_PER_SECOND = re.compile(r"\s*/\s*(?:seconds?|secs?|s)\b|\s+(?:per|a)\s+second\b", re.I)
# "increasing by up to 600 mg/day": the size of a titration step, not a maximum dose
_STEP_UP_TO = re.compile(r"\b(?:by|increments?\s+of|steps?\s+of)\s+up\s+to\s*$", re.I)
_NAMED_DOSE = re.compile(
    r"\b(?P<name>[A-Za-z][\w-]*)\s+(?:daily\s+)?dose\s+(?:must|should|may|does|do)\s+not\s+exceed\s*$",
    re.I,
)
_DOSE_WORDS = frozenset(
    {
        "total",
        "daily",
        "weekly",
        "monthly",
        "single",
        "maximum",
        "the",
        "a",
        "each",
        "this",
        "your",
        "recommended",
        "usual",
        "starting",
        "initial",
        "maintenance",
    }
)
_PER_DAY = re.compile(
    r"\s*(?:total\s+)?(?:(?:per|a|each|every)\s+day|in\s+(?:a\s+day|one\s+day)|daily|/\s*day|"
    r"(?:in|within|over|per)\s+(?:a\s+|any\s+|one\s+)?24[\s-]*hours?(?:\s+period)?)\b",
    re.I,
)


@dataclass
class StatedMaximum:
    """A quantity stated as a maximum: per day (`daily`), per single dose, or per period."""

    found: FoundQuantity
    daily: bool
    per_period: str | None  # "wk" / "mo": a "maximum weekly dose"
    # read, but kept on no regimen: a whole course's total ("a maximum cumulative dose
    # of Q"), or a rate without its time ("the infusion rate should not exceed Q")
    unplaced: bool = False


def stated_maximum(
    text: str, found: FoundQuantity, clause_start: int, drug: str
) -> StatedMaximum | None:
    """Is the quantity a stated maximum, and of what?

    Only the words of its clause (from `clause_start`) before it count; `drug`
    is the name of the drug the section is about.
    """
    before = text[max(clause_start, found.start - 60) : found.start]
    of_dose = _MAX_DOSE_OF.search(before) or _MAX_SUBJECT.search(before)
    if of_dose is None and _MAX_BEFORE.search(before) is None:
        return None
    if _STEP_UP_TO.search(before):
        return None
    named = _NAMED_DOSE.search(before)
    if (
        named
        and named.group("name").lower() not in _DOSE_WORDS
        and (named.group("name").lower() not in drug.lower())
    ):
        return None
    per = (of_dose.group("per") or "").lower() if of_dose else ""
    cumulative = _CUMULATIVE.search(before) is not None
    per_time = rate(text, found, len(text))
    per_second = _PER_SECOND.match(text, found.end)
    if per_time is None and per_second is not None:
        per_time = replace(found, end=per_second.end(), unit=found.unit + "/s")
    if per_time is not None:  # "to a maximum of 6 mcg/kg/min": a maximum rate
        return StatedMaximum(per_time, False, None, unplaced=cumulative)
    daily = per == "daily" or _PER_DAY.match(text, found.end) is not None
    per_period = {"weekly": "wk", "monthly": "mo"}.get(per)
    # a cumulative maximum per day ("a maximum cumulative dose of Q/day") is a daily one
    unplaced = (cumulative and not daily) or _RATE_SUBJECT.search(before) is not None
    return StatedMaximum(found, daily, per_period, unplaced)


def alternative_maximum(text: str, previous: StatedMaximum, found: FoundQuantity) -> StatedMaximum:
    """The maximum offered as an alternative to `previous` ("30 mg every 8 hours or 120
    mg/day"): per day when its own words say so, else of the same kind as `previous`."""
    daily = previous.daily or _PER_DAY.match(text, found.end) is not None
    return replace(previous, found=found, daily=daily)
