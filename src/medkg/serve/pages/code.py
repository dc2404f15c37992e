"""The billing-code page: what the code bills, the procedure (setting, personnel, duration,
risks and what the page says about it), and the drugs it bills with units per regimen.

Every fact's row carries its quotes and sources (`evidence_details`); text a
person reads is a label, never an IRI.
"""

from __future__ import annotations

from medkg.serve.pages.billing import UNIT_HEADINGS, billing_rows, unit_cells
from medkg.serve.pages.graph_slice import MEDKG, SCHEMA, SKOS, Evidence, Slice, words_of
from medkg.serve.pages.html import esc, evidence_details, href_of, link, page, table

STATEMENTS = (
    ("purpose", "Purpose"),
    ("indicationText", "Indications"),
    ("goal", "Goals"),
    ("preparation", "Preparation"),
    ("procedureStep", "Steps"),
    ("recovery", "Recovery"),
    ("benefit", "Benefits"),
    ("alternative", "Alternatives"),
    ("patientExperience", "Patient experience"),
)


def _none(text: str) -> str:
    return f'<p class="none">{esc(text)}</p>'


def _mentioning(graph: Slice, procedure: str, names: list[str]) -> list[Evidence]:
    """The procedure's evidence whose quote names one of `names` (ignoring case): the
    graph cites a procedure's setting, body sites and route on the procedure itself."""
    wanted = [name.lower() for name in names if name]
    return [
        span
        for span in graph.evidence(procedure)
        if any(name in span.quote.lower() for name in wanted)
    ]


def _facts(graph: Slice, procedure: str) -> str:
    rows = []
    for prop, heading in (("setting", "Setting"), ("bodySite", "Body site"), ("route", "Route")):
        for concept in graph.nodes(procedure, MEDKG + prop):
            names = [graph.label(concept), *graph.texts(concept, SKOS + "altLabel")]
            rows.append(
                (
                    esc(heading),
                    link(concept, graph.label(concept)),
                    evidence_details(_mentioning(graph, procedure, names)),
                )
            )
    for role in sorted(graph.nodes(procedure, MEDKG + "personnel"), key=graph.position):
        who = ", ".join(link(each, graph.label(each)) for each in graph.nodes(role, MEDKG + "who"))
        what = graph.text(role, MEDKG + "role") or ""
        optional = " (optional)" if graph.flag(role, MEDKG + "optional") else ""
        rows.append(
            (
                esc("Personnel"),
                f"{who} {esc(what + optional)}",
                evidence_details(graph.evidence(role)),
            )
        )
    for duration in graph.nodes(procedure, MEDKG + "duration"):
        of = graph.text(duration, MEDKG + "durationOf") or ""
        rows.append(
            (
                esc("Duration" + (f" of the {of}" if of else "")),
                esc(graph.text(duration, SCHEMA + "text") or ""),
                evidence_details(graph.evidence(duration)),
            )
        )
    anesthesia = graph.text(procedure, MEDKG + "anesthesiaRequired")
    if anesthesia is not None:
        rows.append(
            (
                esc("Anesthesia"),
                esc(
                    "required"
                    if graph.flag(procedure, MEDKG + "anesthesiaRequired")
                    else "not required"
                ),
                evidence_details(_mentioning(graph, procedure, ["anesthesia", "anaesthesia"])),
            )
        )
    if not rows:
        return _none("No procedure details stated.")
    return table(("About", "What the page says", "Source"), rows)


def _risks(graph: Slice, procedure: str) -> str:
    rows = []
    for risk in graph.nodes(procedure, MEDKG + "risk"):
        concepts = graph.nodes(risk, MEDKG + "reaction")
        written = graph.text(risk, MEDKG + "termAsWritten")
        name = ", ".join(link(each, graph.label(each)) for each in concepts) or esc(written or "")
        bands = graph.nodes(risk, MEDKG + "frequencyBand")
        rows.append(
            (
                name,
                esc(written or ""),
                esc(
                    words_of(bands[0]) if bands else graph.text(risk, MEDKG + "frequencyText") or ""
                ),
                evidence_details(graph.evidence(risk)),
            )
        )
    if not rows:
        return _none("No risks stated.")
    rows.sort(key=lambda row: row[1].lower())
    return table(("Risk", "As written", "Frequency", "Source"), rows)


def _statements(graph: Slice, procedure: str) -> str:
    parts = []
    for prop, heading in STATEMENTS:
        nodes = sorted(
            graph.nodes(procedure, MEDKG + prop) + graph.nodes(procedure, SCHEMA + prop),
            key=graph.position,
        )
        if not nodes:
            continue
        items = "".join(
            f'<li class="fact">{esc(graph.text(node, SCHEMA + "text") or "")} '
            f"{evidence_details(graph.evidence(node))}</li>"
            for node in nodes
        )
        parts.append(f'<h3>{esc(heading)}</h3><ul class="facts">{items}</ul>')
    return "\n".join(parts)


def _drugs(graph: Slice, descriptions: list[str]) -> str:
    rows = []
    for row in billing_rows(graph, descriptions):
        drug_href = href_of(row.drug) if row.drug else None
        drug_name = (
            graph.text(row.drug, SCHEMA + "name") or graph.label(row.drug) if row.drug else ""
        )
        drug = f'<a href="{esc(drug_href)}">{esc(drug_name)}</a>' if drug_href else esc(drug_name)
        rows.append((drug, *unit_cells(graph, row)))
    if not rows:
        return _none("This code bills no drug in the graph.")
    return table(("Drug", *UNIT_HEADINGS), rows)


def render_code_page(graph: Slice) -> str:
    """The page of the billing code `graph.node`."""
    code = graph.node
    notation = graph.text(code, SKOS + "notation") or graph.label(code)
    system = graph.text(code, SCHEMA + "codingSystem") or ""
    descriptions = graph.nodes(code, MEDKG + "description")
    descriptors = sorted(
        {graph.text(each, MEDKG + "descriptor") or "" for each in descriptions} - {""}
    )
    procedures = graph.nodes(code, MEDKG + "procedure")
    procedure_parts = []
    for procedure in procedures:
        name = graph.text(procedure, SCHEMA + "name") or "Procedure"
        description = graph.text(procedure, SCHEMA + "description") or ""
        procedure_parts.append(
            f'<h3>{esc(name)}</h3><div class="lead">{esc(description)} '
            f"{evidence_details(_mentioning(graph, procedure, [description]))}</div>"
            f"{_facts(graph, procedure)}{_statements(graph, procedure)}"
        )
    risk_parts = [_risks(graph, procedure) for procedure in procedures]
    heading = notation + (f" — {descriptors[0]}" if descriptors else "")
    also = " · also: " + "; ".join(descriptors[1:]) if len(descriptors) > 1 else ""
    body = f"""<h1>{esc(heading)}</h1>
<p class="aka">{esc(system)}{esc(also)}</p>
<p class="views">Linked data: <a href="?view=data">all properties</a> ·
<a href="?format=turtle">Turtle</a> · <a href="?format=jsonld">JSON-LD</a></p>
<section aria-labelledby="drugs"><h2 id="drugs">Drugs it bills</h2>
{_drugs(graph, descriptions)}</section>
<section aria-labelledby="procedure"><h2 id="procedure">Procedure</h2>
{"".join(procedure_parts) or _none("No procedure described.")}</section>
<section aria-labelledby="risks"><h2 id="risks">Risks</h2>
{"".join(risk_parts) or _none("No risks stated.")}</section>"""
    return page(notation, body)
