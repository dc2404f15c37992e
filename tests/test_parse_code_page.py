"""Parsing code pages: header lines, headings, blocks, untitled text, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medkg.errors import SourceError
from medkg.model import Document
from medkg.parse.code_page import HEADINGS, UNTITLED, heading_name, parse
from medkg.read import read_source

HERE = Path(__file__).resolve().parent
SEED = HERE.parent / "data" / "sources" / "j3111-code-page.txt"
CORPUS = HERE / "fixtures" / "corpus" / "hcpcs"
PAGES = [SEED, *sorted(CORPUS.glob("*.txt"))]


def _parse(path: Path) -> Document:
    source = read_source(path)
    return parse(source.text, source.name)


def _assert_spans_exact(document: Document) -> None:
    text = document.text
    for name in ("descriptor_span", "code_type_span", "code_span", "code_reference_span"):
        start, end = document.metadata[name]
        assert 0 <= start < end <= len(text)
    start, end = document.metadata["descriptor_span"]
    assert text[start:end] == document.metadata["descriptor"] == document.title
    start, end = document.metadata["code_span"]
    assert text[start:end] == document.metadata["code"]
    for section in document.sections:
        assert 0 <= section.start <= section.end <= len(text)
        for block in section.blocks:
            assert text[block.start : block.end] == block.text
            assert section.start <= block.start < block.end <= section.end
            assert block.text == block.text.strip()


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_every_page_parses_with_exact_spans(path: Path) -> None:
    document = _parse(path)
    assert document.format == "code-page"
    assert document.source == path.name
    _assert_spans_exact(document)


def test_seed_header_and_sections() -> None:
    document = _parse(SEED)
    assert document.title == "Injection, romosozumab-aqqg, 1 mg"
    assert document.metadata == {
        "descriptor": "Injection, romosozumab-aqqg, 1 mg",
        "descriptor_span": (25, 58),
        "code_type": "HCPCS",
        "code_type_span": (59, 69),
        "code": "J3111",
        "code_span": (186, 191),
        "code_reference_span": (179, 192),
    }
    assert [s.name for s in document.sections] == list(HEADINGS)
    assert document.sections[0].heading == "Name of the Procedure:"
    assert [len(s.blocks) for s in document.sections] == [1, 1, 1, 3, 3, 4, 1, 1, 2, 2, 2, 3, 2, 3]


def test_seed_blocks() -> None:
    document = _parse(SEED)
    name = document.sections[0]
    assert name.blocks[0].kind == "paragraph"
    assert name.blocks[0].label == "Common Name"
    assert name.blocks[0].text.startswith("Common Name: Injection of romosozumab Medical Term:")
    indications = document.section("Indications")
    assert indications is not None
    assert [(b.kind, b.text, b.start, b.end) for b in indications.blocks] == [
        ("item", "History of osteoporotic fracture", 605, 637),
        ("item", "Multiple risk factors for fracture", 640, 674),
        ("item", "Failure or intolerance to other osteoporosis treatments", 677, 732),
    ]
    risks = document.section("Risks and Complications")
    assert risks is not None
    assert [(b.kind, b.label) for b in risks.blocks] == [
        ("item", "Common risks"),
        ("item", "Rare risks"),
    ]
    assert risks.blocks[0].text == (
        "Common risks: mild pain or redness at the injection site, headache, joint pain"
    )


def test_cpt_page() -> None:
    document = _parse(CORPUS / "96372.txt")
    assert document.metadata["code_type"] == "CPT"
    assert document.metadata["code"] == "96372"
    assert document.title == (
        "Therapeutic, prophylactic, or diagnostic injection (specify substance or drug); "
        "subcutaneous or intramuscular"
    )


def test_page_without_search_line_and_with_label_lines() -> None:
    document = _parse(CORPUS / "J2350.txt")
    assert document.metadata["descriptor_span"] == (0, 28)
    assert document.metadata["code"] == "J2350"
    purpose = document.section("Purpose")
    assert purpose is not None
    assert [(b.kind, b.label, b.text) for b in purpose.blocks] == [
        ("label", "Medical Conditions", "Medical Conditions:"),
        ("item", "Medical Conditions", "Relapsing forms of multiple sclerosis"),
        ("item", "Medical Conditions", "Primary progressive multiple sclerosis"),
        ("label", "Goals", "Goals:"),
        ("item", "Goals", "Fewer relapses"),
        ("item", "Goals", "Slower progression of disability"),
    ]
    steps = document.section("Procedure Description")
    assert steps is not None
    assert [b.label for b in steps.blocks] == ["Placement", "Infusion", "Monitoring"]
    assert steps.blocks[0].text == "Placement: An intravenous line is placed in a vein of the arm."


def test_spaced_page_with_dot_bullets_numbers_and_a_title_line() -> None:
    document = _parse(CORPUS / "J2796.txt")
    assert document.metadata["code"] == "J2796"
    first = document.sections[0]
    assert (first.name, first.heading) == (UNTITLED, "")
    assert [b.text for b in first.blocks] == ["Injection of Romiplostim (J2796)"]
    purpose = document.section("Purpose")
    assert purpose is not None
    assert [(b.kind, b.text) for b in purpose.blocks] == [
        ("item", "Raise platelet counts to lower the risk of bleeding"),
        ("item", "Used when other ITP treatments have not worked well enough"),
    ]
    steps = document.section("Procedure Description")
    assert steps is not None
    assert [(b.kind, b.ordinal) for b in steps.blocks] == [("item", n) for n in (1, 2, 3, 4)]
    assert steps.blocks[1].text == "The powder is mixed with sterile water."
    assert document.section("Name of the Procedure") is not None
    assert [s.name for s in document.sections].count(UNTITLED) == 1


def test_text_under_dropped_headings_is_kept_in_untitled_sections() -> None:
    document = _parse(CORPUS / "A4206.txt")
    names = [s.name for s in document.sections]
    assert names == [
        "Name of the Procedure",
        UNTITLED,
        UNTITLED,
        UNTITLED,
        "Procedure Description",
        "Duration",
        "Setting",
        "Personnel",
        "Risks and Complications",
    ]
    name = document.sections[0]
    assert [b.text for b in name.blocks] == [
        "Syringe with needle, sterile, 1 cc or less, each (HCPCS A4206)"
    ]
    untitled = [[(b.kind, b.text) for b in s.blocks] for s in document.sections[1:4]]
    assert untitled == [
        [
            (
                "paragraph",
                "Sterile 1 cc syringes with an attached needle are used to give small "
                "volumes of medicine, such as insulin or vaccines, under the skin or into "
                "a muscle.",
            )
        ],
        [
            ("item", "Accurate measurement of small doses"),
            ("item", "Single use to prevent infection"),
        ],
        [
            ("item", "Patients who inject medicines at home"),
            ("item", "Clinics giving vaccines or subcutaneous medicines"),
        ],
    ]
    setting = document.section("Setting")
    assert setting is not None
    assert [b.text for b in setting.blocks] == ["Home, clinic or hospital."]


def test_heading_names() -> None:
    assert heading_name("RISKS AND COMPLICATIONS:") == "Risks and Complications"
    assert heading_name("  Name of the  Procedure ") == "Name of the Procedure"
    assert heading_name("Summary of the risks") is None
    assert heading_name("Goals:") is None


PAGE = (
    "Injection, drugname, 1 mg\nHCPCS code\nName of the Procedure\nDrug injection (HCPCS J1234)\n"
)


def test_minimal_page() -> None:
    document = parse(PAGE, "p.txt")
    assert document.metadata["code"] == "J1234"
    assert [s.name for s in document.sections] == ["Name of the Procedure"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Injection, x, 1 mg\nSummary\nText (HCPCS J1234)\n", "no code-type line"),
        ("HCPCS code\nSummary\nText (HCPCS J1234)\n", "no descriptor line"),
        ("Search all medical codes\nHCPCS code\nSummary\nx (J1234)\n", "no descriptor line"),
        ("Injection, x, 1 mg\nHCPCS code\nSummary\nText without a code\n", "no billing code"),
        ("", "no code-type line"),
    ],
)
def test_pages_missing_a_part_raise_naming_the_file(text: str, problem: str) -> None:
    with pytest.raises(SourceError) as error:
        parse(text, "broken-page.txt")
    assert str(error.value).startswith("broken-page.txt")
    assert problem in str(error.value)


def test_code_matching_the_code_type_line_wins() -> None:
    text = "Injection, x, 1 mg\nHCPCS code\nSummary\nBilled with (CPT 96372) and (HCPCS J1234).\n"
    assert parse(text, "p.txt").metadata["code"] == "J1234"


_PIECES = st.sampled_from(
    [
        *HEADINGS,
        "SUMMARY:",
        "Search all medical codes",
        "HCPCS code",
        "CPT4 code",
        "Injection, x-abcd, 1 mg",
        "(HCPCS J1234)",
        "(CPT 12345)",
        "(J9999)",
        "- ",
        "• ",
        "1. ",
        "",
        "  ",
        "Goals:",
        "Common risks: a, b",
        ":",
        "(",
        ")",
        "each",
    ]
)
_LINE = st.lists(st.one_of(_PIECES, st.text(max_size=6)), max_size=4).map(" ".join)
_PAGE = st.tuples(
    st.sampled_from(["", "Search all medical codes\n"]),
    _LINE,
    st.sampled_from(["HCPCS code", "CPT4 code", "cpt code"]),
    st.lists(_LINE, max_size=15).map("\n".join),
).map(lambda parts: f"{parts[0]}{parts[1]}\n{parts[2]}\n{parts[3]}")


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), _PAGE))
def test_any_text_parses_or_raises_source_error(text: str) -> None:
    try:
        document = parse(text, "fuzzed.txt")
    except SourceError as error:
        assert "fuzzed.txt" in str(error)
        return
    _assert_spans_exact(document)
