"""Stage 2, parse: a Markdown drug monograph -> `Document` (format "monograph").

The rules, in reading order:

* **Front matter.** A first line ``---``, YAML, and a closing ``---`` (or
  ``...``) line. The YAML is read with ``yaml.safe_load`` only and kept as
  `Document.metadata`; a YAML error names the line and what to fix.
* **Title.** The front matter's ``title``, else the first level-1 heading.
* **Markdown.** The rest is parsed by markdown-it-py (CommonMark). Its line map
  locates every block; offsets are character offsets into the text given, so
  ``text[block.start:block.end] == block.text`` always holds. Nothing is
  stripped from the text (inline HTML such as ``<sup>9</sup>`` stays).
* **Sections.** Each heading of level 2 or deeper opens a section. Its name is
  canonical ("How it Works") when the heading, without a trailing colon or a
  parenthetical such as "(Components)", is a known section heading or one of
  its usual spellings; any other heading keeps its own text ("Paracetamol").
  Text after a colon on the heading line (``### Usage:  Ibuprofen is …``) is
  the section's first paragraph. A top-level paragraph that opens with a bold
  label naming a known section (``**Disclaimer:** …``, ``**Usage:** …``) opens
  that section, its body being the text after the label. A note label with
  text of its own (``**Important Note:** …``) is a section of that one
  paragraph: the blocks after it, up to the next heading or section label,
  return to the section the note interrupted (a note at the top of a Dosage
  section does not swallow the dosing below it; a Generic Name section holds
  a name only, so it is not resumed). Text before the
  first section (under the title heading) forms a section named by the title.
* **Blocks.** One per paragraph and one per list item (marker excluded, depth
  and number kept); a block opening with ``**Label:**`` carries ``label``.
  In a FAQs section, question/answer pairs in any of the usual styles
  (``* **Q: …?** A: …``, ``**Q: …?**`` then ``A: …``, numbered or bold
  questions, question headings) become a "question" block (the question text
  only) followed by an "answer" block (the answer text without ``A:``).

`is_stub` tells a refusal or request (a generator's "Please provide …") from a
monograph; `written_title` (the name and its span), `title_span` and `heading_span`
locate the title and a section
heading for evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from medkg.errors import SourceError
from medkg.model import Block, Document, Section
from medkg.text import Span, normalise_term, sentences, trim

KNOWN_SECTIONS: tuple[str, ...] = (
    "Generic Name",
    "Usage",
    "Dosage",
    "Side Effects",
    "How it Works",
    "Precautions",
    "FAQs",
    "Disclaimer",
    "Note",
)

# Other spellings of the known headings (compared after normalise_term).
_SPELLINGS: dict[str, tuple[str, ...]] = {
    "Generic Name": ("Generic Names", "Generic"),
    "Usage": ("Uses", "Use", "Indications", "Indication"),
    "Dosage": ("Dose", "Doses", "Dosing", "Dosage and Administration"),
    "Side Effects": ("Adverse Effects", "Adverse Reactions"),
    "How it Works": ("Mechanism of Action", "Mechanism"),
    "Precautions": ("Warnings", "Warnings and Precautions", "Precautions and Warnings"),
    "FAQs": ("FAQ", "Frequently Asked Questions"),
    "Disclaimer": ("Medical Disclaimer",),
    "Note": ("Notes", "Please Note", "Important Note", "Important"),
}
_ALIASES: dict[str, str] = {
    normalise_term(spelling): name
    for name, spellings in _SPELLINGS.items()
    for spelling in (name, *spellings)
}
_TRAILING_PAREN = re.compile(r"\s*\([^()]*\)\s*$")
_HEADING_COLON = re.compile(r":(?=\s|$)")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # the line breaks markdown-it counts
_BLANK = " \t\r\n"

_MARKDOWN = MarkdownIt("commonmark")


def canonical_section_name(label: str) -> str | None:
    """The known section a heading or bold label names, or None.

    Case, a trailing colon, emphasis markers, a trailing parenthetical
    ("Generic Names (Components)") and the plural of the last word are ignored.
    """
    words = label.strip().strip("*_ \t").rstrip(":").strip()
    words = _TRAILING_PAREN.sub("", words)
    return _ALIASES.get(normalise_term(words))


def _plain_name(label: str) -> str:
    """A heading as a section name: without emphasis markers and trailing colon."""
    name = label.strip().strip("*_ \t").rstrip(":").strip()
    return name or label.strip()


# --------------------------------------------------------------------------
# Lines and front matter
# --------------------------------------------------------------------------


class _Lines:
    """Start and end (before the line break) offset of every line of a text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0]
        self.ends: list[int] = []
        for match in _LINE_BREAK.finditer(text):
            self.ends.append(match.start())
            self.starts.append(match.end())
        self.ends.append(len(text))

    def __len__(self) -> int:
        return len(self.starts)

    def bounds(self, index: int) -> Span:
        index = min(max(index, 0), len(self.starts) - 1)
        return self.starts[index], self.ends[index]

    def line(self, index: int) -> str:
        start, end = self.bounds(index)
        return self.text[start:end]


