"""The engine-independent answer of one query.

Whatever store ran the query, the answer is expressed in rdflib terms so that
serialisers, tests and the server see one shape:

- ``kind == "select"``: `variables` (projection order) and `rows` (one tuple per
  solution, `None` where a variable is unbound);
- ``kind == "ask"``: `boolean`;
- ``kind == "graph"`` (CONSTRUCT, DESCRIBE): `graph`, an rdflib Graph with the
  medkg prefixes bound.

Plain literals are normalised to RDF 1.1 simple literals (no explicit
``xsd:string`` datatype), so answers compare equal across engines.
`truncated` is true when a row/triple cap stopped the result early.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal as TypingLiteral

from rdflib import BNode, Graph, Literal, URIRef

Term = URIRef | Literal | BNode
Row = tuple[Term | None, ...]
ResultKind = TypingLiteral["select", "ask", "graph"]


@dataclass(frozen=True)
class Result:
    """One query answer; see the module docstring for which fields each kind uses."""

    kind: ResultKind
    variables: tuple[str, ...] = ()
    rows: tuple[Row, ...] = ()
    boolean: bool | None = None
    graph: Graph | None = None
    truncated: bool = False
    engine: str = field(default="", compare=False)

    def dicts(self) -> list[dict[str, Term]]:
        """SELECT rows as ``{variable: term}`` dicts, unbound variables left out."""
        return [
            {name: term for name, term in zip(self.variables, row, strict=True) if term is not None}
            for row in self.rows
        ]

    def values(self) -> list[dict[str, str]]:
        """SELECT rows as ``{variable: str(term)}`` (lexical form / IRI), unbound left out."""
        return [{name: str(term) for name, term in row.items()} for row in self.dicts()]

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        if self.kind == "graph" and self.graph is not None:
            return len(self.graph)
        return len(self.rows)
