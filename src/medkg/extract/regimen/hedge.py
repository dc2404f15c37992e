"""Hedged doses: a dose stated as a possibility or an illustration is no fact.

Rules:

* a hedge word ("might", "could", "perhaps", "possibly", "hypothetical",
  "illustrative", "may be considered") before a dose in its stretch of the
  sentence, or in the label of its block, hedges it ("a typical dose might be
  5 mg", "**Example (hypothetical):**");
* a sentence that hedges lends no regimen its frequency;
* "might", "could", "may be considered" after the dose, in the same clause,
  hedge it too: the dose is the subject of a possibility ("a lower dose of 5
  mg might be used", "5 mg daily may be considered"); so does a denial ("150
  mg twice daily is not recommended"). The clause ends at a semicolon or
  colon, at a conjunction that opens another clause (", but", ", and",
  ", while", "which", "if", "then", "followed by" …), at a full stop before a
  capital, or inside a bracket opened after the dose; a bracket that closes
  again ("5 mg (at bedtime) might be used") is read through.

Used by `medkg.extract.regimen`; nothing here knows a drug.
"""

from __future__ import annotations

import re

_CONSIDERED = r"(?:may|can)\s+(?:also\s+)?(?:be\s+considered|consider)"
_HEDGE = re.compile(
    rf"\b(?:might|could|perhaps|possibly|hypothetical(?:ly)?|illustrative|{_CONSIDERED})\b", re.I
)
# after the dose: a possibility, or a denial ("150 mg twice daily is not recommended")
_AFTER = re.compile(
    rf"\b(?:might|could|{_CONSIDERED}|not\s+(?:\w+\s+)?(?:recommended|advised))\b", re.I
)
# where the dose's clause ends: another clause starts, so its modal says nothing of the dose
_CLAUSE_END = re.compile(
    r"[;:]|\.\s+(?=[A-Z])|,\s*(?:but|and|or|so|yet|however)\b|\b(?:while|whereas|though|although|which|who|"
    r"that|because|since|unless|if|when|whereby|then|followed\s+by)\b",
    re.I,
)


def hedged(text: str, start: int, end: int) -> bool:
    """Does text[start:end] hedge ("a typical dose might be 5 mg", "Example (hypothetical)")?
    A hedged dose states no fact."""
    return _HEDGE.search(text, start, end) is not None


def hedged_after(text: str, dose_end: int, end: int) -> bool:
    """Is the dose ending at `dose_end` the subject of a "might" / "could" / "may be
    considered" / "is not recommended" later in its clause (up to `end`)?"""
    clause_end = _CLAUSE_END.search(text, dose_end, end)
    stop = clause_end.start() if clause_end else end
    depth = 0
    for match in re.finditer(rf"[()]|{_AFTER.pattern}", text[dose_end:stop], re.I):
        token = match.group()
        if token == "(":
            depth += 1
        elif token == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            return True
    return False
