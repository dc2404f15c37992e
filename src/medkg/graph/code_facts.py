"""Billing codes, what each page says about them, and procedures -> triples.

A billing code is one node per code (``id/code/<system>/<code>``), typed
`medkg:BillingCode`, `schema:MedicalCode` and `skos:Concept`, in the SKOS
scheme of its code system, carrying only the code's identity (notation, code
system, scheme; its notation is also its preferred label). A CPT code is never
typed or schemed as HCPCS.

What one page says about a code (descriptor, billing unit, the drugs it bills:
several when the descriptor names several, ``medkg:bills`` each)
is a `medkg:BillingCodeDescription` of that page
(``id/code/<system>/<code>/<page>``): several pages about one code (different
years or sources) keep their own descriptors, units and drugs, each paired as
its page pairs them. The procedure the page describes
(``id/procedure/<system>/<code>/<page>``) hangs off the code and points at the
description of the same page (``medkg:codeDescription``).
"""

from __future__ import annotations

from rdflib import Literal, URIRef

from medkg.graph.drug_facts import BAND_IRIS, drug_iri
from medkg.graph.quads import NamedGraph
from medkg.graph.writer import GraphWriter, local
from medkg.model import BillingCodeFact, Extraction, ProcedureFact
from medkg.namespaces import CPT_SCHEME, HCPCS_SCHEME, ID, MEDKG, RDF, RDFS, SCHEMA, SKOS, XSD
from medkg.parse.code_reference import code_system

CODE_SYSTEMS: dict[str, tuple[str, str]] = {
    "HCPCS": ("HCPCS Level II", HCPCS_SCHEME),
    "CPT": ("CPT", CPT_SCHEME),
}


def code_iri(system: str, code: str) -> URIRef:
    return ID[f"code/{system.lower()}/{code}"]


def description_iri(system: str, code: str, segment: str) -> URIRef:
    """What the document of IRI segment `segment` says about a code:
    ``id/code/<system>/<code>/<page>``."""
    return ID[f"code/{system.lower()}/{code}/{segment}"]


