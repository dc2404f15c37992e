"""Precaution sentences that say what to watch for or what needs consideration.

Each rule finds, in one sentence, the span naming the conditions (read by
`precaution_terms.conditions`), or nothing:

* `monitored_for_span` — "(closely) monitored / monitoring for (signs of) X",
  "monitoring is important, especially for X": what is watched for. A
  generic lead ("potential side effects, especially A, B") gives the items
  after the cue; a duration ("monitored for 30 minutes", "for at least a
  day") is no condition. Monitoring *of* something (a test) is no
  condition.
* `consideration_span` — "X (also) requires/warrants careful consideration /
  monitoring / dose adjustment": X. A use in something ("Use in the elderly
  requires …") gives that thing.

A negation before the cue ("No monitoring for X is needed") states nothing.
"""

from __future__ import annotations

import re

from medkg.extract.precaution.rules import drug_object, negated
from medkg.extract.precaution.terms import TERM_EDGE
from medkg.text import Span, trim

_MONITORED_FOR = re.compile(
    r"\bmonitor(?:ed|ing)?\b(?:\s+(?:closely|carefully|regularly|periodically))?"
    r"(?:\s+(?:is|are)\s+(?:\w+\s+)?(?:important|essential|necessary|needed|required|"
    r"recommended|advised|crucial|vital|warranted),?)?\s+(?:especially\s+|particularly\s+)?for\s+"
    r"(?:(?:any|possible|potential)\s+)?(?:(?:signs?|symptoms?)(?:\s+(?:and|or)\s+symptoms?)?"
    r"\s+of\s+)?",
    re.I,
)
_DURATION = re.compile(
    r"(?:\d|at\s+least|up\s+to|several|a\s+few|a\s+(?:period|day|week|month|while)|an?\s+hour|"
    r"the\s+(?:first|duration|next)|(?:one|two|three|four|six)\s+\w+|hours|days|weeks|months|"
    r"patients|people|those)\b",
    re.I,
)
_GENERIC_LEAD = re.compile(
    r"(?:(?:potential|possible|any|serious|adverse)\s+)*(?:side\s+effects|adverse\s+(?:effects|"
    r"reactions|events)|complications|toxicity|reactions)\s*,?\s*"
    r"(?:especially|particularly|including|such\s+as|like)\s+",
    re.I,
)
_LIST_END = re.compile(
    r"\s+(?:is|are|should|must|may|might|can|will|while|during|because|as|to|when|after|"
    r"before|throughout|since|so|(?:more\s+)?(?:closely|carefully|regularly))\b|;",
    re.I,
)
_FINITE = re.compile(
    r"\b(?:is|are|was|were|be|been|should|must|can|could|will|would|has|have|had)\b", re.I
)


def _list_end(text: str, start: int, end: int) -> int:
    """Where a list ends: the first stop word outside parentheses."""
    for found in _LIST_END.finditer(text, start, end):
        aside = text[start : found.start()]
        if aside.count("(") <= aside.count(")"):
            return found.start()
    return end


_CONSIDERATION = re.compile(
    r"(?P<subject>[^,;:]+?)\s+(?:(?:may|might|will|often|also|usually)\s+)*(?:requires?|warrants?|necessitates?|needs?)\s+"
    r"(?:\w+\s+){0,2}?(?:consideration|monitoring|caution|attention|evaluation|"
    r"dos(?:e|age|ing)\s+adjustments?)\b",
    re.I,
)
_USE_IN = re.compile(
    r"(?:the\s+|its\s+)?(?:use|administration)\s+(?:of\s+(?P<what>[\w\s-]+?)\s+)?"
    r"(?:in|during|for|by)\s+",
    re.I,
)
_NOT_A_CONDITION = re.compile(
    r"\b(?:dos(?:e|es|age|ing)|use|treatment|therapy|monitoring|no|not|this|these)\b", re.I
)


def monitored_for_span(text: str, start: int, end: int, drug: str = "") -> Span | None:
    """Where "monitored for X" names X, or None (see the module doc)."""
    found = _MONITORED_FOR.search(text, start, end)
    if found is None or negated(text, start, found.start()):
        return None
    begin = found.end()
    if _DURATION.match(text, begin, end):
        return None
    generic = _GENERIC_LEAD.match(text, begin, end)
    if generic:
        begin = generic.end()
    span = trim(text, begin, _list_end(text, begin, end), TERM_EDGE)
    return span if span[0] < span[1] else None


def consideration_span(text: str, start: int, end: int, drug: str) -> Span | None:
    """Where "X requires careful consideration" names X, or None."""
    found = _CONSIDERATION.match(text, start, end)
    if found is None or re.search(r"\b(?:might|could)\b", found.group(0), re.I):
        return None  # "X might need …": a hedge
    begin, stop = found.span("subject")
    if _FINITE.search(text, begin, stop):
        return None  # "Children are more sensitive and require …": a clause, not a subject
    use = _USE_IN.match(text, begin, stop)
    if use is not None:
        what = use.group("what")
        if what and not re.fullmatch(drug_object(drug), what, re.I):
            return None
        begin = use.end()
    elif _NOT_A_CONDITION.search(text, begin, stop):
        return None
    if re.fullmatch(drug_object(drug), text[begin:stop], re.I):
        return None
    span = trim(text, begin, stop, TERM_EDGE)
    return span if span[0] < span[1] else None
