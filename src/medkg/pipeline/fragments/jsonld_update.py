"""The incremental merge's part of ``medkg.jsonld``: the changed top-level nodes.

Each node of a changed fragment gets its `NodeState` from the `MergeState` (or
from the one other fragment that has it) minus what the old fragment said plus
what the new one says; each top-level node of a changed fragment, and each
node whose top-level copies start or stop being dropped, is written again by
the merge's own rules (`.jsonld_merge`). A node whose copies start or stop
differing, or whose patched union changes, a conflict and an invalid merged
node raise `CannotUpdate`: the full merge decides those.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import reduce
from itertools import combinations

from medkg.export.jsonld import JsonObject
from medkg.pipeline.fragments.changed_fragments import CannotUpdate, Changes, Fragments
from medkg.pipeline.fragments.jsonld_merge import NodeMerge, node_spans
from medkg.pipeline.fragments.model import Fragment
from medkg.pipeline.fragments.nodes import canonical, union
from medkg.pipeline.fragments.state import MergeState, NodeState


class NodeIndex:
    """One fragment's JSON-LD part by node id."""

    def __init__(self, fragment: Fragment):
        self.copies: dict[str, list[tuple[bool, str, tuple[str, ...]]]] = {}
        for copy in fragment.copies:
            self.copies.setdefault(copy.node_id, []).append((copy.top, copy.digest, copy.roots))
        self.texts: dict[str, list[tuple[bool, bytes]]] = {}
        for node in fragment.nodes:
            self.texts.setdefault(node.node_id, []).append((node.drug, node.text))

    def state(self, node_id: str, with_copies: bool) -> NodeState:
        """What this fragment says about `node_id` (nothing when it has no copy of it)."""
        found = NodeState(0, Counter(), Counter(), Counter(), Counter(), None)
        records = self.copies.get(node_id, [])
        if not records:
            return found if not with_copies else NodeState.empty()
        found.owners = 1
        for top, digest, roots in records:
            if top:
                found.top[digest] += 1
            else:
                found.embedded[digest] += 1
                found.roots.update(roots)
        found.tops.update(self.texts.get(node_id, []))
        if with_copies:
            found.copies = Counter()
            for _drug, text in self.texts.get(node_id, []):
                found.copies[canonical(json.loads(text))] += 1
            for _top, _digest, roots in records:
                for root in roots:
                    for _drug, text in self.texts.get(root, []):
                        for start, end, _indent in node_spans(text, node_id):
                            found.copies[canonical(json.loads(text[start:end]))] += 1
        return found


def table_entry(copies: Counter[str]) -> JsonObject:
    """The union of a patched node's distinct copies; `CannotUpdate` when two copies give a
    single-valued key different values (then the merge's message depends on its order)."""
    nodes = [json.loads(text) for text in sorted(copies) if copies[text] > 0]
    for first, second in combinations(nodes, 2):
        problems: list[str] = []
        union(first, second, problems)
        if problems:
            raise CannotUpdate(f"conflicting copies of {first.get('id')}")
    merged: JsonObject = reduce(union, nodes)
    return merged


def _indented(text: bytes) -> bytes:
    """A top-level node's text as `medkg.export.jsonld.write_document` writes it."""
    return b"    " + text.replace(b"\n", b"\n    ")


