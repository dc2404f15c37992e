"""Precautions section -> contraindications, warnings (increased risk, caution,
interaction), statements.

Every sentence of a Precautions section is a precaution, so each one becomes
one of:

* contraindications, one per condition (`precaution_terms.conditions`), when
  the sentence says "contraindicated in/with/when …" (not "may be
  contraindicated"), "Do not use/take <drug> if …", "<drug> should not be
  used/given/taken in/by …", "is not for use in …", "Avoid <drug>/use
  in/during/on …", or "<people> with X should not take / should avoid it".
  In a block labelled ``**Contraindications:**``, a sentence without a verb
  ("Hypersensitivity to A or B.") lists contraindications too, and so do the
  list items after a label alone or after a lead-in that ends with ":" ("It
  is contraindicated in people with:"). Clauses are split where a new one
  starts with a preposition; the fact's evidence is the clause.
* increased-risk warnings, one per condition (also when they are the reason
  of a contraindication: "… due to an increased risk of X"), from "increased risk of a, b
  (details), and c", "increases/raises the risk of …", "the risk of X is
  increased", "<drug> can cause X". When the risk comes from combined use
  ("Taking it with X such as Y increases the risk of …"), X and Y are the
  warning's `interacting` substances. An apposition ("X, a rare disorder")
  is not a second risk. "Prolonged use can lead to X" gives X too
  (`precaution_long_use`).
* caution warnings (a condition or population that needs care) and
  interaction warnings (a named interacting substance): see
  `precaution_rules`. A block labelled with a condition or population
  ("**Pregnancy and Breastfeeding:**") whose sentences give no such fact
  and do not reassure (`precaution_rules.reassures`: "No dose adjustment is
  needed", "It is safe") gives a caution per condition of its label; labels
  naming a category ("Warnings", "Storage") or the drug do not.
* an advice statement (StatementFact "advice") for a sentence that only
  says to consult or inform someone;
* a plain statement (StatementFact "unstructured") for a sentence that
  states nothing specific (`precaution_statements.states_nothing`: "may
  interact with other medicines", "careful monitoring is needed"), and for
  the sentences of a block whose label gave a caution (the caution quotes
  the block: one warning per fact);
* otherwise a WarningFact(kind="statement") with the sentence as evidence.

A negation in the clause before a trigger ("no significant interactions",
"not associated with an increased risk") makes the rule state nothing.
Blocks labelled ``**Note:**`` or ``**Disclaimer:**`` are StatementFacts
("note"/"disclaimer"), not precautions; a block labelled with a topic aside
from precautions (``aside-label`` words: "Storage", "Disposal") is an
unstructured statement.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Literal

from medkg.extract.block_labels import (
    StatementLabelKind,
    block_evidence,
    split_label,
    statement_label_kind,
)
from medkg.extract.precaution.contraindications import (
    CLAUSE_SEPARATOR,
    contraindication_start,
    subject_contraindication,
)
from medkg.extract.precaution.labels import (
    LabelKind,
    aside_label,
    label_kind,
    lay_wording,
    shares_a_word,
    topic_label,
)
from medkg.extract.precaution.long_use import long_use_risk_span
from medkg.extract.precaution.mentions import condition_mention, conditions_as
from medkg.extract.precaution.monitoring import consideration_span, monitored_for_span
from medkg.extract.precaution.populations import (
    contraception_span,
    if_you_are_span,
    not_recommended_span,
    population_advice_span,
    pregnancy_category,
    susceptible_span,
    use_in_span,
)
from medkg.extract.precaution.risks import RISK, increased_risks
from medkg.extract.precaution.rules import (
    PEOPLE,
    caution_span,
    hedged_contraindication,
    interaction_span,
    is_advice,
    negated,
    reassures,
    risk_span,
    taken_with_span,
)
from medkg.extract.precaution.statements import states_nothing
from medkg.extract.precaution.terms import conditions, precaution_words
from medkg.model import (
    Block,
    ContraindicationFact,
    Document,
    Evidence,
    Section,
    StatementFact,
    WarningFact,
)
from medkg.text import Span, mention, paren_depth_split, sentences, trim

_FINITE_VERB = re.compile(
    r"\b(?:should|must|may|might|can|could|will|would|is|are|was|were|has|have|had|does|do|"
    r"did)\b",
    re.I,
)
_IMPERATIVE = re.compile(
    r"(?:use|take|avoid|do|don't|consult|tell|inform|discuss|ask|keep|store|stop|seek|"
    r"monitor|check|be|drink|eat)\b",
    re.I,
)


def _contraindications(
    document: Document, section: str, start: int, end: int, drug: str
) -> list[ContraindicationFact]:
    """One contraindication per condition of each clause of text[start:end]; the examples
    of a class of conditions ("fluid overload conditions (e.g., pulmonary oedema)") are
    contraindications too (`_is_class`), those of a reaction ("hypersensitivity (e.g.,
    facial swelling)": how it showed) are not."""
    text = document.text
    facts = []
    for clause in paren_depth_split(text, start, end, CLAUSE_SEPARATOR):
        clause_evidence = block_evidence(document, section, *clause)
        for condition in conditions(text, *clause, drug):
            examples = tuple(mention(document, section, s, e) for s, e in condition.examples)
            facts.append(
                ContraindicationFact(
                    condition=condition_mention(document, section, condition),
                    evidence=clause_evidence,
                    examples=examples,
                )
            )
            if _is_class(condition.text):
                facts.extend(
                    ContraindicationFact(condition=example, evidence=clause_evidence)
                    for example in examples
                    if example.text and not _PEOPLE_FIRST.match(example.text)
                )
    return facts