class CodeFacts:
    """Writes the billing code and procedure of one code page."""

    def __init__(self, writer: GraphWriter, extraction: Extraction):
        self.w = writer
        self.x = extraction
        self.g: NamedGraph = writer.graph(extraction.document.source)

    def write(self) -> None:
        for index, code in enumerate(self.x.billing_codes):
            self.billing_code(index, code)
        for index, procedure in enumerate(self.x.procedures):
            self.procedure(index, procedure)

    def billing_code(self, index: int, fact: BillingCodeFact) -> URIRef:
        """The code node (identity only) and this page's description of it."""
        g = self.g
        node = code_iri(fact.system, fact.code.text)
        system_name, scheme = CODE_SYSTEMS[fact.system]
        g.add((node, RDF.type, MEDKG.BillingCode))
        g.add((node, RDF.type, SCHEMA.MedicalCode))
        g.add((node, RDF.type, SKOS.Concept))
        g.add((node, SKOS.notation, Literal(fact.code.text)))
        g.add((node, SKOS.prefLabel, Literal(fact.code.text)))
        g.add((node, SCHEMA.codeValue, Literal(fact.code.text)))
        g.add((node, SCHEMA.codingSystem, Literal(system_name)))
        g.add((node, SKOS.inScheme, URIRef(scheme)))
        self.w.cite(g, node, fact.code.evidence)
        description = self.description(fact, node)
        self.w.written_from(description, self.x.document.source, ("billing_codes", index))
        return node

    def description(self, fact: BillingCodeFact, code: URIRef) -> URIRef:
        """What this page says about `code`: descriptor, billing unit, billed drugs."""
        g, w = self.g, self.w
        source = self.x.document.source
        node = description_iri(fact.system, fact.code.text, w.segment(source))
        g.add((node, RDF.type, MEDKG.BillingCodeDescription))
        g.add((code, MEDKG.description, node))
        g.add((node, MEDKG.describesCode, code))
        g.add((node, MEDKG.statedIn, w.document_iri(source)))
        g.add((node, MEDKG.descriptor, Literal(fact.descriptor.text)))
        g.add((node, RDFS.label, Literal(fact.descriptor.text)))
        w.cite(g, node, fact.code.evidence)
        w.cite(g, node, fact.descriptor.evidence)
        if fact.billing_unit is not None:
            unit = w.quantity(g, ID[f"{local(node)}/billing-unit"], fact.billing_unit)
            g.add((node, MEDKG.billingUnit, unit))
        if fact.unit_is_each:
            g.add((node, MEDKG.billedPerItem, Literal(True)))
        for drug in fact.drug_names:
            g.add((node, MEDKG.bills, drug_iri(drug.text)))
            w.cite(g, node, drug.evidence)
        return node

    def procedure(self, index: int, fact: ProcedureFact) -> URIRef:
        """The procedure of `fact` (the extraction's `index`-th), with its durations,
        personnel and risks, each recorded as the part of the fact it states."""
        g, w = self.g, self.w
        system = code_system(fact.code.text)
        code = code_iri(system, fact.code.text)
        source = self.x.document.source
        node = ID[f"procedure/{system.lower()}/{fact.code.text}/{w.segment(source)}"]
        base = local(node)
        w.written_from(node, source, ("procedures", index))
        g.add((node, RDF.type, SCHEMA.MedicalProcedure))
        g.add((node, SCHEMA.code, code))
        g.add((code, MEDKG.procedure, node))
        # the page's own description of the code: its unit and drug go with this procedure
        g.add(
            (
                node,
                MEDKG.codeDescription,
                description_iri(system, fact.code.text, w.segment(source)),
            )
        )
        w.cite(g, node, fact.evidence)
        if fact.common_name is not None:
            g.add((node, SCHEMA.name, Literal(fact.common_name.text)))
            w.cite(g, node, fact.common_name.evidence)
        if fact.medical_term is not None:
            g.add((node, MEDKG.medicalTerm, Literal(fact.medical_term.text)))
            w.cite(g, node, fact.medical_term.evidence)
        if fact.summary is not None:
            g.add((node, SCHEMA.description, Literal(fact.summary.text)))
            w.cite(g, node, fact.summary.evidence)
        for route in fact.routes:
            w.route(g, node, MEDKG.route, route)
        for prop, kind, mentions in (
            (MEDKG.purpose, "purpose", fact.purpose),
            (MEDKG.goal, "goal", fact.goals),
            (MEDKG.indicationText, "indication", fact.indications),
            (SCHEMA.preparation, "preparation", fact.preparation),
            (MEDKG.procedureStep, "step", fact.steps),
            (MEDKG.benefit, "benefit", fact.benefits),
            (MEDKG.recovery, "recovery", fact.recovery),
            (MEDKG.alternative, "alternative", fact.alternatives),
            (MEDKG.patientExperience, "patient-experience", fact.patient_experience),
        ):
            w.statements(g, node, prop, base, kind, mentions)
        for site in fact.body_sites:
            g.add((node, MEDKG.bodySite, w.concept(g, site)))
            w.cite(g, node, site.evidence)
        if fact.anesthesia_required is not None:
            g.add((node, MEDKG.anesthesiaRequired, Literal(fact.anesthesia_required)))
            if fact.anesthesia_evidence is not None:
                w.cite(g, node, fact.anesthesia_evidence)
        for number, duration in enumerate(fact.durations, start=1):
            d = ID[f"{base}/duration-{number}"]
            w.written_from(d, source, ("procedures", index, "durations", number - 1))
            g.add((node, MEDKG.duration, d))
            g.add((d, RDF.type, MEDKG.Duration))
            g.add((d, MEDKG.durationOf, Literal(duration.of)))
            if duration.quantity is not None:
                g.add(
                    (
                        d,
                        MEDKG.quantity,
                        w.quantity(g, ID[f"{base}/duration-{number}/quantity"], duration.quantity),
                    )
                )
            if duration.text:
                g.add((d, SCHEMA.text, Literal(duration.text)))
            w.cite(g, d, duration.evidence)
        for setting in fact.settings:
            g.add((node, MEDKG.setting, w.concept(g, setting)))
            w.cite(g, node, setting.evidence)
        for number, person in enumerate(fact.personnel, start=1):
            p = ID[f"{base}/personnel-{number}"]
            w.written_from(p, source, ("procedures", index, "personnel", number - 1))
            g.add((node, MEDKG.personnel, p))
            g.add((p, RDF.type, MEDKG.PersonnelRole))
            g.add((p, SCHEMA.position, Literal(number, datatype=XSD.integer)))
            g.add((p, MEDKG.who, w.concept(g, person.who)))
            g.add((p, MEDKG.role, Literal(person.role)))
            if person.optional:
                g.add((p, MEDKG.optional, Literal(True)))
            w.cite(g, p, person.evidence)
        for number, risk in enumerate(fact.risks, start=1):
            r = ID[f"{base}/risk-{number}"]
            w.written_from(r, source, ("procedures", index, "risks", number - 1))
            g.add((node, MEDKG.risk, r))
            g.add((r, RDF.type, MEDKG.ProcedureRisk))
            g.add((r, MEDKG.reaction, w.concept(g, risk.risk)))
            g.add((r, MEDKG.termAsWritten, Literal(risk.risk.text)))
            g.add((r, MEDKG.statedIn, w.document_iri(self.x.document.source)))
            if risk.band is not None:
                g.add((r, MEDKG.frequencyBand, BAND_IRIS[risk.band]))
            if risk.frequency_text:
                g.add((r, MEDKG.frequencyText, Literal(risk.frequency_text)))
            for gloss in risk.risk.glosses:
                example = w.part_of(risk.risk, gloss)
                if example is not None:
                    g.add((r, MEDKG.example, w.concept(g, example)))
            w.cite(g, r, risk.risk.evidence)
            w.cite(g, r, risk.evidence)
        return node
