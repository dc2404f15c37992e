"""The pages of docs/ in headless Chromium, on the seeds + sample corpus build they show.

Each screenshot in docs/ is compared with the page by structure, not by pixels:
the landmarks, headings, and per section the table rows, facts and evidence
details the browser finds must equal those docs/screenshots.json recorded when
the screenshots were taken (``docs/screenshots.py`` takes them again). Every
fact on a drug or code page links to its evidence, and no page is wider than a
1280-pixel window. Skipped when ``chromium`` is not installed.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from medkg.pipeline.build import build
from medkg.pipeline.options import BuildOptions
from medkg.serve import MedkgServer, ServeConfig
from tests.browser_support import (
    CHROMIUM,
    DOC_PAGES,
    ROOT,
    SAMPLE_SOURCES,
    open_page,
    page_structure,
)
from tests.serve_support import running_server

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Debian's chromium is not installed (apt-get install chromium); .ci/run installs it",
)
DOCS = ROOT / "docs"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MedkgServer]:
    folder = tmp_path_factory.mktemp("sample")
    build(list(SAMPLE_SOURCES), folder / "dist", BuildOptions(cache_folder=folder / "cache"))
    config = ServeConfig(data_dir=folder / "dist", port=0, quiet=True, workers=1)
    with running_server(config) as running:
        yield running


@pytest.fixture(scope="module")
def structures(server: MedkgServer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Each docs page's structure as Chromium shows it now."""
    found = {}
    for name, path in DOC_PAGES.items():
        with open_page(server.url + path, tmp_path_factory.mktemp("profile")) as tab:
            found[name] = page_structure(tab)
    return found


def recorded() -> dict[str, Any]:
    saved: dict[str, Any] = json.loads((DOCS / "screenshots.json").read_text(encoding="utf-8"))
    return saved


@pytest.mark.parametrize("name", sorted(DOC_PAGES))
def test_docs_screenshot_shows_the_page_as_it_is(name: str, structures: dict[str, Any]) -> None:
    saved = recorded()[name]
    assert saved["path"] == DOC_PAGES[name]
    assert structures[name] == saved["structure"], (
        f"docs/{name}.png no longer shows {DOC_PAGES[name]}: run docs/screenshots.py"
    )
    png = (DOCS / f"{name}.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert width == 768 and 0 < height <= 2400  # 1280 px at 60 %


def test_the_pages_have_their_landmarks_and_sections(structures: dict[str, Any]) -> None:
    for name, structure in structures.items():
        assert structure["landmarks"][:3] == ["header", "nav", "main"], name
        assert not structure["overflows"], name
    landing = structures["landing"]
    assert "search" in landing["landmarks"]
    assert [section["heading"] for section in landing["sections"]] == [
        "Drugs (8)",
        "Billing codes (6)",
    ]
    drug = structures["drug"]
    assert [section["heading"] for section in drug["sections"]] == [
        "Indications",
        "Dosing",
        "Adverse reactions",
        "Contraindications",
        "Warnings and precautions",
        "How it works",
        "Billing codes",
    ]
    assert drug["diagram_boxes"] == 12
    per_kilogram = structures["drug-per-kilogram"]
    billing = per_kilogram["sections"][-1]
    assert billing["heading"] == "Billing codes" and billing["rows"] == 2  # one per regimen
    code = structures["code"]
    assert [section["heading"] for section in code["sections"]] == [
        "Drugs it bills",
        "Procedure",
        "Risks",
    ]
    query = structures["query"]
    assert query["forms"] == 12  # one per competency query
    assert any(section["heading"] == "Answer: billing" for section in query["sections"])


def test_every_fact_on_drug_and_code_pages_links_to_its_evidence(
    structures: dict[str, Any],
) -> None:
    for name in ("drug", "drug-per-kilogram", "code"):
        assert structures[name]["facts_without_evidence"] == 0, name
        for section in structures[name]["sections"]:
            assert section["evidence"] >= section["facts"], (name, section["heading"])


def test_screenshots_are_small() -> None:
    sizes = {path.name: path.stat().st_size for path in DOCS.glob("*.png")}
    assert set(sizes) == {f"{name}.png" for name in DOC_PAGES}
    assert all(size < 400_000 for size in sizes.values()), sizes


def test_docs_script_regenerates_every_screenshot() -> None:
    text = (DOCS / "screenshots.py").read_text(encoding="utf-8")
    assert "DOC_PAGES" in text and "screenshots.json" in text
    assert Path(DOCS / "screenshots.json").exists()
