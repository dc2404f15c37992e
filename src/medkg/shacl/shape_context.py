"""Reading one shape of the shapes graph, and the SPARQL tests several constraints share.

`ShapeContext` reads a shape's parameters (one value or several, an integer),
raising `ShapeCompileError` with the shape's name. Paths are a property or
``[ sh:inversePath <p> ]``; any other path is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from medkg.namespaces import SH
from medkg.shacl.classes import is_instance
from medkg.shacl.errors import ShapeCompileError
from medkg.shacl.names import Namer
from medkg.shacl.terms import sparql_term

NODE_KINDS = {  # sh:nodeKind -> a test that ?value is NOT of that kind
    SH.IRI: "!isIRI(?value)",
    SH.Literal: "!isLiteral(?value)",
    SH.BlankNode: "!isBlank(?value)",
    SH.BlankNodeOrIRI: "isLiteral(?value)",
    SH.BlankNodeOrLiteral: "isIRI(?value)",
    SH.IRIOrLiteral: "isBlank(?value)",
}


@dataclass(frozen=True)
class ShapeContext:
    """What compiling one shape needs: the shapes graph, its namer, and the shape."""

    shapes: Graph
    namer: Namer
    node: Node
    where: str  # names the shape in errors

    def values(self, predicate: URIRef) -> list[Node]:
        return sorted(self.shapes.objects(self.node, predicate), key=str)

    def single(self, predicate: URIRef) -> Node | None:
        found = self.values(predicate)
        if len(found) > 1:
            raise ShapeCompileError(self.where, f"several {self.namer.iri(str(predicate))}")
        return found[0] if found else None

    def integer(self, predicate: URIRef) -> int | None:
        value = self.single(predicate)
        if value is None:
            return None
        if not (isinstance(value, Literal) and isinstance(value.value, int)):
            raise ShapeCompileError(self.where, f"a non-integer {self.namer.iri(str(predicate))}")
        return int(value.value)


def path_pattern(context: ShapeContext, path: Node, start: str, end: str) -> str:
    """A triple pattern linking `start` to `end` along `path` (a property or an inverse)."""
    if isinstance(path, URIRef):
        return f"{start} {path.n3()} {end} ."
    inverse = context.shapes.value(path, SH.inversePath)
    only_inverse = isinstance(path, BNode) and len(set(context.shapes.predicate_objects(path))) == 1
    if only_inverse and isinstance(inverse, URIRef):
        return f"{end} {inverse.n3()} {start} ."
    raise ShapeCompileError(context.where, "an sh:path other than a property or sh:inversePath")


def path_predicate(context: ShapeContext, path: Node) -> str:
    """The property a path follows (forwards or backwards)."""
    path_pattern(context, path, "?s", "?o")  # refuses other paths
    return str(path if isinstance(path, URIRef) else context.shapes.value(path, SH.inversePath))


def value_pattern(context: ShapeContext, path: Node) -> str:
    """The pattern binding ``?value`` to each value node of ``?this`` along `path`."""
    return path_pattern(context, path, "?this", "?value")


def node_kind(context: ShapeContext, kind: Node) -> str:
    """The test that ``?value`` is not of the sh:nodeKind `kind`."""
    if not isinstance(kind, URIRef) or kind not in NODE_KINDS:
        raise ShapeCompileError(context.where, f"the sh:nodeKind {kind}")
    return NODE_KINDS[kind]


def instance_of(context: ShapeContext, target_class: Node) -> str:
    if not isinstance(target_class, URIRef):
        raise ShapeCompileError(context.where, "an sh:class that is not an IRI")
    return is_instance("?value", target_class)


def one_of(context: ShapeContext, listed: Node) -> str:
    items = list(Collection(context.shapes, listed))
    if any(not isinstance(item, URIRef | Literal) for item in items):
        raise ShapeCompileError(context.where, "an sh:in list with a blank node")
    if not items:
        return "false"
    return "(" + " || ".join(f"sameTerm(?value, {sparql_term(item)})" for item in items) + ")"


def lacks(context: ShapeContext, path: Node | None, value: Node, start: str = "?this") -> str:
    """A test that `start` does not have `value` (along `path`, or as itself)."""
    if not isinstance(value, URIRef | Literal):
        raise ShapeCompileError(context.where, "an sh:hasValue that is a blank node")
    if path is None:
        return f"!sameTerm({start}, {sparql_term(value)})"
    return f"NOT EXISTS {{ {path_pattern(context, path, start, sparql_term(value))} }}"
