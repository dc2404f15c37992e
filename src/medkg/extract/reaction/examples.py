"""Examples named inside a reaction term are reactions of their own.

A reaction item often names kinds or signs of itself:

* a bracket listing two or more terms: ``Allergic reactions (rash, itching,
  swelling)``, or one opened by a marker: ``Allergic reactions (e.g., hives)``;
* a nested "including / such as / like" list: ``mood changes, such as
  depression or anxiety``, ``Allergic reactions, including anaphylaxis``,
  ``allergic reactions like skin rashes or itching``.

Each example is a reaction, and the head stays one too, unless the head is a
bare category noun ("effects like drowsiness", "severe ones like X": see
``data/terminology/reaction-example-words.csv``). A single bracketed term
without a marker is another name for the head, not an example
(``Increased heart rate (tachycardia)``, ``(numbness or tingling)``), and the
bracket of a head naming a body site lists the signs at that site, which
alone would lose where they are (``Injection site reactions (pain,
redness)``), and an unmarked bracket after a head naming harm to a tissue
lists the signs of that harm (``Liver damage (jaundice, dark urine)``,
``Skin irritation (redness, itching)``): they stay glosses, unless one of
them is named as a disorder (``Liver damage (hepatitis, hepatic failure)``). Marked examples
after such a head ("Liver damage, including hepatitis") are still kinds of
it, hence reactions.

A bracket is examples only when every item of it reads as a reaction name
(`is_reaction_name`); otherwise it describes the head (``(allergic reactions,
ranging from mild to severe)``, ``(mild, transient)``, ``(gain or loss)``)
and names nothing more.
"""

from __future__ import annotations

import functools
import re

from medkg.extract.reaction.clauses import is_term_list
from medkg.extract.term_lists import Term, is_adjective, list_terms
from medkg.resources import terminology_rows
from medkg.text import Span, split_list, trim

WORDS_FILE = "reaction-example-words.csv"
_KINDS = ("category", "pronoun", "determiner", "qualifier", "not-alone", "local", "signs")
_MAX_NAME_WORDS = 5  # a longer "item" is a clause ("… necessitate medical help")
_DEPTH = 2  # "(including severe ones like X)": an example may hold examples once more


@functools.cache
def _words() -> dict[str, str]:
    table: dict[str, str] = {}
    rows = terminology_rows(
        WORDS_FILE, "reaction example word list", ("word", "kind"), {"kind": _KINDS}
    )
    for row in rows:
        table[" ".join(row["word"].lower().split())] = row["kind"]
    return table


def is_category(text: str) -> bool:
    """A bare category noun ("effects", "various other side effects") or a pronoun
    for the head ("severe ones"): names no reaction."""
    words = re.findall(r"[a-z]+", text.lower())
    table = _words()
    while len(words) > 1 and table.get(words[0]) == "determiner":
        words = words[1:]
    return bool(words) and (
        table.get(" ".join(words)) == "category" or table.get(words[-1]) == "pronoun"
    )


