"""The direct JSON-LD writer (`medkg.export.jsonld_writer`) writes what pyld writes.

Every cluster the pipeline renders (the seeds, every fixture of the sample
corpus, a generated corpus) gives the same ``@graph`` as the pyld path
(`medkg.export.jsonld.reference_document`), by value and byte for byte, and
pyld reads it back to exactly the cluster's triples. Graphs with what the
context and frame make unusual (values no term takes, cycles, a drug inside
a drug, typed subframes that drop values, reverse embedding) are written the
same as well; a graph the writer cannot write exactly as pyld would is
refused (`Unsupported`) and `render_document` takes the pyld path; a document
that loses or adds a triple fails the export, naming the triple.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pyld import jsonld as pyld
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from medkg.errors import ExportInvalid
from medkg.export import jsonld, jsonld_writer
from medkg.export.jsonld_context import Context, Unsupported
from medkg.export.jsonld_writer import JsonLdWriter, ordered_items, read_frame
from medkg.export.turtle import union_graph
from medkg.graph import build_dataset
from medkg.link.lexicon import bundled_lexicon
from medkg.namespaces import ID, MEDKG, SCHEMA
from medkg.pipeline.cluster import clusters, linking_keys
from medkg.pipeline.document_stage import process_one
from medkg.pipeline.sources import collect_sources, relative_name

from .conftest import FIXTURES, SOURCES
from .test_generated_corpus import generator

CORPUS = FIXTURES / "corpus"
Triple = tuple[Node, Node, Node]
Additions = Callable[[dict[str, URIRef]], list[Triple]]


def cluster_graphs(roots: list[Path]) -> list[Graph]:
    """Each cluster's graph, as `medkg.pipeline.cluster_build` graphs it before rendering."""
    documents = []
    for path in collect_sources(roots):
        _status, document = process_one(path, relative_name(path, roots))
        if document is not None:
            documents.append(document)
    lexicon = bundled_lexicon()
    groups = clusters([linking_keys(extraction) for _, extraction in documents])
    return [union_graph(build_dataset([documents[i] for i in g], lexicon)) for g in groups]


@pytest.fixture(scope="module")
def seed_graph() -> Graph:
    (graph,) = cluster_graphs([SOURCES])  # the two seeds are one cluster
    return graph


@pytest.fixture(scope="module")
def corpus_graphs() -> list[Graph]:
    graphs = cluster_graphs([CORPUS, SOURCES])
    assert len(graphs) >= 6
    return graphs


@pytest.fixture(scope="module")
def generated_graphs(tmp_path_factory: pytest.TempPathFactory) -> list[Graph]:
    folder = tmp_path_factory.mktemp("generated")
    generator().generate_corpus(folder, 10, 8, seed=5)
    graphs = cluster_graphs([folder])
    assert len(graphs) >= 10
    return graphs


def writer() -> JsonLdWriter:
    return jsonld.direct_writer()


def document(nodes: list[jsonld.JsonObject]) -> jsonld.JsonObject:
    return {"@context": jsonld.CONTEXT, "@graph": nodes}


def assert_written_as_pyld_writes(graph: Graph) -> None:
    nodes = writer().write(graph)  # never Unsupported on what medkg builds
    reference = jsonld.reference_document(graph)
    assert nodes == reference["@graph"]
    assert jsonld.serialise(document(nodes)) == jsonld.serialise(reference)
    assert jsonld.render_document(graph) == reference


# --- the same document as pyld ------------------------------------------------------------------


def test_seeds_are_written_as_pyld_writes_them(seed_graph: Graph) -> None:
    assert_written_as_pyld_writes(seed_graph)
    nodes = writer().write(seed_graph)
    drug = nodes[0]
    assert drug["id"] == f"{ID}drug/romosozumab" and drug["type"] == "Drug"
    assert drug["billingCodeDescriptions"][0]["describesCode"]["notation"] == "J3111"
    assert [n["type"] for n in nodes].count("Drug") == 1


def test_every_corpus_cluster_is_written_as_pyld_writes_it(corpus_graphs: list[Graph]) -> None:
    for graph in corpus_graphs:
        assert_written_as_pyld_writes(graph)


