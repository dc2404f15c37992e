"""Cautions that name their conditions by a back-reference.

A caution often follows the sentence or clause that names what it is about:
"No dose adjustment is given for patients with renal impairment. However,
caution is advised (in these patients)." The caution's own words name no
condition — none at all ("caution is advised.") or a back-reference ("in
these cases / such patients / these populations", "patients with these
conditions should be monitored") — and the conditions are those of the
nearest phrase before it, in the same sentence or the one before, that names
people or a condition after "for" or "in" ("for patients with X", "in X") or
opens with them ("Patients with X …").

`back_reference_span` gives where that antecedent names its conditions. It
is taken only when a condition of its list ends in a condition head
(``head`` words of ``data/terminology/precaution-words.csv``: "impairment",
"disease") after a word that says what is affected (not "severe impairment") or
names a population (``population`` words of
``data/terminology/back-reference-words.csv``, or a population named by its
state, "pregnant women"), and none is a severity alone ("mild") or a dosing
phrase ("dosage adjustments"), so that "in the manufacturer's labeling" or
"for any dose change" are never antecedents. A negated caution ("caution is not
needed") takes none.
"""

from __future__ import annotations

import functools
import re

from medkg.extract.precaution.populations import population_state
from medkg.extract.precaution.rules import CAUTION_WORDS, MONITORING_WORDS, PEOPLE, negated
from medkg.extract.precaution.terms import Condition, conditions, precaution_words
from medkg.resources import words_by_kind
from medkg.text import Span, trim

WORDS_FILE = "back-reference-words.csv"


@functools.cache
def _words() -> dict[str, frozenset[str]]:
    return words_by_kind(WORDS_FILE, "back-reference word list", ("reference-noun", "population"))


@functools.cache
def _reference() -> re.Pattern[str]:
    nouns = "|".join(sorted(map(re.escape, _words()["reference-noun"]), key=len, reverse=True))
    return re.compile(
        rf"(?:(?:in|for|among|with)\s+)?(?:{PEOPLE}\s+(?:with|who\s+have)\s+)?"
        rf"(?:these|such|those|this)\s+(?:\w+\s+)?(?:{nouns})\b",
        re.I,
    )


# a caution that names nothing after its words: "caution is advised." / ", and …"
_BARE_CAUTION = re.compile(
    rf"(?:{CAUTION_WORDS}|{MONITORING_WORDS})(?=\s*(?:[.;,:)]|\s+and\b|$))", re.I
)
# where an antecedent's conditions start: "for/in (people with) X", "People with X …"
_ANTECEDENT = re.compile(
    rf"\b(?:for|in)\s+(?:(?:[\w-]+\s+)?{PEOPLE}\s+(?:with|who\s+have(?:\s+had)?)\s+)?"
    rf"|(?:^|(?<=[.;:]\s)|(?<=[.;:]\s\s))(?:[\w-]+\s+)?{PEOPLE}\s+(?:with|who\s+have)\s+",
    re.I,
)
# where they end: the clause's end, a new clause, or a verb
_ANTECEDENT_END = re.compile(
    r"[.;:]|,\s*(?:however|but|and|so|as|although|though|which)\b|\s+(?:however|but)\b"
    r"|\s+(?:is|are|was|were|has|have|had|should|must|may|might|can|could|will|would|"
    r"do|does|did|require|requires|need|needs)\b"
    r"|\s+(?:because|as|due\s+to|since|unless|until|while|when|if)\b",
    re.I,
)


def back_reference_span(
    text: str, caution: Span | None, region_start: int, start: int, end: int
) -> Span | None:
    """The antecedent conditions of a caution in text[start:end] that names none of its own,
    searched from `region_start` (the previous sentence of the block, or `start`) to the
    caution; `caution` is where the caution rules found its conditions, if they did."""
    if caution is not None:
        named = trim(text, *caution, " \t\n.,;:*_")
        if _reference().fullmatch(text, *named) is None:
            return None
        trigger = caution[0]
    else:
        bare = _BARE_CAUTION.search(text, start, end)
        if bare is None or negated(text, start, bare.start()):
            return None
        trigger = bare.start()
    return _antecedent(text, region_start, trigger)


def _antecedent(text: str, start: int, end: int) -> Span | None:
    """The last phrase in text[start:end] that names conditions, when one of them names a
    condition or a population (a nearer vague phrase is not skipped for an earlier one)."""
    found: tuple[Span, list[Condition]] | None = None
    for match in _ANTECEDENT.finditer(text[start:end]):  # "^" is the region's start
        begin = start + match.end()
        stop = _ANTECEDENT_END.search(text, begin, end)
        span = trim(text, begin, stop.start() if stop else end, " \t\n,;:*_")
        if span[0] >= span[1] or _reference().match(text, *span):
            continue
        named = conditions(text, *span, "")
        if named:
            found = span, named
    if found is None:
        return None
    named = found[1]
    if not any(_names_a_condition(c) for c in named) or any(_not_a_condition(c) for c in named):
        return None
    return found[0]


_DOSING = re.compile(r"\b(?:dos(?:e|es|age|ing)|adjust\w*|label\w*|instructions?)\b", re.I)


def _not_a_condition(condition: Condition) -> bool:
    """A severity alone ("mild") or a dosing phrase ("specific dosage adjustments") that a
    list caught with its conditions."""
    words = condition.text.lower().split()
    return all(_SEVERITY.fullmatch(w) for w in words) or _DOSING.search(condition.text) is not None


_SEVERITY = re.compile(r"(?:mild|moderate|severe|to|or|and|[\w-]*-to-[\w-]*)", re.I)


def _names_a_condition(condition: Condition) -> bool:
    words = condition.text.lower().split()
    if not words:
        return False
    heads = precaution_words().get("head", frozenset())
    populations = _words()["population"]
    # "severe impairment" leaves out what is impaired: too vague to be the antecedent
    named = [w for w in words[:-1] if not _SEVERITY.fullmatch(w)]
    return (
        (words[-1] in heads and bool(named))
        or condition.text.lower() in populations
        or population_state(condition.text) is not None
    )
