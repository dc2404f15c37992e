"""Drug identifiers at scale: scripts/drug_dictionary.py's rules, the table's reader, the
lexicon's fallback order, and what a built graph says about a drug the dictionary names."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from functools import lru_cache
from pathlib import Path
from types import ModuleType

import pytest
from rdflib import Graph, Literal, Namespace, URIRef

from medkg import build
from medkg.errors import ResourceMissing
from medkg.link.drug_dictionary import DRUG_DICTIONARY, DrugDictionary
from medkg.link.lexicon import bundled_lexicon, load_lexicon

ROOT = Path(__file__).resolve().parent.parent
TERMINOLOGY = ROOT / "data" / "terminology"
MEDKG = Namespace("https://w3id.org/medkg/vocab#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DRUGBANK = "http://identifiers.org/drugbank/"


@lru_cache(maxsize=1)
def generator() -> ModuleType:
    path = ROOT / "scripts" / "drug_dictionary.py"
    spec = importlib.util.spec_from_file_location("drug_dictionary_script", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["drug_dictionary_script"] = module
    spec.loader.exec_module(module)
    return module


# An invented dictionary, shaped as the package's pickle is.
TABLE = {
    "drug_variant_to_canonical": {
        "examplumab": ["examplumab"],
        "examplumab-xyzw": ["examplumab"],  # an FDA suffix: the same key
        "exampla": ["examplumab"],  # a brand
        "testadine": ["testadine"],
        "testadine  tablets": ["testadine"],  # white space in a name is made one space
        "testadine tablet": ["testadine"],  # a singular is another spelling, not the same key
        "duo": ["duomab"],
        "duo.": ["duotine"],  # same key as "duo" (punctuation), another drug: ambiguous
        "nodbine": ["nodbine"],  # no DrugBank id: left out
    },
    "drug_canonical_to_data": {
        "examplumab": {"name": "Examplumab", "drugbank_id": "DB90001", "mesh_id": "D000001"},
        "testadine": {"name": "Testadine", "drugbank_id": "DB90002"},
        "duomab": {"name": "Duomab", "drugbank_id": "DB90003"},
        "duotine": {"name": "Duotine", "drugbank_id": "DB90004"},
        "nodbine": {"name": "Nodbine", "mesh_id": "D000002"},
    },
}


def test_rows_are_drugbank_ids_by_drug_key_and_ambiguous_keys_are_left_out() -> None:
    kept, ambiguous = generator().rows(TABLE)
    assert kept == {
        "examplumab": ("DB90001", "Examplumab", "examplumab"),
        "exampla": ("DB90001", "Examplumab", "exampla"),
        "testadine": ("DB90002", "Testadine", "testadine"),
        "testadine tablet": ("DB90002", "Testadine", "testadine tablet"),
        "testadine tablets": ("DB90002", "Testadine", "testadine tablets"),
    }
    assert ambiguous == 1


def test_the_rendered_table_is_read_back_with_its_source(tmp_path: Path) -> None:
    kept, ambiguous = generator().rows(TABLE)
    path = tmp_path / DRUG_DICTIONARY
    path.write_text(generator().render(kept, ambiguous, "9.9.9"), encoding="utf-8")
    read = DrugDictionary(path)
    assert read.drugs["exampla"].drugbank == "DB90001"
    assert read.drugs["testadine tablets"].matched == "testadine tablets"
    assert read.release == "drug-named-entity-recognition 9.9.9"
    assert read.source(read.drugs["exampla"]) == (
        "drug-named-entity-recognition 9.9.9 offline dictionary: 'exampla' is Examplumab (DB90001)"
    )
    assert "D000001" not in path.read_text(encoding="utf-8")  # MeSH classes are not taken


def test_a_file_that_is_not_a_drug_dictionary_is_refused(tmp_path: Path) -> None:
    path = tmp_path / DRUG_DICTIONARY
    path.write_text("# x: y\nkey\tother\n", encoding="utf-8")
    with pytest.raises(ResourceMissing, match="not a drug dictionary"):
        _ = DrugDictionary(path).drugs
    with pytest.raises(ResourceMissing, match="drug dictionary missing"):
        _ = DrugDictionary(tmp_path / "absent.tsv").drugs


def test_curated_rows_win_then_the_dictionary_then_nothing() -> None:
    lexicon = bundled_lexicon()
    curated = lexicon.drug_identifiers("Romosozumab-aqqg")
    assert {i.scheme for i in curated} == {"ATC", "DrugBank"}
    assert all("verified.csv" in i.source for i in curated)
    for spelled in ("Burosumab", "burosumab-twza", " BUROSUMAB "):
        (found,) = lexicon.drug_identifiers(spelled)
        assert (found.scheme, found.id, found.quality, found.match) == (
            "DrugBank",
            "DB14012",
            "B",
            "exactMatch",
        )
        assert found.source.startswith("drug-named-entity-recognition ")
    assert lexicon.drug_identifiers("Examplumab") == ()


def test_a_name_matches_only_as_written_never_fuzzily() -> None:
    """A plural, a dropped letter or a near spelling names no dictionary drug, even where
    medkg's own drug key would fold it (plurals)."""
    lexicon = bundled_lexicon()
    assert lexicon.drug_identifiers("Burosumabs") == ()
    assert lexicon.drug_identifiers("Burosumb") == ()
    assert lexicon.drug_identifiers("Ibuprofen") != ()
    assert lexicon.drug_identifiers("Ibuprofens") == ()


def test_a_lexicon_folder_without_the_dictionary_identifies_no_more_drugs(tmp_path: Path) -> None:
    folder = tmp_path / "terminology"
    shutil.copytree(TERMINOLOGY, folder)
    (folder / DRUG_DICTIONARY).unlink()
    lexicon = load_lexicon(folder)
    assert lexicon.drug_identifiers("Burosumab") == ()
    assert lexicon.fingerprint != bundled_lexicon().fingerprint


def test_a_built_drug_carries_its_dictionary_id_with_where_it_was_confirmed(
    tmp_path: Path,
) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    shutil.copy(ROOT / "tests" / "fixtures" / "corpus" / "monographs" / "burosumab.md", sources)
    build([sources], tmp_path / "dist")
    graph = Graph().parse(tmp_path / "dist" / "medkg.ttl")
    drug = URIRef("https://w3id.org/medkg/id/drug/burosumab")
    assert set(graph.objects(drug, SKOS.exactMatch)) == {URIRef(DRUGBANK + "DB14012")}
    (mapping,) = graph.subjects(MEDKG.mappedNode, drug)
    assert graph.value(mapping, MEDKG.confirmationQuality) == Literal("B")
    confirmed = str(graph.value(mapping, MEDKG.confirmedIn))
    assert confirmed.startswith("drug-named-entity-recognition ") and "'burosumab'" in confirmed
    # only drugs: no concept (reaction, condition) gets a DrugBank id
    assert {s for s, o in graph.subject_objects(SKOS.exactMatch) if DRUGBANK in str(o)} == {drug}


def test_a_broken_row_is_named_by_its_line(tmp_path: Path) -> None:
    path = tmp_path / DRUG_DICTIONARY
    path.write_text(
        "# source: x 1\nkey\tdrugbank\tname\tmatched\nok\tDB1\tOk\tok\nbroken\tDB2\n",
        encoding="utf-8",
    )
    with pytest.raises(ResourceMissing, match=r"drug-dictionary.tsv:4: 2 tab-separated fields"):
        _ = DrugDictionary(path).drugs
