"""Where a Precautions sentence states a contraindication.

* `contraindication_start` — after "contraindicated" (not negated or hedged
  before it), after an opening "Do not use/take [<drug>]" or "Avoid
  [using] <drug>/use in|during|…", or after "should/must not be
  used/given/taken in|during|…", "should be avoided in|…", "is not for use in …".
* `subject_contraindication` — the condition or population of "<people> with X
  should not take / should avoid it", "Breastfeeding women should avoid it".
* `CLAUSE_SEPARATOR` — where the contraindicated clauses split: before a new
  clause that opens with a preposition.
* `contraindication_facts` — one contraindication per condition of each clause.
"""

from __future__ import annotations

import re

from medkg.extract.block_labels import block_evidence
from medkg.extract.precaution.mentions import condition_mention
from medkg.extract.precaution.rules import PEOPLE, drug_object, negated
from medkg.extract.precaution.terms import conditions, precaution_words
from medkg.model import ContraindicationFact, Document
from medkg.text import Span, mention, paren_depth_split, trim

_PREPOSITIONS = r"(?:in|with|when|during|for|if|while|whilst)"
CLAUSE_SEPARATOR = re.compile(
    rf",?\s+(?:and|or)\s+(?={_PREPOSITIONS}\b)|[,;]\s+(?={_PREPOSITIONS}\b)", re.I
)

# an aside after the word glosses it ("contraindicated (should not be used) in …")
_CONTRAINDICATED = re.compile(r"\bcontraindicated\b(?:\s*\([^()]*\))?", re.I)
# adverbs that keep an instruction absolute ("should also be avoided"), only before "not";
# a hedge ("should probably / generally be avoided", "should not always be used") is none
_ABSOLUTE = r"(?:(?:also|always|strictly|completely|absolutely)\s+)?"
_SHOULD_NOT_BE_USED = re.compile(
    rf"\b(?:(?:should|must)\s+{_ABSOLUTE}not\s+be\s+(?:used|given|taken|administered)|"
    rf"should\s+{_ABSOLUTE}be\s+avoided|(?:is|are)\s+not\s+(?:for\s+use|to\s+be\s+used))\s+"
    r"(?=(?:in|during|if|by|for|with|to|on)\b)",
    re.I,
)


def contraindication_start(text: str, start: int, end: int, drug: str) -> int | None:
    """Where the contraindicated clauses begin in a sentence, or None if it is not one.

    Anywhere: "contraindicated" (and an aside that glosses it: "contraindicated
    (should not be used) in …"), "should/must not be used/given/taken in|during|to|…",
    "should (also / generally) be avoided in|during|…", "should not be used on …" —
    unless a negation cue comes before it in its clause ("not contraindicated", "never
    contraindicated", "not known whether it is contraindicated"; see
    `precaution_rules.negated`).
    Only as the instruction opening the sentence: "Do not use/take [<drug>]",
    "Avoid [using] <drug>/use in|during|…".
    """
    match = _CONTRAINDICATED.search(text, start, end)
    if match:
        return None if negated(text, start, match.start()) else match.end()
    sentence = text[trim(text, start, end)[0] : end]
    start = end - len(sentence)
    target = drug_object(drug)
    opening = (
        rf"(?:do\s+not|don't|never)\s+(?:use|take|give|administer)\b(?:\s+{target})?\s+",
        rf"avoid\s+(?:(?:using|taking|use\s+of)\s+)?(?:{target}|use)\s+"
        r"(?=(?:in|during|if|while|when|on)\b)",
    )
    for pattern in opening:
        found = re.match(pattern, sentence, re.I)
        if found:
            return start + found.end()
    found = _SHOULD_NOT_BE_USED.search(sentence)
    if found is None or negated(text, start, start + found.start()):
        return None
    return start + found.end()


_SUBJECT_CONTRA = re.compile(
    rf"(?:^|[;:]\s+)(?:{PEOPLE}\s+(?:with|who\s+(?:have\s+had|have|are))\s+(?P<cond>.+?)"
    r"|(?P<pop>[A-Z][\w-]+\s+(?:women|mothers|patients|children|infants|adults)))"
    r"\s+(?:should|must)\s+(?:also\s+)?(?:not\s+(?:take|use|receive|be\s+given)|avoid|never)\b",
    re.I,
)


def subject_contraindication(text: str, start: int, end: int) -> Span | None:
    """ "<people> with X should not take/avoid it", "Breastfeeding women should avoid it"."""
    found = _SUBJECT_CONTRA.search(text[start:end])
    if found is None:
        return None
    group = "cond" if found.group("cond") is not None else "pop"
    return start + found.start(group), start + found.end(group)


def contraindication_facts(
    document: Document, section: str, start: int, end: int, drug: str
) -> list[ContraindicationFact]:
    """One contraindication per condition of each clause of text[start:end]; the examples
    of a class of conditions ("fluid overload conditions (e.g., pulmonary oedema)") are
    contraindications too (`_is_class`), those of a reaction ("hypersensitivity (e.g.,
    facial swelling)": how it showed) are not."""
    text = document.text
    facts = []
    for clause in paren_depth_split(text, start, end, CLAUSE_SEPARATOR):
        clause_evidence = block_evidence(document, section, *clause)
        for condition in conditions(text, *clause, drug):
            examples = tuple(mention(document, section, s, e) for s, e in condition.examples)
            facts.append(
                ContraindicationFact(
                    condition=condition_mention(document, section, condition),
                    evidence=clause_evidence,
                    examples=examples,
                )
            )
            if _is_class(condition.text):
                facts.extend(
                    ContraindicationFact(condition=example, evidence=clause_evidence)
                    for example in examples
                    if example.text and not _PEOPLE_FIRST.match(example.text)
                )
    return facts


_PEOPLE_FIRST = re.compile(rf"{PEOPLE}\b", re.I)  # "(e.g., those with X)": people, not X


def _is_class(condition: str) -> bool:
    """Whether a condition names a class whose every member is meant ("heart conditions",
    "bleeding disorders": `class-head` words of precaution-words.csv)."""
    words = condition.lower().split()
    return bool(words) and words[-1] in precaution_words().get("class-head", frozenset())
