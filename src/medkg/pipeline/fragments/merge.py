"""`merge`: every file of ``dist/`` from the clusters' fragments, written by streaming.

The fragments are read once, in any order; their parts go to spools
(`.spool`: in memory up to a budget, then in sorted run files in a scratch
folder next to the output) and every file is then written from sorted,
merged streams, so memory holds one fragment, the spool buffers and what is
shared across clusters (the JSON-LD patch table, concept and FHIR url sets),
never the corpus. The files, in the order they are written:

* ``medkg.nq`` and ``medkg.ttl``, in one pass over the fragments' subjects
  (`.graph_part`): the distinct N-Quads lines, sorted, and one Turtle block
  per subject (a shared node's lines come from several clusters and are
  written once); the pass also gives the triples of each named graph and the
  distinct triples of their union;
* ``medkg.jsonld``: `.jsonld_merge`; ``context.jsonld`` and
  ``medkg.schema.json`` as bundled;
* ``fhir/``: each resource once (the same resource from two fragments must
  have the same bytes, else `ExportInvalid` names both), ``fhir/bundle.json``
  from every entry by fullUrl, and every reference a fragment could not
  resolve on its own must resolve to a merged resource;
* ``kgx/medkg_nodes.jsonl`` (a node from each subject's merged lines, as the
  graph pass writes it) and ``kgx/medkg_edges.jsonl`` (the fragments' edges, by
  id): `medkg.export.kgx`;
* the `extra` files the caller supplies (a value may be a function of the
  number of distinct triples, e.g. the validation report);
* ``void.ttl``, ``README.md``, ``SHA256SUMS`` (`medkg.export.metadata`)
  from those counts, the source documents and each file's size and sha256.

Whatever the order of the fragments, and however the documents were grouped
into them, the same union gives the same bytes.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from medkg.errors import ExportInvalid
from medkg.export import jsonld, kgx, nquads, turtle
from medkg.export.fhir import bundle
from medkg.export.metadata import (
    SELF_DESCRIBING,
    DatasetFacts,
    FileInfo,
    readme,
    sha256sums_of,
    void_of,
)
from medkg.pipeline.fragments.fhir_files import BundleWriter, check_version, unmet
from medkg.pipeline.fragments.graph_part import GraphMerge
from medkg.pipeline.fragments.jsonld_merge import NodeMerge
from medkg.pipeline.fragments.model import FhirNeed, Fragment, FragmentInvalid
from medkg.pipeline.fragments.nodes import canonical
from medkg.pipeline.fragments.output import Output
from medkg.pipeline.fragments.pause import pause
from medkg.pipeline.fragments.spool import LineSpool, RecordSpool
from medkg.pipeline.fragments.state import MergeState

DEFAULT_MEMORY_BUDGET = 512 << 20  # bytes the spools may hold before writing runs
Extra = Mapping[str, bytes | Callable[[int], bytes]]
VOID, SUMS, README = SELF_DESCRIBING  # ("void.ttl", "SHA256SUMS", "README.md")


class Scratch:
    """A scratch folder for run files, made on first use next to the output (or in the
    system's temporary folder) and removed by `close`."""

    def __init__(self, near: Path | None):
        self._near = near
        self._path: Path | None = None

    def __call__(self) -> Path:
        if self._path is None:
            parent = self._near.parent if self._near is not None else None
            self._path = Path(tempfile.mkdtemp(prefix=".medkg-merge-", dir=parent))
        return self._path

    def close(self) -> None:
        if self._path is not None:
            shutil.rmtree(self._path, ignore_errors=True)
            self._path = None


class Recording:
    """Where a merge records what it was made of (`MergeState`), and the store key of
    each fragment, in the order they are given."""

    def __init__(self, state: MergeState, keys: Sequence[str]):
        self.state = state
        self.keys = keys
        self.code_systems: Counter[str] = Counter()

    def add(self, number: int, fragment: Fragment) -> None:
        state = self.state
        state.add_cluster(number, self.keys[number])
        state.add_owners({(copy.node_id, number) for copy in fragment.copies})
        state.add_sources((number, line) for line in fragment.sources)
        state.add_needs((number, n.kind, n.target, n.problem) for n in fragment.fhir_needs)
        self.code_systems.update(r.code_system for r in fragment.fhir if r.code_system)


class Merger:
    """One merge: `add` every fragment, then `write`."""

    def __init__(
        self, fhir_version: str, scratch: Scratch, budget: int, record: Recording | None = None
    ):
        check_version(fhir_version)
        self.fhir_version = fhir_version
        self.record = record
        self.graph = GraphMerge(scratch, budget // 2, record is not None)
        self.sources = LineSpool("sources", scratch, budget // 16)
        self.nodes = NodeMerge(scratch, budget // 4, record is not None)
        self.fhir = RecordSpool("fhir", scratch, budget // 8)
        self.kgx_nodes = RecordSpool("kgx-nodes", scratch, budget // 32)
        self.kgx_edges = RecordSpool("kgx-edges", scratch, budget // 32)
        self.code_systems: set[str] = set()
        self.needs: set[FhirNeed] = set()
        self.labels: list[str] = []  # of the fragments added, for messages

    def add(self, fragment: Fragment) -> None:
        if not isinstance(fragment, Fragment):
            raise FragmentInvalid(f"expected a Fragment, got {type(fragment).__name__}")
        if fragment.fhir_version != self.fhir_version:
            raise ValueError(
                f"{fragment.label}: rendered for FHIR {fragment.fhir_version}, "
                f"the merge is for FHIR {self.fhir_version}"
            )
        if self.record is not None:
            self.record.add(len(self.labels), fragment)
        self.graph.add(fragment.graph)
        self.sources.add_lines(s.encode("utf-8") for s in fragment.sources)
        self.nodes.add(fragment)
        number = str(len(self.labels)).encode()
        for edge in kgx.split(fragment.kgx_edges):
            self.kgx_edges.add(kgx.key(edge), number + b"\0" + edge)
        self.labels.append(fragment.label)
        for resource in fragment.fhir:
            payload = resource.file_name.encode("utf-8") + b"\0" + number + b"\0" + resource.data
            self.fhir.add(resource.full_url.encode("utf-8"), payload)
            if resource.code_system:
                self.code_systems.add(resource.code_system)
        self.needs.update(fragment.fhir_needs)

    def write(self, output: Output, extra: Extra, metadata: bool) -> DatasetFacts:
        names = set(extra) & {nquads.FILE, turtle.FILE, jsonld.DOCUMENT, *kgx.FILES}
        names |= set(extra) & set(SELF_DESCRIBING)
        if names or any(name.startswith("fhir/") for name in extra):
            raise ValueError(f"extra files would replace merged ones: {sorted(extra)}")
        facts = self._write_graph(output)
        pause("merge")
        with output.file(jsonld.DOCUMENT) as write:
            self.nodes.write(write)
        output.put(jsonld.CONTEXT, jsonld.bundled(jsonld.CONTEXT))
        output.put(jsonld.SCHEMA, jsonld.bundled(jsonld.SCHEMA))
        self._write_fhir(output)
        self._write_kgx(output)
        for name in sorted(extra):
            value = extra[name]
            output.put(name, value(facts.triples) if callable(value) else value)
        if metadata:
            described = dict(output.infos)
            output.put(VOID, void_of(facts, described))
            output.put(README, readme(described))
            output.put(SUMS, sha256sums_of(output.infos))
        if self.record is not None:
            self._record(facts, output)
        return facts

    def _record(self, facts: DatasetFacts, output: Output) -> None:
        assert self.record is not None
        state = self.record.state
        state.set_meta("graphs", dict(facts.graphs))
        state.set_meta("statements", facts.triples)
        state.put_subjects(self.graph.shared or {})
        state.put_nodes(self.nodes.states)
        state.put_table({i: canonical(node) for i, node in self.nodes.table_entries.items()})
        state.put_code_systems(self.record.code_systems)
        state.put_files(output.infos)

    def _write_graph(self, output: Output) -> DatasetFacts:
        def node(lines: bytes) -> None:
            line = kgx.node_line(lines)
            if line is not None:
                self.kgx_nodes.add(kgx.key(line), line)

        with output.file(nquads.FILE) as write_quads, output.file(turtle.FILE) as write_turtle:
            graphs, triples = self.graph.write(write_quads, write_turtle, node)
        sources = [line.decode("utf-8") for line in self.sources.unique()]
        return DatasetFacts(graphs, triples, sources)

    def _write_kgx(self, output: Output) -> None:
        """``kgx/``: the nodes made from the merged subjects, the fragments' edges; an edge
        two fragments give differently is an error naming both."""
        with output.file(kgx.NODES) as write:
            for _key, (line, *_repeats) in self.kgx_nodes.grouped():
                write(line)
        with output.file(kgx.EDGES) as write:
            for key, payloads in self.kgx_edges.grouped():
                parts = [payload.split(b"\0", 1) for payload in payloads]
                for other in parts[1:]:
                    if other[1] != parts[0][1]:
                        first, second = (self.labels[int(p[0])] for p in (parts[0], other))
                        raise ExportInvalid(
                            kgx.EDGES,
                            [f"{first} and {second} give different edges {key.decode()}"],
                        )
                write(parts[0][1])

    def _write_fhir(self, output: Output) -> None:
        full_urls: set[str] = set()
        resources: dict[str, tuple[str, str, int, int]] = {}
        with output.file(bundle.FILE) as write_bundle:
            entries = BundleWriter(write_bundle, self.fhir_version)
            for key, payloads in self.fhir.grouped():
                full_url = key.decode("utf-8")
                parts = [payload.split(b"\0", 2) for payload in payloads]
                file_name = parts[0][0].decode("utf-8")
                data = parts[0][2]
                for other in parts[1:]:
                    if other[2] != data or other[0] != parts[0][0]:
                        first, second = (self.labels[int(p[1])] for p in (parts[0], other))
                        raise ExportInvalid(
                            file_name,
                            [f"{first} and {second} give different resources for {full_url}"],
                        )
                output.put(file_name, data)
                entries.add(full_url, data)
                full_urls.add(full_url)
                if self.record is not None:
                    info = output.infos[file_name]
                    resources[full_url] = (file_name, info.sha256, info.size, len(parts))
            entries.close()
        if self.record is not None:
            self.record.state.put_resources(resources)
        problems = unmet(self.needs, full_urls, self.code_systems)
        if problems:
            raise ExportInvalid(bundle.FILE, problems)


def merge(
    fragments: Iterable[Fragment],
    staging: Path,
    fhir_version: str = "R5",
    extra: Extra | None = None,
    *,
    memory_budget: int = DEFAULT_MEMORY_BUDGET,
    record: Recording | None = None,
) -> dict[str, FileInfo]:
    """Write every file of ``dist/`` into `staging` (made if missing) and return each file's
    size and sha256. Raises `ExportInvalid` when merged pieces conflict or do not
    validate, `FragmentInvalid` for something that is not a fragment; files already
    written stay in `staging` (the caller discards it). With `record`, what the files
    were merged from is written to its `MergeState` (uncommitted), so that a later
    merge can update the files (`medkg.pipeline.fragments.incremental`)."""
    staging.mkdir(parents=True, exist_ok=True)
    output = Output(staging)
    _run(fragments, output, fhir_version, extra or {}, True, memory_budget, staging, record)
    return dict(output.infos)


def merge_in_memory(
    fragments: Iterable[Fragment],
    fhir_version: str = "R5",
    extra: Extra | None = None,
    *,
    metadata: bool = True,
    memory_budget: int = DEFAULT_MEMORY_BUDGET,
) -> dict[str, bytes]:
    """`merge`'s files as ``{path: bytes}``; without `metadata`, no void.ttl, README.md and
    SHA256SUMS."""
    output = Output(None)
    _run(fragments, output, fhir_version, extra or {}, metadata, memory_budget, None)
    return output.memory


def _run(
    fragments: Iterable[Fragment],
    output: Output,
    fhir_version: str,
    extra: Extra,
    metadata: bool,
    budget: int,
    near: Path | None,
    record: Recording | None = None,
) -> DatasetFacts:
    scratch = Scratch(near)
    try:
        merger = Merger(fhir_version, scratch, budget, record)
        for fragment in fragments:
            merger.add(fragment)
        return merger.write(output, extra, metadata)
    finally:
        scratch.close()
