"""schema:QuantitativeValue nodes as FHIR Quantity, Range and Duration (UCUM).

A value is written with ``system`` http://unitsofmeasure.org and ``code`` the
graph's UCUM ``schema:unitCode``; ``unit`` is the same code without UCUM's
annotation braces (``{tablet}`` -> ``tablet``). A quantity marked
``medkg:isMaximum`` ("up to") gets the comparator ``<=`` where the element
allows a comparator; SimpleQuantity elements (dose, maximum dose) do not, and
there the element itself says what the number is.
"""

from __future__ import annotations

from rdflib import URIRef

from medkg.export.fhir.rdf import flag, number, text
from medkg.export.fhir.resource import JSON
from medkg.export.fhir.terminology import UCUM
from medkg.graph.reader import GraphReader
from medkg.namespaces import MEDKG, SCHEMA

UNITS_OF_TIME = ("s", "min", "h", "d", "wk", "mo", "a")  # FHIR units-of-time (required binding)


def ucum(value: float | int, code: str) -> JSON:
    """A SimpleQuantity in UCUM."""
    return {
        "value": value,
        "unit": code.replace("{", "").replace("}", ""),
        "system": UCUM,
        "code": code,
    }


def quantity(graph: GraphReader, node: URIRef, comparator: bool = False) -> JSON | None:
    """A Quantity for a node with one schema:value, or None (a range or no unit)."""
    value = number(graph, node, SCHEMA.value)
    unit = text(graph, node, SCHEMA.unitCode)
    if value is None or not unit:
        return None
    result = ucum(value, unit)
    if comparator and flag(graph, node, MEDKG.isMaximum):
        result["comparator"] = "<="
    return result


def value_range(graph: GraphReader, node: URIRef) -> JSON | None:
    """A Range for a node with schema:minValue and/or schema:maxValue, or None."""
    unit = text(graph, node, SCHEMA.unitCode)
    low = number(graph, node, SCHEMA.minValue)
    high = number(graph, node, SCHEMA.maxValue)
    if not unit or (low is None and high is None):
        return None
    result: JSON = {}
    if low is not None:
        result["low"] = ucum(low, unit)
    if high is not None:
        result["high"] = ucum(high, unit)
    return result


def duration(graph: GraphReader, node: URIRef) -> JSON | None:
    """A Duration (a Quantity whose unit is a unit of time), or None when it is not one."""
    found = quantity(graph, node)
    if found is None or found["code"] not in UNITS_OF_TIME:
        return None
    return found


def spoken(graph: GraphReader, node: URIRef) -> str:
    """A quantity node in words for Dosage.text: "500 mg", "5-10 mg/kg", "up to 90 mg"."""
    unit = text(graph, node, SCHEMA.unitCode) or ""
    unit = unit.replace("{", "").replace("}", "")
    value = number(graph, node, SCHEMA.value)
    if value is not None:
        words = f"{_plain(value)} {unit}"
    else:
        low = number(graph, node, SCHEMA.minValue)
        high = number(graph, node, SCHEMA.maxValue)
        words = (
            f"{_plain(low)}-{_plain(high)} {unit}" if low is not None else f"{_plain(high)} {unit}"
        )
    if flag(graph, node, MEDKG.approximate):
        words = "about " + words
    if flag(graph, node, MEDKG.isMaximum):
        words = "up to " + words
    return words.strip()


def _plain(value: float | int | None) -> str:
    """A number without a trailing ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
