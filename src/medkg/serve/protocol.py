"""The SPARQL 1.1 Protocol query operation, read-only: from an HTTP request to a job.

Accepted (https://www.w3.org/TR/sparql11-protocol/#query-operation):
- ``GET /sparql?query=…``;
- ``POST`` with ``Content-Type: application/x-www-form-urlencoded`` and a
  ``query=…`` field;
- ``POST`` with ``Content-Type: application/sparql-query`` and the query as body.
An optional ``format`` parameter (URL or form) overrides ``Accept``.

Refused by the HTTP server when it reads the request (`query_job`):
- an ``update`` parameter or an ``application/sparql-update`` body — 403;
- ``default-graph-uri``/``named-graph-uri`` (the dataset is fixed; use
  ``GRAPH`` in the query) — 400;
- a missing or repeated ``query``, a body that is not UTF-8 — 400;
- another content type — 415.

Refused by the query worker before the engine sees the text (`admit`, run
under the query's time limit, so reading a large text never holds the server):
- an update operation in the text (`sparql_text.classify`) — 403;
- ``SERVICE`` (a federated call would reach other hosts) — 400;
- brackets nested deeper than `MAX_NESTING` — 400;
- no acceptable result format — 406.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs

from medkg.query.sparql_text import MAX_NESTING, classify
from medkg.serve.jobs import QueryJob
from medkg.serve.negotiate import AnswerKind, NotAcceptable, choose

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
USAGE = (
    "send a SPARQL query as GET /sparql?query=…, as a POST form field query=…, "
    f"or as a POST body with Content-Type: {SPARQL_QUERY}"
)
READ_ONLY = "this endpoint is read-only: SPARQL Update is refused and nothing was changed"


@dataclass(frozen=True)
class ProtocolError(Exception):
    """A request refused before any query runs: HTTP `status` and a `message` for the client."""

    status: int
    message: str

    def __str__(self) -> str:
        return self.message


def _parameters(encoded: str) -> dict[str, list[str]]:
    try:
        return parse_qs(encoded, keep_blank_values=True, strict_parsing=False, errors="strict")
    except UnicodeDecodeError as error:
        raise ProtocolError(400, f"the parameters are not UTF-8 ({error})") from error


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProtocolError(400, f"the request body is not UTF-8 ({error})") from error


def _single(parameters: dict[str, list[str]], name: str) -> str | None:
    values = parameters.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise ProtocolError(400, f"give one {name} parameter, not {len(values)}")
    return values[0]


def read_query(
    method: str, url_query: str, content_type: str | None, body: bytes
) -> tuple[str, dict[str, list[str]]]:
    """The query text of a protocol request and all its parameters (URL and form)."""
    parameters = _parameters(url_query)
    media_type = (content_type or "").split(";")[0].strip().lower()
    text: str | None
    if method == "GET":
        text = _single(parameters, "query")
    elif media_type == FORM:
        for name, values in _parameters(_decode(body)).items():
            parameters.setdefault(name, []).extend(values)
        text = _single(parameters, "query")
    elif media_type == SPARQL_QUERY:
        text = _decode(body)
    elif media_type == SPARQL_UPDATE:
        raise ProtocolError(403, READ_ONLY)
    else:
        raise ProtocolError(
            415, f"Content-Type {content_type or '(none)'} is not accepted: {USAGE}"
        )
    if "update" in parameters:
        raise ProtocolError(403, READ_ONLY)
    for name in ("default-graph-uri", "named-graph-uri"):
        if any(value.strip() for value in parameters.get(name, [])):
            raise ProtocolError(
                400, f"{name} is not supported: the dataset is fixed; use GRAPH in the query"
            )
    if text is None or not text.strip():
        raise ProtocolError(400, f"no query given: {USAGE}")
    return text, parameters


def query_job(
    method: str, url_query: str, content_type: str | None, accept: str | None, body: bytes
) -> QueryJob:
    """The job for a protocol request, or `ProtocolError` by the rules of the module docstring."""
    text, parameters = read_query(method, url_query, content_type, body)
    return QueryJob(text=text, accept=accept, formats=tuple(parameters.get("format", [])))


def admit(job: QueryJob) -> str:
    """The format name answering `job`, or `ProtocolError` when its text is refused."""
    classified = classify(job.text)
    if classified.update_keyword is not None:
        raise ProtocolError(403, f"{READ_ONLY} (found {classified.update_keyword})")
    if classified.uses_service:
        raise ProtocolError(
            400,
            "SERVICE (a federated query to another endpoint) is refused: "
            "this endpoint answers from its own graph only",
        )
    if classified.nesting > MAX_NESTING:
        raise ProtocolError(
            400,
            f"brackets are nested {classified.nesting} deep; this endpoint takes at most "
            f"{MAX_NESTING} levels of nested (), {{}} and []",
        )
    kind: AnswerKind = "graph" if classified.form in ("construct", "describe") else "bindings"
    try:
        return choose(kind, job.accept, list(job.formats)).name
    except NotAcceptable as error:
        raise ProtocolError(406, str(error)) from error
