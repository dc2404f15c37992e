"""A use named by the drug's role: "is used as a mild sedative and local analgesic".

A sentence that says the drug is used (or was used) *as* an agent whose purpose has
a noun of its own (`data/terminology/use-roles.csv`: sedative -> sedation,
analgesic -> analgesia, contraceptive -> contraception …) names that purpose as a
use. Coordinated roles ("as a sedative and (as a) local analgesic") are one use
each; a modifier that says where or how the purpose is served ("local",
"topical", "nasal": kind `kept`) stays with it, any other ("mild", "potent")
goes. A trailing "for X" / "in X" after the roles is the qualifier of each use.
Only roles listed count: "used as a base for ointments" names no use here.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from medkg.resources import terminology_rows
from medkg.text import Span, trim

WORDS_FILE = "use-roles.csv"

_USED_AS = re.compile(
    r"\b(?:used|employed|utili[sz]ed|given|administered|prescribed)\s+"
    r"(?:(?:\w+ly|also|often|mainly|mostly)\s+){0,2}as\s+(?=(?:a|an)\s)",
    re.IGNORECASE,
)
_JOIN = re.compile(
    r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+)(?:as\s+)?(?:(?:a|an)\s+)?", re.I
)
_ARTICLE = re.compile(r"(?:a|an)\s+", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][\w-]*")
_TAIL = re.compile(r"\s+(?:for|in|during)\s+", re.IGNORECASE)
_MAX_MODIFIERS = 2


@dataclass(frozen=True)
class RoleUse:
    """One use named by a role: its purpose noun and the role's span as written."""

    purpose: str
    span: Span


@dataclass(frozen=True)
class RoleUses:
    """The uses a "used as a <role>" phrase names, where the phrase's verb is, and the
    span of the trailing "for X" that qualifies them (None when there is none)."""

    uses: tuple[RoleUse, ...]
    verb: Span
    qualifier: Span | None


@functools.cache
def _table() -> tuple[dict[str, str], frozenset[str]]:
    rows = terminology_rows(
        WORDS_FILE, "use role list", ("word", "kind"), {"kind": ("role", "kept")}
    )
    roles = {r["word"].lower(): r["purpose"] for r in rows if r["kind"] == "role"}
    kept = frozenset(r["word"].lower() for r in rows if r["kind"] == "kept")
    return roles, kept


def _role_at(text: str, start: int, end: int) -> tuple[RoleUse, int] | None:
    """The role phrase at text[start:end] ("mild sedative", "local analgesic") and where
    it ends, or None when no listed role ends the next few words."""
    roles, kept = _table()
    words = list(_WORD.finditer(text, start, end))[: _MAX_MODIFIERS + 2]
    for count in range(len(words), 0, -1):
        for size in (2, 1):
            if count - size < 0 or count - size > _MAX_MODIFIERS:
                continue
            head = " ".join(w.group().lower() for w in words[count - size : count])
            between = text[words[0].start() : words[count - 1].end()]
            if head not in roles or re.search(r"[,;()]|\band\b|\bor\b", between):
                continue
            modifiers = [w.group().lower() for w in words[: count - size]]
            purpose = " ".join([m for m in modifiers if m in kept] + [roles[head]])
            return RoleUse(purpose, (words[0].start(), words[count - 1].end())), words[
                count - 1
            ].end()
    return None


def role_uses(text: str, start: int, end: int) -> RoleUses | None:
    """The uses named by "used as a <role> (and <role>)" in text[start:end], if any."""
    used = _USED_AS.search(text, start, end)
    if used is None:
        return None
    article = _ARTICLE.match(text, used.end(), end)
    cursor = article.end() if article else used.end()
    uses: list[RoleUse] = []
    while (found := _role_at(text, cursor, end)) is not None:
        use, cursor = found
        uses.append(use)
        join = _JOIN.match(text, cursor, end)
        if join is None:
            break
        following = _role_at(text, join.end(), end)
        if following is None:
            break
        cursor = join.end()
    if not uses:
        return None
    tail = _TAIL.match(text, cursor, end)
    qualifier = trim(text, tail.start(), end, " \t\n.,;:") if tail else None
    return RoleUses(tuple(uses), used.span(), qualifier)
