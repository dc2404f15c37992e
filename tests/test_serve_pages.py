"""`medkg serve`'s pages for people: landing (search, index), drug, code and query pages.

A server on the seeds' build answers the page requests as a browser sends them;
the hostile-label tests render pages from a hand-written graph whose every label
is markup, straight from an in-memory store; every page is checked with the Nu
Html Checker (tests/html_check.py) when ``java`` is installed.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from rdflib import URIRef

from medkg.namespaces import ID, MEDKG, SCHEMA
from medkg.query import load_store, named_queries, run_query
from medkg.query.result import Value
from medkg.serve import MedkgServer, ServeConfig
from medkg.serve.jobs import PageJob
from medkg.serve.pages import answer_page, dosing, node_page
from medkg.serve.pages.billing import billing_rows
from medkg.serve.pages.catalogue import Catalogue, Entry
from medkg.serve.pages.code import render_code_page
from medkg.serve.pages.drug import render_drug_page
from medkg.serve.pages.graph_slice import Slice
from medkg.serve.pages.landing import SHOW_ALL, render_landing
from medkg.serve.pages.mechanism_svg import mark
from tests.conftest import Built
from tests.html_check import JAVA, validation_errors, visible_text
from tests.serve_support import running_server

DRUG = ID["drug/romosozumab"]
CODE_PATH = "/id/code/hcpcs/J3111"


@pytest.fixture(scope="module")
def server(built: Built) -> Iterator[MedkgServer]:
    with running_server(ServeConfig(data_dir=built.out, port=0, quiet=True)) as running:
        yield running


def get(server: MedkgServer, path: str) -> tuple[int, dict[str, str], str]:
    """Status, headers and text of a browser's GET (redirects not followed)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(server.url + path, headers={"Accept": "text/html"})
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, dict(response.headers.items()), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers.items()), error.read().decode()


def page_of(server: MedkgServer, path: str) -> str:
    status, headers, body = get(server, path)
    assert status == 200, body
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    return body


def h2s(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", found).strip() for found in re.findall(r"<h2[^>]*>(.*?)</h2>", html)
    ]


# --- landing -------------------------------------------------------------------------------


def test_landing_lists_drugs_and_codes_linked_to_their_pages(server: MedkgServer) -> None:
    html = page_of(server, "/")
    assert '<a href="/id/drug/romosozumab">Romosozumab</a>' in html
    assert f'<a href="{CODE_PATH}">J3111</a>' in html
    assert 'role="search"' in html and 'name="q"' in html
    assert h2s(html) == ["Drugs (1)", "Billing codes (1)"]


@pytest.mark.parametrize("text", ["romo", "ROMOSOZUMAB", "  romosozumab-AQQG ", "Romosozumab"])
def test_search_finds_a_drug_by_any_name_ignoring_case_and_spaces(
    server: MedkgServer, text: str
) -> None:
    html = page_of(server, "/?" + urlencode({"q": text}))
    results = html.split('id="results"', 1)[1].split("</section>", 1)[0]
    assert '<a href="/id/drug/romosozumab">Romosozumab</a>' in results


def test_search_without_a_match_says_so(server: MedkgServer) -> None:
    html = page_of(server, "/?q=zzzz")
    assert "No drug or code has a name containing this text" in html


def test_a_long_index_shows_one_letter_at_a_time() -> None:
    drugs = tuple(
        Entry(
            iri=str(ID[f"drug/{letter}{n}"]), label=f"{letter.upper()}drug {n}", detail="", keys=()
        )
        for letter in "ab"
        for n in range(SHOW_ALL)
    )
    html = render_landing(Catalogue(drugs=drugs, codes=()), letter="b")
    assert "Bdrug 0" in html and "Adrug 0" not in html
    assert 'href="/?letter=A#drugs-index"' in html
    assert "Adrug 0" in render_landing(Catalogue(drugs=drugs, codes=()))  # the first letter


def test_old_query_page_links_are_redirected(server: MedkgServer) -> None:
    status, headers, _ = get(server, "/?query=billing")
    assert status == 302
    assert headers["Location"] == "/query?query=billing"


# --- drug page -------------------------------------------------------------------------------


