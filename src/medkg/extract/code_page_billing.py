"""The billing code of a code page, its billing unit, and the drug it bills.

Read from the descriptor and code-type lines (evidence section ``Header``):

- **Billing code**: the system comes from the code's shape (a letter A–V and
  four digits is HCPCS Level II; five digits, or four digits and a letter, is
  CPT — whatever the code-type line says, a CPT code is never typed HCPCS).
  The billing unit is the quantity that ends the descriptor (``1 mg``; ``up
  to 1,000 mcg`` is a maximum). A descriptor ending in ``, each`` bills per
  item: ``unit_is_each`` is set *and* the billing unit is the UCUM count
  ``1 {each}`` with the word ``each`` as its evidence. A descriptor whose
  first comma-part is ``Injection``/``Infusion`` bills a drug: the second
  comma-part, less any quantity or parenthesis.
- **Drug**: named as the page's own text names it without the FDA four-letter
  suffix (``-abcd``), looked up in the Summary first, then the other
  sections; the suffixed descriptor name becomes an other name.
"""

from __future__ import annotations

import re
from decimal import Decimal

from medkg.extract.code_page_units import HEADER, Page, section_of, sections_named
from medkg.model import BillingCodeFact, DrugFact, Mention, Quantity
from medkg.parse.code_page import code_system
from medkg.quantities import find_quantities
from medkg.text import paren_depth_split, trim

_DRUG_FORMS = re.compile(r"(?:injections?|infusions?|injectable)", re.IGNORECASE)
_FDA_SUFFIX = re.compile(r"-[a-z]{4}$")
_COMMA = re.compile(r",\s*")
_EACH = re.compile(r",\s*(?P<each>each)\s*\.?\s*$", re.IGNORECASE)
_UP_TO = re.compile(r"(?:up\s+to|not\s+to\s+exceed|maximum(?:\s+of)?)\s+$", re.IGNORECASE)


def code_mention(page: Page) -> Mention:
    """The billing code as the page states it in its ``(HCPCS A1234)`` reference."""
    start, end = page.document.metadata["code_span"]
    return page.mention(section_of(page, start, end), start, end)


def billing_code_fact(page: Page, code: Mention) -> BillingCodeFact:
    """The billing code fact of the descriptor and code-type lines."""
    meta = page.document.metadata
    d_start, d_end = meta["descriptor_span"]
    descriptor = page.mention(HEADER, d_start, d_end)
    unit, is_each = _billing_unit(page, d_start, d_end)
    return BillingCodeFact(
        system="HCPCS" if code_system(code.text) == "HCPCS" else "CPT",
        code=code,
        descriptor=descriptor,
        evidence=page.evidence(HEADER, d_start, meta["code_type_span"][1]),
        billing_unit=unit,
        unit_is_each=is_each,
        drug_name=_descriptor_drug(page, d_start, d_end),
    )


def _billing_unit(page: Page, start: int, end: int) -> tuple[Quantity | None, bool]:
    """The quantity ending the descriptor, or ``1 {each}`` for ``, each``."""
    text = page.text
    each = _EACH.search(text, start, end)
    if each:
        ev = page.evidence(HEADER, *each.span("each"))
        return Quantity(unit="{each}", evidence=ev, value=Decimal(1)), True
    stop = trim(text, start, end, " \t.")[1]
    trailing = [q for q in find_quantities(text, start, stop) if q.end == stop]
    if not trailing:
        return None, False
    found = trailing[-1]
    up_to = _UP_TO.search(text, start, found.start)
    q_start = up_to.start() if up_to else found.start
    return (
        Quantity(
            unit=found.unit,
            evidence=page.evidence(HEADER, q_start, found.end),
            value=found.value,
            low=found.low,
            high=found.high,
            maximum=up_to is not None,
        ),
        False,
    )


def _descriptor_drug(page: Page, start: int, end: int) -> Mention | None:
    """The second comma-part of an ``Injection, <drug>, <unit>`` descriptor."""
    text = page.text
    parts = paren_depth_split(text, start, end, _COMMA)
    if len(parts) < 2 or not _DRUG_FORMS.fullmatch(text, *parts[0]):
        return None
    d_start, d_end = parts[1]
    quantities = find_quantities(text, d_start, d_end)
    if quantities:
        d_end = quantities[0].start
    paren = text.find("(", d_start, d_end)
    if paren >= 0:
        d_end = paren
    d_start, d_end = trim(text, d_start, d_end, " \t,;:")
    if d_start >= d_end or not any(c.isalpha() for c in text[d_start:d_end]):
        return None
    return page.mention(HEADER, d_start, d_end)


def drug_facts(page: Page, billing: BillingCodeFact) -> tuple[DrugFact, ...]:
    """The drug the code bills, named as the page names it without FDA suffix."""
    named = billing.drug_name
    if named is None:
        return ()
    suffix = _FDA_SUFFIX.search(named.text)
    base = named.text[: suffix.start()] if suffix else named.text
    pattern = re.compile(rf"(?<![\w-]){re.escape(base)}(?![\w-])", re.IGNORECASE)
    ordered = sections_named(page, "Summary") + [
        s for s in page.document.sections if s.name != "Summary"
    ]
    name = named
    for section in ordered:
        found = pattern.search(page.text, section.start, section.end)
        if found:
            name = page.mention(section.name, *found.span())
            break
    return (
        DrugFact(
            name=name,
            evidence=billing.descriptor.evidence,
            other_names=(named,) if suffix else (),
        ),
    )
