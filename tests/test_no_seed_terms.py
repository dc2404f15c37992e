"""The extractors follow general rules: no seed-specific term may appear in the package source."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "medkg"

# Terms that only the two seed documents use: a rule naming one of them is a rule for one drug.
SEED_TERMS = [
    "romosozumab",
    "sclerostin",
    "J3111",
    "aqqg",
    "osteopor",
    "postmenopausal",
    "arthralgia",
    "subtrochanteric",
    "diaphyseal",
    "angioedema",
    "erythema multiforme",
    "hypocalc",
    "anti-resorptive",
    "Wnt",
    "catenin",
    "bone formation",
    "bone resorption",
]


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.name)
def test_source_names_no_seed_term(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = [t for t in SEED_TERMS if re.search(re.escape(t), text, re.IGNORECASE)]
    assert found == [], f"{path.relative_to(PACKAGE)} mentions {found}"