def test_drug_page_reads_like_a_monograph_summary(server: MedkgServer) -> None:
    html = page_of(server, "/id/drug/romosozumab")
    assert "<h1>Romosozumab</h1>" in html
    assert h2s(html) == [
        "Indications",
        "Dosing",
        "Adverse reactions",
        "Contraindications",
        "Warnings and precautions",
        "How it works",
        "Billing codes",
    ]
    dosing = html.split('id="dosing"', 1)[1].split("</section>", 1)[0]
    for cell in (
        "210 mg (2 × 105 mg injection)",
        "subcutaneous route",
        "once a month",
        "12 months of treatment",
    ):
        assert f"<td>{cell}</td>" in dosing
    reactions = html.split('id="reactions"', 1)[1].split("</section>", 1)[0]
    groups = re.findall(r"<h3>(.*?) <span", reactions)
    assert groups[:2] == ["Very common (1 in 10 or more)", "Common (1 in 100 to 1 in 10)"]
    assert "Frequency as written: “less common”" in groups
    serious = reactions.split("less common”", 1)[1]
    assert serious.count('<strong class="serious">serious</strong>') == 9


def test_drug_page_billing_rows_name_their_regimen(server: MedkgServer) -> None:
    billing = page_of(server, "/id/drug/romosozumab").split('id="billing"', 1)[1]
    row = billing.split("<tbody>", 1)[1].split("</tr>", 1)[0]
    assert f'<a href="{CODE_PATH}">J3111</a>' in row
    cells = re.findall(r"<td>(.*?)</td>", row, re.S)
    assert cells[2:6] == [
        "1 mg",
        "population not stated · 210 mg (2 × 105 mg injection) · subcutaneous route · once a month",
        "210",
        "2520",
    ]


def test_mechanism_is_drawn_with_inhibit_and_activate_marks(server: MedkgServer) -> None:
    mechanism = page_of(server, "/id/drug/romosozumab").split('id="mechanism"', 1)[1]
    svg = mechanism.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert svg.count('<g class="node">') == 12  # 4 steps and 2 effects, two boxes each
    assert svg.count('class="edge inhibit"') == 3  # inhibits, suppresses, decreases
    assert svg.count('class="edge activate"') == 3  # activates, stimulates, increases
    assert ">Romosozumab</text>" in svg and ">sclerostin</text>" in svg
    assert mark("binds") == "other"


def test_every_fact_on_the_drug_page_links_to_its_evidence(
    server: MedkgServer, built: Built
) -> None:
    html = page_of(server, "/id/drug/romosozumab")
    facts = re.findall(r'<li class="fact">.*?</li>', html, re.S)
    rows = [
        row
        for table in re.findall(r"<tbody>(.*?)</tbody>", html, re.S)
        for row in re.findall(r"<tr>.*?</tr>", table, re.S)
    ]
    assert len(facts) > 20 and len(rows) > 20
    for fact in facts + rows:
        assert re.search(r'<details class="evidence">.*href="/id/evidence/', fact, re.S), fact
    for reaction in built.graph.objects(DRUG, MEDKG.adverseReaction):
        for evidence in built.graph.objects(reaction, MEDKG.evidence):
            start, end = (
                built.graph.value(evidence, MEDKG.start),
                built.graph.value(evidence, MEDKG.end),
            )
            assert f"characters {start}–{end}" in html
            assert f'href="/id/{str(evidence)[len(str(ID)) :]}"' in html


def test_pages_show_labels_not_iris(server: MedkgServer) -> None:
    for path in ("/", "/id/drug/romosozumab", CODE_PATH):
        text = visible_text(page_of(server, path))
        assert "w3id.org" not in text and "medkg:" not in text and "id:" not in text, path


def test_linked_data_view_is_one_click_away(server: MedkgServer) -> None:
    html = page_of(server, "/id/drug/romosozumab")
    assert '<a href="?view=data">all properties</a>' in html
    data = page_of(server, "/id/drug/romosozumab?view=data")
    assert "<h2>Properties</h2>" in data and "<h2>Incoming links</h2>" in data
    assert '<a href="/id/drug/romosozumab">the page for people</a>' in data
    assert "the page for people" not in page_of(server, "/id/code/hcpcs/J3111/j3111-code-page")


# --- code page -------------------------------------------------------------------------------


def test_code_page_shows_procedure_setting_personnel_risks_and_drugs(server: MedkgServer) -> None:
    html = page_of(server, CODE_PATH)
    assert "<h1>J3111 — Injection, romosozumab-aqqg, 1 mg</h1>" in html
    assert h2s(html) == ["Drugs it bills", "Procedure", "Risks"]
    drugs = html.split('id="drugs"', 1)[1].split("</section>", 1)[0]
    assert '<a href="/id/drug/romosozumab">Romosozumab</a>' in drugs
    assert "<td>210</td>" in drugs and "<td>2520</td>" in drugs
    procedure = html.split('id="procedure"', 1)[1].split("</section>", 1)[0]
    assert ">outpatient clinic</a>" in procedure
    assert ">physician</a> supervises (optional)" in procedure
    risks = html.split('id="risks"', 1)[1].split("</section>", 1)[0]
    assert risks.count("<tr>") == 6  # header and five risks
    assert "<td>mild pain or redness at the injection site</td>" in risks


