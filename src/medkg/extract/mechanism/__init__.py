"""How it Works section -> ordered mechanism steps, downstream effects, statements.

Every rule keys on English clause shapes and a small verb lexicon; nothing
here knows a drug, protein or disease.

Each paragraph or list item (without a leading bold label) is split into
sentences and each sentence is read on its own, in order (a bare gerund
subject, "Binding leads to …", stands for the last step's subject, which may be
in an earlier sentence). Steps are numbered in reading order, repeats (same
subject, relation and object) dropped. A sentence that yields nothing is kept
as StatementFact(kind="unstructured").

The rules for each part live in sibling modules: `mechanism_lexicon` (the
verbs and the relations and effect directions they name),
`mechanism_clauses` (clause shapes, read left to right) and
`mechanism_sentence` (subjects, objects, and the evidence of each fact).
"""

from __future__ import annotations

import re

from medkg.extract.mechanism.clauses import mask_strength, read_sentence
from medkg.extract.mechanism.lexicon import EFFECT_VERBS, OPENING_VERBS, RELATION_VERBS
from medkg.extract.mechanism.owner import in_chain
from medkg.extract.mechanism.sentence import SectionContext, Sentence
from medkg.extract.mechanism.subjects import drug_names
from medkg.extract.mechanism.terms import long_forms
from medkg.model import (
    Document,
    MechanismEffect,
    MechanismStep,
    Mention,
    Relation,
    Section,
    StatementFact,
)
from medkg.text import Span, evidence, mention, normalise_term, sentences, split_gloss

__all__ = ["EFFECT_VERBS", "RELATION_VERBS", "extract_mechanism"]

_LABEL = re.compile(r"\*\*(?P<name>[^*\n]+?)\s*:?\s*\*\*\s*:?\s*")


def _bodies(document: Document, section: Section) -> list[tuple[Span, Mention | None]]:
    """Spans of the section's paragraphs and items, without a leading bold label, each with
    the product the label names ("**Examplin (Testol):**" -> "Examplin") when it names one
    of the products the drug combines (None otherwise)."""
    text = document.text
    bodies: list[tuple[Span, Mention | None]] = []
    blocks = [b for b in section.blocks if b.kind in ("paragraph", "item")]
    for block in blocks:
        start = block.start
        label = _LABEL.match(text, start, block.end)
        named = None
        if label:
            start = label.end()
            named = _label_product(document, section, label.span("name"))
        bodies.append(((start, block.end), named))
    if not section.blocks:
        bodies.append(((section.start, section.end), None))
    return bodies


def _label_product(document: Document, section: Section, span: Span) -> Mention | None:
    """The label as a Mention (its trailing parenthetical a gloss) when it names the drug
    or one of the products it combines, else None ("**Mechanism:**" names none)."""
    glossed = split_gloss(document.text, *span)
    term = mention(document, section.name, *glossed.term)
    return term if normalise_term(term.text) in _product_keys(document) else None


def _product_keys(document: Document) -> frozenset[str]:
    return frozenset(normalise_term(n) for n in drug_names(document.title))


def _generic_names(document: Document, drug: str) -> tuple[str, ...]:
    """The first line of the document's Generic Name section, when `drug` is the product the
    title names (a component's section has its own name), split like a combination's name."""
    if normalise_term(drug) != normalise_term(document.title):
        return ()
    for section in document.sections:
        if section.name == "Generic Name" and section.blocks:
            block = section.blocks[0]
            line = document.text[block.start : block.end].strip().split("\n")[0]
            line = re.sub(r"[*_`#]", "", line).strip()
            if not 0 < len(line) <= 80:
                return ()
            return tuple(n for n in drug_names(line) if n)
    return ()


# "Examplic Acid (EXA)": an abbreviation (two capitals or more) in parentheses after a name.
_SHORT_NAME = re.compile(r"[^()]+?\s*\((?P<short>(?=(?:[^A-Z()]*[A-Z]){2})[A-Za-z0-9-]{2,12})\)")


def _short_names(names: tuple[str, ...]) -> tuple[str, ...]:
    """The abbreviations the drug's names give in parentheses ("Examplic Acid (EXA)")."""
    found = (_SHORT_NAME.fullmatch(name) for name in names)
    return tuple(match.group("short") for match in found if match is not None)


def extract_mechanism(
    document: Document, section: Section, drug: str
) -> tuple[tuple[MechanismStep, ...], tuple[MechanismEffect, ...], tuple[StatementFact, ...]]:
    """Steps (ordered, repeats dropped), effects and unread sentences of a How it Works section.

    `drug` is the name of the drug the section is about, as the document
    spells it; pronouns and the name resolve to it.
    """
    aliases = _generic_names(document, drug)
    context = SectionContext(document, section, drug, aliases=aliases)
    context.short_names = _short_names((drug, *aliases))
    context.defined = long_forms(document.text[section.start : section.end])
    statements: list[StatementFact] = []
    text = document.text
    for (body_start, body_end), label in _bodies(document, section):
        context.label = label
        context.previous_drug = None
        context.previous_about_drug = False
        context.previous_text = ""
        for number, (start, end) in enumerate(sentences(text, body_start, body_end)):
            context.first_sentence = number == 0
            clause_end = end
            while clause_end > start and text[clause_end - 1] in ".!?* ":
                clause_end -= 1
            work, strength = mask_strength(_verb_first(text[start:clause_end]))
            sentence = Sentence(context, start, work, strength)
            before, effects_before = len(context.steps), len(context.effects)
            read_sentence(sentence)
            context.previous_drug = next(
                (
                    step.subject
                    for step in reversed(context.steps[before:])
                    if sentence.names_drug(step.subject)
                ),
                None,
            )
            if context.previous_drug is None and len(context.effects) > effects_before:
                context.previous_drug = sentence.actor  # "It lowers X. This …": the drug
            context.previous_about_drug = not sentence.hedged() and (
                any(in_chain(context, step, sentence.names_drug) for step in context.steps[before:])
                or len(context.effects) > effects_before
                or sentence.speaks_of_drug()
            )
            context.previous_text = work
            kept = evidence(document, section.name, start, end)
            if sentence.found == 0 and kept.quote:  # a sentence of markup only says nothing
                statements.append(StatementFact("unstructured", kept))
    return _unique(context.steps), tuple(context.effects), tuple(statements)


def _verb_first(work: str) -> str:
    """A sentence opening with a capitalised verb ("Blocks X") with that letter in lower
    case, so the verb reads as one (same offsets)."""
    first = work.split(" ", 1)[0]
    return work[0].lower() + work[1:] if first.lower() in OPENING_VERBS else work


def _unique(steps: list[MechanismStep]) -> tuple[MechanismStep, ...]:
    """Steps without repeats (same subject, relation, object), renumbered in reading order."""
    seen: set[tuple[str, Relation, str]] = set()
    kept: list[MechanismStep] = []
    for step in steps:
        key = (normalise_term(step.subject.text), step.relation, normalise_term(step.object.text))
        if key in seen:
            continue
        seen.add(key)
        kept.append(
            MechanismStep(len(kept) + 1, step.subject, step.relation, step.object, step.evidence)
        )
    return tuple(kept)
