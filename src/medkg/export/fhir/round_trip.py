"""Whether ``fhir.resources`` writes a resource back exactly as medkg wrote it.

`written` dumps the validated model (``model_dump``) and compares it with the
document: a null or an empty list is left out, a number given as a string is
written as a number, and so on; each such path is a problem. The dump is pure
Python and costs more than the validation itself, so it is not repeated for
what is already known to come back unchanged.

What the dump does to a leaf depends on the element's type, which its path
gives (a contained or bundled resource's path starts afresh at its
``resourceType``; a choice element's key names its type), and on the leaf's
JSON kind, not on its value: none of the element types medkg writes is written
by value (dates, instants, times, uuids, base64 and integer64 would be; medkg
writes none). So every (path, kind) of a resource that came back byte for byte
is remembered (`KNOWN`, per FHIR version), and a resource made only of
remembered pairs is not dumped again. A float in exponent form (``1e+16``,
which fhir.resources writes as an integer) has no kind: a resource holding
one is dumped every time. The tests dump every resource of the sample corpus
(``tests/test_export_fhir.py``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from medkg.export.fhir.resource import JSON

Leaf = tuple[str, Any]  # (element path, value): a scalar, or an empty list or object

# FHIR version -> (path, kind) pairs known to come back unchanged
KNOWN: dict[str, set[tuple[str, str]]] = {}


def leaves(value: Any, path: str) -> Iterator[Leaf]:
    """Every scalar, empty list and empty object of a JSON value, with its element path
    (list positions left out; a nested resource starts afresh at its ``resourceType``)."""
    if isinstance(value, dict):
        if "resourceType" in value and "." in path:
            path = str(value["resourceType"])
        if not value:
            yield path, value
        for key, item in value.items():
            yield from leaves(item, f"{path}.{key}")
    elif isinstance(value, list | tuple):
        if not value:
            yield path, value
        for item in value:
            yield from leaves(item, path)
    else:
        yield path, value


def kind(value: Any) -> str | None:
    """The JSON kind of a leaf as the round trip sees it; None where the value itself matters."""
    if isinstance(value, float):
        text = repr(value)
        if "e" in text or "n" in text:  # 1e+16, inf, nan
            return None
    if isinstance(value, list | tuple):
        return "[]"
    return type(value).__name__


def written(
    model: BaseModel, document: JSON, found: list[Leaf], version: str, problems: list[str]
) -> JSON:
    """`document` as fhir.resources writes it back; a problem for each path where that is
    not `document` (`found`: its `leaves`)."""
    pairs = _pairs(found)
    known = KNOWN.setdefault(version, set())
    if pairs is not None and pairs <= known:
        return document
    dumped: JSON = json.loads(json.dumps(model.model_dump()))
    expected = json.loads(json.dumps(document))
    if dumped != expected:
        resource_type = str(document.get("resourceType", ""))
        problems += [
            f"fhir.resources {version} reads and writes back a different value at {path}"
            for path in list(_differences(expected, dumped, resource_type)) or [resource_type]
        ]
    elif pairs is not None and _text(dumped) == _text(expected):
        known |= pairs
    return dumped


def _pairs(found: list[Leaf]) -> set[tuple[str, str]] | None:
    pairs = set()
    for path, value in found:
        leaf_kind = kind(value)
        if leaf_kind is None:
            return None
        pairs.add((path, leaf_kind))
    return pairs


def _text(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


_ABSENT = object()  # a key one side does not have (a null the dump left out is a difference)


def _differences(expected: Any, actual: Any, path: str) -> Iterator[str]:
    """The paths where `actual` differs from `expected`."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual)):
            yield from _differences(
                expected.get(key, _ABSENT), actual.get(key, _ABSENT), f"{path}.{key}"
            )
    elif isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        for index, (a, b) in enumerate(zip(expected, actual, strict=True)):
            yield from _differences(a, b, f"{path}[{index}]")
    elif expected != actual:
        yield path
