"""Medication and MedicationKnowledge: two resources per schema:Drug.

The Medication resource exists so that ClinicalUseDefinition.subject,
ChargeItemDefinition.instance and ActivityDefinition.productReference can
point at the drug: R5 allows none of them to reference MedicationKnowledge.
MedicationKnowledge links to it with ``associatedMedication``.

MedicationKnowledge carries the drug's code (name as text; codings only for
confirmed identifiers), names, ``clinicalUseIssue`` (its contraindications,
undesirable effects and warnings) and ``indicationGuideline``. The graph does
not tie a regimen to an indication, so each indicationGuideline holds what one
source document states: its indications (references to their
ClinicalUseDefinitions) and one dosingGuideline per regimen and route (a real
Dosage, see ``dosage.py``: "IV or IM" is two alternative guidelines) or
population guidance (patientCharacteristic and the guidance as Dosage.text).
"""

from __future__ import annotations

from collections import defaultdict

from rdflib import URIRef

from medkg.export.fhir.dosage import dosages
from medkg.export.fhir.rdf import documents, iris, label, text, texts
from medkg.export.fhir.resource import JSON, Resource, iri_identifier, resource_id
from medkg.export.fhir.terminology import concept, text_concept
from medkg.graph.reader import GraphReader
from medkg.namespaces import MEDKG, SCHEMA

DEFAULT_DOSAGE_TYPE = "dosing regimen"
GUIDANCE_DOSAGE_TYPE = "population guidance"


def drug_name(graph: GraphReader, drug: URIRef) -> str:
    return text(graph, drug, SCHEMA.name) or label(graph, drug)


def medication(graph: GraphReader, drug: URIRef) -> Resource:
    body: JSON = {
        "identifier": [iri_identifier(drug)],
        "code": concept(graph, drug, drug_name(graph, drug)),
        "status": "active",
    }
    return Resource("Medication", resource_id(drug), body, drug)


def medication_knowledge(
    graph: GraphReader,
    drug: URIRef,
    medication_resource: Resource,
    uses: dict[URIRef, Resource],
) -> Resource:
    """MedicationKnowledge for `drug`; `uses` maps clinical-use nodes to their resources."""
    name = drug_name(graph, drug)
    names = [name]
    for other in [
        *texts(graph, drug, SCHEMA.nonProprietaryName),
        *texts(graph, drug, SCHEMA.alternateName),
    ]:
        if other not in names:
            names.append(other)
    body: JSON = {
        "identifier": [iri_identifier(drug)],
        "code": concept(graph, drug, name),
        "status": "active",
        "name": names,
        "associatedMedication": [medication_resource.reference(name)],
    }
    issues = [
        uses[node].reference()
        for prop in (MEDKG.contraindication, MEDKG.adverseReaction, MEDKG.warning)
        for node in iris(graph, drug, prop)
        if node in uses
    ]
    if issues:
        body["clinicalUseIssue"] = issues
    guidelines = _indication_guidelines(graph, drug, uses)
    if guidelines:
        body["indicationGuideline"] = guidelines
    definitional = _definitional(graph, drug)
    if definitional:
        body["definitional"] = definitional
    return Resource("MedicationKnowledge", resource_id(drug), body, drug)


def _home(graph: GraphReader, node: URIRef) -> str:
    """The source document a fact is grouped under (its first, sorted), or "" when none."""
    found = documents(graph, node)
    return str(found[0]) if found else ""


def _indication_guidelines(
    graph: GraphReader, drug: URIRef, uses: dict[URIRef, Resource]
) -> list[JSON]:
    indications: dict[str, list[JSON]] = defaultdict(list)
    dosing: dict[str, list[JSON]] = defaultdict(list)
    for node in iris(graph, drug, MEDKG.indication):
        if node in uses:
            indications[_home(graph, node)].append({"reference": uses[node].reference()})
    for regimen in iris(graph, drug, SCHEMA.doseSchedule):
        dosing[_home(graph, regimen)].extend(_regimen_guidelines(graph, regimen))
    for guidance in iris(graph, drug, MEDKG.populationGuidance):
        found = _guidance_guideline(graph, guidance)
        if found is not None:
            dosing[_home(graph, guidance)].append(found)
    guidelines = []
    for document in sorted(set(indications) | set(dosing)):
        guideline: JSON = {}
        if indications[document]:
            guideline["indication"] = indications[document]
        if dosing[document]:
            guideline["dosingGuideline"] = dosing[document]
        guidelines.append(guideline)
    return guidelines


def _patient_characteristics(graph: GraphReader, node: URIRef) -> list[JSON]:
    return [
        {"type": text_concept("population"), "valueCodeableConcept": text_concept(population)}
        for population in texts(graph, node, MEDKG.population)
    ]


def _regimen_guidelines(graph: GraphReader, regimen: URIRef) -> list[JSON]:
    """One dosingGuideline per Dosage of the regimen: a regimen given by either of two routes
    ("IV or IM") is two alternative guidelines, each with its route."""
    kind = text(graph, regimen, MEDKG.phase) or DEFAULT_DOSAGE_TYPE
    characteristics = _patient_characteristics(graph, regimen)
    guidelines = []
    for found in dosages(graph, regimen):
        guideline: JSON = {"dosage": [{"type": text_concept(kind), "dosage": [found]}]}
        if characteristics:
            guideline["patientCharacteristic"] = characteristics
        guidelines.append(guideline)
    return guidelines


def _guidance_guideline(graph: GraphReader, guidance: URIRef) -> JSON | None:
    words = text(graph, guidance, MEDKG.guidance)
    characteristics = _patient_characteristics(graph, guidance)
    if not words or not characteristics:
        return None
    return {
        "dosage": [{"type": text_concept(GUIDANCE_DOSAGE_TYPE), "dosage": [{"text": words}]}],
        "patientCharacteristic": characteristics,
    }


def _definitional(graph: GraphReader, drug: URIRef) -> JSON:
    definitional: JSON = {}
    components = iris(graph, drug, MEDKG.hasComponent)
    if components:
        definitional["ingredient"] = [
            {"item": {"concept": concept(graph, c, drug_name(graph, c))}} for c in components
        ]
    forms = {
        form
        for regimen in iris(graph, drug, SCHEMA.doseSchedule)
        for form in texts(graph, regimen, MEDKG.unitForm)
    }
    if len(forms) == 1:
        definitional["doseForm"] = text_concept(forms.pop())
    return definitional
