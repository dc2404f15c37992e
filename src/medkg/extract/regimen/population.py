"""Special populations in a Dosage section: who a regimen is for, and guidance for them.

Rules: a regimen's population is a bold label that names people
(`POPULATION_WORDS`) or a band of them (`names_band`: a body weight in kg,
a kidney or liver function measure, a sex, an age or life stage from
``data/terminology/population-markers.csv``: ``**20 to <50 kg:**``,
``**eGFR 15-29 mL/min:**``), or an opening ``For|In adults|children|patients …,``
(`FOR_POPULATION`). Closer to the dose, and so first: a plain label opening the
dose's own stretch that names people or a band (``Infants (<10 kg): 50 mcg/kg/day``,
``CrCl 30-50 mL/min: 250 mg every 8 hours``: `stretch_label`), else the people
it opens with as the subject of its dosing verb (``Patients with moderate
impairment should receive 20 mg``: `subject_population`), else a band stated
after the dose (``8 mg once daily for patients weighing less than 60 kg``,
``200 mg once daily (20-25 kg)``: `band_after`).
Population guidance is ``(dose|dosage) adjustments are …
needed for P``, ``For those|patients with P, <guidance>``, ``not
approved|recommended|used for (use in) P``, and (read by `extract_regimens`) a
labelled item without a dose whose label names people. Used by
`medkg.extract.regimen`; nothing here knows a drug.
"""

from __future__ import annotations

import re
from functools import cache

from medkg.extract.regimen.dose import DosageReader
from medkg.model import PopulationGuidance
from medkg.quantities import find_quantities
from medkg.resources import terminology_rows
from medkg.text import Span, trim

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
FOR_POPULATION = re.compile(
    r"(?:For|In)\s+(?P<p>(?:adults|children|adolescents|infants|patients|people|the\s+elderly|"
    r"older\s+adults)[^,.;]{0,60}),\s*"
)
POPULATION_WORDS = re.compile(
    r"\b(?:adults?|children|child|p(?:a)?ediatric|adolescents?|infants?|neonates?|elderly|older|"
    r"patients?|people|women|men|impairment|insufficiency|pregnan\w*|breast-?feeding|dialysis|"
    r"weigh\w*|years?|months?)\b",
    re.I,
)


# population words too general to tell one population from another
_GENERAL_PEOPLE = frozenset({"patient", "patients", "people", "year", "years", "month", "months"})
# spellings of one population word
_SAME_PEOPLE = {
    "child": "children",
    "paediatric": "pediatric",
    "adult": "adults",
    "adolescent": "adolescents",
    "infant": "infants",
    "neonate": "neonates",
    "older": "elderly",
}


def population_keys(text: str) -> frozenset[str]:
    """The words of `text` naming a particular population ("children", "elderly",
    "impairment"), one spelling each; "patients" or "years" alone name none."""
    words = (m.group(0).lower() for m in POPULATION_WORDS.finditer(text))
    keys = (_SAME_PEOPLE.get(w, w) for w in words if w not in _GENERAL_PEOPLE)
    return frozenset(k for k in keys if not k.startswith("weigh"))


# a body weight ("<10 kg", "20 to <50 kg"), not a dose per weight ("mg/kg")
_BODY_WEIGHT = re.compile(r"(?<![/\w])\d+(?:\.\d+)?\s*kg\b(?!\s*/)", re.I)


# an age band: "Ages 2-6", "aged 5 years and older"
_AGE_BAND = re.compile(r"\bage[sd]?\s+(?:of\s+)?\d", re.I)
# a measure stated with its value ("CrCl 30-50 mL/min", "eGFR < 15"), not a gene ("EGFR")
_MEASURED_KINDS = frozenset({"kidney-function"})


@cache
def _markers() -> dict[str, re.Pattern[str]]:
    """Words naming a band of people a dose is stated for (population-markers.csv), by kind."""
    rows = terminology_rows("population-markers.csv", "population marker list", ("word", "kind"))
    kinds: dict[str, list[str]] = {}
    for row in rows:
        kinds.setdefault(row["kind"].strip(), []).append(re.escape(row["word"].strip()))
    return {
        kind: re.compile(
            rf"(?<![\w-])(?:{'|'.join(sorted(words, key=len, reverse=True))})(?![\w-])", re.I
        )
        for kind, words in kinds.items()
    }


def names_band(text: str) -> bool:
    """Does `text` name a band of people: a body weight, an age band, a kidney function
    stated with its value, a liver function grade or a sex?"""
    if _BODY_WEIGHT.search(text) or _AGE_BAND.search(text):
        return True
    has_value = re.search(r"\d", text) is not None
    return any(
        pattern.search(text) and (has_value or kind not in _MEASURED_KINDS)
        for kind, pattern in _markers().items()
    )


