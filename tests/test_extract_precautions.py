"""Precautions extraction: the seed monograph, the sample corpus, and the phrasing rules."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medkg.extract.precaution import extract_precautions
from medkg.extract.precaution.populations import population_state
from medkg.model import ContraindicationFact, Document, Evidence, StatementFact, WarningFact
from medkg.parse.monograph import parse
from tests.test_extract_reactions import CORPUS, SEED, line_blocks, load, section_of

Result = tuple[tuple[ContraindicationFact, ...], tuple[WarningFact, ...], tuple[StatementFact, ...]]


def precautions(path: Path, drug: str, occurrence: int = 0) -> tuple[Document, Result]:
    document = load(path)
    section = section_of(document, "Precautions", occurrence)
    return document, extract_precautions(document, section, drug)


def assert_offsets(document: Document, result: Result) -> None:
    evidences: list[Evidence] = []
    for ci in result[0]:
        evidences += [ci.evidence, ci.condition.evidence] + [m.evidence for m in ci.examples]
        # a condition is its quote, the state a quoted population is named by ("pregnant
        # women": pregnancy), or a distributed head/allergy whose words it holds
        quote_words = set(ci.condition.evidence.quote.lower().split())
        quote_words |= {population_state(w) or w for w in quote_words}
        assert ci.condition.text == ci.condition.evidence.quote or (
            set(ci.condition.text.lower().split()) - quote_words
            <= {
                "hypersensitivity",
                "allergy",
                "to",
                "exampline",
                *ci.evidence.quote.lower().split(),
            }
        )
    for warning in result[1]:
        evidences.append(warning.evidence)
        evidences += [m.evidence for m in warning.details]
        if warning.condition is not None:
            evidences.append(warning.condition.evidence)
    evidences += [s.evidence for s in result[2]]
    for ev in evidences:
        assert document.text[ev.start : ev.end] == ev.quote
        assert ev.section == "Precautions"


def contraindication_rows(
    result: Result,
) -> list[tuple[str, tuple[str, ...], list[str], str]]:
    return [
        (c.condition.text, c.condition.glosses, [m.text for m in c.examples], c.evidence.quote)
        for c in result[0]
    ]


def warning_rows(result: Result) -> list[tuple[str, str | None, list[str]]]:
    return [
        (w.kind, w.condition.text if w.condition else None, [m.text for m in w.details])
        for w in result[1]
    ]


# --------------------------------------------------------------------------
# Seed
# --------------------------------------------------------------------------


def test_seed_contraindications() -> None:
    document, result = precautions(SEED, "Romosozumab")
    assert contraindication_rows(result) == [
        (
            "hypersensitivity",
            (),
            ["angioedema", "erythema multiforme", "urticaria"],
            "in patients with hypersensitivity (e.g., angioedema, erythema multiforme, urticaria)"
            " to romosozumab or any component of the formulation",
        ),
        (
            "uncorrected hypocalcemia",
            ("low blood calcium",),
            [],
            "in patients with uncorrected hypocalcemia (low blood calcium)",
        ),
    ]
    first = result[0][0]
    start = document.text.index("hypersensitivity (e.g.")
    assert (first.condition.evidence.start, first.condition.evidence.end) == (start, start + 16)
    assert first.examples[1].evidence.start == document.text.index("erythema multiforme, urt")
    assert_offsets(document, result)


SEED_STATEMENTS = [
    "Romosozumab should not be started in patients who have had a myocardial infarction or "
    "stroke in the past year.",
    "The benefits and risks should be carefully considered in patients with other "
    "cardiovascular risk factors.",
    "If a patient experiences a heart attack or stroke while on Romosozumab, the medication "
    "should be discontinued.",
    "Patients should receive supplemental calcium and vitamin D if dietary intake is insufficient.",
    "Romosozumab is not recommended for women of reproductive potential.",
    "The safety of Romosozumab during breastfeeding is unknown.",
    "Good oral hygiene is advised during treatment.",
]


def test_seed_warnings() -> None:
    document, result = precautions(SEED, "Romosozumab")
    assert (
        warning_rows(result)
        == [
            ("increased-risk", "atypical subtrochanteric and diaphyseal femoral fractures", []),
            (
                "increased-risk",
                "major adverse cardiac events",
                ["cardiovascular death", "non-fatal myocardial infarction", "non-fatal stroke"],
            ),
            ("increased-risk", "hypocalcemia", []),
            ("increased-risk", "hypersensitivity reactions", []),
            ("increased-risk", "osteonecrosis of the jaw", []),
        ]
        + [("statement", None, [])] * 7
    )
    risk_sentence = result[1][0].evidence
    assert risk_sentence.quote.startswith("There is an increased risk of atypical")
    assert risk_sentence.quote.endswith("and osteonecrosis of the jaw.")
    assert risk_sentence.start == document.text.index("There is an increased risk")
    assert [w.evidence.quote for w in result[1][5:]] == SEED_STATEMENTS
    assert result[2] == ()
    assert_offsets(document, result)


# --------------------------------------------------------------------------
# Corpus
# --------------------------------------------------------------------------


def test_burosumab_three_clauses() -> None:
    document, result = precautions(CORPUS / "burosumab.md", "Burosumab")
    assert [c.condition.text for c in result[0]] == [
        "oral phosphate or active vitamin D analogs",
        "serum phosphorus is within or above the normal range for age",
        "severe renal impairment or end-stage renal disease",
    ]
    assert [c.evidence.quote for c in result[0]] == [
        "with oral phosphate or active vitamin D analogs",
        "when serum phosphorus is within or above the normal range for age",
        "in patients with severe renal impairment or end-stage renal disease",
    ]
    assert warning_rows(result) == [
        ("statement", None, []),
        ("increased-risk", "nephrocalcinosis", []),
        ("increased-risk", "Injection site reactions", []),  # "… may occur"
        ("statement", None, []),
    ]
    assert_offsets(document, result)


def test_ocrelizumab_two_contraindications() -> None:
    document, result = precautions(CORPUS / "ocrelizumab.md", "Ocrelizumab")
    assert [c.condition.text for c in result[0]] == [
        "active hepatitis B virus infection",
        "history of life-threatening infusion reaction to ocrelizumab",
    ]
    assert [w.evidence.quote for w in result[1]] == [
        "Hepatitis B screening is required before the first dose.",
        "Live or live-attenuated vaccines are not recommended during treatment.",
        "Live or live-attenuated vaccines are not recommended during treatment.",
        "Women of childbearing potential should use contraception during treatment and for 6 "
        "months after the last infusion.",
    ]
    assert [(w.kind, w.condition.text if w.condition else None) for w in result[1]] == [
        ("statement", None),
        ("caution", "Live vaccines"),
        ("caution", "live-attenuated vaccines"),
        ("caution", "contraception during treatment and for 6 months after the last infusion"),
    ]
    assert_offsets(document, result)


def test_ibuprofen_do_not_use_and_avoid() -> None:
    document, result = precautions(CORPUS / "ibuprofen.md", "Ibuprofen")
    assert contraindication_rows(result) == [
        (
            "asthma, hives or an allergic reaction after taking aspirin or another NSAID",
            (),
            [],
            "if you have had asthma, hives or an allergic reaction after taking aspirin or "
            "another NSAID",
        ),
        (
            "right before or after heart bypass surgery",
            ("CABG",),
            [],
            "right before or after heart bypass surgery (CABG)",
        ),
        ("third trimester of pregnancy", (), [], "in the third trimester of pregnancy"),
    ]
    assert warning_rows(result) == [
        ("caution", "high blood pressure", []),
        ("caution", "heart failure", []),
        ("caution", "kidney disease or a history of stomach ulcers", []),
        ("increased-risk", "bleeding", []),
    ]
    assert result[1][0].evidence.quote.startswith("Use with caution in people with high blood")
    assert_offsets(document, result)


def test_paracetamol_codeine_population_contraindications() -> None:
    document, result = precautions(CORPUS / "paracetamol-codeine.md", "Paracetamol + Codeine")
    assert [c.condition.text for c in result[0]] == [
        "children younger than 12 years",
        "patients under 18 years after removal of the tonsils or adenoids",
        "CYP2D6 ultra-rapid metabolizers",
    ]
    assert [w.evidence.quote for w in result[1]] == [
        "Do not drink alcohol; avoid use with benzodiazepines or other sedatives.",
        "Not recommended while breastfeeding.",
    ]
    assert_offsets(document, result)


def test_romiplostim_only_statements() -> None:
    document, result = precautions(CORPUS / "romiplostim.md", "Romiplostim")
    assert result[0] == ()
    assert [w.kind for w in result[1]] == ["statement"] * 3
    assert result[1][2].evidence.quote == (
        "The patient’s complete blood count should be checked weekly during dose adjustment and "
        "monthly once the dose is stable."
    )
    assert_offsets(document, result)


# --------------------------------------------------------------------------
# Rules on small texts
# --------------------------------------------------------------------------


def run(body: str, drug: str = "Exampline") -> Result:
    document = parse("# T\n### Precautions\n" + body + "\n", "t.md")
    result = extract_precautions(document, section_of(document, "Precautions"), drug)
    assert_offsets(document, result)
    return result


@pytest.mark.parametrize(
    ("sentence", "condition"),
    [
        ("Exampline should not be used in children under 2 years.", "children under 2 years"),
        ("Do not take Exampline if you are pregnant.", "pregnancy"),  # the state's noun
        ("Avoid using it during pregnancy.", "pregnancy"),
        ("Contraindicated in patients who have had a stroke.", "stroke"),
        (
            "Exampline is contraindicated in patients with hypersensitivity (allergy) to the drug.",
            "hypersensitivity to Exampline",
        ),
        ("It is contraindicated in pregnancy because it harms the fetus.", "pregnancy"),
        ("It must not be given to infants.", "infants"),
        ("Exampline should be avoided during the third trimester.", "third trimester"),
        ("**Do not use it with alcohol.**", "alcohol"),
    ],
)
def test_contraindication_phrasings(sentence: str, condition: str) -> None:
    contraindications, warnings, _ = run(sentence)
    assert [c.condition.text for c in contraindications] == [condition]
    assert warnings == ()


@pytest.mark.parametrize(
    ("sentence", "conditions"),
    [
        ("Exampline may increase the risk of bleeding.", ["bleeding"]),
        ("There is a higher risk of falls in elderly patients.", ["falls"]),
        ("It raises the risk of seizures, so doses are kept low.", ["seizures"]),
        (
            "There is an increased risk of upper and lower respiratory tract infections and "
            "cardiac and vascular disorders.",
            ["upper and lower respiratory tract infections", "cardiac and vascular disorders"],
        ),
    ],
)
def test_increased_risk_phrasings(sentence: str, conditions: list[str]) -> None:
    _, warnings, _ = run(sentence)
    assert [(w.kind, w.condition.text if w.condition else None) for w in warnings] == [
        ("increased-risk", c) for c in conditions
    ]
    assert all(w.evidence.quote == sentence for w in warnings)


@pytest.mark.parametrize(
    "sentence",
    [
        "Do not drink alcohol while taking it.",
        "Avoid use with other sedatives.",
        "Exampline should not be started after a recent stroke.",
        "It is not contraindicated in pregnancy.",
    ],
)
def test_other_sentences_are_statements(sentence: str) -> None:
    assert only_a_statement(sentence) == ()


def only_a_statement(body: str) -> tuple[StatementFact, ...]:
    """Assert that `body` gives no contraindication and exactly one statement warning
    quoting all of it; return its StatementFacts."""
    contraindications, warnings, statements = run(body)
    assert contraindications == ()
    assert [(w.kind, w.evidence.quote, w.condition) for w in warnings] == [
        ("statement", body, None)
    ]
    return statements


def test_note_label_is_a_statement_and_item_label_stays_in_evidence() -> None:
    contraindications, warnings, statements = run(
        "*   **Pregnancy:** Avoid it in the first trimester. Tell your doctor.\n"
        "*   **Breastfeeding:** Not recommended.\n"
        "*   **Note:** Ask a pharmacist."
    )
    assert [c.condition.text for c in contraindications] == ["first trimester"]
    # a label names a condition to be careful with unless a fact of its block names it
    assert [(w.kind, w.evidence.quote) for w in warnings] == [
        ("caution", "**Pregnancy:** Avoid it in the first trimester. Tell your doctor."),
        ("caution", "**Breastfeeding:** Not recommended."),
    ]
    # the label's caution quotes its block: the body is no second warning
    assert [(s.kind, s.evidence.quote) for s in statements] == [
        ("advice", "Tell your doctor."),
        ("unstructured", "**Breastfeeding:** Not recommended."),
        ("note", "**Note:** Ask a pharmacist."),
    ]


PRECAUTION_FRAGMENTS = [
    "Exampline",
    " is contraindicated in patients with ",
    "hypersensitivity",
    " (e.g., ",
    "a, b",
    ")",
    " to Exampline or any component",
    ", and in ",
    "Do not use it ",
    "if you have ",
    "Avoid it in ",
    "There is an increased risk of ",
    "major events",
    " and ",
    ", ",
    ".",
    " ",
    "**Note:** ",
    "*   ",
    "\n",
    "\n\n",
    "should not be used in ",
    "children",
    "(",
    ":",
    "é",
]


@given(st.lists(st.sampled_from(PRECAUTION_FRAGMENTS), max_size=40))
@settings(max_examples=300, deadline=None)
def test_any_text_keeps_offsets(fragments: list[str]) -> None:
    text = "### Precautions\n" + "".join(fragments)
    document = Document("t.md", "monograph", text, "T", ())
    section = replace(line_blocks(text, 16), name="Precautions")
    assert_offsets(document, extract_precautions(document, section, "Exampline"))


# --------------------------------------------------------------------------
# One fact per condition, in clean words; caution, interaction, advice, negation
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "conditions"),
    [
        (  # a hypersensitivity to each object of an "or" list; "the drug" is the drug
            "Exampline is contraindicated in people with a known allergy to the drug, "
            "brivodine, or any part of the tablet.",
            ["allergy to Exampline", "allergy to brivodine", "allergy to any part of the tablet"],
        ),
        (  # people leads, a generic head with its examples, "and" between nouns
            "Exampline is contraindicated in toddlers and frail elders, those on "
            "quinolate therapy, and those with particular conditions like closed-angle "
            "eye disease and gut strictures.",
            [
                "toddlers",
                "frail elders",
                "quinolate therapy",
                "closed-angle eye disease",
                "gut strictures",
            ],
        ),
        (  # a shared head noun is distributed
            "Do not use this medicine if you have lung or heart disease.",
            ["lung disease", "heart disease"],
        ),
        (  # a qualifier after the list scopes over every item: kept whole
            "Do not use it if you have had wheezing, rash or swelling after taking dravopine.",
            ["wheezing, rash or swelling after taking dravopine"],
        ),
    ],
)
def test_one_contraindication_per_condition(body: str, conditions: list[str]) -> None:
    contraindications, _, _ = run(body)
    assert [c.condition.text for c in contraindications] == conditions


def test_contraindications_label_and_items_after_a_lead_in() -> None:
    contraindications, _, _ = run(
        "**Contraindications:** Allergy to Exampline or its coating. Use with care otherwise.\n\n"
        "It is contraindicated in people with:\n\n"
        "* Known or suspected bone tumours.\n"
        "* Patients with brain bleeding\n"
        "* Salt overload states (e.g., leg swelling)\n\n"
        "Drink water."
    )
    assert [c.condition.text for c in contraindications] == [
        "Allergy to Exampline",
        "Allergy to its coating",
        "Known or suspected bone tumours",
        "brain bleeding",
        "Salt overload states",
    ]
    assert [m.text for m in contraindications[-1].examples] == ["leg swelling"]


@pytest.mark.parametrize(
    ("body", "rows"),
    [
        (
            "Use with caution in patients with gout, asthma, or low platelet counts.",
            [("caution", "gout"), ("caution", "asthma"), ("caution", "low platelet counts")],
        ),
        (
            "People with liver or kidney problems should use it with caution.",
            [("caution", "liver problems"), ("caution", "kidney problems")],
        ),
        (
            "The dose may need adjusting for patients with poor kidney function.",
            [("caution", "poor kidney function")],
        ),
        ("Avoid grapefruit juice while taking it.", [("caution", "grapefruit juice")]),
        (
            "**Interactions:** Exampline can interact with many drugs, such as blood thinners "
            "and water pills.",
            [("interaction", "blood thinners"), ("interaction", "water pills")],
        ),
        (  # the label names the population when the block states no fact of its own
            "**Older Adults:** Side effects can be stronger.",
            [("caution", "Older Adults")],
        ),
        (  # an apposition is not a second risk
            "The risk of tendon rupture, a serious injury, is increased with steroids.",
            [("increased-risk", "tendon rupture")],
        ),
    ],
)
def test_warning_rules(body: str, rows: list[tuple[str, str | None]]) -> None:
    _, warnings, _ = run(body)
    assert [(w.kind, w.condition.text if w.condition else None) for w in warnings] == rows


@pytest.mark.parametrize(
    "body",
    [
        "**Interactions:** No important interactions with other drugs have been reported.",
        "It is not associated with an increased risk of falls.",
        "Exampline may be contraindicated in advanced cases.",
        "Caution is not needed in mild kidney disease.",
        "It is never contraindicated in pregnancy.",
        "It is not known whether it is contraindicated in pregnancy.",
        "It is unclear whether the risk of bleeding is increased.",
        "**Contraindications:** No known contraindications.",
        "**Contraindications:** None.",
    ],
)
def test_negated_or_hedged_sentences_state_no_fact(body: str) -> None:
    # not merely "no fact": the sentence is kept, as a statement (a warning one when it
    # names something specific, a plain one when it is vague)
    contraindications, warnings, statements = run(body)
    assert contraindications == ()
    kept = [(w.kind, w.evidence.quote) for w in warnings] + [
        (s.kind, s.evidence.quote) for s in statements
    ]
    assert kept in ([("statement", body)], [("unstructured", body)])


@pytest.mark.parametrize(
    "body",
    [
        "**Kidney disease:** No dose adjustment is needed.",
        "**Driving:** It does not affect the ability to drive.",
        "**Alcohol:** No interaction is known.",
        "**Pregnancy:** It is considered safe.",
    ],
)
def test_a_reassuring_label_block_is_no_caution(body: str) -> None:
    _, warnings, statements = run(body)
    assert [w for w in warnings if w.kind != "statement"] == []
    # the body is kept once: a statement warning, or a plain statement when it is vague
    kept = [w.evidence.quote for w in warnings] + [s.evidence.quote for s in statements]
    assert kept == [body]


def test_an_unknown_safety_is_still_a_caution() -> None:
    body = "**Pregnancy:** Its safety has not been established."
    _, warnings, _ = run(body)
    assert [(w.kind, w.condition.text if w.condition else None) for w in warnings] == [
        ("caution", "Pregnancy"),
    ]


def test_advice_is_a_statement_not_a_warning() -> None:
    _, warnings, statements = run(
        "Tell your pharmacist about every medicine you take, including vitamins."
    )
    assert warnings == ()
    assert [s.kind for s in statements] == ["advice"]


@pytest.mark.parametrize(
    "phrase",
    ["these conditions", "this purpose", "your specific needs", "patients", "routine use", "them"],
)
def test_pronouns_and_generic_heads_are_never_conditions(phrase: str) -> None:
    from medkg.extract.precaution.terms import is_generic

    assert is_generic(phrase)


def test_markup_before_a_gloss_stays_out_of_the_condition() -> None:
    document = parse(
        "# Exampline\n### Precautions\nExampline is contraindicated in patients with "
        "**Renal failure:** (e.g., on dialysis)\n",
        "t.md",
    )
    result = extract_precautions(document, section_of(document, "Precautions"), "Exampline")
    assert [c.condition.text for c in result[0]] == ["Renal failure"]
    assert_offsets(document, result)
