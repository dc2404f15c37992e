"""ChargeItemDefinition: one per medkg:BillingCodeDescription (what one page says about a code).

Each page gives its own descriptor, billing unit and billed drug, so two pages
about one code give two definitions (id from the code and the page,
``code-hcpcs-A0001-page-a`` for page-a.txt), each with its own unit and drug.

- ``code``: the described code in its FHIR system (the code's skos:inScheme, which must
  be a system of ``code-systems.csv``: HCPCS Level II or CPT), display = the page's
  descriptor.
- ``instance``: the Medication of each drug the page bills and the ActivityDefinition of
  the page's procedure.
- The billing unit (the amount one billed unit stands for) is the extension
  ``billing-unit`` (valueQuantity, UCUM; comparator ``<=`` for "up to"), and
  each derived medkg:BillingUnitCalculation is an extension ``billing-units``:
  the regimen's IRI, the MedicationKnowledge holding its Dosage, and every
  number of the calculation (``unitsPerAdministration``, ``unitsPerUnitDose``,
  ``administrationsPerCourse``, ``unitsPerCourse``, ...) under its medkg name.
  ``description`` says the same in sentences, and names the page: each calculation names
  the drug and its regimen in words (dose, route, how often, for how long, who gives it,
  the population: `medkg.export.fhir.dosage.dosage_text`) and its numbers with their
  nouns in agreement ("1 unit per kilogram", "2 units per kilogram"). FHIR prices
  (propertyGroup) are not written: the sources give none.
"""

from __future__ import annotations

import re

from rdflib import URIRef

from medkg.export.fhir import extensions
from medkg.export.fhir.dosage import dosage_text, regimen_routes
from medkg.export.fhir.quantities import quantity, spoken
from medkg.export.fhir.rdf import flag, iri, iris, label, number, subjects, text
from medkg.export.fhir.resource import JSON, Resource, iri_identifier, resource_id
from medkg.export.fhir.terminology import system_for_uri
from medkg.graph.reader import GraphReader
from medkg.namespaces import MEDKG, SCHEMA, SKOS


def charge_item(
    graph: GraphReader,
    description: URIRef,
    instances: list[JSON],
    knowledge: dict[URIRef, Resource],
) -> Resource:
    """The ChargeItemDefinition of one page's description of a billing code;
    `knowledge` maps drugs to MedicationKnowledge."""
    fhir_id = resource_id(description)
    code = iri(graph, description, MEDKG.describesCode)
    notation = (text(graph, code, SKOS.notation) if code is not None else None) or ""
    descriptor = text(graph, description, MEDKG.descriptor) or notation
    resource = Resource("ChargeItemDefinition", fhir_id, {}, description)
    body = resource.body
    body["url"] = resource.full_url
    body["identifier"] = [iri_identifier(description)]
    body["title"] = descriptor
    body["status"] = "active"
    coding: JSON = {"code": notation, "display": descriptor}
    scheme = iri(graph, code, SKOS.inScheme) if code is not None else None
    system = system_for_uri(str(scheme)) if scheme is not None else None
    body["code"] = {"text": descriptor}
    if system is not None and notation:
        body["code"]["coding"] = [{"system": system.fhir_system, **coding}]
    if instances:
        body["instance"] = instances
    parts: list[JSON] = []
    lines = [f"{descriptor}."]
    page = iri(graph, description, MEDKG.statedIn)
    page_name = text(graph, page, MEDKG.fileName) if page is not None else None
    if page_name:
        lines.append(f"As stated in {page_name}.")
    unit_node = iri(graph, description, MEDKG.billingUnit)
    if unit_node is not None:
        unit = quantity(graph, unit_node, comparator=True)
        if unit is not None:
            parts.append(extensions.simple(extensions.BILLING_UNIT, "Quantity", unit))
            lines.append(f"One billed unit stands for {spoken(graph, unit_node)}.")
    if flag(graph, description, MEDKG.billedPerItem):
        lines.append("It is billed per item.")
    for calculation in iris(graph, description, MEDKG.billingCalculation):
        found = _calculation(graph, calculation, knowledge)
        if found is not None:
            parts.append(found[0])
            lines.append(found[1])
    if parts:
        body["extension"] = parts
    body["description"] = "\n\n".join(lines)
    return resource


def _calculation(
    graph: GraphReader, calculation: URIRef, knowledge: dict[URIRef, Resource]
) -> tuple[JSON, str] | None:
    regimen = iri(graph, calculation, MEDKG.regimen)
    if regimen is None:
        return None
    parts: list[JSON] = [extensions.simple("regimen", "Uri", str(regimen))]
    drugs = [d for d in subjects(graph, SCHEMA.doseSchedule, regimen) if d in knowledge]
    if drugs:
        parts.append(extensions.simple("medication", "Reference", knowledge[drugs[0]].reference()))
    numbers: list[tuple[str, float | int]] = []
    for prop in sorted({p for p in graph.predicates(calculation, None) if isinstance(p, URIRef)}):
        if not str(prop).startswith(str(MEDKG)):
            continue
        value = number(graph, calculation, prop)  # None for IRIs, text and booleans
        if value is None:
            continue
        name = str(prop)[len(str(MEDKG)) :]
        numbers.append((name, value))
        parts.append(extensions.simple(name, "Decimal", value))
    if not numbers:
        return None
    numbers.sort(key=lambda pair: (_READING_ORDER.get(pair[0], len(_READING_ORDER)), pair[0]))
    words = "; ".join(_counted(name, value) for name, value in numbers)
    routes = " or ".join(route for route, _ in regimen_routes(graph, regimen))
    regimen_words = dosage_text(graph, regimen, routes or None)
    drug = f" of {label(graph, drugs[0])}" if drugs else ""
    given = f" ({regimen_words})" if regimen_words else ""
    sentence = f"For the regimen{drug}{given}: {words}."
    return extensions.complex_extension(extensions.BILLING_UNITS, parts), sentence


# the order a reader asks in: per administration, per kilogram, per unit dose, per course
_READING_ORDER = {
    name: position
    for position, name in enumerate(
        (
            "unitsPerAdministration",
            "unitsPerAdministrationMin",
            "unitsPerAdministrationMax",
            "unitsPerKilogram",
            "unitsPerKilogramMin",
            "unitsPerKilogramMax",
            "unitsPerUnitDose",
            "administrationsPerCourse",
            "unitsPerCourse",
        )
    )
}


def _counted(name: str, value: float | int) -> str:
    """A calculation's number with its noun in agreement: ``unitsPerKilogram`` 1 -> "1 unit
    per kilogram", 0.8 -> "0.8 units per kilogram"; a ``...Min``/``...Max`` bound -> "at
    least"/"at most"."""
    bound = ""
    if name.endswith("Min"):
        bound, name = "at least ", name.removesuffix("Min")
    elif name.endswith("Max"):
        bound, name = "at most ", name.removesuffix("Max")
    noun, _, rest = _words(name).partition(" ")
    if value == 1:
        noun = noun.removesuffix("s")
    return f"{bound}{_plain(value)} {noun} {rest}".strip()


def _words(name: str) -> str:
    """A medkg property name in words: ``unitsPerAdministration`` -> "units per administration"."""
    return re.sub(r"(?<!^)([A-Z])", r" \1", name).lower()


def _plain(value: float | int) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
