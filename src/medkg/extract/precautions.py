"""Precautions section -> contraindications, increased-risk warnings, statements.

Every sentence of a Precautions section is a precaution, so each one becomes
exactly one of:

* contraindications, one per clause, when the sentence says
  "contraindicated in/with/when …", "Do not use/take <drug> if …",
  "<drug> should not be used/given/taken in …" or "Avoid <drug>/use in/during …".
  Clauses are split where a new one starts with a preposition
  (", and in patients with …", ", when …"); the clause lead ("in patients
  with", "in people known to be", "in", "with", "when") is not part of the
  condition. An "(e.g., a, b)" parenthetical gives the examples, and the
  condition is what precedes it; "to <drug> or any component of the
  formulation" is the complement of a hypersensitivity, not part of the
  condition; another trailing parenthetical is a gloss.
  The fact's evidence is the clause, lead included.
* increased-risk warnings, one per condition, from "increased risk of a, b
  (details), and c", "increases/raises the risk of …". A parenthetical
  gives details ("serious infections (pneumonia, sepsis, …)").
  Lists split on commas and on the last "and", but coordinated adjectives
  ("acute and chronic renal failure") stay one item.
  When the risk comes from combined use ("Taking it with X such as Y
  increases the risk of …"), X and its examples Y are the warning's
  `interacting` substances.
  The fact's evidence is the sentence.
* otherwise a WarningFact(kind="statement") with the sentence as evidence.

Blocks labelled ``**Note:**`` or ``**Disclaimer:**`` are StatementFacts
("note"/"disclaimer"), not precautions.
"""

from __future__ import annotations

import re

from medkg.extract.block_labels import (
    StatementLabelKind,
    block_evidence,
    split_label,
    statement_label_kind,
)
from medkg.extract.term_lists import list_terms, parse_term
from medkg.model import (
    ContraindicationFact,
    Document,
    Mention,
    Section,
    StatementFact,
    WarningFact,
)
from medkg.text import Span, mention, paren_depth_split, sentences, trim

_PREPOSITIONS = r"(?:in|with|when|during|for|if|while|whilst)"
_CLAUSE_SEPARATOR = re.compile(
    rf",?\s+(?:and|or)\s+(?={_PREPOSITIONS}\b)|[,;]\s+(?={_PREPOSITIONS}\b)", re.I
)
_PEOPLE = r"(?:patients|people|persons|individuals|those|anyone|women|men|adults|children)"
_PEOPLE_LEAD = re.compile(
    rf"(?:in|for)\s+(?:{_PEOPLE}\s+)?(?:with|who\s+(?:have\s+had|have|has|are|were)|"
    r"known\s+to\s+(?:be|have)|having)\s+",
    re.I,
)
_PREPOSITION_LEAD = re.compile(rf"(?:{_PREPOSITIONS}|to)\s+", re.I)
_IF_LEAD = re.compile(
    r"if\s+(?:you|the\s+patient|patients|they|he|she)\s+"
    r"(?:have\s+had|has\s+had|have|has|had|are|is|were|was)?\s*",
    re.I,
)
_ARTICLE = re.compile(r"(?:a|an|the)\s+", re.I)
_COMPONENT_COMPLEMENT = re.compile(
    r"\s+to\s+[^()]*?\b(?:components?|ingredients?|excipients?)\b[^()]*$", re.I
)
_CLAUSE_END = re.compile(r",?\s+(?:because|since|as\s+it|as\s+this|due\s+to|so\s+that)\b", re.I)

_CONTRAINDICATED = re.compile(r"(?<!not )(?<!n't )\bcontraindicated\b", re.I)
_OBJECT = r"(?:it|this\s+(?:medicine|medication|drug|product)|the\s+(?:medicine|medication|drug))"
_SHOULD_NOT_BE_USED = re.compile(
    r"\b(?:(?:should|must)\s+not\s+be\s+(?:used|given|taken|administered)|"
    r"should\s+be\s+avoided)\s+(?=(?:in|during|if|by|for|with|to)\b)",
    re.I,
)
_RISK = re.compile(
    r"\b(?:increased|increases?|raised|raises?|higher|greater)\s+(?:the\s+)?risks?\s+(?:of|for)\s+",
    re.I,
)
_INTERACTION = re.compile(
    r"\b(?:tak(?:e|es|ing|en)|us(?:e|es|ing|ed)|combin(?:e|es|ing|ed)|giv(?:e|es|ing|en)|"
    r"co-?administ\w+)(?:\s+(?:it|this\s+(?:medicine|medication|drug)|"
    r"the\s+(?:medicine|medication|drug)|[A-Z][\w-]+))?\s+(?:together\s+)?with\s+"
    r"(?P<with>[^.;]+?)\s*$",
    re.I,
)
_RISK_LIST_END = re.compile(
    r",?\s+(?:so|because|since|which|especially|particularly|when|if|while|whilst|compared)\b"
    r"|\s+(?:should|must|may|can|is|are|was|were|has|have)\b"
    rf"|\s+in\s+(?:[\w-]+\s+){{0,2}}?{_PEOPLE}\b",
    re.I,
)


def _drug_object(drug: str) -> str:
    return rf"(?:{_OBJECT}|{re.escape(drug)})" if drug.strip() else _OBJECT


