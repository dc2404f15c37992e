"""Named points where a test can stop a build to kill it there (inert unless asked).

The kill tests (``tests/hostile/test_kills.py``) run ``medkg build`` with
``MEDKG_TEST_PAUSE_AT`` set to a comma-separated list of point names. At each
listed point the build prints ``medkg-test-pause: <name>`` on stderr and waits
for a line on stdin (the test then sends SIGKILL, or a newline to go on).
Without the variable, `pause` does nothing. The points:

* ``documents``: after the first document's result, while the worker pool runs;
* ``merge``: inside the full merge, after ``medkg.nq`` and ``medkg.ttl`` are written;
* ``update``: inside the incremental update, after the large files are spliced;
* ``swap``: after the new output folder took the old one's place, before the old
  one is removed (`medkg.pipeline.staging.swap_in`).
"""

from __future__ import annotations

import os
import sys

VARIABLE = "MEDKG_TEST_PAUSE_AT"
MARKER = "medkg-test-pause:"


def pause(point: str) -> None:
    """When `point` is listed in ``MEDKG_TEST_PAUSE_AT``: say so on stderr, wait for stdin."""
    wanted = os.environ.get(VARIABLE)
    if not wanted or point not in wanted.split(","):
        return
    print(MARKER, point, file=sys.stderr, flush=True)
    sys.stdin.readline()
