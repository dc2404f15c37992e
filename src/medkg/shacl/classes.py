"""Class membership in the compiled queries, expanded per store to plain ``rdf:type`` tests.

SHACL's instances of a class ``C`` are the nodes typed ``C`` or a subclass of it
(``rdf:type/rdfs:subClassOf*``). That property path costs more than a plain
triple pattern when tested for every value, so the compiled queries carry
*markers* instead, and the engine replaces them before running a query, from
the subclasses of each class found in the store (one query per run: the
subclass triples are the data's plus the ontology's):

- `is_instance` (an expression): ``EXISTS { ?x rdf:type <C> }`` or a
  disjunction over ``C`` and its subclasses;
- `instances` (a pattern binding the variable): ``{ ?x rdf:type <C> }`` or a
  ``UNION`` over them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import pyoxigraph as ox
from rdflib import URIRef

from medkg.namespaces import RDF, RDFS

_TEST = re.compile(r"\x01test (\?\w+) <([^>]*)>\x01")
_PATTERN = re.compile(r"\x01pattern (\?\w+) <([^>]*)>\x01")

# class IRI -> SPARQL terms of itself and its subclasses; None when a subclass is a
# blank node (a query cannot name it): the property path is used for that class.
Subclasses = Mapping[str, tuple[str, ...] | None]
_TYPE = f"<{RDF.type}>"
_PATH = f"{_TYPE}/<{RDFS.subClassOf}>*"


def is_instance(variable: str, cls: URIRef) -> str:
    """A marker for the expression "`variable` is a SHACL instance of `cls`"."""
    return f"\x01test {variable} <{cls}>\x01"


def instances(variable: str, cls: URIRef) -> str:
    """A marker for a pattern binding `variable` to each instance of `cls` (with repeats)."""
    return f"\x01pattern {variable} <{cls}>\x01"


def classes_in(texts: Iterable[str]) -> set[str]:
    """The class IRIs the markers in `texts` name."""
    found: set[str] = set()
    for text in texts:
        found.update(match.group(2) for match in _TEST.finditer(text))
        found.update(match.group(2) for match in _PATTERN.finditer(text))
    return found


def subclasses(store: ox.Store, classes: Iterable[str]) -> dict[str, tuple[str, ...] | None]:
    """Each class with its subclasses (``rdfs:subClassOf*``) in the union of `store`'s graphs."""
    wanted = sorted(set(classes))
    found: dict[str, set[str]] = {cls: {f"<{cls}>"} for cls in wanted}
    blank: set[str] = set()
    if wanted:
        values = " ".join(f"<{cls}>" for cls in wanted)
        answer = store.query(
            f"SELECT ?class ?sub WHERE {{ VALUES ?class {{ {values} }} "
            f"?sub <{RDFS.subClassOf}>* ?class }}",
            use_default_graph_as_union=True,
        )
        assert isinstance(answer, ox.QuerySolutions)
        for row in answer:
            cls, sub = row["class"], row["sub"]
            if not isinstance(cls, ox.NamedNode):
                continue
            if isinstance(sub, ox.NamedNode):
                found[cls.value].add(str(sub))
            elif sub is not None:
                blank.add(cls.value)
    return {cls: None if cls in blank else tuple(sorted(found[cls])) for cls in wanted}


def expand(text: str, known: Subclasses) -> str:
    """`text` with its class markers replaced, using `known` subclasses."""

    def test(match: re.Match[str]) -> str:
        variable, members = match.group(1), known[match.group(2)]
        if members is None:
            return f"EXISTS {{ {variable} {_PATH} <{match.group(2)}> }}"
        type_tests = (f"EXISTS {{ {variable} {_TYPE} {member} }}" for member in members)
        return "(" + " || ".join(type_tests) + ")"

    def pattern(match: re.Match[str]) -> str:
        variable, members = match.group(1), known[match.group(2)]
        if members is None:
            return f"{{ {variable} {_PATH} <{match.group(2)}> }}"
        return " UNION ".join(f"{{ {variable} {_TYPE} {member} }}" for member in members)

    return _PATTERN.sub(pattern, _TEST.sub(test, text))
