"""Linking by gloss (medkg.link): only a single parenthetical of a document about the
same drug names a concept; lists of signs and other drugs' documents lend nothing."""

from __future__ import annotations

from medkg.lexicon import bundled_lexicon
from medkg.link import Linker
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
