"""Stage 3, extract: section text -> typed facts with evidence, one module per format."""

from __future__ import annotations

from medkg.extract.code_page import extract as extract_code_page
from medkg.extract.monograph import extract as extract_monograph
from medkg.model import Document, Extraction


def extract_document(document: Document) -> Extraction:
    """Extract every fact from a parsed document."""
    if document.format == "monograph":
        return extract_monograph(document)
    return extract_code_page(document)
