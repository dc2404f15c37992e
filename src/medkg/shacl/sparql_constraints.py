"""SPARQL-based constraints (sh:sparql on a node shape) as set-based checks.

The constraint's sh:select is rewritten by medkg.shacl.sparql_text, prefixed with
its sh:prefixes declarations, and parsed once here so that a syntax error is a
`ShapeCompileError`. Its message is the constraint's sh:message, else the
shape's (pySHACL reports the constraint's first).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pyoxigraph as ox
from rdflib import Literal

from medkg.namespaces import SH
from medkg.shacl.checks import Check, Origin, SparqlCheck
from medkg.shacl.errors import ShapeCompileError
from medkg.shacl.names import Namer
from medkg.shacl.prefixes import declared_prefixes
from medkg.shacl.shape_context import ShapeContext
from medkg.shacl.sparql_text import FOCUS_SLOT, rewrite_constraint, with_prefixes
from medkg.shacl.terms import OxTerm, to_rdflib


def sparql_checks(context: ShapeContext, origin: Origin) -> list[Check]:
    """The shape's SPARQL-based constraints (sh:sparql), made set-based."""
    checks: list[Check] = []
    for constraint in context.values(SH.sparql):
        where = (
            f"{context.where}, SPARQL constraint {context.namer.node(context.shapes, constraint)}"
        )
        inner = ShapeContext(context.shapes, context.namer, constraint, where)
        deactivated = inner.single(SH.deactivated)
        if isinstance(deactivated, Literal) and deactivated.value is True:
            continue
        select = inner.single(SH.select)
        if select is None:
            raise ShapeCompileError(where, "an sh:sparql without sh:select")
        message = inner.single(SH.message)
        message_text = origin.message if message is None else str(message)
        if not message_text:
            raise ShapeCompileError(where, "no sh:message (on the constraint or its shape)")
        rewritten = rewrite_constraint(str(select), where)
        text = with_prefixes(declared_prefixes(context.shapes, constraint, where), rewritten.text)
        try:
            ox.Store().query(text.replace(FOCUS_SLOT, "VALUES ?this { }"))
        except SyntaxError as error:
            raise ShapeCompileError(where, f"an sh:select that does not parse ({error})") from error
        checks.append(
            SparqlCheck(
                replace(origin, message=message_text),
                text,
                rewritten.variables,
                rewritten.projects_this,
                _path_namer(context.namer),
            )
        )
    return checks


def _path_namer(namer: Namer) -> Callable[[OxTerm], tuple[str, str]]:
    def name(term: OxTerm) -> tuple[str, str]:
        if isinstance(term, ox.NamedNode):
            short = namer.iri(term.value)
            return short, short
        text = str(to_rdflib(term, {}))
        return text, text

    return name
