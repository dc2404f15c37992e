"""Whose action a How it Works clause states: the drug's, or another entity's.

Rules. A subject stands for the drug when it is the drug's name (or a pronoun resolved to
it), the fronted cause phrase of a clause whose subject is the drug ("By blocking X,
Examplin …": "blocking X"), what an earlier step of the drug says it is converted to or
releases ("Examplin releases testol. Testol lowers …"), or a gerund phrase on an earlier
object of the drug ("Examplin binds X. Blocking X raises …"). A clause is the drug's action
or its result when its subject stands for the drug; names the product as a whole ("The
combination"); is the drug's possession ("Its coating", "Examplin's action"); is a
demonstrative with a word naming a change or an action ("This increased secretion", "This
inhibition") right after a sentence that gave a step or effect of the drug; is written out
with a word naming a change, an action or a process ("Increased X", "The suppression of X",
``result-words.csv``, ``process-words.csv``) on something an earlier step or effect of the
drug acts on ("Examplin raises X. Increased X lowers …"); or names a constituent of the
drug: a word of its names that is not a salt or form word (``salt-words.csv``), the
"-ic acid" of an "-ate" salt counting as the same name ("examplic acid" in "ferrous
examplate"). Any other subject, an unresolved one among them, is not the drug, nor one with
an agent ("… by histamine"): the effects it states are not the drug's (no effect is better
than a wrong one). Spelling likeness never makes two names one drug ("examplone" is not
"examplolone").

Used by `medkg.extract.mechanism.sentence`; nothing here knows a drug.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from medkg.extract.mechanism.lexicon import EFFECT_GERUNDS, GERUNDS
from medkg.extract.mechanism.phrases import process_words
from medkg.extract.mechanism.subjects import PRONOUNS
from medkg.model import MechanismStep, Mention, Relation
from medkg.resources import words_by_kind
from medkg.text import Span, normalise_term

if TYPE_CHECKING:
    from medkg.extract.mechanism.sentence import SectionContext

RESULT_FILE = "result-words.csv"
# "Blocking X", "inhibiting the X": an action named by its gerund and its object.
_ACTION_PHRASE = re.compile(r"(?P<verb>[A-Za-z]+ing)\s+(?:the\s+)?(?P<object>\S.*)")
_ACTION_GERUNDS = frozenset(GERUNDS) | frozenset(EFFECT_GERUNDS)
# Relations whose object is the drug's active form: "is converted to X", "releases X".
_YIELDS = frozenset({Relation.CONVERTED_TO, Relation.RELEASES})
_REFERS_BACK = re.compile(r"(?:these|this|those)\s", re.I)
_POSSESSIVE = re.compile(r"(?P<owner>[\w -]+?)['’]s\s")
SALT_FILE = "salt-words.csv"
# an acid's name and its salt's: "examplic acid" / "examplate", "examplous acid" / "examplite"
_ACID_SALT = re.compile(r"(?:ic|ate|ous|ite)$")
# words too short or too general to tie a subject to what the drug acts on
_MIN_WORD = 4

NamesDrug = Callable[[Mention | None], bool]


@functools.cache
def _result_words_by_kind() -> dict[str, frozenset[str]]:
    return words_by_kind(
        RESULT_FILE,
        "result word list",
        ("change", "action", "product", "back-reference", "measure"),
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
    words_text: str,
    names_drug: NamesDrug,
) -> bool:
    """Is the clause whose subject words `words_text` lie at `clause` (document offsets)
    the drug's action or its result (see the module's rules)? `subject` is what those words
    resolved to (None: nothing)."""
    if subject is None:
        return _refers_back(context, words_text)
    if acts_for_drug(context, subject, names_drug):
        return True
    if not clause[0] <= subject.evidence.start < clause[1]:
        return False  # resolved elsewhere, to something else
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
    if set(words) & _result_words_by_kind()["product"]:
        return True  # "The combination": the product as a whole
    if set(words) & (result_words() | process_words()):
        return _on_drug_facts(context, words, names_drug)
    return _constituent(context, words)


def in_chain(context: SectionContext, step: MechanismStep, names_drug: NamesDrug) -> bool:
    """Is the step a link of the drug's chain: its subject stands for the drug, or is what an
    earlier step of the chain acts on ("Examplin blocks X. X no longer raises Y")?"""
    if acts_for_drug(context, step.subject, names_drug):
        return True
    key = normalise_term(step.subject.text)
    earlier = context.steps[: context.steps.index(step)]
    return any(key in _spellings(s.object) for s in earlier if in_chain(context, s, names_drug))


def _refers_back(context: SectionContext, words_text: str) -> bool:
    """Does an unresolved subject refer back to the drug's action: "This" alone, "This means
    it", or a demonstrative with a word naming a change, an action or a process ("This
    increased secretion", "These effects", "This relaxation"), right after a sentence that
    neither hedges nor negates and spoke of the drug or its chain (a step or effect, its
    name, a pronoun for it)? "These hormones" names an entity, not the drug's action."""
    words = re.findall(r"[a-z]+", words_text.lower())
    if not words or not _REFERS_BACK.match(words[0] + " ") or not context.previous_about_drug:
        return False
    if words[:2] == ["this", "means"] and words[-1] in PRONOUNS:
        return True  # "This means it raises X": it, the drug
    return words == ["this"] or bool(
        set(words[1:]) & (result_words() | action_nouns() | process_words())
    )


def _on_drug_facts(context: SectionContext, words: list[str], names_drug: NamesDrug) -> bool:
    """Does a subject naming a change or process ("Increased X", "The vasodilation") name
    something an earlier step or effect of the drug acts on (a word in common that is not a
    change, action or measure word)?"""
    kinds = _result_words_by_kind()
    general = result_words() | kinds["measure"] | kinds["back-reference"]
    own = {normalise_term(w) for w in words if len(w) >= _MIN_WORD and w not in general}
    if not own:
        return False
    acted_on = [s.object for s in context.steps if acts_for_drug(context, s.subject, names_drug)]
    acted_on += [e.effect for e in context.effects]
    for term in acted_on:
        for name in _spellings(term):
            if own & {normalise_term(w) for w in re.findall(r"[a-z0-9]+", name)}:
                return True
    return False


@functools.cache
def salt_words() -> frozenset[str]:
    """Words of a drug's name that name its salt or form, not the substance ("sodium",
    "hydrochloride", "extended"; ``salt-words.csv``)."""
    kinds = words_by_kind(SALT_FILE, "salt word list", ("salt", "form"))
    return kinds["salt"] | kinds["form"]


def _name_key(word: str) -> str:
    """A word of a name, an acid's and its salt's names made one ("examplic", "examplate")."""
    return _ACID_SALT.sub("", word) if len(word) > 6 else word


def _constituent(context: SectionContext, words: list[str]) -> bool:
    """Does the subject's first word name a constituent of the drug: the same name word as one
    of the drug's names (an acid and its salt counting as one), not a salt or form word?"""
    if not words or words[0] in salt_words() or len(words[0]) < _MIN_WORD:
        return False
    names = re.findall(r"[a-z]+", " ".join(context.bare_names()).lower())
    key = _name_key(words[0])
    return any(n not in salt_words() and _name_key(n) == key for n in names)
