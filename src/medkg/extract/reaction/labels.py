"""What a block label in a Side Effects section names, when it says no frequency.

Labels come from ``data/terminology/reaction-labels.csv`` (label, kind, source):

* ``organ-system``: a body-system grouping (``Otic: tinnitus``, ``**Nervous
  System:** dizziness``): the label is dropped, the text after it lists the
  reactions. Several systems joined by "and"/"&"/"," count ("Endocrine and
  Metabolic"), and a trailing "disorders", "effects" or "side effects" is
  ignored ("Gastrointestinal disorders").
* ``not-reaction``: a heading that names no reaction (pregnancy, interactions,
  monitoring, how it is given): the block is a statement.

Any other bold label either names a component of the product (its words are
in the document's title: ``**Ibuprofen:** nausea, …``), whose reactions follow
it, or is itself the reaction, the text after it being its description
(``**Myocarditis (inflammation of the heart):** Symptoms like …``).
"""

from __future__ import annotations

import functools
import re
from typing import Literal

from medkg.resources import terminology_rows

LABELS_FILE = "reaction-labels.csv"
LabelKind = Literal["organ-system", "not-reaction"]
_KINDS: tuple[LabelKind, ...] = ("organ-system", "not-reaction")

_JOIN = re.compile(r"\s*(?:,|&|\+|/|\band\b)\s*", re.I)
_TRAILING = re.compile(r"\s+(?:system\s+)?(?:side\s+effects?|disorders?|effects?|reactions)$", re.I)


def _key(text: str) -> str:
    text = re.sub(r"[^\w\s&+/,-]", " ", text.lower().replace("-", " "))
    return " ".join(text.split())


@functools.cache
def label_table() -> dict[str, LabelKind]:
    """The bundled label -> kind table (read once)."""
    table: dict[str, LabelKind] = {}
    rows = terminology_rows(LABELS_FILE, "reaction label list", ("label", "kind"), {"kind": _KINDS})
    for row in rows:
        kind = row["kind"]
        table[_key(row["label"])] = "organ-system" if kind == "organ-system" else "not-reaction"
    return table


def label_kind(label: str) -> LabelKind | None:
    """The kind of a label that names no reaction, or None (see the module docstring)."""
    table = label_table()
    key = _key(label)
    for candidate in (key, _key(_TRAILING.sub("", key))):
        if candidate in table:
            return table[candidate]
        parts = [p for p in _JOIN.split(candidate) if p]
        kinds = {table.get(p) for p in parts}
        if len(parts) > 1 and len(kinds) == 1 and None not in kinds:
            return kinds.pop()
    return None


def names_component(label: str, title: str) -> bool:
    """Does the label name the product or its components (each part's first word is a
    word of the title: "Ibuprofen" in "Ibuprofen + Paracetamol")?"""
    title_words = set(re.findall(r"\w+", title.lower()))
    parts = [p for p in _JOIN.split(label.lower()) if p.strip()]
    if not parts:
        return False
    for part in parts:
        words = re.findall(r"\w+", part)
        if not words or words[0] not in title_words:
            return False
    return True
