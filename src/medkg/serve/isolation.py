"""Query workers without a network, by construction (Linux network namespaces).

pyoxigraph executes ``SERVICE`` with its own HTTP client, which no Python-level
guard sees, and its Python API offers no way to switch that client off. The
server refuses every ``SERVICE`` before a query runs (`medkg.query.sparql_text`);
`leave_network` is the second wall: it moves a worker into a new network
namespace, which holds only a loopback interface that is down, so nothing the
worker runs can reach any host, whatever the query says.
"""

from __future__ import annotations

import ctypes
import sys

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000


def leave_network() -> bool:
    """Move this process into a new, empty network namespace; True when it did.

    Tries a network namespace alone (allowed with CAP_SYS_ADMIN), then inside a
    new user namespace (allowed to any user where the kernel enables
    unprivileged user namespaces). Must run while the process has one thread
    (before the store starts its own). False where neither is allowed or not on
    Linux: the refusal of ``SERVICE`` before execution still stands.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return False
    return any(libc.unshare(flags) == 0 for flags in (CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNET))
