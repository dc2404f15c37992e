"""``fhir/``: the graph as FHIR R5 JSON, a collection Bundle and one file per resource.

Resources (every one made only from the graph, with our IRI as an identifier):

- CodeSystem ``medkg-frequency-band``: the six CIOMS frequency bands (``frequency_band.py``);
- per schema:Drug a Medication and a MedicationKnowledge (``medication.py``, ``dosage.py``);
- per indication, contraindication, adverse reaction, warning and procedure risk a
  ClinicalUseDefinition (``clinical_use.py``);
- per procedure an ActivityDefinition (``activity.py``);
- per page's description of a billing code (medkg:BillingCodeDescription) a
  ChargeItemDefinition (``charge_item.py``): each page carries its own unit and drug.

Files: ``fhir/bundle.json`` and ``fhir/<ResourceType>-<id>.json``. Each resource and
the bundle are validated (``validation.py``) and every bundle reference must
resolve inside the bundle (``bundle.py``) before anything is returned; a
failure raises `medkg.errors.ExportInvalid` naming the file. JSON is written
with sorted keys, two-space indents and a final newline.
"""

from __future__ import annotations

import json

from rdflib import Dataset, URIRef

from medkg.errors import ExportInvalid
from medkg.export.fhir import activity, bundle, charge_item, clinical_use, medication
from medkg.export.fhir.frequency_band import code_system
from medkg.export.fhir.r4b import to_r4b
from medkg.export.fhir.rdf import iri, iris, subjects
from medkg.export.fhir.resource import JSON, Resource
from medkg.export.fhir.validation import VERSIONS, validate
from medkg.graph.quads import Quads, as_quads
from medkg.graph.reader import GraphReader
from medkg.namespaces import MEDKG, RDF, SCHEMA
from medkg.shacl.validate import load_ontology

DEFAULT_VERSION = "R5"


def resources(graph: GraphReader, ontology: GraphReader) -> list[Resource]:
    """Every resource of the export, made from the graph (and the ontology's frequency bands)."""
    made: list[Resource] = [code_system(ontology)]
    drugs = subjects(graph, RDF.type, SCHEMA.Drug)
    medications = {drug: medication.medication(graph, drug) for drug in drugs}
    uses: dict[URIRef, Resource] = {}
    for drug in drugs:
        subject = medications[drug].reference(medication.drug_name(graph, drug))
        for use in clinical_use.for_drug(graph, ontology, drug, subject):
            if use.source is not None:
                uses[use.source] = use
    knowledge = {
        drug: medication.medication_knowledge(graph, drug, medications[drug], uses)
        for drug in drugs
    }
    made += list(medications.values()) + list(knowledge.values()) + list(uses.values())
    activities: dict[URIRef, Resource] = {}
    for procedure in subjects(graph, RDF.type, SCHEMA.MedicalProcedure):
        # the drug billed by the procedure's own page, never another page's; a page billing
        # several drugs (a combination) gives no one product or dosage
        page = iri(graph, procedure, MEDKG.codeDescription)
        billed = [d for d in iris(graph, page, MEDKG.bills) if d in medications] if page else []
        given = billed[0] if len(billed) == 1 else None
        made_activity = activity.activity(
            graph,
            procedure,
            medications.get(given) if given else None,
            knowledge.get(given) if given else None,
            iris(graph, given, SCHEMA.doseSchedule) if given else [],
        )
        activities[procedure] = made_activity
        subject = made_activity.reference(made_activity.body.get("title"))
        made += [made_activity, *clinical_use.for_procedure(graph, ontology, procedure, subject)]
    for description in subjects(graph, RDF.type, MEDKG.BillingCodeDescription):
        instances = [
            medications[d].reference()
            for d in iris(graph, description, MEDKG.bills)
            if d in medications
        ]
        instances += [
            activities[p].reference()
            for p in subjects(graph, MEDKG.codeDescription, description)
            if p in activities
        ]
        made.append(charge_item.charge_item(graph, description, instances, knowledge))
    _check_unique(made)
    return made


def _check_unique(made: list[Resource]) -> None:
    seen: dict[str, Resource] = {}
    for resource in made:
        other = seen.get(resource.file_name)
        if other is not None:
            raise ExportInvalid(
                resource.file_name,
                [f"two graph nodes give the same FHIR id: {other.source} and {resource.source}"],
            )
        seen[resource.file_name] = resource


def serialise(document: JSON) -> bytes:
    """Deterministic JSON: sorted keys, two-space indent, UTF-8, final newline."""
    return (json.dumps(document, sort_keys=True, ensure_ascii=False, indent=2) + "\n").encode()


def render(dataset: Quads | Dataset, version: str = DEFAULT_VERSION) -> dict[str, bytes]:
    """Every file of ``fhir/`` in the given FHIR version ("R5" or "R4B"), validated."""
    if version not in VERSIONS:
        raise ValueError(f"unknown FHIR version {version!r}; use one of {', '.join(VERSIONS)}")
    made = resources(as_quads(dataset).union, load_ontology())
    files: dict[str, bytes] = {}
    entries: list[tuple[str, JSON]] = []
    r5 = {resource.full_url: resource.json() for resource in made}
    for resource in made:
        document = r5[resource.full_url] if version == "R5" else to_r4b(r5[resource.full_url], r5)
        checked = validate(document, resource.file_name, version)
        files[resource.file_name] = serialise(checked)
        entries.append((resource.full_url, checked))
    collection = validate(bundle.bundle(entries), bundle.FILE, version)
    problems = bundle.unresolved(collection)
    if problems:
        raise ExportInvalid(bundle.FILE, problems)
    files[bundle.FILE] = serialise(collection)
    return files


def export(dataset: Quads | Dataset) -> dict[str, bytes]:
    """The registry's exporter: FHIR R5."""
    return render(dataset, DEFAULT_VERSION)
