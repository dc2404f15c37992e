"""Per-document limits on size and structure: the one place they are set.

A document over a limit fails on its own, before any costly stage runs (ftfy's
repair, the Markdown parser, the extractors): a 10,000-bullet file used to take
91 s and 1.1 GB, a 50 MB one 218 s and 3.3 GB. The other documents build as
usual (``--keep-going``). Every limit is far above the real collection's
largest document (measured on the 6,447 monographs, see `REAL_MAXIMA`), so only
generated or broken input ever meets one.

`check_size` runs on the byte count (before the file is read whole when it is on
disk), `check_structure` on the decoded text (before repair and parsing). Both
raise `DocumentOverLimit` naming the file, the measure, the limit and what to do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from medkg.errors import SourceError

MAX_BYTES = 500_000  # bytes of the file
MAX_LINES = 10_000  # lines of text
MAX_LINE_CHARS = 20_000  # characters of one line
MAX_LIST_ITEMS = 1_000  # bulleted or numbered lines
MAX_NESTING = 24  # containers around one line: '>' quotes and indented list levels

# the largest of each measure in the real collection (RxHive composition/, 6,447
# monographs; bundled seeds and fixtures are smaller), as `measure` counts them
# (``python scripts/measure_limits.py FOLDER`` measures a collection again)
REAL_MAXIMA = {
    "bytes": 9_525,
    "lines": 150,
    "line_chars": 1_492,
    "list_items": 81,
    "nesting": 5,  # cisatracurium.md: a list item indented 8 spaces (two per level)
}

_LIST_ITEM = re.compile(r"^[ \t>]*(?:[-*+•◦▪–]|\d{1,9}[.)])[ \t]", re.MULTILINE)
_CONTAINERS = re.compile(r"[ \t>]*(?:(?:[-*+•◦▪–]|\d{1,9}[.)])[ \t])?")


class DocumentOverLimit(SourceError):
    """A document is larger or deeper than medkg reads (see `medkg.parse.limits`)."""


@dataclass(frozen=True)
class Measures:
    """What `measure` counts in a text."""

    lines: int
    line_chars: int
    list_items: int
    nesting: int
    longest_line: int = 1  # the line number (from 1) of the longest line
    deepest_line: int = 1  # the line number (from 1) of the most deeply nested line


def nesting(line: str) -> int:
    """How many containers hold `line`: each ``>`` of its prefix, and, on a list item, one
    level per two columns of indentation (a tab is four) plus the item's own."""
    prefix = _CONTAINERS.match(line)
    assert prefix is not None  # the pattern matches the empty string
    marker = prefix.group()
    quotes = marker.count(">")
    stripped = marker.rstrip(" \t")
    if not stripped or stripped[-1] == ">":
        return quotes
    lead = marker[: len(marker) - len(marker.lstrip(" \t>"))]  # before the item's marker
    columns = len(lead.rsplit(">", 1)[-1].replace("\t", "    ")) - (1 if quotes else 0)
    return quotes + max(columns, 0) // 2 + 1


def measure(text: str) -> Measures:
    """The structure measures of `text` (newlines already normalised to ``\\n``)."""
    lines = text.split("\n")
    lengths = [len(line) for line in lines]
    depths = [nesting(line) for line in lines]
    longest = max(range(len(lines)), key=lengths.__getitem__)
    deepest = max(range(len(lines)), key=depths.__getitem__)
    return Measures(
        lines=len(lines),
        line_chars=lengths[longest],
        list_items=len(_LIST_ITEM.findall(text)),
        nesting=depths[deepest],
        longest_line=longest + 1,
        deepest_line=deepest + 1,
    )


def _over(name: str, what: str, found: int, limit: int, constant: str) -> DocumentOverLimit:
    return DocumentOverLimit(
        name,
        f"has {found:,} {what}, over medkg's limit of {limit:,} per document "
        f"(medkg.parse.limits.{constant}; the largest real monograph has "
        f"{REAL_MAXIMA[constant.removeprefix('MAX_').lower()]:,})",
        "split it into documents of one drug or code each, or remove what is not "
        "monograph text; with --keep-going the other documents still build",
    )


def check_size(name: str, size: int) -> None:
    """Raise `DocumentOverLimit` when a file of `size` bytes is over `MAX_BYTES`."""
    if size > MAX_BYTES:
        raise _over(name, "bytes", size, MAX_BYTES, "MAX_BYTES")


def check_structure(name: str, text: str) -> None:
    """Raise `DocumentOverLimit` for the first limit `text` is over (lines, line length,
    list items, nesting; see `measure`)."""
    found = measure(text)
    for count, limit, what, constant in (
        (found.lines, MAX_LINES, "lines", "MAX_LINES"),
        (
            found.line_chars,
            MAX_LINE_CHARS,
            f"characters on one line (line {found.longest_line})",
            "MAX_LINE_CHARS",
        ),
        (found.list_items, MAX_LIST_ITEMS, "list items", "MAX_LIST_ITEMS"),
        (
            found.nesting,
            MAX_NESTING,
            f"levels of nesting (line {found.deepest_line})",
            "MAX_NESTING",
        ),
    ):
        if count > limit:
            raise _over(name, what, count, limit, constant)