def test_other_nodes_keep_the_property_table(server: MedkgServer) -> None:
    html = page_of(server, "/id/code/hcpcs/J3111/j3111-code-page")
    assert "<h2>Properties</h2>" in html


# --- query page ------------------------------------------------------------------------------


def test_each_competency_query_has_a_form_with_its_parameters(server: MedkgServer) -> None:
    html = page_of(server, "/query")
    for name, query in named_queries().items():
        form = html.split(f'name="query" value="{name}"', 1)[1].split("</form>", 1)[0]
        assert sorted(re.findall(r'<input id="[^"]+" name="([^"]+)"', form)) == sorted(query.params)


@pytest.mark.parametrize("spelling", ["Romosozumab", "romosozumab", " ROMOSOZUMAB "])
def test_a_form_answers_as_the_cli_does(server: MedkgServer, built: Built, spelling: str) -> None:
    html = page_of(
        server, "/query?" + urlencode({"query": "billing", "drug": spelling, "answer": "1"})
    )
    expected = run_query(
        load_store(built.out, persistent=False), named_queries()["billing"], {"drug": "romosozumab"}
    )
    answer = html.split('id="answer"', 1)[1].split("</section>", 1)[0]
    assert f"{len(expected)} row" in answer
    assert answer.count("<tr>") == len(expected) + 1
    assert '<a href="/id/drug/romosozumab">Romosozumab</a>' in answer  # drug cells link
    assert f'<a href="{CODE_PATH}">J3111</a>' in answer
    # the editor holds the query with the value in its slot, for any SPARQL client
    assert "(&quot;romosozumab&quot; UNDEF)" in html


def test_a_form_without_rows_says_so(server: MedkgServer) -> None:
    html = page_of(
        server, "/query?" + urlencode({"query": "billing", "drug": "nothing", "answer": "1"})
    )
    assert "No rows for drug = “nothing”" in html


def test_a_form_without_rows_names_close_names_whatever_the_case(server: MedkgServer) -> None:
    for typed in ("romosozumb", "ROMOSOZUMB"):
        html = page_of(
            server, "/query?" + urlencode({"query": "billing", "drug": typed, "answer": "1"})
        )
        assert "Names close to it: Romosozumab" in html, typed


def test_a_link_with_sparql_only_fills_the_editor(server: MedkgServer) -> None:
    html = page_of(server, "/query?" + urlencode({"sparql": "ASK { ?s ?p ?o }", "answer": "1"}))
    assert '<textarea id="sparql" spellcheck="false" rows="16">ASK { ?s ?p ?o }</textarea>' in html
    assert 'id="answer"' not in html


def test_unknown_query_and_page_are_404(server: MedkgServer, built: Built) -> None:
    status, _, body = get(server, "/query?query=nothing")
    assert status == 404 and "No competency query is named “nothing”" in body
    store = load_store(built.out, persistent=False)
    assert answer_page(store, PageJob(page="other"), 10, None).status == 404


def test_too_many_page_parameters_are_400(server: MedkgServer) -> None:
    status, _, _ = get(server, "/?" + "&".join(f"a{n}=1" for n in range(30)))
    assert status == 400


# --- hostile labels and validity -------------------------------------------------------------

HOSTILE = "<script>alert(\"x\")</script> & 'q'"


def literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def hostile_dataset(folder: Path) -> Path:
    """A dist/-like folder whose graph names everything `HOSTILE`."""
    s, m, k, r = str(SCHEMA), str(MEDKG), "http://www.w3.org/2004/02/skos/core#", str(ID)
    drug, code = f"<{r}drug/x>", f"<{r}code/hcpcs/X1>"
    ar, concept, evidence = f"<{r}adverse-reaction/d/x>", f"<{r}concept/x>", f"<{r}evidence/d/1-5>"
    document, regimen, dose = f"<{r}document/d>", f"<{r}regimen/d/1>", f"<{r}regimen/d/1/dose>"
    mechanism, step = f"<{r}mechanism/d/x>", f"<{r}mechanism/d/x/step-1>"
    description, calculation = f"<{r}code/hcpcs/X1/d>", f"<{r}derived/x>"
    rdf_type = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    name = literal(HOSTILE)
    triples = [
        (drug, rdf_type, f"<{s}Drug>"),
        (drug, f"<{s}name>", name),
        (drug, f"<{s}alternateName>", literal(HOSTILE + " 2")),
        (drug, f"<{m}adverseReaction>", ar),
        (ar, f"<{m}reaction>", concept),
        (ar, f"<{m}termAsWritten>", name),
        (ar, f"<{m}frequencyText>", name),
        (ar, f"<{m}evidence>", evidence),
        (concept, f"<{k}prefLabel>", name),
        (evidence, rdf_type, f"<{m}Evidence>"),
        (evidence, f"<{m}quote>", name),
        (evidence, f"<{m}document>", document),
        (evidence, f"<{m}sectionName>", name),
        (document, f"<{m}fileName>", name),
        (drug, f"<{m}describedBy>", document),
        (drug, f"<{s}doseSchedule>", regimen),
        (regimen, f"<{m}population>", name),
        (regimen, f"<{m}dose>", dose),
        (dose, f"<{s}value>", '"1.0"'),
        (dose, f"<{s}unitCode>", name),
        (regimen, f"<{m}routeText>", name),
        (drug, f"<{s}mechanismOfAction>", mechanism),
        (mechanism, f"<{m}step>", step),
        (step, f"<{m}subject>", drug),
        (step, f"<{m}relation>", f"<{m}Inhibits>"),
        (step, f"<{m}object>", concept),
        (step, f"<{m}evidence>", evidence),
        (code, rdf_type, f"<{m}BillingCode>"),
        (code, f"<{k}notation>", name),
        (code, f"<{s}codingSystem>", name),
        (code, f"<{m}description>", description),
        (description, f"<{m}describesCode>", code),
        (description, f"<{m}bills>", drug),
        (description, f"<{m}descriptor>", name),
        (description, f"<{m}evidence>", evidence),
        (description, f"<{m}billingCalculation>", calculation),
        (calculation, f"<{m}regimen>", regimen),
        (calculation, "<http://www.w3.org/2000/01/rdf-schema#comment>", name),
    ]
    out = folder / "dist"
    out.mkdir()
    (out / "medkg.nq").write_text(
        "".join(f"{a} {b} {c} <{r}graph/d> .\n" for a, b, c in triples), encoding="utf-8"
    )
    (out / "validation-report.ttl").write_text("", encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def hostile_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    store = load_store(hostile_dataset(tmp_path_factory.mktemp("hostile")), persistent=False)
    pages = {
        "drug": node_page(store, str(ID["drug/x"])),
        "code": node_page(store, str(ID["code/hcpcs/X1"])),
        "landing": answer_page(
            store, PageJob("landing", (("q", HOSTILE),)), 100, None
        ).body.decode(),
        "query": answer_page(
            store,
            PageJob("query", (("answer", "1"), ("drug", HOSTILE), ("query", "billing"))),
            100,
            None,
        ).body.decode(),
    }
    assert all(html is not None for html in pages.values())
    return {name: html for name, html in pages.items() if html is not None}


def test_hostile_labels_are_shown_not_run(hostile_pages: dict[str, str]) -> None:
    escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;q&#x27;"
    for name, html in hostile_pages.items():
        assert "<script>alert" not in html, name
        assert "'q'" not in html and '"x"' not in html, name
        assert escaped in html, name
    assert hostile_pages["drug"].count(escaped) >= 8  # name, reaction, quote, file, dose ...


@pytest.mark.skipif(
    JAVA is None, reason="the Nu Html Checker needs java (apt-get install default-jre-headless)"
)
def test_every_page_is_valid_html(
    server: MedkgServer, hostile_pages: dict[str, str], tmp_path: Path
) -> None:
    pages = {f"hostile {name}": html for name, html in hostile_pages.items()}
    for path in (
        "/",
        "/?q=romo",
        "/id/drug/romosozumab",
        CODE_PATH,
        "/query",
        "/query?query=billing&drug=romosozumab&answer=1",
        "/id/drug/romosozumab?view=data",
    ):
        pages[path] = page_of(server, path)
    assert validation_errors(pages, tmp_path) == []


def test_drug_iri_is_checked_before_it_reaches_a_query(built: Built) -> None:
    store = load_store(built.out, persistent=False)
    with pytest.raises(ValueError, match="not a medkg node IRI"):
        from medkg.serve.pages.graph_slice import fetch_slice

        fetch_slice(store, str(URIRef(str(ID) + "drug/x> } DROP ALL { <a")), "drug")


# --- dosing in words -------------------------------------------------------------------------


def slice_of(triples: dict[str, dict[str, list[str]]]) -> Slice:
    """A slice whose objects are literals (IRIs when they start with ``https://``)."""
    return Slice(
        node="n",
        triples={
            subject: {
                prop: [
                    Value("uri", each) if each.startswith("https://") else Value("literal", each)
                    for each in values
                ]
                for prop, values in props.items()
            }
            for subject, props in triples.items()
        },
    )


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"value": "210.0", "unitCode": "mg"}, "210 mg"),
        ({"minValue": "1", "maxValue": "2", "unitCode": "{tablet}"}, "1–2 tablets"),
        ({"value": "1", "unitCode": "{tablet}"}, "1 tablet"),
        ({"value": "12.0", "unitCode": "mo"}, "12 months"),
        ({"maxValue": "4", "unitCode": "g"}, "up to 4 g"),
    ],
)
def test_quantities_in_words(fields: dict[str, str], words: str) -> None:
    graph = slice_of({"q": {str(SCHEMA) + name: [value] for name, value in fields.items()}})
    assert dosing.quantity(graph, "q") == words


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"frequency": "1", "period": "1.0", "periodUnit": "mo"}, "once a month"),
        ({"frequency": "1", "period": "2", "periodUnit": "wk"}, "once every 2 weeks"),
        (
            {
                "frequency": "1",
                "frequencyMax": "2",
                "period": "1",
                "periodUnit": "d",
                "asNeeded": "true",
            },
            "1–2 times a day as needed",
        ),
        (
            {"frequency": "3", "period": "4", "periodMax": "6", "periodUnit": "h"},
            "3 times every 4–6 hours",
        ),
    ],
)
def test_schedules_in_words(fields: dict[str, str], words: str) -> None:
    graph = slice_of({"t": {str(MEDKG) + name: [value] for name, value in fields.items()}})
    assert dosing.schedule(graph, "t") == words


