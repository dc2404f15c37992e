"""sh:or members as exact SPARQL tests of ``?value``.

A member may use sh:class, sh:nodeKind, sh:in, sh:hasValue, or be a path with
sh:minCount 1 ("has a value there"); anything else raises `ShapeCompileError`
(there is no Python check inside a SPARQL disjunction, so only tests SPARQL
decides exactly as pySHACL are allowed).
"""

from __future__ import annotations

from rdflib.collection import Collection
from rdflib.term import Node

from medkg.namespaces import RDF, SH
from medkg.shacl.errors import ShapeCompileError
from medkg.shacl.shape_context import (
    ShapeContext,
    instance_of,
    lacks,
    node_kind,
    one_of,
    path_pattern,
)

_MEMBER_ANNOTATIONS = {SH.name, SH.description, SH.message, SH.order, SH.group}


def any_member(context: ShapeContext, members: Node) -> str:
    """A test that ``?value`` conforms to at least one shape of the list `members`."""
    alternatives = []
    for index, member in enumerate(Collection(context.shapes, members)):
        where = f"{context.where}, sh:or member {index + 1}"
        alternatives.append(
            _member_conforms(ShapeContext(context.shapes, context.namer, member, where))
        )
    if not alternatives:
        raise ShapeCompileError(context.where, "an empty sh:or list")
    return " || ".join(alternatives)


def _member_conforms(member: ShapeContext) -> str:
    """A SPARQL test that ``?value`` conforms to the sh:or member shape `member`."""
    allowed = {RDF.type, SH.path, SH["class"], SH.nodeKind, SH["in"], SH.hasValue, SH.minCount}
    for predicate in set(member.shapes.predicates(member.node)):
        if predicate not in allowed | _MEMBER_ANNOTATIONS and str(predicate).startswith(str(SH)):
            raise ShapeCompileError(member.where, member.namer.iri(str(predicate)))
    tests = []
    path = member.single(SH.path)
    minimum = member.integer(SH.minCount)
    if path is not None:
        if {SH["class"], SH.nodeKind, SH["in"]} & set(member.shapes.predicates(member.node)):
            raise ShapeCompileError(member.where, "value constraints on a path inside sh:or")
        if minimum not in (None, 0, 1):
            raise ShapeCompileError(member.where, "sh:minCount other than 1 inside sh:or")
        if minimum == 1:
            tests.append(f"EXISTS {{ {path_pattern(member, path, '?value', '?or_value')} }}")
    elif minimum is not None:
        raise ShapeCompileError(member.where, "sh:minCount without sh:path inside sh:or")
    for target_class in member.values(SH["class"]):
        tests.append(instance_of(member, target_class))
    kind = member.single(SH.nodeKind)
    if kind is not None:
        tests.append(f"!({node_kind(member, kind)})")
    listed = member.single(SH["in"])
    if listed is not None:
        tests.append(one_of(member, listed))
    for value in member.values(SH.hasValue):
        tests.append(f"!({lacks(member, path, value, start='?value')})")
    return "(" + " && ".join(tests or ["true"]) + ")"
