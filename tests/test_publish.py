"""`medkg publish`: a built dataset into a real Oxigraph server through the Graph Store
HTTP Protocol, answering every competency query as `medkg query` does; the switch to a new
version in one update request; retries, credentials and refusals against a recording
stand-in store."""

from __future__ import annotations

import base64
import hashlib
import http.server
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner

from medkg import build
from medkg.cli import main
from medkg.errors import MedkgError
from medkg.publish import MANIFEST, STAGING, publish
from medkg.publish.credentials import ENVIRONMENT, authorization
from medkg.publish.graph_store import GraphStore, PublishFailed
from medkg.query import load_store, named_queries, run_query
from tests.conftest import SOURCES, Built
from tests.oxigraph_support import Row, running_oxigraph, same_values, sparql_rows

GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.fixture
def oxigraph(tmp_path: Path) -> Iterator[str]:
    """A read-write Oxigraph server with an empty store of its own."""
    with running_oxigraph(tmp_path / "store", read_only=False) as base:
        yield base


def store_of(base: str, *, atomic: bool = True) -> GraphStore:
    return GraphStore(base + "/store", base + "/update" if atomic else None, sleep=lambda _: None)


def graphs(base: str) -> list[str]:
    return sorted(str(row[0]) for row in sparql_rows(base + "/query", GRAPHS))


def medkg_rows(built: Built, name: str) -> list[Row]:
    result = run_query(load_store(built.out, persistent=False), named_queries()[name])
    return same_values([None if v is None else str(v) for v in row] for row in result.rows)


def test_every_competency_query_answers_in_the_store_as_medkg_query_does(
    built: Built, oxigraph: str
) -> None:
    report = publish(built.out, store_of(oxigraph))
    assert (report.graphs, report.atomic, report.dropped) == (3, True, 0)
    assert report.triples == sum(1 for _ in (built.out / "medkg.nq").open(encoding="utf-8"))
    for name, query in sorted(named_queries().items()):
        assert sparql_rows(oxigraph + "/query", query.text) == medkg_rows(built, name), name
    assert graphs(oxigraph) == sorted(
        [MANIFEST]
        + [
            f"https://w3id.org/medkg/id/graph/{g}"
            for g in ("j3111-code-page", "links", "romosozumab-monograph")
        ]
    )


def test_a_new_version_replaces_the_old_and_leaves_nothing_staged(
    built: Built, oxigraph: str, tmp_path: Path
) -> None:
    publish(built.out, store_of(oxigraph))
    smaller = tmp_path / "smaller"
    smaller.mkdir()
    shutil.copy(SOURCES / "romosozumab-monograph.txt", smaller)
    build([smaller], tmp_path / "dist2")
    report = publish(tmp_path / "dist2", store_of(oxigraph))
    assert report.dropped == 1  # the code page's graph
    now = graphs(oxigraph)
    assert not any(g.startswith(STAGING) for g in now)
    assert "https://w3id.org/medkg/id/graph/j3111-code-page" not in now
    assert sparql_rows(oxigraph + "/query", named_queries()["billing"].text) == []
    again = publish(tmp_path / "dist2", store_of(oxigraph))  # the same version again
    assert again.dropped == 0 and graphs(oxigraph) == now


def test_one_graph_and_graph_by_graph(built: Built, oxigraph: str) -> None:
    single = "https://example.org/graph/medkg"
    report = publish(built.out, store_of(oxigraph, atomic=False), single_graph=single)
    assert (report.graphs, report.atomic) == (1, False)
    assert graphs(oxigraph) == sorted([MANIFEST, single])
    for name in ("regimens", "adverse-reactions"):
        query = named_queries()[name].text
        assert sparql_rows(oxigraph + "/query", query) == medkg_rows(built, name)
    report = publish(built.out, store_of(oxigraph, atomic=False))  # back to a graph each
    assert report.dropped == 1 and single not in graphs(oxigraph)


def test_a_folder_changed_after_the_build_is_not_published(built: Built, tmp_path: Path) -> None:
    copy = tmp_path / "dist"
    shutil.copytree(built.out, copy)
    with (copy / "medkg.nq").open("a", encoding="utf-8") as handle:
        handle.write("<urn:x> <urn:y> <urn:z> .\n")
    unreachable = GraphStore("http://127.0.0.1:9/store", sleep=lambda _: None)
    with pytest.raises(MedkgError, match=r"does not match .*SHA256SUMS"):
        publish(copy, unreachable)
    with pytest.raises(MedkgError, match="not a folder written by `medkg build`"):
        publish(tmp_path, unreachable)


