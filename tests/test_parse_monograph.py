"""The monograph parser: sections, blocks and their offsets, on the seed and the corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medkg.errors import SourceError
from medkg.model import Document
from medkg.parse.monograph import (
    canonical_section_name,
    heading_span,
    is_stub,
    parse,
    title_span,
)
from medkg.read.decode import read_source

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "sources" / "romosozumab-monograph.txt"
CORPUS = Path(__file__).resolve().parent / "fixtures" / "corpus" / "monographs"


def load(path: Path) -> Document:
    source = read_source(path)
    return parse(source.text, source.name)


@pytest.fixture(scope="module")
def seed() -> Document:
    return load(SEED)


def assert_offsets(document: Document) -> None:
    text = document.text
    previous_end = 0
    for section in document.sections:
        assert previous_end <= section.start <= section.end <= len(text)
        previous_end = section.end
        for block in section.blocks:
            assert text[block.start : block.end] == block.text
            assert block.text == block.text.strip(" \t\r\n")
            assert section.start <= block.start and block.end <= section.end


# --------------------------------------------------------------------------
# The seed
# --------------------------------------------------------------------------


def test_seed_sections(seed: Document) -> None:
    assert seed.format == "monograph"
    assert seed.title == "Romosozumab"
    assert seed.metadata == {"layout": "minimal-medicine", "title": "Romosozumab"}
    assert [s.name for s in seed.sections] == [
        "Generic Name",
        "Usage",
        "Dosage",
        "Side Effects",
        "How it Works",
        "Precautions",
        "FAQs",
        "Disclaimer",
    ]
    assert_offsets(seed)


def test_seed_section_spans(seed: Document) -> None:
    text = seed.text
    generic = seed.section("Generic Name")
    assert generic is not None
    assert (generic.start, generic.end) == (84, 95)
    assert text[generic.start : generic.end] == "Romosozumab"
    usage = seed.section("Usage")
    assert usage is not None
    assert (usage.start, usage.end) == (107, 550)
    assert text[usage.start : usage.end].startswith("Romosozumab is a medication used to treat")
    assert text[usage.start : usage.end].endswith("reduce the risk of fractures.")
    faqs = seed.section("FAQs")
    assert faqs is not None
    assert (faqs.start, faqs.end) == (3833, 4853)
    assert text[faqs.start : faqs.end].startswith("*   **Q: How long does it take")


def test_seed_repaired_text_is_used(seed: Document) -> None:
    dosage = seed.section("Dosage")
    assert dosage is not None
    assert "eGFR <30 mL/min/1.73 m² or on dialysis" in dosage.blocks[0].text


def test_seed_side_effect_items(seed: Document) -> None:
    section = seed.section("Side Effects")
    assert section is not None
    items = [b for b in section.blocks if b.kind == "item"]
    assert [b.text for b in items] == [
        "Headache",
        "Insomnia",
        "Paresthesia (numbness or tingling)",
        "Cardiac disorders",
        "Peripheral edema (swelling)",
        "Skin rash",
        "Hypersensitivity reactions",
        "Injection site reactions (pain, redness)",
        "Muscle spasms",
        "Asthenia (weakness)",
        "Neck pain",
    ]
    assert all(b.depth == 0 and b.ordinal is None and b.label is None for b in items)
    assert (items[0].start, items[0].end) == (1556, 1564)
    kinds = [b.kind for b in section.blocks]
    assert kinds == ["paragraph", "paragraph", *["item"] * 11, "paragraph"]
    last = section.blocks[-1]
    assert last.text.endswith(
        "**Any new or worsening symptoms should be reported to a healthcare provider immediately.**"
    )


def test_seed_faq_pairs(seed: Document) -> None:
    section = seed.section("FAQs")
    assert section is not None
    assert [b.kind for b in section.blocks] == ["question", "answer"] * 6
    questions = [b.text for b in section.blocks if b.kind == "question"]
    assert questions == [
        "How long does it take to see results from Romosozumab?",
        "What should I do if I miss a dose?",
        "Can I take other medications with Romosozumab?",
        "How should I store Romosozumab?",
        "Are there any specific dietary recommendations while taking Romosozumab?",
        "What if I experience side effects?",
    ]
    first_q, first_a = section.blocks[0], section.blocks[1]
    assert (first_q.start, first_q.end) == (3842, 3896)
    assert (first_a.start, first_a.end) == (3903, 4048)
    assert first_a.text.startswith("While bone density increases")
    last_answer = section.blocks[-1]
    assert last_answer.text == (
        "Report any new or worsening symptoms to your doctor immediately.  "
        "Some side effects may require discontinuation of the medication."
    )


def test_seed_disclaimer_section(seed: Document) -> None:
    section = seed.sections[-1]
    assert section.name == "Disclaimer"
    assert section.heading == "Disclaimer:"
    assert (section.start, section.end) == (4871, 5156)
    assert seed.text[section.start : section.end].startswith("This information is intended")
    assert seed.text[section.start : section.end].endswith("provide personalized guidance.")
    assert [b.kind for b in section.blocks] == ["paragraph"]


def test_seed_title_and_heading_spans(seed: Document) -> None:
    assert title_span(seed) == (55, 66)
    assert seed.text[55:66] == "Romosozumab"
    usage = seed.section("Usage")
    assert usage is not None
    span = heading_span(seed, usage)
    assert span is not None
    assert seed.text[span[0] : span[1]] == "Usage"
    assert seed.text[span[0] - 4 : span[0]] == "### "


def test_seed_is_not_a_stub(seed: Document) -> None:
    assert is_stub(seed) is None


# --------------------------------------------------------------------------
# The corpus
# --------------------------------------------------------------------------

CORPUS_SECTIONS = {
    "burosumab.md": [
        "Generic Name",
        "Usage",
        "Dosage",
        "Side Effects",
        "How it Works",
        "Precautions",
        "FAQs",
        "Disclaimer",
    ],
    "ibuprofen.md": [
        "Generic Name",
        "Usage",
        "Dosage",
        "Side Effects",
        "How it Works",
        "Precautions",
        "FAQs",
        "Note",
    ],
    "ocrelizumab.md": [
        "Generic Name",
        "Usage",
        "Dosage",
        "Side Effects",
        "How it Works",
        "Precautions",
        "FAQs",
        "Disclaimer",
    ],
    "paracetamol-codeine.md": [
        "Note",
        "Generic Name",
        "Usage",
        "Dosage",
        "Paracetamol",
        "Generic Name",
        "How it Works",
        "Side Effects",
        "Codeine",
        "Generic Name",
        "How it Works",
        "Side Effects",
        "Precautions",
        "FAQs",
        "Disclaimer",
    ],
    "pyridoxal-.md": ["Pyridoxal-"],
    "romiplostim.md": [
        "Generic Name",
        "Usage",
        "Dosage",
        "Side Effects",
        "How it Works",
        "Precautions",
    ],
}


@pytest.mark.parametrize("name", sorted(CORPUS_SECTIONS))
def test_corpus_parses(name: str) -> None:
    document = load(CORPUS / name)
    assert [s.name for s in document.sections] == CORPUS_SECTIONS[name]
    assert_offsets(document)


def test_corpus_is_complete() -> None:
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(CORPUS_SECTIONS)


def test_content_on_the_heading_line() -> None:
    document = load(CORPUS / "ibuprofen.md")
    usage = document.section("Usage")
    assert usage is not None
    assert usage.heading == "Usage:"
    assert usage.blocks[0].kind == "paragraph"
    assert usage.blocks[0].text.startswith("Ibuprofen is a nonsteroidal anti-inflammatory drug")
    assert document.text[usage.start - 12 : usage.start] == "### Usage:  "
    precautions = document.section("Precautions")
    assert precautions is not None
    assert precautions.heading == "Precautions:"
    assert [b.ordinal for b in precautions.blocks] == [1, 2, 3, 4, 5]
    assert precautions.blocks[2].text == "Avoid it in the third trimester of pregnancy."


def test_item_labels() -> None:
    document = load(CORPUS / "romiplostim.md")
    section = document.section("Side Effects")
    assert section is not None
    assert [b.label for b in section.blocks] == ["Very common (>10%)", "Common (1-10%)", "Serious"]
    assert section.blocks[1].text == (
        "**Common (1-10%):** shoulder pain, dyspepsia, paresthesia, headache"
    )
    dosage = document.section("Dosage")
    assert dosage is not None
    assert "10<sup>9</sup>/L" in dosage.blocks[0].text
    assert "2°C to 8°C" in dosage.blocks[1].text


def test_bold_label_paragraphs_open_sections() -> None:
    document = load(CORPUS / "paracetamol-codeine.md")
    note, generic = document.sections[0], document.sections[1]
    assert (note.name, note.heading) == ("Note", "Please Note:")
    assert note.blocks[0].text.startswith("This combination contains two medicines")
    assert (generic.name, generic.heading) == ("Generic Name", "Generic Names (Components):")
    assert generic.blocks[0].text == "Paracetamol (acetaminophen) and Codeine phosphate"
    component = document.sections[4]
    assert (component.name, component.blocks) == ("Paracetamol", ())
    span = heading_span(document, component)
    assert span is not None
    assert document.text[span[0] - 4 : span[1]] == "### Paracetamol"
    faqs = document.section("FAQs")
    assert faqs is not None
    assert [(b.kind, b.text) for b in faqs.blocks] == [
        ("question", "Can I drive while taking this medicine?"),
        ("answer", "Not until you know how it affects you, since it can cause drowsiness."),
    ]


def test_faq_question_then_answer_paragraphs() -> None:
    document = load(CORPUS / "ocrelizumab.md")
    faqs = document.section("FAQs")
    assert faqs is not None
    assert [b.kind for b in faqs.blocks] == ["question", "answer", "question", "answer"]
    assert faqs.blocks[0].text == "How long does an infusion take?"
    assert faqs.blocks[1].text.startswith("The first two infusions take about 2.5 hours each")


def test_stub() -> None:
    document = load(CORPUS / "pyridoxal-.md")
    reason = is_stub(document)
    assert reason is not None
    assert "Please provide the complete generic name of the medicine." in reason
    for name in sorted(CORPUS_SECTIONS):
        if name != "pyridoxal-.md":
            assert is_stub(load(CORPUS / name)) is None


# --------------------------------------------------------------------------
# Other shapes of Markdown
# --------------------------------------------------------------------------


def test_nested_and_numbered_lists() -> None:
    text = (
        "---\ntitle: X\n---\n# X\n## Dosage\n"
        "* Adults:\n    * 10 mg daily\n    * at night\n* Children\n"
        "## FAQs\n1.  **How often is it given?**\n    Every two weeks.\n"
        "2.  What if I miss a dose?\n    Take it soon.\n\n#### Can I drink?\nNo.\n"
    )
    document = parse(text, "x.md")
    assert_offsets(document)
    dosage = document.section("Dosage")
    assert dosage is not None
    assert [(b.text, b.depth) for b in dosage.blocks] == [
        ("Adults:", 0),
        ("10 mg daily", 1),
        ("at night", 1),
        ("Children", 0),
    ]
    faqs = document.section("FAQs")
    assert faqs is not None
    assert [(b.kind, b.text, b.ordinal) for b in faqs.blocks] == [
        ("question", "How often is it given?", 1),
        ("answer", "Every two weeks.", None),
        ("question", "What if I miss a dose?", 2),
        ("answer", "Take it soon.", None),
        ("question", "Can I drink?", None),
        ("answer", "No.", None),
    ]


def test_title_from_heading_and_lead_text() -> None:
    document = parse("# Some Drug\nIntro line.\n\n### Usage\nFor pain.\n", "x.md")
    assert document.title == "Some Drug"
    assert document.metadata == {}
    assert [(s.name, s.heading) for s in document.sections] == [
        ("Some Drug", "Some Drug"),
        ("Usage", "Usage"),
    ]
    assert title_span(document) == (2, 11)


def test_canonical_section_names() -> None:
    assert canonical_section_name("Generic Names (Components):") == "Generic Name"
    assert canonical_section_name("how it works") == "How it Works"
    assert canonical_section_name("Side Effect") == "Side Effects"
    assert canonical_section_name("FAQ:") == "FAQs"
    assert canonical_section_name("Please Note") == "Note"
    assert canonical_section_name("Paracetamol") is None


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("---\ntitle: [unclosed\n---\n# T\n", 3, "cannot be read"),
        ("---\ntitle: X\nlayout: a: b\n---\n", 3, "cannot be read"),
        ("---\ntitle: X\n", 1, "never closed"),
        ("---\n- a\n- b\n---\n# T\n", 2, "not a YAML mapping"),
        ("---\ntitle: [a, b]\n---\n", 2, "'title' is not text"),
        ("---\nlayout: x\n---\nNo heading here.\n", None, "has no title"),
    ],
)
def test_errors_name_file_and_line(text: str, line: int | None, words: str) -> None:
    with pytest.raises(SourceError) as raised:
        parse(text, "bad.md")
    assert raised.value.source == "bad.md"
    assert raised.value.line == line
    assert words in str(raised.value)
    assert str(raised.value).startswith("bad.md")


# --------------------------------------------------------------------------
# Property: any text gives a Document or a SourceError naming the source
# --------------------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "# T\n",
        "## Usage\n",
        "### FAQs\n",
        "### Dosage:  10 mg\n",
        "* ",
        "1. ",
        "2) ",
        "    ",
        "**Q: Why?** A: Because.\n",
        "**Q: How?**\n",
        "A: So.\n",
        "**Disclaimer:** x\n",
        "**Label:** y\n",
        "text ",
        "more?\n",
        "\n",
        "\r\n",
        "```\n",
        "> ",
        "<sup>9</sup>",
        "**",
        ":",
        "Q:",
        "---\n",
        "title: Y\n",
        "====\n",
        "\t",
        "Please provide a name.\n",
    ]
)


def _check(document: Document) -> None:
    assert document.format == "monograph"
    assert document.title
    assert_offsets(document)
    is_stub(document)
    title_span(document)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parse_arbitrary_text(text: str) -> None:
    try:
        document = parse(text, "any.md")
    except SourceError as error:
        assert str(error).startswith("any.md")
        return
    _check(document)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES | st.text(max_size=5), max_size=30).map("".join), st.booleans())
def test_parse_markdown_like_text(body: str, front_matter: bool) -> None:
    text = ("---\ntitle: X\n---\n" if front_matter else "") + body
    try:
        document = parse(text, "any.md")
    except SourceError as error:
        assert str(error).startswith("any.md")
        return
    _check(document)
