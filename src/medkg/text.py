"""Span-keeping text helpers shared by the extractors.

Every helper works on (start, end) offsets into one text, so whatever an
extractor finds can become `Evidence` whose quote is exactly
``text[start:end]``. Nothing here knows about drugs.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache

from medkg.errors import ResourceMissing
from medkg.model import Document, Evidence, Mention
from medkg.resources import resource_dir

Span = tuple[int, int]

_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "approx.", "Dr.", "St.", "No.", "min.")
_SENTENCE_END = re.compile(r"[.!?](?:\*\*)?(?=\s+(?:\*\*)?[A-Z0-9(\"'“‘]|\s*$)")


def trim(text: str, start: int, end: int, chars: str = " \t\n*_") -> Span:
    """Shrink (start, end) so the span has no leading/trailing `chars`."""
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


def evidence(document: Document, section: str, start: int, end: int) -> Evidence:
    """Evidence for document.text[start:end], trimmed of spaces and emphasis markers."""
    start, end = trim(document.text, start, end)
    return Evidence(
        document=document.source,
        section=section,
        quote=document.text[start:end],
        start=start,
        end=end,
    )


def mention(
    document: Document, section: str, start: int, end: int, glosses: tuple[str, ...] = ()
) -> Mention:
    """A mention whose text and quote are document.text[start:end] (trimmed)."""
    ev = evidence(document, section, start, end)
    return Mention(text=ev.quote, evidence=ev, glosses=glosses)


def sentences(text: str, start: int, end: int) -> list[Span]:
    """Sentence spans inside text[start:end], skipping abbreviations and decimals."""
    spans: list[Span] = []
    cursor = start
    for match in _SENTENCE_END.finditer(text, start, end):
        stop = match.end()
        tail = text[max(cursor, stop - 8) : stop]
        if any(tail.endswith(abbr) or tail.endswith(abbr + "**") for abbr in _ABBREVIATIONS):
            continue
        s, e = trim(text, cursor, stop, " \t\n")
        if s < e:
            spans.append((s, e))
        cursor = stop
    s, e = trim(text, cursor, end, " \t\n")
    if s < e:
        spans.append((s, e))
    return spans


def paren_depth_pieces(
    text: str, start: int, end: int, separators: re.Pattern[str]
) -> list[tuple[Span, str]]:
    """text[start:end] cut at the (non-empty) `separators` matches outside parentheses: each
    piece's untrimmed span with the separator text before it ("" for the first)."""
    pieces: list[tuple[Span, str]] = []
    depth = 0
    cursor = start
    before = ""
    i = start
    while i < end:
        char = text[i]
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif depth == 0:
            match = separators.match(text, i, end)
            if match and match.end() > i:
                pieces.append(((cursor, i), before))
                before = match.group(0)
                cursor = i = match.end()
                continue
        i += 1
    pieces.append(((cursor, end), before))
    return pieces


def paren_depth_split(text: str, start: int, end: int, separators: re.Pattern[str]) -> list[Span]:
    """Split text[start:end] at `separators` that are outside parentheses."""
    trimmed = [
        trim(text, s, e, " \t\n.;:")
        for (s, e), _ in paren_depth_pieces(text, start, end, separators)
    ]
    return [(s, e) for s, e in trimmed if s < e]


_LIST_SEPARATOR = re.compile(r",\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|;\s*")
_COMMA_SEPARATOR = re.compile(r",\s*(?:and\s+|or\s+)?|;\s*|\s+and\s+(?=[^,]*$)")


def split_list(text: str, start: int, end: int, split_or: bool = False) -> list[Span]:
    """Items of a prose list ("a, b, and c") inside text[start:end].

    Commas and semicolons always separate; a bare "and" separates only the
    last item; a bare "or" only when `split_or` is set. Parentheses protect
    their content: "infarction (heart attack, stroke)" stays one item.
    """
    pattern = _LIST_SEPARATOR if split_or else _COMMA_SEPARATOR
    return paren_depth_split(text, start, end, pattern)


@dataclass(frozen=True)
class Glossed:
    """A term and its parenthetical glosses: "myalgia (muscle pain)"."""

    term: Span
    glosses: tuple[str, ...]


_PAREN = re.compile(r"\s*\(([^()]*)\)\s*$")


