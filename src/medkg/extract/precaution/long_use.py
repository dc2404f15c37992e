"""Risks of a kind of use: "Prolonged use can lead to tolerance".

Monographs state the risks of prolonged, long-term or high-dose use in
their Precautions and in their FAQ answers ("Are there long-term
effects? … Prolonged use may increase the risk of certain side effects,
such as blood clots"). `long_use_span` finds, in one sentence, a use
("prolonged use", "long-term use (of <the drug>)", "high doses") that
"can/may cause / lead to / result in / increase the risk of" a list of
conditions, and gives the span of that list and of the use. A generic head
("side effects", "certain side effects, such as …") gives its examples; a
hedge ("might", "could", "potentially") or a negation states no risk, and a
use of another substance ("long-term use of antacids") is not this drug's.
`long_use_risks` gives one increased-risk warning per condition, with the
use as its detail.
"""

from __future__ import annotations

import re

from medkg.extract.block_labels import block_evidence
from medkg.extract.precaution.mentions import condition_mention
from medkg.extract.precaution.rules import drug_object, negated
from medkg.extract.precaution.terms import TERM_EDGE, conditions
from medkg.model import Document, FaqFact, WarningFact
from medkg.text import Span, mention, sentences, trim

_USE = (
    r"(?P<use>(?:(?:prolonged|long[\s-]term|chronic|extended|excessive|frequent)\s+"
    r"(?:use|usage|application|treatment)|(?:very\s+)?high(?:er)?\s+doses))"
)
# every run of white space has one place in these patterns: a run that two of them could
# share makes matching a space-padded line take time growing with its fourth power
_LEADS = re.compile(
    r"\s+(?:(?:can|may|will|often|also)\s+)*"
    r"(?:increases?\s+the\s+risks?\s+of|lead\s+to|leads\s+to|cause|causes|result\s+in|"
    r"results\s+in)\s+(?:the\s+development\s+of\s+|developing\s+)?",
    re.I,
)
# the use is ended, not continued: what follows is a risk of stopping it
_ENDING = re.compile(
    r"\b(?:stop\w*|discontinu\w*|withdraw\w*|ceas\w*|cessation|abrupt\w*|sudden\w*|"
    r"quit\w*|after|following)\s+(?:of\s+|the\s+|a\s+)*$",
    re.I,
)
_HEDGE = re.compile(r"\b(?:might|could|potentially|possibly|theoretically)\b", re.I)
_GENERIC_LEAD = re.compile(
    r"(?:(?:certain|other|some|more|serious|various|unwanted|adverse)\s+)*"
    r"(?:side\s+effects|adverse\s+effects|problems|complications)"
    r"(?:\s*,\s*|\s+)(?:such\s+as|including|especially|particularly|like|e\.g\.,?)\s+",
    re.I,
)
_LIST_END = re.compile(
    r",?\s+(?:in\s+(?:some|certain|rare)\b|which|so|because|especially\s+(?:in|if|when)|"
    r"meaning|requiring|making|and\s+(?:should|may|can)|if|when|while)\b|,\s+(?=\w+ing\b)",
    re.I,
)


def long_use_span(text: str, start: int, end: int, drug: str) -> tuple[Span, Span] | None:
    """The listed risks and the use of "Prolonged use can lead to X", or None."""
    use = re.compile(
        _USE + rf"(?:\s+of\s+(?P<of>[\w-]+(?:\s+[\w-]+)*?))?(?:\s*,)?(?={_LEADS.pattern})",
        re.I,
    ).search(text, start, end)
    if use is None or _ENDING.search(text, start, use.start()):
        return None  # "Stopping prolonged use can lead to X": the stopping does
    of = use.group("of")
    if of and not re.fullmatch(drug_object(drug), of, re.I):
        return None  # "long-term use of antacids": another substance
    leads = _LEADS.match(text, use.end(), end)
    if leads is None or _HEDGE.search(text, start, leads.end()):
        return None
    if negated(text, start, leads.end()):
        return None
    begin = leads.end()
    generic = _GENERIC_LEAD.match(text, begin, end)
    if generic is not None:
        begin = generic.end()
    cut = _LIST_END.search(text, begin, end)
    span = trim(text, begin, cut.start() if cut else end, TERM_EDGE)
    if span[0] >= span[1]:
        return None
    return span, use.span("use")


def long_use_risks(document: Document, faqs: tuple[FaqFact, ...], drug: str) -> list[WarningFact]:
    """The risks of a kind of use the FAQ answers state (module doc)."""
    text = document.text
    found: list[WarningFact] = []
    for faq in faqs:
        answer = faq.answer.evidence
        section = answer.section
        for start, end in sentences(text, answer.start, answer.end):
            spans = long_use_span(text, start, end, drug)
            if spans is None:
                continue
            risks, use = spans
            sentence = block_evidence(document, section, start, end)
            detail = mention(document, section, *use)
            found.extend(
                WarningFact(
                    kind="increased-risk",
                    evidence=sentence,
                    condition=condition_mention(document, section, condition),
                    details=(detail,),
                )
                for condition in conditions(text, *risks, drug)
            )
    return found


def long_use_risk_span(text: str, start: int, end: int, drug: str) -> Span | None:
    """The listed risks of "Prolonged use can lead to X" in a Precautions sentence."""
    spans = long_use_span(text, start, end, drug)
    return None if spans is None else spans[0]
