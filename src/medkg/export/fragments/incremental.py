"""Updating ``dist/`` when only some clusters changed: the incremental merge.

`update` takes the output folder a merge wrote, that merge's `MergeState`, the
fragments that left (clusters not built as they were) and the ones that
arrived. It works out what the merge of the new set of fragments would write,
touching only what depends on the fragments that changed:

* ``medkg.nq``/``medkg.ttl``: each subject of a changed fragment gets the lines
  the other fragments still give it (the old lines in ``medkg.nq``, or the
  counted lines of a shared subject) plus the new ones, and its block is made
  again (`medkg.export.turtle.Terms.block`, as the merge does); the triples of
  each named graph and the distinct triples are adjusted by the difference;
* ``medkg.jsonld``: each node of a changed fragment gets its `NodeState` from
  the state (or from the one other fragment that has it) minus what the old
  fragment said plus what the new one says; each top-level node of a changed
  fragment, and each node whose top-level copies start or stop being dropped,
  is written again by the merge's own rules (`.jsonld_merge`);
* ``fhir/``: resources of changed fragments are written when their bytes
  changed, removed when no fragment gives them any more; the bundle's entries
  likewise; references and code systems must still resolve;
* the extra files, ``void.ttl`` (the blocks of the dataset, the named graphs,
  the files and the source documents that changed), ``README.md`` and
  ``SHA256SUMS``.

The big files are rewritten by `.splice` (old bytes copied between the changed
chunks), into a staging folder; nothing in the output folder is touched here.
Whatever the merge would do differently from a plain update — a node whose
copies start or stop differing, or whose patched union changes; a conflict;
an invalid merged node; a reference left unresolved — raises `CannotUpdate`,
and the caller runs the full merge instead, which gives the same bytes (or the
same error).
"""

from __future__ import annotations

import bisect
import hashlib
import json
import mmap
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import reduce
from itertools import combinations
from pathlib import Path

from medkg.export import jsonld, nquads, turtle
from medkg.export.fhir import bundle
from medkg.export.fragments import splice
from medkg.export.fragments.fhir_files import CODE_SYSTEM, ENTRY, bundle_entry
from medkg.export.fragments.graph_part import split_lines, split_quad, subjects_of
from medkg.export.fragments.jsonld_merge import NodeMerge, node_spans
from medkg.export.fragments.model import FhirFile, Fragment
from medkg.export.fragments.nodes import canonical, union
from medkg.export.fragments.state import MergeState, NodeState, Resource
from medkg.export.jsonld import JsonObject
from medkg.export.metadata import (
    DCAT,
    SELF_DESCRIBING,
    VOID,
    VOID_PREFIXES,
    DatasetFacts,
    FileInfo,
    readme,
    void_statements,
)
from medkg.export.turtle import iri, split_statement
from medkg.namespaces import DCTERMS, ID, PREFIXES, RDF

VOID_FILE, SUMS, README = SELF_DESCRIBING
Extra = Mapping[str, bytes | Callable[[int], bytes]]
Changes = list[tuple[bytes, list[bytes]]]
RDF_TYPE = str(RDF.type)
MakeLayout = Callable[[bytes | mmap.mmap], splice.Layout]


class CannotUpdate(Exception):
    """The merge of the new fragments is not a plain update of the old files (the reason
    says why): merge in full instead."""


@dataclass
class Update:
    """The files an update wrote to the staging folder, and those it removes."""

    written: dict[str, FileInfo] = field(default_factory=dict)
    deleted: set[str] = field(default_factory=set)


class Fragments:
    """The fragments an update reads: the changed ones, and unchanged ones by number."""

    def __init__(
        self,
        numbers: Mapping[str, int],
        removed: Mapping[str, Fragment],
        added: Mapping[str, Fragment],
        load: Callable[[str], Fragment],
    ):
        if any(key not in numbers for key in removed) or any(key in numbers for key in added):
            raise CannotUpdate("the changed fragments do not match the merge state")
        self.keys = {number: key for key, number in numbers.items()}
        self.removed = removed
        self.added = added
        self._load = load
        self._loaded: dict[int, Fragment] = {}
        self.removed_numbers = {numbers[key]: key for key in removed}
        first = max(numbers.values(), default=-1) + 1
        self.added_numbers = {key: first + i for i, key in enumerate(sorted(added))}

    def old(self, number: int) -> Fragment:
        """An old fragment (removed or unchanged) by its number in the state."""
        if number in self.removed_numbers:
            return self.removed[self.removed_numbers[number]]
        if number not in self._loaded:
            key = self.keys.get(number)
            if key is None:
                raise CannotUpdate(f"the merge state names an unknown fragment {number}")
            self._loaded[number] = self._load(key)
        return self._loaded[number]


