"""One shape's constraint components as checks (medkg.shacl.checks).

Supported, as pySHACL 0.40 evaluates them:

- on each value node: sh:class (``rdf:type/rdfs:subClassOf*``), sh:datatype,
  sh:nodeKind, sh:minLength, sh:pattern (with sh:flags), sh:in,
  sh:minInclusive, sh:minExclusive, sh:or (members using sh:class, sh:nodeKind,
  sh:in, sh:hasValue, or a path with sh:minCount 1);
- on each focus node: sh:minCount, sh:maxCount, sh:hasValue, sh:equals,
  sh:lessThan, sh:lessThanOrEquals (property shapes).

SPARQL-based constraints are in medkg.shacl.sparql_constraints, sh:or members in
medkg.shacl.or_members. Anything else raises `ShapeCompileError` naming the
shape and the construct.
"""

from __future__ import annotations

import re

from rdflib import Literal, URIRef
from rdflib.term import Node

from medkg.namespaces import RDF, RDFS, SH, XSD
from medkg.shacl.checks import (
    Check,
    EqualsCheck,
    MaxCountCheck,
    MinCountCheck,
    NodeCheck,
    OrderCheck,
    Origin,
    Test,
    ValueCheck,
)
from medkg.shacl.errors import ShapeCompileError
from medkg.shacl.or_members import any_member
from medkg.shacl.shape_context import (
    ShapeContext,
    instance_of,
    lacks,
    node_kind,
    one_of,
    path_pattern,
    path_predicate,
    value_pattern,
)
from medkg.shacl.terms import (
    datatype_matches,
    min_length_fails,
    pattern_fails,
    range_fails,
    sparql_term,
)

_CASTABLE = {
    XSD.integer,
    XSD.decimal,
    XSD.boolean,
    XSD.double,
    XSD.float,
    XSD.date,
    XSD.dateTime,
    XSD.time,
}
_STRINGS = {XSD.string, RDF.langString}


def value_checks(context: ShapeContext, origin: Origin, path: Node | None) -> list[Check]:
    """The checks of the constraints on each value node (of the path, or the focus node)."""
    tests: list[Test] = []
    for target_class in context.values(SH["class"]):
        tests.append(Test("ClassConstraintComponent", f"!{instance_of(context, target_class)}"))
    datatype = context.single(SH.datatype)
    if datatype is not None:
        tests.append(_datatype_test(context, datatype))
    kind = context.single(SH.nodeKind)
    if kind is not None:
        tests.append(Test("NodeKindConstraintComponent", node_kind(context, kind)))
    minimum_length = context.integer(SH.minLength)
    if minimum_length:
        tests.append(_min_length_test(minimum_length))
    for regex in _patterns(context):
        tests.append(_pattern_test(regex))
    listed = context.single(SH["in"])
    if listed is not None:
        tests.append(Test("InConstraintComponent", f"!{one_of(context, listed)}"))
    for bound in context.values(SH.minInclusive):
        tests.append(_range_test(context, bound, inclusive=True))
    for bound in context.values(SH.minExclusive):
        tests.append(_range_test(context, bound, inclusive=False))
    for members in context.values(SH["or"]):
        tests.append(Test("OrConstraintComponent", f"!({any_member(context, members)})"))
    if not tests:
        return []
    if path is None:
        return [NodeCheck(origin, tuple(tests))]
    predicate = path_predicate(context, path)
    return [ValueCheck(origin, predicate, value_pattern(context, path), tuple(tests))]


