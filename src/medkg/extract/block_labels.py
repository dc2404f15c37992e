"""Block labels and block evidence, shared by the Side Effects and Precautions extractors.

A block may open with a label: bold ``**Label:**`` or ``**Label**:``, or —
when the caller asks for it — a plain ``Label:`` (a capital, at most 50 more
characters, no period). A "Note", "Please note", "Important" or "Important note" label makes
the block a note statement, a "Disclaimer" label a disclaimer. The evidence
of a block that opens with a bold label keeps the label's emphasis markers
when the block's markers are balanced, so the quote stays balanced.
"""

from __future__ import annotations

import re
from typing import Literal

from medkg.model import Document, Evidence
from medkg.text import Span, evidence, trim

StatementLabelKind = Literal["note", "disclaimer"]
_STATEMENT_LABELS: dict[str, StatementLabelKind] = {
    "note": "note",
    "please note": "note",
    "important": "note",
    "important note": "note",
    "disclaimer": "disclaimer",
}


def statement_label_kind(text: str, start: int, end: int) -> StatementLabelKind | None:
    """ "note"/"disclaimer" when the label text[start:end] is "Note", "Disclaimer" …"""
    return _STATEMENT_LABELS.get(text[start:end].strip().lower())


_BOLD_LABEL = re.compile(r"\*\*(?P<a>[^*\n]+?):\s*\*\*\s*|\*\*(?P<b>[^*\n]+?)\*\*\s*:\s*")
_PLAIN_LABEL = re.compile(r"(?P<a>[A-Z][^:\n.]{0,50}):(?:\s+|$)")


def split_label(text: str, start: int, end: int, plain: bool = False) -> tuple[Span | None, Span]:
    """(label span, body span) of a block that opens with ``**Label:**``.

    With `plain`, an unemphasised ``Label: …`` prefix counts too (the caller
    decides whether such a label means anything).
    """
    start, end = trim(text, start, end, " \t\n")
    match = _BOLD_LABEL.match(text, start, end)
    if match is None and plain:
        match = _PLAIN_LABEL.match(text, start, end)
    if match is None:
        return None, (start, end)
    group = "a" if match.group("a") is not None else "b"
    label = (match.start(group), match.end(group))
    return label, trim(text, match.end(), end, " \t\n")


def block_evidence(document: Document, section: str, start: int, end: int) -> Evidence:
    """Evidence for a whole block or sentence; an opening ``**Label:**`` keeps its
    emphasis markers so the quote stays balanced (`evidence` would cut one side)."""
    s, e = trim(document.text, start, end, " \t\n")
    if _BOLD_LABEL.match(document.text, s, e) is None or document.text.count("**", s, e) % 2:
        return evidence(document, section, s, e)
    return Evidence(document.source, section, document.text[s:e], s, e)
