"""Run the Oxigraph server (the ``oxigraph`` command of the dev extras) on a free loopback
port, and ask SPARQL endpoints for rows the way the tests compare them."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest

Row = tuple[str | None, ...]


def oxigraph_program() -> str:
    """The oxigraph command (the virtualenv's, when it is not on PATH); skips without it."""
    beside = Path(sys.executable).parent / "oxigraph"
    program = str(beside) if beside.exists() else shutil.which("oxigraph")
    if program is None:
        pytest.skip("the oxigraph server is not installed (pip install -e '.[dev]')")
    return program


def oxigraph_load(location: Path, file: Path) -> None:
    """Load an RDF file into the Oxigraph store at `location` (``oxigraph load``)."""
    command = [oxigraph_program(), "load", "--location", str(location)]
    subprocess.run([*command, "--file", str(file)], check=True, capture_output=True)


def free_port() -> int:
    """A TCP port on loopback that nothing listens on (now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_answering(
    endpoint: str, server: subprocess.Popen[bytes], name: str, *, seconds: float = 60
) -> None:
    """Return once the SPARQL endpoint answers a query; fail if the server stops first or
    does not answer within `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            sparql_rows(endpoint, "SELECT * WHERE { ?s ?p ?o } LIMIT 1")
            return
        except (urllib.error.URLError, ConnectionError):
            if server.poll() is not None:
                raise RuntimeError(f"{name} stopped with exit code {server.returncode}") from None
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not answer at {endpoint}") from None
            time.sleep(0.05)


@contextmanager
def running_oxigraph(location: Path, *, read_only: bool) -> Iterator[str]:
    """The base URL of an Oxigraph server on `location`, started with
    ``--union-default-graph`` (its SPARQL endpoint is BASE/query, GSP BASE/store, updates
    BASE/update), stopped after the block."""
    bind = f"127.0.0.1:{free_port()}"
    mode = "serve-read-only" if read_only else "serve"
    command = [oxigraph_program(), mode, "--union-default-graph", "--bind", bind]
    server = subprocess.Popen(
        [*command, "--location", str(location)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://{bind}"
    try:
        wait_until_answering(base + "/query", server, "oxigraph")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def same_values(rows: Iterable[Iterable[str | None]]) -> list[Row]:
    """Rows sorted, numbers by value (stores spell ``210.0`` as ``210`` or ``210.0``)."""

    def cell(value: str | None) -> str | None:
        try:
            return None if value is None else str(Decimal(value).normalize())
        except InvalidOperation:
            return value

    return sorted(tuple(cell(value) for value in row) for row in rows)


def sparql_rows(endpoint: str, text: str) -> list[Row]:
    """The rows of a SELECT (none for an ASK) through the SPARQL 1.1 protocol."""
    request = urllib.request.Request(
        endpoint,
        data=urllib.parse.urlencode({"query": text}).encode(),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        body = json.loads(response.read())
    names = body["head"].get("vars", [])
    return same_values(
        [row[n]["value"] if n in row else None for n in names]
        for row in body.get("results", {}).get("bindings", [])
    )
