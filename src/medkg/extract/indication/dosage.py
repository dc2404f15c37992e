"""Dosage section -> the off-label uses its labels name.

A Dosage section organised by condition gives each condition a label
(``* **Condition:** dose …``). A label that marks its condition off-label
(``**Condition (Off-label):**``, ``**Condition (Prophylaxis - off-label):**``,
``**Condition - Off-Label (Oral):**``, ``**Off-label uses (A, B):**``) states
that the drug is used off-label for that condition: it is read as an
indication whose qualifier is the document's "off-label".

* **Condition.** The label's words before its first parenthesis or dash, or,
  when they name no condition ("Maintenance therapy (X - off-label)"), the
  words beside the marker in its parenthesis; after "Off-label uses" the
  parenthesis lists the conditions. `indication_terms.conditions` reads
  them, so a generic, people or treatment phrase ("Other uses", "Adults",
  "Prophylaxis") is none.
* **No condition.** A label that opens with "Other" or "For other" ("Other
  cancers (off-label)") names what the document left unnamed; a
  parenthesis after "Off-label uses" that is no plain list of names ("(require
  careful monitoring)") names none; a term with a dosing word (`dosing` words
  of `indication-words.csv`: "Pediatric dosage", "Intensive care unit") is
  about how the drug is given.
* **No use.** A hedged label ("Possible off-label uses"), a body that opens
  by advising against the use ("Not recommended …"), or items under a hedged
  lead-in ("Uses that have been investigated:") state none.

A plain label (no off-label marker) names a population ("Renal impairment"),
a form, a phase, a route or a component as often as a condition, so its words
alone do not make it one: the label of a list item or paragraph is read as an
indication only when its condition is a name the bundled lexicon knows as a
concept (`medkg.link.lexicon`: the curated names and the Human Phenotype
Ontology: ``**Gastric Ulcer:** 150 mg …``), its words before any parenthesis
or dash name no people or band of them (``**Crohn's Disease (Adult
Maintenance):**`` names a condition), it names no route, its block states a
dose, and the block does not manage a condition the drug may cause
("**Hypotension:** If it occurs, reduce the dose"); a condition the Usage
section already gave is not repeated (nor its concept under another name).
"""

from __future__ import annotations

import re

from medkg.extract.block_labels import block_evidence, split_label
from medkg.extract.indication.cues import hedged, off_label, words_of
from medkg.extract.indication.lists import plain_list
from medkg.extract.indication.terms import Term, conditions
from medkg.extract.regimen.population import POPULATION_WORDS, names_population
from medkg.extract.routes import stated_routes
from medkg.link.lexicon import bundled_lexicon
from medkg.model import Document, IndicationFact, Mention, Section
from medkg.quantities import find_quantities
from medkg.text import Span, evidence, mention, normalise_term, sentences

_USES_OF = re.compile(
    r"(?:other\s+)?off[-\s]label\s+(?:uses?|indications?|applications?)\s*\((?P<inner>[^()]*)\)",
    re.IGNORECASE,
)
# where the condition's own words end: the first parenthesis or a spaced dash
_HEAD_END = re.compile(r"\s*(?:\(|\s[-–—]\s)")
_OTHER = re.compile(r"(?:for\s+)?other\b", re.IGNORECASE)
_REFUSAL = re.compile(
    r"\b(?:not\s+(?:recommended|advised|indicated|to\s+be\s+used)|should\s+not|must\s+not|"
    r"do\s+not\s+use|avoid)\b",
    re.IGNORECASE,
)


def _parenthesis(text: str, start: int, end: int, at: int) -> Span | None:
    """The inside of the parenthesis of text[start:end] that holds position `at`."""
    open_ = text.rfind("(", start, at)
    close = text.find(")", at, end)
    if open_ < 0 or close < 0 or ")" in text[open_ + 1 : at]:
        return None
    return open_ + 1, close


def _condition_spans(text: str, start: int, end: int, marker: re.Match[str]) -> list[Span]:
    """Where the label text[start:end] writes its conditions, best first."""
    uses = _USES_OF.match(text, start, end)
    if uses is not None:
        return [uses.span("inner")] if plain_list(text, *uses.span("inner")) else []
    if _OTHER.match(text, start, end):
        return []
    spans: list[Span] = []
    head = _HEAD_END.search(text, start, end)
    head_end = head.start() if head else end
    if head_end <= marker.start():
        spans.append((start, head_end))
    inside = _parenthesis(text, start, end, marker.start())
    if inside is not None:
        # "(Ulcerative Colitis - Off-Label)": the words beside the marker
        before = text[inside[0] : marker.start()].rstrip(" -–—,;")
        if before.strip():
            spans.append((inside[0], inside[0] + len(before)))
    return spans


