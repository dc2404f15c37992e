"""What ``medkg query`` does, as library functions; the CLI only maps their errors to exit codes.

- `list_text()`: the ``--list`` text, every bundled query with its question,
  parameters and columns.
- `parse_params(["drug=NAME", ...])`: ``NAME=VALUE`` pairs to a dict.
- `answer(...)`: open the built dataset's query store, optionally check it is
  fresh, run one query and return its serialised result.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path

from medkg.query.catalog import NamedQuery, named_queries, parse_query_text, resolve_query
from medkg.query.errors import DataStale, QueryError
from medkg.query.freshness import stale_sources
from medkg.query.run import check_parameters, run_query
from medkg.query.serialise import serialise
from medkg.query.store import load_store


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


def answer(
    query: NamedQuery,
    params: dict[str, str],
    fmt: str | None,
    data_dir: Path,
    sources_dir: Path | None = None,
    cache_folder: Path | None = None,
) -> str:
    """Run `query` on the dataset in `data_dir` and return the result in `fmt`.

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
    return serialise(run_query(store, query, params), fmt)
