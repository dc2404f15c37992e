"""Rewriting a big sorted file of ``dist/`` where only some of its chunks change.

Each big file is a head, a run of *chunks* sorted by a key, and a tail:

* ``medkg.nq`` (`Lines`): a chunk is one line, its key the line's subject;
* ``medkg.ttl`` and ``void.ttl`` (`Blocks`): a chunk is one subject's block
  (blocks end in a blank line, and no term holds a raw newline), its key the
  subject as an N-Triples term (a prefixed name is expanded);
* ``medkg.jsonld`` (`JsonLdNodes`): a chunk is one top-level node (from a line
  ``    {`` to the next line ``    }``: deeper lines are indented more), its key
  ``0`` + id for a drug object and ``1`` + id for the others, as the merge
  orders them;
* ``fhir/bundle.json`` (`BundleEntries`): a chunk is one entry, its key the
  entry's fullUrl;
* ``kgx/medkg_nodes.jsonl`` and ``kgx/medkg_edges.jsonl`` (`KgxLines`): a chunk is
  one line, its key the record's id;
* ``SHA256SUMS`` (`SumLines`): a chunk is one line, its key the file name.

JSON arrays put ``,\\n`` between chunks. `splice` writes the new file: the old
bytes between changed chunks copied as they are (through ``mmap``, so only the
pages a binary search probes are read before copying), the new chunks in their
place, and the file's size and sha256 taken as it is written. A file whose
chunks all go away, or that is not in the form expected, raises `Unsupported`
(the caller then writes the file in full).
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from medkg.export.kgx.records import KEY_START
from medkg.export.metadata import FileInfo

COPY_PIECE = 1 << 24  # bytes of an unchanged run hashed and written at once


class Unsupported(Exception):
    """The old file is not in the form a layout reads, or the new body would be empty."""


Piece = tuple[int, int] | bytes  # an old byte range, or new bytes


class Layout:
    """How one sorted file is cut into chunks (see the module docstring)."""

    separator = b""
    marker = b"\n"  # every chunk but the first starts `shift` bytes after a marker
    shift = 1

    def __init__(self, data: bytes | mmap.mmap):
        self.data = data
        self.start, self.end = self.body()
        if self.start >= self.end:
            raise Unsupported("the file holds no chunks")

    def body(self) -> tuple[int, int]:
        """(start of the first chunk, end of the last one)."""
        raise NotImplementedError

    def chunk_end(self, start: int) -> int:
        raise NotImplementedError

    def key(self, start: int) -> bytes:
        raise NotImplementedError

    def next_start(self, offset: int) -> int:
        """The first chunk start at or after `offset` (`end` when there is none)."""
        if offset <= self.start:
            return self.start
        found = self.data.find(self.marker, offset - self.shift)
        if found == -1 or found + self.shift >= self.end:
            return self.end
        return found + self.shift

    def start_before(self, offset: int) -> int:
        """The last chunk start before `offset` (`start` when there is none)."""
        limit = offset - self.shift - 1 + len(self.marker)
        found = self.data.rfind(self.marker, self.start, max(limit, self.start))
        return self.start if found == -1 else max(self.start, found + self.shift)

    def following(self, start: int) -> int:
        """The start of the chunk after the one at `start` (`end` after the last)."""
        end = self.chunk_end(start)
        return end + len(self.separator) if end < self.end else self.end

    def lower_bound(self, target: bytes, low: int) -> int:
        """The first chunk at or after `low` whose key is not below `target`."""
        high = self.end
        while low < high:
            middle = (low + high) // 2
            start = self.next_start(middle)
            if start >= high:  # no chunk starts in [middle, high): the one before runs to high
                start = max(low, self.start_before(middle))
                if self.key(start) < target:
                    return high
                high = start
                continue
            if self.key(start) < target:
                low = self.following(start)
            else:
                high = start
        return low

    def run(self, start: int, stop: int) -> tuple[int, int]:
        """The bytes of the chunks from `start` up to the chunk at `stop`, separators between
        them but not after the last."""
        if stop >= self.end:
            return (start, self.end)
        return (start, stop - len(self.separator))


class Lines(Layout):
    """``medkg.nq``: one line per chunk, keyed by its subject."""

    def body(self) -> tuple[int, int]:
        if len(self.data) < 2 or self.data[-1:] != b"\n":
            raise Unsupported("not N-Quads lines")
        return 0, len(self.data)

    def chunk_end(self, start: int) -> int:
        return self.data.find(b"\n", start) + 1

    def key(self, start: int) -> bytes:
        return bytes(self.data[start : self.data.find(b" ", start)])


class KgxLines(Lines):
    """``kgx/*.jsonl``: one record per line, keyed by its id (`medkg.export.kgx.key`)."""

    def key(self, start: int) -> bytes:
        head = start + KEY_START
        return bytes(self.data[head : self.data.find(b'"', head)])


class SumLines(Lines):
    """``SHA256SUMS``: one line per file (``<sha256>  <name>``), keyed by the file name."""

    def key(self, start: int) -> bytes:
        return bytes(self.data[start + 66 : self.data.find(b"\n", start)])


class Blocks(Layout):
    """Turtle as `medkg.export.turtle.TurtleWriter` writes it: one block per subject."""

    marker = b"\n\n"
    shift = 2

    def __init__(self, data: bytes | mmap.mmap, prefixes: Mapping[str, str]):
        self.prefixes = {
            f"{prefix}:".encode(): namespace.encode() for prefix, namespace in prefixes.items()
        }
        super().__init__(data)

    def body(self) -> tuple[int, int]:
        head = self.data.find(b"\n\n")
        if head == -1:
            raise Unsupported("no prefix header")
        return head + 2, len(self.data)

    def chunk_end(self, start: int) -> int:
        return self.data.find(b"\n\n", start) + 2

    def key(self, start: int) -> bytes:
        subject = bytes(self.data[start : self.data.find(b"\n", start)])
        if subject.startswith(b"<"):
            return subject
        prefix, _, local = subject.partition(b":")
        namespace = self.prefixes.get(prefix + b":")
        if namespace is None:
            raise Unsupported(f"unknown prefix in {subject!r}")
        return b"<" + namespace + local + b">"


class JsonChunks(Layout):
    """Objects of a pretty-printed JSON array at indent 4, separated by ``,\\n``."""

    separator = b",\n"
    marker = b"\n    {\n"
    shift = 1
    opening = b""  # what comes right before the first object (the array's opening line)
    closing = b""  # what comes right after the last object

    def body(self) -> tuple[int, int]:
        opened = self.data.find(self.opening)
        closed = self.data.rfind(self.closing)
        if opened == -1 or closed == -1:
            raise Unsupported("not the expected JSON document")
        start = opened + len(self.opening)
        if self.data[start : start + 6] != b"    {\n":
            raise Unsupported("an empty array")
        return start, closed

    def chunk_end(self, start: int) -> int:
        return self.data.find(b"\n    }", start) + 6

    def value(self, start: int, name: bytes) -> object:
        """The value of the object's key `name` (a string or a one-line value, or an array)."""
        needle = b'\n      "' + name + b'": '
        found = self.data.find(needle, start, self.chunk_end(start))
        if found == -1:
            return None
        begin = found + len(needle)
        line_end = self.data.find(b"\n", begin)
        text = bytes(self.data[begin:line_end])
        if text in (b"[", b"{"):
            close = b"\n      " + (b"]" if text == b"[" else b"}")
            line_end = self.data.find(close, begin) + len(close)
            text = bytes(self.data[begin:line_end])
        return json.loads(text.rstrip(b","))


class JsonLdNodes(JsonChunks):
    """``medkg.jsonld``: drug objects first, then the others, each group by id."""

    opening = b'"@graph": [\n'
    closing = b"\n  ]\n}\n"

    def __init__(self, data: bytes | mmap.mmap, is_drug: Callable[[dict[str, object]], bool]):
        self.is_drug = is_drug
        super().__init__(data)

    def key(self, start: int) -> bytes:
        node_id = self.value(start, b"id")
        if not isinstance(node_id, str):
            raise Unsupported("a top-level node without an id")
        drug = self.is_drug({"type": self.value(start, b"type")})
        return (b"0" if drug else b"1") + node_id.encode("utf-8")


class BundleEntries(JsonChunks):
    """``fhir/bundle.json``: entries by fullUrl."""

    opening = b'  "entry": [\n'
    closing = b"\n  ],"

    def key(self, start: int) -> bytes:
        url = self.value(start, b"fullUrl")
        if not isinstance(url, str):
            raise Unsupported("an entry without a fullUrl")
        return url.encode("utf-8")


def pieces(layout: Layout, changes: Iterable[tuple[bytes, Sequence[bytes]]]) -> list[Piece]:
    """The new body: old runs and the new chunks of each changed key, in order.

    `changes` are sorted by key, each key once, with the chunks that replace every
    old chunk of that key (none: the key goes away).
    """
    result: list[Piece] = []
    position = layout.start
    previous: bytes | None = None
    for key, chunks in changes:
        if previous is not None and key <= previous:
            raise ValueError(f"changes out of order at {key!r}")
        previous = key
        start = layout.lower_bound(key, position)
        stop = start
        while stop < layout.end and layout.key(stop) == key:
            stop = layout.following(stop)
        if start > position:
            result.append(layout.run(position, start))
        result.extend(chunks)
        position = stop
    if position < layout.end:
        result.append((position, layout.end))
    if not result:
        raise Unsupported("every chunk goes away")
    return result


def write(layout: Layout, body: Sequence[Piece], target: Path) -> FileInfo:
    """Write head, `body` (joined by the layout's separator) and tail to `target`.

    Old bytes are copied by the kernel (``os.copy_file_range``) where it can, while
    another thread hashes the same bytes from the mapping (both release the GIL).
    """
    parts: list[Piece] = [(0, layout.start)]
    for index, piece in enumerate(body):
        if index and layout.separator:
            parts.append(layout.separator)
        parts.append(piece)
    parts.append((layout.end, len(layout.data)))
    parts = [p for p in parts if not isinstance(p, tuple) or p[1] > p[0]]
    with ThreadPoolExecutor(max_workers=1) as pool:
        hashed = pool.submit(_digest, layout.data, parts)
        size = _copy(layout.data, parts, target)
        digest = hashed.result()
    return FileInfo(size, digest)


def _digest(data: bytes | mmap.mmap, parts: Sequence[Piece]) -> str:
    digest = hashlib.sha256()
    with memoryview(data) as view:
        for part in parts:
            if isinstance(part, bytes):
                digest.update(part)
                continue
            start, stop = part
            while start < stop:
                end = min(stop, start + COPY_PIECE)
                digest.update(view[start:end])
                start = end
    return digest.hexdigest()


def _copy(data: bytes | mmap.mmap, parts: Sequence[Piece], target: Path) -> int:
    source = data.fileno() if isinstance(data, FileBacked) else -1
    size = 0
    with target.open("wb") as handle, memoryview(data) as view:
        kernel = source >= 0 and hasattr(os, "copy_file_range")
        for part in parts:
            if isinstance(part, bytes):
                handle.write(part)
                size += len(part)
                continue
            start, stop = part
            size += stop - start
            if kernel:
                handle.flush()
                try:
                    while start < stop:
                        copied = os.copy_file_range(source, handle.fileno(), stop - start, start)
                        if copied <= 0:
                            break
                        start += copied
                except OSError:  # not on this file system: copy through memory
                    kernel = False
            while start < stop:
                end = min(stop, start + COPY_PIECE)
                handle.write(view[start:end])
                start = end
    return size


class FileBacked(mmap.mmap):
    """A read-only mapping of a whole file that keeps the file's descriptor (so runs of
    it can be copied by the kernel)."""

    _descriptor: int

    def fileno(self) -> int:
        return self._descriptor


def splice(
    old: Path,
    make_layout: Callable[[bytes | mmap.mmap], Layout],
    changes: Iterable[tuple[bytes, Sequence[bytes]]],
    target: Path,
) -> FileInfo:
    """`old` with `changes` applied (see `pieces`), written to `target`."""
    with old.open("rb") as handle:
        if not old.stat().st_size:
            raise Unsupported(f"{old.name} is empty")
        data = FileBacked(handle.fileno(), 0, access=mmap.ACCESS_READ)
        data._descriptor = handle.fileno()
        try:
            layout = make_layout(data)
            return write(layout, pieces(layout, changes), target)
        finally:
            data.close()
