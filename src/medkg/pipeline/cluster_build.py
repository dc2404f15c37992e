"""One cluster of documents -> its validated graph -> its export fragment (run in a worker).

A cluster (see `medkg.pipeline.cluster`) is graphed with the same code as the whole
corpus (`medkg.graph.write_graph`, into plain quads: no rdflib graph), validated on
its own (its graph is its slice of the corpus graph: its N-Quads lines loaded into
a pyoxigraph store) and rendered to an export `Fragment` that the merge step
joins with the others.

A document is blamed, and left out of the cluster, when graphing it raises
(a medkg bug) or when a SHACL violation's focus node is one its graph
describes; the rest of the cluster is then graphed again without it. Whether
a blamed document stops the build is the caller's decision (``--keep-going``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from medkg.errors import ExportInvalid, MedkgError
from medkg.export import nquads
from medkg.export.build_report import fact_counts, mapped_concepts
from medkg.export.turtle import union_graph
from medkg.graph import GraphWriter, write_graph
from medkg.graph.origins import DowngradedFact, downgraded, fact_of, without_facts
from medkg.graph.quads import Quads
from medkg.link.lexicon import Lexicon, bundled_lexicon
from medkg.model import Extraction, FactRef
from medkg.pipeline.cache import Cache
from medkg.pipeline.fragments import render_fragment
from medkg.read.decode import SourceText
from medkg.shacl.validate import ValidationOutcome, Violation, validate_graph

Document = tuple[SourceText, Extraction]

_LEXICON: Lexicon | None = None  # set by `use_lexicon` before workers start (they inherit it)


def use_lexicon(lexicon: Lexicon | None) -> None:
    """The lexicon clusters are graphed with (None: the bundled one)."""
    global _LEXICON
    _LEXICON = lexicon


def lexicon() -> Lexicon:
    global _LEXICON
    if _LEXICON is None:
        _LEXICON = bundled_lexicon()
    return _LEXICON


@dataclass(frozen=True)
class ClusterJob:
    """What a worker needs: the cluster's documents (by store key) and the build options."""

    members: tuple[tuple[str, str], ...]  # (file name, key of its stored document)
    store: Path  # the folder documents (and fragments) are stored in
    fhir_version: str
    validator: str
    key: str  # the cluster's own key (its members' keys and the options)
    # members whose document IRIs carry a digest (see `medkg.pipeline.sources.shared_names`)
    shared: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Blame:
    """Why a document was left out of its cluster."""

    error: str
    kind: str  # "bug", "invalid" (SHACL violations) or "export"
    traceback: tuple[str, ...] = ()
    violations: tuple[Violation, ...] = ()
    export: ExportInvalid | None = None  # kind "export": what did not validate


@dataclass(frozen=True)
class ClusterOutcome:
    built: tuple[str, ...]  # files graphed, validated and rendered
    blamed: dict[str, Blame] = field(default_factory=dict)  # file -> why it was left out
    results: tuple[Violation, ...] = ()  # non-violation results (warnings) of the built graph
    triples: int = 0  # triples of the cluster's graph (shared nodes counted in each cluster)
    concepts: dict[str, bool] = field(default_factory=dict)  # see build_report.mapped_concepts
    fragment: str | None = None  # store key of the rendered fragment
    # file -> facts the shapes refused, kept as statements (see medkg.graph.origins)
    downgraded: dict[str, tuple[DowngradedFact, ...]] = field(default_factory=dict)
    facts: dict[str, dict[str, int]] = field(default_factory=dict)  # their counts after that


def _documents_describing(writer: GraphWriter, focus: Sequence[str], names: list[str]) -> set[str]:
    """The files whose named graph has a triple about one of the `focus` nodes."""
    blamed = set()
    for name in names:
        graph = writer.quads.graph(writer.graph_iri(name))
        if any((URIRef(node), None, None) in graph for node in focus):
            blamed.add(name)
    return blamed


