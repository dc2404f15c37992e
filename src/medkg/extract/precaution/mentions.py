"""A precaution's condition as a mention, and one warning per condition of a span.

`condition_mention` writes a condition in clean words (whitespace folded; a
population named by its state, "pregnant women", as the state: pregnancy —
`precaution_populations.population_state`) with the place it is written as
evidence; `conditions_as` gives one warning of a kind per condition a span
names (`precaution_terms.conditions`).
"""

from __future__ import annotations

from typing import Literal

from medkg.extract.precaution.populations import population_state
from medkg.extract.precaution.terms import Condition, conditions
from medkg.model import Document, Evidence, Mention, WarningFact
from medkg.text import Span, evidence, mention


def condition_mention(document: Document, section: str, condition: Condition) -> Mention:
    """The condition in clean words, with where it is written as evidence."""
    text = document.text
    glosses = tuple(text[s:e] for s, e in condition.glosses)
    ev = evidence(document, section, *condition.span)
    written = condition.text if condition.text == ev.quote else " ".join(condition.text.split())
    written = population_state(written) or written  # "pregnant women": pregnancy
    return Mention(text=written, evidence=ev, glosses=glosses)


def conditions_as(
    document: Document,
    section: str,
    kind: Literal["caution", "interaction", "increased-risk"],
    span: Span,
    sentence: Evidence,
    drug: str,
) -> list[WarningFact]:
    """One warning of `kind` per condition named in `span`; the examples of an interacting
    class ("antifungals (e.g., fluconazole)") are interacting substances too."""
    found = []
    for condition in conditions(document.text, *span, drug):
        details = tuple(
            mention(document, section, s, e) for s, e in condition.glosses + condition.examples
        )
        written = condition_mention(document, section, condition)
        found.append(WarningFact(kind=kind, evidence=sentence, condition=written, details=details))
        if kind == "interaction":
            found.extend(
                WarningFact(kind=kind, evidence=sentence, condition=example)
                for example in (mention(document, section, s, e) for s, e in condition.examples)
                if example.text
            )
    return found
