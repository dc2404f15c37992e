"""`medkg serve`: the SPARQL 1.1 Protocol endpoint, linked-data pages and the query page.

One server on a free loopback port answers most tests (default timeout and
cap); a second one, with a 1 s timeout, one worker and a cap of 5 results,
answers the timeout and cap tests.
"""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import SKOS
from SPARQLWrapper import JSON, JSONLD, POST, POSTDIRECTLY, TURTLE, SPARQLWrapper

from medkg.cli import main
from medkg.namespaces import ID, MEDKG
from medkg.query import DataMissing, named_queries
from medkg.query.sparql_text import classify
from medkg.serve import MedkgServer, ServeConfig, make_server
from medkg.serve.app import STATIC_FILES, static_file
from medkg.serve.negotiate import NotAcceptable, choose
from medkg.serve.protocol import ProtocolError, admit, query_job
from tests.conftest import Built
from tests.serve_support import running_server

DRUG = ID["drug/romosozumab"]
CODES = """
PREFIX medkg: <https://w3id.org/medkg/vocab#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?code ?notation WHERE { ?code a medkg:BillingCode ; skos:notation ?notation }
ORDER BY ?notation
"""
CODES_GRAPH = """
PREFIX medkg: <https://w3id.org/medkg/vocab#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
CONSTRUCT { ?code skos:notation ?notation }
WHERE { ?code a medkg:BillingCode ; skos:notation ?notation }
"""
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
REMOTE_REFERENCE = re.compile(
    rb"""(src|href)\s*=\s*["']?(https?:)?//|url\(\s*["']?(https?:)?//|@import|fetch\(\s*["'`]https?:"""
)
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def server(built: Built) -> Iterator[MedkgServer]:
    with running_server(ServeConfig(data_dir=built.out, port=0, quiet=True)) as running:
        yield running


@pytest.fixture(scope="module")
def strict_server(built: Built) -> Iterator[MedkgServer]:
    config = ServeConfig(
        data_dir=built.out, port=0, quiet=True, timeout=1.0, workers=1, max_results=5
    )
    with running_server(config) as running:
        yield running


def endpoint(server: MedkgServer) -> str:
    return server.url + "/sparql"


