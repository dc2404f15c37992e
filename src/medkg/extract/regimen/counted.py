"""Counted dosage forms: ``1 to 2 tablets``, ``two inhalations``, ``one suppository``.

Rule: a number or number word (or a range of them: ``1 to 2``, ``2-3``)
right before a countable form (tablet, capsule, puff, inhalation, drop,
sachet, suppository, lozenge, spray) is a dose counted in that form: a
``{tablet}`` quantity. A count left open above ("one tablet to several
tablets", "two capsules or more") states no dose. A count per day
(``6 capsules per day``, ``2-4 tablets daily in divided doses``) is a daily
total, like any amount per day (`medkg.extract.regimen.totals`), except one
unit a day (one dose a day). A fraction counts a part of one unit
(``1/2 tablet``, ``½ tablet``, ``half a tablet``: 0.5 tablet), never the
denominator's number of units. A count in a bracket right after an amount
(``1 mg (1/2 tablet)``, ``2.88 mg (16 tablets)``) is that amount restated in
units: the amount is what the sentence states, the count no dose of its own
(`restated_in_units`). Used by `medkg.extract.regimen.dose`; nothing here
knows a drug.
"""

from __future__ import annotations

import re
from decimal import Decimal

from medkg.extract.regimen.timing import NUMBER_WORD
from medkg.quantities import FoundQuantity, to_decimal
from medkg.text import singular

_COUNTABLE_FORM = (
    r"tablets?|capsules?|puffs?|inhalations?|drops?|sachets?|suppositor(?:y|ies)|lozenges?|sprays?"
)

# a part of one unit: "1/2", "½", "half a"
_FRACTION = r"\d+\s*/\s*\d+|[½¼¾]|half\s+an?"
_COUNT = rf"(?<![\d/.,])(?:{_FRACTION}|\b(?:\d+(?:\.\d+)?|{NUMBER_WORD})\b)"

_COUNTED_FORM = re.compile(
    rf"(?P<low>{_COUNT})(?:\s*(?:to|or|-|–)\s*(?P<high>{_COUNT}))?\s+"
    rf"(?P<form>{_COUNTABLE_FORM})\b",
    re.I,
)

# "(1/2 tablet)", "(usually one tablet)", "(two 42 mg capsules)" right after an amount
_RESTATED = re.compile(
    rf"\s*\((?:\s*(?:usually|about|approximately|roughly|i\.e\.,?|=))?\s*{_COUNT}"
    rf"(?:\s*(?:to|or|-|–)\s*{_COUNT})?\s+"
    rf"(?:[\d.,]+\s*\w+\s+)?(?:{_COUNTABLE_FORM})\b[^()]*\)",
    re.I,
)

# "half a capsule to one capsule": the form written at both ends of a range
_SECOND_END = re.compile(
    rf"\s+(?:to|or)\s+(?P<high>{_COUNT})\s+(?P<form>{_COUNTABLE_FORM})\b", re.I
)

_PARTS = {"½": Decimal("0.5"), "¼": Decimal("0.25"), "¾": Decimal("0.75")}


def count_value(number: str) -> Decimal:
    """ "2" -> 2, "two" -> 2, "1/2" / "½" / "half a" -> 0.5."""
    word = " ".join(number.lower().split())
    if word in _PARTS:
        return _PARTS[word]
    if word.startswith("half"):
        return Decimal("0.5")
    if "/" in word:
        top, bottom = (to_decimal(x.strip()) for x in word.split("/"))
        return top / bottom
    return to_decimal(number)


def restated_in_units(text: str, position: int, end: int) -> tuple[int, int] | None:
    """Where a bracket right at `position` restates the amount before it as a count of
    units ("2.88 mg (16 tablets)"); None when none does."""
    match = _RESTATED.match(text, position, end)
    return None if match is None else match.span()


# "one tablet to several tablets", "2 capsules or more": a count with no upper end
_OPEN_ENDED = re.compile(
    rf"\s+(?:to|or)\s+(?:several|a\s+few|more|multiple|many)\b(?:\s+(?:{_COUNTABLE_FORM})\b)?",
    re.I,
)


def counted_forms(text: str, start: int, end: int) -> list[tuple[FoundQuantity, str]]:
    """ "1 to 2 tablets" -> a {tablet} quantity and the form word."""
    counted: list[tuple[FoundQuantity, str]] = []
    covered = start
    for match in _COUNTED_FORM.finditer(text, start, end):
        if match.start() < covered:
            continue  # the far end of a range read with its near end
        if _OPEN_ENDED.match(text, match.end(), end):
            continue  # "one tablet to several tablets": no number states the dose
        form = singular(match.group("form").lower())
        low = count_value(match.group("low"))
        high = count_value(match.group("high")) if match.group("high") else None
        stop = match.end()
        second = None if high is not None else _SECOND_END.match(text, stop, end)
        if (
            second is not None
            and singular(second.group("form").lower()) == form
            and count_value(second.group("high")) > low
        ):
            high, stop = count_value(second.group("high")), second.end()
        covered = stop
        counted.append(
            (
                FoundQuantity(
                    match.start(),
                    stop,
                    "{" + form + "}",
                    None if high is not None else low,
                    low if high is not None else None,
                    high,
                    False,
                ),
                form,
            )
        )
    return counted
