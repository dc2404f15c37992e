"""Monograph -> `Extraction`: the drug, then every section by its sub-extractor.

* **Stub.** A document `parse.monograph.is_stub` rejects (a refusal, a
  request for input) gives an Extraction with no facts; the pipeline reports
  it as skipped.
* **Drug.** The title (its level-1 heading, else the front matter ``title``)
  names the drug; the first "Generic Name" section outside a component gives
  its generic name.
* **Components.** A heading that is not a known section and has no text of
  its own names a component of a combination product when the sections under
  it include a "Generic Name" or its text is part of the title. The
  component's name is its "Generic Name" (else the heading). The sections
  under it, up to the next heading that is not a known section or the
  document's closing sections (FAQs, Disclaimer: they speak of the product
  as a whole), are about that component: their sub-extractors get the
  component's name as the drug, and the DrugFact records the span of text
  (heading to last section) as a `ComponentScope`, so that later stages put
  the facts read there on the component's drug node.
* **Sections.** Usage -> indications; Dosage -> regimens, population
  guidance and the off-label uses its labels name; Side Effects -> adverse
  reactions; How it Works -> mechanism steps and effects; Precautions ->
  contraindications and warnings; FAQs -> question/answer pairs; Disclaimer
  and Note -> statements of that kind; the text of any other section ->
  unstructured statements (never dropped). In every section but Side
  Effects, a sentence calling something a side effect ("Drowsiness is a
  common side effect.") gives adverse reactions too
  (`medkg.extract.reaction.mentions`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from medkg.extract.faq import extract_faqs
from medkg.extract.faq_cautions import faq_cautions
from medkg.extract.indication import extract_indications
from medkg.extract.indication.dosage import dosage_indications
from medkg.extract.mechanism import extract_mechanism
from medkg.extract.precaution import extract_precautions
from medkg.extract.precaution.dosage import dosage_cautions
from medkg.extract.precaution.long_use import long_use_risks
from medkg.extract.reaction import extract_adverse_reactions
from medkg.extract.reaction.mentions import stated_side_effects
from medkg.extract.regimen import extract_regimens
from medkg.model import (
    AdverseReactionFact,
    ComponentScope,
    ContraindicationFact,
    Document,
    DrugFact,
    Extraction,
    FaqFact,
    IndicationFact,
    MechanismEffect,
    MechanismStep,
    Mention,
    PopulationGuidance,
    RegimenFact,
    Section,
    StatementFact,
    WarningFact,
)
from medkg.parse.monograph import KNOWN_SECTIONS, heading_span, is_stub, written_title
from medkg.text import evidence, mention

TITLE_SECTION = "Title"  # the Evidence.section of the drug's name
StatementKind = Literal["disclaimer", "note", "unstructured"]


@dataclass(frozen=True)
class _Part:
    """A section and the drug it is about (the product or one of its components)."""

    section: Section
    drug: str
    component: Mention | None  # None: about the whole product


@dataclass
class _Facts:
    indications: list[IndicationFact] = field(default_factory=list)
    mechanism: list[MechanismStep] = field(default_factory=list)
    effects: list[MechanismEffect] = field(default_factory=list)
    regimens: list[RegimenFact] = field(default_factory=list)
    population_guidance: list[PopulationGuidance] = field(default_factory=list)
    adverse_reactions: list[AdverseReactionFact] = field(default_factory=list)
    contraindications: list[ContraindicationFact] = field(default_factory=list)
    warnings: list[WarningFact] = field(default_factory=list)
    faqs: list[FaqFact] = field(default_factory=list)
    statements: list[StatementFact] = field(default_factory=list)


def _first_block_mention(document: Document, section: Section) -> Mention | None:
    if not section.blocks:
        return None
    block = section.blocks[0]
    return mention(document, section.name, block.start, block.end)


# Closing sections of a monograph: about the whole product, never one component.
PRODUCT_SECTIONS = frozenset({"FAQs", "Disclaimer"})


def _scope(document: Document, index: int) -> list[Section]:
    """The known sections following section `index`, up to the next other heading
    or a closing section."""
    scope: list[Section] = []
    for section in document.sections[index + 1 :]:
        if section.name not in KNOWN_SECTIONS or section.name in PRODUCT_SECTIONS:
            break
        scope.append(section)
    return scope


def _component(document: Document, index: int) -> Mention | None:
    """The component named by section `index`, if it is a component heading."""
    section = document.sections[index]
    if section.name in KNOWN_SECTIONS or section.blocks:
        return None
    scope = _scope(document, index)
    generic = next((s for s in scope if s.name == "Generic Name" and s.blocks), None)
    in_title = section.name.casefold() in document.title.casefold().split()
    if not scope or (generic is None and not in_title):
        return None
    if generic is not None:
        return _first_block_mention(document, generic)
    span = heading_span(document, section)
    return mention(document, section.name, *span) if span else None


def _parts(document: Document, product: str) -> list[_Part]:
    """Every section with the drug it is about."""
    parts: list[_Part] = []
    component: Mention | None = None
    for index, section in enumerate(document.sections):
        if section.name not in KNOWN_SECTIONS:
            component = _component(document, index)
        elif section.name in PRODUCT_SECTIONS:
            component = None
        drug = component.text if component is not None else product
        parts.append(_Part(section, drug, component))
    return parts


def _drug(document: Document, parts: list[_Part]) -> DrugFact | None:
    written = written_title(document)
    if written is None:
        return None
    span, decoded = written
    name = mention(document, TITLE_SECTION, *span)
    if decoded is not None and decoded != name.text:  # a YAML title with escapes
        name = Mention(text=decoded, evidence=name.evidence)
    generic = next(
        (
            _first_block_mention(document, part.section)
            for part in parts
            if part.section.name == "Generic Name" and part.component is None
        ),
        None,
    )
    components = tuple(dict.fromkeys(part.component for part in parts if part.component))
    return DrugFact(
        name=name,
        evidence=name.evidence,
        generic_name=generic,
        components=components,
        component_scopes=_component_scopes(document, parts),
    )


def _component_scopes(document: Document, parts: list[_Part]) -> tuple[ComponentScope, ...]:
    """For each run of sections about one component: from the start of the
    component's heading to the end of its last section."""
    scopes: list[ComponentScope] = []
    for part in parts:
        component = part.component
        if component is None:
            continue
        section = part.section
        heading = heading_span(document, section)
        start = min(section.start, heading[0]) if heading else section.start
        last = scopes[-1] if scopes else None
        if last is not None and last.component is component:
            scopes[-1] = ComponentScope(component, last.start, max(last.end, section.end))
        else:
            scopes.append(ComponentScope(component, start, max(start, section.end)))
    return tuple(scopes)


