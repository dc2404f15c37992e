"""Minted IRIs never collide: long names, lossy spellings, and documents about one drug."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Dataset, URIRef

from medkg.errors import SourceError
from medkg.graph.writer import LINKS_GRAPH, GraphWriter, concept_iri, document_slug
from medkg.link.lexicon import bundled_lexicon
from medkg.link.linker import Linker, drug_key
from medkg.namespaces import ID, MEDKG, RDF
from medkg.pipeline.build import build
from medkg.pipeline.options import BuildOptions
from medkg.pipeline.sources import collect_sources, shared_names
from medkg.text import SLUG_LENGTH, readable_slug, slug, term_slug

from .conftest import FIXTURES

MONOGRAPH = FIXTURES / "corpus" / "monographs" / "ibuprofen.md"

# nodes every document about a drug or a code may describe: one drug, concept or code
# across documents is the point of the graph
SHARED = ("drug/", "concept/", "mapping/")


def _shared(node: URIRef) -> bool:
    path = str(node)[len(str(ID)) :]
    if path.startswith(SHARED):
        return True
    parts = path.split("/")
    return parts[0] == "code" and len(parts) == 3  # the code itself, not a page's description


def test_slugs_keep_short_readable_segments() -> None:
    assert slug("Joint pain") == "joint-pain"
    assert slug("β-catenin") == "beta-catenin"
    assert document_slug("romosozumab-monograph.txt") == "romosozumab-monograph"
    assert document_slug("J3110.txt") == "j3110"  # only the case differs: still readable


def test_long_texts_that_differ_after_the_cut_get_different_slugs() -> None:
    first, second = "vitamin " * 20 + "zinc", "vitamin " * 20 + "iron"
    assert slug(first) != slug(second)
    assert slug(first).startswith("vitamin-vitamin-")
    assert slug(first) == slug(first.upper())  # the same words: the same segment
    assert document_slug("Vitamin B12.md") != document_slug("vitamin_b12.md")


@given(st.text(min_size=1, max_size=300))
def test_a_slug_is_short_and_made_of_iri_safe_characters(text: str) -> None:
    segment = slug(text)
    assert 0 < len(segment) <= SLUG_LENGTH
    assert set(segment) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")


@given(st.text(alphabet="abc- ", min_size=1, max_size=250), st.text(alphabet="abc- ", max_size=50))
def test_texts_with_other_words_never_share_a_slug(text: str, tail: str) -> None:
    other = text + tail
    if readable_slug(text) != readable_slug(other):
        assert slug(text) != slug(other)


@given(
    st.text(alphabet="abcAB-_ .1é", min_size=1, max_size=240),
    st.text(alphabet="abcAB-_ .1é", min_size=1, max_size=240),
)
def test_file_names_never_share_a_document_iri_unless_shared(first: str, second: str) -> None:
    """Two names share a plain document segment only when they differ in case or extension
    alone, and then `shared_names` gives both the digest of their whole name."""
    stems = [n.rsplit(".", 1)[0] if "." in n else n for n in (first, second)]
    if document_slug(first) == document_slug(second):
        assert stems[0].lower() == stems[1].lower()
        if first != second:
            assert document_slug(first, shared=True) != document_slug(second, shared=True)


def test_names_that_differ_in_case_or_extension_are_shared(tmp_path: Path) -> None:
    for name in ("Ibuprofen.md", "ibuprofen.txt", "ibuprofen-tablets.md"):
        shutil.copy(MONOGRAPH, tmp_path / name)
    sources = collect_sources([tmp_path])
    assert shared_names(sources) == {"Ibuprofen.md", "ibuprofen.txt"}
    assert document_slug("ibuprofen.txt", shared=True).startswith("ibuprofen-")


def test_one_file_name_in_two_folders_is_refused(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(MONOGRAPH, tmp_path / folder / "ibuprofen.md")
    with pytest.raises(SourceError, match="same file name") as refused:
        collect_sources([tmp_path])
    assert "rename one of them" in str(refused.value)


def _owners(dataset: Dataset) -> dict[URIRef, set[URIRef]]:
    """Subject -> the named graphs (other than links) that describe it."""
    owners: dict[URIRef, set[URIRef]] = {}
    for subject, _, _, graph in dataset.quads((None, None, None, None)):
        if isinstance(graph, URIRef) and graph != LINKS_GRAPH and isinstance(subject, URIRef):
            owners.setdefault(subject, set()).add(graph)
    return owners


def test_long_names_and_one_drug_in_two_documents_give_every_node_one_source(
    tmp_path: Path,
) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    common = "multivitamin-" + "with-minerals-" * 15  # 223 characters in common
    assert len(common) > 200
    text = MONOGRAPH.read_text(encoding="utf-8")
    names = [f"{common}a.md", f"{common}b.md", "ibuprofen.md", "ibuprofen-tablets.md"]
    for name in names:
        (sources / name).write_text(text, encoding="utf-8")
    outcome = build([sources], tmp_path / "dist")
    assert {s.status for s in outcome.statuses} == {"built"}

    dataset = Dataset()
    dataset.parse(tmp_path / "dist" / "medkg.nq", format="nquads")
    graphs = {g.identifier for g in dataset.graphs() if isinstance(g.identifier, URIRef)}
    assert len(graphs - {LINKS_GRAPH, dataset.default_graph.identifier}) == len(names)

    owners = _owners(dataset)
    collisions = {s: g for s, g in owners.items() if len(g) > 1 and not _shared(s)}
    assert collisions == {}
    # each document node has one file name, one digest and one start per evidence node
    for subject in owners:
        for prop in ("fileName", "sha256", "start", "end"):
            values = set(dataset.objects(subject, MEDKG[prop]))
            assert len(values) <= 1, (subject, prop, values)
    # the four documents are four document nodes, each with its own readable name
    documents = {str(s) for s in owners if str(s).startswith(str(ID["document/"]))}
    assert {d.split("/")[-1] for d in documents if d.count("/") == str(ID).count("/") + 1} >= {
        "ibuprofen",
        "ibuprofen-tablets",
    }


def test_terms_that_differ_only_in_what_a_slug_drops_get_different_segments() -> None:
    assert term_slug("tnf") == "tnf"
    assert term_slug("tnf α") != term_slug("tnf")
    assert term_slug("physician's office") != term_slug("physician s office")
    assert drug_key("TNF-α inhibitor") != drug_key("TNF inhibitor")


def test_a_drug_and_a_concept_of_one_key_have_their_own_identifier_mappings() -> None:
    lexicon = bundled_lexicon()
    key = next(k for k, found in lexicon.identifiers.items() if found)
    writer = GraphWriter(Linker(lexicon, []), lexicon)
    for node in (ID[f"drug/{key}"], concept_iri(key)):
        writer.identifiers(node, key)
    mappings = set(writer.links.subjects(RDF.type, MEDKG.IdentifierMapping))
    assert len(mappings) == 2 * len(lexicon.identifiers[key])
    for mapping in mappings:
        assert len(list(writer.links.objects(mapping, MEDKG.mappedNode))) == 1


def _documents(dataset: Dataset) -> set[str]:
    return {str(s) for s, _, _, _ in dataset.quads((None, RDF.type, MEDKG.SourceDocument, None))}


@pytest.mark.parametrize(
    "names",
    [
        ("foo.md", "foo.txt"),  # one stem, two extensions
        ("Foo.md", "foo.md"),  # names that differ only in case
        ("イブプロフェン.md", "布洛芬.md"),  # no Latin letter: both slugs are "x"
    ],
)
def test_names_that_would_share_an_iri_build_with_one_iri_each(
    tmp_path: Path, names: tuple[str, str]
) -> None:
    """Before: the build stopped ("has the same document IRI"). Now every document, and
    every fact node minted from it, has its own IRI, the same whatever the jobs, while
    the documents about one drug still share the drug node."""
    sources = tmp_path / "sources"
    sources.mkdir()
    for name in names:
        shutil.copy(MONOGRAPH, sources / name)
    outputs = []
    for jobs in (1, 2):
        out = tmp_path / f"dist-{jobs}"
        outcome = build([sources], out, BuildOptions(jobs=jobs))
        assert {s.status for s in outcome.statuses} == {"built"}
        outputs.append((out / "medkg.nq").read_bytes())
    assert outputs[0] == outputs[1]
    dataset = Dataset()
    dataset.parse(data=outputs[0].decode(), format="nquads")
    assert len(_documents(dataset)) == 2
    owners = _owners(dataset)
    assert {s: g for s, g in owners.items() if len(g) > 1 and not _shared(s)} == {}
    assert len(owners[ID["drug/ibuprofen"]]) == 2  # one drug node, described by both
