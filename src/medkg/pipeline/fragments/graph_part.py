"""``medkg.nq`` and ``medkg.ttl``: rendered per subject in the worker, joined by the merge.

Sorted N-Quads lines keep each subject's lines together, and sorting subjects
gives the same order as sorting lines. So a fragment stores its lines and its
Turtle blocks (`medkg.export.turtle.Terms.block`) subject by subject
(`GraphPart`), and the merge joins the fragments' subjects in order:

* a subject only one fragment has, or that several have with the same lines,
  is written as rendered (its lines to ``medkg.nq``, its block to ``medkg.ttl``);
* a subject several fragments have with different lines (a shared concept,
  say) gets the sorted union of the lines, and its block is made again.

Counts: each fragment counts the lines of each named graph and its distinct
statements; the merge subtracts what shared subjects repeat, which gives the
triples per named graph and the distinct triples of the union.
"""

from __future__ import annotations

import struct
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from medkg.export import turtle
from medkg.pipeline.fragments.spool import RecordSpool

_LENGTH = struct.Struct(">Q")


@dataclass(frozen=True)
class GraphPart:
    nquads: bytes  # sorted distinct N-Quads lines, each ending in a newline
    turtle: bytes  # one Turtle block per subject, same order
    subject_ends: tuple[tuple[int, int], ...]  # per subject: end offsets in nquads and turtle
    graph_triples: tuple[tuple[str, int], ...]  # named graph IRI -> its lines, sorted
    statements: int  # distinct statements (a statement in two graphs counts once)


def split_quad(line: str) -> tuple[str, str]:
    """An N-Quads line -> (its statement ``<s> <p> o``, its graph IRI)."""
    cut = line.rindex(" ", 0, len(line) - 2)
    return line[:cut], line[cut + 2 : -3]


def graph_part(sorted_lines: list[str]) -> GraphPart:
    """The `GraphPart` of sorted, distinct N-Quads lines (no newlines)."""
    terms = turtle.Terms()
    graphs: Counter[str] = Counter()
    nquads: list[bytes] = []
    blocks: list[bytes] = []
    ends: list[tuple[int, int]] = []
    nquads_size = turtle_size = statements = 0
    index = 0
    while index < len(sorted_lines):
        subject = sorted_lines[index][: sorted_lines[index].index(" ")]
        prefix = subject + " "
        end = index
        pairs: list[tuple[str, str]] = []
        previous = ""
        while end < len(sorted_lines) and sorted_lines[end].startswith(prefix):
            statement, graph = split_quad(sorted_lines[end])
            graphs[graph] += 1
            if statement != previous:
                _, predicate, value = turtle.split_statement(statement)
                pairs.append((predicate, value))
                previous = statement
            end += 1
        statements += len(pairs)
        lines = "".join(line + "\n" for line in sorted_lines[index:end]).encode("utf-8")
        block = terms.block(subject, pairs).encode("utf-8")
        nquads.append(lines)
        blocks.append(block)
        nquads_size += len(lines)
        turtle_size += len(block)
        ends.append((nquads_size, turtle_size))
        index = end
    return GraphPart(
        b"".join(nquads), b"".join(blocks), tuple(ends), tuple(sorted(graphs.items())), statements
    )


def subjects_of(part: GraphPart) -> Iterable[tuple[bytes, bytes, bytes]]:
    """(subject, its N-Quads lines, its Turtle block) of a part, in order."""
    start_quads = start_turtle = 0
    for end_quads, end_turtle in part.subject_ends:
        lines = part.nquads[start_quads:end_quads]
        yield lines[: lines.index(b" ")], lines, part.turtle[start_turtle:end_turtle]
        start_quads, start_turtle = end_quads, end_turtle


