"""The read-only store a query runs against, loaded once per process from a built dataset.

`load_store(data_dir)` reads ``<data_dir>/medkg.nq`` (written by `medkg build`):
each source document's named graph stays a named graph (reachable with
``GRAPH``), and the **default graph is the merge** of all of them (each triple
once), so a plain query sees the whole knowledge graph.

Two engines sit behind one `Store` protocol:

- ``"oxigraph"`` (default): pyoxigraph's in-memory store. Chosen by
  measurement (benchmarks/RESULTS-query-store.md): it loads and answers the
  competency queries one to two orders of magnitude faster than rdflib.
- ``"rdflib"``: rdflib's in-memory Dataset, kept to check that both engines
  give identical answers and for the benchmark.

A store never changes after loading: `Store.execute` runs SPARQL 1.1 *queries*
only (SELECT, ASK, CONSTRUCT, DESCRIBE); update requests do not parse as queries.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol, TypeVar

import pyoxigraph as ox
from pyparsing import ParseException
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.query import Result as RdflibResult

from medkg.namespaces import PREFIXES
from medkg.query.errors import DataMissing, QuerySyntaxError, QueryTimeout
from medkg.query.result import Result, Row, Term

GRAPH_FILE = "medkg.nq"
REPORT_FILE = "validation-report.ttl"
ENGINES = ("oxigraph", "rdflib")
DEFAULT_ENGINE = "oxigraph"

T = TypeVar("T")


class Store(Protocol):
    """A loaded, read-only dataset that answers SPARQL 1.1 queries.

    `execute` runs the text as given (parameters are bound by
    `medkg.query.run_query`, which you normally call instead). It raises
    `QuerySyntaxError` (with 1-based line and column when the engine gives
    them) and `QueryTimeout` when `deadline` (a `time.monotonic()` value) has
    passed between two rows. `max_rows` caps SELECT rows / graph triples and
    sets `Result.truncated`.
    """

    engine: str
    data_dir: Path

    def execute(
        self, text: str, *, max_rows: int | None = None, deadline: float | None = None
    ) -> Result: ...

    def __len__(self) -> int:
        """Number of triples in the default (merged) graph."""
        ...


def load_store(data_dir: Path | str, engine: str = DEFAULT_ENGINE) -> Store:
    """Load ``<data_dir>/medkg.nq`` into a new in-memory store of `engine`.

    Raises `DataMissing` (telling to run `medkg build`) when the folder, its
    ``medkg.nq`` or its ``validation-report.ttl`` is missing, or when the
    N-Quads cannot be parsed.
    """
    folder = Path(data_dir)
    nquads = _built_file(folder)
    if engine == "oxigraph":
        return OxigraphStore.load(folder, nquads)
    if engine == "rdflib":
        return RdflibStore.load(folder, nquads)
    raise ValueError(f"unknown store engine {engine!r}; choose one of {', '.join(ENGINES)}")


def _built_file(folder: Path) -> Path:
    """The N-Quads file of a finished build in `folder`, or `DataMissing` saying what to do."""
    if not folder.is_dir():
        raise DataMissing(
            f"{folder}/ does not exist: there is no built graph to query. "
            "Run `medkg build` first (or point --data at a folder it wrote)."
        )
    nquads = folder / GRAPH_FILE
    if not nquads.is_file():
        raise DataMissing(
            f"{nquads} is missing: {folder}/ is not a folder written by `medkg build`. "
            "Run `medkg build` first (or point --data at a folder it wrote)."
        )
    if not (folder / REPORT_FILE).is_file():
        raise DataMissing(
            f"{folder / REPORT_FILE} is missing: {folder}/ is not a complete build. "
            "Run `medkg build` to rebuild it."
        )
    return nquads


def _unreadable(nquads: Path, problem: object) -> DataMissing:
    return DataMissing(f"{nquads} cannot be read ({problem}). Run `medkg build` to rebuild it.")


# --- oxigraph --------------------------------------------------------------------------

_OX_XSD_STRING = str(XSD.string)
_OX_XSD_DECIMAL = str(XSD.decimal)
_MERGE_INTO_DEFAULT = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
_OX_POSITION = re.compile(r"error at (\d+):(\d+): ")


def from_oxigraph(term: object) -> Term:
    """An oxigraph term as the equal rdflib term.

    ``xsd:string`` literals become simple literals; ``xsd:decimal`` keeps the
    dataset's form with a fraction part (``210.0``), which oxigraph shortens.
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _OX_XSD_STRING:
            return Literal(term.value)
        if datatype == _OX_XSD_DECIMAL and not any(mark in term.value for mark in ".eE"):
            # oxigraph shortens "210.0" to "210"; keep the dataset's canonical form
            return Literal(f"{term.value}.0", datatype=URIRef(datatype))
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unsupported RDF term in a query result: {term!r}")


