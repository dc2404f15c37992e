"""Timing of a dose: how often it is given, read from a dosing clause or sentence.

Rule: ``once|twice|N times a|per day|week…``, a range of them (``once or
twice daily``, ``twice or three times daily``, ``three to four times a day``,
``1-2 times daily``: frequency and `frequency_max`), ``once daily|weekly``, ``every
(N (to M)) minutes|hours|days|weeks|months`` (``every 5 minutes``: a repeat
interval; never "every minute", and "over 10 minutes" is a duration), ``every other day``, the Latin
abbreviations ``BID|TID|QID`` (2, 3, 4 times a day, dotted or not), ``N weeks
later|apart`` (the gap between units), a bare ``daily|weekly`` not followed by
"dose" (nor after "times": "several times daily" gives no number); the first
of these in the span is the timing. Two numbers of times a day offered as
alternatives (``BID or TID``, ``once daily (OD) or twice daily``) are a range;
lower-case ``bid|tid|qid`` only right after a dose amount (``100 mg qid``);
``OD``/``QD`` is once a day only right after a dose (``8 mg OD``) or before
another daily frequency (``OD or BID``), never after drops (the right eye).
How often the dose is changed is no timing: one
followed by "intervals"/"increments" (``at weekly intervals``) or right after a
verb of change (``increased every 3 days``, ``adjusted gradually (every 2
weeks)``). "as needed" right after it sets `as_needed`. A frequency stated as
a limit (``no more than twice daily``,
``the maximum frequency is three times a week``, ``less than once a day``,
``not more often than every 4 hours``, ``maximum one dose every 15
minutes``) is a ceiling, not the schedule: no
timing. Used by `medkg.extract.regimen`; nothing here knows a drug.
"""

from __future__ import annotations

import re
from decimal import Decimal

from medkg.model import Document, Timing
from medkg.quantities import NUMBER_WORDS, TIME_UNITS, to_decimal
from medkg.text import Span, evidence

# Spelled-out numbers as a regex alternation, longest first; also counts units of a dose.
NUMBER_WORD = "|".join(
    sorted(
        (
            w
            for w in NUMBER_WORDS
            if w not in ("a", "an", "once", "twice", "thrice", "both", "single")
        ),
        key=len,
        reverse=True,
    )
)
_NUM = rf"(?:\d+(?:\.\d+)?|{NUMBER_WORD})"
_INT = rf"(?:\d+|{NUMBER_WORD})"
_TIME_UNIT = r"hours?|days?|weeks?|months?|years?"

# Timing: each pattern's groups are read by `_timing_from`.
_TIMINGS = (
    re.compile(
        rf"\b(?P<lo>once|twice|thrice|{_INT})\s*(?:or|to|-|–)\s*(?P<hi>twice|thrice|{_INT})(?:\s+times)?\s+"
        r"(?:(?:a|an|per|each|every)\s+(?P<unit>day|week|month)\b|"
        r"(?P<adverb>daily|weekly|monthly)\b)",
        re.I,
    ),
    re.compile(
        rf"\b(?P<n>once|twice|thrice|(?P<k>{_INT})\s+times)\s+(?:a|an|per|each|every)\s+"
        rf"(?P<unit>hour|day|week|month|year)\b",
        re.I,
    ),
    re.compile(
        rf"\b(?P<n>once|twice|thrice|(?P<k>{_INT})\s+times)\s+"
        r"(?P<adverb>hourly|daily|weekly|monthly|yearly|annually)\b",
        re.I,
    ),
    re.compile(r"\bevery\s+other\s+(?P<other>day|week|month)\b", re.I),
    re.compile(
        rf"\b(?:every|each)\s+(?:(?P<p>{_NUM})(?:\s*(?:to|-|–)\s*(?P<pmax>{_NUM}))?\s+)?"
        rf"(?P<unit>{_TIME_UNIT})\b",
        re.I,
    ),
    re.compile(
        r"\bevery\s+(?P<p>\d+(?:\.\d+)?)(?:\s*(?:to|-|–)\s*(?P<pmax>\d+(?:\.\d+)?))?\s*"
        r"(?P<unit>minutes?|mins?)\b",
        re.I,
    ),
    re.compile(rf"\b(?P<p>{_NUM})\s+(?P<unit>{_TIME_UNIT})\s+(?:later|apart)\b", re.I),
    # upper case or dotted only: lower-case "bid" is an English word
    re.compile(r"\b(?P<latin>BID|TID|QID|[bBtTqQ]\.[iI]\.[dD]\b\.?)(?!\w)"),
    # "OD" / "QD" (once a day): only right after a dose or before another daily frequency
    # (`_plausible`); alone, "OD" is as often the right eye
    re.compile(r"\b(?P<latin>OD|QD)\b"),
    # lower-case "bid" / "tid" / "qid": only right after a dose amount (`_plausible`)
    re.compile(r"\b(?P<latin>bid|tid|qid)\b"),
    re.compile(
        r"(?<!total\s)(?<!maximum\s)(?<!times\s)"  # "several times daily" says no number
        r"\b(?P<adverb>daily|weekly|monthly|yearly|annually|nightly)\b"
        r"(?!\s+(?:dose|doses|total|maximum|limit))",
        re.I,
    ),
)
_ADVERB_UNITS = {
    "hourly": "h",
    "daily": "d",
    "nightly": "d",
    "weekly": "wk",
    "monthly": "mo",
    "yearly": "a",
    "annually": "a",
}
# (quaque / omni) die, bis / ter / quater in die: 1, 2, 3, 4 times a day
_LATIN = {"od": 1, "qd": 1, "bid": 2, "tid": 3, "qid": 4}
# between two frequencies offered as alternatives: "BID or TID", "once daily (OD) or twice daily"
_OR_ANOTHER = re.compile(
    r"\s*(?:\(\s*[A-Za-z.]{2,8}\s*\))?\s*,?\s*(?:or|to)\s+(?:either\s+)?", re.I
)
_AS_NEEDED = re.compile(
    r"\s*,?\s*(?:as|when|if)\s+(?:needed|required|necessary)\b|\s*\bPRN\b", re.I
)
# plain words (no digits, no punctuation) or a short bracketed aside ("(IV)", "(maximum
# 180 mg)", "(approximately a 3 cm strip)") between a dose and its frequency
_WORDS_BEFORE_TIMING = re.compile(r"(?:\s+[A-Za-z-]+|\s*\([^()]{1,40}\)){1,6}")
_WORD = re.compile(r"\s+[A-Za-z-]+|\s*\([^()]{1,40}\)")


