"""Where merged files go: a folder (`merge`) or memory (`render_all`), each file's size and
sha256 taken from the bytes as they are written."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from medkg.export.metadata import FileInfo

CHUNK = 1 << 20  # bytes gathered before a write reaches the file and the hash


class Output:
    """Files written under `folder`, or kept in `memory` when `folder` is None."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.infos: dict[str, FileInfo] = {}
        self.memory: dict[str, bytes] = {}

    @contextmanager
    def file(self, name: str) -> Iterator[Callable[[bytes], None]]:
        """A function writing the next bytes of file `name` (relative, ``/``-separated)."""
        if name in self.infos:
            raise ValueError(f"{name}: written twice")
        digest = hashlib.sha256()
        size = 0
        pending: list[bytes] = []
        pending_size = 0
        kept: list[bytes] = []
        handle = None
        if self.folder is not None:
            target = self.folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            handle = target.open("wb")

        def flush() -> None:
            nonlocal pending, pending_size, size
            data = b"".join(pending)
            pending, pending_size = [], 0
            digest.update(data)
            size += len(data)
            if handle is not None:
                handle.write(data)
            else:
                kept.append(data)

        def write(data: bytes) -> None:
            nonlocal pending_size
            pending.append(data)
            pending_size += len(data)
            if pending_size >= CHUNK:
                flush()

        try:
            yield write
            flush()
        finally:
            if handle is not None:
                handle.close()
        self.infos[name] = FileInfo(size, digest.hexdigest())
        if self.folder is None:
            self.memory[name] = b"".join(kept)

    def put(self, name: str, data: bytes) -> None:
        with self.file(name) as write:
            write(data)
