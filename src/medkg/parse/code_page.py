"""Parse a code page: a plain-text page describing one HCPCS Level II or CPT code.

The page reads, top to bottom:

- an optional ``Search all medical codes`` line (site navigation, ignored);
- the **descriptor** line (``Injection, <drug>-abcd, 1 mg``), which is the
  document title;
- the **code-type** line: ``HCPCS code``, ``CPT4 code`` or ``CPT code``;
- **heading lines**, each exactly one of `HEADINGS` (any case, optional
  trailing colon), each followed by its body.

The code itself is written in parentheses somewhere after the code-type line:
``(HCPCS A1234)``, ``(HCPCS Code A1234)``, ``(CPT 12345)`` or ``(A1234)``. A page
without a code-type line, a descriptor or a code raises `SourceError`.

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
``""``): lines before the first heading other than the search, descriptor and
code-type lines, and text after a dropped heading. A dropped heading shows as
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

HCPCS_CODE = r"[A-V]\d{4}"
CPT_CODE = r"\d{5}|\d{4}[A-Z]"
_CODE_REFERENCE = re.compile(
    rf"\(\s*(?:(?i:HCPCS|CPT4?|CPT®)(?:\s+(?i:Level\s+II))?(?:\s+(?i:code))?[\s:#]*)?"
    rf"(?P<code>{HCPCS_CODE}|{CPT_CODE})\s*\)"
)
_BULLET = re.compile(r"(?:[-•*◦▪–])\s+")
_NUMBERED = re.compile(r"(?P<number>\d{1,3})[.)]\s+")
_LABEL = re.compile(r"(?P<label>[A-Za-z][A-Za-z/&()'’\- ]*?)\s*:(?:\s+(?P<rest>\S.*))?")
_MAX_LABEL_WORDS = 4


def code_system(code: str) -> str:
    """'HCPCS' for a letter and four digits (Level II), 'CPT' for five digits
    or four digits and a letter. A CPT code is never typed HCPCS."""
    return "HCPCS" if re.fullmatch(HCPCS_CODE, code) else "CPT"


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
    """Parse a code page; raises `SourceError` naming `source` when the page
    has no code-type line, no descriptor line or no code."""
    lines = _lines(text)
    headings = [i for i, line in enumerate(lines) if heading_name(text[line.start : line.end])]
    first_heading = headings[0] if headings else len(lines)

    code_type_index = next(
        (
            i
            for i in range(first_heading)
            if _CODE_TYPE_LINE.fullmatch(text[lines[i].start : lines[i].end])
        ),
        None,
    )
    if code_type_index is None:
        raise SourceError(
            source,
            "is not a code page: no code-type line ('HCPCS code', 'CPT4 code' or 'CPT code') "
            "before its first section heading",
            "add the code-type line under the descriptor line",
        )
    code_type_line = lines[code_type_index]
    search_indexes = {
        i
        for i in range(first_heading)
        if _SEARCH_LINE.fullmatch(text[lines[i].start : lines[i].end])
    }
    descriptor_index = next(
        (
            i
            for i in range(code_type_index - 1, -1, -1)
            if not lines[i].blank and i not in search_indexes
        ),
        None,
    )
    if descriptor_index is None:
        raise SourceError(
            source,
            "has no descriptor line above its code-type line",
            "put the code's descriptor (e.g. 'Injection, <drug>, 1 mg') on the line above",
            line=code_type_line.number,
        )
    descriptor_line = lines[descriptor_index]

    code_type = _CODE_TYPE_LINE.fullmatch(text[code_type_line.start : code_type_line.end])
    assert code_type is not None
    code_type_name = "HCPCS" if code_type["type"].upper() == "HCPCS" else "CPT"
    code_match = _find_code(text, code_type_line.end, code_type_name)
    if code_match is None:
        raise SourceError(
            source,
            "has no billing code: expected it in parentheses after the code-type line, "
            "as '(HCPCS <letter and 4 digits>)' or '(CPT <5 digits>)'",
            "add the code to the 'Name of the Procedure' line",
        )

    header = search_indexes | {descriptor_index, code_type_index}
    sections = _preamble_sections(text, lines[:first_heading], header)
    sections += _headed_sections(text, lines, headings)
    sections.sort(key=lambda section: (section.start, section.end))

    return Document(
        source=source,
        format="code-page",
        text=text,
        title=text[descriptor_line.start : descriptor_line.end],
        sections=tuple(sections),
        metadata={
            "descriptor": text[descriptor_line.start : descriptor_line.end],
            "descriptor_span": (descriptor_line.start, descriptor_line.end),
            "code_type": code_type_name,
            "code_type_span": (code_type_line.start, code_type_line.end),
            "code": code_match.group("code"),
            "code_span": code_match.span("code"),
            "code_reference_span": code_match.span(),
        },
    )


def _find_code(text: str, start: int, wanted: str) -> re.Match[str] | None:
    """The first parenthesised code after `start` whose shape fits the
    code-type line (`wanted`), else the first parenthesised code at all."""
    fallback: re.Match[str] | None = None
    for match in _CODE_REFERENCE.finditer(text, start):
        if code_system(match.group("code")) == wanted:
            return match
        fallback = fallback or match
    return fallback


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
