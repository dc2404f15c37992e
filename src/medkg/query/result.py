"""The answer of one query, in one shape for the serialisers, the server and the tests
(whose rdflib reference answers are compared with it by value):

- ``kind == "select"``: `variables` (projection order) and `cells`
  (one tuple per solution, `None` where a variable is unbound). Each term is
  a `Value`: plain strings, no RDF library needed (``medkg query`` prints a
  table without importing rdflib). `rows` gives the same table as rdflib
  terms (rdflib is imported on first use);
- ``kind == "ask"``: `boolean`;
- ``kind == "graph"`` (CONSTRUCT, DESCRIBE): `graph`, an rdflib Graph with the
  medkg prefixes bound.

Plain literals are RDF 1.1 simple literals (``datatype`` None, no explicit
``xsd:string``), and a literal's ``value`` is the lexical form rdflib gives it
(``str(rdflib.Literal(...))``), so answers compare equal to rdflib's and
print as they always did. `truncated` is true when a row/triple cap stopped
the result early.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple
from typing import Literal as TypingLiteral

if TYPE_CHECKING:
    from rdflib import BNode, Graph, Literal, URIRef

    Term = URIRef | Literal | BNode
    Row = tuple[Term | None, ...]

ResultKind = TypingLiteral["select", "ask", "graph"]
ValueKind = TypingLiteral["uri", "bnode", "literal"]


class Value(NamedTuple):
    """An RDF term as plain strings: an IRI, a blank node label or a literal.

    `language` is set for language-tagged literals; `datatype` is the IRI of a
    typed literal and None for simple literals (``xsd:string``) and
    language-tagged ones.
    """

    kind: ValueKind
    value: str
    language: str | None = None
    datatype: str | None = None


CellRow = tuple[Value | None, ...]


def to_rdflib(value: Value) -> Term:
    """The rdflib term equal to `value` (imports rdflib)."""
    from rdflib import BNode, Literal, URIRef

    if value.kind == "uri":
        return URIRef(value.value)
    if value.kind == "bnode":
        return BNode(value.value)
    if value.language:
        return Literal(value.value, lang=value.language)
    if value.datatype is None:
        return Literal(value.value)
    return Literal(value.value, datatype=URIRef(value.datatype))


@dataclass(frozen=True)
class Result:
    """One query answer; see the module docstring for which fields each kind uses."""

    kind: ResultKind
    variables: tuple[str, ...] = ()
    cells: tuple[CellRow, ...] = ()
    boolean: bool | None = None
    graph: Graph | None = None
    truncated: bool = False

    @cached_property
    def rows(self) -> tuple[Row, ...]:
        """SELECT rows as rdflib terms (`None` where unbound)."""
        return tuple(
            tuple(None if value is None else to_rdflib(value) for value in row)
            for row in self.cells
        )

    def dicts(self) -> list[dict[str, Term]]:
        """SELECT rows as ``{variable: term}`` dicts, unbound variables left out."""
        return [
            {name: term for name, term in zip(self.variables, row, strict=True) if term is not None}
            for row in self.rows
        ]

    def value_dicts(self) -> list[dict[str, Value]]:
        """SELECT rows as ``{variable: Value}`` dicts, unbound variables left out."""
        return [
            {name: cell for name, cell in zip(self.variables, row, strict=True) if cell is not None}
            for row in self.cells
        ]

    def values(self) -> list[dict[str, str]]:
        """SELECT rows as ``{variable: str(term)}`` (lexical form / IRI), unbound left out."""
        return [{name: value.value for name, value in row.items()} for row in self.value_dicts()]

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        if self.kind == "graph" and self.graph is not None:
            return len(self.graph)
        return len(self.cells)
