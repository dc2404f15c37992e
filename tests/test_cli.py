"""`medkg build` through click's CliRunner: outputs, exit codes, messages, atomicity."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import Graph, Namespace

from medkg.cli import EXIT_INVALID, EXIT_SOURCE, EXIT_STALE, main
from medkg.shacl import validate

from .conftest import ROOT, SOURCES

SH = Namespace("http://www.w3.org/ns/shacl#")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_build_writes_turtle_nquads(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    result = run("build", str(SOURCES), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert (out / "medkg.ttl").stat().st_size > 0
    assert (out / "medkg.nq").stat().st_size > 0
    assert "built    monograph  romosozumab-monograph.txt" in result.output
    assert "built    code-page  j3111-code-page.txt" in result.output


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert run("build", str(SOURCES), "--out", str(first)).exit_code == 0
    assert run("build", str(SOURCES), "--out", str(second)).exit_code == 0
    assert snapshot(first) == snapshot(second)
    assert run("build", str(SOURCES), "--out", str(first)).exit_code == 0  # rebuild in place
    assert snapshot(first) == snapshot(second)


def test_check_passes_on_fresh_output_and_fails_on_drift(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert run("build", str(SOURCES), "--out", str(out)).exit_code == 0
    assert run("build", str(SOURCES), "--out", str(out), "--check").exit_code == 0
    with (out / "medkg.ttl").open("a", encoding="utf-8") as handle:
        handle.write("# edited by hand\n")
    (out / "stray.txt").write_text("x", encoding="utf-8")
    result = run("build", str(SOURCES), "--out", str(out), "--check")
    assert result.exit_code == EXIT_STALE
    assert "medkg.ttl (differs)" in result.output
    assert "stray.txt (not built from the sources)" in result.output
    assert "Run `medkg build`" in result.output


def test_committed_dist_is_what_the_sources_build(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = run("build", "--check")
    assert result.exit_code == 0, result.output


def test_unreadable_source_fails_and_leaves_dist_untouched(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert run("build", str(SOURCES), "--out", str(out)).exit_code == 0
    before = snapshot(out)
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    (sources / "broken.md").write_bytes(b"---\nlayout: minimal-medicine\n---\n\xff\xfe bad\n")
    result = run("build", str(sources), "--out", str(out))
    assert result.exit_code == EXIT_SOURCE
    assert "broken.md:4: is not valid UTF-8" in result.output
    assert "was left as it was" in result.output
    assert snapshot(out) == before


def test_nonconforming_graph_fails_with_report_and_leaves_dist_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "dist"
    assert run("build", str(SOURCES), "--out", str(out)).exit_code == 0
    before = snapshot(out)
    strict = Graph()
    strict.parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix schema: <https://schema.org/> .
        <urn:test:DrugNeedsCode> a sh:NodeShape ; sh:targetClass schema:Drug ;
            sh:property [ sh:path schema:code ; sh:minCount 1 ;
                          sh:message "A drug must have a code (test rule)" ] .
        """,
        format="turtle",
    )
    monkeypatch.setattr(validate, "load_shapes", lambda: strict)
    # --no-cache: the cache keys on the bundled shape files, which this test does not change
    result = run("build", str(SOURCES), "--out", str(out), "--no-cache")
    assert result.exit_code == EXIT_INVALID
    assert "does not conform" in result.output
    assert "https://w3id.org/medkg/id/drug/romosozumab" in result.output
    assert "A drug must have a code (test rule)" in result.output
    assert snapshot(out) == before


def test_other_documents_are_skipped_with_a_reason(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(SOURCES, sources)
    (sources / "notes.txt").write_text("Shopping list\n- eggs\n", encoding="utf-8")
    result = run("build", str(sources), "--out", str(tmp_path / "dist"))
    assert result.exit_code == 0, result.output
    assert "skipped  -          notes.txt (is neither a drug monograph" in result.output
    assert "notes.txt" not in (tmp_path / "dist" / "medkg.ttl").read_text(encoding="utf-8")


def test_missing_source_path_is_named(tmp_path: Path) -> None:
    result = run("build", str(tmp_path / "nope"), "--out", str(tmp_path / "dist"))
    assert result.exit_code == EXIT_SOURCE
    assert f"{tmp_path / 'nope'}: does not exist" in result.output
    assert not (tmp_path / "dist").exists()


def test_refuses_to_replace_a_folder_that_is_not_medkg_output(tmp_path: Path) -> None:
    out = tmp_path / "precious"
    out.mkdir()
    (out / "thesis.tex").write_text("keep me", encoding="utf-8")
    result = run("build", str(SOURCES), "--out", str(out))
    assert result.exit_code == EXIT_SOURCE
    assert "is a non-empty folder that is not a medkg output" in result.output
    assert (out / "thesis.tex").read_text(encoding="utf-8") == "keep me"


def test_folder_without_documents_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run("build", str(tmp_path / "empty"), "--out", str(tmp_path / "dist"))
    assert result.exit_code == EXIT_SOURCE
    assert "holds no drug monograph or code page" in result.output


def test_version_and_help() -> None:
    assert run("--version").output.startswith("medkg, version ")
    assert "Build the knowledge graph" in run("build", "--help").output


def test_validate_command(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert run("build", str(SOURCES), "--out", str(out)).exit_code == 0
    result = run("validate", str(out / "medkg.ttl"))
    assert result.exit_code == 0, result.output
    assert "conforms to the shapes" in result.output
    broken = tmp_path / "broken.ttl"
    broken.write_text(
        "@prefix medkg: <https://w3id.org/medkg/vocab#> .\n"
        "<https://w3id.org/medkg/id/evidence/x/5-1> a medkg:Evidence .\n",
        encoding="utf-8",
    )
    result = run("validate", str(broken))
    assert result.exit_code == EXIT_INVALID
    assert "https://w3id.org/medkg/id/evidence/x/5-1" in result.output
    missing = run("validate", str(tmp_path / "nope.ttl"))
    assert missing.exit_code == EXIT_SOURCE
    assert "nope.ttl: no such file; run `medkg build` first" in missing.output
    garbage = tmp_path / "garbage.ttl"
    garbage.write_text("this is not turtle", encoding="utf-8")
    assert "is not valid Turtle" in run("validate", str(garbage)).output


def test_every_command_runs_as_a_module_script() -> None:
    """`python -m medkg.cli COMMAND` knows every command (none defined after the
    `__main__` guard)."""
    import subprocess
    import sys

    from medkg.cli import main as group

    for name in sorted(group.commands):  # type: ignore[attr-defined]
        result = subprocess.run(
            [sys.executable, "-m", "medkg.cli", name, "--help"], capture_output=True, text=True
        )
        assert result.returncode == 0, (name, result.stderr)