def update_nodes(state: MergeState, fragments: Fragments) -> Changes:
    """The changed top-level nodes of ``medkg.jsonld`` (by the merge's keys)."""
    removed = [NodeIndex(f) for f in fragments.removed.values()]
    added = {
        number: NodeIndex(fragments.added[key]) for key, number in fragments.added_numbers.items()
    }
    changed = sorted({i for index in [*removed, *added.values()] for i in index.copies})
    stored = state.nodes(changed)
    owners = state.owners(i for i in changed if i not in stored)
    table_text = state.table()
    old_states: dict[str, NodeState] = {}
    new_states: dict[str, NodeState] = {}
    indexes: dict[int, NodeIndex] = {}

    def index_of(number: int) -> NodeIndex:
        if number not in indexes:
            indexes[number] = NodeIndex(fragments.old(number))
        return indexes[number]

    for node_id in changed:
        if node_id in stored:
            base = stored[node_id]
        else:  # at most one old fragment has it (more only through a hash collision), and
            # its copies do not differ (else it would be stored): no copy text is needed
            base = NodeState(0, Counter(), Counter(), Counter(), Counter(), None)
            for number in sorted(owners.get(node_id, set())):
                base.add(index_of(number).state(node_id, False))
        tracked = base.copies is not None
        old = _copy(base)
        new = _copy(base)
        for index in removed:
            if node_id in index.copies:
                new.add(index.state(node_id, tracked), -1)
        for index in added.values():
            if node_id in index.copies:
                new.add(index.state(node_id, tracked), 1)
        if new.owners < 0 or any(n < 0 for n in new.top.values()):
            raise CannotUpdate(f"the merge state does not match the fragments at {node_id}")
        if old.patched != new.patched:
            raise CannotUpdate(f"{node_id}: its copies start or stop differing")
        if new.patched:
            if new.copies is None:
                raise CannotUpdate(f"{node_id}: the copies of a shared node are not kept")
            entry = canonical(table_entry(new.copies))
            if entry != table_text.get(node_id):
                raise CannotUpdate(f"{node_id}: its patched union changes")
        old_states[node_id] = old
        new_states[node_id] = new

    keys: set[tuple[bool, str]] = set()
    for index in [*removed, *added.values()]:
        for node_id, found in index.texts.items():
            keys.update((drug, node_id) for drug, _text in found)
    for node_id, new in new_states.items():
        if new.dropped != old_states[node_id].dropped:
            keys.update((drug, node_id) for drug, _ in [*new.tops, *old_states[node_id].tops])

    table: dict[str, JsonObject] = {}
    patched_texts: dict[str, bytes] = {}
    changes: Changes = []
    for drug, node_id in sorted(keys, key=lambda k: (not k[0], k[1].encode("utf-8"))):
        key = (b"0" if drug else b"1") + node_id.encode("utf-8")
        new = new_states[node_id]
        if {flag for flag, _ in new.tops} == {True, False}:
            raise CannotUpdate(f"{node_id}: a drug object in one fragment, another node elsewhere")
        distinct = sorted({body for (flag, body), n in new.tops.items() if flag == drug and n > 0})
        if new.dropped or not distinct:
            changes.append((key, []))
            continue
        if not table and table_text:
            table = {i: json.loads(text) for i, text in table_text.items()}
        if len(distinct) > 1:
            problems: list[str] = []
            written = NodeMerge._merged(distinct, table, 0, problems)
            if problems:
                raise CannotUpdate(f"{node_id}: the merged node does not validate")
        else:
            written = distinct[0]
            inside = {i for i in table_text if _holds(written, i)}
            if inside:
                written = NodeMerge._spliced(written, inside, table, patched_texts)
        changes.append((key, [_indented(written)]))

    for number, index in added.items():
        state.add_owners((node_id, number) for node_id in index.copies)
    for number in fragments.removed_numbers:
        fragment = fragments.removed[fragments.removed_numbers[number]]
        state.remove_owners((copy.node_id, number) for copy in fragment.copies)
    state.put_nodes(
        {
            node_id: _kept(new) if (new.owners > 1 or new.patched) else None
            for node_id, new in new_states.items()
            if node_id in stored or new.owners > 1 or new.patched
        }
    )
    return changes


def _holds(text: bytes, node_id: str) -> bool:
    needle = b'"id": ' + json.dumps(node_id, ensure_ascii=False).encode("utf-8")
    return needle in text


def _copy(state: NodeState) -> NodeState:
    return NodeState(
        state.owners,
        Counter(state.top),
        Counter(state.embedded),
        Counter(state.roots),
        Counter(state.tops),
        None if state.copies is None else Counter(state.copies),
    )


def _kept(state: NodeState) -> NodeState:
    """What the state keeps of a node: its copies' texts only while they differ."""
    if not state.patched:
        state.copies = None
    return state
