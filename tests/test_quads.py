"""The build's quad collection (`medkg.graph.quads`) against rdflib: the same N-Quads lines
as rdflib's serialiser, and the same answers to every read method as an rdflib Graph."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from medkg.export import nquads
from medkg.graph.quads import Quads, TripleIndex, as_quads
from medkg.graph.reader import GraphReader
from medkg.namespaces import RDF, XSD

BASE = "https://w3id.org/medkg/id/"
iris = st.sampled_from([URIRef(f"{BASE}{name}") for name in ("a", "b", "c", "d/é", "e#f")])
predicates = st.sampled_from([URIRef(f"{BASE}p{n}") for n in range(4)] + [RDF.type])
# text with the characters N-Triples escapes, non-ASCII and line separators
texts = st.text(
    alphabet=st.sampled_from(list('ab "\\\n\r\t\u2028\u00e9\u4e2d\U0001f600<>^')), max_size=8
)
literals = st.one_of(
    texts.map(Literal),
    st.builds(lambda t, lang: Literal(t, lang=lang), texts, st.sampled_from(["en", "fr-ca"])),
    st.integers(-1000, 1000).map(lambda n: Literal(n, datatype=XSD.integer)),
    st.booleans().map(Literal),
    st.decimals(allow_nan=False, allow_infinity=False, places=2).map(
        lambda d: Literal(str(d), datatype=XSD.decimal)
    ),
    st.builds(lambda t: Literal(t, datatype=XSD.string), texts),
)
objects = st.one_of(iris, literals)
graphs = st.sampled_from([URIRef(f"{BASE}graph/{n}") for n in ("one", "two", "links")])
quad_lists = st.lists(st.tuples(iris, predicates, objects, graphs), max_size=30)


def rdflib_dataset(quads: list[tuple[Node, Node, Node, Node]]) -> Dataset:
    dataset = Dataset()
    for s, p, o, g in quads:
        dataset.graph(g).add((s, p, o))  # type: ignore[arg-type]
    return dataset


def collection(quads: list[tuple[Node, Node, Node, Node]]) -> Quads:
    made = Quads()
    for quad in quads:
        made.add(quad)
    return made


def rdflib_lines(dataset: Dataset) -> list[str]:
    """N-Quads lines as rdflib's N-Triples serialiser gives them (what medkg.nq was)."""
    found = set()
    for graph in dataset.graphs():
        if len(graph) == 0:
            continue
        name = graph.identifier.n3()
        for line in graph.serialize(format="nt", encoding="utf-8").decode("utf-8").split("\n"):
            if line.endswith(" ."):
                found.add(f"{line[:-2]} {name} .")
    return sorted(found)


@settings(max_examples=150, deadline=None)
@given(quad_lists)
def test_nquads_lines_are_rdflib_s(quads: list[tuple[Node, Node, Node, Node]]) -> None:
    expected = rdflib_lines(rdflib_dataset(quads))
    assert nquads.lines(collection(quads)) == expected
    assert nquads.lines(rdflib_dataset(quads)) == expected  # a Dataset is converted


def _answers(graph: GraphReader, s: Node, p: Node, o: Node) -> list[object]:
    """Every read method's answer for patterns made of s, p, o and None (as multisets)."""
    found: list[object] = [len(graph), Counter(graph)]
    for ps in (s, None):
        for pp in (p, None):
            for po in (o, None):
                found.append(Counter(graph.triples((ps, pp, po))))
                found.append((ps, pp, po) in graph)
    for first in (s, None):
        for second in (p, None):
            found.append(Counter(graph.objects(first, second)))
    for first in (p, None):
        for second in (o, None):
            found.append(Counter(graph.subjects(first, second)))
    for first in (s, None):
        for second in (o, None):
            found.append(Counter(graph.predicates(first, second)))
    return found


