"""Reactions a sentence outside the Side Effects section calls side effects.

Precautions and FAQ answers often say outright that something is a side
effect: "Drowsiness is a common side effect.", "A: Yes, dizziness and
headache are possible side effects of <the drug>." Such a sentence is read as
one clause: the subject lists the reactions (as
`medkg.extract.reaction.clauses.is_term_list` requires: no verb, negation,
pronoun, condition or category noun), and the words before "side effect(s)"
say how often and how serious (`medkg.extract.reaction.frequency`:
"common" is COMMON, "rare but serious" RARE and serious, "possible" or
"known" no band).

Nothing else is read: "This is a serious side effect" (a pronoun),
"Drowsiness is not a common side effect" or "may be a side effect" (the verb
must be a plain "is"/"are" followed by the side-effect noun phrase), and a
side effect "of" something other than this product ("of antihistamines";
"of <a word of the title>", "of this medicine" and "of the treatment" are
this product).
"""

from __future__ import annotations

import re
from itertools import pairwise

from medkg.extract.block_labels import split_label
from medkg.extract.reaction import term_reactions
from medkg.extract.reaction.clauses import is_term_list
from medkg.extract.reaction.examples import is_category, is_reaction_name
from medkg.extract.reaction.frequency import read_frequency
from medkg.extract.reaction.labels import names_component
from medkg.extract.term_lists import is_adjective, split_terms
from medkg.model import AdverseReactionFact, Document, Section
from medkg.text import sentences, trim

_ADJECTIVE = (
    r"(?:(?:very|quite|fairly|relatively|less|more|rather|well)[\s-]+)?"
    r"(?:common|frequent|commonly\s+reported|frequently\s+reported|possible|potential|known|"
    r"rare|uncommon|serious|recognized|recognised|reported|documented|notable|significant)"
)
_SIDE_EFFECT = re.compile(
    rf"\s+(?:is|are)\s+(?:an?\s+)?(?P<how>{_ADJECTIVE}(?:\s*(?:,|but|and|,\s*but)\s*{_ADJECTIVE})*\s+)?"
    r"(?:side[ -]effects?|adverse\s+(?:effects?|reactions?))"
    r"(?:\s+of\s+(?P<of>[^.;:!?]+?))?\s*[.!]?$",
    re.I,
)
# "A:", "Yes,", "Also,": how an answer or a sentence opens, before the subject
_OPENER = re.compile(
    r"(?:\*{0,2}A:\*{0,2}\s*)?(?:(?:yes|also|however|additionally)\s*,\s*)?(?:an?\s+(?=\w))?",
    re.I,
)
_THIS_PRODUCT = re.compile(
    r"(?:this|the|your)\s+(?:medicine|medication|drug|combination|product|treatment|therapy)"
    r"|(?:treatment|therapy|it)",
    re.I,
)


def _of_this_product(text: str, title: str) -> bool:
    return _THIS_PRODUCT.fullmatch(text.strip()) is not None or names_component(text, title)


def _names_reactions(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a list of reaction names: a term list whose items
    each read as a name (`is_reaction_name`: no qualifier such as "particularly",
    no determiner such as "other"), and no one-word item before "and"/"or" and a
    noun phrase ("Joint and bone pain" may be joint pain)."""
    if not is_term_list(text, start, end) or is_category(text[start:end]):
        return False
    items = split_terms(text, start, end)
    if not all(is_reaction_name(text, *item) for item in items):
        return False
    for (s, e), (next_s, next_e) in pairwise(items):
        gap = text[e:next_s].strip().lower()
        following = text[next_s:next_e].split()
        if (
            gap in ("and", "or")
            and len(text[s:e].split()) == 1
            and len(following) > 1
            and not is_adjective(following[0])
        ):
            return False
    return True


def stated_side_effects(document: Document, section: Section) -> tuple[AdverseReactionFact, ...]:
    """Reactions of the sentences of `section` shaped "<terms> is/are a <how> side effect"."""
    text = document.text
    found: list[AdverseReactionFact] = []
    for block in section.blocks:
        _, body = split_label(text, block.start, block.end)  # "**Driving:** Drowsiness is …"
        for start, end in sentences(text, *body):
            start, end = trim(text, start, end)
            said = _SIDE_EFFECT.search(text, start, end)
            if said is None:
                continue
            of = said.group("of")
            if of is not None and not _of_this_product(of, document.title):
                continue
            opener = _OPENER.match(text, start, said.start())
            subject = trim(text, opener.end() if opener else start, said.start())
            if not _names_reactions(text, *subject):
                continue
            how = said.span("how") if said.group("how") else (said.start(), said.start())
            frequency = read_frequency(document, section.name, *how)
            found.extend(term_reactions(document, section.name, subject, (start, end), frequency))
    return tuple(found)
