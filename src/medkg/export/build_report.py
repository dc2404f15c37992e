"""``build-report.json``: what happened to each source document, and how many terms are mapped.

The report is deterministic: keys sorted, documents sorted by path, no timings
and no absolute paths (each file is named relative to the source root it was
found under). It holds

- ``documents``: one entry per source document — ``file``, ``format``
  (``monograph``, ``code-page`` or null), ``status`` (``built``, ``skipped``,
  ``failed``), ``reason`` (why it was skipped), ``error`` (why it failed),
  ``traceback`` (frames of an unexpected error, a medkg bug) and ``facts``
  (counts by kind, see `FACT_KINDS`) and, when the shapes refused some of its
  facts, ``downgraded``: each such fact's kind, section, quote, offsets and the
  shapes' reason (the fact is kept in the graph as an ``unstructured``
  statement, see `medkg.graph.origins`);
- ``totals``: documents by status, facts by kind, summed over documents, and
  ``downgraded_facts``;
- ``identifier_mapping``: ``terms`` (reaction/condition concepts: the
  skos:Concept objects of medkg:reaction, medkg:condition and medkg:example),
  ``mapped`` (those with at least one skos:exactMatch) and ``rate``
  (mapped / terms rounded to 4 places; null when there are no terms); the same
  for drugs (schema:Drug nodes): ``drugs``, ``drugs_mapped``, ``drug_rate``;
- ``kgx`` (from a build): the ``nodes`` and ``edges`` of ``kgx/`` (`medkg.export.kgx`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from rdflib import URIRef

from medkg.graph.origins import DowngradedFact
from medkg.graph.reader import GraphReader
from medkg.model import Extraction
from medkg.namespaces import ID, MEDKG, RDF, SCHEMA, SKOS

FILE_NAME = "build-report.json"
STATUSES = ("built", "skipped", "failed")
FACT_KINDS = (
    "drugs",
    "indications",
    "mechanism_steps",
    "regimens",
    "adverse_reactions",
    "contraindications",
    "warnings",
    "faqs",
    "statements",
    "billing_codes",
    "procedures",
)
CONCEPT_LINKS = (MEDKG.reaction, MEDKG.condition, MEDKG.example)
DRUGS = str(ID["drug/"])  # the IRIs of drug nodes start so


class DocumentRecord(Protocol):
    """What the report reads from one document's status
    (`medkg.pipeline.document_stage.DocumentStatus`)."""

    @property
    def path(self) -> str: ...
    @property
    def format(self) -> str | None: ...
    @property
    def status(self) -> str: ...
    @property
    def reason(self) -> str: ...
    @property
    def error(self) -> str: ...
    @property
    def traceback(self) -> tuple[str, ...]: ...
    @property
    def facts(self) -> Mapping[str, int]: ...
    @property
    def downgraded(self) -> Sequence[DowngradedFact]: ...


@dataclass(frozen=True)
class IdentifierMapping:
    terms: int
    mapped: int
    drugs: int = 0
    drugs_mapped: int = 0

    @property
    def rate(self) -> float | None:
        return round(self.mapped / self.terms, 4) if self.terms else None

    @property
    def drug_rate(self) -> float | None:
        return round(self.drugs_mapped / self.drugs, 4) if self.drugs else None


def fact_counts(extraction: Extraction) -> dict[str, int]:
    """Facts of one document by kind (every kind present, zero when none)."""
    return {
        "drugs": len(extraction.drugs),
        "indications": len(extraction.indications),
        "mechanism_steps": len(extraction.mechanism),
        "regimens": len(extraction.regimens),
        "adverse_reactions": len(extraction.adverse_reactions),
        "contraindications": len(extraction.contraindications),
        "warnings": len(extraction.warnings),
        "faqs": len(extraction.faqs),
        "statements": len(extraction.statements),
        "billing_codes": len(extraction.billing_codes),
        "procedures": len(extraction.procedures),
    }


def mapped_concepts(graph: GraphReader) -> dict[str, bool]:
    """Reaction/condition concepts and drugs in `graph` -> whether each carries a
    skos:exactMatch.

    Merged across clusters (a node is mapped when any cluster maps it) this
    gives the corpus's `IdentifierMapping`."""
    concepts = {
        concept
        for link in CONCEPT_LINKS
        for concept in graph.objects(None, link)
        if isinstance(concept, URIRef) and (concept, RDF.type, SKOS.Concept) in graph
    }
    drugs = {d for d in graph.subjects(RDF.type, SCHEMA.Drug) if isinstance(d, URIRef)}
    return {str(c): graph.value(c, SKOS.exactMatch) is not None for c in concepts | drugs}