def _bug(name: str, error: Exception, when: str) -> Blame:
    from medkg.pipeline.document_stage import BUG_HINT, frames  # the build's wording for medkg bugs

    return Blame(
        f"{name}: {type(error).__name__} while {when}: {error} ({BUG_HINT})",
        "bug",
        frames(error),
    )


def graph_documents(
    documents: list[Document], shared: frozenset[str] = frozenset()
) -> tuple[GraphWriter | None, dict[str, Blame]]:
    """The cluster's graph (`shared`: see `ClusterJob`); a document whose graphing raises is
    left out and blamed."""
    try:
        return write_graph(documents, lexicon(), shared), {}
    except Exception:  # find the document to blame, one by one
        pass
    blamed: dict[str, Blame] = {}
    kept = []
    for document in documents:
        try:
            write_graph([document], lexicon(), shared)
        except Exception as bug:  # one document's bug must not stop the others
            blamed[document[0].name] = _bug(document[0].name, bug, "graphing")
        else:
            kept.append(document)
    if not blamed:  # no single document is to blame: linking them together fails
        for document in documents:
            blamed[document[0].name] = _bug(
                document[0].name, RuntimeError("graphing the cluster failed"), "linking"
            )
        return None, blamed
    writer, more = graph_documents(kept, shared)
    return writer, {**blamed, **more}


def validate_quads(quads: Quads, lines: list[str], engine: str) -> ValidationOutcome:
    """The SHACL outcome of a cluster's quads, whose sorted N-Quads `lines` are given: the
    compiled engine on a store loaded from the lines; pySHACL (``engine="pyshacl"``, the
    reference) on an rdflib graph of their union."""
    if engine == "sparql":
        from medkg.shacl.engine import validate_nquads  # medkg.shacl imports pyoxigraph

        return validate_nquads(nquads.render(lines))
    return validate_graph(union_graph(quads.to_dataset()), engine=engine)


def _violations(outcome: ValidationOutcome) -> list[Violation]:
    return [v for v in outcome.violations if v.severity == "Violation"]


def _members_failed(job: ClusterJob, error: Exception, when: str) -> ClusterOutcome:
    """Every document of the cluster failed with `error` (not stored: the next build tries
    again)."""
    return ClusterOutcome(
        built=(), blamed={name: _bug(name, error, when) for name, _key in job.members}
    )


def build_cluster_safely(job: ClusterJob) -> ClusterOutcome:
    """`build_cluster`, but an exception fails the cluster's documents instead of the build
    (run in the worker, so what crosses back is always a plain outcome)."""
    try:
        return build_cluster(job)
    except Exception as error:  # a bug in one cluster must not stop the others
        return _members_failed(job, error, "building its cluster")


def cluster_crashed(job: ClusterJob, crash: BaseException) -> ClusterOutcome:
    """The outcome of a cluster whose worker process died while building it."""
    died = RuntimeError(f"the worker process building it died ({crash})")
    return _members_failed(job, died, "building its cluster")


def _facts_holding(writer: GraphWriter, focus: str) -> list[tuple[str, tuple[FactRef, ...]]]:
    """(document, facts) of the facts that hold `focus`: the fact node it belongs to, or,
    for a node no fact holds (a concept), every fact naming it, by document (a concept
    the shapes refuse costs the facts naming it). Empty when no fact does."""
    held = fact_of(writer.origins, focus)
    if held is not None:
        return [held]
    by_document: dict[str, dict[FactRef, None]] = {}
    for subject, _, _, _ in writer.quads.quads((None, None, URIRef(focus))):
        found = fact_of(writer.origins, str(subject)) if isinstance(subject, URIRef) else None
        if found is not None:
            by_document.setdefault(found[0], {}).update(dict.fromkeys(found[1]))
    return [(document, tuple(refs)) for document, refs in sorted(by_document.items())]


