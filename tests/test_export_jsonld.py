"""``medkg.jsonld``: framed JSON-LD ≡ Turtle under two processors; its context, schema and guide."""

from __future__ import annotations

import copy
import csv
import json
import re
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator
from pyld import jsonld as pyld
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS

from medkg.cli import EXIT_INVALID, main
from medkg.errors import ExportInvalid
from medkg.export import EXPORTERS, jsonld_writer
from medkg.export import jsonld as exporter
from medkg.export.jsonld_schema import folder_problems
from medkg.export.jsonld_writer import JsonLdWriter, Written
from medkg.namespaces import ID, MEDKG, SCHEMA
from medkg.resources import resource_dir

from .conftest import ROOT, SOURCES, Built

JSON = dict[str, Any]


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a connection or resolve a host fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture(scope="module")
def document(built: Built) -> JSON:
    loaded: JSON = json.loads((built.out / exporter.DOCUMENT).read_text(encoding="utf-8"))
    return loaded


def drugs_of(document: JSON) -> list[JSON]:
    return [node for node in document["@graph"] if node.get("type") == "Drug"]


def romosozumab(document: JSON) -> JSON:
    return next(d for d in drugs_of(document) if d["id"] == str(ID) + "drug/romosozumab")


def dataset_of(graph: Graph) -> Dataset:
    dataset = Dataset()
    named = dataset.graph(URIRef(str(ID) + "graph/test"))
    for triple in graph:
        named.add(triple)
    return dataset


# --- JSON-LD ≡ Turtle, under two independent processors -------------------------------------


@pytest.mark.usefixtures("no_network")
def test_rdflib_reads_the_same_graph_as_the_turtle(built: Built) -> None:
    # rdflib resolves "context.jsonld" against the document's own path: the file next to it.
    from_jsonld = Graph().parse(built.out / exporter.DOCUMENT, format="json-ld")
    assert len(from_jsonld) == len(built.graph)
    assert isomorphic(from_jsonld, built.graph)


@pytest.mark.usefixtures("no_network")
def test_pyld_expands_to_the_same_graph_as_the_turtle(document: JSON, built: Built) -> None:
    nquads = pyld.to_rdf(
        document, {**exporter.processing_options(), "format": "application/n-quads"}
    )
    from_pyld = Graph().parse(data=nquads, format="nt")
    assert len(from_pyld) == len(built.graph)
    assert isomorphic(from_pyld, built.graph)


def test_export_is_registered() -> None:
    assert EXPORTERS["jsonld"] is exporter.export


# --- the framed shape -------------------------------------------------------------------------


def test_one_framed_object_per_drug_first_in_the_graph(document: JSON, built: Built) -> None:
    drug_iris = sorted(str(s) for s in built.graph.subjects(RDF.type, SCHEMA.Drug))
    drugs = drugs_of(document)
    assert [d["id"] for d in drugs] == drug_iris
    assert document["@graph"][: len(drugs)] == drugs
    ids = [node["id"] for node in document["@graph"]]
    assert len(ids) == len(set(ids)), "a node is a top-level object twice"


