"""The outcome of a run: medkg.shacl.validate's `ValidationOutcome`, report text included.

Violations are named and sorted as medkg.shacl.validate names and sorts pySHACL's. The
report text has pySHACL's form (one block per result, sorted: ``Constraint
Violation in <Component> (...)``, ``Severity``, ``Source Shape``, ``Focus Node``,
``Value Node``, ``Result Path``, ``Message``), with shapes named rather than
written out as Turtle.
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from medkg.namespaces import SH
from medkg.shacl.checks import Found
from medkg.shacl.terms import to_rdflib
from medkg.shacl.validate import ValidationOutcome, Violation

ALLOWED_SEVERITIES = {str(SH.Info), str(SH.Warning)}  # medkg validates with allow_warnings


def outcome(found: list[Found], labels: Mapping[str, str]) -> ValidationOutcome:
    violations = []
    blocks = []
    for result in found:
        focus = to_rdflib(result.focus, labels)
        violations.append(
            Violation(
                focus=str(focus),
                path=result.path,
                message=result.message,
                severity=result.origin.severity_name,
                shape=result.origin.shape,
            )
        )
        blocks.append(_block(result, focus, labels))
    conforms = all(result.origin.severity in ALLOWED_SEVERITIES for result in found)
    violations.sort(key=lambda v: (v.focus, v.path, v.message))
    text = f"Validation Report\nConforms: {conforms}\n"
    if blocks:
        text += f"Results ({len(blocks)}):\n" + "".join(sorted(blocks))
    return ValidationOutcome(conforms, tuple(violations), text)


def _block(result: Found, focus: Node, labels: Mapping[str, str]) -> str:
    """One result as pySHACL's report text writes it (shapes by name, not as Turtle)."""
    kind = (
        "Constraint Violation"
        if result.origin.severity == str(SH.Violation)
        else ("Validation Result")
    )
    lines = [
        f"{kind} in {result.component} ({SH}{result.component}):",
        f"\tSeverity: {result.origin.severity_text}",
        f"\tSource Shape: {result.origin.shape}",
        f"\tFocus Node: {_shown(focus)}",
    ]
    if result.value is not None:
        lines.append(f"\tValue Node: {_shown(to_rdflib(result.value, labels))}")
    if result.path_text:
        lines.append(f"\tResult Path: {result.path_text}")
    lines.append(f"\tMessage: {result.message}")
    return "\n".join(lines) + "\n"


def _shown(node: Node) -> str:
    if isinstance(node, BNode):
        return f"_:{node}"
    return node.n3() if isinstance(node, URIRef | Literal) else str(node)