def split_gloss(text: str, start: int, end: int) -> Glossed:
    """Separate a trailing parenthetical from a term, keeping the term's span.

    ``infusion site reactions (pain, swelling)`` gives the term span for
    ``infusion site reactions`` and the glosses ``("pain", "swelling")``.
    """
    start, end = trim(text, start, end, " \t\n.;:*")
    match = _PAREN.search(text, start, end)
    if not match or match.start() == start:
        return Glossed((start, end), ())
    inner = match.group(1)
    glosses = (
        tuple(g.strip() for g in re.split(r",\s*|\s+or\s+", inner) if g.strip())
        if "," in inner
        else (inner.strip(),)
    )
    return Glossed(trim(text, start, match.start()), glosses)


PLURALS_FILE = "plurals.tsv"


@cache
def plural_table() -> dict[str, str]:
    """Plural form -> singular, for the forms the suffix rule gets wrong
    (`data/terminology/plurals.tsv`, generated from simplemma's English dictionary by
    scripts/plural_table.py): "sinuses" -> "sinus", "aches" -> "ache", "species" ->
    "species"."""
    path = resource_dir("terminology") / PLURALS_FILE
    if not path.is_file():
        raise ResourceMissing(f"{path}: plural table missing; reinstall medkg")
    table: dict[str, str] = {}
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.startswith("#") or line.startswith("form\t") or not line.strip():
                continue
            fields = line.rstrip("\n").split("\t")
            if len(fields) != 3 or not fields[0] or not fields[1]:
                raise ResourceMissing(
                    f"{path}:{number}: expected form, singular and kind separated by tabs; "
                    "regenerate it with scripts/plural_table.py"
                )
            table[fields[0]] = fields[1]
    return table


def suffix_singular(word: str) -> str:
    """English plural to singular by its ending alone (reactions -> reaction)."""
    if len(word) <= 3 or word.endswith(("ss", "us", "is", "sis")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "zes", "sses")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def singular(word: str) -> str:
    """English plural to singular for the last word of a term: the dictionary's form
    where the ending misleads (`plural_table`: sinuses -> sinus, species -> species),
    else `suffix_singular` (reactions -> reaction)."""
    return plural_table().get(word) or suffix_singular(word)


def normalise_term(term: str) -> str:
    """Key for comparing terms: lower case, β spelled out, punctuation folded, a leading
    article and a final plural dropped."""
    key = term.lower().replace("β", "beta").replace("’", "'")
    key = re.sub(r"[\-/_,]", " ", key)
    key = re.sub(r"[^\w' ]", "", key)
    words = key.split()
    while len(words) > 1 and words[0] in ("a", "an", "the"):
        words = words[1:]
    if words:
        words[-1] = singular(words[-1])
    return " ".join(words)


SLUG_LENGTH = 80  # the longest IRI segment `slug` writes
_DIGEST_LENGTH = 8  # hex digits of SHA-256 that make a cut or lossy segment unique


def digest(text: str) -> str:
    """A short, stable fingerprint of `text` (the first hex digits of its SHA-256)."""
    return hashlib.sha256(text.encode()).hexdigest()[:_DIGEST_LENGTH]


def readable_slug(text: str) -> str:
    """Lower case ASCII words of `text` joined by hyphens, uncut ("x" when there are none)."""
    key = text.lower().replace("β", "beta").replace("²", "2").replace("µ", "u")
    return re.sub(r"[^a-z0-9]+", "-", key).strip("-") or "x"


def unique_slug(readable: str, identity: str) -> str:
    """`readable`, cut to fit `SLUG_LENGTH` with the `digest` of `identity` appended."""
    keep = SLUG_LENGTH - _DIGEST_LENGTH - 1
    return f"{readable[:keep].rstrip('-')}-{digest(identity)}"


_PLAIN_TERM = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")


def term_slug(term: str) -> str:
    """The IRI segment of a normalised term (`normalise_term`): its `slug` when that keeps
    every character of the term (lower-case ASCII words and single spaces), else the slug
    cut to fit with the `digest` of the term, so two terms that differ only in what a slug
    drops (``tnf α`` and ``tnf``, ``physician's`` and ``physician s``) never share it."""
    readable = readable_slug(term)
    if _PLAIN_TERM.fullmatch(term) and len(readable) <= SLUG_LENGTH:
        return readable
    return unique_slug(readable, term)


def slug(text: str) -> str:
    """A readable IRI segment: lower case ASCII words joined by hyphens.

    Texts with the same words give the same segment (that is what makes one concept
    of two spellings). A segment longer than `SLUG_LENGTH` is cut and made unique
    again by the `digest` of its uncut form, so two long texts that differ only
    after the cut never share a segment."""
    readable = readable_slug(text)
    if len(readable) <= SLUG_LENGTH:
        return readable
    return unique_slug(readable, readable)