def _answer_violations(
    writer: GraphWriter,
    documents: list[Document],
    violations: list[Violation],
    blamed: dict[str, Blame],
    downgrades: dict[str, list[DowngradedFact]],
) -> list[Document]:
    """The cluster's documents once each violation is answered: a violation on a node a
    fact holds takes that fact out of its document (kept as a statement, recorded in
    `downgrades`); any other one (the document's identity or evidence) blames the
    document that describes its focus node (every document, when none does)."""
    names = [d[0].name for d in documents]
    dropped: dict[str, dict[FactRef, list[str]]] = {}
    broken: list[Violation] = []
    for violation in violations:
        holders = [h for h in _facts_holding(writer, violation.focus) if h[0] in names]
        if not holders:
            broken.append(violation)
            continue
        for document, refs in holders:
            for ref in refs:
                reasons = dropped.setdefault(document, {}).setdefault(ref, [])
                reasons.append(f"{violation.path}: {violation.message}")
    guilty = _documents_describing(writer, [v.focus for v in broken], names) if broken else set()
    if broken and not guilty:
        guilty = set(names)
    for name in guilty:
        mine = tuple(v for v in broken if _documents_describing(writer, [v.focus], [name])) or (
            tuple(broken)
        )
        shown = "; ".join(f"{v.focus} {v.path}: {v.message}" for v in mine[:3])
        more = f" and {len(mine) - 3} more" if len(mine) > 3 else ""
        blamed[name] = Blame(
            f"{name}: its graph does not conform to shapes/ ({len(mine)} violation(s): "
            f"{shown}{more})",
            "invalid",
            violations=mine,
        )
    kept: list[Document] = []
    for source, extraction in documents:
        if source.name in guilty:
            continue
        refused = dropped.get(source.name)
        if refused:
            for ref, reasons in sorted(refused.items()):
                reason = "; ".join(sorted(set(reasons)))
                downgrades.setdefault(source.name, []).append(downgraded(extraction, ref, reason))
            extraction = without_facts(extraction, refused)
        kept.append((source, extraction))
    return kept


def build_cluster(job: ClusterJob) -> ClusterOutcome:
    """Graph, validate and render one cluster; the fragment is put in the store."""
    store = Cache(job.store)
    cached = store.get("cluster", job.key)
    if isinstance(cached, ClusterOutcome) and (
        cached.fragment is None or store.has("fragment", cached.fragment)
    ):
        return cached
    documents: list[Document] = []
    for name, key in job.members:
        stored = store.get("document", key)
        if not isinstance(stored, tuple) or stored[1] is None:
            raise MedkgError(
                f"{job.store}: the build cache lost the stored document {name} ({key}); "
                "delete the cache folder (or use --no-cache) and rebuild"
            )
        documents.append(stored[1])
    blamed: dict[str, Blame] = {}
    downgrades: dict[str, list[DowngradedFact]] = {}
    while documents:
        writer, bugs = graph_documents(documents, job.shared)
        blamed.update(bugs)
        documents = [d for d in documents if d[0].name not in bugs]
        if writer is None or not documents:
            break
        quads = writer.quads
        lines = nquads.lines(quads)
        validation = validate_quads(quads, lines, job.validator)
        violations = _violations(validation)
        if violations:
            documents = _answer_violations(writer, documents, violations, blamed, downgrades)
            continue
        try:
            fragment = render_fragment(quads, job.fhir_version, lines)
        except ExportInvalid as invalid:
            for document in documents:
                blamed[document[0].name] = Blame(
                    f"{document[0].name}: {invalid}", "export", export=invalid
                )
            documents = []
            break
        store.put("fragment", job.key, fragment.to_bytes())
        outcome = ClusterOutcome(
            built=tuple(d[0].name for d in documents),
            blamed=blamed,
            downgraded={
                name: tuple(facts) for name, facts in downgrades.items() if name not in blamed
            },
            facts={d[0].name: fact_counts(d[1]) for d in documents if d[0].name in downgrades},
            results=tuple(v for v in validation.violations if v.severity != "Violation"),
            triples=len(quads.union),
            concepts=mapped_concepts(quads.union),
            fragment=job.key,
        )
        store.put("cluster", job.key, outcome)
        return outcome
    outcome = ClusterOutcome(built=(), blamed=blamed)
    store.put("cluster", job.key, outcome)
    return outcome
