"""Exports rendered per cluster and merged by streaming (`medkg.pipeline.fragments`).

The sample corpus (tests/fixtures/corpus/ and the seeds) is split into groups of
whole clusters in several ways; each group's dataset is rendered to a fragment and
the fragments are merged. Every way, and every order of the fragments, gives the
same bytes, which are those of the whole corpus rendered as one fragment: N-Quads
and Turtle hold exactly the corpus graph, the JSON-LD expands to it and validates,
and the FHIR files are those of the whole-corpus FHIR export.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD

from medkg.errors import ExportInvalid
from medkg.export import EXPORTERS, jsonld, render_all
from medkg.export import fhir as fhir_export
from medkg.export.turtle import TurtleWriter, union_graph
from medkg.graph import build_dataset
from medkg.link.lexicon import bundled_lexicon
from medkg.model import Extraction
from medkg.pipeline.cluster import clusters, linking_keys
from medkg.pipeline.document_stage import process_one
from medkg.pipeline.fragments import (
    FhirNeed,
    Fragment,
    FragmentInvalid,
    JsonLdNode,
    merge,
    merge_in_memory,
    render_fragment,
)
from medkg.pipeline.fragments.graph_part import GraphMerge, graph_part
from medkg.pipeline.fragments.jsonld_merge import node_spans
from medkg.pipeline.fragments.nodes import copies, patch, union
from medkg.pipeline.sources import collect_sources, relative_name
from medkg.read.decode import SourceText

from .conftest import FIXTURES, SOURCES

CORPUS = FIXTURES / "corpus"
ID = "https://w3id.org/medkg/id/"
Document = tuple[SourceText, Extraction]
Files = dict[str, bytes]


# --- the sample corpus, its clusters and groupings ----------------------------------------


@pytest.fixture(scope="module")
def documents() -> list[Document]:
    roots = [CORPUS, SOURCES]
    found = []
    for path in collect_sources(roots):
        _status, document = process_one(path, relative_name(path, roots))
        if document is not None:
            found.append(document)
    return found


@pytest.fixture(scope="module")
def cluster_list(documents: list[Document]) -> list[list[Document]]:
    groups = clusters([linking_keys(extraction) for _, extraction in documents])
    return [[documents[i] for i in members] for members in groups]


@pytest.fixture(scope="module")
def whole(documents: list[Document]) -> Dataset:
    return build_dataset(documents, bundled_lexicon())


@pytest.fixture(scope="module")
def whole_fragment(whole: Dataset) -> Fragment:
    return render_fragment(whole)


@pytest.fixture(scope="module")
def reference(whole_fragment: Fragment) -> Files:
    """The whole corpus as one fragment."""
    return merge_in_memory([whole_fragment])


def groupings(clustered: list[list[Document]]) -> dict[str, list[list[Document]]]:
    """Ways of putting whole clusters together (each inner list: one group's documents)."""
    count = len(clustered)
    return {
        "one cluster per group": clustered,
        "clusters by index mod 3": [
            [d for i in range(count) if i % 3 == r for d in clustered[i]] for r in range(3)
        ],
        "neighbouring pairs, reversed": [
            [d for c in clustered[i : i + 2] for d in c] for i in range(count - 2, -1, -2)
        ]
        + ([clustered[0]] if count % 2 else []),
    }


@pytest.fixture(scope="module")
def grouped_fragments(cluster_list: list[list[Document]]) -> dict[str, list[Fragment]]:
    assert len(cluster_list) >= 6  # the sample corpus falls apart into several clusters
    lexicon = bundled_lexicon()
    return {
        name: [render_fragment(build_dataset(group, lexicon)) for group in groups]
        for name, groups in groupings(cluster_list).items()
    }


@pytest.fixture(scope="module")
def merged(grouped_fragments: dict[str, list[Fragment]]) -> Files:
    return merge_in_memory(grouped_fragments["one cluster per group"])


def quads(dataset: Dataset) -> set[tuple[object, ...]]:
    return {(s, p, o, g.identifier) for g in dataset.graphs() for s, p, o in g}


# --- the same bytes, however grouped and ordered ------------------------------------------


def test_groupings_are_unions_of_whole_clusters(
    cluster_list: list[list[Document]], documents: list[Document]
) -> None:
    for name, groups in groupings(cluster_list).items():
        names = sorted(source.name for group in groups for source, _ in group)
        assert names == sorted(source.name for source, _ in documents), name


def test_every_grouping_and_order_gives_the_bytes_of_the_whole_corpus(
    grouped_fragments: dict[str, list[Fragment]], reference: Files
) -> None:
    shuffle = random.Random(7)
    for name, fragments in grouped_fragments.items():
        assert len(fragments) > 1, name
        assert merge_in_memory(fragments) == reference, name
        backwards = merge_in_memory(list(reversed(fragments)))
        assert backwards == reference, f"{name}, reversed"
        mixed = list(fragments)
        shuffle.shuffle(mixed)
        assert merge_in_memory(mixed) == reference, f"{name}, shuffled"


def test_shared_concepts_are_embedded_with_what_every_cluster_says(merged: Files) -> None:
    """A concept two clusters word differently is embedded with both wordings, in both
    clusters' drug objects, and is never also a top-level node."""
    document = json.loads(merged[jsonld.DOCUMENT])
    top = {node["id"] for node in document["@graph"]}
    copies_by_id: dict[str, list[str]] = {}

    def walk(value: object) -> None:
        if isinstance(value, dict):
            if "id" in value and "prefLabel" in value:
                copies_by_id.setdefault(value["id"], []).append(json.dumps(value, sort_keys=True))
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for node in document["@graph"]:
        if node.get("type") == "Drug":
            walk(node)
    arthralgia = f"{ID}concept/arthralgia"
    assert len(copies_by_id[arthralgia]) >= 2  # embedded by two clusters' drugs
    assert len(set(copies_by_id[arthralgia])) == 1  # and the same in both
    assert "joint pain" in json.loads(copies_by_id[arthralgia][0]).get("altLabels", [])
    assert not top & set(copies_by_id)


def test_spilling_to_disk_gives_the_same_files(
    grouped_fragments: dict[str, list[Fragment]], reference: Files, tmp_path: Path
) -> None:
    staging = tmp_path / "staging"
    fragments = grouped_fragments["clusters by index mod 3"]
    infos = merge(iter(fragments), staging, memory_budget=4096)
    on_disk = {
        str(p.relative_to(staging)): p.read_bytes() for p in staging.rglob("*") if p.is_file()
    }
    assert on_disk == reference
    assert sorted(p.name for p in tmp_path.iterdir()) == ["staging"]  # scratch runs removed
    for name, info in infos.items():
        assert info.size == len(on_disk[name]), name
        assert info.sha256 == hashlib.sha256(on_disk[name]).hexdigest(), name


# --- the files hold the corpus graph -----------------------------------------------------


def test_nquads_are_the_corpus_quads(merged: Files, whole: Dataset) -> None:
    dataset = Dataset()
    dataset.parse(data=merged["medkg.nq"], format="nquads")
    assert quads(dataset) == quads(whole)  # no blank nodes: equal sets are isomorphic
    lines = merged["medkg.nq"].decode("utf-8").splitlines()
    assert lines == sorted(set(lines))


def test_turtle_is_the_union_graph_under_two_parsers(merged: Files, whole: Dataset) -> None:
    union = union_graph(whole)
    parsed = Graph().parse(data=merged["medkg.ttl"], format="turtle")
    assert set(parsed) == set(union)
    store = ox.Store()
    store.load(merged["medkg.ttl"], format=ox.RdfFormat.TURTLE)
    assert len(store) == len(union)


def test_jsonld_expands_to_the_union_and_validates(merged: Files, whole: Dataset) -> None:
    document = json.loads(merged[jsonld.DOCUMENT])
    assert jsonld.triples_of(document) == set(union_graph(whole))
    assert jsonld.schema_problems(document) == []
    text = merged[jsonld.DOCUMENT].decode("utf-8")
    assert text == json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def test_fhir_files_are_those_of_the_whole_corpus_export(merged: Files, whole: Dataset) -> None:
    assert {n: d for n, d in merged.items() if n.startswith("fhir/")} == fhir_export.render(whole)


def test_r4b_fragments_merge_to_the_whole_corpus_r4b_export(
    cluster_list: list[list[Document]], whole: Dataset
) -> None:
    lexicon = bundled_lexicon()
    fragments = [render_fragment(build_dataset(group, lexicon), "R4B") for group in cluster_list]
    files = merge_in_memory(fragments, "R4B", metadata=False)
    assert {n: d for n, d in files.items() if n.startswith("fhir/")} == fhir_export.render(
        whole, "R4B"
    )
    with pytest.raises(ValueError, match="rendered for FHIR R4B"):
        merge_in_memory(fragments, "R5")


def test_void_counts_come_from_the_merge(merged: Files, whole: Dataset) -> None:
    void = Graph().parse(data=merged["void.ttl"], format="turtle")
    VOID = "http://rdfs.org/ns/void#"
    SD = "http://www.w3.org/ns/sparql-service-description#"
    dataset = URIRef(f"{ID}dataset")
    counts = {
        str(void.value(subset, URIRef(SD + "name"))): void.value(
            subset, URIRef(VOID + "triples")
        ).toPython()
        for subset in void.objects(dataset, URIRef(VOID + "subset"))
    }
    assert counts == {str(g.identifier): len(g) for g in whole.graphs() if len(g)}
    total = void.value(dataset, URIRef(VOID + "triples"))
    assert total == Literal(len(union_graph(whole)), datatype=XSD.integer)
    listed = {}
    for line in merged["SHA256SUMS"].decode().splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    assert set(listed) == set(merged) - {"SHA256SUMS"}
    assert all(hashlib.sha256(merged[n]).hexdigest() == d for n, d in listed.items())


def test_extra_files_are_written_and_described(
    whole_fragment: Fragment, whole: Dataset, tmp_path: Path
) -> None:
    seen: list[int] = []

    def report(triples: int) -> bytes:
        seen.append(triples)
        return f"{triples} triples\n".encode()

    extra = {"validation-report.ttl": report, "build-report.json": b"{}\n"}
    infos = merge([whole_fragment], tmp_path / "out", extra=extra)
    assert seen == [len(union_graph(whole))]
    assert (tmp_path / "out" / "build-report.json").read_bytes() == b"{}\n"
    assert (tmp_path / "out" / "validation-report.ttl").read_text() == f"{seen[0]} triples\n"
    sums = (tmp_path / "out" / "SHA256SUMS").read_text()
    assert f"{infos['build-report.json'].sha256}  build-report.json" in sums
    with pytest.raises(ValueError, match="replace merged ones"):
        merge([whole_fragment], tmp_path / "again", extra={"medkg.ttl": b""})


# --- one way to write each format ---------------------------------------------------------


def test_render_all_and_the_exporters_are_the_merge_of_one_fragment(
    whole: Dataset, reference: Files
) -> None:
    files = render_all(whole)
    assert files == {n: d for n, d in reference.items() if n in files}
    assert set(reference) - set(files) == {"void.ttl", "README.md", "SHA256SUMS"}
    for name, exporter in EXPORTERS.items():
        produced = exporter(whole)
        assert produced == {n: files[n] for n in produced}, name


def test_fragment_bytes_round_trip_deterministically(
    whole_fragment: Fragment, whole: Dataset
) -> None:
    data = whole_fragment.to_bytes()
    assert Fragment.from_bytes(data) == whole_fragment
    assert render_fragment(whole).to_bytes() == data


# --- JSON-LD node rules, on hand-made nodes -----------------------------------------------


def concept(name: str, **values: object) -> dict[str, object]:
    return {"id": f"{ID}concept/{name}", "type": "Concept", "prefLabel": name, **values}


def node_fragment(label: str, roots: list[dict[str, object]]) -> Fragment:
    return Fragment(
        documents=(label,),
        fhir_version="R5",
        graph=graph_part([]),
        sources=(),
        concepts=(),
        nodes=tuple(
            JsonLdNode(str(r["id"]), r.get("type") == "Drug", jsonld.node_text(r)) for r in roots
        ),
        copies=tuple(copies(roots)),
        fhir=(),
    )


def merged_graph(*fragments: Fragment) -> list[dict[str, object]]:
    files = merge_in_memory(fragments, metadata=False)
    nodes: list[dict[str, object]] = json.loads(files[jsonld.DOCUMENT])["@graph"]
    return nodes


def test_an_embedded_concept_takes_the_values_of_a_top_level_copy_elsewhere() -> None:
    drug = {
        "id": f"{ID}drug/a",
        "type": "Drug",
        "name": "a",
        "adverseReactions": [
            {"id": f"{ID}reaction/a/x", "reaction": concept("x", altLabels=["ex"]), "position": 1}
        ],
    }
    first = node_fragment("a.md", [drug])
    second = node_fragment("b.txt", [concept("x", altLabels=["the x"])])
    expected = [
        {
            **drug,
            "adverseReactions": [
                {
                    "id": f"{ID}reaction/a/x",
                    "reaction": concept("x", altLabels=["ex", "the x"]),
                    "position": 1,
                }
            ],
        }
    ]
    assert merged_graph(first, second) == expected
    assert merged_graph(second, first) == expected


def test_union_and_patch() -> None:
    a = concept("x", altLabels=["b"], exactMatch=["http://example.org/1"])
    b = concept("x", altLabels=["a", "b"], glossedAs=["g"])
    assert union(a, b) == concept(
        "x", altLabels=["a", "b"], exactMatch=["http://example.org/1"], glossedAs=["g"]
    )
    holder = {"id": f"{ID}r", "reaction": f"{ID}concept/x"}
    assert union(holder, {"id": f"{ID}r", "reaction": a}) == {"id": f"{ID}r", "reaction": a}
    table = {a["id"]: b}
    patched = patch({"id": f"{ID}r", "reaction": a, "other": [a]}, table)
    assert patched["reaction"] == patched["other"][0] == union(a, b)


def test_a_single_valued_key_with_two_values_fails_the_merge() -> None:
    first = node_fragment("a.md", [concept("x")])
    second = node_fragment("b.md", [{**concept("x"), "prefLabel": "another x"}])
    with pytest.raises(ExportInvalid) as raised:
        merge_in_memory([first, second], metadata=False)
    assert raised.value.output == jsonld.DOCUMENT
    assert any(
        "'prefLabel' has one value in each copy" in p and '"another x"' in p
        for p in raised.value.problems
    ), raised.value.problems


# --- failures -----------------------------------------------------------------------------


def test_two_fragments_giving_different_bytes_for_one_fhir_resource_fail(
    whole_fragment: Fragment,
) -> None:
    resource = next(f for f in whole_fragment.fhir if "Medication-" in f.file_name)
    changed = replace(resource, data=resource.data.replace(b'"active"', b'"inactive"', 1))
    assert changed.data != resource.data
    other = replace(whole_fragment, documents=("other.md",), fhir=(changed,))
    with pytest.raises(ExportInvalid) as raised:
        merge_in_memory([whole_fragment, other])
    assert raised.value.output == resource.file_name
    [problem] = raised.value.problems
    assert "the cluster of other.md" in problem and whole_fragment.label in problem
    assert whole_fragment.label.endswith(" more")  # a long list of documents is cut short
    assert resource.full_url in problem


def test_a_reference_no_fragment_resolves_fails_and_one_another_resolves_passes(
    whole_fragment: Fragment,
) -> None:
    missing = FhirNeed("entry", "https://w3id.org/medkg/fhir/Medication/nowhere", "x: dangling")
    dangling = replace(whole_fragment, fhir_needs=(missing,))
    with pytest.raises(ExportInvalid) as raised:
        merge_in_memory([dangling])
    assert raised.value.output == "fhir/bundle.json"
    assert raised.value.problems == ["x: dangling"]
    present = FhirNeed("entry", whole_fragment.fhir[0].full_url, "y: resolved elsewhere")
    needing = replace(whole_fragment, fhir=(), nodes=(), copies=(), fhir_needs=(present,))
    assert merge_in_memory([needing, whole_fragment]) == merge_in_memory([whole_fragment])


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda data: b"not a fragment", "does not start with the fragment marker"),
        (lambda data: data[:20], "truncated"),
        (lambda data: data[:-1], "blobs take"),
        (lambda data: data.replace(b'"fhir_version":"R5"', b'"fhir_version":1234', 1), "malformed"),
        (lambda data: data[:30] + b"\xff" + data[31:], "unreadable header"),
    ],
)
def test_damaged_fragment_bytes_are_refused_with_a_clear_message(
    whole_fragment: Fragment, damage: Callable[[bytes], bytes], message: str
) -> None:
    data = whole_fragment.to_bytes()
    with pytest.raises(FragmentInvalid, match=message) as raised:
        Fragment.from_bytes(damage(data))
    assert "export fragment:" in str(raised.value)


