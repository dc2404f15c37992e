"""Checks merged into queries: the checks that read the same triples run as one query.

A *member* is a check with the focus of the shape it belongs to
(medkg.shacl.targets.Focus). Members with the same key form a `Batch`, one
SELECT query:

- checks along the same path (value constraints, sh:maxCount, sh:equals,
  sh:lessThan) read that path's triples once, find the rows that
  break some check, and only for those rows test which checks' focus nodes they
  belong to (a flag per member: a node that is the focus node of two shapes
  listing the same property shape is reported twice, as pySHACL does);
- a shape's checks that go through every focus node (its own value
  constraints, sh:minCount 1, sh:hasValue) run as one query over its focus nodes;
- sh:minCount above 1 and SPARQL constraints run on their own.

Members whose focus is a blank node (bound by substitution) only merge with
members of that same node. The batches of shapes with class or subjects-of
targets are planned once, when the shapes are compiled; a batch records what
the data must contain for it to find anything (`Batch.needs`), so the engine
skips the others.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import pyoxigraph as ox

from medkg.shacl.checks import (
    Check,
    EqualsCheck,
    Found,
    MaxCountCheck,
    MinCountCheck,
    NodeCheck,
    OrderCheck,
    SparqlCheck,
    Test,
    ValueCheck,
    found,
)
from medkg.shacl.sparql_text import FOCUS_SLOT
from medkg.shacl.targets import Focus
from medkg.shacl.terms import OxTerm, less_than_fails, to_rdflib


@dataclass(frozen=True)
class Member:
    check: Check
    focus: Focus
    shape: str  # the name of the shape with targets the check belongs to


@dataclass
class Batch:
    """Members answered by one query."""

    key: Hashable
    members: list[Member] = field(default_factory=list)
    expanded: dict[Hashable, str] = field(default_factory=dict)  # query text per subclass map

    def needs(self) -> tuple[set[str], set[str]]:
        """(shapes, properties): the batch can only find something when one of the
        shapes has focus nodes and, if properties are named, one of them occurs."""
        shapes = {member.shape for member in self.members}
        check = self.members[0].check
        if isinstance(check, ValueCheck | MaxCountCheck | OrderCheck):
            return shapes, {check.predicate}
        if isinstance(check, EqualsCheck):
            return shapes, {check.predicate, check.other[1:-1]}
        return shapes, set()

    @property
    def node(self) -> OxTerm | None:
        """The blank node ``?this`` is substituted by, if any (all members share it)."""
        return self.members[0].focus.node

    @cached_property
    def text(self) -> str:
        """The SELECT query (with class markers, medkg.shacl.classes)."""
        check = self.members[0].check
        if isinstance(check, ValueCheck):
            return _value_query(self.members)
        if isinstance(check, NodeCheck):
            return _node_query(self.members)
        if isinstance(check, MaxCountCheck):
            inner = (
                f"SELECT ?this WHERE {{ {check.value_pattern} }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {check.maximum})"
            )
            return _flagged("?this", inner, self.members)
        if isinstance(check, EqualsCheck):
            inner = (
                f"SELECT DISTINCT ?this ?value WHERE {{\n"
                f"  {{ {check.value_pattern} "
                f"FILTER NOT EXISTS {{ ?this {check.other} ?value }} }}\n"
                f"  UNION {{ ?this {check.other} ?value "
                f"FILTER NOT EXISTS {{ {check.value_pattern} }} }} }}"
            )
            return _flagged("?this ?value", inner, self.members)
        if isinstance(check, OrderCheck):
            inner = (
                f"SELECT DISTINCT ?this ?value ?other WHERE {{ {check.value_pattern} "
                f"?this {check.other} ?other . FILTER (!COALESCE(?value < ?other, false)) }}"
            )
            return _flagged("?this ?value ?other", inner, self.members)
        generator = self.members[0].focus.generator
        if isinstance(check, MinCountCheck):
            return (
                f"SELECT ?this WHERE {{ {generator} OPTIONAL {{ {check.value_pattern} }} }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {check.minimum})"
            )
        return check.text.replace(FOCUS_SLOT, generator)

    def read(self, row: ox.QuerySolution, labels: Mapping[str, str]) -> Iterator[Found]:
        """The results one row stands for."""
        check = self.members[0].check
        if isinstance(check, ValueCheck):
            yield from _value_read(self.members, row, labels)
        elif isinstance(check, NodeCheck):
            yield from _node_read(self.members, row, labels)
        elif isinstance(check, SparqlCheck):
            yield _sparql_found(check, row, labels)
        elif isinstance(check, MinCountCheck):
            yield found(check.origin, "MinCountConstraintComponent", _this(row), None)
        else:
            for index, member in enumerate(self.members):
                if _true(row, f"f{index}"):
                    yield from _flagged_found(member.check, row, labels)


def batches(members: Iterable[Member]) -> list[Batch]:
    """`members` grouped into batches, in a stable order."""
    grouped: dict[Hashable, Batch] = {}
    for index, member in enumerate(members):
        key = _key(member, index)
        grouped.setdefault(key, Batch(key)).members.append(member)
    return list(grouped.values())


def _key(member: Member, index: int) -> Hashable:
    check, node = member.check, member.focus.node
    if isinstance(check, ValueCheck):
        return ("value", check.value_pattern, node)
    if isinstance(check, NodeCheck):
        return ("node", member.focus.generator, node)
    if isinstance(check, MaxCountCheck):
        return ("max", check.value_pattern, check.maximum, node)
    if isinstance(check, EqualsCheck | OrderCheck):
        return (type(check).__name__, check.value_pattern, check.other, node)
    return ("alone", index)


# --- query texts ------------------------------------------------------------------------


def _conditions(tests: Iterable[Test]) -> dict[str, int]:
    """Each distinct condition text, numbered (one BIND each)."""
    numbered: dict[str, int] = {}
    for test in tests:
        numbered.setdefault(test.condition, len(numbered))
    return numbered


def _binds(conditions: dict[str, int]) -> str:
    return "\n".join(
        f"  BIND (COALESCE({condition}, true) AS ?c{number})"
        for condition, number in conditions.items()
    )


def _value_query(members: list[Member]) -> str:
    """Value constraints along one path: the values breaking some condition (inner
    query), then, for those only, which members' focus nodes they belong to."""
    checks = [m.check for m in members]
    assert all(isinstance(c, ValueCheck) for c in checks)
    conditions = _conditions(t for c in checks if isinstance(c, ValueCheck) for t in c.tests)
    names = " ".join(f"?c{n}" for n in conditions.values())
    either = " || ".join(f"?c{n}" for n in conditions.values())
    pattern = checks[0].value_pattern if isinstance(checks[0], ValueCheck) else ""
    inner = (
        f"SELECT DISTINCT ?this ?value {names} WHERE {{\n  {pattern}\n"
        f"{_binds(conditions)}\n  FILTER ({either})\n}}"
    )
    flags = []
    for member in members:
        assert isinstance(member.check, ValueCheck)
        for test in member.check.tests:
            flags.append(f"?c{conditions[test.condition]} && {member.focus.test}")
    return _with_flags("?this ?value", inner, flags)


