"""The incremental merge (`medkg.pipeline.fragments.incremental`): updating an output folder for
the clusters that changed gives the bytes of a full merge of the new set of fragments."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medkg.export.metadata import VOID_PREFIXES
from medkg.export.turtle import Terms, split_statement
from medkg.graph import build_dataset
from medkg.link.lexicon import bundled_lexicon
from medkg.model import Extraction
from medkg.pipeline.cluster import clusters, linking_keys
from medkg.pipeline.document_stage import process_one
from medkg.pipeline.fragments import Fragment, merge, render_fragment
from medkg.pipeline.fragments.changed_fragments import CannotUpdate
from medkg.pipeline.fragments.incremental import link_unchanged, update
from medkg.pipeline.fragments.merge import Recording
from medkg.pipeline.fragments.state import MergeState
from medkg.pipeline.fragments.void_update import edit_block
from medkg.pipeline.sources import collect_sources, relative_name
from medkg.pipeline.staging import swap_in
from medkg.read.decode import SourceText

from .conftest import append_to_usage, files_in
from .test_generated_corpus import generator

Document = tuple[SourceText, Extraction]
EXTRA: dict[str, bytes | Callable[[int], bytes]] = {
    "build-report.json": b'{"report": 1}\n',
    "validation-report.ttl": lambda triples: f"# {triples} triples\n".encode(),
}


def documents_in(folder: Path) -> list[Document]:
    found = []
    for path in collect_sources([folder]):
        _status, document = process_one(path, relative_name(path, [folder]))
        if document is not None:
            found.append(document)
    return found


RENDERED: dict[str, Fragment] = {}  # fragments already rendered, by key (across tests)


def fragments_of(documents: list[Document]) -> dict[str, Fragment]:
    """Each cluster's fragment by a key made from its documents' names and texts."""
    lexicon = bundled_lexicon()
    found = {}
    for members in clusters([linking_keys(extraction) for _, extraction in documents]):
        group = [documents[i] for i in members]
        digest = hashlib.sha256()
        for source, _extraction in group:
            digest.update(source.name.encode() + b"\0" + source.text.encode() + b"\0")
        key = digest.hexdigest()
        if key not in RENDERED:
            RENDERED[key] = render_fragment(build_dataset(group, lexicon))
        found[key] = RENDERED[key]
    return found


def full_merge(fragments: dict[str, Fragment], out: Path, state_path: Path) -> MergeState:
    state = MergeState.create(state_path)
    keys = sorted(fragments)
    merge([fragments[k] for k in keys], out, extra=EXTRA, record=Recording(state, keys))
    state.commit()
    return state


def incremental(
    old: dict[str, Fragment], new: dict[str, Fragment], out: Path, state: MergeState, work: Path
) -> None:
    staging = work / "staging"
    result = update(
        out,
        staging,
        state,
        {k: f for k, f in old.items() if k not in new},
        {k: f for k, f in new.items() if k not in old},
        old.__getitem__,
        EXTRA,
    )
    link_unchanged(result, staging, out)
    swap_in(staging, out)
    state.commit()
    shutil.rmtree(staging, ignore_errors=True)


def check(sources: Path, tmp_path: Path, change: Callable[[Path], None], times: int = 1) -> None:
    """Merge in full, change the sources `times` times updating the output each time; each
    update gives the bytes of a full merge of the new fragments."""
    out, reference = tmp_path / "out", tmp_path / "reference"
    old = fragments_of(documents_in(sources))
    state = full_merge(old, out, tmp_path / "state.sqlite")
    try:
        for _ in range(times):
            change(sources)
            new = fragments_of(documents_in(sources))
            assert new.keys() != old.keys()
            incremental(old, new, out, state, tmp_path)
            shutil.rmtree(reference, ignore_errors=True)
            full_merge(new, reference, tmp_path / "reference.sqlite").close()
            made, expected = files_in(out), files_in(reference)
            assert sorted(made) == sorted(expected)
            for name in expected:
                assert made[name] == expected[name], name
            old = new
    finally:
        state.close()


def test_a_changed_monograph_updates_to_the_full_merge(sources: Path, tmp_path: Path) -> None:
    check(sources, tmp_path, lambda s: append_to_usage(s / "monographs" / "ocrelizumab.md"))


def test_a_changed_seed_updates_twice(sources: Path, tmp_path: Path) -> None:
    check(sources, tmp_path, lambda s: append_to_usage(s / "romosozumab-monograph.txt"), 2)


def test_a_removed_and_an_added_document(sources: Path, tmp_path: Path) -> None:
    kept = tmp_path / "kept"
    kept.mkdir()

    def move(folder: Path) -> None:
        page = folder / "hcpcs" / "J2350.txt"
        if page.exists():
            page.rename(kept / page.name)
        else:
            (kept / page.name).rename(page)

    check(sources, tmp_path, move, 2)


def test_a_generated_corpus_edited_step_by_step(tmp_path: Path) -> None:
    sources = tmp_path / "generated"
    generator().generate(sources, 24, seed=8)
    monographs = sorted(p for p in sources.iterdir() if "Usage" in p.read_text(encoding="utf-8"))
    pages = sorted(p for p in sources.iterdir() if p.suffix == ".txt")
    aside = tmp_path / "aside"
    aside.mkdir()
    steps: list[Callable[[Path], None]] = [
        lambda _s: [append_to_usage(path) for path in monographs[:3]] and None,
        lambda _s: [path.rename(aside / path.name) for path in (pages[0], monographs[4])] and None,
        lambda _s: (
            [(aside / path.name).rename(path) for path in (pages[0], monographs[4])] and None
        ),
    ]
    iterator = iter(steps)
    check(sources, tmp_path, lambda s: next(iterator)(s), times=len(steps))


def test_a_state_that_does_not_match_is_refused(sources: Path, tmp_path: Path) -> None:
    old = fragments_of(documents_in(sources))
    state = full_merge(old, tmp_path / "out", tmp_path / "state.sqlite")
    try:
        stranger = {"not-merged": next(iter(old.values()))}
        with pytest.raises(CannotUpdate, match="do not match"):
            update(tmp_path / "out", tmp_path / "s", state, stranger, {}, old.__getitem__, EXTRA)
    finally:
        state.close()


# --- one block edited line by line -------------------------------------------------------------

OBJECTS = st.sampled_from(
    [
        "<https://w3id.org/medkg/id/a>",
        "<https://w3id.org/medkg/id/b/c>",
        "<http://rdfs.org/ns/void#Dataset>",
        "<http://www.w3.org/ns/dcat#Dataset>",
        '"12"^^<http://www.w3.org/2001/XMLSchema#integer>',
        '"a label"',
        '"x ; y , z"@en',
    ]
)
PREDICATES = st.sampled_from(
    [
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>",
        "<http://rdfs.org/ns/void#subset>",
        "<http://purl.org/dc/terms/title>",
        "<http://www.w3.org/ns/dcat#distribution>",
    ]
)
PAIRS = st.sets(st.tuples(PREDICATES, OBJECTS), min_size=1)


def statement_block(subject: str, pairs: set[tuple[str, str]]) -> str:
    statements = sorted(f"{subject} {p} {o}" for p, o in pairs)
    return Terms(VOID_PREFIXES).block(subject, [split_statement(s)[1:] for s in statements])


@settings(max_examples=150, deadline=None)
@given(old=PAIRS, new=PAIRS)
def test_a_block_edited_line_by_line_is_the_block_written_again(
    old: set[tuple[str, str]], new: set[tuple[str, str]]
) -> None:
    subject = "<https://w3id.org/medkg/id/dataset>"
    edited = edit_block(
        statement_block(subject, old),
        sorted(old - new),
        sorted(new - old),
        Terms(VOID_PREFIXES),
        VOID_PREFIXES,
    )
    assert edited == statement_block(subject, new)