def _contraindication_start(text: str, start: int, end: int, drug: str) -> int | None:
    """Where the contraindicated clauses begin in a sentence, or None if it is not one.

    Anywhere: "contraindicated" (not "not contraindicated"), "should/must not be
    used/given/taken in|during|to|…", "should be avoided in|during|…".
    Only as the instruction opening the sentence: "Do not use/take [<drug>]",
    "Avoid [using] <drug>/use in|during|…".
    """
    match = _CONTRAINDICATED.search(text, start, end)
    if match:
        return match.end()
    sentence = text[trim(text, start, end)[0] : end]
    start = end - len(sentence)
    target = _drug_object(drug)
    opening = (
        rf"(?:do\s+not|don't|never)\s+(?:use|take|give|administer)\b(?:\s+{target})?\s+",
        rf"avoid\s+(?:(?:using|taking|use\s+of)\s+)?(?:{target}|use)\s+"
        r"(?=(?:in|during|if|while|when)\b)",
    )
    for pattern in opening:
        found = re.match(pattern, sentence, re.I)
        if found:
            return start + found.end()
    found = _SHOULD_NOT_BE_USED.search(sentence)
    return start + found.end() if found else None


def _condition_span(text: str, start: int, end: int) -> Span:
    """The condition inside a clause: drop the clause lead, an article, and a
    trailing "because …"."""
    for lead in (_PEOPLE_LEAD, _IF_LEAD, _PREPOSITION_LEAD):
        match = lead.match(text, start, end)
        if match and match.end() < end:
            start = match.end()
            break
    article = _ARTICLE.match(text, start, end)
    if article and article.end() < end:
        start = article.end()
    clause_end = _CLAUSE_END.search(text, start, end)
    if clause_end:
        end = clause_end.start()
    return trim(text, start, end, " \t\n.,;:*")


def _contraindication(
    document: Document, section: str, clause: Span
) -> ContraindicationFact | None:
    text = document.text
    start, end = _condition_span(text, *clause)
    if start >= end:
        return None
    term = parse_term(text, start, end)
    head = term.term
    if not term.examples:
        complement = _COMPONENT_COMPLEMENT.search(text[head[0] : head[1]])
        if complement and complement.start() > 0:
            head = trim(text, head[0], head[0] + complement.start(), " \t\n,")
            term = parse_term(text, *head)
            head = term.term
    if head[0] >= head[1]:
        return None
    glosses = tuple(text[s:e] for s, e in term.glosses)
    return ContraindicationFact(
        condition=mention(document, section, *head, glosses=glosses),
        evidence=block_evidence(document, section, *clause),
        examples=tuple(mention(document, section, s, e) for s, e in term.examples),
    )


def _contraindications(
    document: Document, section: str, start: int, end: int
) -> list[ContraindicationFact]:
    text = document.text
    facts = []
    for clause in paren_depth_split(text, start, end, _CLAUSE_SEPARATOR):
        fact = _contraindication(document, section, clause)
        if fact is not None:
            facts.append(fact)
    return facts


def _interacting(document: Document, section: str, start: int, end: int) -> tuple[Mention, ...]:
    """What the drug is taken with in "Taking it with X such as Y" ending at `end`."""
    text = document.text
    found = _INTERACTION.search(text, start, end)
    if found is None:
        return ()
    spans = [
        span
        for term in list_terms(text, *found.span("with"))
        for span in (term.term, *term.glosses, *term.examples)
    ]
    return tuple(mention(document, section, s, e) for s, e in spans if s < e)


def _increased_risks(
    document: Document, section: str, sentence: Span, list_start: int, risk_start: int
) -> list[WarningFact]:
    text = document.text
    end = sentence[1]
    interacting = _interacting(document, section, sentence[0], risk_start)
    list_end = _RISK_LIST_END.search(text, list_start, end)
    if list_end:
        end = list_end.start()
    facts = []
    sentence_evidence = block_evidence(document, section, *sentence)
    for term in list_terms(text, list_start, end):
        if term.term[0] >= term.term[1]:
            continue
        details = tuple(mention(document, section, s, e) for s, e in term.glosses + term.examples)
        facts.append(
            WarningFact(
                kind="increased-risk",
                evidence=sentence_evidence,
                condition=mention(document, section, *term.term),
                details=details,
                interacting=interacting,
            )
        )
    return facts


def _statement_label(document: Document, start: int, end: int) -> StatementLabelKind | None:
    label, _ = split_label(document.text, start, end)
    return None if label is None else statement_label_kind(document.text, *label)


def extract_precautions(
    document: Document, section: Section, drug: str
) -> tuple[tuple[ContraindicationFact, ...], tuple[WarningFact, ...], tuple[StatementFact, ...]]:
    """Contraindications, warnings and notes of a Precautions section.

    `drug` is the name the document uses for the drug, so that "Do not use
    <drug> if …" and "Avoid <drug> in …" are recognised like "Do not use it".
    """
    text = document.text
    contraindications: list[ContraindicationFact] = []
    warnings: list[WarningFact] = []
    statements: list[StatementFact] = []
    for block in section.blocks:
        kind = _statement_label(document, block.start, block.end)
        if kind is not None:
            block_span = (block.start, block.end)
            ev = block_evidence(document, section.name, *block_span)
            statements.append(StatementFact(kind=kind, evidence=ev))
            continue
        label, body = split_label(text, block.start, block.end)
        for number, (start, end) in enumerate(sentences(text, *body)):
            # A block's label ("**Pregnancy:**") is part of its first sentence's evidence.
            evidence_start = block.start if label is not None and number == 0 else start
            found = _contraindication_start(text, start, end, drug)
            if found is not None:
                facts = _contraindications(document, section.name, found, end)
                if facts:
                    contraindications.extend(facts)
                    continue
            risk = _RISK.search(text, start, end)
            if risk:
                risks = _increased_risks(
                    document, section.name, (evidence_start, end), risk.end(), risk.start()
                )
                if risks:
                    warnings.extend(risks)
                    continue
            warnings.append(
                WarningFact(
                    kind="statement",
                    evidence=block_evidence(document, section.name, evidence_start, end),
                )
            )
    return tuple(contraindications), tuple(warnings), tuple(statements)