def test_drug_object_nests_its_facts(document: JSON, built: Built) -> None:
    drug = romosozumab(document)
    node = URIRef(drug["id"])
    steps = drug["mechanism"][0]["steps"]
    assert [s["position"] for s in steps] == sorted(s["position"] for s in steps)
    assert steps[0]["subject"] == drug["id"]  # the drug itself: an IRI, not embedded again
    assert steps[0]["relation"] == "Inhibits"
    assert steps[0]["object"]["prefLabel"] == "sclerostin"
    regimen = drug["regimens"][0]
    assert regimen["dose"]["value"] == "210.0" and regimen["dose"]["unit"] == "mg"
    assert [r["prefLabel"] for r in regimen["routes"]] == ["subcutaneous route"]
    assert regimen["timing"] == regimen["timing"] | {"frequency": 1, "periodUnit": "mo"}
    reactions = {URIRef(r["id"]) for r in drug["adverseReactions"]}
    assert reactions == set(built.graph.objects(node, MEDKG.adverseReaction))
    arthralgia = next(r for r in drug["adverseReactions"] if r["id"].endswith("/arthralgia"))
    assert arthralgia["frequencyBand"] == "VeryCommon"
    assert arthralgia["statedIn"] == str(ID) + "document/romosozumab-monograph"
    assert all(e["quote"] for e in arthralgia["evidence"])
    for key, prop in [
        ("contraindications", MEDKG.contraindication),
        ("warnings", MEDKG.warning),
        ("populationGuidance", MEDKG.populationGuidance),
        ("faqs", MEDKG.faq),
        ("indications", MEDKG.indication),
    ]:
        assert {URIRef(n["id"]) for n in drug[key]} == set(built.graph.objects(node, prop)), key
    assert all(faq["answer"]["text"] for faq in drug["faqs"])
    billing = [URIRef(d["id"]) for d in drug["billingCodeDescriptions"]]
    assert billing == list(built.graph.subjects(MEDKG.bills, node))
    assert billing == [ID["code/hcpcs/J3111/j3111-code-page"]]
    description = drug["billingCodeDescriptions"][0]
    assert description["type"] == "BillingCodeDescription"
    assert description["descriptor"] == "Injection, romosozumab-aqqg, 1 mg"
    assert description["statedIn"] == str(ID) + "document/j3111-code-page"
    assert description["bills"] == [drug["id"]]
    assert (description["billingUnit"]["value"], description["billingUnit"]["unit"]) == (
        "1.0",
        "mg",
    )
    code = description["describesCode"]
    assert code["id"] == str(ID) + "code/hcpcs/J3111"
    assert code["notation"] == "J3111" and code["inScheme"] == "HCPCS"
    assert code["codeDescriptions"] == [description["id"]]  # an IRI: embedded above
    assert "descriptor" not in code and "billingUnit" not in code
    procedure = str(ID) + "procedure/hcpcs/J3111/j3111-code-page"
    assert code["procedures"] == [procedure]
    [page_procedure] = description["pageProcedures"]
    assert page_procedure["id"] == procedure
    assert page_procedure["name"] == "Injection of romosozumab"
    assert page_procedure["codeDescription"] == description["id"]
    calculation = description["billingCalculations"][0]
    assert calculation["regimen"] == regimen["id"]
    assert calculation["billingCode"] == code["id"]
    assert calculation["unitsPerAdministration"] == "210.0"


def test_a_drug_inside_another_drug_object_is_its_iri() -> None:
    other = {"id": f"{ID}drug/b", "type": ["Drug"], "name": "b", "regimens": []}
    drug = {
        "id": f"{ID}drug/a",
        "type": "Drug",
        "mechanism": [{"steps": [{"subject": f"{ID}drug/a", "object": other}]}],
    }
    collapsed = exporter.drugs_as_references(drug)
    step = collapsed["mechanism"][0]["steps"][0]
    assert step == {"subject": f"{ID}drug/a", "object": other["id"]}
    assert collapsed["id"] == drug["id"] and collapsed["type"] == "Drug"


def test_source_documents_are_top_level_nodes_never_embedded(document: JSON) -> None:
    top = {n["id"]: n for n in document["@graph"]}
    documents = [n for n in top.values() if n.get("type") == "SourceDocument"]
    assert len(documents) == 2
    text = json.dumps(romosozumab(document))
    assert '"sha256"' not in text  # no document object inside the drug, only its IRI


# --- the context the document references ------------------------------------------------------


def test_document_references_the_context_it_ships_with(document: JSON, built: Built) -> None:
    assert document["@context"] == exporter.CONTEXT
    assert urljoin(exporter.DOCUMENT_URL, document["@context"]) == exporter.CONTEXT_URL
    shipped = (built.out / exporter.CONTEXT).read_bytes()
    assert shipped == exporter.bundled(exporter.CONTEXT)
    assert json.loads(shipped) == exporter.document_loader(exporter.CONTEXT_URL)["document"]


