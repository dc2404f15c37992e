"""ActivityDefinition: one per schema:MedicalProcedure (a code page's procedure).

- schema:name, medkg:medicalTerm -> title, subtitle;
- schema:description, the steps in order, durations, anesthesia -> description (markdown);
- medkg:purpose, medkg:indicationText -> purpose, usage (markdown lists);
- schema:code (the billing code) -> code (HCPCS or CPT coding, display = the descriptor of
  the procedure's own page, medkg:codeDescription);
- medkg:setting -> location.concept.text (the settings as written, ``; ``-separated);
- medkg:bodySite -> bodySite;
- medkg:personnel (who, role, optional) -> participant (role, function, extension ``optional``);
- the drug billed by the procedure's own page (medkg:codeDescription/medkg:bills) ->
  productReference (its Medication), relatedArtifact (its MedicationKnowledge); a page
  billing several drugs (a combination descriptor) names no single product, so none of
  these (nor a regimen's dosage) is written: its ChargeItemDefinition lists every drug;
- the billed drug's regimens -> dosage (real Dosage elements, one per route of each regimen:
  see ``dosage.py``), and timingTiming when there is one regimen;
- a quantified duration of the procedure itself -> timingTiming.repeat.duration (durationMax,
  durationUnit);
- medkg:route (or medkg:routeText, as text), when no regimen gives a Dosage -> dosage.route.

kind is ``MedicationRequest`` when the procedure gives a billed drug, else
``ServiceRequest``.
"""

from __future__ import annotations

from rdflib import URIRef

from medkg.export.fhir import extensions
from medkg.export.fhir.dosage import dosages as regimen_dosages
from medkg.export.fhir.quantities import UNITS_OF_TIME, spoken
from medkg.export.fhir.rdf import flag, iri, iris, label, number, ordered_texts, text
from medkg.export.fhir.resource import JSON, Resource, iri_identifier, resource_id
from medkg.export.fhir.terminology import concept, system_for_uri, text_concept
from medkg.graph.reader import GraphReader
from medkg.namespaces import MEDKG, SCHEMA, SKOS


def activity(
    graph: GraphReader,
    procedure: URIRef,
    medication: Resource | None,
    knowledge: Resource | None,
    regimens: list[URIRef],
) -> Resource:
    """The ActivityDefinition of `procedure`; `medication`/`knowledge` are the billed drug's."""
    resource = Resource("ActivityDefinition", resource_id(procedure), {}, procedure)
    body = resource.body
    name = text(graph, procedure, SCHEMA.name)
    body["url"] = resource.full_url
    body["identifier"] = [iri_identifier(procedure)]
    if name:
        body["title"] = name
    subtitle = text(graph, procedure, MEDKG.medicalTerm)
    if subtitle:
        body["subtitle"] = subtitle
    body["status"] = "active"
    body["kind"] = "MedicationRequest" if medication is not None else "ServiceRequest"
    description = _description(graph, procedure)
    if description:
        body["description"] = description
    for element, prop in (("purpose", MEDKG.purpose), ("usage", MEDKG.indicationText)):
        items = ordered_texts(graph, procedure, prop)
        if items:
            body[element] = "\n".join(f"- {item}" for item in items)
    code = _code(graph, procedure, name)
    if code:
        body["code"] = code
    settings = [label(graph, s) for s in iris(graph, procedure, MEDKG.setting)]
    if settings:
        body["location"] = {"concept": text_concept("; ".join(settings))}
    sites = [concept(graph, s) for s in iris(graph, procedure, MEDKG.bodySite)]
    if sites:
        body["bodySite"] = sites
    participants = _participants(graph, procedure)
    if participants:
        body["participant"] = participants
    if medication is not None:
        body["productReference"] = medication.reference()
    if knowledge is not None:
        body["relatedArtifact"] = [
            {
                "type": "documentation",
                "label": "MedicationKnowledge",
                "resourceReference": knowledge.reference(),
            }
        ]
    dosages = [found for regimen in regimens for found in regimen_dosages(graph, regimen)]
    if not dosages:
        dosages = _procedure_route(graph, procedure)
    if dosages:
        body["dosage"] = dosages
    timing = _timing(graph, procedure, dosages if len(regimens) == 1 else [])
    if timing:
        body["timingTiming"] = timing
    return resource


