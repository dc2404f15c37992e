"""Role nouns of How it Works sentences: "S is a <target> inhibitor", "S acts as a cofactor
for X". Each role noun names a relation; the words before it are the target, less the
words that say how the drug acts ("selective", "centrally") rather than on what.

Used by `medkg.extract.mechanism.lexicon` and `medkg.extract.mechanism.clauses`; nothing
here knows a drug.
"""

from __future__ import annotations

from medkg.model import Relation

# "S is a <target> inhibitor" / "S is an agonist at <target>": the role noun and its relation.
# An "inverse" or "partial" agonist is not read (it does not plainly activate).
ROLE_NOUNS: dict[str, Relation] = {
    "inhibitor": Relation.INHIBITS,
    "blocker": Relation.INHIBITS,
    "antagonist": Relation.INHIBITS,
    "agonist": Relation.ACTIVATES,
    "activator": Relation.ACTIVATES,
    "relaxant": Relation.RELAXES,
    "depressant": Relation.DEPRESSES,
    "stimulant": Relation.STIMULATES,
}
# A role noun read only with a preposition naming its object ("a cofactor for X"): the words
# before it ("an essential cofactor") are not what it acts on.
ROLE_OF_NOUNS: dict[str, Relation] = {**ROLE_NOUNS, "cofactor": Relation.REQUIRED_FOR}
# Words before a target that say how the drug acts, not what it acts on.
ROLE_MODIFIERS = frozenset(
    {
        "selective",
        "non-selective",
        "nonselective",
        "full",
        "pure",
        "dual",
        "highly",
        "potent",
        "competitive",
        "reversible",
        "irreversible",
        "specific",
        "direct",
        "long-acting",
        "short-acting",
        "ultra-long-acting",
        "oral",
        "combined",
        "mild",
        "strong",
        "general",
        "acting",
        "centrally-acting",
    }
)
# Words that make a role noun say less than its relation: such a clause gives no step.
ROLE_BLOCKERS = frozenset({"inverse", "partial", "mixed", "weak", "possible", "potential"})
