"""Checking KGX files against the pinned Biolink Model release (``biolink-model`` on PyPI).

The checks are the model's own: each node is validated by the Pydantic class of its
category and each edge by the class of its association
(``biolink_model.datamodel.pydanticmodel_v2``, LinkML's generated classes of the
release: required slots, value types, enums such as ``knowledge_level`` and
``agent_type``, the class's own category, no slot the class does not have), and
every predicate must be a slot under ``related to`` of the release's LinkML schema
(``biolink_model.yaml``) that is not deprecated. Then KGX's rules for a graph: ids
unique and sorted, every edge's subject and object a node. Edge properties outside
Biolink (`medkg.export.kgx.records.EXTENSION`) are left out of the class check.

The ``kgx`` tool itself does not install beside medkg (kgx 2.7.0 pins click<8.2,
which no linkml release it accepts allows; 2.5.1 brings ~140 packages); see the
README. Install with ``pip install 'medkg[kgx]'``.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterable
from functools import cache
from importlib import resources
from types import ModuleType
from typing import Any

import yaml

from medkg.errors import MedkgError
from medkg.export.kgx.mapping import bundled_mapping
from medkg.export.kgx.records import EXTENSION

MODEL = "biolink_model.datamodel.pydanticmodel_v2"


@cache
def _model() -> ModuleType:
    try:
        return importlib.import_module(MODEL)
    except ImportError as error:
        raise MedkgError(
            f"checking KGX files needs the Biolink Model ({error}); "
            "install it with pip install 'medkg[kgx]'"
        ) from None


@cache
def predicates() -> frozenset[str]:
    """The non-deprecated predicates (``biolink:`` CURIEs) of the installed release."""
    _model()
    text = (resources.files("biolink_model") / "schema" / "biolink_model.yaml").read_text("utf-8")
    slots: dict[str, dict[str, Any]] = yaml.safe_load(text)["slots"]

    def is_predicate(name: str) -> bool:
        seen = set()
        while name and name not in seen:
            if name == "related to":
                return True
            seen.add(name)
            name = (slots.get(name) or {}).get("is_a") or ""
        return False

    return frozenset(
        "biolink:" + name.replace(" ", "_")
        for name, slot in slots.items()
        if is_predicate(name) and not str((slot or {}).get("deprecated") or "")
    )


def _class(category: object, base: str) -> Any:
    """The Pydantic class of a ``biolink:`` category, if it is a `base` of the model."""
    model = _model()
    if not isinstance(category, str) or not category.startswith("biolink:"):
        return None
    found = getattr(model, category.removeprefix("biolink:"), None)
    if isinstance(found, type) and issubclass(found, getattr(model, base)):
        return found
    return None


def _records(name: str, data: bytes, problems: list[str]) -> list[dict[str, Any]]:
    records = []
    previous = ""
    for number, text in enumerate(data.decode("utf-8").split("\n")[:-1], start=1):
        try:
            record = json.loads(text)
        except ValueError as error:
            problems.append(f"{name}:{number}: not JSON ({error})")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("id"), str):
            problems.append(f"{name}:{number}: not an object with an id")
            continue
        if record["id"] <= previous:
            problems.append(f"{name}:{number}: {record['id']} is not after {previous}")
        previous = record["id"]
        record["__line__"] = number
        records.append(record)
    return records


def _check(name: str, record: dict[str, Any], base: str, problems: list[str]) -> None:
    where = f"{name}:{record.pop('__line__')}: {record['id']}"
    categories = record.get("category")
    if not isinstance(categories, list) or not categories:
        problems.append(f"{where}: no category")
        return
    classes = [_class(c, base) for c in categories]
    for category, found in zip(categories, classes, strict=True):
        if found is None:
            problems.append(f"{where}: {category!r} is not a Biolink {base} class")
    if classes[0] is None:
        return
    checked = {k: v for k, v in record.items() if not k.startswith(EXTENSION)}
    checked["category"] = categories[:1]
    try:
        classes[0].model_validate(checked)
    except ValueError as error:  # pydantic.ValidationError
        for detail in getattr(error, "errors", list)():
            field = ".".join(str(part) for part in detail.get("loc", ()))
            problems.append(f"{where}: {field}: {detail.get('msg')}")


def problems(nodes: bytes, edges: bytes, names: Iterable[str] = ()) -> list[str]:
    """Every way the KGX files `nodes` and `edges` (their bytes) break the pinned Biolink
    Model or KGX's rules, each naming the file, line and record; [] when they conform.
    `names` name the two files in the messages."""
    node_name, edge_name = [*names, "medkg_nodes.jsonl", "medkg_edges.jsonl"][:2]
    model = _model()
    found: list[str] = []
    pinned = bundled_mapping().settings["biolink_version"]
    if model.version != pinned:
        found.append(f"the installed Biolink Model is {model.version}; medkg pins {pinned}")
    node_records = _records(node_name, nodes, found)
    edge_records = _records(edge_name, edges, found)
    ids = {record["id"] for record in node_records}
    allowed = predicates()
    for record in node_records:
        _check(node_name, record, "NamedThing", found)
    for record in edge_records:
        where = f"{edge_name}:{record['__line__']}: {record['id']}"
        if record.get("predicate") not in allowed:
            found.append(f"{where}: {record.get('predicate')!r} is not a Biolink predicate")
        for end in ("subject", "object"):
            if record.get(end) not in ids:
                found.append(f"{where}: its {end} {record.get(end)!r} is not a node")
        _check(edge_name, record, "Association", found)
    return found
