"""How `medkg serve` runs: `ServeConfig` and its documented defaults, and the fixed limits."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_RESULTS = 10_000
DEFAULT_WORKERS = 2
DEFAULT_QUEUE = 8
DEFAULT_IDLE_TIMEOUT = 30

# A request body or header block (URL included) over 64 KiB is refused (413/431)
# before anything reads it: the query tokenizer takes ~0.15 s for 64 KiB of its
# worst input, and real queries are a few KiB.
MAX_BODY_BYTES = 64 * 1024
MAX_HEADER_BYTES = 64 * 1024
# Open connections at once; more wait in the listen backlog until one closes.
MAX_CONNECTIONS = 256
BACKLOG = 1024


@dataclass(frozen=True)
class ServeConfig:
    """How `medkg serve` runs; the defaults are the documented ones.

    `timeout`: seconds a query may run; `queue`: queries that may wait for a busy
    worker (beyond them a request is answered 503); `idle_timeout`: seconds a
    connection may send nothing (idle between requests, or stalled inside one)
    before it is closed (whole seconds, as waitress counts them); `cors_origins`: web
    origins whose scripts may read answers.
    """

    data_dir: Path = Path("dist")
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    timeout: float = DEFAULT_TIMEOUT
    max_results: int = DEFAULT_MAX_RESULTS
    workers: int = DEFAULT_WORKERS
    queue: int = DEFAULT_QUEUE
    idle_timeout: int = DEFAULT_IDLE_TIMEOUT
    cors_origins: tuple[str, ...] = ()
    quiet: bool = False
