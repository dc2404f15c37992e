"""The billing code of a code page, its billing unit, and the drugs it bills.

Read from the descriptor and code-type lines (evidence section ``Header``):

- **Billing code**: as the parser found it (`medkg.parse.code_reference`):
  its evidence is where the page states it, or — when only the file name
  gives it — the file name (evidence section ``File name``, offsets into
  the file name). The system comes from the code's shape (a letter A–V and
  four digits is HCPCS Level II; five digits, or four digits and A, F, M,
  T or U, is CPT — whatever the code-type line says, a CPT code is never typed
  HCPCS).
- **Billing unit**: a descriptor ending in ``, each`` bills per item:
  ``unit_is_each`` is set *and* the billing unit is the UCUM count ``1
  {each}`` with the word ``each`` as its evidence. A drug descriptor
  (``Injection, …``) states its unit wherever `medkg.extract.code_page.descriptor`
  reads it; any other descriptor by the quantity that ends it. ``up to 1,000
  mcg`` is a maximum.
- **Drugs**: every drug a drug descriptor names
  (`medkg.extract.code_page.descriptor`: ``Injection, <drug a>,
  <drug b>, and <drug c>-abcd, per 10 mg`` names three). Each is
  named as the page's own text names it without the FDA four-letter suffix
  (``-abcd``), looked up in the Summary first, then the other sections; the
  suffixed descriptor name becomes an other name.
"""

from __future__ import annotations

import re
from decimal import Decimal

from medkg.extract.code_page.descriptor import is_drug_descriptor, read_drug_descriptor
from medkg.extract.code_page.units import HEADER, Page, section_of, sections_named
from medkg.link.linker import FDA_SUFFIX, drug_key
from medkg.model import FILE_NAME_SECTION, BillingCodeFact, DrugFact, Evidence, Mention, Quantity
from medkg.parse.code_reference import code_system
from medkg.quantities import FoundQuantity, find_quantities
from medkg.text import trim

_EACH = re.compile(r",\s*(?P<each>each)\s*\.?\s*$", re.IGNORECASE)
_UP_TO = re.compile(r"(?:up\s+to|not\s+to\s+exceed|maximum(?:\s+of)?)\s+$", re.IGNORECASE)


def code_mention(page: Page) -> Mention:
    """The billing code where the page states it, else in its file name."""
    meta = page.document.metadata
    if meta["code_span"] is None:
        source = page.document.source
        start, end = meta["code_file_span"]
        ev = Evidence(source, FILE_NAME_SECTION, source[start:end], start, end)
        return Mention(text=ev.quote, evidence=ev)
    start, end = meta["code_span"]
    return page.mention(section_of(page, start, end), start, end)


def billing_code_fact(page: Page, code: Mention) -> BillingCodeFact:
    """The billing code fact of the descriptor and code-type lines."""
    meta = page.document.metadata
    d_start, d_end = meta["descriptor_span"]
    descriptor = page.mention(HEADER, d_start, d_end)
    drug_names: tuple[Mention, ...] = ()
    stated: FoundQuantity | None = None
    if is_drug_descriptor(page.text, d_start, d_end):
        read = read_drug_descriptor(page.text, d_start, d_end)
        drug_names = tuple(page.mention(HEADER, *span) for span in read.drugs)
        stated = read.unit
    else:
        stated = _trailing_quantity(page.text, d_start, d_end)
    unit, is_each = _billing_unit(page, d_start, d_end, stated)
    return BillingCodeFact(
        system=code_system(code.text),
        code=code,
        descriptor=descriptor,
        evidence=page.evidence(HEADER, d_start, meta["code_type_span"][1]),
        billing_unit=unit,
        unit_is_each=is_each,
        drug_names=drug_names,
    )


def _trailing_quantity(text: str, start: int, end: int) -> FoundQuantity | None:
    """The quantity that ends text[start:end] (less a final full stop)."""
    stop = trim(text, start, end, " \t.")[1]
    trailing = [q for q in find_quantities(text, start, stop) if q.end == stop]
    return trailing[-1] if trailing else None


def _billing_unit(
    page: Page, start: int, end: int, found: FoundQuantity | None
) -> tuple[Quantity | None, bool]:
    """``1 {each}`` for ``, each``; else the quantity the descriptor states (`found`),
    a maximum when ``up to`` (``not to exceed``, ``maximum of``) precedes it."""
    text = page.text
    each = _EACH.search(text, start, end)
    if each:
        ev = page.evidence(HEADER, *each.span("each"))
        return Quantity(unit="{each}", evidence=ev, value=Decimal(1)), True
    if found is None:
        return None, False
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


def drug_facts(page: Page, billing: BillingCodeFact) -> tuple[DrugFact, ...]:
    """One drug fact per drug the descriptor names (each drug once)."""
    facts: dict[str, DrugFact] = {}
    for named in billing.drug_names:
        facts.setdefault(drug_key(named.text), _drug_fact(page, named, billing))
    return tuple(facts.values())


def _drug_fact(page: Page, named: Mention, billing: BillingCodeFact) -> DrugFact:
    """The drug `named` in the descriptor, named as the page names it without FDA suffix."""
    suffix = FDA_SUFFIX.search(named.text)
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
    return DrugFact(
        name=name,
        evidence=billing.descriptor.evidence,
        other_names=(named,) if suffix else (),
    )
