"""Validating every FHIR resource before anything is written.

Three checks, each failing with `ExportInvalid` naming the output file:

1. the ``fhir.resources`` model of the FHIR version (R5: ``fhir.resources``,
   R4B: ``fhir.resources.R4B``) accepts the JSON (structure, cardinality, types,
   id pattern) and serialises it back to the same JSON (nothing dropped or
   rewritten);
2. every reference points at a resource type the element allows
   (``fhir.resources`` records the allowed types but does not check them);
3. codes of required bindings that medkg writes are in their value sets
   (``fhir.resources`` does not check bindings).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from fhir.resources import get_fhir_model_class as r5_model
from fhir.resources.R4B import get_fhir_model_class as r4b_model
from pydantic import BaseModel, ValidationError

from medkg.errors import ExportInvalid
from medkg.export.fhir.resource import JSON

VERSIONS = ("R5", "R4B")
_TARGET = re.compile(r"(?:^|/)([A-Z][A-Za-z]+)/[A-Za-z0-9\-.]{1,64}$")
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


def model_class(version: str, resource_type: str) -> type[BaseModel]:
    """The fhir.resources model class of a resource type in a FHIR version."""
    if version not in VERSIONS:
        raise ValueError(f"unknown FHIR version {version!r}; use one of {', '.join(VERSIONS)}")
    found: type[BaseModel] = (r5_model if version == "R5" else r4b_model)(resource_type)
    return found


def validate(document: JSON, output: str, version: str = "R5") -> JSON:
    """Check one resource (or bundle) and return it as fhir.resources serialises it."""
    resource_type = str(document.get("resourceType", ""))
    try:
        model = model_class(version, resource_type).model_validate(document)
    except (ValidationError, KeyError, ValueError) as failure:
        raise ExportInvalid(output, _pydantic_problems(failure, version)) from failure
    problems = list(_reference_problems(model, resource_type))
    problems += list(_binding_problems(document, resource_type))
    dumped: JSON = json.loads(json.dumps(model.model_dump()))
    expected = json.loads(json.dumps(document))
    if dumped != expected:
        problems += [
            f"fhir.resources {version} reads and writes back a different value at {path}"
            for path in _differences(expected, dumped, resource_type)
        ]
    if problems:
        raise ExportInvalid(output, problems)
    return dumped


def _pydantic_problems(failure: Exception, version: str) -> list[str]:
    if not isinstance(failure, ValidationError):
        return [f"FHIR {version}: {failure}"]
    return [
        f"FHIR {version} {'.'.join(str(p) for p in error['loc']) or '(resource)'}: {error['msg']}"
        for error in failure.errors()
    ]


def _children(value: Any) -> Iterator[BaseModel]:
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, BaseModel):
            yield item


def _contained(model: BaseModel, inherited: dict[str, str]) -> dict[str, str]:
    """Id -> resource type of the resources contained in `model` (a resource), else `inherited`."""
    if "contained" not in type(model).model_fields:
        return inherited
    return {
        str(getattr(c, "id", "")): str(c.get_resource_type())  # type: ignore[attr-defined]
        for c in _children(getattr(model, "contained", None) or [])
    }


def _reference_problems(
    model: BaseModel, path: str, contained: dict[str, str] | None = None
) -> Iterator[str]:
    """References whose target type the element does not allow."""
    contained = _contained(model, contained or {})
    for name, info in type(model).model_fields.items():
        value = getattr(model, name, None)
        if value is None:
            continue
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        allowed = extra.get("enum_reference_types")
        if isinstance(allowed, list) and allowed:
            for item in _children(value):
                target = _reference_target(item, contained)
                if target is not None and target not in allowed and "Resource" not in allowed:
                    yield (
                        f"{path}.{name}: refers to a {target}, which the element does not "
                        f"allow (allowed: {', '.join(str(a) for a in allowed)})"
                    )
        for child in _children(value):
            yield from _reference_problems(child, f"{path}.{name}", contained)


def _reference_target(item: BaseModel, contained: dict[str, str]) -> str | None:
    """The resource type a Reference / CodeableReference points at, or None."""
    reference = getattr(item, "reference", None)
    if isinstance(reference, BaseModel):  # CodeableReference.reference is a Reference
        reference = getattr(reference, "reference", None)
    if not isinstance(reference, str):
        return None
    if reference.startswith("#"):
        return contained.get(reference[1:], "(missing contained resource)")
    match = _TARGET.search(reference)
    return match.group(1) if match else "(unparsable reference)"


def _walk(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        if "resourceType" in value and path.count(".") > 0:
            path = str(value["resourceType"])  # a contained or bundled resource starts afresh
        for key, item in value.items():
            yield from _walk(item, f"{path}.{key}")
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item, path)
    else:
        yield path, value


def _binding_problems(document: JSON, resource_type: str) -> Iterator[str]:
    for path, value in _walk(document, resource_type):
        for rule, allowed in REQUIRED_BINDINGS.items():
            applies = path == rule if not rule.startswith(".") else path.endswith(rule)
            if applies and value not in allowed:
                yield f"{path}: {value!r} is not in the required value set ({rule})"


def _differences(expected: Any, actual: Any, path: str) -> Iterator[str]:
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual)):
            yield from _differences(expected.get(key), actual.get(key), f"{path}.{key}")
    elif isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        for index, (a, b) in enumerate(zip(expected, actual, strict=True)):
            yield from _differences(a, b, f"{path}[{index}]")
    elif expected != actual:
        yield path