# "no more than", "the maximum frequency is", "less than": the frequency after is a ceiling
_LIMIT_BEFORE = re.compile(
    r"(?:\bmaximum\s+frequency(?:\s+(?:is|of))?|\bmax(?:imum)?\s+(?:of\s+)?(?:one|1|a\s+single)\s+dose|\b(?:no|not|never)\s+more\s+"
    r"(?:often\s+|frequently\s+)?than|\bless\s+(?:often\s+|frequently\s+)?than|\bat\s+most)"
    r"\s*:?\s*$",
    re.I,
)


def find_timing(
    document: Document, section: str, start: int, end: int
) -> tuple[Timing, Span] | None:
    """The first frequency stated in text[start:end], and the span it was read from."""
    text = document.text
    found = sorted(_matches(text, start, end), key=lambda m: (m.start(), -m.end()))
    best = next((m for m in found if not _titration_interval(text, m, start)), None)
    if best is None or _LIMIT_BEFORE.search(text, max(start, best.start() - 40), best.start()):
        return None
    frequency, period, unit, period_max = _timing_from(best)
    frequency_max = _count(best.group("hi")) if best.groupdict().get("hi") else None
    if frequency_max is not None and frequency_max <= frequency:
        return None  # "2 or 1 times": not a range
    stop = best.end()
    daily = period == 1 and unit == "d" and frequency_max is None
    other = _alternative(text, stop, end) if daily else None
    if other is not None and other[0] != frequency:
        frequency, frequency_max = min(frequency, other[0]), max(frequency, other[0])
        stop = other[1]
    as_needed = _AS_NEEDED.match(text, stop, end)
    if as_needed:
        stop = as_needed.end()
    timing = Timing(
        frequency=frequency,
        period=period,
        period_unit=unit,
        evidence=evidence(document, section, best.start(), stop),
        as_needed=as_needed is not None,
        period_max=period_max,
        frequency_max=frequency_max,
    )
    return timing, (best.start(), stop)


# "at weekly intervals", "in weekly increments": how often the dose is changed (a timing
# after a step's size, "by 5 mg every week", is passed over by `DosageReader.timing`)
_INTERVAL_AFTER = re.compile(r"\s*(?:intervals?|increments?|steps?)\b", re.I)
# "increased every 3 days", "adjusted gradually (every 2-4 weeks)", "in 5 mg increments
# every 2 weeks": the timing of a titration step
_CHANGE_BEFORE = re.compile(
    r"(?:\b(?:increas|decreas|reduc|adjust|titrat|rais|escalat|taper)\w*"
    r"(?:\s+(?:gradually|slowly|carefully|upwards?|downwards?|further|again))*"
    r"|\bincrements?|\bsteps?)\s*,?\s*\(?\s*$",
    re.I,
)


def _titration_interval(text: str, match: re.Match[str], start: int) -> bool:
    """Is the timing how often the dose is changed rather than how often it is given?"""
    if _INTERVAL_AFTER.match(text, match.end()):
        return True
    return _CHANGE_BEFORE.search(text, max(start, match.start() - 60), match.start()) is not None


