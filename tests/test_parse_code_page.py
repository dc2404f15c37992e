"""Parsing code pages: header lines, headings, blocks, untitled text, errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medkg.errors import SourceError
from medkg.model import Document
from medkg.parse.code_page import HEADINGS, UNTITLED, heading_name, parse
from medkg.parse.code_reference import code_system, is_code
from medkg.read.decode import read_source

HERE = Path(__file__).resolve().parent
SEED = HERE.parent / "data" / "sources" / "j3111-code-page.txt"
CORPUS = HERE / "fixtures" / "corpus" / "hcpcs"
PAGES = [SEED, *sorted(CORPUS.glob("*.txt"))]


def _parse(path: Path) -> Document:
    source = read_source(path)
    return parse(source.text, source.name)


def _assert_spans_exact(document: Document) -> None:
    text = document.text
    meta = document.metadata
    spans = ["descriptor_span", "code_type_span", "code_span", "code_reference_span"]
    for name in spans:
        if meta[name] is not None:
            start, end = meta[name]
            assert 0 <= start < end <= len(text)
    start, end = meta["descriptor_span"]
    assert text[start:end] == meta["descriptor"] == document.title
    if meta["code_span"] is None:  # read from the file name
        start, end = meta["code_file_span"]
        assert document.source[start:end] == meta["code"]
        assert meta["code_reference_span"] is None and meta["code_references"] == ()
    else:
        start, end = meta["code_span"]
        assert text[start:end] == meta["code"]
        assert meta["code_reference_span"] in meta["code_references"]
        assert meta["code_file_span"] is None
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
        "code_references": ((179, 192),),
        "code_file_span": None,
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
        "Codes / HCPCS / J1234",
        ", J1234",
        "HCPCS Code J1234",
        "J1234 - ",
        "3044F",
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


# --------------------------------------------------------------------------
# Where a page states its code (issue 12, item 5); the pages of
# tests/fixtures/code-pages/ are checked in test_code_pages_as_written.py
# --------------------------------------------------------------------------


def _page(name_line: str, header: str = "", body: str = "", code_type: str = "HCPCS code") -> str:
    return (
        f"{header}Injection, drugname, 1 mg\n{code_type}\nName of the Procedure\n{name_line}\n"
        f"Summary\nA short visit.{body}\n"
    )


@pytest.mark.parametrize(
    ("text", "code", "reference"),
    [
        (_page("Drug injection (HCPCS J1234)"), "J1234", "(HCPCS J1234)"),
        (_page("Drug injection (HCPCS Code: J1234)"), "J1234", "(HCPCS Code: J1234)"),
        (_page("Drug injection (J1234)"), "J1234", "(J1234)"),
        (_page("Medical Term: Drug injection, J1234"), "J1234", "J1234"),
        (_page("Medical Term: Drug injection; J1234."), "J1234", "J1234"),
        (_page("- J1234"), "J1234", "J1234"),
        (_page("Drug injection, HCPCS Code J1234"), "J1234", "HCPCS Code J1234"),
        (_page("Billed as HCPCS code: J1234 per mg"), "J1234", "HCPCS code: J1234"),
        (_page("Technical term: J1234 - Drug injection"), "J1234", "J1234"),
        (_page("Test result (CPT 3044F)", code_type="CPT4 code"), "3044F", "(CPT 3044F)"),
        (_page("Visit, CPT4 99213", code_type="CPT4 code"), "99213", "CPT4 99213"),
        (_page("Category III, 0042T", code_type="CPT code"), "0042T", "0042T"),
        (
            _page("Drug injection", header="Codes / HCPCS / J1234\n"),
            "J1234",
            "Codes / HCPCS / J1234",
        ),
        (_page("Drug injection", header="Home > Codes > J1234\n"), "J1234", "Home > Codes > J1234"),
    ],
)
def test_code_is_read_where_the_page_states_it(text: str, code: str, reference: str) -> None:
    document = parse(text, "page.txt")
    _assert_spans_exact(document)
    assert document.metadata["code"] == code
    assert text[slice(*document.metadata["code_reference_span"])] == reference


def test_code_starting_the_title_line_is_not_part_of_the_descriptor() -> None:
    text = "J1234 Injection, drugname, 1 mg\nHCPCS code\nName of the Procedure\nDrug injection\n"
    document = parse(text, "page.txt")
    assert document.metadata["code"] == "J1234"
    assert document.metadata["code_span"] == (0, 5)
    assert document.title == document.metadata["descriptor"] == "Injection, drugname, 1 mg"
    assert document.metadata["descriptor_span"] == (6, 31)


def test_breadcrumb_and_code_alone_are_navigation_not_descriptor_or_text() -> None:
    text = "Codes / HCPCS / J1234\nJ1234\nInjection, drugname, 1 mg\nHCPCS code\nSummary\nText.\n"
    document = parse(text, "page.txt")
    assert document.title == "Injection, drugname, 1 mg"
    assert document.metadata["code_reference_span"] == (0, 21)  # the breadcrumb, above
    assert [s.name for s in document.sections] == [UNTITLED, "Summary"]
    assert [b.text for b in document.sections[0].blocks] == ["J1234"]


@pytest.mark.parametrize(
    ("source", "code", "span"),
    [
        ("J3110.txt", "J3110", (0, 5)),
        ("J3110", "J3110", (0, 5)),
        ("J3110-injection-teriparatide-10-mcg.txt", "J3110", (0, 5)),
        ("96365_iv-infusion.txt", "96365", (0, 5)),
        ("3051F.most-recent.txt", "3051F", (0, 5)),
        ("pages/J3110.txt", "J3110", (6, 11)),
    ],
)
def test_file_name_gives_the_code_only_when_the_page_states_none(
    source: str, code: str, span: tuple[int, int]
) -> None:
    document = parse("Injection, teriparatide, 10 mcg\nHCPCS code\nSummary\nText.\n", source)
    assert document.metadata["code"] == code
    assert (document.metadata["code_span"], document.metadata["code_file_span"]) == (None, span)
    assert document.metadata["code_references"] == ()
    stated = parse(_page("Drug injection (J1234)"), source)
    assert (stated.metadata["code"], stated.metadata["code_file_span"]) == ("J1234", None)


@pytest.mark.parametrize(
    "source", ["page.txt", "j3110.txt", "J3110x.txt", "J311.txt", "XJ3110.txt", "12345678.txt"]
)
def test_a_file_name_that_is_no_code_gives_none(source: str) -> None:
    with pytest.raises(SourceError) as error:
        parse("Injection, x, 1 mg\nHCPCS code\nSummary\nText without a code.\n", source)
    message = str(error.value)
    assert message.startswith(f"{source}: has no billing code")
    assert "name the file after it, e.g. 'J1234.txt'" in message


def test_a_code_cited_in_the_sections_counts_when_the_page_names_none() -> None:
    text = "Injection, x, 1 mg\nHCPCS code\nSummary\nGiven as (HCPCS J1234) by a nurse.\n"
    assert parse(text, "page.txt").metadata["code"] == "J1234"
    assert parse(text, "J1234-x.txt").metadata["code"] == "J1234"  # the file name agrees


def test_a_cited_code_of_the_other_system_is_another_code() -> None:
    text = "Injection, x, 1 mg\nHCPCS code\nSummary\nGiven with (CPT 96372).\n"
    assert parse(text, "J1234.txt").metadata["code"] == "J1234"
    with pytest.raises(SourceError, match="has no billing code"):
        parse(text, "page.txt")


@pytest.mark.parametrize(
    ("text", "source", "codes"),
    [
        (_page("Drug injection (J1234), also (J5678)"), "page.txt", "J1234, J5678"),
        (_page("Drug, J1234", header="Codes / HCPCS / J5678\n"), "page.txt", "J5678, J1234"),
        (_page("(CPT 12345) or (CPT 54321)", code_type="CPT code"), "p.txt", "12345, 54321"),
        (_page("Drug", body=" See (J1234) and (J5678)."), "page.txt", "J1234, J5678"),
    ],
)
def test_a_page_stating_two_codes_is_not_guessed(text: str, source: str, codes: str) -> None:
    with pytest.raises(SourceError) as error:
        parse(text, source)
    message = str(error.value)
    assert message.startswith(f"{source}: states several billing codes")
    assert f"({codes})" in message


@pytest.mark.parametrize(
    ("name_line", "codes"),
    [
        ("Drug injection (J1234/J5678)", "J1234, J5678"),  # before: "has no billing code"
        ("Drug injection (HCPCS J1234, J5678)", "J1234, J5678"),  # before: read as J1234
        ("Drug injection (HCPCS J1234 or J5678)", "J1234, J5678"),
        ("Drug injection (HCPCS codes J1234 and J5678)", "J1234, J5678"),
        ("Billed as HCPCS codes J1234, J5678", "J1234, J5678"),
    ],
)
def test_a_list_of_two_codes_is_refused_naming_both(name_line: str, codes: str) -> None:
    with pytest.raises(SourceError) as error:
        parse(_page(name_line), "page.txt")
    message = str(error.value)
    assert message.startswith("page.txt: states several billing codes")
    assert f"({codes})" in message
    assert "keep only the page's own code" in message


@pytest.mark.parametrize(
    "name_line",
    [
        "Drug injection (HCPCS J1234; see also J5678)",
        "Drug injection (HCPCS J1234, replaced by J5678)",
        "Drug injection (HCPCS J1234, formerly J5678)",
    ],
)
def test_a_cross_referenced_second_code_keeps_the_pages_own(name_line: str) -> None:
    document = parse(_page(name_line), "page.txt")
    assert document.metadata["code"] == "J1234"


def test_a_cited_code_that_the_file_name_contradicts_is_not_guessed() -> None:
    text = "Injection, x, 1 mg\nHCPCS code\nSummary\nUnlike the vial form (HCPCS J5678).\n"
    with pytest.raises(SourceError) as error:
        parse(text, "J1234-x.txt")
    message = str(error.value)
    assert message.startswith("J1234-x.txt: states the code J5678 in its sections")
    assert "its file name says J1234" in message


def test_the_descriptor_line_cites_other_codes_without_stating_its_own() -> None:
    text = (
        "Infusion, each additional hour (List separately in addition to code 96365) (CPT 96365)\n"
        "CPT4 code\nSummary\nText.\n"
    )
    assert parse(text, "96366.txt").metadata["code"] == "96366"


def test_cpt_codes_with_a_letter_of_their_category_are_read() -> None:
    for code in ("0001A", "3044F", "0042T", "0001U", "0002M"):
        assert parse(_page(f"Vaccine administration ({code})"), "page.txt").metadata["code"] == code


def test_code_shapes_are_validated() -> None:
    for bad in ("(J12345)", "(W1234)", "(1234B)", "(123456)", "(j1234)"):
        with pytest.raises(SourceError, match="has no billing code"):
            parse(_page(f"Drug injection {bad}"), "page.txt")


_HCPCS_CODES = st.from_regex(r"\A[A-V][0-9]{4}\Z")
_CPT_CODES = st.from_regex(r"\A(?:[0-9]{5}|[0-9]{4}[AFMTU])\Z")
_FORMS = st.sampled_from(
    [
        "Drug injection ({code})",
        "Drug injection (HCPCS Code: {code})",
        "Medical Term: Drug injection, {code}",
        "Drug injection, HCPCS Code {code}",
        "Technical term: {code} - Drug injection",
        "{code}",
    ]
)
_WORDS = st.lists(st.sampled_from(["A", "short", "visit", "nurse", "arm", "(left)", "1 mg"]))


@settings(max_examples=200)
@given(st.one_of(_HCPCS_CODES, _CPT_CODES), _FORMS, _WORDS)
def test_a_code_stated_once_is_read_with_its_exact_span(
    code: str, form: str, words: list[str]
) -> None:
    text = _page(form.format(code=code), body=" ".join(["", *words]))
    document = parse(text, "page.txt")
    _assert_spans_exact(document)
    assert document.metadata["code"] == code


@settings(max_examples=200)
@given(
    st.one_of(_HCPCS_CODES, _CPT_CODES),
    st.sampled_from(["", "-", "_", "."]),
    st.text(alphabet="abcdefghij-_0123456789", max_size=12),
)
def test_a_page_without_a_code_takes_it_from_its_file_name(
    code: str, separator: str, tail: str
) -> None:
    source = f"{code}{separator}{tail}.txt" if separator else f"{code}.txt"
    document = parse("Injection, x, 1 mg\nHCPCS code\nSummary\nText.\n", source)
    _assert_spans_exact(document)
    assert document.metadata["code"] == code
    assert document.metadata["code_file_span"] == (0, len(code))


@settings(max_examples=100)
@given(_HCPCS_CODES, _HCPCS_CODES, _FORMS, _FORMS)
def test_two_different_codes_where_the_page_names_its_code_always_fail(
    first: str, second: str, one: str, other: str
) -> None:
    if first == second:
        return
    text = _page(f"{one.format(code=first)}\n{other.format(code=second)}")
    with pytest.raises(SourceError) as error:
        parse(text, "page.txt")
    assert str(error.value).startswith("page.txt: states several billing codes")
    assert first in str(error.value) and second in str(error.value)


def test_a_bare_code_label_in_the_sections_is_not_a_code() -> None:
    text = "Office visit\nCPT code\nSummary\nClinic zip code: 12345, open daily.\n"
    with pytest.raises(SourceError, match="has no billing code"):
        parse(text, "page.txt")


def test_a_number_opening_text_under_the_code_type_line_is_no_code() -> None:
    text = "Injection, heparin, 1,000 units\nHCPCS code\n10000 units are drawn up\nSummary\nX.\n"
    with pytest.raises(SourceError, match="has no billing code"):
        parse(text, "page.txt")


_ROOT = Path(__file__).resolve().parents[1]


def _shape_patterns() -> dict[str, str]:
    """The code patterns of the SHACL shapes and of the JSON Schema, by system."""
    schema = json.loads((_ROOT / "src/medkg/export/medkg.schema.json").read_text("utf-8"))
    shapes = (_ROOT / "shapes/codes.ttl").read_text("utf-8")
    hcpcs_shape, cpt_shape = re.findall(r'regex\(str\(\?value\), "([^"]+)"\)', shapes)
    return {
        "HCPCS shape": hcpcs_shape,
        "CPT shape": cpt_shape,
        "HCPCS schema": schema["$defs"]["hcpcsCode"]["pattern"],
        "CPT schema": schema["$defs"]["cptCode"]["pattern"],
    }


@settings(max_examples=300)
@given(
    st.one_of(
        _HCPCS_CODES,
        _CPT_CODES,
        st.from_regex(r"\A[A-Za-z0-9]{4,6}\Z"),
        st.sampled_from(["W1234", "j1234", "1234B", "0001A", "123456", "J12345"]),
    )
)
def test_shapes_and_schema_accept_exactly_the_codes_the_parser_reads(candidate: str) -> None:
    """The code shape is defined once (`medkg.parse.code_reference`); the shapes and the
    JSON Schema must accept the same codes, each for its system."""
    patterns = _shape_patterns()
    system = code_system(candidate) if is_code(candidate) else None
    for name, pattern in patterns.items():
        accepted = re.search(pattern, candidate) is not None
        assert accepted == (system == name.split()[0]), (name, pattern, candidate)


def test_a_conflict_names_the_line_of_the_second_code_and_the_code_type() -> None:
    two = _page("Drug injection (J1234)", body="\nBilled as (HCPCS J5678).")
    # the Summary's code is elsewhere: the page names J1234 only, so this one parses
    assert parse(two, "page.txt").metadata["code"] == "J1234"
    with pytest.raises(SourceError) as error:
        parse(_page("Drug injection (J1234)\nAlso (J5678)"), "page.txt")
    assert "(J1234, J5678), the second on line 5;" in str(error.value)
    text = "Office visit\nCPT code\nSummary\nBilled as (CPT 99213).\n"
    with pytest.raises(SourceError) as error:
        parse(text, "99214-visit.txt")
    message = str(error.value)
    assert "states the code 99213 in its sections (line 4)" in message
    assert "e.g. '(CPT 99214)', or rename the file" in message
