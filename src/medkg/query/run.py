"""Run a query with parameters bound as RDF terms, never pasted into the query.

Binding rule: parameter NAME with value V binds the variable ``?param_NAME``
to the simple literal ``lower(V.strip())`` through a trailing SPARQL
``VALUES`` clause appended after the query and built from the term (its
characters escaped as a SPARQL string), so no value can change the query's
structure. Queries compare it with ``LCASE(STR(?some_name))`` exposed as
``?param_NAME``; when the parameter is omitted no ``VALUES`` is added and the
query answers for every value. For query authors: ``?param_NAME`` must be
bound in every solution (a ``VALUES`` join lets a solution where it is
unbound through), and a query with several names per node uses ``SELECT
DISTINCT`` so the unparameterised answer has each row once. The trailing
``VALUES`` is joined after any ``GROUP BY`` of the outer query, so there the
variable must be a group key (see adverse-reactions.rq).

Refused before running (`QueryRefused`): ``SERVICE`` (federated calls would
reach the network) — medkg answers from the local graph only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from pyparsing import ParseException
from rdflib.plugins.sparql.parser import parseQuery

from medkg.query.catalog import PARAM_PREFIX, NamedQuery, parse_query_text
from medkg.query.errors import QueryRefused, QuerySyntaxError, UnknownParameter
from medkg.query.result import Result
from medkg.query.store import Store

# Lexical pieces that may contain arbitrary words: strings, IRIs, comments.
_OPAQUE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n\r]*",
    re.DOTALL,
)
_PYPARSING_WHERE = re.compile(r",? *\(at char \d+\), \(line:\d+, col:\d+\)$")
_BARE_WORD = re.compile(r"(?<![\w:?$@])([A-Za-z]+)(?![\w:-])")


def keywords(text: str) -> set[str]:
    """Upper-cased bare words of a query, outside strings, IRIs and comments."""
    stripped = _OPAQUE.sub(" ", text)
    return {word.upper() for word in _BARE_WORD.findall(stripped)}


def sparql_string(value: str) -> str:
    """`value` as a SPARQL double-quoted string literal (every special character escaped)."""
    escaped = (
        value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"'


def bind_parameters(text: str, params: Mapping[str, str]) -> str:
    """The query with a trailing ``VALUES`` clause binding ``?param_NAME`` for each parameter."""
    if not params:
        return text
    names = sorted(params)
    variables = " ".join(f"?{PARAM_PREFIX}{name}" for name in names)
    values = " ".join(sparql_string(params[name].strip().lower()) for name in names)
    return f"{text.rstrip()}\nVALUES ({variables}) {{ ({values}) }}\n"


def check_parameters(query: NamedQuery, params: Mapping[str, str]) -> None:
    """`UnknownParameter` (listing the valid names) when a name is not declared by the query."""
    unknown = sorted(name for name in params if name not in query.params)
    if unknown:
        raise UnknownParameter(query.name, unknown, list(query.params))


def run_query(
    store: Store,
    query: NamedQuery | str,
    params: Mapping[str, str] | None = None,
    *,
    max_rows: int | None = None,
    deadline: float | None = None,
) -> Result:
    """Run a named query or SPARQL text on `store`, with `params` bound as RDF terms.

    Raises `UnknownParameter`, `QueryRefused` (SERVICE), `QuerySyntaxError`
    (line/column refer to the query text as given) and `QueryTimeout` (when
    `deadline`, a ``time.monotonic()`` value, passes between result rows).
    `max_rows` caps SELECT rows / graph triples (`Result.truncated` then true).
    """
    named = query if isinstance(query, NamedQuery) else parse_query_text("query", query)
    given = dict(params or {})
    check_parameters(named, given)
    if "SERVICE" in keywords(named.text):
        raise QueryRefused(
            f"{named.name}: SERVICE (federated query) is not allowed; "
            "medkg answers from the local graph only"
        )
    try:
        return store.execute(
            bind_parameters(named.text, given), max_rows=max_rows, deadline=deadline
        )
    except QuerySyntaxError as error:
        raise _located(error, named) from error


def _located(error: QuerySyntaxError, query: NamedQuery) -> QuerySyntaxError:
    """The same syntax error named after the query, pointing past its end when it is there."""
    lines = query.text.rstrip().splitlines() or [""]
    line, column, problem = error.line, error.column, error.problem
    if line is None or column is None:
        return QuerySyntaxError(query.path or query.name, None, None, error.problem)
    if line > len(lines) or (line == len(lines) and column >= len(lines[-1])):
        # The engine only noticed at the end of the text; rdflib's parser names the
        # construct where the error starts, which is easier to act on.
        line, column = len(lines), len(lines[-1]) + 1
        earlier = _rdflib_position(query.text)
        if earlier is not None:
            line, column, problem = earlier
    excerpt = lines[line - 1].expandtabs(1)
    pointer = " " * (max(column, 1) - 1) + "^"
    return QuerySyntaxError(
        query.path or query.name, line, column, f"{problem}\n  {excerpt}\n  {pointer}"
    )


def _rdflib_position(text: str) -> tuple[int, int, str] | None:
    """(line, column, message) of rdflib's parser for `text`, or None when it parses."""
    try:
        parseQuery(text)
    except ParseException as error:
        message = _PYPARSING_WHERE.sub("", " ".join(str(error).split()))
        return error.lineno, error.col, message
    return None