def test_every_generated_cluster_is_written_as_pyld_writes_it(
    generated_graphs: list[Graph],
) -> None:
    for graph in generated_graphs:
        assert_written_as_pyld_writes(graph)


def test_pyld_reads_the_written_document_back_to_the_graph(
    corpus_graphs: list[Graph], generated_graphs: list[Graph]
) -> None:
    for graph in [*corpus_graphs, *generated_graphs[:4]]:
        nodes = writer().write(graph)
        assert jsonld.triples_of(document(nodes)) == set(graph)
        assert writer().differences(nodes, graph) == ([], [])


# --- what the context and frame make unusual, written the same ---------------------------------


@pytest.fixture(scope="module")
def seed_nodes(seed_graph: Graph) -> dict[str, URIRef]:
    drug = URIRef(f"{ID}drug/romosozumab")
    regimen = next(seed_graph.objects(drug, SCHEMA.doseSchedule))
    reaction = next(seed_graph.objects(drug, MEDKG.adverseReaction))
    found = {
        "drug": drug,
        "regimen": regimen,
        "dose": next(seed_graph.objects(regimen, MEDKG.dose)),
        "concept": next(seed_graph.objects(reaction, MEDKG.reaction)),
        "description": next(seed_graph.subjects(MEDKG.bills, drug)),
        "mapping": next(seed_graph.subjects(RDF.type, MEDKG.IdentifierMapping)),
        "other": URIRef(f"{ID}drug/another"),
    }
    iris = {name: node for name, node in found.items() if isinstance(node, URIRef)}
    assert iris.keys() == found.keys()
    return iris


def with_triples(graph: Graph, triples: list[Triple]) -> Graph:
    changed = Graph()
    for triple in graph:
        changed.add(triple)
    for triple in triples:
        changed.add(triple)
    return changed


UNUSUAL: dict[str, Additions] = {
    # no term takes the value: a CURIE key, a typed value object, a language string
    "values no term takes": lambda n: [
        (n["dose"], SCHEMA.value, Literal(5)),
        (n["dose"], MEDKG.frequency, Literal("1.5", datatype=XSD.decimal)),
        (n["concept"], SKOS.altLabel, Literal("douleur", lang="FR")),
        (n["mapping"], RDFS.label, Literal("étiquette", lang="fr")),
        (n["regimen"], MEDKG.quote, Literal("x", datatype=URIRef("http://example.org/dt"))),
    ],
    "an IRI under an untyped term, a literal under an @id term": lambda n: [
        (n["regimen"], MEDKG.agreement, URIRef(f"{ID}x")),
        (n["mapping"], MEDKG.agreement, URIRef(f"{SCHEMA}Thing")),
        (n["regimen"], MEDKG.document, Literal("not an IRI")),
        (n["mapping"], MEDKG.affects, Literal("x")),
    ],
    "predicates of no term": lambda n: [
        (n["regimen"], URIRef(f"{MEDKG}unknownThing"), Literal("a")),
        (n["regimen"], URIRef("http://example.org/p"), Literal("b")),
        (n["mapping"], URIRef(f"{SCHEMA}name2"), Literal(True)),
    ],
    "vocabulary IRIs as nodes and @vocab values": lambda n: [
        (n["regimen"], MEDKG.alternative, URIRef(f"{SCHEMA}Drug")),
        (URIRef(f"{SCHEMA}Drug"), RDFS.label, Literal("drug")),
        (n["regimen"], MEDKG.relation, URIRef("http://example.org/Rel")),
        (n["regimen"], MEDKG.direction, MEDKG.Increase),
    ],
    "cycles": lambda n: [
        (n["dose"], MEDKG.regimen, n["regimen"]),
        (n["concept"], SKOS.related, n["concept"]),
    ],
    "a drug inside a drug": lambda n: [
        (n["other"], RDF.type, SCHEMA.Drug),
        (n["other"], SCHEMA.name, Literal("another")),
        (n["regimen"], MEDKG.alternative, n["other"]),
        (n["other"], MEDKG.alternative, n["drug"]),
    ],
    "typed subframes drop what they do not match": lambda n: [
        (n["description"], MEDKG.describesCode, Literal("J")),
        (n["description"], MEDKG.describesCode, n["concept"]),
    ],
    "reverse properties from nodes the subframe does not match": lambda n: [
        (n["mapping"], MEDKG.bills, n["drug"]),
        (n["other"], RDF.type, SCHEMA.Drug),
        (n["concept"], MEDKG.bills, n["other"]),
    ],
    "native values": lambda n: [
        (n["regimen"], MEDKG.optional, Literal(True)),
        (n["regimen"], MEDKG.frequency, Literal("7", datatype=XSD.integer)),
        (n["regimen"], MEDKG.phase, Literal("x7", datatype=XSD.integer)),
    ],
}


