"""The HTML page of one node: label, types, properties, evidence quotes and incoming links.

Links to other medkg nodes point at their pages on this server (``/id/…``);
other http(s) IRIs link to themselves; anything else is shown, not linked.
Every value is HTML-escaped. The page uses only the bundled stylesheet. A drug's or
a code's table (``?view=data``) links back to its page for people.
"""

from __future__ import annotations

from html import escape
from itertools import groupby

from rdflib import Literal, URIRef

from medkg.query.serialise import compact
from medkg.serve.node_data import EvidenceSpan, NodeView, Value
from medkg.serve.pages.html import href_of

PAGE_TYPES = {"https://schema.org/Drug", "https://w3id.org/medkg/vocab#BillingCode"}


def short(iri: str) -> str:
    """`iri` as a prefixed name when a medkg prefix fits, else the IRI itself."""
    shortened = compact(iri)
    return shortened[1:-1] if shortened.startswith("<") else shortened


def _link(iri: str, text: str | None = None) -> str:
    shown = escape(text if text is not None else short(iri))
    href = href_of(iri)
    if href is None:
        return shown
    return f'<a href="{escape(href)}" title="{escape(iri)}">{shown}</a>'


def _value(value: Value) -> str:
    term = value.term
    if isinstance(term, URIRef):
        if value.label:
            return f"{_link(str(term), value.label)} <small>{escape(short(str(term)))}</small>"
        return _link(str(term))
    assert isinstance(term, Literal)
    note = ""
    if term.language:
        note = f" <small>@{escape(term.language)}</small>"
    elif term.datatype is not None:
        note = f" <small>{escape(short(str(term.datatype)))}</small>"
    return f'<span class="literal">{escape(str(term))}</span>{note}'


def _properties(view: NodeView) -> str:
    rows = []
    for prop, pairs in groupby(view.properties, key=lambda pair: pair[0]):
        values = "<br>".join(_value(value) for _, value in pairs)
        rows.append(f"<tr><th>{_link(str(prop))}</th><td>{values}</td></tr>")
    return "<table>\n" + "\n".join(rows) + "\n</table>"


def _evidence(spans: tuple[EvidenceSpan, ...]) -> str:
    if not spans:
        return ""
    items = []
    for span in spans:
        where = []
        if span.document is not None:
            where.append(_link(str(span.document), span.file or short(str(span.document))))
        if span.section:
            where.append(f"section <em>{escape(span.section)}</em>")
        if span.start is not None and span.end is not None:
            where.append(f"characters {span.start}–{span.end}")
        where.append(_link(str(span.iri), "evidence node"))
        items.append(
            f'<li><blockquote class="quote">{escape(span.quote)}</blockquote>'
            f'<p class="where">{" · ".join(where)}</p></li>'
        )
    return '<h2>Evidence</h2>\n<ul class="evidence">\n' + "\n".join(items) + "\n</ul>"


def _incoming(view: NodeView) -> str:
    if not view.incoming:
        return ""
    rows = [
        f"<tr><td>{_value(subject)}</td><td>{_link(str(prop))}</td></tr>"
        for subject, prop in view.incoming
    ]
    note = (
        f"<p>Only the first {len(view.incoming)} incoming links are shown.</p>"
        if view.incoming_truncated
        else ""
    )
    return (
        "<h2>Incoming links</h2>\n"
        "<table>\n<tr><th>from</th><th>property</th></tr>\n"
        + "\n".join(rows)
        + f"\n</table>\n{note}"
    )


def render_node_page(view: NodeView) -> str:
    """The whole HTML page of `view`."""
    iri = str(view.iri)
    title = view.label or short(iri)
    types = ", ".join(_link(str(value.term)) for value in view.types) or "—"
    readable = ""
    if {str(value.term) for value in view.types} & PAGE_TYPES:
        readable = f' · <a href="{escape(href_of(iri) or "")}">the page for people</a>'
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} · medkg</title>
<link rel="stylesheet" href="/static/style.css">
<link rel="alternate" type="text/turtle" href="?format=turtle">
<link rel="alternate" type="application/ld+json" href="?format=jsonld">
</head>
<body>
<header><nav aria-label="site"><a class="home" href="/">medkg</a>
<a href="/">Drugs and codes</a> <a href="/query">Queries</a></nav></header>
<main>
<h1>{escape(title)}</h1>
<p class="iri"><code>{escape(iri)}</code></p>
<p>type: {types} · as <a href="?format=turtle">Turtle</a>,
<a href="?format=jsonld">JSON-LD</a>{readable}</p>
<h2>Properties</h2>
{_properties(view)}
{_evidence(view.evidence)}
{_incoming(view)}
</main>
</body>
</html>
"""