def test_contraindications_sharing_one_sentence_name_their_condition() -> None:
    m, s, k = str(MEDKG), str(SCHEMA), "http://www.w3.org/2004/02/skos/core#"
    sentence = "in patients allergic to A, B or the inactive ingredients"
    graph = slice_of(
        {
            "n": {s + "name": ["AB"], m + "contraindication": [f"{ID}c/1", f"{ID}c/2"]},
            f"{ID}c/1": {s + "text": [sentence], m + "condition": [f"{ID}concept/a"]},
            f"{ID}c/2": {s + "text": [sentence], m + "condition": [f"{ID}concept/b"]},
            f"{ID}concept/a": {k + "prefLabel": ["hypersensitivity to A"]},
            f"{ID}concept/b": {k + "prefLabel": ["hypersensitivity to B"]},
        }
    )
    html = render_drug_page(graph, [])
    assert f"hypersensitivity to A: {sentence}" in html
    assert f"hypersensitivity to B: {sentence}" in html
    assert "<td>not stated</td>" not in html  # no regimen: no dosing row
    assert "No dosing regimen stated." in html


def test_a_code_billing_two_drugs_gives_each_drug_its_own_regimens() -> None:
    m, s, k = str(MEDKG), str(SCHEMA), "http://www.w3.org/2004/02/skos/core#"
    a, b, code, description = f"{ID}drug/a", f"{ID}drug/b", f"{ID}code/x/X1", f"{ID}code/x/X1/p"
    triples: dict[str, dict[str, list[str]]] = {
        code: {k + "notation": ["X1"], m + "description": [description]},
        description: {
            m + "describesCode": [code],
            m + "bills": [a, b],
            m + "billingCalculation": [f"{ID}calc/a", f"{ID}calc/b"],
        },
    }
    for drug, units in ((a, "10"), (b, "20")):
        name = drug.rsplit("/", 1)[-1].upper()
        triples[drug] = {s + "name": [name], s + "doseSchedule": [f"{drug}/regimen"]}
        triples[f"{drug}/regimen"] = {m + "population": [f"population of {name}"]}
        triples[f"{ID}calc/{name.lower()}"] = {
            m + "regimen": [f"{drug}/regimen"],
            m + "unitsPerAdministration": [units],
        }
    rows = billing_rows(slice_of(triples), [description])
    assert [(row.drug, row.per_administration) for row in rows] == [(a, "10"), (b, "20")]
    graph = slice_of(triples)
    drug_page = render_drug_page(Slice(node=a, triples=graph.triples), [description])
    assert "population of A" in drug_page and "population of B" not in drug_page
    code_page = render_code_page(Slice(node=code, triples=graph.triples))
    assert ">A</a>" in code_page and ">B</a>" in code_page
