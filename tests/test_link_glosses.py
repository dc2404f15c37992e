"""Linking by gloss (medkg.link.linker): only a single parenthetical of a document about the
same drug names a concept; lists of signs and other drugs' documents lend nothing."""

from __future__ import annotations

from medkg.link.lexicon import bundled_lexicon
from medkg.link.linker import ConceptRef, Linker
from medkg.model import AdverseReactionFact, Document, DrugFact, Evidence, Extraction, Mention


def mention(text: str, document: str, glosses: tuple[str, ...] = ()) -> Mention:
    return Mention(text, Evidence(document, "Side Effects", text, 0, len(text)), glosses)


def about(document: str, drug: str, *terms: Mention) -> Extraction:
    doc = Document(source=document, format="monograph", text="", title=drug, sections=())
    name = mention(drug, document)
    return Extraction(
        document=doc,
        drugs=(DrugFact(name=name, evidence=name.evidence),),
        adverse_reactions=tuple(AdverseReactionFact(t, t.evidence) for t in terms),
    )


def test_gloss_of_a_document_about_the_same_drug_sets_the_concept() -> None:
    monograph = about("m.md", "Examplumab", mention("exampleitis", "m.md", ("sore toes",)))
    page = about("p.txt", "examplumab-abcd")
    ref = Linker(bundled_lexicon(), [monograph, page]).concept(mention("sore toes", "p.txt"))
    assert (ref.key, ref.basis) == ("exampleitis", "gloss")


def test_gloss_of_a_document_about_another_drug_is_not_used() -> None:
    monograph = about("m.md", "Examplumab", mention("exampleitis", "m.md", ("sore toes",)))
    other = about("o.md", "Otherumab")
    ref = Linker(bundled_lexicon(), [monograph, other]).concept(mention("sore toes", "o.md"))
    assert (ref.key, ref.basis) == ("sore-toe", "local")


def test_a_list_of_signs_is_not_a_gloss() -> None:
    page = about("p.txt", "Examplumab", mention("infusion reactions", "p.txt", ("itching", "rash")))
    monograph = about("m.md", "Examplumab")
    ref = Linker(bundled_lexicon(), [page, monograph]).concept(mention("rash", "m.md"))
    assert ref.basis != "gloss"
    assert ref.key != "infusion-reaction"


def own(text: str, gloss: str) -> Mention:
    return mention(text, "m.md", (gloss,))


def resolved(term: Mention) -> ConceptRef:
    return Linker(bundled_lexicon(), [about("m.md", "Examplumab", term)]).concept(term)


def test_a_terms_own_one_term_gloss_names_the_lexicon_concept() -> None:
    ref = resolved(own("raised pressure in the arteries", "hypertension"))
    assert (ref.label.lower(), ref.basis) == ("hypertension", "gloss")
    assert ref.identifiers and ref.basis_evidence is not None
    assert "glosses 'raised pressure in the arteries' as 'hypertension'" in ref.basis_source


def test_a_term_in_the_lexicon_keeps_its_own_concept_whatever_its_gloss() -> None:
    ref = resolved(own("nausea", "hypertension"))
    assert ref.label.lower() == "nausea"
    assert ref.basis == "lexicon"


def test_a_category_term_is_not_named_by_its_example() -> None:
    for term in ("kidney problems", "blood disorders", "skin reactions", "liver damage"):
        ref = resolved(own(term, "hypertension"))
        assert ref.basis == "local", term


def test_a_narrower_or_vaguer_term_is_not_named_by_its_gloss() -> None:
    for term in (
        "risk of raised pressure",
        "certain vessel troubles",
        "patients with vessel trouble",
    ):
        assert resolved(own(term, "hypertension")).basis == "local", term


def test_a_described_listed_or_joined_gloss_names_nothing() -> None:
    for term, gloss in (
        ("vessel trouble", "a hypertension"),
        ("vessel trouble", "hypertension or tachycardia"),
        ("vessel trouble", "e.g. hypertension"),
        ("vessel trouble/heart trouble", "hypertension"),
    ):
        assert resolved(own(term, gloss)).basis == "local", (term, gloss)


def test_two_glosses_name_nothing() -> None:
    term = mention("vessel trouble", "m.md", ("hypertension", "tachycardia"))
    assert resolved(term).basis == "local"


def test_a_gloss_lent_by_another_document_follows_the_terms_own_gloss() -> None:
    monograph = about("m.md", "Examplumab", own("raised pressure in the arteries", "hypertension"))
    page = about("p.txt", "examplumab-abcd")
    linker = Linker(bundled_lexicon(), [monograph, page])
    lent = linker.concept(mention("hypertension", "p.txt"))
    assert lent.key == linker.concept(own("raised pressure in the arteries", "hypertension")).key
