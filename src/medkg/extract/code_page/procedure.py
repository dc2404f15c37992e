"""What a code page says the procedure is: summary, route, purpose, body sites, anesthesia.

- **Summary**: the whole section; **routes**: the first list of route words
  (``subcutaneous``, ``IV``, "under the skin or into a muscle" …;
  `medkg.extract.routes`) the page does not negate, in Summary, then Procedure
  Description.
- **Purpose**: every item or sentence; goals from items under a ``Goals``
  label or from a ``The goal is to …`` sentence (its prose list split).
- **Body sites**: a parenthesis right after ``site`` (``site (usually the
  arm or leg)``) or ``site … in/into/on the …``, split as a list (in Summary
  and Procedure Description).
- **Anesthesia**: the first item or sentence (Procedure Description first,
  then the other sections) naming anesthesia or sedation and saying whether
  it is needed: negated (``no``, ``not``, ``without``) -> not required;
  ``requires``, ``required``, ``needed``, ``under … anesthesia`` -> required.
  When no unit says either, it is not stated (None).
"""

from __future__ import annotations

import re

from medkg.extract.code_page.units import (
    Page,
    own_label,
    section_units,
    sections_named,
    strip_article,
    value_span,
)
from medkg.extract.routes import stated_routes
from medkg.model import Evidence, Mention
from medkg.text import Span, split_list

_GOAL_SENTENCE = re.compile(
    r"(?:the\s+)?(?:main\s+|primary\s+)?(?:goals?|aims?|objectives?)\s+(?:is|are)\s+(?:to\s+)?",
    re.IGNORECASE,
)
_GOAL_LABEL = re.compile(r"goals?|aims?|objectives?", re.IGNORECASE)

_SITE_PAREN = re.compile(r"\bsites?\s*\((?P<inner>[^()]*)\)", re.IGNORECASE)
_SITE_PLACE = re.compile(
    r"\bsites?\b[^.;()]*?\b(?:in|into|on)\s+the\s+(?P<place>[^.;,()]+?)"
    r"(?=\s*[.;,]|\s+(?:is|are|with|using|by|for)\b|\s*$)",
    re.IGNORECASE,
)
_SITE_QUALIFIER = re.compile(
    r"(?:(?:usually|typically|often|commonly|generally|most\s+often|for\s+example|"
    r"e\.g\.|such\s+as|either)[,\s]+)+",
    re.IGNORECASE,
)

_ANESTHESIA = re.compile(r"\b(?:an(?:a)?esthe(?:sia|tics?)|sedation)\b", re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:no|not|without|none|never)\b|n't\b", re.IGNORECASE)
_REQUIRED = re.compile(
    r"\b(?:requires?|required|needs?|needed|"
    r"under\s+(?:local\s+|general\s+|light\s+)?(?:an(?:a)?esthesia|sedation))\b",
    re.IGNORECASE,
)


def summary_mention(page: Page) -> Mention | None:
    for section in sections_named(page, "Summary"):
        if section.blocks:
            start, end = section.blocks[0].start, section.blocks[-1].end
            page.use(start, end)
            return page.mention(section.name, start, end)
    return None


def route_mentions(page: Page) -> tuple[Mention, ...]:
    """The routes of the Summary, else of the Procedure Description: the first list of route
    words the page does not negate ("under the skin or into a muscle" gives both)."""
    for name in ("Summary", "Procedure Description"):
        for section in sections_named(page, name):
            words = stated_routes(page.text, section.start, section.end)
            if words:
                return tuple(page.mention(name, *word.span) for word in words)
    return ()


def purpose_and_goals(page: Page) -> tuple[tuple[Mention, ...], tuple[Mention, ...]]:
    """(purpose, goals): Goals-labelled items are goals; every other unit is a
    purpose, and a ``The goal is to …`` sentence also gives its goals."""
    text = page.text
    purpose: list[Mention] = []
    goals: list[Mention] = []
    for unit in section_units(page, "Purpose"):
        page.use(unit.start, unit.end)
        if unit.block.label and _GOAL_LABEL.fullmatch(unit.block.label):
            if own_label(unit.block):
                start, end = value_span(text, unit.block)
                goals.extend(
                    page.mention(unit.section, s, e) for s, e in split_list(text, start, end)
                )
            else:
                goals.append(page.mention(unit.section, unit.start, unit.end))
            continue
        purpose.append(page.mention(unit.section, unit.start, unit.end))
        sentence = _GOAL_SENTENCE.match(text, unit.start, unit.end)
        if sentence:
            goals.extend(
                page.mention(unit.section, s, e)
                for s, e in split_list(text, sentence.end(), unit.end)
            )
    return tuple(purpose), tuple(goals)


def body_site_mentions(page: Page) -> tuple[Mention, ...]:
    """Places named in a parenthesis after ``site``, or ``site … in the …``."""
    text = page.text
    sites: list[Mention] = []
    for unit in section_units(page, "Summary") + section_units(page, "Procedure Description"):
        spans: list[Span] = []
        for match in _SITE_PAREN.finditer(text, unit.start, unit.end):
            spans.append(match.span("inner"))
        if not spans:
            spans.extend(m.span("place") for m in _SITE_PLACE.finditer(text, unit.start, unit.end))
        for start, end in spans:
            qualifier = _SITE_QUALIFIER.match(text, start, end)
            start = qualifier.end() if qualifier else start
            for s, e in split_list(text, start, end, split_or=True):
                sites.append(page.mention(unit.section, *strip_article(text, s, e)))
    return tuple(sites)


def anesthesia_requirement(page: Page) -> tuple[bool, Evidence] | None:
    """(required, evidence) from the first unit naming anesthesia or sedation."""
    text = page.text
    names = ["Procedure Description"] + [
        s.name for s in page.document.sections if s.name != "Procedure Description"
    ]
    for name in dict.fromkeys(names):
        for unit in section_units(page, name):
            if not _ANESTHESIA.search(text, unit.start, unit.end):
                continue
            if _NEGATION.search(text, unit.start, unit.end):
                required = False
            elif _REQUIRED.search(text, unit.start, unit.end):
                required = True
            else:
                continue
            page.use(unit.start, unit.end)
            return required, page.evidence(unit.section, unit.start, unit.end)
    return None
