"""The Risks and Complications and the Alternatives of a code page.

- **Risks**: ``Common risks: a, b, c`` / ``Rare risks: …`` items (or a
  ``… risks include a, b`` sentence) are split at commas into one risk each
  with the band of the label (a ``such as …`` tail stays with its risk and
  gives its glosses; a trailing parenthetical is the risk's gloss, not part
  of its term); an unlabeled item is one risk, banded by a label line above
  it. An unlabeled sentence is kept as a statement.
- **Alternatives**: an item listing ``such as a, b or c`` gives each of a, b,
  c; an item that talks about the alternatives (has the word ``alternative``)
  is kept as a statement; any other item is one alternative.
"""

from __future__ import annotations

import re

from medkg.extract.code_page.units import Page, own_label, section_units, value_span
from medkg.model import Band, Mention, RiskFact
from medkg.text import Span, split_gloss, split_list

_RISK_BANDS: tuple[tuple[str, Band], ...] = (
    (r"very\s+common", Band.VERY_COMMON),
    (r"(?:un|less\s+)common", Band.UNCOMMON),
    (r"common|frequent", Band.COMMON),
    (r"very\s+rare", Band.VERY_RARE),
    (r"rare", Band.RARE),
)
_RISK_SENTENCE = re.compile(
    r"(?P<label>[A-Za-z ]{0,30}?(?:risks|side\s+effects|complications))\s+"
    r"(?:include|includes|are|may\s+include)\s+",
    re.IGNORECASE,
)
_EXAMPLES = re.compile(r"\s+(?:such\s+as|including|like|e\.g\.,?)\s+", re.IGNORECASE)
_ALTERNATIVE_WORD = re.compile(r"\balternatives?\b", re.IGNORECASE)


def _glosses(text: str, start: int, end: int) -> tuple[str, ...]:
    """Glosses of a term: a trailing parenthesis, or the examples after ``such as``."""
    examples = _EXAMPLES.search(text, start, end)
    if examples:
        return tuple(text[s:e] for s, e in split_list(text, examples.end(), end, split_or=True))
    return split_gloss(text, start, end).glosses


def _band(label: str) -> Band | None:
    for pattern, band in _RISK_BANDS:
        if re.match(pattern + r"\b", label, re.IGNORECASE):
            return band
    return None


def _risk_items(text: str, start: int, end: int) -> list[Span]:
    """Comma-split risks; a ``such as`` tail stays with the risk it belongs to."""
    parts = split_list(text, start, end)
    merged: list[Span] = []
    for s, e in parts:
        if merged and _EXAMPLES.search(text, *merged[-1]):
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def _risk_term(text: str, start: int, end: int) -> Span:
    """A risk's term: without a trailing parenthetical, which glosses it
    ("infusion reactions (itching, rash)"); a ``such as`` tail stays (it is
    read as examples when the term is linked)."""
    if _EXAMPLES.search(text, start, end):
        return start, end
    return split_gloss(text, start, end).term


def risk_facts(page: Page) -> tuple[RiskFact, ...]:
    text = page.text
    risks: list[RiskFact] = []
    for unit in section_units(page, "Risks and Complications"):
        unit_ev = page.evidence(unit.section, unit.start, unit.end)
        label = unit.block.label
        list_start: int | None = None
        sentence = _RISK_SENTENCE.match(text, unit.start, unit.end)
        if label and own_label(unit.block) and unit.start == unit.block.start:
            list_start = value_span(text, unit.block)[0]
        elif sentence:
            label = sentence.group("label")
            list_start = sentence.end()
        if list_start is None:
            if unit.block.kind != "item":
                continue  # an unlabeled sentence: kept as a statement
            band = _band(label) if label else None  # the label line above the item
            risk = page.mention(
                unit.section,
                *_risk_term(text, unit.start, unit.end),
                _glosses(text, unit.start, unit.end),
            )
            risks.append(
                RiskFact(
                    risk=risk, evidence=unit_ev, band=band, frequency_text=label if band else None
                )
            )
            page.use(unit.start, unit.end)
            continue
        band = _band(label) if label else None
        for s, e in _risk_items(text, list_start, unit.end):
            risk = page.mention(unit.section, *_risk_term(text, s, e), _glosses(text, s, e))
            risks.append(
                RiskFact(
                    risk=risk, evidence=unit_ev, band=band, frequency_text=label if band else None
                )
            )
        page.use(unit.start, unit.end)
    return tuple(risks)


def alternative_mentions(page: Page) -> tuple[Mention, ...]:
    text = page.text
    found: list[Mention] = []
    for unit in section_units(page, "Alternatives"):
        if _ALTERNATIVE_WORD.search(text, unit.start, unit.end):
            continue  # a remark about the alternatives: kept as a statement
        examples = _EXAMPLES.search(text, unit.start, unit.end)
        if examples:
            for s, e in split_list(text, examples.end(), unit.end, split_or=True):
                found.append(page.mention(unit.section, s, e, split_gloss(text, s, e).glosses))
        else:
            found.append(
                page.mention(
                    unit.section,
                    unit.start,
                    unit.end,
                    split_gloss(text, unit.start, unit.end).glosses,
                )
            )
        page.use(unit.start, unit.end)
    return tuple(found)
