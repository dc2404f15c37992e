"""``medkg.jsonld`` from the fragments' top-level nodes (the rules are in `.nodes`).

Three passes over spooled, sorted records (none holds the document):

1. **plan**, over every fragment's `NodeCopy` records by node id: a node with
   copies that differ, at least one embedded, is *patched*; a node embedded
   anywhere loses its top-level copies (*dropped*); each top-level node that
   holds an embedded copy of a patched node is listed with those nodes;
2. **table**, over the top-level nodes: the union of all copies of each
   patched node (only those copies' text is parsed, found by `node_spans`);
3. **write**, over the top-level nodes in document order (drugs, then the
   others, each by id): a node from one fragment, or from several with the
   same bytes, is copied as rendered, with each embedded copy of a patched node
   replaced, in the text, by the patched union written at the same indent (as
   ``json.dumps`` would write the whole node: pretty-printed JSON indents by
   depth only, and patching never changes an ``id`` or a ``position``, which
   is what orders arrays of nodes); a node with differing top-level copies is
   their union, patched, and validated against the JSON Schema on its own (its
   path names its place in the merged document). A key that must hold one
   value but gets two different ones fails the export either way.
"""

from __future__ import annotations

import json
import struct
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import reduce
from pathlib import Path

from medkg.errors import ExportInvalid
from medkg.export import jsonld
from medkg.export.jsonld import JsonObject
from medkg.pipeline.fragments.model import Fragment
from medkg.pipeline.fragments.nodes import canonical, patch, union
from medkg.pipeline.fragments.spool import RecordSpool
from medkg.pipeline.fragments.state import NodeState

_TOP = b"T"
_EMBEDDED = b"E"
_GRAPH = "$['@graph'][0]"
_NUMBER = struct.Struct(">I")  # the fragment a spooled record came from


@dataclass
class Plan:
    patched: set[str] = field(default_factory=set)
    dropped: set[str] = field(default_factory=set)
    holders: dict[str, set[str]] = field(default_factory=dict)  # root -> patched nodes in it


def node_spans(text: bytes, node_id: str) -> list[tuple[int, int, int]]:
    """``(start, end, indent)`` of each node object with `node_id` and other keys in `text`
    (a node as `medkg.export.jsonld.node_text` writes it); `indent` is that of its keys.

    Pretty-printed JSON puts each key on its own line, indented by its depth, and
    no string holds a raw newline; so the object opens with the last ``{`` before
    its ``"id"`` line that is followed by a key at the same indent, and closes at
    the first ``}`` after it indented one level less.
    """
    needle = b'"id": ' + json.dumps(node_id, ensure_ascii=False).encode("utf-8")
    spans = []
    at = text.find(needle)
    while at != -1:
        after = at + len(needle)
        line = text.rfind(b"\n", 0, at) + 1
        indent = at - line
        if text[line:at] == b" " * indent and text[after : after + 1] in (b",", b"\n"):
            start = text.rfind(b"{\n" + b" " * indent + b'"', 0, at + 1)
            close = text.find(b"\n" + b" " * (indent - 2) + b"}", after)
            alone = start == line - 2 and close == after
            if start != -1 and close != -1 and not alone:
                spans.append((start, close + indent, indent))
        at = text.find(needle, after)
    return spans


def outermost(spans: list[tuple[int, int, int, str]]) -> list[tuple[int, int, int, str]]:
    """The spans not inside another, in order."""
    kept: list[tuple[int, int, int, str]] = []
    for span in sorted(spans):
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


