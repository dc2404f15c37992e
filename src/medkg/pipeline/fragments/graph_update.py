"""The incremental merge's part of ``medkg.nq`` and ``medkg.ttl``: the changed subjects.

Each subject of a changed fragment gets the lines the other fragments still
give it (its old lines in ``medkg.nq``, or the counted lines of a subject
several fragments share, kept in the `MergeState`) plus the new ones, and its
Turtle block is made again (`medkg.export.turtle.Terms.block`, as the merge
does); the triples of each named graph and the distinct triples are adjusted
by the difference. A state that does not match ``medkg.nq`` raises
`CannotUpdate`.
"""

from __future__ import annotations

import mmap
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from medkg.export import nquads, turtle
from medkg.pipeline.fragments import splice
from medkg.pipeline.fragments.changed_fragments import CannotUpdate, Changes, Fragments
from medkg.pipeline.fragments.graph_part import split_lines, split_quad, subjects_of
from medkg.pipeline.fragments.state import MergeState


def _lines_of(layout: splice.Lines, subject: bytes) -> bytes:
    start = layout.lower_bound(subject, layout.start)
    stop = start
    while stop < layout.end and layout.key(stop) == subject:
        stop = layout.following(stop)
    return bytes(layout.data[start:stop])


def _counts(lines: Iterable[bytes]) -> tuple[Counter[str], int]:
    """Lines per named graph, and distinct statements, of sorted N-Quads lines."""
    graphs: Counter[str] = Counter()
    statements = set()
    for line in lines:
        statement, graph = split_quad(line[:-1].decode("utf-8"))
        graphs[graph] += 1
        statements.add(statement)
    return graphs, len(statements)


def _block(subject: bytes, lines: list[bytes], terms: turtle.Terms) -> bytes:
    pairs: list[tuple[str, str]] = []
    previous = ""
    for line in lines:
        statement, _graph = split_quad(line[:-1].decode("utf-8"))
        if statement != previous:
            _, predicate, value = turtle.split_statement(statement)
            pairs.append((predicate, value))
            previous = statement
    return terms.block(subject.decode("utf-8"), pairs).encode("utf-8")


@dataclass
class GraphUpdate:
    quads: Changes
    blocks: Changes
    graphs: dict[str, int]
    statements: int


def update_graph(out: Path, state: MergeState, fragments: Fragments) -> GraphUpdate:
    """The changed subjects of ``medkg.nq`` and ``medkg.ttl``, and the new counts."""
    taken: dict[bytes, list[bytes]] = {}
    given: dict[bytes, list[bytes]] = {}
    for chosen, into in ((fragments.removed, taken), (fragments.added, given)):
        for fragment in chosen.values():
            for subject, lines, _block_text in subjects_of(fragment.graph):
                into.setdefault(subject, []).append(lines)
    subjects = sorted(set(taken) | set(given))
    shared = state.subjects(subjects)
    graphs: Counter[str] = Counter(state.get_meta("graphs") or {})
    statements = int(state.get_meta("statements") or 0)
    terms = turtle.Terms()
    quads: Changes = []
    blocks: Changes = []
    stored: dict[bytes, tuple[int, Counter[bytes]] | None] = {}
    with (out / nquads.FILE).open("rb") as handle:
        data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            layout = splice.Lines(data)
            for subject in subjects:
                if subject in shared:
                    owners, counts = shared[subject]
                    old_lines = sorted(line for line, n in counts.items() if n > 0)
                else:
                    old_lines = split_lines(_lines_of(layout, subject))
                    owners, counts = (1 if old_lines else 0), Counter(old_lines)
                for sign, parts in ((-1, taken.get(subject, [])), (1, given.get(subject, []))):
                    for lines in parts:
                        owners += sign
                        counts.update({line: sign for line in split_lines(lines)})
                if owners < 0 or any(n < 0 for n in counts.values()):
                    raise CannotUpdate(f"the merge state does not match medkg.nq at {subject!r}")
                new_lines = sorted(line for line, n in counts.items() if n > 0)
                stored[subject] = (owners, +counts) if owners > 1 else None
                if new_lines == old_lines:
                    continue
                old_graphs, old_statements = _counts(old_lines)
                new_graphs, new_statements = _counts(new_lines)
                graphs.subtract(old_graphs)
                graphs.update(new_graphs)
                statements += new_statements - old_statements
                quads.append((subject, [b"".join(new_lines)] if new_lines else []))
                blocks.append((subject, [_block(subject, new_lines, terms)] if new_lines else []))
        finally:
            data.close()
    state.put_subjects({s: v for s, v in stored.items() if v is not None or s in shared})
    return GraphUpdate(quads, blocks, {g: n for g, n in sorted(graphs.items()) if n}, statements)
