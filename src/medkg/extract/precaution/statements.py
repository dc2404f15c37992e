"""Which Precautions sentences that no rule understood still state a warning.

A sentence that no precaution rule structures is kept as a statement warning
only when it says something specific. `states_nothing` finds the sentences
that do not, which stay plain (unstructured) statements:

* vague: once its function words, the words of generic precaution advice
  and the words that say how much is known (``function``, ``vague`` and
  ``knowledge`` words of ``data/terminology/statement-words.csv``: "consult
  your doctor", "careful monitoring may be necessary", "may interact with
  certain other medications", "interactions are not well documented") and
  the drug's own name are set aside, no word is left to name a condition,
  population, substance, test or outcome. "The safety during breastfeeding
  is unknown" names a population and stays a statement;
* a reassurance: "(generally) considered safe", "is safe" (not "is not
  safe");
* a lead-in that ends with ":" (what it introduces follows in the items).
"""

from __future__ import annotations

import functools
import re

from medkg.extract.precaution.rules import negated
from medkg.resources import words_by_kind
from medkg.text import trim

WORDS_FILE = "statement-words.csv"


@functools.cache
def _words() -> frozenset[str]:
    table = words_by_kind(WORDS_FILE, "statement word list", _KINDS)
    return frozenset().union(*table.values())


_KINDS = ("function", "vague", "knowledge")


_SAFE = re.compile(
    r"\b(?:(?:is|are)\s+)?(?:(?:generally|usually|often|considered)\s+)+safe\b"
    r"|\b(?:is|are)\s+safe\b",
    re.I,
)


def _safe(text: str, start: int, end: int) -> bool:
    found = _SAFE.search(text, start, end)
    return found is not None and not negated(text, start, found.start())


def _vague(sentence: str, drug: str) -> bool:
    names = {w.lower() for w in re.findall(r"[a-z]+", drug, re.I)}
    common = _words()
    return all(
        w in common or w in names or len(w) < 2 for w in re.findall(r"[a-z]+", sentence.lower())
    )


def states_nothing(text: str, start: int, end: int, drug: str) -> bool:
    """Whether an unstructured Precautions sentence states no warning (module doc)."""
    start, end = trim(text, start, end, " \t\n*_")
    if start >= end:
        return True
    sentence = text[start:end]
    return sentence.endswith(":") or _safe(text, start, end) or _vague(sentence, drug)
