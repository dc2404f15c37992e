"""Uses the graph keeps that `biolink:treats` would misstate: a past use ("was previously
used to treat X") stays in the graph with its qualifier, but KGX has no `treats` edge for it
and its FHIR ClinicalUseDefinition is retired; a purpose named by a role ("used as a mild
sedative") is an indication in the graph but no disease the drug treats, so no KGX edge."""

from __future__ import annotations

import json
from pathlib import Path

from medkg import build

MONOGRAPH = """---
title: Testamycin
---
# Testamycin

## Usage
Testamycin was previously used to treat lobar pneumonia in humans. It is now used to
treat mastitis in dairy cows. It is also used as a mild sedative.

## Side Effects
* Nausea
"""


def built(tmp_path: Path) -> Path:
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "testamycin.md").write_text(MONOGRAPH, encoding="utf-8")
    out = tmp_path / "dist"
    build([sources], out)
    return out


def test_a_past_use_is_no_current_use_in_kgx_or_fhir(tmp_path: Path) -> None:
    out = built(tmp_path)
    edges = [
        json.loads(line) for line in (out / "kgx" / "medkg_edges.jsonl").read_text().splitlines()
    ]
    treats = {edge["object"] for edge in edges if edge["predicate"] == "biolink:treats"}
    assert treats == {"MEDKG:concept/mastitis"}
    statuses = {}
    for file in (out / "fhir").glob("ClinicalUseDefinition-indication-*.json"):
        resource = json.loads(file.read_text(encoding="utf-8"))
        condition = resource["indication"]["diseaseSymptomProcedure"]["concept"]["text"]
        statuses[condition] = resource["status"]["coding"][0]["code"]
    assert statuses == {"lobar pneumonia": "retired", "mastitis": "active", "sedation": "active"}
    graph = (out / "medkg.nq").read_text(encoding="utf-8")
    assert '"past use"' in graph  # the fact itself is kept, qualified