def is_reaction_name(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] reads as the name of a reaction: a short term list
    (`is_term_list`: no verb, negation or clause word), no number, not only
    adjectives ("mild"), no qualifier word ("especially", "ranging", "gain") or
    leading determiner ("other symptoms"), not
    a lone body part or substance ("lips", "sodium": they complete the head)."""
    start, end = trim(text, start, end, " \t\n.,;:*")
    span = text[start:end]
    words = re.findall(r"[A-Za-z]+", span)
    if not words or len(words) > _MAX_NAME_WORDS or re.search(r"\d", span):
        return False
    table = _words()
    return (
        _ACRONYM.fullmatch(span) is None  # "(ALT, AST)": tests or abbreviations
        and _ARTICLE.match(span) is None  # "(a serious condition, …)": a description
        and is_term_list(text, start, end)
        and not all(is_adjective(word) for word in words)
        and not any(table.get(word.lower()) == "qualifier" for word in words)
        and table.get(words[0].lower()) != "determiner"  # "other symptoms"
        and not (len(words) == 1 and table.get(words[0].lower()) == "not-alone")
    )


def lone_part(text: str, term: Term) -> bool:
    """Whether `term` is only a body part or substance ("feet", "the lips", "sodium"),
    which names no reaction alone."""
    words = re.findall(r"[A-Za-z]+", text[term.term[0] : term.term[1]])
    if words[:1] and words[0].lower() in ("the", "your"):
        words = words[1:]
    return len(words) == 1 and _words().get(words[0].lower()) == "not-alone"


def completes_a_place(text: str, term: Term, before: Term | None) -> bool:
    """Whether `term` is a `lone_part` that continues the place of the term `before`
    ("Swelling in the ankles, feet, or legs", "Low levels of potassium, sodium"): the
    two are one reaction, not two."""
    if before is None or not lone_part(text, term):
        return False
    return _PLACE.search(text, before.term[0], before.term[1]) is not None


def _shows_signs(text: str, term: Term) -> bool:
    """A head naming harm to a tissue ("Skin irritation", "Liver damage", "Peripheral
    neuropathy"): an unmarked bracket after it lists the signs the harm shows ("(redness,
    itching)", "(jaundice, dark urine)"), which describe it rather than name more
    reactions."""
    words = re.findall(r"[a-z]+", text[term.term[0] : term.term[1]].lower())
    if not words or _words().get(words[-1]) != "signs":
        return False
    # "Liver damage (hepatitis, hepatic failure)": named disorders are kinds of the harm
    return not any(_DISORDER.search(text, *gloss) for gloss in term.glosses)


def _is_local(text: str, term: Term) -> bool:
    """A head that names a body site ("Injection site reactions"): its bracket lists
    the signs at that site, which alone would lose where they are."""
    words = re.findall(r"[a-z]+", text[term.term[0] : term.term[1]].lower())
    return any(_words().get(word) == "local" for word in words)


# the ending of a disorder's name: an item so named is a kind of the head, not its sign
_DISORDER = re.compile(
    r"\w(?:itis|osis|pathy|emia|aemia|penia|plasia)\b|\b(?:failure|syndrome|disease)\b", re.I
)
_PLACE = re.compile(r"\b(?:of|in|on|at|around)\b", re.I)
_ACRONYM = re.compile(r"[A-Z]{2,6}s?")
_DASH = re.compile(r"\s*[–—]\s*|\s+-\s+")
_ARTICLE = re.compile(r"(?:a|an|the)\b", re.I)


def _distributes(text: str, items: list[Span]) -> bool:
    """ "(swelling of the face, lips, tongue)": an item's place word carries over
    to the one-word items after it, which alone name no reaction."""
    placed = [_PLACE.search(text, *item) is not None for item in items]
    bare = [len(text[s:e].split()) == 1 for s, e in items]
    return any(
        placed[number] and bare[later]
        for number in range(len(items))
        for later in range(number + 1, len(items))
    )


def _paraphrases(text: str, head: Span, items: list[Span]) -> bool:
    """ "Erythematous rash (red, inflamed rash)": the bracket ends with the head's
    noun, so it describes the head rather than naming others."""
    head_words = re.findall(r"[a-z]+", text[head[0] : head[1]].lower())
    last_words = re.findall(r"[a-z]+", text[items[-1][0] : items[-1][1]].lower())
    return bool(head_words and last_words) and head_words[-1] == last_words[-1]


def _candidates(text: str, term: Term) -> tuple[Span, ...]:
    """The spans that may be examples: marked examples, or a bracket listing two or
    more items with a comma or semicolon ("(yellowing of the skin and eyes)" is one
    gloss), unless it distributes a place word or paraphrases the head."""
    if _is_local(text, term):
        return ()
    if term.examples:
        return term.examples
    glosses = list(term.glosses)
    if (
        _shows_signs(text, term)
        or len(glosses) < 2
        or not any(c in text[glosses[0][0] : glosses[-1][1]] for c in ",;")
        or _distributes(text, glosses)
        or _paraphrases(text, term.term, glosses)
    ):
        return ()
    return term.glosses


def _items(text: str, candidates: tuple[Span, ...]) -> list[Span]:
    """The example items, split at "or" too ("depression or anxiety"), each cut
    before a dash that describes it ("anaphylaxis – a life-threatening emergency")."""
    items: list[Span] = []
    for candidate in candidates:
        for s, e in split_list(text, *candidate, split_or=True):
            dash = _DASH.search(text, s, e)
            items.append((s, dash.start() if dash else e))
    return items


def named_examples(text: str, term: Term, depth: int = _DEPTH) -> list[Term]:
    """The examples of `term` that are reactions (see the module docstring); []
    when any of them is no name or a place word carries over between them."""
    items = _items(text, _candidates(text, term))
    if not items or _distributes(text, items):
        return []
    found: list[Term] = []
    for s, e in items:
        for inner in list_terms(text, s, e, like_examples=True):
            nested = named_examples(text, inner, depth - 1) if depth > 1 else []
            if is_reaction_name(text, *inner.term) and not is_category(
                text[inner.term[0] : inner.term[1]]
            ):
                found.append(Term(inner.term, inner.glosses if not nested else ()))
            elif not nested:
                return []
            found.extend(nested)
    return found
