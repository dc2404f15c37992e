"""ClinicalUseDefinition resources: one per indication, contraindication, adverse reaction, warning.

- medkg:Indication -> type ``indication``: indication.diseaseSymptomProcedure (the condition),
  intendedEffect (the goals in order, ``; ``-joined: the element is 0..1), population (a
  contained Group: population and qualifier as written); the criteria as written go to the
  narrative.
- medkg:Contraindication -> type ``contraindication``: contraindication.diseaseSymptomProcedure;
  the sentence as written goes to the narrative.
- medkg:AdverseReaction -> type ``undesirable-effect``: undesirableEffect.symptomConditionEffect
  (the reaction; text = the document's wording), frequencyOfOccurrence (our CIOMS CodeSystem;
  text = the wording that gave the band), classification (serious / non-serious, THO
  adverse-event-seriousness).
- medkg:Warning -> type ``warning``: warning.description (the text as written, details as a
  list), warning.code (the condition, for increased-risk warnings).
- medkg:ProcedureRisk -> type ``undesirable-effect`` like an adverse reaction, with subject the
  procedure's ActivityDefinition.

``subject`` is the drug's Medication resource: R5 does not allow a reference
from ClinicalUseDefinition.subject to MedicationKnowledge (allowed targets are
MedicinalProductDefinition, Medication, ActivityDefinition, PlanDefinition,
Device, DeviceDefinition, Substance, NutritionProduct, BiologicallyDerivedProduct).
"""

from __future__ import annotations

from html import escape

from rdflib import Literal, URIRef

from medkg.export.fhir.frequency_band import band_concept
from medkg.export.fhir.rdf import flag, iri, iris, ordered_texts, text, texts
from medkg.export.fhir.resource import JSON, Resource, iri_identifier, resource_id
from medkg.export.fhir.terminology import (
    active_status,
    concept,
    retired_status,
    seriousness,
    text_concept,
)
from medkg.graph.reader import GraphReader
from medkg.model import PAST_USE
from medkg.namespaces import MEDKG, SCHEMA

POPULATION_ID = "population"


def _base(node: URIRef, kind: str, subject: JSON) -> Resource:
    body: JSON = {
        "identifier": [iri_identifier(node)],
        "type": kind,
        "status": active_status(),
        "subject": [subject],
    }
    return Resource("ClinicalUseDefinition", resource_id(node), body, node)


def _narrative(heading: str, items: list[str]) -> JSON:
    """Narrative (status ``additional``: it holds wording the structured elements do not)."""
    listed = "".join(f"<li>{escape(item)}</li>" for item in items)
    div = f'<div xmlns="http://www.w3.org/1999/xhtml"><p>{escape(heading)}</p>'
    div += f"<ul>{listed}</ul></div>" if listed else "</div>"
    return {"status": "additional", "div": div}


def _population(graph: GraphReader, node: URIRef) -> JSON | None:
    """A contained Group for the population (and indication qualifier) a fact applies to."""
    written = [
        (name, value)
        for name, prop in (("population", MEDKG.population), ("qualifier", MEDKG.qualifier))
        for value in texts(graph, node, prop)
    ]
    if not written:
        return None
    characteristics = [
        {"code": text_concept(name), "valueCodeableConcept": text_concept(value), "exclude": False}
        for name, value in written
    ]
    described = "; ".join(value for _, value in written)
    return {
        "resourceType": "Group",
        "id": POPULATION_ID,
        "type": "person",
        "membership": "definitional",
        "description": described,
        "characteristic": characteristics,
    }


def _with_population(resource: Resource, graph: GraphReader, node: URIRef) -> None:
    group = _population(graph, node)
    if group is not None:
        resource.body["contained"] = [group]
        resource.body["population"] = [{"reference": f"#{POPULATION_ID}"}]


