"""KGX export (issue 17 item 3): dist/kgx/ from the seeds, checked against Biolink 4.4.6."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from biolink_model.datamodel import pydanticmodel_v2 as biolink

from medkg.errors import ResourceMissing
from medkg.export import kgx
from medkg.export.kgx import mapping as kgx_mapping
from medkg.export.kgx.validate import predicates, problems
from tests.conftest import Built

EVIDENCE = {
    "agent_type": "text_mining_agent",
    "knowledge_level": "knowledge_assertion",
    "primary_knowledge_source": "infores:medkg",
    "publications": ["MEDKG:document/romosozumab-monograph"],
    "subject": "MEDKG:drug/romosozumab",
}


def records(built: Built, name: str) -> list[dict[str, Any]]:
    text = (built.out / name).read_text("utf-8")
    return [json.loads(line) for line in text.split("\n")[:-1]]


def by_id(built: Built, name: str) -> dict[str, dict[str, Any]]:
    return {record["id"]: record for record in records(built, name)}


def test_seed_nodes_by_value(built: Built) -> None:
    nodes = by_id(built, kgx.NODES)
    assert nodes["MEDKG:drug/romosozumab"] == {
        "id": "MEDKG:drug/romosozumab",
        "category": ["biolink:Drug"],
        "name": "Romosozumab",
        "synonym": ["romosozumab-aqqg"],
        "equivalent_identifiers": ["ATC:M05BX06", "DRUGBANK:DB11866"],
        "provided_by": ["infores:medkg"],
    }
    assert nodes["MEDKG:concept/osteoporosis"]["category"] == ["biolink:Disease"]  # MONDO first
    assert nodes["MEDKG:concept/osteoporosis"]["equivalent_identifiers"] == [
        "HP:0000939",
        "MONDO:0005298",
        "SNOMEDCT:64859006",
    ]
    assert nodes["MEDKG:concept/arthralgia"]["category"] == ["biolink:PhenotypicFeature"]
    assert nodes["MEDKG:concept/sclerostin"]["category"] == ["biolink:Protein"]
    assert nodes["MEDKG:concept/bone-formation"]["category"] == [
        "biolink:BiologicalProcessOrActivity"
    ]
    assert nodes["MEDKG:concept/cardiac-disorder"]["category"] == ["biolink:NamedThing"]
    assert nodes["MEDKG:procedure/hcpcs/J3111/j3111-code-page"] == {
        "id": "MEDKG:procedure/hcpcs/J3111/j3111-code-page",
        "category": ["biolink:Procedure"],
        "name": "Injection of romosozumab",
        "provided_by": ["infores:medkg"],
    }
    assert not any(i.startswith("MEDKG:code/") for i in nodes)  # billing codes are no nodes
    assert len(nodes) == 43


def test_seed_edges_by_value(built: Built) -> None:
    edges = by_id(built, kgx.EDGES)
    predicates_used = sorted(e["predicate"] for e in edges.values())
    assert predicates_used == sorted(
        ["biolink:has_adverse_event"] * 21
        + ["biolink:affects"] * 3
        + ["biolink:contraindicated_in"] * 2
        + ["biolink:treats"]
    )
    assert edges["MEDKG:mechanism/romosozumab-monograph/romosozumab/step-1"] == {
        **EVIDENCE,
        "id": "MEDKG:mechanism/romosozumab-monograph/romosozumab/step-1",
        "category": ["biolink:ChemicalAffectsBiologicalEntityAssociation"],
        "predicate": "biolink:affects",
        "object": "MEDKG:concept/sclerostin",
        "object_aspect_qualifier": "activity",
        "object_direction_qualifier": "decreased",
        "supporting_text": ["Romosozumab works by inhibiting sclerostin"],
        "medkg_evidence": ["MEDKG:evidence/romosozumab-monograph/2300-2342"],
        "medkg_evidence_document": ["romosozumab-monograph.txt"],
        "medkg_evidence_start": [2300],
        "medkg_evidence_end": [2342],
    }
    treats = edges["MEDKG:indication/romosozumab-monograph/osteoporosis"]
    assert (treats["predicate"], treats["object"], treats["category"]) == (
        "biolink:treats",
        "MEDKG:concept/osteoporosis",
        ["biolink:ChemicalOrDrugOrTreatmentToDiseaseOrPhenotypicFeatureAssociation"],
    )
    reaction = edges["MEDKG:adverse-reaction/romosozumab-monograph/acute-myocardial-infarction"]
    assert reaction["medkg_evidence_start"] == [1818, 1872]
    assert reaction["supporting_text"][1] == "acute myocardial infarction"
    effect = edges["MEDKG:mechanism/romosozumab-monograph/romosozumab/effect-2"]
    assert (effect["object"], effect["object_direction_qualifier"]) == (
        "MEDKG:concept/bone-resorption",
        "decreased",
    )
    assert "object_aspect_qualifier" not in effect


def test_every_quote_is_its_offsets_in_its_document(built: Built) -> None:
    for edge in records(built, kgx.EDGES):
        evidence = zip(
            edge["supporting_text"],
            edge["medkg_evidence_document"],
            edge["medkg_evidence_start"],
            edge["medkg_evidence_end"],
            strict=True,
        )
        for quote, document, start, end in evidence:
            assert built.texts[document][start:end] == quote, edge["id"]


def test_every_edge_joins_two_nodes_and_the_files_are_sorted(built: Built) -> None:
    nodes = [r["id"] for r in records(built, kgx.NODES)]
    edges = records(built, kgx.EDGES)
    assert nodes == sorted(nodes) and len(set(nodes)) == len(nodes)
    assert [e["id"] for e in edges] == sorted(e["id"] for e in edges)
    for edge in edges:
        assert {edge["subject"], edge["object"]} <= set(nodes), edge["id"]


def test_the_seed_files_validate_against_the_pinned_biolink_model(built: Built) -> None:
    assert biolink.version == "4.4.6"
    nodes, edges = ((built.out / name).read_bytes() for name in (kgx.NODES, kgx.EDGES))
    assert problems(nodes, edges) == []
    used = {c for r in records(built, kgx.NODES) + records(built, kgx.EDGES) for c in r["category"]}
    assert all(hasattr(biolink, c.removeprefix("biolink:")) for c in used)
    assert {e["predicate"] for e in records(built, kgx.EDGES)} <= predicates()
    readme = (built.out / "README.md").read_text("utf-8")
    assert f"Biolink Model {biolink.version}" in readme.replace("\n", " ")


def test_every_term_of_the_table_is_in_the_pinned_model() -> None:
    table = kgx_mapping.bundled_mapping()
    assert table.settings["biolink_version"] == biolink.version
    assert table.settings["knowledge_level"] in {e.value for e in biolink.KnowledgeLevelEnum}
    assert table.settings["agent_type"] in {e.value for e in biolink.AgentTypeEnum}
    categories = [c for _, c in table.types if c]
    categories += [scheme.category for scheme in table.schemes if scheme.category]
    for category in categories:
        assert issubclass(getattr(biolink, category.removeprefix("biolink:")), biolink.NamedThing)
    aspects = {e.value for e in biolink.GeneOrGeneProductOrChemicalEntityAspectEnum}
    directions = {e.value for e in biolink.DirectionQualifierEnum}
    kinds = [*table.facts.values(), *table.relations.values(), *table.effects.values()]
    for kind in kinds:
        association = getattr(biolink, kind.association.removeprefix("biolink:"))
        assert issubclass(association, biolink.Association)
        assert kind.predicate in predicates()
        assert kind.aspect in aspects | {""} and kind.direction in directions | {""}
        if kind.aspect or kind.direction:
            assert "object_direction_qualifier" in association.model_fields


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (b'"biolink:treats"', b'"biolink:cures"', "'biolink:cures' is not a Biolink predicate"),
        (b'"biolink:affects"', b'"biolink:binds"', "'biolink:binds' is not a Biolink predicate"),
        (b'"text_mining_agent"', b'"robot"', "agent_type: Input should be"),
        (b'"MEDKG:concept/sclerostin"', b'"MEDKG:concept/nowhere"', "is not a node"),
        (b'"knowledge_level"', b'"level"', "knowledge_level: Field required"),
    ],
)
def test_validation_fails_on_an_injected_error(
    built: Built, old: bytes, new: bytes, expected: str
) -> None:
    nodes, edges = ((built.out / name).read_bytes() for name in (kgx.NODES, kgx.EDGES))
    assert old in edges
    found = problems(nodes, edges.replace(old, new, 1), ["n.jsonl", "e.jsonl"])
    assert any(expected in problem and problem.startswith("e.jsonl:") for problem in found)


def test_validation_fails_on_a_category_outside_the_model(built: Built) -> None:
    nodes, edges = ((built.out / name).read_bytes() for name in (kgx.NODES, kgx.EDGES))
    found = problems(nodes.replace(b'"biolink:Drug"', b'"biolink:Medicine"'), edges)
    assert found == [
        "medkg_nodes.jsonl:42: MEDKG:drug/romosozumab: 'biolink:Medicine' is not a Biolink "
        "NamedThing class"
    ]


def test_a_table_row_without_an_association_names_the_file_and_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows = [
        {
            "kind": "fact",
            "medkg": "medkg:indication",
            "biolink": "biolink:treats",
            "association": "",
            "aspect": "",
            "direction": "",
        },
    ]
    monkeypatch.setattr(kgx_mapping, "terminology_rows", lambda *_args, **_kw: rows)
    kgx_mapping.bundled_mapping.cache_clear()
    try:
        with pytest.raises(ResourceMissing, match=r"kgx-biolink.csv:2: a fact row needs"):
            kgx_mapping.bundled_mapping()
    finally:
        kgx_mapping.bundled_mapping.cache_clear()


def test_render_of_a_dataset_gives_the_built_files(built: Built) -> None:
    from rdflib import Dataset

    dataset = Dataset()
    dataset.parse(built.out / "medkg.nq", format="nquads")
    files = kgx.render(dataset)
    for name in kgx.FILES:
        assert files[name] == (built.out / name).read_bytes()


def test_an_incremental_update_gives_the_kgx_files_of_a_full_merge(
    sources: Path, tmp_path: Path
) -> None:
    """A reaction renamed in a monograph: the update removes its edge and node and adds the
    new ones (splicing the KGX files) with the bytes a full merge writes."""
    from tests.test_incremental_merge import documents_in, fragments_of, full_merge, incremental

    out, reference = tmp_path / "out", tmp_path / "reference"
    old = fragments_of(documents_in(sources))
    state = full_merge(old, out, tmp_path / "state.sqlite")
    before = {name: (out / name).read_bytes() for name in kgx.FILES}
    monograph = sources / "romosozumab-monograph.txt"
    monograph.write_text(monograph.read_text("utf-8").replace("*   Headache", "*   Dizziness"))
    new = fragments_of(documents_in(sources))
    try:
        incremental(old, new, out, state, tmp_path)
    finally:
        state.close()
    full_merge(new, reference, tmp_path / "reference.sqlite").close()
    for name in kgx.FILES:
        assert (out / name).read_bytes() == (reference / name).read_bytes(), name
    edges = (out / kgx.EDGES).read_bytes()
    assert edges != before[kgx.EDGES]
    assert b'"MEDKG:adverse-reaction/romosozumab-monograph/dizziness"' in edges
    assert b"romosozumab-monograph/headache" not in edges
