"""Whose effect: an increase or decrease is the drug's only when the drug (or what stands for
it) is the clause's subject, or the effect is stated as the result of the drug's action."""

from __future__ import annotations

import pytest

from medkg.extract.mechanism import extract_mechanism
from medkg.parse.monograph import parse

Effect = tuple[str, str]


def _effects(body: str, drug: str = "Testadine") -> list[Effect]:
    text = (
        f"---\nlayout: minimal-medicine\ntitle: {drug}\n---\n\n# {drug}\n"
        f"### Generic Name\n{drug}\n\n### How it Works\n{body}\n"
    )
    document = parse(text, "test.md")
    section = next(s for s in document.sections if s.name == "How it Works")
    _, effects, _ = extract_mechanism(document, section, drug)
    return [(e.direction, e.effect.text) for e in effects]


@pytest.mark.parametrize(
    "body",
    [
        # another entity is the subject
        "Histamine increases vascular permeability.",
        "Examplin raises the secretion of gastric acid.",
        # a longer name that contains the drug's is another substance
        "Northestadine raises the secretion of gastric acid.",
        # an agent named after "by"
        "Increased activation of receptor Q by examplin raises vessel tone.",
        # what a blocked object does unopposed
        "Testadine blocks examplin, a hormone that raises glucose output.",
        "Testadine binds protein P, a kinase that increases vessel tone.",
    ],
)
def test_an_effect_of_another_subject_is_not_the_drugs(body: str) -> None:
    assert not [e for e in _effects(body) if e[1] != "examplin"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Testadine lowers vessel tone.", [("decrease", "vessel tone")]),
        ("It raises gut motility.", [("increase", "gut motility")]),
        (
            "Testadine inhibits enzyme Q, which leads to an increase in cyclic AMP.",
            [("increase", "cyclic AMP")],
        ),
        (
            "Testadine activates receptor R, which increases kinase K activity.",
            [("increase", "kinase K activity")],
        ),
        (
            "Testadine raises the output of examplin, a hormone that lowers vessel tone.",
            [("increase", "output of examplin"), ("decrease", "vessel tone")],
        ),
        ("Its coating lowers gut motility.", [("decrease", "gut motility")]),
        ("Testadine's coating lowers gut motility.", [("decrease", "gut motility")]),
        (
            "It works in two ways: it lowers gut motility.",
            [("decrease", "gut motility")],
        ),
        (
            "Testadine binds receptor R. Stimulating these receptors raises cyclic AMP.",
            [("increase", "cyclic AMP")],
        ),
        (
            "Testadine prevents the formation of examplin. Reducing examplin lowers vessel tone.",
            [("decrease", "vessel tone")],
        ),
        (
            "Testadine causes vasodilation. The vasodilation lowers vessel tone.",
            [("decrease", "vessel tone")],
        ),
        (
            "By blocking enzyme Q, testadine lessens the production of examplin.",
            [("decrease", "production of examplin")],
        ),
        (
            "Testadine binds enzyme Q. Blocking enzyme Q raises the output of examplin.",
            [("increase", "output of examplin")],
        ),
        (
            "Testadine is converted to testadol. Testadol lowers vessel tone.",
            [("decrease", "vessel tone")],
        ),
        (
            "Testadine releases testadol in the gut. Testadol lowers vessel tone.",
            [("decrease", "vessel tone")],
        ),
        ("The combination lowers triglyceride levels.", [("decrease", "triglyceride levels")]),
        # a change on what the drug acts on, stated before: the drug's result
        (
            "Testadine raises cyclic AMP. Increased cyclic AMP reduces vessel tone.",
            [("increase", "cyclic AMP"), ("decrease", "vessel tone")],
        ),
        (
            "Testadine suppresses examplin. The sustained suppression of examplin leads to a "
            "reduction in gland output.",
            [("decrease", "gland output")],
        ),
        # a demonstrative right after the drug's own effect refers back to it
        (
            "Testadine raises the secretion of bile. This increased secretion lowers gut motility.",
            [("increase", "secretion of bile"), ("decrease", "gut motility")],
        ),
        # the drug's own clause, its verb unread, then a relative clause: the drug's result
        (
            "It takes part in a reaction that lowers the amount of testol in cells.",
            [("decrease", "testol in cells")],
        ),
        # "This" after a sentence speaking of the drug refers back to its action
        (
            "Testadine coats the lining of the gut. This reduces friction.",
            [("decrease", "friction")],
        ),
        (
            "It relaxes the wall of vessels. This relaxation lowers vessel tone.",
            [("decrease", "vessel tone")],
        ),
        ("Testadine is an agent that lowers gut motility.", [("decrease", "gut motility")]),
        (
            "Testadine is a diuretic. This means it raises the output of urine.",
            [("increase", "output of urine")],
        ),
        (
            "Testadine activates PPQ receptors (PPQRs). Activation of PPQRs leads to a decrease "
            "in triglyceride output.",
            [("decrease", "triglyceride output")],
        ),
        (
            "Testadine inhibits enzyme Q, which results in lower levels of examplin.",
            [("decrease", "examplin")],
        ),
    ],
)
def test_an_effect_of_the_drug_or_its_action_is_kept(body: str, expected: list[Effect]) -> None:
    assert _effects(body) == expected


