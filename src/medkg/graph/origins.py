"""Which extracted fact a graph node states, and how to take a fact back out.

`GraphWriter.written_from` records, for each fact node, the document and the
facts of its `Extraction` it was written from (`FactRef`). When the shapes
refuse a node, `fact_of` finds the fact node that holds it (the node itself,
or the nearest node whose IRI its own extends: ``…/regimen/x/1/dose`` belongs
to ``…/regimen/x/1``), and `without_facts` gives the extraction without those
facts, each kept as an ``unstructured`` statement of its evidence instead: the
words stay in the graph, the structure the model could not hold does not. A
node that no fact holds (the document, its drug, a section, an evidence node)
is the document's identity or evidence, and breaking it fails the document.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from rdflib import URIRef

from medkg.model import Evidence, Extraction, FactRef, StatementFact

Origins = Mapping[URIRef, tuple[str, tuple[FactRef, ...]]]


@dataclass(frozen=True)
class DowngradedFact:
    """A fact taken out of the graph because its node broke a shape (build report entry)."""

    kind: str  # the Extraction field ("regimens", "procedures.risks", …)
    section: str
    quote: str
    start: int
    end: int
    reason: str  # the shape's message(s)


def fact_of(origins: Origins, focus: str) -> tuple[str, tuple[FactRef, ...]] | None:
    """(document, facts) of the fact node that holds `focus`; None when no fact does."""
    path = focus
    while True:
        found = origins.get(URIRef(path))
        if found is not None:
            return found
        cut = path.rfind("/")
        if cut <= path.find("//") + 1:
            return None
        path = path[:cut]


def fact(extraction: Extraction, ref: FactRef) -> Any:
    """The fact `ref` points at."""
    found = getattr(extraction, ref[0])[ref[1]]
    if len(ref) == 4:
        found = getattr(found, ref[2])[ref[3]]
    return found


def kind_of(ref: FactRef) -> str:
    return ref[0] if len(ref) == 2 else f"{ref[0]}.{ref[2]}"


def without_facts(extraction: Extraction, refs: Iterable[FactRef]) -> Extraction:
    """`extraction` without the facts `refs` (and their parts), each kept as an
    ``unstructured`` statement of its evidence (once per span)."""
    refs = set(refs)
    whole = {(ref[0], ref[1]) for ref in refs if len(ref) == 2}
    parts: dict[tuple[str, int], dict[str, set[int]]] = {}
    for ref in refs:
        if len(ref) == 4 and (ref[0], ref[1]) not in whole:
            parts.setdefault((ref[0], ref[1]), {}).setdefault(ref[2], set()).add(ref[3])
    kept: list[Evidence] = [fact(extraction, ref).evidence for ref in sorted(refs)]
    changes: dict[str, Any] = {}
    for name in sorted({ref[0] for ref in refs}):
        facts = []
        for index, item in enumerate(getattr(extraction, name)):
            if (name, index) in whole:
                continue
            for part, drop in sorted(parts.get((name, index), {}).items()):
                values = getattr(item, part)
                item = replace(
                    item, **{part: tuple(v for i, v in enumerate(values) if i not in drop)}
                )
            facts.append(item)
        changes[name] = tuple(facts)
    spans = {(s.evidence.start, s.evidence.end) for s in extraction.statements}
    statements = list(extraction.statements)
    for evidence in kept:
        if (evidence.start, evidence.end) not in spans:
            spans.add((evidence.start, evidence.end))
            statements.append(StatementFact("unstructured", evidence))
    return replace(extraction, statements=tuple(statements), **changes)


def downgraded(extraction: Extraction, ref: FactRef, reason: str) -> DowngradedFact:
    """The build report's entry for taking `ref` out of `extraction`."""
    evidence: Evidence = fact(extraction, ref).evidence
    return DowngradedFact(
        kind=kind_of(ref),
        section=evidence.section,
        quote=evidence.quote,
        start=evidence.start,
        end=evidence.end,
        reason=reason,
    )
