"""The read-only store a query runs against, opened once per process from a built dataset.

`load_store(data_dir)` answers from ``<data_dir>/medkg.nq`` (written by
`medkg build`): each source document's named graph stays a named graph
(reachable with ``GRAPH``), and the **default graph is the merge** of all of
them (each triple once), so a plain query sees the whole knowledge graph.

The engine is pyoxigraph, chosen by measurement (benchmarks/RESULTS-query-store.md):
it loads and answers the competency queries one to two orders of magnitude
faster than rdflib. The graph is loaded once per distinct medkg.nq into an
on-disk store in the cache folder and opened read-only by every later process
(`medkg.query.persistent`); when that store cannot be built (read-only cache
folder, disk full) a one-line note goes to stderr and medkg.nq is loaded into
memory instead, as with ``persistent=False``. rdflib answers the same queries in
the tests only, as the reference (tests/reference_store.py).

A store never changes after loading: `Store.execute` runs SPARQL 1.1 *queries*
only (SELECT, ASK, CONSTRUCT, DESCRIBE); update requests do not parse as queries.
Answering a SELECT or ASK query does not import rdflib.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Protocol, TypeVar

import pyoxigraph as ox

from medkg.query.errors import DataMissing, QuerySyntaxError, QueryTimeout
from medkg.query.result import Result, Value

if TYPE_CHECKING:
    from rdflib import Graph

    from medkg.query.name_index import NameIndex
    from medkg.query.result import Term

GRAPH_FILE = "medkg.nq"
REPORT_FILE = "validation-report.ttl"

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

    data_dir: Path

    def execute(
        self, text: str, *, max_rows: int | None = None, deadline: float | None = None
    ) -> Result: ...

    def __len__(self) -> int:
        """Number of triples in the default (merged) graph."""
        ...

    def lookup_names(self, value: str) -> Sequence[str] | None:
        """The literals of the graph whose key (`medkg.query.run.match_key`) is `value`, as
        SPARQL terms.

        None when the store cannot tell (it has no name index, or `value` is
        longer than the index covers); see `medkg.query.run` (name slots).
        """
        ...

    def nearest_names(self, value: str, limit: int = 5) -> list[str]:
        """Up to `limit` names of the graph whose key is close to `value` but not it (most
        alike first); empty when none is or the store cannot tell."""
        ...


def load_store(
    data_dir: Path | str,
    *,
    persistent: bool = True,
    cache_folder: Path | None = None,
) -> Store:
    """The dataset in `data_dir` as a store: the on-disk store of its medkg.nq under
    `cache_folder` (default `medkg.pipeline.cache.default_folder()`), built on first use;
    in memory when
    `persistent` is false or the on-disk store cannot be built. Raises
    `DataMissing` (telling to run `medkg build`) when the folder, its
    ``medkg.nq`` or its ``validation-report.ttl`` is missing, or when the
    N-Quads cannot be parsed.
    """
    folder = Path(data_dir)
    nquads = _built_file(folder)
    if persistent:
        return OxigraphStore.open(folder, nquads, cache_folder)
    return OxigraphStore.load(folder, nquads)


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

XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_STRING = XSD + "string"
_XSD_DECIMAL = XSD + "decimal"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDF_LANG_STRING = _RDF + "langString"
# Lexical forms rdflib keeps as they are (checked by tests/test_query_store.py); any other
# typed literal is converted through rdflib, which may normalise it (e.g. xsd:double).
_KEPT_BY_RDFLIB = {
    XSD + "integer": re.compile(r"-?(?:0|[1-9][0-9]*)"),
    _XSD_DECIMAL: re.compile(r"-?[0-9]+\.[0-9]+"),
    XSD + "boolean": re.compile(r"true|false"),
}
_MERGE_INTO_DEFAULT = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
_OX_POSITION = re.compile(r"error at (\d+):(\d+): ")


def value_from_oxigraph(term: object) -> Value:
    """An oxigraph term as a `Value` with the lexical form rdflib would give it.

    ``xsd:string`` literals become simple literals; ``xsd:decimal`` keeps the
    dataset's form with a fraction part (``210.0``), which oxigraph shortens;
    integers, decimals and booleans in canonical form are taken as they are
    (rdflib keeps them), any other XSD or RDF typed literal is converted
    through rdflib (imported then) so that it prints exactly as it always did.
    """
    if isinstance(term, ox.NamedNode):
        return Value("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return Value("bnode", term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Value("literal", term.value, term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Value("literal", term.value)
        lexical = term.value
        if datatype == _XSD_DECIMAL and not any(mark in lexical for mark in ".eE"):
            lexical = f"{lexical}.0"  # oxigraph shortens "210.0" to "210"
        kept = _KEPT_BY_RDFLIB.get(datatype)
        if kept is not None and kept.fullmatch(lexical):
            return Value("literal", lexical, None, datatype)
        if datatype.startswith((XSD, _RDF)):
            return _via_rdflib(lexical, datatype)
        return Value("literal", lexical, None, datatype)
    raise TypeError(f"unsupported RDF term in a query result: {term!r}")


def _via_rdflib(lexical: str, datatype: str) -> Value:
    """A typed literal as rdflib normalises it (rdflib is imported here, only when needed)."""
    from rdflib import Literal, URIRef

    return value_from_rdflib(Literal(lexical, datatype=URIRef(datatype)))


def from_oxigraph(term: object) -> Term:
    """An oxigraph term as the equal rdflib term (see `value_from_oxigraph`)."""
    from medkg.query.result import to_rdflib

    return to_rdflib(value_from_oxigraph(term))


class OxigraphStore:
    """A pyoxigraph store whose default graph holds the merge of the named graphs.

    `open` uses the on-disk store in the cache folder (`medkg.query.persistent`),
    `load` an in-memory one.
    """

    def __init__(
        self,
        data_dir: Path,
        store: ox.Store,
        *,
        triples: int | None = None,
        location: Path | None = None,
        lock: IO[bytes] | None = None,
        names: NameIndex | None = None,
    ):
        self.data_dir = data_dir
        self.location = location  # the on-disk store's folder; None in memory
        self._store = store
        self._triples = triples
        self._lock = lock  # kept open: a shared lock on the on-disk store while in use
        self._names = names

    @classmethod
    def load(cls, data_dir: Path, nquads: Path) -> OxigraphStore:
        """`nquads` loaded into a new in-memory store."""
        store = ox.Store()
        try:
            store.load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        except (SyntaxError, OSError, ValueError) as error:
            raise _unreadable(nquads, error) from error
        # The default graph is the merge of the named graphs (set semantics: each triple once).
        store.update(_MERGE_INTO_DEFAULT)
        return cls(data_dir, store)

    @classmethod
    def open(cls, data_dir: Path, nquads: Path, cache_folder: Path | None = None) -> OxigraphStore:
        """The on-disk store of `nquads` (built on first use), else an in-memory load.

        Falling back to memory prints one line on stderr saying why.
        """
        from medkg.query.persistent import StoreUnavailable, open_store

        if cache_folder is None:
            from medkg.pipeline.cache import default_folder

            cache_folder = default_folder()
        try:
            opened = open_store(nquads, cache_folder)
        except (SyntaxError, ValueError) as error:
            raise _unreadable(nquads, error) from error
        except StoreUnavailable as unavailable:
            print(
                f"medkg: note: no on-disk query store ({unavailable.reason}); "
                f"loading {nquads} into memory",
                file=sys.stderr,
            )
            return cls.load(data_dir, nquads)
        return cls(
            data_dir,
            opened.store,
            triples=opened.triples,
            location=opened.folder,
            lock=opened.lock,
            names=opened.names,
        )

    def lookup_names(self, value: str) -> list[str] | None:
        return None if self._names is None else self._names.lookup(value)

    def nearest_names(self, value: str, limit: int = 5) -> list[str]:
        return [] if self._names is None else self._names.nearest(value, limit)

    def __len__(self) -> int:
        if self._triples is None:
            solutions = self._store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
            assert isinstance(solutions, ox.QuerySolutions)
            count = next(iter(solutions))["n"]
            self._triples = int(count.value) if isinstance(count, ox.Literal) else 0
        return self._triples

    def execute(
        self, text: str, *, max_rows: int | None = None, deadline: float | None = None
    ) -> Result:
        try:
            answer = self._store.query(text)
        except SyntaxError as error:
            raise oxigraph_syntax_error(str(error)) from error
        if isinstance(answer, ox.QueryBoolean):
            return Result(kind="ask", boolean=bool(answer))
        if isinstance(answer, ox.QuerySolutions):
            names = tuple(variable.value for variable in answer.variables)
            rows, truncated = _take(
                (
                    tuple(
                        None if solution[name] is None else value_from_oxigraph(solution[name])
                        for name in names
                    )
                    for solution in answer
                ),
                max_rows,
                deadline,
            )
            return Result(
                kind="select",
                variables=names,
                cells=rows,
                truncated=truncated,
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
        return Result(kind="graph", graph=_graph(triples), truncated=truncated)


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


# --- rdflib terms (CONSTRUCT results are rdflib graphs) --------------------------------


def value_from_rdflib(term: object) -> Value:
    """An rdflib term as a `Value`, ``xsd:string`` literals made simple literals."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return Value("uri", str(term))
    if isinstance(term, BNode):
        return Value("bnode", str(term))
    if isinstance(term, Literal):
        if term.language:
            return Value("literal", str(term), term.language)
        if term.datatype is None or str(term.datatype) in (_XSD_STRING, _RDF_LANG_STRING):
            return Value("literal", str(term))
        return Value("literal", str(term), None, str(term.datatype))
    raise TypeError(f"unsupported RDF term in a query result: {term!r}")


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
    from rdflib import Graph

    from medkg.namespaces import PREFIXES

    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, replace=True)
    for triple in triples:
        graph.add(triple)
    return graph


__all__ = [
    "OxigraphStore",
    "Store",
    "from_oxigraph",
    "load_store",
    "value_from_oxigraph",
    "value_from_rdflib",
]
