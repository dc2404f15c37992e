"""Where the bundled ontology, shapes and terminology are, from the package itself.

In an installed wheel they sit in ``medkg/_resources`` (copied there by the
build backend); in a source checkout (editable install) they are the
project's own ``ontology/``, ``shapes/`` and ``data/terminology/``. Never the
current directory.
"""

from __future__ import annotations

import csv
from collections.abc import Collection, Mapping
from pathlib import Path

from medkg.errors import ResourceMissing

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent.parent  # src/medkg -> project root

_LOCATIONS = {
    "ontology": ("_resources/ontology", "ontology"),
    "shapes": ("_resources/shapes", "shapes"),
    "terminology": ("_resources/terminology", "data/terminology"),
}


def resource_dir(kind: str) -> Path:
    """The folder holding the bundled `kind` ("ontology", "shapes" or "terminology")."""
    bundled, checkout = _LOCATIONS[kind]
    for candidate in (_PACKAGE / bundled, _CHECKOUT / checkout):
        if candidate.is_dir():
            return candidate
    raise ResourceMissing(
        f"the bundled {kind} folder is missing from the medkg install "
        f"(looked in {_PACKAGE / bundled} and {_CHECKOUT / checkout}); reinstall medkg"
    )


def resource_files(kind: str, pattern: str) -> list[Path]:
    """Sorted files of a resource folder matching a glob pattern."""
    return sorted(resource_dir(kind).glob(pattern))


def terminology_rows(
    name: str,
    what: str,
    required: tuple[str, ...],
    allowed: Mapping[str, Collection[str]] | None = None,
) -> list[dict[str, str]]:
    """The rows of the bundled terminology CSV `name` (by its header); `what` names the
    file in the errors ("precaution word list"). Every row must fill the `required`
    columns, and a column named in `allowed` must hold one of its values: a missing
    column, an empty field or another value is an error naming the file and line."""
    path = resource_dir("terminology") / name
    if not path.is_file():
        raise ResourceMissing(f"{path}: {what} missing; reinstall medkg")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        absent = [c for c in required if c not in (reader.fieldnames or ())]
        if absent:
            raise ResourceMissing(
                f"{path}:1: {what} has no column {', '.join(absent)}; "
                "restore its header or reinstall medkg"
            )
        rows = list(reader)
    for number, row in enumerate(rows, start=2):
        empty = [c for c in required if not (row.get(c) or "").strip()]
        if empty:
            raise ResourceMissing(
                f"{path}:{number}: {what}: {', '.join(empty)} empty; "
                "fill or delete the row, or reinstall medkg"
            )
        for column, values in (allowed or {}).items():
            value = (row.get(column) or "").strip()
            if value not in values:
                raise ResourceMissing(
                    f"{path}:{number}: {what}: {column} {value!r} is not one of "
                    f"{', '.join(sorted(values))}; correct or delete the row, or reinstall medkg"
                )
    return rows


def words_by_kind(name: str, what: str, kinds: Collection[str]) -> dict[str, frozenset[str]]:
    """The words of a bundled ``word,kind,…`` list (`terminology_rows`), lower case, by
    kind; a kind outside `kinds` is an error naming the file and line."""
    table: dict[str, set[str]] = {kind: set() for kind in kinds}
    for row in terminology_rows(name, what, ("word", "kind"), {"kind": kinds}):
        table[row["kind"].strip()].add(" ".join(row["word"].lower().split()))
    return {kind: frozenset(words) for kind, words in table.items()}
