"""Cautions a Dosage section states.

Dosage sections name the people who need care as often as Precautions do:
"Use with caution in patients with renal failure", "Dose reduction may be
necessary in patients with hepatic impairment", "Patients with low body
weight should be closely monitored". Each sentence of a Dosage block that a
caution rule of `precaution_rules.caution_span` reads gives one caution per
condition it names, and a caution that names them by a back-reference ("No
dose adjustment is given for renal impairment. However, caution is advised.")
gives those of the phrase it refers to (`precaution_back_references`); nothing
else of the section becomes a warning (its doses are the regimen extractor's).
"""

from __future__ import annotations

from medkg.extract.block_labels import block_evidence, split_label
from medkg.extract.precaution.back_references import back_reference_span
from medkg.extract.precaution.mentions import conditions_as
from medkg.extract.precaution.rules import caution_span
from medkg.model import Document, Section, WarningFact
from medkg.text import sentences


def dosage_cautions(document: Document, section: Section, drug: str) -> tuple[WarningFact, ...]:
    """The cautions the sentences of a Dosage section state (see the module doc)."""
    text = document.text
    found: list[WarningFact] = []
    for block in section.blocks:
        _, body = split_label(text, block.start, block.end)
        previous: int | None = None
        for start, end in sentences(text, *body):
            span = caution_span(text, start, end, drug)
            region = start if previous is None else previous
            previous = start
            antecedent = back_reference_span(text, span, region, start, end)
            if antecedent is not None:
                sentence = block_evidence(document, section.name, region, end)
                facts = conditions_as(document, section.name, "caution", antecedent, sentence, drug)
                named = {f.condition.text.lower() for f in found if f.condition is not None}
                found.extend(
                    f for f in facts if f.condition and f.condition.text.lower() not in named
                )
                continue
            if span is None:
                continue
            sentence = block_evidence(document, section.name, start, end)
            found.extend(conditions_as(document, section.name, "caution", span, sentence, drug))
    return tuple(found)
