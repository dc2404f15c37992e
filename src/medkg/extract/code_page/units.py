"""A code page read as units: the shared ground of the code-page extractors.

A *unit* is the smallest thing a statement keeps: a list item whole, or one
sentence of a paragraph; label lines are structure, not units. A `Page`
records which spans facts have used, so that every unit no rule used can be
kept as an unstructured `StatementFact` at the end (see `code_page.extract`).

Also here: the block and span helpers the section extractors share — the
value after a block's own ``Label:``, a leading article dropped from a name,
and the section (or the descriptor ``Header``) a span lies in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from medkg.model import Block, Document, Evidence, Mention, Section, StatementFact
from medkg.text import Span, evidence, mention, sentences, trim

HEADER = "Header"  # evidence section of the descriptor and code-type lines

_ARTICLE = re.compile(r"(?:an?|the|either)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Unit:
    """An item, or a sentence of a paragraph: the smallest thing a statement keeps."""

    section: str
    start: int
    end: int
    block: Block


@dataclass
class Page:
    """The document being read, and which spans facts have used so far."""

    document: Document
    used: list[Span] = field(default_factory=list)
    statements: list[StatementFact] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.document.text

    def mention(self, section: str, start: int, end: int, glosses: tuple[str, ...] = ()) -> Mention:
        return mention(self.document, section, start, end, glosses)

    def evidence(self, section: str, start: int, end: int) -> Evidence:
        return evidence(self.document, section, start, end)

    def use(self, start: int, end: int) -> None:
        self.used.append((start, end))

    def keep(self, section: str, start: int, end: int) -> None:
        """Keep a span no rule understood as an unstructured statement."""
        self.statements.append(
            StatementFact(kind="unstructured", evidence=self.evidence(section, start, end))
        )

    def is_used(self, start: int, end: int) -> bool:
        return any(s < end and e > start for s, e in self.used)


def units_in(text: str, section: Section) -> list[Unit]:
    """Items whole, paragraphs by sentence; label lines are structure, not units."""
    units: list[Unit] = []
    for block in section.blocks:
        if block.kind == "label":
            continue
        if block.kind == "paragraph":
            units.extend(
                Unit(section.name, s, e, block) for s, e in sentences(text, block.start, block.end)
            )
        else:
            units.append(Unit(section.name, block.start, block.end, block))
    return units


def own_label(block: Block) -> bool:
    """Whether the block starts with its own ``Label:`` (not a label line above it)."""
    if block.label is None or not block.text.startswith(block.label):
        return False
    return block.text[len(block.label) :].lstrip().startswith(":")


def sections_named(page: Page, name: str) -> list[Section]:
    """The page's sections called `name`, in page order."""
    return [section for section in page.document.sections if section.name == name]


def section_units(page: Page, name: str) -> list[Unit]:
    """The units of every section called `name`, in page order."""
    return [unit for section in sections_named(page, name) for unit in units_in(page.text, section)]


def unit_mentions(page: Page, units: list[Unit]) -> tuple[Mention, ...]:
    """One mention per unit, each marked as used."""
    found: list[Mention] = []
    for unit in units:
        found.append(page.mention(unit.section, unit.start, unit.end))
        page.use(unit.start, unit.end)
    return tuple(found)


def section_of(page: Page, start: int, end: int) -> str:
    """The name of the section holding the span, else `HEADER` (the descriptor lines)."""
    for section in page.document.sections:
        if section.start <= start and end <= section.end:
            return section.name
    return HEADER


def strip_article(text: str, start: int, end: int) -> Span:
    """The span without a leading ``a``/``an``/``the``/``either``."""
    match = _ARTICLE.match(text, start, end)
    return (match.end(), end) if match else (start, end)


def value_span(text: str, block: Block) -> Span:
    """The text after a block's own ``Label:`` (the whole block when it has none)."""
    if not own_label(block):
        return block.start, block.end
    colon = text.index(":", block.start, block.end)
    return trim(text, colon + 1, block.end, " \t")
