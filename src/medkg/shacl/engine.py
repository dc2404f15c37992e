"""Run the compiled checks on a pyoxigraph store: the fast SHACL gate.

The data validated is the **union of every graph in the store** (the default
graph and all named graphs, each triple once): medkg keeps one named graph per
document plus ``id/graph/links``, and the shapes constrain the whole. Every
query runs with ``use_default_graph_as_union`` and counts distinct terms, so a
triple present in two named graphs counts once, as in the merged graph
pySHACL validates. For the run, the ontology triples pySHACL mixes into the
data (medkg.shacl.mixin) are added as one more named graph, then removed.

The outcome (medkg.shacl.report) has the violations pySHACL would give (focus,
path, message, severity, shape, as many). How a run goes: the subclasses of
every class the checks name and which classes and properties occur are asked
first (two small queries); the SPARQL targets are run; then every batch of
checks (medkg.shacl.batches) that can find something is one query.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import pyoxigraph as ox
from rdflib import Graph

from medkg.namespaces import RDF
from medkg.shacl.batches import Member, batches
from medkg.shacl.checks import Found
from medkg.shacl.classes import Subclasses, expand, subclasses
from medkg.shacl.compile import CompiledShape, CompiledShapes, bundled_shapes
from medkg.shacl.loading import store_from_graph, store_from_nquads
from medkg.shacl.report import outcome
from medkg.shacl.targets import focus_runs
from medkg.shacl.validate import ValidationOutcome

MIXIN_GRAPH = ox.NamedNode("urn:medkg:shacl:ontology-mixin")


def validate_store(
    store: ox.Store,
    compiled: CompiledShapes | None = None,
    blank_labels: Mapping[str, str] | None = None,
) -> ValidationOutcome:
    """Validate the union of the graphs of `store` against `compiled` (default: the
    bundled shapes). `blank_labels` maps the store's blank node labels to the names
    the report should use (see `store_from_graph`)."""
    compiled = compiled if compiled is not None else bundled_shapes()
    labels = blank_labels or {}
    added = not store.contains_named_graph(MIXIN_GRAPH)
    store.load(compiled.mixin, format=ox.RdfFormat.N_TRIPLES, to_graph=MIXIN_GRAPH)
    try:
        found = list(_run(store, compiled, labels))
    finally:
        if added:
            store.remove_graph(MIXIN_GRAPH)
    return outcome(found, labels)


def validate_nquads(data: bytes, compiled: CompiledShapes | None = None) -> ValidationOutcome:
    """Validate the union of the graphs of N-Quads `data` (loaded into a new store in one
    call: the build's path) against `compiled`."""
    return validate_store(store_from_nquads(data), compiled)


def validate_rdflib(graph: Graph, compiled: CompiledShapes | None = None) -> ValidationOutcome:
    """Validate an rdflib graph (loaded into a new store) against `compiled`."""
    store, labels = store_from_graph(graph)
    return validate_store(store, compiled, labels)


def _run(store: ox.Store, compiled: CompiledShapes, labels: Mapping[str, str]) -> Iterator[Found]:
    known = subclasses(store, compiled.classes)
    known_key = tuple(sorted(known.items()))
    present = _present(store, compiled, known)
    focused = {shape.name for shape in compiled.shapes if _may_have_focus(shape, known, present)}
    dynamic = [
        Member(check, focus, shape.name)
        for shape in compiled.shapes
        if shape.targets.generator is None
        for focus in focus_runs(shape.targets, store)
        for check in shape.checks
    ]
    for batch in (*compiled.planned, *batches(dynamic)):
        shapes, properties = batch.needs()
        if not shapes & focused or (properties and not properties & present):
            continue
        text = batch.expanded.get(known_key)
        if text is None:
            text = batch.expanded.setdefault(known_key, expand(batch.text, known))
        substitutions = None if batch.node is None else {ox.Variable("this"): batch.node}
        answer = store.query(text, use_default_graph_as_union=True, substitutions=substitutions)
        assert isinstance(answer, ox.QuerySolutions)
        for row in answer:
            yield from batch.read(row, labels)


def _present(store: ox.Store, compiled: CompiledShapes, known: Subclasses) -> set[str]:
    """Which of the target classes (with their subclasses) and the properties the checks
    read occur in the store: shapes without focus nodes, and checks of absent
    properties (other than sh:minCount's), cannot report anything and are skipped.
    Properties are named by IRI, classes by SPARQL term."""
    classes = {
        member
        for shape in compiled.shapes
        for cls in shape.targets.classes
        for member in known[cls] or ()
    }
    present: set[str] = set()
    for terms, pattern in (
        (classes, f"?node <{RDF.type}> ?term"),
        ({f"<{iri}>" for iri in compiled.predicates}, "?node ?term ?o"),
    ):
        if not terms:
            continue
        answer = store.query(
            f"SELECT ?term WHERE {{ VALUES ?term {{ {' '.join(sorted(terms))} }} "
            f"FILTER EXISTS {{ {pattern} }} }}",
            use_default_graph_as_union=True,
        )
        assert isinstance(answer, ox.QuerySolutions)
        for row in answer:
            term = row["term"]
            present.add(str(term))
            if isinstance(term, ox.NamedNode):
                present.add(term.value)
    return present


def _may_have_focus(shape: CompiledShape, known: Subclasses, present: set[str]) -> bool:
    targets = shape.targets
    if targets.generator is None:
        return True  # SPARQL targets: their queries said
    for cls in targets.classes:
        members = known[cls]
        if members is None or any(member in present for member in members):
            return True
    return any(predicate in present for predicate in targets.subjects_of)
