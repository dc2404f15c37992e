"""The verb lexicon of How it Works sections and the predicate patterns built from it.

Rule: relations (`RELATION_VERBS`): inhibit / block / antagonize / neutralize
-> INHIBITS; suppress / negatively regulate -> SUPPRESSES; activate ->
ACTIVATES; stimulate / promote -> STIMULATES; bind (to) / target -> BINDS;
deplete -> DEPLETES; "is converted (metabolized) to X" -> CONVERTED_TO;
"leads to the destruction (depletion, elimination) of X" -> DEPLETES.
Effects (`EFFECT_VERBS`): ``leads to / results in an increase|decrease in
E``, ``reduces | lowers | decreases E`` (decrease), ``increases | raises |
enhances E`` (increase), ``E rises|falls``.

Each verb is matched in its base, third-person and gerund forms; main clauses
use the third-person forms only (`MAIN_PREDICATES`), relative clauses ("that
suppress") any finite form (`RELATIVE_PREDICATES`). Used by
`medkg.extract.mechanism`; nothing here knows a drug, protein or disease.
"""

from __future__ import annotations

import re
from typing import Literal

from medkg.model import Relation

Direction = Literal["increase", "decrease"]

RELATION_VERBS: dict[Relation, tuple[str, ...]] = {
    Relation.INHIBITS: ("inhibit", "block", "antagonize", "antagonise", "neutralize", "neutralise"),
    Relation.SUPPRESSES: ("suppress", "negatively regulate"),
    Relation.ACTIVATES: ("activate",),
    Relation.STIMULATES: ("stimulate", "promote"),
    Relation.BINDS: ("bind", "target"),
    Relation.DEPLETES: ("deplete",),
}
EFFECT_VERBS: dict[Direction, tuple[str, ...]] = {
    "increase": ("increase", "raise", "boost", "enhance", "elevate"),
    "decrease": ("reduce", "decrease", "lower", "diminish", "lessen"),
}
EFFECT_NOUNS: dict[str, Direction] = {
    "increase": "increase",
    "rise": "increase",
    "elevation": "increase",
    "gain": "increase",
    "decrease": "decrease",
    "reduction": "decrease",
    "fall": "decrease",
    "drop": "decrease",
    "decline": "decrease",
    "loss": "decrease",
}
INTRANSITIVE_VERBS: dict[str, Direction] = {
    "rises": "increase",
    "rise": "increase",
    "increases": "increase",
    "goes up": "increase",
    "go up": "increase",
    "falls": "decrease",
    "fall": "decrease",
    "decreases": "decrease",
    "drops": "decrease",
    "declines": "decrease",
    "goes down": "decrease",
    "go down": "decrease",
}


def _third_person(verb: str) -> str:
    head, _, last = verb.rpartition(" ")
    ending = "es" if last.endswith(("s", "sh", "ch", "x", "z")) else "s"
    return f"{head} {last}{ending}".strip()


def _gerund(verb: str) -> str:
    head, _, last = verb.rpartition(" ")
    stem = last[:-1] if last.endswith("e") and not last.endswith("ee") else last
    return f"{head} {stem}ing".strip()


def _alternation(forms: list[str]) -> str:
    ordered = sorted(set(forms), key=len, reverse=True)
    return "|".join(re.escape(form).replace(r"\ ", r"\s+") for form in ordered)


def _lookup(table: dict[str, Relation], word: str) -> Relation:
    return table[" ".join(word.lower().split())]


_THIRD: dict[str, Relation] = {}
_BASE: dict[str, Relation] = {}
GERUNDS: dict[str, Relation] = {}
for _relation, _words in RELATION_VERBS.items():
    for _verb in _words:
        _BASE[_verb] = _relation
        _THIRD[_third_person(_verb)] = _relation
        GERUNDS[_gerund(_verb)] = _relation
EFFECT_THIRD = {_third_person(v): d for d, vs in EFFECT_VERBS.items() for v in vs}
EFFECT_BASE = {v: d for d, vs in EFFECT_VERBS.items() for v in vs}

# Optional adverbs before a verb ("also", "then", "-ly" words), as a regex fragment.
ADV = r"(?:(?:also|then|further|thereby|thus|therefore|in\s+turn|[a-z]+ly)\s+)*"


def _verb_group(forms: str) -> str:
    """One verb or coordinated verbs, each with an optional "to": "binds to and inhibits"."""
    one = rf"(?:{forms})(?:\s+to)?"
    return rf"{one}(?:\s*,?\s+and\s+{ADV}{one})*"


_THIRD_FORMS = _alternation(list(_THIRD))
FINITE_FORMS = _alternation(list(_THIRD) + list(_BASE))
_GERUND_FORMS = _alternation(list(GERUNDS))
_EFFECT_THIRD_FORMS = _alternation(list(EFFECT_THIRD))
EFFECT_FINITE_FORMS = _alternation(list(EFFECT_THIRD) + list(EFFECT_BASE))
_RELATION_WORD = re.compile(rf"\b(?:{_alternation(list(_THIRD) + list(_BASE) + list(GERUNDS))})\b")

_CAUSE_VERB = r"(?:leads?|led)\s+to|results?\s+in|causes?|produces?"
_DEPLETION = (
    rf"\b(?:{_CAUSE_VERB})\s+(?:the\s+|a\s+)?"
    r"(?:destruction|depletion|elimination|killing|lysis)\s+of\s+"
)
_NOMINAL = (
    rf"\b(?:{_CAUSE_VERB})\s+(?:an?\s+|the\s+)?(?:[a-z]+\s+)?"
    rf"(?P<noun>{'|'.join(EFFECT_NOUNS)})\s+(?:in|of)\s+"
)
_INTRANSITIVE_FORMS = _alternation(list(INTRANSITIVE_VERBS))

