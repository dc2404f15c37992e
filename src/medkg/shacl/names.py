"""How a violation names its shape, path and severity: exactly as medkg.shacl.validate does
for pySHACL's report.

medkg.shacl.validate reads pySHACL's results graph, which binds rdflib's core
prefixes plus every prefix of the shapes graph, and names an IRI by that
graph's ``normalizeUri`` (``medkg:start``, or ``<iri>`` without a prefix), an
inverse path as ``^`` and its property, and any other blank node (a blank
property shape) by its label in the shapes graph.
"""

from __future__ import annotations

from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from medkg.namespaces import SH


class Namer:
    """Short names for the IRIs of one shapes graph's reports."""

    def __init__(self, shapes: Graph):
        report = Graph(bind_namespaces="core")
        for prefix, namespace in shapes.namespace_manager.namespaces():
            report.namespace_manager.bind(prefix, namespace)
        self._manager = report.namespace_manager
        self._known: dict[str, str] = {}

    def iri(self, iri: str) -> str:
        """A prefixed name where a prefix is bound, else ``<iri>``."""
        name = self._known.get(iri)
        if name is None:
            name = self._manager.normalizeUri(URIRef(iri))
            self._known[iri] = name
        return name

    def node(self, shapes: Graph, node: Node) -> str:
        """medkg.shacl.validate's name of a shapes-graph node (a shape or a path)."""
        if isinstance(node, URIRef):
            return self.iri(str(node))
        inverse = shapes.value(node, SH.inversePath)
        if isinstance(inverse, URIRef):
            return "^" + self.iri(str(inverse))
        return str(node)

    def path_text(self, shapes: Graph, path: Node) -> str:
        """A path as pySHACL's report text shows it (``[ sh:inversePath medkg:x ]``)."""
        if isinstance(path, BNode):
            inverse = shapes.value(path, SH.inversePath)
            return f"[ sh:inversePath {self.iri(str(inverse))} ]"
        return self.iri(str(path))

    def severity(self, iri: str) -> str:
        """A severity as medkg.shacl.validate names it: ``Violation``, ``Warning``, ``Info``."""
        return self.iri(iri).split("#")[-1].replace("sh:", "")
