"""Subjects that refer back to the drug across sentences, in a How it Works section.

Rules. "This means it …" has the pronoun for its subject. "This active form" and "This
active metabolite" are the form the drug takes in the body, so its action is the drug's.
"These|This <noun>" is the drug when the sentence before named that noun as the drug's own
part or form: "its <noun>", "contains <noun>", "is composed of (consists of, a preparation
of, a mixture of) <noun>", "is converted into <noun>", with at most three modifiers before
the noun ("Examplumab contains venom-specific antibody fragments. These fragments bind …");
"Examplin is an agonist of Q receptors. These receptors …" names no part of the drug. Each
holds only after a sentence that spoke of the drug without a hedge (the caller checks it).
A verb in its plural form is read as a main clause's verb when its subject stands for the
drug ("These fragments bind X", a drug named in the plural). In "Examplin slows X and
reduces Y" the verb after "and" has the drug for its subject, though the first is not read.

Used by `medkg.extract.mechanism.sentence` and `medkg.extract.mechanism.clauses`; nothing
here knows a drug.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from medkg.extract.mechanism.lexicon import (
    MAIN_PREDICATES,
    RELATIVE_PREDICATES,
    PredicateKind,
    earliest_predicate,
)
from medkg.extract.mechanism.owner import action_nouns
from medkg.extract.mechanism.phrases import NOMINAL_RELATIONS
from medkg.extract.mechanism.subjects import CLAUSE_WORDS, NOT_SUBJECT_END, PRONOUNS
from medkg.model import Mention
from medkg.text import Span, normalise_term

if TYPE_CHECKING:
    from medkg.extract.mechanism.sentence import SectionContext, Sentence

_ACTIVE_FORM = re.compile(r"(?:this|its|the)\s+active\s+(?:form|metabolite)")
# Words before a noun phrase that make it the drug's own part or form (`owned_part`).
_OWNED = (
    r"\b(?:its|contains?|containing|composed\s+of|consists?\s+of|preparation\s+of|"
    r"mixture\s+of|(?:converted|metabolized|metabolised|broken\s+down)\s+in(?:to)?)\s+"
    r"(?:(?:a|an|the)\s+)?"
)
# a word before the noun that modifies it, not a preposition or an article
_MODIFIER = r"(?!(?:in|of|on|to|for|with|by|at|from|the|an?)\s)[\w-]+\s+"
_THIS_MEANS = re.compile(r"this\s+means\s+(?P<pronoun>.+)")


def means_pronoun(lowered: str) -> str | None:
    """The pronoun for the drug in a subject "this means it" (lower case), else None."""
    means = _THIS_MEANS.fullmatch(lowered)
    return means.group("pronoun") if means and means.group("pronoun") in PRONOUNS else None


def is_active_form(lowered: str) -> bool:
    """Is the subject (lower case) "this|its|the active form|metabolite"?"""
    return _ACTIVE_FORM.fullmatch(lowered) is not None


def owned_part(context: SectionContext, lowered: str) -> bool:
    """Is the subject (lower case) "These|This <noun>" a part or form of the drug that the
    previous sentence of the body named as the drug's own (see the module's rules)?"""
    words = lowered.split()
    if len(words) != 2 or words[0] not in ("this", "these"):
        return False
    noun = words[1]
    stem = noun[:-3] if noun.endswith("ies") else noun.rstrip("s")
    if len(stem) < 4 or noun in action_nouns() or noun in NOMINAL_RELATIONS:
        return False
    owned = _OWNED + rf"(?:{_MODIFIER}){{0,3}}?{re.escape(stem)}(?:s|es|ies|y)?\b"
    return re.search(owned, context.previous_text.lower()) is not None


def plural_drug_predicate(
    sentence: Sentence, position: int
) -> tuple[PredicateKind, re.Match[str]] | None:
    """A verb in its plural form whose subject stands for the drug ("These fragments bind X"
    after "Examplin contains antibody fragments", a drug named in the plural): main clauses
    are otherwise read in the third person singular only. None when the first verb is not
    such a plural one, or its subject is no plural noun ("This increase in X leads to …")."""
    plural = earliest_predicate(RELATIVE_PREDICATES, sentence.work, position)
    if plural is None or plural[0] == "intransitive":
        return None
    main = earliest_predicate(MAIN_PREDICATES, sentence.work, position)
    if main is not None and main[1].start() <= plural[1].start():
        return None
    read = sentence.subject(position, plural[1].start())
    if read is None or read[0][0] >= read[0][1] or not sentence.names_drug(read[1]):
        return None
    words = sentence.work[read[0][0] : read[0][1]].lower().split()
    if words[0] in ("this", "that", "it") or not words[-1].endswith("s"):
        return None
    return plural


def coordinated_drug(sentence: Sentence, start: int, words: list[Span]) -> Mention | None:
    """The drug, when the words before a verb (`words`, offsets from `start` in the
    sentence's work) are the drug's own clause with a verb the lexicon does not read, then
    "and" ("Examplin slows X and [reduces Y]"): the second verb has the same subject. None
    when those words hold a comma, a relative or a copula (another clause), more than
    fourteen words, or no third-person verb right after the drug's name or pronoun."""
    text = sentence.work[start + words[0][0] : start + words[-1][1]]
    lowered = text.lower().split()
    if "," in text or len(words) > 14 or CLAUSE_WORDS & set(lowered):
        return None
    drug = sentence.drug_subject(start + words[0][0])
    if drug is None:
        return None
    names = {normalise_term(n) for n in sentence.context.names()}
    for count in range(1, min(4, len(lowered) - 2) + 1):
        phrase = " ".join(lowered[:count])
        if phrase in PRONOUNS or normalise_term(phrase) in names:
            verb = lowered[count]
            return drug if verb.endswith("s") and verb not in NOT_SUBJECT_END else None
    return None
