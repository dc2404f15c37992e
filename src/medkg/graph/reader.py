"""`GraphReader`: the read methods the exports use on a graph.

The build hands its consumers (FHIR, JSON-LD, the build report, metadata,
the cluster stage) a `medkg.graph.quads.TripleIndex`; the reference path and
the tests may hand them an rdflib `Graph`, which has the same methods. Both
answer a pattern with the same triples; terms are rdflib `URIRef`/`Literal`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from rdflib.term import Node

Triple = tuple[Node, Node, Node]
Pattern = tuple[Node | None, Node | None, Node | None]


class GraphReader(Protocol):
    """A set of triples, asked by pattern (None matches any term)."""

    def __len__(self) -> int: ...

    def __iter__(self) -> Iterator[Triple]: ...

    def __contains__(self, pattern: Pattern) -> bool: ...

    def triples(self, pattern: Pattern) -> Iterator[Triple]: ...

    def objects(
        self, subject: Node | None = None, predicate: Node | None = None
    ) -> Iterator[Node]: ...

    def subjects(
        self, predicate: Node | None = None, object: Node | None = None
    ) -> Iterator[Node]: ...

    def predicates(
        self, subject: Node | None = None, object: Node | None = None
    ) -> Iterator[Node]: ...

    def value(
        self,
        subject: Node | None = None,
        predicate: Node | None = ...,
        object: Node | None = None,
        default: Node | None = None,
    ) -> Node | None: ...
