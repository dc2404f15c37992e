"""Pages for people, rendered in a query worker from its store: the landing page (search and
index), drug pages, billing-code pages and the query page with a form per competency query.

`node_page` gives a drug's or a code's page (or None: other nodes keep the
linked-data property table of `medkg.serve.node_page`); `answer_page` renders a
`PageJob`. Modules: `graph_slice` (what a page reads), `html` (escaping and the
frame), `dosing`, `billing`, `mechanism_svg`, one module per page kind.
"""

from __future__ import annotations

from medkg.query import Store
from medkg.serve.jobs import Answer, PageJob, text_answer
from medkg.serve.pages.catalogue import catalogue
from medkg.serve.pages.code import render_code_page
from medkg.serve.pages.drug import render_drug_page
from medkg.serve.pages.graph_slice import MEDKG, SCHEMA, fetch_slice, node_types
from medkg.serve.pages.landing import render_landing
from medkg.serve.pages.query_page import render_query_page

HTML = "text/html; charset=utf-8"


def node_page(store: Store, iri: str, deadline: float | None = None) -> str | None:
    """The page of a drug (schema:Drug) or billing code (medkg:BillingCode), else None."""
    types = node_types(store, iri, deadline)
    if SCHEMA + "Drug" in types:
        graph = fetch_slice(store, iri, "drug", deadline)
        descriptions = sorted(
            subject for subject in graph.triples if iri in graph.nodes(subject, MEDKG + "bills")
        )
        return render_drug_page(graph, descriptions)
    if MEDKG + "BillingCode" in types:
        return render_code_page(fetch_slice(store, iri, "code", deadline))
    return None


def answer_page(store: Store, job: PageJob, max_results: int, deadline: float | None) -> Answer:
    """The HTML of a landing or query page job."""
    params = dict(job.params)
    if job.page == "landing":
        html = render_landing(catalogue(store), params.get("q", ""), params.get("letter", ""))
        return Answer(200, HTML, html.encode())
    if job.page == "query":
        status, html = render_query_page(store, params, max_rows=max_results, deadline=deadline)
        return Answer(status, HTML, html.encode())
    return text_answer(404, f"no page {job.page!r}")


__all__ = ["answer_page", "node_page"]