_PEOPLE_FIRST = re.compile(rf"{PEOPLE}\b", re.I)  # "(e.g., those with X)": people, not X


def _is_class(condition: str) -> bool:
    """Whether a condition names a class whose every member is meant ("heart conditions",
    "bleeding disorders": `class-head` words of precaution-words.csv)."""
    words = condition.lower().split()
    return bool(words) and words[-1] in precaution_words().get("class-head", frozenset())


def _statement_label(document: Document, start: int, end: int) -> StatementLabelKind | None:
    label, _ = split_label(document.text, start, end)
    return None if label is None else statement_label_kind(document.text, *label)


def _lead_in(text: str, start: int, end: int) -> bool:
    """A block that ends with ":" introduces the items after it."""
    s, e = trim(text, start, end, " \t\n*_")
    return s < e and text[e - 1] == ":"


WarningKind = Literal["caution", "interaction", "increased-risk"]
SpanRule = Callable[[str, int, int, str], Span | None]

# rules that name what an advice sentence is about, read before it becomes an advice
_BEFORE_ADVICE: tuple[tuple[WarningKind, SpanRule], ...] = (
    ("interaction", taken_with_span),
    ("caution", population_advice_span),
    ("caution", if_you_are_span),
)
# rules read after the interaction rules, before a sentence becomes a statement
_AFTER_INTERACTIONS: tuple[tuple[WarningKind, SpanRule], ...] = (
    ("increased-risk", long_use_risk_span),
    ("caution", not_recommended_span),
    ("caution", consideration_span),
    ("caution", use_in_span),
    ("caution", susceptible_span),
    ("caution", monitored_for_span),
)
# rules whose span is the people a sentence is about: a block's label names them better
_POPULATION_RULES: frozenset[SpanRule] = frozenset(
    {population_advice_span, susceptible_span, if_you_are_span}
)


