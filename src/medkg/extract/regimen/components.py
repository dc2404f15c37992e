"""Combination strengths in one dose: ``62.5 mcg/25 mcg``, ``X 300 mg/Y 100 mg``.

Rule: two single quantities of the same kind of unit joined by ``/`` or
``+`` — each optionally after a substance name (``Alphamab 62.5 mcg/Betamab
25 mcg``) — state the doses of a combination product's components given
together. The later one is read as the clause's dose (it is the one followed
by the timing or the unit form: ``one 200 mg/25 mg tablet once daily``); the
earlier one is its *companion*: a second regimen, alike in every other part,
states it. Only a combination product's pairs (or a pair naming a substance
before its later quantity) are read so: for a single drug "240 mg/480 mg"
are alternatives. Likewise ``Q1 of <substance> (radio)labelled with Q2`` where
Q2 is a radioactivity (mCi, MBq): the mass is the dose, the activity its
companion (one administration, two amounts). A range of pairs (``250 mg/125
mg to 875 mg/125 mg``) is not read: which end belongs to which component is
not one reading, so the clause is ambiguous. Used by
`medkg.extract.regimen.dose`; nothing here knows a drug.
"""

from __future__ import annotations

import itertools
import re

from medkg.quantities import FoundQuantity

_JOIN = re.compile(r"\s*(?:/|\+)\s*(?:[A-Za-z][\w-]*\s+)?")
_RANGE_WORD = re.compile(r"\s*(?:to|-|–|—)\s*\d")
_RANGE_BEFORE = re.compile(r"(?:\bto|-|–|—)\s*$")
_SEVERAL = re.compile(r"\+|/|\b(?:and|with)\b", re.I)
_NAMED = re.compile(r"[A-Za-z][\w-]*")
# "0.5 mg of <antibody> radiolabeled with 5 mCi (of <isotope>)": one administration's mass
# and radioactivity
_LABELLED = re.compile(r"\s+of\s+(?:[\w-]+\s+){1,4}?(?:radio)?label(?:l)?ed\s+with\s+", re.I)
_ACTIVITY = re.compile(r"[mukMG]?(?:Ci|Bq)")


def _unit_kind(unit: str) -> str:
    """The unit's dimension class: mass units pair with mass units, and so on."""
    base = unit.split("/")[0]
    if base in ("g", "mg", "ug", "ng", "kg"):
        return "mass"
    return base


def _joined(text: str, earlier: FoundQuantity, later: FoundQuantity) -> bool:
    """Are the two quantities written as one strength pair ("62.5 mcg/25 mcg")?"""
    if earlier.per_kg or later.per_kg or "/" in earlier.unit:
        return False
    if _unit_kind(earlier.unit) != _unit_kind(later.unit):
        return False
    return _JOIN.fullmatch(text, earlier.end, later.start) is not None


def _in_range(text: str, earlier: FoundQuantity, later: FoundQuantity) -> bool:
    return bool(
        earlier.value is None
        or later.value is None
        or _RANGE_WORD.match(text, later.end)
        or _RANGE_BEFORE.search(text, max(0, earlier.start - 4), earlier.start)
    )


def range_of_pairs(text: str, found: list[FoundQuantity]) -> bool:
    """Does the clause state a range of strength pairs ("250 mg/125 mg to 875 mg/125 mg")?
    Which component each end belongs to is not one reading: the clause is ambiguous."""
    return any(
        _joined(text, earlier, later) and _in_range(text, earlier, later)
        for earlier, later in itertools.pairwise(found)
    )


def combination(drug: str) -> bool:
    """Does the product's name join several substances ("A + B", "A/B", "A and B")?"""
    return _SEVERAL.search(drug) is not None


def companions(text: str, found: list[FoundQuantity], drug: str) -> dict[int, FoundQuantity]:
    """For the index of the quantity read as the dose, its companion: the earlier
    quantity of a strength pair, or the activity a mass is labelled with.

    Only for a combination product (`drug` names several substances) or a pair that
    names a substance before its later quantity: for a single drug, "240 mg/480 mg"
    are alternatives, not components.
    """
    pairs: dict[int, FoundQuantity] = {}
    several = combination(drug)
    for index, (earlier, later) in enumerate(itertools.pairwise(found), start=1):
        if _LABELLED.fullmatch(text, earlier.end, later.start) and _ACTIVITY.fullmatch(later.unit):
            pairs[index - 1] = later  # the mass is read as the dose, its activity goes with it
            continue
        if not _joined(text, earlier, later) or _in_range(text, earlier, later):
            continue
        if not several and not _NAMED.search(text, earlier.end, later.start):
            continue
        if index - 1 in pairs:  # the earlier one already closes a pair: a list, not a pair
            continue
        pairs[index] = earlier
    return pairs
