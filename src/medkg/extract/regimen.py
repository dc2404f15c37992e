"""Dosage section -> dosing regimens, special-population guidance, statements.

Every rule keys on general dosing phrasing; nothing here knows a drug.

Where regimens come from:

* a list item that states a dose is one regimen; its bold label
  (``**Adults with XLH:** 1 mg/kg every four weeks``) is the population when
  it names people, the phase when it says "loading"/"maintenance"/"initial";
* otherwise each sentence (or ``…, then …`` clause) of the paragraphs that
  states a dose is one regimen. Phase words set its phase ("first / initial
  / starting dose" -> initial, "loading" -> loading, an opening "after that
  / then / thereafter" or the word "maintenance" -> maintenance); a regimen
  stated before a maintenance one, with no phase word, is the initial one.

What counts as a dose (a quantity from `find_quantities`, ranges ``200 mg to
400 mg`` joined): ``dose of Q`` / ``dose is Q`` (the dose; "total monthly
dose of 210 mg"), ``Q <form>`` (``two consecutive 105 mg injections``: unit
dose, count, form, consecutive; the same ``Q <form>`` stated twice — "a 300
mg infusion, followed two weeks later by a second 300 mg infusion" — is two
units that are not consecutive: each is one administration of `dose`,
spaced by the timing), ``Q every …`` / ``Q once …`` (the dose), a quantity opening a list
item, and counted forms (``1 to 2 tablets`` -> a ``{tablet}`` quantity;
``2 tablets of 500 mg`` -> two units of 500 mg). Not doses: a quantity after
"by" or "nearest" (titration steps, rounding); unit sizes that differ within
one clause (then the clause is kept as a statement, not guessed at).
Maxima: ``up to (a maximum of) Q``, ``do not exceed Q``, ``no more than Q``,
``the maximum (single) dose is Q`` -> `max_dose`; the same with ``per day`` /
``in 24 hours`` / ``maximum daily dose`` -> `max_daily_dose`; ``maximum weekly
dose`` counts as the maximum single dose of a once-weekly regimen only. A
maximum that names another substance (``the total <name> dose``) or comes
after one already found is left alone.

Timing (first one in the dosing clause, else in a sentence saying the drug
is given/taken/administered): ``once|twice|N times a|per day|week…``,
``once daily|weekly``, ``every (N (to M)) hours|days|weeks|months``, ``every
other day``, ``N weeks later|apart`` (the gap between units), a bare
``daily|weekly`` not followed by "dose"; "as needed" sets `as_needed`.

Shared by every regimen of the section: route (first route word in the
dosing clause, else in a sentence that says the drug is given; a sentence
about something else, such as a premedication, lends nothing), who
administers (``given|administered … by a <professional>``, ``under the
supervision of …``), course limit (``should not exceed 12 months`` ->
maximum; ``for a total of 12 months``), the reason for the limit (``<reason>,
so …`` / ``… because <reason>``), what follows the course (``If … after this
course, <after>``).

Population guidance: ``(dose|dosage) adjustments are … needed for P``, ``For
those|patients with P, <guidance>``, ``not approved|recommended|used for
(use in) P``, and labelled items without a dose whose label names people.

Every other sentence is kept as StatementFact(kind="unstructured").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from medkg.extract.dosing_extras import (
    ROUTE,
    dosage_forms,
    premedications,
    unit_strengths,
)
from medkg.model import (
    Document,
    Evidence,
    Mention,
    PopulationGuidance,
    Premedication,
    Quantity,
    RegimenFact,
    Section,
    StatementFact,
    Timing,
)
from medkg.quantities import (
    DURATION,
    NUMBER_WORDS,
    TIME_UNITS,
    FoundQuantity,
    find_quantities,
    to_decimal,
)
from medkg.text import Span, evidence, mention, sentences, singular, trim

# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------

_NUMBER_WORD = "|".join(
    sorted(
        (
            w
            for w in NUMBER_WORDS
            if w not in ("a", "an", "once", "twice", "thrice", "both", "single")
        ),
        key=len,
        reverse=True,
    )
)
_NUM = rf"(?:\d+(?:\.\d+)?|{_NUMBER_WORD})"
_INT = rf"(?:\d+|{_NUMBER_WORD})"
_TIME_UNIT = r"hours?|days?|weeks?|months?|years?"

_FORM = (
    r"injections?|infusions?|tablets?|capsules?|syringes?|pens?|vials?|patch(?:es)?|puffs?|"
    r"drops?|sachets?|suppositor(?:y|ies)|lozenges?|sprays?"
)
_COUNTABLE_FORM = r"tablets?|capsules?|puffs?|drops?|sachets?|suppositor(?:y|ies)|lozenges?|sprays?"

_FORM_AFTER = re.compile(
    rf"\s+(?:(?!(?:and|or|of|to|per|in|with|each|every)\b)[A-Za-z-]+\s+){{0,2}}?"
    rf"(?P<form>{_FORM})\b",
    re.I,
)
_COUNT_BEFORE = re.compile(
    rf"\b(?P<count>\d+|{_NUMBER_WORD})\s+(?:(?P<consecutive>consecutive)\s+)?$", re.I
)
_COUNTED_FORM = re.compile(
    rf"\b(?P<low>\d+|{_NUMBER_WORD})(?:\s*(?:to|or|-|–)\s*(?P<high>\d+|{_NUMBER_WORD}))?\s+"
    rf"(?P<form>{_COUNTABLE_FORM})\b",
    re.I,
)
_DOSE_OF = re.compile(r"\bdoses?\s+(?:is|of|was|=)\s*$", re.I)
_MAX_DOSE_OF = re.compile(
    r"\bmaximum\s+(?:(?P<per>daily|weekly|monthly|single|total)\s+)?(?:[a-z]+\s+)?"
    r"dose\s+(?:is|of|=)\s*$",
    re.I,
)
_MAX_BEFORE = re.compile(
    r"\b(?:up\s+to(?:\s+a)?(?:\s+maximum(?:\s+of)?)?|(?:do|does|must|should|may)\s+not\s+exceed|"
    r"not\s+to\s+exceed|no\s+more\s+than|not\s+more\s+than|(?:a\s+)?maximum\s+of|at\s+most)\s*$",
    re.I,
)
_NAMED_DOSE = re.compile(
    r"\b(?P<name>[A-Za-z][\w-]*)\s+(?:daily\s+)?dose\s+(?:must|should|may|does|do)\s+not\s+exceed\s*$",
    re.I,
)
_DOSE_WORDS = frozenset(
    {
        "total",
        "daily",
        "weekly",
        "monthly",
        "single",
        "maximum",
        "the",
        "a",
        "each",
        "this",
        "your",
        "recommended",
        "usual",
        "starting",
        "initial",
        "maintenance",
    }
)
_NOT_DOSE = re.compile(r"\b(?:by|nearest|increments?\s+of|steps?\s+of|than)\s*$", re.I)
_APPROXIMATE = re.compile(r"\b(?:about|around|approximately|roughly)\s*$", re.I)
_PER_DAY = re.compile(
    r"\s*(?:(?:per|a|each|every)\s+day|in\s+(?:24\s+hours|a\s+day|one\s+day)|daily|/\s*day)\b",
    re.I,
)
_WORDS_BEFORE_TIMING = re.compile(r"(?:\s+[A-Za-z-]+){1,6}")  # no digits, no punctuation
_WORD = re.compile(r"\s+[A-Za-z-]+")
_RANGE_JOIN = re.compile(r"\s*(?:to|-|–|—)\s*$")

# Timing: each pattern's groups are read by `_timing_from`.
_TIMINGS = (
    re.compile(
        rf"\b(?P<n>once|twice|thrice|(?P<k>{_INT})\s+times)\s+(?:a|an|per|each|every)\s+"
        rf"(?P<unit>hour|day|week|month|year)\b",
        re.I,
    ),
    re.compile(
        rf"\b(?P<n>once|twice|thrice|(?P<k>{_INT})\s+times)\s+"
        r"(?P<adverb>hourly|daily|weekly|monthly|yearly|annually)\b",
        re.I,
    ),
    re.compile(r"\bevery\s+other\s+(?P<other>day|week|month)\b", re.I),
    re.compile(
        rf"\b(?:every|each)\s+(?:(?P<p>{_NUM})(?:\s*(?:to|-|–)\s*(?P<pmax>{_NUM}))?\s+)?"
        rf"(?P<unit>{_TIME_UNIT})\b",
        re.I,
    ),
    re.compile(rf"\b(?P<p>{_NUM})\s+(?P<unit>{_TIME_UNIT})\s+(?:later|apart)\b", re.I),
    re.compile(
        r"(?<!total\s)(?<!maximum\s)\b(?P<adverb>daily|weekly|monthly|yearly|annually|nightly)\b"
        r"(?!\s+(?:dose|doses|total|maximum|limit))",
        re.I,
    ),
)
_ADVERB_UNITS = {
    "hourly": "h",
    "daily": "d",
    "nightly": "d",
    "weekly": "wk",
    "monthly": "mo",
    "yearly": "a",
    "annually": "a",
}
_AS_NEEDED = re.compile(
    r"\s*,?\s*(?:as|when|if)\s+(?:needed|required|necessary)\b|\s*\bPRN\b", re.I
)
_GIVEN = re.compile(
    r"\b(?:given|administered|taken|injected|infused|applied|inhaled|used|take|give)\b", re.I
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

_ADJUSTMENT = re.compile(
    r"(?P<g>(?:no\s+)?(?:dose|dosage|dosing)\s+(?:adjustments?|changes?|reductions?)\s+(?:is|are)\s+"
    r"(?:[a-z]+\s+)?(?:not\s+)?(?:needed|required|necessary|recommended|advised))\s+"
    r"(?:for|in)\s+(?:(?:patients|people|those|individuals)\s+with\s+)?(?P<p>[^.;]+)",
    re.I,
)
_FOR_THOSE_WITH = re.compile(
    r"(?:For|In)\s+(?:those|patients|people|individuals|anyone|adults|children)\s+"
    r"(?:with|who\s+have|on)\s+",
)
_NOT_APPROVED = re.compile(
    r"\b(?P<g>not\s+(?:be\s+)?(?:approved|recommended|indicated|used|intended|given)\s+"
    r"(?:for\s+use\s+)?(?:in|for)\s+(?P<p>[^.;]+))",
    re.I,
)
_FOR_POPULATION = re.compile(
    r"(?:For|In)\s+(?P<p>(?:adults|children|adolescents|infants|patients|people|the\s+elderly|"
    r"older\s+adults)[^,.;]{0,60}),\s*"
)
_POPULATION_WORDS = re.compile(
    r"\b(?:adults?|children|child|p(?:a)?ediatric|adolescents?|infants?|neonates?|elderly|older|"
    r"patients?|people|women|men|impairment|insufficiency|pregnan\w*|breast-?feeding|dialysis|"
    r"weigh\w*|years?|months?)\b",
    re.I,
)
_PHASE_LOADING = re.compile(r"\bloading\b", re.I)
_PHASE_INITIAL = re.compile(
    r"\b(?:first|initial|starting|start)\s+(?:dose|doses|infusions?|injections?)\b|\binitially\b|"
    r"\bto\s+start\b|^\s*initial\b",
    re.I,
)
_PHASE_MAINTENANCE = re.compile(
    r"\b(?:after\s+that|thereafter|then|subsequent(?:ly)?|maintenance|after\s+which)\b", re.I
)
_PHASE_CUT = re.compile(r"[,;]\s*(?:and\s+)?(?=(?:then|after\s+that|thereafter)\b)", re.I)
_LABEL = re.compile(r"\*\*(?P<label>[^*\n]+?)\s*:?\s*\*\*\s*:?\s*")


# --------------------------------------------------------------------------
# What one dosing clause states
# --------------------------------------------------------------------------


@dataclass
class _Dose:
    """The dosing facts read from one clause or list item, and the spans they came from."""

    dose: Quantity | None = None
    unit_dose: Quantity | None = None
    unit_count: int | None = None
    unit_form: str | None = None
    consecutive: bool = False
    timing: Timing | None = None
    max_dose: Quantity | None = None
    max_daily_dose: Quantity | None = None
    ambiguous: bool = False
    read: list[Span] = field(default_factory=list)

    @property
    def states_dose(self) -> bool:
        return not self.ambiguous and (self.dose is not None or self.unit_dose is not None)


@dataclass
class _Maximum:
    found: FoundQuantity
    daily: bool
    per_period: str | None  # "wk" / "mo": a "maximum weekly dose"


class _Reader:
    """Reads one Dosage section; collects facts and the spans it understood."""

    def __init__(self, document: Document, section: Section, drug: str) -> None:
        self.document = document
        self.text = document.text
        self.section = section
        self.drug = drug
        self.read: list[Span] = []

    # ---- building blocks -------------------------------------------------

    def evidence(self, start: int, end: int) -> Evidence:
        return evidence(self.document, self.section.name, start, end)

    def mention(self, start: int, end: int, glosses: tuple[str, ...] = ()) -> Mention:
        return mention(self.document, self.section.name, start, end, glosses)

    def quantity(self, found: FoundQuantity, maximum: bool = False) -> Quantity:
        start = max(0, found.start - 20)
        approximate = _APPROXIMATE.search(self.text, start, found.start) is not None
        return Quantity(
            unit=found.unit,
            evidence=self.evidence(found.start, found.end),
            value=found.value,
            low=found.low,
            high=found.high,
            approximate=approximate,
            maximum=maximum,
        )

    def quantities(self, start: int, end: int) -> list[FoundQuantity]:
        """Dose quantities in text[start:end]; "200 mg to 400 mg" becomes one range."""
        found = find_quantities(self.text, start, end)
        joined: list[FoundQuantity] = []
        for item in found:
            if joined:
                last = joined[-1]
                gap = self.text[last.end : item.start]
                if (
                    last.value is not None
                    and item.value is not None
                    and last.unit == item.unit
                    and _RANGE_JOIN.fullmatch(gap)
                    and len(gap) <= 5
                ):
                    joined[-1] = FoundQuantity(
                        last.start, item.end, last.unit, None, last.value, item.value, last.per_kg
                    )
                    continue
            joined.append(item)
        return joined

    def counted_forms(self, start: int, end: int) -> list[tuple[FoundQuantity, str]]:
        """ "1 to 2 tablets" -> a {tablet} quantity and the form word."""
        counted: list[tuple[FoundQuantity, str]] = []
        for match in _COUNTED_FORM.finditer(self.text, start, end):
            form = singular(match.group("form").lower())
            low = to_decimal(match.group("low"))
            high = to_decimal(match.group("high")) if match.group("high") else None
            counted.append(
                (
                    FoundQuantity(
                        match.start(),
                        match.end(),
                        "{" + form + "}",
                        None if high is not None else low,
                        low if high is not None else None,
                        high,
                        False,
                    ),
                    form,
                )
            )
        return counted

    def route(self, start: int, end: int) -> Mention | None:
        """The first route word in text[start:end]; a parenthetical after it is its gloss."""
        match = ROUTE.search(self.text, start, end)
        if match is None:
            return None
        gloss = re.match(r"\s*\(([^()]+)\)", self.text[match.end() : end])
        glosses = (gloss.group(1).strip(),) if gloss else ()
        self.read.append(match.span())
        return self.mention(match.start(), match.end(), glosses)

    def timing(self, start: int, end: int) -> Timing | None:
        """The first frequency stated in text[start:end]."""
        best: re.Match[str] | None = None
        for pattern in _TIMINGS:
            match = pattern.search(self.text, start, end)
            if match and (best is None or match.start() < best.start()):
                best = match
        if best is None:
            return None
        frequency, period, unit, period_max = _timing_from(best)
        stop = best.end()
        as_needed = _AS_NEEDED.match(self.text, stop, end)
        if as_needed:
            stop = as_needed.end()
        self.read.append((best.start(), stop))
        return Timing(
            frequency=frequency,
            period=period,
            period_unit=unit,
            evidence=self.evidence(best.start(), stop),
            as_needed=as_needed is not None,
            period_max=period_max,
        )

    def maximum(self, found: FoundQuantity, clause_start: int) -> _Maximum | None:
        """Is the quantity a stated maximum, and of what?"""
        before = self.text[max(clause_start, found.start - 60) : found.start]
        of_dose = _MAX_DOSE_OF.search(before)
        if of_dose is None and _MAX_BEFORE.search(before) is None:
            return None
        named = _NAMED_DOSE.search(before)
        if (
            named
            and named.group("name").lower() not in _DOSE_WORDS
            and (named.group("name").lower() not in self.drug.lower())
        ):
            return None
        per = (of_dose.group("per") or "").lower() if of_dose else ""
        daily = per == "daily" or _PER_DAY.match(self.text, found.end) is not None
        per_period = {"weekly": "wk", "monthly": "mo"}.get(per)
        return _Maximum(found, daily, per_period)

    # ---- one dosing clause -------------------------------------------------

    def dose(self, start: int, end: int, opens_item: bool = False) -> _Dose:
        """Everything a clause (a sentence part or a list item body) says about one dose."""
        text = self.text
        reading = _Dose()
        totals: list[FoundQuantity] = []
        plain: list[FoundQuantity] = []
        units: list[tuple[FoundQuantity, str, int | None, bool]] = []
        maxima: list[_Maximum] = []
        for found in self.quantities(start, end):
            before = text[max(start, found.start - 60) : found.start]
            maximum = self.maximum(found, start)
            if maximum is not None:
                maxima.append(maximum)
            elif _DOSE_OF.search(before):
                totals.append(found)
            elif _NOT_DOSE.search(before):
                continue
            elif form_after := _FORM_AFTER.match(text, found.end, end):
                count = _COUNT_BEFORE.search(before)
                units.append(
                    (
                        found,
                        singular(form_after.group("form").lower()),
                        int(to_decimal(count.group("count"))) if count else None,
                        bool(count and count.group("consecutive")),
                    )
                )
            elif self._timing_follows(found.end, end) or (
                opens_item and not text[start : found.start].strip(" *:")
            ):
                plain.append(found)
        counted: list[tuple[FoundQuantity, str]] = []
        for found, form in self.counted_forms(start, end):
            maximum = self.maximum(found, start)
            if maximum is not None:
                maxima.append(maximum)
            else:
                counted.append((found, form))
        self._assemble(reading, totals, units, plain)
        if counted and not reading.ambiguous and reading.unit_dose is None:
            self._assemble_counted(reading, counted[0], plain if reading.dose else [])
        if reading.states_dose or maxima:
            reading.timing = self.timing(start, end)
        for maximum in maxima:
            self.apply_maximum(reading, maximum)
        return reading

    def _timing_follows(self, position: int, end: int) -> bool:
        """Does a frequency follow within a few plain words ("5 mg is given once yearly")?"""
        gap = _WORDS_BEFORE_TIMING.match(self.text, position, end)
        starts = [position] + (
            [] if gap is None else [m.end() for m in _WORD.finditer(self.text, position, gap.end())]
        )
        for start in starts:
            offset = start + len(self.text[start:end]) - len(self.text[start:end].lstrip())
            if any(p.match(self.text, offset, end) for p in _TIMINGS):
                return True
        return False

    def _assemble(
        self,
        reading: _Dose,
        totals: list[FoundQuantity],
        units: list[tuple[FoundQuantity, str, int | None, bool]],
        plain: list[FoundQuantity],
    ) -> None:
        if units:
            values = {(u[0].value, u[0].low, u[0].high, u[0].unit) for u in units}
            if len(values) > 1:  # different unit sizes in one clause: not one regimen
                reading.ambiguous = True
                return
            first, form, count, consecutive = units[0]
            reading.unit_form = form
            reading.consecutive = consecutive
            if count is not None and count > 1:
                reading.unit_count = count
                reading.unit_dose = self.quantity(first)
            elif len(units) > 1:  # "a 300 mg infusion, followed … by a second 300 mg infusion"
                reading.unit_count = len(units)
                reading.unit_dose = self.quantity(units[1][0])
                reading.dose = self.quantity(first)
            else:
                reading.dose = self.quantity(first)
            self.read.extend((u[0].start, u[0].end) for u in units)
        if totals:
            reading.dose = self.quantity(totals[0])
            self.read.append((totals[0].start, totals[0].end))
        elif reading.dose is None and reading.unit_dose is None and plain:
            reading.dose = self.quantity(plain[0])
            self.read.append((plain[0].start, plain[0].end))

    def _assemble_counted(
        self, reading: _Dose, counted: tuple[FoundQuantity, str], strength: list[FoundQuantity]
    ) -> None:
        """ "1 to 2 tablets" is the dose in tablets; "2 tablets … 500 mg" is two units of 500 mg."""
        found, form = counted
        reading.unit_form = form
        self.read.append((found.start, found.end))
        if not strength:
            reading.dose = self.quantity(found)
        elif found.value is not None and found.value == int(found.value):
            reading.unit_count = int(found.value)
            reading.unit_dose = reading.dose
            reading.dose = None
        else:  # a range of tablets of a stated strength: the dose in mg is not one number
            reading.ambiguous = True

    def apply_maximum(self, reading: _Dose, maximum: _Maximum) -> bool:
        """Set a maximum on the reading unless one is already set; True when it was set."""
        quantity = self.quantity(maximum.found, maximum=True)
        if maximum.daily:
            if reading.max_daily_dose is not None:
                return False
            reading.max_daily_dose = quantity
        elif maximum.per_period is not None:
            timing = reading.timing
            weekly_or_monthly = (
                timing is not None
                and timing.frequency == 1
                and timing.period == 1
                and timing.period_unit == maximum.per_period
            )
            if not weekly_or_monthly or reading.max_dose is not None:
                return False
            reading.max_dose = quantity
        else:
            if reading.max_dose is not None:
                return False
            reading.max_dose = quantity
        self.read.append((maximum.found.start, maximum.found.end))
        return True

    def maxima(self, start: int, end: int) -> list[_Maximum]:
        """Stated maxima of a sentence outside the dosing clauses."""
        found = [self.maximum(q, start) for q in self.quantities(start, end)]
        found += [self.maximum(q, start) for q, _ in self.counted_forms(start, end)]
        return [m for m in found if m is not None]


def _timing_from(match: re.Match[str]) -> tuple[int, Decimal, str, Decimal | None]:
    """(frequency, period, UCUM unit, period_max) of a timing match."""
    groups = match.groupdict()
    if groups.get("other"):
        return 1, Decimal(2), TIME_UNITS[groups["other"].lower()], None
    if groups.get("n"):
        n = groups["n"].lower()
        frequency = {"once": 1, "twice": 2, "thrice": 3}.get(n) or int(to_decimal(groups["k"]))
        if groups.get("adverb"):
            return frequency, Decimal(1), _ADVERB_UNITS[groups["adverb"].lower()], None
        return frequency, Decimal(1), TIME_UNITS[groups["unit"].lower()], None
    if groups.get("adverb"):
        return 1, Decimal(1), _ADVERB_UNITS[groups["adverb"].lower()], None
    period = to_decimal(groups["p"]) if groups.get("p") else Decimal(1)
    period_max = to_decimal(groups["pmax"]) if groups.get("pmax") else None
    return 1, period, TIME_UNITS[groups["unit"].lower()], period_max


# --------------------------------------------------------------------------
# The section
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Unit:
    """A paragraph or list item: its label (if any), its body and the body's sentences."""

    is_item: bool
    label: Span | None
    body: Span
    sentences: tuple[Span, ...]