@pytest.mark.parametrize("case", sorted(UNUSUAL))
def test_unusual_graphs_are_written_as_pyld_writes_them(
    case: str, seed_graph: Graph, seed_nodes: dict[str, URIRef]
) -> None:
    graph = with_triples(seed_graph, UNUSUAL[case](seed_nodes))
    assert_written_as_pyld_writes(graph)
    nodes = writer().write(graph)
    assert writer().differences(nodes, graph) == ([], [])
    assert jsonld.triples_of(document(nodes)) == set(graph)


def test_values_no_term_takes_are_written_under_curies(
    seed_graph: Graph, seed_nodes: dict[str, URIRef]
) -> None:
    graph = with_triples(seed_graph, UNUSUAL["values no term takes"](seed_nodes))
    dose = next(
        node for node in walk(writer().write(graph)) if node["id"] == str(seed_nodes["dose"])
    )
    assert dose["schema:value"] == 5
    assert dose["frequency"] == {"type": "xsd:decimal", "@value": "1.5"}
    concept = next(n for n in walk(writer().write(graph)) if n["id"] == str(seed_nodes["concept"]))
    assert {"@language": "fr", "@value": "douleur"} in concept["altLabels"]


def walk(value: object) -> Iterator[jsonld.JsonObject]:
    if isinstance(value, dict):
        if "id" in value:
            yield value
        for item in value.values():
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)


# --- what the writer refuses, and the pyld path then taken --------------------------------------