def _statements(
    document: Document, section: Section, kind: StatementKind, skip_first: bool = False
) -> tuple[StatementFact, ...]:
    """One statement of `kind` per block of `section`."""
    blocks = section.blocks[1:] if skip_first else section.blocks
    return tuple(
        StatementFact(kind=kind, evidence=evidence(document, section.name, block.start, block.end))
        for block in blocks
    )


def _read(document: Document, part: _Part, facts: _Facts) -> None:
    """Run the sub-extractor for one section and collect its facts."""
    section, drug = part.section, part.drug
    name = section.name
    if name == "Usage":
        indications, statements = extract_indications(document, section, drug)
        facts.indications.extend(indications)
    elif name == "Dosage":
        regimens, guidance, statements = extract_regimens(document, section, drug)
        facts.regimens.extend(regimens)
        facts.population_guidance.extend(guidance)
        facts.indications.extend(dosage_indications(document, section, tuple(facts.indications)))
        facts.warnings.extend(dosage_cautions(document, section, drug))
    elif name == "Side Effects":
        reactions, statements = extract_adverse_reactions(document, section)
        facts.adverse_reactions.extend(reactions)
    elif name == "How it Works":
        steps, effects, statements = extract_mechanism(document, section, drug)
        facts.mechanism.extend(steps)
        facts.effects.extend(effects)
    elif name == "Precautions":
        contraindications, warnings, statements = extract_precautions(document, section, drug)
        facts.contraindications.extend(contraindications)
        facts.warnings.extend(warnings)
    elif name == "FAQs":
        faqs, statements = extract_faqs(document, section)
        facts.faqs.extend(faqs)
        facts.warnings.extend(faq_cautions(document, faqs))
        facts.warnings.extend(long_use_risks(document, faqs, drug))
    elif name == "Disclaimer":
        statements = _statements(document, section, "disclaimer")
    elif name == "Note":
        statements = _statements(document, section, "note")
    elif name == "Generic Name":
        # the first block is the drug's (or the component's) generic name
        statements = _statements(document, section, "unstructured", skip_first=True)
    else:
        statements = _statements(document, section, "unstructured")
    if name != "Side Effects":
        facts.adverse_reactions.extend(stated_side_effects(document, section))
    facts.statements.extend(statements)


def extract(document: Document) -> Extraction:
    """Every fact of a parsed monograph (none for a stub)."""
    if is_stub(document) is not None:
        return Extraction(document=document)
    parts = _parts(document, document.title)
    drug = _drug(document, parts)
    facts = _Facts()
    for part in parts:
        _read(document, part, facts)
    return Extraction(
        document=document,
        drugs=(drug,) if drug is not None else (),
        indications=tuple(facts.indications),
        mechanism=tuple(facts.mechanism),
        effects=tuple(facts.effects),
        regimens=tuple(facts.regimens),
        population_guidance=tuple(facts.population_guidance),
        adverse_reactions=tuple(facts.adverse_reactions),
        contraindications=tuple(facts.contraindications),
        warnings=tuple(facts.warnings),
        faqs=tuple(facts.faqs),
        statements=tuple(facts.statements),
    )
