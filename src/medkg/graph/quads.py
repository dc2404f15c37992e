"""The build's graph: an in-memory collection of quads in plain dicts, no rdflib store.

`Quads` holds one `NamedGraph` per graph name and their `union` (each triple
once, however many graphs hold it). Both are `TripleIndex`es: a triple is
indexed subject -> predicate -> objects when added; the predicate -> object ->
subjects and object -> subject -> predicates indexes are made from it on the
first question that needs them and dropped by the next add. Dicts keep the
order triples were added in, and the other indexes are always made from the
main one, so the same writes always give the same answers in the same order,
whatever was read in between. Terms are rdflib's `URIRef`/`Literal` (str subclasses, cheap
to hash); only the store is ours.

Readers type against `medkg.graph.reader.GraphReader`, which an rdflib `Graph`
satisfies too (the reference path). `to_dataset`/`from_dataset` convert for
the reference path and the tests.
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import Dataset
from rdflib.term import Node

from medkg.graph.reader import Pattern, Triple
from medkg.namespaces import RDF

_Level = dict[Node, dict[Node, dict[Node, None]]]


def _put(index: _Level, first: Node, second: Node, third: Node) -> None:
    middle = index.get(first)
    if middle is None:
        index[first] = {second: {third: None}}
        return
    last = middle.get(second)
    if last is None:
        middle[second] = {third: None}
    else:
        last[third] = None


class TripleIndex:
    """A set of triples with the read methods of `medkg.graph.reader.GraphReader`.

    Iterating while adding to the same index is not supported (as with a dict)."""

    __slots__ = ("_osp", "_pos", "_size", "_spo")

    def __init__(self) -> None:
        self._spo: _Level = {}
        self._pos: _Level | None = None
        self._osp: _Level | None = None
        self._size = 0

    # -- writing -------------------------------------------------------------

    def add(self, triple: Triple) -> bool:
        """Add a triple; False when it was there already."""
        s, p, o = triple
        middle = self._spo.get(s)
        if middle is None:
            self._spo[s] = {p: {o: None}}
        else:
            last = middle.get(p)
            if last is None:
                middle[p] = {o: None}
            elif o in last:
                return False
            else:
                last[o] = None
        self._size += 1
        # the other indexes are made again when next needed, so their order is always the
        # main index's, whatever was read before this add
        self._pos = self._osp = None
        return True

    def copy(self) -> TripleIndex:
        """A separate index with the same triples (in the same order)."""
        other = TripleIndex()
        other._spo = {s: {p: dict(os) for p, os in ps.items()} for s, ps in self._spo.items()}
        other._size = self._size
        return other

    # -- the other indexes, made on demand ---------------------------------

    def _by_predicate(self) -> _Level:
        if self._pos is None:
            pos: _Level = {}
            for s, ps in self._spo.items():
                for p, os in ps.items():
                    for o in os:
                        _put(pos, p, o, s)
            self._pos = pos
        return self._pos

    def _by_object(self) -> _Level:
        if self._osp is None:
            osp: _Level = {}
            for s, ps in self._spo.items():
                for p, os in ps.items():
                    for o in os:
                        _put(osp, o, s, p)
            self._osp = osp
        return self._osp

    # -- reading -------------------------------------------------------------

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[Triple]:
        for s, ps in self._spo.items():
            for p, os in ps.items():
                for o in os:
                    yield s, p, o

    def __contains__(self, pattern: Pattern) -> bool:
        s, p, o = pattern
        if s is not None and p is not None and o is not None:
            return o in self._spo.get(s, {}).get(p, ())
        return next(iter(self.triples(pattern)), None) is not None

    def triples(self, pattern: Pattern) -> Iterator[Triple]:
        """The triples matching `pattern` (None matches any term)."""
        s, p, o = pattern
        if s is not None:
            ps = self._spo.get(s)
            if ps is None:
                return iter(())
            if p is not None:
                os = ps.get(p, {})
                if o is not None:
                    return iter([(s, p, o)] if o in os else [])
                return iter([(s, p, x) for x in os])
            return iter([(s, q, x) for q, xs in ps.items() for x in xs if o is None or x == o])
        if p is not None:
            by_object = self._by_predicate().get(p)
            if by_object is None:
                return iter(())
            if o is not None:
                return iter([(x, p, o) for x in by_object.get(o, ())])
            return iter([(x, p, y) for y, xs in by_object.items() for x in xs])
        if o is not None:
            by_subject = self._by_object().get(o, {})
            return iter([(x, q, o) for x, qs in by_subject.items() for q in qs])
        return iter(self)

    def objects(self, subject: Node | None = None, predicate: Node | None = None) -> Iterator[Node]:
        """The object of each triple matching (subject, predicate, any)."""
        if subject is not None and predicate is not None:
            return iter(list(self._spo.get(subject, {}).get(predicate, ())))
        return iter([o for _, _, o in self.triples((subject, predicate, None))])

    def subjects(self, predicate: Node | None = None, object: Node | None = None) -> Iterator[Node]:
        """The subject of each triple matching (any, predicate, object)."""
        if predicate is not None and object is not None:
            return iter(list(self._by_predicate().get(predicate, {}).get(object, ())))
        return iter([s for s, _, _ in self.triples((None, predicate, object))])

    def predicates(self, subject: Node | None = None, object: Node | None = None) -> Iterator[Node]:
        """The predicate of each triple matching (subject, any, object)."""
        return iter([p for _, p, _ in self.triples((subject, None, object))])

    def value(
        self,
        subject: Node | None = None,
        predicate: Node | None = RDF.value,
        object: Node | None = None,
        default: Node | None = None,
    ) -> Node | None:
        """The missing term of the first triple matching the two given (as rdflib's
        `Graph.value`), or `default`; None unless exactly one term is missing."""
        if subject is not None and predicate is not None and object is None:
            os = self._spo.get(subject, {}).get(predicate)
            return next(iter(os)) if os else default
        if subject is None and predicate is not None and object is not None:
            found = self.subjects(predicate, object)
        elif subject is not None and predicate is None and object is not None:
            found = self.predicates(subject, object)
        else:
            return None
        return next(found, default)


class NamedGraph(TripleIndex):
    """One named graph of a `Quads`: adding to it adds to the union too."""

    __slots__ = ("_union", "identifier")

    def __init__(self, identifier: Node, union: TripleIndex):
        super().__init__()
        self.identifier = identifier
        self._union = union

    def add(self, triple: Triple) -> bool:
        if super().add(triple):
            self._union.add(triple)
            return True
        return False


class Quads:
    """Named graphs of triples and their union (see the module docstring)."""

    def __init__(self) -> None:
        self.union = TripleIndex()
        self._graphs: dict[Node, NamedGraph] = {}

    def graph(self, name: Node) -> NamedGraph:
        """The named graph `name` (made empty when new)."""
        graph = self._graphs.get(name)
        if graph is None:
            graph = self._graphs[name] = NamedGraph(name, self.union)
        return graph

    def graphs(self) -> Iterator[NamedGraph]:
        """Every named graph, in the order they were first asked for (empty ones too)."""
        return iter(list(self._graphs.values()))

    def add(self, quad: tuple[Node, Node, Node, Node]) -> None:
        s, p, o, g = quad
        self.graph(g).add((s, p, o))

    def quads(self, pattern: Pattern) -> Iterator[tuple[Node, Node, Node, Node]]:
        """(s, p, o, graph) of every named graph's triples matching `pattern`."""
        for name, graph in self._graphs.items():
            for s, p, o in graph.triples(pattern):
                yield s, p, o, name

    def __len__(self) -> int:
        """The quads: a triple counts once per graph holding it."""
        return sum(len(graph) for graph in self._graphs.values())

    def to_dataset(self) -> Dataset:
        """The same quads as an rdflib `Dataset` (the reference path and tests)."""
        dataset = Dataset()
        for name, graph in self._graphs.items():
            target = dataset.graph(name)  # type: ignore[arg-type]
            for triple in graph:
                target.add(triple)
        return dataset

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> Quads:
        """The quads of an rdflib `Dataset`'s named graphs (the default graph is left out,
        as medkg writes nothing there)."""
        quads = cls()
        for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
            if len(graph) == 0:
                continue
            named = quads.graph(graph.identifier)
            for triple in graph:
                named.add(triple)
        return quads


def as_quads(data: Quads | Dataset) -> Quads:
    """`data` as `Quads` (an rdflib `Dataset` is converted: the reference path and tests)."""
    return data if isinstance(data, Quads) else Quads.from_dataset(data)
