"""Numbers, units and time periods as written in drug documents, normalised to UCUM.

`UNITS` maps the spellings documents use to UCUM codes; `find_quantities`
finds every "<number> <unit>" (or "<n> to <m> <unit>") in a span and keeps
its offsets; a denominator "/kg", "per kilogram (of body weight)", "/m²" or
"per square metre (of body surface area)" makes it per kg or per m².
Unknown units are not guessed: no Quantity is made for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

# spelling (lower case) -> UCUM code
UNITS: dict[str, str] = {
    "mg": "mg",
    "milligram": "mg",
    "milligrams": "mg",
    "g": "g",
    "gram": "g",
    "grams": "g",
    "mcg": "ug",
    "µg": "ug",
    "μg": "ug",
    "ug": "ug",
    "microgram": "ug",
    "micrograms": "ug",
    "ng": "ng",
    "ml": "mL",
    "mL": "mL",
    "milliliter": "mL",
    "milliliters": "mL",
    "millilitre": "mL",
    "millilitres": "mL",
    "cc": "mL",
    "l": "L",
    "unit": "[U]",
    "units": "[U]",
    "iu": "[iU]",
    "international units": "[iU]",
    "meq": "meq",
    "mmol": "mmol",
    # radioactivity (radiopharmaceuticals), exact case
    "mCi": "mCi",
    "µCi": "uCi",
    "μCi": "uCi",
    "uCi": "uCi",
    "MBq": "MBq",
    "GBq": "GBq",
    "kBq": "kBq",
}

# UCUM units of time -> the word people read ("12 months", "every 2 weeks")
TIME_WORDS: dict[str, str] = {
    "s": "second",
    "min": "minute",
    "h": "hour",
    "d": "day",
    "wk": "week",
    "mo": "month",
    "a": "year",
}

# time words -> UCUM
TIME_UNITS: dict[str, str] = {
    "second": "s",
    "seconds": "s",
    "minute": "min",
    "minutes": "min",
    "min": "min",
    "mins": "min",
    "hour": "h",
    "hours": "h",
    "hr": "h",
    "hrs": "h",
    "day": "d",
    "days": "d",
    "daily": "d",
    "week": "wk",
    "weeks": "wk",
    "weekly": "wk",
    "month": "mo",
    "months": "mo",
    "monthly": "mo",
    "year": "a",
    "years": "a",
    "yearly": "a",
    "annually": "a",
}

NUMBER_WORDS: dict[str, int] = {
    "a": 1,
    "an": 1,
    "one": 1,
    "once": 1,
    "single": 1,
    "two": 2,
    "twice": 2,
    "both": 2,
    "three": 3,
    "thrice": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}

NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_DOSE_UNIT = (
    r"(?:international\s+units|micrograms?|milligrams?|millilit(?:er|re)s?|grams?|"
    r"mcg|µg|μg|ug|mg|ng|mL|ml|cc|g|IU|iu|mEq|meq|mmol|units?|mCi|µCi|μCi|uCi|MBq|GBq|kBq)"
)
# "per kg", "/m²", "per kilogram of body weight", "per square metre of body surface area"
_PER = (
    r"(?:\s*/\s*|\s+per\s+)(?P<per>kg|kilograms?|m2|m²|square\s+met(?:er|re)s?)\b"
    r"(?:\s+(?:of\s+)?body\s+(?:weight|surface\s+area)\b)?"
)

QUANTITY = re.compile(
    rf"(?<![\w.])(?P<low>{NUMBER})(?:\s*(?:to|-|–|—)\s*(?P<high>{NUMBER}))?\s*"
    rf"(?P<unit>{_DOSE_UNIT})\b(?:{_PER})?",
)
DURATION = re.compile(
    rf"(?<!\w)(?P<low>{NUMBER}|{'|'.join(sorted(NUMBER_WORDS, key=len, reverse=True))})"
    rf"(?:\s*(?:to|-|–|—)\s*(?P<high>{NUMBER}))?[\s-]*"
    rf"(?P<unit>seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\b",
    re.IGNORECASE,
)


def to_decimal(number: str) -> Decimal:
    """'1,000' -> Decimal('1000'); 'two' -> Decimal(2)."""
    word = number.lower()
    if word in NUMBER_WORDS:
        return Decimal(NUMBER_WORDS[word])
    return Decimal(number.replace(",", ""))


def _per_kg(per: str | None) -> bool:
    """Is the denominator body weight ("kg", "kilogram") rather than body surface?"""
    return per is not None and per.lower().startswith("k")


def ucum_unit(unit: str, per: str | None = None) -> str | None:
    """UCUM code for a dose unit spelling, with an optional per-kg / per-m² denominator."""
    code = UNITS.get(unit) or UNITS.get(unit.lower())
    if code is None:
        return None
    if per:
        code += "/" + ("kg" if _per_kg(per) else "m2")
    return code


@dataclass(frozen=True)
class FoundQuantity:
    start: int
    end: int
    unit: str  # UCUM
    value: Decimal | None
    low: Decimal | None
    high: Decimal | None
    per_kg: bool


def find_quantities(text: str, start: int = 0, end: int | None = None) -> list[FoundQuantity]:
    """Every dose-like quantity in text[start:end], with absolute offsets."""
    end = len(text) if end is None else end
    found: list[FoundQuantity] = []
    for match in QUANTITY.finditer(text, start, end):
        unit = ucum_unit(match["unit"], match["per"])
        if unit is None:
            continue
        low = to_decimal(match["low"])
        high = to_decimal(match["high"]) if match["high"] else None
        found.append(
            FoundQuantity(
                start=match.start(),
                end=match.end(),
                unit=unit,
                value=None if high is not None else low,
                low=low if high is not None else None,
                high=high,
                per_kg=_per_kg(match["per"]),
            )
        )
    return found


def find_durations(text: str, start: int = 0, end: int | None = None) -> list[FoundQuantity]:
    """Every time span ("12 months", "30 minutes", "2 to 4 hours") in text[start:end]."""
    end = len(text) if end is None else end
    found: list[FoundQuantity] = []
    for match in DURATION.finditer(text, start, end):
        low = to_decimal(match["low"])
        high = to_decimal(match["high"]) if match["high"] else None
        found.append(
            FoundQuantity(
                start=match.start(),
                end=match.end(),
                unit=TIME_UNITS[match["unit"].lower()],
                value=None if high is not None else low,
                low=low if high is not None else None,
                high=high,
                per_kg=False,
            )
        )
    return found
