"""The WSGI application: routes, the same-origin rule, the static page, and the hand-off of
queries to the worker pool.

Routes:
- ``/sparql`` — the SPARQL 1.1 Protocol query operation (`medkg.serve.protocol`);
- ``/id/<path>`` — the node ``https://w3id.org/medkg/id/<path>``: HTML, Turtle,
  JSON-LD, N-Triples or RDF/XML by ``Accept`` or ``?format=``; 404 if unknown;
- ``/`` — the landing page: drug and code search (``?q=``) and index (``?letter=``);
  the old query-page links (``/?query=…``, ``/?sparql=…``) are redirected to ``/query``;
- ``/query`` — the query page: a form per competency query, its answer, an editor;
- ``/id/drug/…`` and ``/id/code/…`` as HTML — a drug's or code's page for people
  (``?view=data``: the linked-data property table every other node has);
- ``/static/…`` — the stylesheet and the query page's script (nothing from the internet);
- ``/queries.json`` — the competency queries (name, question, parameters, columns, text).

``GET`` and ``HEAD`` everywhere, ``POST`` at ``/sparql`` only, ``OPTIONS``
(a CORS preflight); any other method is 405 with ``Allow``. Requests to
``/sparql`` from another site's page, and requests for another host name to a
loopback server, are refused (`medkg.serve.origin`).
The HTTP server underneath (`medkg.serve.server`) has already read the whole
request, within its size and time limits, before the application sees it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from functools import cache
from http import HTTPStatus
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, urlsplit

from medkg.namespaces import ID
from medkg.query import named_queries
from medkg.serve.config import ServeConfig
from medkg.serve.jobs import Answer, NodeJob, PageJob, text_answer
from medkg.serve.negotiate import NotAcceptable, choose
from medkg.serve.origin import PREFLIGHT_HEADERS, cors_headers, foreign_source, rebound_host
from medkg.serve.pages.html import ID_PATH
from medkg.serve.pool import QueryPool
from medkg.serve.protocol import ProtocolError, query_job
from medkg.serve.worker import TRUNCATED_HEADER

SPARQL_PATH = "/sparql"
STATIC_FILES = {
    "/static/app.js": ("app.js", "text/javascript; charset=utf-8"),
    "/static/style.css": ("style.css", "text/css; charset=utf-8"),
}
ALLOWED_METHODS = "GET, HEAD, POST, OPTIONS"
MAX_PAGE_FIELDS = 20
StartResponse = Callable[[str, list[tuple[str, str]]], object]
Environ = dict[str, Any]


@cache
def static_file(name: str) -> bytes:
    """A bundled file of the query page (package data under ``medkg/serve/static``)."""
    return resources.files("medkg.serve").joinpath("static", name).read_bytes()


@cache
def queries_json() -> bytes:
    """The competency queries as JSON for the query page, sorted by name."""
    listed = [
        {
            "name": query.name,
            "question": query.question,
            "params": query.params,
            "columns": list(query.columns),
            "text": query.text,
        }
        for query in named_queries().values()
    ]
    return (json.dumps(listed, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()


def _varying(answer: Answer) -> Answer:
    """`answer` marked as chosen by the Accept header (for caches)."""
    return Answer(
        answer.status, answer.media_type, answer.body, {"Vary": "Accept", **answer.headers}
    )


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


class MedkgApp:
    """The WSGI callable answering every request by the rules of the module docstring."""

    def __init__(self, config: ServeConfig, pool: QueryPool):
        self.config = config
        self.pool = pool

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        method = str(environ.get("REQUEST_METHOD", "GET")).upper()
        answer = self._answer(method, environ)
        headers = {
            "Content-Type": answer.media_type,
            "Content-Length": str(len(answer.body)),
            **cors_headers(environ, self.config.cors_origins, TRUNCATED_HEADER),
            **answer.headers,
        }
        if self.config.cors_origins:
            headers["Vary"] = ", ".join(filter(None, (headers.get("Vary"), "Origin")))
        start_response(f"{answer.status} {_reason(answer.status)}", list(headers.items()))
        return [] if method == "HEAD" else [answer.body]  # HEAD: the GET's headers only

    def _answer(self, method: str, environ: Environ) -> Answer:
        # the path as sent (still percent-encoded, as node IRIs are written)
        url = urlsplit(str(environ.get("REQUEST_URI") or environ.get("PATH_INFO", "")))
        path, url_query = url.path, url.query
        rebound = rebound_host(environ, self.config.host)
        if rebound is not None:
            return text_answer(
                403, f"Host: {rebound} is not this server's name (it listens on loopback)"
            )
        if method == "OPTIONS":
            if cors_headers(environ, self.config.cors_origins, TRUNCATED_HEADER):
                return Answer(204, "text/plain", b"", dict(PREFLIGHT_HEADERS))
            return Answer(204, "text/plain", b"", {"Allow": ALLOWED_METHODS})
        if method not in ("GET", "HEAD", "POST"):
            return text_answer(405, f"{method} is not supported", {"Allow": ALLOWED_METHODS})
        if path == SPARQL_PATH:
            return self._sparql(method, environ, url_query)
        if method == "POST":
            return text_answer(405, f"only {SPARQL_PATH} takes POST", {"Allow": "GET, HEAD"})
        if path.startswith(ID_PATH) and len(path) > len(ID_PATH):
            return self._node(path[len(ID_PATH) :], url_query, environ.get("HTTP_ACCEPT"))
        if path in ("/", "/query"):
            return self._page(path, url_query)
        if path in STATIC_FILES:
            name, media_type = STATIC_FILES[path]
            return Answer(200, media_type, static_file(name))
        if path == "/queries.json":
            return Answer(200, "application/json", queries_json())
        return text_answer(404, f"nothing at {path}; the SPARQL endpoint is {SPARQL_PATH}")

    def _sparql(self, method: str, environ: Environ, url_query: str) -> Answer:
        source = foreign_source(environ, self.config.cors_origins)
        if source is not None:
            return text_answer(
                403,
                f"a page from another site cannot query this server ({source}); "
                "start it with --cors-origin ORIGIN to let that origin's pages query it",
            )
        try:
            body = b""
            if method == "POST":
                length = int(environ.get("CONTENT_LENGTH") or 0)
                body = environ["wsgi.input"].read(length) if length > 0 else b""
            job = query_job(
                "POST" if method == "POST" else "GET",
                url_query,
                environ.get("CONTENT_TYPE"),
                environ.get("HTTP_ACCEPT"),
                body,
            )
        except ProtocolError as error:
            return text_answer(error.status, error.message)
        return _varying(self.pool.run(job))

    def _node(self, path: str, url_query: str, accept: str | None) -> Answer:
        given = parse_qs(url_query)
        try:
            chosen = choose("page", accept, given.get("format"))
        except NotAcceptable as error:
            return text_answer(406, str(error))
        view = "data" if given.get("view", [""])[0] == "data" else "page"
        return _varying(self.pool.run(NodeJob(iri=str(ID) + path, format=chosen.name, view=view)))

    def _page(self, path: str, url_query: str) -> Answer:
        try:
            given = parse_qs(url_query, max_num_fields=MAX_PAGE_FIELDS)
        except ValueError:
            return text_answer(400, f"a page takes at most {MAX_PAGE_FIELDS} parameters")
        if path == "/" and ("query" in given or "sparql" in given):
            return Answer(302, "text/plain", b"", {"Location": "/query?" + url_query})
        params = tuple((name, values[0]) for name, values in sorted(given.items()))
        return self.pool.run(PageJob(page="landing" if path == "/" else "query", params=params))
