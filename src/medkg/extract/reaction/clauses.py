"""Sentences that name reactions without a lead: the clause shapes.

Besides "Common side effects include a, b and c" (`medkg.extract.reaction`),
Side Effects sections name reactions in three more shapes:

* **A subject list and an occurrence predicate** — "Headache, nausea and
  dizziness are common.", "Dryness or redness may also occur.", "Rash has
  been reported.", "Rash is a common side effect.": the subject lists the
  reactions; the predicate (and a leading "While rare, …") may say how
  often. A leading dose or exposure condition ("At high doses, …", "With
  prolonged use, …") says when, not whether: the subject after it is still
  the list.
* **People who may experience something** — "Some patients may experience
  mild nausea.": the object lists the reactions.
* **A term and a dash** — ``* Hiccups (a gloss) – usually
  brief.``: the term before the dash is the reaction; the rest
  describes it and names nothing more.

Each shape states nothing when negated or hedged: the predicate must follow
the subject directly ("are not common", "has not been reported" do not
match); a subject naming the category ("Serious side effects are rare"),
opening with a pronoun or determiner ("These are rare", "Any reaction"),
holding a verb, a condition or a negation is no list; a dash description that
doubts ("– theoretical", "– not established") names no reaction.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from medkg.text import Span, trim

_PREDICATE = re.compile(
    r"\s*,?\s+(?:"
    r"(?:may|can|might|could|will)\s+(?:also\s+|sometimes\s+|occasionally\s+|rarely\s+)?"
    r"(?:occur|happen|develop|arise|be\s+(?:seen|experienced|observed|reported|noticed))"
    r"|(?:are|is)\s+(?:also\s+)?(?:an?\s+(?=[\w\s-]*side[ -]effect))?"
    r"(?:(?:very|less|more|relatively|quite|fairly)\s+)?"
    r"(?:common|possible|rare|uncommon|frequent|infrequent|reported|seen|observed)"
    r"|(?:have|has)\s+(?:also\s+)?been\s+(?:reported|observed|seen)"
    r")\b",
    re.I,
)
# "While rare, …", "In rare cases, …", "Rarely, …", "However, …": how often (or a
# link word), before the subject
_FREQUENCY_OPENER = re.compile(
    r"(?:(?:while|although|though)\s+(?:\w+\s+){0,2}?\w+|in\s+(?:\w+\s+)?(?:cases|instances)|"
    r"(?:however|also|additionally|moreover|furthermore|in\s+addition|rarely|very\s+rarely|"
    r"occasionally|sometimes|less\s+(?:commonly|frequently)|more\s+rarely))"
    r"\s*,\s*",
    re.I,
)
# "At high doses, …", "With prolonged use, …": how much or how long, before the subject
_EXPOSURE_OPENER = re.compile(
    r"(?:at|with)\s+(?:high|higher|large|larger|excessive|prolonged|long-term|repeated|"
    r"systemic)\b[^,.;:]{0,60}?,\s*",
    re.I,
)
_NOT_A_SUBJECT = re.compile(
    r"^(?:these|this|that|those|they|it|its|such|any|all|other|others|some|most|many|"
    r"few|each|every|if|when|while|although|should|there|here|you|your|more|further|"
    r"additional|potential|with|in|for|during|after|at|on|under|by|from|due|as)\b"
    r"|\b(?:no|not|none|never|without|nor|n't|if|when|unless|because|after|before|during|"
    r"but|however|tolerated|while|who|which|that|this|these|patients|people|individuals|users|cases|"
    r"rare|rarely|common|uncommon|frequent|infrequent|"
    r"side[ -]effects?|adverse|reactions?\s+(?:to|of)\s+(?:this|the)\b)\b",
    re.I,
)
_VERB = re.compile(
    r"\b(?:should|must|may|might|can|could|will|would|is|are|was|were|has|have|had|does|do|"
    r"did|causes?|leads?|results?|requires?|needs?)\b",
    re.I,
)
_PEOPLE_EXPERIENCE = re.compile(
    r"(?:(?:some|many|a\s+few|certain|few|most)\s+)?"
    r"(?:people|patients|individuals|users|women|men|children|adults|persons|you|some)\s+"
    r"(?:may|can|might|could)\s+(?:also\s+|occasionally\s+|sometimes\s+|rarely\s+)?"
    r"(?:experience|develop|notice)\s+",
    re.I,
)
_DASH = re.compile(r"\s+[–—-]\s+")
# words that deny or doubt that a reaction occurs ("has not been reported", "theoretical")
_DENIAL = (
    r"theoretical(?:ly)?|hypothetical|unproven|unlikely\s+to\s+occur|rarely\s+if\s+ever|"
    r"not\s+(?:been\s+)?(?:reported|seen|observed|associated|linked|established|proven|"
    r"confirmed)|no\s+(?:known\s+)?(?:cases?|reports?)"
)
_DENIED = re.compile(rf"\b(?:{_DENIAL})\b", re.I)
# and, in a dashed description, anything it leaves unknown
_DOUBT = re.compile(rf"\b(?:{_DENIAL}|unclear|uncertain|unknown|not\s+(?:been\s+)?known)\b", re.I)
_MAX_SUBJECT_WORDS = 25


def _outside_parentheses(text: str, start: int, position: int) -> bool:
    return text.count("(", start, position) == text.count(")", start, position)


def is_term_list(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] can be a list of reaction names: no verb, no negation,
    no category noun, pronoun, people word or clause opener, not too long."""
    start, end = trim(text, start, end, " \t\n*_,;:")
    if start >= end:
        return False
    span = text[start:end]
    return (
        span.count("(") == span.count(")")
        and len(span.split()) <= _MAX_SUBJECT_WORDS
        and _NOT_A_SUBJECT.search(span) is None
        and _VERB.search(span) is None
    )