# "S is a <target> inhibitor" / "S is an agonist at <target>": the role noun and its relation.
# An "inverse" or "partial" agonist is not read (it does not plainly activate).
ROLE_NOUNS: dict[str, Relation] = {
    "inhibitor": Relation.INHIBITS,
    "blocker": Relation.INHIBITS,
    "antagonist": Relation.INHIBITS,
    "agonist": Relation.ACTIVATES,
    "activator": Relation.ACTIVATES,
}
# Words before a target that say how the drug acts, not what it acts on.
ROLE_MODIFIERS = frozenset(
    {
        "selective",
        "highly",
        "potent",
        "competitive",
        "reversible",
        "irreversible",
        "specific",
        "direct",
        "long-acting",
        "short-acting",
        "ultra-long-acting",
        "oral",
        "combined",
    }
)
# Class words that name nothing after "this/these" ("by inhibiting this enzyme"): such an
# object refers back and gives no step; "these B cells" still names its cells.
GENERIC_NOUNS = frozenset(
    {
        "enzyme",
        "enzymes",
        "receptor",
        "receptors",
        "protein",
        "proteins",
        "molecule",
        "molecules",
        "substance",
        "substances",
        "chemical",
        "chemicals",
        "hormone",
        "hormones",
        "pathway",
        "pathways",
        "process",
        "processes",
        "target",
        "targets",
        "organisms",
        "effect",
        "effects",
        "action",
    }
)
# Words that make a role noun say less than its relation: such a clause gives no step.
ROLE_BLOCKERS = frozenset({"inverse", "partial", "mixed", "weak", "possible", "potential"})
_ROLE_FORMS = "|".join(ROLE_NOUNS)

PredicateKind = Literal[
    "works-by",
    "is-a-that",
    "role-of",
    "role-noun",
    "converted",
    "relation",
    "depletion",
    "nominal",
    "effect",
    "intransitive",
]


def _predicates(finite: str, effect: str) -> tuple[tuple[PredicateKind, re.Pattern[str]], ...]:
    return (
        (
            "works-by",
            re.compile(
                rf"\b(?:(?:works?|acts?|functions?)|(?:achieves?|does)\s+(?:this|so))\s+by\s+{ADV}"
                rf"(?P<verbs>{_verb_group(_GERUND_FORMS)})\s+"
            ),
        ),
        (
            "is-a-that",
            re.compile(
                rf"\b(?:is|are)\s+(?:an?|the)\s+(?:[\w/()-]+\s+){{0,6}}?(?:that|which)\s+{ADV}"
                rf"(?P<verbs>{_verb_group(FINITE_FORMS)}|(?:works?|acts?|functions?)\s+by\s+{ADV}"
                rf"{_verb_group(_GERUND_FORMS)})\s+"
            ),
        ),
        (
            "role-of",
            re.compile(
                rf"\b(?:is|are)\s+(?:an?|the)\s+(?P<target>(?:[\w-]+\s+){{0,2}}?)"
                rf"(?P<role>{_ROLE_FORMS})s?\s+(?:of|at|for)\s+"
            ),
        ),
        (
            "role-noun",
            re.compile(
                rf"\b(?:is|are)\s+(?:an?)\s+(?P<target>(?:[\w/-]+\s+){{1,4}}?)"
                rf"(?P<role>{_ROLE_FORMS})s?\b"
            ),
        ),
        (
            "converted",
            re.compile(
                rf"\b(?:is|are)\s+{ADV}(?:converted|metabolized|metabolised|transformed)\s+"
                rf"(?:[\w-]+\s+){{0,3}}?(?:to|into)\s+"
            ),
        ),
        ("relation", re.compile(rf"\b(?P<verbs>{_verb_group(finite)})\s+")),
        ("depletion", re.compile(_DEPLETION)),
        ("nominal", re.compile(_NOMINAL)),
        ("effect", re.compile(rf"\b(?P<verb>{effect})\s+")),
        ("intransitive", re.compile(rf"\b(?P<verb>{_INTRANSITIVE_FORMS})(?=\s*(?:[,;]|$))")),
    )


# Main clauses read third-person forms only; relative clauses ("that suppress") any finite form.
MAIN_PREDICATES = _predicates(_THIRD_FORMS, _EFFECT_THIRD_FORMS)
RELATIVE_PREDICATES = _predicates(FINITE_FORMS, EFFECT_FINITE_FORMS)


def verb_relations(group: str, table: dict[str, Relation]) -> list[Relation]:
    """Relations of the verbs in a verb group, in order, without repeats."""
    relations: list[Relation] = []
    for match in _RELATION_WORD.finditer(group):
        relation = _lookup(table, match.group(0))
        if relation not in relations:
            relations.append(relation)
    return relations


ALL_RELATION_FORMS: dict[str, Relation] = {**_BASE, **_THIRD, **GERUNDS}


def earliest_predicate(
    predicates: tuple[tuple[PredicateKind, re.Pattern[str]], ...], work: str, start: int
) -> tuple[PredicateKind, re.Match[str]] | None:
    """The predicate matching earliest in work[start:] (the first listed wins a tie)."""
    best: tuple[PredicateKind, re.Match[str]] | None = None
    for kind, pattern in predicates:
        match = pattern.search(work, start)
        if match and (best is None or match.start() < best[1].start()):
            best = (kind, match)
    return best