# --- medkg.nq and medkg.ttl ------------------------------------------------------------------


def _lines_of(layout: splice.Lines, subject: bytes) -> bytes:
    start = layout.lower_bound(subject, layout.start)
    stop = start
    while stop < layout.end and layout.key(stop) == subject:
        stop = layout.following(stop)
    return bytes(layout.data[start:stop])


def _counts(lines: Iterable[bytes]) -> tuple[Counter[str], int]:
    """Lines per named graph, and distinct statements, of sorted N-Quads lines."""
    graphs: Counter[str] = Counter()
    statements = set()
    for line in lines:
        statement, graph = split_quad(line[:-1].decode("utf-8"))
        graphs[graph] += 1
        statements.add(statement)
    return graphs, len(statements)


def _block(subject: bytes, lines: list[bytes], terms: turtle.Terms) -> bytes:
    pairs: list[tuple[str, str]] = []
    previous = ""
    for line in lines:
        statement, _graph = split_quad(line[:-1].decode("utf-8"))
        if statement != previous:
            _, predicate, value = turtle.split_statement(statement)
            pairs.append((predicate, value))
            previous = statement
    return terms.block(subject.decode("utf-8"), pairs).encode("utf-8")


@dataclass
class GraphUpdate:
    quads: Changes
    blocks: Changes
    graphs: dict[str, int]
    statements: int


def update_graph(out: Path, state: MergeState, fragments: Fragments) -> GraphUpdate:
    """The changed subjects of ``medkg.nq`` and ``medkg.ttl``, and the new counts."""
    taken: dict[bytes, list[bytes]] = {}
    given: dict[bytes, list[bytes]] = {}
    for chosen, into in ((fragments.removed, taken), (fragments.added, given)):
        for fragment in chosen.values():
            for subject, lines, _block_text in subjects_of(fragment.graph):
                into.setdefault(subject, []).append(lines)
    subjects = sorted(set(taken) | set(given))
    shared = state.subjects(subjects)
    graphs: Counter[str] = Counter(state.get_meta("graphs") or {})
    statements = int(state.get_meta("statements") or 0)
    terms = turtle.Terms()
    quads: Changes = []
    blocks: Changes = []
    stored: dict[bytes, tuple[int, Counter[bytes]] | None] = {}
    with (out / nquads.FILE).open("rb") as handle:
        data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            layout = splice.Lines(data)
            for subject in subjects:
                if subject in shared:
                    owners, counts = shared[subject]
                    old_lines = sorted(line for line, n in counts.items() if n > 0)
                else:
                    old_lines = split_lines(_lines_of(layout, subject))
                    owners, counts = (1 if old_lines else 0), Counter(old_lines)
                for sign, parts in ((-1, taken.get(subject, [])), (1, given.get(subject, []))):
                    for lines in parts:
                        owners += sign
                        counts.update({line: sign for line in split_lines(lines)})
                if owners < 0 or any(n < 0 for n in counts.values()):
                    raise CannotUpdate(f"the merge state does not match medkg.nq at {subject!r}")
                new_lines = sorted(line for line, n in counts.items() if n > 0)
                stored[subject] = (owners, +counts) if owners > 1 else None
                if new_lines == old_lines:
                    continue
                old_graphs, old_statements = _counts(old_lines)
                new_graphs, new_statements = _counts(new_lines)
                graphs.subtract(old_graphs)
                graphs.update(new_graphs)
                statements += new_statements - old_statements
                quads.append((subject, [b"".join(new_lines)] if new_lines else []))
                blocks.append((subject, [_block(subject, new_lines, terms)] if new_lines else []))
        finally:
            data.close()
    state.put_subjects({s: v for s, v in stored.items() if v is not None or s in shared})
    return GraphUpdate(quads, blocks, {g: n for g, n in sorted(graphs.items()) if n}, statements)


# --- medkg.jsonld ------------------------------------------------------------------------------


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


# --- fhir/ ---------------------------------------------------------------------------------------


