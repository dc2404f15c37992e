"""Monograph extraction: indications, FAQs, and the orchestrating `extract`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from medkg.extract import extract_document
from medkg.extract.faq import extract_faqs
from medkg.extract.indication import extract_indications
from medkg.model import Document, Extraction, IndicationFact, Mention, Section
from medkg.parse.monograph import parse
from medkg.read.decode import read_source

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "sources" / "romosozumab-monograph.txt"
CORPUS = Path(__file__).resolve().parent / "fixtures" / "corpus" / "monographs"


def load(path: Path) -> Document:
    source = read_source(path)
    return parse(source.text, source.name)


def section(document: Document, name: str) -> Section:
    found = document.section(name)
    assert found is not None
    return found


def at(m: Mention | None) -> tuple[str, int, int] | None:
    """A mention as (text, start, end), checking its evidence quote on the way."""
    if m is None:
        return None
    assert m.evidence.quote[: len(m.text)] == m.text
    return m.text, m.evidence.start, m.evidence.end


def assert_quotes(document: Document, facts: tuple[IndicationFact, ...]) -> None:
    for fact in facts:
        mentions = [fact.condition, fact.population, fact.qualifier, *fact.criteria, *fact.goals]
        for ev in [fact.evidence, *(m.evidence for m in mentions if m is not None)]:
            assert document.text[ev.start : ev.end] == ev.quote
            assert ev.document == document.source
            assert ev.section == "Usage"


@pytest.fixture(scope="module")
def seed() -> Document:
    return load(SEED)


# --------------------------------------------------------------------------
# Indications
# --------------------------------------------------------------------------


def test_seed_indication(seed: Document) -> None:
    facts, statements = extract_indications(seed, section(seed, "Usage"), "Romosozumab")
    assert statements == ()
    assert len(facts) == 1
    fact = facts[0]
    assert_quotes(seed, facts)
    assert at(fact.condition) == ("osteoporosis", 149, 161)
    assert fact.condition.glosses == ()
    assert at(fact.population) == ("postmenopausal women", 165, 185)
    assert at(fact.qualifier) == ("at high risk of fractures", 194, 219)
    assert [at(c) for c in fact.criteria] == [
        ("history of osteoporotic fractures", 274, 307),
        ("multiple risk factors for fractures", 322, 357),
        ("other osteoporosis treatments have been ineffective or poorly tolerated", 398, 469),
    ]
    assert [at(g) for g in fact.goals] == [
        ("increase bone strength", 494, 516),
        ("reduce the risk of fractures", 521, 549),
    ]
    assert (fact.evidence.start, fact.evidence.end) == (107, 550)
    assert fact.evidence.quote.startswith("Romosozumab is a medication used to treat")


def _summary(facts: tuple[IndicationFact, ...]) -> list[tuple[object, ...]]:
    def text(m: Mention | None) -> str | None:
        return m.text if m else None

    return [
        (
            fact.condition.text,
            fact.condition.glosses,
            text(fact.population),
            text(fact.qualifier),
            [c.text for c in fact.criteria],
            [g.text for g in fact.goals],
        )
        for fact in facts
    ]


CORPUS_INDICATIONS: dict[str, list[tuple[object, ...]]] = {
    "burosumab.md": [
        ("X-linked hypophosphatemia", ("XLH",), "adults", None, [], []),
        ("X-linked hypophosphatemia", ("XLH",), "children from 6 months of age", None, [], []),
        (
            "tumor-induced osteomalacia",
            (),
            None,
            "when the tumor cannot be found or removed",
            [],
            [],
        ),
    ],
    "ocrelizumab.md": [
        ("relapsing forms of multiple sclerosis", ("MS",), "adults", None, [], []),
        # the examples after "including" are indications of their own
        ("clinically isolated syndrome", (), "adults", None, [], []),
        ("relapsing-remitting disease", (), "adults", None, [], []),
        ("active secondary progressive disease", (), "adults", None, [], []),
        ("primary progressive multiple sclerosis", (), "adults", None, [], []),
    ],
    "romiplostim.md": [
        (
            "low platelet counts",
            ("thrombocytopenia",),
            "adults with chronic immune thrombocytopenia (ITP)",
            "have not responded well enough to corticosteroids, immunoglobulins or splenectomy",
            [],
            [],
        ),
        (
            "low platelet counts",
            ("thrombocytopenia",),
            "children aged 1 year and older with ITP lasting at least 6 months",
            None,
            [],
            [],
        ),
    ],
    "ibuprofen.md": [
        ("mild to moderate pain", (), None, None, [], []),
        ("headache", (), None, None, [], []),
        ("dental pain", (), None, None, [], []),
        ("menstrual cramps", (), None, None, [], []),
        ("muscle aches", (), None, None, [], []),
        ("fever", (), None, None, [], []),
        (
            "pain and inflammation of osteoarthritis and rheumatoid arthritis",
            (),
            None,
            None,
            [],
            [],
        ),
    ],
    "paracetamol-codeine.md": [
        (
            "mild to moderate pain",
            (),
            None,
            "not relieved by paracetamol or ibuprofen alone",
            [],
            [],
        ),
    ],
}


@pytest.mark.parametrize("name", sorted(CORPUS_INDICATIONS))
def test_corpus_indications(name: str) -> None:
    document = load(CORPUS / name)
    facts, statements = extract_indications(document, section(document, "Usage"), document.title)
    assert _summary(facts) == CORPUS_INDICATIONS[name]
    assert_quotes(document, facts)
    assert statements == ()


def test_second_population_spans_both_sentences() -> None:
    document = load(CORPUS / "burosumab.md")
    facts, _ = extract_indications(document, section(document, "Usage"), "Burosumab")
    assert facts[1].evidence.quote.startswith("Burosumab is a prescription medicine for")
    assert facts[1].evidence.quote.endswith("in children from 6 months of age.")


def test_sentences_not_understood_are_kept() -> None:
    text = (
        "---\ntitle: X\n---\n# X\n### Usage\n"
        "X is used to treat gout in adults. It comes in a blue box. "
        "The main goal of treatment is to lower uric acid and prevent flares.\n"
    )
    document = parse(text, "x.md")
    facts, statements = extract_indications(document, section(document, "Usage"), "X")
    assert _summary(facts) == [
        ("gout", (), "adults", None, [], ["lower uric acid", "prevent flares"])
    ]
    assert [s.kind for s in statements] == ["unstructured"]
    assert statements[0].evidence.quote == "It comes in a blue box."
    start = text.index("It comes")
    assert (statements[0].evidence.start, statements[0].evidence.end) == (start, start + 23)


def test_criteria_without_indication_are_not_guessed() -> None:
    text = "---\ntitle: X\n---\n### Usage\nThis group includes women with kidney stones.\n"
    document = parse(text, "x.md")
    facts, statements = extract_indications(document, section(document, "Usage"), "X")
    assert facts == ()
    assert [s.evidence.quote for s in statements] == [
        "This group includes women with kidney stones."
    ]


# --------------------------------------------------------------------------
# FAQs
# --------------------------------------------------------------------------


def test_seed_faqs(seed: Document) -> None:
    faqs, statements = extract_faqs(seed, section(seed, "FAQs"))
    assert statements == ()
    assert len(faqs) == 6
    first = faqs[0]
    assert at(first.question) == (
        "How long does it take to see results from Romosozumab?",
        3842,
        3896,
    )
    assert at(first.answer) == (
        "While bone density increases during the 12-month treatment period, the full effects "
        "on fracture risk reduction may take longer to fully manifest.",
        3903,
        4048,
    )
    assert (first.evidence.start, first.evidence.end) == (3839, 4048)
    assert first.evidence.quote.startswith("Q: How long does it take")
    assert first.evidence.section == "FAQs"
    last = faqs[-1]
    assert at(last.question) == ("What if I experience side effects?", 4683, 4717)
    assert (last.answer.evidence.start, last.answer.evidence.end) == (4723, 4853)
    for faq in faqs:
        for ev in (faq.evidence, faq.question.evidence, faq.answer.evidence):
            assert seed.text[ev.start : ev.end] == ev.quote


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("burosumab.md", 3),
        ("ocrelizumab.md", 2),
        ("ibuprofen.md", 2),
        ("paracetamol-codeine.md", 1),
    ],
)
def test_corpus_faqs(name: str, count: int) -> None:
    document = load(CORPUS / name)
    faqs, statements = extract_faqs(document, section(document, "FAQs"))
    assert len(faqs) == count
    assert statements == ()
    assert all(f.question.text.endswith("?") for f in faqs)
    assert all(not f.answer.text.startswith(("A:", "**A")) for f in faqs)


def test_unpaired_faq_blocks_are_statements() -> None:
    text = "---\ntitle: X\n---\n## FAQs\nCommon questions follow.\n\n**Q: Why?** A: Because.\n"
    document = parse(text, "x.md")
    faqs, statements = extract_faqs(document, section(document, "FAQs"))
    assert [(f.question.text, f.answer.text) for f in faqs] == [("Why?", "Because.")]
    assert [s.evidence.quote for s in statements] == ["Common questions follow."]


# --------------------------------------------------------------------------
# The whole extraction (needs every sub-extractor)
# --------------------------------------------------------------------------


def _extract() -> Callable[[Document], Extraction]:
    for module in ("mechanism", "regimen", "reactions", "precautions"):
        pytest.importorskip(f"medkg.extract.{module}")
    from medkg.extract.monograph import extract

    return extract


def test_extract_seed_drug_and_statements(seed: Document) -> None:
    extract = _extract()
    extraction = extract(seed)
    (drug,) = extraction.drugs
    assert at(drug.name) == ("Romosozumab", 55, 66)
    assert drug.name.evidence.section == "Title"
    assert at(drug.generic_name) == ("Romosozumab", 84, 95)
    assert drug.components == ()
    assert len(extraction.indications) == 1
    assert len(extraction.faqs) == 6
    disclaimers = [s for s in extraction.statements if s.kind == "disclaimer"]
    assert [(s.evidence.start, s.evidence.end) for s in disclaimers] == [(4871, 5156)]


def test_extract_combination_product() -> None:
    extract = _extract()
    document = load(CORPUS / "paracetamol-codeine.md")
    extraction = extract(document)
    (drug,) = extraction.drugs
    assert drug.name.text == "Paracetamol + Codeine"
    assert drug.generic_name is not None
    assert drug.generic_name.text == "Paracetamol (acetaminophen) and Codeine phosphate"
    assert [c.text for c in drug.components] == ["Paracetamol", "Codeine"]
    assert [c.evidence.section for c in drug.components] == ["Generic Name", "Generic Name"]
    notes = [s.evidence.quote for s in extraction.statements if s.kind == "note"]
    assert len(notes) == 1 and notes[0].startswith("This combination contains two medicines")


def test_extract_stub_has_no_facts() -> None:
    extract = _extract()
    extraction = extract(load(CORPUS / "pyridoxal-.md"))
    assert extraction.drugs == ()
    assert extraction.statements == ()


def test_extract_keeps_other_sections_as_statements() -> None:
    extract = _extract()
    text = "---\ntitle: X\n---\n# X\n### Storage\nKeep cold.\n### Note\nRead the leaflet.\n"
    extraction = extract(parse(text, "x.md"))
    assert [(s.kind, s.evidence.section, s.evidence.quote) for s in extraction.statements] == [
        ("unstructured", "Storage", "Keep cold."),
        ("note", "Note", "Read the leaflet."),
    ]


@pytest.mark.parametrize(
    ("written", "name", "quote"),
    [
        ('"Caf\\u00e9ine"', "Caféine", "Caf\\u00e9ine"),
        ("'It''s'", "It's", "It''s"),
        ('"Ibu\\x20profen"', "Ibu profen", "Ibu\\x20profen"),
        ("Plain name", "Plain name", "Plain name"),
    ],
)
def test_an_escaped_yaml_title_names_the_drug_decoded_and_quotes_the_file(
    written: str, name: str, quote: str
) -> None:
    """Before: the drug was named by the raw slice (``Caf\\u00e9ine``)."""
    text = f"---\nlayout: minimal-medicine\ntitle: {written}\n---\n\n## Usage\nUsed for pain.\n"
    drug = extract_document(parse(text, "t.md")).drugs[0]
    assert drug.name.text == name
    ev = drug.name.evidence
    assert ev.quote == quote == text[ev.start : ev.end]
