"""Concept labels keep the capitals that carry meaning (CD20, hepatitis B), decided by the
shape of each word so that every cluster gives a concept the same label; IRIs and matching
stay case-insensitive."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import SKOS

from medkg.graph.labels import display_label
from medkg.pipeline.build import build
from medkg.query import load_store, named_queries, run_query

from .conftest import FIXTURES


@pytest.mark.parametrize(
    ("key", "label"),
    [
        ("cd20", "CD20"),
        ("hepatitis b reactivation", "hepatitis B reactivation"),
        ("cyp2d6 ultra rapid metabolizer", "CYP2D6 ultra rapid metabolizer"),
        ("vitamin d deficiency", "vitamin D deficiency"),
        ("factor viii", "factor VIII"),
        ("bipolar i disorder", "bipolar I disorder"),
        ("b cell", "B cell"),
        ("headache", "headache"),
        ("a severe reaction", "a severe reaction"),  # the article
        ("28 g dl", "28 g dl"),  # a unit after a number
        ("lactate above 8 mmol l", "lactate above 8 mmol l"),  # a unit after a unit
        ("2nd line", "2nd line"),  # an ordinal
        ("50s subunit", "50s subunit"),
        ("11beta hsd2", "11beta HSD2"),  # a Greek letter's name is not a symbol
        ("il α", "il α"),  # nor is a Greek letter
        ("tnf α", "TNF α"),  # a listed abbreviation is
        ("5q deletion", "5q deletion"),  # a chromosome arm
        ("qtc above 500ms", "qtc above 500ms"),  # an amount with its unit
        ("40kd protein", "40kd protein"),
        ("tc 99m", "tc 99m"),  # a metastable isotope
        ("dose per mg m2", "dose per mg m2"),  # a unit after a unit
        ("canonical Wnt signaling pathway", "canonical Wnt signaling pathway"),  # kept
    ],
)
def test_display_label(key: str, label: str) -> None:
    assert display_label(key) == label


def test_ocrelizumab_labels_keep_their_capitals_and_match_in_any_case(tmp_path: Path) -> None:
    corpus = FIXTURES / "corpus"
    out = tmp_path / "out"
    build([corpus / "monographs" / "ocrelizumab.md", corpus / "hcpcs" / "J2350.txt"], out)
    graph = Graph().parse(out / "medkg.ttl")
    labels = {str(o) for o in graph.objects(None, SKOS.prefLabel)}
    assert {"CD20", "hepatitis B virus reactivation"} <= labels
    assert not {"cd20", "hepatitis b virus reactivation"} & labels
    assert (None, SKOS.prefLabel, Literal("CD20")) in graph
    concept = next(graph.subjects(SKOS.prefLabel, Literal("CD20")))
    assert str(concept).endswith("/concept/cd20")  # the IRI is the lower-case key
    store = load_store(out)
    for asked in ("hepatitis b virus reactivation", " HEPATITIS B virus  reactivation"):
        rows = run_query(store, named_queries()["adverse-reactions"], {"reaction": asked})
        concepts = {(r["drug"], r["concept"]) for r in rows.values()}
        assert concepts == {("Ocrelizumab", "hepatitis B virus reactivation")}, asked


def test_listed_abbreviations_are_written_as_listed() -> None:
    from medkg.graph.labels import abbreviations, display_label

    assert display_label("hiv infection") == "HIV infection"
    assert display_label("nsaid induced ulcer") == "NSAID induced ulcer"
    assert display_label("copd exacerbation") == "COPD exacerbation"
    assert display_label("all cause mortality") == "all cause mortality"  # a word stays one
    assert display_label("Already Capitalised hiv") == "Already Capitalised hiv"
    for word, written in abbreviations().items():
        assert word == written.lower() and " " not in word
