"""Small HTML-building helpers shared by the pages: escaping, links, the page frame, evidence.

Every piece of text that comes from the graph or the request goes through `esc`
(``&``, ``<``, ``>``, ``"`` and ``'`` become character references), so a label
such as ``<script>`` is shown, never run. Pages use only the bundled stylesheet:
no external assets, no scripts except the query page's own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from urllib.parse import urlencode

from medkg.namespaces import ID
from medkg.serve.pages.graph_slice import Evidence

ID_PATH = "/id/"


def esc(text: object) -> str:
    """`text` as HTML text or attribute value (quotes escaped too)."""
    return escape(str(text), quote=True)


def href_of(iri: str) -> str | None:
    """Where a link to `iri` goes: its page here for medkg nodes, itself for http(s) IRIs."""
    if iri.startswith(str(ID)):
        return ID_PATH + iri[len(str(ID)) :]
    if iri.startswith(("http://", "https://")):
        return iri
    return None


def link(iri: str, text: str, *, title: str | None = None) -> str:
    """`text` linked to `iri`'s page (escaped), or just the text when `iri` has no page."""
    href = href_of(iri)
    if href is None:
        return esc(text)
    hover = f' title="{esc(title)}"' if title else ""
    return f'<a href="{esc(href)}"{hover}>{esc(text)}</a>'


def query_href(path: str, **params: str) -> str:
    """`path` with `params` as its query string (values URL-encoded), for use in ``href``."""
    given = {name: value for name, value in params.items() if value}
    return path + ("?" + urlencode(given) if given else "")


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], *, css: str = "") -> str:
    """A table of already-escaped cell HTML under escaped `headers`."""
    head = "".join(f'<th scope="col">{esc(header)}</th>' for header in headers)
    body = "\n".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    class_attribute = f' class="{esc(css)}"' if css else ""
    return (
        f'<div class="scroll"><table{class_attribute}>\n<thead><tr>{head}</tr></thead>\n'
        f"<tbody>\n{body}\n</tbody></table></div>"
    )


def evidence_details(spans: Sequence[Evidence]) -> str:
    """A ``<details>`` with each quote, its source file, section and character offsets, and a
    link to the evidence node; the first quote also shows on hover. Empty without evidence."""
    if not spans:
        return '<span class="none">no quote</span>'
    items = []
    for span in spans:
        where = [esc(span.file or "source document")]
        if span.section:
            where.append(f"section “{esc(span.section)}”")
        if span.start is not None and span.end is not None:
            where.append(f"characters {span.start}–{span.end}")
        where.append(link(span.iri, "evidence"))
        items.append(
            f'<blockquote class="quote">{esc(span.quote)}</blockquote>'
            f'<p class="where">{" · ".join(where)}</p>'
        )
    count = f"{len(spans)} quotes" if len(spans) > 1 else "quote"
    files = sorted({span.file for span in spans if span.file})
    summary = f"{count} · {esc(', '.join(files))}" if files else count
    return (
        f'<details class="evidence"><summary title="{esc(spans[0].quote)}">{summary}</summary>'
        + "".join(items)
        + "</details>"
    )


def page(title: str, body: str, *, heading_note: str = "", scripts: Sequence[str] = ()) -> str:
    """A whole page: head, the site header with its navigation, `body` inside ``<main>``."""
    script_tags = "".join(f'<script src="{esc(src)}"></script>\n' for src in scripts)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} · medkg</title>
<link rel="stylesheet" href="/static/style.css">
</head>
<body>
<header><nav aria-label="site"><a class="home" href="/">medkg</a>
<a href="/">Drugs and codes</a> <a href="/query">Queries</a></nav>{heading_note}</header>
<main>
{body}
</main>
{script_tags}</body>
</html>
"""
