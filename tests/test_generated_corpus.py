"""A seeded corpus of generated variations builds: every document built or skipped with a reason."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

from medkg.pipeline.build import build

from .conftest import ROOT


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "generate_corpus", ROOT / "benchmarks" / "generate_corpus.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generator_is_deterministic(tmp_path: Path) -> None:
    first = generator().generate(tmp_path / "a", 26, seed=3)
    second = generator().generate(tmp_path / "b", 26, seed=3)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_generated_variations_build_or_skip_with_reason(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    generator().generate(sources, 26, seed=11)  # two variations of every sample document
    outcome = build([sources], tmp_path / "dist")
    report = json.loads((tmp_path / "dist" / "build-report.json").read_text(encoding="utf-8"))
    statuses = {d["file"]: d["status"] for d in report["documents"]}
    assert len(statuses) == 26
    assert set(statuses.values()) <= {"built", "skipped"}
    skipped = [d for d in report["documents"] if d["status"] == "skipped"]
    assert all(d["reason"] for d in skipped)
    assert {Path(d["file"]).name.split("-", 1)[1] for d in skipped} == {"pyridoxal-.md"}
    assert outcome.failed == []
