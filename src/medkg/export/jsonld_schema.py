"""The JSON Schema check of ``medkg.jsonld``, by the jsonschema library.

`schema_problems` lists each violation of ``medkg.schema.json`` (draft
2020-12, no format checks) as "<JSON path>: <message> (rule <schema path>)",
once. The build does not run it on every document (jsonschema takes about a
quarter of a build's CPU time: see the commit that made this module); the
tests and ``medkg build --check`` (`folder_problems`) do, and the JSON-LD
merge checks the nodes it makes by joining several clusters' copies.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Final

from jsonschema import Draft202012Validator

SCHEMA_FILE: Final = "medkg.schema.json"
DOCUMENT_FILE: Final = "medkg.jsonld"


def bundled_schema() -> dict[str, Any]:
    """``medkg.schema.json`` as shipped in ``medkg.export``."""
    loaded: dict[str, Any] = json.loads(
        resources.files("medkg.export").joinpath(SCHEMA_FILE).read_bytes()
    )
    return loaded


@lru_cache(maxsize=1)
def _bundled_validator() -> Draft202012Validator:
    return Draft202012Validator(bundled_schema())


def schema_problems(document: object, schema: dict[str, Any] | None = None) -> list[str]:
    """The violations of `schema` (default: ``medkg.schema.json``) by `document`, in order of
    JSON path then schema path; a value that breaks the same rule through two routes of the
    schema is reported once. ``[]`` when the document is valid."""
    validator = _bundled_validator() if schema is None else Draft202012Validator(schema)
    errors = sorted(
        validator.iter_errors(document), key=lambda e: (e.json_path, list(map(str, e.schema_path)))
    )
    problems: dict[tuple[str, str], str] = {}
    for error in errors:
        rule = "/".join(map(str, error.schema_path))
        problems.setdefault(
            (error.json_path, error.message), f"{error.json_path}: {error.message} (rule {rule})"
        )
    return list(problems.values())


def folder_problems(folder: Path, limit: int = 20) -> list[str]:
    """The violations of ``medkg.schema.json`` by `folder`/``medkg.jsonld`` (at most `limit`,
    then a count of the rest); ``[]`` when it is valid or the folder has no such file."""
    path = folder / DOCUMENT_FILE
    if not path.is_file():
        return []
    try:
        document = json.loads(path.read_bytes())
    except (ValueError, UnicodeDecodeError) as error:
        return [f"{path} is not JSON ({error})"]
    problems = schema_problems(document)
    if len(problems) > limit:
        problems = [*problems[:limit], f"... and {len(problems) - limit} more"]
    return problems
