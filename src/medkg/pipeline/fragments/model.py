"""`Fragment`: what one cluster contributes to every file of ``dist/``, and its bytes form.

A fragment is rendered in a worker from the cluster's dataset and merged in
the main process with the others (`medkg.pipeline.fragments.merge`). It holds
only finished, checked pieces, so the merge never needs rdflib, pyld or
fhir.resources for what a single cluster already rendered.

Bytes form (`Fragment.to_bytes`, deterministic: the same fragment always gives
the same bytes)::

    MAGIC                     b"medkg-fragment 1\\n"
    header length             8 bytes, big-endian
    header                    UTF-8 JSON, sorted keys, no spaces
    blobs                     the byte strings the header lists, one after another

The header holds every small field; the N-Quads lines, the Turtle blocks,
each JSON-LD node's text and each FHIR file's data are blobs, named by their
index in ``header["blobs"]`` (the list of blob lengths). `Fragment.from_bytes`
checks all of it and raises `FragmentInvalid` for anything else.
"""

from __future__ import annotations

import json
import struct
import sys
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from medkg.errors import MedkgError
from medkg.pipeline.fragments.graph_part import GraphPart

MAGIC = b"medkg-fragment 1\n"
_LENGTH = struct.Struct(">Q")


class FragmentInvalid(MedkgError):
    """Bytes that are not a fragment this medkg wrote (corrupt, truncated, another version)."""

    def __init__(self, problem: str):
        self.problem = problem
        super().__init__(
            f"export fragment: {problem} (the build store is damaged or from another medkg "
            "version: delete it and build again)"
        )


@dataclass(frozen=True)
class JsonLdNode:
    """One top-level node of ``medkg.jsonld`` as rendered (`medkg.export.jsonld.node_text`)."""

    node_id: str
    drug: bool  # drug objects come first in the document
    text: bytes

    @property
    def key(self) -> bytes:
        """Its place in the document: drugs first, then the other nodes, each by id."""
        return (b"0" if self.drug else b"1") + self.node_id.encode("utf-8")


@dataclass(frozen=True)
class NodeCopy:
    """One node object of the fragment's JSON-LD (top-level, or embedded in `roots`).

    `digest` is of the node's own values, nested node objects written as their
    ids: two copies with the same digest say the same about the node.
    """

    node_id: str
    top: bool
    digest: str
    roots: tuple[str, ...] = ()


@dataclass(frozen=True)
class FhirFile:
    """One validated resource file of ``fhir/``."""

    file_name: str
    full_url: str
    data: bytes  # as written: sorted keys, two-space indent, final newline
    code_system: str = ""  # the url of a CodeSystem, "" for other resources


@dataclass(frozen=True)
class FhirNeed:
    """A reference (kind "entry") or medkg coding system (kind "code system") that no
    resource of the fragment resolves: another fragment's resource must."""

    kind: str
    target: str  # the fullUrl, or the CodeSystem url, that resolves it
    problem: str  # the error if nothing in the merge does


