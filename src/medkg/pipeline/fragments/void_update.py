"""The incremental merge's part of ``void.ttl``: the blocks that change.

The blocks of the named graphs, the described files and the source documents
that changed are made again as `medkg.export.metadata.void_statements` makes
them; the dataset block, which lists every graph, document and file, is
edited line by line (`edit_block`) rather than written again. A dataset block
not as medkg writes it, or statements not those `void_statements` makes, raise
`CannotUpdate`.
"""

from __future__ import annotations

import bisect
import mmap
from collections.abc import Iterable, Mapping
from pathlib import Path

from medkg.export import turtle
from medkg.export.metadata import (
    DCAT,
    SELF_DESCRIBING,
    VOID,
    VOID_PREFIXES,
    DatasetFacts,
    FileInfo,
    void_statements,
)
from medkg.export.turtle import iri, split_statement
from medkg.namespaces import DCTERMS, ID, RDF
from medkg.pipeline.fragments import splice
from medkg.pipeline.fragments.changed_fragments import CannotUpdate, Changes

VOID_FILE = SELF_DESCRIBING[0]
RDF_TYPE = str(RDF.type)


def _dataset_fixed(triples: int) -> list[str]:
    """The dataset node's statements that do not list graphs, documents or files."""
    node = iri(ID["dataset"])
    made = void_statements(DatasetFacts({}, triples, []), {})
    return [s for s in made if s.startswith(node + " ")]


def dataset_items(
    graphs: Iterable[str], documents: Iterable[str], names: Iterable[str]
) -> list[str]:
    """The dataset node's statements listing `graphs`, `documents` and file `names`, as
    `medkg.export.metadata.void_statements` makes them (checked on one item of each kind
    by `_check_dataset_items`)."""
    node = iri(ID["dataset"])
    found = [
        f"{node} {iri(VOID.subset)} {iri(ID[f'dataset/{name.removeprefix(str(ID))}'])}"
        for name in graphs
    ]
    found += [f"{node} {iri(DCTERMS.source)} {document}" for document in documents]
    found += [
        f"{node} {iri(DCAT.distribution)} {iri(ID[f'dataset/distribution/{name}'])}"
        for name in names
    ]
    return found


def _check_dataset_items(graph: str | None, document: str | None, name: str | None) -> None:
    """`dataset_items` must say what `void_statements` says (one item of each kind)."""
    node = iri(ID["dataset"])
    sources = [f"{document} <x:p> <x:o>"] if document else []
    facts = DatasetFacts({graph: 1} if graph else {}, 0, sources)
    expected = {
        s
        for s in void_statements(facts, {name: FileInfo(0, "")} if name else {})
        if s.startswith(node + " ")
    }
    made = set(_dataset_fixed(0)) | set(
        dataset_items(
            [graph] if graph else [], [document] if document else [], [name] if name else []
        )
    )
    if made != expected:
        raise CannotUpdate(
            "void.ttl's dataset statements are not those medkg.export.metadata makes"
        )


def _expand(term: str, namespaces: Mapping[str, str]) -> str:
    """A term as `medkg.export.turtle.Terms` writes it, back in N-Triples form."""
    if term == "a":
        return f"<{RDF_TYPE}>"
    if term.startswith('"'):
        close = term.rfind('"')
        tail = term[close + 1 :]
        if tail.startswith("^^") and not tail.startswith("^^<"):
            return term[: close + 1] + "^^" + _expand(tail[2:], namespaces)
        return term
    if term.startswith("<"):
        return term
    prefix, _, local = term.partition(":")
    return f"<{namespaces[prefix]}{local}>"


def edit_block(
    block: str,
    removed: Iterable[tuple[str, str]],
    added: Iterable[tuple[str, str]],
    terms: turtle.Terms,
    namespaces: Mapping[str, str],
) -> str:
    """A block `medkg.export.turtle.Terms.block` wrote, with some (predicate, object) pairs
    taken away and others added, edited line by line (a subject with many objects is not
    written again): predicates in their order (``a`` first, then by IRI), each one's
    objects by their N-Triples form, one per line when there are several."""
    lines = block.rstrip("\n").split("\n")
    if len(lines) < 2 or lines[-1] != ".":
        raise CannotUpdate("void.ttl: a block not as medkg writes it")
    groups: dict[str, list[str]] = {}
    index = 1
    while index < len(lines) - 1:
        body = lines[index][4:]
        if " " in body:  # "verb object ;"
            verb, value = body.split(" ", 1)
            groups[verb] = [value[:-2]]
            index += 1
            continue
        objects = []
        index += 1
        while index < len(lines) - 1 and lines[index].startswith("        "):
            objects.append(lines[index][8:-2])
            index += 1
        groups[body] = objects
    for predicate, value in removed:
        verb = "a" if predicate == f"<{RDF_TYPE}>" else terms.iri(predicate)
        written = terms.term(value)
        if written not in groups.get(verb, []):
            raise CannotUpdate(f"void.ttl: {value} is not there to remove")
        groups[verb].remove(written)
    for predicate, value in added:
        verb = "a" if predicate == f"<{RDF_TYPE}>" else terms.iri(predicate)
        objects = groups.setdefault(verb, [])
        place = bisect.bisect_left(objects, value, key=lambda o: _expand(o, namespaces))
        objects.insert(place, terms.term(value))
    order = sorted(
        (verb for verb, objects in groups.items() if objects),
        key=lambda verb: (verb != "a", _expand(verb, namespaces)),
    )
    written_lines = [lines[0]]
    for verb in order:
        objects = groups[verb]
        if len(objects) == 1:
            written_lines.append(f"    {verb} {objects[0]} ;")
        else:
            values = " ,\n".join(f"        {value}" for value in objects)
            written_lines.append(f"    {verb}\n{values} ;")
    written_lines.append(".\n\n")
    return "\n".join(written_lines)


