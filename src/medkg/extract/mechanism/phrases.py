"""Phrases of How it Works sentences that name a relation through a noun or a fixed phrase,
not through a verb of the relation.

Rules (each read only when the clause's subject is the drug, as a name, a pronoun or the
component a bold label names):

* ``S is involved in X``, ``S plays a (key) role in X`` -> INVOLVED_IN X;
* ``S leads to (results in, causes, produces) the <noun> of X`` with a noun naming a
  relation (relaxation -> RELAXES, inhibition / blockade -> INHIBITS, ...) -> that
  relation on X; a class of effects may come between ("leads to several effects,
  primarily the relaxation of X");
* ``S prevents the <noun> of X`` ("prevents the formation of X") -> INHIBITS "<noun> of X";
  "prevents X from <verb>ing" is not read;
* ``S causes (leads to, results in, produces) <process>``, ``…, causing <process>``
  with a physiological process named in ``data/terminology/process-words.csv``
  ("vasodilation") -> CAUSES the process.

Used by `medkg.extract.mechanism.lexicon`; nothing here knows a drug.
"""

from __future__ import annotations

import functools
import re

from medkg.model import Relation
from medkg.resources import terminology_rows

# Nouns that name the relation of their verb: "the relaxation of X" relaxes X.
NOMINAL_RELATIONS: dict[str, Relation] = {
    "inhibition": Relation.INHIBITS,
    "blockade": Relation.INHIBITS,
    "blocking": Relation.INHIBITS,
    "relaxation": Relation.RELAXES,
    "dilation": Relation.DILATES,
    "dilatation": Relation.DILATES,
    "widening": Relation.DILATES,
    "stimulation": Relation.STIMULATES,
    "activation": Relation.ACTIVATES,
    "suppression": Relation.SUPPRESSES,
    "release": Relation.RELEASES,
    "disruption": Relation.DISRUPTS,
    "reactivation": Relation.REACTIVATES,
}

# Verbs that say the subject brings the noun phrase after them about.
CAUSE_VERBS = (
    r"(?:leads?|led|leading)\s+to|results?\s+in|resulting\s+in|causes?|causing|"
    r"produces?|producing|triggers?|triggering"
)
# "leads to several effects, primarily …": a class of effects before the one named.
_EFFECT_CLASS = (
    r"(?:(?:several|various|many|multiple|a\s+number\s+of|a\s+range\s+of)\s+"
    r"(?:[a-z]+\s+)?(?:effects|changes|actions|responses)\s*,?\s*"
    r"(?:primarily|mainly|chiefly|notably|especially|including|such\s+as)\s+)?"
)
NOMINAL_RELATION = (
    rf"\b(?:{CAUSE_VERBS})\s+{_EFFECT_CLASS}(?:the\s+|an?\s+)?"
    rf"(?P<noun>{'|'.join(NOMINAL_RELATIONS)})\s+of\s+(?:the\s+)?"
)
INVOLVED = (
    r"\b(?:(?:is|are)\s+(?:[a-z]+ly\s+)?(?:involved|implicated)\s+in"
    r"|plays?\s+an?\s+(?:[a-z-]+\s+){0,2}?(?:role|part)\s+in)\s+"
)
# "prevents the formation of X": the object is "formation of X" (a process, named by a noun).
PREVENTS = (
    r"\b(?:(?:works?|acts?)\s+by\s+(?:[a-z]+ly\s+)?|helps?\s+(?:to\s+)?)?"
    r"(?:prevents?|preventing)\s+(?:the\s+)?"
    r"(?=[a-z-]+\s+of\s)"
)

PROCESS_FILE = "process-words.csv"


@functools.cache
def process_words() -> frozenset[str]:
    """The bundled physiological processes a drug causes (``process-words.csv``), read once."""
    rows = terminology_rows(PROCESS_FILE, "process word list", ("word",))
    return frozenset(" ".join(row["word"].lower().split()) for row in rows)


@functools.cache
def causes_process() -> str:
    """The pattern of "causes <process>": the process in group ``process``."""
    words = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(process_words()))
    return rf"\b(?:{CAUSE_VERBS})\s+(?:an?\s+)?(?P<process>(?:{words}))\b"