def _term_iris(context: JSON) -> dict[str, str]:
    """term -> expanded IRI of every forward term definition."""
    prefixes = {k: v for k, v in context.items() if isinstance(v, str) and v.endswith(("#", "/"))}

    def expand(value: str) -> str:
        prefix, _, local = value.partition(":")
        return prefixes[prefix] + local if prefix in prefixes else value

    iris = {}
    for term, definition in context.items():
        if isinstance(definition, str) and not definition.startswith("@"):
            iris[term] = expand(definition)
        elif isinstance(definition, dict) and "@id" in definition:
            iris[term] = expand(definition["@id"])
    return iris


def test_context_has_a_readable_key_for_every_term_of_the_ontology_and_the_graph(
    built: Built,
) -> None:
    context = exporter.context_document()["@context"]
    assert context["@version"] == 1.1
    mapped = set(_term_iris(context).values())
    ontology = Graph().parse(resource_dir("ontology") / "medkg.ttl")
    declared = {
        str(s)
        for kind in (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.Class)
        for s in ontology.subjects(RDF.type, kind)
        if str(s).startswith(str(MEDKG))
    }
    assert declared - mapped == set()
    used = {str(p) for p in built.graph.predicates()} - {str(RDF.type)}
    used |= {str(o) for o in built.graph.objects(None, RDF.type)}
    assert used - mapped == set()


def test_set_containers_follow_the_ontology_cardinality() -> None:
    """A functional property is one value (no @set); any other medkg property is always a list."""
    context = exporter.context_document()["@context"]
    ontology = Graph().parse(resource_dir("ontology") / "medkg.ttl")
    functional = {str(s) for s in ontology.subjects(RDF.type, OWL.FunctionalProperty)}
    iris = _term_iris(context)
    for term, definition in context.items():
        if not isinstance(definition, dict) or not iris.get(term, "").startswith(str(MEDKG)):
            continue
        is_set = definition.get("@container") == "@set"
        assert is_set == (iris[term] not in functional), term


# --- no network -------------------------------------------------------------------------------


@pytest.mark.usefixtures("no_network")
@pytest.mark.parametrize(
    "url",
    [
        "https://schema.org/",
        "http://www.w3.org/ns/anything.jsonld",
        "https://w3id.org/medkg/other.jsonld",
        "file:///etc/passwd",
    ],
)
def test_loader_refuses_every_other_url(url: str) -> None:
    with pytest.raises(exporter.RemoteDocumentRefused, match="loads no remote JSON-LD"):
        exporter.document_loader(url)


@pytest.mark.usefixtures("no_network")
def test_pyld_with_the_medkg_options_refuses_a_remote_context() -> None:
    remote = {"@context": "https://schema.org/", "name": "x"}
    with pytest.raises(pyld.JsonLdError) as raised:
        pyld.expand(remote, exporter.processing_options())
    causes = []
    error: BaseException | None = raised.value
    while error is not None:
        causes.append(error)
        error = error.__cause__
    assert any(isinstance(cause, exporter.RemoteDocumentRefused) for cause in causes)


# --- the JSON Schema --------------------------------------------------------------------------


def test_schema_is_draft_2020_12_and_shipped_in_dist(built: Built) -> None:
    schema = exporter.json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    assert (built.out / exporter.SCHEMA).read_bytes() == exporter.bundled(exporter.SCHEMA)


def test_schema_accepts_the_output(document: JSON) -> None:
    assert exporter.schema_problems(document) == []


def test_schema_routes_are_the_routes_of_the_terminology() -> None:
    with (resource_dir("terminology") / "routes.csv").open(encoding="utf-8") as handle:
        routes = {f"{ID}concept/{row['concept']}" for row in csv.DictReader(handle)}
    assert set(exporter.json_schema()["$defs"]["route"]["properties"]["id"]["enum"]) == routes


def _reaction_index(drug: JSON) -> int:
    return next(i for i, r in enumerate(drug["adverseReactions"]) if "frequencyBand" in r)


def _drop_name(drug: JSON) -> str:
    del drug["name"]
    return "$['@graph'][0]: 'name' is a required property"


def _unknown_band(drug: JSON) -> str:
    i = _reaction_index(drug)
    drug["adverseReactions"][i]["frequencyBand"] = "Sometimes"
    return f"$['@graph'][0].adverseReactions[{i}].frequencyBand: 'Sometimes' is not one of"


