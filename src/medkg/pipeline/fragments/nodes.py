"""JSON-LD node objects across fragments: copies, their union, and patching embedded copies.

``medkg.jsonld`` embeds nodes (concepts, evidence, quantities, ...) inside
drug objects. A node shared by several clusters (a concept) is embedded by
each cluster with what *that* cluster says about it, so the rules that make
the merged document the same whatever the clusters are:

* **copies**: every node object of a fragment (top-level, or embedded with at
  least one value besides ``id``) is a copy; its *flat* form (nested node
  objects written as their ids, arrays ordered) has a digest;
* **union**: copies of one node merge key by key, values unioned (node objects
  by ``id``, recursively; an IRI string dropped where the node object with
  that id is present; other values by their JSON), arrays ordered as
  `medkg.export.jsonld.ordered` orders them; a single value stays single;
* **patch**: every embedded copy of a node whose copies differ anywhere is
  replaced by the union of all its copies (and so on inside it);
* **top-level**: a node embedded anywhere is never also a top-level node: its
  top-level copies (from a cluster that embeds it nowhere) go into the union.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from typing import Any

from medkg.export.jsonld import JsonObject, ordered
from medkg.pipeline.fragments.model import NodeCopy


def is_node(value: Any) -> bool:
    """A node object with something besides its id (a copy, not a mere reference)."""
    return isinstance(value, dict) and isinstance(value.get("id"), str) and len(value) > 1


def embedded(value: Any) -> Iterator[JsonObject]:
    """Every node object nested anywhere inside `value` (not `value` itself)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key != "id":
                yield from _nodes_within(item)
    elif isinstance(value, list):
        for item in value:
            yield from _nodes_within(item)


def _nodes_within(value: Any) -> Iterator[JsonObject]:
    if isinstance(value, list):
        for item in value:
            yield from _nodes_within(item)
    elif isinstance(value, dict):
        if is_node(value):
            yield value
        yield from embedded(value)


def flat(node: JsonObject) -> JsonObject:
    """The node's own values: nested node objects replaced by their ids, arrays ordered."""
    result: JsonObject = ordered({key: _flat_value(value) for key, value in node.items()})
    return result


def _flat_value(value: Any) -> Any:
    if isinstance(value, list):
        return [_flat_value(item) for item in value]
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return value["id"]
    return value


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def digest(node: JsonObject) -> str:
    """The digest of a node's flat form (32 hex digits of its SHA-256)."""
    return hashlib.sha256(canonical(flat(node)).encode("utf-8")).hexdigest()[:32]


def copies(roots: list[JsonObject]) -> list[NodeCopy]:
    """The `NodeCopy` records of a fragment's top-level nodes: per id, one for its top-level
    copy and one for its embedded copies (their union), sorted by id."""
    tops: dict[str, JsonObject] = {}
    inside: dict[str, JsonObject] = {}
    holders: dict[str, set[str]] = {}
    for root in roots:
        root_id = str(root["id"])
        tops[root_id] = union(tops[root_id], root) if root_id in tops else root
        for node in embedded(root):
            node_id = str(node["id"])
            inside[node_id] = union(inside[node_id], node) if node_id in inside else node
            holders.setdefault(node_id, set()).add(root_id)
    records = [NodeCopy(i, True, digest(node)) for i, node in tops.items()]
    records += [
        NodeCopy(i, False, digest(node), tuple(sorted(holders[i]))) for i, node in inside.items()
    ]
    return sorted(records, key=lambda record: (record.node_id, not record.top))


def union(first: JsonObject, second: JsonObject, conflicts: list[str] | None = None) -> JsonObject:
    """Two copies of one node as one (see the module docstring).

    A key with a single value in both copies but different values gets both (as
    ``medkg.jsonld`` of the union graph would); with `conflicts`, that is also
    reported there unless the key is ``type``: such keys (no ``@set`` in the
    context) stand for properties with one value per node.
    """
    merged = dict(first)
    for key, value in second.items():
        if key not in merged:
            merged[key] = value
        elif key != "id" and merged[key] != value:
            both = _union_values(merged[key], value, conflicts)
            if (
                conflicts is not None
                and key != "type"
                and isinstance(both, list)
                and not (isinstance(merged[key], list) or isinstance(value, list))
            ):
                conflicts.append(
                    f"{first.get('id')}: {key!r} has one value in each copy, and they differ: "
                    f"{canonical(merged[key])} and {canonical(value)}"
                )
            merged[key] = both
    return merged


def _union_values(first: Any, second: Any, conflicts: list[str] | None = None) -> Any:
    items = (first if isinstance(first, list) else [first]) + (
        second if isinstance(second, list) else [second]
    )
    nodes: dict[str, JsonObject] = {}
    others: dict[str, Any] = {}
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            node_id = item["id"]
            nodes[node_id] = union(nodes[node_id], item, conflicts) if node_id in nodes else item
        else:
            others.setdefault(canonical(item), item)
    values = list(nodes.values())
    values += [v for v in others.values() if not (isinstance(v, str) and v in nodes)]
    if len(values) == 1 and not isinstance(first, list) and not isinstance(second, list):
        return values[0]
    return ordered(values)


def patch(value: Any, table: Mapping[str, JsonObject], within: frozenset[str] = frozenset()) -> Any:
    """`value` with every embedded copy of a node in `table` merged with its entry there,
    recursively (a node is not expanded again inside itself)."""
    if isinstance(value, list):
        return [patch(item, table, within) for item in value]
    if not isinstance(value, dict):
        return value
    node_id = value.get("id")
    if isinstance(node_id, str):
        if node_id in table and len(value) > 1 and node_id not in within:
            value = union(value, table[node_id])
        within = within | {node_id}
    return {key: item if key == "id" else patch(item, table, within) for key, item in value.items()}
