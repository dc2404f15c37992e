"""Run `medkg serve` in a background thread of the test process, on a free loopback port."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from medkg.serve import MedkgServer, ServeConfig, make_server


@contextmanager
def running_server(config: ServeConfig) -> Iterator[MedkgServer]:
    """A started server (workers loaded, answering) for the duration of the block."""
    server = make_server(config)
    thread = threading.Thread(target=server.serve_forever, name="medkg-test-server", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
