"""The verb lexicon of How it Works sections and the predicate patterns built from it.

Rule: relations (`RELATION_VERBS`): inhibit / block / antagonize / neutralize / interfere
with -> INHIBITS; suppress / negatively regulate -> SUPPRESSES; activate -> ACTIVATES;
stimulate / promote -> STIMULATES; bind (to) / target -> BINDS; deplete / kill ->
DEPLETES; "is converted (metabolized) to X" -> CONVERTED_TO; "leads to the destruction
(depletion, elimination) of X" -> DEPLETES; relax -> RELAXES; dilate / widen -> DILATES;
damage -> DISRUPTS; release, chelate, reactivate, depress, disrupt, act on -> the relation
of that name; "is required (needed, essential) for X", "is a cofactor for X" ->
REQUIRED_FOR; "is resistant to X", "is a X-resistant <noun>" -> RESISTANT_TO (the drug
only); "is incorporated into X" -> INCORPORATED_INTO. "S helps (to) <verb>" reads as "S
<verb>s"; "S causes X to <verb>" is X's verb's relation on X; "S's activity stems from its
ability to <verb> X" is S's step. Role nouns: inhibitor / blocker / antagonist ->
INHIBITS, agonist / activator -> ACTIVATES, relaxant -> RELAXES, depressant -> DEPRESSES,
stimulant -> STIMULATES ("a skeletal muscle relaxant"); "cofactor" only before
"for|in|of".
Phrases naming a relation by a noun ("is involved in", "leads to the relaxation of",
"prevents the formation of", "causing vasodilation") are in `mechanism_phrases`.
Effects (`EFFECT_VERBS`): ``leads to / results in an increase|decrease in
E``, ``reduces | lowers | decreases E`` (decrease), ``increases | raises |
enhances | expands E`` (increase), ``E rises|falls``.

An effect on a symptom or clinical measure (``is_outcome``: pain, inflammation,
blood pressure; words in ``data/terminology/outcome-words.csv``) is what the
drug achieves, not how it works: it is not read as an effect.

Each verb is matched in its base, third-person and gerund forms; main clauses
use the third-person forms only (`MAIN_PREDICATES`), relative clauses ("that
suppress") any finite form (`RELATIVE_PREDICATES`). Used by
`medkg.extract.mechanism`; nothing here knows a drug, protein or disease.
"""

from __future__ import annotations

import functools
import re
from typing import Literal

from medkg.extract.mechanism.phrases import INVOLVED, NOMINAL_RELATION, PREVENTS, causes_process
from medkg.extract.mechanism.roles import ROLE_NOUNS, ROLE_OF_NOUNS
from medkg.model import Relation
from medkg.resources import terminology_rows

Direction = Literal["increase", "decrease"]

