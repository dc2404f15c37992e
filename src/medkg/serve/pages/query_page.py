"""The query page: a form for each competency query, its answer, and a SPARQL editor.

Each form names the query's parameters (from its ``.rq`` header). Sending a form
(``/query?query=billing&drug=Burosumab&answer=1``) runs the competency query on
the server with those values bound as RDF terms (`medkg.query.run_query`, which
fills the query's ``VALUES`` slots) and shows the rows; the editor then holds
the query text with the slots filled (`medkg.query.run.fill_slots`), to edit and
run through the SPARQL endpoint (the page's script). A ``sparql`` parameter only
fills the editor: free SPARQL text runs on the user's click, never from a link.
"""

from __future__ import annotations

from collections.abc import Mapping

from medkg.namespaces import ID
from medkg.query import NamedQuery, QueryError, Result, Store, named_queries, run_query
from medkg.query.run import fill_slots, match_key
from medkg.serve.pages.catalogue import catalogue
from medkg.serve.pages.html import esc, href_of, page, table

DEFAULT_TEXT = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 20"
LINKED_COLUMNS = {"drug": "drugs", "code": "codes"}


def filled_text(query: NamedQuery, params: Mapping[str, str]) -> str:
    """The query's text with the given parameters in its slots (what a SPARQL client sends)."""
    values = {name: match_key(value) for name, value in params.items() if value.strip()}
    return fill_slots(query.text, values)[0]


def _form(query: NamedQuery, params: Mapping[str, str], selected: bool) -> str:
    fields = []
    for name, description in query.params.items():
        field_id = f"{query.name}-{name}"
        value = params.get(name, "") if selected else ""
        fields.append(
            f'<p><label for="{esc(field_id)}">{esc(name)}</label> '
            f'<input id="{esc(field_id)}" name="{esc(name)}" value="{esc(value)}" '
            f'aria-describedby="{esc(field_id)}-hint">'
            f'<span class="hint" id="{esc(field_id)}-hint">{esc(description)}</span></p>'
        )
    return (
        f'<details class="query-form"{" open" if selected else ""}>'
        f'<summary><span class="name">{esc(query.name)}</span> {esc(query.question)}</summary>'
        '<form method="get" action="/query">'
        f'<input type="hidden" name="query" value="{esc(query.name)}">'
        + "".join(fields)
        + '<p><button type="submit" name="answer" value="1">Answer</button></p></form></details>'
    )


def _cell(store: Store, column: str, value: str, kind: str) -> str:
    if kind == "uri":
        href = href_of(value)
        text = value[len(str(ID)) :] if value.startswith(str(ID)) else value
        return f'<a href="{esc(href)}">{esc(text)}</a>' if href else esc(value)
    if column in LINKED_COLUMNS:
        entry = catalogue(store).by_label.get((LINKED_COLUMNS[column], value))
        target = href_of(entry.iri) if entry is not None else None
        if target:
            return f'<a href="{esc(target)}">{esc(value)}</a>'
    return esc(value)


def _answer(
    store: Store,
    query: NamedQuery,
    params: Mapping[str, str],
    max_rows: int,
    deadline: float | None,
) -> str:
    given = {name: value for name, value in params.items() if value.strip()}
    try:
        result: Result = run_query(store, query, given, max_rows=max_rows, deadline=deadline)
    except QueryError as error:
        return f'<p class="error" role="alert">{esc(error)}</p>'
    rows = [
        tuple(
            "" if cell is None else _cell(store, column, cell.value, cell.kind)
            for column, cell in zip(result.variables, cells, strict=True)
        )
        for cells in result.cells
    ]
    asked = ", ".join(f"{name} = “{value}”" for name, value in given.items()) or "no parameters"
    count = f"{len(rows)} row{'s' if len(rows) != 1 else ''}"
    if result.truncated:
        count += f" (the first {max_rows}: the server's limit)"
    if not rows:
        nearest = []
        for value in given.values():
            nearest += store.nearest_names(match_key(value))
        hint = f" Names close to it: {esc(', '.join(nearest))}." if nearest else ""
        return (
            f'<section aria-labelledby="answer"><h2 id="answer">Answer: {esc(query.name)}</h2>'
            f'<p class="none" role="status">No rows for {esc(asked)}.{hint}</p></section>'
        )
    return (
        f'<section aria-labelledby="answer"><h2 id="answer">Answer: {esc(query.name)}</h2>'
        f'<p role="status">{count} for {esc(asked)}</p>'
        + table(result.variables, rows, css="answer")
        + "</section>"
    )


def render_query_page(
    store: Store,
    params: Mapping[str, str],
    *,
    max_rows: int,
    deadline: float | None = None,
) -> tuple[int, str]:
    """The status and HTML of the query page for the request's parameters."""
    queries = named_queries()
    name = params.get("query", "")
    chosen = queries.get(name)
    status = 200
    notice = ""
    if name and chosen is None:
        status = 404
        notice = f'<p class="error" role="alert">No competency query is named “{esc(name)}”.</p>'
    values = {
        key: value for key, value in params.items() if chosen is not None and key in chosen.params
    }
    if chosen is not None:
        text = filled_text(chosen, values)
    else:
        text = params.get("sparql") or DEFAULT_TEXT
    answer = ""
    if chosen is not None and params.get("answer"):
        answer = _answer(store, chosen, values, max_rows, deadline)
    forms = "".join(_form(query, values, query is chosen) for query in queries.values())
    body = f"""<h1>Queries</h1>
{notice}
<div class="query-page">
<section aria-labelledby="queries-title" id="queries">
<h2 id="queries-title">Competency queries</h2>
<p class="hint">Open one, fill in what you know and press Answer. A field left empty answers
for every value; names match ignoring case and extra spaces.</p>
{forms}
</section>
<section aria-labelledby="editor-title">
{answer}
<h2 id="editor-title">SPARQL</h2>
<label for="sparql">Query text (sent to <code>/sparql</code>)</label>
<textarea id="sparql" spellcheck="false" rows="16">{esc(text)}</textarea>
<p><button id="run" type="button">Run</button> <span class="hint">(Ctrl+Enter)</span>
<span id="status" role="status"></span></p>
<div id="output"></div>
</section>
</div>"""
    return status, page("Queries", body, scripts=("/static/app.js",))
