"""Errors of the query layer. Each says what is wrong and what to do.

All are `medkg.errors.MedkgError`s, so callers can catch them as one family;
the CLI maps them to exit codes (see `medkg.cli`), a server to HTTP statuses.
"""

from __future__ import annotations

from medkg.errors import MedkgError


class QueryError(MedkgError):
    """Base class of every error raised by `medkg.query`."""


class DataMissing(QueryError):
    """The built dataset folder is missing or unreadable: run `medkg build`."""


class DataStale(QueryError):
    """The built dataset no longer matches the sources it records: run `medkg build`.

    `changed` lists one line per source document that differs.
    """

    def __init__(self, data_dir: str, changed: list[str]):
        self.data_dir = data_dir
        self.changed = changed
        listed = "\n".join(f"  {line}" for line in changed)
        super().__init__(
            f"{data_dir}/ is stale: it was built from sources that have changed since.\n"
            f"{listed}\nRun `medkg build` to rebuild it."
        )


class UnknownQuery(QueryError):
    """No named query has this name (and it is not a readable .rq file)."""


class UnknownParameter(QueryError):
    """A parameter name the query does not declare. The message lists the valid ones."""

    def __init__(self, query: str, names: list[str], valid: list[str]):
        self.query = query
        self.names = names
        self.valid = valid
        offered = ", ".join(valid) if valid else "none (this query takes no parameters)"
        super().__init__(
            f"{query}: unknown parameter {', '.join(names)}; valid parameters: {offered}"
        )


class QuerySyntaxError(QueryError):
    """The query text is not valid SPARQL 1.1. `line` and `column` are 1-based."""

    def __init__(self, query: str, line: int | None, column: int | None, problem: str):
        self.query = query
        self.line = line
        self.column = column
        self.problem = problem
        where = f"{query}:{line}:{column}" if line is not None else query
        super().__init__(f"{where}: SPARQL syntax error: {problem}")


class QueryRefused(QueryError):
    """The query asks for something medkg never does (a federated SERVICE call, FROM a URL)."""


class QueryTimeout(QueryError):
    """The query ran past its deadline."""


class FormatMismatch(QueryError):
    """The output format does not fit the result (e.g. csv for a CONSTRUCT graph)."""