class _Reader:
    """Collects the facts of one Precautions section, sentence by sentence."""

    def __init__(self, document: Document, section: Section, drug: str) -> None:
        self.document = document
        self.section = section.name
        self.drug = drug
        self.contraindications: list[ContraindicationFact] = []
        self.warnings: list[WarningFact] = []
        self.statements: list[StatementFact] = []
        self.populations: list[WarningFact] = []  # the facts of a population rule

    def contra(self, start: int, end: int) -> bool:
        facts = _contraindications(self.document, self.section, start, end, self.drug)
        self.contraindications.extend(facts)
        return bool(facts)

    def warn(
        self,
        kind: Literal["caution", "interaction", "increased-risk"],
        span: Span,
        sentence: Evidence,
    ) -> bool:
        facts = conditions_as(self.document, self.section, kind, span, sentence, self.drug)
        drug = self.drug.lower().strip()
        if kind == "interaction" and drug:  # the drug itself is not its own interaction
            facts = [f for f in facts if f.condition and drug not in f.condition.text.lower()]
        self.warnings.extend(facts)
        return bool(facts)

    def named(
        self, span: Span, sentence: Evidence, rules: tuple[tuple[WarningKind, SpanRule], ...]
    ) -> bool:
        """The first of `rules` whose span names a condition gives its warnings."""
        for kind, rule in rules:
            found = rule(self.document.text, *span, self.drug)
            before = len(self.warnings)
            if found is not None and self.warn(kind, found, sentence):
                if rule in _POPULATION_RULES:
                    self.populations.extend(self.warnings[before:])
                return True
        return False

    def written_caution(self, span: Span, sentence: Evidence) -> bool:
        """A caution whose condition is read whole, not split into a list: "(must use)
        effective contraception during treatment and for 3 months after", or the pregnancy
        of "pregnancy category C" with the category as its detail."""
        text = self.document.text
        contraception = contraception_span(text, *span)
        if contraception is not None:
            condition = mention(self.document, self.section, *contraception)
            self.warnings.append(WarningFact("caution", sentence, condition=condition))
            return True
        found = pregnancy_category(text, *span)
        if found is None:
            return False
        pregnancy, category = (mention(self.document, self.section, *s) for s in found)
        fact = WarningFact("caution", sentence, condition=pregnancy, details=(category,))
        self.warnings.append(fact)
        return True

    def unstate(self, since: int) -> None:
        """The statement warnings read since `since` become plain statements: a caution
        of their block's label, whose evidence is the whole block, already gives them."""
        for fact in self.warnings[since:]:
            if fact.kind == "statement":
                self.statements.append(StatementFact(kind="unstructured", evidence=fact.evidence))
        self.warnings[since:] = [f for f in self.warnings[since:] if f.kind != "statement"]

    def reword(self, label: str, facts: list[WarningFact | ContraindicationFact]) -> bool:
        """A caution of a block that names its label's condition with a lay head ("kidney
        problems" under "**Renal Impairment:**") takes the label's clinical words."""
        found = False
        for number, fact in enumerate(self.warnings):
            written = fact.condition
            if (
                fact in facts
                and fact.kind == "caution"
                and written is not None
                and lay_wording(label, written.text)
            ):
                self.warnings[number] = replace(fact, condition=replace(written, text=label))
                found = True
        return found

    def label_cautions(
        self, label: Span, block: Span, facts: list[WarningFact | ContraindicationFact]
    ) -> bool:
        """The cautions a condition label ("**Pregnancy and Lactation:**") gives: each of
        its conditions that no fact of its block names; a label with a lay topic head
        ("Stomach Issues": `topic_label`) over a block that states facts gives none.
        When the block's facts only name the people its sentences are about ("Older
        adults may be more sensitive …"), the label names them instead. True when the
        label's conditions are given (by it or by the block's facts): the block's
        other sentences then state no further warning."""
        document = self.document
        if facts and all(f in self.populations for f in facts):
            self.warnings = [w for w in self.warnings if w not in facts]
            facts = []
        named = [f.condition.text for f in facts if f.condition is not None]
        evidence = block_evidence(document, self.section, *block)
        found = False
        label_conditions = conditions(document.text, *label, self.drug)
        for condition in label_conditions:
            if facts and topic_label(condition.text):
                continue  # "**Muscle Problems:**" over the risks its sentences name
            found = self.reword(condition.text, facts) or found
            if not any(shares_a_word(condition.text, other) for other in named):
                found = True
                self.warnings.append(
                    WarningFact(
                        kind="caution",
                        evidence=evidence,
                        condition=condition_mention(document, self.section, condition),
                    )
                )
        # a label whose every condition a fact of its block names gives them too
        return found or bool(label_conditions and named)

    def risks(self, span: Span, evidence_start: int) -> bool:
        """The increased risks a sentence names ("increased risk of a and b"), also when
        they are the reason of a contraindication ("… due to an increased risk of X")."""
        text, (start, end) = self.document.text, span
        risk = RISK.search(text, start, end)
        if risk is None or negated(text, start, risk.start()):
            return False
        risks = increased_risks(
            self.document, self.section, (evidence_start, end), risk.end(), risk.start()
        )
        self.warnings.extend(risks)
        return bool(risks)

    def sentence(
        self, span: Span, evidence_start: int, mode: LabelKind | None, listed: bool
    ) -> bool:
        """Read one sentence; True when it gave a fact other than a statement."""
        text = self.document.text
        start, end = span
        sentence_evidence = block_evidence(self.document, self.section, evidence_start, end)
        caution = caution_span(text, start, end, self.drug)
        contraindicated = contraindication_start(text, start, end, self.drug)
        if contraindicated is not None and hedged_contraindication(text, start, end):
            contraindicated = None
        caution_first = caution is not None and (
            contraindicated is None or caution[0] < contraindicated
        )
        if (
            caution is not None
            and caution_first
            and self.warn("caution", caution, sentence_evidence)
        ):
            return True
        if contraindicated is not None and self.contra(contraindicated, end):
            return self.risks((start, end), evidence_start) or True
        subject = subject_contraindication(text, start, end)
        if subject is not None and self.contra(*subject):
            return self.risks((start, end), evidence_start) or True
        verbless = not _FINITE_VERB.search(text, start, end) and not _IMPERATIVE.match(
            text, start, end
        )
        if mode == "contraindication" and (listed or verbless) and self.contra(start, end):
            return self.risks((start, end), evidence_start) or True
        if self.risks(span, evidence_start):
            return True
        risk_list = risk_span(text, start, end, self.drug)
        if risk_list is not None and self.warn("increased-risk", risk_list, sentence_evidence):
            return True
        if caution is not None and self.warn("caution", caution, sentence_evidence):
            return True
        if self.named(span, sentence_evidence, _BEFORE_ADVICE):
            return True
        if is_advice(text, start, end):
            self.statements.append(StatementFact(kind="advice", evidence=sentence_evidence))
            return False
        interaction = interaction_span(text, start, end, mode == "interaction")
        if interaction is not None and self.warn("interaction", interaction, sentence_evidence):
            return True
        if self.named(span, sentence_evidence, _AFTER_INTERACTIONS):
            return True
        if self.written_caution(span, sentence_evidence):
            return True
        if states_nothing(text, start, end, self.drug):
            self.statements.append(StatementFact(kind="unstructured", evidence=sentence_evidence))
        else:
            self.warnings.append(WarningFact(kind="statement", evidence=sentence_evidence))
        return False

    def block(self, block: Block, context: LabelKind | None) -> LabelKind | None:
        """Read one block; returns the context it sets for the list items after it."""
        document, text = self.document, self.document.text
        kind = _statement_label(document, block.start, block.end)
        if kind is not None:
            ev = block_evidence(document, self.section, block.start, block.end)
            self.statements.append(StatementFact(kind=kind, evidence=ev))
            return None
        label, body = split_label(text, block.start, block.end)
        if label is not None and aside_label(text[label[0] : label[1]]):
            ev = block_evidence(document, self.section, block.start, block.end)
            self.statements.append(StatementFact(kind="unstructured", evidence=ev))
            return None
        mode = label_kind(text[label[0] : label[1]]) if label is not None else None
        listed = block.kind == "item" and context == "contraindication" and mode is None
        if listed:
            mode = "contraindication"
        if body[0] >= body[1]:
            return mode  # a label alone heads the items after it
        if _lead_in(text, *body) and contraindication_start(text, *body, self.drug) is not None:
            return "contraindication"
        warnings_before, contraindications_before = len(self.warnings), len(self.contraindications)
        for number, (start, end) in enumerate(sentences(text, *body)):
            # A block's label ("**Pregnancy:**") is part of its first sentence's evidence.
            evidence_start = block.start if label is not None and number == 0 else start
            self.sentence((start, end), evidence_start, mode, listed)
        named = label is not None and text[label[0] : label[1]].lower() in self.drug.lower()
        if (
            label is not None
            and mode == "condition"
            and not named
            and not reassures(text, *body)  # "**Kidney disease:** No dose change is needed."
        ):
            block_facts = [
                f for f in self.warnings[warnings_before:] if f.kind != "statement"
            ] + self.contraindications[contraindications_before:]
            if self.label_cautions(label, (block.start, body[1]), block_facts):
                self.unstate(warnings_before)
        if block.kind == "item":
            return context
        return "contraindication" if mode == "contraindication" and _lead_in(text, *body) else None


def extract_precautions(
    document: Document, section: Section, drug: str
) -> tuple[tuple[ContraindicationFact, ...], tuple[WarningFact, ...], tuple[StatementFact, ...]]:
    """Contraindications, warnings and notes of a Precautions section.

    `drug` is the name the document uses for the drug, so that "Do not use
    <drug> if …" and "Avoid <drug> in …" are recognised like "Do not use it".
    """
    reader = _Reader(document, section, drug)
    context: LabelKind | None = None
    for block in section.blocks:
        context = reader.block(block, context)
    return tuple(reader.contraindications), tuple(reader.warnings), tuple(reader.statements)
