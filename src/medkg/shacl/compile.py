"""Compile a shapes graph (all of shapes/*.ttl) into SPARQL checks, once per process.

Every shape with a target becomes a `CompiledShape`: its targets
(medkg.shacl.targets) and the checks of its own constraints and of each
property shape it lists with sh:property (medkg.shacl.constraints). A property
shape listed by two node shapes is checked for each, as pySHACL does.

The compiler refuses, with a `ShapeCompileError` naming the shape and the
construct, anything it does not reproduce: an ``sh:`` term it does not know
anywhere in the shapes graph (sh:node, sh:and, sh:not, sh:closed, sh:maxLength,
sh:rule, custom constraint components, ...), a shape without the sh:message its
results need (pySHACL would write a generic one), and the unsupported forms
listed in the modules it uses.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from medkg.namespaces import OWL, RDF, RDFS, SH
from medkg.shacl.batches import Batch, Member, batches
from medkg.shacl.checks import Check, EqualsCheck, NodeCheck, Origin, SparqlCheck, ValueCheck
from medkg.shacl.classes import classes_in
from medkg.shacl.constraints import focus_checks, value_checks
from medkg.shacl.errors import ShapeCompileError
from medkg.shacl.mixin import ontology_mixin
from medkg.shacl.names import Namer
from medkg.shacl.shape_context import ShapeContext
from medkg.shacl.sparql_constraints import sparql_checks
from medkg.shacl.targets import Focus, Targets, compile_targets


def _terms(names: str) -> set[URIRef]:
    return {SH[name] for name in names.split()}


TARGETS = _terms("targetClass targetSubjectsOf target targetNode targetObjectsOf")
ANNOTATIONS = _terms("name description message severity deactivated order group defaultValue")
VALUE_PARAMETERS = _terms(
    "class datatype nodeKind minLength pattern flags in hasValue minInclusive minExclusive or"
)
NODE_SHAPE_TERMS = VALUE_PARAMETERS | ANNOTATIONS | TARGETS | _terms("property sparql")
PROPERTY_SHAPE_TERMS = (
    VALUE_PARAMETERS
    | ANNOTATIONS
    | TARGETS
    | _terms("path minCount maxCount equals lessThan lessThanOrEquals")
)
# sh: terms that may appear anywhere in the shapes graph (as predicates or types)
KNOWN_TERMS = (
    NODE_SHAPE_TERMS
    | PROPERTY_SHAPE_TERMS
    | _terms("inversePath select prefixes declare prefix namespace")
    | _terms("NodeShape PropertyShape Shape SPARQLConstraint SPARQLTarget")
)
SHAPE_TYPES = _terms("NodeShape PropertyShape Shape")


@dataclass(frozen=True)
class CompiledShape:
    """One shape with targets: how to find its focus nodes, and its checks."""

    name: str
    targets: Targets
    checks: tuple[Check, ...]


@dataclass(frozen=True)
class CompiledShapes:
    """Everything the engine runs: the shapes' checks, and the ontology triples pySHACL
    mixes into the data graph (N-Triples)."""

    shapes: tuple[CompiledShape, ...]
    mixin: bytes
    classes: frozenset[str]  # every class the checks and targets test membership of
    predicates: frozenset[str]  # every property the checks and targets read
    planned: tuple[Batch, ...]  # the batches of the shapes with class / subjects-of targets


def compile_shapes(shapes: Graph, ontology: Graph) -> CompiledShapes:
    """Compile every shape of `shapes` that has a target; `ontology` is what
    medkg.shacl.validate gives pySHACL as its ontology graph."""
    namer = Namer(shapes)
    compiled = []
    tops = sorted({s for t in sorted(TARGETS) for s in shapes.subjects(t, None)}, key=str)
    for shape in tops:
        found = _compile_shape(shapes, namer, shape)
        if found is not None:
            compiled.append(found)
    _refuse_unknown_terms(shapes)  # after the shapes, whose errors name the shape
    mixin = ontology_mixin(ontology).serialize(format="nt", encoding="utf-8")
    texts = [text for shape in compiled for check in shape.checks for text in check_texts(check)]
    texts += [shape.targets.generator or "" for shape in compiled]
    predicates = {getattr(check, "predicate", "") for shape in compiled for check in shape.checks}
    predicates |= {p for shape in compiled for p in shape.targets.subjects_of}
    predicates |= {
        check.other[1:-1]
        for shape in compiled
        for check in shape.checks
        if isinstance(check, EqualsCheck)
    }
    planned = batches(
        Member(check, Focus(shape.targets.generator, shape.targets.test), shape.name)
        for shape in compiled
        if shape.targets.generator is not None and shape.targets.test is not None
        for check in shape.checks
    )
    return CompiledShapes(
        tuple(compiled),
        mixin,
        frozenset(classes_in(texts)),
        frozenset(predicates - {""}),
        tuple(planned),
    )


_COMPILED: dict[tuple[int, int, int, int], tuple[Graph, Graph, CompiledShapes]] = {}
_REMEMBERED = 8


def compiled_for(shapes: Graph, ontology: Graph) -> CompiledShapes:
    """`compile_shapes`, remembered for the process per pair of graph objects and their
    sizes (a graph that gains or loses triples is compiled again)."""
    key = (id(shapes), len(shapes), id(ontology), len(ontology))
    remembered = _COMPILED.get(key)
    if remembered is not None and remembered[0] is shapes and remembered[1] is ontology:
        return remembered[2]
    compiled = compile_shapes(shapes, ontology)
    if len(_COMPILED) >= _REMEMBERED:
        del _COMPILED[next(iter(_COMPILED))]
    _COMPILED[key] = (shapes, ontology, compiled)  # the graphs are kept: ids stay theirs
    return compiled


def bundled_shapes() -> CompiledShapes:
    """The shapes and ontology medkg.shacl.validate loads (shapes/*.ttl, ontology/), compiled
    once per process."""
    from medkg.shacl import validate  # medkg.shacl.validate imports this package lazily

    return compiled_for(validate.load_shapes(), validate.load_ontology())


def check_texts(check: Check) -> list[str]:
    """The SPARQL fragments of `check` that may hold class markers."""
    if isinstance(check, ValueCheck | NodeCheck):
        return [test.condition for test in check.tests]
    if isinstance(check, SparqlCheck):
        return [check.text]
    return []


def _refuse_unknown_terms(shapes: Graph) -> None:
    namespace = str(SH)
    for subject, predicate, value in shapes:
        if str(predicate).startswith(namespace) and predicate not in KNOWN_TERMS:
            raise ShapeCompileError(_label(shapes, subject), _label(shapes, predicate))
        if predicate == RDF.type and str(value).startswith(namespace) and value not in KNOWN_TERMS:
            raise ShapeCompileError(_label(shapes, subject), _label(shapes, value))
    for shape_type in SHAPE_TYPES:
        for shape in shapes.subjects(RDF.type, shape_type):
            types = set(shapes.objects(shape, RDF.type))
            if types & {RDFS.Class, OWL.Class} or any(
                (t, RDFS.subClassOf, RDFS.Class) in shapes for t in types
            ):
                raise ShapeCompileError(_label(shapes, shape), "an implicit class target")


def _label(shapes: Graph, node: Node) -> str:
    return shapes.namespace_manager.normalizeUri(node) if isinstance(node, URIRef) else str(node)


def _deactivated(context: ShapeContext) -> bool:
    value = context.single(SH.deactivated)
    return isinstance(value, Literal) and value.value is True


def _origin(context: ShapeContext, path: Node | None) -> Origin:
    message = context.single(SH.message)
    severity = context.single(SH.severity) or SH.Violation
    return Origin(
        shape=context.namer.node(context.shapes, context.node),
        path="-" if path is None else context.namer.node(context.shapes, path),
        path_text="" if path is None else context.namer.path_text(context.shapes, path),
        message="" if message is None else str(message),
        severity=str(severity),
        severity_name=context.namer.severity(str(severity)),
        severity_text=context.namer.iri(str(severity)),
    )


def _compile_shape(shapes: Graph, namer: Namer, shape: Node) -> CompiledShape | None:
    where = f"shape {namer.node(shapes, shape)}"
    context = ShapeContext(shapes, namer, shape, where)
    if _deactivated(context):
        return None
    targets = compile_targets(shapes, shape, where)
    path = context.single(SH.path)
    checks = _node_shape_checks(context) if path is None else _property_shape_checks(context, path)
    return CompiledShape(namer.node(shapes, shape), targets, tuple(checks))


def _node_shape_checks(context: ShapeContext) -> list[Check]:
    _refuse_terms(context, NODE_SHAPE_TERMS)
    origin = _origin(context, None)
    checks = value_checks(context, origin, None) + focus_checks(context, origin, None)
    if checks and not origin.message:
        raise ShapeCompileError(context.where, "node-level constraints without an sh:message")
    checks += sparql_checks(context, origin)
    for child in context.values(SH.property):
        where = f"property shape {context.namer.node(context.shapes, child)} of {context.where}"
        child_context = ShapeContext(context.shapes, context.namer, child, where)
        if _deactivated(child_context):
            continue
        child_path = child_context.single(SH.path)
        if child_path is None:
            raise ShapeCompileError(where, "an sh:property without sh:path")
        checks += _property_shape_checks(child_context, child_path)
    return checks


def _property_shape_checks(context: ShapeContext, path: Node) -> list[Check]:
    _refuse_terms(context, PROPERTY_SHAPE_TERMS)
    origin = _origin(context, path)
    checks = value_checks(context, origin, path) + focus_checks(context, origin, path)
    if checks and not origin.message:
        raise ShapeCompileError(context.where, "constraints without an sh:message")
    return checks


def _refuse_terms(context: ShapeContext, allowed: set[URIRef]) -> None:
    for predicate in set(context.shapes.predicates(context.node)):
        if str(predicate).startswith(str(SH)) and predicate not in allowed:
            raise ShapeCompileError(context.where, context.namer.iri(str(predicate)))