def _bad_hcpcs(drug: JSON) -> str:
    drug["billingCodeDescriptions"][0]["describesCode"]["notation"] = "J311"
    return (
        "$['@graph'][0].billingCodeDescriptions[0].describesCode.notation:"
        " 'J311' does not match '^[A-V][0-9]{4}$'"
    )


def _bad_unit(drug: JSON) -> str:
    drug["regimens"][0]["dose"]["unit"] = "milli grams"
    return "$['@graph'][0].regimens[0].dose.unit: 'milli grams' does not match"


def _unknown_route(drug: JSON) -> str:
    drug["regimens"][0]["routes"][0]["id"] = f"{ID}concept/intraosseous-route"
    return "$['@graph'][0].regimens[0].routes[0].id:"


def _compact_iri_key(drug: JSON) -> str:
    drug["medkg:unmapped"] = "x"
    return "$['@graph'][0]: 'medkg:unmapped' does not match"


def _decimal_as_number(drug: JSON) -> str:
    drug["regimens"][0]["dose"]["value"] = 210.0
    return "$['@graph'][0].regimens[0].dose.value: 210.0 is not of type 'string'"


@pytest.mark.parametrize(
    "break_it",
    [
        _drop_name,
        _unknown_band,
        _bad_hcpcs,
        _bad_unit,
        _unknown_route,
        _compact_iri_key,
        _decimal_as_number,
    ],
)
def test_schema_rejects_a_broken_document_naming_the_path(
    document: JSON, break_it: Callable[[JSON], str]
) -> None:
    broken = copy.deepcopy(document)
    assert broken["@graph"][0]["type"] == "Drug"
    expected = break_it(broken["@graph"][0])
    problems = exporter.schema_problems(broken)
    assert any(p.startswith(expected) for p in problems), problems
    assert all("(rule " in p for p in problems)


def test_schema_rejects_a_malformed_cpt_code(document: JSON) -> None:
    broken = copy.deepcopy(document)
    code = broken["@graph"][0]["billingCodeDescriptions"][0]["describesCode"]
    code["inScheme"], code["notation"], code["codeValue"] = "CPT", "J3111", "J3111"
    problems = exporter.schema_problems(broken)
    path = "$['@graph'][0].billingCodeDescriptions[0].describesCode.notation: 'J3111'"
    assert any(p.startswith(path) for p in problems)


# --- the build refuses an invalid export ------------------------------------------------------


