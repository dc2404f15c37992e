"""Required bindings: the codes medkg writes in elements with a required binding must be
in their value sets (``fhir.resources`` does not check bindings).

`binding_problems` takes a resource's leaves as `medkg.export.fhir.round_trip.leaves`
gives them (element path, value) and looks each path up in `REQUIRED_BINDINGS`
by its full path and by the suffix rules of its last element name.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

_PUBLICATION = {"draft", "active", "retired", "unknown"}
_UNITS_OF_TIME = {"s", "min", "h", "d", "wk", "mo", "a"}

# Required bindings of the elements medkg writes: a full path "Type.element"
# or a path suffix ".element.element" (datatypes used anywhere).
REQUIRED_BINDINGS: dict[str, set[str]] = {
    "Bundle.type": {
        "document",
        "message",
        "transaction",
        "transaction-response",
        "batch",
        "batch-response",
        "history",
        "searchset",
        "collection",
        "subscription-notification",
    },
    "Medication.status": {"active", "inactive", "entered-in-error"},
    "MedicationKnowledge.status": {"active", "entered-in-error", "inactive"},
    "ChargeItemDefinition.status": _PUBLICATION,
    "ActivityDefinition.status": _PUBLICATION,
    "CodeSystem.status": _PUBLICATION,
    "CodeSystem.content": {"not-present", "example", "fragment", "complete", "supplement"},
    "ClinicalUseDefinition.type": {
        "indication",
        "contraindication",
        "interaction",
        "undesirable-effect",
        "warning",
    },
    "ActivityDefinition.kind": {
        "Appointment",
        "AppointmentResponse",
        "CarePlan",
        "Claim",
        "CommunicationRequest",
        "Contract",
        "CoverageEligibilityRequest",
        "DeviceRequest",
        "EnrollmentRequest",
        "ImmunizationRecommendation",
        "MedicationRequest",
        "NutritionOrder",
        "RequestOrchestration",
        "RequestGroup",
        "ServiceRequest",
        "SupplyRequest",
        "Task",
        "Transport",
        "VisionPrescription",
    },
    "Group.type": {
        "person",
        "animal",
        "practitioner",
        "device",
        "careteam",
        "healthcareservice",
        "location",
        "organization",
        "relatedperson",
        "specimen",
        "medication",
        "substance",
    },
    "Group.membership": {"definitional", "enumerated"},
    ".repeat.periodUnit": _UNITS_OF_TIME,
    ".repeat.durationUnit": _UNITS_OF_TIME,
    ".comparator": {"<", "<=", ">=", ">", "ad"},
    ".text.status": {"generated", "extensions", "additional", "empty"},
    ".relatedArtifact.type": {
        "documentation",
        "justification",
        "citation",
        "predecessor",
        "successor",
        "derived-from",
        "depends-on",
        "composed-of",
        "part-of",
        "amends",
        "amended-with",
        "appends",
        "appended-with",
        "cites",
        "cited-by",
        "comments-on",
        "comment-in",
        "contains",
        "contained-in",
        "corrects",
        "correction-in",
        "replaces",
        "replaced-with",
        "retracts",
        "retracted-by",
        "signs",
        "similar-to",
        "supports",
        "supported-with",
        "transforms",
        "transformed-into",
        "transformed-with",
        "documents",
        "specification-of",
        "created-with",
        "cite-as",
    },
}


_EXACT = {rule: allowed for rule, allowed in REQUIRED_BINDINGS.items() if not rule.startswith(".")}
_ORDER = {rule: index for index, rule in enumerate(REQUIRED_BINDINGS)}
# last element name -> the suffix rules ending in it
_SUFFIXES: dict[str, list[str]] = {}
for _rule in REQUIRED_BINDINGS:
    if _rule.startswith("."):
        _SUFFIXES.setdefault(_rule.rsplit(".", 1)[1], []).append(_rule)


@lru_cache(maxsize=4096)
def rules_for(path: str) -> tuple[str, ...]:
    """The rules of `REQUIRED_BINDINGS` that apply at an element path, in the table's order."""
    found = [path] if path in _EXACT else []
    found += [rule for rule in _SUFFIXES.get(path.rsplit(".", 1)[-1], ()) if path.endswith(rule)]
    return tuple(sorted(found, key=_ORDER.__getitem__))


def binding_problems(leaves: Iterable[tuple[str, Any]]) -> Iterator[str]:
    """A problem for each leaf value outside the value set of a rule that applies to it."""
    for path, value in leaves:
        if isinstance(value, list | dict):
            continue  # an empty element: the round trip refuses it
        for rule in rules_for(path):
            if value not in REQUIRED_BINDINGS[rule]:
                yield f"{path}: {value!r} is not in the required value set ({rule})"