class OxigraphStore:
    """pyoxigraph in-memory store; the default graph holds the merge of the named graphs."""

    engine = "oxigraph"

    def __init__(self, data_dir: Path, store: ox.Store):
        self.data_dir = data_dir
        self._store = store

    @classmethod
    def load(cls, data_dir: Path, nquads: Path) -> OxigraphStore:
        store = ox.Store()
        try:
            store.load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        except (SyntaxError, OSError, ValueError) as error:
            raise _unreadable(nquads, error) from error
        # The default graph is the merge of the named graphs (set semantics: each triple once).
        store.update(_MERGE_INTO_DEFAULT)
        return cls(data_dir, store)

    def __len__(self) -> int:
        return sum(1 for _ in self._store.quads_for_pattern(None, None, None, ox.DefaultGraph()))

    def execute(
        self, text: str, *, max_rows: int | None = None, deadline: float | None = None
    ) -> Result:
        try:
            answer = self._store.query(text)
        except SyntaxError as error:
            raise oxigraph_syntax_error(str(error)) from error
        if isinstance(answer, ox.QueryBoolean):
            return Result(kind="ask", boolean=bool(answer), engine=self.engine)
        if isinstance(answer, ox.QuerySolutions):
            names = tuple(variable.value for variable in answer.variables)
            rows, truncated = _take(
                (
                    tuple(
                        None if solution[name] is None else from_oxigraph(solution[name])
                        for name in names
                    )
                    for solution in answer
                ),
                max_rows,
                deadline,
            )
            return Result(
                kind="select", variables=names, rows=rows, truncated=truncated, engine=self.engine
            )
        triples, truncated = _take(
            (
                (
                    from_oxigraph(triple.subject),
                    from_oxigraph(triple.predicate),
                    from_oxigraph(triple.object),
                )
                for triple in answer
            ),
            max_rows,
            deadline,
        )
        return Result(kind="graph", graph=_graph(triples), truncated=truncated, engine=self.engine)


def oxigraph_syntax_error(message: str, query: str = "query") -> QuerySyntaxError:
    """Oxigraph's ``error at L:C: …`` message as a `QuerySyntaxError` with line and column."""
    found = _OX_POSITION.match(message)
    problem = _tidy(" ".join((message[found.end() :] if found else message).split()))
    if found:
        return QuerySyntaxError(query, int(found.group(1)), int(found.group(2)), problem)
    return QuerySyntaxError(query, None, None, problem)


_CHAR_CLASS = re.compile(r"\[[^\]]*\]")
_ALTERNATIVE = re.compile(r'"(?:[^"\\]|\\.)*"|[^,]+')


def _tidy(problem: str) -> str:
    """Oxigraph's "expected one of ..." without character classes, cut to a readable length.

    A sentence among the alternatives (e.g. "Prefix not found") is the real
    message and is returned on its own.
    """
    if not problem.startswith("expected one of "):
        return problem if len(problem) <= 300 else problem[:297] + "..."
    body = _CHAR_CLASS.sub("", problem[len("expected one of ") :])
    options = [part.strip() for part in _ALTERNATIVE.findall(body) if part.strip()]
    sentences = [part for part in options if " " in part and not part.startswith('"')]
    if sentences:
        return "; ".join(sentences)
    if not options:
        return "unexpected character"
    shown = ", ".join(options[:8]) + (", ..." if len(options) > 8 else "")
    return f"expected one of {shown}"


# --- rdflib ----------------------------------------------------------------------------


def from_rdflib(term: object) -> Term:
    """An rdflib result term with ``xsd:string`` literals made simple literals."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    if isinstance(term, URIRef | Literal | BNode):
        return term
    raise TypeError(f"unsupported RDF term in a query result: {term!r}")


class RdflibStore:
    """rdflib in-memory Dataset whose default graph is the union of its named graphs."""

    engine = "rdflib"

    def __init__(self, data_dir: Path, dataset: Dataset):
        self.data_dir = data_dir
        self._dataset = dataset

    @classmethod
    def load(cls, data_dir: Path, nquads: Path) -> RdflibStore:
        dataset = Dataset(default_union=True)
        try:
            dataset.parse(nquads, format="nquads")
        except (SyntaxError, OSError, ValueError) as error:
            raise _unreadable(nquads, error) from error
        return cls(data_dir, dataset)

    def __len__(self) -> int:
        return len(set(self._dataset.triples((None, None, None))))

    def execute(
        self, text: str, *, max_rows: int | None = None, deadline: float | None = None
    ) -> Result:
        try:
            answer: RdflibResult = self._dataset.query(text)
        except ParseException as error:
            raise QuerySyntaxError("query", error.lineno, error.col, str(error.msg)) from error
        if answer.type == "ASK":
            return Result(kind="ask", boolean=bool(answer.askAnswer), engine=self.engine)
        if answer.type == "SELECT":
            names = tuple(str(variable) for variable in answer.vars or ())
            rows, truncated = _take(
                (
                    tuple(None if value is None else from_rdflib(value) for value in row)  # type: ignore[union-attr]
                    for row in answer
                ),
                max_rows,
                deadline,
            )
            return Result(
                kind="select", variables=names, rows=rows, truncated=truncated, engine=self.engine
            )
        source = answer.graph if answer.graph is not None else Graph()
        triples, truncated = _take(
            (
                (from_rdflib(s), from_rdflib(p), from_rdflib(o))
                for s, p, o in source.triples((None, None, None))
            ),
            max_rows,
            deadline,
        )
        return Result(kind="graph", graph=_graph(triples), truncated=truncated, engine=self.engine)


# --- shared ----------------------------------------------------------------------------


def _take(
    items: Iterable[T], max_rows: int | None, deadline: float | None
) -> tuple[tuple[T, ...], bool]:
    """Up to `max_rows` items (all when None), checking `deadline` between items."""
    taken: list[T] = []
    for item in items:
        if deadline is not None and time.monotonic() > deadline:
            raise QueryTimeout("the query ran past its time limit and was stopped")
        if max_rows is not None and len(taken) >= max_rows:
            return tuple(taken), True
        taken.append(item)
    return tuple(taken), False


def _graph(triples: Iterable[tuple[Term, Term, Term]]) -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, replace=True)
    for triple in triples:
        graph.add(triple)
    return graph


__all__ = [
    "DEFAULT_ENGINE",
    "ENGINES",
    "OxigraphStore",
    "RdflibStore",
    "Row",
    "Store",
    "from_oxigraph",
    "from_rdflib",
    "load_store",
]
