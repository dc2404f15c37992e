"""Run a query with parameters bound as RDF terms, never pasted into the query.

Binding rule: parameter NAME with value V binds the variable ``?param_NAME``
to the simple literal `match_key` (V lower-cased, runs of spaces made one, the
ends trimmed) through a SPARQL ``VALUES`` clause built from the term (its
characters escaped as a SPARQL string), so no value can change the query's
structure. The queries themselves compare both sides the same way,
``FILTER(!BOUND(?param_NAME) || KEY(?some_name) = KEY(?param_NAME))`` with
``KEY(x)`` = ``REPLACE(REPLACE(LCASE(STR(x)), "\\s+", " "), "^ | $", "")``, so
any SPARQL client that fills a slot with ``"Burosumab"`` or ``" BUROSUMAB "``
gets the rows medkg gives for ``burosumab``; when the parameter is omitted the
query answers for every value. A query with several names per node uses
``SELECT DISTINCT`` so the unparameterised answer has each row once.

Where the value goes:

- a **slot** ``VALUES ?param_NAME { UNDEF }`` in the query (outside strings
  and comments): the literal replaces ``UNDEF`` in every slot of that name.
  Unbound, a slot is one solution binding nothing, which constrains nothing.
  A slot placed next to the pattern that binds ``?param_NAME`` lets the
  engine start from the matching nodes instead of filtering the whole answer
  at the end (the competency queries all have slots: see medkg/queries);
- a **name slot** ``VALUES (?param_NAME ?name) { (UNDEF UNDEF) }``, for a
  query that matches with the FILTER above a variable ``?name`` that only
  binds literals: with the store's name index (`Store.lookup_names`, the
  on-disk oxigraph store has one) the slot gets one row per stored literal
  whose key is the value, so the engine finds the nodes by their exact names; none when no
  literal has it; ``(value UNDEF)`` when the store has no index (the FILTER
  then decides, more slowly). The FILTER keeps the answer exact either way;
- otherwise a trailing ``VALUES`` clause appended after the query. It is
  joined after any ``GROUP BY`` of the outer query, so there the variable must
  be a group key.

Prefixes: a text that uses one of medkg's prefixes (`medkg.namespaces.PREFIXES`:
``medkg:``, ``schema:``, ``skos:`` ...) without declaring it gets medkg's declaration,
put before the text on its first line, so line and column numbers of errors still
refer to the text as given. A prefix neither declared nor medkg's is named in the
syntax error.

Refused before running (`QueryRefused`): ``SERVICE`` (federated calls would
reach the network) — medkg answers from the local graph only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from medkg.query.catalog import PARAM_PREFIX, NamedQuery, parse_query_text
from medkg.query.errors import QueryRefused, QuerySyntaxError, UnknownParameter
from medkg.query.result import Result
from medkg.query.sparql_text import (
    MAX_NESTING,
    calls_service,
    nesting_depth,
    tokens,
    undeclared_prefixes,
)
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
_SLOT = re.compile(
    r"\bVALUES\s+(?:"
    r"[?$]" + PARAM_PREFIX + r"(?P<name>\w+)\s*\{\s*(?P<single>UNDEF)\s*\}"
    r"|\(\s*[?$]" + PARAM_PREFIX + r"(?P<pair_name>\w+)\s+[?$]\w+\s*\)"
    r"\s*\{\s*(?P<pair>\(\s*UNDEF\s+UNDEF\s*\))\s*\}"
    r")",
    re.IGNORECASE | re.ASCII,
)
_SPACES = re.compile(r"[ \t\n\r]+")
_PREFIXED_NAME = re.compile(r"(?:[^\W\d][\w.\-]*)?:[\w.\-:%]*")
_PYPARSING_WHERE = re.compile(r",? *\(at char \d+\), \(line:\d+, col:\d+\)$")


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


def match_key(value: str) -> str:
    """What a parameter value is matched on: lower-cased, each run of SPARQL white space
    (space, tab, line feed, carriage return) one space, no space at either end; the same
    as the queries' ``REPLACE(REPLACE(LCASE(STR(x)), "\\s+", " "), "^ | $", "")``."""
    return _SPACES.sub(" ", value.lower()).strip(" ")


NameLookup = Callable[[str], Sequence[str] | None]
"""The stored literals whose key (`match_key`) is a value, as SPARQL terms; None when unknown."""


def bind_parameters(text: str, params: Mapping[str, str], names: NameLookup | None = None) -> str:
    """The query with each parameter's literal in its slots, else in a trailing ``VALUES``.

    `names` (a store's name index) fills the name variable of two-variable
    slots; without it they get ``UNDEF`` there (see the module docstring).
    """
    if not params:
        return text
    values = {name: match_key(value) for name, value in params.items()}
    bound, slotted = fill_slots(text, values, names)
    trailing = sorted(name for name in params if name not in slotted)
    if not trailing:
        return bound
    variables = " ".join(f"?{PARAM_PREFIX}{name}" for name in trailing)
    literals = " ".join(sparql_string(values[name]) for name in trailing)
    return f"{bound.rstrip()}\nVALUES ({variables}) {{ ({literals}) }}\n"


