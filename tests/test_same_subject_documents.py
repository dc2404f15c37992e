"""Several documents about the same code or drug: each keeps its own claims, the build conforms."""

from __future__ import annotations

import shutil
from pathlib import Path

from rdflib import Namespace

from medkg.pipeline.build import run

from .conftest import SOURCES

MEDKG = Namespace("https://w3id.org/medkg/vocab#")
ID = Namespace("https://w3id.org/medkg/id/")


def test_two_pages_for_one_code_and_two_monographs_for_one_drug(tmp_path: Path) -> None:
    for name in ("page-a.txt", "page-b.txt"):
        shutil.copy(SOURCES / "j3111-code-page.txt", tmp_path / name)
    for name in ("mono-a.md", "mono-b.md"):
        shutil.copy(SOURCES / "romosozumab-monograph.txt", tmp_path / name)
    outcome = run([tmp_path])
    assert [s.status for s in outcome.statuses] == ["built"] * 4
    assert outcome.dataset is not None
    union = {t for g in outcome.dataset.graphs() for t in g}
    code = ID["code/hcpcs/J3111"]
    procedures = {o for s, p, o in union if s == code and p == MEDKG.procedure}
    assert procedures == {
        ID["procedure/hcpcs/J3111/page-a"],
        ID["procedure/hcpcs/J3111/page-b"],
    }
    descriptions = {o for s, p, o in union if s == code and p == MEDKG.description}
    assert descriptions == {ID["code/hcpcs/J3111/page-a"], ID["code/hcpcs/J3111/page-b"]}
    for page in ("page-a", "page-b"):
        description = ID[f"code/hcpcs/J3111/{page}"]
        assert (ID[f"procedure/hcpcs/J3111/{page}"], MEDKG.codeDescription, description) in union
        units = {o for s, p, o in union if s == description and p == MEDKG.billingUnit}
        assert units == {ID[f"code/hcpcs/J3111/{page}/billing-unit"]}
    drug = ID["drug/romosozumab"]
    regimens = {o for s, p, o in union if s == drug and str(p).endswith("doseSchedule")}
    assert regimens == {ID["regimen/mono-a/1"], ID["regimen/mono-b/1"]}