def _node_query(members: list[Member]) -> str:
    """A shape's constraints on each focus node, over its focus nodes."""
    conditions = _conditions(
        t for m in members if isinstance(m.check, NodeCheck) for t in m.check.tests
    )
    names = " ".join(f"?c{n}" for n in conditions.values())
    either = " || ".join(f"?c{n}" for n in conditions.values())
    return (
        f"SELECT DISTINCT ?this {names} WHERE {{\n  {members[0].focus.generator}\n"
        f"  BIND (?this AS ?value)\n{_binds(conditions)}\n  FILTER ({either})\n}}"
    )


def _flagged(variables: str, inner: str, members: list[Member]) -> str:
    return _with_flags(variables, inner, [member.focus.test for member in members])


def _with_flags(variables: str, inner: str, flags: list[str]) -> str:
    binds = "\n".join(f"  BIND ({flag} AS ?f{index})" for index, flag in enumerate(flags))
    names = " ".join(f"?f{index}" for index in range(len(flags)))
    either = " || ".join(f"?f{index}" for index in range(len(flags)))
    return f"SELECT {variables} {names} WHERE {{\n  {{ {inner} }}\n{binds}\n  FILTER ({either})\n}}"


# --- reading rows -----------------------------------------------------------------------


def _term(row: ox.QuerySolution, name: str) -> OxTerm | None:
    term: OxTerm | None = row[name]
    return term


