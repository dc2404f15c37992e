"""FHIR R4B output (``medkg build --fhir-version R4B``): each R5 resource rewritten for R4B.

All resource types exist in R4B; these elements differ and are rewritten or
dropped (R4B has nowhere to put them):

- MedicationKnowledge.indicationGuideline -> administrationGuidelines, one per dosingGuideline:
  dosage as is; patientCharacteristics (type text -> characteristicCodeableConcept, value text
  -> value); indicationCodeableConcept = the condition of the guideline's indication when it has
  exactly one.
- MedicationKnowledge.name -> synonym (the names after the first); definitional.doseForm ->
  doseForm; definitional.ingredient.item.concept -> ingredient.itemCodeableConcept.
- MedicationKnowledge.identifier and .clinicalUseIssue: dropped, R4B MedicationKnowledge has
  neither (the ClinicalUseDefinitions still name the drug's Medication as subject, and the
  Medication carries the identifier).
- Dosage.asNeeded -> asNeededBoolean; Dosage.maxDosePerPeriod (0..* in R5) -> its first (0..1).
- ActivityDefinition.location (a CodeableReference) -> a Reference with only ``display`` (the
  settings as text).
- ActivityDefinition.participant: dropped and listed in ``description`` instead, because R4B
  requires participant.type (patient, practitioner, related-person, device), which the sources
  do not state.
- ActivityDefinition.relatedArtifact.resourceReference: dropped (R4B relatedArtifact.resource is
  a canonical, and MedicationKnowledge has none).
- ChargeItemDefinition.instance -> ActivityDefinition: dropped, R4B allows only Medication,
  Substance and Device.
- contained Group: membership -> actual (false: definitional); description -> name.
"""

from __future__ import annotations

import copy
from typing import Any

from medkg.export.fhir.resource import JSON


def to_r4b(document: JSON, resources: dict[str, JSON]) -> JSON:
    """The R4B form of an R5 resource; `resources` maps fullUrls to the other R5 resources."""
    result = copy.deepcopy(document)
    kind = result.get("resourceType")
    if kind == "MedicationKnowledge":
        _medication_knowledge(result, resources)
    elif kind == "ActivityDefinition":
        _activity(result)
    elif kind == "ChargeItemDefinition":
        instances = [
            i for i in result.get("instance", []) if "/ActivityDefinition/" not in i["reference"]
        ]
        if instances:
            result["instance"] = instances
        else:
            result.pop("instance", None)
    for contained in result.get("contained", []):
        if contained.get("resourceType") == "Group":
            _group(contained)
    return result


def _dosages(value: Any) -> None:
    """Rewrite every Dosage in `value` (found by its R5-only keys) in place."""
    if isinstance(value, dict):
        if "asNeeded" in value:
            value["asNeededBoolean"] = value.pop("asNeeded")
        periods = value.get("maxDosePerPeriod")
        if isinstance(periods, list):
            value["maxDosePerPeriod"] = periods[0]
        for item in value.values():
            _dosages(item)
    elif isinstance(value, list):
        for item in value:
            _dosages(item)


def _condition(reference: str, resources: dict[str, JSON]) -> JSON | None:
    use = resources.get(reference, {})
    found = use.get("indication", {}).get("diseaseSymptomProcedure", {}).get("concept")
    return copy.deepcopy(found) if isinstance(found, dict) else None


def _medication_knowledge(result: JSON, resources: dict[str, JSON]) -> None:
    result.pop("identifier", None)
    result.pop("clinicalUseIssue", None)
    names = result.pop("name", [])
    if len(names) > 1:
        result["synonym"] = names[1:]
    definitional = result.pop("definitional", {})
    if "doseForm" in definitional:
        result["doseForm"] = definitional["doseForm"]
    if "ingredient" in definitional:
        result["ingredient"] = [
            {"itemCodeableConcept": i["item"]["concept"]} for i in definitional["ingredient"]
        ]
    guidelines = []
    for guideline in result.pop("indicationGuideline", []):
        indications = [i["reference"]["reference"] for i in guideline.get("indication", [])]
        condition = _condition(indications[0], resources) if len(indications) == 1 else None
        for dosing in guideline.get("dosingGuideline", []):
            converted: JSON = {"dosage": dosing.get("dosage", [])}
            if condition is not None:
                converted["indicationCodeableConcept"] = condition
            characteristics = [
                {
                    "characteristicCodeableConcept": c["type"],
                    "value": [c["valueCodeableConcept"]["text"]],
                }
                for c in dosing.get("patientCharacteristic", [])
            ]
            if characteristics:
                converted["patientCharacteristics"] = characteristics
            guidelines.append(converted)
    if guidelines:
        _dosages(guidelines)
        result["administrationGuidelines"] = guidelines


def _activity(result: JSON) -> None:
    location = result.pop("location", None)
    if location is not None:
        result["location"] = {"display": location["concept"]["text"]}
    participants = result.pop("participant", [])
    if participants:
        listed = []
        for p in participants:
            who = p.get("role", {}).get("text", "")
            does = p.get("function", {}).get("text", "")
            optional = " (optional)" if "extension" in p else ""
            listed.append(f"- {who}: {does}{optional}" if does else f"- {who}{optional}")
        personnel = "Personnel:\n\n" + "\n".join(listed)
        description = result.get("description")
        result["description"] = f"{description}\n\n{personnel}" if description else personnel
    result.pop("relatedArtifact", None)
    _dosages(result.get("dosage", []))


def _group(group: JSON) -> None:
    membership = group.pop("membership", "definitional")
    group["actual"] = membership == "enumerated"
    description = group.pop("description", None)
    if description:
        group["name"] = description
