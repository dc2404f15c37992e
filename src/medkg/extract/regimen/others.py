"""Doses of other products stated in a dosing clause: not this drug's.

Rules: a quantity inside a bracket after "with <something>" ("in combination
with oral X (250 mg …)", "with premedication (X 15 mg/kg orally)") is the
dose of what is given alongside, and so is a route word there, unless the
bracket follows a dose word and opens with the amount ("begins with a low dose
(0.25 mg three times daily)": this drug's own dose); a quantity
right after "with|plus <name>" where the name is not a word of this drug's
name, nor a common word (article, number, "food", "water", "each" …), is the
dose of another product ("given with X 100 mg twice daily"). Used by
`medkg.extract.regimen.dose`; nothing here knows a drug.
"""

from __future__ import annotations

import re

from medkg.extract.regimen.timing import NUMBER_WORD

# "in combination with oral X (250 mg …)", "with prednisone (5 mg …)": the bracket holds
# the dose of what is given alongside.
_WITH_BEFORE_BRACKET = re.compile(r"\bwith\s+(?:[\w-]+\s+){0,4}?[\w-]+\s*$", re.I)
_OWN_DOSE = re.compile(r"\b(?:doses?|dosages?|regimens?)\s*$", re.I)
_OPENS_WITH_AMOUNT = re.compile(r"\s*(?:(?:e\.g\.|i\.e\.|eg|ie)\s*,?\s*)?\d", re.I)


def alongside(text: str, start: int, at: int) -> bool:
    """Is the quantity at `at` inside a bracket after "with <something>", the dose of
    another product given alongside?"""
    opened = text.rfind("(", start, at)
    if opened < 0 or text.find(")", opened, at) >= 0:
        return False
    match = _WITH_BEFORE_BRACKET.search(text, max(start, opened - 60), opened)
    # "begins with a low dose (0.25 mg …)": a bracket opening with the amount states this
    # drug's own dose
    own = _OWN_DOSE.search(match.group()) if match is not None else None
    return match is not None and not (own and _OPENS_WITH_AMOUNT.match(text, opened + 1, at + 1))


# "given with ritonavir 100 mg twice daily": the dose of another product named right before it
_WITH_NAME = re.compile(r"\b(?:with|plus)\s+(?P<name>[A-Za-z][\w-]*)\s+$", re.I)
_NOT_A_NAME = frozenset(
    {"a", "an", "the", "about", "approximately", "around", "roughly", "up", "only", "just"}
    | {"at", "least", "doses", "dose", "food", "water", "meals", "meal", "milk", "juice"}
    | {"each", "every", "both", "this", "that", "these", "your", "its", "their", "his", "her"}
    | {"another", "additional", "extra", "half", "single", "higher", "lower", "initial"}
    | {"starting", "maintenance", "loading", "usual", "daily", "weekly", "total", "further"}
)


def of_another(text: str, start: int, at: int, drug: str) -> bool:
    """Is the quantity at `at` stated right after "with <name>" naming another product
    (a word that is not part of this drug's name)?"""
    match = _WITH_NAME.search(text, max(start, at - 60), at)
    if match is None:
        return False
    name = match.group("name").lower()
    if name in _NOT_A_NAME or re.fullmatch(NUMBER_WORD, name, re.I):
        return False
    return name not in {word.lower() for word in re.findall(r"[A-Za-z][\w-]*", drug)}
