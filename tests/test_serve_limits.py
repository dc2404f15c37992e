"""`medkg serve` stays up: timeouts, size limits, malformed requests, deep nesting, worker
crashes and a full queue, each against a real server on a loopback port.

The server here has a 1 s idle timeout, one worker, a 1 s query timeout and
a queue of one, so the limits are reached quickly; no test asserts a duration:
a client that the server should drop reads end-of-file, and a server that
never drops it fails the test by the client's own (much longer) timeout.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from typing import TypeVar
from urllib.parse import quote, urlencode

import pytest

from medkg.query.sparql_text import MAX_NESTING
from medkg.serve import MedkgServer, ServeConfig
from medkg.serve.config import BACKLOG, MAX_BODY_BYTES, MAX_HEADER_BYTES
from tests.conftest import Built
from tests.serve_support import running_server

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
ASK = "ASK { ?s ?p ?o }"
T = TypeVar("T")
CLIENT_TIMEOUT = 30.0  # far longer than any limit here: reaching it fails the test


@pytest.fixture(scope="module")
def server(built: Built) -> Iterator[MedkgServer]:
    config = ServeConfig(
        data_dir=built.out, port=0, quiet=True, workers=1, queue=1, timeout=1.0, idle_timeout=1
    )
    with running_server(config) as running:
        yield running


def connect(server: MedkgServer) -> socket.socket:
    host, port = server.server_address
    return socket.create_connection((host, port), timeout=CLIENT_TIMEOUT)


def raw(server: MedkgServer, request: bytes) -> bytes:
    """Everything the server sends back to `request` until it closes the connection."""
    with connect(server) as sock:
        sock.sendall(request)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
        return received


def status_of(response: bytes) -> int:
    return int(response.split(b" ", 2)[1])


def request(
    server: MedkgServer, method: str, path: str, body: bytes | None = None, **headers: str
) -> tuple[int, dict[str, str], bytes]:
    host, port = server.server_address
    connection = http.client.HTTPConnection(host, port, timeout=CLIENT_TIMEOUT)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def ask(server: MedkgServer) -> int:
    return request(server, "GET", "/sparql?" + urlencode({"query": ASK}))[0]


# --- connections that send too little -----------------------------------------------------


@pytest.mark.parametrize(
    "sent",
    [
        b"",  # connected, never asks
        b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n",  # headers never end
        # a body shorter than its Content-Length
        b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: 100\r\n\r\nASK {",
    ],
    ids=["idle", "unfinished headers", "short body"],
)
def test_a_stalled_connection_is_closed_and_others_are_answered(
    server: MedkgServer, sent: bytes
) -> None:
    with connect(server) as stalled:
        stalled.sendall(sent)
        assert ask(server) == 200  # answered while the stalled client waits
        assert stalled.recv(1024) == b""  # then the server closes it


def test_an_idle_keep_alive_connection_is_closed(server: MedkgServer) -> None:
    with connect(server) as sock:
        sock.sendall(b"GET /static/style.css HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        reader = sock.makefile("rb")
        assert reader.readline().startswith(b"HTTP/1.1 200")
        length = 0
        while (line := reader.readline()) not in (b"\r\n", b""):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        assert len(reader.read(length)) == length
        assert reader.read(1) == b""  # closed once idle, not kept open forever


def test_keep_alive_sockets_use_tcp_nodelay(server: MedkgServer) -> None:
    host, port = server.server_address
    connection = http.client.HTTPConnection(host, port, timeout=CLIENT_TIMEOUT)
    try:
        connection.request("GET", "/static/style.css")
        connection.getresponse().read()
        ours = connection.sock.getsockname()
        # the server's end of this connection, among the sockets of its event loop
        ends = [each.socket for each in server._map.values() if _peer(each) == ours]
        assert len(ends) == 1
        assert ends[0].getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    finally:
        connection.close()


def _peer(dispatcher: object) -> object:
    try:
        return dispatcher.socket.getpeername()  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return None


def test_head_sends_headers_only_and_the_connection_goes_on(server: MedkgServer) -> None:
    host, port = server.server_address
    connection = http.client.HTTPConnection(host, port, timeout=CLIENT_TIMEOUT)
    try:
        connection.request("HEAD", "/static/style.css")
        head = connection.getresponse()
        assert head.status == 200
        assert int(head.headers["Content-Length"]) > 0
        assert head.read() == b""
        connection.request("GET", "/queries.json")  # same connection: no body was left over
        answer = connection.getresponse()
        assert answer.status == 200
        assert answer.read().startswith(b"[")
    finally:
        connection.close()


@pytest.mark.skipif(shutil.which("ss") is None, reason="needs ss (iproute2)")
def test_listen_backlog(server: MedkgServer) -> None:
    port = server.server_address[1]
    listed = subprocess.run(
        ["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True, check=True
    ).stdout.split()
    assert listed[0] == "LISTEN"
    assert int(listed[2]) == BACKLOG  # Send-Q of a listening socket: its backlog


# --- malformed and oversized requests ------------------------------------------------------


def test_non_numeric_content_length_is_400(server: MedkgServer) -> None:
    answer = raw(
        server,
        b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
        b"Content-Length: twelve\r\nConnection: close\r\n\r\nASK {}",
    )
    assert status_of(answer) == 400


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "BREW", "TRACE"])
def test_unknown_methods_are_405_with_allow(server: MedkgServer, method: str) -> None:
    status, headers, _ = request(server, method, "/sparql", body=b"")
    assert status == 405
    assert headers["Allow"] == "GET, HEAD, POST, OPTIONS"


def test_a_body_over_the_limit_is_413(server: MedkgServer) -> None:
    body = b"ASK {}" + b" " * MAX_BODY_BYTES
    status, _, _ = request(
        server, "POST", "/sparql", body=body, **{"Content-Type": "application/sparql-query"}
    )
    assert status == 413
    assert ask(server) == 200


def test_a_url_over_the_limit_is_431(server: MedkgServer) -> None:
    status, _, _ = request(
        server, "GET", "/sparql?query=" + quote("ASK {}" + " " * MAX_HEADER_BYTES)
    )
    assert status == 431


def test_a_query_just_under_the_limit_is_answered(server: MedkgServer) -> None:
    body = ("ASK {}" + " " * (MAX_BODY_BYTES - 100)).encode()
    status, _, answer = request(
        server, "POST", "/sparql", body=body, **{"Content-Type": "application/sparql-query"}
    )
    assert status == 200, answer


# --- what a query can do to a worker -------------------------------------------------------


@pytest.mark.parametrize("brackets", ["(", "{", "["])
def test_deep_nesting_is_refused_before_the_engine_sees_it(
    server: MedkgServer, brackets: str
) -> None:
    opening = brackets
    inner = {"(": "FILTER(" + "(" * 6000 + "1" + ")" * 6000 + ")", "{": "{" * 6000 + "}" * 6000}
    text = "SELECT * WHERE { " + inner.get(opening, "?s ?p " + "[ ?p " * 6000 + "]" * 6000) + " }"
    pids = server.pool.worker_pids
    status, _, body = request(
        server,
        "POST",
        "/sparql",
        body=text.encode(),
        **{"Content-Type": "application/sparql-query"},
    )
    assert status == 400
    assert f"at most {MAX_NESTING} levels".encode() in body
    assert server.pool.worker_pids == pids  # no worker died
    nested = "SELECT * WHERE { FILTER(" + "(" * 50 + "true" + ")" * 50 + ") }"
    status, _, body = request(server, "GET", "/sparql?" + urlencode({"query": nested}))
    assert status == 200, body


def test_a_crashed_worker_costs_its_own_request_one_500(server: MedkgServer) -> None:
    answers: list[int] = []
    running = threading.Thread(
        target=lambda: answers.append(
            request(server, "GET", "/sparql?" + urlencode({"query": RUNAWAY}))[0]
        )
    )
    pids = wait_for(lambda: server.pool.worker_pids)
    running.start()
    wait_for(lambda: server.pool.admitted == 1)
    os.kill(pids[0], signal.SIGKILL)  # what a parser crash (SIGSEGV) does to it
    running.join(CLIENT_TIMEOUT)
    assert answers == [500]
    assert ask(server) == 200  # a replacement worker answers the next one
    assert server.pool.worker_pids != pids


def test_beyond_the_queue_requests_are_503_with_retry_after(server: MedkgServer) -> None:
    wait_for(lambda: server.pool.worker_pids)
    answers: list[int] = []
    runaways = [
        threading.Thread(
            target=lambda: answers.append(
                request(server, "GET", "/sparql?" + urlencode({"query": RUNAWAY}))[0]
            )
        )
        for _ in range(2)
    ]
    for each in runaways:
        each.start()
    wait_for(lambda: server.pool.admitted == 2)  # one running, one waiting
    status, headers, body = request(server, "GET", "/sparql?" + urlencode({"query": ASK}))
    assert status == 503, body
    assert headers["Retry-After"] == "1"
    node_status = request(server, "GET", "/id/drug/romosozumab")[0]
    assert node_status == 503  # node pages share the query queue
    assert request(server, "GET", "/")[0] == 503  # so do the pages for people
    assert request(server, "GET", "/static/style.css")[0] == 200  # static files never wait
    for each in runaways:
        each.join(CLIENT_TIMEOUT)
    assert sorted(answers) == [503, 503]  # both stopped by the 1 s time limit
    wait_for(lambda: server.pool.worker_pids)
    assert ask(server) == 200


def wait_for(check: Callable[[], T]) -> T:
    """The first truthy value of `check()`, polled for at most `CLIENT_TIMEOUT` seconds."""
    deadline = time.monotonic() + CLIENT_TIMEOUT
    while not (value := check()):
        assert time.monotonic() < deadline, "the server never reached the expected state"
        time.sleep(0.02)
    return value


# --- no outbound path ---------------------------------------------------------------------


@pytest.mark.parametrize("how", ["GET", "POST form", "POST direct"])
def test_service_reaches_no_listening_socket(server: MedkgServer, how: str) -> None:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.settimeout(0)
        port = listener.getsockname()[1]
        text = f"PREFIX : <http://127.0.0.1:{port}/> ASK {{ SERVICE:x {{ }} }}"
        if how == "GET":
            status = request(server, "GET", "/sparql?" + urlencode({"query": text}))[0]
        elif how == "POST form":
            form = urlencode({"query": text}).encode()
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            status = request(server, "POST", "/sparql", body=form, **headers)[0]
        else:
            headers = {"Content-Type": "application/sparql-query"}
            status = request(server, "POST", "/sparql", body=text.encode(), **headers)[0]
        assert status == 400
        with pytest.raises(BlockingIOError):
            listener.accept()


def _net_namespace(pid: int | str) -> str:
    return os.readlink(f"/proc/{pid}/ns/net")


def _service_query_in_a_child(port: int) -> None:
    """Runs in a spawned process: leave the network, then run SERVICE straight in pyoxigraph,
    past every check medkg makes before a query runs."""
    import pyoxigraph as ox

    from medkg.serve.isolation import leave_network

    assert leave_network()
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"
    with contextlib.suppress(OSError):  # "Network is unreachable": there is no way out
        list(ox.Store().query(query))


needs_namespaces = pytest.mark.skipif(
    not os.path.exists("/proc/self/ns/net"), reason="no Linux network namespaces here"
)


@needs_namespaces
def test_query_workers_run_in_a_network_namespace_of_their_own(server: MedkgServer) -> None:
    pids = wait_for(lambda: server.pool.worker_pids)
    assert all(_net_namespace(pid) != _net_namespace("self") for pid in pids)


@needs_namespaces
def test_a_service_call_from_a_worker_without_network_reaches_no_socket() -> None:
    import multiprocessing

    with socket.create_server(("127.0.0.1", 0)) as listener:
        listener.settimeout(0)
        child = multiprocessing.get_context("spawn").Process(
            target=_service_query_in_a_child, args=(listener.getsockname()[1],)
        )
        child.start()
        child.join(CLIENT_TIMEOUT)
        assert child.exitcode == 0
        with pytest.raises(BlockingIOError):
            listener.accept()
