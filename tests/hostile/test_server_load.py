"""A bounded load on `medkg serve` (a real server process on a loopback port): 5,000 mixed
requests from several clients at once, with slow, idle and stalled clients among them.

Asserted: every well-formed request is answered 2xx, every bad one 4xx (no 5xx
at all), the slow clients are answered, the idle and stalled ones are closed
by the server, no query worker crashes, and the server's memory (its process
and its workers, RSS) stays under a bound. The figures (requests, p50/p99
latency, RSS) are printed for the README; latency is reported, not asserted.
"""

from __future__ import annotations

import http.client
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

import psutil

from tests.conftest import Built

REQUESTS = 5_000
CLIENTS = 4
SLOW_CLIENTS = 3
IDLE_CLIENTS = 40
STALLED_CLIENTS = 5
IDLE_TIMEOUT = 2
RSS_BOUND_BYTES = 1_500_000_000  # server and its two workers together
SELECT = (
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    "SELECT ?s ?label WHERE { ?s skos:prefLabel ?label } ORDER BY ?s LIMIT 5"
)
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
DIRECT = {"Content-Type": "application/sparql-query"}

# (method, path, body, headers, expected status class): well-formed then bad requests
WELL_FORMED = [
    ("GET", "/sparql?" + urlencode({"query": SELECT}), None, {}, 2),
    ("GET", "/sparql?" + urlencode({"query": "ASK { ?s ?p ?o }"}), None, {"Accept": "text/csv"}, 2),
    ("POST", "/sparql", urlencode({"query": SELECT}).encode(), FORM, 2),
    ("POST", "/sparql", SELECT.encode(), DIRECT, 2),
    ("GET", "/id/drug/romosozumab", None, {"Accept": "text/html"}, 2),
    ("GET", "/id/drug/romosozumab?format=turtle", None, {}, 2),
    ("GET", "/", None, {}, 2),
    ("GET", "/static/app.js", None, {}, 2),
    ("GET", "/queries.json", None, {}, 2),
    ("HEAD", "/static/style.css", None, {}, 2),
]
BAD = [
    ("GET", "/sparql", None, {}, 4),  # no query
    ("GET", "/sparql?" + urlencode({"query": "SELECT * WHERE { ?s ?p"}), None, {}, 4),
    ("POST", "/sparql", b"INSERT DATA { <a:b> <a:c> <a:d> }", DIRECT, 4),
    ("POST", "/sparql", b"ASK {}", {"Content-Type": "text/plain"}, 4),
    ("POST", "/sparql", ("ASK {" + "{" * 5000 + "}" * 5000 + "}").encode(), DIRECT, 4),
    ("POST", "/sparql", b"ASK {}", {"Origin": "https://evil.example", **DIRECT}, 4),
    ("GET", "/id/drug/no-such-drug", None, {}, 4),
    ("GET", "/nothing-here", None, {}, 4),
    ("DELETE", "/sparql", None, {}, 4),
]


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    counts: dict[int, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, status: int, expected: int, seconds: float, what: str) -> None:
        with self.lock:
            self.latencies.append(seconds)
            self.counts[status] = self.counts.get(status, 0) + 1
            if status // 100 != expected:
                self.wrong.append(f"{what}: {status}")


def start_server(built: Built) -> tuple[subprocess.Popen[str], str, int]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "medkg.cli",
            "serve",
            "--data",
            str(built.out),
            "--port",
            "0",
            "--idle-timeout",
            str(IDLE_TIMEOUT),
        ],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert process.stderr is not None
    banner = process.stderr.readline()
    found = re.search(r"http://([\d.]+):(\d+)/sparql", banner)
    assert found, banner
    # keep reading its log so the server never blocks on a full pipe
    threading.Thread(target=process.stderr.read, daemon=True).start()
    return process, found.group(1), int(found.group(2))


