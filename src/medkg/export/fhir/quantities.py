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
from medkg.quantities import TIME_WORDS

UNITS_OF_TIME = ("s", "min", "h", "d", "wk", "mo", "a")  # FHIR units-of-time (required binding)


def unit_words(unit: str, one: bool) -> str:
    """A unit for a text: a unit of time in words and a counted thing (UCUM annotation)
    as its word, both singular only when `one` ("1 month", "2 months", "1-2 tablets"); any
    other unit as its code ("mg", "mg/kg"), and "each" as it is."""
    name = TIME_WORDS.get(unit)
    if name is None and unit.startswith("{") and unit.endswith("}") and unit != "{each}":
        name = unit[1:-1]
    if name is None:
        return unit.replace("{", "").replace("}", "")
    return name if one or name.endswith("s") else name + "s"


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
    """A quantity node in words for Dosage.text: "500 mg", "5-10 mg/kg", "up to 90 mg",
    "12 months" (units of time in words)."""
    code = text(graph, node, SCHEMA.unitCode) or ""
    value = number(graph, node, SCHEMA.value)
    if value is not None:
        words = f"{_plain(value)} {unit_words(code, value == 1)}"
    else:
        low = number(graph, node, SCHEMA.minValue)
        high = number(graph, node, SCHEMA.maxValue)
        unit = unit_words(code, low is None and high == 1)
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
