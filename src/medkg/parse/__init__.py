"""Stage 2, parse: one module per input format, each exposing
``parse(text, source) -> Document``. `parse_document` picks the module from
the detected format."""

from __future__ import annotations

from medkg.detect import detect_format
from medkg.model import Document
from medkg.parse import code_page, monograph


def parse_document(text: str, source: str) -> Document:
    """Detect the format of `text` and parse it; raises `SourceError` naming `source`."""
    fmt = detect_format(text, source)
    if fmt == "monograph":
        return monograph.parse(text, source)
    return code_page.parse(text, source)
