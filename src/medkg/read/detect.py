"""Which input format a text is, read from its content (file names lie).

A **monograph** opens with YAML front matter (``---`` … ``---``) whose
``layout`` is ``minimal-medicine``, or that has a ``title`` and is followed by
Markdown headings or bold labels. A **code page** has, near its top, a
code-type line (``HCPCS code``, ``CPT4 code``, ``CPT code``) or a ``Name of the
Procedure`` heading, and no such front matter: a page that merely opens with a
``---`` rule is still a code page. A text whose first line opens a front matter
(``---``) that is never closed is a monograph when a ``title:`` or ``layout:``
line follows near the top, or when it is no code page either, so that the
parser fails it with that error instead of it being skipped as no drug
document. Anything else is not a drug document, and `detect_format` says why.
"""

from __future__ import annotations

import re

from medkg.errors import NotADrugDocument
from medkg.model import DocumentFormat

FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n(?P<yaml>.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
FRONT_MATTER_OPENING = re.compile(r"\A\ufeff?---[ \t]*\n")
CODE_TYPE_LINE = re.compile(r"^\s*(?:HCPCS|CPT4?|CPT®?)\s+code\s*$", re.IGNORECASE | re.MULTILINE)
PROCEDURE_HEADING = re.compile(r"^\s*Name of the Procedure\s*:?\s*$", re.IGNORECASE | re.MULTILINE)
MONOGRAPH_LAYOUT = re.compile(r"^layout:\s*['\"]?minimal-medicine['\"]?\s*$", re.MULTILINE)
FRONT_MATTER_KEY = re.compile(r"^(?:title|layout)[ \t]*:", re.MULTILINE)
MARKDOWN_STRUCTURE = re.compile(r"^(?:#{1,6}\s+\S|\*\*[^*\n]+:\*\*)", re.MULTILINE)

_HEAD_LINES = 12  # a code page states its code type within its first lines


def detect_format(text: str, source: str) -> DocumentFormat:
    """Return the format of `text`, or raise `NotADrugDocument` saying why not."""
    front = FRONT_MATTER.match(text)
    if front:
        yaml_text = front.group("yaml")
        if MONOGRAPH_LAYOUT.search(yaml_text):
            return "monograph"
        if re.search(r"^title:", yaml_text, re.MULTILINE) and MARKDOWN_STRUCTURE.search(
            text, front.end()
        ):
            return "monograph"
    head = "\n".join(text.split("\n", _HEAD_LINES)[:_HEAD_LINES])
    unclosed = front is None and FRONT_MATTER_OPENING.match(text) is not None
    if unclosed and FRONT_MATTER_KEY.search(head):
        return "monograph"  # never closed: `medkg.parse.monograph` names the error
    if CODE_TYPE_LINE.search(head) or PROCEDURE_HEADING.search(head):
        return "code-page"
    if unclosed:
        return "monograph"  # no code page either: the parser names the unclosed front matter
    if not text.strip():
        raise NotADrugDocument(source, "is empty", "remove it from the sources")
    raise NotADrugDocument(
        source,
        "is neither a drug monograph (YAML front matter with 'layout: minimal-medicine') "
        "nor a code page (an 'HCPCS code' or 'CPT4 code' line near the top)",
        "remove it from the sources, or fix its front matter or code-type line",
    )