def _alternative(text: str, position: int, end: int) -> tuple[int, int] | None:
    """A second number of times a day offered right after a first ("BID or TID", "twice
    daily (BID) or three times daily"): how many times, and where it ends."""
    joiner = _OR_ANOTHER.match(text, position, end)
    if joiner is None:
        return None
    for pattern in _TIMINGS:
        match = pattern.match(text, joiner.end(), end)
        if match is None or match.groupdict().get("lo") or not _plausible(text, match):
            continue
        frequency, period, unit, period_max = _timing_from(match)
        if period == 1 and unit == "d" and period_max is None:
            return frequency, match.end()
    return None


# "OD" / "QD" as once a day: right after a dose amount or form, or before another daily
# frequency ("OD or BID"); never after drops or an eye ("1 drop OD" is the right eye)
_DOSE_BEFORE_OD = re.compile(
    r"(?:\d\s*(?:mg|mcg|µg|μg|ug|g|mL|ml|IU|units?)|\b(?:tablets?|capsules?))\s*$", re.I
)
_DAILY_AFTER_OD = re.compile(r"\s+or\s+(?:BID|TID|QID|once|twice|thrice|\w+\s+times)\b")


def _plausible(text: str, match: re.Match[str]) -> bool:
    """Is the match a frequency here? "OD"/"QD" only next to a dose or a daily frequency,
    lower-case "bid"/"tid"/"qid" only right after a dose."""
    latin = match.groupdict().get("latin") or ""
    if latin in ("bid", "tid", "qid"):  # lower case: "in a bid to help" is no frequency
        return bool(_DOSE_BEFORE_OD.search(text, max(0, match.start() - 20), match.start()))
    if latin.upper() not in ("OD", "QD"):
        return True
    return bool(
        _DOSE_BEFORE_OD.search(text, max(0, match.start() - 20), match.start())
        or _DAILY_AFTER_OD.match(text, match.end())
    )


def _matches(text: str, start: int, end: int) -> list[re.Match[str]]:
    """Every frequency stated in text[start:end], by any pattern."""
    return [
        m for pattern in _TIMINGS for m in pattern.finditer(text, start, end) if _plausible(text, m)
    ]


def states_timing(text: str, start: int, end: int) -> bool:
    """Does text[start:end] state a frequency anywhere?"""
    return bool(_matches(text, start, end))


def timing_start(text: str, start: int, end: int) -> int | None:
    """Where the first frequency stated in text[start:end] begins, if any."""
    found = [m.start() for m in _matches(text, start, end)]
    return min(found) if found else None


def timing_follows(text: str, position: int, end: int) -> bool:
    """Does a frequency follow within a few plain words ("5 mg is given once yearly")?"""
    gap = _WORDS_BEFORE_TIMING.match(text, position, end)
    starts = [position] + (
        [] if gap is None else [m.end() for m in _WORD.finditer(text, position, gap.end())]
    )
    for start in starts:
        offset = start + len(text[start:end]) - len(text[start:end].lstrip())
        if any((m := p.match(text, offset, end)) and _plausible(text, m) for p in _TIMINGS):
            return True
    return False


def _count(word: str) -> int:
    """ "once" -> 1, "twice" -> 2, "three" -> 3, "4" -> 4."""
    return {"once": 1, "twice": 2, "thrice": 3}.get(word.lower()) or int(to_decimal(word))


def _timing_from(match: re.Match[str]) -> tuple[int, Decimal, str, Decimal | None]:
    """(frequency, period, UCUM unit, period_max) of a timing match (a range of
    frequencies gives its low end; `_frequency_max` its high end)."""
    groups = match.groupdict()
    if groups.get("lo"):
        unit = groups.get("adverb") or groups["unit"]
        return _count(groups["lo"]), Decimal(1), TIME_UNITS[unit.lower()], None
    if groups.get("latin"):
        return _LATIN[groups["latin"].lower().replace(".", "")], Decimal(1), "d", None
    if groups.get("other"):
        return 1, Decimal(2), TIME_UNITS[groups["other"].lower()], None
    if groups.get("n"):
        n = groups["n"].lower()
        frequency = {"once": 1, "twice": 2, "thrice": 3}.get(n) or int(to_decimal(groups["k"]))
        if groups.get("adverb"):
            return frequency, Decimal(1), _ADVERB_UNITS[groups["adverb"].lower()], None
        return frequency, Decimal(1), TIME_UNITS[groups["unit"].lower()], None
    if groups.get("adverb"):
        return 1, Decimal(1), _ADVERB_UNITS[groups["adverb"].lower()], None
    period = to_decimal(groups["p"]) if groups.get("p") else Decimal(1)
    period_max = to_decimal(groups["pmax"]) if groups.get("pmax") else None
    return 1, period, TIME_UNITS[groups["unit"].lower()], period_max
