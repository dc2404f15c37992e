"""Stage 1, read: bytes -> repaired text, with the sha256 of the raw bytes.

Mojibake (UTF-8 text that was once decoded as cp1252, e.g. ``mÂ²`` for ``m²``)
is repaired with ftfy, configured to fix encodings only: quotes stay curly,
ligatures and widths stay as written, no Unicode normalisation. Newlines are
normalised to ``\\n``. Every repair is recorded with its position in the
repaired text, so a quote can always be traced back to the bytes on disk.
"""

from __future__ import annotations

import codecs
import difflib
import hashlib
from dataclasses import dataclass
from pathlib import Path

import ftfy

from medkg.errors import SourceError
from medkg.parse.limits import check_size, check_structure

_FIXER = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=True,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=True,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)


@dataclass(frozen=True)
class Repair:
    """One encoding repair: `found` in the file became `repaired` at `start` (repaired text)."""

    start: int
    found: str
    repaired: str


@dataclass(frozen=True)
class SourceText:
    """A source file as text: what every later stage reads."""

    name: str  # the document key: the file name
    path: Path
    sha256: str  # of the raw bytes
    size: int  # bytes
    text: str  # repaired, newline-normalised
    repairs: tuple[Repair, ...]


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def repair_text(text: str) -> tuple[str, tuple[Repair, ...]]:
    """Repair mojibake in `text`; return the repaired text and the repairs made.

    Encoding repairs are local, and ftfy (configured as above) leaves line
    breaks alone, so the two texts are compared line by line: only lines that
    changed are diffed, which keeps the cost linear in the text. Should the
    number of lines ever differ, the whole texts are diffed instead.
    """
    repaired = ftfy.fix_text(text, _FIXER)
    if repaired == text:
        return text, ()
    before = text.splitlines(keepends=True)
    after = repaired.splitlines(keepends=True)
    if len(before) != len(after):
        return repaired, tuple(_diff(text, repaired, 0))
    repairs: list[Repair] = []
    offset = 0
    for old_line, new_line in zip(before, after, strict=True):
        if old_line != new_line and offset > 0:
            # The line break before the line is context, as it is in the whole text.
            repairs += _diff("\n" + old_line, "\n" + new_line, offset - 1)
        elif old_line != new_line:
            repairs += _diff(old_line, new_line, offset)
        offset += len(new_line)
    return repaired, tuple(repairs)


def _diff(text: str, repaired: str, offset: int) -> list[Repair]:
    """The repairs that turn `text` into `repaired`; `offset` is where `repaired` starts in
    the whole repaired text."""
    repairs: list[Repair] = []
    matcher = difflib.SequenceMatcher(a=text, b=repaired, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op != "equal":
            # Widen to one neighbouring character each side so the record reads
            # "mÂ²" -> "m²" rather than "Â" -> "".
            left = 1 if a0 > 0 and b0 > 0 else 0
            right = 1 if a1 < len(text) and b1 < len(repaired) else 0
            repairs.append(
                Repair(
                    start=offset + b0 - left,
                    found=text[a0 - left : a1 + right],
                    repaired=repaired[b0 - left : b1 + right],
                )
            )
    return repairs


# byte-order marks of the Unicode encodings other than UTF-8, longest first (a UTF-32 LE
# mark starts with the UTF-16 LE one)
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes, name: str) -> str:
    """Decode bytes as UTF-8 (a BOM is dropped), or as UTF-16/UTF-32 when they open with that
    encoding's byte-order mark; anything else is an error naming the file."""
    for mark, encoding in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            try:
                return data.decode(encoding)  # the codec reads and drops the mark
            except UnicodeDecodeError as error:
                raise SourceError(
                    name,
                    f"opens with a {encoding.upper()} byte-order mark but is not valid "
                    f"{encoding.upper()} (byte {error.start})",
                    "re-save the file as UTF-8",
                ) from error
    if b"\x00" in data:
        raise SourceError(
            name,
            "contains NUL bytes: it is a binary file, or UTF-16/UTF-32 text without a "
            "byte-order mark",
            "give medkg Markdown monographs or plain-text code pages, saved as UTF-8",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SourceError(
            name,
            f"is not valid UTF-8 (byte {error.start}: {data[error.start : error.start + 1]!r})",
            "re-save the file as UTF-8",
            line=line,
        ) from error


def read_text(data: bytes, name: str, path: Path | None = None) -> SourceText:
    """Turn raw bytes into a `SourceText`; a document over a size or structure limit
    (`medkg.parse.limits`) fails before it is repaired or parsed."""
    check_size(name, len(data))
    decoded = normalise_newlines(decode(data, name))
    check_structure(name, decoded)
    text, repairs = repair_text(decoded)
    return SourceText(
        name=name,
        path=path if path is not None else Path(name),
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        text=text,
        repairs=repairs,
    )


def read_source(path: Path) -> SourceText:
    """Read one file from disk (one over `medkg.parse.limits.MAX_BYTES` is not read whole)."""
    try:
        check_size(path.name, path.stat().st_size)
        data = path.read_bytes()
    except OSError as error:
        raise SourceError(
            str(path), f"cannot be read: {error.strerror}", "check the path and its permissions"
        ) from error
    return read_text(data, path.name, path)
