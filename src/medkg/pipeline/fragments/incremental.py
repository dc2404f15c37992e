"""Updating ``dist/`` when only some clusters changed: the incremental merge.

`update` takes the output folder a merge wrote, that merge's `MergeState`, the
fragments that left (clusters not built as they were) and the ones that
arrived. It works out what the merge of the new set of fragments would write,
touching only what depends on the fragments that changed, one part per file
(`.changed_fragments.Fragments` gives each part the fragments it reads):

* ``medkg.nq``/``medkg.ttl`` (`.graph_update`): each subject of a changed
  fragment gets the lines the other fragments still give it (the old lines in
  ``medkg.nq``, or the counted lines of a shared subject) plus the new ones,
  and its block is made again (`medkg.export.turtle.Terms.block`, as the merge
  does); the triples of each named graph and the distinct triples are
  adjusted by the difference;
* ``medkg.jsonld`` (`.jsonld_update`): each node of a changed fragment gets
  its `NodeState` from the state (or from the one other fragment that has it)
  minus what the old fragment said plus what the new one says; each top-level
  node of a changed fragment, and each node whose top-level copies start or
  stop being dropped, is written again by the merge's own rules
  (`.jsonld_merge`);
* ``fhir/`` (`.fhir_update`): resources of changed fragments are written when
  their bytes changed, removed when no fragment gives them any more; the
  bundle's entries likewise; references and code systems must still resolve;
* ``kgx/`` (`medkg.export.kgx`): the node of each changed subject made again
  from its new lines, the edges of the changed fragments removed and written;
* the extra files, ``void.ttl`` (`.void_update`: the blocks of the dataset,
  the named graphs, the files and the source documents that changed),
  ``README.md`` and ``SHA256SUMS`` (here).

The big files are rewritten by `.splice` (old bytes copied between the changed
chunks), into a staging folder; nothing in the output folder is touched here
(`link_unchanged` then adds hard links to the unchanged files, and the complete
folder is swapped in as a full build's is: `medkg.pipeline.staging.swap_in`).
Whatever the merge would do
differently from a plain update — a node whose copies start or stop
differing, or whose patched union changes; a conflict; an invalid merged node;
a reference left unresolved — raises `CannotUpdate`, and the caller runs the
full merge instead, which gives the same bytes (or the same error).
"""

from __future__ import annotations

import mmap
import os
import shutil
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from medkg.export import jsonld, kgx, nquads, turtle
from medkg.export.fhir import bundle
from medkg.export.metadata import SELF_DESCRIBING, VOID_PREFIXES, FileInfo, readme
from medkg.namespaces import ID, PREFIXES
from medkg.pipeline.fragments import splice
from medkg.pipeline.fragments.changed_fragments import CannotUpdate, Changes, Fragments
from medkg.pipeline.fragments.fhir_update import update_fhir
from medkg.pipeline.fragments.graph_update import update_graph
from medkg.pipeline.fragments.jsonld_update import update_nodes
from medkg.pipeline.fragments.model import Fragment
from medkg.pipeline.fragments.pause import pause
from medkg.pipeline.fragments.state import MergeState
from medkg.pipeline.fragments.void_update import update_void

VOID_FILE, SUMS, README = SELF_DESCRIBING
Extra = Mapping[str, bytes | Callable[[int], bytes]]
MakeLayout = Callable[[bytes | mmap.mmap], splice.Layout]


@dataclass
class Update:
    """The files an update wrote to the staging folder, and those it removes."""

    written: dict[str, FileInfo] = field(default_factory=dict)
    deleted: set[str] = field(default_factory=set)


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
        *kgx.FILES,
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
        (kgx.NODES, splice.KgxLines, _kgx_nodes(graph.quads)),
        (kgx.EDGES, splice.KgxLines, _kgx_edges(fragments)),
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
    pause("update")
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


def _kgx_nodes(subjects: Changes) -> Changes:
    """The KGX node of each changed subject, from its new lines (none: it goes)."""
    changes: Changes = []
    for subject, chunks in subjects:
        node = kgx.node_line(chunks[0]) if chunks else None
        iri = subject.decode("utf-8")[1:-1]
        if iri.startswith(str(ID)):
            changes.append((kgx.curie(iri).encode("utf-8"), [node] if node else []))
    return sorted(changes)


def _kgx_edges(fragments: Fragments) -> Changes:
    """The edges of the fragments that left go, those of the ones that came are written."""
    edges: dict[bytes, list[bytes]] = {}
    for chosen, keep in ((fragments.removed, False), (fragments.added, True)):
        for fragment in chosen.values():
            for edge in kgx.split(fragment.kgx_edges):
                edges[kgx.key(edge)] = [edge] if keep else edges.get(kgx.key(edge), [])
    return sorted(edges.items())


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


def link_unchanged(result: Update, staging: Path, out: Path) -> None:
    """Complete `staging` into the whole new output folder: a hard link to each file of
    `out` the update neither wrote nor deleted (a copy with its modification time where
    the file system has no hard links), so the folder can replace `out` in one step. The
    files keep their inodes and times, so `out`'s stamp changes only where the update
    wrote."""
    skipped = set(result.written) | result.deleted
    pending = [("", str(out))]
    while pending:
        prefix, folder = pending.pop()
        target = os.path.join(staging, prefix)
        os.makedirs(target, exist_ok=True)
        with os.scandir(folder) as entries:
            for entry in entries:
                name = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    pending.append((name + "/", entry.path))
                elif name not in skipped:
                    try:
                        os.link(entry.path, os.path.join(target, entry.name))
                    except OSError:
                        shutil.copy2(entry.path, os.path.join(target, entry.name))
