"""Dosage section -> dosing regimens, special-population guidance, statements.

Every rule keys on general dosing phrasing; nothing here knows a drug.

Where regimens come from:

* every sentence (or ``…, then …`` clause) of a paragraph or list item that
  states a dose gives a regimen per dose it states
  (`medkg.extract.regimen.segments`: "4 mg three times a day, adjusting to
  4-20 mg daily" is two); a hedged dose ("might", "could", an illustrative
  label: `medkg.extract.regimen.hedge`) gives none. A list item's bold label
  (``**Adults:** 1 mg/kg every four weeks``) is the population when it names
  people or a band of them (``**20 to <50 kg:**``), unless the dose's own
  stretch names them more closely (a plain ``CrCl 30-50 mL/min:`` before it, a
  ``for patients weighing …`` after it: `medkg.extract.regimen.population`),
  the phase when it says "loading"/"maintenance"/"initial"; the other
  sentences of the item lend its doses their frequency (unless they speak of another phase, of
  changing the dose, or of another quantity) and their maxima. Phase words
  set a regimen's phase ("first / initial / starting dose" -> initial,
  "loading" -> loading, an opening "after that / then / thereafter" or the
  word "maintenance" -> maintenance); a regimen stated before a maintenance
  one, with no phase word, is the initial one;
* with no dose stated anywhere, sentences saying by which route and how
  often the drug is given make one regimen without a dose; a route alone (or
  a frequency alone) makes no regimen (a route is the product's, and its
  sentence is kept as a statement).

A regimen's timing is the first one in its dosing clause, else the first in
a sentence saying the drug is given; a maximum stated in another sentence
about the drug or its dose applies to each regimen that states none of its
own, unless that sentence is in a block labelled for one population or use
("**Children:** … not exceeding 10 mg"). A regimen's routes are those its
dosing clause states, else those of its block's label ("**IV or IM:** 1 g
every 8 hours"), else those of the label standing alone above its block
("**Oral Administration:**"), else those of a sentence saying how the drug
is given (`medkg.extract.routes`: every alternative of "IV or IM", none
that is negated). Administrator, course
limit, dosage forms and premedications are shared by every regimen. Every
other sentence is kept as StatementFact(kind="unstructured").

The rules for each part live in sibling modules: `regimen_layout` (units,
clauses, phase words), `regimen_dose` (what counts as a dose),
`regimen_counted` (doses counted in tablets, puffs …), `regimen_components`
(a combination's strength pairs), `regimen_others` (doses of other products
given alongside), `regimen_maxima` (stated maxima), `regimen_timing` (how
often), `regimen_shared` (what the section says once for all regimens),
`regimen_patch` (a patch's per-day dose is one application's) and
`regimen_population` (populations and their guidance).
"""

from __future__ import annotations

import re
from dataclasses import replace

from medkg.extract.dosing_extras import unit_strengths
from medkg.extract.regimen.dose import DosageReader, DoseReading
from medkg.extract.regimen.hedge import hedged, hedged_after
from medkg.extract.regimen.layout import TextUnit, phase_clauses, phase_of, text_units
from medkg.extract.regimen.patch import is_patch, per_application
from medkg.extract.regimen.population import (
    FOR_POPULATION,
    POPULATION_WORDS,
    band_after,
    names_band,
    population_guidance,
    population_keys,
    stretch_label,
    subject_population,
)
from medkg.extract.regimen.segments import dose_segments
from medkg.extract.regimen.shared import CHANGE, SharedFacts, about_the_drug, shared_facts
from medkg.extract.regimen.timing import states_timing
from medkg.extract.regimen.totals import per_time
from medkg.model import (
    Document,
    Mention,
    PopulationGuidance,
    RegimenFact,
    Section,
    StatementFact,
)
from medkg.quantities import find_quantities
from medkg.text import Span


def _states_anything(reading: DoseReading) -> bool:
    """Whether a dosing stretch, read alone, still says a dose, units or how often."""
    return any(
        part is not None
        for part in (reading.dose, reading.unit_dose, reading.unit_count, reading.timing)
    )


