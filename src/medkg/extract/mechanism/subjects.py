"""The words around a How it Works clause's subject: pronouns, negations and hedges,
fronted phrases and appositives, and the names a drug goes by.

Used by `medkg.extract.mechanism.sentence`, which reads subjects with them; nothing
here knows a drug.
"""

from __future__ import annotations

import re

PRONOUNS = frozenset(
    {
        "it",
        "this drug",
        "this medicine",
        "this medication",
        "this agent",
        "the drug",
        "the medicine",
        "the medication",
        "this antibody",
        "the antibody",
    }
)
DEMONSTRATIVES = ("this", "these", "that", "those")
# Pronouns that do not name the drug ("They are incorporated into …"): no subject.
# Words that make the words before a verb a clause, not a subject: "X is a substance that
# the body releases" (the subject of "releases" is "the body", in a relative clause).
CLAUSE_WORDS = frozenset({"that", "which", "who", "whom", "is", "are", "was", "were"})
# Words that open a subordinate clause: "Since X are needed for Y, …" gives a reason.
SUBORDINATORS = frozenset({"since", "because", "although", "though", "if", "when", "whereas"})
UNRESOLVED_PRONOUNS = frozenset({"they", "them", "he", "she", "we", "you", "which", "that"})
NEGATIONS = frozenset({"not", "no", "never", "cannot", "neither", "nor"})
# A word that cannot end a subject: the "verb" after it is a noun ("its targets") or the
# clause is hedged ("may fall").
NOT_SUBJECT_END = frozenset(
    {
        "its",
        "their",
        "the",
        "a",
        "an",
        "his",
        "her",
        "our",
        "your",
        "of",
        "to",
        "in",
        "for",
        "with",
        "on",
        "may",
        "might",
        "can",
        "could",
        "will",
        "would",
        "should",
        "must",
        "does",
        "do",
        "did",
        "is",
        "are",
        "was",
        "were",
    }
)
ADVERBS = frozenset({"also", "then", "further", "thereby", "thus", "therefore", "in turn"})
# A phrase before the subject, closed by a comma: "In allergic reactions, it blocks …",
# "Simultaneously, it raises …", "When injected, it binds …" (a time, not a condition:
# "when" only before a participle).
FRONTED = re.compile(
    r"(?:(?:in|within|inside|at|on|as|for|like|unlike|once|through|via|after|upon|following|"
    r"additionally|however|furthermore|moreover|essentially|specifically|primarily|mainly|"
    r"overall|simultaneously|similarly|secondly|finally|importantly|notably|instead|"
    r"subsequently)\b|when\s+(?:[a-z]+ed|given|taken)\b)[^,]*,\s*"
    r"(?P<s>[^,]+)$",
    re.I,
)
# An appositive after the subject: "Examplin, an antibiotic, works by …".
APPOSITION = re.compile(r"(?P<s>[^,]+),\s+(?:an?|the)\s+[^,]+,$", re.I)
# Words of a fronted phrase that make the clause a possibility, not a fact.
HEDGES = frozenset(
    {
        "theory",
        "theoretically",
        "study",
        "studies",
        "research",
        "evidence",
        "possibly",
        "probably",
        "likely",
        "perhaps",
        "potentially",
        "may",
        "might",
        "could",
        "suggest",
        "suggests",
        "believed",
        "thought",
        "hypothesized",
        "proposed",
        "unclear",
        "unknown",
        "not",
        "animal",
        "animals",
        "vitro",
        "laboratory",
    }
)


_PARTS = re.compile(r"\s*(?:\+|/|,|&|\band\b|\bwith\b)\s*", re.I)


def drug_names(drug: str) -> list[str]:
    """The drug's name and, for a combination ("A + B", "A and B"), each product's name."""
    whole = " ".join(drug.split())
    if not whole:
        return []
    parts = [p for p in _PARTS.split(whole) if p.strip()]
    return [whole, *(p for p in parts if p != whole)] if len(parts) > 1 else [whole]


def after_colon(work: str, start: int, end: int) -> int:
    """Where the clause in work[start:end] begins: after its last colon outside
    parentheses that has words after it ("X is simple: it blocks Y" -> "it"), else `start`."""
    depth, at = 0, start
    for i in range(start, end):
        if work[i] == "(":
            depth += 1
        elif work[i] == ")":
            depth = max(0, depth - 1)
        elif work[i] == ":" and depth == 0 and work[i + 1 : end].strip():
            at = i + 1
    return at
