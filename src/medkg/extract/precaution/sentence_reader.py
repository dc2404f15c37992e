"""Reading one sentence of a Precautions section: which rule names its facts.

`SentenceReader` holds the facts of one section and tries the rules on each
sentence in order (caution before a contraindication that comes later in it,
contraindications, increased risks, cautions, advice, interactions, the other
caution rules), so that one sentence gives facts of one kind; a sentence no
rule reads is a plain statement, or a warning statement when it names
something specific. The package docstring lists the rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

from medkg.extract.block_labels import block_evidence
from medkg.extract.precaution.back_references import back_reference_span
from medkg.extract.precaution.contraindications import (
    contraindication_facts,
    contraindication_start,
    subject_contraindication,
)
from medkg.extract.precaution.labels import LabelKind
from medkg.extract.precaution.long_use import long_use_risk_span
from medkg.extract.precaution.mentions import conditions_as
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
    caution_span,
    hedged_contraindication,
    interaction_span,
    is_advice,
    negated,
    risk_span,
    taken_with_span,
)
from medkg.extract.precaution.statements import states_nothing
from medkg.model import (
    ContraindicationFact,
    Document,
    Evidence,
    Section,
    StatementFact,
    WarningFact,
)
from medkg.text import Span, mention

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


class SentenceReader:
    """Collects the facts of one Precautions section, sentence by sentence."""

    def __init__(self, document: Document, section: Section, drug: str) -> None:
        self.document = document
        self.section = section.name
        self.drug = drug
        self.contraindications: list[ContraindicationFact] = []
        self.warnings: list[WarningFact] = []
        self.statements: list[StatementFact] = []
        self.populations: list[WarningFact] = []  # the facts of a population rule
        self.previous: int | None = None  # where the block's sentence before this one starts

    def contra(self, start: int, end: int) -> bool:
        facts = contraindication_facts(self.document, self.section, start, end, self.drug)
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

    def back_reference(self, caution: Span | None, span: Span, evidence_start: int) -> bool:
        """A caution that names its conditions by a back-reference ("However, caution is
        advised in these patients") takes those of the phrase before it, in this sentence or
        the one before (`back_reference_span`); conditions a warning of the section already
        names are not given twice. True when the sentence is such a caution."""
        region = span[0] if self.previous is None else self.previous
        found = back_reference_span(self.document.text, caution, region, *span)
        if found is None:
            return False
        evidence = block_evidence(self.document, self.section, min(region, evidence_start), span[1])
        named = {w.condition.text.lower() for w in self.warnings if w.condition is not None}
        facts = conditions_as(self.document, self.section, "caution", found, evidence, self.drug)
        self.warnings.extend(
            f for f in facts if f.condition is not None and f.condition.text.lower() not in named
        )
        return bool(facts)

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
        if self.back_reference(caution, span, evidence_start):
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
