"""The procedure's names on a code page: its common name and its medical term.

Read from the Name of the Procedure section and the untitled text above it:
``Common Name(s):`` and ``Medical Term:`` labels (also both on one line; a
second common name and later ones are kept as statements), ``commonly known
as …``, and a title line ``<name> (<code>)`` (any line stating the page's
code) that gives the medical term when no label does. A statement of the code
is never part of a name: a name before it ends there (``(HCPCS A1234)`` and
what follows it, ``…, A1234``), a name after it starts after it (``A1234 -
<name>``). A title line that gives no medical term but restates
the descriptor, or states only the code, is used up, not kept as a statement.
"""

from __future__ import annotations

import re

from medkg.extract.code_page.units import Page, strip_article, value_span
from medkg.model import Block, Mention
from medkg.parse.code_page import UNTITLED
from medkg.text import Span, split_list, trim

_COMMON_LABEL = re.compile(r"common\s+names?(?:\(s\))?|also\s+known\s+as|other\s+names?", re.I)
_TERM_LABEL = r"(?:technical\s*(?:/|or|and)\s*)?(?:medical|technical)\s+terms?(?:\(s\))?"
_MEDICAL_LABEL = re.compile(_TERM_LABEL, re.I)
_MEDICAL_INLINE = re.compile(rf"\s{_TERM_LABEL}\s*:\s*", re.I)
_SEPARATORS = " \t,;:.-–—"
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
    """A name span without the statements of the page's code in it: a statement after
    the name's first words ends the name there, one that opens the span starts it after."""
    text = page.text
    for ref_start, ref_end in _references(page):
        if not start <= ref_start < end:
            continue
        if trim(text, start, ref_start, _SEPARATORS)[0] >= ref_start:
            start = ref_end  # the span opens with the code: the name follows it
        else:
            end = ref_start
    return trim(text, start, end, _SEPARATORS)


def _references(page: Page) -> tuple[Span, ...]:
    """The spans of every statement of the page's code (none when its file name gave it)."""
    references: tuple[Span, ...] = page.document.metadata["code_references"]
    return references


def _states_code(page: Page, block: Block) -> bool:
    return any(block.start <= start < block.end for start, _ in _references(page))


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
        elif _states_code(page, block):
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
        elif start >= end or _same_words(text[start:end], descriptor):
            page.use(block.start, block.end)  # only the code, or the descriptor restated
    return common, medical


def _same_words(one: str, other: str) -> bool:
    return " ".join(one.split()).lower() == " ".join(other.split()).lower()
