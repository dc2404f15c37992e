"""Conditions of a precaution, one per condition and in clean words.

A contraindication or caution names its conditions in a prose list
("hypersensitivity to A, B, or any component; newborns and premature
infants; those on MAO inhibitor therapy"). `conditions` turns such a span into
one `Condition` per condition:

* the list splits at commas and semicolons, and at "and"/"or" between two
  items, except: coordinated adjectives stay one item ("acute and chronic
  renal failure"); two items of several words joined by "or" stay one
  alternative ("severe renal impairment or end-stage renal disease"), unless
  the second opens with people ("renal failure or those on dialysis"); a short
  modifier coordinated with a phrase ending in a shared head noun takes the
  head ("liver or kidney disease" -> liver disease, kidney disease; the head
  nouns are ``head`` words of ``data/terminology/precaution-words.csv``);
* an item that follows a comma and opens with "a"/"an" is an apposition of
  the item before it ("rhabdomyolysis, a muscle disorder"), not an item;
* a list whose last item carries a trailing qualifier ("… after taking
  aspirin", "… caused by …") is kept whole: the qualifier scopes over every
  item, and an item without it would state a wrong fact;
* "hypersensitivity/allergy to A, B, or C" is one hypersensitivity per
  object (the objects run to the item after the last "or"); "the drug",
  "the medication" or "it" as the object is the drug the document is about;
* leading people phrases ("those with", "patients on", "individuals
  with"), "known", articles, and a generic head with its examples
  ("specific conditions like a, b") go; pronouns and generic heads alone
  ("these conditions", "this purpose", "patients") are never conditions;
* an item that opens with a negation ("no known contraindications", "none",
  "not applicable") names no condition;
* a trailing "of <the drug>" goes ("sudden cessation of <drug>" is sudden
  cessation): the drug the document is about adds nothing to its own
  precaution;
* a trailing parenthetical is a gloss, one opened by "e.g."/"such as"/"like"
  gives examples; "because …"/"due to …"/", as …" ends the condition.

`Condition.text` is the condition in clean words; `Condition.span` is where it
is written (for a distributed head or hypersensitivity, the item as written).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from medkg.extract.precaution.rules import PEOPLE, drug_object
from medkg.extract.term_lists import is_adjective, parse_term
from medkg.resources import words_by_kind
from medkg.text import Span, paren_depth_pieces, trim

WORDS_FILE = "precaution-words.csv"
# what trims a condition's edges: space, punctuation, markup
TERM_EDGE = " \t\n.,;:*_"


@functools.cache
def precaution_words() -> dict[str, frozenset[str]]:
    """The bundled precaution words by kind (head, category-label, …), read once."""
    return words_by_kind(WORDS_FILE, "precaution word list", _KINDS)


_KINDS = (
    "aside-label",
    "category-label",
    "category-word",
    "class-head",
    "contraindication-label",
    "head",
    "interaction-label",
    "topic-head",
)


@dataclass(frozen=True)
class Condition:
    text: str
    span: Span
    glosses: tuple[Span, ...] = ()
    examples: tuple[Span, ...] = ()


_PEOPLE = rf"(?:{PEOPLE}|someone|one)"
_LEAD = re.compile(
    rf"(?:(?:and|or|also)\s+)*(?:(?:in|for|by)\s+)?(?:(?:{_PEOPLE})\s+)?"
    r"(?:with|who\s+(?:have\s+had|have|has|are|were)|known\s+to\s+(?:be|have)|having|on|"
    r"undergoing|receiving)\s+"
    r"|(?:if|when)\s+(?:you|the\s+patient|patients|they|he|she)\s+"
    r"(?:have\s+had|has\s+had|have|has|had|are|is|were|was)?\s*"
    r"|(?:using|administering|giving|taking)\s+(?:[\w-]+\s+){0,3}?(?:in|to)\s+"
    # a later item of "patients who are X, have Y, or are at risk of Z"
    r"|(?:are|have|has)\s+(?!(?:been|not|no)\b)"
    r"|(?:including(?:\s+but\s+not\s+limited\s+to)?|such\s+as|like|particularly|especially|"
    r"notably|e\.g\.,?)\s+"
    r"|(?:(?:and|or|also)\s+)*(?:in|with|when|during|for|if|while|whilst|by|on|to)\s+"
    r"(?!(?:any|other|the\s+(?:drug|medication|medicine)|it)\b)",
    re.I,
)
_FILLER = re.compile(r"(?:(?:a|an|the|any)\s+|known\s+(?!(?:or|and)\b))+", re.I)
_CLAUSE = re.compile(
    r"\b(?:may|might|can|could|should|must|will|would)\b|['’]s\b"
    # a clause that says what is to be done ("… and close monitoring is recommended")
    r"|\b(?:is|are)\s+(?:often\s+|usually\s+|also\s+|generally\s+|typically\s+)?(?:not\s+)?"
    r"(?:recommended|advised|needed|necessary|required|essential|crucial|important|avoided|"
    r"contraindicated|monitored|administered|given|dangerous)\b"
    r"|^(?:using|taking|use\s+of|there|it|this|they|you)\b"
    # a participle or an instruction after a comma or "and" ("…, potentially causing X",
    # "… and adjust the dose"), not a condition
    r"|^(?:\w+ly\s+)?(?:causing|leading|resulting|requiring|making|increasing|reducing|"
    r"ensuring|considering|keeping)\b"
    r"|^(?:adjust|consult|monitor|seek|follow|reduce|discontinue|stop|check)\b",
    re.I,
)
_GENERIC_EXAMPLES = re.compile(
    r"(?:(?:specific|certain|other|some|particular|the\s+following)\s+)?"
    r"(?:medical\s+)?(?:conditions?|disorders?|diseases?|illnesses)\s+"
    r"(?:like|such\s+as|including|e\.g\.,?)\s+",
    re.I,
)
_CLAUSE_END = re.compile(
    r",?\s+(?:because|since|as\s+it|as\s+this|due\s+to|so\s+that|unless|which|as\s+(?:they|the)|"
    r"to\s+(?:prevent|avoid|reduce|minimi[sz]e|ensure|protect))\b"
    # " as <a reason clause>" ("… mothers as excretion in milk is unknown")
    r"|\s+as\s+(?=(?:[\w-]+\s+){1,5}?(?:is|are|was|were|can|may)\b)"
    # ", as <a reason>" ("…, as these organs clear it"; not "as well", "as needed")
    r"|,\s+as\s+(?!(?:well|needed|directed|prescribed|such|above|below)\b)",
    re.I,
)
_NEGATED_ITEM = re.compile(r"(?:no|none|not|nil|never|n/a)\b", re.I)
_SEPARATOR = re.compile(r"\s*[,;]\s*(?:(?:and|or)\s+)?|\s+(?:and|or)\s+", re.I)
_QUALIFIER = re.compile(
    r"\b(?:after|following|caused\s+by|induced\s+by|resulting\s+from|related\s+to)\b", re.I
)
_PREPOSITION = re.compile(r"\s(?:of|to|from|after|following)\s", re.I)
_ALLERGY = re.compile(
    r"(?P<lead>(?:(?:severe|serious|known)\s+)*(?:hypersensitivity|allerg(?:y|ies)|"
    r"allergic(?:\s+reactions?)?))"
    r"(?:\s*\((?!\s*(?:e\.g\.|i\.e\.|for\s+example|such\s+as|including))[^()]*\))?\s+to\s+",
    re.I,
)
_SELF = re.compile(r"(?:the|this)\s+(?:drug|medication|medicine|product)|it", re.I)
_PRONOUN_HEAD = re.compile(
    r"(?:(?:this|these|those|that|such|your|their|his|her|its|our|the)\s+)?"
    r"(?:(?:specific|certain|other|some|such|medical|health|vulnerable|special|various|many|"
    r"several|all|any|different|underlying|serious|potential|possible|patient)\s+)*"
    r"(?:purposes?|conditions?|cases?|needs?|situations?|circumstances?|patients?|people|"
    r"individuals?|populations?|groups?|it|them|they|this|these|those|use|routine\s+use|"
    r"medications?|drugs?|medicines?|products?|substances?|ones?|risks?|periods?|"
    r"symptoms?|(?:side\s+)?effects?|adverse\s+(?:effects?|reactions?|events?)|such|"
    r"components?|ingredients?|complications?|problems?|issues?)",
    re.I,
)


def is_generic(phrase: str) -> bool:
    """Whether a phrase is a pronoun or a generic head, never a condition
    ("these conditions", "your specific needs", "patients", "them")."""
    words = phrase.strip(TERM_EDGE).split()
    if not words:
        return True
    text = " ".join(words)
    return _PRONOUN_HEAD.fullmatch(text) is not None


def _words(text: str, span: Span) -> list[str]:
    return text[span[0] : span[1]].split()


def _lead_off(text: str, start: int, end: int) -> int:
    """Drop people leads, articles, "known" and "any" from the start of an item."""
    for _ in range(3):
        moved = False
        for pattern in (_LEAD, _FILLER):
            match = pattern.match(text, start, end)
            if match and match.end() < end:
                start = match.end()
                moved = True
        if not moved:
            break
    return start


def _items(text: str, start: int, end: int) -> list[tuple[Span, str]]:
    """Top-level items of a list with the separator before each ("" for the first)."""
    pieces = [
        (trim(text, s, e, TERM_EDGE), before.strip().lower())
        for (s, e), before in paren_depth_pieces(text, start, end, _SEPARATOR)
    ]
    return [(span, sep) for span, sep in pieces if span[0] < span[1]]


def _ends_in_head(words: list[str]) -> bool:
    return bool(words) and words[-1].lower().strip(TERM_EDGE) in precaution_words().get("head", ())


@dataclass(frozen=True)
class _Item:
    span: Span
    text: str


_QUALIFYING = frozenset(
    {
        "known",
        "suspected",
        "active",
        "current",
        "previous",
        "prior",
        "past",
        "recent",
        "existing",
        "pre-existing",
        "underlying",
    }
)


def _modifier(word: str) -> bool:
    return is_adjective(word) or word.lower() in _QUALIFYING


def _merge(text: str, pieces: list[tuple[Span, str]]) -> list[_Item]:
    """Join back or distribute items split at a bare "and"/"or" (see the module doc)."""
    items: list[_Item] = []
    for span, gap in pieces:
        words = _words(text, span)
        if items and gap in ("and", "or"):
            left = items[-1]
            left_words = left.text.split()
            all_modifiers = all(_modifier(w) for w in left_words)
            if (
                len(words) >= 2
                and (len(left_words) == 1 or (len(left_words) == 2 and _modifier(left_words[0])))
                and not left_words[-1].lower().endswith("s")
                and left.text == text[left.span[0] : left.span[1]]
                and (_ends_in_head(words) or all_modifiers)
                and not _ends_in_head(left_words)
            ):
                if all_modifiers and not _ends_in_head(words) and len(words) > 2:
                    joined = (left.span[0], span[1])  # "acute or chronic kidney failure"
                    items[-1] = _Item(joined, text[joined[0] : joined[1]])
                    continue
                shared = " ".join(re.sub(r"\([^()]*\)", " ", " ".join(words[1:])).split())
                items[-1] = _Item((left.span[0], span[1]), f"{left.text} {shared}")
                items.append(_Item(span, text[span[0] : span[1]]))
                continue
            if (gap == "or" and len(left_words) >= 2 and not _NEW_PEOPLE.match(words[0])) or (
                len(words) <= 2 and _PREPOSITION.search(left.text)
            ):
                joined = (left.span[0], span[1])
                items[-1] = _Item(joined, text[joined[0] : joined[1]])
                continue
        if items and gap == "," and re.match(r"(?:a|an)\s", text[span[0] : span[1]], re.I):
            continue  # an apposition of the item before it
        items.append(_Item(span, text[span[0] : span[1]]))
    return items


_NEW_PEOPLE = re.compile(rf"{_PEOPLE}$", re.I)  # "X or those undergoing Y": two groups


def _object_text(text: str, span: Span, drug: str) -> str:
    written = text[span[0] : span[1]]
    if drug.strip() and _SELF.fullmatch(written.strip()):
        return drug.strip()
    return written


def _clean(text: str, item: _Item, drug: str) -> list[Condition]:
    """One item -> its condition(s): leads off, examples of a generic head, gloss split."""
    start, end = item.span
    distributed = item.text != text[start:end]
    if distributed:
        words = item.text.split()
        return [Condition(" ".join(words), item.span)]
    start = _lead_off(text, start, end)
    clause = _CLAUSE_END.search(text, start, end)
    if clause and clause.start() > start:
        end = clause.start()
    start, end = trim(text, start, end, TERM_EDGE)
    generic = _GENERIC_EXAMPLES.match(text, start, end)
    if generic:
        return conditions(text, generic.end(), end, drug)
    if start >= end or _NEGATED_ITEM.match(text, start, end):
        return []  # nothing left, or "no known contraindications", "none", "not applicable"
    term = parse_term(text, start, end)
    head = trim(text, *term.term, TERM_EDGE)  # "**Note:** (e.g. …)": markup before the gloss
    own = _of_the_drug(text, *head, drug)
    if own is not None:
        head = (head[0], own)  # "sudden cessation of <drug>": sudden cessation
    written = text[head[0] : head[1]]
    if head[0] >= head[1] or is_generic(written) or _CLAUSE.search(written):
        return []  # a pronoun, a generic head, or a clause rather than a condition
    glosses, examples = term.glosses, term.examples
    like = _LIKE.match(text, *glosses[0]) if glosses and not examples else None
    if like is not None:  # "(like X or Y)" lists examples, not another name
        examples = ((like.end(), glosses[0][1]), *glosses[1:])
        glosses = ()
    return [Condition(text[head[0] : head[1]], head, glosses, examples)]


_LIKE = re.compile(r"like\s+", re.I)


def _of_the_drug(text: str, start: int, end: int, drug: str) -> int | None:
    """Where a condition ends before a trailing "of <the drug>" ("abrupt withdrawal of
    it"), or None: the drug the document is about adds nothing to its own precaution."""
    if not drug.strip():
        return None
    found = re.search(rf"\s+of\s+(?:the\s+)?(?:{drug_object(drug)})$", text[start:end], re.I)
    if found is None or not found.start():
        return None
    return start + found.start()


def _allergy(text: str, pieces: list[tuple[Span, str]], drug: str) -> list[Condition] | None:
    """ "hypersensitivity to A, B, or C" -> one condition per object, or None."""
    first = pieces[0][0]
    start = _lead_off(text, *first)
    match = _ALLERGY.match(text, start, first[1])
    if match is None:
        return None
    lead = " ".join(text[match.start("lead") : match.end("lead")].split())
    lead = re.sub(r"^known\s+", "", lead, flags=re.I)
    lead = re.sub(r"\ballerg(?:ic|ies)$", "allergy", lead, flags=re.I)
    objects: list[tuple[Span, str]] = [((match.end(), first[1]), "")]
    ors = [i for i, (_, gap) in enumerate(pieces) if i and re.search(r"\bor\b", gap)]
    if ors:
        last_or = ors[-1]
        objects += pieces[1 : last_or + 1]
        rest = pieces[last_or + 1 :]
    else:
        rest = pieces[1:]
    found: list[Condition] = []
    for span, _ in objects:
        # "to the drug or other NSAIDs" inside one item
        for part in re.split(r"\s+or\s+", text[span[0] : span[1]]):
            offset = text.find(part, span[0], span[1])
            part_span = trim(text, offset, offset + len(part), TERM_EDGE)
            if part_span[0] >= part_span[1]:
                continue
            term = parse_term(text, *part_span)
            written = _object_text(text, term.term, drug)
            whole = (first[0] if span == objects[0][0] else part_span[0], part_span[1])
            found.append(Condition(f"{lead} to {written}", whole))
    for condition in _merge(text, rest):
        found.extend(_clean(text, condition, drug))
    return found


def conditions(text: str, start: int, end: int, drug: str = "") -> list[Condition]:
    """The conditions named in text[start:end] (see the module docstring)."""
    start, end = trim(text, start, end, TERM_EDGE)
    clause = _CLAUSE_END.search(text, start, end)
    if clause and clause.start() > start:
        end = clause.start()
    start = _lead_off(text, start, end)
    pieces = _items(text, start, end)
    if not pieces:
        return []
    allergy = _allergy(text, pieces, drug)
    if allergy is not None:
        return allergy
    if len(pieces) > 1 and any(_QUALIFIER.search(text, *span) for span, _ in pieces[1:]):
        whole = _Item((start, end), text[start:end])
        return _clean(text, whole, drug)
    found: list[Condition] = []
    for item in _merge(text, pieces):
        found.extend(_clean(text, item, drug))
    return found