def _units(section: Section, text: str) -> list[_Unit]:
    units: list[_Unit] = []
    blocks = [b for b in section.blocks if b.kind in ("paragraph", "item")]
    spans = [(b.kind == "item", b.start, b.end, b.label) for b in blocks]
    if not section.blocks:
        spans = [(False, section.start, section.end, None)]
    for is_item, start, end, label_text in spans:
        label: Span | None = None
        match = _LABEL.match(text, start, end)
        if match:
            label = match.span("label")
            start = match.end()
        elif label_text:
            at = text.find(label_text, start, end)
            if at >= 0:
                label = (at, at + len(label_text))
                start = trim(text, label[1], end, " \t\n:*")[0]
        start, end = trim(text, start, end, " \t\n")
        units.append(_Unit(is_item, label, (start, end), tuple(sentences(text, start, end))))
    return units


def _clauses(text: str, start: int, end: int) -> list[Span]:
    """A sentence split before ", then …" / "; after that …" (a new phase)."""
    clauses: list[Span] = []
    cursor = start
    for match in _PHASE_CUT.finditer(text, start, end):
        clauses.append((cursor, match.start()))
        cursor = match.end()
    clauses.append((cursor, end))
    if len(clauses) == 1:
        return [(start, end)]
    return [trim(text, s, e, " \t\n,;") for s, e in clauses]


