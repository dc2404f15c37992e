"""Answers that stand alone: the competency queries print frequency bands and mechanism
relations as words ("common", "inhibits"), never as vocabulary IRIs (``medkg:Common``), and
those words are the vocabulary's own labels."""

from __future__ import annotations

import re

import pyoxigraph
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from medkg.namespaces import MEDKG
from medkg.query import named_queries

from .conftest import ROOT, SeedAnswers
from .reference_store import SLOW_IN_RDFLIB

VOCAB = str(MEDKG)
RULE = re.compile(r"BIND\((LCASE\(REPLACE\(STRAFTER\(STR\(\?relation_node\).*?) AS \?relation\)")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ROOT / "ontology" / "medkg.ttl")


def concepts_of(ontology: Graph, scheme: URIRef) -> dict[URIRef, str]:
    return {
        concept: str(ontology.value(concept, SKOS.prefLabel))
        for concept in ontology.objects(scheme, SKOS.hasTopConcept)
        if isinstance(concept, URIRef)
    }


def test_the_relation_rule_of_every_query_gives_each_relations_label(ontology: Graph) -> None:
    """The local-name-in-words rule the queries use is the prefLabel of every relation and
    direction of the vocabulary, in both engines."""
    relations = concepts_of(ontology, MEDKG.MechanismRelations)
    directions = concepts_of(ontology, MEDKG.EffectDirections)
    assert len(relations) >= 20 and len(directions) == 2
    rules = {
        rule
        for name in ("mechanism", "drugs-by-target", "drugs-by-pathway")
        for rule in RULE.findall(named_queries()[name].text)
    }
    assert len(rules) == 1  # one rule, the same everywhere
    (rule,) = rules
    for concept, label in {**relations, **directions}.items():
        text = f"SELECT ({rule} AS ?label) WHERE {{ BIND(<{concept}> AS ?relation_node) }}"
        in_oxigraph = next(iter(pyoxigraph.Store().query(text)))["label"]  # type: ignore[call-overload,index]
        in_rdflib = next(iter(Graph().query(text)))[0]  # type: ignore[index]
        assert (str(in_oxigraph.value), str(in_rdflib)) == (label, label), concept


def test_the_band_names_of_adverse_reactions_are_the_bands_labels(ontology: Graph) -> None:
    text = named_queries()["adverse-reactions"].text
    table = dict(re.findall(r"\(medkg:(\w+) \"([^\"]+)\"\)", text))
    bands = {str(c).removeprefix(VOCAB): label for c, label in concepts_of(
        ontology, MEDKG.FrequencyBands).items()}  # fmt: skip
    assert table.keys() == bands.keys()
    # the band "not known" reads "frequency not known" on its own in a row
    assert {k: v for k, v in table.items() if k != "FrequencyNotKnown"} == {
        k: v for k, v in bands.items() if k != "FrequencyNotKnown"
    }
    assert table["FrequencyNotKnown"] == "frequency " + bands["FrequencyNotKnown"]


@pytest.mark.parametrize("engine", SeedAnswers.ENGINES)
def test_no_answer_prints_a_vocabulary_iri_for_a_band_or_relation(
    seed_answers: SeedAnswers, engine: str
) -> None:
    """Every competency query on the seeds: bands and relations are words; only the
    evidence query, which lists the triples themselves, names vocabulary terms."""
    for name in sorted(named_queries()):
        if name == "evidence" or (engine == "rdflib" and name in SLOW_IN_RDFLIB):
            continue
        for row in seed_answers(engine, name, {}).values():
            for column, value in row.items():
                assert not str(value).startswith(VOCAB), (name, column, value)
    rows = seed_answers(engine, "mechanism", {}).values()
    assert {row["relation"] for row in rows} == {
        "inhibits", "suppresses", "activates", "stimulates", "increases", "decreases"
    }  # fmt: skip
    answer = seed_answers(engine, "adverse-reactions", {}).values()
    assert {row.get("band", "") for row in answer} == {"very common", "common", "rare", ""}
