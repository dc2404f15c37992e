"""A query worker: a separate process holding the loaded store and answering jobs one at a time.

Queries run here, not in the HTTP server, so that a query running past its
time limit can be stopped for certain: the server kills the whole process
(neither pyoxigraph nor rdflib can cancel a running query from another
thread) and starts a fresh one. Inside the worker the limit is also checked
between result rows (`medkg.query.run_query`'s deadline), which ends most
slow queries without a kill.

The worker never uses the network: an audit hook refuses every socket
connection and name lookup made from Python, on top of `admit` refusing
``SERVICE`` before a query reaches the engine.
"""

from __future__ import annotations

import signal
import sys
import time
from multiprocessing.connection import Connection

from rdflib import Graph

from medkg.query import (
    FormatMismatch,
    QueryError,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    Result,
    Store,
    load_store,
    run_query,
    serialise,
)
from medkg.query.serialise import MEDIA_TYPES
from medkg.serve.isolation import leave_network
from medkg.serve.jobs import Answer, Failed, Job, NodeJob, PageJob, QueryJob, Ready, text_answer
from medkg.serve.node_data import node_description, node_iri, node_view
from medkg.serve.node_page import render_node_page
from medkg.serve.pages import answer_page, node_page
from medkg.serve.protocol import ProtocolError, admit

TRUNCATED_HEADER = "Medkg-Result-Truncated"
_NETWORK_EVENTS = frozenset({"socket.connect", "socket.getaddrinfo", "socket.gethostbyname"})
RDF_XML = "rdfxml"
RDF_XML_MEDIA_TYPE = "application/rdf+xml"


def _refuse_network(event: str, args: tuple[object, ...]) -> None:
    if event in _NETWORK_EVENTS:
        raise PermissionError(f"medkg query workers never use the network (refused {event})")


def render(result: Result, format_name: str, max_results: int) -> Answer:
    """`result` serialised as `format_name`, with the truncation header when the cap cut it."""
    headers = {TRUNCATED_HEADER: str(max_results)} if result.truncated else {}
    if format_name == RDF_XML:
        graph = result.graph if result.graph is not None else Graph()
        body = graph.serialize(format="pretty-xml", encoding="utf-8")
        return Answer(200, RDF_XML_MEDIA_TYPE, body, headers)
    return Answer(200, MEDIA_TYPES[format_name], serialise(result, format_name).encode(), headers)


def answer_query(store: Store, job: QueryJob, timeout: float, max_results: int) -> Answer:
    """Check a protocol query (`admit`), run it and render its answer, or the error as a
    plain-text answer."""
    deadline = time.monotonic() + timeout
    try:
        format_name = admit(job)
        result = run_query(store, job.text, max_rows=max_results, deadline=deadline)
        return render(result, format_name, max_results)
    except ProtocolError as error:
        return text_answer(error.status, error.message)
    except QuerySyntaxError as error:
        return text_answer(400, str(error))
    except QueryRefused as error:
        return text_answer(400, str(error))
    except QueryTimeout:
        return text_answer(503, timeout_message(timeout))
    except FormatMismatch as error:
        return text_answer(406, str(error))
    except QueryError as error:
        return text_answer(400, str(error))


def answer_node(store: Store, job: NodeJob, timeout: float, max_results: int) -> Answer:
    """A node's HTML page (a drug's or code's page for people unless the job asks for the
    linked-data view; the property table otherwise) or its description in an RDF format;
    404 when no triple mentions it."""
    path = job.iri.split("/id/", 1)[-1]
    iri = node_iri(path)
    if iri is None or str(iri) != job.iri:
        return text_answer(404, f"{job.iri} is not a node IRI of this graph")
    deadline = time.monotonic() + timeout
    try:
        if job.format == "html" and job.view != "data":
            shown = node_page(store, str(iri), deadline)
            if shown is not None:
                return Answer(200, "text/html; charset=utf-8", shown.encode())
        if job.format == "html":
            view = node_view(store, iri, deadline=deadline)
            if view is None:
                return text_answer(404, f"no node {iri} in this graph")
            return Answer(200, "text/html; charset=utf-8", render_node_page(view).encode())
        result = node_description(store, iri, deadline=deadline, max_triples=max_results)
    except QueryTimeout:
        return text_answer(503, timeout_message(timeout))
    if not len(result):
        return text_answer(404, f"no node {iri} in this graph")
    return render(result, job.format, max_results)


def timeout_message(timeout: float) -> str:
    """What a client is told when its query ran out of time."""
    return (
        f"the query ran longer than the {timeout:g} s limit and was stopped; "
        "narrow it (LIMIT, more specific patterns) or start the server with a larger --timeout"
    )


def answer(store: Store, job: Job, timeout: float, max_results: int) -> Answer:
    """The answer to one job. An unexpected error is reported (500, with its type and message)."""
    try:
        if isinstance(job, QueryJob):
            return answer_query(store, job, timeout, max_results)
        if isinstance(job, PageJob):
            try:
                return answer_page(store, job, max_results, time.monotonic() + timeout)
            except QueryTimeout:
                return text_answer(503, timeout_message(timeout))
        return answer_node(store, job, timeout, max_results)
    # The worker must answer every job; an engine error we did not foresee is
    # reported to the client with its cause rather than killing the worker.
    except Exception as error:
        return text_answer(500, f"the query failed: {type(error).__name__}: {error}")


def main(connection: Connection, data_dir: str, timeout: float, max_results: int) -> None:
    """Process entry point: load the store, say `Ready` (or `Failed`), answer jobs until EOF."""
    leave_network()  # first: unsharing needs a process with one thread
    sys.addaudithook(_refuse_network)
    # Ctrl-C in a terminal reaches the whole process group: the server stops its
    # workers itself, so they ignore it instead of printing a traceback each.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        store = load_store(data_dir)
    except QueryError as error:
        connection.send(Failed(str(error)))
        return
    connection.send(Ready(len(store)))
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        connection.send(answer(store, job, timeout, max_results))
