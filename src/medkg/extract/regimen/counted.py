"""Counted dosage forms: ``1 to 2 tablets``, ``two inhalations``, ``one suppository``.

Rule: a number or number word (or a range of them: ``1 to 2``, ``2-3``)
right before a countable form (tablet, capsule, puff, inhalation, drop,
sachet, suppository, lozenge, spray) is a dose counted in that form: a
``{tablet}`` quantity. A count left open above ("one tablet to several
tablets", "two capsules or more") states no dose. A count per day
(``6 capsules per day``, ``2-4 tablets daily in divided doses``) is a daily
total, like any amount per day (`medkg.extract.regimen.totals`), except one
unit a day (one dose a day). Used by
`medkg.extract.regimen.dose`; nothing here knows a drug.
"""

from __future__ import annotations

import re

from medkg.extract.regimen.timing import NUMBER_WORD
from medkg.quantities import FoundQuantity, to_decimal
from medkg.text import singular

_COUNTABLE_FORM = (
    r"tablets?|capsules?|puffs?|inhalations?|drops?|sachets?|suppositor(?:y|ies)|lozenges?|sprays?"
)

_COUNTED_FORM = re.compile(
    rf"\b(?P<low>\d+|{NUMBER_WORD})(?:\s*(?:to|or|-|–)\s*(?P<high>\d+|{NUMBER_WORD}))?\s+"
    rf"(?P<form>{_COUNTABLE_FORM})\b",
    re.I,
)


# "one tablet to several tablets", "2 capsules or more": a count with no upper end
_OPEN_ENDED = re.compile(
    rf"\s+(?:to|or)\s+(?:several|a\s+few|more|multiple|many)\b(?:\s+(?:{_COUNTABLE_FORM})\b)?",
    re.I,
)


def counted_forms(text: str, start: int, end: int) -> list[tuple[FoundQuantity, str]]:
    """ "1 to 2 tablets" -> a {tablet} quantity and the form word."""
    counted: list[tuple[FoundQuantity, str]] = []
    for match in _COUNTED_FORM.finditer(text, start, end):
        if _OPEN_ENDED.match(text, match.end(), end):
            continue  # "one tablet to several tablets": no number states the dose
        form = singular(match.group("form").lower())
        low = to_decimal(match.group("low"))
        high = to_decimal(match.group("high")) if match.group("high") else None
        counted.append(
            (
                FoundQuantity(
                    match.start(),
                    match.end(),
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
