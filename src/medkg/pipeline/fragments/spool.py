"""External sorting for the merge: items kept in memory up to a budget, then in sorted runs.

A spool collects items from any number of fragments. While their size stays
under its budget they stay in memory; past it the buffer is sorted and written
to a run file in the scratch folder (created only then). ``sorted()`` gives
every item in order, merging the runs and the buffer lazily (``heapq.merge``),
so reading them back holds one item per run in memory. Duplicates are kept:
the caller groups or drops them. ``sorted()`` may be called more than once.

* `LineSpool`: lines (bytes without a newline, e.g. N-Quads lines), one per
  line in a run file;
* `RecordSpool`: ``(key, payload)`` pairs of any bytes, sorted by key then
  payload, each written as two big-endian lengths and the bytes.

At most `MAX_RUNS` runs exist at once: before another is written, the
existing ones are merged into one.
"""

from __future__ import annotations

import heapq
import struct
from collections.abc import Callable, Iterable, Iterator
from itertools import groupby
from pathlib import Path
from typing import BinaryIO, Generic, TypeVar

MAX_RUNS = 64
OVERHEAD = 64  # rough bytes of Python object overhead per item held in memory
_LENGTHS = struct.Struct(">II")

Record = tuple[bytes, bytes]
Item = TypeVar("Item", bytes, Record)


class _Spool(Generic[Item]):
    def __init__(self, name: str, folder: Callable[[], Path], budget: int):
        self.name = name
        self._folder = folder
        self._budget = budget
        self._buffer: list[Item] = []
        self._size = 0
        self._runs: list[Path] = []

    @property
    def runs(self) -> int:
        """How many run files hold items (0: everything is in memory)."""
        return len(self._runs)

    def sorted(self) -> Iterator[Item]:
        """Every item added, in order."""
        self._buffer.sort()
        if not self._runs:
            return iter(self._buffer)
        return heapq.merge(*(self._read(run) for run in self._runs), iter(self._buffer))

    def _grow(self, size: int) -> None:
        self._size += size
        if self._size > self._budget:
            if len(self._runs) >= MAX_RUNS:
                self._compact()
            self._buffer.sort()
            self._runs.append(self._write(iter(self._buffer)))
            self._buffer = []
            self._size = 0

    def _compact(self) -> None:
        runs, self._runs = self._runs, []
        merged = self._write(heapq.merge(*(self._read(run) for run in runs)))
        for run in runs:
            run.unlink()
        self._runs = [merged]

    def _write(self, items: Iterator[Item]) -> Path:
        folder = self._folder()
        index = 0
        while (folder / f"{self.name}-{index}.run").exists():
            index += 1
        path = folder / f"{self.name}-{index}.run"
        with path.open("wb") as handle:
            self._dump(items, handle)
        return path

    def _read(self, path: Path) -> Iterator[Item]:
        with path.open("rb") as handle:
            yield from self._load(handle)

    def _dump(self, items: Iterator[Item], handle: BinaryIO) -> None:
        raise NotImplementedError

    def _load(self, handle: BinaryIO) -> Iterator[Item]:
        raise NotImplementedError


class LineSpool(_Spool[bytes]):
    """Lines of bytes without newlines."""

    def add_lines(self, lines: Iterable[bytes]) -> None:
        """Add lines (none may hold a newline)."""
        added = list(lines)
        self._buffer.extend(added)
        self._grow(sum(map(len, added)) + OVERHEAD * len(added))

    def unique(self) -> Iterator[bytes]:
        """The distinct lines, in order."""
        previous = None
        for line in self.sorted():
            if line != previous:
                yield line
                previous = line

    def _dump(self, items: Iterator[bytes], handle: BinaryIO) -> None:
        handle.writelines(line + b"\n" for line in items)

    def _load(self, handle: BinaryIO) -> Iterator[bytes]:
        return (line[:-1] for line in handle)


class RecordSpool(_Spool[Record]):
    """``(key, payload)`` records of any bytes."""

    def add(self, key: bytes, payload: bytes) -> None:
        self._buffer.append((key, payload))
        self._grow(len(key) + len(payload) + OVERHEAD)

    def grouped(self) -> Iterator[tuple[bytes, list[bytes]]]:
        """Each key once, with the payloads added under it (sorted, duplicates kept)."""
        for key, records in groupby(self.sorted(), key=lambda record: record[0]):
            yield key, [payload for _, payload in records]

    def _dump(self, items: Iterator[Record], handle: BinaryIO) -> None:
        for key, payload in items:
            handle.write(_LENGTHS.pack(len(key), len(payload)) + key + payload)

    def _load(self, handle: BinaryIO) -> Iterator[Record]:
        while header := handle.read(_LENGTHS.size):
            key_length, payload_length = _LENGTHS.unpack(header)
            yield handle.read(key_length), handle.read(payload_length)
