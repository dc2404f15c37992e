"""``medkg.ttl``: the union of all named graphs as sorted, diff-friendly Turtle.

`TurtleWriter` writes Turtle straight from N-Triples statements given in
sorted order (as ``medkg.nq`` holds them), one subject at a time, so a graph
of any size is written with one subject in memory. The rules:

* every prefix of `medkg.namespaces.PREFIXES` is declared (sorted by name);
* an IRI is written as a prefixed name when it starts with one of those
  namespaces and the rest is a safe local name (ASCII letters, digits, ``_``,
  ``-`` and inner ``.``: no escapes needed), else as ``<IRI>``;
* literals are written as N-Triples writes them (a datatype IRI may become a
  prefixed name);
* one block per subject, in the order given: ``a`` (rdf:type) first, then
  the other predicates in the order given, each predicate once with its
  objects separated by ``,``, one per line when there are several; a block
  ends with ``.`` and a blank line.

The same statements in the same order always give the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from rdflib import Dataset, Graph

from medkg.export import nquads
from medkg.graph.quads import Quads
from medkg.namespaces import PREFIXES, RDF

FILE = "medkg.ttl"

_SAFE_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?")
_TYPE = f"<{RDF.type}>"
_CACHE_LIMIT = 50_000  # terms remembered (predicates, classes, datatypes repeat)


def union_graph(dataset: Dataset) -> Graph:
    """Every triple of every named graph in one rdflib graph, with medkg's prefixes bound
    (the reference path and tests; the build reads `medkg.graph.quads.Quads.union`)."""
    union = Graph()
    for prefix, namespace in PREFIXES.items():
        union.bind(prefix, namespace, override=True, replace=True)
    for graph in dataset.graphs():
        for triple in graph:
            union.add(triple)
    return union


def iri(value: str) -> str:
    """An IRI as an N-Triples term."""
    return f"<{value}>"


def literal(text: str, datatype: str | None = None) -> str:
    """A literal as an N-Triples term (``\\``, ``"``, line feed and carriage return escaped)."""
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"' + (f"^^<{datatype}>" if datatype else "")


def split_statement(statement: str) -> tuple[str, str, str]:
    """``<s> <p> object`` (an N-Triples line without `` .``) -> its three terms.

    Subjects and predicates are IRIs, which hold no spaces; the object is the rest.
    """
    first = statement.index(" ")
    second = statement.index(" ", first + 1)
    return statement[:first], statement[first + 1 : second], statement[second + 1 :]


class Terms:
    """How terms are written (see the module docstring), remembering frequent ones."""

    def __init__(self, prefixes: Mapping[str, str] = PREFIXES):
        self._namespaces = sorted(
            ((namespace, prefix) for prefix, namespace in prefixes.items()),
            key=lambda item: (-len(item[0]), item[1]),
        )
        self._cache: dict[str, str] = {}

    def iri(self, term: str) -> str:
        """``<IRI>`` as a prefixed name when safe, else unchanged."""
        known = self._cache.get(term)
        if known is not None:
            return known
        iri = term[1:-1]
        written = term
        for namespace, prefix in self._namespaces:
            if iri.startswith(namespace) and _SAFE_LOCAL.fullmatch(iri, len(namespace)):
                written = f"{prefix}:{iri[len(namespace) :]}"
                break
        if len(self._cache) < _CACHE_LIMIT:
            self._cache[term] = written
        return written

    def term(self, term: str) -> str:
        if term.startswith("<"):
            return self.iri(term)
        if term.endswith(">"):  # a typed literal: "lexical"^^<datatype>
            cut = term.rindex('"^^<') + 3
            return term[:cut] + self.iri(term[cut:])
        return term

    def block(self, subject: str, pairs: Sequence[tuple[str, str]]) -> str:
        """One subject's block from its (predicate, object) pairs in order, ending in a
        blank line."""
        ordered = [pair for pair in pairs if pair[0] == _TYPE]
        ordered += [pair for pair in pairs if pair[0] != _TYPE]
        lines = [self.iri(subject)]
        index = 0
        while index < len(ordered):
            predicate = ordered[index][0]
            end = index + 1
            while end < len(ordered) and ordered[end][0] == predicate:
                end += 1
            verb = "a" if predicate == _TYPE else self.iri(predicate)
            if end - index == 1:
                lines.append(f"    {verb} {self.term(ordered[index][1])} ;")
            else:
                values = " ,\n".join(f"        {self.term(o)}" for _, o in ordered[index:end])
                lines.append(f"    {verb}\n{values} ;")
            index = end
        lines.append(".\n\n")
        return "\n".join(lines)


def header(prefixes: Mapping[str, str] = PREFIXES) -> bytes:
    """The prefix declarations, sorted by prefix, and a blank line."""
    return ("".join(f"@prefix {p}: <{prefixes[p]}> .\n" for p in sorted(prefixes)) + "\n").encode()


def blocks(sorted_statements: Iterable[str], terms: Terms) -> Iterator[tuple[str, str]]:
    """(subject, block) for statements given in sorted order (a subject's adjacent)."""
    subject: str | None = None
    pairs: list[tuple[str, str]] = []
    for statement in sorted_statements:
        first, predicate, value = split_statement(statement)
        if first != subject:
            if subject is not None:
                yield subject, terms.block(subject, pairs)
            subject, pairs = first, []
        pairs.append((predicate, value))
    if subject is not None:
        yield subject, terms.block(subject, pairs)


class TurtleWriter:
    """Turtle from N-Triples statements in sorted order (see the module docstring)."""

    def __init__(self, write: Callable[[bytes], object], prefixes: Mapping[str, str] = PREFIXES):
        self._write = write
        self.terms = Terms(prefixes)
        write(header(prefixes))

    def add_all(self, sorted_statements: Iterable[str]) -> None:
        """Statements ``<s> <p> o`` (no final `` .``) in sorted order."""
        for _, block in blocks(sorted_statements, self.terms):
            self.write_block(block)

    def write_block(self, block: str | bytes) -> None:
        """A finished block (`Terms.block`), in its place in the subject order."""
        self._write(block.encode("utf-8") if isinstance(block, str) else block)

    def close(self) -> None:
        """Nothing is buffered: every block is written when complete."""


def statements(nquads: Iterable[str]) -> Iterable[str]:
    """The distinct statements (``<s> <p> o``) of sorted N-Quads lines, in their order.

    The same statement in several graphs gives adjacent lines, so each is kept once.
    """
    previous = None
    for line in nquads:
        statement = line[: line.rindex(" ", 0, len(line) - 2)]
        if statement != previous:
            yield statement
            previous = statement


def serialise_statements(sorted_statements: Iterable[str]) -> bytes:
    """Turtle of statements given in sorted order."""
    chunks: list[bytes] = []
    writer = TurtleWriter(chunks.append)
    writer.add_all(sorted_statements)
    writer.close()
    return b"".join(chunks)


def serialise(graph: Graph) -> bytes:
    """The Turtle of a graph (its N-Triples statements sorted)."""
    lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").split("\n")
    return serialise_statements(sorted({line[:-2] for line in lines if line.endswith(" .")}))


def export(dataset: Quads | Dataset) -> dict[str, bytes]:
    return {FILE: serialise_statements(statements(nquads.lines(dataset)))}
