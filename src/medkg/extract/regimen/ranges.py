"""Ranges written as two quantities: ``200 mg to 400 mg``, ``35 mg/day to 200 mg/day``,
``5 mg to 10 mg per kilogram``, ``750 mg to 1.5 g``.

Rules: two quantities joined by "to" or a dash are one range when both ends
have the same unit, or when the first writes its denominator only at the
second ("5 mg to 10 mg per kilogram": both per kg), or when both are masses
of different size ("750 mg to 1.5 g": the low end is converted into the
unit of the high end, 0.75-1.5 g, and only when it is then below it).
``between A and B mg`` (or ``between A mg and B mg``) is the range A-B. A
per-day written at both ends ("35 mg/day to 200 mg/day") is passed over.
Used by `medkg.extract.regimen.dose`; nothing here knows a drug.
"""

from __future__ import annotations

import re
from decimal import Decimal

from medkg.extract.regimen.totals import daily_total
from medkg.quantities import FoundQuantity

_RANGE_JOIN = re.compile(r"\s*(?:to|-|–|—)\s*$")
_AND_JOIN = re.compile(r"\s+and\s+$", re.I)
_BETWEEN = re.compile(r"\bbetween\s+$", re.I)
# "between 200 and 600 mg": the low end written without its unit
_BARE_LOW = re.compile(r"\bbetween\s+(?P<low>\d+(?:[.,]\d+)?)\s+and\s+$", re.I)
_DAILY_GAP = re.compile(r"\s*/\s*day\b|\s+per\s+day\b", re.I)
# how many micrograms one unit of a mass holds
_MASS = {"ug": Decimal(1), "mg": Decimal(1000), "g": Decimal(1000000)}


def _low_in(last: FoundQuantity, item: FoundQuantity) -> Decimal | None:
    """The low end `last` in the unit of the high end `item`, when both are masses (with
    the same denominator) and the high end's unit is the larger one; else None."""
    low_unit, _, low_per = last.unit.partition("/")
    high_unit, _, high_per = item.unit.partition("/")
    if (
        low_per != high_per
        or last.value is None
        or low_unit not in _MASS
        or high_unit not in _MASS
        or _MASS[high_unit] <= _MASS[low_unit]
    ):
        return None
    low = (last.value * _MASS[low_unit] / _MASS[high_unit]).normalize()
    return low.quantize(Decimal(1)) if low == low.to_integral_value() else low


def join_ranges(text: str, found: list[FoundQuantity], end: int) -> list[FoundQuantity]:
    """The quantities of a clause, each range written as two quantities made one."""
    joined: list[FoundQuantity] = []
    for item in found:
        bare = _BARE_LOW.search(text, max(0, item.start - 40), item.start)
        if (
            bare is not None
            and item.value is not None
            and (not joined or joined[-1].end <= bare.start())
        ):
            bare_low = Decimal(bare.group("low").replace(",", ""))
            if bare_low < item.value:
                joined.append(
                    FoundQuantity(
                        bare.start("low"),
                        item.end,
                        item.unit,
                        None,
                        bare_low,
                        item.value,
                        item.per_kg,
                    )
                )
                continue
        if joined:
            last = joined[-1]
            gap = text[last.end : item.start]
            # "35 mg/m2/day to 200 mg/m2/day": both ends per day
            per_day = _DAILY_GAP.match(gap)
            if per_day and daily_total(text, item, end):
                gap = gap[per_day.end() :]
            # "5 mg to 10 mg per kilogram": the denominator written once, at the end
            shared_per = item.unit.startswith(last.unit + "/") and not last.per_kg
            low = last.value if (last.unit == item.unit or shared_per) else _low_in(last, item)
            if (
                low is not None
                and item.value is not None
                and low < item.value
                and (
                    (_RANGE_JOIN.fullmatch(gap) and len(gap) <= 5)
                    or (
                        _AND_JOIN.fullmatch(gap)
                        and _BETWEEN.search(text, max(0, last.start - 10), last.start) is not None
                    )
                )
            ):
                joined[-1] = FoundQuantity(
                    last.start, item.end, item.unit, None, low, item.value, item.per_kg
                )
                continue
        joined.append(item)
    return joined