REFUSED: dict[str, Additions] = {
    "a blank node": lambda n: [(n["regimen"], MEDKG.dose, BNode("b1"))],
    "an RDF list": lambda n: [(n["regimen"], MEDKG.frequency, RDF.nil)],
    "an xsd:double": lambda n: [(n["dose"], SCHEMA.value, Literal(1.5))],
    "values pyld merges (1 == True)": lambda n: [
        (n["regimen"], MEDKG.frequency, Literal(1)),
        (n["regimen"], MEDKG.frequency, Literal(True)),
    ],
    "values pyld leaves in its own order": lambda n: [
        (n["regimen"], MEDKG.frequency, Literal("3")),
        (n["regimen"], MEDKG.frequency, Literal(3)),
    ],
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_graphs_the_writer_cannot_write_exactly_are_refused(
    case: str, seed_graph: Graph, seed_nodes: dict[str, URIRef]
) -> None:
    graph = with_triples(seed_graph, REFUSED[case](seed_nodes))
    with pytest.raises(Unsupported):
        writer().write(graph)


def test_a_refused_graph_takes_the_pyld_path(
    seed_graph: Graph, seed_nodes: dict[str, URIRef]
) -> None:
    graph = with_triples(seed_graph, REFUSED["values pyld leaves in its own order"](seed_nodes))
    assert jsonld.render_document(graph) == jsonld.reference_document(graph)


def test_context_and_frame_features_the_writer_does_not_follow_are_refused() -> None:
    context = jsonld.context_document()["@context"]
    for broken in (
        {**context, "@vocab": "https://schema.org/"},
        {**context, "name": {"@id": "schema:name", "@language": "en"}},
        {**context, "parts": {"@id": "dcterms:hasPart", "@container": "@list"}},
    ):
        with pytest.raises(Unsupported):
            Context(broken)
    for frame in (
        {"@type": "Drug", "@embed": "@once"},
        {"@type": "Drug", "@embed": "@always", "@explicit": True},
        {"@embed": "@always"},
        {"@type": "Drug", "@embed": "@always", "name": "romosozumab"},
    ):
        with pytest.raises(Unsupported):
            read_frame(frame, Context(context))


def test_arrays_are_ordered_as_the_pyld_path_orders_them() -> None:
    items = [
        {"id": "b", "position": 2},
        "z",
        {"id": "a"},
        {"type": "xsd:decimal", "@value": "2"},
        {"type": "xsd:decimal", "@value": "1"},
        {"id": "c", "position": 1},
    ]
    assert ordered_items(items) == jsonld.ordered(items)
    with pytest.raises(Unsupported):
        ordered_items([True, "True"])


# --- nothing lost, nothing invented -------------------------------------------------------------


def test_a_lost_triple_fails_the_export_naming_it(
    seed_graph: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    def only_the_id(self: object, subject: str) -> jsonld.JsonObject:
        return {"id": subject}  # a flat node that says nothing of its subject

    monkeypatch.setattr(jsonld_writer._Run, "flat", only_the_id)
    with pytest.raises(ExportInvalid) as raised:
        jsonld.checked_nodes(seed_graph)
    assert raised.value.output == jsonld.DOCUMENT
    assert raised.value.problems[0].startswith("lost triple: <https://w3id.org/medkg/id/")
    assert raised.value.problems[-1].startswith("... and ")


def test_an_invented_triple_fails_the_export_naming_it(
    seed_graph: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    top = jsonld_writer._Run.top

    def with_a_comment(self: jsonld_writer._Run, subject: str) -> jsonld.JsonObject:
        return {**top(self, subject), "comment": "said by the writer only"}

    monkeypatch.setattr(jsonld_writer._Run, "top", with_a_comment)
    with pytest.raises(ExportInvalid) as raised:
        jsonld.checked_nodes(seed_graph)
    drug = f"{ID}drug/romosozumab"
    assert raised.value.problems == [
        f'extra triple: <{drug}> <{RDFS.comment}> "said by the writer only"'
    ]


def test_the_nodes_are_read_back_as_written_as_differences_reads_them(
    corpus_graphs: list[Graph], seed_graph: Graph, seed_nodes: dict[str, URIRef]
) -> None:
    typed = Literal("q", datatype=XSD.string)
    doctored = with_triples(seed_graph, [(seed_nodes["regimen"], MEDKG.quote, typed)])
    for graph in [*corpus_graphs, doctored]:
        written = writer().written(graph)
        assert written.nodes == writer().write(graph)
        assert (written.lost, written.extra) == writer().differences(written.nodes, graph)
        view = jsonld_writer.GraphView(graph, writer().reference_only)
        assert view.keys == {jsonld_writer._triple_key(t) for t in graph}  # one key a triple
    assert writer().written(doctored).lost == [(seed_nodes["regimen"], MEDKG.quote, typed)]


def test_a_graph_the_writer_refuses_is_checked_by_the_pyld_read_back(
    seed_graph: Graph, seed_nodes: dict[str, URIRef], monkeypatch: pytest.MonkeyPatch
) -> None:
    graph = with_triples(seed_graph, REFUSED["values pyld leaves in its own order"](seed_nodes))
    assert jsonld.checked_nodes(graph) == jsonld.reference_document(graph)["@graph"]
    reference = jsonld.reference_document

    def without_the_rest(graph: Graph) -> jsonld.JsonObject:
        document = reference(graph)
        return {**document, "@graph": [n for n in document["@graph"] if jsonld.is_drug(n)]}

    monkeypatch.setattr(jsonld, "reference_document", without_the_rest)
    with pytest.raises(ExportInvalid) as raised:
        jsonld.checked_nodes(graph)
    assert raised.value.problems[0].startswith("lost triple: <https://w3id.org/medkg/id/")


def test_differences_name_lost_and_extra_triples_as_the_pyld_round_trip_does(
    seed_graph: Graph, seed_nodes: dict[str, URIRef]
) -> None:
    nodes = writer().write(seed_graph)
    flat = next(n for n in nodes if n["id"] == str(seed_nodes["mapping"]))
    flat["comment"] = "said by the document only"
    del nodes[-1]
    written = document(nodes)
    problems = jsonld.written_problems(written, seed_graph, limit=1000)
    assert problems == jsonld.round_trip_problems(written, seed_graph, limit=1000)
    assert any(p.startswith("lost triple: ") for p in problems)
    assert [p for p in problems if p.startswith("extra triple: ")] == [
        f'extra triple: <{seed_nodes["mapping"]}> <{RDFS.comment}> "said by the document only"'
    ]


def test_an_explicit_xsd_string_is_reported_as_the_pyld_round_trip_reports_it(
    seed_graph: Graph, seed_nodes: dict[str, URIRef]
) -> None:
    typed = Literal("q", datatype=XSD.string)
    graph = with_triples(seed_graph, [(seed_nodes["regimen"], MEDKG.quote, typed)])
    written = jsonld.render_document(graph)
    assert written == jsonld.reference_document(graph)
    problems = jsonld.written_problems(written, graph)
    assert problems == jsonld.round_trip_problems(written, graph)
    assert problems[0].startswith("lost triple: ") and problems[0].endswith(typed.n3())
    with pytest.raises(ExportInvalid):
        jsonld.checked_nodes(graph)


# --- term selection where a context offers several terms for one IRI ----------------------------

EX = "http://example.org/"
AMBIGUOUS_CONTEXT = {
    "@version": 1.1,
    "ex": EX,
    "xsd": str(XSD),
    "id": "@id",
    "type": "@type",
    "A": "ex:A",
    "p": {"@id": "ex:p", "@type": "@id"},
    "pv": {"@id": "ex:p", "@type": "@vocab"},
    "pdec": {"@id": "ex:p", "@type": "xsd:decimal"},
    "r": {"@id": "ex:r", "@type": "@id"},
    "rset": {"@id": "ex:r", "@container": "@set"},
    "q": {"@id": "ex:q"},
    "qs": {"@id": "ex:q", "@container": "@set", "@type": "@id"},
    "qd": {"@id": "ex:q", "@type": "xsd:decimal"},
    "back": {"@reverse": "ex:p", "@container": "@set"},
}


def test_term_selection_follows_pyld_where_terms_compete() -> None:
    """With a frame that matches nothing every subject is a flat node: the writer's nodes
    are pyld's compaction of the whole graph (fromRdf, native types)."""
    ex = {name: URIRef(EX + name) for name in ("s", "t", "A", "B", "p", "q", "r", "z")}
    graph = Graph()
    for triple in [
        (ex["s"], RDF.type, ex["A"]),
        (ex["s"], RDF.type, ex["B"]),
        (ex["s"], ex["p"], ex["A"]),  # an IRI that is a term: the @vocab term
        (ex["s"], ex["p"], ex["t"]),
        (ex["s"], ex["p"], Literal("plain")),
        (ex["s"], ex["p"], Literal("1.5", datatype=XSD.decimal)),
        (ex["s"], ex["p"], Literal(5)),
        (ex["s"], ex["p"], Literal("fr", lang="fr")),
        (ex["s"], ex["r"], ex["t"]),
        (ex["s"], ex["r"], Literal("r")),
        (ex["s"], ex["q"], ex["t"]),
        (ex["s"], ex["q"], Literal("2.5", datatype=XSD.decimal)),
        (ex["s"], ex["q"], Literal("q")),
        (ex["s"], ex["q"], Literal("x", datatype=ex["A"])),
        (ex["t"], ex["z"], Literal(False)),
        (ex["t"], ex["z"], ex["s"]),
        (ex["t"], RDFS.label, Literal("t")),
    ]:
        graph.add(triple)
    frame = {"@type": EX + "Nothing", "@embed": "@always"}
    nodes = JsonLdWriter(AMBIGUOUS_CONTEXT, frame, [], jsonld.is_drug).write(graph)
    compacted = pyld.compact(
        {"@graph": jsonld.expanded_from_rdf(graph)}, AMBIGUOUS_CONTEXT, {"graph": True}
    )
    expected = sorted(jsonld.ordered(compacted["@graph"]), key=lambda n: n["id"])
    assert nodes == expected
    assert nodes[0]["pv"] == "A" and nodes[0]["p"] == "ex:t" and nodes[0]["pdec"] == "1.5"
    assert nodes[0]["ex:p"] == [{"@language": "fr", "@value": "fr"}, 5, "plain"]
    assert nodes[0]["rset"] == [{"id": "ex:t"}, "r"]  # a @set term first, whatever its type
    assert nodes[0]["qs"] == ["ex:t"] and nodes[0]["qd"] == "2.5"
    assert nodes[0]["q"] == [{"type": "A", "@value": "x"}, "q"]
