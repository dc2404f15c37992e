"""The small public API of `medkg`: build, validate, load_store, run_query, BuildOptions."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import medkg
from medkg.errors import MedkgError
from medkg.query.errors import UnknownQuery

from .conftest import ROOT, SOURCES, files_in


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("api") / "dist"
    medkg.build([SOURCES], out, medkg.BuildOptions(jobs=1))
    return out


def test_build_writes_what_the_command_line_publishes(built: Path) -> None:
    assert files_in(built) == files_in(ROOT / "dist")


def test_the_output_folder_gets_the_permissions_of_a_made_folder(built: Path) -> None:
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(built.stat().st_mode) == 0o777 & ~umask  # not a temporary's 0700


def test_build_check_reports_no_change_on_a_fresh_build(built: Path) -> None:
    assert medkg.build([str(SOURCES)], str(built), check=True).changed == []


def test_validate_a_built_graph_conforms(built: Path) -> None:
    outcome = medkg.validate(built / "medkg.ttl")
    assert outcome.conforms
    assert not outcome.violations


def test_validate_a_missing_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(MedkgError, match=r"nope\.ttl"):
        medkg.validate(tmp_path / "nope.ttl")


def test_run_query_by_name_and_by_text_agree(built: Path, tmp_path: Path) -> None:
    store = medkg.load_store(built, cache_folder=tmp_path / "cache")
    by_name = medkg.run_query(store, "billing", {"drug": "romosozumab"})
    assert by_name.rows and all(row[0] is not None for row in by_name.rows)
    text = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    counted = medkg.run_query(store, text)
    assert int(counted.rows[0][0]) > 0


def test_run_query_with_an_unknown_name_lists_the_names(built: Path, tmp_path: Path) -> None:
    store = medkg.load_store(built, cache_folder=tmp_path / "cache")
    with pytest.raises(UnknownQuery, match="billing"):
        medkg.run_query(store, "no-such-query")


@pytest.mark.parametrize(
    ("field", "value"), [("fhir_version", "R6"), ("validator", "owl"), ("jobs", 0)]
)
def test_build_options_refuse_values_no_build_takes(field: str, value: object) -> None:
    with pytest.raises(ValueError, match=field):
        medkg.BuildOptions(**{field: value})  # type: ignore[arg-type]


def test_build_options_output_key_ignores_how_but_not_what() -> None:
    base = medkg.BuildOptions()
    assert base.output_key == medkg.BuildOptions(jobs=4, cache_folder=Path("x")).output_key
    assert base.output_key != medkg.BuildOptions(fhir_version="R4B").output_key


def test_importing_medkg_loads_no_stage() -> None:
    code = (
        "import sys, medkg; "
        "print(sorted(m for m in sys.modules if m.startswith(('medkg.', 'rdflib', 'pyoxigraph'))))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert loaded.strip() == "[]"


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_thing"):
        medkg.no_such_thing  # type: ignore[attr-defined]  # noqa: B018
