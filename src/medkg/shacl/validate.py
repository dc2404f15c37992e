"""Stage 6, validate: the SHACL gate against ``shapes/``, before anything is written.

Two engines give the same violations: ``"sparql"`` (default), medkg.shacl's
shapes compiled to set-based SPARQL run on pyoxigraph, fast enough for large
graphs; and ``"pyshacl"``, pySHACL itself, the reference the first is tested
against (tests/test_shacl_engine.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from medkg.errors import MedkgError
from medkg.namespaces import ID, MEDKG, RDF, SH, XSD
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
    """A short name for a report: a prefixed name where a prefix is bound, else the term."""
    if node is None:
        return "-"
    if isinstance(node, URIRef):
        return graph.namespace_manager.normalizeUri(node)
    inverse = graph.value(node, SH.inversePath)
    if inverse is not None:
        return "^" + _name(graph, inverse)
    return str(node)


ENGINES = ("sparql", "pyshacl")


def validate_graph(
    data: Graph, shapes: Graph | None = None, engine: str = "sparql"
) -> ValidationOutcome:
    """Validate `data` against the shapes (default: the bundled ones) with `engine`
    (one of `ENGINES`); every violation named by focus node, path and rule."""
    if engine == "sparql":
        from medkg.shacl import compiled_for, validate_rdflib  # medkg.shacl imports this module

        shapes = shapes if shapes is not None else load_shapes()
        return validate_rdflib(data, compiled_for(shapes, load_ontology()))
    if engine != "pyshacl":
        raise ValueError(f"unknown SHACL engine {engine!r}; choose one of {', '.join(ENGINES)}")
    from pyshacl import validate  # imported here: pySHACL is slow to import

    shapes = shapes if shapes is not None else load_shapes()
    conforms, results, text = validate(
        data,
        shacl_graph=shapes,
        ont_graph=load_ontology(),
        inference="none",
        advanced=True,
        allow_warnings=True,
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
                severity=_name(results, results.value(result, SH.resultSeverity))
                .split("#")[-1]
                .replace("sh:", ""),
                shape=_name(results, results.value(result, SH.sourceShape)),
            )
        )
    violations.sort(key=lambda v: (v.focus, v.path, v.message))
    return ValidationOutcome(bool(conforms), tuple(violations), str(text))


def shapes_digest() -> str:
    """sha256 over the bundled shape files (names and bytes), to say what validated a graph."""
    digest = hashlib.sha256()
    for path in resource_files("shapes", "*.ttl"):
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()


def report_turtle(outcome: ValidationOutcome, triples: int) -> bytes:
    """The SHACL validation report as deterministic Turtle (IRI nodes only, sorted)."""
    report = Graph()
    report.bind("sh", SH)
    report.bind("medkg", MEDKG)
    node = ID["validation-report"]
    report.add((node, RDF.type, SH.ValidationReport))
    report.add((node, SH.conforms, Literal(outcome.conforms)))
    report.add((node, MEDKG.triplesValidated, Literal(triples, datatype=XSD.integer)))
    report.add((node, MEDKG.shapesSha256, Literal(shapes_digest())))
    for number, violation in enumerate(outcome.violations, start=1):
        result = ID[f"validation-report/result-{number}"]
        report.add((node, SH.result, result))
        report.add((result, RDF.type, SH.ValidationResult))
        report.add((result, SH.focusNode, Literal(violation.focus)))
        report.add((result, SH.resultPath, Literal(violation.path)))
        report.add((result, SH.resultMessage, Literal(violation.message)))
        report.add((result, SH.resultSeverity, SH[violation.severity]))
    return report.serialize(format="longturtle", encoding="utf-8")


def validate_file(path: Path) -> ValidationOutcome:
    """Validate a Turtle file; a missing or unparsable file is an error naming it."""
    if not path.is_file():
        raise MedkgError(f"{path}: no such file; run `medkg build` first or name the graph file")
    data = Graph()
    try:
        data.parse(path, format="turtle")
    except (SyntaxError, ValueError) as error:  # BadSyntax is a SyntaxError; decoding a ValueError
        raise MedkgError(
            f"{path}: is not valid Turtle ({error}); rebuild it with `medkg build`"
        ) from error
    return validate_graph(data)
