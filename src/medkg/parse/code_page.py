"""Parse a code page: a plain-text page describing one HCPCS Level II or CPT code.

The page reads, top to bottom:

- optional navigation lines, ignored: ``Search all medical codes`` and a
  breadcrumb (``Codes / HCPCS / A4253``);
- the **descriptor** line (``Injection, <drug>-abcd, 1 mg``), which is the
  document title. A code that starts it (``A4253 Blood glucose test …``) is
  not part of the descriptor;
- the **code-type** line: ``HCPCS code``, ``CPT4 code`` or ``CPT code``;
- **heading lines**, each exactly one of `HEADINGS` (any case, optional
  trailing colon), each followed by its body.

The **code** is read wherever the page states it — in parentheses (``(HCPCS
A1234)``, ``(A1234)``, ``(CPT 12345)``), after ``HCPCS code``, after a comma
(``…: <drug name>, J1234``), at the start of the title line, in the
breadcrumb — and, only when the page states none, from a file name that is a
code or starts with one (``J3110.txt``, ``J3110-injection-….txt``).
`medkg.parse.code_reference` has the rules, including which statements count
where and what happens when a page states two codes (a `SourceError` naming
them: nothing is guessed). The metadata says where the code was read:
``code_span`` (its span in the text) and ``code_reference_span`` (the words
that state it) are None when it came from the file name, and then
``code_file_span`` is its span in `Document.source`; ``code_references``
lists the span of every statement of it. A page without a code-type line, a
descriptor or a code raises `SourceError` naming the file and what to do.

Bodies are split into one `Block` per non-blank line (pages do not wrap lines):

- ``- ``, ``• ``, ``* `` bullets and ``1.`` / ``1)`` numbered steps are
  ``item`` blocks; the marker is outside the span, the number is the ordinal;
- a line that is only a short label and a colon (``Goals:``) is a ``label``
  block, and the items after it (until the next label or paragraph) carry that
  label;
- a line ``Label: rest`` whose label has at most four words (``Common risks:
  …``) keeps its whole text as span and gets ``label="Common risks"``;
- any other line is a ``paragraph`` block.

**Text outside any heading** is kept in sections named `UNTITLED` (heading
``""``): lines before the first heading other than the navigation, descriptor
and code-type lines, and text after a dropped heading. A dropped heading shows as
a gap of blank lines wider than the gap the page puts before its headings (and
at least two lines); the text after such a gap is not attributed to the
section above it, but to an untitled section of its own.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from medkg.errors import SourceError
from medkg.model import Block, Document, Section
from medkg.parse.code_reference import (
    CodeStatement,
    breadcrumb,
    is_code,
    references_in,
    resolve_code,
    title_prefix,
)

HEADINGS: tuple[str, ...] = (
    "Name of the Procedure",
    "Summary",
    "Purpose",
    "Indications",
    "Preparation",
    "Procedure Description",
    "Duration",
    "Setting",
    "Personnel",
    "Risks and Complications",
    "Benefits",
    "Recovery",
    "Alternatives",
    "Patient Experience",
)
UNTITLED = "Untitled"

_HEADING_BY_KEY = {name.lower(): name for name in HEADINGS}
_SEARCH_LINE = re.compile(r"search\s+all\s+medical\s+codes", re.IGNORECASE)
_CODE_TYPE_LINE = re.compile(r"(?P<type>HCPCS|CPT4?|CPT®)\s+code", re.IGNORECASE)

_BULLET = re.compile(r"(?:[-•*◦▪–])\s+")
_NUMBERED = re.compile(r"(?P<number>\d{1,3})[.)]\s+")
_LABEL = re.compile(r"(?P<label>[A-Za-z][A-Za-z/&()'’\- ]*?)\s*:(?:\s+(?P<rest>\S.*))?")
_MAX_LABEL_WORDS = 4


@dataclass(frozen=True)
class _Line:
    number: int  # 1-based
    start: int  # first non-space character
    end: int  # after the last non-space character

    @property
    def blank(self) -> bool:
        return self.start == self.end


def _lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    offset = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        lead = len(raw) - len(raw.lstrip())
        stripped = raw.strip()
        start = offset + lead
        lines.append(_Line(number, start, start + len(stripped)))
        offset += len(raw) + 1
    return lines


def heading_name(line: str) -> str | None:
    """The canonical heading a line is, or None: the line must be exactly a
    known heading (any case), optionally followed by a colon."""
    key = " ".join(line.strip().rstrip(":").split()).lower()
    return _HEADING_BY_KEY.get(key)


def parse(text: str, source: str) -> Document:
    """Parse a code page; raises `SourceError` naming `source` when the page has no
    code-type line or no descriptor line, states several codes, or has no code
    (see `medkg.parse.code_reference`)."""
    lines = _lines(text)
    headings = [i for i, line in enumerate(lines) if heading_name(_line_text(text, line))]
    first_heading = headings[0] if headings else len(lines)
    code_type_index = _code_type_index(text, lines, first_heading, source)
    code_type_line = lines[code_type_index]
    code_type = _CODE_TYPE_LINE.fullmatch(_line_text(text, code_type_line))
    assert code_type is not None
    code_type_name = "HCPCS" if code_type["type"].upper() == "HCPCS" else "CPT"

    search_indexes = {
        i for i in range(first_heading) if _SEARCH_LINE.fullmatch(_line_text(text, lines[i]))
    }
    crumbs = {
        i: crumb
        for i in range(first_heading)
        if (crumb := breadcrumb(text, lines[i].start, lines[i].end)) is not None
    }
    descriptor_index = _descriptor_index(
        text, lines, code_type_index, search_indexes | crumbs.keys(), source
    )
    descriptor_start, descriptor_end = _descriptor_span(text, lines[descriptor_index])

    own, elsewhere = _code_statements(
        text, lines, headings, crumbs, first_heading, code_type_index, descriptor_index
    )
    found = resolve_code(
        source, text, _after_first(own, code_type_line.end), elsewhere, code_type_name
    )

    header = search_indexes | crumbs.keys() | {descriptor_index, code_type_index}
    sections = _preamble_sections(text, lines[:first_heading], header)
    sections += _headed_sections(text, lines, headings)
    sections.sort(key=lambda section: (section.start, section.end))

    descriptor = text[descriptor_start:descriptor_end]
    statement = found.statement
    return Document(
        source=source,
        format="code-page",
        text=text,
        title=descriptor,
        sections=tuple(sections),
        metadata={
            "descriptor": descriptor,
            "descriptor_span": (descriptor_start, descriptor_end),
            "code_type": code_type_name,
            "code_type_span": (code_type_line.start, code_type_line.end),
            "code": found.code,
            "code_span": (statement.start, statement.end) if statement else None,
            "code_reference_span": statement.reference if statement else None,
            "code_references": found.references,
            "code_file_span": found.file_span,
        },
    )


def _line_text(text: str, line: _Line) -> str:
    return text[line.start : line.end]


def _code_type_index(text: str, lines: list[_Line], first_heading: int, source: str) -> int:
    """The code-type line above the first heading, or `SourceError`."""
    for i in range(first_heading):
        if _CODE_TYPE_LINE.fullmatch(_line_text(text, lines[i])):
            return i
    raise SourceError(
        source,
        "is not a code page: no code-type line ('HCPCS code', 'CPT4 code' or 'CPT code') "
        "before its first section heading",
        "add the code-type line under the descriptor line",
    )


def _descriptor_index(
    text: str, lines: list[_Line], code_type_index: int, skipped: set[int], source: str
) -> int:
    """The last line above the code-type line that is not blank, navigation (search,
    breadcrumb) or a code alone; else `SourceError`."""
    for i in range(code_type_index - 1, -1, -1):
        line = lines[i]
        if line.blank or i in skipped or is_code(_line_text(text, line)):
            continue
        return i
    raise SourceError(
        source,
        "has no descriptor line above its code-type line",
        "put the code's descriptor (e.g. 'Injection, <drug>, 1 mg') on the line above",
        line=lines[code_type_index].number,
    )


def _descriptor_span(text: str, line: _Line) -> tuple[int, int]:
    """The descriptor on its line: without a code that starts it (``A4253 Blood …``)."""
    prefix = title_prefix(text, line.start, line.end)
    start = prefix.reference[1] if prefix is not None else line.start
    return start, line.end


def _code_statements(
    text: str,
    lines: list[_Line],
    headings: list[int],
    crumbs: dict[int, CodeStatement],
    first_heading: int,
    code_type_index: int,
    descriptor_index: int,
) -> tuple[list[CodeStatement], list[CodeStatement]]:
    """(where the page names its code, elsewhere): statements above the first heading
    (the descriptor line only by a code it starts with; a title prefix only above the
    code-type line) and in the Name of the Procedure section; references after the
    code-type line in the other sections. `crumbs`: the breadcrumb of each navigation line,
    as `parse` read them."""
    named = set(range(first_heading)) | _name_section_lines(text, lines, headings)
    heading_set = set(headings)
    own: list[CodeStatement] = []
    elsewhere: list[CodeStatement] = []
    for i, line in enumerate(lines):
        if line.blank or i == code_type_index or i in heading_set:
            continue
        if i < first_heading:
            crumb = crumbs.get(i)
            prefix = title_prefix(text, line.start, line.end) if i < code_type_index else None
            own.extend(s for s in (crumb or prefix,) if s is not None)
            if i == descriptor_index or crumb is not None:
                continue
            references = references_in(text, line.start, line.end, own=True)
            own.extend(r for r in references if prefix is None or r.start != prefix.start)
        elif i in named:
            own.extend(references_in(text, line.start, line.end, own=True))
        elif i > code_type_index:
            elsewhere.extend(references_in(text, line.start, line.end, own=False))
    return own, elsewhere


def _name_section_lines(text: str, lines: list[_Line], headings: list[int]) -> set[int]:
    """Indexes of the body lines of the first Name of the Procedure section."""
    for position, index in enumerate(headings):
        if heading_name(_line_text(text, lines[index])) == "Name of the Procedure":
            stop = headings[position + 1] if position + 1 < len(headings) else len(lines)
            return set(range(index + 1, stop))
    return set()


def _after_first(statements: list[CodeStatement], position: int) -> list[CodeStatement]:
    """The statements after `position` (the code-type line) first, then those above it:
    the one a page gives under its code-type line is the code's evidence."""
    return [
        *(s for s in statements if s.start >= position),
        *(s for s in statements if s.start < position),
    ]


