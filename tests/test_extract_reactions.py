"""Side Effects extraction: the seed monograph, the sample corpus, and the band rules.

Sections come from the monograph parser; the property test builds its
section line by line so that it exercises the extractor alone.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medkg.extract.reaction import extract_adverse_reactions
from medkg.extract.reaction.frequency import band_for_interval, read_frequency
from medkg.extract.term_lists import list_terms, split_terms
from medkg.model import AdverseReactionFact, Band, Block, Document, Section, StatementFact
from medkg.parse.monograph import parse
from medkg.read.decode import read_source
from medkg.text import trim

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "sources" / "romosozumab-monograph.txt"
CORPUS = Path(__file__).resolve().parent / "fixtures" / "corpus" / "monographs"


def section_of(document: Document, name: str, occurrence: int = 0) -> Section:
    """The `occurrence`-th section called `name` in a parsed monograph."""
    return [section for section in document.sections if section.name == name][occurrence]


def load(path: Path) -> Document:
    source = read_source(path)
    return parse(source.text, source.name)


def line_blocks(text: str, start: int) -> Section:
    """A section without the parser, for arbitrary text: one block per line,
    lines opening with "*   " are items (marker excluded, 4 spaces per level)."""
    blocks: list[Block] = []
    position = start
    for line in text[start:].split("\n"):
        item = re.match(r"( *)\*\s+", line)
        s, e = trim(text, position + (item.end() if item else 0), position + len(line), " \t")
        position += len(line) + 1
        if s < e:
            kind: Literal["item", "paragraph"] = "item" if item else "paragraph"
            depth = len(item.group(1)) // 4 if item else 0
            blocks.append(Block(kind, text[s:e], s, e, depth=depth))
    return Section("Side Effects", "Side Effects", start, len(text), tuple(blocks))


def side_effects(
    path: Path, occurrence: int = 0
) -> tuple[Document, tuple[AdverseReactionFact, ...], tuple[StatementFact, ...]]:
    document = load(path)
    reactions, statements = extract_adverse_reactions(
        document, section_of(document, "Side Effects", occurrence)
    )
    return document, reactions, statements


def assert_offsets(document: Document, facts: tuple[AdverseReactionFact, ...]) -> None:
    for fact in facts:
        for ev in (fact.evidence, fact.reaction.evidence):
            assert document.text[ev.start : ev.end] == ev.quote
        assert fact.reaction.text == fact.reaction.evidence.quote
        if fact.population is not None:
            ev = fact.population.evidence
            assert document.text[ev.start : ev.end] == ev.quote == fact.population.text


def summary(
    facts: tuple[AdverseReactionFact, ...],
) -> list[tuple[str, tuple[str, ...], Band | None, str | None, bool | None]]:
    return [
        (f.reaction.text, f.reaction.glosses, f.band, f.frequency_text, f.serious) for f in facts
    ]


# --------------------------------------------------------------------------
# Seed
# --------------------------------------------------------------------------

VC, C = Band.VERY_COMMON, Band.COMMON
SEED_REACTIONS = [
    ("arthralgia", ("joint pain",), VC, "more than 10%", None),
    ("Headache", (), C, "1-10%", None),
    ("Insomnia", (), C, "1-10%", None),
    ("Paresthesia", ("numbness or tingling",), C, "1-10%", None),
    ("Cardiac disorders", (), C, "1-10%", None),
    ("Peripheral edema", ("swelling",), C, "1-10%", None),
    ("Skin rash", (), C, "1-10%", None),
    ("Hypersensitivity reactions", (), C, "1-10%", None),
    ("Injection site reactions", ("pain", "redness"), C, "1-10%", None),
    ("Muscle spasms", (), C, "1-10%", None),
    ("Asthenia", ("weakness",), C, "1-10%", None),
    ("Neck pain", (), C, "1-10%", None),
    ("acute myocardial infarction", ("heart attack",), None, "less common", True),
    ("angioedema", ("severe allergic reaction",), None, "less common", True),
    ("cerebrovascular accident", ("stroke",), None, "less common", True),
    ("dermatitis", (), None, "less common", True),
    ("erythema multiforme", ("severe skin rash",), None, "less common", True),
    ("femur fractures", ("thigh bone fractures",), None, "less common", True),
    ("hypocalcemia", ("low blood calcium",), None, "less common", True),
    ("osteonecrosis of the jaw", ("bone death in the jaw",), None, "less common", True),
    ("urticaria", ("hives",), None, "less common", True),
]


def test_seed_reactions() -> None:
    document, reactions, _ = side_effects(SEED)
    assert summary(reactions) == SEED_REACTIONS
    assert all(f.population is None for f in reactions)
    assert_offsets(document, reactions)


def test_seed_mention_is_the_bare_term_and_fact_evidence_the_sentence_or_item() -> None:
    document, reactions, _ = side_effects(SEED)
    arthralgia = reactions[0]
    start = document.text.index("arthralgia (joint pain)")
    assert (arthralgia.reaction.evidence.start, arthralgia.reaction.evidence.end) == (
        start,
        start + len("arthralgia"),
    )
    assert arthralgia.evidence.quote == (
        "Common side effects (occurring in more than 10% of patients) include arthralgia "
        "(joint pain)."
    )
    paresthesia = reactions[3]
    assert paresthesia.evidence.quote == "Paresthesia (numbness or tingling)"
    assert paresthesia.reaction.evidence.quote == "Paresthesia"
    mi = reactions[12]
    assert mi.reaction.evidence.start == document.text.index("acute myocardial infarction")
    assert mi.evidence.quote.startswith("Less common but serious side effects reported include")
    assert mi.evidence.quote.endswith("and urticaria (hives).")


def test_seed_advice() -> None:
    document, _, statements = side_effects(SEED)
    quote = "Any new or worsening symptoms should be reported to a healthcare provider immediately."
    start = document.text.index(quote)
    assert len(statements) == 1
    assert statements[0].kind == "advice"
    assert (statements[0].evidence.quote, statements[0].evidence.start) == (quote, start)
    assert statements[0].evidence.end == start + len(quote)
    assert statements[0].evidence.section == "Side Effects"


# --------------------------------------------------------------------------
# Corpus
# --------------------------------------------------------------------------


def test_ocrelizumab_prose_lists_with_percentages_and_examples() -> None:
    document, reactions, statements = side_effects(CORPUS / "ocrelizumab.md")
    assert summary(reactions) == [
        ("infusion reactions", (), VC, ">10%", None),
        ("upper respiratory tract infections", (), VC, ">10%", None),
        ("skin infections", (), C, "1-10%", None),
        ("lower respiratory tract infections", (), C, "1-10%", None),
        ("herpes virus infections", (), C, "1-10%", None),
        ("depression", (), C, "1-10%", None),
        ("back pain", (), C, "1-10%", None),
        ("pain in the extremities", (), C, "1-10%", None),
        ("cough", (), C, "1-10%", None),
        ("diarrhea", (), C, "1-10%", None),
        ("severe infections", (), None, "less common", True),
        ("hepatitis B virus reactivation", (), None, "less common", True),
        ("progressive multifocal leukoencephalopathy", ("PML",), None, "less common", True),
        ("reduced immunoglobulin levels", (), None, "less common", True),
        ("malignancies", ("breast cancer",), None, "less common", True),
        ("breast cancer", (), None, "less common", True),
    ]
    assert statements == ()
    assert_offsets(document, reactions)


def test_romiplostim_labelled_items() -> None:
    document, reactions, statements = side_effects(CORPUS / "romiplostim.md")
    assert summary(reactions) == [
        ("arthralgia", (), VC, ">10%", None),
        ("dizziness", (), VC, ">10%", None),
        ("insomnia", (), VC, ">10%", None),
        ("myalgia", (), VC, ">10%", None),
        ("pain in extremity", (), VC, ">10%", None),
        ("abdominal pain", (), VC, ">10%", None),
        ("shoulder pain", (), C, "1-10%", None),
        ("dyspepsia", (), C, "1-10%", None),
        ("paresthesia", (), C, "1-10%", None),
        ("headache", (), C, "1-10%", None),
        ("increased bone marrow reticulin", (), None, None, True),
        ("blood clots", ("thrombotic events",), None, None, True),
        ("progression to acute myeloid leukemia", (), None, None, True),
    ]
    # the item keeps its bold label, markers balanced
    assert reactions[0].evidence.quote == (
        "**Very common (>10%):** arthralgia, dizziness, insomnia, myalgia, pain in extremity, "
        "abdominal pain"
    )
    leukemia = reactions[-1]
    assert leukemia.population is not None
    assert leukemia.population.text == "patients with myelodysplastic syndromes"
    assert statements == ()
    assert_offsets(document, reactions)


def test_burosumab_per_population_lists() -> None:
    document, reactions, statements = side_effects(CORPUS / "burosumab.md")
    rows = [
        (f.reaction.text, f.band, f.population.text if f.population else None) for f in reactions
    ]
    children = [
        "Headache",
        "Injection site reactions",
        "Vomiting",
        "Fever",
        "Pain in the arms or legs",
        "Decreased vitamin D",
    ]
    adults = [
        "Back pain",
        "Headache",
        "Tooth infection",
        "Restless legs syndrome",
        "Dizziness",
        "Constipation",
    ]
    assert rows == (
        [(name, VC, "children") for name in children]
        + [(name, VC, "adults") for name in adults]
        + [("hypersensitivity reactions", None, None), ("hyperphosphatemia", None, None)]
    )
    assert reactions[3].reaction.glosses == ("pyrexia",)
    assert reactions[0].population is not None
    assert reactions[0].population.evidence.start == document.text.index("children (occurring")
    assert [s.kind for s in statements] == ["advice"]
    assert_offsets(document, reactions)


def test_ibuprofen_word_band_and_heading_line_lead() -> None:
    document, reactions, statements = side_effects(CORPUS / "ibuprofen.md")
    assert summary(reactions) == [
        ("Indigestion", (), C, "common", None),
        ("heartburn", (), C, "common", None),
        ("Nausea", (), C, "common", None),
        ("Abdominal pain", (), C, "common", None),
        ("Dizziness", (), C, "common", None),
        ("Rash", (), C, "common", None),
        ("stomach or intestinal bleeding and ulcers", (), None, "less common", True),
        ("heart attack", (), None, "less common", True),
        ("stroke", (), None, "less common", True),
        ("kidney injury", (), None, "less common", True),
        ("severe skin reactions", (), None, "less common", True),
    ]
    assert [s.kind for s in statements] == ["advice"]
    assert statements[0].evidence.quote.startswith("Stop taking ibuprofen and seek medical help")
    assert_offsets(document, reactions)


@pytest.mark.parametrize(
    ("occurrence", "expected"),
    [
        (
            0,
            [
                ("Nausea", (), C, "common", None),
                ("Skin reactions", (), Band.RARE, "rare", None),
                ("liver damage in overdose", (), Band.RARE, "rare", None),
            ],
        ),
        (
            1,
            [
                ("Constipation", (), C, "common", None),
                ("drowsiness", (), C, "common", None),
                ("nausea", (), C, "common", None),
                ("dizziness", (), C, "common", None),
                ("Breathing problems", ("respiratory depression",), None, None, True),
                ("dependence", (), None, None, True),
            ],
        ),
    ],
)
def test_paracetamol_codeine_plain_labels(
    occurrence: int,
    expected: list[tuple[str, tuple[str, ...], Band | None, str | None, bool | None]],
) -> None:
    document, reactions, statements = side_effects(CORPUS / "paracetamol-codeine.md", occurrence)
    assert summary(reactions) == expected
    assert statements == ()
    assert_offsets(document, reactions)


# --------------------------------------------------------------------------
# Rules on small texts
# --------------------------------------------------------------------------


def run(body: str) -> tuple[tuple[AdverseReactionFact, ...], tuple[StatementFact, ...]]:
    document = parse("# T\n### Side Effects\n" + body + "\n", "t.md")
    return extract_adverse_reactions(document, section_of(document, "Side Effects"))


@pytest.mark.parametrize(
    ("lead", "band", "wording"),
    [
        ("Side effects occurring in more than 10% of patients include", VC, "more than 10%"),
        (
            "Common side effects (occurring in more than 10% of patients) include",
            VC,
            "more than 10%",
        ),
        ("Side effects (>10%) include", VC, ">10%"),
        ("Side effects (≥10%) include", VC, "≥10%"),
        ("Side effects in 1-10% of patients include", C, "1-10%"),
        ("Side effects in 1–10% of patients include", C, "1–10%"),
        ("Side effects in 1–10% or less include", C, "1–10%"),
        ("Side effects in 0.1 to 1% of patients include", Band.UNCOMMON, "0.1 to 1%"),
        ("Side effects in less than 1% of patients include", None, "less than 1%"),
        ("Side effects in more than 1 in 10 people include", VC, "more than 1 in 10"),
        ("Very common side effects include", VC, "very common"),
        ("Common side effects include", C, "common"),
        ("Uncommon side effects include", Band.UNCOMMON, "uncommon"),
        ("Rare side effects include", Band.RARE, "rare"),
        ("Very rare side effects include", Band.VERY_RARE, "very rare"),
        ("Less common side effects include", None, "less common"),
        ("Post-marketing side effects include", None, "post-marketing"),
        ("Side effects of frequency not known include", Band.NOT_KNOWN, "frequency not known"),
        ("Other side effects include", None, None),
    ],
)
def test_band_from_lead(lead: str, band: Band | None, wording: str | None) -> None:
    reactions, _ = run(f"{lead} nausea and vomiting.")
    assert [(f.reaction.text, f.band, f.frequency_text) for f in reactions] == [
        ("nausea", band, wording),
        ("vomiting", band, wording),
    ]
    assert all(f.serious is None for f in reactions)


@pytest.mark.parametrize(
    ("low", "high", "band"),
    [
        ("10", "100", Band.VERY_COMMON),
        ("10", "10", Band.VERY_COMMON),
        ("1", "10", Band.COMMON),
        ("5", "5", Band.COMMON),
        ("0.1", "1", Band.UNCOMMON),
        ("0.01", "0.1", Band.RARE),
        ("0", "0.01", Band.VERY_RARE),
        ("0", "1", None),
        ("1", "100", None),
    ],
)
def test_band_for_interval(low: str, high: str, band: Band | None) -> None:
    assert band_for_interval(Decimal(low), Decimal(high)) is band


def test_label_gives_band_population_and_nested_items() -> None:
    reactions, _ = run(
        "*   **Children:**\n"
        "    *   **Very common (>10%):** cough\n"
        "    *   fever\n"
        "*   **Uncommon:** rash"
    )
    rows = [
        (f.reaction.text, f.band, f.population.text if f.population else None) for f in reactions
    ]
    assert rows == [
        ("cough", VC, "Children"),
        ("fever", None, "Children"),
        ("rash", Band.UNCOMMON, None),
    ]


def test_lead_in_applies_until_the_next_paragraph() -> None:
    reactions, statements = run(
        "Rare side effects include:\n\n*   Seizures\n\nTalk to your doctor.\n\n*   Tremor"
    )
    assert [(f.reaction.text, f.band) for f in reactions] == [
        ("Seizures", Band.RARE),
        ("Tremor", None),
    ]
    assert [(s.kind, s.evidence.quote) for s in statements] == [("advice", "Talk to your doctor.")]


def test_items_under_advice_lead_in_are_warning_signs_not_reactions() -> None:
    reactions, statements = run(
        "Seek medical help if you notice:\n\n*   black stools\n*   chest pain"
    )
    assert reactions == ()
    assert [(s.kind, s.evidence.quote) for s in statements] == [
        ("advice", "Seek medical help if you notice:"),
        ("advice", "black stools"),
        ("advice", "chest pain"),
    ]


def test_unknown_sentence_is_kept_unstructured() -> None:
    reactions, statements = run("Most side effects are mild and go away on their own.")
    assert reactions == ()
    assert [(s.kind, s.evidence.quote) for s in statements] == [
        ("unstructured", "Most side effects are mild and go away on their own.")
    ]


def test_serious_only_when_said() -> None:
    reactions, _ = run(
        "Non-serious side effects include a cold.\n\nSerious side effects include b."
    )
    assert [(f.reaction.text, f.serious) for f in reactions] == [("a cold", None), ("b", True)]


def test_nested_examples_are_reactions_of_their_own() -> None:
    reactions, _ = run(
        "Common side effects include hypersensitivity reactions, including rash, hives and itching."
    )
    assert [(f.reaction.text, f.reaction.glosses, f.band) for f in reactions] == [
        ("hypersensitivity reactions", ("rash", "hives", "itching"), C),
        ("rash", (), C),
        ("hives", (), C),
        ("itching", (), C),
    ]


@pytest.mark.parametrize(
    ("phrase", "items"),
    [
        (
            "atypical subtrochanteric and diaphyseal femoral fractures",
            ["atypical subtrochanteric and diaphyseal femoral fractures"],
        ),
        (
            "upper and lower respiratory tract infections",
            ["upper and lower respiratory tract infections"],
        ),
        (
            "hypersensitivity reactions and hyperphosphatemia",
            ["hypersensitivity reactions", "hyperphosphatemia"],
        ),
        ("nausea and vomiting", ["nausea", "vomiting"]),
        ("a, b (c, d), and e", ["a", "b (c, d)", "e"]),
    ],
)
def test_split_terms(phrase: str, items: list[str]) -> None:
    assert [phrase[s:e] for s, e in split_terms(phrase, 0, len(phrase))] == items


def test_list_terms_gloss_spans() -> None:
    phrase = "Injection site reactions (pain, redness)"
    (term,) = list_terms(phrase, 0, len(phrase))
    assert term.term == (0, 24)
    assert [phrase[s:e] for s, e in term.glosses] == ["pain", "redness"]


def test_read_frequency_population_needs_a_preposition_in_a_sentence() -> None:
    text = "Women reported side effects in adults"
    document = Document("t", "monograph", text, "T", ())
    frequency = read_frequency(document, "Side Effects", 0, len(text))
    assert frequency.population is not None
    assert (frequency.population.text, frequency.population.evidence.start) == ("adults", 31)


# --------------------------------------------------------------------------
# Any text: no exception, every quote is its span
# --------------------------------------------------------------------------

FRAGMENTS = [
    "Common",
    "side effects",
    "include",
    "include:",
    "(",
    ")",
    "(e.g., ",
    ", including ",
    "more than 10%",
    "1-10%",
    ">",
    "%",
    "rare",
    "serious",
    "in children",
    "and",
    "or",
    ",",
    ".",
    ":",
    "**",
    "**Common:**",
    "*   ",
    "\n",
    "\n\n",
    "    *   ",
    "1.  ",
    "nausea",
    "rash (hives)",
    "Contact a doctor",
    " ",
    "atypical",
    "fractures",
    "1 in 10",
    "Note:",
    "—",
    "é",
]


@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40))
@settings(max_examples=300, deadline=None)
def test_any_text_keeps_offsets(fragments: list[str]) -> None:
    text = "### Side Effects\n" + "".join(fragments)
    document = Document("t.md", "monograph", text, "T", ())
    reactions, statements = extract_adverse_reactions(document, line_blocks(text, 17))
    assert_offsets(document, reactions)
    for statement in statements:
        ev = statement.evidence
        assert text[ev.start : ev.end] == ev.quote


# --------------------------------------------------------------------------
# Issue 13: label–description items, organ-system labels, a band word inside a rate
# --------------------------------------------------------------------------


def test_label_description_item_gives_the_label_only() -> None:
    reactions, statements = run(
        "Serious side effects include:\n\n"
        "* **Pancreatitis (swelling of the pancreas):** Signs like belly pain that spreads to "
        "the back, similar to a stomach upset.\n"
        "* **Kidney stones and gout:** Risk is higher when fluids are low.\n"
    )
    assert summary(reactions) == [
        ("Pancreatitis", ("swelling of the pancreas",), None, None, True),
        ("Kidney stones", (), None, None, True),
        ("gout", (), None, None, True),
    ]
    quotes = [s.evidence.quote for s in statements]
    assert any(q.startswith("Signs like belly pain") for q in quotes)
    assert any(q.startswith("Risk is higher") for q in quotes)


def test_label_description_item_in_a_plain_list_keeps_the_lead_band() -> None:
    reactions, _ = run("Rare side effects include:\n\n* **Tremor:** shaking of the hands.\n")
    assert summary(reactions) == [("Tremor", (), Band.RARE, "rare", None)]


@pytest.mark.parametrize(
    "label",
    [
        "**Nervous System:**",
        "**Gastrointestinal disorders:**",
        "**Endocrine & Metabolic:**",
        "Otic:",
    ],
)
def test_organ_system_label_is_dropped(label: str) -> None:
    reactions, _ = run(f"Common side effects:\n\n* {label} ringing in the ears, vertigo\n")
    assert [(f.reaction.text, f.band) for f in reactions] == [
        ("ringing in the ears", C),
        ("vertigo", C),
    ]


def test_heading_that_names_no_reaction_is_a_statement() -> None:
    reactions, statements = run("* **Pregnancy and Breastfeeding:** Ask your doctor first.\n")
    assert reactions == ()
    assert [s.evidence.quote for s in statements] == [
        "**Pregnancy and Breastfeeding:** Ask your doctor first."
    ]


def test_component_label_lists_that_components_reactions() -> None:
    text = "# Examplofen + Testamol\n### Side Effects\n* **Testamol:** rash, drowsiness\n"
    document = parse(text, "t.md")
    reactions, _ = extract_adverse_reactions(document, section_of(document, "Side Effects"))
    assert [f.reaction.text for f in reactions] == ["rash", "drowsiness"]


@pytest.mark.parametrize(
    ("lead", "band", "wording"),
    [
        ("Rare but serious side effects (<1%) include", Band.RARE, "rare"),
        ("Very rare side effects (less than 1%) include", Band.VERY_RARE, "very rare"),
        # a word outside the rate, or no CIOMS word: the rate alone, which names no band
        ("Common side effects (<1%) include", None, "<1%"),
        ("Less common side effects (<1%) include", None, "<1%"),
        # a rate that names a band wins over the word
        ("Common side effects (more than 10%) include", VC, "more than 10%"),
    ],
)
def test_band_word_inside_a_rate_spanning_bands(lead: str, band: Band | None, wording: str) -> None:
    reactions, _ = run(f"{lead} dizziness.")
    assert [(f.band, f.frequency_text) for f in reactions] == [(band, wording)]


@pytest.mark.parametrize("label", ["Important Note", "Precautions", "Drug Interactions"])
def test_note_or_section_label_is_no_reaction(label: str) -> None:
    reactions, statements = run(f"* **{label}:** Tell your doctor about other medicines.\n")
    assert reactions == ()
    assert len(statements) == 1


@pytest.mark.parametrize(
    "body",
    [
        "**When to call your doctor:** If symptoms get worse.",
        "**Long-term use:** Weight gain may occur.",
        "**Other side effects:** No other effects are known.",
    ],
)
def test_a_label_that_is_no_term_names_no_reaction(body: str) -> None:
    reactions, statements = run(body)
    assert reactions == ()
    assert [s.evidence.quote for s in statements] == [body]


def _named(body: str) -> list[tuple[str, Band | None, bool | None]]:
    reactions, _ = run(body)
    return [(r.reaction.text, r.band, r.serious) for r in reactions]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Tingling, flushing and dry mouth are common.",
            [("Tingling", C, None), ("flushing", C, None), ("dry mouth", C, None)],
        ),
        (
            "Blurred vision, hiccups and thirst may also occur.",
            [("Blurred vision", None, None), ("hiccups", None, None), ("thirst", None, None)],
        ),
        ("Rarely, nosebleeds have been reported.", [("nosebleeds", Band.RARE, None)]),
        ("While rare, severe rash is possible.", [("severe rash", Band.RARE, None)]),
        (
            "* **Uncommon but serious:** Fainting and chest pain are possible. Thirst can also "
            "occur.",
            [
                ("Fainting", Band.UNCOMMON, True),
                ("chest pain", Band.UNCOMMON, True),
                ("Thirst", Band.UNCOMMON, True),
            ],
        ),
        ("Some patients may experience mild drowsiness.", [("mild drowsiness", None, None)]),
        (
            "* Hyponatremia (low sodium) – needs prompt blood tests.",
            [("Hyponatremia", None, None)],
        ),
    ],
)
def test_a_clause_that_states_reactions_names_them(
    body: str, expected: list[tuple[str, Band | None, bool | None]]
) -> None:
    assert _named(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        "Hiccups are not common.",
        "Hiccups have not been reported.",
        "Serious side effects are rare.",
        "These are rare.",
        "However, rare systemic effects are possible.",
        "With long use, hiccups may occur.",
        "Generally well tolerated, but hiccups are possible.",
        "If hiccups persist, tell your doctor.",
        "* Liver injury – this is theoretical and not established.",
        "* Swelling (of the ankle – mild) may need rest.",
    ],
)
def test_a_negated_hedged_or_vague_clause_names_no_reaction(body: str) -> None:
    reactions, statements = run(body)
    assert reactions == ()
    assert statements


@pytest.mark.parametrize(
    ("item", "band", "wording"),
    [
        ("Hepatitis (rare)", Band.RARE, "rare"),
        ("Hepatitis (very rare)", Band.VERY_RARE, "very rare"),
        ("Hepatitis (12%)", Band.VERY_COMMON, "12%"),
        ("Hepatitis (less common)", None, "less common"),
    ],
)
def test_a_bracket_saying_only_how_often_is_the_terms_frequency(
    item: str, band: Band | None, wording: str
) -> None:
    reactions, _ = run("Serious side effects include:\n\n* Tremor\n* " + item)
    assert [
        (f.reaction.text, f.reaction.glosses, f.band, f.frequency_text, f.serious)
        for f in reactions
    ] == [
        ("Tremor", (), None, None, True),
        ("Hepatitis", (), band, wording, True),
    ]


def test_a_bracket_saying_more_than_how_often_stays_a_gloss() -> None:
    reactions, _ = run("Side effects include:\n\n* Hepatitis (rare liver inflammation)")
    assert [(f.reaction.glosses, f.band) for f in reactions] == [
        (("rare liver inflammation",), None)
    ]