class Occurrence(NamedTuple):
    """ "While rare, <subject> <predicate>": the reactions and where how often is said."""

    subject: Span
    how_often: tuple[Span, ...]  # the opener ("While rare,") if any, and the predicate


def occurrence_clause(text: str, start: int, end: int) -> Occurrence | None:
    """The parts of "<terms> are common / may occur / have been reported", else None."""
    start, end = trim(text, start, end)
    opener = _FREQUENCY_OPENER.match(text, start, end)
    exposure = _EXPOSURE_OPENER.match(text, start, end) if opener is None else None
    subject_start = opener.end() if opener else exposure.end() if exposure else start
    predicate = next(
        (
            found
            for found in _PREDICATE.finditer(text, subject_start, end)
            if _outside_parentheses(text, subject_start, found.start())
        ),
        None,
    )
    if predicate is None or not is_term_list(text, subject_start, predicate.start()):
        return None
    said = (predicate.start(), end)
    return Occurrence(
        (subject_start, predicate.start()), ((start, opener.end()), said) if opener else (said,)
    )


def experienced_object(text: str, start: int, end: int) -> Span | None:
    """The object of "Some patients may experience <terms>.", else None."""
    start, end = trim(text, start, end, " \t\n.;:")
    opener = _FREQUENCY_OPENER.match(text, start, end)
    match = _PEOPLE_EXPERIENCE.match(text, opener.end() if opener else start, end)
    if match is None or not is_term_list(text, match.end(), end):
        return None
    return match.end(), end


def dash_description(text: str, start: int, end: int) -> tuple[Span, Span] | None:
    """(term, description) of "Term (gloss) – description", else None: a dash outside
    parentheses after a term list (`doubts` says whether the description doubts it)."""
    start, end = trim(text, start, end, " \t\n*_")
    for dash in _DASH.finditer(text, start, end):
        if not _outside_parentheses(text, start, dash.start()):
            continue
        if not is_term_list(text, start, dash.start()):
            return None
        return trim(text, start, dash.start(), " \t\n*_"), (dash.end(), end)
    return None


def doubts(text: str, start: int, end: int) -> bool:
    """Whether a description doubts that its term occurs ("theoretical only", "has not
    been reported", "unproven"): the term is then no reaction."""
    return _DOUBT.search(text, start, end) is not None


def denies(text: str, start: int, end: int) -> bool:
    """Whether a label's description denies or doubts that its reaction occurs ("Liver
    injury has not been reported", "This is theoretical"). Narrower than `doubts`: an
    unknown frequency or cause ("the frequency is unknown") leaves the reaction stated."""
    return _DENIED.search(text, start, end) is not None
