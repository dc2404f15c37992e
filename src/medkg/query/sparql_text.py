"""Reading just enough of a query's SPARQL text to refuse what medkg never runs, before any
engine sees it (the server and `medkg.query.run_query` both ask it).

The text is split into tokens the way the SPARQL 1.1 grammar does (comments,
strings, IRIs, variables, prefixed names, language tags, bare words), so a
keyword inside a string, an IRI, a comment or a name (``?service``,
``ex:insert``) is never mistaken for the keyword itself. A run of name
characters is read once (a prefixed name when a colon follows, else bare words
split at its dots), so tokenizing takes time linear in the text. Three rules use it:

- the query form is the first bare word after the prologue (``BASE``/``PREFIX``
  declarations): ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE`` is a query;
  an update keyword (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``, ``DROP``,
  ``CREATE``, ``ADD``, ``MOVE``, ``COPY``, ``WITH``) there, or an update
  operation keyword anywhere, makes the text an update;
- ``SERVICE`` as a bare word anywhere is a federated call, which is refused; so
  is a prefixed name whose prefix is ``SERVICE`` (``SERVICE:x``), which
  pyoxigraph reads as the keyword followed by a name of the empty prefix;
- the nesting depth is the deepest run of open ``(``, ``{`` and ``[`` tokens
  (the server refuses deep nesting, which overflows the engine parser's stack);
- a prefix is undeclared when a prefixed name uses it and no ``PREFIX`` declaration
  of the text names it (medkg declares its own prefixes for such a text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

QueryForm = Literal["select", "ask", "construct", "describe"]

QUERY_FORMS: dict[str, QueryForm] = {
    "SELECT": "select",
    "ASK": "ask",
    "CONSTRUCT": "construct",
    "DESCRIBE": "describe",
}
UPDATE_OPERATIONS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY"}
)
UPDATE_STARTS = UPDATE_OPERATIONS | {"WITH"}

_TOKEN = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<comment>\#[^\n]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''
               |\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n\r]|\\.)*'
               |"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<variable>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
    | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<name>[^\W\d][\w.\-\u00b7]*+(?::(?:[\w.\-:%\u00b7]|\\.)*+)?)
    | (?P<pname>:(?:[\w.\-:%\u00b7]|\\.)*+)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    """One token: its kind (a group name of `_TOKEN`) and its text."""

    kind: str
    text: str


def tokens(text: str) -> list[Token]:
    """The significant tokens of `text` (whitespace and comments dropped)."""
    found: list[Token] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind == "name":
            found.extend(_name_tokens(match.group()))
        elif kind not in ("space", "comment"):
            found.append(Token(kind, match.group()))
    return found


def _name_tokens(run: str) -> list[Token]:
    """A run of name characters: one prefixed name when it has a colon, else its bare words
    and the dots between them (``true.SERVICE`` is ``true``, ``.``, ``SERVICE``)."""
    if ":" in run:
        return [Token("pname", run)]
    found: list[Token] = []
    for index, piece in enumerate(run.split(".")):
        if index:
            found.append(Token("other", "."))
        if piece:
            found.append(Token("word", piece))
    return found


def calls_service(found: list[Token]) -> bool:
    """Whether `found` (`tokens` of a text) asks for a federated ``SERVICE`` call."""
    for token in found:
        if token.kind == "word" and token.text.upper() == "SERVICE":
            return True
        if token.kind == "pname" and token.text.split(":")[0].split(".")[0].upper() == "SERVICE":
            return True
    return False


# Brackets, braces and parentheses nested deeper than this are refused before the
# engine parses the query (pyoxigraph's parser overflows its stack at ~4,000 braces).
MAX_NESTING = 100
_OPENING = frozenset("({[")
_CLOSING = frozenset(")}]")


def nesting_depth(found: list[Token]) -> int:
    """How deeply brackets, braces and parentheses nest in `found` (`tokens` of a text)."""
    depth = deepest = 0
    for token in found:
        if token.kind != "other":
            continue
        if token.text in _OPENING:
            depth += 1
            deepest = max(deepest, depth)
        elif token.text in _CLOSING:
            depth = max(depth - 1, 0)
    return deepest


def undeclared_prefixes(found: list[Token]) -> list[str]:
    """The prefixes (without the colon) that prefixed names of `found` (`tokens` of a text)
    use and no ``PREFIX`` declaration of it declares, in the order of their first use."""
    declared: set[str] = set()
    used: dict[str, None] = {}
    for index, token in enumerate(found):
        if token.kind != "pname":
            continue
        prefix = token.text.split(":", 1)[0]
        before = found[index - 1] if index else None
        if before is not None and before.kind == "word" and before.text.upper() == "PREFIX":
            declared.add(prefix)
        else:
            used.setdefault(prefix, None)
    return [prefix for prefix in used if prefix not in declared]


def bare_words(text: str) -> list[str]:
    """The bare words (keywords, function names) of `text`, upper-cased, in order."""
    return [token.text.upper() for token in tokens(text) if token.kind == "word"]


def _after_prologue(found: list[Token]) -> list[Token]:
    """`found` without its leading ``BASE <iri>`` and ``PREFIX p: <iri>`` declarations."""
    index = 0
    while index < len(found) and found[index].kind == "word":
        keyword = found[index].text.upper()
        if keyword == "BASE":
            index += 2
        elif keyword == "PREFIX":
            index += 3
        else:
            break
    return found[index:]


@dataclass(frozen=True)
class Classified:
    """What a request text is: a query of some form, an update, or neither."""

    form: QueryForm | None
    update_keyword: str | None
    uses_service: bool
    nesting: int = 0


def classify(text: str) -> Classified:
    """Classify `text` by the rules of the module docstring."""
    found = tokens(text)
    words = [token.text.upper() for token in found if token.kind == "word"]
    body = _after_prologue(found)
    first = body[0].text.upper() if body and body[0].kind == "word" else ""
    update_keyword: str | None = None
    if first in UPDATE_STARTS:
        update_keyword = first
    else:
        update_keyword = next((word for word in words if word in UPDATE_OPERATIONS), None)
    return Classified(
        form=QUERY_FORMS.get(first),
        update_keyword=update_keyword,
        uses_service=calls_service(found),
        nesting=nesting_depth(found),
    )
