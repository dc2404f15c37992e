"""RDF terms between pyoxigraph, rdflib and SPARQL text, and pySHACL's own value tests.

Most checks decide in SPARQL. Where SPARQL and pySHACL (which works on rdflib
terms in Python) could disagree on an odd value, the SPARQL query only selects
*candidates* (a superset: every value pySHACL could reject) and the functions at
the end of this module, copies of pySHACL 0.40's rules, decide on each
candidate. Well-formed data has no candidates, so they cost nothing there.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from decimal import Decimal

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from medkg.namespaces import RDF, RDFS, XSD

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

_XSD_STRING = str(XSD.string)


def sparql_term(node: Node) -> str:
    """`node` (an IRI or literal of the shapes graph) as SPARQL text."""
    if isinstance(node, URIRef | Literal):
        return node.n3()
    raise ValueError(f"{node!r} cannot be written in a SPARQL query")


def to_rdflib(term: OxTerm, blank_labels: Mapping[str, str]) -> Node:
    """The rdflib term equal to an oxigraph `term`; blank nodes get their rdflib label
    back when `blank_labels` knows it (the store was loaded from an rdflib graph)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(blank_labels.get(term.value, term.value))
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unsupported RDF term {term!r}")


# --- pySHACL's rules (pyshacl.constraints.core), on rdflib terms -----------------------


def datatype_matches(value: Node, datatype: URIRef) -> bool:
    """DatatypeConstraintComponent: is `value` a well-formed literal of `datatype`?"""
    if not isinstance(value, Literal):
        return False
    if value.datatype == datatype:
        if value.ill_typed is True:
            return False
        return _python_type_matches(value, datatype)
    if datatype == RDFS.Literal:
        return True
    if datatype == RDFS.Datatype and value.datatype:
        return True
    if value.datatype is None and value.language is None and datatype == XSD.string:
        return _python_type_matches(value, datatype)
    if datatype == RDF.langString and value.language:
        return _python_type_matches(value, datatype)
    return False


def _python_type_matches(value: Literal, datatype: URIRef) -> bool:
    expected: dict[URIRef, type | tuple[type, ...]] = {
        XSD.string: (str, bytes),
        RDF.langString: (str, bytes),
        XSD.integer: int,
        XSD.float: float,
        XSD.decimal: Decimal,
        XSD.boolean: bool,
        XSD.date: datetime.date,
        XSD.time: datetime.time,
        XSD.dateTime: datetime.datetime,
    }
    wanted = expected.get(datatype)
    return True if wanted is None else isinstance(value.value, wanted)


def value_string(value: Node) -> str:
    """The string pySHACL's string-based constraints (minLength, pattern) look at."""
    if (
        isinstance(value, Literal)
        and value.value is not None
        and value.datatype in (None, RDF.langString, XSD.string)
    ):
        return str(value.value)
    return str(value)


def min_length_fails(value: Node, minimum: int) -> bool:
    """MinLengthConstraintComponent (minimum > 0): blank nodes always fail."""
    return isinstance(value, BNode) or len(value_string(value)) < minimum


def pattern_fails(value: Node, pattern: re.Pattern[str]) -> bool:
    """PatternConstraintComponent: blank nodes fail; else match or search the string."""
    if isinstance(value, BNode):
        return True
    text = value_string(value)
    return not (pattern.match(text) or pattern.search(text))


def _compare_literal(left: Literal, right: Literal) -> int:
    """pyshacl.rdfutil.compare.compare_literal."""
    if left.eq(right):
        return 0
    if left.value.__class__ in (datetime.datetime, datetime.time):
        if left.value == right.value:
            return 0
        if left.value > right.value:
            return 1
    elif left > right:
        return 1
    return -1


def range_fails(value: Node, bound: Literal, inclusive: bool) -> bool:
    """MinInclusive/MinExclusiveConstraintComponent: is `value` not >= (>) `bound`?"""
    if not isinstance(value, Literal):
        return True
    if isinstance(bound.value, str) != isinstance(value.value, str):
        return True
    try:
        order = _compare_literal(value, bound)
    except (TypeError, NotImplementedError, ArithmeticError):
        # pySHACL lets an ArithmeticError (a NaN decimal) escape and fails the run
        return True
    return order < 0 if inclusive else order <= 0


def _comparable(node: Node) -> tuple[object, bool]:
    """How LessThan(OrEquals)ConstraintComponent sees a node: (value, is a string)."""
    if isinstance(node, URIRef):
        return str(node), True
    if isinstance(node, Literal) and isinstance(node.value, str):
        return node.value, True
    return node, False


def less_than_fails(value: Node, other: Node, or_equal: bool) -> bool:
    """LessThan(OrEquals)ConstraintComponent for one pair of values.

    pySHACL raises (stops validating) when either is a blank node; here that
    pair is a violation.
    """
    if isinstance(value, BNode) or isinstance(other, BNode):
        return True
    left, left_is_string = _comparable(value)
    right, right_is_string = _comparable(other)
    if left_is_string != right_is_string:
        return True
    try:
        return not (left <= right if or_equal else left < right)  # type: ignore[operator]
    except (TypeError, ArithmeticError):
        return True
