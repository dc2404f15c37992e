"""Facts about a drug -> triples: names, indications, mechanism, regimens, risks, FAQs.

These facts come from monographs; a code page contributes its drug's names.
Each fact becomes an n-ary node under ``id/<kind>/<document>/…`` carrying
``medkg:evidence``; the drug node itself is shared by every document.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef

from medkg.graph.writer import GraphWriter, decimal_literal, document_iri, document_slug, local
from medkg.link import drug_key
from medkg.model import (
    AdverseReactionFact,
    Band,
    ContraindicationFact,
    DrugFact,
    Extraction,
    FaqFact,
    IndicationFact,
    MechanismEffect,
    MechanismStep,
    Mention,
    PopulationGuidance,
    RegimenFact,
    Relation,
    Timing,
    WarningFact,
)
from medkg.namespaces import ID, MEDKG, RDF, RDFS, SCHEMA, XSD
from medkg.text import normalise_term, slug

BAND_IRIS: dict[Band, URIRef] = {
    Band.VERY_COMMON: MEDKG.VeryCommon,
    Band.COMMON: MEDKG.Common,
    Band.UNCOMMON: MEDKG.Uncommon,
    Band.RARE: MEDKG.Rare,
    Band.VERY_RARE: MEDKG.VeryRare,
    Band.NOT_KNOWN: MEDKG.FrequencyNotKnown,
}

RELATION_IRIS: dict[Relation, URIRef] = {
    Relation.INHIBITS: MEDKG.Inhibits,
    Relation.ACTIVATES: MEDKG.Activates,
    Relation.BINDS: MEDKG.Binds,
    Relation.SUPPRESSES: MEDKG.Suppresses,
    Relation.STIMULATES: MEDKG.Stimulates,
    Relation.CONVERTED_TO: MEDKG.ConvertedTo,
    Relation.DEPLETES: MEDKG.Depletes,
}


def drug_iri(name: str) -> URIRef:
    return ID[f"drug/{drug_key(name)}"]


class DrugFacts:
    """Writes the drug-centred facts of one extraction."""

    def __init__(self, writer: GraphWriter, extraction: Extraction):
        self.w = writer
        self.x = extraction
        self.doc = extraction.document.source
        self.g: Graph = writer.graph(self.doc)
        self.base = document_slug(self.doc)

    def write(self) -> None:
        for drug in self.x.drugs:
            self.drug(drug)
        if not self.x.drugs:
            return
        drug_node = drug_iri(self.x.drugs[0].name.text)
        for indication in self.x.indications:
            self.indication(drug_node, indication)
        if self.x.mechanism or self.x.effects:
            self.mechanism(drug_node, self.x.mechanism, self.x.effects)
        for number, regimen in enumerate(self.x.regimens, start=1):
            self.regimen(drug_node, number, regimen)
        for guidance in self.x.population_guidance:
            self.population_guidance(drug_node, guidance)
        for reaction in self.x.adverse_reactions:
            self.adverse_reaction(drug_node, reaction)
        for contraindication in self.x.contraindications:
            self.contraindication(drug_node, contraindication)
        for warning in self.x.warnings:
            self.warning(drug_node, warning)
        for number, faq in enumerate(self.x.faqs, start=1):
            self.faq(drug_node, number, faq)

    # -- drug ----------------------------------------------------------------

    def drug(self, fact: DrugFact) -> URIRef:
        g, w = self.g, self.w
        node = drug_iri(fact.name.text)
        g.add((node, RDF.type, SCHEMA.Drug))
        g.add((node, RDFS.label, Literal(fact.name.text)))
        g.add((node, SCHEMA.name, Literal(fact.name.text)))
        g.add((node, MEDKG.describedBy, document_iri(self.doc)))
        w.cite(g, node, fact.name.evidence)
        if fact.generic_name is not None:
            g.add((node, SCHEMA.nonProprietaryName, Literal(fact.generic_name.text)))
            w.cite(g, node, fact.generic_name.evidence)
        for other in fact.other_names:
            g.add((node, SCHEMA.alternateName, Literal(other.text)))
            w.cite(g, node, other.evidence)
        for component in fact.components:
            part = drug_iri(component.text)
            g.add((part, RDF.type, SCHEMA.Drug))
            g.add((part, RDFS.label, Literal(component.text)))
            g.add((part, SCHEMA.name, Literal(component.text)))
            w.cite(g, part, component.evidence)
            g.add((node, MEDKG.hasComponent, part))
        w.identifiers(node, drug_key(fact.name.text))
        return node

    def is_drug(self, mention: Mention) -> bool:
        names = {normalise_term(d.name.text) for d in self.x.drugs}
        names |= {normalise_term(d.generic_name.text) for d in self.x.drugs if d.generic_name}
        return normalise_term(mention.text) in names or mention.text.lower() == "it"

    def entity(self, mention: Mention) -> URIRef:
        """A mechanism participant: the drug itself, or a concept."""
        if self.is_drug(mention):
            return drug_iri(self.x.drugs[0].name.text)
        return self.w.concept(self.g, mention)

    # -- indication ----------------------------------------------------------

    def indication(self, drug: URIRef, fact: IndicationFact) -> None:
        g, w = self.g, self.w
        node = w.mint(f"indication/{self.base}/{slug(fact.condition.text)}")
        g.add((drug, MEDKG.indication, node))
        g.add((node, RDF.type, MEDKG.Indication))
        g.add((node, MEDKG.condition, w.concept(g, fact.condition)))
        w.cite(g, node, fact.evidence)
        if fact.population is not None:
            g.add((node, MEDKG.population, Literal(fact.population.text)))
        if fact.qualifier is not None:
            g.add((node, MEDKG.qualifier, Literal(fact.qualifier.text)))
        base = local(node)
        w.statements(g, node, MEDKG.criterion, base, "criterion", fact.criteria)
        w.statements(g, node, MEDKG.goal, base, "goal", fact.goals)

    # -- mechanism -----------------------------------------------------------

    def mechanism(
        self, drug: URIRef, steps: tuple[MechanismStep, ...], effects: tuple[MechanismEffect, ...]
    ) -> None:
        g, w = self.g, self.w
        node = w.mint(f"mechanism/{self.base}/{drug_key(self.x.drugs[0].name.text)}")
        g.add((drug, SCHEMA.mechanismOfAction, node))
        g.add((node, RDF.type, MEDKG.MechanismOfAction))
        for step in steps:
            step_node = ID[f"{local(node)}/step-{step.order}"]
            g.add((node, MEDKG.step, step_node))
            g.add((step_node, RDF.type, MEDKG.MechanismStep))
            g.add((step_node, SCHEMA.position, Literal(step.order, datatype=XSD.integer)))
            g.add((step_node, MEDKG.subject, self.entity(step.subject)))
            g.add((step_node, MEDKG.relation, RELATION_IRIS[step.relation]))
            g.add((step_node, MEDKG.object, self.entity(step.object)))
            w.cite(g, step_node, step.evidence)
            w.cite(g, node, step.evidence)
        for number, effect in enumerate(effects, start=1):
            effect_node = ID[f"{local(node)}/effect-{number}"]
            g.add((node, MEDKG.effect, effect_node))
            g.add((effect_node, RDF.type, MEDKG.MechanismEffect))
            g.add((effect_node, SCHEMA.position, Literal(number, datatype=XSD.integer)))
            g.add(
                (
                    effect_node,
                    MEDKG.direction,
                    MEDKG.Increase if effect.direction == "increase" else MEDKG.Decrease,
                )
            )
            g.add((effect_node, MEDKG.affects, w.concept(g, effect.effect)))
            if effect.strength:
                g.add((effect_node, MEDKG.strength, Literal(effect.strength)))
            w.cite(g, effect_node, effect.evidence)
            w.cite(g, node, effect.evidence)

    # -- regimens ------------------------------------------------------------

    def regimen(self, drug: URIRef, number: int, fact: RegimenFact) -> None:
        g, w = self.g, self.w
        node = w.mint(f"regimen/{self.base}/{number}")
        path = local(node)
        g.add((drug, SCHEMA.doseSchedule, node))
        g.add((node, RDF.type, MEDKG.DosingRegimen))
        g.add((node, RDF.type, SCHEMA.DoseSchedule))
        w.cite(g, node, fact.evidence)
        if fact.route is not None:
            g.add((node, SCHEMA.administrationRoute, w.concept(g, fact.route, route=True)))
            w.cite(g, node, fact.route.evidence)
        if fact.population is not None:
            g.add((node, MEDKG.population, Literal(fact.population.text)))
            w.cite(g, node, fact.population.evidence)
        if fact.phase:
            g.add((node, MEDKG.phase, Literal(fact.phase)))
        quantities = (
            (MEDKG.dose, "dose", fact.dose),
            (MEDKG.unitDose, "unit-dose", fact.unit_dose),
            (MEDKG.maxDuration, "max-duration", fact.max_duration),
            (MEDKG.maxDose, "max-dose", fact.max_dose),
            (MEDKG.maxDailyDose, "max-daily-dose", fact.max_daily_dose),
        )
        for prop, name, quantity in quantities:
            if quantity is not None:
                g.add((node, prop, w.quantity(g, ID[f"{path}/{name}"], quantity)))
        if fact.unit_count is not None:
            g.add((node, MEDKG.unitCount, Literal(fact.unit_count, datatype=XSD.integer)))
        if fact.unit_form:
            g.add((node, MEDKG.unitForm, Literal(fact.unit_form)))
        if fact.consecutive:
            g.add((node, MEDKG.consecutive, Literal(True)))
        if fact.timing is not None:
            g.add((node, MEDKG.timing, self.timing(ID[f"{path}/timing"], fact.timing)))
        if fact.duration_limit_reason is not None:
            g.add(
                (
                    node,
                    MEDKG.durationLimitReason,
                    w.statement(
                        g,
                        ID[f"{path}/duration-limit-reason"],
                        "duration-limit-reason",
                        fact.duration_limit_reason,
                    ),
                )
            )
        if fact.after_course is not None:
            g.add(
                (
                    node,
                    MEDKG.afterCourse,
                    w.statement(g, ID[f"{path}/after-course"], "after-course", fact.after_course),
                )
            )
        if fact.administered_by is not None:
            g.add((node, MEDKG.administeredBy, w.concept(g, fact.administered_by)))
            w.cite(g, node, fact.administered_by.evidence)

    def timing(self, node: URIRef, timing: Timing) -> URIRef:
        g = self.g
        g.add((node, RDF.type, MEDKG.Timing))
        g.add((node, MEDKG.frequency, Literal(timing.frequency, datatype=XSD.integer)))
        g.add((node, MEDKG.period, decimal_literal(timing.period)))
        if timing.period_max is not None:
            g.add((node, MEDKG.periodMax, decimal_literal(timing.period_max)))
        g.add((node, MEDKG.periodUnit, Literal(timing.period_unit)))
        if timing.as_needed:
            g.add((node, MEDKG.asNeeded, Literal(True)))
        self.w.cite(g, node, timing.evidence)
        return node

    def population_guidance(self, drug: URIRef, fact: PopulationGuidance) -> None:
        g, w = self.g, self.w
        node = w.mint(f"population-guidance/{self.base}/{slug(fact.population.text)}")
        g.add((drug, MEDKG.populationGuidance, node))
        g.add((node, RDF.type, MEDKG.PopulationGuidance))
        g.add((node, MEDKG.population, Literal(fact.population.text)))
        g.add((node, MEDKG.guidance, Literal(fact.guidance.text)))
        w.cite(g, node, fact.evidence)
        w.cite(g, node, fact.population.evidence)
        w.cite(g, node, fact.guidance.evidence)

    # -- risks ---------------------------------------------------------------

    def adverse_reaction(self, drug: URIRef, fact: AdverseReactionFact) -> None:
        g, w = self.g, self.w
        concept = w.concept(g, fact.reaction)
        node = w.mint(f"adverse-reaction/{self.base}/{local(concept).removeprefix('concept/')}")
        g.add((drug, MEDKG.adverseReaction, node))
        g.add((node, RDF.type, MEDKG.AdverseReaction))
        g.add((node, MEDKG.reaction, concept))
        g.add((node, MEDKG.termAsWritten, Literal(fact.reaction.text)))
        g.add((node, MEDKG.statedIn, document_iri(self.doc)))
        if fact.band is not None:
            g.add((node, MEDKG.frequencyBand, BAND_IRIS[fact.band]))
        if fact.frequency_text:
            g.add((node, MEDKG.frequencyText, Literal(fact.frequency_text)))
        if fact.serious is not None:
            g.add((node, MEDKG.serious, Literal(fact.serious)))
        if fact.population is not None:
            g.add((node, MEDKG.population, Literal(fact.population.text)))
        w.cite(g, node, fact.reaction.evidence)
        w.cite(g, node, fact.evidence)

    def contraindication(self, drug: URIRef, fact: ContraindicationFact) -> None:
        g, w = self.g, self.w
        node = w.mint(f"contraindication/{self.base}/{slug(fact.condition.text)}")
        g.add((drug, MEDKG.contraindication, node))
        g.add((node, RDF.type, MEDKG.Contraindication))
        g.add((node, MEDKG.condition, w.concept(g, fact.condition)))
        g.add((node, SCHEMA.text, Literal(fact.evidence.quote)))
        for example in fact.examples:
            g.add((node, MEDKG.example, w.concept(g, example)))
        w.cite(g, node, fact.evidence)

    def warning(self, drug: URIRef, fact: WarningFact) -> None:
        g, w = self.g, self.w
        key = fact.condition.text if fact.condition is not None else fact.evidence.quote
        node = w.mint(f"warning/{self.base}/{slug(' '.join(key.split()[:8]))}")
        g.add((drug, MEDKG.warning, node))
        g.add((node, RDF.type, MEDKG.Warning))
        g.add((node, MEDKG.warningKind, Literal(fact.kind)))
        if fact.condition is not None:
            g.add((node, MEDKG.condition, w.concept(g, fact.condition)))
            g.add((node, SCHEMA.text, Literal(fact.condition.text)))
            w.cite(g, node, fact.condition.evidence)
        else:
            g.add((node, SCHEMA.text, Literal(fact.evidence.quote)))
        for detail in fact.details:
            g.add((node, MEDKG.detail, Literal(detail.text)))
        w.cite(g, node, fact.evidence)

    def faq(self, drug: URIRef, number: int, fact: FaqFact) -> None:
        g, w = self.g, self.w
        question = ID[f"faq/{self.base}/{number}"]
        answer = ID[f"faq/{self.base}/{number}/answer"]
        g.add((drug, MEDKG.faq, question))
        g.add((question, RDF.type, SCHEMA.Question))
        g.add((question, SCHEMA.position, Literal(number, datatype=XSD.integer)))
        g.add((question, SCHEMA.text, Literal(fact.question.text)))
        g.add((question, SCHEMA.acceptedAnswer, answer))
        g.add((answer, RDF.type, SCHEMA.Answer))
        g.add((answer, SCHEMA.text, Literal(fact.answer.text)))
        w.cite(g, question, fact.question.evidence)
        w.cite(g, answer, fact.answer.evidence)