def _phase(text: str, start: int, end: int, label: bool = False) -> str | None:
    """ "loading", "initial" or "maintenance" when the words of text[start:end] say so.

    In a label any maintenance word counts; in a clause only one that opens it
    ("After that, …", "then …") or the word "maintenance" itself.
    """
    if _PHASE_LOADING.search(text, start, end):
        return "loading"
    if _PHASE_INITIAL.search(text, start, end):
        return "initial"
    opening = _PHASE_MAINTENANCE.match(text, trim(text, start, end)[0], end)
    if (
        opening
        or re.search(r"\bmaintenance\b", text[start:end], re.I)
        or (label and _PHASE_MAINTENANCE.search(text, start, end))
    ):
        return "maintenance"
    return None


def _top_level_comma(text: str, start: int, end: int) -> int | None:
    depth = 0
    for i in range(start, end):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth = max(0, depth - 1)
        elif text[i] == "," and depth == 0:
            return i
    return None


@dataclass
class _Shared:
    """What the section says once for every regimen."""

    route: Mention | None = None
    administered_by: Mention | None = None
    max_duration: Quantity | None = None
    duration_limit_reason: Mention | None = None
    after_course: Mention | None = None
    route_sentence: Span | None = None  # a sentence saying how the drug is given
    timing_sentence: Span | None = None  # … and how often
    forms: tuple[Mention, ...] = ()  # "taken … as tablets, capsules or a suspension"
    premedications: tuple[Premedication, ...] = ()  # given before each administration


