"""Regenerate the screenshots in docs/: the landing, drug, code and query pages of `medkg serve`
on a build of the bundled sources (data/sources/) and the sample corpus
(tests/fixtures/corpus/), taken in headless Chromium (Debian's ``chromium``).

    .venv/bin/python docs/screenshots.py        # from the repository root

Each PNG shows the top of the page at 1280 CSS pixels wide (at most 4,000 tall), scaled
to 60 %. docs/screenshots.json records each page's structure (landmarks, headings,
rows, facts and evidence per section); tests/test_serve_pages_browser.py checks that
the pages still have it, so a change to the pages that changes their structure
fails until the screenshots are taken again.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    from tests.browser_support import (
        CHROMIUM,
        DOC_PAGES,
        SAMPLE_SOURCES,
        open_page,
        page_structure,
    )
    from tests.serve_support import running_server

    from medkg.pipeline.build import build
    from medkg.pipeline.options import BuildOptions
    from medkg.serve import ServeConfig

    if CHROMIUM is None:
        sys.exit("chromium is not installed (apt-get install chromium)")
    structures = {}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        out = folder / "dist"
        build(list(SAMPLE_SOURCES), out, BuildOptions(cache_folder=folder / "cache"))
        config = ServeConfig(data_dir=out, port=0, quiet=True, workers=1)
        with running_server(config) as server:
            for name, path in DOC_PAGES.items():
                with open_page(server.url + path, folder / "profile") as tab:
                    structures[name] = {"path": path, "structure": page_structure(tab)}
                    png = tab.screenshot(max_height=4000, scale=0.6)
                (ROOT / "docs" / f"{name}.png").write_bytes(png)
                print(f"docs/{name}.png: {path}")
    text = json.dumps(structures, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    (ROOT / "docs" / "screenshots.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
