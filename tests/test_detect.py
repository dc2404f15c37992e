"""Format detection reads content, never file names."""

from __future__ import annotations

from pathlib import Path

import pytest

from medkg.errors import NotADrugDocument
from medkg.pipeline.document_stage import process_one
from medkg.read.decode import read_source
from medkg.read.detect import detect_format

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"


def test_seeds_are_detected_from_content() -> None:
    assert (
        detect_format(read_source(SOURCES / "romosozumab-monograph.txt").text, "a") == "monograph"
    )
    assert detect_format(read_source(SOURCES / "j3111-code-page.txt").text, "b") == "code-page"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("---\nlayout: minimal-medicine\ntitle: X\n---\n\n# X\n", "monograph"),
        ("---\ntitle: X\n---\n\n# X\n### Usage\nText\n", "monograph"),
        (
            "Search all medical codes\nInjection, x, 1 mg\nHCPCS code\nName of the Procedure:\n",
            "code-page",
        ),
        ("Something, 1 cc\nCPT4 code\nSummary\n", "code-page"),
    ],
)
def test_formats(text: str, expected: str) -> None:
    assert detect_format(text, "doc") == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "is empty"),
        ("Just a shopping list\n- eggs\n", "is neither a drug monograph"),
        ("---\nlayout: blog\n---\nHello\n", "is neither a drug monograph"),
    ],
)
def test_other_text_is_refused_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(NotADrugDocument) as caught:
        detect_format(text, "notes.txt")
    assert str(caught.value).startswith(f"notes.txt: {reason}")


def test_a_front_matter_never_closed_is_a_monograph_the_parser_fails(tmp_path: Path) -> None:
    text = "---\ntitle: Examplumab\n\n# Examplumab\n\n## Uses\nIt is used for gout.\n"
    assert detect_format(text, "examplumab.md") == "monograph"
    path = tmp_path / "examplumab.md"
    path.write_text(text, encoding="utf-8")
    status, document = process_one(path, path.name)
    assert document is None and status.status == "failed"
    assert "front matter, opened by '---' on line 1, is never closed" in status.error


CODE_PAGE = (
    Path(__file__).resolve().parent / "fixtures" / "corpus" / "hcpcs" / "J0584.txt"
).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "text",
    [
        "---\n" + CODE_PAGE,  # before: routed to the monograph parser ("never closed")
        "---\n\n" + CODE_PAGE,
        "---\n" + CODE_PAGE.replace("Summary\n", "---\nSummary\n", 1),
    ],
)
def test_a_code_page_opening_with_a_rule_is_a_code_page(tmp_path: Path, text: str) -> None:
    assert detect_format(text, "J0584.txt") == "code-page"
    path = tmp_path / "J0584.txt"
    path.write_text(text, encoding="utf-8")
    status, document = process_one(path, path.name)
    assert status.status == "built" and status.format == "code-page"
    assert document is not None and document[1].document.metadata["code"] == "J0584"


def test_an_unclosed_rule_over_neither_format_is_failed_as_a_monograph(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("---\nJust some notes\n\nNothing else.\n", encoding="utf-8")
    status, _ = process_one(path, path.name)
    assert status.status == "failed"
    assert status.error.startswith("notes.md:1: its YAML front matter")
