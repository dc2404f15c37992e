"""The data passed between stages: parsed documents and extracted facts.

Everything here is a plain, frozen dataclass. Parsers produce a `Document`;
extractors turn a `Document` into an `Extraction` (lists of facts); the graph
stage turns facts into triples. Every fact carries an `Evidence` whose
`start`/`end` are character offsets into `Document.text` (the repaired text),
so that ``document.text[start:end] == evidence.quote`` always holds (for
evidence of the section `FILE_NAME_SECTION`: ``document.source[start:end]``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

DocumentFormat = Literal["monograph", "code-page"]


# --------------------------------------------------------------------------
# Parsed documents
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """One structural unit of a section: a paragraph, a list item, a FAQ part.

    `text` is exactly ``document.text[start:end]``; Markdown markers such as
    ``*   `` or ``**Q:`` are outside the span, inline emphasis may be inside.
    """

    kind: Literal["paragraph", "item", "question", "answer", "label"]
    text: str
    start: int
    end: int
    depth: int = 0  # list nesting level, 0 for top level
    ordinal: int | None = None  # number of a numbered list item
    label: str | None = None  # a sub-label the block sits under ("Goals", "Common risks")


@dataclass(frozen=True)
class Section:
    """A headed part of a document. `name` is the canonical heading
    ("How it Works"), `heading` the heading exactly as written."""

    name: str
    heading: str
    start: int  # start of the body (after the heading line)
    end: int
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Document:
    """A parsed source document. `text` is the repaired text all offsets use."""

    source: str  # the document key: file name as given to the parser
    format: DocumentFormat
    text: str
    title: str
    sections: tuple[Section, ...]
    metadata: dict[str, Any] = field(default_factory=dict)  # YAML front matter, code line …

    def section(self, name: str) -> Section | None:
        for section in self.sections:
            if section.name == name:
                return section
        return None


# --------------------------------------------------------------------------
# Evidence and the values facts are built from
# --------------------------------------------------------------------------


FILE_NAME_SECTION = "File name"
"""The section of evidence read from a document's file name rather than its text (a code
page whose billing code only its file name gives): its offsets index `Document.source`
(the graph's ``medkg:fileName``), not `Document.text`."""


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: document key, section name, exact quote, offsets.

    Offsets index the document's repaired text, except for the section
    `FILE_NAME_SECTION`, whose offsets index the document key (its file name)."""

    document: str
    section: str
    quote: str
    start: int
    end: int


@dataclass(frozen=True)
class Mention:
    """A term or phrase as written in a document, e.g. ``myalgia`` with the
    gloss ``muscle pain`` from ``myalgia (muscle pain)``.

    `text` is the term itself; `evidence.quote` is its exact span (which may
    include the parenthetical gloss).
    """

    text: str
    evidence: Evidence
    glosses: tuple[str, ...] = ()


@dataclass(frozen=True)
class Quantity:
    """A number with a UCUM unit (``mg``, ``ug``, ``mo``, ``min``, ``mg/kg``).

    `low`/`high` hold a stated range (``200 to 400 mg``), in which case
    `value` is None. `per_kg` marks a weight-based dose.
    """

    unit: str
    evidence: Evidence
    value: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    approximate: bool = False  # "about", "around", "approximately"
    maximum: bool = False  # "up to", "should not exceed", "maximum"


@dataclass(frozen=True)
class Timing:
    """How often: `frequency` times per `period` `period_unit` (UCUM: h, d, wk, mo, a)."""

    frequency: int
    period: Decimal
    period_unit: str
    evidence: Evidence
    as_needed: bool = False
    period_max: Decimal | None = None  # "every 4 to 6 hours": period 4, period_max 6
    frequency_max: int | None = None  # "three or four times daily": frequency 3, frequency_max 4


class Band(StrEnum):
    """CIOMS III frequency bands."""

    VERY_COMMON = "very-common"  # >= 1/10
    COMMON = "common"  # >= 1/100 and < 1/10
    UNCOMMON = "uncommon"  # >= 1/1,000 and < 1/100
    RARE = "rare"  # >= 1/10,000 and < 1/1,000
    VERY_RARE = "very-rare"  # < 1/10,000
    NOT_KNOWN = "not-known"  # cannot be estimated from the available data


class Relation(StrEnum):
    """Relations of a mechanism step."""

    INHIBITS = "inhibits"
    ACTIVATES = "activates"
    BINDS = "binds"
    SUPPRESSES = "suppresses"
    STIMULATES = "stimulates"
    CONVERTED_TO = "converted-to"
    DEPLETES = "depletes"
    RELAXES = "relaxes"
    DILATES = "dilates"
    RELEASES = "releases"
    CHELATES = "chelates"
    REACTIVATES = "reactivates"
    DEPRESSES = "depresses"
    DISRUPTS = "disrupts"
    ACTS_ON = "acts-on"
    REQUIRED_FOR = "required-for"
    RESISTANT_TO = "resistant-to"
    INCORPORATED_INTO = "incorporated-into"
    INVOLVED_IN = "involved-in"
    CAUSES = "causes"


# --------------------------------------------------------------------------
# Facts
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class ComponentScope:
    """The stretch of a combination product's document that is about one component
    (its heading and the sections under it). A fact whose evidence starts inside
    the scope is that component's fact; every other fact is the product's."""

    component: Mention
    start: int
    end: int


@dataclass(frozen=True)
class DrugFact:
    """The drug (or combination product) a document is about."""

    name: Mention
    evidence: Evidence
    generic_name: Mention | None = None
    other_names: tuple[Mention, ...] = ()
    components: tuple[Mention, ...] = ()  # component drugs of a combination product
    component_scopes: tuple[ComponentScope, ...] = ()  # where each component's facts are

    def component_at(self, offset: int) -> Mention | None:
        """The component whose scope holds `offset`, or None (the product itself)."""
        for scope in self.component_scopes:
            if scope.start <= offset < scope.end:
                return scope.component
        return None


# The qualifier of an indication the text states as a past use ("was previously used to
# treat X"): a fact about the drug's history, which no export may state as a current use.
PAST_USE = "past use"


@dataclass(frozen=True)
class IndicationFact:
    condition: Mention
    evidence: Evidence
    population: Mention | None = None
    qualifier: Mention | None = None  # "at high risk of falls"
    criteria: tuple[Mention, ...] = ()  # what qualifies a patient (the high-risk criteria)
    goals: tuple[Mention, ...] = ()


@dataclass(frozen=True)
class MechanismStep:
    """One causal step: subject --relation--> object, in reading order."""

    order: int  # 1-based position in the chain
    subject: Mention
    relation: Relation
    object: Mention
    evidence: Evidence


@dataclass(frozen=True)
class MechanismEffect:
    """A downstream effect of the mechanism: an increase or decrease of something."""

    effect: Mention
    direction: Literal["increase", "decrease"]
    evidence: Evidence
    strength: str | None = None  # "to a lesser extent"


@dataclass(frozen=True)
class Strength:
    """How much of one substance one unit holds: "each tablet containing 500 mg X"."""

    quantity: Quantity
    substance: Mention
    evidence: Evidence


@dataclass(frozen=True)
class Premedication:
    """Something given before each administration of the drug ("Before each
    infusion, patients receive X 100 mg intravenously and Y; Z may also be given")."""

    substance: Mention
    evidence: Evidence  # the sentence
    dose: Quantity | None = None
    routes: tuple[Mention, ...] = ()  # every route it may be given by ("IV or IM")
    optional: bool = False  # "may also be given"


@dataclass(frozen=True)
class RegimenFact:
    """One dosing regimen, with every part the text states."""

    evidence: Evidence
    routes: tuple[Mention, ...] = ()  # every route it may be given by ("IV or IM"), as written
    population: Mention | None = None
    phase: str | None = None  # "initial", "loading", "maintenance"
    dose: Quantity | None = None  # per administration
    unit_dose: Quantity | None = None  # size of one injection / tablet …
    unit_count: int | None = None  # how many of them make one dose
    unit_form: str | None = None  # "injection", "tablet"
    consecutive: bool = False
    timing: Timing | None = None
    max_duration: Quantity | None = None
    duration_limit_reason: Mention | None = None
    after_course: Mention | None = None
    administered_by: Mention | None = None
    max_dose: Quantity | None = None  # maximum single dose
    max_daily_dose: Quantity | None = None
    forms: tuple[Mention, ...] = ()  # dosage forms it is taken as ("tablets", "oral suspension")
    strengths: tuple[Strength, ...] = ()  # what one unit contains, per substance
    premedications: tuple[Premedication, ...] = ()  # given before each administration


@dataclass(frozen=True)
class PopulationGuidance:
    """Dosing or use guidance for a special population."""

    population: Mention
    guidance: Mention
    evidence: Evidence


@dataclass(frozen=True)
class AdverseReactionFact:
    reaction: Mention
    evidence: Evidence
    band: Band | None = None  # None when the document gives no band
    frequency_text: str | None = None  # the wording that gave the band ("more than 10%")
    serious: bool | None = None
    population: Mention | None = None


@dataclass(frozen=True)
class ContraindicationFact:
    condition: Mention
    evidence: Evidence  # the whole clause
    examples: tuple[Mention, ...] = ()  # "(e.g., rash, hives …)"


@dataclass(frozen=True)
class WarningFact:
    """A precaution: an increased risk of a condition, a condition or population that
    needs caution, an interacting substance, or a statement."""

    kind: Literal["increased-risk", "caution", "interaction", "statement"]
    evidence: Evidence
    condition: Mention | None = None  # for every kind but statement
    details: tuple[Mention, ...] = ()  # "(cardiovascular death, non-fatal …)"
    interacting: tuple[Mention, ...] = ()  # "taking it with X such as Y increases the risk"


@dataclass(frozen=True)
class FaqFact:
    question: Mention
    answer: Mention
    evidence: Evidence  # the whole pair


@dataclass(frozen=True)
class StatementFact:
    """Text kept as a statement: a disclaimer, an advice, or a sentence no rule understood."""

    kind: Literal["disclaimer", "note", "advice", "unstructured"]
    evidence: Evidence


@dataclass(frozen=True)
class BillingCodeFact:
    system: Literal["HCPCS", "CPT"]
    code: Mention
    descriptor: Mention
    evidence: Evidence
    billing_unit: Quantity | None = None  # None for "each"-less codes without a unit
    unit_is_each: bool = False
    # the drugs the code bills, as named in the descriptor (several for a combination:
    # "Injection, pertuzumab, trastuzumab, and hyaluronidase-zzxf, per 10 mg")
    drug_names: tuple[Mention, ...] = ()


@dataclass(frozen=True)
class PersonnelFact:
    who: Mention
    role: Literal["administers", "supervises", "assists", "performs"]
    evidence: Evidence
    optional: bool = False  # "may be present"


@dataclass(frozen=True)
class DurationFact:
    """A duration the page states: of the act itself or the whole appointment."""

    of: Literal["procedure", "appointment", "observation"]
    evidence: Evidence
    quantity: Quantity | None = None  # None when only words are given ("a few minutes")
    text: str | None = None


@dataclass(frozen=True)
class RiskFact:
    risk: Mention
    evidence: Evidence
    band: Band | None = None
    frequency_text: str | None = None


@dataclass(frozen=True)
class ProcedureFact:
    """The procedure a code page describes."""

    evidence: Evidence
    code: Mention
    common_name: Mention | None = None
    medical_term: Mention | None = None
    summary: Mention | None = None
    routes: tuple[Mention, ...] = ()  # "under the skin or into a muscle" gives both
    purpose: tuple[Mention, ...] = ()
    goals: tuple[Mention, ...] = ()
    indications: tuple[Mention, ...] = ()
    preparation: tuple[Mention, ...] = ()
    steps: tuple[Mention, ...] = ()  # in order
    body_sites: tuple[Mention, ...] = ()
    anesthesia_required: bool | None = None
    anesthesia_evidence: Evidence | None = None
    durations: tuple[DurationFact, ...] = ()
    settings: tuple[Mention, ...] = ()
    personnel: tuple[PersonnelFact, ...] = ()
    risks: tuple[RiskFact, ...] = ()
    benefits: tuple[Mention, ...] = ()
    recovery: tuple[Mention, ...] = ()
    alternatives: tuple[Mention, ...] = ()
    patient_experience: tuple[Mention, ...] = ()


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one document."""

    document: Document
    drugs: tuple[DrugFact, ...] = ()
    indications: tuple[IndicationFact, ...] = ()
    mechanism: tuple[MechanismStep, ...] = ()
    effects: tuple[MechanismEffect, ...] = ()
    regimens: tuple[RegimenFact, ...] = ()
    population_guidance: tuple[PopulationGuidance, ...] = ()
    adverse_reactions: tuple[AdverseReactionFact, ...] = ()
    contraindications: tuple[ContraindicationFact, ...] = ()
    warnings: tuple[WarningFact, ...] = ()
    faqs: tuple[FaqFact, ...] = ()
    statements: tuple[StatementFact, ...] = ()
    billing_codes: tuple[BillingCodeFact, ...] = ()
    procedures: tuple[ProcedureFact, ...] = ()


# Where a fact sits in its `Extraction`: (field, index), or (field, index, part, index)
# for a part of a fact (a procedure's risk, duration or personnel); see
# `medkg.graph.origins`.
FactRef = tuple[str, int] | tuple[str, int, str, int]
