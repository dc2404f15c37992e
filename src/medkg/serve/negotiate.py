"""Content negotiation: which serialisation answers a request.

A ``format`` parameter (a short name such as ``csv`` or a media type; the
first offered one when it is repeated) wins over the ``Accept`` header.
Otherwise the ``Accept`` entries are tried by quality (then by specificity:
``text/csv`` before ``text/*`` before ``*/*``) and the first one this
endpoint offers for the kind of answer is used; wildcards choose the kind's
default (listed first). No acceptable entry is a
406 listing what is offered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

AnswerKind = Literal["bindings", "graph", "page"]


@dataclass(frozen=True)
class Format:
    """One serialisation: its names (the first is the canonical one), the media type sent,
    and further media types it answers."""

    names: tuple[str, ...]
    media_type: str
    aliases: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.names[0]

    @property
    def accepts(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)


JSON = Format(
    ("json", "srj"), "application/sparql-results+json", ("application/json", "text/javascript")
)
XML = Format(("xml", "srx"), "application/sparql-results+xml", ("application/xml", "text/xml"))
CSV = Format(("csv",), "text/csv")
TSV = Format(("tsv",), "text/tab-separated-values")
TURTLE = Format(("turtle", "ttl"), "text/turtle", ("application/turtle", "application/x-turtle"))
JSONLD = Format(
    ("jsonld", "json-ld", "json"),
    "application/ld+json",
    ("application/x-json+ld", "application/json"),
)
NTRIPLES = Format(("ntriples", "nt", "n-triples"), "application/n-triples", ("text/plain",))
RDFXML = Format(("rdfxml", "xml", "rdf"), "application/rdf+xml", ("application/xml", "text/xml"))
HTML = Format(("html",), "text/html", ("application/xhtml+xml",))

# For each kind of answer, the formats offered, the default first. A short name
# means the format of this kind: ``xml`` is SPARQL XML results for a SELECT and
# RDF/XML for a graph, as clients such as SPARQLWrapper send it.
OFFERED: dict[AnswerKind, tuple[Format, ...]] = {
    "bindings": (JSON, XML, CSV, TSV),
    "graph": (TURTLE, JSONLD, NTRIPLES, RDFXML),
    "page": (HTML, TURTLE, JSONLD, NTRIPLES, RDFXML),
}


class NotAcceptable(ValueError):
    """No offered format fits the request; the message lists what is offered."""


@dataclass(frozen=True)
class _Range:
    media_type: str
    quality: float
    specificity: int


def _ranges(accept: str) -> list[_Range]:
    """The media ranges of an Accept header, best first (quality, then specificity)."""
    ranges: list[_Range] = []
    for position, part in enumerate(accept.split(",")):
        fields = [field.strip() for field in part.split(";")]
        media_type = fields[0].lower()
        if not media_type:
            continue
        quality = 1.0
        for parameter in fields[1:]:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        specificity = 0 if media_type == "*/*" else 1 if media_type.endswith("/*") else 2
        ranges.append(_Range(media_type, quality, specificity * 1000 - position))
    ranges.sort(key=lambda item: (-item.quality, -item.specificity))
    return [item for item in ranges if item.quality > 0]


def _matches(media_range: str, offered: Format) -> bool:
    if media_range == "*/*":
        return True
    if media_range.endswith("/*"):
        return offered.media_type.startswith(media_range[:-1])
    return media_range in offered.accepts


def _describe(kind: AnswerKind) -> str:
    return ", ".join(f"{item.name} ({item.media_type})" for item in OFFERED[kind])


def _named(kind: AnswerKind, wanted: list[str]) -> Format:
    """The first offered format among the `format` parameter values (each a name or media types)."""
    offered = OFFERED[kind]
    for value in wanted:
        for candidate in value.split(","):
            name = candidate.split(";")[0].strip().lower()
            for item in offered:
                if name in item.names or name in item.accepts:
                    return item
    raise NotAcceptable(
        f"format={', '.join(wanted)} does not apply to this answer; offered: {_describe(kind)}"
    )


def choose(kind: AnswerKind, accept: str | None, wanted: list[str] | None = None) -> Format:
    """The format answering a `kind` of answer, by the rules of the module docstring.

    `wanted` holds the ``format`` parameter values (clients may repeat it).
    """
    if wanted and any(value.strip() for value in wanted):
        return _named(kind, wanted)
    offered = OFFERED[kind]
    if not accept or not accept.strip():
        return offered[0]
    for media_range in _ranges(accept):
        for item in offered:
            if _matches(media_range.media_type, item):
                return item
    raise NotAcceptable(
        f"none of Accept: {accept!r} is offered for this answer; offered: {_describe(kind)}"
    )
