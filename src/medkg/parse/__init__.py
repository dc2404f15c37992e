"""Stage 2, parse: one module per input format, each exposing
``parse(text, source) -> Document``. `parse_document` picks the module from
the detected format."""

from __future__ import annotations

from medkg.model import Document
from medkg.parse.code_page import parse as parse_code_page
from medkg.parse.monograph import parse as parse_monograph
from medkg.read.detect import detect_format


def parse_document(text: str, source: str) -> Document:
    """Detect the format of `text` and parse it; raises `SourceError` naming `source`."""
    if detect_format(text, source) == "monograph":
        return parse_monograph(text, source)
    return parse_code_page(text, source)
