"""Headless Chromium (Debian's ``chromium``) driven over the DevTools protocol on a pipe
(``--remote-debugging-pipe``: JSON messages ending in a NUL byte, commands on its fd 3,
answers on its fd 4), for the browser tests and ``docs/screenshots.py``.

`open_page` loads a URL in a fresh browser and returns a `Tab` that evaluates
scripts in it and takes screenshots (PNG bytes) at a fixed window width.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)


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


@dataclass
class Tab:
    """One page open in `browser` (its DevTools session)."""

    browser: DevTools
    session: str

    def evaluate(self, expression: str) -> Any:
        """The value of a script run in the page (promises awaited)."""
        result = self.browser.call(
            "Runtime.evaluate",
            self.session,
            expression=expression,
            awaitPromise=True,
            returnByValue=True,
        )
        return result["result"].get("value")

    def screenshot(self, width: int = 1280, max_height: int = 2400, scale: float = 0.75) -> bytes:
        """A PNG of the page's top `max_height` CSS pixels at `width`, scaled by `scale`."""
        height = int(self.evaluate("document.documentElement.scrollHeight"))
        height = min(height, max_height)
        self.browser.call(
            "Emulation.setDeviceMetricsOverride",
            self.session,
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        clip = {"x": 0, "y": 0, "width": width, "height": height, "scale": scale}
        shot = self.browser.call(
            "Page.captureScreenshot",
            self.session,
            format="png",
            clip=clip,
            captureBeyondViewport=True,
        )
        return base64.b64decode(shot["data"])


@contextmanager
def open_page(url: str, profile: Path, width: int = 1280) -> Iterator[Tab]:
    """`url` loaded (its load event fired) in a fresh headless Chromium at `width` pixels."""
    browser = DevTools(profile)
    try:
        target = browser.call("Target.createTarget", url="about:blank")["targetId"]
        session = browser.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        browser.call("Page.enable", session)
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            session,
            width=width,
            height=900,
            deviceScaleFactor=1,
            mobile=False,
        )
        browser.send("Page.navigate", session, url=url)
        browser.wait_for_event("Page.loadEventFired")
        yield Tab(browser, session)
    finally:
        browser.close()


# --- the pages of docs/ ------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_SOURCES = (ROOT / "data" / "sources", ROOT / "tests" / "fixtures" / "corpus")
"""The seeds and the sample corpus: the build the screenshots in docs/ show."""

DOC_PAGES = {
    "landing": "/",
    "drug": "/id/drug/romosozumab",
    "drug-per-kilogram": "/id/drug/burosumab",
    "code": "/id/code/hcpcs/J3111",
    "query": "/query?query=billing&drug=Burosumab&answer=1",
}
"""Each screenshot in docs/ (``NAME.png``) and the page it shows."""

STRUCTURE = """(() => {
  const DATA_SECTIONS = ["drugs-index", "codes-index", "answer", "results"]
    .map((name) => `section[aria-labelledby=${name}]`).join(", ");
  const text = (node) => (node ? node.textContent.replace(/\\s+/g, " ").trim() : "");
  const sections = [...document.querySelectorAll("main > section, main section[aria-labelledby]")];
  const facts = [...document.querySelectorAll("main li.fact, main tbody tr")];
  return JSON.stringify({
    title: document.title,
    landmarks: [...document.querySelectorAll("header, nav, main, footer, [role=search]")]
      .map((node) => node.getAttribute("role") || node.tagName.toLowerCase()),
    h1: text(document.querySelector("h1")),
    sections: sections.map((section) => ({
      heading: text(section.querySelector("h2")),
      subheadings: [...section.querySelectorAll("h3")].map(text),
      rows: section.querySelectorAll("tbody tr").length,
      facts: section.querySelectorAll("li.fact").length,
      evidence: section.querySelectorAll("details.evidence").length,
    })),
    diagram_boxes: document.querySelectorAll("svg g.node").length,
    forms: document.querySelectorAll("main form").length,
    facts_without_evidence: facts.filter(
      (fact) => !fact.querySelector('details.evidence a[href^="/id/evidence/"]')
        && fact.closest(DATA_SECTIONS) === null
    ).length,
    overflows: document.documentElement.scrollWidth > window.innerWidth,
  });
})()"""
"""A script returning the page's structure as JSON: landmarks, headings, and per section
the rows, facts and evidence details; the facts (list items and table rows of fact
sections) that lack a link to their evidence; whether the page is wider than the window."""


def page_structure(tab: Tab) -> dict[str, Any]:
    """The structure of the page open in `tab` (see `STRUCTURE`)."""
    found: dict[str, Any] = json.loads(tab.evaluate(STRUCTURE))
    return found
