"""Whose action a How it Works clause states: the drug's, or another entity's.

Rules. A subject stands for the drug when it is the drug's name (or a pronoun resolved to
it), the fronted cause phrase of a clause whose subject is the drug ("By blocking X,
Examplin …": "blocking X"), what an earlier step of the drug says it is converted to or
releases ("Examplin releases testol. Testol lowers …"), or a gerund phrase on an earlier
object of the drug ("Examplin binds X. Blocking X raises …"). A clause is the drug's action
or its result when its subject stands for the drug, cannot be resolved ("This increased
secretion …" refers back to what the text said the drug does), or is written out with a word
naming a change, an action or the product as a whole (``result-words.csv``: "Increased X",
"The suppression of X", "The combination"), the drug's name spelled another way
("licorice" for "liquorice"), or a first word that opens like a word of the drug's names
(a constituent: "ascorbic acid" in "ferrous ascorbate"), without an agent
("… by histamine"). A subject written out that names another entity ("Histamine", "The
hormone") is not the drug: the effects it states are not the drug's.

Used by `medkg.extract.mechanism_sentence`; nothing here knows a drug.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from medkg.extract.mechanism_lexicon import EFFECT_GERUNDS, GERUNDS
from medkg.extract.mechanism_phrases import process_words
from medkg.extract.mechanism_subjects import PRONOUNS
from medkg.model import Mention, Relation
from medkg.resources import words_by_kind
from medkg.text import Span, normalise_term

if TYPE_CHECKING:
    from medkg.extract.mechanism_sentence import SectionContext

RESULT_FILE = "result-words.csv"
# "Blocking X", "inhibiting the X": an action named by its gerund and its object.
_ACTION_PHRASE = re.compile(r"(?P<verb>[A-Za-z]+ing)\s+(?:the\s+)?(?P<object>\S.*)")
_ACTION_GERUNDS = frozenset(GERUNDS) | frozenset(EFFECT_GERUNDS)
# Relations whose object is the drug's active form: "is converted to X", "releases X".
_YIELDS = frozenset({Relation.CONVERTED_TO, Relation.RELEASES})
_SPELLING = 0.82  # how alike two spellings of one name are ("licorice", "liquorice")
_REFERS_BACK = re.compile(r"(?:these|this|those)\s", re.I)
_POSSESSIVE = re.compile(r"(?P<owner>[\w -]+?)['’]s\s")
_STEM = 6  # letters a constituent's name shares with the drug's ("ascorbic", "ascorbate")

NamesDrug = Callable[[Mention | None], bool]


@functools.cache
def _result_words_by_kind() -> dict[str, frozenset[str]]:
    return words_by_kind(
        RESULT_FILE, "result word list", ("change", "action", "product", "back-reference")
    )


def result_words() -> frozenset[str]:
    """The bundled words that name a change, an action or the product as a whole
    (``result-words.csv``)."""
    kinds = _result_words_by_kind()
    return kinds["change"] | kinds["action"] | kinds["product"]


def action_nouns() -> frozenset[str]:
    """The nouns that name an action, so that "This <noun>" refers back to the previous
    sentence's step of the drug (``result-words.csv``, kinds action and back-reference)."""
    kinds = _result_words_by_kind()
    return kinds["action"] | kinds["back-reference"]


def acts_for_drug(context: SectionContext, subject: Mention | None, names_drug: NamesDrug) -> bool:
    """Does the subject stand for the drug (see the module's rules)?"""
    if subject is None:
        return False
    if names_drug(subject) or subject in context.drug_actions:
        return True
    key = normalise_term(subject.text)
    own = [s for s in context.steps if names_drug(s.subject)]
    if any(s.relation in _YIELDS and key in _spellings(s.object) for s in own):
        return True
    action = _ACTION_PHRASE.fullmatch(subject.text)
    if action is None or action.group("verb").lower() not in _ACTION_GERUNDS:
        return False
    if _REFERS_BACK.match(action.group("object")):  # "Stimulating these receptors"
        return bool(own)
    target = normalise_term(action.group("object"))
    return any(target in name for s in own for name in _spellings(s.object))


def _spellings(term: Mention) -> set[str]:
    """The term's text and glosses, normalised."""
    return {normalise_term(n) for n in (term.text, *term.glosses)}


def subject_acts(
    context: SectionContext,
    subject: Mention | None,
    clause: Span,
    base: int,
    names_drug: NamesDrug,
) -> bool:
    """Is the clause whose subject words lie at `clause` (offsets from `base`) the drug's
    action or its result (see the module's rules)?"""
    if subject is None or acts_for_drug(context, subject, names_drug):
        return True
    start = subject.evidence.start - base
    if not clause[0] <= start < clause[1]:  # resolved elsewhere, to something else
        return False
    tail = " ".join(re.split(r"[:;]", subject.text)[-1].lower().split())
    if tail in PRONOUNS or names_drug(Mention(tail, subject.evidence)):
        return True  # "… through two mechanisms: it …"
    words = re.findall(r"[a-z]+", subject.text.lower())
    if "by" in words:  # "Activation of X by histamine": another agent
        return False
    owner = _POSSESSIVE.match(subject.text)
    if words[:1] == ["its"] or (
        owner is not None and names_drug(Mention(owner.group("owner"), subject.evidence))
    ):
        return True  # "Its structure", "Examplin's action": the drug's
    if set(words) & (result_words() | process_words()) or _spelled_like(context, subject.text):
        return True
    return _constituent(context, words[0] if words else "")


def _spelled_like(context: SectionContext, text: str) -> bool:
    """Is the subject the drug's name spelled another way ("licorice", "liquorice")? Four
    fifths of their letters or more match, in order, and the lengths differ by two at most
    ("noradrenaline" is another substance than "adrenaline")."""
    key = normalise_term(text)
    names = {normalise_term(n) for n in context.bare_names()}
    return any(
        abs(len(key) - len(n)) <= 2 and SequenceMatcher(None, key, n).ratio() >= _SPELLING
        for n in names
        if n
    )


def _constituent(context: SectionContext, word: str) -> bool:
    """Does the word open like a word of the drug's names (six letters or more in common)?"""
    if len(word) < _STEM:
        return False
    names = re.findall(r"[a-z]+", " ".join(context.bare_names()).lower())
    return any(len(n) >= _STEM and n[:_STEM] == word[:_STEM] for n in names)
