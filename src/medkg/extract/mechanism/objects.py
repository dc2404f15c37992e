"""The objects of How it Works clauses: where the noun phrase after a verb ends and which
terms it names.

Rules. An object is the noun phrase after the verb, without a leading determiner
or quantity ("many", "a small amount of"), ending at a clause boundary (",",
"which", "that", "by", "through", "due to", "rather than", "before", ", a …", ", making …", " and
<verb>", " to <verb>", "involved", ", <subject> <verb>s …"); a step's object also ends
before a location ("on megakaryocytes", "in the brain"). A pronoun ("them") or a phrase
opening with a preposition ("during …") is no object. A coordinated object without prepositions
is a list (``COX-1 and COX-2``; ``the cyclooxygenase enzymes COX-1 and COX-2``
names COX-1 and COX-2), unless its first members are adjectives sharing the last
member's head (``bacterial and fungal cell membranes`` is one object).

Used by `medkg.extract.mechanism.sentence`; nothing here knows a drug.
"""

from __future__ import annotations

import re

from medkg.extract.mechanism.lexicon import (
    ADV,
    EFFECT_FINITE_FORMS,
    FINITE_FORMS,
    GERUND_PREDICATES,
    RELATIVE_PREDICATES,
    THIRD_PERSON_FORMS,
)
from medkg.text import Span, split_list

_DETERMINER = re.compile(r"(?:the|its|their|these|those|this|a|an)\s+", re.I)
_COMMA_CLAUSE = re.compile(
    r",\s*(?=(?:which|who|whose|where|a|an|the|but|so|thereby|thus|while|whereas|because|"
    r"as|such\s+as|(?:all|both|each|most|many|some)\s+of\s+which|this|it|and|crucial|"
    r"essential|vital|important|necessary|"
    r"(?:[a-z]+ly\s+)?[a-z]+ing|[a-z]+s\s+(?:the|an?|its|their))\b)"
)
# "… and allows the body …": a word in -s before a determiner is a verb, not a listed noun.
_VERB_DETERMINER = r"[a-z]+s\s+(?:the|an?|its|their)\b"
# "the action of X" names X: a step's object starts after it.
_ACTION_OF = re.compile(r"(?:actions?|effects?|activity)\s+of\s+(?:the\s+)?", re.I)
_DEMONSTRATIVE_OBJECT = re.compile(r"(?:this|these|that|those|its|their)\s", re.I)
# "… and can help …": a modal after "and" opens a new clause.
_MODAL = r"(?:can|may|might|could|will|would|should)\s"
_SPACE_CLAUSE = re.compile(
    rf"\s+(?:(?:which|that|who|by|through|via|thereby|because|due\s+to|rather\s+than|before|until|"
    rf"unless|while|whereas|"
    rf"leading|resulting|"
    rf"making|causing|found|located|expressed|present|involved)\b|"
    rf"and\s+(?={ADV}(?:{FINITE_FORMS}|{EFFECT_FINITE_FORMS})\b|{_VERB_DETERMINER}|{_MODAL}|"
    r"[a-z]+\s+(?:its|their)\b)|"
    rf"to\s+(?:help\s+)?{ADV}(?:{FINITE_FORMS}|{EFFECT_FINITE_FORMS})\b)"
)
_LOCATION = re.compile(r"\s+(?:in|on|at|within|into|inside|across|throughout|from)\s")
_PREPOSITION = re.compile(r"\b(?:of|in|on|to|for|with|by|at|from|into)\b")
_CALLED = re.compile(r"(?:[\w-]+\s+){1,2}?(?:called|named|known\s+as)\s+", re.I)
_AND_VERB = re.compile(r"and\s+[a-z]+s\s+(?:the\s+)?")
# What something does, not what it is: "its action", "their function" name no target.
_ROLE_WORDS = frozenset(
    {"function", "functions", "activity", "action", "actions", "effect", "effects", "ability"}
)
# An object that is a pronoun ("causing them to relax") or starts with a preposition or a
# conjunction ("releases during an allergic reaction") names nothing.
_NOT_OBJECT = re.compile(
    r"(?:(?:it|them|they|these|those|this|that|others|etc)$|"
    r"(?:during|in|on|at|from|when|after|before|while|if|and|or)\b)",
    re.I,
)
# Words before an object that count or measure it ("many enzymes", "a small amount of X").
_QUANTITY = re.compile(
    r"(?:(?:many|several|various|numerous|multiple|more|less|fewer|(?:over|more\s+than)\s+\d+)\s+"
    r"|(?:(?:small|large|tiny)\s+)?(?:amounts?|quantities)\s+of\s+(?:the\s+)?)",
    re.I,
)


# ", B blocks Y" or ", lowers Y" after an object: the next clause begins.
_NEXT_CLAUSE = re.compile(rf",\s*(?:and\s+)?(?:[\w-]+\s+){{0,3}}?(?:{THIRD_PERSON_FORMS})\b")


def phrase_end(work: str, start: int) -> int:
    """Where the noun phrase starting at `start` ends: the first clause boundary."""
    work, depth, listed = work, 0, False
    for i in range(start, len(work)):
        char = work[i]
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif depth:
            continue
        elif char in ";:":
            return i
        elif char == ",":
            if _NEXT_CLAUSE.match(work, i):
                return i  # "blocks X, Examplin lowers Y": the next clause
            boundary = _COMMA_CLAUSE.match(work, i)
            if boundary is None and work[start:i].rstrip().endswith(")"):
                return i  # "X (XYZ), a gloss of X": an abbreviated term ends its phrase
            if boundary is None:
                listed = True
                continue
            after = work[boundary.end() : boundary.end() + 4]
            if after.startswith("and ") and listed and not _verb_after(work, boundary.end() + 4):
                continue  # Oxford comma closing a list: "A, B, and C"
            return i
        elif char.isspace() and _SPACE_CLAUSE.match(work, i):
            return i
    return len(work)


