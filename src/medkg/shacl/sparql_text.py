"""The SPARQL text of the shapes' SPARQL constraints, rewritten to run for all focus nodes at once.

pySHACL runs a constraint's ``sh:select`` once per focus node with ``$this``
*pre-bound* (SHACL 1.0 §5.3.1): every ``$this`` means that node, also in a
``FILTER`` or ``BIND`` of a group that does not itself match ``$this``, such as
``{ FILTER (isBlank($this)) BIND ($this AS ?value) }``. A plain join with the
focus nodes would leave ``$this`` unbound inside such a group.

The rewrite keeps pre-binding semantics for the whole set: the pattern that
yields the focus nodes (the *focus slot*, filled in later) is placed at the start
of the query's top group and of every other group that mentions ``$this``,
except groups inside ``EXISTS`` / ``NOT EXISTS`` (SPARQL evaluates those with
the row's bindings substituted, which is pre-binding already). A branch that
does not mention ``$this`` then joins the focus nodes as a cross product, which
is what running it once per focus node gives.

That argument holds for groups, ``UNION``, ``FILTER`` (with ``EXISTS``) and
``BIND``. ``OPTIONAL`` is not equivalent (an optional part that fails for one
focus node but matches another would be lost), so it is refused, as are the
constructs SHACL forbids in constraints (``MINUS``, ``VALUES``, ``SERVICE``),
nested ``SELECT``, ``GRAPH``, solution modifiers and aggregates, ``$PATH``,
``$shapesGraph``, ``$currentShape``, and rebinding ``$this`` with ``AS``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from medkg.shacl.errors import ShapeCompileError

FOCUS_SLOT = "\x00focus\x00"  # replaced by a pattern binding ?this to each focus node once

_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n]*)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
                |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$]\w+)
    | (?P<open>\{)
    | (?P<close>\})
    | (?P<word>[^\s{}()\[\],;"'<>?$\#]+)
    | (?P<space>\s+)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

_FORBIDDEN_WORDS = {
    "OPTIONAL": "OPTIONAL (pre-binding $this is not a join there)",
    "MINUS": "MINUS (SHACL forbids it in constraints)",
    "VALUES": "VALUES (SHACL forbids it in constraints)",
    "SERVICE": "SERVICE (SHACL forbids it in constraints)",
    "GRAPH": "GRAPH (the data graph is one graph)",
    "SELECT": "a nested SELECT",
    "GROUP": "GROUP BY",
    "HAVING": "HAVING",
    "ORDER": "ORDER BY",
    "LIMIT": "LIMIT",
    "OFFSET": "OFFSET",
    "FROM": "FROM",
    "COUNT": "an aggregate (COUNT)",
    "SUM": "an aggregate (SUM)",
    "MIN": "an aggregate (MIN)",
    "MAX": "an aggregate (MAX)",
    "AVG": "an aggregate (AVG)",
    "SAMPLE": "an aggregate (SAMPLE)",
    "GROUP_CONCAT": "an aggregate (GROUP_CONCAT)",
}
_FORBIDDEN_VARIABLES = {"PATH", "shapesGraph", "currentShape", "failure"}


@dataclass(frozen=True)
class Token:
    kind: str
    text: str

    @property
    def keyword(self) -> str:
        """The upper-cased word when this token is a bare word (not a prefixed name)."""
        if self.kind == "word" and ":" not in self.text:
            return self.text.upper()
        return ""


@dataclass(frozen=True)
class RewrittenSelect:
    """A constraint's SELECT made set-based: `text` has `FOCUS_SLOT` where the focus
    pattern goes; `variables` are the projected variables in order, without ``this``."""

    text: str
    variables: tuple[str, ...]
    projects_this: bool


def tokens(text: str) -> list[Token]:
    """The query text as tokens (comments kept, so the text can be rebuilt exactly)."""
    found = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        assert kind is not None
        found.append(Token(kind, match.group()))
    return found


def rewrite_constraint(select: str, where: str) -> RewrittenSelect:
    """`select` (a SPARQL-based constraint's sh:select) as one set-based query.

    `where` names the shape and constraint in errors. Raises `ShapeCompileError`
    for every construct the rewrite does not keep equivalent (see the module doc).
    """
    parts = tokens(select)
    meaningful = [i for i, t in enumerate(parts) if t.kind not in ("space", "comment")]
    position = 0
    while position < len(meaningful) and parts[meaningful[position]].keyword in ("PREFIX", "BASE"):
        position += 3 if parts[meaningful[position]].keyword == "PREFIX" else 2
    if position >= len(meaningful) or parts[meaningful[position]].keyword != "SELECT":
        raise ShapeCompileError(where, "an sh:select that is not a SELECT query")
    prologue = "".join(t.text for t in parts[: meaningful[position]])
    position += 1
    if position < len(meaningful) and parts[meaningful[position]].keyword in (
        "DISTINCT",
        "REDUCED",
    ):
        position += 1  # every row is reported once per focus node, whatever the modifier
    variables: list[str] = []
    while position < len(meaningful) and parts[meaningful[position]].kind == "var":
        variables.append(parts[meaningful[position]].text[1:])
        position += 1
    if position < len(meaningful) and parts[meaningful[position]].keyword == "WHERE":
        position += 1
    if position >= len(meaningful) or parts[meaningful[position]].kind != "open":
        raise ShapeCompileError(
            where, "an sh:select projecting anything but plain variables (SELECT * or expressions)"
        )
    if not variables:
        raise ShapeCompileError(where, "an sh:select with no projected variables")
    for name in variables:
        if name in _FORBIDDEN_VARIABLES:
            raise ShapeCompileError(where, f"the variable ?{name} in an sh:select")
    if not {"this", "path", "value"} & set(variables):
        raise ShapeCompileError(
            where, "an sh:select projecting none of $this, ?path, ?value (pySHACL ignores its rows)"
        )
    body_start = meaningful[position]
    body_end = _matching_close(parts, body_start, where)
    trailing = [t for t in parts[body_end + 1 :] if t.kind not in ("space", "comment")]
    if trailing:
        raise ShapeCompileError(
            where, f"solution modifiers after the WHERE group ({trailing[0].text} ...)"
        )
    _refuse_forbidden(parts[body_start : body_end + 1], where)
    body = _inject_focus(parts[body_start : body_end + 1])
    others = tuple(name for name in variables if name != "this")
    projection = " ".join(f"?{name}" for name in ("this", *others))
    text = f"{prologue}SELECT DISTINCT {projection} WHERE {body}"
    return RewrittenSelect(text=text, variables=others, projects_this="this" in variables)


def _matching_close(parts: list[Token], start: int, where: str) -> int:
    depth = 0
    for index in range(start, len(parts)):
        if parts[index].kind == "open":
            depth += 1
        elif parts[index].kind == "close":
            depth -= 1
            if depth == 0:
                return index
    raise ShapeCompileError(where, "an sh:select with unbalanced braces")


def _refuse_forbidden(body: list[Token], where: str) -> None:
    previous = ""
    for token in body:
        word = token.keyword
        if word in _FORBIDDEN_WORDS:
            raise ShapeCompileError(where, f"{_FORBIDDEN_WORDS[word]} in an sh:select")
        if token.kind == "var":
            name = token.text[1:]
            if name in _FORBIDDEN_VARIABLES:
                raise ShapeCompileError(where, f"the variable {token.text} in an sh:select")
            if name == "this" and previous == "AS":
                raise ShapeCompileError(where, "rebinding $this with AS in an sh:select")
        if token.kind not in ("space", "comment"):
            previous = word


def _inject_focus(body: list[Token]) -> str:
    """The group `body` (``{`` ... ``}``) with `FOCUS_SLOT` at the start of every group
    that needs the focus nodes bound (the top group, and groups mentioning $this
    outside EXISTS)."""
    needs: dict[int, bool] = {}  # index of "{" -> inject there
    stack: list[tuple[int, bool, bool]] = []  # (index of "{", inside EXISTS, mentions $this)
    last_word = ""
    for index, token in enumerate(body):
        if token.kind == "open":
            inside_exists = last_word == "EXISTS" or bool(stack and stack[-1][1])
            stack.append((index, inside_exists, False))
        elif token.kind == "close":
            opened, inside_exists, mentions = stack.pop()
            needs[opened] = not stack or (mentions and not inside_exists)
            if mentions and stack:
                parent = stack[-1]
                stack[-1] = (parent[0], parent[1], True)
        elif token.kind == "var" and token.text[1:] == "this":
            top = stack[-1]
            stack[-1] = (top[0], top[1], True)
        if token.kind not in ("space", "comment"):
            last_word = token.keyword
    pieces = []
    for index, token in enumerate(body):
        if token.kind == "var" and token.text[1:] == "this":
            pieces.append("?this")
        else:
            pieces.append(token.text)
        if token.kind == "open" and needs.get(index):
            pieces.append(f" {FOCUS_SLOT} ")
    return "".join(pieces)


def with_prefixes(prefixes: dict[str, str], text: str) -> str:
    """`text` after PREFIX declarations for `prefixes` (as pySHACL prepends sh:declare)."""
    declared = "".join(
        f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in prefixes.items()
    )
    return f"{declared}\n{text}"
