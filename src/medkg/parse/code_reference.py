"""Where a code page states its billing code, and which code that is.

A **code** is an HCPCS Level II code (a letter A–V and four digits, ``J1740``)
or a CPT code (five digits, ``96413``, or four digits and ``A``, ``F``,
``M``, ``T`` or ``U``: ``0001A``, ``3044F``, ``0001M``, ``0042T``,
``0001U``). Nothing else is read as a code, and letters are never
case-folded: ``j1740`` is not a code. ``shapes/codes.ttl`` and the JSON
Schema (``hcpcsCode``, ``cptCode``) check the same shapes.

Real pages state their own code in these ways (`CodeStatement.form`):

- ``parenthesised``: ``(J1740)``, ``(HCPCS J1740)``, ``(HCPCS Code: J1740)``,
  ``(CPT 96413)``, ``(Code: 3044F)``;
- ``labelled``: ``HCPCS Code J1740``, ``HCPCS code: J1740``, ``CPT4 96413``,
  ``Code: J1740`` outside parentheses;
- ``list part``: the code standing as a part of its own, after a comma, a
  semicolon or a label's colon, or alone on its line, and followed by the end
  of the line, a comma or a dash (``<drug name>, J1740``,
  ``Medical Term: G9458 - Patient documented …``);
- ``title prefix``: a line above the code-type line that starts with the code
  (``A4253 Blood glucose test strips, per 50 strips``);
- ``breadcrumb``: a line above the first heading of ``/``-, ``>``-, ``›``- or
  ``»``-separated parts ending with the code (``Codes / HCPCS / A4253``).

A parenthesised or labelled statement may list several codes (``(J1740, J1745)``,
``(HCPCS J1740 or J1745)``, ``HCPCS codes J1740/J1745``): each is a statement of its
own, so a page naming two codes as its own is refused (below) rather than read as its
first code, or as having none. One page is one code (the brief): medkg does not guess
which of two the page is about, and the message names both, the file and the line.
A code introduced as a cross-reference (``(HCPCS J1740; see also J1745)``, ``replaced
by J1745``, ``formerly J1745``) is not listed: it is not the page's own code, and the
page keeps the code it states.

Lines above the first heading (except the descriptor line, whose words
describe the code and may name others: ``in addition to code 99601``) and the
Name of the Procedure section are where a page names *its* code: every form
counts there. Elsewhere (Summary, Procedure Description …) a page may cite
other codes (``the administration code (CPT 96413)``), so only parenthesised
references and those labelled with a system (``HCPCS J1740``) count, and only
those of the system the code-type line names.

Which code the page is about, in this order (`resolve_code`):

1. the codes stated where the page names its code: one code is the answer;
   several different codes are narrowed to those of the code-type line's
   system, and if that does not leave exactly one, the page is ambiguous and
   `SourceError` names them all (nothing is guessed);
2. else the references in the other sections and the file name: the file
   name counts when it is exactly a code or starts with one followed by
   ``-``, ``_`` or ``.`` (``J3110.txt``,
   ``J3110-injection-<drug>-10-mcg.txt``). One code stated in the
   text is the answer when the file name gives none or the same one; two
   different codes (in the text, or the text's and the file name's) are a
   `SourceError` naming them;
3. else `SourceError` saying where to write the code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from medkg.errors import SourceError

HCPCS_CODE = r"[A-V]\d{4}"
# CPT: five digits, or four and a letter: A vaccine administration (0001A), F category II,
# M multianalyte assays, T category III, U proprietary laboratory analyses
CPT_CODE = r"\d{5}|\d{4}[AFMTU]"
CODE = rf"(?:{HCPCS_CODE}|{CPT_CODE})"

Span = tuple[int, int]
StatementForm = Literal["parenthesised", "labelled", "list part", "title prefix", "breadcrumb"]

_HCPCS = re.compile(HCPCS_CODE)
_ANY_CODE = re.compile(CODE)
_SYSTEM_WORD = r"(?:HCPCS(?:\s+Level\s+II)?|CPT(?:4|®)?)"
_PARENTHESISED = re.compile(
    rf"\(\s*(?:(?i:{_SYSTEM_WORD}(?:\s+codes?)?|codes?)[\s:#]*)?(?P<code>{CODE})\s*\)"
)
_SYSTEM_LABELLED = re.compile(
    rf"(?<![\w-])(?i:{_SYSTEM_WORD}(?:\s+codes?)?)(?:\s*[:#]\s*|\s+)(?P<code>{CODE})(?![\w-])"
)
_CODE_LABELLED = re.compile(rf"(?<![\w-])(?i:codes?)\s*[:#]\s*(?P<code>{CODE})(?![\w-])")
_LIST_SEPARATOR = r"[ \t]*(?:[,/&+]|\b(?:or|and)\b)[ \t]*"
_CODE_LIST = re.compile(
    rf"(?P<opening>\(\s*(?:(?i:{_SYSTEM_WORD}(?:\s+codes?)?|codes?)[\s:#]*)?"
    rf"|(?<![\w-])(?i:{_SYSTEM_WORD}(?:\s+codes?)?|codes?)(?:\s*[:#]\s*|\s+))"
    rf"(?P<codes>{CODE}(?:{_LIST_SEPARATOR}{CODE})+)(?![\w-])"
)
_CODE_TOKEN = re.compile(rf"(?<![\w-])(?P<code>{CODE})(?![\w-])")
_AFTER_PART = re.compile(r"[ \t]*(?:[,;]|\.?[ \t]*$|[-–—:][ \t])")
_BULLETS = "-•*◦▪–"
_TITLE_PREFIX = re.compile(rf"(?P<code>{CODE})(?:[ \t]*[-–—:][ \t]*|[ \t]+)(?=[^\W\d_]|\()")
_BREADCRUMB_SEPARATOR = re.compile(r"[ \t]*[/>›»][ \t]*")
_FILE_NAME = re.compile(rf"(?P<code>{CODE})(?:[-_.]|$)")


def code_system(code: str) -> Literal["HCPCS", "CPT"]:
    """'HCPCS' for a letter and four digits (Level II), 'CPT' for five digits
    or four digits and A, F, M, T or U. A CPT code is never typed HCPCS."""
    return "HCPCS" if _HCPCS.fullmatch(code) else "CPT"


def is_code(text: str) -> bool:
    """Whether `text` is exactly an HCPCS Level II or CPT code."""
    return _ANY_CODE.fullmatch(text) is not None


@dataclass(frozen=True)
class CodeStatement:
    """Where the page states a code: the code's own span, and the words that state it
    (``(HCPCS J1740)``, ``HCPCS Code J1740``, or just the code)."""

    code: str
    start: int
    end: int
    reference: Span
    form: StatementForm


@dataclass(frozen=True)
class FoundCode:
    """The page's code. `statement` is where the text states it, None when it was read
    from the file name (then `file_span` is its span in the file name); `references`
    are the spans of every statement of it that was weighed."""

    code: str
    statement: CodeStatement | None
    references: tuple[Span, ...]
    file_span: Span | None


def references_in(text: str, start: int, end: int, own: bool) -> list[CodeStatement]:
    """Code statements in text[start:end] (one line): parenthesised ones and those
    labelled with their system; when `own` (a place where the page names its own code)
    also ``Code: …`` and list parts."""
    found: list[CodeStatement] = list(_code_lists(text, start, end, own))
    taken: set[Span] = {(s.start, s.end) for s in found}
    patterns: list[tuple[re.Pattern[str], StatementForm]] = [
        (_PARENTHESISED, "parenthesised"),
        (_SYSTEM_LABELLED, "labelled"),
    ]
    if own:
        patterns.append((_CODE_LABELLED, "labelled"))
    for pattern, form in patterns:
        for match in pattern.finditer(text, start, end):
            span = match.span("code")
            if span not in taken:
                taken.add(span)
                found.append(CodeStatement(match["code"], *span, match.span(), form))
    if own:
        for part in _list_parts(text, start, end):
            if (part.start, part.end) not in taken:
                found.append(part)
    return sorted(found, key=lambda s: s.start)


def _code_lists(text: str, start: int, end: int, own: bool) -> Iterable[CodeStatement]:
    """One statement per code of a list of codes in parentheses or after a label
    (``(J1740, J1745)``, ``HCPCS J1740 or J1745``) in text[start:end]; the bare
    ``Code: …`` label only when `own`."""
    for match in _CODE_LIST.finditer(text, start, end):
        opening = match["opening"]
        parenthesised = opening.startswith("(")
        if not parenthesised and not own and not re.match(_SYSTEM_WORD, opening, re.I):
            continue
        form: StatementForm = "parenthesised" if parenthesised else "labelled"
        for code in _CODE_TOKEN.finditer(text, *match.span("codes")):
            yield CodeStatement(code["code"], *code.span("code"), match.span(), form)


def _list_parts(text: str, start: int, end: int) -> Iterable[CodeStatement]:
    """Codes standing as a part of their own in text[start:end] (one line): at the
    line's start (after a bullet) or after ``,`` ``;`` ``:``, and followed by the end
    of the line, ``,`` ``;`` or a dash."""
    for match in _CODE_TOKEN.finditer(text, start, end):
        before = text[start : match.start()].rstrip(" \t")
        if before and before not in _BULLETS and before[-1] not in ",;:":
            continue
        if _AFTER_PART.match(text, match.end(), end):
            span = match.span("code")
            yield CodeStatement(match["code"], *span, span, "list part")


def title_prefix(text: str, start: int, end: int) -> CodeStatement | None:
    """The code a header line starts with (``A4253 Blood glucose …``), if any;
    its reference spans the code and the separator after it."""
    match = _TITLE_PREFIX.match(text, start, end)
    if match is None:
        return None
    return CodeStatement(match["code"], *match.span("code"), match.span(), "title prefix")


def breadcrumb(text: str, start: int, end: int) -> CodeStatement | None:
    """The code ending a breadcrumb line (``Codes / HCPCS / A4253``), if the line is one."""
    cuts = list(_BREADCRUMB_SEPARATOR.finditer(text, start, end))
    if not cuts:
        return None
    bounds = [start, *(p for cut in cuts for p in cut.span()), end]
    parts = [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]
    if any(s >= e for s, e in parts):
        return None
    last_start, last_end = parts[-1]
    if not is_code(text[last_start:last_end]):
        return None
    return CodeStatement(
        text[last_start:last_end], last_start, last_end, (start, end), "breadcrumb"
    )


def file_name_code(source: str) -> tuple[str, Span] | None:
    """The code a file name is, or starts with before ``-``, ``_`` or ``.``, with its
    span in `source` (the part after the last ``/`` is the file name)."""
    name_start = source.rfind("/") + 1
    match = _FILE_NAME.match(source, name_start)
    if match is None:
        return None
    return match["code"], match.span("code")


def resolve_code(
    source: str,
    text: str,
    own: Sequence[CodeStatement],
    elsewhere: Sequence[CodeStatement],
    code_type: str,
) -> FoundCode:
    """The page's code from its statements in `text` (see the module docstring for the
    order); raises `SourceError` naming `source` (and the line of a conflicting code)
    when the page is ambiguous or states none."""
    if own:
        code = _one_code(source, text, own, code_type, "where it names its code")
        return _found(code, own)
    cited = [s for s in elsewhere if code_system(s.code) == code_type]
    from_file = file_name_code(source)
    if cited:
        code = _one_code(source, text, cited, code_type, "in its sections")
        if from_file is not None and from_file[0] != code:
            found = _found(code, cited)
            assert found.statement is not None
            raise SourceError(
                source,
                f"states the code {code} in its sections (line "
                f"{_line_number(text, found.statement.start)}) but its file name says "
                f"{from_file[0]}; medkg does not guess which is right",
                f"state the page's own code on its 'Name of the Procedure' line, e.g. "
                f"'({code_type} {from_file[0]})', or rename the file so that it does not "
                "start with another code",
            )
        return _found(code, cited)
    if from_file is not None:
        return FoundCode(from_file[0], None, (), from_file[1])
    raise SourceError(
        source,
        "has no billing code: none is stated on the page (in parentheses, after 'HCPCS "
        "code', after a comma, at the start of the title line or in a 'Codes / HCPCS / "
        "<code>' line) and the file name does not start with one",
        "add the code to the 'Name of the Procedure' line, e.g. '(HCPCS J1234)', or name "
        "the file after it, e.g. 'J1234.txt'",
    )


def _one_code(
    source: str, text: str, statements: Sequence[CodeStatement], code_type: str, where: str
) -> str:
    """The one code of `statements`; with several, the one of the code-type line's
    system; otherwise `SourceError` naming them and the line that states the second."""
    ordered = sorted(statements, key=lambda s: s.start)
    codes = _distinct(s.code for s in ordered)
    if len(codes) > 1:
        typed = [c for c in codes if code_system(c) == code_type]
        if len(typed) == 1:
            return typed[0]
        second = next(s for s in ordered if s.code == codes[1])
        raise SourceError(
            source,
            f"states several billing codes {where} ({', '.join(codes)}), the second on line "
            f"{_line_number(text, second.start)}; medkg does not guess which one the page is "
            "about",
            "keep only the page's own code on its title and 'Name of the Procedure' lines",
        )
    return codes[0]


def _line_number(text: str, position: int) -> int:
    """The 1-based line of `position` in `text`."""
    return text.count("\n", 0, position) + 1


def _found(code: str, statements: Iterable[CodeStatement]) -> FoundCode:
    mine = [s for s in statements if s.code == code]
    return FoundCode(code, mine[0], tuple(s.reference for s in mine), None)


def _distinct(codes: Iterable[str]) -> list[str]:
    """Codes in first-seen order, each once."""
    return list(dict.fromkeys(codes))
