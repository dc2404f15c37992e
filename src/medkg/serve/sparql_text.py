"""Reading just enough of a request's SPARQL text to route it safely before any engine sees it.

The text is split into tokens the way the SPARQL 1.1 grammar does (comments,
strings, IRIs, variables, prefixed names, language tags, bare words), so a
keyword inside a string, an IRI, a comment or a name (``?service``,
``ex:insert``) is never mistaken for the keyword itself. Two rules use it:

- the query form is the first bare word after the prologue (``BASE``/``PREFIX``
  declarations): ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE`` is a query;
  an update keyword (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``, ``DROP``,
  ``CREATE``, ``ADD``, ``MOVE``, ``COPY``, ``WITH``) there, or an update
  operation keyword anywhere, makes the text an update;
- ``SERVICE`` as a bare word anywhere is a federated call, which is refused.
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
    | (?P<pname>(?:[^\W\d][\w.\-\u00b7]*)?:(?:[\w.\-:%\u00b7]|\\.)*)
    | (?P<word>[^\W\d]\w*)
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
        if kind not in ("space", "comment"):
            found.append(Token(kind, match.group()))
    return found


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
        uses_service="SERVICE" in words,
    )
