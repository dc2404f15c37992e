"""What is never a condition, whatever the sentence around it says.

* **Generic.** A generic head ("conditions", "cases", "purposes") after
  determiners, vague or degree modifiers, numbers, adverbs or participles only
  ("these conditions", "two key purposes", "severe cases", "previously
  untreated cases"); a pronoun.
* **Modifier.** Adjectives and body parts alone ("respiratory", "soft tissue")
  modify a head; they name no condition.
* **Body function or goal.** A head of `not-condition` words ("nerve
  function", "prostate health"), or a way of treating ("maintenance therapy").
"""

from __future__ import annotations

import re

from medkg.extract.indication_cues import words_of
from medkg.extract.term_lists import is_adjective

_STRIP = " \t\n.,;:*_"


def plain_words(text: str) -> list[str]:
    return re.sub(r"\([^()]*\)", " ", text).lower().split()


def is_generic(phrase: str) -> bool:
    """A phrase made of a generic head ("conditions", "symptoms", "this purpose") and
    determiners or vague modifiers only: never a condition."""
    words = [w.strip(_STRIP + "'’") for w in plain_words(phrase)]
    words = [w for w in words if w]
    if not words:
        return True
    generic, modifiers = words_of("generic"), words_of("generic-modifier")
    pronouns = {"it", "them", "this", "these", "those", "that", "they"}
    if words[-1] in pronouns or words[0] in ("it", "them", "they"):
        return True
    return words[-1] in generic and all(w in modifiers or w in generic for w in words[:-1])


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
    ways = words_of("treatment") | words_of("treatment-modifier")
    return all(w in ways or w in ("symptomatic", "short-term", "long-term") for w in words)
