"""Side Effects section -> adverse reactions with CIOMS frequency bands.

A Side Effects section states reactions in three ways, all handled here:

* a prose list after "include": ``Common side effects (>10%) include a, b and c.``
* a lead-in sentence ending in a colon, then list items:
  ``Side effects occurring in 1-10% of patients include:`` + ``*   Headache``
* labelled items or paragraphs: ``**Very common (>10%):** a, b, c`` or ``Rare: a, b.``

The words that say how often (the *lead*: the part of a sentence before
"include", a lead-in sentence, or a label) give the band, the seriousness and
the population of every reaction they introduce, by the rules of
`medkg.extract.reaction.frequency` (a number wins over a word: ``Common side
effects (more than 10%)`` is VERY_COMMON). A trailing "in patients with …" on
a term is the reaction's population too ("progression to X in patients with
Y": reaction "progression to X").

Terms are split as `medkg.extract.term_lists` says: a trailing parenthetical
is a gloss (``Paresthesia (numbness or tingling)`` -> term "Paresthesia",
glosses ("numbness or tingling",)); nested examples (``malignancies,
including breast cancer``, ``reactions such as rash``) are glosses of the
term they follow, not reactions of their own. The reaction Mention's evidence
is the bare term, without its gloss; the fact's evidence is the sentence
(prose) or list item that states it.

Sentences that are not reaction lists are kept as StatementFact: "advice"
for instructions (imperatives, "should", "must"), "unstructured" otherwise.
List items under a lead-in that is itself advice ("Seek help if you have:")
are warning signs, not reactions, and are kept as advice statements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from medkg.extract.block_labels import block_evidence, split_label, statement_label_kind
from medkg.extract.reaction.clauses import (
    dash_description,
    denies,
    doubts,
    experienced_object,
    occurrence_clause,
)
from medkg.extract.reaction.examples import (
    completes_a_place,
    is_category,
    lone_part,
    named_examples,
)
from medkg.extract.reaction.frequency import Frequency, read_frequency, says_only_how_often
from medkg.extract.reaction.labels import label_kind, names_component
from medkg.extract.term_lists import Term, list_terms
from medkg.model import (
    AdverseReactionFact,
    Block,
    Document,
    Evidence,
    Mention,
    Section,
    StatementFact,
)
from medkg.parse.monograph import canonical_section_name
from medkg.text import Span, mention, sentences, trim

_REACTION_NOUN = re.compile(
    r"\b(?:side[ -]effects?|adverse (?:reactions?|effects?|events?)|undesirable effects?|"
    r"reactions)\b",
    re.I,
)
_INCLUDE = re.compile(r"\b(?:include|includes)\b\s*:?", re.I)
_ADVICE = re.compile(
    r"^(?:contact|call|seek|stop|tell|report|talk|ask|consult|see|get|inform|notify|"
    r"do not|don't|avoid|keep|go)\b|\b(?:should|must)\b",
    re.I,
)
_FINITE_VERB = re.compile(
    r"\b(?:should|must|may|might|can|could|will|would|is|are|was|were|has|have|had|does|do|"
    r"did|occurs?|happens?|contact|call|seek|stop|tell|report)\b",
    re.I,
)


def _ends_with_colon(text: str, start: int, end: int) -> bool:
    s, e = trim(text, start, end, " \t\n*_")
    return s < e and text[e - 1] == ":"


def is_advice(text: str, start: int, end: int) -> bool:
    """An instruction: opens with an imperative ("Contact …", "Do not …") or says should/must."""
    s, e = trim(text, start, end)
    return _ADVICE.search(text[s:e]) is not None


def _statement(
    document: Document, section: str, start: int, end: int, advice: bool = False
) -> StatementFact:
    kind: Literal["advice", "unstructured"] = (
        "advice" if advice or is_advice(document.text, start, end) else "unstructured"
    )
    return StatementFact(kind=kind, evidence=block_evidence(document, section, start, end))


_TERM_POPULATION = re.compile(
    r"\s+in\s+(?P<who>(?:patients|people|persons|individuals|those|children|adults|women|men)"
    r"\b[^()]*)$",
    re.I,
)


def _split_population(document: Document, section: str, term: Span) -> tuple[Span, Mention | None]:
    """ "progression to X in patients with Y" -> term "progression to X", population
    "patients with Y": a trailing "in <people> …" says who, not what."""
    match = _TERM_POPULATION.search(document.text[term[0] : term[1]])
    if match is None or match.start() == 0:
        return term, None
    who = mention(document, section, term[0] + match.start("who"), term[0] + match.end("who"))
    return (term[0], term[0] + match.start()), who


@dataclass
class _Collector:
    document: Document
    section: str
    reactions: list[AdverseReactionFact]
    statements: list[StatementFact]

    def add_terms(self, start: int, end: int, fact_span: Span, frequency: Frequency) -> None:
        """One reaction per term of the list in text[start:end]."""
        text = self.document.text
        fact_evidence = block_evidence(self.document, self.section, *fact_span)
        terms: list[Term] = []
        for term in list_terms(text, start, end, like_examples=True):
            if completes_a_place(text, term, terms[-1] if terms else None):
                last = terms[-1]
                terms[-1] = Term(
                    (last.term[0], term.term[1]),
                    last.glosses + term.glosses,
                    last.examples + term.examples,
                )
            elif not lone_part(text, term):  # "Rash, eyes": a body part alone is no reaction
                terms.append(term)
        for term in terms:
            examples = named_examples(text, term)
            if not (examples and is_category(text[term.term[0] : term.term[1]])):
                self._add(term, fact_evidence, frequency)
            for example in examples:
                self._add(example, fact_evidence, frequency)

    def _add(self, term: Term, fact_evidence: Evidence, frequency: Frequency) -> None:
        text = self.document.text
        if len(term.glosses) == 1 and says_only_how_often(text, *term.glosses[0]):
            # "Liver damage (rare)": the bracket says how often, it is no other name
            said = read_frequency(self.document, self.section, *term.glosses[0])
            frequency = said.over(frequency)
            term = Term(term.term, (), term.examples)
        glosses = tuple(text[s:e] for s, e in term.glosses + term.examples)
        term_span, population = _split_population(self.document, self.section, term.term)
        reaction = mention(self.document, self.section, *term_span, glosses=glosses)
        if not reaction.text or any(
            known.evidence == fact_evidence and known.reaction.text.lower() == reaction.text.lower()
            for known in self.reactions
        ):  # empty, or named twice by one block ("**Rash:** rash is rare")
            return
        self.reactions.append(
            AdverseReactionFact(
                reaction=reaction,
                evidence=fact_evidence,
                band=frequency.band,
                frequency_text=frequency.frequency_text,
                serious=frequency.serious,
                population=population or frequency.population,
            )
        )

    def statement(self, start: int, end: int, advice: bool = False) -> None:
        self.statements.append(_statement(self.document, self.section, start, end, advice))


def term_reactions(
    document: Document, section: str, terms: Span, fact_span: Span, frequency: Frequency
) -> tuple[AdverseReactionFact, ...]:
    """The reactions of the term list text[terms], read as a Side Effects list is
    (examples, populations, brackets saying how often), each with the evidence
    text[fact_span] and `frequency`."""
    collector = _Collector(document, section, [], [])
    collector.add_terms(*terms, fact_span, frequency)
    return tuple(collector.reactions)


def _looks_like_sentence(text: str, start: int, end: int) -> bool:
    """A list item that says something ("Nausea may occur") rather than naming terms."""
    return _FINITE_VERB.search(text, start, end) is not None


_NOT_A_TERM = re.compile(
    r"\b(?:if|when|what|how|why|use|using|you|your|other|side|adverse|undesirable)\b", re.I
)


def _names_a_term(text: str, start: int, end: int) -> bool:
    """Whether a label can be a reaction's name: not advice ("Seek help if"), not a
    clause, no question, pronoun or use word ("When to call your doctor",
    "Long-term use") and no side-effect heading ("Other side effects"; "Allergic
    reactions" is a name)."""
    return not (
        is_advice(text, start, end)
        or _looks_like_sentence(text, start, end)
        or _NOT_A_TERM.search(text, start, end)
    )


def _label(collector: _Collector, span: Span, inherited: Frequency) -> tuple[bool, Frequency]:
    """Handle the first sentence of a block when it opens with a label.

    Returns (handled, frequency the label sets). A bold label always counts;
    a plain "Word:" prefix only when it says a frequency, seriousness or
    population ("Rare: …", not "Nausea: mild") or is an organ system ("Otic:
    tinnitus" is tinnitus). "Note:"/"Disclaimer:" blocks are statements of
    that kind. A bold label that says no frequency is, by
    `medkg.extract.reaction.labels`: an organ system or a component (the terms
    after it are the reactions), a heading that names no reaction (a
    statement), or the reaction itself when it reads as a term (`_names_a_term`),
    the text after it being its description, from which no reaction is read; a
    side-effect heading ("Serious side effects") is read like a plain block,
    and any other label ("When to call your doctor", "Long-term use") makes the
    block a statement.
    """
    document, section, text = collector.document, collector.section, collector.document.text
    label, body = split_label(text, *span, plain=True)
    if label is None:
        return False, inherited
    kind = statement_label_kind(text, *label)
    if kind is not None:
        collector.statements.append(
            StatementFact(kind=kind, evidence=block_evidence(document, section, *span))
        )
        return True, inherited
    stated = read_frequency(document, section, *label, is_label=True)
    bold = text.startswith("**", trim(text, *span, " \t\n")[0])
    role = None if stated.says_anything else label_kind(text[label[0] : label[1]])
    if role is None and canonical_section_name(text[label[0] : label[1]]) is not None:
        role = "not-reaction"  # "**Precautions:** …" inside the section names no reaction
    if not stated.says_anything and not bold and role != "organ-system":
        return False, inherited
    frequency = stated.over(inherited)
    if body[0] >= body[1]:
        return True, frequency  # "**Common:**" alone introduces the items below it
    if role == "not-reaction":
        collector.statement(*span)
    elif (
        not stated.says_anything
        and role is None
        and not names_component(text[label[0] : label[1]], document.title)
        and (_names_a_term(text, *label) or not _REACTION_NOUN.search(text, *label))
    ):
        first = sentences(text, *body)[:1] or [body]
        if denies(text, *first[0]):  # "**Liver damage:** It has not been reported."
            collector.statement(*span)
        elif _names_a_term(text, *label):
            # "**Myocarditis (inflammation of the heart):** Symptoms like …": the label is
            # the reaction, the rest describes it; when the rest is a reaction clause
            # ("In rare cases, allergic reactions like rash are possible") its terms are
            # reactions too and how often it says holds for the label as well
            clause = _clause(collector, *body, frequency)
            collector.add_terms(*label, span, clause[1] if clause else frequency)
            if clause is None:
                collector.statement(*body)
            else:
                collector.add_terms(*clause[0], span, clause[1])
        else:  # "**When to call your doctor:** …", "**Long-term use:** …"
            collector.statement(*span)
    elif _looks_like_sentence(text, *body):  # "**Serious side effects:** …" lists or says
        if not _clause_reactions(collector, *body, span, frequency):
            collector.statement(*span)
    else:
        collector.add_terms(*body, span, frequency)
    return True, frequency


def _clause(
    collector: _Collector, start: int, end: int, frequency: Frequency
) -> tuple[Span, Frequency] | None:
    """The term list of a sentence shaped as `medkg.extract.reaction.clauses` says
    ("Headache and nausea are common.", "Some patients may experience rash."),
    with the frequency it states over the one it inherits; None when it is
    none of those shapes."""
    document, section, text = collector.document, collector.section, collector.document.text
    occurrence = occurrence_clause(text, start, end)
    if occurrence is not None:
        for said in occurrence.how_often:
            frequency = read_frequency(document, section, *said).over(frequency)
        return occurrence.subject, frequency
    experienced = experienced_object(text, start, end)
    if experienced is not None:
        return experienced, frequency
    return None


def _clause_reactions(
    collector: _Collector, start: int, end: int, fact_span: Span, frequency: Frequency
) -> bool:
    """Add the reactions of a clause (`_clause`); False when it is no reaction clause."""
    clause = _clause(collector, start, end, frequency)
    if clause is None:
        return False
    collector.add_terms(*clause[0], fact_span, clause[1])
    return True


def _sentence(
    collector: _Collector, start: int, end: int, inherited: Frequency | None = None
) -> Frequency | None:
    """Handle one sentence of a paragraph or item; return the frequency it sets for
    following list items when it is a lead-in ending in a colon. `inherited` is
    what the block's label said (how often the reactions of a clause are)."""
    document, section = collector.document, collector.section
    text = document.text
    noun = _REACTION_NOUN.search(text, start, end)
    include = _INCLUDE.search(text, noun.end(), end) if noun else None
    if noun and include:
        frequency = read_frequency(document, section, start, include.start())
        list_start, list_end = trim(text, include.end(), end, " \t\n.:*")
        if list_start < list_end:
            collector.add_terms(list_start, list_end, (start, end), frequency)
            return None
        return frequency
    if _ends_with_colon(text, start, end):
        if is_advice(text, start, end):
            collector.statement(start, end)
            return _WARNING_SIGNS
        return read_frequency(document, section, start, end)
    if not _clause_reactions(collector, start, end, (start, end), inherited or Frequency()):
        collector.statement(start, end)
    return None


# A lead-in that is advice ("Seek help if you notice:"): its items are warning signs.
_WARNING_SIGNS = Frequency(frequency_text="warning signs")


def _item(collector: _Collector, block: Block, inherited: Frequency) -> Frequency | None:
    """Handle a list item; return the frequency its label sets for deeper items."""
    text = collector.document.text
    if inherited is _WARNING_SIGNS:
        collector.statement(block.start, block.end, advice=True)
        return None
    spans = sentences(text, block.start, block.end) or [(block.start, block.end)]
    handled, frequency = _label(collector, spans[0], inherited)
    if not handled:
        dashed = dash_description(text, *spans[0])
        if dashed is not None and doubts(text, *dashed[1]):  # "<term> – theoretical only"
            collector.statement(*spans[0])
        elif dashed is not None:  # "<term> (gloss) – what it is or what to do"
            collector.add_terms(*dashed[0], spans[0], inherited)
            collector.statement(*dashed[1])
        elif _looks_like_sentence(text, *spans[0]):
            if not _clause_reactions(collector, *spans[0], spans[0], inherited):
                collector.statement(*spans[0])
        else:
            collector.add_terms(*spans[0], spans[0], inherited)
    for start, end in spans[1:]:
        _sentence(collector, start, end, frequency if handled else inherited)
    return frequency if handled else None


def _paragraph(collector: _Collector, block: Block) -> Frequency:
    """Handle a paragraph; return the frequency it sets for the items after it.
    A label's frequency holds for every sentence of its paragraph."""
    lead = labelled = Frequency()
    spans = sentences(collector.document.text, block.start, block.end)
    for number, (start, end) in enumerate(spans):
        if number == 0:
            handled, frequency = _label(collector, (start, end), lead)
            if handled:
                lead = labelled = frequency
                continue
        lead = _sentence(collector, start, end, labelled) or Frequency()
    return lead


def extract_adverse_reactions(
    document: Document, section: Section
) -> tuple[tuple[AdverseReactionFact, ...], tuple[StatementFact, ...]]:
    """Adverse reactions and leftover statements of a Side Effects section.

    Blocks are read in order. A paragraph is split into sentences; a sentence
    with a prose list after "include" gives reactions, a sentence ending in a
    colon is a lead-in whose frequency applies to the list items after it
    (until the next paragraph). A labelled block (``**Common (1-10%):** a, b``)
    gives its own frequency to its terms and to deeper items below it.
    """
    collector = _Collector(document, section.name, [], [])
    lead = Frequency()  # set by the last paragraph
    labels: dict[int, Frequency] = {}  # depth -> frequency set by a labelled item
    for block in section.blocks:
        if block.kind != "item":
            labels = {}
            lead = _paragraph(collector, block)
            continue
        labels = {depth: f for depth, f in labels.items() if depth < block.depth}
        inherited = labels[max(labels)] if labels else lead
        frequency = _item(collector, block, inherited)
        if frequency is not None:
            labels[block.depth] = frequency
    return tuple(collector.reactions), tuple(collector.statements)
