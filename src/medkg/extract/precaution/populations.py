"""Precaution sentences that name a population or a use to be careful with.

Each rule finds, in one sentence, the span naming the population or
condition (read by `precaution_terms.conditions`), or nothing:

* `not_recommended_span` — advice against: "X is (generally) not recommended
  (while …)" gives X ("Breastfeeding is not recommended"), and "Use in X is
  not recommended" gives X. "<drug> is not recommended for X" is left a
  statement, as the project's seed annotation records it.
  A dose ("Higher doses are not recommended") or a combined use is no
  population; a hedge ("may not be recommended") does not match.
* `population_advice_span` — "<people> should consult / talk to / weigh …"
  ("Pregnant or breastfeeding women should consult their doctor"), "<people>
  should exercise / use caution", "… should proceed with caution": the
  people the advice or care is for are the population that needs care.
* `susceptible_span` — "<people> may be more susceptible / sensitive / prone
  to …" ("Older adults may be more sensitive to its side effects").
* `use_in_span` — "(Its) use in/during X should/must …" ("Use in children
  should be approached cautiously"): X.
* `contraception_span` — "… must/should use (effective) contraception …",
  "Effective contraception is essential": the contraception, with its timing
  when given, as written.
* `if_you_are_span` — advice "… if you are pregnant, breastfeeding, or
  planning to become pregnant": the states the advice is for need care
  (not "if you are taking X": an interaction).
* `population_state` — a population named by a state it is in ("pregnant
  women", "nursing mothers": ``data/terminology/population-states.csv``)
  is that state as a condition ("pregnancy", "breastfeeding"), so that the
  people and the state give one condition in one wording.
* `pregnancy_category` — "classified as pregnancy category C", "a Category
  C drug during pregnancy": the pregnancy word and the category (B, C, D or
  X; category A says no risk was shown and is no caution, nor is a category
  the sentence calls safe).
"""

from __future__ import annotations

import functools
import re

from medkg.extract.precaution.rules import PEOPLE, drug_object, negated
from medkg.extract.precaution.terms import TERM_EDGE
from medkg.resources import terminology_rows
from medkg.text import Span, trim

_ADVERBS = r"(?:(?:generally|usually|typically|also|strongly|currently|often|normally)\s+)*"
_NOT_RECOMMENDED = re.compile(
    rf"(?P<subject>[^,;:]+?)\s+(?:is|are)\s+{_ADVERBS}not\s+{_ADVERBS}recommended\b",
    re.I,
)
_USE_IN = re.compile(
    r"(?:the\s+|its\s+)?(?:use|administration)\s+(?:of\s+(?P<what>[\w\s-]+?)\s+)?"
    r"(?:in|during|for|by|while)\s+",
    re.I,
)
_USE_IN_SHOULD = re.compile(
    r"(?:the\s+|its\s+)?(?:use|administration)\s+(?:of\s+(?P<what>[\w\s+-]+?)\s+)?"
    r"(?:in|during|by)\s+(?P<where>(?:(?!\b(?:is|are|requires?|needs?|may|can)\b)[^,;:])+?)"
    r"\s+(?:should|must)\b",
    re.I,
)
_NOT_A_POPULATION = re.compile(
    r"\b(?:dos(?:e|es|age|ing)|concurrent|concomitant|combined|simultaneous|routine|"
    r"no|not|whether|unknown)\b",
    re.I,
)
_OBJECT_END = re.compile(
    r",|\s+(?:as|because|since|due\s+to|unless|without|except|which|so|while|until)\b", re.I
)
_PEOPLE_WORDS = rf"(?:{PEOPLE}|elderly|the\s+elderly|older\s+adults|geriatric\s+patients)"
_POPULATION_ADVICE = re.compile(
    rf"(?P<people>(?:[\w-]+\s+){{0,5}}?{_PEOPLE_WORDS}(?:\s+(?:with|who)\s+[^,;]+?)?)\s+"
    r"(?:should|must)\s+(?:(?:always|also|first|carefully|only)\s+)*"
    r"(?:consult|talk|speak|discuss|seek|inform|tell|check|weigh|ask|"
    r"(?:exercise|use)\s+(?:\w+\s+)?caution|proceed\s+with)\b",
    re.I,
)
_SUSCEPTIBLE = re.compile(
    rf"(?P<people>(?:[\w-]+\s+){{0,5}}?{_PEOPLE_WORDS}(?:\s+(?:and|or)\s+[\w\s-]+?)?)\s+"
    r"(?:(?:may|might|can|could)\s+be|are|is)\s+(?:\w+\s+)?"
    r"(?:more|particularly|especially)\s+(?:susceptible|sensitive|prone|vulnerable)"
    r"(?=\s+(?:to|and)\b|\s*[.,;]|$)",
    re.I,
)
_CONTRACEPTION = re.compile(
    r"\b(?:should|must)\s+(?:\w+\s+)?use\s+(?P<what>(?:(?:effective|reliable|adequate|highly|"
    r"two|appropriate)\s+)*(?:(?:forms?|methods?)\s+of\s+)?(?:contraception|birth\s+control)"
    r"(?:(?!,|\s+and\s+(?!for\b|during\b|after\b|until\b|up\b))[^.;])*)"
    # "Effective contraception is essential (during treatment)"
    r"|(?P<subject>(?:(?:effective|reliable|adequate|highly|appropriate)\s+)*"
    r"(?:contraception|birth\s+control))\s+(?:is|are)\s+(?:\w+\s+)?(?:essential|necessary|"
    r"required|mandatory|recommended|needed)\b",
    re.I,
)
_CATEGORY = re.compile(r"\bcategory\s+(?P<category>[BCDX])\b", re.I)
_SAFE = re.compile(r"\bsafe\b", re.I)
_PREGNANCY = re.compile(r"\bpregnan(?:cy|t)\b", re.I)


