"""The landing page: a search box for drugs and codes, and an index of both.

The index is grouped by first letter; when a list is longer than `SHOW_ALL`
entries only one letter is shown at a time (``?letter=B``; the first letter by
default), with links to the others. A search (``?q=…``) lists every drug and
code one of whose names contains the text, ignoring case and extra spaces.
"""

from __future__ import annotations

from collections import defaultdict

from medkg.serve.pages.catalogue import Catalogue, Entry
from medkg.serve.pages.html import esc, href_of, page, query_href

SHOW_ALL = 300
MAX_QUERY = 200


def _item(entry: Entry) -> str:
    href = href_of(entry.iri) or "#"
    detail = f' <span class="detail">{esc(entry.detail)}</span>' if entry.detail else ""
    return f'<li><a href="{esc(href)}">{esc(entry.label)}</a>{detail}</li>'


def _index(kind: str, title: str, entries: tuple[Entry, ...], letter: str) -> str:
    groups: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        groups[entry.letter].append(entry)
    letters = sorted(groups)
    if not entries:
        return (
            f'<section aria-labelledby="{kind}-index"><h2 id="{kind}-index">{esc(title)}</h2>'
            f'<p class="none">None in this graph.</p></section>'
        )
    paged = len(entries) > SHOW_ALL
    shown = letters if not paged else [letter if letter in groups else letters[0]]
    links = " ".join(
        f'<a href="{esc(query_href("/", letter=each))}#{kind}-index"'
        + (' aria-current="page"' if paged and each in shown else "")
        + f">{esc(each)}</a>"
        if paged
        else f'<a href="#{kind}-{"hash" if each == "#" else each}">{esc(each)}</a>'
        for each in letters
    )
    blocks = []
    for each in shown:
        anchor = f"{kind}-{'hash' if each == '#' else each}"
        items = "".join(_item(entry) for entry in groups[each])
        blocks.append(
            f'<h3 id="{anchor}">{esc(each)} <span class="count">({len(groups[each])})</span></h3>'
            f'<ul class="index">{items}</ul>'
        )
    return (
        f'<section aria-labelledby="{kind}-index"><h2 id="{kind}-index">{esc(title)} '
        f'<span class="count">({len(entries)})</span></h2>'
        f'<nav class="letters" aria-label="{esc(title)} by letter">{links}</nav>'
        + "".join(blocks)
        + "</section>"
    )


def _results(catalogue: Catalogue, text: str) -> str:
    drugs, codes = catalogue.search(text)
    parts = [f'<h2 id="results">Results for “{esc(text)}”</h2>']
    if not drugs and not codes:
        parts.append(
            '<p class="none">No drug or code has a name containing this text. '
            "Try part of the name, or browse the index below.</p>"
        )
    for title, found in (("Drugs", drugs), ("Billing codes", codes)):
        if found:
            items = "".join(_item(entry) for entry in found)
            parts.append(
                f'<h3>{title} <span class="count">({len(found)})</span></h3>'
                f'<ul class="index">{items}</ul>'
            )
    return '<section aria-labelledby="results">' + "".join(parts) + "</section>"


def render_landing(catalogue: Catalogue, text: str = "", letter: str = "") -> str:
    """The landing page, with the search results for `text` when it is given."""
    text = text[:MAX_QUERY]
    letter = letter.strip().upper()[:1]
    form = f"""<h1>Drugs and billing codes</h1>
<form class="search" role="search" method="get" action="/">
<label for="q">Find a drug or billing code by name</label>
<input id="q" name="q" type="search" value="{esc(text)}" autocomplete="off">
<button type="submit">Search</button>
</form>
<p class="hint">{len(catalogue.drugs)} drugs and {len(catalogue.codes)} billing codes.
Ask your own question on the <a href="/query">query page</a>.</p>"""
    results = _results(catalogue, text) if text.strip() else ""
    body = (
        form
        + results
        + _index("drugs", "Drugs", catalogue.drugs, letter)
        + _index("codes", "Billing codes", catalogue.codes, letter)
    )
    return page("Drugs and billing codes", body)
