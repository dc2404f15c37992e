"""Query the built knowledge graph: competency queries, a store, result serialisers.

Public API (used by ``medkg query`` and ``medkg serve``)::

    store = load_store("dist")                      # once per process; DataMissing if not built
    stale_sources(store, Path("data/sources"))      # [] when dist/ matches the sources it records
    queries = named_queries()                       # {"billing": NamedQuery(...), ...}
    result = run_query(store, queries["billing"], {"drug": drug_name})
    print(serialise(result, "table"))               # csv tsv json xml | turtle jsonld ntriples

`run_query` also takes plain SPARQL text. Parameters are bound as RDF terms
through a trailing VALUES clause (see `medkg.query.run`), never pasted into
the query. Errors are `medkg.query.errors.QueryError`s.
"""

from __future__ import annotations

from medkg.query.catalog import (
    NamedQuery,
    load_query_file,
    named_queries,
    parse_query_text,
    resolve_query,
)
from medkg.query.errors import (
    DataMissing,
    DataStale,
    FormatMismatch,
    QueryError,
    QueryRefused,
    QuerySyntaxError,
    QueryTimeout,
    UnknownParameter,
    UnknownQuery,
)
from medkg.query.freshness import stale_sources
from medkg.query.result import Result
from medkg.query.run import bind_parameters, run_query
from medkg.query.serialise import (
    FORMATS,
    GRAPH_FORMATS,
    MEDIA_TYPES,
    ROW_FORMATS,
    default_format,
    serialise,
)
from medkg.query.store import Store, load_store

__all__ = [
    "FORMATS",
    "GRAPH_FORMATS",
    "MEDIA_TYPES",
    "ROW_FORMATS",
    "DataMissing",
    "DataStale",
    "FormatMismatch",
    "NamedQuery",
    "QueryError",
    "QueryRefused",
    "QuerySyntaxError",
    "QueryTimeout",
    "Result",
    "Store",
    "UnknownParameter",
    "UnknownQuery",
    "bind_parameters",
    "default_format",
    "load_query_file",
    "load_store",
    "named_queries",
    "parse_query_text",
    "resolve_query",
    "run_query",
    "serialise",
    "stale_sources",
]
