"""Extract facts from a parsed code page (HCPCS Level II or CPT).

One page yields one `BillingCodeFact`, one `ProcedureFact`, a `DrugFact` when
the code bills a drug, and an unstructured `StatementFact` for every item or
sentence no rule used. This module assembles them; the rules, section by
section, live with the code that applies them:

- billing code, billing unit and the drug billed (descriptor and code-type
  lines): `medkg.extract.code_page.billing`;
- common name and medical term (Name of the Procedure and text above it):
  `medkg.extract.code_page.names`;
- Summary, routes, Purpose and goals, body sites, anesthesia:
  `medkg.extract.code_page.procedure`;
- Duration, Setting, Personnel: `medkg.extract.code_page.logistics`;
- Risks and Complications, Alternatives: `medkg.extract.code_page.risks`;
- Indications, Preparation, Procedure Description (steps, in order),
  Benefits, Recovery, Patient Experience: one mention per item or sentence
  (here);
- units (items whole, paragraphs by sentence) and the record of which spans
  facts used: `medkg.extract.code_page.units`.

The `ProcedureFact`'s evidence is the Name of the Procedure section, or the
descriptor when the page has none.
"""

from __future__ import annotations

from medkg.extract.code_page.billing import billing_code_fact, code_mention, drug_facts
from medkg.extract.code_page.logistics import duration_facts, personnel_facts, setting_mentions
from medkg.extract.code_page.names import procedure_names
from medkg.extract.code_page.procedure import (
    anesthesia_requirement,
    body_site_mentions,
    purpose_and_goals,
    route_mentions,
    summary_mention,
)
from medkg.extract.code_page.risks import alternative_mentions, risk_facts
from medkg.extract.code_page.units import (
    HEADER,
    Page,
    section_units,
    sections_named,
    unit_mentions,
    units_in,
)
from medkg.model import Document, Evidence, Extraction, Mention, ProcedureFact


def extract(document: Document) -> Extraction:
    """Every fact of one parsed code page (the module docstring says where each rule lives)."""
    page = Page(document)
    code = code_mention(page)
    billing = billing_code_fact(page, code)
    drugs = drug_facts(page, billing)
    procedure = _procedure(page, code)
    for section in document.sections:
        for unit in units_in(document.text, section):
            if not page.is_used(unit.start, unit.end):
                page.keep(unit.section, unit.start, unit.end)
    return Extraction(
        document=document,
        drugs=drugs,
        billing_codes=(billing,),
        procedures=(procedure,),
        statements=tuple(page.statements),
    )


def _procedure(page: Page, code: Mention) -> ProcedureFact:
    """The procedure fact. The readers run in this order on purpose: each marks
    the spans it used, later ones look at what is used, and some keep
    statements as they go."""
    common_name, medical_term = procedure_names(page)
    summary = summary_mention(page)
    anesthesia = anesthesia_requirement(page)
    purpose, goals = purpose_and_goals(page)
    return ProcedureFact(
        evidence=_procedure_evidence(page),
        code=code,
        common_name=common_name,
        medical_term=medical_term,
        summary=summary,
        routes=route_mentions(page),
        purpose=purpose,
        goals=goals,
        indications=unit_mentions(page, section_units(page, "Indications")),
        preparation=unit_mentions(page, section_units(page, "Preparation")),
        steps=unit_mentions(page, section_units(page, "Procedure Description")),
        body_sites=body_site_mentions(page),
        anesthesia_required=anesthesia[0] if anesthesia else None,
        anesthesia_evidence=anesthesia[1] if anesthesia else None,
        durations=duration_facts(page),
        settings=setting_mentions(page),
        personnel=personnel_facts(page),
        risks=risk_facts(page),
        benefits=unit_mentions(page, section_units(page, "Benefits")),
        recovery=unit_mentions(page, section_units(page, "Recovery")),
        alternatives=alternative_mentions(page),
        patient_experience=unit_mentions(page, section_units(page, "Patient Experience")),
    )


def _procedure_evidence(page: Page) -> Evidence:
    """The Name of the Procedure section, else the descriptor."""
    for section in sections_named(page, "Name of the Procedure"):
        if section.blocks:
            return page.evidence(section.name, section.blocks[0].start, section.blocks[-1].end)
    start, end = page.document.metadata["descriptor_span"]
    return page.evidence(HEADER, start, end)