def _verb_after(work: str, position: int) -> bool:
    rest = work[position:].lstrip()
    if re.match(_VERB_DETERMINER, rest):
        return True
    return any(p.match(rest) for _, p in (*RELATIVE_PREDICATES, *GERUND_PREDICATES))


def object_items(work: str, start: int, end: int, location_cut: bool) -> list[Span]:
    """The object terms of the phrase work[start:end]."""
    if location_cut and _refers_back(work, start, end):
        return []
    determiner = _DETERMINER.match(work, start, end)
    if determiner:
        start = determiner.end()
    quantity = _QUANTITY.match(work, start, end)
    if quantity:
        start = quantity.end()
    named = _CALLED.match(work, start, end) or _AND_VERB.match(work, start, end)
    if named:  # "an enzyme called X" names X; "binds to and destroys X" binds X
        start = named.end()
    if location_cut:
        action = _ACTION_OF.match(work, start, end)
        if action:
            start = action.end()
            if _refers_back(work, start, end):
                return []
            determiner = _DETERMINER.match(work, start, end)
            start = determiner.end() if determiner else start
            named = _CALLED.match(work, start, end)  # "the action of an enzyme called X"
            start = named.end() if named else start
        location = _outside_parens(work, _LOCATION, start, end)
        if location is not None:
            end = location
    segment = work[start:end].strip(" ,.;*_")  # emphasis markup is no part of a term
    if not segment or _NOT_OBJECT.match(segment):
        return []
    end = start + len(work[start:end].rstrip(" ,.;*_"))
    start = end - len(segment)
    bare = re.sub(r"\([^()]*\)", lambda m: " " * len(m.group(0)), segment)
    if "," in bare and not re.search(r"\b(?:and|or)\b", bare):
        # "X, chemicals in the body": no "and" or "or", so no list; the rest glosses X
        end = start + len(segment[: bare.index(",")].rstrip())
        segment = work[start:end]
        bare = bare[: len(segment)]
    coordinated = re.search(r",|\band\b|\bor\b", bare)
    if not coordinated or _PREPOSITION.search(segment):
        return [(start, end)]
    items = split_list(work, start, end, split_or=True)
    if _shared_head(work, items):
        return [(start, end)]
    return _named_members(work, items)


# ", including A and B", " such as A": examples of the class the object names.
_EXAMPLES = re.compile(r"\s*,?\s*(?:including|such\s+as)\s+")


def example_items(work: str, start: int, end: int) -> tuple[list[Span], int, bool] | None:
    """The examples after an object ("processes, including A and B" -> A, B), where they
    end, and whether they replace the object: they do when it opens with a quantity word
    ("various", "several", "many"), which makes it a class rather than a thing. None
    without examples, or when the object has a preposition (the examples would stand for
    only part of it)."""
    examples = _EXAMPLES.match(work, end)
    if examples is None or _PREPOSITION.search(work, start, end):
        return None  # "the release of hormones, including X": X's release, not X
    if re.match(r"(?:those|these|that|this|it|them)\b", work[examples.end() :], re.I):
        return None  # "including those of the heart": no example named
    opening = _DETERMINER.match(work, start)
    first = opening.end() if opening else start
    examples_end = phrase_end(work, examples.end())
    items = object_items(work, examples.end(), examples_end, location_cut=True)
    return items, examples_end, bool(_QUANTITY.match(work, first, end))


def _refers_back(work: str, start: int, end: int) -> bool:
    """ "this enzyme", "these PBPs": a demonstrative and one word name something said
    before, not a target, and so do "its/their" and a word for what something does
    ("their function"); the object gives no step ("these B cells", "their DNA" name
    something)."""
    demonstrative = _DEMONSTRATIVE_OBJECT.match(work, start, end)
    if demonstrative is None:
        return False
    rest = work[demonstrative.end() : end].strip(" ,.;").split()
    if demonstrative.group(0).strip().lower() in ("its", "their"):
        return len(rest) == 1 and rest[0].lower() in _ROLE_WORDS
    return len(rest) == 1


def _outside_parens(work: str, pattern: re.Pattern[str], start: int, end: int) -> int | None:
    depth = 0
    for i in range(start, end):
        if work[i] == "(":
            depth += 1
        elif work[i] == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and pattern.match(work, i, end):
            return i
    return None


_ADJECTIVE_END = ("al", "ic", "ar", "ous", "ive")


def _shared_head(text: str, items: list[Span]) -> bool:
    """ "bacterial and fungal cell membranes": every member but the last one adjective, the
    last a noun phrase; the adjectives share its head, so the phrase is one object."""
    if len(items) < 2 or len(text[items[-1][0] : items[-1][1]].split()) < 2:
        return False
    firsts = [text[s:e] for s, e in items[:-1]]
    return all(w.islower() and " " not in w and w.endswith(_ADJECTIVE_END) for w in firsts)


def _named_members(text: str, items: list[Span]) -> list[Span]:
    """ "the cyclooxygenase enzymes COX-1", "COX-2" -> "COX-1", "COX-2": when the other
    members are single names, the first member's class words are not part of its name."""
    if len(items) < 2:
        return items
    first = text[items[0][0] : items[0][1]].split()
    rest_single = all(len(text[s:e].split()) == 1 for s, e in items[1:])
    last = first[-1]
    name_like = any(ch.isdigit() for ch in last) or sum(ch.isupper() for ch in last) >= 2
    if len(first) > 1 and rest_single and name_like:
        return [(items[0][1] - len(last), items[0][1]), *items[1:]]
    return items