def _pairs(statements: Iterable[str]) -> list[tuple[str, str]]:
    return [(p, o) for _s, p, o in map(split_statement, statements)]


def update_void(
    out: Path,
    old: tuple[Mapping[str, int], int, Mapping[str, list[str]], Mapping[str, FileInfo]],
    new: tuple[Mapping[str, int], int, Mapping[str, list[str]], Mapping[str, FileInfo]],
) -> Changes:
    """The changed blocks of ``void.ttl``. `old` and `new` are (triples per named graph,
    distinct triples, the statements about each source document the change touches,
    each described file the change touches), before and after."""
    old_graphs, old_triples, old_by_document, old_files = old
    graphs, triples, new_by_document, files = new
    _check_dataset_items(
        next(iter(graphs), None), next(iter(new_by_document), None), next(iter(files), None)
    )
    changed_graphs = {g for g in {*old_graphs, *graphs} if old_graphs.get(g) != graphs.get(g)}
    changed_files = {n for n in {*old_files, *files} if old_files.get(n) != files.get(n)}
    subjects: dict[str, list[str]] = {}
    for graph in changed_graphs:
        subset = iri(ID[f"dataset/{graph.removeprefix(str(ID))}"])
        made = (
            void_statements(DatasetFacts({graph: graphs[graph]}, 0, []), {})
            if graph in graphs
            else []
        )
        subjects[subset] = [s for s in made if s.startswith(subset + " ")]
    for name in changed_files:
        distribution = iri(ID[f"dataset/distribution/{name}"])
        made = (
            void_statements(DatasetFacts({}, 0, []), {name: files[name]}) if name in files else []
        )
        subjects[distribution] = [s for s in made if s.startswith(distribution + " ")]
    for document in {*old_by_document, *new_by_document}:
        old_lines = sorted(set(old_by_document.get(document, [])))
        new_lines = sorted(set(new_by_document.get(document, [])))
        if old_lines != new_lines:
            made = void_statements(DatasetFacts({}, 0, new_lines), {}) if new_lines else []
            subjects[document] = [s for s in made if s.startswith(document + " ")]
    terms = turtle.Terms(VOID_PREFIXES)
    changes: Changes = []
    for subject in sorted(subjects):
        statements = sorted(set(subjects[subject]))
        pairs = [split_statement(s)[1:] for s in statements]
        block = terms.block(subject, pairs).encode("utf-8") if pairs else None
        changes.append((subject.encode("utf-8"), [block] if block else []))

    node = iri(ID["dataset"])
    taken = set(_dataset_fixed(old_triples)) | set(
        dataset_items(
            [g for g in old_graphs if g not in graphs],
            [d for d in old_by_document if d not in new_by_document],
            [n for n in old_files if n not in files],
        )
    )
    given = set(_dataset_fixed(triples)) | set(
        dataset_items(
            [g for g in graphs if g not in old_graphs],
            [d for d in new_by_document if d not in old_by_document],
            [n for n in files if n not in old_files],
        )
    )
    if taken != given:
        with (out / VOID_FILE).open("rb") as handle:
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            try:
                layout = splice.Blocks(data, VOID_PREFIXES)
                key = node.encode("utf-8")
                start = layout.lower_bound(key, layout.start)
                if start >= layout.end or layout.key(start) != key:
                    raise CannotUpdate("void.ttl has no dataset block")
                dataset_block = bytes(data[start : layout.chunk_end(start)]).decode("utf-8")
            finally:
                data.close()
        edited = edit_block(
            dataset_block,
            _pairs(sorted(taken - given)),
            _pairs(sorted(given - taken)),
            terms,
            VOID_PREFIXES,
        )
        changes.append((node.encode("utf-8"), [edited.encode("utf-8")]))
        changes.sort(key=lambda change: change[0])
    return changes
