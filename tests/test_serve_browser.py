"""The query page in a real browser: headless Chromium (Debian's ``chromium``, driven by
`tests.browser_support`) opens the page from a link, a script clicks Run as a user
would, and the answer is read off the DOM.

A link (``/?query=billing``, ``/?sparql=…``) only fills the editor: the DOM is
read once before the click (no answer yet) and once after it.
Skipped when ``chromium`` is not installed (``.ci/run`` installs it).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import pytest

from medkg.serve import MedkgServer, ServeConfig
from tests.browser_support import CHROMIUM, open_page
from tests.conftest import Built
from tests.serve_support import running_server

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


RUN_AFTER_LOAD = """(async () => {
  const status = () => document.getElementById("status").textContent;
  const wait = async (done) => {
    for (let i = 0; i < 1200 && !done(); i++) await new Promise((r) => setTimeout(r, 50));
  };
  const before = document.documentElement.outerHTML;
  document.getElementById("run").click();
  await wait(() => status() !== "" && status() !== "running…");
  return JSON.stringify({before, after: document.documentElement.outerHTML});
})()"""


def before_and_after_run(url: str, profile: Path) -> tuple[str, str]:
    """The page's DOM once `url` has loaded, and again after a click on Run has been answered."""
    with open_page(url, profile) as tab:
        doms = json.loads(tab.evaluate(RUN_AFTER_LOAD))
    return doms["before"], doms["after"]


def table_of(dom: str) -> ResultsTable:
    table = ResultsTable()
    table.feed(dom)
    return table


def test_query_page_runs_the_billing_query_on_a_click(server: MedkgServer, tmp_path: Path) -> None:
    # the old auto-run link: it fills the editor, nothing runs until the click
    before, after = before_and_after_run(server.url + "/?query=billing&run=1", tmp_path / "profile")
    assert not table_of(before).rows
    assert "billing" in before
    table = table_of(after)
    assert table.rows, f"no results table in the page; status: {table.status!r}"
    header, *rows = table.rows
    assert "code" in header
    codes = [row[header.index("code")] for row in rows]
    assert "J3111" in codes
    assert table.status.startswith(f"{len(rows)} row")


def test_query_page_shows_errors(server: MedkgServer, tmp_path: Path) -> None:
    url = server.url + "/?" + urlencode({"sparql": "INSERT DATA {}", "run": "1"})
    before, after = before_and_after_run(url, tmp_path / "profile")
    assert "HTTP 403" not in before
    table = table_of(after)
    assert not table.rows
    assert "HTTP 403" in table.status
    assert "read-only" in table.status


def test_query_page_links_only_web_addresses(server: MedkgServer, tmp_path: Path) -> None:
    text = "SELECT ?x WHERE { VALUES ?x { <javascript:alert(1)> <https://example.org/a> } }"
    _, after = before_and_after_run(
        server.url + "/?" + urlencode({"sparql": text}), tmp_path / "profile"
    )
    table = table_of(after)
    assert [row[0] for row in table.rows[1:]] == ["javascript:alert(1)", "https://example.org/a"]
    assert 'href="https://example.org/a"' in after
    assert 'href="javascript:' not in after
