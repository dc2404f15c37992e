"""The reference query engine of the tests: rdflib's in-memory Dataset behind medkg's `Store`
protocol, so `medkg.query.run_query` binds parameters for it exactly as for the production
store (pyoxigraph) and the answers compare by value.

rdflib is slow on the largest competency query: about a minute of CPU for ``cross-source``
on the two seeds (pyoxigraph: milliseconds), so the parity tests leave that one query to
its own expected-answer tests (tests/test_query.py) and ask rdflib every other one."""

from __future__ import annotations

from pathlib import Path

from pyparsing import ParseException
from rdflib import Dataset, Graph

from medkg.namespaces import PREFIXES
from medkg.query import QuerySyntaxError, Result
from medkg.query.result import to_rdflib
from medkg.query.store import GRAPH_FILE, value_from_rdflib

SLOW_IN_RDFLIB = frozenset({"cross-source"})


class RdflibStore:
    """rdflib's Dataset of ``<data_dir>/medkg.nq``, its default graph the union of the named
    graphs (as in the production store)."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._dataset = Dataset(default_union=True)
        self._dataset.parse(data_dir / GRAPH_FILE, format="nquads")

    def __len__(self) -> int:
        return len(set(self._dataset.triples((None, None, None))))

    def lookup_names(self, value: str) -> None:
        return None  # no name index: name slots are left to the FILTER

    def nearest_names(self, value: str, limit: int = 5) -> list[str]:
        return []  # no name index

    def execute(
        self, text: str, *, max_rows: int | None = None, deadline: float | None = None
    ) -> Result:
        try:
            answer = self._dataset.query(text)
        except ParseException as error:
            raise QuerySyntaxError("query", error.lineno, error.col, str(error.msg)) from error
        if answer.type == "ASK":
            return Result(kind="ask", boolean=bool(answer.askAnswer))
        if answer.type == "SELECT":
            return Result(
                kind="select",
                variables=tuple(str(variable) for variable in answer.vars or ()),
                cells=tuple(
                    tuple(None if term is None else value_from_rdflib(term) for term in row)
                    for row in answer
                ),
            )
        graph = Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace, replace=True)
        source = answer.graph if answer.graph is not None else Graph()
        for triple in source.triples((None, None, None)):
            graph.add(tuple(to_rdflib(value_from_rdflib(term)) for term in triple))
        return Result(kind="graph", graph=graph)
