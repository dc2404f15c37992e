"""What ``medkg query`` does, as library functions; the CLI only maps their errors to exit codes.

- `list_text()`: the ``--list`` text, every bundled query with its question,
  parameters and columns.
- `parse_params(["drug=NAME", ...])`: ``NAME=VALUE`` pairs to a dict.
- `answer(...)`: open the built dataset's query store, optionally check it is
  fresh, run one query and return its serialised result, with notes for the
  user when parameters matched nothing (`no_match_notes`).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from medkg.query.catalog import NamedQuery, named_queries, parse_query_text, resolve_query
from medkg.query.errors import DataStale, QueryError
from medkg.query.freshness import stale_sources
from medkg.query.result import Result
from medkg.query.run import check_parameters, match_key, run_query
from medkg.query.serialise import serialise
from medkg.query.store import Store, load_store


class BadArgument(QueryError):
    """A command-line argument is malformed (e.g. a --param without ``=``)."""


def list_text() -> str:
    """Every bundled query: name, question, parameters and columns."""
    blocks = []
    for query in named_queries().values():
        lines = [query.name]
        lines.extend(textwrap.wrap(query.question, 96, initial_indent="  ", subsequent_indent="  "))
        for name, description in query.params.items():
            lines.extend(
                textwrap.wrap(
                    f"--param {name}=…  {description}",
                    96,
                    initial_indent="  ",
                    subsequent_indent="      ",
                )
            )
        lines.append(f"  columns: {', '.join(query.columns)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def parse_params(pairs: Sequence[str]) -> dict[str, str]:
    """``["k=v", ...]`` as a dict; `BadArgument` for a pair without ``=`` or a repeated name."""
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise BadArgument(f"--param {pair!r}: write it as NAME=VALUE (e.g. drug=<drug name>)")
        if name in params:
            raise BadArgument(f"--param {name} is given twice; give each parameter once")
        params[name] = value
    return params


def choose_query(name_or_file: str | None, sparql: str | None) -> NamedQuery:
    """The query a command line names: exactly one of a name/.rq file and ``--sparql``."""
    if (name_or_file is None) == (sparql is None):
        raise BadArgument(
            "give one query: a name (see `medkg query --list`), a .rq file, or --sparql TEXT"
        )
    if sparql is not None:
        return parse_query_text("--sparql", sparql)
    assert name_or_file is not None
    return resolve_query(name_or_file)


class Answer(NamedTuple):
    """A query's result in the asked format, and notes for the user (stderr, not the result)."""

    text: str
    notes: tuple[str, ...] = ()


def no_match_notes(
    store: Store, query: NamedQuery, params: Mapping[str, str], result: Result
) -> list[str]:
    """Why a parameterised SELECT gave no rows: each parameter whose value names nothing in
    the graph (with the nearest names, if any), else that every value names something but
    no row joins them; empty when there are rows or no parameters."""
    if result.kind != "select" or result.cells or not params:
        return []
    notes: list[str] = []
    known = 0
    for name, value in sorted(params.items()):
        found = store.lookup_names(match_key(value))
        if found is None:
            continue
        known += 1
        if not found:
            nearest = store.nearest_names(match_key(value))
            also = f"; nearest: {', '.join(repr(n) for n in nearest)}" if nearest else ""
            notes.append(f"no name in the graph is {value.strip()!r} ({name}={value!r}){also}")
    if notes:
        return notes
    given = ", ".join(f"{name}={value!r}" for name, value in sorted(params.items()))
    if known == len(params):
        return [
            f"0 rows: each of {given} names something in the graph, but no {query.name} "
            "row matches it"
        ]
    return [
        f"0 rows for {given} (names match ignoring case and extra spaces; "
        "`medkg query --list` says what each parameter matches)"
    ]


def answer(
    query: NamedQuery,
    params: dict[str, str],
    fmt: str | None,
    data_dir: Path,
    sources_dir: Path | None = None,
    cache_folder: Path | None = None,
) -> Answer:
    """Run `query` on the dataset in `data_dir` and return the result in `fmt`, with
    `no_match_notes`.

    The dataset's on-disk query store is kept under `cache_folder` (default:
    the user's cache folder; see `medkg.query.persistent`). When
    `sources_dir` is given and exists, the dataset is first checked against
    it (`medkg.query.freshness`) and `DataStale` is raised if a recorded
    source is missing or changed.
    """
    check_parameters(query, params)
    store = load_store(data_dir, cache_folder=cache_folder)
    if sources_dir is not None and sources_dir.is_dir():
        changed = stale_sources(store, sources_dir)
        if changed:
            raise DataStale(str(data_dir), changed)
    result = run_query(store, query, params)
    return Answer(serialise(result, fmt), tuple(no_match_notes(store, query, params, result)))