def fetch(
    url: str,
    *,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    method: str | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of one request; HTTP errors are answers, not exceptions."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers.items()), error.read()


def get_query(
    server: MedkgServer, text: str, accept: str | None = None, **extra: str
) -> tuple[int, dict[str, str], bytes]:
    headers = {"Accept": accept} if accept else {}
    return fetch(endpoint(server) + "?" + urlencode({"query": text, **extra}), headers=headers)


def triple_count(server: MedkgServer) -> int:
    status, _, body = get_query(server, COUNT)
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def expected_codes(built: Built) -> set[tuple[str, str]]:
    return {
        (str(code), str(notation))
        for code in built.graph.subjects(predicate=None, object=MEDKG.BillingCode)
        for notation in built.graph.objects(code, SKOS.notation)
    }


# --- a real SPARQL client ------------------------------------------------------------------


def client(server: MedkgServer, text: str, return_format: str) -> SPARQLWrapper:
    sparql = SPARQLWrapper(endpoint(server))
    sparql.setQuery(text)
    sparql.setReturnFormat(return_format)
    return sparql


@pytest.mark.parametrize("method", ["GET", "POST form", "POST direct"])
def test_sparqlwrapper_select(server: MedkgServer, built: Built, method: str) -> None:
    sparql = client(server, CODES, JSON)
    if method != "GET":
        sparql.setMethod(POST)
    if method == "POST direct":
        sparql.setRequestMethod(POSTDIRECTLY)
    answer = sparql.queryAndConvert()
    assert isinstance(answer, dict)
    rows = {
        (row["code"]["value"], row["notation"]["value"]) for row in answer["results"]["bindings"]
    }
    assert rows == expected_codes(built)
    assert (str(ID["code/hcpcs/J3111"]), "J3111") in rows


def test_sparqlwrapper_ask(server: MedkgServer) -> None:
    assert client(server, f"ASK {{ <{DRUG}> a ?type }}", JSON).queryAndConvert()["boolean"] is True
    assert (
        client(server, f"ASK {{ <{DRUG}nothing> ?p ?o }}", JSON).queryAndConvert()["boolean"]
        is False
    )


def codes_graph(built: Built) -> Graph:
    expected = Graph()
    for code, notation in expected_codes(built):
        expected.add((URIRef(code), SKOS.notation, Literal(notation)))
    return expected


def test_sparqlwrapper_construct_turtle(server: MedkgServer, built: Built) -> None:
    body = client(server, CODES_GRAPH, TURTLE).queryAndConvert()
    assert isinstance(body, bytes)
    assert isomorphic(Graph().parse(data=body, format="turtle"), codes_graph(built))


def test_sparqlwrapper_construct_default_rdfxml(server: MedkgServer, built: Built) -> None:
    sparql = SPARQLWrapper(endpoint(server))
    sparql.setQuery(CODES_GRAPH)
    graph = sparql.queryAndConvert()
    assert isinstance(graph, Graph)
    assert isomorphic(graph, codes_graph(built))


def test_sparqlwrapper_construct_jsonld(server: MedkgServer, built: Built) -> None:
    graph = client(server, CODES_GRAPH, JSONLD).queryAndConvert()
    assert isinstance(graph, Graph)
    assert isomorphic(graph, codes_graph(built))


# --- read-only ---------------------------------------------------------------------------

UPDATES = [
    "INSERT DATA { <https://example.org/a> <https://example.org/b> <https://example.org/c> }",
    "LOAD <https://example.org/data.ttl>",
    "DROP ALL",
    "CLEAR DEFAULT",
    "DELETE WHERE { ?s ?p ?o }",
    "PREFIX ex: <https://example.org/>\nWITH ex:g DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
]


@pytest.mark.parametrize("update", UPDATES)
@pytest.mark.parametrize("how", ["query param", "update form field", "sparql-update body"])
def test_updates_are_refused_and_change_nothing(server: MedkgServer, update: str, how: str) -> None:
    before = triple_count(server)
    if how == "query param":
        status, _, body = get_query(server, update)
    elif how == "update form field":
        status, _, body = fetch(
            endpoint(server),
            data=urlencode({"update": update}).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    else:
        status, _, body = fetch(
            endpoint(server),
            data=update.encode(),
            headers={"Content-Type": "application/sparql-update"},
        )
    assert status == 403
    assert b"read-only" in body
    assert triple_count(server) == before


def test_sparqlwrapper_update_is_refused(server: MedkgServer) -> None:
    before = triple_count(server)
    sparql = SPARQLWrapper(endpoint(server), updateEndpoint=endpoint(server))
    sparql.setMethod(POST)
    sparql.setQuery(UPDATES[0])
    with pytest.raises(urllib.error.HTTPError) as raised:
        sparql.query()
    assert raised.value.code == 403
    assert triple_count(server) == before


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <https://example.org/sparql> { ?s ?p ?o } }",
        "select * where { service silent <https://example.org/sparql> { ?s ?p ?o } }",
    ],
)
def test_service_is_refused(server: MedkgServer, text: str) -> None:
    status, _, body = get_query(server, text)
    assert status == 400
    assert b"SERVICE" in body


def test_the_word_service_elsewhere_is_not_refused(server: MedkgServer) -> None:
    text = 'SELECT ?service WHERE { BIND("SERVICE INSERT" AS ?service) } # SERVICE'
    status, _, body = get_query(server, text)
    assert status == 200, body
    assert json.loads(body)["results"]["bindings"][0]["service"]["value"] == "SERVICE INSERT"


def test_syntax_error_is_400_with_line_and_column(server: MedkgServer) -> None:
    status, _, body = get_query(server, "SELECT ?s WHERE {\n  ?s ?p \n}")
    assert status == 400
    assert re.search(rb":\d+:\d+: SPARQL syntax error", body), body


# --- timeout and cap -----------------------------------------------------------------------


