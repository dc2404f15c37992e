"""The procedure's names on a code page: its common name and its medical term.

Read from the Name of the Procedure section and the untitled text above it:
``Common Name(s):`` and ``Medical Term:`` labels (also both on one line; a
second common name and later ones are kept as statements), ``commonly known
as …``, and a title line ``<name> (<code>)`` that gives the medical term when
no label does. The ``(HCPCS A1234)`` reference (and what follows it) is
never part of a name. A title line that gives no medical term but restates
the descriptor is used up, not kept as a statement.
"""

from __future__ import annotations

import re

from medkg.extract.code_page_units import Page, strip_article, value_span
from medkg.model import Block, Mention
from medkg.parse.code_page import UNTITLED
from medkg.text import Span, split_list, trim

_COMMON_LABEL = re.compile(r"common\s+names?(?:\(s\))?|also\s+known\s+as|other\s+names?", re.I)
_MEDICAL_LABEL = re.compile(r"(?:technical\s*/\s*)?(?:medical|technical)\s+term", re.I)
_MEDICAL_INLINE = re.compile(r"\s(?:Technical\s*/\s*)?(?:Medical|Technical)\s+Term\s*:\s*", re.I)
_KNOWN_AS = re.compile(r"(?:commonly|also|usually)\s+(?:known\s+as|called)\s+", re.I)


def _name_blocks(page: Page) -> list[tuple[str, Block]]:
    """Blocks of the Name of the Procedure section and of untitled text above it."""
    found: list[tuple[str, Block]] = []
    for section in page.document.sections:
        if section.name in (UNTITLED, "Name of the Procedure"):
            found.extend((section.name, block) for block in section.blocks)
        if section.name == "Name of the Procedure":
            break
    return found


def _without_code(page: Page, start: int, end: int) -> Span:
    """Drop the ``(HCPCS A1234)`` reference (and what follows it) from a name span."""
    ref_start, _ = page.document.metadata["code_reference_span"]
    if start <= ref_start < end:
        end = ref_start
    return trim(page.text, start, end, " \t,;:.")


def procedure_names(page: Page) -> tuple[Mention | None, Mention | None]:
    """(common name, medical term) from the name block; see the module docstring."""
    text = page.text
    common: Mention | None = None
    medical: Mention | None = None
    titles: list[tuple[str, Span, Block]] = []
    for section, block in _name_blocks(page):
        if block.kind == "label":
            continue
        label = block.label or ""
        if label and _COMMON_LABEL.fullmatch(label):
            start, end = value_span(text, block)
            inline = _MEDICAL_INLINE.search(text, start, end)
            if inline:
                m_start, m_end = _without_code(page, inline.end(), end)
                medical = medical or page.mention(section, m_start, m_end)
                end = inline.start()
            names = split_list(text, start, end)
            if names and common is None:
                common = page.mention(section, *names[0])
                for rest in names[1:]:
                    page.keep(section, *rest)
            page.use(block.start, block.end)
        elif label and _MEDICAL_LABEL.fullmatch(label):
            m_start, m_end = _without_code(page, *value_span(text, block))
            medical = medical or page.mention(section, m_start, m_end)
            page.use(block.start, block.end)
        elif block.start <= page.document.metadata["code_span"][0] < block.end:
            title = _without_code(page, block.start, block.end)
            known_as = _KNOWN_AS.search(text, block.start, block.end)
            if known_as:
                c_start, c_end = trim(text, known_as.end(), block.end, " \t.,;")
                common = common or page.mention(section, *strip_article(text, c_start, c_end))
                page.use(known_as.start(), c_end)
            titles.append((section, title, block))
    descriptor = page.document.metadata["descriptor"]
    for section, (start, end), block in titles:
        if medical is None and start < end:
            medical = page.mention(section, start, end)
            page.use(block.start, block.end)
        elif " ".join(text[start:end].split()).lower() == " ".join(descriptor.split()).lower():
            page.use(block.start, block.end)  # the title restates the descriptor
    return common, medical
