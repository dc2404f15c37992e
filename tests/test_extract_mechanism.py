"""How it Works extraction: the seed chain, the sample corpus, and the clause rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medkg.extract.mechanism import extract_mechanism
from medkg.model import (
    Block,
    Document,
    Evidence,
    MechanismEffect,
    MechanismStep,
    Relation,
    Section,
    StatementFact,
)
from medkg.parse.monograph import parse
from medkg.read.decode import read_source

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "sources" / "romosozumab-monograph.txt"
CORPUS = Path(__file__).resolve().parent / "fixtures" / "corpus" / "monographs"

Result = tuple[tuple[MechanismStep, ...], tuple[MechanismEffect, ...], tuple[StatementFact, ...]]


def load(path: Path) -> Document:
    source = read_source(path)
    return parse(source.text, source.name)


def mechanism(document: Document, drug: str, occurrence: int = 0) -> Result:
    sections = [s for s in document.sections if s.name == "How it Works"]
    return extract_mechanism(document, sections[occurrence], drug)


def from_text(body: str, drug: str = "Testmab") -> tuple[Document, Result]:
    """A one-section monograph around `body`, parsed by the real parser."""
    text = (
        f"---\nlayout: minimal-medicine\ntitle: {drug}\n---\n\n# {drug}\n"
        f"### Generic Name\n{drug}\n\n### How it Works\n{body}\n"
    )
    document = parse(text, "test.md")
    return document, mechanism(document, drug)


def assert_offsets(document: Document, result: Result) -> None:
    steps, effects, statements = result
    evidences: list[Evidence] = [s.evidence for s in statements]
    for step in steps:
        evidences += [step.evidence, step.subject.evidence, step.object.evidence]
    for effect in effects:
        evidences += [effect.evidence, effect.effect.evidence]
    for ev in evidences:
        assert document.text[ev.start : ev.end] == ev.quote
        assert ev.quote


def chain(steps: tuple[MechanismStep, ...]) -> list[tuple[int, str, Relation, str]]:
    return [(s.order, s.subject.text, s.relation, s.object.text) for s in steps]


def effect_summary(effects: tuple[MechanismEffect, ...]) -> list[tuple[str, str, str | None]]:
    return [(e.direction, e.effect.text, e.strength) for e in effects]


# --------------------------------------------------------------------------
# Seed
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> tuple[Document, Result]:
    document = load(SEED)
    return document, mechanism(document, "Romosozumab")


def test_seed_chain(seed: tuple[Document, Result]) -> None:
    _, (steps, _, _) = seed
    assert chain(steps) == [
        (1, "Romosozumab", Relation.INHIBITS, "sclerostin"),
        (2, "sclerostin", Relation.SUPPRESSES, "bone formation"),
        (3, "blocking sclerostin", Relation.ACTIVATES, "Wnt/beta-catenin signaling pathway"),
        (4, "Wnt/beta-catenin signaling pathway", Relation.STIMULATES, "bone formation"),
    ]
    assert [s.evidence.quote for s in steps] == [
        "Romosozumab works by inhibiting sclerostin",
        "a protein that normally suppresses bone formation",
        "activates the Wnt/beta-catenin signaling pathway",
        "which stimulates bone formation",
    ]


def test_seed_mentions_sit_on_the_words(seed: tuple[Document, Result]) -> None:
    document, (steps, effects, _) = seed
    text = document.text
    section = document.section("How it Works")
    assert section is not None
    first = text.index("Romosozumab works by", section.start)
    assert steps[0].subject.evidence.start == first
    assert steps[0].object.evidence.start == text.index("sclerostin, a protein")
    # The subject of step 2 is the very "sclerostin" step 1 names.
    assert steps[1].subject.evidence == steps[0].object.evidence
    assert steps[1].object.evidence.start == text.index("bone formation. By")
    assert steps[2].subject.evidence.start == text.index("blocking sclerostin")
    assert steps[2].object.evidence.start == text.index("Wnt/beta-catenin")
    assert steps[3].subject.evidence == steps[2].object.evidence
    assert steps[3].object.evidence.start == text.index("bone formation. This")
    assert all(s.subject.text == s.subject.evidence.quote for s in steps)
    assert all(s.object.text == s.object.evidence.quote for s in steps)
    assert effects[0].effect.evidence.start == text.index("bone mass density")


def test_seed_effects(seed: tuple[Document, Result]) -> None:
    _, (_, effects, statements) = seed
    assert effect_summary(effects) == [
        ("increase", "bone mass density", None),
        ("decrease", "bone resorption", "to a lesser extent"),
    ]
    assert [e.evidence.quote for e in effects] == [
        "leads to an increase in bone mass density",
        "to a lesser extent, reduces bone resorption",
    ]
    assert effects[1].effect.glosses == ("the breakdown of bone tissue",)
    assert statements == ()


def test_seed_offsets(seed: tuple[Document, Result]) -> None:
    document, result = seed
    assert_offsets(document, result)
    assert {s.evidence.section for s in result[0]} == {"How it Works"}
    assert {s.evidence.document for s in result[0]} == {"romosozumab-monograph.txt"}


# --------------------------------------------------------------------------
# Sample corpus
# --------------------------------------------------------------------------


def test_burosumab_binds_and_inhibits() -> None:
    document = load(CORPUS / "burosumab.md")
    result = mechanism(document, "Burosumab")
    steps, effects, statements = result
    assert chain(steps) == [
        (1, "Burosumab", Relation.BINDS, "fibroblast growth factor 23"),
        (2, "Burosumab", Relation.INHIBITS, "fibroblast growth factor 23"),
    ]
    assert steps[0].object.glosses == ("FGF23",)
    assert effect_summary(effects) == [
        ("increase", "reabsorption of phosphate in the kidney", None),
        ("increase", "production of active vitamin D", None),
        ("increase", "Serum phosphate", None),
    ]
    assert statements == ()
    assert_offsets(document, result)


def test_ibuprofen_blocks_two_enzymes() -> None:
    document = load(CORPUS / "ibuprofen.md")
    result = mechanism(document, "Ibuprofen")
    steps, effects, statements = result
    assert chain(steps) == [
        (1, "Ibuprofen", Relation.INHIBITS, "COX-1"),
        (2, "Ibuprofen", Relation.INHIBITS, "COX-2"),
    ]
    assert effects == ()
    assert [s.evidence.quote for s in statements] == [
        "These enzymes make prostaglandins, chemical messengers that cause pain, fever and "
        "inflammation.",
        "With less prostaglandin, pain, fever and swelling go down.",
    ]
    assert_offsets(document, result)


def test_ocrelizumab_binds_and_depletes() -> None:
    document = load(CORPUS / "ocrelizumab.md")
    result = mechanism(document, "Ocrelizumab")
    steps, _, statements = result
    assert chain(steps) == [
        (1, "Ocrelizumab", Relation.BINDS, "CD20"),
        (2, "Ocrelizumab", Relation.DEPLETES, "B cells"),
    ]
    assert steps[1].evidence.quote == "Binding leads to the destruction of these B cells"
    assert len(statements) == 1 and statements[0].evidence.quote.startswith("Fewer B cells")
    assert_offsets(document, result)


def test_romiplostim_pronoun_resolves_to_the_drug() -> None:
    document = load(CORPUS / "romiplostim.md")
    result = mechanism(document, "Romiplostim")
    steps, effects, statements = result
    # "is a <target> agonist" is a step; the later "activates" of the same receptor repeats it.
    assert chain(steps) == [
        (1, "Romiplostim", Relation.ACTIVATES, "thrombopoietin receptor"),
        (2, "Romiplostim", Relation.BINDS, "thrombopoietin receptor"),
    ]
    assert steps[0].evidence.quote == "Romiplostim is a thrombopoietin receptor agonist"
    # "It" resolves to the name in the sentence before; the receptor keeps its exact span.
    assert steps[1].subject.evidence.quote == "Romiplostim"
    assert steps[1].object.evidence.quote == "thrombopoietin (TPO) receptor"
    assert steps[1].object.glosses == ("TPO",)
    assert steps[1].evidence.quote == "It binds to and activates the thrombopoietin (TPO) receptor"
    assert effect_summary(effects) == [("increase", "platelet production", None)]
    assert statements == ()
    assert_offsets(document, result)


def test_codeine_is_converted_to_morphine() -> None:
    document = load(CORPUS / "paracetamol-codeine.md")
    result = mechanism(document, "Codeine", occurrence=1)
    steps, effects, _ = result
    assert chain(steps) == [
        (1, "Codeine", Relation.CONVERTED_TO, "morphine"),
        (2, "Morphine", Relation.ACTIVATES, "mu-opioid receptors"),
    ]
    assert steps[0].evidence.quote == (
        "Codeine is converted to morphine in the liver by the enzyme CYP2D6"
    )
    assert effect_summary(effects) == [("decrease", "perception of pain", None)]
    assert_offsets(document, result)


def test_paracetamol_effects_only() -> None:
    document = load(CORPUS / "paracetamol-codeine.md")
    result = mechanism(document, "Paracetamol", occurrence=0)
    steps, effects, statements = result
    assert steps == ()
    # pain and fever, which the same sentence says it reduces, are outcomes, not effects
    assert effect_summary(effects) == [
        ("decrease", "production of prostaglandins in the brain and spinal cord", None),
    ]
    assert statements == ()
    assert_offsets(document, result)


# --------------------------------------------------------------------------
# Rules on made-up sentences
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Testmab targets the protein XY-1.", [(1, "Testmab", Relation.BINDS, "protein XY-1")]),
        (
            "Testmab negatively regulates osteoclast activity.",
            [(1, "Testmab", Relation.SUPPRESSES, "osteoclast activity")],
        ),
        (
            "It depletes circulating B cells.",
            [(1, "Testmab", Relation.DEPLETES, "circulating B cells")],
        ),
        (
            "Testmab promotes cell growth, which activates repair genes.",
            [
                (1, "Testmab", Relation.STIMULATES, "cell growth"),
                (2, "cell growth", Relation.ACTIVATES, "repair genes"),
            ],
        ),
        (
            "TESTMAB works by blocking receptor A and receptor B.",
            [
                (1, "TESTMAB", Relation.INHIBITS, "receptor A"),
                (2, "TESTMAB", Relation.INHIBITS, "receptor B"),
            ],
        ),
    ],
)
def test_clause_shapes(body: str, expected: list[tuple[int, str, Relation, str]]) -> None:
    document, result = from_text(body)
    assert chain(result[0]) == expected
    assert_offsets(document, result)


@pytest.mark.parametrize(
    "body",
    [
        "Testmab does not inhibit enzyme Q.",  # negated
        "Testmab may block enzyme Q.",  # hedged
        "Enzyme Q is inhibited by Testmab.",  # passive: subject and object would swap
        "These enzymes activate pathway R.",  # demonstrative subject, not resolved
        "Testmab is a small molecule.",
        "Its targets include enzyme Q.",  # a noun, not a verb
        "Blood pressure may fall.",  # hedged
    ],
)
def test_unread_sentences_are_kept(body: str) -> None:
    document, result = from_text(body)
    steps, effects, statements = result
    assert steps == () and effects == ()
    assert [s.evidence.quote for s in statements] == [body]
    assert statements[0].kind == "unstructured"
    assert_offsets(document, result)


def test_repeated_step_is_dropped() -> None:
    body = "Testmab inhibits kinase Z. By inhibiting kinase Z, Testmab activates pathway W."
    _, (steps, _, _) = from_text(body)
    assert chain(steps) == [
        (1, "Testmab", Relation.INHIBITS, "kinase Z"),
        (2, "inhibiting kinase Z", Relation.ACTIVATES, "pathway W"),
    ]


def test_effect_directions() -> None:
    body = (
        "Testmab lowers aldosterone secretion. It raises heart rate. "
        "This results in a reduction in vessel tone. Plasma renin falls."
    )
    _, (_, effects, _) = from_text(body)
    assert effect_summary(effects) == [
        ("decrease", "aldosterone secretion", None),
        ("increase", "heart rate", None),
        ("decrease", "vessel tone", None),
        ("decrease", "Plasma renin", None),
    ]


@pytest.mark.parametrize(
    "body",
    [
        "Testmab lowers blood pressure.",  # a clinical measure
        "This results in a reduction in stroke risk.",
        "It reduces pain and muscle spasms.",  # symptoms
        "Testmab reduces symptoms like sneezing.",
        "Testmab reduces the activity of these muscles.",  # refers back
    ],
)
def test_outcomes_and_references_back_are_no_effects(body: str) -> None:
    _, (_, effects, statements) = from_text(body)
    assert effects == ()
    assert [s.evidence.quote for s in statements] == [body]


# --------------------------------------------------------------------------
# Any text: never an exception, every quote exact
# --------------------------------------------------------------------------

_VOCABULARY = [
    "It",
    "Testmab",
    "works by",
    "inhibiting",
    "blocks",
    "binds to",
    "and",
    "activates",
    "which",
    "stimulates",
    "a protein that",
    "normally",
    "suppresses",
    "By blocking",
    ",",
    ".",
    "(",
    ")",
    "leads to an increase in",
    "reduces",
    "rises",
    "is converted to",
    "by",
    "the",
    "of",
    "to a lesser extent",
    "these",
    "Binding",
    "leads to the destruction of",
    "COX-1",
    "**",
    "\n",
    "is a",
    "that",
    "not",
    "It also",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_VOCABULARY), st.text(max_size=5)), max_size=30))
def test_any_text_gives_exact_quotes(words: list[str]) -> None:
    body = " ".join(words)
    text = "How it Works\n" + body
    start = len("How it Works\n")
    section = Section(
        "How it Works",
        "How it Works",
        start,
        len(text),
        (Block("paragraph", body, start, len(text)),),
    )
    document = Document("fuzz.md", "monograph", text, "Testmab", (section,))
    assert_offsets(document, extract_mechanism(document, section, "Testmab"))


# --------------------------------------------------------------------------
# Targets named by a role noun, "the action of X", "does this by", clean objects
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Zorbamab is a selective glorp kinase inhibitor.", (Relation.INHIBITS, "glorp kinase")),
        ("Zorbamab is a long-acting QX-9 receptor agonist.", (Relation.ACTIVATES, "QX-9 receptor")),
        ("Zorbamab is a combined antiworple and vellin antagonist.", (Relation.INHIBITS, "vellin")),
        (
            "Zorbamab is a potent agonist at the QX-9 receptor.",
            (Relation.ACTIVATES, "QX-9 receptor"),
        ),
        ("Zorbamab is an inhibitor of trellase, a gut enzyme.", (Relation.INHIBITS, "trellase")),
    ],
)
def test_role_noun_names_the_target(body: str, expected: tuple[Relation, str]) -> None:
    document, result = from_text(body, drug="Zorbamab")
    steps, _, statements = result
    assert chain(steps) == [(1, "Zorbamab", *expected)]
    assert statements == ()
    assert_offsets(document, result)


@pytest.mark.parametrize(
    "body",
    [
        "Zorbamab is an inverse QX-9 agonist.",
        "Zorbamab is a partial agonist at the QX-9 receptor.",
        "Zorbamab is not a glorp inhibitor.",
        "Zorbamab may be a glorp inhibitor.",
        "Zorbamab is a selective inhibitor.",
    ],
)
def test_role_noun_hedged_or_without_target_gives_no_step(body: str) -> None:
    _, (steps, _, _) = from_text(body, drug="Zorbamab")
    assert steps == ()


def test_the_action_of_names_its_object() -> None:
    document, result = from_text(
        "Zorbamab blocks the action of vellin, a hormone that tightens ducts.", drug="Zorbamab"
    )
    steps, _, _ = result
    assert chain(steps)[0] == (1, "Zorbamab", Relation.INHIBITS, "vellin")
    assert steps[0].evidence.quote == "Zorbamab blocks the action of vellin"
    assert_offsets(document, result)


def test_achieves_this_by_and_is_a_that_works_by() -> None:
    document, result = from_text(
        "Zorbamab stops wall growth. It achieves this by binding to wall-linking proteins (WLPs), "
        "enzymes that build the wall. Quellin is a numbing agent that works by blocking "
        "pain signals in the skin.",
        drug="Zorbamab",
    )
    steps, _, _ = result
    assert chain(steps)[:1] == [(1, "Zorbamab", Relation.BINDS, "wall-linking proteins")]
    assert (Relation.INHIBITS, "Quellin", "pain signals") in [
        (s.relation, s.subject.text, s.object.text) for s in steps
    ]
    assert_offsets(document, result)


def test_demonstrative_object_and_adverb_clause_give_no_step() -> None:
    _, (steps, _, _) = from_text(
        "Trellase is an enzyme that cuts vellin. By inhibiting this enzyme, Zorbamab raises "
        "vellin. Zorbamab inhibits duct growth, effectively stopping the swelling.",
        drug="Zorbamab",
    )
    objects = [(s.subject.text, s.object.text) for s in steps]
    assert ("Zorbamab", "enzyme") not in objects
    assert ("Zorbamab", "duct growth") in objects
    assert all("stopping" not in o for _, o in objects)


# --------------------------------------------------------------------------
# Clause shapes added for phrasing seen across the collection
# --------------------------------------------------------------------------


Row = tuple[int, str, Relation, str]


def chain_of(body: str, drug: str = "Testmab") -> list[Row]:
    """The step chain medkg reads from `body` about `drug`, its offsets checked."""
    document, result = from_text(body, drug)
    assert_offsets(document, result)
    return chain(result[0])


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (  # "interfere with" is a verb with a particle
            "Testmab works by interfering with the synthesis of fungal walls.",
            [(1, "Testmab", Relation.INHIBITS, "synthesis of fungal walls")],
        ),
        (  # "S's mechanism of action involves <verb>ing", coordinated gerunds
            "Testmab's mechanism of action involves inhibiting the synthesis of glycans, "
            "sugar chains in joints, and interfering with the uptake of zinc.",
            [
                (1, "Testmab", Relation.INHIBITS, "synthesis of glycans"),
                (2, "Testmab", Relation.INHIBITS, "uptake of zinc"),
            ],
        ),
        (  # a fronted phrase before the subject
            "In allergic states, it blocks mast cell receptors.",
            [(1, "Testmab", Relation.INHIBITS, "mast cell receptors")],
        ),
        (  # an appositive after the subject
            "Testmab, an analgesic, works by inhibiting enzyme Q.",
            [(1, "Testmab", Relation.INHIBITS, "enzyme Q")],
        ),
        (  # "acts as an X agonist"
            "In bone, Testmab acts as a vitamin Z agonist.",
            [(1, "Testmab", Relation.ACTIVATES, "vitamin Z")],
        ),
        (  # "S <effect>s X by <verb>ing Y": how S does it is a step of S
            "Testmab lowers lipid levels by inhibiting reductase K, a liver enzyme.",
            [(1, "Testmab", Relation.INHIBITS, "reductase K")],
        ),
        (  # "an enzyme called X" names X; "binds to and destroys X" binds X
            "Testmab inhibits an enzyme called kinase M. It binds to and destroys tumour cells.",
            [
                (1, "Testmab", Relation.INHIBITS, "kinase M"),
                (2, "Testmab", Relation.BINDS, "tumour cells"),
            ],
        ),
        (  # an appositive without "and" or "or" is no list
            "Testmab blocks the release of histamine, a mediator of itch.",
            [(1, "Testmab", Relation.INHIBITS, "release of histamine")],
        ),
        (  # a participle ends the object
            "Testmab binds Z receptors found mainly in the gut.",
            [(1, "Testmab", Relation.BINDS, "Z receptors")],
        ),
        (  # a demonstrative and one word refer back; so does "their function"
            "Testmab binds to glycan sites (GSs). By blocking these GSs, Testmab stops "
            "growth. By inhibiting their function, Testmab stops growth.",
            [(1, "Testmab", Relation.BINDS, "glycan sites")],
        ),
    ],
)
def test_added_clause_shapes(body: str, expected: list[tuple[int, str, Relation, str]]) -> None:
    assert chain_of(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        "In animal studies, Testmab blocks enzyme Q.",  # a hedging fronted phrase
        "By inhibiting enzyme Q, Testmab may relieve pain.",  # hedged, main verb not read
        "By reducing enzyme Q, it is thought to relieve pain.",
        "Enters cells and blocks enzyme Q.",  # no subject, no label
        "An analgesic that blocks enzyme Q.",
    ],
)
def test_added_shapes_state_no_fact_when_hedged_or_subjectless(body: str) -> None:
    _, (steps, effects, _) = from_text(body)
    assert steps == () and effects == ()


def test_effects_of_gerunds_and_levels() -> None:
    body = (
        "Testmab works by reducing the production of leukotrienes. "
        "By lowering gastrin secretion, Testmab relieves heartburn. "
        "This leads to lower levels of LDL cholesterol and triglycerides."
    )
    document, result = from_text(body)
    assert effect_summary(result[1]) == [
        ("decrease", "production of leukotrienes", None),
        ("decrease", "gastrin secretion", None),
        ("decrease", "LDL cholesterol", None),
        ("decrease", "triglycerides", None),
    ]
    assert_offsets(document, result)


def test_a_bold_label_naming_a_combined_product_is_the_subject() -> None:
    body = (
        "* **Alphazine (Alfa):** Enters the cells and interferes with their DNA.\n"
        "* **Betazine:** This is a blocker that works by inhibiting enzyme Q.\n"
        "* **Gammazine:** Blocks channel R, a pore that stimulates secretion.\n"
        "* **Mechanism:** Blocks channel S.\n"
    )
    assert chain_of(body, "Alphazine + Betazine + Gammazine") == [
        (1, "Alphazine", Relation.INHIBITS, "DNA"),
        (2, "Betazine", Relation.INHIBITS, "enzyme Q"),
        (3, "Gammazine", Relation.INHIBITS, "channel R"),
        (4, "channel R", Relation.STIMULATES, "secretion"),
    ]


def test_a_pronoun_is_the_nearest_combined_product() -> None:
    body = (
        "Alphazine is an antihistamine. It works by blocking receptor H. "
        "Betazine is a stimulant. It works by activating receptor B."
    )
    assert chain_of(body, "Alphazine + Betazine") == [
        (1, "Alphazine", Relation.INHIBITS, "receptor H"),
        (2, "Betazine", Relation.ACTIVATES, "receptor B"),
    ]
