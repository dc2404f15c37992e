"""Indications and contraindications keep the condition in the document's own words
(medkg:termAsWritten) beside the concept it was mapped to, whose label is a normalised key
("angle closure glaucoma") or a lexicon name ("furuncle" for "boils")."""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset, URIRef

from medkg.graph import build_dataset
from medkg.link.lexicon import bundled_lexicon
from medkg.namespaces import MEDKG, RDF, SKOS
from medkg.pipeline.document_stage import process_one

MONOGRAPH = """---
title: Examplumab
---
# Examplumab

## Uses
Examplumab is used to treat Moderate-to-Severe Plaque Psoriasis in adults.
It is also used to treat moderate to severe plaque psoriasis in teenagers.

## Precautions
* **Contraindications:** Examplumab is contraindicated in patients with angle-closure glaucoma.
"""


def _dataset(tmp_path: Path) -> Dataset:
    path = tmp_path / "examplumab.md"
    path.write_text(MONOGRAPH, encoding="utf-8")
    _status, document = process_one(path, path.name)
    assert document is not None
    dataset = build_dataset([document], bundled_lexicon())
    dataset.default_union = True  # the facts sit in the document's graph, labels in links
    return dataset


def _wordings(dataset: Dataset, kind: URIRef) -> dict[str, list[str]]:
    """Concept label -> the wordings of the facts of `kind` about it."""
    found: dict[str, list[str]] = {}
    for fact in dataset.subjects(RDF.type, kind):
        concept = dataset.value(fact, MEDKG.condition)
        label = str(dataset.value(concept, SKOS.prefLabel))
        found.setdefault(label, []).extend(
            str(w) for w in dataset.objects(fact, MEDKG.termAsWritten)
        )
    for wordings in found.values():
        wordings.sort()
    return found


def test_a_contraindication_keeps_its_hyphens_beside_the_normalised_concept(
    tmp_path: Path,
) -> None:
    dataset = _dataset(tmp_path)
    assert _wordings(dataset, MEDKG.Contraindication) == {
        "angle closure glaucoma": ["angle-closure glaucoma"]
    }


def test_two_wordings_of_one_condition_are_two_facts_of_one_concept(tmp_path: Path) -> None:
    dataset = _dataset(tmp_path)
    assert _wordings(dataset, MEDKG.Indication) == {
        "moderate to severe plaque psoriasis": [
            "Moderate-to-Severe Plaque Psoriasis",
            "moderate to severe plaque psoriasis",
        ]
    }