def _values_agree(index: TripleIndex, graph: Graph, s: Node, p: Node, o: Node) -> None:
    """`value` gives one of the terms rdflib could give (rdflib picks any), or the same None."""
    for question in ((s, p, None), (None, p, o), (s, None, o)):
        mine = index.value(*question)
        possible = set(graph.triples(question))  # type: ignore[arg-type]
        at = question.index(None)
        assert (mine is None) == (graph.value(*question) is None)
        if mine is not None:
            assert mine in {t[at] for t in possible}
    if not list(graph.objects(s, p)):
        assert index.value(s, p, default=Literal("x")) == Literal("x")


@settings(max_examples=100, deadline=None)
@given(quad_lists, iris, predicates, objects)
def test_read_methods_answer_as_rdflib(
    quads: list[tuple[Node, Node, Node, Node]], s: Node, p: Node, o: Node
) -> None:
    made = collection(quads)
    dataset = rdflib_dataset(quads)
    union = Graph()
    for graph in dataset.graphs():
        union += graph
    assert _answers(made.union, s, p, o) == _answers(union, s, p, o)
    _values_agree(made.union, union, s, p, o)
    for graph in dataset.graphs():
        if len(graph):
            named = made.graph(graph.identifier)
            assert _answers(named, s, p, o) == _answers(graph, s, p, o)
    # pattern questions asked before more triples are added keep their indexes current
    extra = (s, p, o)
    assert Counter(made.union.subjects(p, o)) == Counter(union.subjects(p, o))
    made.graph(URIRef(f"{BASE}graph/extra")).add(extra)
    union.add(extra)  # type: ignore[arg-type]
    assert _answers(made.union, s, p, o) == _answers(union, s, p, o)


@settings(max_examples=50, deadline=None)
@given(quad_lists)
def test_dataset_round_trip(quads: list[tuple[Node, Node, Node, Node]]) -> None:
    made = collection(quads)
    back = as_quads(made.to_dataset())
    assert nquads.lines(back) == nquads.lines(made)
    assert len(back) == len(made) == len(set(quads))


def test_a_triple_in_two_graphs_is_once_in_the_union() -> None:
    made = Quads()
    triple = (URIRef(f"{BASE}a"), RDF.type, URIRef(f"{BASE}T"))
    made.graph(URIRef(f"{BASE}graph/one")).add(triple)
    made.graph(URIRef(f"{BASE}graph/two")).add(triple)
    assert len(made) == 2 and len(made.union) == 1
    assert list(made.quads((None, RDF.type, None))) == [
        (*triple, URIRef(f"{BASE}graph/one")),
        (*triple, URIRef(f"{BASE}graph/two")),
    ]


def test_copy_is_separate() -> None:
    index = TripleIndex()
    a, b = URIRef(f"{BASE}a"), URIRef(f"{BASE}b")
    index.add((a, RDF.type, b))
    copied = index.copy()
    index.add((b, RDF.type, a))
    assert list(copied) == [(a, RDF.type, b)] and len(copied) == 1 and len(index) == 2


def test_an_iri_n_triples_cannot_hold_is_refused() -> None:
    made = Quads()
    made.graph(URIRef(f"{BASE}graph/one")).add((URIRef(f"{BASE}a b"), RDF.type, URIRef(f"{BASE}T")))
    with pytest.raises(Exception, match="does not look like a valid URI"):
        nquads.lines(made)


def test_answers_are_in_the_same_order_whatever_was_read_before() -> None:
    """An index made for a question must not remember the order of reads: the same adds
    give the same answers whether or not something was asked between them."""
    s1, s2, p = URIRef("urn:s1"), URIRef("urn:s2"), URIRef("urn:p")
    o1, o2 = URIRef("urn:o1"), URIRef("urn:o2")
    quiet, asked = TripleIndex(), TripleIndex()
    for index in (quiet, asked):
        index.add((s1, p, o1))
        index.add((s2, p, o2))
    list(asked.subjects(p, o1))
    list(asked.predicates(s1, None))
    for index in (quiet, asked):
        index.add((s1, p, o2))
    assert list(asked.subjects(p, o2)) == list(quiet.subjects(p, o2)) == [s1, s2]
    assert list(asked.triples((None, p, None))) == list(quiet.triples((None, p, None)))
