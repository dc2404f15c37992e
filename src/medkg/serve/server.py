"""The HTTP server underneath `medkg serve`: waitress (a well-kept pure-Python WSGI server)
running `medkg.serve.app.MedkgApp`, with the limits that keep it answering.

What waitress does by construction, configured here:
- it reads each request whole (headers up to `MAX_HEADER_BYTES`, body up to
  `MAX_BODY_BYTES`, else 431/413) in its event loop before a thread runs the
  application, so a slow or stalled client never holds a thread;
- a connection that sends nothing for `ServeConfig.idle_timeout` seconds —
  idle between requests, or stalled inside headers or a body — is closed;
- at most `MAX_CONNECTIONS` connections are open at once, more wait in a
  listen backlog of `BACKLOG`; sockets use ``TCP_NODELAY``;
- a malformed request (a non-numeric ``Content-Length``, a bad request line)
  is answered 400 by waitress itself.

The application threads are enough for every running and queued query plus
four more, so static pages and 503 answers never wait behind queries.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from waitress import wasyncore
from waitress.server import BaseWSGIServer, MultiSocketServer, create_server
from waitress.trigger import trigger

from medkg.serve.app import MedkgApp
from medkg.serve.config import (
    BACKLOG,
    MAX_BODY_BYTES,
    MAX_CONNECTIONS,
    MAX_HEADER_BYTES,
    ServeConfig,
)
from medkg.serve.pool import QueryPool

SPARE_THREADS = 4


class MedkgServer:
    """A bound HTTP server holding the configuration and the worker pool.

    ``serve_forever()`` answers requests until ``shutdown()`` (from another
    thread); ``server_close()`` then closes the sockets and stops the workers.
    """

    def __init__(self, config: ServeConfig, pool: QueryPool):
        self.config = config
        self.pool = pool
        self._map: dict[int, Any] = {}  # socket number: waitress dispatcher
        self._stop = threading.Event()
        self._stopped = threading.Event()
        self._stopped.set()
        # idle connections are looked for every second, so one is closed within
        # idle_timeout + 1 s of its last activity
        self._tick = 1.0
        if config.quiet:
            logging.getLogger("waitress").setLevel(logging.ERROR)
        self._waitress: BaseWSGIServer | MultiSocketServer = create_server(
            MedkgApp(config, pool),
            map=self._map,
            host=config.host,
            port=config.port,
            threads=config.workers + config.queue + SPARE_THREADS,
            channel_timeout=config.idle_timeout,
            cleanup_interval=1,
            asyncore_use_poll=True,
            max_request_body_size=MAX_BODY_BYTES,
            max_request_header_size=MAX_HEADER_BYTES,
            connection_limit=MAX_CONNECTIONS,
            backlog=BACKLOG,
            ident="medkg",
            expose_tracebacks=False,
        )

    @property
    def server_address(self) -> tuple[str, int]:
        """The bound (host, port) (the first one when the host name has several addresses)."""
        listening = [each for each in self._map.values() if isinstance(each, BaseWSGIServer)]
        host, port = listening[0].getsockname()[:2]
        return str(host), int(port)

    @property
    def url(self) -> str:
        host, port = self.server_address
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}"

    def serve_forever(self) -> None:
        """Answer requests until `shutdown`."""
        self._stop.clear()
        self._stopped.clear()
        try:
            while not self._stop.is_set():
                wasyncore.loop(timeout=self._tick, map=self._map, use_poll=True, count=1)
        finally:
            self._stopped.set()

    def shutdown(self) -> None:
        """Make `serve_forever` return, and wait until it has."""
        self._stop.set()
        for dispatcher in list(self._map.values()):
            if isinstance(dispatcher, trigger):
                dispatcher.pull_trigger()
        self._stopped.wait()

    def server_close(self) -> None:
        """Close every socket, stop the application threads and the query workers."""
        self.pool.close()  # waiting requests are answered at once
        wasyncore.close_all(self._map)
        self._waitress.task_dispatcher.shutdown(timeout=5)


def make_server(config: ServeConfig) -> MedkgServer:
    """A bound server with its workers loaded, not yet serving (call ``serve_forever``).

    Raises `OSError` when the address cannot be bound and
    `medkg.query.DataMissing` when the dataset cannot be loaded.
    """
    pool = QueryPool(
        config.data_dir,
        size=config.workers,
        timeout=config.timeout,
        max_results=config.max_results,
        queue=config.queue,
    )
    server = MedkgServer(config, pool)
    try:
        pool.start()
    except BaseException:
        server.server_close()
        raise
    return server
