"""Compiled checks: what one shape's constraint components test, as SPARQL fragments.

A check says *what* to test; medkg.shacl.batches turns checks into queries,
merging the checks that read the same triples (every shape listing
``msh:hasEvidence`` reads ``medkg:evidence``) into one query over all their
focus nodes.

Value patterns bind ``?value`` to each value node of ``?this``: ``?this <p>
?value .`` for a property, ``?value <p> ?this .`` for an inverse path.
Conditions are SPARQL expressions, true when a node may break the constraint;
an error counts as true. Where SPARQL and pySHACL could disagree on odd values,
the condition selects candidates and `confirm` (pySHACL's rule,
medkg.shacl.terms) decides on each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rdflib.term import Node

from medkg.shacl.terms import OxTerm


@dataclass(frozen=True)
class Origin:
    """What the report says about the results of one shape: names as `medkg.shacl.validate`
    gives them."""

    shape: str  # the shape's name (prefixed IRI, or a blank node's label)
    path: str  # the path's name ("medkg:start", "^dcterms:hasPart"), "-" for none
    path_text: str  # the path as pySHACL's report text shows it, "" for none
    message: str
    severity: str  # the severity's IRI
    severity_name: str  # "Violation" (medkg.shacl.validate's form)
    severity_text: str  # "sh:Violation" (the report text's form)


@dataclass(frozen=True)
class Found:
    """One validation result."""

    origin: Origin
    component: str  # "MinCountConstraintComponent", ...
    focus: OxTerm
    value: OxTerm | None
    message: str
    path: str
    path_text: str


def found(origin: Origin, component: str, focus: OxTerm, value: OxTerm | None) -> Found:
    """A result with the origin's message and path."""
    return Found(origin, component, focus, value, origin.message, origin.path, origin.path_text)


@dataclass(frozen=True)
class Test:
    """One constraint on one node (``?value``, or ``?this`` for a node shape)."""

    component: str
    condition: str
    confirm: Callable[[Node], bool] | None = None
    reports_value: bool = True  # the result names the node as sh:value


@dataclass(frozen=True)
class ValueCheck:
    """Constraints on each value node along a path (sh:class, sh:datatype,
    sh:nodeKind, sh:minLength, sh:pattern, sh:in, sh:minInclusive, sh:minExclusive,
    sh:or)."""

    origin: Origin
    predicate: str  # the path's property (IRI)
    value_pattern: str
    tests: tuple[Test, ...]


@dataclass(frozen=True)
class NodeCheck:
    """Constraints tested on each focus node in turn, over ``?this`` (also bound as
    ``?value``): a node shape's own value constraints, sh:minCount 1 ("has no
    value") and sh:hasValue."""

    origin: Origin
    tests: tuple[Test, ...]


@dataclass(frozen=True)
class MinCountCheck:
    """sh:minCount above 1: counts the distinct values of each focus node."""

    origin: Origin
    predicate: str  # the path's property (IRI)
    value_pattern: str
    minimum: int


@dataclass(frozen=True)
class MaxCountCheck:
    """sh:maxCount: the nodes with more distinct values, then whether they are focus nodes."""

    origin: Origin
    predicate: str  # the path's property (IRI)
    value_pattern: str
    maximum: int


@dataclass(frozen=True)
class EqualsCheck:
    """sh:equals: every value missing from the other property and every value of the
    other property missing from the values."""

    origin: Origin
    predicate: str  # the path's property (IRI)
    value_pattern: str
    other: str  # the other property, as SPARQL text


@dataclass(frozen=True)
class OrderCheck:
    """sh:lessThan / sh:lessThanOrEquals: one result per (value, other value) pair
    not in order (SPARQL selects the pairs it cannot show in order, pySHACL's rule
    decides)."""

    origin: Origin
    predicate: str  # the path's property (IRI)
    value_pattern: str
    other: str
    or_equal: bool


@dataclass(frozen=True)
class SparqlCheck:
    """A SPARQL-based constraint (sh:sparql) rewritten to run for all focus nodes
    (medkg.shacl.sparql_text). Each distinct row is one result; ``?path`` and
    ``?value`` (else the focus node) come from the row, and the message has its
    ``{?var}`` / ``{$var}`` replaced as pySHACL does."""

    origin: Origin
    text: str
    variables: tuple[str, ...]  # projected, without "this"
    projects_this: bool
    path_name: Callable[[OxTerm], tuple[str, str]]  # a ?path value -> (name, report text)


Check = (
    ValueCheck | NodeCheck | MinCountCheck | MaxCountCheck | EqualsCheck | OrderCheck | SparqlCheck
)