def test_a_name_with_a_trailing_qualifier_is_the_drug() -> None:
    body = "By blocking enzyme Q, testadine lessens the output of examplin."
    assert _effects(body, drug="Testadine (Systemic)") == [("decrease", "output of examplin")]


def test_a_labelled_component_described_with_a_relative_clause_acts() -> None:
    body = "* **Testadine:** This is a gel-forming agent that reduces the stickiness of mucus."
    assert _effects(body, drug="Testadine + Examplin") == [("decrease", "stickiness of mucus")]


def test_they_in_a_labelled_body_are_the_labelled_components() -> None:
    body = "* **Testadine:** These are salts of one base. They work by lowering gut motility."
    assert _effects(body, drug="Testadine + Examplin") == [("decrease", "gut motility")]


def test_a_constituent_named_like_the_drug_is_the_drug() -> None:
    body = "Examplic acid enhances iron uptake."
    assert _effects(body, drug="Ferrous Examplate") == [("increase", "iron uptake")]


def test_an_outcome_after_an_effect_keeps_the_effects_evidence() -> None:
    body = (
        "* Testadine lowers the resistance of vessels.\n"
        "* By reducing fluid volume, the blood pressure decreases."
    )
    text = (
        "---\nlayout: minimal-medicine\ntitle: Testadine\n---\n\n# Testadine\n"
        f"### Generic Name\nTestadine\n\n### How it Works\n{body}\n"
    )
    document = parse(text, "test.md")
    section = next(s for s in document.sections if s.name == "How it Works")
    _, effects, _ = extract_mechanism(document, section, "Testadine")
    assert [e.evidence.quote for e in effects] == ["lowers the resistance of vessels"]


@pytest.mark.parametrize(
    "body",
    [
        # ", which <verb>" after an opposing step says what the object does: the drug's own
        # effect would be the opposite, which is not inferred
        "Testadine inhibits enzyme Q, which increases vessel tone.",
        "Testadine blocks receptor R in the gut, which reduces the output of examplin.",
        "Testadine binds enzyme Q, which raises vessel tone.",
        "Testadine lowers examplin, which raises vessel tone.",
        "Testadine blocks enzyme Q, which causes an increase in vessel tone.",
        # a change or process with nothing the drug acts on: whose, the text does not say
        "Increased cyclic AMP reduces vessel tone.",
        "The sustained suppression of examplin leads to a reduction in gland output.",
        "Testadine raises examplin levels. Increased cortisol levels reduce vessel tone.",
        # an unresolved demonstrative, with no step of the drug before it to refer back to
        "This increased secretion lowers gut motility.",
        "These hormones lower gut motility.",
        "Examplin is a hormone that lowers gut motility.",
        # "This" after a sentence about something else, or a demonstrative naming an entity
        "The illness depletes examplin in nerves. This reduces movement.",
        "Testadine blocks enzyme Q. Enzyme Q breaks down testol. These hormones lower tone.",
        "Testadine may coat the gut. This reduces friction.",
        "Examplin binds receptor R. This increased secretion lowers gut motility.",
    ],
)
def test_an_effect_whose_owner_the_text_leaves_open_is_not_the_drugs(body: str) -> None:
    # (the drug's own effect in the first clause, "lowers examplin", stays)
    assert [e for e in _effects(body) if e[1] not in ("examplin", "examplin levels")] == []


@pytest.mark.parametrize(
    ("subject", "drug"),
    [
        # a name spelled alike is another drug
        ("Examplone", "Examplolone"),
        ("Examplyne", "Examplyn"),
        # a salt or form word in common makes no constituent
        ("Sodium testate", "Examplin Sodium"),
        ("Testadine hydrochloride", "Examplin Hydrochloride"),
        ("Extended testadine", "Examplin Extended Release"),
    ],
)
def test_a_name_alike_or_sharing_a_salt_word_is_not_the_drug(subject: str, drug: str) -> None:
    body = f"{subject} raises the output of testol."
    assert _effects(body, drug=drug) == []


def test_the_constituent_of_an_acid_salt_shares_its_name() -> None:
    body = "Examplous acid lowers the output of testol."
    assert _effects(body, drug="Ferrous Examplite") == [("decrease", "output of testol")]


def test_an_adverb_opening_a_labelled_item_leaves_the_label_the_subject() -> None:
    body = "* **Testadine:** Primarily works by lowering gut motility."
    assert _effects(body, drug="Testadine + Examplin") == [("decrease", "gut motility")]
