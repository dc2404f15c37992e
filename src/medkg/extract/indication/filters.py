"""What is never a condition, whatever the sentence around it says.

* **Generic.** A generic head ("conditions", "cases", "purposes") after
  determiners, vague or degree modifiers, numbers, adverbs or participles only
  ("these conditions", "two key purposes", "severe cases", "previously
  untreated cases"); a pronoun.
* **Function words.** Adverbs and determiners alone ("sometimes", "less
  often", "both"; `function-word` words).
* **Modifier.** Adjectives and body parts alone ("respiratory", "soft tissue")
  modify a head; they name no condition.
* **Body function or goal.** A head of `not-condition` words ("nerve
  function", "prostate health"), or a way of treating ("maintenance therapy").
"""

from __future__ import annotations

import re

from medkg.extract.indication.cues import words_of
from medkg.extract.term_lists import is_adjective

_STRIP = " \t\n.,;:*_"
_ADVERB = re.compile(r"(?!(?:early|elderly|daily|family|only|belly|jelly)$)\w{3,}ly")


def plain_words(text: str) -> list[str]:
    return re.sub(r"\([^()]*\)", " ", text).lower().split()


def is_generic(phrase: str, vague: bool = True) -> bool:
    """A phrase made of a generic head ("conditions", "symptoms", "this purpose") and
    determiners or vague modifiers only: never a condition. With `vague`, degree
    modifiers, adverbs and participles count as vague too ("severe cases"); without, a
    head such as "severe cases" before "of asthma" is kept."""
    words = [w.strip(_STRIP + "'’") for w in plain_words(phrase)]
    words = [w for w in words if w]
    if not words:
        return True
    generic, modifiers = words_of("generic"), words_of("generic-modifier")
    pronouns = {"it", "them", "this", "these", "those", "that", "they"}
    if words[-1] in pronouns or words[0] in ("it", "them", "they"):
        return True
    return words[-1] in generic and all(
        w in modifiers or w in generic or (vague and _vague_modifier(w)) for w in words[:-1]
    )


def _vague_modifier(word: str) -> bool:
    """A degree modifier, a number, an adverb or a negated participle: "severe cases",
    "previously untreated cases" stay generic."""
    return (
        word in words_of("degree-modifier")
        or word.isdigit()
        or _ADVERB.fullmatch(word) is not None
        or (word.startswith("un") and word.endswith("ed"))
    )


def function_words_only(phrase: str) -> bool:
    """A phrase of adverbs and determiners alone ("sometimes", "less often", "both")."""
    words = [w.strip(_STRIP + "'’") for w in plain_words(phrase)]
    vague = words_of("function-word") | words_of("generic-modifier")
    return bool(words) and all(w in vague or _ADVERB.fullmatch(w) for w in words)


def is_modifier(phrase: str) -> bool:
    """A phrase that can only modify a head: adjectives and body parts ("respiratory",
    "skin", "fallopian tube", "soft tissue")."""
    words = plain_words(phrase)
    if not words or len(words) > 3:
        return False
    body = words_of("body-part")
    last = words[-1]
    if " ".join(words) in body or last in body:
        return True
    degree = words_of("degree-modifier")
    return all(
        is_adjective(w) or w.endswith(("ian", "ory")) or w in body or w in degree for w in words
    )


def ends_in_head(phrase: str) -> bool:
    words = plain_words(phrase)
    return bool(words) and words[-1] in words_of("head")


def not_a_condition(phrase: str) -> bool:
    """A body function or goal ("nerve function", "prostate health"), a generic head, or
    a way of treating ("symptomatic relief", "maintenance therapy")."""
    words = plain_words(phrase)
    if not words or words[-1] in words_of("not-condition") or is_generic(phrase):
        return True
    if function_words_only(phrase):
        return True
    ways = words_of("treatment") | words_of("treatment-modifier")
    return all(w in ways or w in ("symptomatic", "short-term", "long-term") for w in words)
