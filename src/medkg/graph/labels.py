"""The preferred label of a concept medkg names itself, capitalised as people write it.

A concept without a lexicon entry is named by its normalised key
(`medkg.text.normalise_term`: lower case, punctuation folded), which is also what its
IRI and every match are made from. Lower case loses what capitals say in a name:
``cd20``, ``hepatitis b``, ``cyp3a4``. `display_label` gives those words their
capitals back, by the shape of each word alone:

- a word of letters and digits is a symbol, written in capitals (``CD20``, ``CYP3A4``,
  ``G6PD``, ``B12``, ``NS5A``, ``V600E``), except ordinals and decades (``2nd``, ``50s``),
  chromosome arms (``5q``) and words holding a Greek letter's name (``11beta``, ``alpha2``);
- a single Latin letter other than the article "a" is a name or a numeral (``hepatitis B``,
  ``vitamin D``, ``T cell``, ``H pylori``, ``bipolar I disorder``, ``protein S``), unless
  it follows a number or a unit (``28 g``, ``mmol l``: a unit);
- a Roman numeral above I (``factor VIII``, ``class III``, ``type II``);
- an abbreviation of `data/terminology/abbreviations.csv`, written as it is listed
  (``HIV infection``, ``NSAID``, ``COPD``): clinical abbreviations that are no English
  word, so the table can say how they are written wherever they stand.

Why by shape and not from the document's wording: a concept's label must be the same in
every cluster of the build (clusters are graphed apart and merged, and a concept has one
skos:prefLabel), and two documents may write one concept differently ("Headache" at the
start of a sentence, "headache" in the middle). The shape of the key is the same
everywhere, so the label is too. The document's own wording stays in the graph as written
(medkg:termAsWritten, skos:altLabel). Words whose capitals neither the shape nor the
table tells (``Parkinson's``, an abbreviation the table lacks) stay in lower case; a
label that has capitals already (a lexicon's, which names the concept as its source does:
"Notch signaling pathway") is kept as it is.
"""

from __future__ import annotations

import re
from functools import cache

from medkg.resources import terminology_rows

_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th|s)$")
_CHROMOSOME_ARM = re.compile(r"^\d+[pq]$")  # "5q deletion": lower case by convention
_GREEK = re.compile(r"alpha|beta|gamma|delta|kappa|lambda|theta|sigma|omega|epsilon|zeta|mu")
_ROMAN = frozenset({"ii", "iii", "iv", "vii", "viii", "ix", "xii", "xiii"})
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_UNITS = frozenset(
    {"unit", "units", "mol", "mmol", "umol", "meq", "mg", "g", "ug", "mcg", "ml", "kg", "l", "m"}
)
# an amount written with its unit ("500ms", "40kd", "10mg") or a metastable isotope ("99m")
_AMOUNT = re.compile(r"^\d+(?:\.\d+)?(?:ms|kda?|mg|mcg|ug|ml|mm|cm|kg|g|l|h|m|min|iu|mmol|meq)$")


def display_label(label: str) -> str:
    """`label` (a normalised, lower-case key) with its symbols, single letters and Roman
    numerals in capitals; a label already holding a capital is returned as it is."""
    if label != label.lower():
        return label
    words = label.split(" ")
    shown = []
    for position, word in enumerate(words):
        before = words[position - 1] if position else ""
        written = abbreviations().get(word)
        shown.append(written or (word.upper() if _capitalised(word, before) else word))
    return " ".join(shown)


@cache
def abbreviations() -> dict[str, str]:
    """Each listed abbreviation in lower case -> as it is written (``hiv`` -> ``HIV``)."""
    rows = terminology_rows("abbreviations.csv", "abbreviation list", ("word", "written"))
    return {row["word"].strip(): row["written"].strip() for row in rows}


def _capitalised(word: str, before: str) -> bool:
    if word in _ROMAN:
        return True
    if len(word) == 1:
        after_amount = bool(_NUMBER.match(before)) or before in _UNITS
        return word.isascii() and word.isalpha() and word != "a" and not after_amount
    if _AMOUNT.match(word) or before in _UNITS:  # "500 ms", "mg m2" (per square metre)
        return False
    has_letter = any(c.isalpha() for c in word)
    has_digit = any(c.isdigit() for c in word)
    return (
        has_letter
        and has_digit
        and word.isalnum()
        and word.isascii()
        and not _ORDINAL.match(word)
        and not _CHROMOSOME_ARM.match(word)
        and not _GREEK.search(word)
    )