@dataclass
class FhirUpdate:
    files: dict[str, bytes]  # resource files to write
    deleted: set[str]
    entries: Changes  # of bundle.json


def update_fhir(state: MergeState, fragments: Fragments) -> FhirUpdate:
    """The resource files and bundle entries that change; `CannotUpdate` for a conflict or a
    reference nothing resolves any more."""
    taken: Counter[str] = Counter()
    given: dict[str, list[FhirFile]] = {}
    systems: Counter[str] = Counter()
    for fragment in fragments.removed.values():
        taken.update(resource.full_url for resource in fragment.fhir)
        systems.subtract(r.code_system for r in fragment.fhir if r.code_system)
    for fragment in fragments.added.values():
        for resource in fragment.fhir:
            given.setdefault(resource.full_url, []).append(resource)
        systems.update(r.code_system for r in fragment.fhir if r.code_system)
    urls = set(taken) | set(given)
    stored = state.resources(urls)
    rows: dict[str, Resource | None] = {}
    files: dict[str, bytes] = {}
    deleted: set[str] = set()
    entries: Changes = []
    for url in sorted(urls, key=lambda u: u.encode("utf-8")):
        old = stored.get(url)
        left = (old[3] if old else 0) - taken[url]
        if left < 0:
            raise CannotUpdate(f"the merge state does not match the fragments at {url}")
        arriving = given.get(url, [])
        if not arriving:
            if left:
                assert old is not None
                rows[url] = (*old[:3], left)
            else:
                rows[url] = None
                if old is not None:
                    deleted.add(old[0])
                    entries.append((url.encode("utf-8"), []))
            continue
        if len({(r.file_name, r.data) for r in arriving}) > 1:
            raise CannotUpdate(f"two new fragments give different resources for {url}")
        resource = arriving[0]
        sha = hashlib.sha256(resource.data).hexdigest()
        if left and old is not None and (old[0], old[1]) != (resource.file_name, sha):
            raise CannotUpdate(f"a new fragment gives another resource for {url}")
        rows[url] = (resource.file_name, sha, len(resource.data), left + len(arriving))
        if old is None or (old[0], old[1]) != (resource.file_name, sha):
            if old is not None and old[0] != resource.file_name:
                deleted.add(old[0])
            files[resource.file_name] = resource.data
            entries.append((url.encode("utf-8"), [bundle_entry(url, resource.data)]))
    names = [row[0] for row in rows.values() if row is not None]
    if len(names) != len(set(names)):
        raise CannotUpdate("two resources would be written to one file")
    deleted -= set(files)
    state.put_resources(rows)
    known_systems = state.code_systems(systems)
    counts = {url: known_systems.get(url, 0) + n for url, n in systems.items()}
    state.put_code_systems(counts)
    gone = [url for url, row in rows.items() if row is None]
    gone += [url for url, n in counts.items() if n <= 0]
    if state.needs_of(gone):
        raise CannotUpdate("a reference or code system no longer resolves")
    needed = [n for f in fragments.added.values() for n in f.fhir_needs]
    have = state.resources(n.target for n in needed if n.kind == ENTRY)
    have_systems = state.code_systems(n.target for n in needed if n.kind == CODE_SYSTEM)
    for need in needed:
        if need.target not in (have if need.kind == ENTRY else have_systems):
            raise CannotUpdate(f"{need.problem}")
    return FhirUpdate(files, deleted, entries)


# --- void.ttl --------------------------------------------------------------------------------