def _object(text: str, start: int, end: int) -> Span | None:
    cut = _OBJECT_END.search(text, start, end)
    span = trim(text, start, cut.start() if cut else end, TERM_EDGE)
    return span if span[0] < span[1] else None


def not_recommended_span(text: str, start: int, end: int, drug: str) -> Span | None:
    """Where "X is not recommended" names X, or None (see the module doc)."""
    found = _NOT_RECOMMENDED.match(text, start, end)
    if found is None:
        return None
    subject = found.group("subject")
    if re.fullmatch(rf"(?:(?:its\s+)?use|{drug_object(drug)})", subject, re.I):
        return None  # "<drug> is not recommended for X" stays a statement (seed annotation)
    use = _USE_IN.match(subject)
    if use is not None:
        what = use.group("what")
        if what and not re.fullmatch(drug_object(drug), what, re.I):
            return None  # "use of X in …": X is another substance
        return _object(text, found.start("subject") + use.end(), found.end("subject"))
    if _NOT_A_POPULATION.search(subject):
        return None
    return trim(text, *found.span("subject"), TERM_EDGE)


def population_advice_span(text: str, start: int, end: int, drug: str = "") -> Span | None:
    """ "<people> should consult …": the people, or None."""
    found = _POPULATION_ADVICE.match(text, start, end)
    if found is None or negated(text, start, found.end()):
        return None
    return found.span("people")


def susceptible_span(text: str, start: int, end: int, drug: str = "") -> Span | None:
    """ "<people> may be more sensitive to …": the people, or None."""
    found = _SUSCEPTIBLE.match(text, start, end)
    if found is None or negated(text, start, found.end()):
        return None
    return found.span("people")


_IF_YOU_ARE = re.compile(
    r"\bif\s+you\s+are\s+(?!(?:currently\s+|already\s+)?(?:taking|using|on|receiving)\b)"
    r"(?:currently\s+|already\s+)?",
    re.I,
)


_STATES_END = re.compile(
    r"\s+(?:as|because|since|due\s+to|unless|before|while|so|to\s+(?:avoid|prevent|ensure))\b|[;(]",
    re.I,
)


def if_you_are_span(text: str, start: int, end: int, drug: str = "") -> Span | None:
    """ "Consult your doctor … if you are pregnant or breastfeeding": the states, or None."""
    found = _IF_YOU_ARE.search(text, start, end)
    if found is None or negated(text, start, found.start()):
        return None
    cut = _STATES_END.search(text, found.end(), end)
    span = trim(text, found.end(), cut.start() if cut else end, TERM_EDGE)
    return span if span[0] < span[1] else None


def contraception_span(text: str, start: int, end: int, drug: str = "") -> Span | None:
    """ "… must use effective contraception during …": the contraception as written."""
    start = trim(text, start, end, TERM_EDGE)[0]
    found = _CONTRACEPTION.search(text, start, end)
    if found is None or negated(text, start, found.start()):
        return None
    group = "what" if found.group("what") is not None else "subject"
    if group == "subject" and found.start() != start:
        return None  # the contraception is the sentence's subject
    span = trim(text, *found.span(group), TERM_EDGE)
    return span if span[0] < span[1] else None


def pregnancy_category(text: str, start: int, end: int) -> tuple[Span, Span] | None:
    """The pregnancy word and the category of "pregnancy category C", or None."""
    category = _CATEGORY.search(text, start, end)
    pregnancy = _PREGNANCY.search(text, start, end)
    if category is None or pregnancy is None:
        return None
    if negated(text, start, min(category.start(), pregnancy.start())):
        return None
    safe = _SAFE.search(text, start, end)
    if safe is not None and not negated(text, start, safe.start()):
        return None  # "category B (generally considered safe)": a reassurance
    return pregnancy.span(), category.span()


def use_in_span(text: str, start: int, end: int, drug: str = "") -> Span | None:
    """ "(Its) use in/during X should/must …": X, the use of the drug needing care."""
    found = _USE_IN_SHOULD.match(text, start, end)
    if found is None:
        return None
    what = found.group("what")
    if what and not re.fullmatch(drug_object(drug), what, re.I):
        return None  # "use of X during …": X is another substance
    return found.span("where")


@functools.cache
def _states() -> dict[str, str]:
    rows = terminology_rows("population-states.csv", "population state list", ("word", "condition"))
    return {row["word"].strip().lower(): row["condition"].strip() for row in rows}


_STATE_PEOPLE = re.compile(
    r"(?P<state>[\w-]+)(?:\s+(?:women|mothers|patients|individuals|people|persons|females|ladies))?",
    re.I,
)


def population_state(phrase: str) -> str | None:
    """The condition a population, or the state alone, is named by ("pregnant women",
    "pregnant" -> "pregnancy"), or None."""
    found = _STATE_PEOPLE.fullmatch(" ".join(phrase.split()))
    if found is None:
        return None
    condition = _states().get(found.group("state").lower())
    return None if condition is None or condition == phrase.strip().lower() else condition
