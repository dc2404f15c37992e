"""Filling a new on-disk query store from medkg.nq with bounded memory.

The store holds medkg.nq's named graphs and, as its default graph, their merge
(each triple once). pyoxigraph's bulk loader keeps a batch of up to a million
quads per thread in memory, about 1.7 kB a quad: the real collection's medkg.nq
(1.2 GB, 5.25 M quads) loaded in one call peaked at 1.8 GiB, and its merge from
medkg.ttl in a second call at 2.0 GiB with the name index read beside it. So the
file is read in chunks of `CHUNK_BYTES` cut at line ends (N-Quads holds one quad
a line), and each chunk goes to the store in one `bulk_load` call: its quads,
then the same quads as triples (which land in the default graph; the store is a
set, so a triple of several graphs is held once). The literals the name index
needs (`medkg.query.name_index.may_be_indexed`) are gathered on the way.

Blank nodes: pyoxigraph renames a file's blank nodes in each call, so one
mentioned in two chunks would become two nodes. A file where a term may be one
(``_:`` at a line's start or after a space) is therefore loaded whole
(`_load_whole`), with the memory that takes; medkg's builds write no blank nodes
(``_:`` does occur inside the real collection's text, as in ``sporogenes_:**``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from medkg.query.name_index import may_be_indexed

CHUNK_BYTES = 32 << 20  # the real collection peaks at ~450 MiB with it (benchmarks/RESULTS.md)
_BLOCK = 1 << 20
_BLANK_NODE_STARTS = (b"\n_:", b" _:", b"\t_:")


def load_dataset(store: ox.Store, nquads: Path) -> set[ox.Literal] | None:
    """Bulk-load the N-Quads file `nquads` into the empty `store`: its named graphs, and
    their merge as the default graph. Returns the literals its name index needs
    (`medkg.query.name_index.write_name_index_of`), or None when the file was loaded
    whole (it mentions blank nodes) and the index must be written from a scan of the
    store. Raises pyoxigraph's `SyntaxError` when the file does not parse."""
    if _mentions_blank_nodes(nquads):
        _load_whole(store, nquads)
        return None
    literals: set[ox.Literal] = set()
    for chunk in chunks(nquads, CHUNK_BYTES):
        store.bulk_load(input=_with_triples(chunk, literals), format=ox.RdfFormat.N_QUADS)
    return literals


def chunks(path: Path, size: int) -> Iterator[bytes]:
    """`path`'s bytes in pieces of about `size` bytes, each ending at a line end."""
    rest = b""
    with path.open("rb") as handle:
        while block := handle.read(size):
            data = rest + block
            cut = data.rfind(b"\n") + 1
            rest = data[cut:]
            if cut:
                yield data[:cut]
    if rest:
        yield rest + b"\n"


def _with_triples(chunk: bytes, literals: set[ox.Literal]) -> bytes:
    """`chunk`'s quads followed by the same quads as N-Triples (default graph); the
    literals that may belong in the name index are added to `literals`."""

    def triples() -> Iterator[ox.Triple]:
        for quad in ox.parse(input=chunk, format=ox.RdfFormat.N_QUADS):
            term = quad.object
            if isinstance(term, ox.Literal) and may_be_indexed(term):
                literals.add(term)
            yield quad.triple

    merged = ox.serialize(triples(), format=ox.RdfFormat.N_TRIPLES)
    assert merged is not None
    return chunk + merged


def _mentions_blank_nodes(path: Path) -> bool:
    """Whether a term of `path` may be a blank node: ``_:`` at a line's start or after a
    space or tab (a literal holding `` _:`` counts too: then the file is only loaded whole)."""
    previous = b"\n"  # the byte before the block
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            text = previous + block
            if any(mark in text for mark in _BLANK_NODE_STARTS):
                return True
            previous = block[-1:]
    return False


def _load_whole(store: ox.Store, nquads: Path) -> None:
    """Load `nquads` in one call, then add every quad's triple to the default graph."""
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    default = ox.DefaultGraph()
    store.bulk_extend(
        ox.Quad(quad.subject, quad.predicate, quad.object, default)
        for quad in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    )