def test_runaway_query_times_out_and_the_server_still_answers(strict_server: MedkgServer) -> None:
    status, _, body = get_query(strict_server, RUNAWAY)
    assert status == 503
    assert b"limit" in body
    # the only worker was killed and replaced: the next query is answered
    status, _, body = get_query(strict_server, "ASK { ?s ?p ?o }")
    assert status == 200, body
    assert json.loads(body)["boolean"] is True


def test_result_cap_truncates_and_says_so(strict_server: MedkgServer, server: MedkgServer) -> None:
    text = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 20"
    status, headers, body = get_query(strict_server, text)
    assert status == 200
    assert len(json.loads(body)["results"]["bindings"]) == 5
    assert headers["Medkg-Result-Truncated"] == "5"
    status, headers, body = get_query(server, text)
    assert len(json.loads(body)["results"]["bindings"]) == 20
    assert "Medkg-Result-Truncated" not in headers


# --- content negotiation -----------------------------------------------------------------


def json_rows(body: bytes) -> list[dict[str, str]]:
    return [
        {name: value["value"] for name, value in row.items()}
        for row in json.loads(body)["results"]["bindings"]
    ]


@pytest.mark.parametrize(
    ("accept", "extra", "media_type"),
    [
        (None, {}, "application/sparql-results+json"),
        ("application/sparql-results+json", {}, "application/sparql-results+json"),
        ("application/sparql-results+xml", {}, "application/sparql-results+xml"),
        ("text/csv", {}, "text/csv"),
        ("text/tab-separated-values", {}, "text/tab-separated-values"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", {}, "application/sparql-results+json"),
        ("text/csv;q=0.5, text/tab-separated-values", {}, "text/tab-separated-values"),
        ("application/sparql-results+json", {"format": "csv"}, "text/csv"),
    ],
)
def test_select_content_negotiation(
    server: MedkgServer, built: Built, accept: str | None, extra: dict[str, str], media_type: str
) -> None:
    status, headers, body = get_query(server, CODES, accept, **extra)
    assert status == 200, body
    assert headers["Content-Type"].split(";")[0] == media_type
    expected = sorted(expected_codes(built))
    if media_type.endswith("+json"):
        rows = [(row["code"], row["notation"]) for row in json_rows(body)]
    elif media_type.endswith("+xml"):
        namespace = {"r": "http://www.w3.org/2005/sparql-results#"}
        root = ElementTree.fromstring(body)
        rows = [
            (
                result.findtext("r:binding[@name='code']/r:uri", namespaces=namespace) or "",
                result.findtext("r:binding[@name='notation']/r:literal", namespaces=namespace)
                or "",
            )
            for result in root.iterfind("r:results/r:result", namespace)
        ]
    elif media_type == "text/csv":
        table = list(csv.reader(io.StringIO(body.decode())))
        assert table[0] == ["code", "notation"]
        rows = [(line[0], line[1]) for line in table[1:]]
    else:
        lines = body.decode().splitlines()
        assert lines[0] == "?code\t?notation"
        rows = [
            (code.strip("<>"), notation.strip('"'))
            for code, notation in (line.split("\t") for line in lines[1:])
        ]
    assert sorted(rows) == expected


@pytest.mark.parametrize(
    ("accept", "extra", "media_type", "syntax"),
    [
        (None, {}, "text/turtle", "turtle"),
        ("text/turtle", {}, "text/turtle", "turtle"),
        ("application/ld+json", {}, "application/ld+json", "json-ld"),
        ("application/n-triples", {}, "application/n-triples", "nt"),
        ("application/rdf+xml", {}, "application/rdf+xml", "xml"),
        ("text/turtle", {"format": "jsonld"}, "application/ld+json", "json-ld"),
    ],
)
def test_construct_content_negotiation(
    server: MedkgServer,
    built: Built,
    accept: str | None,
    extra: dict[str, str],
    media_type: str,
    syntax: str,
) -> None:
    status, headers, body = get_query(server, CODES_GRAPH, accept, **extra)
    assert status == 200, body
    assert headers["Content-Type"].split(";")[0] == media_type
    assert isomorphic(Graph().parse(data=body, format=syntax), codes_graph(built))


def test_describe_answers_the_node_description(server: MedkgServer, built: Built) -> None:
    status, _, body = get_query(server, f"DESCRIBE <{DRUG}>", "text/turtle")
    assert status == 200
    described = Graph().parse(data=body, format="turtle")
    assert set(built.graph.triples((DRUG, None, None))) <= set(described)


@pytest.mark.parametrize(
    ("text", "accept", "extra"),
    [
        (CODES, "image/png", {}),
        (CODES, None, {"format": "turtle"}),
        (CODES_GRAPH, None, {"format": "csv"}),
        (CODES_GRAPH, "text/csv", {}),
    ],
)
def test_unacceptable_formats_are_406(
    server: MedkgServer, text: str, accept: str | None, extra: dict[str, str]
) -> None:
    status, _, body = get_query(server, text, accept, **extra)
    assert status == 406
    assert b"offered" in body


# --- protocol details ----------------------------------------------------------------------


PREFLIGHT = {
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "Content-Type",
}


def test_no_cors_by_default(server: MedkgServer) -> None:
    status, headers, _ = get_query(server, "ASK { ?s ?p ?o }")
    assert status == 200
    assert not any(name.lower().startswith("access-control-") for name in headers)
    status, headers, _ = fetch(
        endpoint(server), method="OPTIONS", headers={"Origin": "https://example.org", **PREFLIGHT}
    )
    assert status == 204
    assert not any(name.lower().startswith("access-control-") for name in headers)


def test_cors_only_for_a_named_origin_and_never_with_credentials(built: Built) -> None:
    trusted = "http://localhost:3000"
    config = ServeConfig(data_dir=built.out, port=0, quiet=True, workers=1, cors_origins=(trusted,))
    with running_server(config) as running:
        status, headers, _ = get_query(running, "ASK { ?s ?p ?o }")
        assert status == 200
        assert "Access-Control-Allow-Origin" not in headers  # no Origin sent
        status, headers, _ = fetch(
            endpoint(running), method="OPTIONS", headers={"Origin": trusted, **PREFLIGHT}
        )
        assert status == 204
        assert headers["Access-Control-Allow-Origin"] == trusted
        assert "POST" in headers["Access-Control-Allow-Methods"]
        assert "Content-Type" in headers["Access-Control-Allow-Headers"]
        status, headers, _ = fetch(
            endpoint(running),
            data=b"ASK { ?s ?p ?o }",
            headers={"Content-Type": "application/sparql-query", "Origin": trusted},
        )
        assert status == 200
        assert headers["Access-Control-Allow-Origin"] == trusted
        assert "Origin" in headers["Vary"]
        assert "Access-Control-Allow-Credentials" not in headers
        status, headers, _ = fetch(
            endpoint(running),
            data=urlencode({"query": "ASK {}"}).encode(),
            headers={"Origin": "https://evil.example"},
        )
        assert status == 403
        assert "Access-Control-Allow-Origin" not in headers


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 200),  # curl, SPARQLWrapper: no Origin
        ({"Origin": "https://evil.example"}, 403),
        ({"Origin": "null"}, 403),  # a sandboxed frame or a file: page
        ({"Sec-Fetch-Site": "cross-site"}, 403),
        ({"Sec-Fetch-Site": "same-origin"}, 200),
    ],
)
def test_a_form_post_from_another_site_runs_nothing(
    server: MedkgServer, headers: dict[str, str], status: int
) -> None:
    form = urlencode({"query": "ASK { ?s ?p ?o }"}).encode()
    got, _, body = fetch(
        endpoint(server),
        data=form,
        headers={"Content-Type": "application/x-www-form-urlencoded", **headers},
    )
    assert got == status, body
    if status == 403:
        assert b"another site" in body and b"--cors-origin" in body


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("evil.example:8000", 403),  # DNS rebinding: another site's name pointed at 127.0.0.1
        ("127.0.0.1:8000", 200),
        ("localhost:8000", 200),
        ("[::1]:8000", 200),
    ],
)
def test_a_loopback_server_answers_only_loopback_host_names(
    server: MedkgServer, host: str, status: int
) -> None:
    for path in ("/sparql?" + urlencode({"query": "ASK {}"}), "/"):
        got, _, body = fetch(server.url + path, headers={"Host": host})
        assert got == status, body
    if status == 403:
        assert b"not this server's name" in body