def test_turtle_writer_writes_prefixed_names_only_when_safe() -> None:
    chunks: list[bytes] = []
    writer = TurtleWriter(chunks.append, {"ex": "http://example.org/"})
    writer.add_all(
        [
            '<http://example.org/a> <http://example.org/p> "1"^^<http://example.org/t>',
            "<http://example.org/a> <http://example.org/p> <http://example.org/b/c>",
            "<http://example.org/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
            "<http://example.org/T>",
            '<http://example.org/x.> <http://example.org/q> "a \\"b\\""@en',
        ]
    )
    writer.close()
    assert b"".join(chunks).decode() == (
        "@prefix ex: <http://example.org/> .\n\n"
        "ex:a\n"
        "    a ex:T ;\n"
        "    ex:p\n"
        '        "1"^^ex:t ,\n'
        "        <http://example.org/b/c> ;\n"
        ".\n\n"
        "<http://example.org/x.>\n"
        '    ex:q "a \\"b\\""@en ;\n'
        ".\n\n"
    )
    parsed = Graph().parse(data=b"".join(chunks), format="turtle")
    assert len(parsed) == 4


def test_node_spans_find_each_embedded_copy_by_its_text() -> None:
    inner = concept("x", altLabels=["a"])
    root = {
        "id": f"{ID}drug/a",
        "type": "Drug",
        "reactions": [{"id": f"{ID}r/1", "reaction": inner}, {"id": f"{ID}r/2"}],
        "only": {"id": f"{ID}concept/x"},
        "text": f'"id": "{ID}concept/x"',
    }
    text = jsonld.node_text(root)
    spans = node_spans(text, f"{ID}concept/x")
    assert [json.loads(text[a:b]) for a, b, _ in spans] == [inner]  # not the bare reference
    [(start, _, indent)] = spans
    assert text[text.rfind(b"\n", 0, start) + 1 :].startswith(
        b" " * (indent - 2) + b'"reaction": {'
    )
    assert node_spans(text, f"{ID}r/2") == []  # only an id: a reference, not a copy


