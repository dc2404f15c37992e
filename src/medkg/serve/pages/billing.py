"""Billing rows shared by the drug and code pages: one row per code description and the
regimen its units were computed for (units per administration and per course)."""

from __future__ import annotations

from dataclasses import dataclass

from medkg.serve.pages import dosing
from medkg.serve.pages.graph_slice import MEDKG, RDFS, SCHEMA, SKOS, Evidence, Slice
from medkg.serve.pages.html import esc, evidence_details

# the columns `unit_cells` fills, after the ones that say which drug or code a row is for
UNIT_HEADINGS = (
    "Billing unit",
    "Regimen",
    "Units per administration",
    "Units per course",
    "Source",
)


@dataclass(frozen=True)
class BillingRow:
    """One description of a code (what one page says it bills) and one regimen."""

    code: str  # the code node
    notation: str
    system: str
    descriptor: str
    drug: str  # the drug node
    unit: str
    regimen: str | None
    per_administration: str
    per_course: str
    method: str
    evidence: list[Evidence]


def unit_cells(graph: Slice, row: BillingRow) -> tuple[str, ...]:
    """The cells of `UNIT_HEADINGS` for a row (HTML, escaped): the billing unit, the regimen
    the units were computed for, the units, and where it was read."""
    return (
        esc(row.unit),
        esc(dosing.summary(graph, row.regimen)) if row.regimen else "—",
        esc(row.per_administration) or "—",
        esc(row.per_course) or "—",
        evidence_details(row.evidence)
        + (f'<p class="note">{esc(row.method)}</p>' if row.method else ""),
    )


def _per_administration(graph: Slice, calculation: str) -> str:
    def get(name: str) -> str:
        return dosing.number(graph.number(calculation, MEDKG + name))

    if get("unitsPerAdministration"):
        return get("unitsPerAdministration")
    if get("unitsPerAdministrationMin") and get("unitsPerAdministrationMax"):
        return f"{get('unitsPerAdministrationMin')}–{get('unitsPerAdministrationMax')}"
    if get("unitsPerKilogram"):
        return f"{get('unitsPerKilogram')} per kg of body weight"
    if get("unitsPerKilogramMin") and get("unitsPerKilogramMax"):
        return f"{get('unitsPerKilogramMin')}–{get('unitsPerKilogramMax')} per kg of body weight"
    return ""


def _owner(graph: Slice, drugs: list[str], regimen: str | None) -> str:
    """Which of the billed `drugs` a calculation is for: the one whose regimen it used."""
    for drug in drugs:
        if regimen is not None and regimen in graph.nodes(drug, SCHEMA + "doseSchedule"):
            return drug
    return drugs[0] if len(drugs) == 1 else ""


def billing_rows(graph: Slice, descriptions: list[str]) -> list[BillingRow]:
    """The rows of the code descriptions `descriptions` (nodes in `graph`): one per
    billing-unit calculation (each for one regimen of one billed drug), or one per billed
    drug when the description has no calculation."""
    rows = []
    for description in descriptions:
        codes = graph.nodes(description, MEDKG + "describesCode")
        code = codes[0] if codes else description
        unit_nodes = graph.nodes(description, MEDKG + "billingUnit")
        common = {
            "code": code,
            "notation": graph.text(code, SKOS + "notation") or graph.label(code),
            "system": graph.text(code, SCHEMA + "codingSystem") or "",
            "descriptor": graph.text(description, MEDKG + "descriptor") or "",
            "unit": dosing.quantity(graph, unit_nodes[0]) if unit_nodes else "",
        }
        evidence = graph.evidence(description)
        drugs = graph.nodes(description, MEDKG + "bills")
        calculations = graph.nodes(description, MEDKG + "billingCalculation")
        if not calculations:
            rows += [
                BillingRow(
                    **common,
                    drug=drug,
                    regimen=None,
                    per_administration="",
                    per_course="",
                    method="",
                    evidence=evidence,
                )
                for drug in drugs or [""]
            ]
        for calculation in calculations:
            regimens = graph.nodes(calculation, MEDKG + "regimen")
            regimen = regimens[0] if regimens else None
            rows.append(
                BillingRow(
                    **common,
                    drug=_owner(graph, drugs, regimen),
                    regimen=regimen,
                    per_administration=_per_administration(graph, calculation),
                    per_course=dosing.number(graph.number(calculation, MEDKG + "unitsPerCourse")),
                    method=graph.text(calculation, RDFS + "comment") or "",
                    evidence=evidence + graph.evidence(regimen) if regimen else evidence,
                )
            )
    return sorted(rows, key=lambda row: (row.notation, row.drug, row.regimen or ""))