def test_a_post_from_the_servers_own_page_runs(server: MedkgServer) -> None:
    status, _, body = fetch(
        endpoint(server),
        data=b"ASK { ?s ?p ?o }",
        headers={"Content-Type": "application/sparql-query", "Origin": server.url},
    )
    assert status == 200, body


def test_binds_loopback_by_default(server: MedkgServer) -> None:
    assert ServeConfig().host == "127.0.0.1"
    assert server.server_address[0] == "127.0.0.1"


def test_cli_defaults_are_the_documented_ones() -> None:
    command = main.commands["serve"]
    defaults = {param.name: param.default for param in command.params}
    config = ServeConfig()
    assert defaults == {
        "data": config.data_dir,
        "host": config.host,
        "port": config.port,
        "timeout": config.timeout,
        "max_results": config.max_results,
        "workers": config.workers,
        "queue": config.queue,
        "idle_timeout": config.idle_timeout,
        "cors_origins": config.cors_origins,
    }
    serving = serving_section()
    for documented in ("127.0.0.1", "8000", "10 s", "10,000", "`8`", "30 s"):
        assert documented in serving


@pytest.mark.parametrize(
    ("method", "content_type", "body", "url_query", "status"),
    [
        ("GET", None, b"", "", 400),
        ("GET", None, b"", "query=ASK{}&query=ASK{}", 400),
        ("POST", "text/plain", b"ASK {}", "", 415),
        ("POST", "application/x-www-form-urlencoded", b"nothing=1", "", 400),
        ("POST", "application/sparql-query", b"\xff\xfe", "", 400),
        ("GET", None, b"", "query=ASK{}&default-graph-uri=https://example.org/g", 400),
    ],
)
def test_bad_protocol_requests(
    method: str, content_type: str | None, body: bytes, url_query: str, status: int
) -> None:
    with pytest.raises(ProtocolError) as raised:
        query_job(method, url_query, content_type, None, body)
    assert raised.value.status == status
    assert raised.value.message


