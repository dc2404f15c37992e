"""Data into a pyoxigraph store: the build's N-Quads bytes, or an rdflib graph.

`store_from_nquads` loads a cluster's ``medkg.nq`` lines (made by
`medkg.export.nquads` from the build's quads) in one call: the build's path.
For an rdflib graph (the reference path, `medkg validate`, the tests):
The bytes are rdflib's N-Triples serialisation, parsed leniently (rdflib wrote
them; skipping the check of every IRI makes loading a third faster). Blank
nodes (rare: the shapes forbid them) keep their rdflib labels where oxigraph
accepts them, so reports name them as pySHACL does; triples with blank nodes
are added one by one, since a parser would relabel them.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from medkg.errors import MedkgError
from medkg.shacl.terms import OxTerm


def store_from_nquads(data: bytes) -> ox.Store:
    """A new store holding the N-Quads `data` (each triple in its named graph). The lines
    are medkg's own, so IRIs are not checked again; a line that is not N-Quads raises
    `MedkgError`."""
    store = ox.Store()
    try:
        store.load(data, format=ox.RdfFormat.N_QUADS, lenient=True)
    except SyntaxError as error:
        raise MedkgError(f"the N-Quads are not RDF the SPARQL engine can load: {error}") from error
    return store


def store_from_graph(graph: Graph) -> tuple[ox.Store, dict[str, str]]:
    """A new store whose default graph holds `graph`, and the map from the store's
    blank node labels to `graph`'s. A triple RDF does not allow (rdflib allows a
    literal subject) raises `MedkgError`."""
    store = ox.Store()
    data = graph.serialize(format="nt", encoding="utf-8")
    labels: dict[str, str] = {}
    if b"_:" not in data:
        _load(store, data)
        return store, labels
    plain = Graph()
    blank_quads = []
    for triple in graph:
        if any(isinstance(term, BNode) for term in triple):
            subject, predicate, value = (_to_oxigraph(term, labels) for term in triple)
            if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode):
                raise MedkgError(f"the graph is not RDF the SPARQL engine can load: {triple}")
            blank_quads.append(ox.Quad(subject, predicate, value))
        else:
            plain.add(triple)
    _load(store, plain.serialize(format="nt", encoding="utf-8"))
    store.extend(blank_quads)
    return store, labels


def _load(store: ox.Store, data: bytes) -> None:
    try:
        store.load(data, format=ox.RdfFormat.N_TRIPLES, lenient=True)
    except SyntaxError as error:  # rdflib allows triples RDF does not (a literal subject)
        raise MedkgError(f"the graph is not RDF the SPARQL engine can load: {error}") from error


def _to_oxigraph(term: Node, labels: dict[str, str]) -> OxTerm:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        try:
            node = ox.BlankNode(str(term))
        except ValueError:
            node = ox.BlankNode()
        labels[node.value] = str(term)
        return node
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported RDF term {term!r}")
