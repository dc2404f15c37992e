"""Increased-risk warnings of a Precautions sentence.

"increased risk of a, b (details), and c", "increases/raises the risk of …":
one warning per risk of the list (`RISK` finds the trigger), which ends
before a new clause ("so …", "because …", "in patients …"). An apposition
("X, a rare disorder") is not a second risk. When the risk comes from combined
use ("Taking it with X such as Y increases the risk of …"), X and Y are the
warning's `interacting` substances.
"""

from __future__ import annotations

import re

from medkg.extract.block_labels import block_evidence
from medkg.extract.precaution.rules import PEOPLE
from medkg.extract.term_lists import list_terms
from medkg.model import Document, Mention, WarningFact
from medkg.text import Span, mention

RISK = re.compile(
    r"\b(?:increased|increases?|raised|raises?|higher|greater)\s+(?:the\s+)?risks?\s+(?:of|for)\s+",
    re.I,
)
_INTERACTION = re.compile(
    r"\b(?:tak(?:e|es|ing|en)|us(?:e|es|ing|ed)|combin(?:e|es|ing|ed)|giv(?:e|es|ing|en)|"
    r"co-?administ\w+)(?:\s+(?:it|this\s+(?:medicine|medication|drug)|"
    r"the\s+(?:medicine|medication|drug)|[A-Z][\w-]+))?\s+(?:together\s+)?with\s+"
    r"(?P<with>[^.;]+?)\s*$",
    re.I,
)

_RISK_LIST_END = re.compile(
    r",?\s+(?:so|because|since|which|especially|particularly|when|if|while|whilst|compared)\b"
    r"|\s+(?:should|must|may|can|is|are|was|were|has|have)\b"
    rf"|\s+in\s+(?:[\w-]+\s+){{0,2}}?{PEOPLE}\b",
    re.I,
)


def _interacting(document: Document, section: str, start: int, end: int) -> tuple[Mention, ...]:
    """What the drug is taken with in "Taking it with X such as Y" ending at `end`."""
    text = document.text
    found = _INTERACTION.search(text, start, end)
    if found is None:
        return ()
    spans = [
        span
        for term in list_terms(text, *found.span("with"))
        for span in (term.term, *term.glosses, *term.examples)
    ]
    return tuple(mention(document, section, s, e) for s, e in spans if s < e)


def increased_risks(
    document: Document, section: str, sentence: Span, list_start: int, risk_start: int
) -> list[WarningFact]:
    """One increased-risk warning per term of the list that starts at `list_start`, with
    the substances the drug is taken with before the risk (`risk_start`) as interacting."""
    text = document.text
    end = sentence[1]
    interacting = _interacting(document, section, sentence[0], risk_start)
    list_end = _RISK_LIST_END.search(text, list_start, end)
    if list_end:
        end = list_end.start()
    facts = []
    sentence_evidence = block_evidence(document, section, *sentence)
    for number, term in enumerate(list_terms(text, list_start, end)):
        if term.term[0] >= term.term[1]:
            continue
        if number and re.match(r"(?:a|an)\s", text[term.term[0] : term.term[1]], re.I):
            continue  # an apposition of the term before it
        details = tuple(mention(document, section, s, e) for s, e in term.glosses + term.examples)
        facts.append(
            WarningFact(
                kind="increased-risk",
                evidence=sentence_evidence,
                condition=mention(document, section, *term.term),
                details=details,
                interacting=interacting,
            )
        )
    return facts