def test_build_check_reports_a_document_that_breaks_the_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build itself no longer validates the schema; ``--check`` does, with jsonschema."""
    out = tmp_path / "dist"
    write = JsonLdWriter.written

    def wrong_shape(self: JsonLdWriter, graph: Graph) -> Written:
        """The same triples, but a list-valued key written as a single string."""
        result = write(self, graph)
        drug = result.nodes[0]
        drug["alternateNames"] = drug["alternateNames"][0]
        return result

    monkeypatch.setattr(JsonLdWriter, "written", wrong_shape)
    command = ["build", str(SOURCES), "--out", str(out), "--no-cache", "--jobs", "1"]
    built = CliRunner().invoke(main, command)
    assert built.exit_code == 0, built.output
    written = json.loads((out / exporter.DOCUMENT).read_bytes())
    assert isinstance(written["@graph"][0]["alternateNames"], str)
    checked = CliRunner().invoke(main, [*command, "--check"])
    assert checked.exit_code == EXIT_INVALID, checked.output
    assert "medkg.jsonld does not validate against medkg.schema.json" in checked.output
    assert "$['@graph'][0].alternateNames: 'romosozumab-aqqg' is not of type 'array'" in (
        checked.output
    )
    assert "is up to date" not in checked.output


def test_folder_problems_reads_the_written_document(tmp_path: Path, document: JSON) -> None:
    assert folder_problems(tmp_path) == []  # no medkg.jsonld: nothing to check
    (tmp_path / exporter.DOCUMENT).write_text(json.dumps(document), encoding="utf-8")
    assert folder_problems(tmp_path) == []
    broken = copy.deepcopy(document)
    for node in broken["@graph"]:
        if exporter.is_drug(node):
            del node["name"]
            node["alternateNames"] = "one name"
    (tmp_path / exporter.DOCUMENT).write_text(json.dumps(broken), encoding="utf-8")
    problems = folder_problems(tmp_path, limit=1)
    assert problems[0].startswith("$['@graph'][0]: 'name' is a required property")
    assert len(problems) == 2 and problems[1].startswith("... and ")
    (tmp_path / exporter.DOCUMENT).write_text("{", encoding="utf-8")
    [problem] = folder_problems(tmp_path)
    assert problem.startswith(f"{tmp_path / exporter.DOCUMENT} is not JSON (")


def test_export_fails_when_the_document_loses_triples(
    built: Built, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The nodes not embedded in a drug object are written with their id only: lost.
    def only_the_id(self: object, subject: str) -> dict[str, Any]:
        return {"id": subject}

    monkeypatch.setattr(jsonld_writer._Run, "flat", only_the_id)
    with pytest.raises(ExportInvalid) as raised:
        exporter.export(dataset_of(built.graph))
    assert raised.value.output == exporter.DOCUMENT
    assert raised.value.problems[0].startswith("lost triple: <https://w3id.org/medkg/id/")


# --- determinism ------------------------------------------------------------------------------


def test_two_renders_are_byte_identical_and_equal_the_build(built: Built) -> None:
    first = exporter.export(dataset_of(built.graph))
    second = exporter.export(dataset_of(built.graph))
    assert first == second
    assert first[exporter.DOCUMENT] == (built.out / exporter.DOCUMENT).read_bytes()
    text = first[exporter.DOCUMENT].decode("utf-8")
    assert text == json.dumps(json.loads(text), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


# --- the JSON-LD guide -------------------------------------------------------------------------


def readme_section() -> str:
    """The JSON-LD guide (docs/jsonld.md, which the README links to)."""
    return (ROOT / "docs" / "jsonld.md").read_text(encoding="utf-8")


def code_blocks(language: str) -> Iterator[str]:
    yield from re.findall(rf"```{language}\n(.*?)```", readme_section(), flags=re.DOTALL)


def contains(actual: object, example: object) -> bool:
    """`example` is `actual` with keys and list items left out (and nothing changed)."""
    if isinstance(example, dict):
        return isinstance(actual, dict) and all(
            key in actual and contains(actual[key], value) for key, value in example.items()
        )
    if isinstance(example, list):
        return isinstance(actual, list) and all(
            any(contains(item, wanted) for item in actual) for wanted in example
        )
    return actual == example


def test_readme_example_object_is_trimmed_real_output(document: JSON) -> None:
    [example] = [json.loads(block) for block in code_blocks("json")]
    assert contains(romosozumab(document), example)


@pytest.mark.usefixtures("no_network")
def test_readme_python_answers_the_monthly_dose_question(
    built: Built, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocks = list(code_blocks("python"))
    assert len(blocks) == 2
    monkeypatch.chdir(built.out.parent)  # the guide's paths are dist/...
    assert built.out.name == "dist"
    namespaces: list[dict[str, Any]] = []
    for number, block in enumerate(blocks):
        namespace: dict[str, Any] = {"__name__": f"readme_block_{number}"}
        exec(compile(block, f"docs/jsonld.md python block {number}", "exec"), namespace)
        namespaces.append(namespace)
    assert "210.0 mg a month = 210.0 units of J3111" in capsys.readouterr().out
    assert isomorphic(namespaces[1]["graph"], built.graph)
    from_pyld = Graph().parse(data=namespaces[1]["nquads"], format="nt")
    assert isomorphic(from_pyld, built.graph)


def test_every_medkg_iri_of_the_context_is_declared_in_the_ontology() -> None:
    """No key of the context stands for a medkg term the ontology does not declare."""
    context = exporter.context_document()["@context"]
    ontology = Graph().parse(resource_dir("ontology") / "medkg.ttl")
    declared = set(ontology.subjects(RDF.type, None)) | set(ontology.subjects(RDFS.label, None))
    for term, iri in _term_iris(context).items():
        if iri.startswith(str(MEDKG)) and iri != str(MEDKG):
            assert URIRef(iri) in declared, term
