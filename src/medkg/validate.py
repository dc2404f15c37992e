"""Stage 6, validate: the SHACL gate. pySHACL against ``shapes/``, before anything is written."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rdflib import Graph
from rdflib.term import Node

from medkg.errors import MedkgError
from medkg.namespaces import SH
from medkg.resources import resource_files


@lru_cache(maxsize=1)
def load_shapes() -> Graph:
    """All bundled shape files as one graph."""
    shapes = Graph()
    for path in resource_files("shapes", "*.ttl"):
        shapes.parse(path, format="turtle")
    return shapes


@lru_cache(maxsize=1)
def load_ontology() -> Graph:
    ontology = Graph()
    for path in resource_files("ontology", "*.ttl"):
        ontology.parse(path, format="turtle")
    return ontology


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str
    severity: str
    shape: str

    def __str__(self) -> str:
        return f"- {self.severity}: {self.focus} {self.path}: {self.message} (shape {self.shape})"


@dataclass(frozen=True)
class ValidationOutcome:
    conforms: bool
    violations: tuple[Violation, ...]
    report_text: str


def _name(graph: Graph, node: Node | None) -> str:
    if node is None:
        return "-"
    try:
        return graph.namespace_manager.normalizeUri(node) if hasattr(node, "startswith") else str(node)
    except Exception:  # noqa: BLE001 - a name for a message only; fall back to the raw term
        return str(node)


def validate_graph(data: Graph, shapes: Graph | None = None) -> ValidationOutcome:
    """Validate `data` against the shapes; every violation named by focus node, path and rule."""
    from pyshacl import validate  # imported here: pySHACL is slow to import

    shapes = shapes if shapes is not None else load_shapes()
    conforms, results, text = validate(
        data, shacl_graph=shapes, ont_graph=load_ontology(), inference="none",
        advanced=True, allow_warnings=True,
    )
    if not isinstance(results, Graph):
        raise MedkgError(f"the SHACL shapes could not be applied: {text}; fix shapes/")
    violations = []
    for result in results.subjects(predicate=SH.resultSeverity):
        violations.append(
            Violation(
                focus=str(results.value(result, SH.focusNode)),
                path=_name(results, results.value(result, SH.resultPath)),
                message=str(results.value(result, SH.resultMessage) or "(no message)"),
                severity=_name(results, results.value(result, SH.resultSeverity)).split("#")[-1]
                .replace("sh:", ""),
                shape=_name(results, results.value(result, SH.sourceShape)),
            )
        )
    violations.sort(key=lambda v: (v.focus, v.path, v.message))
    return ValidationOutcome(bool(conforms), tuple(violations), str(text))
