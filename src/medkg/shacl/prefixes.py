"""The PREFIX declarations of a SPARQL target or constraint, read as pySHACL reads them.

A node's ``sh:prefixes`` names nodes whose ``sh:declare`` entries give
``sh:prefix`` / ``sh:namespace`` pairs. When the named node is an
``owl:Ontology`` with declarations, those count (with the shapes graph's own);
otherwise every ontology's declarations count too
(pyshacl.helper.sparql_query_helper.collect_prefixes).
"""

from __future__ import annotations

from rdflib import Graph, Literal
from rdflib.term import Node

from medkg.namespaces import OWL, RDF, SH
from medkg.shacl.errors import ShapeCompileError


def declared_prefixes(shapes: Graph, node: Node, where: str) -> dict[str, str]:
    """prefix -> namespace for the SPARQL text of `node` (a target or constraint)."""
    found: dict[str, str] = {}
    named = set(shapes.objects(shapes.identifier, SH.declare))
    ontologies = set(shapes.subjects(RDF.type, OWL.Ontology))
    everywhere = named | {d for o in ontologies for d in shapes.objects(o, SH.declare)}
    for holder in sorted(shapes.objects(node, SH.prefixes), key=str):
        own = set(shapes.objects(holder, SH.declare))
        declarations = own | named if own and holder in ontologies else everywhere | own
        for declaration in sorted(declarations, key=str):
            prefix = _one_literal(shapes, declaration, SH.prefix, where)
            namespace = _one_literal(shapes, declaration, SH.namespace, where)
            if found.get(prefix, namespace) != namespace:
                raise ShapeCompileError(where, f"two namespaces for the prefix {prefix!r}")
            found[prefix] = namespace
    return found


def _one_literal(shapes: Graph, node: Node, predicate: Node, where: str) -> str:
    values = list(shapes.objects(node, predicate))
    if len(values) != 1 or not isinstance(values[0], Literal):
        raise ShapeCompileError(where, f"an sh:declare without exactly one literal {predicate}")
    return str(values[0])