@dataclass(frozen=True)
class _FrontMatter:
    metadata: dict[str, Any]
    yaml_span: Span  # the YAML between the fences
    body_line: int  # index of the first line after the closing fence


def _front_matter(lines: _Lines, source: str) -> _FrontMatter:
    """Split off and load the YAML front matter, if the text opens with one."""
    if lines.line(0).lstrip("\ufeff").rstrip(" \t") != "---":
        return _FrontMatter({}, (0, 0), 0)
    for index in range(1, len(lines)):
        if lines.line(index).rstrip(" \t") in ("---", "..."):
            span = (lines.starts[1], lines.starts[index])
            metadata = _load_yaml(lines.text[span[0] : span[1]], source)
            return _FrontMatter(metadata, span, index + 1)
    raise SourceError(
        source,
        "its YAML front matter, opened by '---' on line 1, is never closed",
        "add a line '---' after the front matter",
        line=1,
    )


def _load_yaml(yaml_text: str, source: str) -> dict[str, Any]:
    """yaml.safe_load the front matter; errors name the file line (YAML starts on line 2)."""
    hint = "fix the YAML between the '---' lines, e.g. quote a value that contains ': '"
    try:
        loaded = yaml.safe_load(yaml_text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "invalid YAML"
        line = 2 + mark.line if mark is not None else None
        raise SourceError(
            source, f"its YAML front matter cannot be read: {problem}", hint, line=line
        ) from error
    except (yaml.YAMLError, ValueError, OverflowError, RecursionError) as error:
        raise SourceError(
            source, f"its YAML front matter cannot be read: {error}", hint, line=2
        ) from error
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise SourceError(
            source,
            "its front matter is not a YAML mapping",
            "write the front matter as 'key: value' lines",
            line=2,
        )
    return {str(key): value for key, value in loaded.items()}


# --------------------------------------------------------------------------
# Markdown tokens -> headings and blocks, with offsets
# --------------------------------------------------------------------------


class _Label(NamedTuple):
    name: str  # "Very common (>10%)": without ** and colon
    written: str  # the label between the markers, as written ("Disclaimer:")
    body_start: int  # where the text after the label starts


@dataclass(frozen=True)
class _Heading:
    level: int
    start: int  # the heading text (markers excluded)
    end: int
    line_end: int  # end of the heading's last line


@dataclass(frozen=True)
class _Leaf:
    block: Block
    top_level: bool  # a paragraph directly in the document body
    label: _Label | None = None


@dataclass
class _OpenItem:
    depth: int
    ordinal: int | None
    marker_end: int  # content of the item starts at or after this offset
    spans: list[Span] = field(default_factory=list)
    label: str | None = None
    flushed: bool = False


def _bold_label(text: str, inline: Token, start: int, end: int) -> _Label | None:
    """The ``**Label:**`` (or ``**Label**:``) a block opens with, read from its
    inline tokens and checked against the text at `start`."""
    children = [
        child for child in inline.children or [] if not (child.type == "text" and not child.content)
    ]
    if len(children) < 2 or children[0].type != "strong_open":
        return None
    marker = children[0].markup
    parts: list[str] = []
    index = 1
    while index < len(children) and children[index].type == "text":
        parts.append(children[index].content)
        index += 1
    if index >= len(children) or children[index].type != "strong_close":
        return None
    inside = "".join(parts)
    if not text.startswith(marker, start):
        return None
    close = text.find(marker, start + len(marker), end)
    if close < 0 or text[start + len(marker) : close] != inside:
        return None  # escapes or entities in the label: not a plain label
    body = close + len(marker)
    stripped = inside.strip()
    if stripped.endswith(":"):
        name = stripped[:-1].strip()
    elif text.startswith(":", body):
        name = stripped
        body += 1
    else:
        return None
    while body < end and text[body] in _BLANK:
        body += 1
    return _Label(name, stripped, body) if name else None


class _Walker:
    """Turns markdown-it tokens into top-level headings and blocks, in text order."""

    def __init__(self, lines: _Lines, line_offset: int) -> None:
        self.text = lines.text
        self.lines = lines
        self.offset = line_offset  # tokens count lines from the body's first line
        self.pieces: list[_Heading | _Leaf] = []
        self.items: list[_OpenItem] = []

    def walk(self, tokens: list[Token]) -> list[_Heading | _Leaf]:
        index = 0
        while index < len(tokens):
            token = tokens[index]
            if token.type == "list_item_open":
                self.items.append(self._open_item(token))
            elif token.type == "list_item_close" and self.items:
                self._flush(self.items.pop())
            elif token.type in ("bullet_list_open", "ordered_list_open") and self.items:
                self._flush(self.items[-1])  # the outer item's text comes before its sub-list
            elif (
                token.type in ("heading_open", "paragraph_open")
                and token.map
                and index + 1 < len(tokens)
                and tokens[index + 1].type == "inline"
            ):
                self._inline_block(token, tokens[index + 1])
                index += 3
                continue
            elif token.type in ("fence", "code_block", "html_block") and token.map:
                first = self.lines.bounds(token.map[0] + self.offset)[0]
                last = self.lines.bounds(token.map[1] - 1 + self.offset)[1]
                self._leaf(trim(self.text, first, last, _BLANK), None, top_level=False)
            index += 1
        while self.items:
            self._flush(self.items.pop())
        return self.pieces

    def _open_item(self, token: Token) -> _OpenItem:
        info = token.info
        ordinal = int(info) if info.isascii() and info.isdigit() else None
        marker = info + token.markup if ordinal is not None else token.markup
        line_start, line_end = self.lines.bounds((token.map or [0])[0] + self.offset)
        at = self.text.find(marker, line_start, line_end) if marker else -1
        marker_end = at + len(marker) if at >= 0 else line_start
        return _OpenItem(depth=len(self.items), ordinal=ordinal, marker_end=marker_end)

    def _inline_block(self, token: Token, inline: Token) -> None:
        if token.map is None:
            return
        item = self.items[-1] if self.items and not self.items[-1].flushed else None
        search_from = item.marker_end if item is not None and not item.spans else 0
        span = self._inline_span(token.map[0] + self.offset, inline.content, search_from)
        if span is None:
            return
        if token.type == "heading_open" and token.level == 0:
            last_line = token.map[1] - 1 + self.offset
            line_end = self.lines.bounds(last_line)[1]
            self.pieces.append(_Heading(int(token.tag[1:]), span[0], span[1], line_end))
        else:
            self._leaf(span, inline, top_level=token.level == 0)

    def _inline_span(self, first_line: int, content: str, search_from: int) -> Span | None:
        """Offsets of a paragraph's or heading's inline content in the text."""
        if not content.strip():
            return None  # an empty heading ("###") is no heading
        content_lines = content.split("\n")
        line_start, line_end = self.lines.bounds(first_line)
        floor = max(line_start, min(search_from, line_end))
        at = self.text.find(content_lines[0], floor, line_end) if content_lines[0] else -1
        start = at if at >= 0 else floor
        if len(content_lines) == 1 and at >= 0:
            end = at + len(content_lines[0])
        else:
            last_start, last_end = self.lines.bounds(first_line + len(content_lines) - 1)
            last = content_lines[-1]
            found = self.text.rfind(last, last_start, last_end) if last else -1
            end = found + len(last) if found >= 0 else last_end
        start, end = trim(self.text, start, max(start, end), _BLANK)
        return (start, end) if start < end else None

    def _leaf(self, span: Span, inline: Token | None, top_level: bool) -> None:
        start, end = span
        if self.items and not self.items[-1].flushed:
            item = self.items[-1]
            if not item.spans:
                start = min(max(start, item.marker_end), end)
                if inline is not None:
                    label = _bold_label(self.text, inline, start, end)
                    item.label = label.name if label else None
            item.spans.append((start, end))
            return
        depth = self.items[-1].depth if self.items else 0
        label = _bold_label(self.text, inline, start, end) if inline is not None else None
        block = Block(
            kind="paragraph",
            text=self.text[start:end],
            start=start,
            end=end,
            depth=depth,
            label=label.name if label else None,
        )
        self.pieces.append(_Leaf(block, top_level, label))

    def _flush(self, item: _OpenItem) -> None:
        if item.flushed:
            return
        item.flushed = True
        if not item.spans:
            return
        start, end = trim(self.text, item.spans[0][0], item.spans[-1][1], _BLANK)
        if start >= end:
            return
        block = Block(
            kind="item",
            text=self.text[start:end],
            start=start,
            end=end,
            depth=item.depth,
            ordinal=item.ordinal,
            label=item.label,
        )
        self.pieces.append(_Leaf(block, top_level=False))


# --------------------------------------------------------------------------
# FAQ pairs
# --------------------------------------------------------------------------

_Q_PREFIX = re.compile(
    r"[ \t]*(?:(?P<asked>Q(?:uestion)?)[ \t]*\d*[ \t]*(?::|\.(?=\s)|\))"
    r"|\d{1,3}[ \t]*[.)](?=\s))[ \t]*"
)
_A_PREFIX = re.compile(
    r"\s*(?:\*\*|__)?[ \t]*A(?:nswer)?[ \t]*(?::|\.(?=\s))(?:[ \t]*(?:\*\*|__))?\s*"
)
_INLINE_ANSWER = re.compile(r"[ \t]+(?:\*\*|__)?A(?:nswer)?[ \t]*:")


def _question(text: str, block: Block) -> tuple[Span, int] | None:
    """(question span, where the rest of the block starts) when `block` opens with
    a question: a "Q:" prefix, or a bold, numbered or stand-alone line ending in "?"."""
    start, end = block.start, block.end
    cursor = start
    marker = text[cursor : cursor + 2] if text.startswith(("**", "__"), cursor) else ""
    bold = bool(marker)
    cursor += len(marker)
    prefix = _Q_PREFIX.match(text, cursor, end)
    asked = prefix is not None and prefix.group("asked") is not None
    numbered = block.ordinal is not None or (prefix is not None and not asked)
    if prefix:
        cursor = prefix.end()
    if marker and text.startswith(marker, cursor):  # "**Q:** How …?": only the prefix is bold
        cursor += len(marker)
        marker = ""
    while cursor < end and text[cursor] in " \t":
        cursor += 1
    line_end = text.find("\n", cursor, end)
    line_end = end if line_end < 0 else line_end
    if marker:
        close = text.find(marker, cursor, end)
        if close < 0:
            return None
        question_end, rest = close, close + len(marker)
    else:
        answer = _INLINE_ANSWER.search(text, cursor, line_end)
        question_end = rest = answer.start() if answer else line_end
    q_start, q_end = trim(text, cursor, question_end, _BLANK)
    if q_start >= q_end:
        return None
    whole_block = not text[rest:end].strip()
    ends_with_mark = text[q_end - 1] == "?"
    if asked or (ends_with_mark and (bold or numbered or whole_block)):
        return (q_start, q_end), rest
    return None


def _answer_start(text: str, start: int, end: int) -> int:
    """Where an answer's text starts: after an "A:" / "**A:**" prefix and blanks."""
    prefix = _A_PREFIX.match(text, start, end)
    cursor = prefix.end() if prefix else start
    while cursor < end and text[cursor] in _BLANK:
        cursor += 1
    return cursor


def _faq_blocks(text: str, blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Rewrite a FAQs section's blocks into question/answer blocks.

    An answer is the text after the question in its own block, and every
    following block up to the next question. Blocks before the first question
    stay as they are.
    """
    out: list[Block] = []
    question: Block | None = None
    answer: list[Span] = []

    def flush() -> None:
        if question is None:
            return
        out.append(question)
        if answer:
            start, end = trim(text, answer[0][0], answer[-1][1], _BLANK)
            if start < end:
                out.append(Block("answer", text[start:end], start, end, depth=question.depth))

    for block in blocks:
        found = _question(text, block)
        if found is not None:
            flush()
            (q_start, q_end), rest = found
            question = Block(
                "question", text[q_start:q_end], q_start, q_end, block.depth, block.ordinal
            )
            answer_start = _answer_start(text, rest, block.end)
            answer = [(answer_start, block.end)] if answer_start < block.end else []
        elif question is not None:
            start = block.start if answer else _answer_start(text, block.start, block.end)
            if start < block.end:
                answer.append((start, block.end))
        else:
            out.append(block)
    flush()
    return tuple(out)


# --------------------------------------------------------------------------
# Sections
# --------------------------------------------------------------------------


@dataclass
class _OpenSection:
    name: str
    heading: str
    start: int  # where the body may start: after the heading line or the label
    keep_empty: bool
    blocks: list[Block] = field(default_factory=list)


class _Sections:
    """Groups headings and blocks into sections (see the module docstring)."""

    def __init__(self, text: str, title: str, body_start: int) -> None:
        self.text = text
        self.done: list[Section] = []
        self.current = _OpenSection(title, "", body_start, keep_empty=False)
        self.title_heading_seen = False
        # the section a one-paragraph note label interrupted: (name, heading)
        self.interrupted: tuple[str, str] | None = None

    def add(self, piece: _Heading | _Leaf) -> None:
        if isinstance(piece, _Heading):
            self.interrupted = None
            self._heading(piece)
            return
        label = piece.label
        name = canonical_section_name(label.name) if label is not None else None
        if label is None or name is None or not piece.top_level:
            if self.interrupted is not None:
                # the note said its word: what follows belongs to the section it interrupted
                resumed, heading = self.interrupted
                self.interrupted = None
                self._close()
                self.current = _OpenSection(resumed, heading, piece.block.start, keep_empty=False)
            self.current.blocks.append(piece.block)
            return
        enclosing = self.current
        self._close()
        self.current = _OpenSection(name, label.written, label.body_start, keep_empty=True)
        start, end = trim(self.text, label.body_start, piece.block.end, _BLANK)
        self.interrupted = None
        if start < end:
            self.current.blocks.append(Block("paragraph", self.text[start:end], start, end))
            if name == "Note" and enclosing.name not in ("Note", "Generic Name"):
                self.interrupted = (enclosing.name, enclosing.heading)

    def _heading(self, heading: _Heading) -> None:
        written = self.text[heading.start : heading.end]
        if self.current.name == "FAQs" and written.rstrip().endswith("?"):
            # a question written as a sub-heading of the FAQs
            block = Block("paragraph", written, heading.start, heading.end)
            self.current.blocks.append(block)
            return
        first_heading = not self.title_heading_seen and not self.done
        if heading.level == 1 and first_heading and canonical_section_name(written) is None:
            self.title_heading_seen = True
            self._close()
            self.current = _OpenSection(
                written.strip(), written.strip(), heading.line_end, keep_empty=False
            )
            return
        self._close()
        colon = _HEADING_COLON.search(written)
        rest = trim(self.text, heading.start + colon.end(), heading.end, _BLANK) if colon else None
        if colon is None or rest is None or rest[0] >= rest[1]:
            name = canonical_section_name(written) or _plain_name(written)
            self.current = _OpenSection(name, written, heading.line_end, keep_empty=True)
            return
        label = written[: colon.start()]
        name = canonical_section_name(label) or _plain_name(label)
        start, end = rest
        self.current = _OpenSection(name, written[: colon.end()], start, keep_empty=True)
        self.current.blocks.append(Block("paragraph", self.text[start:end], start, end))

    def _close(self) -> None:
        current = self.current
        if not current.blocks and not current.keep_empty:
            return
        blocks = tuple(current.blocks)
        if current.name == "FAQs":
            blocks = _faq_blocks(self.text, blocks)
        start, end = current.start, current.start
        if blocks:
            # the body starts at its first non-blank character: a list marker is part of it
            first = blocks[0].start
            start = trim(self.text, current.start, first, _BLANK)[0] if start <= first else first
            end = blocks[-1].end
        self.done.append(Section(current.name, current.heading, start, end, blocks))

    def finish(self) -> tuple[Section, ...]:
        self._close()
        return tuple(self.done)


# --------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Scan:
    front: _FrontMatter
    body_start: int
    pieces: list[_Heading | _Leaf]


def _scan(text: str, source: str) -> _Scan:
    lines = _Lines(text)
    front = _front_matter(lines, source)
    body_start = lines.bounds(front.body_line)[0] if front.body_line < len(lines) else len(text)
    tokens = _MARKDOWN.parse(text[body_start:])
    pieces = _Walker(lines, front.body_line).walk(tokens)
    return _Scan(front, body_start, pieces)


def _first_title_heading(pieces: list[_Heading | _Leaf]) -> _Heading | None:
    for piece in pieces:
        if isinstance(piece, _Heading) and piece.level == 1:
            return piece
    return None


def _title(text: str, scan: _Scan, source: str) -> str:
    value = scan.front.metadata.get("title")
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        if str(value).strip():
            return str(value).strip()
    elif value is not None:
        raise SourceError(
            source,
            "the front matter 'title' is not text",
            "write the title as 'title: Name of the medicine'",
            line=2,
        )
    heading = _first_title_heading(scan.pieces)
    if heading is not None:
        return text[heading.start : heading.end].strip()
    raise SourceError(
        source,
        "has no title",
        "add 'title: …' to the front matter or a '# …' heading at the top",
    )


def parse(text: str, source: str) -> Document:
    """Parse a monograph; raises `SourceError` naming `source` (and the line)."""
    scan = _scan(text, source)
    title = _title(text, scan, source)
    sections = _Sections(text, title, scan.body_start)
    for piece in scan.pieces:
        sections.add(piece)
    return Document(
        source=source,
        format="monograph",
        text=text,
        title=title,
        sections=sections.finish(),
        metadata=scan.front.metadata,
    )


def title_span(document: Document) -> Span | None:
    """Where the document's title is written: the level-1 heading when it reads
    as the title, else the front matter's ``title`` value (see `written_title`)."""
    written = written_title(document)
    return written[0] if written is not None else None


def written_title(document: Document) -> tuple[Span, str | None] | None:
    """Where the document's title is written (the level-1 heading when it reads as the
    title, else the front matter's ``title`` value) and, for the front matter, the name
    it writes there (None for a heading: the name is what the span quotes): the YAML
    value, decoded (``"Caf\\u00e9ine"`` is Caféine,
    ``'It''s'`` is It's, its line breaks folded), while the span stays on the characters
    of the file, quotes left out, so evidence quotes what the file says."""
    text = document.text
    scan = _scan(text, document.source)
    heading = _first_title_heading(scan.pieces)
    if heading is not None:
        written = text[heading.start : heading.end].strip()
        if written.casefold() == document.title.casefold():
            return trim(text, heading.start, heading.end, _BLANK), None
    yaml_start, yaml_end = scan.front.yaml_span
    if yaml_start < yaml_end:
        try:
            node = yaml.compose(text[yaml_start:yaml_end], Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            node = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == "title" and isinstance(value, yaml.ScalarNode):
                    start = yaml_start + value.start_mark.index
                    end = yaml_start + value.end_mark.index
                    start, end = trim(text, start, end, _BLANK + "\"'")
                    name = " ".join(str(value.value).split())
                    return ((start, end), name) if start < end and name else None
    if heading is not None:
        return trim(text, heading.start, heading.end, _BLANK), None
    return None


def heading_span(document: Document, section: Section) -> Span | None:
    """Where `section.heading` is written (between the previous section and the body)."""
    if not section.heading:
        return None
    index = next((i for i, s in enumerate(document.sections) if s is section), None)
    if index is None:
        index = document.sections.index(section)
    floor = document.sections[index - 1].end if index > 0 else 0
    at = document.text.rfind(section.heading, floor, section.start)
    return (at, at + len(section.heading)) if at >= 0 else None


_REFUSAL = (
    re.compile(r"\b(?:please|kindly)\s+(?:provide|specify|clarify|enter|confirm|check)\b", re.I),
    re.compile(r"\bcould\s+you\s+(?:please\s+)?(?:provide|specify|clarify|confirm)\b", re.I),
    re.compile(
        r"\bno\s+(?:information|details|content|data)\s+(?:can|could)\s+be\s+"
        r"(?:generated|provided|given|found)\b",
        re.I,
    ),
    re.compile(
        r"\b(?:I|we)\s+(?:cannot|can\s*not|can't|am\s+unable\s+to|are\s+unable\s+to|"
        r"could\s+not|couldn't)\s+(?:generate|provide|find|identify|create|write)\b",
        re.I,
    ),
    re.compile(r"\bunable\s+to\s+(?:generate|provide|find|identify)\b", re.I),
    re.compile(r"\b(?:I'm|I\s+am)\s+sorry\b", re.I),
)


def is_stub(document: Document) -> str | None:
    """Why `document` is not a monograph, or None when it is one.

    A stub has no known section and either no text at all besides its title,
    or a sentence that refuses or asks for input ("Please provide …",
    "no information can be generated", "I cannot …").
    """
    if any(section.name in KNOWN_SECTIONS for section in document.sections):
        return None
    blocks = [block for section in document.sections for block in section.blocks]
    if not blocks:
        return "it has no monograph sections and no text besides its title"
    text = document.text
    for block in blocks:
        for start, end in sentences(text, block.start, block.end):
            sentence = text[start:end]
            if any(pattern.search(sentence) for pattern in _REFUSAL):
                return (
                    "it has no monograph sections and reads as a refusal or a request "
                    f"for input: “{sentence}”"
                )
    return None
