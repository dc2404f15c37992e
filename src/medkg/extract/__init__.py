"""Stage 3, extract: section text -> typed facts with evidence, one module per format."""

from __future__ import annotations

from medkg.extract import code_page, monograph
from medkg.model import Document, Extraction


def extract_document(document: Document) -> Extraction:
    """Extract every fact from a parsed document."""
    if document.format == "monograph":
        return monograph.extract(document)
    return code_page.extract(document)