def _preamble_sections(text: str, lines: list[_Line], header: set[int]) -> list[Section]:
    """Untitled sections for runs of content lines above the first heading,
    broken by the header lines (search, descriptor, code type)."""
    sections: list[Section] = []
    run: list[_Line] = []
    for index, line in enumerate(lines):
        if index in header:
            if run:
                sections.append(_section(text, UNTITLED, "", run[0].start, run))
            run = []
        elif not line.blank:
            run.append(line)
    if run:
        sections.append(_section(text, UNTITLED, "", run[0].start, run))
    return sections


def _heading_gap(lines: list[_Line], headings: list[int]) -> int:
    """The number of blank lines the page usually puts before a heading."""
    gaps: list[int] = []
    for index in headings:
        gap = 0
        while index - gap - 1 >= 0 and lines[index - gap - 1].blank:
            gap += 1
        if index - gap > 0:
            gaps.append(gap)
    if not gaps:
        return 0
    counts = Counter(gaps).most_common()
    top = counts[0][1]
    return max(gap for gap, count in counts if count == top)


def _headed_sections(text: str, lines: list[_Line], headings: list[int]) -> list[Section]:
    """One section per heading; text after a dropped-heading gap goes to an
    untitled section instead."""
    threshold = max(2, _heading_gap(lines, headings) + 1)
    sections: list[Section] = []
    bounds = [*headings, len(lines)]
    for index, next_index in itertools.pairwise(bounds):
        heading_line = lines[index]
        heading = text[heading_line.start : heading_line.end]
        name = heading_name(heading)
        assert name is not None
        chunks = _chunks(lines[index + 1 : next_index], threshold)
        body_start = min(heading_line.end + 1, len(text))
        sections.append(_section(text, name, heading, body_start, chunks[0]))
        sections.extend(_section(text, UNTITLED, "", chunk[0].start, chunk) for chunk in chunks[1:])
    return sections