def test_accepted_protocol_requests() -> None:
    form = urlencode({"query": "ASK {}", "format": "xml"}).encode()
    job = query_job("POST", "", "application/x-www-form-urlencoded; charset=UTF-8", None, form)
    assert (job.text, admit(job)) == ("ASK {}", "xml")
    job = query_job("POST", "format=tsv", "application/sparql-query", None, b"SELECT * {}")
    assert (job.text, admit(job)) == ("SELECT * {}", "tsv")
    job = query_job("GET", "query=" + quote("DESCRIBE <x:y>"), None, "*/*", b"")
    assert (job.text, admit(job)) == ("DESCRIBE <x:y>", "turtle")


@pytest.mark.parametrize(
    ("text", "form", "update", "service"),
    [
        ("PREFIX s: <https://schema.org/>\nBASE <x:>\nselect * {}", "select", None, False),
        ("# SELECT\nCONSTRUCT WHERE { ?s ?p ?o }", "construct", None, False),
        ("ASK { ?insert <x:delete> 'DROP' }", "ask", None, False),
        ('SELECT * { ?s ex:service ?o . ?o ?p """SERVICE"""@en }', "select", None, False),
        ("SELECT * { ?s ?p ?o } ; INSERT DATA { <a:b> <a:c> <a:d> }", "select", "INSERT", False),
        ("PREFIX ex: <x:> WITH ex:g DELETE {} WHERE {}", None, "WITH", False),
        ("SELECT * { SERVICE <x:y> { ?s ?p ?o } }", "select", None, True),
        ("PREFIX : <http://127.0.0.1:9/> ASK { SERVICE:x { } }", "ask", None, True),
        ("SELECT * { ?s ?p true.SERVICE <x:y> { } }", "select", None, True),
        ("SELECT * { ?s a ex:x.y . ?s ?p ex:service.x }", "select", None, False),
        ("SELECT * { ?s ?p 'unterminated }", "select", None, False),
    ],
)
def test_classify_reads_keywords_not_names_or_strings(
    text: str, form: str | None, update: str | None, service: bool
) -> None:
    classified = classify(text)
    assert (classified.form, classified.update_keyword, classified.uses_service) == (
        form,
        update,
        service,
    )