# --- a recording stand-in store ------------------------------------------------------------


class Recorder(http.server.BaseHTTPRequestHandler):
    """Answers GSP and update requests from a script of status codes; records each request."""

    script: ClassVar[list[int]] = []
    seen: ClassVar[list[tuple[str, str, str | None]]] = []

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.seen.append((self.command, self.path, self.headers.get("Authorization")))
        status = self.script.pop(0) if self.script else 204
        if self.command == "GET" and status == 204:
            status = 404  # no manifest yet
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_PUT = do_POST = do_DELETE = _answer

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def recording(script: list[int]) -> Iterator[str]:
    Recorder.script, Recorder.seen = list(script), []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_request_the_store_fails_is_retried(built: Built) -> None:
    with recording([404, 503, 502]) as base:  # manifest GET, then the first PUT fails twice
        report = publish(built.out, GraphStore(base + "/store", sleep=lambda _: None))
    assert report.retried == 2
    puts = [path for method, path, _ in Recorder.seen if method == "PUT"]
    # the interim manifest, 3 graphs and the manifest; the first sent three times
    assert len(puts) == 5 + 2


def test_credentials_are_sent_and_never_shown(
    built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "alice:s3cret-pass"
    monkeypatch.setenv(ENVIRONMENT, secret)
    with recording([404, 401]) as base:
        result = CliRunner().invoke(
            main, ["publish", "--data", str(built.out), "--endpoint", base + "/store"]
        )
    assert result.exit_code == 6
    assert "HTTP 401" in result.stderr and "PUT graph" in result.stderr
    expected = "Basic " + base64.b64encode(secret.encode()).decode()
    assert {header for _, _, header in Recorder.seen} == {expected}
    assert "s3cret" not in result.output and "s3cret" not in result.stderr
    assert len(Recorder.seen) == 2  # a 401 is not retried


def test_a_failed_upload_removes_what_it_staged(built: Built) -> None:
    with recording([404, 204, 500, 500, 500, 500]) as base:
        store = GraphStore(base + "/store", base + "/update", sleep=lambda _: None)
        with pytest.raises(PublishFailed, match="HTTP 500"):
            publish(built.out, store)
    deleted = [path for method, path, _ in Recorder.seen if method == "DELETE"]
    assert len(deleted) == 4 and all("staging" in path for path in deleted)
    assert not any(method == "POST" for method, _, _ in Recorder.seen)  # never switched


def test_credentials_come_from_a_file_or_the_environment(tmp_path: Path) -> None:
    file = tmp_path / "credentials"
    file.write_text("\nBearer abc.def\n", encoding="utf-8")
    assert authorization(file) == "Bearer abc.def"
    assert authorization(None, {ENVIRONMENT: "bob:pw"}) == "Basic " + base64.b64encode(
        b"bob:pw"
    ).decode("ascii")
    assert authorization(None, {}) is None
    file.write_text("no-colon-here", encoding="utf-8")
    with pytest.raises(MedkgError, match="user:password or Bearer TOKEN") as caught:
        authorization(file)
    assert "no-colon-here" not in str(caught.value)
    with pytest.raises(MedkgError, match="cannot be read"):
        authorization(tmp_path / "absent")


def test_the_manifest_names_the_dataset(built: Built, oxigraph: str) -> None:
    publish(built.out, store_of(oxigraph))
    digest = hashlib.sha256((built.out / "medkg.nq").read_bytes()).hexdigest()
    sha256 = "https://w3id.org/medkg/vocab#sha256"
    rows = sparql_rows(
        oxigraph + "/query", f"SELECT ?d WHERE {{ GRAPH <{MANIFEST}> {{ ?m <{sha256}> ?d }} }}"
    )
    assert rows == [(digest,)]


class ReplyLost(GraphStore):
    """A store client whose update reaches the store (or not) but whose reply is lost."""

    applied = True

    def update(self, text: str) -> None:
        if self.applied:
            super().update(text)
        raise PublishFailed(f"{self.update_endpoint}: SPARQL update failed: HTTP 504")


def test_an_update_whose_reply_is_lost_is_never_sent_twice(
    built: Built, oxigraph: str, tmp_path: Path
) -> None:
    """Applied but unanswered: the manifest shows the switch happened, so the publication
    stands (sent again, the MOVEs would have emptied every graph); not applied: it fails
    and the store still serves the previous version. Nothing is left staged either way."""
    publish(built.out, store_of(oxigraph))
    before = {name: medkg_rows(built, name) for name in ("billing", "regimens")}
    smaller = tmp_path / "smaller"
    smaller.mkdir()
    shutil.copy(SOURCES / "romosozumab-monograph.txt", smaller)
    build([smaller], tmp_path / "dist2")
    lost = ReplyLost(oxigraph + "/store", oxigraph + "/update", sleep=lambda _: None)
    lost.applied = False
    with pytest.raises(PublishFailed, match="HTTP 504"):
        publish(tmp_path / "dist2", lost)
    for name, rows in before.items():  # the previous version, whole
        assert sparql_rows(oxigraph + "/query", named_queries()[name].text) == rows
    assert not any(g.startswith(STAGING) for g in graphs(oxigraph))
    lost = ReplyLost(oxigraph + "/store", oxigraph + "/update", sleep=lambda _: None)
    report = publish(tmp_path / "dist2", lost)
    assert report.dropped == 1
    regimens = sparql_rows(oxigraph + "/query", named_queries()["regimens"].text)
    assert regimens == before["regimens"]  # moved once, not emptied by a second MOVE
    assert not any(g.startswith(STAGING) for g in graphs(oxigraph))


@pytest.mark.parametrize(
    ("endpoint", "message"),
    [
        ("https://alice:hunter2@store.example/ds", "must not hold user information"),
        ("file:///etc/passwd", "http:// or https:// URL"),
        ("http://store.example:99999/store", "not a valid URL"),
        ("store.example/store", "http:// or https:// URL"),
    ],
)
def test_an_endpoint_must_be_a_plain_http_url(endpoint: str, message: str) -> None:
    with pytest.raises(PublishFailed, match=message) as caught:
        GraphStore(endpoint)
    assert "hunter2" not in str(caught.value)
    result = CliRunner().invoke(main, ["publish", "--endpoint", endpoint])
    assert result.exit_code == 6 and "hunter2" not in result.output + result.stderr


def test_a_single_graph_name_must_be_an_iri(built: Built) -> None:
    store = GraphStore("http://127.0.0.1:9/store", "http://127.0.0.1:9/update")
    with pytest.raises(MedkgError, match="is not an IRI"):
        publish(built.out, store, single_graph="x> ; DROP ALL ; MOVE SILENT GRAPH <y")


def test_an_update_is_posted_once_even_when_the_store_fails(built: Built) -> None:
    # manifest GET, 4 staged PUTs, the update (502), the cleanup DELETEs, the manifest GET
    with recording([404, 204, 204, 204, 204, 502]) as base:
        store = GraphStore(base + "/store", base + "/update", sleep=lambda _: None)
        with pytest.raises(PublishFailed, match="HTTP 502"):
            publish(built.out, store)
    assert [method for method, _, _ in Recorder.seen].count("POST") == 1


class FailsAfter(GraphStore):
    """A store client whose PUTs fail after `allowed` of them (the store is reachable)."""

    allowed = 2

    def put(self, graph: str, ntriples: bytes) -> None:
        if self.allowed == 0:
            raise PublishFailed(f"{self.endpoint}: PUT graph <{graph}> failed: HTTP 500")
        self.allowed -= 1
        super().put(graph, ntriples)


def test_a_graph_by_graph_run_that_fails_leaves_nothing_the_next_run_cannot_drop(
    built: Built, oxigraph: str, tmp_path: Path
) -> None:
    smaller = tmp_path / "smaller"
    smaller.mkdir()
    shutil.copy(SOURCES / "romosozumab-monograph.txt", smaller)
    build([smaller], tmp_path / "dist2")
    # the manifest and one graph of the full build, then the store fails
    with pytest.raises(PublishFailed):
        publish(built.out, FailsAfter(oxigraph + "/store", sleep=lambda _: None))
    report = publish(tmp_path / "dist2", store_of(oxigraph, atomic=False))
    assert report.dropped >= 1
    code_page = "https://w3id.org/medkg/id/graph/j3111-code-page"
    assert code_page not in graphs(oxigraph)
