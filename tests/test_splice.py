"""`medkg.pipeline.fragments.splice`: a sorted file with some chunks changed is the file written
from scratch with those chunks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medkg.export import jsonld
from medkg.export.metadata import FileInfo
from medkg.export.turtle import Terms, header
from medkg.namespaces import PREFIXES
from medkg.pipeline.fragments import splice
from medkg.pipeline.fragments.fhir_files import bundle_entry

ID = "https://w3id.org/medkg/id/"
KEYS = st.lists(st.text("abcdxyz/-", min_size=1, max_size=6), unique=True, max_size=12)


def nquads(subjects: dict[str, int]) -> bytes:
    """Lines of each subject (as many as its value), sorted."""
    lines = [
        f'<{ID}{s}> <{ID}p> "{n}" <{ID}graph/g> .\n'
        for s, count in subjects.items()
        for n in range(count)
    ]
    return "".join(sorted(lines)).encode()


def turtle(subjects: dict[str, int]) -> bytes:
    terms = Terms()
    blocks = [
        terms.block(f"<{ID}{s}>", [(f"<{ID}p>", f'"{n}"') for n in range(count)])
        for s, count in sorted(subjects.items(), key=lambda item: f"<{ID}{item[0]}>")
    ]
    return header() + "".join(blocks).encode()


def jsonld_document(nodes: dict[str, int]) -> bytes:
    """Drug objects (odd values) first, then the others, each by id."""
    chunks: list[bytes] = []
    ordered = sorted(nodes.items(), key=lambda item: (item[1] % 2 == 0, item[0].encode()))
    for node_id, value in ordered:
        node = {"id": ID + node_id, "type": "Drug" if value % 2 else "Concept", "n": value}
        chunks.append(jsonld.node_text(node))
    out: list[bytes] = []
    jsonld.write_document(chunks, out.append)
    return b"".join(out)


def bundle(urls: dict[str, int]) -> bytes:
    entries = [
        bundle_entry(ID + url, json.dumps({"n": n}, indent=2).encode() + b"\n")
        for url, n in sorted(urls.items(), key=lambda item: (ID + item[0]).encode())
    ]
    return b'{\n  "entry": [\n' + b",\n".join(entries) + b'\n  ],\n  "id": "medkg"\n}\n'


def apply_changes(old: dict[str, int], changes: dict[str, int | None]) -> dict[str, int]:
    new = {k: v for k, v in old.items() if k not in changes}
    new.update({k: v for k, v in changes.items() if v is not None})
    return new


def check(
    tmp_path: Path,
    old: dict[str, int],
    changes: dict[str, int | None],
    render: object,
    layout: splice.Callable[[bytes | splice.mmap.mmap], splice.Layout],
    key: object,
    chunk: object,
) -> None:
    assert callable(render) and callable(key) and callable(chunk)
    new = apply_changes(old, changes)
    (tmp_path / "old").write_bytes(render(old))
    edits = sorted(
        (key(k, v if v is not None else old.get(k, 0)), [] if v is None else [chunk({k: v})])
        for k, v in changes.items()
    )
    if not new or not old:
        with pytest.raises(splice.Unsupported):
            splice.splice(tmp_path / "old", layout, edits, tmp_path / "new")
        return
    info = splice.splice(tmp_path / "old", layout, edits, tmp_path / "new")
    expected = render(new)
    assert (tmp_path / "new").read_bytes() == expected
    assert info == FileInfo.of(expected)


CHANGES = st.dictionaries(
    st.text("abcdxyz/-", min_size=1, max_size=6), st.none() | st.integers(1, 4)
)
SUBJECTS = st.dictionaries(st.text("abcdxyz/-", min_size=1, max_size=6), st.integers(1, 4))


@settings(max_examples=60, deadline=None)
@given(old=SUBJECTS, changes=CHANGES)
def test_lines_and_blocks(
    tmp_path_factory: pytest.TempPathFactory, old: dict[str, int], changes: dict[str, int | None]
) -> None:
    tmp_path = tmp_path_factory.mktemp("splice")

    def subject(k: str, _v: int) -> bytes:
        return f"<{ID}{k}>".encode()

    check(tmp_path, old, changes, nquads, splice.Lines, subject, nquads)

    def body(part: dict[str, int]) -> bytes:
        return turtle(part)[len(header()) :]

    def blocks(data: bytes | splice.mmap.mmap) -> splice.Layout:
        return splice.Blocks(data, PREFIXES)

    check(tmp_path, old, changes, turtle, blocks, subject, body)


@settings(max_examples=60, deadline=None)
@given(old=SUBJECTS, changes=CHANGES)
def test_json_arrays(
    tmp_path_factory: pytest.TempPathFactory, old: dict[str, int], changes: dict[str, int | None]
) -> None:
    tmp_path = tmp_path_factory.mktemp("splice")
    # a node keeps its kind (drug or not) when it changes, as in the merge
    changes = {k: (v if v is None or k not in old else old[k] + 2 * v) for k, v in changes.items()}

    def node_key(k: str, v: int) -> bytes:
        return (b"0" if v % 2 else b"1") + (ID + k).encode()

    def node_chunk(part: dict[str, int]) -> bytes:
        ((k, v),) = part.items()
        node = {"id": ID + k, "type": "Drug" if v % 2 else "Concept", "n": v}
        return b"    " + jsonld.node_text(node).replace(b"\n", b"\n    ")

    def nodes(data: bytes | splice.mmap.mmap) -> splice.Layout:
        return splice.JsonLdNodes(data, jsonld.is_drug)

    check(tmp_path, old, changes, jsonld_document, nodes, node_key, node_chunk)

    def url_key(k: str, _v: int) -> bytes:
        return (ID + k).encode()

    def entry(part: dict[str, int]) -> bytes:
        ((k, v),) = part.items()
        return bundle_entry(ID + k, json.dumps({"n": v}, indent=2).encode() + b"\n")

    check(tmp_path, old, changes, bundle, splice.BundleEntries, url_key, entry)


def test_changes_must_come_in_key_order(tmp_path: Path) -> None:
    (tmp_path / "old").write_bytes(nquads({"a": 1, "b": 1}))
    with pytest.raises(ValueError, match="out of order"):
        splice.splice(
            tmp_path / "old", splice.Lines, [(b"<b>", []), (b"<a>", [])], tmp_path / "new"
        )


def test_long_unchanged_runs_are_copied_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(splice, "COPY_PIECE", 7)  # many pieces per run
    old = {f"s{i:03d}": 1 + i % 3 for i in range(200)}
    changes: dict[str, int | None] = {"s050": None, "s100": 4, "s150x": 2}
    check(
        tmp_path,
        old,
        changes,
        nquads,
        splice.Lines,
        lambda k, _v: f"<{ID}{k}>".encode(),
        nquads,
    )
