"""One dosing clause that states several doses, cut into one stretch per dose.

Rule: a clause may chain doses ("starts at 4 mg three times a day, adjusting
to 8 mg daily", "12 mg, followed by 2 mg every 2 hours, or 4 mg every 6
hours"). Each dose quantity (not a maximum, a titration step or a unit form)
starts its own stretch; the cut between two doses is the first separator
(a comma, semicolon, "or", "and", "then", "followed by") after the earlier
dose and the timing right after it, else the later dose itself. So each dose
keeps the frequency written next to it and never borrows its neighbour's.
Used by `medkg.extract.regimen`; nothing here knows a drug.
"""

from __future__ import annotations

import itertools
import re

from medkg.extract.regimen.timing import find_timing
from medkg.model import Document
from medkg.text import Span, trim

_SEPARATOR = re.compile(r"[,;]|\b(?:or|and|then|followed\s+by)\b", re.I)


def dose_segments(document: Document, section: str, clause: Span, doses: list[Span]) -> list[Span]:
    """The clause cut into one stretch per dose (the clause itself for one dose or none)."""
    if len(doses) < 2:
        return [clause]
    text = document.text
    cuts: list[int] = []
    for (_, earlier_end), (later_start, _) in itertools.pairwise(doses):
        position = earlier_end
        timing = find_timing(document, section, earlier_end, later_start)
        if timing is not None and not text[earlier_end : timing[1][0]].strip(" \t"):
            position = timing[1][1]
        separator = _SEPARATOR.search(text, position, later_start)
        cuts.append(separator.start() if separator else later_start)
    bounds = [clause[0], *cuts, clause[1]]
    segments = [trim(text, s, e, " \t\n,;") for s, e in itertools.pairwise(bounds)]
    return [_after_joiner(text, s) for s in segments if s[0] < s[1]]


_JOINER = re.compile(r"(?:or|and|then|followed\s+by)\b[\s,]*", re.I)


def _after_joiner(text: str, segment: Span) -> Span:
    """A stretch without the joining word it starts with ("or 4 mg …" -> "4 mg …")."""
    match = _JOINER.match(text, *segment)
    return (match.end(), segment[1]) if match and match.end() < segment[1] else segment