def focus_checks(context: ShapeContext, origin: Origin, path: Node | None) -> list[Check]:
    """The checks of the constraints on each focus node's set of values."""
    checks: list[Check] = []
    tests: list[Test] = []
    minimum, maximum = context.integer(SH.minCount), context.integer(SH.maxCount)
    if path is None:
        if minimum is not None or maximum is not None:
            raise ShapeCompileError(context.where, "sh:minCount / sh:maxCount on a node shape")
    else:
        pattern, predicate = value_pattern(context, path), path_predicate(context, path)
        if minimum == 1:
            lacking = f"NOT EXISTS {{ {path_pattern(context, path, '?this', '?count_value')} }}"
            tests.append(Test("MinCountConstraintComponent", lacking, reports_value=False))
        elif minimum:
            checks.append(MinCountCheck(origin, predicate, pattern, minimum))
        if maximum is not None:
            checks.append(MaxCountCheck(origin, predicate, pattern, maximum))
    for value in context.values(SH.hasValue):
        tests.append(
            Test("HasValueConstraintComponent", lacks(context, path, value), reports_value=False)
        )
    for predicate, kind in ((SH.equals, "="), (SH.lessThan, "<"), (SH.lessThanOrEquals, "<=")):
        for other in context.values(predicate):
            if path is None or not isinstance(other, URIRef):
                raise ShapeCompileError(
                    context.where, f"{context.namer.iri(str(predicate))} without a path or property"
                )
            pattern, predicate = value_pattern(context, path), path_predicate(context, path)
            if kind == "=":
                checks.append(EqualsCheck(origin, predicate, pattern, other.n3()))
            else:
                checks.append(
                    OrderCheck(origin, predicate, pattern, other.n3(), or_equal=kind == "<=")
                )
    if tests:
        checks.append(NodeCheck(origin, tuple(tests)))
    return checks


def _datatype_test(context: ShapeContext, datatype: Node) -> Test:
    if not isinstance(datatype, URIRef):
        raise ShapeCompileError(context.where, "an sh:datatype that is not an IRI")
    if datatype == RDFS.Literal:
        return Test("DatatypeConstraintComponent", "!isLiteral(?value)")
    if datatype in _STRINGS:
        valid = "true"
    elif datatype in _CASTABLE:
        valid = f"COALESCE({datatype.n3()}(?value) = {datatype.n3()}(?value), false)"
    else:
        valid = "false"  # no SPARQL test of its lexical space: pySHACL's rule decides on each
    condition = f"!(isLiteral(?value) && datatype(?value) = {datatype.n3()} && {valid})"

    def fails(value: Node) -> bool:
        return not datatype_matches(value, datatype)

    return Test("DatatypeConstraintComponent", condition, fails)


def _min_length_test(minimum: int) -> Test:
    # Non-string literals are always candidates: oxigraph writes some canonically
    # ("210" for "210.0"), so their SPARQL length may differ from rdflib's.
    condition = (
        f"isBlank(?value) || STRLEN(STR(?value)) < {minimum} || (isLiteral(?value)"
        f" && !(datatype(?value) IN ({XSD.string.n3()}, {RDF.langString.n3()})))"
    )

    def fails(value: Node) -> bool:
        return min_length_fails(value, minimum)

    return Test("MinLengthConstraintComponent", condition, fails)


def _pattern_test(regex: re.Pattern[str]) -> Test:
    # every value is a candidate: Python's re decides, as in pySHACL
    def fails(value: Node) -> bool:
        return pattern_fails(value, regex)

    return Test("PatternConstraintComponent", "true", fails)


def _range_test(context: ShapeContext, bound: Node, inclusive: bool) -> Test:
    if not isinstance(bound, Literal):
        raise ShapeCompileError(context.where, "a non-literal sh:minInclusive / sh:minExclusive")
    operator = ">=" if inclusive else ">"
    component = (
        "MinInclusiveConstraintComponent" if inclusive else "MinExclusiveConstraintComponent"
    )

    def fails(value: Node) -> bool:
        return range_fails(value, bound, inclusive)

    return Test(component, f"!(?value {operator} {sparql_term(bound)})", fails)


def _patterns(context: ShapeContext) -> list[re.Pattern[str]]:
    patterns = context.values(SH.pattern)
    flags_value = context.single(SH.flags)
    flags = 0
    if flags_value is not None:
        written = str(flags_value).lower()
        flags = (re.I if "i" in written else 0) | (re.M if "m" in written else 0)
    compiled = []
    for pattern in patterns:
        if not isinstance(pattern, Literal):
            raise ShapeCompileError(context.where, "an sh:pattern that is not a literal")
        compiled.append(re.compile(str(pattern), flags))
    return compiled
