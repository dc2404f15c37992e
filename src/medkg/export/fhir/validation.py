"""Validating every FHIR resource before anything is written.

Four checks, each failing with `ExportInvalid` naming the output file and every
problem found:

1. the ``fhir.resources`` model of the FHIR version (R5: ``fhir.resources``,
   R4B: ``fhir.resources.R4B``) accepts the JSON (structure, cardinality, types,
   id pattern);
2. every reference points at a resource type the element allows
   (``fhir.resources`` records the allowed types but does not check them);
3. codes of required bindings that medkg writes are in their value sets
   (``fhir.resources`` does not check bindings: `medkg.export.fhir.bindings`);
4. ``fhir.resources`` writes the model back to the same JSON (nothing dropped
   or rewritten: `medkg.export.fhir.round_trip`, which dumps a resource only
   when it holds an element path or JSON kind not yet seen to come back
   unchanged).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from fhir.resources import get_fhir_model_class as r5_model
from fhir.resources.R4B import get_fhir_model_class as r4b_model
from pydantic import BaseModel, ValidationError

from medkg.errors import ExportInvalid
from medkg.export.fhir import round_trip
from medkg.export.fhir.bindings import binding_problems
from medkg.export.fhir.resource import JSON

VERSIONS = ("R5", "R4B")
_TARGET = re.compile(r"(?:^|/)([A-Z][A-Za-z]+)/[A-Za-z0-9\-.]{1,64}$")


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
    leaves = list(round_trip.leaves(document, resource_type))
    problems += list(binding_problems(leaves))
    written = round_trip.written(model, document, leaves, version, problems)
    if problems:
        raise ExportInvalid(output, problems)
    return written


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
    if "contained" not in _fields(type(model)):
        return inherited
    return {
        str(getattr(c, "id", "")): str(c.get_resource_type())  # type: ignore[attr-defined]
        for c in _children(getattr(model, "contained", None) or [])
    }


@cache
def _fields(model_type: type[BaseModel]) -> dict[str, tuple[int, tuple[str, ...]]]:
    """Each element of a model class: its position, and the resource types a reference in
    it may point at (none: not a reference element)."""
    table: dict[str, tuple[int, tuple[str, ...]]] = {}
    for index, (name, info) in enumerate(model_type.model_fields.items()):
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        allowed = extra.get("enum_reference_types")
        table[name] = (index, tuple(str(a) for a in allowed) if isinstance(allowed, list) else ())
    return table


def _reference_problems(
    model: BaseModel, path: str, contained: dict[str, str] | None = None
) -> Iterator[str]:
    """References whose target type the element does not allow."""
    contained = _contained(model, contained or {})
    fields = _fields(type(model))
    # the elements the JSON holds (the others are None), in the model's order
    for name in sorted(model.model_fields_set, key=lambda n: fields[n][0]):
        value = getattr(model, name, None)
        if value is None:
            continue
        allowed = fields[name][1]
        if allowed:
            for item in _children(value):
                target = _reference_target(item, contained)
                if target is not None and target not in allowed and "Resource" not in allowed:
                    yield (
                        f"{path}.{name}: refers to a {target}, which the element does not "
                        f"allow (allowed: {', '.join(allowed)})"
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