def _by_subject(statements: Iterable[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for statement in statements:
        found.setdefault(split_statement(statement)[0], []).append(statement)
    return found


def _dataset_fixed(triples: int) -> list[str]:
    """The dataset node's statements that do not list graphs, documents or files."""
    node = iri(ID["dataset"])
    made = void_statements(DatasetFacts({}, triples, []), {})
    return [s for s in made if s.startswith(node + " ")]


def dataset_items(
    graphs: Iterable[str], documents: Iterable[str], names: Iterable[str]
) -> list[str]:
    """The dataset node's statements listing `graphs`, `documents` and file `names`, as
    `medkg.export.metadata.void_statements` makes them (checked on one item of each kind
    by `_check_dataset_items`)."""
    node = iri(ID["dataset"])
    found = [
        f"{node} {iri(VOID.subset)} {iri(ID[f'dataset/{name.removeprefix(str(ID))}'])}"
        for name in graphs
    ]
    found += [f"{node} {iri(DCTERMS.source)} {document}" for document in documents]
    found += [
        f"{node} {iri(DCAT.distribution)} {iri(ID[f'dataset/distribution/{name}'])}"
        for name in names
    ]
    return found


def _check_dataset_items(graph: str | None, document: str | None, name: str | None) -> None:
    """`dataset_items` must say what `void_statements` says (one item of each kind)."""
    node = iri(ID["dataset"])
    sources = [f"{document} <x:p> <x:o>"] if document else []
    facts = DatasetFacts({graph: 1} if graph else {}, 0, sources)
    expected = {
        s
        for s in void_statements(facts, {name: FileInfo(0, "")} if name else {})
        if s.startswith(node + " ")
    }
    made = set(_dataset_fixed(0)) | set(
        dataset_items(
            [graph] if graph else [], [document] if document else [], [name] if name else []
        )
    )
    if made != expected:
        raise CannotUpdate(
            "void.ttl's dataset statements are not those medkg.export.metadata makes"
        )


def _expand(term: str, namespaces: Mapping[str, str]) -> str:
    """A term as `medkg.export.turtle.Terms` writes it, back in N-Triples form."""
    if term == "a":
        return f"<{RDF_TYPE}>"
    if term.startswith('"'):
        close = term.rfind('"')
        tail = term[close + 1 :]
        if tail.startswith("^^") and not tail.startswith("^^<"):
            return term[: close + 1] + "^^" + _expand(tail[2:], namespaces)
        return term
    if term.startswith("<"):
        return term
    prefix, _, local = term.partition(":")
    return f"<{namespaces[prefix]}{local}>"


def edit_block(
    block: str,
    removed: Iterable[tuple[str, str]],
    added: Iterable[tuple[str, str]],
    terms: turtle.Terms,
    namespaces: Mapping[str, str],
) -> str:
    """A block `medkg.export.turtle.Terms.block` wrote, with some (predicate, object) pairs
    taken away and others added, edited line by line (a subject with many objects is not
    written again): predicates in their order (``a`` first, then by IRI), each one's
    objects by their N-Triples form, one per line when there are several."""
    lines = block.rstrip("\n").split("\n")
    if len(lines) < 2 or lines[-1] != ".":
        raise CannotUpdate("void.ttl: a block not as medkg writes it")
    groups: dict[str, list[str]] = {}
    index = 1
    while index < len(lines) - 1:
        body = lines[index][4:]
        if " " in body:  # "verb object ;"
            verb, value = body.split(" ", 1)
            groups[verb] = [value[:-2]]
            index += 1
            continue
        objects = []
        index += 1
        while index < len(lines) - 1 and lines[index].startswith("        "):
            objects.append(lines[index][8:-2])
            index += 1
        groups[body] = objects
    for predicate, value in removed:
        verb = "a" if predicate == f"<{RDF_TYPE}>" else terms.iri(predicate)
        written = terms.term(value)
        if written not in groups.get(verb, []):
            raise CannotUpdate(f"void.ttl: {value} is not there to remove")
        groups[verb].remove(written)
    for predicate, value in added:
        verb = "a" if predicate == f"<{RDF_TYPE}>" else terms.iri(predicate)
        objects = groups.setdefault(verb, [])
        place = bisect.bisect_left(objects, value, key=lambda o: _expand(o, namespaces))
        objects.insert(place, terms.term(value))
    order = sorted(
        (verb for verb, objects in groups.items() if objects),
        key=lambda verb: (verb != "a", _expand(verb, namespaces)),
    )
    written_lines = [lines[0]]
    for verb in order:
        objects = groups[verb]
        if len(objects) == 1:
            written_lines.append(f"    {verb} {objects[0]} ;")
        else:
            values = " ,\n".join(f"        {value}" for value in objects)
            written_lines.append(f"    {verb}\n{values} ;")
    written_lines.append(".\n\n")
    return "\n".join(written_lines)


def _pairs(statements: Iterable[str]) -> list[tuple[str, str]]:
    return [(p, o) for _s, p, o in map(split_statement, statements)]


def update_void(
    out: Path,
    old: tuple[Mapping[str, int], int, Mapping[str, list[str]], Mapping[str, FileInfo]],
    new: tuple[Mapping[str, int], int, Mapping[str, list[str]], Mapping[str, FileInfo]],
) -> Changes:
    """The changed blocks of ``void.ttl``. `old` and `new` are (triples per named graph,
    distinct triples, the statements about each source document the change touches,
    each described file the change touches), before and after."""
    old_graphs, old_triples, old_by_document, old_files = old
    graphs, triples, new_by_document, files = new
    _check_dataset_items(
        next(iter(graphs), None), next(iter(new_by_document), None), next(iter(files), None)
    )
    changed_graphs = {g for g in {*old_graphs, *graphs} if old_graphs.get(g) != graphs.get(g)}
    changed_files = {n for n in {*old_files, *files} if old_files.get(n) != files.get(n)}
    subjects: dict[str, list[str]] = {}
    for graph in changed_graphs:
        subset = iri(ID[f"dataset/{graph.removeprefix(str(ID))}"])
        made = (
            void_statements(DatasetFacts({graph: graphs[graph]}, 0, []), {})
            if graph in graphs
            else []
        )
        subjects[subset] = [s for s in made if s.startswith(subset + " ")]
    for name in changed_files:
        distribution = iri(ID[f"dataset/distribution/{name}"])
        made = (
            void_statements(DatasetFacts({}, 0, []), {name: files[name]}) if name in files else []
        )
        subjects[distribution] = [s for s in made if s.startswith(distribution + " ")]
    for document in {*old_by_document, *new_by_document}:
        old_lines = sorted(set(old_by_document.get(document, [])))
        new_lines = sorted(set(new_by_document.get(document, [])))
        if old_lines != new_lines:
            made = void_statements(DatasetFacts({}, 0, new_lines), {}) if new_lines else []
            subjects[document] = [s for s in made if s.startswith(document + " ")]
    terms = turtle.Terms(VOID_PREFIXES)
    changes: Changes = []
    for subject in sorted(subjects):
        statements = sorted(set(subjects[subject]))
        pairs = [split_statement(s)[1:] for s in statements]
        block = terms.block(subject, pairs).encode("utf-8") if pairs else None
        changes.append((subject.encode("utf-8"), [block] if block else []))

    node = iri(ID["dataset"])
    taken = set(_dataset_fixed(old_triples)) | set(
        dataset_items(
            [g for g in old_graphs if g not in graphs],
            [d for d in old_by_document if d not in new_by_document],
            [n for n in old_files if n not in files],
        )
    )
    given = set(_dataset_fixed(triples)) | set(
        dataset_items(
            [g for g in graphs if g not in old_graphs],
            [d for d in new_by_document if d not in old_by_document],
            [n for n in files if n not in old_files],
        )
    )
    if taken != given:
        with (out / VOID_FILE).open("rb") as handle:
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            try:
                layout = splice.Blocks(data, VOID_PREFIXES)
                key = node.encode("utf-8")
                start = layout.lower_bound(key, layout.start)
                if start >= layout.end or layout.key(start) != key:
                    raise CannotUpdate("void.ttl has no dataset block")
                dataset_block = bytes(data[start : layout.chunk_end(start)]).decode("utf-8")
            finally:
                data.close()
        edited = edit_block(
            dataset_block,
            _pairs(sorted(taken - given)),
            _pairs(sorted(given - taken)),
            terms,
            VOID_PREFIXES,
        )
        changes.append((node.encode("utf-8"), [edited.encode("utf-8")]))
        changes.sort(key=lambda change: change[0])
    return changes


# --- the update ------------------------------------------------------------------------------


def update(
    out: Path,
    staging: Path,
    state: MergeState,
    removed: Mapping[str, Fragment],
    added: Mapping[str, Fragment],
    load: Callable[[str], Fragment],
    extra: Extra,
) -> Update:
    """Write the files of `out` that change into `staging`; update `state` (uncommitted).

    `removed` and `added` are fragments by store key (the removed ones are those the
    state lists that the new build does not have); `load` reads an unchanged fragment
    by key. Raises `CannotUpdate` (leaving `state` to be rolled back) when the full
    merge must run instead. Nothing here reads all of the state: only what the changed
    fragments name.
    """
    fragments = Fragments(state.clusters(), removed, added, load)
    old_graphs: dict[str, int] = state.get_meta("graphs") or {}
    old_statements = int(state.get_meta("statements") or 0)
    documents = {
        line[: line.index(" ")]
        for fragment in [*removed.values(), *added.values()]
        for line in fragment.sources
    }
    old_sources = state.sources(documents)
    for number in fragments.removed_numbers:
        state.remove_cluster(number)
    for key, number in fragments.added_numbers.items():
        fragment = added[key]
        state.add_cluster(number, key)
        state.add_sources((number, line) for line in fragment.sources)
        state.add_needs((number, n.kind, n.target, n.problem) for n in fragment.fhir_needs)

    graph = update_graph(out, state, fragments)
    node_changes = update_nodes(state, fragments)
    fhir = update_fhir(state, fragments)
    new_sources = state.sources(documents)

    result = Update()
    staging.mkdir(parents=True, exist_ok=True)
    touched = {
        nquads.FILE,
        turtle.FILE,
        jsonld.DOCUMENT,
        bundle.FILE,
        *fhir.files,
        *fhir.deleted,
        *extra,
        *SELF_DESCRIBING,
    }
    old_files = state.files(touched)

    def spliced(name: str, layout: MakeLayout, changes: Changes) -> None:
        if not changes:
            return
        target = staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            info = splice.splice(out / name, layout, changes, target)
        except splice.Unsupported as unsupported:
            raise CannotUpdate(f"{name}: {unsupported}") from unsupported
        result.written[name] = info

    def turtle_blocks(data: bytes | mmap.mmap) -> splice.Layout:
        return splice.Blocks(data, PREFIXES)

    def void_blocks(data: bytes | mmap.mmap) -> splice.Layout:
        return splice.Blocks(data, VOID_PREFIXES)

    def nodes(data: bytes | mmap.mmap) -> splice.Layout:
        return splice.JsonLdNodes(data, jsonld.is_drug)

    jobs: list[tuple[str, MakeLayout, Changes]] = [
        (nquads.FILE, splice.Lines, graph.quads),
        (turtle.FILE, turtle_blocks, graph.blocks),
        (jsonld.DOCUMENT, nodes, node_changes),
        (bundle.FILE, splice.BundleEntries, fhir.entries),
    ]
    with ThreadPoolExecutor(max_workers=2) as pool:
        for done in [pool.submit(spliced, *job) for job in jobs]:
            done.result()
    for name, data in sorted(fhir.files.items()):
        _put(staging, name, data, old_files, result)
    result.deleted.update(fhir.deleted)
    for name, value in sorted(extra.items()):
        data = value(graph.statements) if callable(value) else value
        _put(staging, name, data, old_files, result)

    def described(files: Mapping[str, FileInfo]) -> dict[str, FileInfo]:
        return {n: i for n, i in files.items() if n not in SELF_DESCRIBING}

    now = {**old_files, **result.written}
    for name in result.deleted:
        now.pop(name, None)
    void_changes = update_void(
        out,
        (old_graphs, old_statements, old_sources, described(old_files)),
        (graph.graphs, graph.statements, new_sources, described(now)),
    )
    spliced(VOID_FILE, void_blocks, void_changes)
    state.put_files({**result.written, **dict.fromkeys(result.deleted)})
    if any(name not in old_files for name in result.written) or result.deleted:
        _put(staging, README, readme(state.folders()), old_files, result)
    sums: Changes = [
        (name.encode("utf-8"), [f"{info.sha256}  {name}\n".encode()])
        for name, info in result.written.items()
    ]
    sums += [(name.encode("utf-8"), []) for name in result.deleted]
    spliced(SUMS, splice.SumLines, sorted(sums))

    state.set_meta("graphs", graph.graphs)
    state.set_meta("statements", graph.statements)
    state.put_files({**result.written, **dict.fromkeys(result.deleted)})
    return result


def _put(
    staging: Path, name: str, data: bytes, files: Mapping[str, FileInfo], result: Update
) -> None:
    """Write `data` as file `name` unless the output already has those bytes."""
    info = FileInfo.of(data)
    if files.get(name) == info and name not in result.written:
        return
    target = staging / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    result.written[name] = info


def apply(result: Update, staging: Path, out: Path) -> None:
    """Move the files an update wrote from `staging` into `out` and remove the deleted ones
    (each move is a rename: `staging` must be on the same file system)."""
    for name in sorted(result.written):
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        (staging / name).replace(target)
    for name in sorted(result.deleted):
        (out / name).unlink(missing_ok=True)