@pytest.mark.parametrize(
    ("kind", "accept", "wanted", "name"),
    [
        ("bindings", None, None, "json"),
        ("bindings", "", None, "json"),
        ("bindings", "text/*", None, "csv"),
        ("bindings", "application/json", None, "json"),
        ("bindings", "application/xml;q=0.9, text/csv;q=0.1", None, "xml"),
        ("graph", "application/json", None, "jsonld"),
        ("graph", "*/*", None, "turtle"),
        ("graph", None, "ttl", "turtle"),
        ("graph", None, "xml", "rdfxml"),
        ("graph", None, "json-ld,application/ld+json", "jsonld"),
        ("bindings", None, "xml", "xml"),
        ("page", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", None, "html"),
        ("page", "text/turtle", None, "turtle"),
        ("page", "application/ld+json", None, "jsonld"),
        ("page", None, "jsonld", "jsonld"),
    ],
)
def test_choose(kind: str, accept: str | None, wanted: str | None, name: str) -> None:
    values = [wanted] if wanted is not None else None
    assert choose(kind, accept, values).name == name  # type: ignore[arg-type]


def test_choose_refuses_what_is_not_offered() -> None:
    with pytest.raises(NotAcceptable, match="offered"):
        choose("bindings", "text/turtle, image/*", None)
    with pytest.raises(NotAcceptable, match="offered"):
        choose("bindings", "text/csv;q=0", None)


# --- linked data -----------------------------------------------------------------------------


def node_url(server: MedkgServer, iri: URIRef) -> str:
    return server.url + "/id/" + str(iri)[len(str(ID)) :]


def test_drug_linked_data_view_as_html(server: MedkgServer, built: Built) -> None:
    browser_accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    status, headers, body = fetch(
        node_url(server, DRUG) + "?view=data", headers={"Accept": browser_accept}
    )
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    page = body.decode()
    label = str(
        next(built.graph.objects(DRUG, URIRef("http://www.w3.org/2000/01/rdf-schema#label")))
    )
    assert f"<h1>{label}</h1>" in page
    quotes = {
        str(quote_)
        for evidence in built.graph.objects(DRUG, MEDKG.evidence)
        for quote_ in built.graph.objects(evidence, MEDKG.quote)
    }
    assert quotes
    for quote_ in quotes:
        assert f'<blockquote class="quote">{quote_}</blockquote>' in page
    # neighbours link to their own pages on this server, and those pages answer
    regimen = next(built.graph.objects(DRUG, URIRef("https://schema.org/doseSchedule")))
    href = "/id/" + str(regimen)[len(str(ID)) :]
    assert f'href="{href}"' in page
    assert fetch(server.url + href, headers={"Accept": "text/html"})[0] == 200
    # incoming links: the page's description of the billing code that bills the drug
    description = "/id/code/hcpcs/J3111/j3111-code-page"
    assert f'href="{description}"' in page
    status, _, body = fetch(server.url + description, headers={"Accept": "text/html"})
    assert status == 200
    described = body.decode()
    assert "<h1>Injection, romosozumab-aqqg, 1 mg</h1>" in described
    assert 'href="/id/code/hcpcs/J3111"' in described  # the code it describes


def test_evidence_page_shows_document_section_and_offsets(
    server: MedkgServer, built: Built
) -> None:
    evidence = sorted(built.graph.objects(DRUG, MEDKG.evidence))[0]
    _, _, body = fetch(node_url(server, DRUG) + "?view=data", headers={"Accept": "text/html"})
    page = body.decode()
    start = built.graph.value(evidence, MEDKG.start)
    end = built.graph.value(evidence, MEDKG.end)
    section = built.graph.value(evidence, MEDKG.sectionName)
    assert f"characters {start}–{end}" in page
    assert f"section <em>{section}</em>" in page


@pytest.mark.parametrize(
    ("accept", "query", "syntax"),
    [
        ("text/turtle", "", "turtle"),
        ("application/ld+json", "", "json-ld"),
        ("text/html", "?format=turtle", "turtle"),
        ("application/n-triples", "", "nt"),
    ],
)
def test_drug_node_as_rdf_is_its_description(
    server: MedkgServer, built: Built, accept: str, query: str, syntax: str
) -> None:
    status, headers, body = fetch(node_url(server, DRUG) + query, headers={"Accept": accept})
    assert status == 200
    assert headers["Vary"] == "Accept"
    description = Graph()
    for triple in built.graph.triples((DRUG, None, None)):
        description.add(triple)
    assert isomorphic(Graph().parse(data=body, format=syntax), description)


@pytest.mark.parametrize("path", ["drug/no-such-drug", "drug/a%3Cb%3E", "drug/<script>", "nothing"])
def test_unknown_nodes_are_404(server: MedkgServer, path: str) -> None:
    for accept in ("text/html", "text/turtle"):
        status, _, _ = fetch(
            server.url + "/id/" + quote(path, safe="/%<>"), headers={"Accept": accept}
        )
        assert status == 404


# --- the query page ------------------------------------------------------------------------


def test_query_page_and_assets_are_bundled_and_offline(server: MedkgServer) -> None:
    for path, (name, media_type) in STATIC_FILES.items():
        status, headers, body = fetch(server.url + path)
        assert status == 200
        assert headers["Content-Type"] == media_type
        assert body == static_file(name)
        # nothing is loaded from the internet: no absolute URL in src/href/url()/import
        assert not REMOTE_REFERENCE.search(body)


def test_queries_json_lists_the_competency_queries(server: MedkgServer) -> None:
    status, _, body = fetch(server.url + "/queries.json")
    assert status == 200
    listed = {query["name"]: query for query in json.loads(body)}
    bundled = named_queries()
    assert set(listed) == set(bundled)
    for name, query in bundled.items():
        assert listed[name]["question"] == query.question
        assert listed[name]["text"] == query.text


def test_unknown_path_is_404_and_post_elsewhere_is_405(server: MedkgServer) -> None:
    assert fetch(server.url + "/nothing")[0] == 404
    assert fetch(server.url + "/", data=b"x", headers={"Content-Type": "text/plain"})[0] == 405


# --- start-up errors -------------------------------------------------------------------------


def test_missing_data_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DataMissing, match="medkg build"):
        make_server(ServeConfig(data_dir=tmp_path / "nowhere", port=0, quiet=True, workers=1))


