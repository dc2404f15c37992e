"""The words of a How it Works object, made into the terms a step or effect names.

Rules:

* A head shared by a coordination after "of" is shared out: "the growth of bacteria
  and fungi" names the growth of bacteria and the growth of fungi, one term each;
  not when the head relates the members to each other ("the balance of sodium and
  potassium", heads of kind ``joint`` in ``data/terminology/object-heads.csv``).
* A head "of" an organism ("growth of bacteria") is the organism's adjective and the
  head ("bacterial growth", ``data/terminology/organism-adjectives.csv``), the way the
  same thing is also written; not when the head names a kind or an amount of the
  organisms ("a range of bacteria", heads of kind ``class``).
* A trailing "molecule(s)" after a name is no part of it: "the organophosphate
  molecule" is organophosphate.
* An abbreviation the section defines ("para-examplic acid (PEA)") is written as its
  long form, the abbreviation a gloss: a later "inhibits PEA" names para-examplic acid.

Used by `medkg.extract.mechanism.sentence`; nothing here knows a drug.
"""

from __future__ import annotations

import functools
import re

from medkg.model import Mention
from medkg.resources import terminology_rows

ADJECTIVES_FILE = "organism-adjectives.csv"
HEADS_FILE = "object-heads.csv"

_WORD = r"[a-z][a-z-]*"
# "<head> of (the) A and|or B": one to three head words, single-word members.
_SHARED = re.compile(
    rf"(?P<head>{_WORD}(?:\s+{_WORD}){{0,2}})\s+of\s+(?P<the>the\s+)?"
    rf"(?P<a>{_WORD})\s+(?:and|or)\s+(?P<b>{_WORD})"
)
_OF_ORGANISM = re.compile(
    rf"(?P<head>{_WORD}(?:\s+{_WORD}){{0,2}})\s+of\s+(?:the\s+)?(?P<a>{_WORD})"
)
# "the organophosphate molecule": a name and the generic word for what it is.
_MOLECULE = re.compile(r"(?P<name>\S+(?:\s+\S+){0,3}?)\s+molecules?")
_PREPOSITIONS = frozenset({"of", "in", "on", "to", "for", "with", "by", "at", "from", "into"})
_NOT_NAME = frozenset(
    {"large", "small", "these", "those", "other", "many", "some", "the", "a", "an", "its"}
)


@functools.cache
def organism_adjectives() -> dict[str, str]:
    """Organism nouns and their adjectives (``organism-adjectives.csv``), read once."""
    rows = terminology_rows(ADJECTIVES_FILE, "organism adjective list", ("noun", "adjective"))
    return {row["noun"].strip().lower(): row["adjective"].strip().lower() for row in rows}


@functools.cache
def head_kinds() -> dict[str, str]:
    """Head words that are not shared out (``joint``) or not made adjectives (``class``)."""
    rows = terminology_rows(
        HEADS_FILE, "object head word list", ("word", "kind"), {"kind": ("class", "joint")}
    )
    return {row["word"].strip().lower(): row["kind"] for row in rows}


def object_terms(term: Mention) -> list[Mention]:
    """The terms the object `term` names, each with its evidence (see the module rules)."""
    text = term.text
    shared = _SHARED.fullmatch(text)
    if shared is not None and _shareable(shared.group("head")):
        head = f"{shared.group('head')} of {shared.group('the') or ''}"
        texts = [_organism_term(head + shared.group(m)) for m in ("a", "b")]
        return [Mention(t, term.evidence, term.glosses) for t in texts]
    named = _organism_term(_without_molecule(text))
    return [term if named == text else Mention(named, term.evidence, term.glosses)]


def _shareable(head: str) -> bool:
    words = head.lower().split()
    return not (_PREPOSITIONS & set(words)) and head_kinds().get(words[-1]) != "joint"


def _organism_term(text: str) -> str:
    """ "growth of bacteria" -> "bacterial growth"; any other text as it is."""
    match = _OF_ORGANISM.fullmatch(text)
    if match is None:
        return text
    adjective = organism_adjectives().get(match.group("a").lower())
    words = match.group("head").lower().split()
    if adjective is None or _PREPOSITIONS & set(words) or words[-1] in head_kinds():
        return text
    return f"{adjective} {match.group('head')}"


def _without_molecule(text: str) -> str:
    """ "organophosphate molecule" -> "organophosphate"; "large molecules" stays."""
    match = _MOLECULE.fullmatch(text)
    if match is None:
        return text
    words = match.group("name").lower().split()
    if _PREPOSITIONS & set(words) or words[-1] in _NOT_NAME or words[-1].endswith("ly"):
        return text
    return match.group("name")


# "long form (ABBR)": an abbreviation of two capitals or more, in parentheses.
_DEFINED = re.compile(r"\((?P<short>(?=(?:[^A-Z()]*[A-Z]){2})[A-Za-z0-9-]{2,10})\)")
_ABBREVIATION = re.compile(r"(?=(?:[^A-Z]*[A-Z]){2})[A-Za-z0-9-]{2,10}")


def long_forms(text: str) -> dict[str, str]:
    """The abbreviations `text` defines ("para-examplic acid (PEA)") and their long forms,
    found the Schwartz-Hearst way: the shortest run of words before the parenthesis whose
    letters hold the abbreviation's in order, its first letter opening a word."""
    found: dict[str, str] = {}
    for match in _DEFINED.finditer(text):
        short = match.group("short")
        before = text[: match.start()].rstrip()
        opening = max(before.rfind(c) for c in "(.;:") + 1
        words = [w.start() + opening for w in re.finditer(r"\S+", before[opening:])]
        window = words[-min(len(short) + 5, 2 * len(short)) :]
        letters = [c.lower() for c in short if c.isalnum()]
        for first in reversed(window):  # the shortest run first
            candidate = before[first:]
            if _holds(letters, candidate.lower()):
                found.setdefault(short, candidate)
                break
    return found


def _holds(letters: list[str], candidate: str) -> bool:
    """Do the candidate's characters hold the letters in order, read from the end, the first
    letter at the start of a word (Schwartz and Hearst 2003)?"""
    at = len(candidate) - 1
    for index in range(len(letters) - 1, -1, -1):
        letter = letters[index]
        while at >= 0 and (
            candidate[at] != letter or (index == 0 and at > 0 and candidate[at - 1].isalnum())
        ):
            at -= 1
        if at < 0:
            return False
        at -= 1
    return True


def expand_abbreviation(term: Mention, defined: dict[str, str]) -> Mention:
    """The term written as the long form the section defined for it ("PEA" after
    "para-examplic acid (PEA)" -> "para-examplic acid", the abbreviation a gloss)."""
    if _ABBREVIATION.fullmatch(term.text) is None or term.text not in defined:
        return term
    return Mention(defined[term.text], term.evidence, (*term.glosses, term.text))