def _regimen(
    reader: DosageReader,
    reading: DoseReading,
    shared: SharedFacts,
    ev: Span,
    population: Mention | None,
    phase: str | None,
    labels: tuple[Span | None, ...] = (),
) -> RegimenFact:
    routes = reader.routes(*ev)
    for label in labels:
        routes = routes or (reader.routes(*label) if label else ())
    routes = routes or shared.routes
    if is_patch(reader.text, routes, (ev, *labels)):
        per_application(reader, reading)
    return RegimenFact(
        evidence=reader.evidence(*ev),
        routes=routes,
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


def extract_regimens(
    document: Document, section: Section, drug: str
) -> tuple[tuple[RegimenFact, ...], tuple[PopulationGuidance, ...], tuple[StatementFact, ...]]:
    """Regimens, special-population guidance and unread sentences of a Dosage section.

    `drug` is the name of the drug the section is about; a maximum that names
    another substance ("the total <name> dose must not exceed …") is not
    taken as this regimen's maximum.
    """
    reader = DosageReader(document, section, drug)
    text = document.text
    units = text_units(section, text)

    # 1. Dosing stretches: each clause that states a dose, cut into one stretch per dose.
    headings = _headings(units)
    dosing: list[tuple[TextUnit, Span, bool]] = []
    for unit in units:
        block_labels = [x for x in (unit.label, headings.get(unit.body)) if x]
        for index, sentence in enumerate(unit.sentences):
            for clause in phase_clauses(text, *sentence):
                opens = (
                    (unit.is_item or unit.label is not None)
                    and index == 0
                    and clause[0] == sentence[0]
                )
                probe = DosageReader(document, section, drug).dose(*clause, opens_item=opens)
                first = probe.doses[0][0] if probe.doses else clause[1]
                if hedged(text, sentence[0], first) or any(hedged(text, *x) for x in block_labels):
                    continue  # "a typical dose might be 5 mg": a possibility, no fact
                if probe.states_dose:
                    segments = dose_segments(document, section.name, clause, probe.doses)
                    dosing.extend(
                        (unit, seg, opens and seg[0] == clause[0])
                        for seg in segments
                        if not _hedged_stretch(text, seg, clause, probe.doses)
                    )
    dose_items = {unit.body for unit, _, _ in dosing if unit.is_item}
    dosing_spans = [span for _, span, _ in dosing]

    # 2. Sentences outside the dosing stretches and dosing items say what all regimens share;
    # the other sentences of a dosing item speak of that item's doses only.
    def rest(unit: TextUnit) -> list[Span]:
        return [s for s in unit.sentences if not any(_overlap(s, d) for d in dosing_spans)]

    others = [s for u in units if u.body not in dose_items for s in rest(u)]
    shared = shared_facts(reader, others)
    # sentences that may lend a regimen their maxima (`_lends`)
    lenders = [(u, s) for u in units if u.body not in dose_items for s in rest(u)]

    # 3. One regimen per dosing stretch.
    regimens: list[RegimenFact] = []
    borrowed: list[Span] = []
    for unit, span, opens in dosing:
        before = len(reader.read)
        reading = reader.dose(*span, opens_item=opens)
        if not _states_anything(reading):
            del reader.read[before:]  # its words stay a statement
            continue  # nothing read from the stretch alone: no regimen of its own
        population: Mention | None = None
        phase: str | None = None
        if unit.is_item and unit.label is not None:
            phase = phase_of(text, *unit.label, label=True)
            label_text = text[slice(*unit.label)]
            if phase is None and (POPULATION_WORDS.search(label_text) or names_band(label_text)):
                population = reader.mention(*unit.label)
        if phase is None:
            phase = phase_of(text, *span)
        if not unit.is_item:
            prefix = FOR_POPULATION.match(text, *span)
            if prefix:
                population = reader.mention(*prefix.span("p"))
                reader.read.append(prefix.span("p"))
        # the dose's own words name its population more closely than a label above it
        first, first_end = _first_dose(reading, span)
        own = (
            stretch_label(text, span, first)
            or subject_population(text, span, first)
            or band_after(text, first_end, span[1])
            # a plain label opening the item speaks for all its doses ("Ages 6-12: start at
            # 5 mg once daily; increase to 10 mg once daily")
            or (stretch_label(text, (unit.body[0], span[1]), first) if unit.is_item else None)
        )
        if own is not None:
            population = reader.mention(*own)
            reader.read.append(own)
        item_rest = rest(unit) if unit.is_item else []
        over_time = reading.dose is not None and per_time(reading.dose.unit)
        if reading.timing is None and not over_time:
            # another sentence of the item saying how often, unless it speaks of another
            # phase or of changing the dose
            lender = next(
                (
                    s
                    for s in item_rest
                    if states_timing(text, *s)
                    and phase_of(text, *s) is None
                    and not CHANGE.search(text, *s)
                    and not find_quantities(text, *s)  # no other dose's frequency
                ),
                shared.timing_sentence,
            )
            if lender is not None:
                reading.timing = reader.timing(*lender)
        for sentence in item_rest:  # the item's own maxima
            for maximum in reader.maxima(*sentence):
                reader.apply_maximum(reading, maximum)
        # who the unit's doses are for: its population, label and heading, as written
        who = " ".join(text[slice(*span)] for span in (unit.label, headings.get(unit.body)) if span)
        who += f" {population.text}" if population is not None else ""
        for block, sentence in lenders:
            if _lends(text, block, unit, who) and about_the_drug(text, *sentence, drug, dose=True):
                before = len(reader.read)
                for maximum in reader.maxima(*sentence):
                    reader.apply_maximum(reading, maximum)
                # a maximum lent by another sentence does not make that sentence read
                borrowed.extend(reader.read[before:])
                del reader.read[before:]
        labels = (unit.label, headings.get(unit.body))
        regimen = _regimen(reader, reading, shared, span, population, phase, labels)
        regimens.append(regimen)
        # a combination's other component, stated with this dose ("62.5 mcg/25 mcg")
        for part, companion in reading.companions:
            if part == "dose":
                regimens.append(replace(regimen, dose=companion))
            else:
                regimens.append(replace(regimen, unit_dose=companion))
    # A regimen stated before a maintenance one, with no phase word of its own, starts the course.
    for index, regimen in enumerate(regimens):
        later = regimens[index + 1 :]
        if regimen.phase is None and any(r.phase == "maintenance" for r in later):
            regimens[index] = replace(regimen, phase="initial")
    if not regimens and shared.timing_sentence is not None and shared.routes:
        # No dose stated, but how and how often the drug is given: a regimen without a dose.
        timing = reader.timing(*shared.timing_sentence)
        ev = shared.timing_sentence
        regimens.append(_regimen(reader, DoseReading(timing=timing), shared, ev, None, None))
    if not regimens:
        # A route alone is no regimen (it belongs to the product): its sentence stays a statement.
        said = {(r.evidence.start, r.evidence.end) for r in shared.routes}
        reader.read = [span for span in reader.read if span not in said]

    # 4. Population guidance: labelled items without a dose, and guidance sentences.
    guidance: list[PopulationGuidance] = []
    for unit in units:
        if unit.body in dose_items:
            continue
        if (
            unit.is_item
            and unit.label is not None
            and unit.body[0] < unit.body[1]
            and POPULATION_WORDS.search(text, *unit.label)
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
                found = population_guidance(reader, *sentence)
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


# a label speaking of the dose itself ("**Maximum dose:**", "**General dosing:**")
_GENERAL_LABEL = re.compile(
    r"\b(?:max\w*|limits?|dos\w*|general|important|notes?|all|administration)\b", re.I
)


def _lends(text: str, lender: TextUnit, unit: TextUnit, who: str) -> bool:
    """May a sentence of `lender` lend its maxima to the doses of `unit` (whose population,
    from its label, heading or opening, is written in `who`)? A block labelled for one
    population or use ("**Children:**", "**Lupus:**") keeps them to itself; an unlabelled
    block, or one labelled for the dose itself ("**Maximum dose:**"), lends them to every
    regimen, unless its label also names a population ("**Maximum dose in children:**"):
    then only to the regimens of that population."""
    if lender.body == unit.body or lender.label is None:
        return True
    if _GENERAL_LABEL.search(text, *lender.label) is None:
        return False
    named = population_keys(text[slice(*lender.label)])
    return not named or bool(named & population_keys(who))


def _headings(units: list[TextUnit]) -> dict[Span, Span]:
    """The label heading each unit: a bold label standing alone as a paragraph
    (``**Oral Administration (Capsules):**``) heads the blocks below it up to the
    next labelled paragraph."""
    headings: dict[Span, Span] = {}
    heading: Span | None = None
    for unit in units:
        if not unit.is_item and unit.label is not None:
            heading = unit.label if unit.body[0] >= unit.body[1] else None
        elif heading is not None:
            headings[unit.body] = heading
    return headings


def _hedged_stretch(text: str, stretch: Span, clause: Span, doses: list[Span]) -> bool:
    """Is a dose of the stretch hedged: a hedge word before it in its stretch, or a
    "might" / "could" after it in its clause (`medkg.extract.regimen.hedge`)?"""
    return any(
        hedged(text, stretch[0], dose[0]) or hedged_after(text, dose[1], clause[1])
        for dose in doses
        if stretch[0] <= dose[0] < stretch[1]
    )


def _first_dose(reading: DoseReading, stretch: Span) -> Span:
    """Where the stretch's first dose (or unit dose) is stated; its end when none is."""
    spans = [(q.evidence.start, q.evidence.end) for q in (reading.dose, reading.unit_dose) if q]
    return min(spans, default=(stretch[1], stretch[1]))


def _overlap(one: Span, other: Span) -> bool:
    return one[0] < other[1] and other[0] < one[1]


def _touched(read: list[Span], sentence: Span) -> bool:
    """Was anything understood inside the sentence?"""
    return any(sentence[0] <= s and e <= sentence[1] for s, e in read)