def _about_dosing(term: Term) -> bool:
    dosing = words_of("dosing")
    return any(word in dosing for word in re.findall(r"[\w-]+", term.text.lower()))


# a label whose item manages a condition the drug may cause ("**Hypotension:** If it occurs,
# reduce the dose"), not a use
_MANAGING = re.compile(
    r"^\W*(?:if|when|should|in\s+(?:case|the\s+event)\s+of)\b|"
    r"\b(?:reduce[ds]?|lower(?:ed)?|decrease[ds]?|interrupt(?:ed)?|withh[oe]ld|stop(?:ped)?|"
    r"discontinue[ds]?)\s+(?:the\s+)?(?:dose|dosage|treatment|therapy)\b|"
    r"\b(?:dose|dosage)\s+(?:should|must|may)\s+be\s+(?:reduced|lowered|decreased|withheld)\b",
    re.I,
)


def _concept(term: str) -> str:
    """The lexicon concept a condition names ("high blood pressure" and "Hypertension"
    name one), else its normalised words."""
    entry = bundled_lexicon().lookup(term)
    return entry.concept if entry is not None else normalise_term(term)


def _plain_conditions(text: str, label: Span, body: Span) -> list[Term]:
    """The known conditions a plain label of a dosing item names (see the module docstring)."""
    head = _HEAD_END.search(text, *label)
    head_end = head.start() if head else label[1]
    # the people in a parenthesis after the condition ("Crohn's Disease (Adult
    # Maintenance)") say for whom, and leave the condition one
    words = text[label[0] : head_end]
    if (
        POPULATION_WORDS.search(words)
        or names_population(words)
        or list(stated_routes(text, *label))
        or not find_quantities(text, *body)
    ):
        return []
    terms = conditions(text, label[0], head_end)
    lexicon = bundled_lexicon()
    return [t for t in terms if not _about_dosing(t) and lexicon.lookup(t.text) is not None]


def dosage_indications(
    document: Document, section: Section, known: tuple[IndicationFact, ...] = ()
) -> tuple[IndicationFact, ...]:
    """Indications named by the labels of a Dosage section (see the module docstring);
    `known` are those already read from the document, which a plain label does not repeat."""
    text = document.text
    facts: list[IndicationFact] = []
    seen = {_concept(name) for f in known for name in (f.condition.text, *f.condition.glosses)}
    hedged_lead = False
    for block in section.blocks:
        label, body = split_label(text, block.start, block.end)
        if block.kind != "item" and label is None:
            spans = sentences(text, block.start, block.end)
            last = spans[-1] if spans else None
            hedged_lead = last is not None and text[last[1] - 1] == ":" and hedged(text, *last)
            continue
        if label is None or hedged_lead or hedged(text, *label):
            continue
        marker = off_label(text, *label)
        body_sentences = sentences(text, *body)
        first_end = body_sentences[0][1] if body_sentences else label[1]
        if body_sentences and (_REFUSAL.search(text, *body_sentences[0])):
            continue
        if marker is None:
            if body_sentences and (
                hedged(text, *body_sentences[0]) or _MANAGING.search(text, *body_sentences[0])
            ):
                continue
            for term in _plain_conditions(text, label, body):
                if _concept(term.text) in seen:
                    continue
                seen.add(_concept(term.text))
                facts.append(
                    IndicationFact(
                        condition=Mention(
                            text=term.text,
                            evidence=evidence(document, section.name, *term.span),
                            glosses=term.glosses,
                        ),
                        evidence=block_evidence(document, section.name, block.start, first_end),
                    )
                )
            continue
        qualifier = mention(document, section.name, *marker.span())
        for span in _condition_spans(text, *label, marker):
            terms = [t for t in conditions(text, *span) if not _about_dosing(t)]
            if not terms:
                continue
            for term in terms:
                facts.append(
                    IndicationFact(
                        condition=Mention(
                            text=term.text,
                            evidence=evidence(document, section.name, *term.span),
                            glosses=term.glosses,
                        ),
                        evidence=block_evidence(document, section.name, block.start, first_end),
                        qualifier=qualifier,
                    )
                )
            break
    return tuple(facts)