def indication(graph: GraphReader, node: URIRef, subject: JSON) -> Resource:
    resource = _base(node, "indication", subject)
    if Literal(PAST_USE) in graph.objects(node, MEDKG.qualifier):
        resource.body["status"] = retired_status()  # a past use: no longer to be used
    details: JSON = {}
    condition = iri(graph, node, MEDKG.condition)
    if condition is not None:
        details["diseaseSymptomProcedure"] = {"concept": concept(graph, condition)}
    goals = ordered_texts(graph, node, MEDKG.goal)
    if goals:
        details["intendedEffect"] = {"concept": text_concept("; ".join(goals))}  # 0..1 in R5
    if details:
        resource.body["indication"] = details
    _with_population(resource, graph, node)
    criteria = ordered_texts(graph, node, MEDKG.criterion)
    if criteria:
        resource.body["text"] = _narrative("Criteria, as written:", criteria)
    return resource


def contraindication(graph: GraphReader, node: URIRef, subject: JSON) -> Resource:
    resource = _base(node, "contraindication", subject)
    condition = iri(graph, node, MEDKG.condition)
    if condition is not None:
        resource.body["contraindication"] = {
            "diseaseSymptomProcedure": {"concept": concept(graph, condition)}
        }
    _with_population(resource, graph, node)
    statement = text(graph, node, SCHEMA.text)
    if statement:
        resource.body["text"] = _narrative(statement, [])
    return resource


def undesirable_effect(
    graph: GraphReader, ontology: GraphReader, node: URIRef, subject: JSON
) -> Resource:
    """An adverse reaction of a drug or a risk of a procedure."""
    resource = _base(node, "undesirable-effect", subject)
    effect: JSON = {}
    reaction = iri(graph, node, MEDKG.reaction)
    if reaction is not None:
        wording = text(graph, node, MEDKG.termAsWritten)
        effect["symptomConditionEffect"] = {"concept": concept(graph, reaction, wording)}
    wording = text(graph, node, MEDKG.frequencyText)
    band = iri(graph, node, MEDKG.frequencyBand)
    frequency = band_concept(ontology, band, wording) if band is not None else None
    if frequency is None and wording:
        frequency = text_concept(wording)
    if frequency is not None:
        effect["frequencyOfOccurrence"] = frequency
    serious = flag(graph, node, MEDKG.serious)
    if serious is not None:
        effect["classification"] = seriousness(serious)
    if effect:
        resource.body["undesirableEffect"] = effect
    _with_population(resource, graph, node)
    return resource


def warning(graph: GraphReader, node: URIRef, subject: JSON) -> Resource:
    resource = _base(node, "warning", subject)
    details: JSON = {}
    statement = text(graph, node, SCHEMA.text)
    extra = texts(graph, node, MEDKG.detail)
    if statement:
        details["description"] = statement + "".join(
            ("\n\n" if i == 0 else "\n") + f"- {d}" for i, d in enumerate(extra)
        )
    condition = iri(graph, node, MEDKG.condition)
    if condition is not None:
        details["code"] = concept(graph, condition)
    if details:
        resource.body["warning"] = details
    return resource


def for_drug(
    graph: GraphReader, ontology: GraphReader, drug: URIRef, subject: JSON
) -> list[Resource]:
    """Every clinical use statement of a drug, in a stable order (kind, then IRI)."""
    made: list[Resource] = []
    made += [indication(graph, n, subject) for n in iris(graph, drug, MEDKG.indication)]
    made += [contraindication(graph, n, subject) for n in iris(graph, drug, MEDKG.contraindication)]
    made += [
        undesirable_effect(graph, ontology, n, subject)
        for n in iris(graph, drug, MEDKG.adverseReaction)
    ]
    made += [warning(graph, n, subject) for n in iris(graph, drug, MEDKG.warning)]
    return made


def for_procedure(
    graph: GraphReader, ontology: GraphReader, procedure: URIRef, subject: JSON
) -> list[Resource]:
    """The risks a code page lists for its procedure, each an undesirable effect of it."""
    return [
        undesirable_effect(graph, ontology, n, subject) for n in iris(graph, procedure, MEDKG.risk)
    ]