def _procedure_route(graph: GraphReader, procedure: URIRef) -> list[JSON]:
    """The procedure's own route as a Dosage: coded when a concept, else its words."""
    route = iri(graph, procedure, MEDKG.route)
    if route is not None:
        return [{"text": f"by {label(graph, route)}", "route": concept(graph, route)}]
    words = text(graph, procedure, MEDKG.routeText)
    if words:
        return [{"text": f"by {words} route", "route": text_concept(words)}]
    return []


def _code(graph: GraphReader, procedure: URIRef, name: str | None) -> JSON:
    code = iri(graph, procedure, SCHEMA.code)
    if code is None:
        return {}
    notation = text(graph, code, SKOS.notation)
    page = iri(graph, procedure, MEDKG.codeDescription)
    descriptor = text(graph, page, MEDKG.descriptor) if page is not None else None
    scheme = iri(graph, code, SKOS.inScheme)
    system = system_for_uri(str(scheme)) if scheme is not None else None
    result: JSON = {"text": name or descriptor or notation or str(code)}
    if system is not None and notation:
        coding: JSON = {"system": system.fhir_system, "code": notation}
        if descriptor:  # the code's own wording as the page states it; never our name
            coding["display"] = descriptor
        result["coding"] = [coding]
    return result


def _participants(graph: GraphReader, procedure: URIRef) -> list[JSON]:
    def position(node: URIRef) -> tuple[float, str]:
        pos = number(graph, node, SCHEMA.position)
        return (float(pos) if pos is not None else float("inf"), str(node))

    found = []
    for person in sorted(iris(graph, procedure, MEDKG.personnel), key=position):
        participant: JSON = {}
        who = iri(graph, person, MEDKG.who)
        if who is not None:
            participant["role"] = concept(graph, who)
        role = text(graph, person, MEDKG.role)
        if role:
            participant["function"] = text_concept(role)
        if flag(graph, person, MEDKG.optional):
            participant["extension"] = [extensions.simple(extensions.OPTIONAL, "Boolean", True)]
        if participant:
            found.append(participant)
    return found


def _description(graph: GraphReader, procedure: URIRef) -> str:
    parts = []
    summary = text(graph, procedure, SCHEMA.description)
    if summary:
        parts.append(summary)
    steps = ordered_texts(graph, procedure, MEDKG.procedureStep)
    if steps:
        parts.append("Steps:\n\n" + "\n".join(f"{i}. {s}" for i, s in enumerate(steps, 1)))
    durations = []
    for node in iris(graph, procedure, MEDKG.duration):
        what = text(graph, node, MEDKG.durationOf) or "duration"
        amount = iri(graph, node, MEDKG.quantity)
        words = text(graph, node, SCHEMA.text) or (spoken(graph, amount) if amount else "")
        if words:
            durations.append(f"- {what}: {words}")
    if durations:
        parts.append("Duration:\n\n" + "\n".join(durations))
    anesthesia = flag(graph, procedure, MEDKG.anesthesiaRequired)
    if anesthesia is not None:
        parts.append("Anesthesia: " + ("required." if anesthesia else "not required."))
    return "\n\n".join(parts)


def _timing(graph: GraphReader, procedure: URIRef, dosages: list[JSON]) -> JSON:
    """The timing of the Dosages of the one regimen (one per route, all with the same timing),
    plus how long the procedure itself lasts when quantified."""
    repeat: JSON = {}
    if dosages and "timing" in dosages[0]:
        repeat.update(dosages[0]["timing"].get("repeat", {}))
    for node in iris(graph, procedure, MEDKG.duration):
        amount = iri(graph, node, MEDKG.quantity)
        if text(graph, node, MEDKG.durationOf) != "procedure" or amount is None:
            continue
        unit = text(graph, amount, SCHEMA.unitCode)
        value = number(graph, amount, SCHEMA.value)
        low = number(graph, amount, SCHEMA.minValue)
        high = number(graph, amount, SCHEMA.maxValue)
        if unit not in UNITS_OF_TIME or flag(graph, amount, MEDKG.isMaximum):
            continue
        if value is not None:
            repeat.update({"duration": value, "durationUnit": unit})
        elif low is not None:
            repeat.update({"duration": low, "durationUnit": unit})
            if high is not None:
                repeat["durationMax"] = high
        break
    return {"repeat": repeat} if repeat else {}
