"""A client of one remote store: the SPARQL 1.1 Graph Store HTTP Protocol (GSP: ``PUT``,
``GET``, ``DELETE`` of one graph at ``?graph=IRI``) and, optionally, SPARQL 1.1 Update.

Every request carries the credentials given (``Authorization`` header). A request that is
safe to send twice (PUT, GET, DELETE of a whole graph) is retried on a connection error or
a 5xx/429 answer, up to `RETRIES` times with growing pauses; an update is sent once (run
twice, a MOVE would move from graphs the first run emptied). Endpoints must be http(s)
URLs without user information (credentials go in a file or the environment), checked when
the client is made. Credentials never appear in an error message: errors name the
endpoint, the request and the status only.
"""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

from medkg.errors import MedkgError

RETRIES = 4  # attempts of one request in all
PAUSES = (0.5, 2.0, 5.0)  # seconds before the 2nd, 3rd and 4th attempt
TIMEOUT = 300.0  # seconds a request may take (a large graph is one request)
N_TRIPLES = "application/n-triples"


class PublishFailed(MedkgError):
    """The store refused a request, or could not be reached after every retry."""


@dataclass
class GraphStore:
    """One store: its GSP endpoint, its update endpoint (None: GSP only), credentials."""

    endpoint: str
    update_endpoint: str | None = None
    authorization: str | None = None  # the Authorization header's value; never printed
    sleep: Callable[[float], None] = time.sleep
    retried: int = field(default=0, init=False)  # requests that needed another attempt

    def __post_init__(self) -> None:
        for url in (self.endpoint, self.update_endpoint):
            if url is not None:
                check_endpoint(url)

    def put(self, graph: str, ntriples: bytes) -> None:
        """Replace `graph` with the N-Triples `ntriples`."""
        self._send("PUT", self._graph_url(graph), ntriples, N_TRIPLES, f"PUT graph <{graph}>")

    def get(self, graph: str) -> bytes | None:
        """The N-Triples of `graph`, or None when the store has no such graph (404)."""
        return self._send(
            "GET", self._graph_url(graph), None, None, f"GET graph <{graph}>", missing_ok=True
        )

    def delete(self, graph: str) -> None:
        """Remove `graph` (nothing when it is not there)."""
        self._send(
            "DELETE", self._graph_url(graph), None, None, f"DELETE graph <{graph}>", missing_ok=True
        )

    def update(self, text: str) -> None:
        """Run one SPARQL 1.1 Update request (the store applies it as one transaction)."""
        if self.update_endpoint is None:
            raise PublishFailed("no update endpoint given; use --update-endpoint")
        self._send(
            "POST",
            self.update_endpoint,
            text.encode("utf-8"),
            "application/sparql-update",
            "SPARQL update",
            attempts=1,
        )

    def _graph_url(self, graph: str) -> str:
        separator = "&" if "?" in self.endpoint else "?"
        return f"{self.endpoint}{separator}{urllib.parse.urlencode({'graph': graph})}"

    def _send(
        self,
        method: str,
        url: str,
        body: bytes | None,
        content_type: str | None,
        what: str,
        *,
        missing_ok: bool = False,
        attempts: int = RETRIES,
    ) -> bytes | None:
        headers = {"Accept": N_TRIPLES} if method == "GET" else {}
        if content_type is not None:
            headers["Content-Type"] = content_type
        if self.authorization is not None:
            headers["Authorization"] = self.authorization
        problem = ""
        for attempt in range(attempts):
            if attempt:
                self.retried += 1
                self.sleep(PAUSES[min(attempt - 1, len(PAUSES) - 1)])
            request = urllib.request.Request(url, data=body, headers=headers, method=method)
            try:
                with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                    answer: bytes = response.read()
                    return answer
            except urllib.error.HTTPError as error:
                if error.code == 404 and missing_ok:
                    return None
                detail = error.read(300).decode("utf-8", "replace").strip()
                problem = f"HTTP {error.code} {error.reason}" + (f": {detail}" if detail else "")
                if error.code in (401, 403):
                    problem += (
                        "; give credentials with --credentials-file or $MEDKG_PUBLISH_CREDENTIALS"
                    )
                if error.code < 500 and error.code != 429:
                    break  # the store refuses the request itself: trying again changes nothing
            except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
                reason = getattr(error, "reason", type(error).__name__)
                problem = f"cannot reach the store ({reason})"
        raise PublishFailed(f"{self.endpoint_of(url)}: {what} failed: {problem}")

    @staticmethod
    def endpoint_of(url: str) -> str:
        """`url` without its query (what errors may show; user information is refused when
        the client is made)."""
        parts = urllib.parse.urlsplit(url)
        return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def check_endpoint(url: str) -> None:
    """`PublishFailed` unless `url` is an http(s) URL with a host and no user information
    (the message never repeats the URL: it may hold a password)."""
    try:
        parts = urllib.parse.urlsplit(url)
        _ = parts.port  # raises ValueError for a port that is not a number in range
    except ValueError:
        raise PublishFailed(
            "an endpoint is not a valid URL (bad host or port); give http(s)://HOST[:PORT]/PATH"
        ) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PublishFailed("an endpoint must be an http:// or https:// URL with a host")
    if parts.username is not None or parts.password is not None:
        raise PublishFailed(
            "an endpoint must not hold user information; give credentials with "
            "--credentials-file or $MEDKG_PUBLISH_CREDENTIALS"
        )
