"""How long, where and by whom: the Duration, Setting and Personnel of a code page.

- **Duration**: clauses of the Duration text; each time phrase is a duration
  of the appointment (``appointment``, ``visit``, ``session`` …), of
  observation (``observation``, ``monitoring``) or else of the procedure.
  Vague phrases (``a few minutes``) and lower bounds (``at least one hour``)
  keep their words and no quantity. In a sentence that states a duration, a
  clause that states none is kept as a statement.
- **Setting**: items, or the list after ``in``/``at`` in a sentence (after a
  verb such as ``performed``/``given`` when there is one; the whole sentence
  when it has no ``in``/``at``), split at commas and ``or``, articles dropped.
- **Personnel**: a role verb (gives/administers -> administers;
  oversees/supervises -> supervises; performs; assists) with its subject, or
  its agent after ``by``; ``may`` makes it optional. A bare noun list
  (``Nurse or pharmacist``) names people who perform the procedure.
"""

from __future__ import annotations

import re
from typing import Literal

from medkg.extract.code_page.units import Page, section_units, strip_article
from medkg.model import DurationFact, Mention, PersonnelFact, Quantity
from medkg.quantities import find_durations
from medkg.text import Span, split_list, trim

_CLAUSE_BREAK = re.compile(
    r";\s*|,\s*(?:but|followed\s+by|and|while|whereas|plus)\s+|\s+followed\s+by\s+",
    re.IGNORECASE,
)
_VAGUE_TIME = re.compile(
    r"\b(?:a\s+few|several|a\s+couple\s+of|few)\s+(?:seconds|minutes|hours|days|weeks)\b",
    re.IGNORECASE,
)
_APPROXIMATE = re.compile(r"(?:about|around|approximately|roughly|approx\.|~)\s*$", re.I)
_AT_MOST = re.compile(r"(?:up\s+to|less\s+than|under|no\s+more\s+than|at\s+most)\s+$", re.I)
_AT_LEAST = re.compile(r"(?:at\s+least|more\s+than|over|longer\s+than)\s+$", re.IGNORECASE)
_APPOINTMENT = re.compile(r"\b(?:appointment|visit|session|stay|entire|whole|total)\b", re.I)
_OBSERVATION = re.compile(r"\b(?:observ\w*|monitor\w*|watched|waiting)\b", re.IGNORECASE)

_SETTING_VERB_PLACE = re.compile(
    r"\b(?:performed|given|done|administered|carried\s+out|takes?\s+place|provided|held|used)"
    r"\b[^.;]*?\b(?:in|at)\s+",
    re.IGNORECASE,
)
_SETTING_PLACE = re.compile(r"(?<=\s)(?:in|at)\s+", re.IGNORECASE)

_ROLE_VERBS: tuple[tuple[Literal["administers", "supervises", "assists", "performs"], str], ...] = (
    (
        "administers",
        r"administer(?:s|ed|ing)?|gives?|given|giving|inject(?:s|ed|ing)?|"
        r"infuse[sd]?|infusing",
    ),
    ("supervises", r"oversee[sn]?|overseeing|oversaw|supervis(?:e|es|ed|ing)|monitor(?:s|ed|ing)?"),
    ("performs", r"perform(?:s|ed|ing)?|carr(?:y|ies|ied)\s+out|done|does"),
    ("assists", r"assist(?:s|ed|ing)?|help(?:s|ed|ing)?"),
)
_ROLE_VERB = re.compile(
    "|".join(rf"\b(?P<{role}>{verbs})\b" for role, verbs in _ROLE_VERBS), re.IGNORECASE
)
_AUXILIARY_TAIL = re.compile(
    r"(?:\s+(?:is|are|was|were|will|can|may|might|should|must|usually|typically|also|"
    r"be|present|available|to|generally|often))+\s*$",
    re.IGNORECASE,
)
_OPTIONAL = re.compile(r"\b(?:may|might|can|if\s+needed|if\s+necessary|optionally)\b", re.I)


def _clauses(text: str, start: int, end: int) -> list[Span]:
    spans: list[Span] = []
    cursor = start
    for match in _CLAUSE_BREAK.finditer(text, start, end):
        spans.append(trim(text, cursor, match.start(), " \t.,"))
        cursor = match.end()
    spans.append(trim(text, cursor, end, " \t.,"))
    return [(s, e) for s, e in spans if s < e]