def mapping_of(concepts: Mapping[str, bool]) -> IdentifierMapping:
    """The `IdentifierMapping` of `mapped_concepts` (merged over clusters)."""
    drugs = {node: mapped for node, mapped in concepts.items() if node.startswith(DRUGS)}
    terms = len(concepts) - len(drugs)
    return IdentifierMapping(
        terms=terms,
        mapped=sum(concepts.values()) - sum(drugs.values()),
        drugs=len(drugs),
        drugs_mapped=sum(drugs.values()),
    )


def identifier_mapping(graph: GraphReader) -> IdentifierMapping:
    """Reaction/condition concepts in `graph`, and how many carry a skos:exactMatch."""
    return mapping_of(mapped_concepts(graph))


def document_entry(record: DocumentRecord) -> dict[str, object]:
    entry: dict[str, object] = {
        "file": record.path,
        "format": record.format,
        "status": record.status,
        "facts": {kind: record.facts.get(kind, 0) for kind in FACT_KINDS},
    }
    if record.reason:
        entry["reason"] = record.reason
    if record.error:
        entry["error"] = record.error
    if record.traceback:
        entry["traceback"] = list(record.traceback)
    if record.downgraded:
        entry["downgraded"] = [
            {
                "kind": fact.kind,
                "section": fact.section,
                "quote": fact.quote,
                "start": fact.start,
                "end": fact.end,
                "reason": fact.reason,
            }
            for fact in record.downgraded
        ]
    return entry


def report(
    records: Sequence[DocumentRecord],
    mapping: IdentifierMapping,
    kgx: Mapping[str, int] | None = None,
) -> dict[str, object]:
    """The report as a JSON-ready dict (see the module docstring); with `kgx`, the
    number of KGX nodes and edges."""
    documents = sorted((document_entry(r) for r in records), key=lambda e: str(e["file"]))
    by_status = {status: sum(1 for r in records if r.status == status) for status in STATUSES}
    by_status["total"] = len(records)
    facts = {kind: sum(r.facts.get(kind, 0) for r in records) for kind in FACT_KINDS}
    downgraded = sum(len(r.downgraded) for r in records)
    return {
        "documents": documents,
        "totals": {"documents": by_status, "facts": facts, "downgraded_facts": downgraded},
        "identifier_mapping": {
            "terms": mapping.terms,
            "mapped": mapping.mapped,
            "rate": mapping.rate,
            "drugs": mapping.drugs,
            "drugs_mapped": mapping.drugs_mapped,
            "drug_rate": mapping.drug_rate,
        },
        **({"kgx": dict(sorted(kgx.items()))} if kgx is not None else {}),
    }


def render(
    records: Sequence[DocumentRecord],
    mapping: IdentifierMapping,
    kgx: Mapping[str, int] | None = None,
) -> bytes:
    """``build-report.json``: sorted keys, two-space indent, trailing newline."""
    data = report(records, mapping, kgx)
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def summary_lines(
    records: Sequence[DocumentRecord], mapping: IdentifierMapping | None
) -> list[str]:
    """The terminal summary: counts by status, the mapping rate, every failed/skipped file."""
    counts = {status: sum(1 for r in records if r.status == status) for status in STATUSES}
    lines = [
        f"{len(records)} documents: "
        + ", ".join(f"{counts[status]} {status}" for status in STATUSES)
    ]
    if mapping is not None:
        rate = f"{mapping.rate:.1%}" if mapping.rate is not None else "n/a"
        lines.append(
            f"identifier mapping: {mapping.mapped} of {mapping.terms} "
            f"reaction/condition terms mapped ({rate})"
        )
        if mapping.drugs:
            lines.append(
                f"drug identifiers: {mapping.drugs_mapped} of {mapping.drugs} drugs mapped "
                f"({mapping.drug_rate:.1%})"
            )
    downgraded = [r for r in records if r.downgraded]
    if downgraded:
        count = sum(len(r.downgraded) for r in downgraded)
        lines.append(
            f"{count} fact(s) of {len(downgraded)} document(s) kept as statements: the shapes "
            f"refuse them (each is listed with the reason under 'downgraded' in {FILE_NAME})"
        )
    for record in sorted(records, key=lambda r: r.path):
        if record.status == "failed":
            lines.append(f"  failed   {record.error}")  # the error starts with the file
        elif record.status == "skipped":
            lines.append(f"  skipped  {record.path}: {record.reason}")
    return lines
