"""Stage 9, publish: a built dataset into a remote triple store (``medkg publish``).

What goes there: one named graph per graph of ``medkg.nq`` (a graph per source document,
and ``id/graph/links``), or, with `single_graph`, the union of them as one graph; and a
small manifest graph (`MANIFEST`) naming the graphs medkg published and the digest of the
``medkg.nq`` they came from, so the next publication knows what to replace.

How, without a window where the data is half there: every graph is first put (SPARQL 1.1
Graph Store HTTP Protocol) under a staging name of its own (`STAGING` + the dataset's
digest + a number); then one SPARQL 1.1 Update request moves every staged graph onto its
real name and drops the graphs of the previous publication that the new one no longer
has, which the store applies as one transaction. Queries of the named graphs see the old
version until that request, the new one after it. (A store that also reads every named
graph as its default graph sees the staged graphs during the upload; said in README.)
Without an update endpoint a manifest naming the old and the new graphs is put first (so
a run that fails part-way leaves nothing the next one cannot drop), then the graphs under
their real names one by one (each replaced whole), and the old ones are deleted after:
that publication is not atomic, and the report says so.

``medkg.nq`` is read only when ``SHA256SUMS`` vouches for it, so a half-written or edited
folder is never published.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from medkg.errors import MedkgError
from medkg.publish.graph_store import GraphStore, PublishFailed

MANIFEST = "urn:medkg:published"
STAGING = "urn:medkg:staging:"
_PUBLISHED_GRAPH = "https://w3id.org/medkg/vocab#publishedGraph"
_DIGEST = "https://w3id.org/medkg/vocab#sha256"
GRAPH_FILE = "medkg.nq"
SUMS_FILE = "SHA256SUMS"

__all__ = ["MANIFEST", "PublishFailed", "PublishReport", "publish"]


@dataclass(frozen=True)
class PublishReport:
    """What a publication did."""

    graphs: int  # graphs published (the manifest not counted)
    triples: int
    dropped: int  # graphs of the previous publication removed
    seconds: float
    atomic: bool  # switched in one update request
    retried: int  # requests that needed another attempt

    def lines(self) -> list[str]:
        how = "in one update request" if self.atomic else "graph by graph (no update endpoint)"
        return [
            f"published {self.graphs} graph(s), {self.triples} triples, switched {how}; "
            f"{self.dropped} graph(s) of the previous publication dropped",
            f"{self.seconds:.1f} s; {self.retried} request(s) retried",
        ]


def dataset_digest(folder: Path) -> str:
    """The SHA-256 of ``medkg.nq``, checked against ``SHA256SUMS``; `MedkgError` (naming the
    file and what to do) when the folder is not a complete, unaltered build."""
    nquads, sums = folder / GRAPH_FILE, folder / SUMS_FILE
    if not nquads.is_file() or not sums.is_file():
        raise MedkgError(
            f"{folder}/ has no {GRAPH_FILE} and {SUMS_FILE}: it is not a folder written by "
            "`medkg build`. Run `medkg build` first (or point --data at its output)."
        )
    listed: dict[str, str] = {}
    for line in sums.read_text(encoding="utf-8").splitlines():
        listed_digest, _, name = line.partition("  ")
        listed[name] = listed_digest
    with nquads.open("rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    if listed.get(GRAPH_FILE) != digest:
        raise MedkgError(
            f"{nquads} does not match {sums}: the folder was changed after the build. "
            "Run `medkg build` again before publishing."
        )
    return digest


def _graphs(folder: Path, single_graph: str | None) -> dict[str, bytes]:
    """Graph IRI -> its N-Triples, in IRI order."""
    store = ox.Store()
    store.bulk_load(path=str(folder / GRAPH_FILE), format=ox.RdfFormat.N_QUADS)
    if single_graph is not None:
        union = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert isinstance(union, ox.QueryTriples)
        return {single_graph: union.serialize(format=ox.RdfFormat.N_TRIPLES) or b""}
    names = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    return {
        name: store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name)) or b""
        for name in names
    }


def _previous(store: GraphStore) -> tuple[list[str], str | None]:
    """The graphs the manifest of the last publication names, and the digest of the
    ``medkg.nq`` they came from (none, None when there is no manifest)."""
    data = store.get(MANIFEST)
    if not data:
        return [], None
    triples = list(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    graphs = sorted(
        t.object.value
        for t in triples
        if t.predicate.value == _PUBLISHED_GRAPH and isinstance(t.object, ox.NamedNode)
    )
    digest = next((t.object.value for t in triples if t.predicate.value == _DIGEST), None)
    return graphs, digest


def _manifest(graphs: list[str], digest: str | None) -> bytes:
    """The manifest graph: the graphs published and the digest of their ``medkg.nq`` (none
    while a publication without an update endpoint is under way)."""
    subject = f"<{MANIFEST}>"
    lines = [f'{subject} <{_DIGEST}> "{digest}" .'] if digest is not None else []
    lines += [f"{subject} <{_PUBLISHED_GRAPH}> <{graph}> ." for graph in graphs]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _remove(store: GraphStore, graphs: Iterable[str]) -> None:
    """Delete `graphs` (staged ones: what is not there is not an error), as far as possible."""
    for graph in graphs:
        with contextlib.suppress(PublishFailed):
            store.delete(graph)


def publish(folder: Path, store: GraphStore, single_graph: str | None = None) -> PublishReport:
    """Publish the build in `folder` to `store` (see the module docstring)."""
    started = time.perf_counter()
    if single_graph is not None:
        try:
            ox.NamedNode(single_graph)
        except ValueError:
            raise MedkgError(
                f"--single-graph {single_graph!r} is not an IRI; give an absolute IRI such "
                "as https://example.org/graph/medkg"
            ) from None
    digest = dataset_digest(folder)
    graphs = _graphs(folder, single_graph)
    previous, _ = _previous(store)
    stale = [graph for graph in previous if graph not in graphs]
    contents = {**graphs, MANIFEST: _manifest(list(graphs), digest)}
    triples = sum(data.count(b"\n") for data in graphs.values())
    if store.update_endpoint is None:
        # first a manifest naming the old graphs and the new: a run that fails part-way
        # leaves every graph it put where the next publication finds (and drops) it
        store.put(MANIFEST, _manifest(sorted(set(previous) | set(graphs)), None))
        for graph, data in contents.items():
            store.put(graph, data)
        for graph in stale:
            store.delete(graph)
    else:
        staged = {graph: f"{STAGING}{digest[:16]}:{n}" for n, graph in enumerate(contents)}
        try:
            for graph, data in contents.items():
                store.put(staged[graph], data)
        except PublishFailed:
            _remove(store, staged.values())
            raise
        moves = [f"MOVE SILENT GRAPH <{staged[g]}> TO GRAPH <{g}>" for g in contents]
        drops = [f"DROP SILENT GRAPH <{graph}>" for graph in stale]
        try:
            store.update(" ;\n".join(moves + drops))
        except PublishFailed:
            # sent once (never twice: a second MOVE would empty what the first moved); the
            # store may still have applied it, its reply lost: its manifest then says so
            _remove(store, staged.values())
            if _previous(store)[1] != digest:
                raise
    return PublishReport(
        graphs=len(graphs),
        triples=triples,
        dropped=len(stale),
        seconds=time.perf_counter() - started,
        atomic=store.update_endpoint is not None,
        retried=store.retried,
    )
