"""The ontology triples pySHACL adds to the data graph before validating.

medkg.shacl.validate passes the ontology as pySHACL's ``ont_graph`` (with
``inference="none"``); pySHACL then copies into a clone of the data graph
(pyshacl.rdfutil.inoculate) every ``rdf:type`` triple whose class is an RDFS
or OWL class, every triple whose predicate is an RDFS or OWL property (so
``rdfs:subClassOf``: ``sh:targetClass`` and ``sh:class`` see the ontology's
subclasses), and the whole description of each ``owl:NamedIndividual``. The
copied nodes are then validated like the data's own. This module computes that
set of triples once, so the SPARQL engine validates the same graph.
"""

from __future__ import annotations

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from medkg.shacl.errors import ShapeCompileError


def _words(text: str) -> list[str]:
    return text.split()


RDFS_CLASSES = _words("Class Container ContainerMembershipProperty Datatype Literal Resource")
RDFS_PROPERTIES = _words("""comment domain isDefinedBy label member range seeAlso subClassOf
    subPropertyOf""")
OWL_CLASSES = _words("""AllDifferent AllDisjointClasses AllDisjointProperties Annotation
    AnnotationProperty AsymmetricProperty Axiom Class DataRange DatatypeProperty
    DeprecatedClass DeprecatedProperty FunctionalProperty InverseFunctionalProperty
    IrreflexiveProperty NamedIndividual NegativePropertyAssertion ObjectProperty Ontology
    OntologyProperty ReflexiveProperty Restriction SymmetricProperty TransitiveProperty""")
OWL_PROPERTIES = _words("""allValuesFrom annotatedProperty annotatedSource annotatedTarget
    assertionProperty cardinality complementOf datatypeComplementOf differentFrom
    disjointUnionOf disjointWith distinctMembers equivalentClass equivalentProperty hasKey
    hasSelf hasValue intersectionOf inverseOf maxCardinality maxQualifiedCardinality members
    minCardinality minQualifiedCardinality onClass onDataRange onDatatype onProperties
    onProperty oneOf propertyChainAxiom propertyDisjointWith qualifiedCardinality sameAs
    someValuesFrom sourceIndividual targetIndividual targetValue unionOf withRestrictions
    backwardCompatibleWith deprecated incompatibleWith priorVersion versionInfo
    bottomDataProperty topDataProperty bottomObjectProperty topObjectProperty imports
    versionIRI""")


def ontology_mixin(ontology: Graph) -> Graph:
    """The triples pySHACL copies from `ontology` into the data graph.

    Raises `ShapeCompileError` when a copied triple has a blank node (pySHACL
    copies those as new blank nodes, which this engine does not reproduce).
    """
    mixed = Graph()
    classes = [RDFS[name] for name in RDFS_CLASSES] + [OWL[name] for name in OWL_CLASSES]
    properties = [RDFS[name] for name in RDFS_PROPERTIES] + [OWL[name] for name in OWL_PROPERTIES]
    individuals: list[Node] = []
    for ontology_class in classes:
        for subject in ontology.subjects(RDF.type, ontology_class):
            _refuse_blank(subject)
            mixed.add((subject, RDF.type, ontology_class))
            if ontology_class == OWL.NamedIndividual:
                individuals.append(subject)
    for ontology_property in properties:
        for subject, value in ontology.subject_objects(ontology_property):
            _refuse_blank(subject)
            _refuse_blank(value)
            mixed.add((subject, ontology_property, value))
    for individual in individuals:
        _copy_description(ontology, individual, mixed, depth=0)
        for subject, predicate in ontology.subject_predicates(individual):
            _refuse_blank(subject)
            if isinstance(predicate, URIRef):
                mixed.add((subject, predicate, individual))
    return mixed


def _copy_description(ontology: Graph, node: Node, mixed: Graph, depth: int) -> None:
    """pySHACL's deep clone of a named individual: its triples, recursively (10 levels)."""
    if depth >= 10 or not isinstance(node, URIRef):
        return
    for predicate, value in ontology.predicate_objects(node):
        if predicate == RDF.first:
            raise ShapeCompileError("the ontology", "an RDF list as a named individual")
        _refuse_blank(value)
        mixed.add((node, predicate, value))
        if value != node:
            _copy_description(ontology, value, mixed, depth + 1)


def _refuse_blank(node: Node) -> None:
    if isinstance(node, BNode):
        raise ShapeCompileError("the ontology", "blank nodes in the axioms pySHACL copies")
