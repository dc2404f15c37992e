"""Which web pages may use the server: same-origin requests only, unless CORS names an origin.

A page on another site can make a browser send requests here (a form POST, an
``<img>`` or a script ``fetch``). The server never answers with
``Access-Control-Allow-Origin: *``, so such a page cannot read an answer; and
a request to ``/sparql`` that a browser marks as coming from another site
(an ``Origin`` header naming another origin, or ``Sec-Fetch-Site:
cross-site`` without ``Origin``) is refused with 403 before anything runs, so
such a page cannot make it run queries either. Clients that are not browsers
(curl, SPARQLWrapper) send neither header and are unaffected.

A server listening on a loopback address also refuses (403) a request whose
``Host`` is not a loopback name (``localhost``, ``127.0.0.1``, ``[::1]``…):
that is a page of another site whose DNS name was pointed at 127.0.0.1 (DNS
rebinding), which the browser would otherwise treat as same-origin.

An origin given with ``--cors-origin`` (exactly, e.g. ``http://localhost:3000``)
is trusted: its scripts may send queries and read the answers
(``Access-Control-Allow-Origin`` names it, never with credentials).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from urllib.parse import urlsplit

PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, Accept",
    "Access-Control-Max-Age": "600",
}


def _is_loopback(name: str) -> bool:
    if name.lower() == "localhost" or name.lower().endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def rebound_host(environ: Mapping[str, object], listening_on: str) -> str | None:
    """The ``Host`` of a request that names another host than a loopback server's own."""
    if not _is_loopback(listening_on):
        return None
    host = str(environ.get("HTTP_HOST", ""))
    try:
        name = urlsplit(f"//{host}").hostname or ""
    except ValueError:
        return host
    return None if not host or _is_loopback(name) else host


def own_origin(environ: Mapping[str, object]) -> str:
    """The origin a page served by this server has: scheme and the Host it was asked for."""
    return f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '')}"


def foreign_source(environ: Mapping[str, object], trusted: tuple[str, ...]) -> str | None:
    """What shows a request came from another site's page (None when it did not)."""
    origin = environ.get("HTTP_ORIGIN")
    if isinstance(origin, str):
        if origin == own_origin(environ) or origin in trusted:
            return None
        return f"Origin: {origin}"
    if environ.get("HTTP_SEC_FETCH_SITE") == "cross-site":
        return "Sec-Fetch-Site: cross-site"
    return None


def cors_headers(
    environ: Mapping[str, object], trusted: tuple[str, ...], exposed: str
) -> dict[str, str]:
    """The CORS headers for a request from a trusted origin; none for any other."""
    origin = environ.get("HTTP_ORIGIN")
    if not isinstance(origin, str) or origin not in trusted:
        return {}
    return {"Access-Control-Allow-Origin": origin, "Access-Control-Expose-Headers": exposed}
