"""Progress of a build, stage by stage: what the build tells whoever watches it.

The build (`medkg.pipeline.build`) calls a `Progress` as it goes: `start` when a stage
begins (with how many items it has, when known), `advance` after each item, `finish`
with a short note of what the stage did. The stages are ``documents`` (read, parse,
extract), ``clusters`` (graph, validate, render), ``merge`` (the clusters' fragments
gathered), ``exports`` (the files of the output folder written) and, from the command
line, ``query store``. `Progress` itself does nothing (a library build is silent);
`TerminalProgress` draws each stage on one line of a terminal with its count and
elapsed time, and prints nothing at all unless told its stream is a terminal.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

REDRAW_EVERY = 0.1  # seconds between two redraws of a running stage's line


class Progress:
    """Receives the stages of a build; this one ignores them (see `TerminalProgress`)."""

    def start(self, stage: str, total: int | None = None) -> None:
        """`stage` begins, with `total` items when known."""

    def advance(self, stage: str, done: int) -> None:
        """`done` items of `stage` are finished."""

    def finish(self, stage: str, note: str = "") -> None:
        """`stage` is finished; `note` says what it did (e.g. "57 files")."""


SILENT = Progress()


class TerminalProgress(Progress):
    """Each stage on one line of `stream`: ``documents  37/120  3.2 s`` redrawn in place
    while it runs, then ``documents  120/120  done in 12.3 s`` (with the stage's note).
    Prints nothing unless `enabled` (the caller decides: a terminal, or asked for)."""

    WIDTH = 13  # the stage names' column

    def __init__(self, stream: TextIO, enabled: bool, clock: Callable[[], float] = time.monotonic):
        self.stream = stream
        self.enabled = enabled
        self.clock = clock
        self.began: dict[str, float] = {}
        self.totals: dict[str, int | None] = {}
        self.counts: dict[str, int] = {}
        self.drawn = 0.0  # when the running line was last drawn
        self.open = False  # a running line is on the screen, without its newline

    def start(self, stage: str, total: int | None = None) -> None:
        self.began[stage] = self.clock()
        self.totals[stage] = total
        self.counts[stage] = 0
        self._draw(stage, "", force=True)

    def advance(self, stage: str, done: int) -> None:
        self.counts[stage] = done
        self._draw(stage, "", force=done == self.totals.get(stage))

    def finish(self, stage: str, note: str = "") -> None:
        if stage not in self.began:
            return
        elapsed = self.clock() - self.began.pop(stage)
        self._draw(stage, f"done in {elapsed:.1f} s" + (f"; {note}" if note else ""), force=True)
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
        self.open = False

    def close(self) -> None:
        """End a line left running (a build that stopped in the middle of a stage)."""
        if self.enabled and self.open:
            self.stream.write("\n")
            self.stream.flush()
        self.open = False
        self.began.clear()

    def _draw(self, stage: str, tail: str, *, force: bool) -> None:
        if not self.enabled:
            return
        now = self.clock()
        if not force and now - self.drawn < REDRAW_EVERY:
            return
        self.drawn = now
        total = self.totals.get(stage)
        count = f"{self.counts.get(stage, 0):,}/{total:,}" if total is not None else ""
        if not tail:
            tail = f"{now - self.began.get(stage, now):.1f} s"
        line = "  ".join(part for part in (f"{stage:<{self.WIDTH}}", count, tail) if part)
        self.stream.write("\r" + line + "\x1b[K")
        self.stream.flush()
        self.open = True