def names_population(text: str) -> bool:
    """Does a label name people (other than by "years" or "months" alone) or a band of them?"""
    return bool(population_keys(text) or names_band(text))


# "Infants (<10 kg): …", "CrCl 30-50 mL/min: …": a plain label before a colon
_PLAIN_LABEL = re.compile(r"\s*(?P<p>[A-Za-z][^:;*\n]{1,70}?)\s*:\s+")


# a clause, not a label: "The dosage is the same as for adults: …"
_CLAUSE = re.compile(
    r"\b(?:is|are|was|were|be|been|should|may|can|will|must|same|take|give|use)\b", re.I
)


def stretch_label(text: str, stretch: Span, first_dose: int) -> Span | None:
    """A plain label opening a dosing stretch, before its first dose, that names people."""
    match = _PLAIN_LABEL.match(text, stretch[0], first_dose)
    if match is None or _CLAUSE.search(match.group("p")) or not names_population(match.group("p")):
        return None
    return match.span("p")


# "Patients with moderate impairment should receive 20 mg", "Older adults start with 50 mg":
# the subject of the dosing verb
_SUBJECT = re.compile(
    r"\s*(?P<p>(?:patients|adults|children|infants|adolescents|neonates|those|individuals|"
    r"elderly\s+patients|older\s+adults|the\s+elderly)\b[^,.;:()]{0,60}?(?:\([^()]{0,40}\))?)"
    r"\s+(?:(?:should|may|can|will|typically|usually|generally|often|then)\s+)*"
    r"(?:receive|take|be\s+given|start|begin|require|need)\b",
    re.I,
)


def subject_population(text: str, stretch: Span, first_dose: int) -> Span | None:
    """The people a dosing stretch opens with as the subject of its dosing verb."""
    match = _SUBJECT.match(text, stretch[0], first_dose)
    return None if match is None else trim(text, *match.span("p"), " \t\n")


# a band in brackets right after the dose or its timing: "200 mg once daily (20-25 kg)"
_BAND_BRACKET = re.compile(r"\(\s*(?:(?:for|in)\s+)?(?P<p>[^()]{1,50}?)\s*\)")


# "… for patients weighing 60 kg or more", "… in children under 25 kg", "… for those with
# CrCl below 30 mL/min": a band after the dose (not "for patients with <condition>")
_BAND_AFTER = re.compile(
    r"\b(?:for|in)\s+(?P<p>(?:patients|adults|children|infants|adolescents|those|individuals|"
    r"people)\s+(?:weighing|aged|under|over|older\s+than|younger\s+than|with\s+(?:a\s+)?"
    r"(?:body\s+weight|weight|crcl|clcr|creatinine\s+clearance|e?gfr))\b[^,;.()]{0,40})",
    re.I,
)


# words that join the band to what follows ("in infants under 10 kg to …")
_TRAILING = re.compile(r"(?:\s+(?:to|and|or|with|up|through))+\s*$", re.I)
_OPEN_END = re.compile(
    r"\s*(?:or|and)\s+(?:more|less|above|over|below|under|older|younger|heavier|lighter|greater)\b",
    re.I,
)


def band_after(text: str, start: int, end: int) -> Span | None:
    """A population band stated after a dose: in text[start:end], from the dose's end to
    the next quantity (a band after a maximum is the maximum's)."""
    following = find_quantities(text, start, end)
    stop = following[0].start if following else end
    match = _BAND_AFTER.search(text, start, stop)
    if match is None or not (names_band(match.group("p")) or re.search(r"\d", match.group("p"))):
        bracket = _BAND_BRACKET.search(text, start, stop)
        if bracket is not None and names_band(bracket.group("p")):
            return bracket.span("p")
        return None
    stop = match.start("p") + len(_TRAILING.sub("", match.group("p")))
    # "60 kg or more": the open end of the band, even past the stretch's cut at "or"
    open_end = _OPEN_END.match(text, stop)
    return trim(text, match.start("p"), open_end.end() if open_end else stop, " \t\n")


def population_guidance(reader: DosageReader, start: int, end: int) -> PopulationGuidance | None:
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


def _top_level_comma(text: str, start: int, end: int) -> int | None:
    """The first comma in text[start:end] outside parentheses."""
    depth = 0
    for i in range(start, end):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth = max(0, depth - 1)
        elif text[i] == "," and depth == 0:
            return i
    return None
