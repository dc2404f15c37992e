"""How a Dosage section is laid out: its units, their dosing clauses and phases.

Rules: a unit is a paragraph or list item; a leading bold label
(``**Adults:**``, or the label the parser kept for the block) is cut
off its body, and the body is split into sentences. A sentence is split into
clauses before ``, then …`` / ``; after that …`` / ``, thereafter …`` (a
new phase). Phase words set a clause's phase: "first / initial / starting dose"
-> initial, "loading" -> loading, an opening "after that / then / thereafter"
or the word "maintenance" -> maintenance; in a label any maintenance word
counts. Used by `medkg.extract.regimen`; nothing here knows a drug.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from medkg.model import Section
from medkg.text import Span, sentences, trim

_PHASE_LOADING = re.compile(r"\bloading\b", re.I)
_PHASE_INITIAL = re.compile(
    r"\b(?:first|initial|starting|start)\s+(?:dose|doses|infusions?|injections?)\b|\binitially\b|"
    r"\bto\s+start\b|^\s*initial\b",
    re.I,
)
_PHASE_MAINTENANCE = re.compile(
    r"\b(?:after\s+that|thereafter|then|subsequent(?:ly)?|maintenance|after\s+which)\b", re.I
)
_PHASE_CUT = re.compile(r"[,;]\s*(?:and\s+)?(?=(?:then|after\s+that|thereafter)\b)", re.I)
_LABEL = re.compile(r"\*\*(?P<label>[^*\n]+?)\s*:?\s*\*\*\s*:?\s*")


@dataclass(frozen=True)
class TextUnit:
    """A paragraph or list item: its label (if any), its body and the body's sentences."""

    is_item: bool
    label: Span | None
    body: Span
    sentences: tuple[Span, ...]


def text_units(section: Section, text: str) -> list[TextUnit]:
    """The section's paragraphs and list items (the whole section if it has no blocks)."""
    units: list[TextUnit] = []
    blocks = [b for b in section.blocks if b.kind in ("paragraph", "item")]
    spans = [(b.kind == "item", b.start, b.end, b.label) for b in blocks]
    if not section.blocks:
        spans = [(False, section.start, section.end, None)]
    for is_item, start, end, label_text in spans:
        label: Span | None = None
        match = _LABEL.match(text, start, end)
        if match:
            label = match.span("label")
            start = match.end()
        elif label_text:
            at = text.find(label_text, start, end)
            if at >= 0:
                label = (at, at + len(label_text))
                start = trim(text, label[1], end, " \t\n:*")[0]
        start, end = trim(text, start, end, " \t\n")
        units.append(TextUnit(is_item, label, (start, end), tuple(sentences(text, start, end))))
    return units


def phase_clauses(text: str, start: int, end: int) -> list[Span]:
    """A sentence split before ", then …" / "; after that …" (a new phase)."""
    clauses: list[Span] = []
    cursor = start
    for match in _PHASE_CUT.finditer(text, start, end):
        clauses.append((cursor, match.start()))
        cursor = match.end()
    clauses.append((cursor, end))
    if len(clauses) == 1:
        return [(start, end)]
    return [trim(text, s, e, " \t\n,;") for s, e in clauses]


def phase_of(text: str, start: int, end: int, label: bool = False) -> str | None:
    """ "loading", "initial" or "maintenance" when the words of text[start:end] say so.

    In a label any maintenance word counts; in a clause only one that opens it
    ("After that, …", "then …") or the word "maintenance" itself.
    """
    if _PHASE_LOADING.search(text, start, end):
        return "loading"
    if _PHASE_INITIAL.search(text, start, end):
        return "initial"
    opening = _PHASE_MAINTENANCE.match(text, trim(text, start, end)[0], end)
    if (
        opening
        or re.search(r"\bmaintenance\b", text[start:end], re.I)
        or (label and _PHASE_MAINTENANCE.search(text, start, end))
    ):
        return "maintenance"
    return None