def client(host: str, port: int, plan: list[tuple], tally: Tally) -> None:
    connection = http.client.HTTPConnection(host, port, timeout=60)
    for method, path, body, headers, expected in plan:
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            status = response.status
            if response.will_close:
                connection.close()
        except (ConnectionError, http.client.HTTPException) as error:
            connection.close()
            tally.add(599, expected, 0.0, f"{method} {path[:60]}: {error!r}")
            continue
        tally.add(status, expected, time.perf_counter() - started, f"{method} {path[:60]}")
    connection.close()


def slow_client(host: str, port: int, tally: Tally) -> None:
    """Sends a query a few bytes at a time, then reads the answer."""
    request = (
        f"GET /sparql?{urlencode({'query': 'ASK { ?s ?p ?o }'})} HTTP/1.1\r\n"
        "Host: 127.0.0.1\r\nConnection: close\r\n\r\n"
    ).encode()
    started = time.perf_counter()
    with socket.create_connection((host, port), timeout=60) as sock:
        for offset in range(0, len(request), 8):
            sock.sendall(request[offset : offset + 8])
            time.sleep(0.05)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    tally.add(int(answer.split(b" ", 2)[1]), 2, time.perf_counter() - started, "slow client")


def rss(process: psutil.Process) -> int:
    return process.memory_info().rss + sum(
        child.memory_info().rss for child in process.children(recursive=True)
    )


def test_server_stays_up_under_a_mixed_load(built: Built) -> None:
    server, host, port = start_server(built)
    try:
        watched = psutil.Process(server.pid)
        workers_at_start = {child.pid for child in watched.children(recursive=True)}
        rss_at_start = rss(watched)
        idle = [socket.create_connection((host, port), timeout=60) for _ in range(IDLE_CLIENTS)]
        stalled = [
            socket.create_connection((host, port), timeout=60) for _ in range(STALLED_CLIENTS)
        ]
        for sock in stalled:  # a body shorter than its Content-Length
            sock.sendall(
                b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 50\r\n\r\nASK"
            )
        chooser = random.Random(15)
        mix = [
            chooser.choice(WELL_FORMED if chooser.random() < 0.8 else BAD) for _ in range(REQUESTS)
        ]
        tally = Tally()
        threads = [
            threading.Thread(target=client, args=(host, port, mix[index::CLIENTS], tally))
            for index in range(CLIENTS)
        ] + [
            threading.Thread(target=slow_client, args=(host, port, tally))
            for _ in range(SLOW_CLIENTS)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        rss_at_end = rss(watched)
        closed = 0
        for sock in idle + stalled:  # the server closes them, idle for longer than IDLE_TIMEOUT
            sock.settimeout(IDLE_TIMEOUT + 30)
            closed += sock.recv(1024) == b""
            sock.close()
        workers_at_end = {child.pid for child in watched.children(recursive=True)}
        latencies = sorted(tally.latencies)
        p50 = statistics.median(latencies)
        p99 = latencies[int(len(latencies) * 0.99)]
        print(
            f"\nload: {len(latencies)} requests ({REQUESTS} from {CLIENTS} clients, "
            f"{SLOW_CLIENTS} slow; {IDLE_CLIENTS} idle and {STALLED_CLIENTS} stalled "
            f"connections) in {elapsed:.1f} s; statuses {dict(sorted(tally.counts.items()))}; "
            f"p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms; server+workers RSS "
            f"{rss_at_start / 1e6:.0f} -> {rss_at_end / 1e6:.0f} MB; "
            f"worker crashes {len(workers_at_start - workers_at_end)}; "
            f"idle/stalled closed by the server {closed}/{IDLE_CLIENTS + STALLED_CLIENTS}"
        )
        assert tally.wrong == []
        assert len(latencies) == REQUESTS + SLOW_CLIENTS
        assert not any(status >= 500 for status in tally.counts)
        assert closed == IDLE_CLIENTS + STALLED_CLIENTS
        assert workers_at_end == workers_at_start  # no worker crashed or was replaced
        assert rss_at_end < RSS_BOUND_BYTES
        assert server.poll() is None  # still running
    finally:
        server.terminate()
        server.wait(timeout=30)