RELATION_VERBS: dict[Relation, tuple[str, ...]] = {
    Relation.INHIBITS: (
        "inhibit",
        "block",
        "antagonize",
        "antagonise",
        "neutralize",
        "neutralise",
        "interfere with",
    ),
    Relation.SUPPRESSES: ("suppress", "negatively regulate"),
    Relation.ACTIVATES: ("activate",),
    Relation.STIMULATES: ("stimulate", "promote"),
    Relation.BINDS: ("bind", "target"),
    Relation.DEPLETES: ("deplete", "kill"),
    Relation.RELAXES: ("relax",),
    Relation.DILATES: ("dilate", "widen"),
    Relation.RELEASES: ("release",),
    Relation.CHELATES: ("chelate",),
    Relation.REACTIVATES: ("reactivate",),
    Relation.DEPRESSES: ("depress",),
    Relation.DISRUPTS: ("disrupt", "damage"),
    Relation.ACTS_ON: ("act on",),
}
EFFECT_VERBS: dict[Direction, tuple[str, ...]] = {
    "increase": ("increase", "raise", "boost", "enhance", "elevate", "expand"),
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


# Words after a verb that belong to it ("interfere with"): the verb before them is inflected.
_PARTICLES = frozenset({"with", "on", "to", "into", "in"})


def _inflect(verb: str, form: str) -> str:
    """`verb` ("block", "negatively regulate", "interfere with") with its verb word in `form`
    ("third" or "gerund"); the last word is the verb unless it is a particle."""
    words = verb.split()
    at = len(words) - 2 if len(words) > 1 and words[-1] in _PARTICLES else len(words) - 1
    word = words[at]
    if form == "third":
        word += "es" if word.endswith(("s", "sh", "ch", "x", "z")) else "s"
    else:
        word = (word[:-1] if word.endswith("e") and not word.endswith("ee") else word) + "ing"
    return " ".join([*words[:at], word, *words[at + 1 :]])


def _third_person(verb: str) -> str:
    return _inflect(verb, "third")


def _gerund(verb: str) -> str:
    return _inflect(verb, "gerund")


def _alternation(forms: list[str]) -> str:
    ordered = sorted(set(forms), key=len, reverse=True)
    return "|".join(re.escape(form).replace(r"\ ", r"\s+") for form in ordered)


def _lookup(table: dict[str, Relation], word: str) -> Relation:
    return table[" ".join(word.lower().split())]


_THIRD: dict[str, Relation] = {}
_BASE: dict[str, Relation] = {}
GERUNDS: dict[str, Relation] = {}
# Verbs whose base form is more often a noun ("the damage to X"): read in their third-person
# and gerund forms only.
_NOUN_BASES = frozenset({"damage"})
for _relation, _words in RELATION_VERBS.items():
    for _verb in _words:
        if _verb not in _NOUN_BASES:
            _BASE[_verb] = _relation
        _THIRD[_third_person(_verb)] = _relation
        GERUNDS[_gerund(_verb)] = _relation
EFFECT_THIRD = {_third_person(v): d for d, vs in EFFECT_VERBS.items() for v in vs}
# First words of main-clause verbs: a sentence opening with one ("Blocks X") has no subject.
OPENING_VERBS = frozenset(
    form.split()[0]
    for form in [*_THIRD, *EFFECT_THIRD, "works", "acts", "functions", "incorporated"]
)
EFFECT_BASE = {v: d for d, vs in EFFECT_VERBS.items() for v in vs}
EFFECT_GERUNDS = {_gerund(v): d for d, vs in EFFECT_VERBS.items() for v in vs}

# Optional adverbs before a verb ("also", "then", "-ly" words), as a regex fragment.
ADV = r"(?:(?:also|then|further|thereby|thus|therefore|in\s+turn|[a-z]+ly)\s+)*"


def _verb_group(forms: str) -> str:
    """One verb or coordinated verbs, each with an optional "to": "binds to and inhibits"."""
    one = rf"(?:{forms})(?:\s+to)?"
    return rf"{one}(?:\s*,?\s+and\s+{ADV}{one})*"


_THIRD_FORMS = _alternation(list(_THIRD))
# Third-person forms of every relation and effect verb: the verb of a clause of its own.
THIRD_PERSON_FORMS = _alternation(list(_THIRD) + list(EFFECT_THIRD))
FINITE_FORMS = _alternation(list(_THIRD) + list(_BASE))
BASE_FORMS = _alternation(list(_BASE))
_GERUND_FORMS = _alternation(list(GERUNDS))
EFFECT_GERUND_FORMS = _alternation(list(EFFECT_GERUNDS))
_EFFECT_THIRD_FORMS = _alternation(list(EFFECT_THIRD))
EFFECT_FINITE_FORMS = _alternation(list(EFFECT_THIRD) + list(EFFECT_BASE))
EFFECT_BASE_FORMS = _alternation(list(EFFECT_BASE))
# "S helps (to) relax X": the drug's own action, its verb in the base form.
_HELP = rf"helps?\s+(?:to\s+)?{ADV}"
# "S is resistant to (breakdown by) X": what S withstands.
_RESISTANT = (
    rf"(?:\b(?:is|are)|(?<=\w)['’]s)\s+{ADV}resistant\s+to\s+"
    r"(?:(?:breakdown|destruction|degradation|inactivation|hydrolysis)\s+by\s+)?"
)
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
# "leads to lower levels of X": the comparative and its direction.
LEVEL_ADJECTIVES: dict[str, Direction] = {
    "lower": "decrease",
    "reduced": "decrease",
    "decreased": "decrease",
    "diminished": "decrease",
    "higher": "increase",
    "increased": "increase",
    "elevated": "increase",
    "raised": "increase",
    "greater": "increase",
}
_LEVELS = (
    rf"\b(?:{_CAUSE_VERB})\s+(?:the\s+)?(?P<adjective>{'|'.join(LEVEL_ADJECTIVES)})\s+"
    r"(?:levels?|concentrations?|amounts?|production|activity)\s+of\s+"
)
_INTRANSITIVE_FORMS = _alternation(list(INTRANSITIVE_VERBS))
# "S works by <verb>ing", "S's mechanism of action involves <verb>ing": how S acts follows.
_WORKS_BY = (
    r"(?:(?:works?|acts?|functions?)|(?:achieves?|does)\s+(?:this|so))\s+by"
    r"|(?:'s|’s)\s+(?:main\s+|primary\s+)?(?:mechanism(?:\s+of\s+action)?|action)\s+"
    r"(?:involves|is)"
)

_ROLE_FORMS = "|".join(ROLE_NOUNS)
_ROLE_OF_FORMS = "|".join(ROLE_OF_NOUNS)
# "S is a … agonist", "S acts as a … agonist".
_BE_AS = r"(?:is|are|(?:acts?|functions?|serves?)\s+as)"

PredicateKind = Literal[
    "works-by",
    "works-by-effect",
    "is-a-that",
    "role-of",
    "role-noun",
    "converted",
    "relation",
    "depletion",
    "nominal",
    "levels",
    "effect",
    "intransitive",
    "gerund",
    "gerund-effect",
    "required-for",
    "resistant",
    "resistant-adjective",
    "incorporated",
    "ability",
    "causes-to",
    "involved",
    "nominal-relation",
    "prevents",
    "causes-process",
]


def _predicates(finite: str, effect: str) -> tuple[tuple[PredicateKind, re.Pattern[str]], ...]:
    return (
        (
            "works-by",
            re.compile(
                rf"(?:\b|(?='))(?:{_WORKS_BY})\s+{ADV}(?P<verbs>{_verb_group(_GERUND_FORMS)})\s+"
            ),
        ),
        (
            "works-by-effect",
            re.compile(rf"(?:\b|(?='))(?:{_WORKS_BY})\s+{ADV}(?P<verb>{EFFECT_GERUND_FORMS})\s+"),
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
                rf"\b{_BE_AS}\s+(?:an?|the)\s+(?P<target>(?:[\w-]+\s+){{0,2}}?)"
                rf"(?P<role>{_ROLE_OF_FORMS})s?\s+(?:of|at|for|in)\s+"
            ),
        ),
        (
            "role-noun",
            re.compile(
                rf"\b{_BE_AS}\s+(?:an?)\s+(?P<target>(?:[\w/-]+\s+){{1,4}}?)"
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
        ("relation", re.compile(rf"(?<![\w-])(?P<verbs>{_verb_group(finite)})\s+")),
        ("relation", re.compile(rf"\b{_HELP}(?P<verbs>{_verb_group(BASE_FORMS)})\s+")),
        (
            "required-for",
            re.compile(
                rf"\b(?:is|are)\s+{ADV}(?:required|needed|necessary|essential|indispensable)"
                r"\s+for\s+(?!(?:its|their|the\s+(?:patient|body))\b|(?:[\w-]+\s+){0,3}to\s)"
            ),
        ),
        ("resistant", re.compile(_RESISTANT)),
        (
            "resistant-adjective",
            re.compile(r"\b(?:is|are)\s+an?\s+(?P<target>[\w-]+?)-resistant\b"),
        ),
        (
            "incorporated",
            re.compile(
                rf"(?:\b(?:is|are|gets?|becomes?)\s+{ADV}(?:[a-z]+ed\b[^,;]{{0,40}}?\s+and\s+{ADV})?"
                rf"|^){ADV}incorporated\s+into\s+"
            ),
        ),
        (
            "ability",
            re.compile(
                r"\b(?:stems?|comes?|derives?|results?|arises?|is\s+due)\s+(?:from|to)\s+"
                rf"(?:its|their)\s+(?:ability|capacity)\s+to\s+{ADV}"
                rf"(?P<verbs>{_verb_group(BASE_FORMS)})\s+"
            ),
        ),
        (
            "causes-to",
            re.compile(
                r"\b(?:causes|causing|cause)\s+(?P<object>(?:[\w-]+\s+){1,6}?)to\s+"
                rf"{ADV}(?P<verbs>{_verb_group(BASE_FORMS)})\b"
            ),
        ),
        ("involved", re.compile(INVOLVED)),
        ("nominal-relation", re.compile(NOMINAL_RELATION)),
        ("prevents", re.compile(PREVENTS)),
        ("causes-process", re.compile(causes_process())),
        ("depletion", re.compile(_DEPLETION)),
        ("nominal", re.compile(_NOMINAL)),
        ("levels", re.compile(_LEVELS)),
        ("effect", re.compile(rf"\b(?P<verb>{effect})\s+")),
        ("effect", re.compile(rf"\b{_HELP}(?P<verb>{EFFECT_BASE_FORMS})\s+")),
        ("intransitive", re.compile(rf"\b(?P<verb>{_INTRANSITIVE_FORMS})(?=\s*(?:[,;]|$))")),
    )


# Main clauses read third-person forms only; relative clauses ("that suppress") any finite form.
MAIN_PREDICATES = _predicates(_THIRD_FORMS, _EFFECT_THIRD_FORMS)
RELATIVE_PREDICATES = _predicates(FINITE_FORMS, EFFECT_FINITE_FORMS)
# A gerund continues only a clause whose own verb was one: "works by inhibiting X, and
# interfering with Y"; "…, reducing Y" is not read (its subject is the whole clause).
GERUND_PREDICATES: tuple[tuple[PredicateKind, re.Pattern[str]], ...] = (
    ("gerund", re.compile(rf"(?<![\w-])(?P<verbs>{_verb_group(_GERUND_FORMS)})\s+")),
    ("gerund-effect", re.compile(rf"\b(?P<verb>{EFFECT_GERUND_FORMS})\s+")),
)
# "S lowers X by inhibiting Y": how S does it, a step of S of its own.
BY_GERUND = re.compile(
    rf"\s*,?\s+by\s+{ADV}(?:(?P<verbs>{_verb_group(_GERUND_FORMS)})|(?P<verb>{EFFECT_GERUND_FORMS}))\s+"
)


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


OUTCOME_FILE = "outcome-words.csv"
_HEAD_END = re.compile(
    r"\s+(?:of|in|on|to|for|with|by|at|from|into|like|such|including|associated|caused)\b", re.I
)


@functools.cache
def outcome_words() -> frozenset[str]:
    """The bundled words of symptoms and clinical measures (``outcome-words.csv``), read once."""
    rows = terminology_rows(OUTCOME_FILE, "outcome word list", ("word",))
    return frozenset(" ".join(row["word"].lower().split()) for row in rows)


def is_outcome(term: str) -> bool:
    """Does the term name a symptom or clinical measure ("muscle spasms", "blood pressure",
    "symptoms like sneezing")? Its head (the words before a preposition) ends in such a word.
    A drug relieving one is what the drug achieves, not how it works; "perception of pain"
    (head "perception") is not one."""
    head = _HEAD_END.split(term, maxsplit=1)[0]
    words = re.findall(r"[a-z]+", head.lower())
    return any(" ".join(words[i:]) in outcome_words() for i in range(len(words)))
