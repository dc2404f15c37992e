"""Linking: drug names across documents, concepts by gloss, lexicon and site reactions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from medkg.graph.derived import content_words, convert
from medkg.link.lexicon import bundled_lexicon
from medkg.link.linker import Linker, drug_key, strip_fda_suffix
from medkg.model import AdverseReactionFact, Document, DrugFact, Evidence, Extraction, Mention


def mention(text: str, document: str, glosses: tuple[str, ...] = ()) -> Mention:
    return Mention(text, Evidence(document, "Side Effects", text, 0, len(text)), glosses)


def extraction(document: str, *terms: Mention, drug: str | None = "Examplumab") -> Extraction:
    """A document about `drug` (None: about no drug) stating `terms` as adverse reactions."""
    doc = Document(source=document, format="monograph", text="", title="", sections=())
    drugs = ()
    if drug is not None:
        name = mention(drug, document)
        drugs = (DrugFact(name=name, evidence=name.evidence),)
    return Extraction(
        document=doc,
        drugs=drugs,
        adverse_reactions=tuple(AdverseReactionFact(t, t.evidence) for t in terms),
    )


PAGE = extraction("page.txt", drug="examplumab-abcd")


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("romosozumab-aqqg", "romosozumab"),
        ("Burosumab-twza", "burosumab"),
        ("ocrelizumab", "ocrelizumab"),
        ("Paracetamol + Codeine", "paracetamol-codeine"),
        ("co-trimoxazole", "co-trimoxazole"),  # not a four-letter suffix
    ],
)
def test_drug_keys(name: str, key: str) -> None:
    assert drug_key(name) == key


def test_suffix_needs_exactly_four_lowercase_letters() -> None:
    assert strip_fda_suffix("x-abcd") == "x"
    assert strip_fda_suffix("x-abc") == "x-abc"
    assert strip_fda_suffix("x-ABCD") == "x-ABCD"


def test_gloss_in_another_document_sets_the_concept() -> None:
    monograph = extraction(
        "m.md", mention("acute myocardial infarction", "m.md", ("heart attack",))
    )
    linker = Linker(bundled_lexicon(), [monograph, PAGE])
    ref = linker.concept(mention("heart attack", "page.txt"))
    assert ref.key == "acute-myocardial-infarction"
    assert ref.basis == "gloss"
    assert "m.md" in ref.basis_source


@pytest.mark.parametrize(("lender", "taker"), [("Examplumab", None), (None, "examplumab-abcd")])
def test_a_document_about_no_drug_neither_lends_nor_takes_glosses(
    lender: str | None, taker: str | None
) -> None:
    monograph = extraction(
        "m.md", mention("acute myocardial infarction", "m.md", ("heart attack",)), drug=lender
    )
    page = extraction("page.txt", drug=taker)
    ref = Linker(bundled_lexicon(), [monograph, page]).concept(mention("heart attack", "page.txt"))
    assert (ref.key, ref.basis) == ("myocardial-infarction", "lexicon")


def test_gloss_is_not_applied_inside_its_own_document() -> None:
    monograph = extraction(
        "m.md", mention("acute myocardial infarction", "m.md", ("heart attack",))
    )
    linker = Linker(bundled_lexicon(), [monograph])
    ref = linker.concept(mention("heart attack", "m.md"))
    assert ref.basis == "lexicon"  # HPO synonym of myocardial infarction
    assert ref.key == "myocardial-infarction"


def test_descriptive_gloss_does_not_merge_different_concepts() -> None:
    monograph = extraction("m.md", mention("angioedema", "m.md", ("severe allergic reaction",)))
    linker = Linker(bundled_lexicon(), [monograph])
    assert linker.concept(mention("allergic reactions", "p.txt")).key == "hypersensitivity-reaction"


def test_site_reaction_by_its_signs() -> None:
    monograph = extraction("m.md", mention("Injection site reactions", "m.md", ("pain", "redness")))
    linker = Linker(bundled_lexicon(), [monograph, extraction("p.txt")])
    ref = linker.concept(mention("mild pain or redness at the injection site", "p.txt"))
    assert (ref.key, ref.basis) == ("injection-site-reaction", "site-reaction")
    other = linker.concept(mention("swelling at the injection site", "p.txt"))
    assert other.basis == "local"  # swelling is not among the signs named


def test_unknown_terms_stay_local_without_identifiers() -> None:
    linker = Linker(bundled_lexicon(), [])
    ref = linker.concept(mention("Cardiac disorders", "m.md"))
    assert (ref.key, ref.label, ref.identifiers, ref.basis) == (
        "cardiac-disorder",
        "cardiac disorder",
        (),
        "local",
    )


def test_routes() -> None:
    linker = Linker(bundled_lexicon(), [])
    ref = linker.route(mention("subcutaneously", "m.md"))
    assert ref is not None and ref.key == "subcutaneous-route"
    assert [i.curie for i in ref.identifiers] == ["SNOMEDCT:34206005"]
    oral = linker.route(mention("by mouth", "m.md"))
    assert oral is not None and [i.curie for i in oral.identifiers] == ["SNOMEDCT:26643006"]
    iv = linker.route(mention("IV", "m.md"))
    assert iv is not None and (iv.key, iv.basis) == ("intravenous-route", "lexicon")
    assert "routes.csv" in iv.basis_source
    # no route without a code is given one; a word the vocabulary lacks has no concept at all
    epidural = linker.route(mention("epidurally", "m.md"))
    assert epidural is not None and epidural.identifiers == ()
    assert linker.route(mention("intraosseous", "m.md")) is None
    assert linker.route(mention("iv", "m.md")) is None  # "IV" is matched as written only


@pytest.mark.parametrize(
    ("value", "unit", "target", "expected"),
    [
        ("210", "mg", "mg", "210"),
        ("1", "g", "mg", "1000"),
        ("500", "ug", "mg", "0.5"),
        ("12", "mo", "mo", "12"),
        ("1", "a", "mo", "12"),
        ("2", "wk", "d", "14"),
    ],
)
def test_exact_unit_conversions(value: str, unit: str, target: str, expected: str) -> None:
    assert convert(Decimal(value), unit, target) == Decimal(expected)


@pytest.mark.parametrize(("unit", "target"), [("mo", "wk"), ("mg", "mL"), ("mg/kg", "mg")])
def test_inexact_or_incommensurable_units_are_not_converted(unit: str, target: str) -> None:
    assert convert(Decimal(1), unit, target) is None


def test_content_words_ignore_framing_words() -> None:
    assert content_words("History of osteoporotic fractures") == {
        "history",
        "osteoporotic",
        "fracture",
    }