def test_cli_missing_data_exits_3(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", "--data", str(tmp_path / "nowhere"), "--port", "0"])
    assert result.exit_code == 3
    assert "medkg build" in result.output


# --- the README's examples -------------------------------------------------------------------


def serving_section() -> str:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    return readme.split("## Serving", 1)[1].split("\n## ", 1)[0]


def test_readme_curl_example_prints_what_it_shows(server: MedkgServer) -> None:
    section = serving_section()
    command = re.search(r"curl -s -H 'Accept: text/csv' --data-urlencode 'query=([^']*)'", section)
    assert command is not None
    after = section.split(command.group(0), 1)[1].split("```\n", 1)[1]  # past the sh block
    output = re.search(r"^```\n(.*?)^```", after, re.DOTALL | re.MULTILINE)
    assert output is not None
    shown = output.group(1)
    status, _, body = get_query(server, command.group(1), "text/csv")
    assert status == 200
    assert body.decode().replace("\r\n", "\n") == shown


def test_readme_sparqlwrapper_example_prints_what_it_shows(
    server: MedkgServer, capsys: pytest.CaptureFixture[str]
) -> None:
    code = serving_section().split("```python\n", 1)[1].split("```", 1)[0]
    shown = re.findall(r"# (.+)$", code, re.MULTILINE)
    exec(code.replace("http://127.0.0.1:8000/sparql", endpoint(server)), {})
    assert capsys.readouterr().out.splitlines() == shown