class NodeMerge:
    """Collects the JSON-LD part of fragments; writes the merged document.

    With `record`, the merge also keeps a `NodeState` for every node that several
    fragments have a copy of, or whose copies differ (the merge state's ``node``
    table), and the patched unions (`table`).
    """

    def __init__(self, folder: Callable[[], Path], budget: int, record: bool = False):
        self.nodes = RecordSpool("nodes", folder, budget // 2)
        self.copies = RecordSpool("copies", folder, budget // 2)
        self.fragments = 0
        self.record = record
        self.states: dict[str, NodeState] = {}
        self.table_entries: dict[str, JsonObject] = {}

    def add(self, fragment: Fragment) -> None:
        number = _NUMBER.pack(self.fragments)
        self.fragments += 1
        for node in fragment.nodes:
            self.nodes.add(node.key, number + node.text)
        for copy in fragment.copies:
            where = "\0".join(copy.roots).encode("utf-8")
            flag = _TOP if copy.top else _EMBEDDED
            payload = number + flag + copy.digest.encode() + b"\0" + where
            self.copies.add(copy.node_id.encode("utf-8"), payload)

    def plan(self) -> Plan:
        plan = Plan()
        for key, payloads in self.copies.grouped():
            top = embedded_anywhere = False
            digests: set[bytes] = set()
            holders: set[str] = set()
            owners: set[bytes] = set()
            for payload in payloads:
                owners.add(payload[: _NUMBER.size])
                flag, rest = payload[_NUMBER.size : _NUMBER.size + 1], payload[_NUMBER.size + 1 :]
                found, _, where = rest.partition(b"\0")
                digests.add(found)
                if flag == _TOP:
                    top = True
                else:
                    embedded_anywhere = True
                    holders.update(where.decode("utf-8").split("\0"))
            patched = embedded_anywhere and len(digests) > 1
            if self.record and (len(owners) > 1 or patched):
                self.states[key.decode("utf-8")] = _node_state(payloads, len(owners), patched)
            if not embedded_anywhere:
                continue
            node_id = key.decode("utf-8")
            if top:
                plan.dropped.add(node_id)
            if patched:
                plan.patched.add(node_id)
                for root in holders:
                    plan.holders.setdefault(root, set()).add(node_id)
        return plan

    def table(self, plan: Plan, conflicts: list[str]) -> dict[str, JsonObject]:
        """The union of every copy of each patched node (only its own text is parsed)."""
        table: dict[str, JsonObject] = {}
        if not plan.patched:
            return table
        for key, payloads in self.nodes.grouped():
            root_id = key[1:].decode("utf-8")
            inside = plan.holders.get(root_id, set())
            if not inside and root_id not in plan.patched:
                continue
            for payload in payloads:
                text = payload[_NUMBER.size :]
                found = [json.loads(text)] if root_id in plan.patched else []
                for node_id in sorted(inside):
                    found += [json.loads(text[a:b]) for a, b, _ in node_spans(text, node_id)]
                for node in found:
                    known = table.get(node["id"])
                    table[node["id"]] = node if known is None else union(known, node, conflicts)
                    state = self.states.get(node["id"])
                    if state is not None and state.copies is not None:
                        state.copies[canonical(node)] += 1
        self.table_entries = table
        return table

    def write(self, write: Callable[[bytes], object]) -> None:
        """``medkg.jsonld``, or `ExportInvalid` after it when a merged node is invalid."""
        plan = self.plan()
        problems: list[str] = []
        table = self.table(plan, problems)
        patched: dict[str, bytes] = {}  # a patched node's text, at indent 0
        jsonld.write_document(self._texts(plan, table, patched, problems), write)
        if problems:
            raise ExportInvalid(jsonld.DOCUMENT, sorted(set(problems)))

    def _texts(
        self,
        plan: Plan,
        table: dict[str, JsonObject],
        patched: dict[str, bytes],
        problems: list[str],
    ) -> Iterator[bytes]:
        drugs: set[str] = set()
        index = 0
        for key, payloads in self.nodes.grouped():
            node_id = key[1:].decode("utf-8")
            texts = [payload[_NUMBER.size :] for payload in payloads]
            state = self.states.get(node_id)
            if state is not None:
                state.tops.update((key.startswith(b"0"), text) for text in texts)
            if node_id in plan.dropped:
                continue
            if key.startswith(b"0"):
                drugs.add(node_id)
            elif node_id in drugs:
                problems.append(f"{node_id}: a drug object in one fragment, another node elsewhere")
                continue
            distinct = sorted(set(texts))
            if len(distinct) > 1:
                yield self._merged(distinct, table, index, problems)
            elif node_id in plan.holders:
                yield self._spliced(distinct[0], plan.holders[node_id], table, patched)
            else:
                yield distinct[0]
            index += 1

    @staticmethod
    def _spliced(
        text: bytes, inside: set[str], table: dict[str, JsonObject], patched: dict[str, bytes]
    ) -> bytes:
        """`text` with each embedded copy of a patched node replaced by the patched union."""
        spans = [(a, b, indent, i) for i in inside for a, b, indent in node_spans(text, i)]
        pieces: list[bytes] = []
        done = 0
        for start, end, indent, node_id in outermost(spans):
            if node_id not in patched:
                patched[node_id] = jsonld.node_text(patch(table[node_id], table))
            pieces += [
                text[done:start],
                patched[node_id].replace(b"\n", b"\n" + b" " * (indent - 2)),
            ]
            done = end
        pieces.append(text[done:])
        return b"".join(pieces)

    @staticmethod
    def _merged(
        texts: list[bytes], table: dict[str, JsonObject], index: int, problems: list[str]
    ) -> bytes:
        """Several top-level copies of one node: their union, patched and validated."""
        copies = [json.loads(text) for text in texts]
        node = patch(reduce(lambda a, b: union(a, b, problems), copies), table)
        document = {"@context": jsonld.CONTEXT, "@graph": [node]}
        problems += [
            f"$['@graph'][{index}]" + problem[len(_GRAPH) :]
            if problem.startswith(_GRAPH)
            else problem
            for problem in jsonld.schema_problems(document)
        ]
        return jsonld.node_text(node)


def _node_state(payloads: list[bytes], owners: int, patched: bool) -> NodeState:
    """The `NodeState` of one node from its spooled copy records (texts come later)."""
    copies: Counter[str] | None = Counter() if patched else None
    state = NodeState(owners, Counter(), Counter(), Counter(), Counter(), copies)
    for payload in payloads:
        flag = payload[_NUMBER.size : _NUMBER.size + 1]
        found, _, where = payload[_NUMBER.size + 1 :].partition(b"\0")
        digest = found.decode()
        if flag == _TOP:
            state.top[digest] += 1
        else:
            state.embedded[digest] += 1
            if where:
                state.roots.update(where.decode("utf-8").split("\0"))
    return state
