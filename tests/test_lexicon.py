"""The lexicon is curated data: these tests fail when it is not in canonical form."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from medkg.link.lexicon import SCHEME_IRIS, bundled_lexicon, load_lexicon

TERMINOLOGY = Path(__file__).resolve().parent.parent / "data" / "terminology"

ID_PATTERNS = {
    "UniProtKB": r"[OPQ][0-9][A-Z0-9]{3}[0-9]|[A-NR-Z][0-9][A-Z][A-Z0-9]{2}[0-9]",
    "HGNC": r"HGNC:\d+",
    "NCBIGene": r"\d+",
    "GO": r"GO:\d{7}",
    "HP": r"HP:\d{7}",
    "MONDO": r"MONDO:\d{7}",
    "Reactome": r"R-HSA-\d+",
    "SNOMEDCT": r"\d{6,18}",
    "ATC": r"[A-Z]\d{2}[A-Z]{2}\d{2}",
    "DrugBank": r"DB\d{5}",
}


def rows(name: str) -> list[dict[str, str]]:
    with (TERMINOLOGY / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("row", rows("identifiers.csv"), ids=lambda r: f"{r['scheme']}:{r['id']}")
def test_identifier_rows_are_complete(row: dict[str, str]) -> None:
    assert row["scheme"] in SCHEME_IRIS
    assert re.fullmatch(ID_PATTERNS[row["scheme"]], row["id"]), row["id"]
    assert row["source"].strip(), "every identifier says where it was confirmed"
    assert row["quality"] in {"A", "B"}
    assert row["match"] in {"exactMatch", "closeMatch", "broadMatch", "narrowMatch"}
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", row["concept"])


def test_identifiers_are_unique() -> None:
    keys = [(r["scheme"], r["id"], r["concept"]) for r in rows("identifiers.csv")]
    assert len(keys) == len(set(keys))


def test_synonyms_have_sources_and_known_concepts() -> None:
    concepts = {r["concept"] for r in rows("identifiers.csv")}
    for row in rows("synonyms.csv"):
        assert row["concept"] in concepts
        assert row["source"].strip()


def test_lookup_is_exact_after_normalisation() -> None:
    lexicon = bundled_lexicon()
    entry = lexicon.lookup("Joint Pains")
    assert entry is not None and entry.concept == "arthralgia"
    assert [i.curie for i in entry.identifiers] == ["HP:0002829"]
    assert lexicon.lookup("joint") is None  # no partial or fuzzy matches
    assert lexicon.lookup("pain in the joints") is None


def test_identifier_iris() -> None:
    lexicon = bundled_lexicon()
    iris = {i.curie: i.iri for ids in lexicon.identifiers.values() for i in ids}
    assert iris["HP:0002829"] == "http://purl.obolibrary.org/obo/HP_0002829"
    assert iris["UniProtKB:Q9BQB4"] == "http://purl.uniprot.org/uniprot/Q9BQB4"
    assert iris["SNOMEDCT:34206005"] == "http://snomed.info/id/34206005"


def test_unknown_synonym_concept_is_an_error(tmp_path: Path) -> None:
    for name in ("identifiers.csv", "routes.csv"):
        (tmp_path / name).write_text(
            (TERMINOLOGY / name).read_text(encoding="utf-8"), encoding="utf-8"
        )
    (tmp_path / "synonyms.csv").write_text(
        "concept,synonym,source\nnope,thing,x\n", encoding="utf-8"
    )
    with pytest.raises(
        Exception, match=r"synonyms\.csv: synonym 'thing' names unknown concept 'nope'"
    ):
        load_lexicon(tmp_path)


@pytest.mark.parametrize(
    ("term", "curie"),
    [
        ("nausea", "HP:0002018"),
        ("Vomiting", "HP:0002013"),
        ("constipation", "HP:0002019"),
        ("cough", "HP:0012735"),
        ("diarrhoea", "HP:0002014"),
        ("depression", "HP:0000716"),
        ("back pain", "HP:0003418"),
        ("myalgia", "HP:0003326"),
        ("muscle pain", "HP:0003326"),
        ("vertigo", "HP:0002321"),
    ],
)
def test_hpo_fallback_maps_reactions(term: str, curie: str) -> None:
    entry = bundled_lexicon().lookup(term)
    assert entry is not None
    assert [i.curie for i in entry.identifiers] == [curie]
    assert entry.identifiers[0].source.startswith("HPO ")
    assert entry.match_source == entry.identifiers[0].source


@pytest.mark.parametrize(
    "term",
    [
        "cardiac disorders",  # no HPO name says so
        "dizziness",  # only a RELATED synonym of Vertigo in HPO
        "upper respiratory tract infections",  # EXACT synonym of *Recurrent* URTI: dropped
        "skin infection",  # rejected: broader than Cellulitis
        "severe",  # a clinical modifier, not a phenotypic abnormality
        "autosomal dominant inheritance",
    ],
)
def test_hpo_fallback_maps_nothing_else(term: str) -> None:
    assert bundled_lexicon().lookup(term) is None


def test_curated_rows_win_over_hpo() -> None:
    lexicon = bundled_lexicon()
    rash = lexicon.lookup("rash")  # HPO EXACT synonym of Skin rash, a curated concept
    assert rash is not None and rash.concept == "skin-rash"
    assert "verified.csv" in rash.identifiers[0].source
    assert [i.curie for i in lexicon.identifiers["skin-rash"]] == ["HP:0000988"]
    hpo_only = lexicon.identifiers.get("nausea")
    assert hpo_only is not None and [i.curie for i in hpo_only] == ["HP:0002018"]
    assert lexicon.identifiers.get("cardiac-disorder") is None


DESCRIPTOR_KINDS = ["opening", "qualifier", "form", "route", "unit", "filler"]


def test_descriptor_words_are_canonical() -> None:
    """descriptor-words.csv: one lower-case word a row, a known kind, sorted by kind
    (in DESCRIPTOR_KINDS order) then word, each word once. (Never a drug name: the code
    page extractor reads every other word of a drug descriptor as a possible drug.)"""
    table = rows("descriptor-words.csv")
    words = [r["word"] for r in table]
    assert len(words) == len(set(words))
    for row in table:
        assert re.fullmatch(r"[a-z]+(?:-[a-z]+)*", row["word"]), row
        assert row["kind"] in DESCRIPTOR_KINDS, row
    keys = [(DESCRIPTOR_KINDS.index(r["kind"]), r["word"]) for r in table]
    assert keys == sorted(keys)
