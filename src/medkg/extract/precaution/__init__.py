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

from medkg.extract.precaution.block_reader import BlockReader
from medkg.extract.precaution.labels import LabelKind
from medkg.model import (
    ContraindicationFact,
    Document,
    Section,
    StatementFact,
    WarningFact,
)


def extract_precautions(
    document: Document, section: Section, drug: str
) -> tuple[tuple[ContraindicationFact, ...], tuple[WarningFact, ...], tuple[StatementFact, ...]]:
    """Contraindications, warnings and notes of a Precautions section.

    `drug` is the name the document uses for the drug, so that "Do not use
    <drug> if …" and "Avoid <drug> in …" are recognised like "Do not use it".
    """
    reader = BlockReader(document, section, drug)
    context: LabelKind | None = None
    for block in section.blocks:
        context = reader.block(block, context)
    return tuple(reader.contraindications), tuple(reader.warnings), tuple(reader.statements)