@dataclass(frozen=True)
class Fragment:
    """What one cluster contributes to ``dist/`` (see `medkg.pipeline.fragments`)."""

    documents: tuple[str, ...]  # file names of the cluster's source documents, sorted
    fhir_version: str
    graph: GraphPart  # its N-Quads lines and Turtle blocks, subject by subject
    sources: tuple[str, ...]  # N-Triples statements describing the source documents (void.ttl)
    concepts: tuple[tuple[str, bool], ...]  # reaction/condition concept -> mapped (build report)
    nodes: tuple[JsonLdNode, ...]  # top-level JSON-LD nodes, checked, in document order
    copies: tuple[NodeCopy, ...]  # every node object of those nodes, by id
    fhir: tuple[FhirFile, ...]  # by file name
    fhir_needs: tuple[FhirNeed, ...] = ()
    kgx_edges: bytes = b""  # its KGX edge lines, sorted by id (`medkg.export.kgx.records`)

    @property
    def label(self) -> str:
        """How messages name the fragment: by its documents (the first few)."""
        shown = ", ".join(self.documents[:3]) or "no documents"
        more = len(self.documents) - 3
        return f"the cluster of {shown}" + (f" and {more} more" if more > 0 else "")

    def to_bytes(self) -> bytes:
        blobs: list[bytes] = []

        def blob(data: bytes) -> int:
            blobs.append(data)
            return len(blobs) - 1

        header = {
            "documents": list(self.documents),
            "fhir_version": self.fhir_version,
            "graph": {
                "nquads": blob(self.graph.nquads),
                "turtle": blob(self.graph.turtle),
                "subject_ends": blob(_pack_ends(self.graph.subject_ends)),
                "graph_triples": [[g, n] for g, n in self.graph.graph_triples],
                "statements": self.graph.statements,
            },
            "sources": list(self.sources),
            "concepts": [[iri, mapped] for iri, mapped in self.concepts],
            "nodes": [[n.node_id, n.drug, blob(n.text)] for n in self.nodes],
            "copies": [[c.node_id, c.top, c.digest, list(c.roots)] for c in self.copies],
            "fhir": [[f.file_name, f.full_url, f.code_system, blob(f.data)] for f in self.fhir],
            "fhir_needs": [[n.kind, n.target, n.problem] for n in self.fhir_needs],
            "kgx_edges": blob(self.kgx_edges),
            "blobs": [len(data) for data in blobs],
        }
        text = json.dumps(header, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        encoded = text.encode("utf-8")
        return b"".join([MAGIC, _LENGTH.pack(len(encoded)), encoded, *blobs])

    @classmethod
    def from_bytes(cls, data: bytes) -> Fragment:
        """The fragment `to_bytes` gave, or `FragmentInvalid`."""
        if not isinstance(data, bytes | bytearray | memoryview):
            raise FragmentInvalid(f"expected bytes, got {type(data).__name__}")
        data = bytes(data)
        if not data.startswith(MAGIC):
            raise FragmentInvalid("does not start with the fragment marker")
        start = len(MAGIC) + _LENGTH.size
        if len(data) < start:
            raise FragmentInvalid("is truncated before its header")
        (length,) = _LENGTH.unpack_from(data, len(MAGIC))
        try:
            header = json.loads(data[start : start + length].decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            raise FragmentInvalid(f"has an unreadable header ({error})") from error
        try:
            return _decode(header, data[start + length :])
        except (KeyError, TypeError, ValueError, IndexError) as error:
            raise FragmentInvalid(
                f"has a malformed header ({type(error).__name__}: {error})"
            ) from error


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {value!r}")
    return value


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, got {value!r}")
    return value


def _texts(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise TypeError(f"expected a list, got {value!r}")
    return tuple(_text(item) for item in value)


def _rows(value: Any, width: int) -> list[list[Any]]:
    if not isinstance(value, list) or not all(
        isinstance(row, list) and len(row) == width for row in value
    ):
        raise TypeError(f"expected a list of {width}-item lists")
    return value


def _count(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise TypeError(f"expected a count, got {value!r}")
    return value


def _pack_ends(ends: tuple[tuple[int, int], ...]) -> bytes:
    """Subject end offsets as big-endian 64-bit pairs."""
    flat = array("Q", (offset for pair in ends for offset in pair))
    if sys.byteorder == "little":
        flat.byteswap()
    return flat.tobytes()


def _unpack_ends(data: bytes) -> tuple[tuple[int, int], ...]:
    if len(data) % 16:
        raise ValueError("subject ends are not 64-bit pairs")
    flat = array("Q")
    flat.frombytes(data)
    if sys.byteorder == "little":
        flat.byteswap()
    return tuple(zip(flat[0::2], flat[1::2], strict=True))


def _graph(part: Any, blob: Callable[[Any], bytes]) -> GraphPart:
    if not isinstance(part, dict):
        raise TypeError("the graph part is not an object")
    nquads, turtle = blob(part["nquads"]), blob(part["turtle"])
    ends = _unpack_ends(blob(part["subject_ends"]))
    quads_ends = [q for q, _ in ends]
    turtle_ends = [t for _, t in ends]
    if quads_ends != sorted(quads_ends) or turtle_ends != sorted(turtle_ends):
        raise ValueError("subject ends are out of order")
    if (quads_ends[-1:] or [0]) != [len(nquads)] or (turtle_ends[-1:] or [0]) != [len(turtle)]:
        raise ValueError("the subjects do not cover the graph part")
    return GraphPart(
        nquads,
        turtle,
        ends,
        tuple((_text(g), _count(n)) for g, n in _rows(part["graph_triples"], 2)),
        _count(part["statements"]),
    )


def _decode(header: Any, body: bytes) -> Fragment:
    if not isinstance(header, dict):
        raise TypeError("the header is not an object")
    lengths = header["blobs"]
    if not isinstance(lengths, list) or not all(
        isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in lengths
    ):
        raise TypeError("blob lengths are not non-negative integers")
    if sum(lengths) != len(body):
        raise ValueError(f"blobs take {len(body)} bytes, the header says {sum(lengths)}")
    blobs: list[bytes] = []
    offset = 0
    for length in lengths:
        blobs.append(body[offset : offset + length])
        offset += length

    def blob(index: Any) -> bytes:
        if not isinstance(index, int) or isinstance(index, bool):
            raise TypeError(f"blob index {index!r} is not an integer")
        return blobs[index]

    return Fragment(
        documents=_texts(header["documents"]),
        fhir_version=_text(header["fhir_version"]),
        graph=_graph(header["graph"], blob),
        sources=_texts(header["sources"]),
        concepts=tuple((_text(a), _flag(b)) for a, b in _rows(header["concepts"], 2)),
        nodes=tuple(
            JsonLdNode(_text(i), _flag(d), blob(b)) for i, d, b in _rows(header["nodes"], 3)
        ),
        copies=_copies(_rows(header["copies"], 4)),
        fhir=tuple(
            FhirFile(_text(f), _text(u), blob(b), _text(c))
            for f, u, c, b in _rows(header["fhir"], 4)
        ),
        fhir_needs=tuple(
            FhirNeed(_text(k), _text(t), _text(p)) for k, t, p in _rows(header["fhir_needs"], 3)
        ),
        kgx_edges=blob(header["kgx_edges"]),
    )


def _copies(rows: list[list[Any]]) -> tuple[NodeCopy, ...]:
    """The `NodeCopy` records (the bulk of a header: checked inline, not call by call)."""
    if not all(
        type(i) is str
        and type(t) is bool
        and type(g) is str
        and type(r) is list
        and all(type(root) is str for root in r)
        for i, t, g, r in rows
    ):
        raise TypeError("a node copy is not (id, top, digest, roots)")
    return tuple(NodeCopy(i, t, g, tuple(r)) for i, t, g, r in rows)