def fill_slots(
    text: str, values: Mapping[str, str], names: NameLookup | None = None
) -> tuple[str, set[str]]:
    """`text` with the slots of the parameters in `values` filled (see the module docstring).

    Returns the new text and the parameters that had at least one slot. Slots
    inside strings, IRIs and comments are not slots.
    """
    opaque = [match.span() for match in _OPAQUE.finditer(text)]
    pieces: list[str] = []
    filled: set[str] = set()
    done = 0
    for slot in _SLOT.finditer(text):
        name = slot.group("name") or slot.group("pair_name")
        if name not in values or any(start <= slot.start() < end for start, end in opaque):
            continue
        literal = sparql_string(values[name])
        if slot.group("name"):
            rows = literal
        else:
            found = names(values[name]) if names is not None else None
            if found is None:
                rows = f"({literal} UNDEF)"
            else:
                rows = " ".join(f"({literal} {term})" for term in found)
        part = "single" if slot.group("name") else "pair"
        pieces.append(text[done : slot.start(part)])
        pieces.append(rows)
        done = slot.end(part)
        filled.add(name)
    pieces.append(text[done:])
    return "".join(pieces), filled


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
    found = tokens(named.text)
    if calls_service(found):
        raise QueryRefused(
            f"{named.name}: SERVICE (federated query) is not allowed; "
            "medkg answers from the local graph only"
        )
    depth = nesting_depth(found)
    if depth > MAX_NESTING:
        raise QueryRefused(
            f"{named.name}: brackets are nested {depth} deep; medkg takes at most "
            f"{MAX_NESTING} levels of nested (), {{}} and [] (the query engine's parser "
            "would overflow its stack)"
        )
    prologue = known_prologue(undeclared_prefixes(found))
    try:
        return store.execute(
            prologue + bind_parameters(named.text, given, store.lookup_names),
            max_rows=max_rows,
            deadline=deadline,
        )
    except QuerySyntaxError as error:
        raise _located(error, named, prologue) from error


def known_prologue(prefixes: Sequence[str]) -> str:
    """``PREFIX`` declarations of those of `prefixes` that are medkg's, on one line (empty
    when none is), to be put before a text that uses them undeclared."""
    if not prefixes:  # the bundled queries declare theirs: no need to import rdflib's terms
        return ""
    from medkg.namespaces import PREFIXES

    known = [prefix for prefix in prefixes if prefix in PREFIXES]
    return "".join(f"PREFIX {prefix}: <{PREFIXES[prefix]}> " for prefix in known)


def _located(error: QuerySyntaxError, query: NamedQuery, prologue: str = "") -> QuerySyntaxError:
    """The same syntax error named after the query, pointing past its end when it is there;
    positions are in the text as given (`prologue`, put before its first line, is not)."""
    lines = query.text.rstrip().splitlines() or [""]
    line, column, problem = error.line, error.column, error.problem
    if line is None or column is None:
        return QuerySyntaxError(query.path or query.name, None, None, error.problem)
    if line == 1:
        column = max(column - len(prologue), 1)
    if line > len(lines) or (line == len(lines) and column >= len(lines[-1])):
        # The engine only noticed at the end of the text; rdflib's parser names the
        # construct where the error starts, which is easier to act on.
        line, column = len(lines), len(lines[-1]) + 1
        earlier = _rdflib_position(prologue + query.text)
        if earlier is not None:
            line, column, problem = earlier
            if line == 1:
                column = max(column - len(prologue), 1)
    if "Prefix not found" in problem:
        unknown = _unknown_prefix(lines[line - 1], column)
        if unknown is not None:
            column, problem = unknown
    excerpt = lines[line - 1].expandtabs(1)
    pointer = " " * (max(column, 1) - 1) + "^"
    return QuerySyntaxError(
        query.path or query.name, line, column, f"{problem}\n  {excerpt}\n  {pointer}"
    )


def _unknown_prefix(line: str, column: int) -> tuple[int, str] | None:
    """(column, message) for the undeclared prefix of the prefixed name at `column` (1-based,
    in or just after the name, as the engine reports it) of `line`: where the name starts and
    what to do; None when no prefixed name is there."""
    from medkg.namespaces import PREFIXES

    for found in _PREFIXED_NAME.finditer(line):
        if found.start() <= column - 1 <= found.end():
            prefix = found.group().split(":", 1)[0]
            return found.start() + 1, (
                f"prefix {prefix}: is not declared; add PREFIX {prefix}: <namespace IRI> "
                f"before the query (medkg declares {', '.join(f'{p}:' for p in PREFIXES)} "
                "itself)"
            )
    return None


def _rdflib_position(text: str) -> tuple[int, int, str] | None:
    """(line, column, message) of rdflib's parser for `text`, or None when it parses.

    Only called for a query the engine refused, so rdflib's parser is imported here.
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parseQuery(text)
    except ParseException as error:
        message = _PYPARSING_WHERE.sub("", " ".join(str(error).split()))
        return error.lineno, error.col, message
    return None