class GraphMerge:
    """Collects the graph parts of fragments; writes ``medkg.nq`` and ``medkg.ttl``."""

    def __init__(self, folder: Callable[[], Path], budget: int, record: bool = False):
        self.subjects = RecordSpool("subjects", folder, budget)
        self.graphs: Counter[str] = Counter()
        self.statements = 0
        # with `record`: each subject several fragments have -> (how many, each line with the
        # number of fragments giving it), for the merge state
        self.shared: dict[bytes, tuple[int, Counter[bytes]]] | None = {} if record else None

    def add(self, part: GraphPart) -> None:
        for subject, lines, block in subjects_of(part):
            self.subjects.add(subject, _LENGTH.pack(len(lines)) + lines + block)
        self.graphs.update(dict(part.graph_triples))
        self.statements += part.statements

    def write(
        self,
        write_quads: Callable[[bytes], object],
        write_turtle: Callable[[bytes], object],
        each_subject: Callable[[bytes], object] | None = None,
    ) -> tuple[dict[str, int], int]:
        """Write both files; return the triples of each named graph and the distinct triples.
        `each_subject` is given each subject's merged N-Quads lines (the KGX nodes)."""
        terms = turtle.Terms()
        write_turtle(turtle.header())
        written = False
        for subject, payloads in self.subjects.grouped():
            copies = sorted(set(payloads))
            if len(payloads) > 1:
                lines, block = self._shared(subject, payloads, copies, terms)
                if self.shared is not None:
                    self.shared[subject] = (len(payloads), shared_lines(payloads))
            else:
                (payload,) = copies
                size = _LENGTH.unpack_from(payload)[0]
                lines = payload[_LENGTH.size : _LENGTH.size + size]
                block = payload[_LENGTH.size + size :]
            write_quads(lines)
            write_turtle(block)
            if each_subject is not None:
                each_subject(lines)
            written = True
        if not written:
            write_quads(b"\n")  # as `medkg.export.nquads.render` writes no lines
        graphs = {graph: count for graph, count in sorted(self.graphs.items()) if count}
        return graphs, self.statements

    def _shared(
        self, subject: bytes, payloads: list[bytes], copies: list[bytes], terms: turtle.Terms
    ) -> tuple[bytes, bytes]:
        """The lines and block of a subject several fragments have; repeats are uncounted."""
        union: set[str] = set()
        for payload in payloads:
            size = _LENGTH.unpack_from(payload)[0]
            lines = payload[_LENGTH.size : _LENGTH.size + size].decode("utf-8").split("\n")[:-1]
            copy_statements: set[str] = set()
            for line in lines:
                statement, graph = split_quad(line)
                self.graphs[graph] -= 1
                copy_statements.add(statement)
            self.statements -= len(copy_statements)
            union.update(lines)
        merged = sorted(union)
        merged_statements: list[str] = []
        for line in merged:
            statement, graph = split_quad(line)
            self.graphs[graph] += 1
            if not merged_statements or merged_statements[-1] != statement:
                merged_statements.append(statement)
        self.statements += len(merged_statements)
        if len(copies) == 1:
            size = _LENGTH.unpack_from(copies[0])[0]
            return copies[0][_LENGTH.size : _LENGTH.size + size], copies[0][_LENGTH.size + size :]
        pairs = [turtle.split_statement(s)[1:] for s in merged_statements]
        block = terms.block(subject.decode("utf-8"), [(p, o) for p, o in pairs])
        return "".join(line + "\n" for line in merged).encode("utf-8"), block.encode("utf-8")


def payload_lines(payload: bytes) -> bytes:
    """The N-Quads lines of a spooled subject payload."""
    size = _LENGTH.unpack_from(payload)[0]
    return payload[_LENGTH.size : _LENGTH.size + size]


def shared_lines(payloads: list[bytes]) -> Counter[bytes]:
    """Each N-Quads line (with its newline) of a subject's payloads, with the number of
    payloads holding it."""
    counts: Counter[bytes] = Counter()
    for payload in payloads:
        counts.update(split_lines(payload_lines(payload)))
    return counts


def split_lines(data: bytes) -> list[bytes]:
    """Lines of `data` (each ending in a newline, as N-Quads are written), newlines kept."""
    return [line + b"\n" for line in data.split(b"\n")[:-1]]
