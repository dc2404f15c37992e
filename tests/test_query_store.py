"""The on-disk query store (medkg.query.persistent), name slots, and answers without rdflib."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef

from medkg.namespaces import PREFIXES as NAMESPACE_PREFIXES
from medkg.query import (
    load_store,
    name_index,
    named_queries,
    persistent,
    run_query,
    serialise,
    store_load,
)
from medkg.query.run import bind_parameters, fill_slots
from medkg.query.serialise import PREFIXES
from medkg.query.store import OxigraphStore, value_from_oxigraph, value_from_rdflib

from .conftest import ROOT, Built, SeedAnswers
from .reference_store import SLOW_IN_RDFLIB

# One parameterised run per named query: the answers every store must give alike.
CASES: list[tuple[str, dict[str, str]]] = [
    ("adverse-reactions", {"drug": "ROMOSOZUMAB"}),
    ("adverse-reactions", {"reaction": "joint pain"}),
    ("billing", {"code": "j3111"}),
    ("contraindications", {"drug": "romosozumab"}),
    ("cross-source", {"drug": "Romosozumab-AQQG"}),
    ("cross-source", {"agreement": "differ"}),
    ("drugs-by-pathway", {"pathway": "canonical wnt signaling pathway"}),
    ("drugs-by-target", {"target": "sclerostin", "drug": "romosozumab"}),
    ("evidence", {"document": "j3111-code-page.txt"}),
    ("indications", {"drug": "romosozumab"}),
    ("mechanism", {"drug": "romosozumab"}),
    ("procedure", {"code": "J3111"}),
    ("regimens", {"drug": "romosozumab"}),
    ("warnings", {"drug": "nothing-of-that-name"}),
]


def copy_dataset(built: Built, folder: Path) -> Path:
    data = folder / "dist"
    shutil.copytree(built.out, data)
    return data


def stores(cache: Path) -> list[Path]:
    root = persistent.stores_root(cache)
    if not root.is_dir():
        return []
    return sorted(folder for folder in root.iterdir() if (folder / "store.json").is_file())


# --- the on-disk store ------------------------------------------------------------------


def test_the_store_is_built_once_and_opened_read_only_after(
    built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    first = load_store(built.out, cache_folder=cache)
    assert isinstance(first, OxigraphStore) and first.location is not None
    (folder,) = stores(cache)
    digest = hashlib.sha256((built.out / "medkg.nq").read_bytes()).hexdigest()
    assert folder.name == f"{digest}-oxigraph-{ox.__version__}-{persistent.LAYOUT}"
    recorded = json.loads((folder / "store.json").read_text(encoding="utf-8"))
    assert recorded["sha256"] == digest and recorded["triples"] == len(built.graph)
    assert (folder / "names.sqlite").is_file()

    def no_second_build(*args: object) -> int:
        raise AssertionError("the store was built again")

    monkeypatch.setattr(persistent, "_load", no_second_build)
    second = load_store(built.out, cache_folder=cache)
    assert isinstance(second, OxigraphStore) and second.location == folder
    assert len(second) == len(built.graph)


def _default_graph(data: Path, cache: Path) -> set[tuple[str, str, str]]:
    store = load_store(data, cache_folder=cache)
    assert isinstance(store, OxigraphStore)
    found = store._store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    return {(str(q.subject), str(q.predicate), str(q.object)) for q in found}


def test_the_default_graph_is_the_merge_whether_loaded_in_chunks_or_whole(
    built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = copy_dataset(built, tmp_path)
    nquads = data / "medkg.nq"
    (data / "medkg.ttl").unlink()  # not read: the merge comes from medkg.nq itself
    with monkeypatch.context() as patch:
        patch.setattr(store_load, "CHUNK_BYTES", 8192)
        in_chunks = _default_graph(data, tmp_path / "in-chunks")
    monkeypatch.setattr(store_load, "_mentions_blank_nodes", lambda path: True)
    whole = _default_graph(data, tmp_path / "whole")
    # the store keeps a value, not its spelling ("210.0"^^xsd:decimal is 210): count alike
    distinct = {
        (q.subject, q.predicate) for q in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    }
    assert in_chunks == whole
    assert {(s, p) for s, p, _ in in_chunks} == {(str(s), str(p)) for s, p in distinct}


def test_persistent_in_memory_and_rdflib_stores_answer_alike(
    built: Built, tmp_path: Path, seed_answers: SeedAnswers
) -> None:
    on_disk = load_store(built.out, cache_folder=tmp_path)
    in_memory = load_store(built.out, persistent=False)
    for name, params in CASES:
        query = named_queries()[name]
        answers = [run_query(s, query, params) for s in (on_disk, in_memory)]
        assert answers[0] == answers[1], (name, params)
        if name in SLOW_IN_RDFLIB:
            continue
        reference = seed_answers("rdflib", name, params)  # built.out in rdflib, asked once
        assert answers[0] == reference, (name, params)
        assert serialise(answers[0], "json") == serialise(reference, "json")
    billing = run_query(on_disk, named_queries()["billing"], {"code": "j3111"})
    assert billing.values()[0]["code"] == "J3111"


def test_sha256sums_names_the_store_and_a_stale_list_is_not_trusted(
    built: Built, tmp_path: Path
) -> None:
    data, cache = copy_dataset(built, tmp_path), tmp_path / "cache"
    nquads, sums = data / "medkg.nq", data / "SHA256SUMS"
    digest = hashlib.sha256(nquads.read_bytes()).hexdigest()
    assert persistent.listed_digest(nquads) == digest
    older = nquads.stat().st_mtime_ns - 10**9
    os.utime(sums, ns=(older, older))  # written before medkg.nq changed: not used
    assert persistent.listed_digest(nquads) is None
    load_store(data, cache_folder=cache)
    # medkg.nq changed, and SHA256SUMS (newer) still lists the old digest: the store built
    # for that digest recorded another size, so the file is hashed and gets its own store
    nquads.write_bytes(nquads.read_bytes() + b"\n")
    sums.write_text(sums.read_text(encoding="utf-8"), encoding="utf-8")
    assert persistent.listed_digest(nquads) == digest
    store = load_store(data, cache_folder=cache)
    assert isinstance(store, OxigraphStore) and store.location is not None
    changed = hashlib.sha256(nquads.read_bytes()).hexdigest()
    assert store.location.name.startswith(changed)


def test_a_changed_dataset_gets_a_new_store_and_the_old_one_is_removed(
    built: Built, tmp_path: Path
) -> None:
    data, cache = copy_dataset(built, tmp_path), tmp_path / "cache"
    before = load_store(data, cache_folder=cache)
    (old,) = stores(cache)
    del before  # releases its lock on the old store
    nquads = data / "medkg.nq"
    nquads.write_text(
        nquads.read_text(encoding="utf-8")
        + '<https://example.org/s> <https://example.org/p> "added" <https://example.org/g> .\n',
        encoding="utf-8",
    )
    after = load_store(data, cache_folder=cache)
    (new,) = stores(cache)
    assert new != old and len(after) == len(built.graph) + 1


def test_a_store_in_use_is_not_removed(built: Built, tmp_path: Path) -> None:
    data, cache = copy_dataset(built, tmp_path), tmp_path / "cache"
    in_use = load_store(data, cache_folder=cache)
    nquads = data / "medkg.nq"
    nquads.write_bytes(nquads.read_bytes() + b"\n")
    load_store(data, cache_folder=cache)
    assert len(stores(cache)) == 2
    assert len(in_use) == len(built.graph)


@pytest.mark.parametrize("damage", ["marker", "rocksdb", "names"])
def test_a_corrupt_store_is_rebuilt(built: Built, tmp_path: Path, damage: str) -> None:
    cache = tmp_path / "cache"
    load_store(built.out, cache_folder=cache)
    (folder,) = stores(cache)
    if damage == "marker":
        (folder / "store.json").write_text("{not json", encoding="utf-8")
    elif damage == "rocksdb":
        (folder / "oxigraph" / "CURRENT").write_text("MANIFEST-999999\n", encoding="utf-8")
    else:
        (folder / "names.sqlite").unlink()
    store = load_store(built.out, cache_folder=cache)
    assert isinstance(store, OxigraphStore) and store.location == folder
    assert len(store) == len(built.graph)
    assert run_query(store, named_queries()["procedure"], {"code": "j3111"}).values()


def test_without_a_usable_cache_folder_medkg_nq_is_loaded_into_memory_with_a_note(
    built: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("", encoding="utf-8")
    store = load_store(built.out, cache_folder=not_a_folder)
    assert isinstance(store, OxigraphStore) and store.location is None
    assert len(store) == len(built.graph)
    note = capsys.readouterr().err
    assert note.count("\n") == 1 and note.startswith("medkg: note: no on-disk query store")
    assert "loading" in note and "into memory" in note


def test_a_full_disk_while_building_leaves_nothing_behind_and_loads_into_memory(
    built: Built,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def disk_full(*args: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(persistent, "_load", disk_full)
    store = load_store(built.out, cache_folder=tmp_path)
    assert isinstance(store, OxigraphStore) and store.location is None
    assert len(store) == len(built.graph)
    assert "No space left on device" in capsys.readouterr().err
    assert list(persistent.stores_root(tmp_path).iterdir()) == []  # no .tmp-* left


def test_medkg_query_keeps_the_store_in_the_cache_dir_it_is_given(
    built: Built, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from medkg.cli import main

    cache = tmp_path / "given"
    args = ["query", "billing", "--data", str(built.out), "--cache-dir", str(cache)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "J3111" in result.stdout
    assert len(stores(cache)) == 1


def test_a_table_is_printed_without_importing_rdflib(built: Built, tmp_path: Path) -> None:
    program = (
        "import sys\n"
        "from medkg.cli import main\n"
        "try:\n"
        f"    main(['query', 'billing', '--data', {str(built.out)!r}])\n"
        "except SystemExit as end:\n"
        "    assert end.code in (0, None), end.code\n"
        "heavy = sorted(m for m in ('rdflib', 'pyparsing', 'pyshacl', 'urllib.request')"
        " if m in sys.modules)\n"
        "print('IMPORTED', heavy)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "XDG_CACHE_HOME": str(tmp_path)},
        check=True,
    )
    assert "J3111" in done.stdout
    assert done.stdout.rstrip().endswith("IMPORTED []")


# --- name slots ------------------------------------------------------------------------

PAIR = "VALUES (?param_drug ?drug_name) { (UNDEF UNDEF) }"


def test_a_name_slot_gets_the_index_rows_or_undef_without_an_index() -> None:
    text = f"SELECT * WHERE {{ {PAIR} }}"
    found = bind_parameters(text, {"drug": " Name "}, lambda value: ['"Name"', '"NAME"@en'])
    rows = '("name" "Name") ("name" "NAME"@en)'
    assert found == f"SELECT * WHERE {{ VALUES (?param_drug ?drug_name) {{ {rows} }} }}"
    unknown = bind_parameters(text, {"drug": "x"}, lambda value: None)
    assert unknown == 'SELECT * WHERE { VALUES (?param_drug ?drug_name) { ("x" UNDEF) } }'
    assert bind_parameters(text, {"drug": "x"}, lambda value: []).endswith("{  } }")


def test_slots_in_strings_and_comments_are_not_slots_and_other_params_trail() -> None:
    text = (
        'SELECT * WHERE { BIND("VALUES ?param_a { UNDEF }" AS ?s)\n'
        "# VALUES ?param_a { UNDEF }\n"
        "VALUES ?param_a { UNDEF } }"
    )
    bound, filled = fill_slots(text, {"a": "v", "b": "w"})
    assert filled == {"a"}
    assert bound == text.replace("VALUES ?param_a { UNDEF } }", 'VALUES ?param_a { "v" } }')
    assert bind_parameters(text, {"b": "W"}).endswith('\nVALUES (?param_b) { ("w") }\n')


def test_the_name_index_finds_every_literal_by_its_lowercase(built: Built, tmp_path: Path) -> None:
    store = load_store(built.out, cache_folder=tmp_path)
    assert store.lookup_names("romosozumab") == ['"Romosozumab"']
    assert store.lookup_names("j3111") == ['"J3111"']
    assert store.lookup_names("no such name") == []
    assert store.lookup_names("x" * (name_index.NAME_INDEX_MAX + 1)) is None
    assert load_store(built.out, persistent=False).lookup_names("romosozumab") is None


# --- values -----------------------------------------------------------------------------

XSD = "http://www.w3.org/2001/XMLSchema#"


def old_conversion(term: ox.Literal) -> str:
    """How a literal printed before values existed: str() of the rdflib Literal."""
    datatype = term.datatype.value
    value = term.value
    if datatype == XSD + "decimal" and not any(mark in value for mark in ".eE"):
        value += ".0"
    if datatype == XSD + "string":
        return str(Literal(value))
    return str(Literal(value, datatype=URIRef(datatype)))


@settings(max_examples=200, deadline=None)
@given(
    number=st.one_of(
        st.integers(-(10**30), 10**30).map(lambda n: (str(n), "integer")),
        st.decimals(allow_nan=False, allow_infinity=False, places=4).map(
            lambda d: (str(Decimal(d)), "decimal")
        ),
        st.floats(allow_nan=False, width=64).map(lambda f: (repr(f), "double")),
        st.booleans().map(lambda b: (str(b).lower(), "boolean")),
        st.datetimes().map(lambda t: (t.isoformat(), "dateTime")),
        st.text(max_size=20).map(lambda t: (t, "string")),
    )
)
def test_literal_values_print_as_rdflib_printed_them(number: tuple[str, str]) -> None:
    lexical, kind = number
    solutions = ox.Store().query(
        "SELECT ?s ?t ?v WHERE { BIND(STRDT(?s, ?t) AS ?v) }",
        substitutions={
            ox.Variable("s"): ox.Literal(lexical),
            ox.Variable("t"): ox.NamedNode(XSD + kind),
        },
    )
    assert isinstance(solutions, ox.QuerySolutions)
    term = next(iter(solutions))["v"]
    if not isinstance(term, ox.Literal):
        return  # not a valid lexical form for the datatype
    value = value_from_oxigraph(term)
    assert value.value == old_conversion(term)
    assert value == value_from_rdflib(
        Literal(value.value, datatype=URIRef(value.datatype))
        if value.datatype
        else Literal(value.value)
    )


def test_the_plain_prefix_table_is_medkg_namespaces() -> None:
    assert PREFIXES == NAMESPACE_PREFIXES
