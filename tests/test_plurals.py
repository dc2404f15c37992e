"""medkg.text.singular and scripts/plural_table.py: plurals from a dictionary, the suffix rule
for every other word; the committed table is canonical and every row earns its place."""

from __future__ import annotations

import importlib.util
import sys
from functools import lru_cache
from pathlib import Path
from types import ModuleType

import pytest

import medkg.text
from medkg.errors import ResourceMissing
from medkg.text import normalise_term, plural_table, singular, suffix_singular

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "data" / "terminology" / "plurals.tsv"


@lru_cache(maxsize=1)
def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "plural_table", ROOT / "scripts" / "plural_table.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["plural_table"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("plural", "expected"),
    [
        ("sinuses", "sinus"),  # the suffix rule: "sinuse"
        ("aches", "ache"),  # the suffix rule: "ach"
        ("metastases", "metastasis"),
        ("species", "species"),  # the suffix rule: "specy"
        ("diabetes", "diabetes"),
        ("reactions", "reaction"),  # the suffix rule, agreed
        ("glorbs", "glorb"),  # no dictionary word: the suffix rule
        ("widgetons", "widgeton"),
        ("gas", "gas"),
    ],
)
def test_singular(plural: str, expected: str) -> None:
    assert singular(plural) == expected


def test_terms_key_on_the_dictionary_singular() -> None:
    assert normalise_term("Minor aches") == "minor ache"
    assert normalise_term("blocked sinuses") == normalise_term("blocked sinus")
    assert normalise_term("endangered species") == "endangered species"


def test_every_row_disagrees_with_the_suffix_rule() -> None:
    table = plural_table()
    assert len(table) > 1000
    for form, one in table.items():
        assert len(form) > 3 and form.endswith("s") and form.islower(), form
        assert one != suffix_singular(form), form  # else the row would change nothing


def test_the_script_keeps_only_disagreements() -> None:
    dictionary = {
        "sinuses": "sinus",  # kept: the suffix rule says "sinuse"
        "reactions": "reaction",  # agreed: left out
        "species": "species",  # kept as invariant
        "gas": "gas",  # too short
        "Mice": "mouse",  # not lower case
        "runs": "run",  # agreed
        "mice": "mouse",  # does not end in s
    }
    assert generator().rows(dictionary) == [
        ("sinuses", "sinus", "plural"),
        ("species", "species", "invariant"),
    ]


def test_committed_table_is_canonical() -> None:
    """Rows sorted and unique, three tab-separated fields, header as the script writes it."""
    lines = TABLE.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# English plural forms")
    assert lines[3] == "form\tsingular\tkind"
    rows = [line.split("\t") for line in lines[4:]]
    assert all(len(row) == 3 and row[2] in ("plural", "invariant") for row in rows)
    forms = [row[0] for row in rows]
    assert forms == sorted(set(forms))


def test_a_broken_table_names_its_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "plurals.tsv").write_text("# header\nform\tsingular\tkind\nsinuses\tsinus\n")
    monkeypatch.setattr(medkg.text, "resource_dir", lambda kind: tmp_path)
    plural_table.cache_clear()
    try:
        with pytest.raises(ResourceMissing, match=r"plurals\.tsv:3: .*scripts/plural_table\.py"):
            plural_table()
    finally:
        monkeypatch.undo()
        plural_table.cache_clear()


def test_a_missing_table_says_to_reinstall(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(medkg.text, "resource_dir", lambda kind: tmp_path)
    plural_table.cache_clear()
    try:
        with pytest.raises(ResourceMissing, match="plural table missing; reinstall medkg"):
            plural_table()
    finally:
        monkeypatch.undo()
        plural_table.cache_clear()