def test_a_subject_two_fragments_describe_differently_is_written_once_with_both() -> None:
    shared = f"<{ID}concept/x>"
    label = "<http://www.w3.org/2004/02/skos/core#altLabel>"
    links, page = f"<{ID}graph/links>", f"<{ID}graph/page>"
    first = graph_part([f'{shared} {label} "a" {links} .', f'{shared} {label} "b" {links} .'])
    second = graph_part([f'{shared} {label} "b" {links} .', f'{shared} {label} "b" {page} .'])
    assert (first.statements, second.statements) == (2, 1)
    files: dict[int, tuple[bytes, bytes]] = {}
    for order in ([first, second], [second, first]):
        merger = GraphMerge(lambda: Path("/nonexistent"), 1 << 20)
        for part in order:
            merger.add(part)
        quads_out: list[bytes] = []
        turtle_out: list[bytes] = []
        counts = merger.write(quads_out.append, turtle_out.append)
        assert counts == ({f"{ID}graph/links": 2, f"{ID}graph/page": 1}, 2)
        files[len(files)] = (b"".join(quads_out), b"".join(turtle_out))
    assert files[0] == files[1]
    assert files[0][0].decode().splitlines() == [
        f'{shared} {label} "a" {links} .',
        f'{shared} {label} "b" {links} .',
        f'{shared} {label} "b" {page} .',
    ]
    assert '    skos:altLabel\n        "a" ,\n        "b" ;\n' in files[0][1].decode()
