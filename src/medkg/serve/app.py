"""The HTTP server: routes, CORS, static page, and the hand-off of queries to the worker pool.

Routes:
- ``/sparql`` — the SPARQL 1.1 Protocol query operation (`medkg.serve.protocol`);
- ``/id/<path>`` — the node ``https://w3id.org/medkg/id/<path>``: HTML, Turtle,
  JSON-LD, N-Triples or RDF/XML by ``Accept`` or ``?format=``; 404 if unknown;
- ``/`` and ``/static/…`` — the query page (bundled files, nothing from the internet);
- ``/queries.json`` — the competency queries (name, question, parameters, columns, text).

Every answer carries ``Access-Control-Allow-Origin: *``; ``OPTIONS`` answers a
CORS preflight. Built on the standard library's ThreadingHTTPServer: the
server only parses requests and relays them, the queries run in worker
processes (`medkg.serve.pool`), so a framework would add nothing here.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from medkg.namespaces import ID
from medkg.query import named_queries
from medkg.serve.jobs import Answer, NodeJob, text_answer
from medkg.serve.negotiate import NotAcceptable, choose
from medkg.serve.pool import QueryPool
from medkg.serve.protocol import ProtocolError, query_job
from medkg.serve.worker import TRUNCATED_HEADER

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_RESULTS = 10_000
DEFAULT_WORKERS = 2
MAX_BODY_BYTES = 1_000_000

SPARQL_PATH = "/sparql"
ID_PATH = "/id/"
STATIC_FILES = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/static/app.js": ("app.js", "text/javascript; charset=utf-8"),
    "/static/style.css": ("style.css", "text/css; charset=utf-8"),
}
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": TRUNCATED_HEADER,
}
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, Accept",
    "Access-Control-Max-Age": "86400",
}


@dataclass(frozen=True)
class ServeConfig:
    """How `medkg serve` runs; the defaults are the documented ones."""

    data_dir: Path = Path("dist")
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    timeout: float = DEFAULT_TIMEOUT
    max_results: int = DEFAULT_MAX_RESULTS
    workers: int = DEFAULT_WORKERS
    quiet: bool = False


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


class MedkgServer(ThreadingHTTPServer):
    """A threading HTTP server holding the configuration and the worker pool."""

    daemon_threads = True

    def __init__(self, config: ServeConfig, pool: QueryPool):
        self.config = config
        self.pool = pool
        super().__init__((config.host, config.port), Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else str(host)
        shown = f"[{name}]" if ":" in name else name
        return f"http://{shown}:{port}"

    def server_close(self) -> None:
        super().server_close()
        self.pool.close()


class Handler(BaseHTTPRequestHandler):
    """One request: route it, answer it, add the CORS headers."""

    server: MedkgServer
    server_version = "medkg"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        if not self.server.config.quiet:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")

    def _send(self, answer: Answer, head_only: bool = False) -> None:
        self.send_response(answer.status)
        headers = {
            "Content-Type": answer.media_type,
            "Content-Length": str(len(answer.body)),
            **CORS_HEADERS,
            **answer.headers,
        }
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if not head_only:
            self.wfile.write(answer.body)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            self.close_connection = True  # the unread body would be taken for the next request
            raise ProtocolError(413, f"the request body is over {MAX_BODY_BYTES} bytes")
        return self.rfile.read(length) if length > 0 else b""

    def _route(self, method: str) -> Answer:
        url = urlsplit(self.path)
        if url.path == SPARQL_PATH:
            try:
                body = self._body() if method == "POST" else b""
                job = query_job(
                    method,
                    url.query,
                    self.headers.get("Content-Type"),
                    self.headers.get("Accept"),
                    body,
                )
            except ProtocolError as error:
                return text_answer(error.status, error.message)
            return _varying(self.server.pool.run(job))
        if method == "POST":
            self.close_connection = True  # its body is not read
            return text_answer(405, f"only {SPARQL_PATH} takes POST", {"Allow": "GET, HEAD"})
        if url.path.startswith(ID_PATH) and len(url.path) > len(ID_PATH):
            return self._node(url.path[len(ID_PATH) :], url.query)
        if url.path in STATIC_FILES:
            name, media_type = STATIC_FILES[url.path]
            return Answer(200, media_type, static_file(name))
        if url.path == "/queries.json":
            return Answer(200, "application/json", queries_json())
        return text_answer(404, f"nothing at {url.path}; the SPARQL endpoint is {SPARQL_PATH}")

    def _node(self, path: str, url_query: str) -> Answer:
        wanted = parse_qs(url_query).get("format")
        try:
            chosen = choose("page", self.headers.get("Accept"), wanted)
        except NotAcceptable as error:
            return text_answer(406, str(error))
        return _varying(self.server.pool.run(NodeJob(iri=str(ID) + path, format=chosen.name)))

    def do_GET(self) -> None:
        self._send(self._route("GET"))

    def do_HEAD(self) -> None:
        self._send(self._route("GET"), head_only=True)

    def do_POST(self) -> None:
        self._send(self._route("POST"))

    def do_OPTIONS(self) -> None:
        self.send_response(204)
        for name, value in {**CORS_HEADERS, **PREFLIGHT_HEADERS, "Content-Length": "0"}.items():
            self.send_header(name, value)
        self.end_headers()


def make_server(config: ServeConfig) -> MedkgServer:
    """A bound server with its workers loaded, not yet serving (call ``serve_forever``).

    Raises `OSError` when the address cannot be bound and
    `medkg.query.DataMissing` when the dataset cannot be loaded.
    """
    pool = QueryPool(
        config.data_dir,
        size=config.workers,
        timeout=config.timeout,
        max_results=config.max_results,
    )
    server = MedkgServer(config, pool)
    try:
        pool.start()
    except BaseException:
        server.server_close()
        raise
    return server
