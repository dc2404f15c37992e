"""Dataset metadata: VoID/DCAT, SHA256SUMS and the dist README describe the real files."""

from __future__ import annotations

import hashlib

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef

from medkg.export.metadata import add_metadata, issued, sha256sums

from .conftest import Built

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
MEDKG = Namespace("https://w3id.org/medkg/vocab#")
DATASET = URIRef("https://w3id.org/medkg/id/dataset")


def files_of(built: Built) -> dict[str, bytes]:
    return {
        str(p.relative_to(built.out)): p.read_bytes() for p in built.out.rglob("*") if p.is_file()
    }


def void(built: Built) -> Graph:
    graph = Graph()
    graph.parse(built.out / "void.ttl", format="turtle")
    return graph


def test_sha256sums_cover_every_other_file(built: Built) -> None:
    files = files_of(built)
    listed = {}
    for line in files["SHA256SUMS"].decode().splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    assert set(listed) == set(files) - {"SHA256SUMS"}
    for name, digest in listed.items():
        assert hashlib.sha256(files[name]).hexdigest() == digest, name


def test_void_counts_triples_per_named_graph(built: Built) -> None:
    quads = Dataset()
    quads.parse(built.out / "medkg.nq", format="nquads")
    counts = {str(g.identifier): len(g) for g in quads.graphs() if len(g)}
    graph = void(built)
    described = {
        str(graph.value(subset, SD.name)): graph.value(subset, VOID.triples).toPython()
        for subset in graph.objects(DATASET, VOID.subset)
    }
    assert described == counts
    assert graph.value(DATASET, VOID.triples).toPython() == len(built.graph)


def test_void_distributions_have_true_sizes_and_checksums(built: Built) -> None:
    files = files_of(built)
    graph = void(built)
    distributions = list(graph.objects(DATASET, DCAT.distribution))
    names = {str(graph.value(d, DCTERMS.title)) for d in distributions}
    assert names == set(files) - {"void.ttl", "README.md", "SHA256SUMS"}
    for distribution in distributions:
        name = str(graph.value(distribution, DCTERMS.title))
        assert graph.value(distribution, DCAT.byteSize).toPython() == len(files[name])
        assert (
            str(graph.value(distribution, MEDKG.sha256)) == hashlib.sha256(files[name]).hexdigest()
        )
        assert graph.value(distribution, DCAT.mediaType) is not None


def test_void_names_each_source_with_checksum_and_terms(built: Built) -> None:
    graph = void(built)
    sources = set(graph.objects(DATASET, DCTERMS.source))
    assert {str(graph.value(s, MEDKG.fileName)) for s in sources} == set(built.texts)
    for source in sources:
        assert len(str(graph.value(source, MEDKG.sha256))) == 64
        assert "licence" in str(graph.value(source, DCTERMS.rights))
    assert graph.value(DATASET, DCTERMS.license) is not None
    assert graph.value(DATASET, DCAT.version) == Literal("0.1.0")
    assert graph.value(DATASET, DCTERMS.issued) is None  # no clock without SOURCE_DATE_EPOCH


def test_dist_readme_lists_every_file(built: Built) -> None:
    files = files_of(built)
    text = files["README.md"].decode()
    for name in files:
        shown = name.split("/", 1)[0] + "/" if "/" in name else name
        assert f"`{shown}`" in text, name


def test_source_date_epoch_sets_issued(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert issued() == "2023-11-14T22:13:20Z"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert issued() is None


def test_add_metadata_checksums_include_void_and_readme() -> None:
    finished = add_metadata(Dataset(), {"a.ttl": b"x"})
    assert set(finished) == {"a.ttl", "void.ttl", "README.md", "SHA256SUMS"}
    assert finished["SHA256SUMS"] == sha256sums(
        {k: v for k, v in finished.items() if k != "SHA256SUMS"}
    )


def test_dist_readme_says_how_to_load_the_graph_and_its_example_query_answers(
    built: Built,
) -> None:
    """The guide's load route (named graphs queried as their union) and its example query
    work on the folder it describes."""
    import re

    import pyoxigraph as ox

    text = (built.out / "README.md").read_text(encoding="utf-8")
    assert "--union-default-graph" in text and "medkg.ttl" in text
    query = re.search(r"```sparql\n(.*?)```", text, re.DOTALL)
    assert query is not None
    store = ox.Store()
    store.load(path=str(built.out / "medkg.nq"), format=ox.RdfFormat.N_QUADS)
    answer = store.query(query.group(1), use_default_graph_as_union=True)
    assert isinstance(answer, ox.QuerySolutions)
    rows = [(row["drug"].value, row["code"].value) for row in answer]
    assert rows == [("Romosozumab", "J3111")]
    assert list(store.query(query.group(1))) == []  # without the union: nothing, as it says


def test_dist_readme_reads_the_json_ld_as_it_says(
    built: Built, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guide's JSON-LD example runs from the folder and finds the drugs; its RDF route
    gives the triples of medkg.ttl."""
    import re

    from rdflib.compare import isomorphic

    text = (built.out / "README.md").read_text(encoding="utf-8")
    section = text.split("## Reading the JSON-LD", 1)[1].split("\n## ", 1)[0]
    [code] = re.findall(r"```python\n(.*?)```", section, re.DOTALL)
    monkeypatch.chdir(built.out)
    namespace: dict[str, object] = {}
    exec(compile(code, "dist/README.md", "exec"), namespace)
    assert sorted(namespace["drugs"]) == ["Romosozumab"]  # type: ignore[call-overload]
    assert 'Graph().parse("medkg.jsonld", format="json-ld")' in section
    assert isomorphic(Graph().parse("medkg.jsonld", format="json-ld"), built.graph)


def test_dist_readme_fhir_loop_puts_each_file_at_its_type_and_id(built: Built) -> None:
    """The guide's loop takes a file's type from the name up to the first '-' and its id
    from the rest: that is each resource's resourceType and id."""
    import json

    text = (built.out / "README.md").read_text(encoding="utf-8")
    assert '"$FHIR_BASE/${name%%-*}/${name#*-}"' in text
    files = sorted((built.out / "fhir").glob("*.json"))
    assert len(files) > 2
    for file in files:
        if file.stem == "bundle":
            continue
        resource = json.loads(file.read_text(encoding="utf-8"))
        kind, _, identifier = file.stem.partition("-")
        assert (kind, identifier) == (resource["resourceType"], resource["id"])
