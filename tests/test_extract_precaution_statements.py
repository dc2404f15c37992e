"""Which unstructured Precautions sentences state a warning (`states_nothing`), and the
one-warning-per-fact rule of a labelled block."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medkg.extract.precaution.statements import _words, states_nothing
from tests.test_extract_precautions import run


def nothing(sentence: str, drug: str = "Testadine") -> bool:
    return states_nothing(sentence, 0, len(sentence), drug)


@pytest.mark.parametrize(
    "sentence",
    [
        "This product may interact with certain other medicines.",
        "Possible drug interactions exist.",
        "Testadine can interact with many other drugs.",  # the drug's own name is no object
        "Close monitoring and perhaps dosage changes are needed.",
        "Your doctor should weigh the benefits against the risks.",
        "Interactions with other medicines are not well documented.",
        "Information on these populations is limited.",
        "Always follow the prescribed dosage instructions.",
        "Further precautions apply in these cases:",  # a lead-in
        "Pregnancy category A (usually considered safe).",
        # instructions, not warnings: a monitoring schedule, who administers, unnamed
        # medicines interacting with the drug, a drug no longer marketed, what to report
        "Regular checks of blood potassium may be necessary.",
        "Regular monitoring of liver function may be necessary.",
        "Periodic blood tests are recommended during treatment.",
        "The infusion should be given under the supervision of trained staff.",
        "Some medicines may interact with testadine acetate.",
        "Since testadine is no longer marketed, these precautions are of historical interest.",
        "Joint pain or swelling should be reported to your doctor promptly.",
    ],
)
def test_vague_meta_or_reassuring_sentences_state_nothing(sentence: str) -> None:
    assert nothing(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "The safety of testadine while breastfeeding is unknown.",  # names a population
        "Do not wrap the treated skin in an occlusive dressing.",
        "Patients should take extra calcium if their diet provides too little.",
        "Testadine can bind to antacids in the gut.",
        "It is not considered safe for use in pregnancy.",  # a denied reassurance warns
        "Close monitoring is essential, particularly in patients with a history of gout.",
        "Testadine was withdrawn from the market because of liver toxicity.",  # a reason
        "Stopping it suddenly should only be done under medical supervision.",
    ],
)
def test_specific_sentences_state_something(sentence: str) -> None:
    assert not nothing(sentence)


_COMMON = sorted(_words())


@given(
    st.lists(st.sampled_from(_COMMON), min_size=1, max_size=8),
    st.sampled_from(["glaucoma", "grapefruit", "hyperkalemia", "infants", "sunlight"]),
)
def test_one_specific_word_makes_a_sentence_specific(common: list[str], word: str) -> None:
    vague = " ".join(common).capitalize() + "."
    assert nothing(vague)
    assert not nothing(f"{vague[:-1]} {word}.")


def test_a_vague_sentence_is_a_plain_statement_not_a_warning() -> None:
    _, warnings, statements = run("Testadine may interact with other medications.", "Testadine")
    assert warnings == ()
    assert [s.kind for s in statements] == ["unstructured"]


def test_a_label_caution_makes_its_body_no_second_warning() -> None:
    body = "**Sun Exposure:** Skin may burn more easily in bright light."
    _, warnings, statements = run(body, "Testadine")
    assert [(w.kind, w.condition.text if w.condition else None) for w in warnings] == [
        ("caution", "Sun Exposure")
    ]
    assert [(s.kind, s.evidence.quote) for s in statements] == [("unstructured", body)]


def test_a_category_label_keeps_its_specific_body_as_a_statement() -> None:
    body = "**Other Precautions:** Testadine can lower white cell counts."
    _, warnings, _ = run(body, "Testadine")
    assert [(w.kind, w.evidence.quote) for w in warnings] == [("statement", body)]


def test_a_label_synonym_of_a_named_condition_gives_no_second_caution() -> None:
    body = "**Pregnancy and Lactation:** Caution is advised in breastfeeding mothers."
    _, warnings, _ = run(body, "Testadine")
    assert [(w.kind, w.condition.text if w.condition else None) for w in warnings] == [
        ("caution", "breastfeeding"),  # "breastfeeding mothers": their state
        ("caution", "Pregnancy"),
    ]


def test_an_aside_after_contraindicated_is_skipped() -> None:
    contraindications, warnings, _ = run(
        "Testadine is contraindicated (must not be used) in people with gout.", "Testadine"
    )
    assert [c.condition.text for c in contraindications] == ["gout"]
    assert warnings == ()


@pytest.mark.parametrize(
    ("body", "caution"),
    [
        ("**Pregnancy:** Whether it reaches the fetus is not known.", True),  # an unknown
        ("**Pregnancy:** No harm to the fetus is known.", False),  # a reassurance
    ],
)
def test_an_unknown_is_no_reassurance(body: str, caution: bool) -> None:
    _, warnings, _ = run(body, "Testadine")
    assert any(w.kind == "caution" for w in warnings) is caution


def test_a_risk_label_heads_risks_and_names_no_condition() -> None:
    body = "**Increased Risk:** Bruising and nosebleeds become more likely with aspirin."
    _, warnings, _ = run(body, "Testadine")
    assert [w.kind for w in warnings] == ["statement"]


def test_a_reason_after_comma_as_ends_the_condition() -> None:
    _, warnings, _ = run(
        "Use with caution in patients with gout, as testadine is cleared slowly.", "Testadine"
    )
    assert [w.condition.text for w in warnings if w.condition] == ["gout"]
