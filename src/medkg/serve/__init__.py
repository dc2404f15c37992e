"""`medkg serve`: a read-only SPARQL 1.1 endpoint, linked-data pages and a query page.

    from medkg.serve import ServeConfig, make_server
    server = make_server(ServeConfig(data_dir=Path("dist"), port=0))  # bound, workers loaded
    print(server.url + "/sparql")
    server.serve_forever()   # until server.shutdown(); then server.server_close()

`serve(config)` does the same for the command line and stops on Ctrl-C.
How queries are run and stopped: `medkg.serve.pool`; which requests are
accepted: `medkg.serve.protocol` and `medkg.serve.origin`; routes:
`medkg.serve.app`; the HTTP server and its limits: `medkg.serve.server`.
"""

from __future__ import annotations

import signal
import sys
import threading
from types import FrameType

from medkg.serve.config import (
    DEFAULT_HOST,
    DEFAULT_IDLE_TIMEOUT,
    DEFAULT_MAX_RESULTS,
    DEFAULT_PORT,
    DEFAULT_QUEUE,
    DEFAULT_TIMEOUT,
    DEFAULT_WORKERS,
    ServeConfig,
)
from medkg.serve.server import MedkgServer, make_server


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def serve(config: ServeConfig) -> None:
    """Run the server in the foreground until Ctrl-C or SIGTERM, then stop its workers."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
    server = make_server(config)
    print(
        f"medkg serve: SPARQL endpoint {server.url}/sparql, query page {server.url}/ "
        f"({server.pool.triples} triples from {config.data_dir}/; "
        f"timeout {config.timeout:g} s, at most {config.max_results} results per query, "
        f"{config.workers} at once and {config.queue} waiting). "
        "Ctrl-C stops it.",
        file=sys.stderr,
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("medkg serve: stopped.", file=sys.stderr)
    finally:
        server.server_close()


__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_IDLE_TIMEOUT",
    "DEFAULT_MAX_RESULTS",
    "DEFAULT_PORT",
    "DEFAULT_QUEUE",
    "DEFAULT_TIMEOUT",
    "DEFAULT_WORKERS",
    "MedkgServer",
    "ServeConfig",
    "make_server",
    "serve",
]
