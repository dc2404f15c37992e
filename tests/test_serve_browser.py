"""The query page in a real browser: headless Chromium (Debian's ``chromium``) opens the page
from a link, a script clicks Run as a user would, and the answer is read off the DOM.

Chromium is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``:
JSON messages ending in a NUL byte, commands on its fd 3, answers on its fd 4).
A link (``/?query=billing``, ``/?sparql=…``) only fills the editor: the DOM is
read once before the click (no answer yet) and once after it.
Skipped when ``chromium`` is not installed (``.ci/run`` installs it).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

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


RUN_AFTER_LOAD = """(async () => {
  const status = () => document.getElementById("status").textContent;
  const wait = async (done) => {
    for (let i = 0; i < 1200 && !done(); i++) await new Promise((r) => setTimeout(r, 50));
  };
  await wait(() => document.querySelector("#queries button, #queries .error"));
  const before = document.documentElement.outerHTML;
  document.getElementById("run").click();
  await wait(() => status() !== "" && status() !== "running…");
  return JSON.stringify({before, after: document.documentElement.outerHTML});
})()"""


class DevTools:
    """Chromium's DevTools protocol over its debugging pipe: commands and their results."""

    def __init__(self, profile: Path):
        assert CHROMIUM is not None
        to_chromium, self._commands = os.pipe()
        self._answers, from_chromium = os.pipe()
        # out of the way of fds 3 and 4, which the child's copies take
        high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_chromium, from_chromium)]
        for fd in (to_chromium, from_chromium):
            os.close(fd)

        def as_fds_3_and_4() -> None:
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        self.process = subprocess.Popen(
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
                "--remote-debugging-pipe",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=as_fds_3_and_4,
            pass_fds=(3, 4),
        )
        for fd in high:
            os.close(fd)
        self._buffer = b""
        self._next_id = 0

    def _message(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            chunk = os.read(self._answers, 65536)
            assert chunk, "chromium closed its debugging pipe"
            self._buffer += chunk
        text, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(text)
        return message

    def send(self, method: str, session: str | None = None, **params: Any) -> int:
        self._next_id += 1
        command: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session is not None:
            command["sessionId"] = session
        os.write(self._commands, json.dumps(command).encode() + b"\0")
        return self._next_id

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """Send a command and wait for its result (events meanwhile are dropped)."""
        sent = self.send(method, session, **params)
        while (message := self._message()).get("id") != sent:
            pass
        assert "error" not in message, message
        result: dict[str, Any] = message["result"]
        return result

    def wait_for_event(self, method: str) -> None:
        while self._message().get("method") != method:
            pass

    def close(self) -> None:
        self.send("Browser.close")
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._commands)
        os.close(self._answers)


def before_and_after_run(url: str, profile: Path) -> tuple[str, str]:
    """The page's DOM once `url` has loaded, and again after a click on Run has been answered."""
    browser = DevTools(profile)
    try:
        target = browser.call("Target.createTarget", url="about:blank")["targetId"]
        session = browser.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        browser.call("Page.enable", session)
        browser.send("Page.navigate", session, url=url)
        browser.wait_for_event("Page.loadEventFired")
        result = browser.call(
            "Runtime.evaluate",
            session,
            expression=RUN_AFTER_LOAD,
            awaitPromise=True,
            returnByValue=True,
        )
        doms = json.loads(result["result"]["value"])
        return doms["before"], doms["after"]
    finally:
        browser.close()


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
