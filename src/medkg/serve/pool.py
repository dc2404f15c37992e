"""A pool of query worker processes, each with its own copy of the store.

Rules:
- at most `size` jobs run and `queue` more wait for a worker; a job beyond
  those is answered 503 at once, with ``Retry-After``;
- a job goes to an idle worker; when none becomes idle within the time limit
  plus `QUEUE_GRACE_SECONDS` (time for a replacement worker to load) the
  request is answered 503 (busy);
- a worker that has not answered within the time limit (plus a short grace,
  so the worker's own deadline check answers first when it can) is killed
  and replaced by a fresh process; the request is answered 503;
- a worker that dies is replaced the same way (the request gets 500);
- replacements load in the background and join the pool when ready, so the
  other workers keep answering meanwhile;
- once the pool is closed, waiting jobs are answered 503 at once.

Workers are started with the ``spawn`` method: a clean interpreter, never a
fork of the threaded server.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from queue import Empty, Queue

from medkg.query import DataMissing
from medkg.serve import worker
from medkg.serve.jobs import Answer, Failed, Job, Ready, text_answer

GRACE_SECONDS = 0.5
QUEUE_GRACE_SECONDS = 30.0
START_SECONDS = 120.0


@dataclass(eq=False)  # compared and hashed by identity: one per process
class _Worker:
    process: BaseProcess
    connection: Connection

    def stop(self) -> None:
        self.connection.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)


class QueryPool:
    """`size` worker processes answering `Job`s against the dataset in `data_dir`."""

    def __init__(
        self, data_dir: Path, *, size: int, timeout: float, max_results: int, queue: int = 0
    ):
        if size < 1:
            raise ValueError("a query pool needs at least one worker")
        if queue < 0:
            raise ValueError("a query pool's queue cannot be negative")
        self.data_dir = data_dir
        self.size = size
        self.queue = queue
        self.timeout = timeout
        self.max_results = max_results
        self.triples = 0
        self._context = multiprocessing.get_context("spawn")
        self._idle: Queue[_Worker | None] = Queue()  # None: the pool is closed
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._admitted = 0

    @property
    def admitted(self) -> int:
        """Jobs running or waiting for a worker now."""
        return self._admitted

    @property
    def worker_pids(self) -> list[int]:
        """The process ids of the live workers (for monitoring)."""
        with self._lock:
            return [each.process.pid for each in self._all if each.process.pid is not None]

    def _spawn(self) -> _Worker:
        ours, theirs = self._context.Pipe()
        process = self._context.Process(
            target=worker.main,
            args=(theirs, str(self.data_dir), self.timeout, self.max_results),
            name="medkg-query-worker",
            daemon=True,
        )
        process.start()
        theirs.close()
        started = _Worker(process, ours)
        with self._lock:
            self._all.add(started)
        return started

    def _await_ready(self, started: _Worker) -> None:
        """Wait for the worker's first message; `DataMissing` when it could not load the data."""
        if not started.connection.poll(START_SECONDS):
            self._retire(started)
            raise DataMissing(
                f"a query worker did not load {self.data_dir}/ within {START_SECONDS:g} s"
            )
        try:
            message = started.connection.recv()
        except (EOFError, OSError) as error:
            self._retire(started)
            raise DataMissing(f"a query worker stopped while loading {self.data_dir}/") from error
        if isinstance(message, Failed):
            self._retire(started)
            raise DataMissing(message.message)
        if isinstance(message, Ready):
            self.triples = message.triples
        self._idle.put(started)

    def start(self) -> None:
        """Start every worker and wait until all have loaded the store (`DataMissing` if not)."""
        started = [self._spawn() for _ in range(self.size)]
        try:
            for each in started:
                self._await_ready(each)
        except DataMissing:
            self.close()
            raise

    def _retire(self, finished: _Worker) -> None:
        with self._lock:
            self._all.discard(finished)
        finished.stop()

    def _replace(self) -> None:
        """Start a new worker in the background; it joins the idle queue once it is ready."""

        def load() -> None:
            try:
                self._await_ready(self._spawn())
            except DataMissing as error:
                print(f"medkg serve: could not restart a query worker: {error}", file=sys.stderr)

        if not self._closed:
            threading.Thread(target=load, name="medkg-worker-restart", daemon=True).start()

    def run(self, job: Job) -> Answer:
        """The answer to `job`, or a 503/500 answer by the rules of the module docstring."""
        with self._lock:
            full = self._admitted >= self.size + self.queue
            if not full:
                self._admitted += 1
        if full:
            return text_answer(
                503,
                f"{self.size} queries are running and {self.queue} waiting, the most this "
                "server takes at once; try again shortly",
                {"Retry-After": "1"},
            )
        try:
            return self._run(job)
        finally:
            with self._lock:
                self._admitted -= 1

    def _run(self, job: Job) -> Answer:
        try:
            chosen = self._idle.get(timeout=self.timeout + QUEUE_GRACE_SECONDS)
        except Empty:
            return text_answer(
                503,
                f"all {self.size} query workers stayed busy; try again later",
                {"Retry-After": "1"},
            )
        if chosen is None:
            self._idle.put(None)  # for the next waiting job
            return text_answer(503, "the server is stopping")
        try:
            chosen.connection.send(job)
            if chosen.connection.poll(self.timeout + GRACE_SECONDS):
                result: Answer = chosen.connection.recv()
                self._idle.put(chosen)
                return result
        except (EOFError, OSError):
            self._retire(chosen)
            self._replace()
            return text_answer(500, "the query worker stopped unexpectedly; it is being restarted")
        self._retire(chosen)
        self._replace()
        return text_answer(503, worker.timeout_message(self.timeout))

    def close(self) -> None:
        """Stop every worker; jobs still waiting are answered 503."""
        self._closed = True
        self._idle.put(None)
        with self._lock:
            running = list(self._all)
            self._all.clear()
        for each in running:
            each.stop()
