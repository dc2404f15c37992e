"""What a Dosage section says once for all of its regimens.

Rules, read from the sentences outside the dosing clauses: routes (the first
route list of a sentence that says the drug is given, `medkg.extract.routes`;
a sentence about something else, such as a premedication, lends nothing),
who administers (``given|administered … by a <professional>``, ``under the
supervision of …``), dosage forms and premedications
(`medkg.extract.dosing_extras`), which sentence states how often the drug is
given (not one that hedges: "it might be taken twice daily"), course limit (``should not exceed 12
months`` -> maximum; ``for a total of 12 months``; a stated maximum wins over
a stated total), the reason for the limit (``<reason>, so …`` / ``… because
<reason>``), and what follows the course (``If … after this course,
<after>``). Used by `medkg.extract.regimen`; nothing here knows a drug.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from medkg.extract.dosing_extras import dosage_forms, premedications
from medkg.extract.precaution.rules import negated
from medkg.extract.regimen.dose import DosageReader
from medkg.extract.regimen.hedge import hedged
from medkg.extract.regimen.timing import timing_start
from medkg.model import Mention, Premedication, Quantity
from medkg.quantities import DURATION, TIME_UNITS, FoundQuantity, to_decimal
from medkg.text import Span

_GIVEN = re.compile(
    r"\b(?:given|administered|taken|injected|infused|applied|inhaled|used|take|give|swallowed)\b",
    re.I,
)

_ADMINISTERED_BY = re.compile(
    r"\b(?:(?:administered|given|injected|infused)\b[^.;]*?\bby|under\s+the\s+(?:direct\s+)?"
    r"supervision\s+of)\s+(?P<who>(?:an?|the|your)\s+(?:[\w-]+\s+){0,3}?(?:professional|provider|"
    r"nurse|doctor|physician|clinician|pharmacist|caregiver|practitioner)s?)\b",
    re.I,
)
_LIMIT_MAX = re.compile(
    r"\b(?:(?:should|must|may)\s+not\s+(?:exceed|last\s+(?:longer|more)\s+than)|not\s+to\s+exceed|"
    r"no\s+(?:longer|more)\s+than|for\s+up\s+to|(?:for\s+)?(?:up\s+to\s+)?a\s+maximum\s+of)\s+",
    re.I,
)
_LIMIT_TOTAL = re.compile(
    r"\b(?:for\s+a\s+total\s+of|for\s+a\s+(?:period|course|duration)\s+of)\s+", re.I
)
_REASON_BEFORE = re.compile(r"(?P<reason>[^,;]+?),\s*(?:so|therefore|thus|hence)\b", re.I)
_REASON_AFTER = re.compile(r"\s*,?\s*(?:because|since|as)\s+(?P<reason>[^.;]+)", re.I)
_AFTER_COURSE = re.compile(
    r"(?:(?:If|When|Where)\b[^,]*?\b(?:after|beyond|following|at\s+the\s+end\s+of)\b[^,]*?|"
    r"(?:After|Following|At\s+the\s+end\s+of)\b[^,]*?)"
    r"\b(?:course|treatment\s+period|therapy|period)\b[^,]*,\s*(?P<after>[^.;]+)",
)
_DRUG_REFERENCE = re.compile(
    r"^\W*(?:it|this\s+(?:medicine|medication|drug)|the\s+(?:medicine|medication|drug|injection|"
    r"infusion|treatment))\b",
    re.I,
)
# A sentence about changing the dose: its frequency is that of the change (titration), so it
# lends no regimen its timing.
CHANGE = re.compile(
    r"\b(?:adjust\w*|increas\w*|decreas\w*|reduc\w*|titrat\w*|increments?|lower|higher|"
    r"missed|switch\w*)\b",
    re.I,
)
_DOSE_WORD = re.compile(r"\b(?:doses?|dosage|dosing)\b", re.I)


@dataclass
class SharedFacts:
    """What the section says once for every regimen."""

    routes: tuple[Mention, ...] = ()
    administered_by: Mention | None = None
    max_duration: Quantity | None = None
    duration_limit_reason: Mention | None = None
    after_course: Mention | None = None
    route_sentence: Span | None = None  # a sentence saying how the drug is given
    timing_sentence: Span | None = None  # … and how often
    forms: tuple[Mention, ...] = ()  # "taken … as tablets, capsules or a suspension"
    premedications: tuple[Premedication, ...] = ()  # given before each administration


def shared_facts(reader: DosageReader, spans: list[Span]) -> SharedFacts:
    """Routes, administrator, course limit and its reason, the after-course plan,
    dosage forms and premedications."""
    text = reader.text
    shared = SharedFacts()
    limits: list[tuple[FoundQuantity, bool, Span]] = []
    name = reader.section.name
    for start, end in spans:
        # Routes, administrator and frequency only from sentences about the drug itself.
        given = _GIVEN.search(text, start, end) is not None and about_the_drug(
            text, start, end, reader.drug
        )
        if not shared.routes and given:
            shared.routes = reader.routes(start, end)
            if shared.routes:
                shared.route_sentence = (start, end)
        if not shared.forms and given:
            shared.forms = tuple(dosage_forms(reader.document, name, start, end))
            reader.read.extend((f.evidence.start, f.evidence.end) for f in shared.forms)
        # The sentence stays a statement too: its purpose ("to reduce …") is not structured.
        shared.premedications += tuple(premedications(reader.document, name, start, end))
        at = timing_start(text, start, end) if given else None
        if (
            shared.timing_sentence is None
            and at is not None
            and not negated(text, start, at)
            and not CHANGE.search(text, start, end)
            and not hedged(text, start, end)
        ):
            shared.timing_sentence = (start, end)
        if shared.administered_by is None and given:
            who = _ADMINISTERED_BY.search(text, start, end)
            if who:
                shared.administered_by = reader.mention(*who.span("who"))
                reader.read.append(who.span("who"))
        for pattern, is_max in ((_LIMIT_MAX, True), (_LIMIT_TOTAL, False)):
            for match in pattern.finditer(text, start, end):
                duration = DURATION.match(text, match.end(), end)
                if duration:
                    unit = TIME_UNITS[duration.group("unit").lower()]
                    value = to_decimal(duration.group("low"))
                    high = duration.group("high")
                    found = FoundQuantity(
                        duration.start(),
                        duration.end(),
                        unit,
                        None if high else value,
                        value if high else None,
                        to_decimal(high) if high else None,
                        False,
                    )
                    limits.append((found, is_max, (start, end)))
        if shared.after_course is None:
            after = _AFTER_COURSE.match(text, start, end)
            if after:
                shared.after_course = reader.mention(*after.span("after"))
                reader.read.append(after.span("after"))
    _course_limit(reader, shared, limits)
    return shared


def about_the_drug(text: str, start: int, end: int, drug: str, dose: bool = False) -> bool:
    """Does the sentence speak of the drug: its name, "It …", "The medication …"
    (or, with `dose`, its dose)?

    Sentences about something else given alongside (a premedication) must not
    lend the regimen their route, administrator, frequency or maximum.
    """
    sentence = text[start:end]
    for name in re.findall(r"[\w-]{4,}", drug):
        if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", sentence, re.I):
            return True
    return _DRUG_REFERENCE.search(sentence) is not None or (
        dose and _DOSE_WORD.search(sentence) is not None
    )


def _course_limit(
    reader: DosageReader, shared: SharedFacts, limits: list[tuple[FoundQuantity, bool, Span]]
) -> None:
    """The course limit: a stated maximum wins over a stated total; agreeing statements
    are all read, a disagreeing one is left as a statement."""
    if not limits:
        return
    chosen = next((limit for limit in limits if limit[1]), limits[0])
    found, is_max, (start, end) = chosen
    shared.max_duration = reader.quantity(found, maximum=is_max)
    key = (found.value, found.low, found.high, found.unit)
    for other, _, _ in limits:
        if (other.value, other.low, other.high, other.unit) == key:
            reader.read.append((other.start, other.end))
    text = reader.text
    before = _REASON_BEFORE.match(text, start, found.start)
    after = _REASON_AFTER.match(text, found.end, end)
    reason = before or after
    if reason:
        shared.duration_limit_reason = reader.mention(*reason.span("reason"))
        reader.read.append(reason.span("reason"))
