"""medkg's FHIR extensions: facts FHIR R5 has no element for, each under one documented URL.

- ``graph-node`` on Dosage: valueUri, the IRI of the graph node (the regimen) it was made from.
- ``dose-units`` on Dosage: sub-extensions ``unitDose`` (valueQuantity), ``unitCount``
  (valueInteger), ``unitForm`` (valueString), ``consecutive`` (valueBoolean), for a dose given
  as several units (2 tablets of 250 mg).
- ``billing-unit`` on ChargeItemDefinition: valueQuantity, the amount one billed unit stands
  for (1 mg; comparator ``<=`` for "up to").
- ``billing-units`` on ChargeItemDefinition, one per derived calculation: ``regimen``
  (valueUri), ``medication`` (valueReference to the MedicationKnowledge holding the Dosage), and
  each number of the calculation under its medkg name (``unitsPerAdministration``,
  ``unitsPerUnitDose``, ``administrationsPerCourse``, ``unitsPerCourse``, ...) as valueDecimal.
- ``optional`` on ActivityDefinition.participant: valueBoolean, the person may, but need not,
  take part.
"""

from __future__ import annotations

from medkg.export.fhir.resource import FHIR_BASE, JSON

EXTENSION_BASE = FHIR_BASE + "/StructureDefinition/"
GRAPH_NODE = EXTENSION_BASE + "graph-node"
DOSE_UNITS = EXTENSION_BASE + "dose-units"
BILLING_UNIT = EXTENSION_BASE + "billing-unit"
BILLING_UNITS = EXTENSION_BASE + "billing-units"
OPTIONAL = EXTENSION_BASE + "optional"


def simple(url: str, value_type: str, value: object) -> JSON:
    """An extension with one value (`value_type` is the FHIR suffix: "Uri", "Quantity", ...)."""
    return {"url": url, f"value{value_type}": value}


def complex_extension(url: str, parts: list[JSON]) -> JSON:
    """An extension made of named sub-extensions."""
    return {"url": url, "extension": parts}