def _this(row: ox.QuerySolution) -> OxTerm:
    focus = _term(row, "this")
    assert focus is not None, "every query binds ?this"
    return focus


def _true(row: ox.QuerySolution, name: str) -> bool:
    flag = row[name]
    return isinstance(flag, ox.Literal) and flag.value == "true"


def _value_read(
    members: list[Member], row: ox.QuerySolution, labels: Mapping[str, str]
) -> Iterator[Found]:
    focus, value = _this(row), _term(row, "value")
    assert value is not None
    index = 0
    for member in members:
        assert isinstance(member.check, ValueCheck)
        for test in member.check.tests:
            if _true(row, f"f{index}") and (
                test.confirm is None or test.confirm(to_rdflib(value, labels))
            ):
                yield found(member.check.origin, test.component, focus, value)
            index += 1


def _node_read(
    members: list[Member], row: ox.QuerySolution, labels: Mapping[str, str]
) -> Iterator[Found]:
    focus = _this(row)
    conditions = _conditions(
        t for m in members if isinstance(m.check, NodeCheck) for t in m.check.tests
    )
    for member in members:
        assert isinstance(member.check, NodeCheck)
        for test in member.check.tests:
            if _true(row, f"c{conditions[test.condition]}") and (
                test.confirm is None or test.confirm(to_rdflib(focus, labels))
            ):
                value = focus if test.reports_value else None
                yield found(member.check.origin, test.component, focus, value)


def _flagged_found(
    check: Check, row: ox.QuerySolution, labels: Mapping[str, str]
) -> Iterator[Found]:
    focus, value = _this(row), _term(row, "value")
    if isinstance(check, MaxCountCheck):
        yield found(check.origin, "MaxCountConstraintComponent", focus, None)
    elif isinstance(check, EqualsCheck):
        yield found(check.origin, "EqualsConstraintComponent", focus, value)
    elif isinstance(check, OrderCheck):
        other = _term(row, "other")
        assert value is not None and other is not None
        if less_than_fails(to_rdflib(value, labels), to_rdflib(other, labels), check.or_equal):
            component = "LessThanOrEquals" if check.or_equal else "LessThan"
            yield found(check.origin, f"{component}ConstraintComponent", focus, value)


def _sparql_found(check: SparqlCheck, row: ox.QuerySolution, labels: Mapping[str, str]) -> Found:
    focus = _this(row)
    path = _term(row, "path") if "path" in check.variables else None
    value = _term(row, "value") if "value" in check.variables else None
    value = focus if value is None else value
    bound: dict[str, OxTerm] = {}
    for name in check.variables:  # pySHACL: the other variables first, then this, path, value
        term = _term(row, name)
        if term is not None and name not in ("path", "value"):
            bound[name] = term
    if check.projects_this:
        bound["this"] = focus
    if path is not None:
        bound["path"] = path
    bound["value"] = value
    message = check.origin.message
    for name, term in bound.items():
        message = _substitute(message, name, str(to_rdflib(term, labels)))
    if path is None:
        path_name, path_text = check.origin.path, check.origin.path_text
    else:
        path_name, path_text = check.path_name(path)
    return Found(
        check.origin, "SPARQLConstraintComponent", focus, value, message, path_name, path_text
    )


def _substitute(message: str, name: str, value: str) -> str:
    """pySHACL's ``re.sub("{[?$]name}", value, message)``, backslash handling included."""
    return re.sub("{[?$]" + name + "}", value, message)
