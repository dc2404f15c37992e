"""Special populations in a Dosage section: who a regimen is for, and guidance for them.

Rules: a regimen's population is a bold label that names people
(`POPULATION_WORDS`) or an opening ``For|In adults|children|patients …,``
(`FOR_POPULATION`). Population guidance is ``(dose|dosage) adjustments are …
needed for P``, ``For those|patients with P, <guidance>``, ``not
approved|recommended|used for (use in) P``, and (read by `extract_regimens`) a
labelled item without a dose whose label names people. Used by
`medkg.extract.regimen`; nothing here knows a drug.
"""

from __future__ import annotations

import re

from medkg.extract.regimen.dose import DosageReader
from medkg.model import PopulationGuidance
from medkg.text import trim

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
