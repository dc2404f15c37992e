"""The dose a clause of a Dosage section states, read by `DosageReader`.

Rule: what counts as a dose (a quantity from `find_quantities`, ranges ``200
mg to 400 mg`` joined): ``dose of Q`` / ``dose is Q`` (the dose; "total
monthly dose of 210 mg"), ``Q <form>`` (``two consecutive 105 mg
injections``: unit dose, count, form, consecutive; the same ``Q <form>``
stated twice — "a 300 mg infusion, followed two weeks later by a second 300
mg infusion" — is two units that are not consecutive: each is one
administration of `dose`, spaced by the timing), ``Q every …`` / ``Q once …``
(the dose), a quantity opening a list item or labelled paragraph, and counted forms
(`medkg.extract.regimen.counted`: ``1 to 2 tablets`` -> a ``{tablet}``
quantity; ``2 tablets of 500 mg`` -> two units of
500 mg; a count in brackets after an amount restates it: "1 mg (1/2 tablet)" is 1 mg).
Not doses: a quantity or count after "by", "increase of" or "nearest" ("by one spray
daily"), or followed by "increments" (titration steps: "by up to 50 mg", "in 50 mg increments";
rounding), after a comparison sign or word (">300 mg/day", "doses above 300
mg/day", "rarely exceeds 4 mg"), negated ("not given as 40
mg"), restated in brackets ("6 mg BID (12 mg/day)"), inside a bracket after
"with <product>" (what is given alongside: "with oral X (250 mg …)"), right
after "with|plus <name>" naming another product ("with X 100 mg twice daily"); a
strength pair ``62.5 mcg/25 mcg`` is two component doses
(`medkg.extract.regimen.components`); a
quantity per day is a daily total (`medkg.extract.regimen.totals`); unit
sizes that differ within one clause (then the clause is ambiguous: kept as a
statement, not guessed at). Stated maxima
(`medkg.extract.regimen.maxima`) set `max_dose` / `max_daily_dose`; one
after a maximum already set is left alone; a quantity offered as the
maximum's alternative ("a maximum of 30 mg every 8 hours or 120 mg/day",
"80 mg for tablets and 60 mg for capsules") is a maximum too, and the
timing right after a maximum is the maximum's. A range writing its
denominator once ("5 mg to 10 mg per kilogram") is one range per kg. The clause's timing is read by
`medkg.extract.regimen.timing`. Nothing here knows a drug.

The reader also records every span it understood (`DosageReader.read`), so
that the sentences nothing was read from can be kept as statements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from medkg.extract.precaution.rules import negated
from medkg.extract.regimen.components import companions, range_of_pairs
from medkg.extract.regimen.counted import counted_forms, restated_in_units
from medkg.extract.regimen.maxima import StatedMaximum, alternative_maximum, stated_maximum
from medkg.extract.regimen.others import alongside, of_another
from medkg.extract.regimen.ranges import join_ranges
from medkg.extract.regimen.timing import NUMBER_WORD, find_timing, timing_follows
from medkg.extract.regimen.totals import daily_total, division_timing, per_dose, rate
from medkg.extract.routes import stated_routes
from medkg.model import Document, Evidence, Mention, Quantity, Section, Timing
from medkg.quantities import FoundQuantity, find_quantities, to_decimal
from medkg.text import Span, evidence, mention, singular

_FORM = (
    r"injections?|infusions?|tablets?|capsules?|syringes?|pens?|vials?|patch(?:es)?|puffs?|"
    r"inhalations?|"
    r"drops?|sachets?|suppositor(?:y|ies)|lozenges?|sprays?"
)

_FORM_AFTER = re.compile(
    rf"\s+(?:(?!(?:and|or|of|to|per|in|with|each|every)\b)[A-Za-z-]+\s+){{0,2}}?"
    rf"(?P<form>{_FORM})\b",
    re.I,
)
_COUNT_BEFORE = re.compile(
    rf"\b(?P<count>\d+|{NUMBER_WORD})\s+(?:(?P<consecutive>consecutive)\s+)?$", re.I
)
_USUALLY = r"(?:\s+(?:typically|usually|generally|normally|commonly|often))?"
_DOSE_OF = re.compile(
    rf"\b(?:doses?|dosages?|(?:usual|dose|dosing)\s+range|(?:infusion|injection)s?)"
    rf"\s+(?:(?:is|are|was|were|will\s+be|should\s+be){_USUALLY}|of|=|"
    r"(?:may\s+|can\s+)?(?:range|ranges|ranging|vary|varies|varying)\s+(?:from|between))"
    r"\s*:?\s*$",
    re.I,
)
_NOT_DOSE = re.compile(
    r"\b(?:(?:(?<!followed\s)by|(?:increments?|decrements?|steps?|increases?|decreases?|reductions?)"
    r"(?:\s+(?:or|and)\s+\w+)?\s+of)"
    r"(?:\s+up\s+to)?|nearest|than|above|below|over|under|beyond|exceed(?:s|ing)?)\s*$|"
    r"[±<>≤≥]\s*$",
    re.I,
)
# "in 0.5 mg increments every week": the size of a titration step, not a dose
_STEP_AFTER = re.compile(r"\s*(?:increments?|steps?)\b", re.I)
# what may stand between a titration step and the timing of the change
_STEP_TIMING = re.compile(r"(?:\s*(?:/\s*day|per\s+day|daily|increments?|steps?|at))*\s*", re.I)
_WORD_AT_END = re.compile(r"[A-Za-z][\w-]*\s+$")


def _dose_of_named(before: str) -> bool:
    """ "the dose is <name of one to three words> ": a dose named by its substance."""
    for _ in range(3):
        word = _WORD_AT_END.search(before)
        if word is None or re.fullmatch(NUMBER_WORD, word.group().strip(), re.I):
            return False  # "the dose is three 100 mg/40 mg tablets": a count, not a name
        before = before[: word.start()]
        if _DOSE_OF.search(before):
            return True
    return False


_OR_BETWEEN = re.compile(r"\s*,?\s*or\s+", re.I)
_APPROXIMATE = re.compile(r"\b(?:about|around|approximately|roughly)\s*$", re.I)
# between a daily total and the timing of its parts: "divided into doses every 6 hours",
# "given orally in divided doses every 8 hours"
_RIGHT_AFTER = re.compile(
    r"[\s,]*(?:(?:divided|given|split|administered|taken)\s+)?"
    r"(?:(?:orally|intravenously|intramuscularly|subcutaneously)\s+)?"
    r"(?:(?:into|in)\s+(?:equal(?:ly)?\s+)?(?:divided\s+)?doses\s+"
    r"(?:(?:given|administered|taken)\s+)?)?",
    re.I,
)
# a kidney-function value the dose depends on ("For CrCl 30-60 mL/min, give half"): no dose
_MEASURED = re.compile(
    r"\b(?:crcl|clcr|creatinine\s+clearance|e?gfr|glomerular\s+filtration\s+rate)"
    r"(?:\s*\([^()]*\))?(?:\s*(?:of|is|was|are|falls|drops|remains|below|above|between(?:\s+[\d.]+\s+and)?|under|"
    r"over|from|less\s+than|"
    r"greater\s+than|more\s+than|at\s+least|[<>≤≥=:]))*\s*$",
    re.I,
)
# between a maximum and its alternative: "2 g/m2/day or 90 mg/kg/day", "30 mg every 8 hours
# or 120 mg/day", "80 mg for tablets and 60 mg for capsules"
_ALTERNATIVE = re.compile(
    r"(?:\s*/\s*(?:day|d)\b|\s+(?:per|a)\s+day\b)?"
    r"(?:\s+every\s+\d+(?:\s*(?:to|-|–)\s*\d+)?\s+(?:hours?|days?))?"
    r"(?:\s+(?:for|in|with)\s+(?:[A-Za-z-]+\s*){1,4}?)?"
    r"(?:\s*(?:,\s*)?(?:or|and)\s+|\s*/\s*)",
    re.I,
)


@dataclass
class DoseReading:
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
    doses: list[Span] = field(default_factory=list)  # every dose quantity stated (no unit forms)
    # ("dose" | "unit_dose", quantity): another component's dose stated with this one
    companions: list[tuple[str, Quantity]] = field(default_factory=list)

    @property
    def states_dose(self) -> bool:
        return not self.ambiguous and (self.dose is not None or self.unit_dose is not None)


def _same_rate(dose: Quantity | None, maximum: Quantity) -> bool:
    """May `maximum` cap `dose` as a single maximum: both rates of one time unit
    ("mg/kg/min" and "mg/kg/min"), or neither a rate (no dose yet counts as neither)?"""

    def time_of(unit: str) -> str | None:
        return unit.rsplit("/", 1)[1] if unit.endswith(("/h", "/min", "/s")) else None

    return time_of(maximum.unit) == (None if dose is None else time_of(dose.unit))


class DosageReader:
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
        """Dose quantities in text[start:end], a range written as two quantities made one
        (`medkg.extract.regimen.ranges`)."""
        return join_ranges(self.text, find_quantities(self.text, start, end), end)

    def routes(self, start: int, end: int) -> tuple[Mention, ...]:
        """The routes text[start:end] states (`medkg.extract.routes`: its first list of
        alternatives that is not negated); a bracketed route word after one is its gloss.
        A route inside a bracket after "with <something>" is that product's, not this one's."""
        found = []
        for word in stated_routes(self.text, start, end):
            if alongside(self.text, start, word.start):
                continue  # "with premedication (X 15 mg/kg orally)": the other product's route
            glosses = () if word.gloss is None else (self.text[slice(*word.gloss)].strip("()[] "),)
            self.read.append(word.span)
            found.append(self.mention(word.start, word.end, glosses))
        return tuple(found)

    def timing(
        self, start: int, end: int, steps: list[FoundQuantity] | None = None
    ) -> Timing | None:
        """The first frequency stated in text[start:end], passing over the one right after
        a titration step ("increased by 2.5 mg every 2 weeks": how often the dose changes)
        or a maximum ("a maximum of 30 mg every 8 hours": the period of the maximum)."""
        found = find_timing(self.document, self.section.name, start, end)
        while found is not None and any(
            _STEP_TIMING.fullmatch(self.text, step.end, found[1][0]) for step in steps or ()
        ):
            found = find_timing(self.document, self.section.name, found[1][1], end)
        if found is None:
            return None
        timing, span = found
        self.read.append(span)
        return timing

    # ---- one dosing clause -------------------------------------------------

    def dose(self, start: int, end: int, opens_item: bool = False) -> DoseReading:
        """Everything a clause (a sentence part or a list item body) says about one dose."""
        text = self.text
        reading = DoseReading()
        totals: list[FoundQuantity] = []
        plain: list[FoundQuantity] = []
        units: list[tuple[FoundQuantity, str, int | None, bool]] = []
        maxima: list[StatedMaximum] = []
        earlier: FoundQuantity | None = None
        steps: list[FoundQuantity] = []  # titration steps, rounding: no doses
        stated_quantities = self.quantities(start, end)
        # "1 mg (1/2 tablet)": the bracket restates the amount in units
        restatements = [
            span
            for q in stated_quantities
            if (span := restated_in_units(text, q.end, end)) is not None
        ]
        if range_of_pairs(text, stated_quantities):
            reading.ambiguous = True
            return reading
        pairs = companions(text, stated_quantities, self.drug)
        leads = [id(lead) for lead in pairs.values()]
        for index, found in enumerate(stated_quantities):
            if id(found) in leads:
                continue  # read with the later quantity of its strength pair
            anchor = min(pairs[index].start, found.start) if index in pairs else found.start
            before = text[max(start, anchor - 60) : anchor]
            restated = earlier is not None and before.rstrip().endswith("(")  # "6 mg (12 mg/day)"
            maximum = stated_maximum(self.text, found, start, self.drug)
            lead = pairs.get(index)
            lead_maximum = None if lead is None else stated_maximum(text, lead, start, self.drug)
            if lead_maximum is not None:
                # "the maximum dose is A 14 mg + B 10 mg": both are maxima, neither a dose
                maxima.append(lead_maximum)
                maximum = maximum or replace(lead_maximum, found=found)
            if (
                maximum is None
                and earlier is not None
                and maxima
                and maxima[-1].found == earlier
                and _ALTERNATIVE.fullmatch(text, earlier.end, found.start)
            ):
                # "the maximum is 2 g/m2/day or 90 mg/kg/day": the alternative is a maximum too
                maximum = alternative_maximum(text, maxima[-1], found)
            earlier = found
            if maximum is not None:
                maxima.append(maximum)
                continue
            if (
                restated
                or negated(text, start, found.start)
                or alongside(text, start, found.start)
                or of_another(text, start, anchor, self.drug)
                or _MEASURED.search(before)
            ):
                continue
            stated = daily_total(text, found, end, before) or rate(text, found, end)
            stated = stated or per_dose(text, found, end)
            if _DOSE_OF.search(before) or (
                # "the dose is A 3.5 mg + B 2.5 mg": a pair may open with its substance's name
                index in pairs and _dose_of_named(before)
            ):
                totals.append(stated or found)
            elif _NOT_DOSE.search(before) or _STEP_AFTER.match(text, found.end):
                steps.append(found)
                continue
            elif stated is not None:
                plain.append(stated)
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
            elif (
                timing_follows(self.text, found.end, end)
                or (opens_item and not text[start : found.start].strip(" *:"))
                or any(span[0] == found.end for span in restatements)
            ):
                plain.append(found)
        counted: list[tuple[FoundQuantity, str]] = []
        for found, form in counted_forms(self.text, start, end):
            if any(a <= found.start < b for a, b in restatements):
                self.read.append((found.start, found.end))
                continue  # the amount before the bracket is the dose
            maximum = stated_maximum(self.text, found, start, self.drug)
            if maximum is not None:
                maxima.append(maximum)
            elif not _NOT_DOSE.search(text, max(start, found.start - 60), found.start):
                counted.append((found, form))  # not a titration step ("by one spray daily")
        if not units:
            reading.doses = sorted((q.start, q.end) for q in totals + plain)
        self._assemble(reading, totals, units, plain)
        if counted and not reading.ambiguous and reading.unit_dose is None:
            self._assemble_counted(reading, counted[0], plain if reading.dose else [], end)
        self._companions(reading, stated_quantities, pairs)
        if reading.dose is not None and reading.dose.unit.endswith("/d"):
            reading.timing = self._division(reading.dose, end)
        elif reading.dose is not None and reading.dose.unit.endswith(("/h", "/min")):
            pass  # a rate runs on: how often it is given is no question
        elif reading.states_dose or maxima:
            reading.timing = self.timing(start, end, steps + [m.found for m in maxima])
        for maximum in maxima:
            self.apply_maximum(reading, maximum)
        return reading

    def _division(self, total: Quantity, end: int) -> Timing | None:
        """A daily total's timing: the doses it is divided into, else a timing of hours or
        days right after it ("2 g/day divided every 12 hours"); a later timing is another
        matter's (titration: "0.25 mcg/day, adjusted every 4 weeks")."""
        found = division_timing(self.document, self.section.name, total.evidence.end, end)
        if found is None:
            found = find_timing(self.document, self.section.name, total.evidence.end, end)
            if found is None or found[0].period_unit not in ("h", "d"):
                return None
            if not _RIGHT_AFTER.fullmatch(self.text, total.evidence.end, found[1][0]):
                return None
        self.read.append(found[1])
        return found[0]

    def _assemble(
        self,
        reading: DoseReading,
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

    def _companions(
        self, reading: DoseReading, found: list[FoundQuantity], pairs: dict[int, FoundQuantity]
    ) -> None:
        """The companion of the quantity read as the dose (or unit dose) states a second
        component's dose (`medkg.extract.regimen.components`)."""
        for index, lead in pairs.items():
            partner = found[index]
            for part in ("dose", "unit_dose"):
                quantity: Quantity | None = getattr(reading, part)
                if quantity is None or quantity.evidence.start != partner.start:
                    continue
                companion = self.quantity(lead)
                if quantity.unit.endswith("/d") and not companion.unit.endswith("/d"):
                    companion = replace(companion, unit=companion.unit + "/d")
                reading.companions.append((part, companion))
                self.read.append((lead.start, lead.end))

    def _assemble_counted(
        self,
        reading: DoseReading,
        counted: tuple[FoundQuantity, str],
        strength: list[FoundQuantity],
        end: int,
    ) -> None:
        """ "1 to 2 tablets" is the dose in tablets ("6 capsules per day": a daily total);
        "2 tablets … 500 mg" is two units of 500 mg ("one capsule or 15 mL": an alternative,
        the count stays the dose)."""
        found, form = counted
        reading.unit_form = form
        if strength and _OR_BETWEEN.fullmatch(self.text, found.end, strength[0].start):
            strength = []  # "one capsule or 15 mL": an alternative amount, not the strength
        if not strength:
            if found.value != 1:  # one tablet a day is one dose a day, not a total to divide
                found = daily_total(self.text, found, end) or found
            self.read.append((found.start, found.end))
            reading.dose = self.quantity(found)
            return
        self.read.append((found.start, found.end))
        if found.value is not None and found.value == int(found.value):
            reading.unit_count = int(found.value)
            reading.unit_dose = reading.dose
            reading.dose = None
        else:  # a range of tablets of a stated strength: the dose in mg is not one number
            reading.ambiguous = True

    def apply_maximum(self, reading: DoseReading, maximum: StatedMaximum) -> bool:
        """Set a maximum on the reading unless one is already set; True when it was set.

        A course total or a rate of no stated time is read but set on nothing; a rate
        is the maximum of a dose stated as the same rate only, and a rate dose takes
        no other single maximum."""
        quantity = self.quantity(maximum.found, maximum=True)
        if maximum.unplaced:
            self.read.append((maximum.found.start, maximum.found.end))
            return False
        if not maximum.daily and not _same_rate(reading.dose, quantity):
            return False
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

    def maxima(self, start: int, end: int) -> list[StatedMaximum]:
        """Stated maxima of a sentence outside the dosing clauses."""
        text, drug = self.text, self.drug
        stated = self.quantities(start, end)
        pairs = companions(text, stated, drug)
        # a maximum stated per component ("A 14 mg + B 10 mg") is no maximum of one regimen
        leads = {id(lead) for lead in pairs.values()}
        stated = [q for i, q in enumerate(stated) if i not in pairs and id(q) not in leads]
        found = [stated_maximum(text, q, start, drug) for q in stated]
        found += [
            stated_maximum(text, q, start, drug) for q, _ in counted_forms(self.text, start, end)
        ]
        return [m for m in found if m is not None]
