"""A shape's focus nodes: compiled from its targets, and bound into each check's query.

pySHACL (with the ontology mixed into the data, medkg.shacl.mixin) finds:

- ``sh:targetClass C``: every node typed ``C`` or a subclass of it
  (``rdf:type/rdfs:subClassOf*``, the subclass triples being the data's and the
  ontology's);
- ``sh:targetSubjectsOf p``: every subject of ``p``;
- ``sh:target [ sh:select ... ]`` (SHACL-AF SPARQL target): the ``?this`` of each row.

Class and subjects-of targets compile to a *generator* (``{ SELECT DISTINCT ?this
WHERE { ... } }``) for checks that go through every focus node, and a *test*
(an expression on a bound ``?this``) for checks that first find the values
breaking a rule and only then ask whether their node is a focus node. SPARQL
targets are run first (one query each); their nodes are then bound with
``VALUES`` and ``IN`` (IRIs and literals, in chunks) or, for blank nodes, which
a query text cannot name, by running the check once per node with ``?this``
substituted. The medkg shapes
write SPARQL targets that select only the nodes breaking a rule, so there are
normally none and the shape's checks are skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from medkg.namespaces import SH
from medkg.shacl.classes import instances, is_instance
from medkg.shacl.errors import ShapeCompileError
from medkg.shacl.prefixes import declared_prefixes
from medkg.shacl.sparql_text import tokens, with_prefixes
from medkg.shacl.terms import OxTerm

CHUNK = 2000  # focus nodes per VALUES block

UNSUPPORTED_TARGETS = (SH.targetNode, SH.targetObjectsOf)


@dataclass(frozen=True)
class Targets:
    """A shape's compiled targets: a generator and test (class / subjects-of targets,
    with class markers, medkg.shacl.classes) or SPARQL target queries, never both."""

    generator: str | None
    test: str | None
    queries: tuple[str, ...]
    classes: tuple[str, ...] = ()  # sh:targetClass IRIs
    subjects_of: tuple[str, ...] = ()  # sh:targetSubjectsOf IRIs


@dataclass(frozen=True)
class Focus:
    """How one run of a check binds ``?this``: `generator` fills the focus slot and
    `test` the focus test; when `node` is set, ``?this`` is substituted by it."""

    generator: str
    test: str
    node: OxTerm | None = None


def compile_targets(shapes: Graph, shape: Node, where: str) -> Targets:
    """The targets of `shape`; `ShapeCompileError` for targets not supported."""
    for unsupported in UNSUPPORTED_TARGETS:
        if (shape, unsupported, None) in shapes:
            raise ShapeCompileError(where, shapes.namespace_manager.normalizeUri(unsupported))
    patterns: list[str] = []
    tests: list[str] = []
    classes: list[str] = []
    subjects_of: list[str] = []
    for target_class in sorted(shapes.objects(shape, SH.targetClass), key=str):
        if not isinstance(target_class, URIRef):
            raise ShapeCompileError(where, "an sh:targetClass that is not an IRI")
        patterns.append(f"{{ {instances('?this', target_class)} }}")
        tests.append(is_instance("?this", target_class))
        classes.append(str(target_class))
    for predicate in sorted(shapes.objects(shape, SH.targetSubjectsOf), key=str):
        if not isinstance(predicate, URIRef):
            raise ShapeCompileError(where, "an sh:targetSubjectsOf that is not an IRI")
        patterns.append(f"{{ ?this {predicate.n3()} ?target_object }}")
        tests.append(f"EXISTS {{ ?this {predicate.n3()} ?target_object }}")
        subjects_of.append(str(predicate))
    queries = tuple(
        _target_query(shapes, target, where)
        for target in sorted(shapes.objects(shape, SH.target), key=str)
    )
    if patterns and queries:
        raise ShapeCompileError(where, "sh:target together with other targets")
    if not patterns:
        return Targets(None, None, queries)
    generator = f"{{ SELECT DISTINCT ?this WHERE {{ {' UNION '.join(patterns)} }} }}"
    test = "(" + " || ".join(tests) + ")"
    return Targets(generator, test, queries, tuple(classes), tuple(subjects_of))


def _target_query(shapes: Graph, target: Node, where: str) -> str:
    selects = list(shapes.objects(target, SH.select))
    if len(selects) != 1:
        raise ShapeCompileError(where, "an sh:target without exactly one sh:select")
    if (target, SH.deactivated, None) in shapes:
        raise ShapeCompileError(where, "sh:deactivated on an sh:target")
    text = with_prefixes(declared_prefixes(shapes, target, where), str(selects[0]))
    if not any(t.kind == "var" and t.text[1:] == "this" for t in tokens(text)):
        raise ShapeCompileError(where, "an sh:target select without ?this")
    try:
        ox.Store().query(text)
    except SyntaxError as error:
        raise ShapeCompileError(
            where, f"an sh:target select that does not parse ({error})"
        ) from error
    return text


def focus_runs(targets: Targets, store: ox.Store) -> Iterator[Focus]:
    """The ways to bind ``?this`` that together give each focus node exactly once."""
    if targets.generator is not None and targets.test is not None:
        yield Focus(targets.generator, targets.test)
        return
    nodes: dict[str, OxTerm] = {}
    for query in targets.queries:
        answer = store.query(query, use_default_graph_as_union=True)
        assert isinstance(answer, ox.QuerySolutions)
        for row in answer:
            node = row["this"]
            if node is not None:
                nodes.setdefault(str(node), node)
    named = [node for node in nodes.values() if not isinstance(node, ox.BlankNode)]
    for start in range(0, len(named), CHUNK):
        chunk = [str(node) for node in named[start : start + CHUNK]]
        yield Focus(f"VALUES ?this {{ {' '.join(chunk)} }}", f"?this IN ({', '.join(chunk)})")
    for node in nodes.values():
        if isinstance(node, ox.BlankNode):
            yield Focus("", "true", node)
