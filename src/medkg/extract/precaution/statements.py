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
* a lead-in that ends with ":" (what it introduces follows in the items);
* an instruction rather than a warning (`instruction`): a monitoring or test
  schedule ("Regular monitoring of kidney function may be necessary",
  "Periodic blood tests are recommended"), who performs the administration
  ("Administration should be done under the supervision of trained staff"), unnamed
  medicines as the subject of an interaction with the drug ("Some medicines
  may interact with <drug>"), or that the drug is no longer available or was
  withdrawn
  ("Since X is no longer marketed, …") without a risk or reason named; a
  sentence that only says what to report ("Muscle pain should be reported to
  your doctor").
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


_MONITORING = re.compile(
    r"^(?:(?:regular|routine|periodic|careful|close|frequent|ongoing|continued|baseline)\s+)*"
    r"(?:monitoring|(?:(?:blood|laboratory|lab)\s+)?(?:tests?|checks?|check-?ups?|evaluations?))\b"
    r"(?P<rest>[^.;]*?)\b(?:is|are|(?:may|might|will|should)\s+be)\s+(?:\w+\s+)?"
    r"(?:necessary|essential|important|recommended|required|needed|advised|advisable|crucial|"
    r"vital)\b",
    re.I,
)
# the people or the time a monitoring sentence is about ("in patients with X", "during
# pregnancy"), beyond the treatment itself
_WHO = re.compile(r"\b(?:in|during|among|for)\s+(?!(?:the\s+)?(?:treatment|therapy|use)\b)", re.I)
_SUPERVISED = re.compile(
    r"^(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:administration|imaging|infusions?|injections?|"
    r"procedures?|treatment|therapy|preparation)\b[^.;]*?"
    r"\b(?:should|must)\s+(?:only\s+)?be\s+(?:performed|administered|given|carried\s+out|done|"
    r"conducted|prepared|started|initiated|supervised)\s+(?:only\s+)?(?:under|by|in)\b",
    re.I,
)
_UNNAMED_INTERACT = re.compile(
    r"^(?:some|certain|other|many|various|several)\s+(?:other\s+)?"
    r"(?:medications|medicines|drugs|products|substances)\s+(?:may|can|could|might)\s+"
    r"(?:also\s+)?interact\s+(?:\w+ly\s+)?with\b",
    re.I,
)
_UNAVAILABLE = re.compile(
    r"\bno\s+longer\s+(?:\w+\s+)?(?:available|marketed|used|in\s+use|manufactured|approved)\b"
    r"|\b(?:was|were|has\s+been|have\s+been)\s+(?:\w+\s+)?(?:discontinued|withdrawn)\b"
    r"|\bdiscontinued\s+(?:human\s+)?use\b|\bwithdrawn\s+from\s+(?:the\s+)?market\b",
    re.I,
)
_REPORTED = re.compile(
    r"\b(?:should|must)\s+be\s+reported\b(?:\s+(?:immediately|promptly|right\s+away|at\s+once))?"
    r"(?:\s+to\s+(?:a|your|the)\s+[\w\s]+?)?\s*\.?$",
    re.I,
)
_NAMES_A_REASON = re.compile(r"\b(?:risks?|due\s+to|because|toxicity|caused?)\b", re.I)


def instruction(text: str, start: int, end: int) -> bool:
    """Whether a sentence is an instruction or a note, not a warning (module doc)."""
    start, end = trim(text, start, end, " \t\n*_")
    sentence = text[start:end]
    monitoring = _MONITORING.match(sentence)
    if (
        monitoring is not None
        and not re.search(r"\bfor\b", monitoring.group("rest"), re.I)
        and not _WHO.search(sentence, monitoring.start("rest"))  # "… is needed in children"
    ):
        return True
    if _SUPERVISED.search(sentence) or _UNNAMED_INTERACT.match(sentence):
        return True
    if _REPORTED.search(sentence):
        return True
    return _UNAVAILABLE.search(sentence) is not None and not _NAMES_A_REASON.search(sentence)


def states_nothing(text: str, start: int, end: int, drug: str) -> bool:
    """Whether an unstructured Precautions sentence states no warning (module doc)."""
    start, end = trim(text, start, end, " \t\n*_")
    if start >= end:
        return True
    sentence = text[start:end]
    return (
        sentence.endswith(":")
        or _safe(text, start, end)
        or _vague(sentence, drug)
        or instruction(text, start, end)
    )
