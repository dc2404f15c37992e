"""What a code's descriptor says it bills: the drugs it names and its billing unit.

A descriptor bills drugs when its first comma-part is an *opening* word of
``data/terminology/descriptor-words.csv`` (``Injection``, ``Infusion``,
``Injectable``). The rest is read as *items*, split at commas and at the word
``and`` outside parentheses (``A, B, and C``; ``A, 10 mg and B``). An item is

- a **quantity** (``10 mg``, ``per 10 mg``, ``up to 5 mg``): one quantity
  and otherwise only descriptor words;
- a **name**: its words less the descriptor words at either end (routes,
  dosage forms, qualifiers such as ``biosimilar`` or ``not otherwise
  specified``, unit words such as ``per``: the kinds of that file), cut
  before a parenthesis or a quantity; a quantity that ends it measures it
  (``<drug> 10 mg``);
- anything else (only descriptor words, a parenthesis such as a brand name
  ``(Herzuma)``, several quantities ``1 g/0.125 g``): an item that names no drug.

The **drugs** are the first name, and, when the descriptor coordinates names,
every name up to the one that ``and`` introduces: ``<drug a>, <drug b>,
and <drug c>-abcd`` names three, ``<drug a>, 10 mg and
<drug b>-abcd`` two (the quantity between them is skipped). Anything
else before that ``and`` (``biosimilar``, a brand in parentheses) ends the
list, which then names only the first drug: a comma alone never makes a word a
drug. Drug names are never listed in code: which words are *not* drugs is the
data file's.

The **billing unit** of such a descriptor is read wherever it states it: the
quantity of a quantity item or the one that ends a name, at the end or not
(``<drug a>, 10 mg and <drug b>-abcd``, ``<drug>, 10 mg,
not otherwise specified``). A descriptor stating several quantities outside
parentheses (``<drug a> 50 mg and <drug b> 25 mg``, ``1 g/0.125 g``)
has none: no one of them is the amount one unit bills.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from medkg.quantities import FoundQuantity, find_quantities
from medkg.resources import terminology_rows
from medkg.text import Span, paren_depth_split, trim

WORDS_FILE = "descriptor-words.csv"

_COMMA = re.compile(r",(?!\d)\s*")  # not the comma of "1,000"
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_LEADING_AND = re.compile(r"and\s+", re.IGNORECASE)
_WORD = re.compile(r"[^\s,;:()]+")
_PUNCTUATION = ".,;:'\"’"


@dataclass(frozen=True)
class DescriptorWords:
    """The words of descriptors that never name a drug, and those that open a drug
    descriptor (a subset)."""

    openings: frozenset[str]
    words: frozenset[str]

    def is_descriptor_word(self, word: str) -> bool:
        """Whether `word` (any case, hyphenated parts each) is a descriptor word."""
        key = word.strip(_PUNCTUATION).lower()
        if not key or key in self.words:
            return True
        parts = [p for p in key.split("-") if p]
        return len(parts) > 1 and all(p in self.words for p in parts)


@functools.cache
def descriptor_words() -> DescriptorWords:
    """The bundled descriptor words (read once)."""
    rows = terminology_rows(WORDS_FILE, "descriptor word list", ("word", "kind"))
    return DescriptorWords(
        openings=frozenset(r["word"].lower() for r in rows if r["kind"] == "opening"),
        words=frozenset(r["word"].lower() for r in rows),
    )


@dataclass(frozen=True)
class Item:
    """One item of a descriptor: a drug name and/or the quantity that measures it.
    `and_` says the word ``and`` introduced it."""

    start: int
    end: int
    and_: bool
    name: Span | None = None
    quantity: FoundQuantity | None = None
    amounts: int = 0  # quantities stated outside parentheses, read or not


@dataclass(frozen=True)
class DrugDescriptor:
    """The drugs a drug descriptor names (spans) and the quantity it bills by."""

    drugs: tuple[Span, ...]
    unit: FoundQuantity | None


def is_drug_descriptor(text: str, start: int, end: int) -> bool:
    """Whether the descriptor text[start:end] opens with ``Injection``, ``Infusion`` …"""
    parts = paren_depth_split(text, start, end, _COMMA)
    return len(parts) >= 2 and text[slice(*parts[0])].strip().lower() in _openings()


def read_drug_descriptor(text: str, start: int, end: int) -> DrugDescriptor:
    """The drugs and billing quantity of a drug descriptor (see the module docstring)."""
    items = list(_items(text, start, end))
    return DrugDescriptor(drugs=_drugs(items), unit=_unit(items))


def _openings() -> frozenset[str]:
    return descriptor_words().openings


def _items(text: str, start: int, end: int) -> Iterator[Item]:
    """The items after the opening comma-part, in order."""
    for part_start, part_end in paren_depth_split(text, start, end, _COMMA)[1:]:
        leading = _LEADING_AND.match(text, part_start, part_end)
        first_and = leading is not None
        if leading is not None:
            part_start = leading.end()
        for number, (s, e) in enumerate(paren_depth_split(text, part_start, part_end, _AND)):
            yield _item(text, s, e, and_=first_and if number == 0 else True)


def _item(text: str, start: int, end: int, and_: bool) -> Item:
    """Classify text[start:end]: a name (with the quantity that ends it), a quantity,
    or neither. Quantities inside parentheses are not read."""
    quantities = [q for q in find_quantities(text, start, end) if _depth(text, start, q.start) == 0]
    if len(quantities) > 1:
        return Item(start, end, and_, amounts=len(quantities))
    quantity = quantities[0] if quantities else None
    if quantity is not None and not _only_descriptor_words(text, quantity.end, end):
        return Item(start, end, and_, amounts=1)  # words after the quantity: not read
    stop = quantity.start if quantity is not None else end
    paren = text.find("(", start, stop)
    name = _name(text, start, paren if paren >= 0 else stop)
    if (
        name is None
        and quantity is not None
        and not _only_descriptor_words(text, start, quantity.start)
    ):
        quantity = None  # a quantity after words that name no drug: not read
    return Item(start, end, and_, name=name, quantity=quantity, amounts=len(quantities))


def _depth(text: str, start: int, position: int) -> int:
    """How many parentheses are open at `position` (counting from `start`)."""
    depth = 0
    for char in text[start:position]:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
    return depth


def _name(text: str, start: int, end: int) -> Span | None:
    """text[start:end] less the descriptor words at its ends; None when nothing is left."""
    words = [m.span() for m in _WORD.finditer(text, start, end)]
    vocabulary = descriptor_words()
    while words and vocabulary.is_descriptor_word(text[slice(*words[0])]):
        words.pop(0)
    while words and vocabulary.is_descriptor_word(text[slice(*words[-1])]):
        words.pop()
    if not words:
        return None
    span = trim(text, words[0][0], words[-1][1], " \t.,;:")
    if not any(c.isalpha() for c in text[slice(*span)]):
        return None
    return span


def _only_descriptor_words(text: str, start: int, end: int) -> bool:
    vocabulary = descriptor_words()
    return all(vocabulary.is_descriptor_word(m.group()) for m in _WORD.finditer(text, start, end))


def _drugs(items: list[Item]) -> tuple[Span, ...]:
    """The first name, and the coordinated names up to the one ``and`` introduces."""
    names = [i for i in items if i.name is not None]
    if not names:
        return ()
    first = items.index(names[0])
    listed: list[Span] = []
    for item in items[first:]:
        if item.name is None:
            if item.quantity is not None:
                continue  # a quantity between names: the previous name's
            break
        assert item.name is not None
        listed.append(item.name)
        if item.and_ and len(listed) > 1:
            return tuple(listed)
    assert names[0].name is not None
    return (names[0].name,)


def _unit(items: list[Item]) -> FoundQuantity | None:
    """The one quantity the descriptor states; none when it states several."""
    if sum(item.amounts for item in items) != 1:
        return None
    return next((i.quantity for i in items if i.quantity is not None), None)
