"""Reading the blocks of a Precautions section: labels, list items and lead-ins.

`BlockReader` reads each block's sentences with `SentenceReader` and adds what
the block's label says: a statement label ("**Note:**") or an aside label
("**Storage:**") gives a statement; a condition label ("**Pregnancy:**") gives
a caution per condition its sentences do not name (`label_cautions`); a
contraindication label or lead-in ("… is contraindicated in:") makes the list
items after it contraindications.
"""

from __future__ import annotations

from dataclasses import replace

from medkg.extract.block_labels import (
    StatementLabelKind,
    block_evidence,
    split_label,
    statement_label_kind,
)
from medkg.extract.precaution.contraindications import contraindication_start
from medkg.extract.precaution.labels import (
    LabelKind,
    aside_label,
    label_kind,
    lay_wording,
    shares_a_word,
    topic_label,
)
from medkg.extract.precaution.mentions import condition_mention
from medkg.extract.precaution.rules import reassures
from medkg.extract.precaution.sentence_reader import SentenceReader
from medkg.extract.precaution.terms import conditions
from medkg.model import (
    Block,
    ContraindicationFact,
    Document,
    StatementFact,
    WarningFact,
)
from medkg.text import Span, sentences, trim


def _statement_label(document: Document, start: int, end: int) -> StatementLabelKind | None:
    label, _ = split_label(document.text, start, end)
    return None if label is None else statement_label_kind(document.text, *label)


def _lead_in(text: str, start: int, end: int) -> bool:
    """A block that ends with ":" introduces the items after it."""
    s, e = trim(text, start, end, " \t\n*_")
    return s < e and text[e - 1] == ":"


class BlockReader(SentenceReader):
    """Collects the facts of one Precautions section, block by block."""

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
        self.previous = None
        for number, (start, end) in enumerate(sentences(text, *body)):
            # A block's label ("**Pregnancy:**") is part of its first sentence's evidence.
            evidence_start = block.start if label is not None and number == 0 else start
            self.sentence((start, end), evidence_start, mode, listed)
            self.previous = start
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
