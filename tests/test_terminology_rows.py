"""The bundled terminology CSV loader: rows by header, and errors that name file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from medkg import resources
from medkg.errors import ResourceMissing
from medkg.resources import terminology_rows


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(resources, "resource_dir", lambda kind: tmp_path)
    return tmp_path


def test_rows_come_by_header(folder: Path) -> None:
    (folder / "w.csv").write_text("word,kind,source\nrash,head,a note\n", encoding="utf-8")
    assert terminology_rows("w.csv", "word list", ("word", "kind")) == [
        {"word": "rash", "kind": "head", "source": "a note"}
    ]


@pytest.mark.parametrize(
    ("content", "where", "says"),
    [
        ("word,source\nrash,a note\n", ":1:", "no column kind"),
        ("word,kind,source\nrash,head,x\n  ,head,y\n", ":3:", "word empty"),
    ],
)
def test_a_broken_table_names_file_line_and_what_to_do(
    folder: Path, content: str, where: str, says: str
) -> None:
    (folder / "w.csv").write_text(content, encoding="utf-8")
    with pytest.raises(ResourceMissing) as raised:
        terminology_rows("w.csv", "word list", ("word", "kind"))
    message = str(raised.value)
    assert f"{folder / 'w.csv'}{where}" in message
    assert says in message and "reinstall medkg" in message


def test_a_missing_table_says_to_reinstall(folder: Path) -> None:
    with pytest.raises(ResourceMissing, match="word list missing; reinstall medkg"):
        terminology_rows("absent.csv", "word list", ("word",))


def test_a_value_outside_its_column_names_file_line_and_what_to_do(folder: Path) -> None:
    (folder / "w.csv").write_text("word,kind\nrash,head\nitch,haed\n", encoding="utf-8")
    with pytest.raises(ResourceMissing) as raised:
        terminology_rows("w.csv", "word list", ("word", "kind"), {"kind": ("head", "label")})
    message = str(raised.value)
    assert f"{folder / 'w.csv'}:3:" in message
    assert "kind 'haed' is not one of head, label" in message
    assert "correct or delete the row" in message


def test_every_bundled_word_list_holds_only_kinds_its_reader_knows() -> None:
    from medkg.extract.precaution.terms import precaution_words
    from medkg.extract.reaction.labels import label_table

    assert "class-head" in precaution_words()
    assert label_table()


def test_words_by_kind_folds_case_and_space_and_refuses_an_unknown_kind(folder: Path) -> None:
    from medkg.resources import words_by_kind

    (folder / "w.csv").write_text("word,kind\nKidney  Problems,head\n", encoding="utf-8")
    assert words_by_kind("w.csv", "word list", ("head", "label")) == {
        "head": frozenset({"kidney problems"}),
        "label": frozenset(),
    }
    (folder / "w.csv").write_text("word,kind\nrash,haed\n", encoding="utf-8")
    with pytest.raises(ResourceMissing, match=r"w\.csv:2: word list: kind 'haed' is not one of"):
        words_by_kind("w.csv", "word list", ("head", "label"))
