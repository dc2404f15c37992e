"""Prose lists of terms, as the Side Effects and Precautions extractors read them.

A list splits at commas and semicolons (a bare "and" only before the last
item), but coordinated adjectives stay together: "acute and chronic renal
failure" is one item. In an item, a trailing parenthetical is a gloss
(``Paresthesia (numbness or tingling)`` -> term "Paresthesia", glosses
("numbness or tingling",)); a parenthetical opened by "e.g.", "i.e.", "for
example", "such as" or "including" lists examples wherever it stands; any
other parenthetical in the middle of an item stays in the term. Examples
nested in a list (``malignancies, including breast cancer``, ``reactions
such as rash``) are examples of the term they follow, up to the end of the
list, not items of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from medkg.text import Span, split_list, trim

# Word endings of adjectives ("atypical", "chronic", "non-fatal", "serious") and
# common clinical modifiers without such an ending.
_ADJECTIVE_ENDINGS = (
    "al",
    "ic",
    "ac",
    "ous",
    "ive",
    "ary",
    "ile",
    "ar",
    "ed",
    "ful",
    "less",
    "able",
    "ible",
)
_MODIFIERS = frozenset(
    {
        "upper",
        "lower",
        "inner",
        "outer",
        "left",
        "right",
        "acute",
        "chronic",
        "severe",
        "mild",
        "moderate",
        "minor",
        "major",
        "fatal",
        "early",
        "late",
    }
)
_EXAMPLES_MARKER = re.compile(r",?\s+(?:including|such as|e\.g\.,?|for example,?)\s+", re.I)
_EXAMPLES_OR_LIKE = re.compile(r",?\s+(?:including|such as|like|e\.g\.,?|for example,?)\s+", re.I)
_PAREN_MARKER = re.compile(r"(?:e\.g\.|i\.e\.|for example|such as|including)[,:]?\s*", re.I)


def is_adjective(word: str) -> bool:
    """Whether a word reads as an adjective or a clinical modifier ("chronic", "severe")."""
    word = word.lower().strip("-")
    return word in _MODIFIERS or (len(word) > 3 and word.endswith(_ADJECTIVE_ENDINGS))


def split_terms(text: str, start: int, end: int) -> list[Span]:
    """Items of a prose list, keeping coordinated adjectives together.

    Uses `split_list` (commas and semicolons separate; a bare "and" only
    separates the last item), then joins back "A and B <noun>" when the left
    part is made only of adjectives and the right part has a noun after its
    adjective: "acute and chronic renal failure" and
    "upper and lower respiratory tract infections" stay one item, while
    "hypersensitivity reactions and hyperphosphatemia" is two.
    """
    parts = split_list(text, start, end)
    merged: list[Span] = []
    for part in parts:
        if merged:
            left = merged[-1]
            gap = text[left[1] : part[0]].strip()
            left_words = text[left[0] : left[1]].split()
            right_words = text[part[0] : part[1]].split()
            if (
                gap in ("and", "or")
                and len(right_words) >= 2
                and all(is_adjective(word) for word in left_words)
            ):
                merged[-1] = (left[0], part[1])
                continue
        merged.append(part)
    return merged


@dataclass(frozen=True)
class Term:
    """A list item split into its term and what its parentheses or examples add."""

    term: Span
    glosses: tuple[Span, ...] = ()  # "(muscle pain)", "(pain, swelling)"
    examples: tuple[Span, ...] = ()  # "(e.g., rash, hives)", ", including breast cancer"


def _closing_paren(text: str, opening: int, end: int) -> int | None:
    depth = 0
    for i in range(opening, end):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    return None


def parenthetical(text: str, start: int, end: int) -> tuple[Span, Span | None, bool]:
    """Find the first top-level parenthetical of text[start:end].

    Returns (span before it, span of its content, whether the content is a
    list of examples introduced by "e.g."/"such as"/"including"). The content
    span is None when there is no parenthetical (or it opens the item).
    """
    start, end = trim(text, start, end, " \t\n.;:*")
    opening = text.find("(", start, end)
    if opening <= start:
        return (start, end), None, False
    closing = _closing_paren(text, opening, end)
    if closing is None:
        return (start, end), None, False
    inner_start, inner_end = trim(text, opening + 1, closing, " \t\n")
    marker = _PAREN_MARKER.match(text, inner_start, inner_end)
    if marker:
        inner_start = marker.end()
    return trim(text, start, opening, " \t\n,"), (inner_start, inner_end), marker is not None


def parse_term(text: str, start: int, end: int) -> Term:
    """Split one list item into term, glosses and examples.

    "Infusion site reactions (pain, swelling)" -> term + glosses (pain, redness);
    "hypersensitivity (e.g., rash, hives)" -> term + examples. Only a
    parenthetical that ends the item is a gloss; one in the middle stays in the
    term unless it lists examples.
    """
    head, inner, is_examples = parenthetical(text, start, end)
    if inner is None:
        return Term(head)
    items = tuple(split_list(text, inner[0], inner[1]))
    if is_examples:
        return Term(head, examples=items)
    tail = trim(text, inner[1], end, " \t\n.;:*)")
    if tail[0] < tail[1]:  # text after the parenthetical: it is part of the term
        return Term(trim(text, start, end, " \t\n.;:*"))
    return Term(head, glosses=items)


def list_terms(text: str, start: int, end: int, like_examples: bool = False) -> list[Term]:
    """Terms of a prose list; ", including x, y" / " such as x" after an item
    are that item's examples (up to the end of the list); with `like_examples`,
    " like x" too ("effects like drowsiness")."""
    marker = _EXAMPLES_OR_LIKE if like_examples else _EXAMPLES_MARKER
    start, end = trim(text, start, end, " \t\n.;:*")
    depth = 0
    cut: re.Match[str] | None = None
    for i in range(start, end):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and text[i] in ", ":
            cut = marker.match(text, i, end)
            if cut:
                break
    if cut is None:
        return [parse_term(text, s, e) for s, e in split_terms(text, start, end)]
    terms = [parse_term(text, s, e) for s, e in split_terms(text, start, cut.start())]
    examples = tuple(split_list(text, cut.end(), end))
    if terms:
        terms[-1] = replace(terms[-1], examples=terms[-1].examples + examples)
    return terms