def duration_facts(page: Page) -> tuple[DurationFact, ...]:
    """Durations stated in the Duration section, one per time phrase. In a
    sentence that states one, a clause that states none is kept as a statement."""
    text = page.text
    found: list[DurationFact] = []
    for unit in section_units(page, "Duration"):
        unused: list[Span] = []
        for c_start, c_end in _clauses(text, unit.start, unit.end):
            phrases = _time_phrases(page, unit.section, c_start, c_end)
            if not phrases:
                unused.append((c_start, c_end))
                continue
            of: Literal["procedure", "appointment", "observation"] = "procedure"
            if _APPOINTMENT.search(text, c_start, c_end):
                of = "appointment"
            elif _OBSERVATION.search(text, c_start, c_end):
                of = "observation"
            clause_ev = page.evidence(unit.section, c_start, c_end)
            for quantity, phrase in phrases:
                found.append(
                    DurationFact(of=of, evidence=clause_ev, quantity=quantity, text=phrase)
                )
            page.use(c_start, c_end)
        if page.is_used(unit.start, unit.end):
            for start, end in unused:
                page.keep(unit.section, start, end)
    return tuple(found)


def _time_phrases(
    page: Page, section: str, start: int, end: int
) -> list[tuple[Quantity | None, str]]:
    """(quantity, words) for each time phrase; no quantity for vague or
    lower-bound phrases."""
    text = page.text
    phrases: list[tuple[int, Quantity | None, str]] = []
    for vague in _VAGUE_TIME.finditer(text, start, end):
        phrases.append((vague.start(), None, vague.group()))
    for q in find_durations(text, start, end):
        if q.start > 0 and text[q.start - 1].isalnum():
            continue  # "a minute" inside "data minutes"
        if any(s <= q.start < s + len(words) for s, _, words in phrases):
            continue
        before = text[max(start, q.start - 30) : q.start]
        at_least = _AT_LEAST.search(before)
        approx = _APPROXIMATE.search(before)
        at_most = _AT_MOST.search(before)
        qualifier = at_least or approx or at_most
        q_start = max(start, q.start - 30) + qualifier.start() if qualifier else q.start
        words = text[q_start : q.end]
        if at_least:
            phrases.append((q_start, None, words))
            continue
        quantity = Quantity(
            unit=q.unit,
            evidence=page.evidence(section, q_start, q.end),
            value=q.value,
            low=q.low,
            high=q.high,
            approximate=approx is not None,
            maximum=at_most is not None,
        )
        phrases.append((q_start, quantity, words))
    return [(quantity, words) for _, quantity, words in sorted(phrases, key=lambda p: p[0])]


def setting_mentions(page: Page) -> tuple[Mention, ...]:
    """Places from Setting items, or from the list after ``in``/``at``."""
    text = page.text
    places: list[Mention] = []
    for unit in section_units(page, "Setting"):
        start = unit.start
        if unit.block.kind == "paragraph":
            place = _SETTING_VERB_PLACE.search(text, unit.start, unit.end) or (
                _SETTING_PLACE.search(text, unit.start, unit.end)
            )
            if place:
                start = place.end()
        for s, e in split_list(text, start, unit.end, split_or=True):
            places.append(page.mention(unit.section, *strip_article(text, s, e)))
        page.use(unit.start, unit.end)
    return tuple(places)


def personnel_facts(page: Page) -> tuple[PersonnelFact, ...]:
    """Who does what, from Personnel items and sentences."""
    text = page.text
    people: list[PersonnelFact] = []
    for unit in section_units(page, "Personnel"):
        unit_ev = page.evidence(unit.section, unit.start, unit.end)
        verb = _ROLE_VERB.search(text, unit.start, unit.end)
        if verb is None:
            for s, e in split_list(text, unit.start, unit.end, split_or=True):
                who = page.mention(unit.section, *strip_article(text, s, e))
                people.append(PersonnelFact(who=who, role="performs", evidence=unit_ev))
            page.use(unit.start, unit.end)
            continue
        role = next(r for r, _ in _ROLE_VERBS if verb.group(r) is not None)
        by = re.compile(r"\s+by\s+", re.IGNORECASE).match(text, verb.end(), unit.end)
        if by:
            w_start, w_end = trim(text, by.end(), unit.end, " \t.,;")
            optional = False
        else:
            w_start, w_end = unit.start, verb.start()
            tail = _AUXILIARY_TAIL.search(text, w_start, w_end)
            if tail:
                w_end = tail.start()
            optional = _OPTIONAL.search(text, unit.start, verb.start()) is not None
        w_start, w_end = strip_article(text, *trim(text, w_start, w_end, " \t.,;"))
        if w_start >= w_end:
            continue
        who = page.mention(unit.section, w_start, w_end)
        people.append(PersonnelFact(who=who, role=role, evidence=unit_ev, optional=optional))
        page.use(unit.start, unit.end)
    return tuple(people)
