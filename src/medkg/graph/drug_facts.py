"""Facts about a drug -> triples: names, indications, mechanism, regimens, risks, FAQs.

These facts come from monographs; a code page contributes its drug's names.
Each fact becomes an n-ary node under ``id/<kind>/<document>/…`` carrying
``medkg:evidence``; the drug node itself is shared by every document.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Literal, URIRef

from medkg.graph.quads import NamedGraph
from medkg.graph.writer import GraphWriter, decimal_literal, local
from medkg.link.linker import drug_key
from medkg.model import (
    AdverseReactionFact,
    Band,
    ContraindicationFact,
    DrugFact,
    Evidence,
    Extraction,
    FaqFact,
    IndicationFact,
    Mention,
    PopulationGuidance,
    Premedication,
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
    Relation.RELAXES: MEDKG.Relaxes,
    Relation.DILATES: MEDKG.Dilates,
    Relation.RELEASES: MEDKG.Releases,
    Relation.CHELATES: MEDKG.Chelates,
    Relation.REACTIVATES: MEDKG.Reactivates,
    Relation.DEPRESSES: MEDKG.Depresses,
    Relation.DISRUPTS: MEDKG.Disrupts,
    Relation.ACTS_ON: MEDKG.ActsOn,
    Relation.REQUIRED_FOR: MEDKG.RequiredFor,
    Relation.RESISTANT_TO: MEDKG.ResistantTo,
    Relation.INCORPORATED_INTO: MEDKG.IncorporatedInto,
    Relation.INVOLVED_IN: MEDKG.InvolvedIn,
    Relation.CAUSES: MEDKG.Causes,
}


def drug_iri(name: str) -> URIRef:
    return ID[f"drug/{drug_key(name)}"]


@dataclass(frozen=True)
class Owner:
    """The drug node a fact lands on and the IRI segment its fact nodes are minted under:
    the product (``<document>``) or a component (``<document>/<component>``)."""

    node: URIRef
    base: str
    name: str


class DrugFacts:
    """Writes the drug-centred facts of one extraction.

    Facts read inside a component's scope (`DrugFact.component_scopes`) land on
    that component's drug node; all others on the document's drug (the product).
    """

    def __init__(self, writer: GraphWriter, extraction: Extraction):
        self.w = writer
        self.x = extraction
        self.doc = extraction.document.source
        self.g: NamedGraph = writer.graph(self.doc)
        self.base = writer.segment(self.doc)

    def owner(self, ev: Evidence) -> Owner:
        """Who a fact read at `ev` is about."""
        product = self.x.drugs[0]
        component = product.component_at(ev.start)
        if component is None:
            return Owner(drug_iri(product.name.text), self.base, product.name.text)
        return Owner(
            drug_iri(component.text), f"{self.base}/{drug_key(component.text)}", component.text
        )

    def write(self) -> None:
        for drug in self.x.drugs:
            self.drug(drug)
        if not self.x.drugs:
            return
        origin = self.w.written_from
        for i, indication in enumerate(self.x.indications):
            node = self.indication(self.owner(indication.evidence), indication)
            origin(node, self.doc, ("indications", i))
        self.mechanisms()
        regimen_numbers: dict[URIRef, int] = {}
        for i, regimen in enumerate(self.x.regimens):
            owner = self.owner(regimen.evidence)
            regimen_numbers[owner.node] = regimen_numbers.get(owner.node, 0) + 1
            node = self.regimen(owner, regimen_numbers[owner.node], regimen)
            origin(node, self.doc, ("regimens", i))
            for premedication in self.g.objects(node, MEDKG.premedication):
                assert isinstance(premedication, URIRef)  # minted by `premedication`
                origin(premedication, self.doc, ("regimens", i))  # shared by its regimens
        for i, guidance in enumerate(self.x.population_guidance):
            node = self.population_guidance(self.owner(guidance.evidence), guidance)
            origin(node, self.doc, ("population_guidance", i))
        for i, reaction in enumerate(self.x.adverse_reactions):
            node = self.adverse_reaction(self.owner(reaction.evidence), reaction)
            origin(node, self.doc, ("adverse_reactions", i))
        for i, contraindication in enumerate(self.x.contraindications):
            node = self.contraindication(self.owner(contraindication.evidence), contraindication)
            origin(node, self.doc, ("contraindications", i))
        for i, warning in enumerate(self.x.warnings):
            node = self.warning(self.owner(warning.evidence), warning)
            origin(node, self.doc, ("warnings", i))
        faq_numbers: dict[URIRef, int] = {}
        for i, faq in enumerate(self.x.faqs):
            owner = self.owner(faq.evidence)
            faq_numbers[owner.node] = faq_numbers.get(owner.node, 0) + 1
            node = self.faq(owner, faq_numbers[owner.node], faq)
            origin(node, self.doc, ("faqs", i))

    def mechanisms(self) -> None:
        """One mechanism node per drug the document explains (product or component)."""
        owners: dict[URIRef, Owner] = {}
        steps: dict[URIRef, list[int]] = {}
        effects: dict[URIRef, list[int]] = {}
        for i, step in enumerate(self.x.mechanism):
            owner = self.owner(step.evidence)
            owners.setdefault(owner.node, owner)
            steps.setdefault(owner.node, []).append(i)
        for i, effect in enumerate(self.x.effects):
            owner = self.owner(effect.evidence)
            owners.setdefault(owner.node, owner)
            effects.setdefault(owner.node, []).append(i)
        for node, owner in owners.items():
            self.mechanism(owner, tuple(steps.get(node, ())), tuple(effects.get(node, ())))

    # -- drug ----------------------------------------------------------------

    def drug(self, fact: DrugFact) -> URIRef:
        g, w = self.g, self.w
        node = drug_iri(fact.name.text)
        g.add((node, RDF.type, SCHEMA.Drug))
        self.name_drug(node, fact.name)
        g.add((node, MEDKG.describedBy, self.w.document_iri(self.doc)))
        if fact.generic_name is not None:
            g.add((node, SCHEMA.nonProprietaryName, Literal(fact.generic_name.text)))
            w.cite(g, node, fact.generic_name.evidence)
        for other in fact.other_names:
            g.add((node, SCHEMA.alternateName, Literal(other.text)))
            w.cite(g, node, other.evidence)
        for component in fact.components:
            part = drug_iri(component.text)
            g.add((part, RDF.type, SCHEMA.Drug))
            self.name_drug(part, component)
            g.add((node, MEDKG.hasComponent, part))
            w.drug_identifiers(part, component.text)
        w.drug_identifiers(node, fact.name.text)
        return node

    def name_drug(self, node: URIRef, name: Mention) -> None:
        """Label a drug node with `name` when it is the corpus's preferred spelling of the
        drug (see `GraphWriter.drug_labels`); another spelling becomes an alternate name,
        a difference in case alone nothing. Each document states only its own words."""
        g = self.g
        preferred = self.w.drug_labels.get(drug_key(name.text), name.text)
        if name.text == preferred:
            g.add((node, RDFS.label, Literal(name.text)))
            g.add((node, SCHEMA.name, Literal(name.text)))
        elif name.text.lower() != preferred.lower():
            g.add((node, SCHEMA.alternateName, Literal(name.text)))
        self.w.cite(g, node, name.evidence)

    def drug_names(self) -> dict[str, str]:
        """Normalised name -> drug name, for the product (and its generic name) and
        its components."""
        names: dict[str, str] = {}
        for drug in self.x.drugs:
            names[normalise_term(drug.name.text)] = drug.name.text
            if drug.generic_name is not None:
                names[normalise_term(drug.generic_name.text)] = drug.name.text
            for component in drug.components:
                names.setdefault(normalise_term(component.text), component.text)
        return names

    def entity(self, mention: Mention, owner: Owner) -> URIRef:
        """A mechanism participant: the drug the mechanism explains ("it"), a drug of
        the document named by name, or a concept."""
        if mention.text.lower() == "it":
            return owner.node
        name = self.drug_names().get(normalise_term(mention.text))
        if name is not None:
            return drug_iri(name)
        return self.w.concept(self.g, mention)

    # -- indication ----------------------------------------------------------

    def indication(self, owner: Owner, fact: IndicationFact) -> URIRef:
        g, w = self.g, self.w
        node = w.mint(f"indication/{owner.base}/{slug(fact.condition.text)}")
        g.add((owner.node, MEDKG.indication, node))
        g.add((node, RDF.type, MEDKG.Indication))
        g.add((node, MEDKG.condition, w.concept(g, fact.condition)))
        g.add((node, MEDKG.termAsWritten, Literal(fact.condition.text)))
        w.cite(g, node, fact.evidence)
        if fact.population is not None:
            g.add((node, MEDKG.population, Literal(fact.population.text)))
        if fact.qualifier is not None:
            g.add((node, MEDKG.qualifier, Literal(fact.qualifier.text)))
        base = local(node)
        w.statements(g, node, MEDKG.criterion, base, "criterion", fact.criteria)
        w.statements(g, node, MEDKG.goal, base, "goal", fact.goals)
        return node

    # -- mechanism -----------------------------------------------------------

    def mechanism(self, owner: Owner, steps: tuple[int, ...], effects: tuple[int, ...]) -> None:
        """The mechanism of `owner`: its `steps` and `effects` (indexes into the extraction's)."""
        g, w = self.g, self.w
        node = w.mint(f"mechanism/{self.base}/{drug_key(owner.name)}")
        g.add((owner.node, SCHEMA.mechanismOfAction, node))
        g.add((node, RDF.type, MEDKG.MechanismOfAction))
        w.written_from(
            node,
            self.doc,
            *(("mechanism", i) for i in steps),
            *(("effects", i) for i in effects),
        )
        # steps are numbered in the order the document states them: each sentence's chain
        # starts again at 1 (`MechanismStep.order`), and two chains of one drug must not
        # share a step node
        for position, i in enumerate(steps, start=1):
            step = self.x.mechanism[i]
            step_node = ID[f"{local(node)}/step-{position}"]
            w.written_from(step_node, self.doc, ("mechanism", i))
            g.add((node, MEDKG.step, step_node))
            g.add((step_node, RDF.type, MEDKG.MechanismStep))
            g.add((step_node, SCHEMA.position, Literal(position, datatype=XSD.integer)))
            g.add((step_node, MEDKG.subject, self.entity(step.subject, owner)))
            g.add((step_node, MEDKG.relation, RELATION_IRIS[step.relation]))
            g.add((step_node, MEDKG.object, self.entity(step.object, owner)))
            w.cite(g, step_node, step.evidence)
            w.cite(g, node, step.evidence)
        for number, i in enumerate(effects, start=1):
            effect = self.x.effects[i]
            effect_node = ID[f"{local(node)}/effect-{number}"]
            w.written_from(effect_node, self.doc, ("effects", i))
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

    def regimen(self, owner: Owner, number: int, fact: RegimenFact) -> URIRef:
        g, w = self.g, self.w
        node = w.mint(f"regimen/{owner.base}/{number}")
        path = local(node)
        g.add((owner.node, SCHEMA.doseSchedule, node))
        g.add((node, RDF.type, MEDKG.DosingRegimen))
        g.add((node, RDF.type, SCHEMA.DoseSchedule))
        w.cite(g, node, fact.evidence)
        for route in fact.routes:
            w.route(g, node, SCHEMA.administrationRoute, route)
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
        for form in fact.forms:
            g.add((owner.node, SCHEMA.dosageForm, Literal(normalise_term(form.text))))
            w.cite(g, owner.node, form.evidence)
        for position, strength in enumerate(fact.strengths, start=1):
            value = w.quantity(g, ID[f"{path}/unit-strength-{position}"], strength.quantity)
            g.add((value, MEDKG.substance, w.concept(g, strength.substance)))
            w.cite(g, value, strength.evidence)
            g.add((node, MEDKG.unitStrength, value))
        for premedication in fact.premedications:
            g.add((node, MEDKG.premedication, self.premedication(owner, premedication)))
        return node

    def premedication(self, owner: Owner, fact: Premedication) -> URIRef:
        """A premedication is a dosing regimen of another substance, given before each
        administration of the regimens that link to it (one node per substance)."""
        g, w = self.g, self.w
        substance = w.concept(g, fact.substance)
        node = ID[f"regimen/{owner.base}/premedication/{local(substance).removeprefix('concept/')}"]
        g.add((node, RDF.type, MEDKG.DosingRegimen))
        g.add((node, RDF.type, SCHEMA.DoseSchedule))
        g.add((node, MEDKG.substance, substance))
        w.cite(g, node, fact.evidence)
        w.cite(g, node, fact.substance.evidence)
        if fact.dose is not None:
            g.add((node, MEDKG.dose, w.quantity(g, ID[f"{local(node)}/dose"], fact.dose)))
        for route in fact.routes:
            w.route(g, node, SCHEMA.administrationRoute, route)
        if fact.optional:
            g.add((node, MEDKG.optional, Literal(True)))
        return node

    def timing(self, node: URIRef, timing: Timing) -> URIRef:
        g = self.g
        g.add((node, RDF.type, MEDKG.Timing))
        g.add((node, MEDKG.frequency, Literal(timing.frequency, datatype=XSD.integer)))
        if timing.frequency_max is not None:
            g.add((node, MEDKG.frequencyMax, Literal(timing.frequency_max, datatype=XSD.integer)))
        g.add((node, MEDKG.period, decimal_literal(timing.period)))
        if timing.period_max is not None:
            g.add((node, MEDKG.periodMax, decimal_literal(timing.period_max)))
        g.add((node, MEDKG.periodUnit, Literal(timing.period_unit)))
        if timing.as_needed:
            g.add((node, MEDKG.asNeeded, Literal(True)))
        self.w.cite(g, node, timing.evidence)
        return node

    def population_guidance(self, owner: Owner, fact: PopulationGuidance) -> URIRef:
        g, w = self.g, self.w
        node = w.mint(f"population-guidance/{owner.base}/{slug(fact.population.text)}")
        g.add((owner.node, MEDKG.populationGuidance, node))
        g.add((node, RDF.type, MEDKG.PopulationGuidance))
        g.add((node, MEDKG.population, Literal(fact.population.text)))
        g.add((node, MEDKG.guidance, Literal(fact.guidance.text)))
        w.cite(g, node, fact.evidence)
        w.cite(g, node, fact.population.evidence)
        w.cite(g, node, fact.guidance.evidence)
        return node

    # -- risks ---------------------------------------------------------------

    def adverse_reaction(self, owner: Owner, fact: AdverseReactionFact) -> URIRef:
        g, w = self.g, self.w
        concept = w.concept(g, fact.reaction)
        node = w.mint(f"adverse-reaction/{owner.base}/{local(concept).removeprefix('concept/')}")
        g.add((owner.node, MEDKG.adverseReaction, node))
        g.add((node, RDF.type, MEDKG.AdverseReaction))
        g.add((node, MEDKG.reaction, concept))
        g.add((node, MEDKG.termAsWritten, Literal(fact.reaction.text)))
        g.add((node, MEDKG.statedIn, self.w.document_iri(self.doc)))
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
        return node

    def contraindication(self, owner: Owner, fact: ContraindicationFact) -> URIRef:
        g, w = self.g, self.w
        node = w.mint(f"contraindication/{owner.base}/{slug(fact.condition.text)}")
        g.add((owner.node, MEDKG.contraindication, node))
        g.add((node, RDF.type, MEDKG.Contraindication))
        g.add((node, MEDKG.condition, w.concept(g, fact.condition)))
        g.add((node, MEDKG.termAsWritten, Literal(fact.condition.text)))
        g.add((node, SCHEMA.text, Literal(fact.evidence.quote)))
        for example in fact.examples:
            g.add((node, MEDKG.example, w.concept(g, example)))
        w.cite(g, node, fact.evidence)
        return node

    def warning(self, owner: Owner, fact: WarningFact) -> URIRef:
        g, w = self.g, self.w
        key = fact.condition.text if fact.condition is not None else fact.evidence.quote
        node = w.mint(f"warning/{owner.base}/{slug(' '.join(key.split()[:8]))}")
        g.add((owner.node, MEDKG.warning, node))
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
        for other in fact.interacting:
            g.add((node, MEDKG.interactsWith, w.concept(g, other)))
            w.cite(g, node, other.evidence)
        w.cite(g, node, fact.evidence)
        return node

    def faq(self, owner: Owner, number: int, fact: FaqFact) -> URIRef:
        g, w = self.g, self.w
        question = ID[f"faq/{owner.base}/{number}"]
        answer = ID[f"faq/{owner.base}/{number}/answer"]
        g.add((owner.node, MEDKG.faq, question))
        g.add((question, RDF.type, SCHEMA.Question))
        g.add((question, SCHEMA.position, Literal(number, datatype=XSD.integer)))
        g.add((question, SCHEMA.text, Literal(fact.question.text)))
        g.add((question, SCHEMA.acceptedAnswer, answer))
        g.add((answer, RDF.type, SCHEMA.Answer))
        g.add((answer, SCHEMA.text, Literal(fact.answer.text)))
        w.cite(g, question, fact.question.evidence)
        w.cite(g, answer, fact.answer.evidence)
        return question
