"""The query page in a real browser: headless Chromium (Debian's ``chromium``) runs a competency
query from the page and the answer is read off the rendered DOM.

The page is opened as ``/?query=billing&run=1``: it loads the query list, puts
the ``billing`` query in the editor and runs it; ``--virtual-time-budget``
lets Chromium finish those requests before ``--dump-dom`` prints the page.
Skipped when ``chromium`` is not installed (``.ci/run`` installs it).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from medkg.serve import MedkgServer, ServeConfig
from tests.conftest import Built
from tests.serve_support import running_server

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Debian's chromium is not installed (apt-get install chromium); .ci/run installs it",
)


@pytest.fixture(scope="module")
def server(built: Built) -> Iterator[MedkgServer]:
    with running_server(ServeConfig(data_dir=built.out, port=0, quiet=True)) as running:
        yield running


class ResultsTable(HTMLParser):
    """Collects the cell texts of ``<table id="results">`` and the ``#status`` text."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.status = ""
        self._in_table = False
        self._cell: list[str] | None = None
        self._in_status = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "table" and found.get("id") == "results":
            self._in_table = True
        elif self._in_table and tag == "tr":
            self.rows.append([])
        elif self._in_table and tag in ("td", "th"):
            self._cell = []
        elif found.get("id") == "status":
            self._in_status = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._in_table = False
        elif tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "span":
            self._in_status = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._in_status:
            self.status += data


def rendered_dom(url: str, profile: Path) -> str:
    assert CHROMIUM is not None
    completed = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--virtual-time-budget=30000",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    return completed.stdout


def test_query_page_runs_the_billing_query(server: MedkgServer, tmp_path: Path) -> None:
    dom = rendered_dom(server.url + "/?query=billing&run=1", tmp_path / "profile")
    table = ResultsTable()
    table.feed(dom)
    assert table.rows, f"no results table in the page; status: {table.status!r}"
    header, *rows = table.rows
    assert "code" in header
    codes = [row[header.index("code")] for row in rows]
    assert "J3111" in codes
    assert table.status.startswith(f"{len(rows)} row")


def test_query_page_shows_errors(server: MedkgServer, tmp_path: Path) -> None:
    dom = rendered_dom(server.url + "/?sparql=INSERT%20DATA%20%7B%7D&run=1", tmp_path / "profile")
    table = ResultsTable()
    table.feed(dom)
    assert not table.rows
    assert "HTTP 403" in table.status
    assert "read-only" in table.status