def _shared(reader: _Reader, spans: list[Span]) -> _Shared:
    """Route, administrator, course limit and its reason, the after-course plan,
    dosage forms and premedications."""
    text = reader.text
    shared = _Shared()
    limits: list[tuple[FoundQuantity, bool, Span]] = []
    name = reader.section.name
    for start, end in spans:
        # Route, administrator and frequency only from sentences about the drug itself.
        given = _GIVEN.search(text, start, end) is not None and _about_the_drug(
            text, start, end, reader.drug
        )
        if shared.route is None and given:
            shared.route = reader.route(start, end)
            if shared.route is not None:
                shared.route_sentence = (start, end)
        if not shared.forms and given:
            shared.forms = tuple(dosage_forms(reader.document, name, start, end))
            reader.read.extend((f.evidence.start, f.evidence.end) for f in shared.forms)
        # The sentence stays a statement too: its purpose ("to reduce …") is not structured.
        shared.premedications += tuple(premedications(reader.document, name, start, end))
        if (
            shared.timing_sentence is None
            and given
            and any(p.search(text, start, end) for p in _TIMINGS)
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


_DRUG_REFERENCE = re.compile(
    r"^\W*(?:it|this\s+(?:medicine|medication|drug)|the\s+(?:medicine|medication|drug|injection|"
    r"infusion|treatment))\b",
    re.I,
)
_DOSE_WORD = re.compile(r"\b(?:doses?|dosage|dosing)\b", re.I)


def _about_the_drug(text: str, start: int, end: int, drug: str, dose: bool = False) -> bool:
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
    reader: _Reader, shared: _Shared, limits: list[tuple[FoundQuantity, bool, Span]]
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


def _guidance(reader: _Reader, start: int, end: int) -> PopulationGuidance | None:
    """Guidance for a special population stated by the sentence text[start:end]."""
    text = reader.text
    stop = trim(text, start, end, " \t\n.")[1]
    adjustment = _ADJUSTMENT.search(text, start, stop)
    if adjustment:
        population, guidance = adjustment.span("p"), adjustment.span("g")
    elif for_with := _FOR_THOSE_WITH.match(text, start, stop):
        comma = _top_level_comma(text, for_with.end(), stop)
        if comma is None:
            return None
        population, guidance = (for_with.end(), comma), (comma + 1, stop)
    elif not_approved := _NOT_APPROVED.search(text, start, stop):
        population, guidance = not_approved.span("p"), not_approved.span("g")
    else:
        return None
    who, what = reader.mention(*population), reader.mention(*guidance)
    if not who.text or not what.text:
        return None
    reader.read.append((start, end))
    return PopulationGuidance(population=who, guidance=what, evidence=reader.evidence(start, end))


def _regimen(
    reader: _Reader,
    reading: _Dose,
    shared: _Shared,
    ev: Span,
    population: Mention | None,
    phase: str | None,
) -> RegimenFact:
    route = reader.route(*ev) or shared.route
    return RegimenFact(
        evidence=reader.evidence(*ev),
        route=route,
        population=population,
        phase=phase,
        dose=reading.dose,
        unit_dose=reading.unit_dose,
        unit_count=reading.unit_count,
        unit_form=reading.unit_form,
        consecutive=reading.consecutive,
        timing=reading.timing,
        max_duration=shared.max_duration,
        duration_limit_reason=shared.duration_limit_reason,
        after_course=shared.after_course,
        administered_by=shared.administered_by,
        max_dose=reading.max_dose,
        max_daily_dose=reading.max_daily_dose,
        forms=shared.forms,
        strengths=tuple(unit_strengths(reader.document, reader.section.name, *ev)),
        premedications=shared.premedications,
    )


def _states_dose(
    document: Document, section: Section, drug: str, span: Span, opens_item: bool = False
) -> bool:
    """Does the clause state a dose? (Read with a throw-away reader: nothing is recorded.)"""
    return _Reader(document, section, drug).dose(*span, opens_item=opens_item).states_dose


def extract_regimens(
    document: Document, section: Section, drug: str
) -> tuple[tuple[RegimenFact, ...], tuple[PopulationGuidance, ...], tuple[StatementFact, ...]]:
    """Regimens, special-population guidance and unread sentences of a Dosage section.

    `drug` is the name of the drug the section is about; a maximum that names
    another substance ("the total <name> dose must not exceed …") is not
    taken as this regimen's maximum.
    """
    reader = _Reader(document, section, drug)
    text = document.text
    units = _units(section, text)

    # 1. Dosing units: list items that state a dose, else clauses of the other blocks.
    dosing: list[tuple[_Unit, Span]] = [
        (unit, unit.body)
        for unit in units
        if unit.is_item and _states_dose(document, section, drug, unit.body, opens_item=True)
    ]
    dose_items = {unit.body for unit, _ in dosing}
    for unit in units:
        if unit.body not in dose_items:
            dosing.extend(
                (unit, clause)
                for sentence in unit.sentences
                for clause in _clauses(text, *sentence)
                if _states_dose(document, section, drug, clause)
            )
    dosing.sort(key=lambda pair: pair[1])
    dosing_spans = [span for _, span in dosing]

    # 2. Sentences outside the dosing units say what all regimens share.
    others = [
        s
        for u in units
        if u.body not in dose_items
        for s in u.sentences
        if not any(_inside(s, d) for d in dosing_spans)
    ]
    shared = _shared(reader, others)

    # 3. One regimen per dosing unit.
    regimens: list[RegimenFact] = []
    borrowed: list[Span] = []
    for unit, span in dosing:
        reading = reader.dose(*span, opens_item=unit.body == span and unit.is_item)
        population: Mention | None = None
        if unit.is_item and unit.label is not None:
            phase = _phase(text, *unit.label, label=True)
            if phase is None and _POPULATION_WORDS.search(text, *unit.label):
                population = reader.mention(*unit.label)
        else:
            phase = _phase(text, *span)
            prefix = _FOR_POPULATION.match(text, *span)
            if prefix:
                population = reader.mention(*prefix.span("p"))
                reader.read.append(prefix.span("p"))
        if reading.timing is None and shared.timing_sentence is not None:
            reading.timing = reader.timing(*shared.timing_sentence)
        for sentence in others:
            if _about_the_drug(text, *sentence, drug, dose=True):
                before = len(reader.read)
                for maximum in reader.maxima(*sentence):
                    reader.apply_maximum(reading, maximum)
                # a maximum lent by another sentence does not make that sentence read
                borrowed.extend(reader.read[before:])
                del reader.read[before:]
        regimens.append(_regimen(reader, reading, shared, span, population, phase))
    # A regimen stated before a maintenance one, with no phase word of its own, starts the course.
    for index, regimen in enumerate(regimens):
        later = regimens[index + 1 :]
        if regimen.phase is None and any(r.phase == "maintenance" for r in later):
            regimens[index] = replace(regimen, phase="initial")
    if not regimens and shared.route_sentence is not None:
        # No dose stated, but how the drug is given is: a regimen without a dose.
        ev = shared.timing_sentence or shared.route_sentence
        timing = reader.timing(*shared.timing_sentence) if shared.timing_sentence else None
        regimens.append(_regimen(reader, _Dose(timing=timing), shared, ev, None, None))

    # 4. Population guidance: labelled items without a dose, and guidance sentences.
    guidance: list[PopulationGuidance] = []
    for unit in units:
        if unit.body in dose_items:
            continue
        if (
            unit.is_item
            and unit.label is not None
            and unit.body[0] < unit.body[1]
            and _POPULATION_WORDS.search(text, *unit.label)
        ):
            reader.read.append(unit.body)
            guidance.append(
                PopulationGuidance(
                    reader.mention(*unit.label),
                    reader.mention(*unit.body),
                    reader.evidence(*unit.body),
                )
            )
            continue
        for sentence in unit.sentences:
            if sentence in others and not _touched(reader.read, sentence):
                found = _guidance(reader, *sentence)
                if found is not None:
                    guidance.append(found)

    # 5. Every sentence nothing was read from is kept as a statement.
    read = reader.read + dosing_spans
    unread = [
        # The first sentence of a labelled block keeps its label: "Missed dose:** Skip it."
        reader.evidence(u.label[0] if u.label and i == 0 else s[0], s[1])
        for u in units
        for i, s in enumerate(u.sentences)
        if not _touched(read, s)
    ]
    statements = tuple(StatementFact("unstructured", ev) for ev in unread if ev.quote)
    return tuple(regimens), tuple(guidance), statements


def _inside(outer: Span, inner: Span) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]


def _touched(read: list[Span], sentence: Span) -> bool:
    """Was anything understood inside the sentence?"""
    return any(sentence[0] <= s and e <= sentence[1] for s, e in read)
