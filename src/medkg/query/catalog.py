"""The competency queries shipped with medkg (``medkg/queries/*.rq``) and their headers.

Every ``.rq`` file starts with a header of ``#`` comment lines:

```
# question: Which billing codes bill a drug, and how many billing units is a dose?
# param drug: the drug, matched case-insensitively on its names (optional)
# columns: drug, code, system, descriptor, unit_value, unit
# Any other comment line is a note, kept in `NamedQuery.notes`.
```

A parameter NAME is bound to the variable ``?param_NAME`` (see
`medkg.query.run.bind_parameters`); a query that declares no ``# param`` lines
takes the ``?param_*`` variables it mentions as its parameters.
The query's name is its file name without ``.rq``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from medkg.query.errors import UnknownQuery

PARAM_PREFIX = "param_"
_PARAM_VARIABLE = re.compile(r"[?$]" + PARAM_PREFIX + r"([A-Za-z0-9_]+)")
_HEADER_FIELD = re.compile(r"#\s*(question|columns|param\s+([A-Za-z0-9_]+))\s*:\s*(.*)$")


@dataclass(frozen=True)
class NamedQuery:
    """One query: its name, the question it answers, parameters, result columns and text.

    `params` maps each parameter name to its description (header order);
    `columns` are the SELECT variables in order (empty for ASK/CONSTRUCT/DESCRIBE).
    """

    name: str
    text: str
    question: str = ""
    params: dict[str, str] = field(default_factory=dict)
    columns: tuple[str, ...] = ()
    notes: str = ""
    path: str = ""


def parse_query_text(name: str, text: str, path: str = "") -> NamedQuery:
    """Read the header comment of a query (see module docstring) into a `NamedQuery`."""
    question = ""
    params: dict[str, str] = {}
    columns: tuple[str, ...] = ()
    notes: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if not line.startswith("#"):
            break
        found = _HEADER_FIELD.match(line)
        if found is None:
            notes.append(line.lstrip("#").strip())
        elif found.group(1) == "question":
            question = found.group(3).strip()
        elif found.group(1) == "columns":
            columns = tuple(c.strip() for c in found.group(3).split(",") if c.strip())
        else:
            params[found.group(2)] = found.group(3).strip()
    if not params:
        params = {match: "" for match in sorted(set(_PARAM_VARIABLE.findall(text)))}
    return NamedQuery(
        name=name,
        text=text,
        question=question,
        params=params,
        columns=columns,
        notes="\n".join(note for note in notes if note),
        path=path,
    )


def load_query_file(path: Path | str) -> NamedQuery:
    """A ``.rq`` file from disk as a `NamedQuery`; `UnknownQuery` when it cannot be read."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UnknownQuery(f"{file}: cannot read the query file ({error})") from error
    return parse_query_text(file.stem, text, str(file))


@cache
def _bundled() -> tuple[NamedQuery, ...]:
    folder = resources.files("medkg.queries")
    found = []
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.name.endswith(".rq"):
            text = entry.read_text(encoding="utf-8")
            name = entry.name[: -len(".rq")]
            found.append(parse_query_text(name, text, f"medkg/queries/{entry.name}"))
    return tuple(found)


def named_queries() -> dict[str, NamedQuery]:
    """The bundled competency queries by name, sorted by name."""
    return {query.name: query for query in _bundled()}


def resolve_query(name_or_path: str) -> NamedQuery:
    """A bundled query by name, else a ``.rq`` file by path; `UnknownQuery` lists the names."""
    bundled = named_queries()
    if name_or_path in bundled:
        return bundled[name_or_path]
    candidate = Path(name_or_path)
    if candidate.suffix == ".rq" or candidate.is_file():
        if not candidate.is_file():
            raise UnknownQuery(f"{candidate}: no such query file")
        return load_query_file(candidate)
    raise UnknownQuery(
        f"no query named {name_or_path!r}; named queries: {', '.join(bundled)} "
        "(or give a .rq file, or --sparql TEXT; `medkg query --list` describes them)"
    )