def _chunks(body: list[_Line], threshold: int) -> list[list[_Line]]:
    """Content lines of a body, split where `threshold` or more blank lines
    follow content. The first chunk may be empty (an empty section)."""
    chunks: list[list[_Line]] = [[]]
    blanks = 0
    for line in body:
        if line.blank:
            blanks += 1
            continue
        if blanks >= threshold and chunks[-1]:
            chunks.append([])
        blanks = 0
        chunks[-1].append(line)
    return chunks


def _section(text: str, name: str, heading: str, start: int, lines: list[_Line]) -> Section:
    blocks = _blocks(text, lines)
    end = lines[-1].end if lines else start
    return Section(name=name, heading=heading, start=start, end=max(start, end), blocks=blocks)


def _blocks(text: str, lines: list[_Line]) -> tuple[Block, ...]:
    """Blocks of one section body; see the module docstring for the rules."""
    raw: list[Block] = []
    for line in lines:
        block = _block(text, line)
        if block is not None:
            raw.append(block)
    item_indents = sorted({_indent(text, b.start) for b in raw if b.kind == "item"})
    blocks: list[Block] = []
    group: str | None = None
    for block in raw:
        if block.kind == "label":
            group = block.label
        elif block.kind == "paragraph":
            group = None
        elif block.kind == "item":
            depth = item_indents.index(_indent(text, block.start))
            block = Block(
                kind="item",
                text=block.text,
                start=block.start,
                end=block.end,
                depth=depth,
                ordinal=block.ordinal,
                label=block.label or group,
            )
        blocks.append(block)
    return tuple(blocks)


def _indent(text: str, position: int) -> int:
    """Column of the line's first non-space character (the marker for items)."""
    line_start = text.rfind("\n", 0, position) + 1
    line = text[line_start:position]
    return len(line) - len(line.lstrip())


def _block(text: str, line: _Line) -> Block | None:
    start, end = line.start, line.end
    kind: Literal["paragraph", "item", "label"] = "paragraph"
    ordinal: int | None = None
    marker = _BULLET.match(text, start, end) or _NUMBERED.match(text, start, end)
    if marker is not None:
        kind = "item"
        if "number" in marker.groupdict():
            ordinal = int(marker.group("number"))
        start = marker.end()
    if start >= end:
        return None  # a bullet with nothing after it
    label_match = _LABEL.fullmatch(text, start, end)
    label: str | None = None
    if label_match and len(label_match.group("label").split()) <= _MAX_LABEL_WORDS:
        label = label_match.group("label").strip()
        if label_match.group("rest") is None:
            kind = "label"
    return Block(
        kind=kind,
        text=text[start:end],
        start=start,
        end=end,
        ordinal=ordinal,
        label=label,
    )
