"""What makes a sentence of a Usage section state a use, and the words its rules read.

* **Trigger.** `find_trigger` finds the phrase that introduces the object of a
  use: "used / indicated / approved / prescribed … to treat (or prevent)",
  "… for (the treatment of)", "… in the treatment of", "… in treating",
  "used as a … in the treatment of", "Its (primary) use is in / for …",
  "Its use is (limited to …,) as a <form or role> to treat …",
  "treats", "helps (to) relieve", "a medicine / treatment for", "for the
  diagnosis / imaging of". Treating verbs may be coordinated ("treat or
  prevent", "prevent and treat"): one trigger.
* **Stated use.** `stated_use` says whether the clause of a trigger states a
  current use: a negation ("not indicated for", "not suitable for"), a hedge
  ("might be considered", "may be used", "potential", "research suggests")
  or a past use ("previously used", "no longer used", "Its primary use was",
  "historically") before the trigger in its clause states none. A frequency
  word ("sometimes", "occasionally", "off-label") is no hedge: "It is
  sometimes used to treat X" states a use. Negations are found by
  `precaution_rules.negated`, the cue the Precautions rules use.
* **Past use.** `past_use` finds the cue of a use the text states as past
  ("was previously used to treat X", "has historically been used for X", "Its
  primary use was in X"): such a use was real, so it gives indications
  qualified "past use" rather than none; a negated or hedged clause, or one that
  ends the use ("no longer", "withdrawn"), still gives none.
* **Off-label.** `off_label` finds the "off-label" that marks a use: the
  indications read from its clause or list carry it as their qualifier.
* **Words.** `indication_words` reads `data/terminology/indication-words.csv`:
  generic heads, shared head nouns, body parts, treatment words, non-condition
  heads, excipient roles and dosing words (see that file).
"""

from __future__ import annotations

import functools
import re

from medkg.extract.precaution.rules import negated
from medkg.resources import words_by_kind

WORDS_FILE = "indication-words.csv"
_KINDS = (
    "body-part",
    "degree-modifier",
    "dosing",
    "excipient-role",
    "function-word",
    "generic",
    "generic-modifier",
    "head",
    "not-condition",
    "treatment",
    "treatment-modifier",
)


@functools.cache
def indication_words() -> dict[str, frozenset[str]]:
    """The bundled indication words by kind (generic, head, body-part, …), read once."""
    return words_by_kind(WORDS_FILE, "indication word list", _KINDS)


def words_of(kind: str) -> frozenset[str]:
    return indication_words().get(kind, frozenset())


TREATING_VERBS = (
    "treat",
    "relieve",
    "manage",
    "control",
    "prevent",
    "reduce",
    "ease",
    "alleviate",
    "cure",
    "correct",
    "address",
    "combat",
    "fight",
    "heal",
    "soothe",
    "diagnose",
    "disinfect",
)
_VERB = rf"(?:{'|'.join(TREATING_VERBS)})"
_VERBS = rf"{_VERB}(?:\s*(?:,\s*)?(?:and/or|and|or)\s+(?:to\s+)?{_VERB})*"
_VERBING = (
    r"(?:treating|relieving|managing|controlling|preventing|reducing|easing|alleviating|"
    r"curing|correcting|addressing|combating|fighting|healing|diagnosing)"
)
_VERBINGS = rf"{_VERBING}(?:\s*(?:,\s*)?(?:and/or|and|or)\s+{_VERBING})*"
_NOUN = r"(?:treatment|management|prevention|relief|control|therapy|prophylaxis)"
_ADVERBS = (
    r"(?:(?:\w+ly|also|often|still|sometimes|mostly|mainly|most\s+often|off[-\s]label)\s+){0,2}"
    r"(?:\([^()]*\)\s+)?"
)
_USED = (
    r"(?:used|indicated|approved|prescribed|given|taken|recommended|employed|utili[sz]ed|"
    r"administered|intended|applied|designed)"
)
# one character of a trigger's free gap that does not start a denial ("its use is not
# recommended as a … to treat X" states no use: `stated_use` only checks before the trigger)
_UNDENIED = r"(?:(?!\b(?:not|no|never|cannot)\b|n't\b)[^.;:])"
_TRIGGER = re.compile(
    rf"\b(?:{_USED}\s+{_ADVERBS}"
    rf"(?:to\s+{_VERBS}"
    rf"|for(?:\s+the\s+{_NOUN}\s+of|\s+{_VERBINGS})?"
    rf"|in\s+(?:the\s+)?{_NOUN}\s+of|in\s+{_VERBINGS}"
    rf"|as\s+(?:a|an)\s+{_UNDENIED}{{0,60}}?\bin\s+the\s+{_NOUN}\s+of"
    rf"|as\s+(?:a|an)\s+(?:[\w-]+\s+){{0,2}}?(?:therapy|treatment|adjunct)\s+(?:in|for)"
    rf"|as\s+(?:a|an)\s+(?:[\w-]+\s+){{1,3}}?to\s+{_VERBS})"
    rf"|\buses?\s+(?:is|are|was|were)\s+(?:in|for)(?:\s+{_VERBINGS})?"
    rf"|\buses?\s+(?:is|are)\s+to\s+{_VERBS}"
    rf"|\buses?\s+(?:is|are)\s+{_UNDENIED}{{0,60}}?\bas\s+(?:a|an)\s+(?:[\w-]+\s+){{0,3}}?to\s+{_VERBS}"
    r"|(?:medicine|medication|drug|treatment|therapy|agent)\s+for"
    r")\s+",
    re.IGNORECASE,
)
# "serves as a preservative in …": the use is the role and where it plays it
_ROLE = re.compile(
    r"\b(?:serves?|used|acts?|functions?|employed|utili[sz]ed)\s+(?:\w+ly\s+)?as\s+(?:a|an)\s+"
    r"(?P<role>(?:[\w-]+\s+){0,2}?[\w-]+)\s+(?:in|for)\s+",
    re.IGNORECASE,
)
# a sentence that opens with the treating noun: "Treatment of …", "Prevention of …"
LEADING_TREATMENT = re.compile(
    rf"(?:the\s+)?(?:[\w-]+\s+){{0,2}}?{_NOUN}\s+(?:of|for)\s+", re.IGNORECASE
)


# "helps to relieve" and a bare "treats" / "relieves" count only with the drug as subject
_HELPS = re.compile(
    r"(?:it|(?:this|the)\s+(?:medicine|medication|drug|combination|product|preparation|"
    r"formulation|cream|gel|ointment|solution|lotion)"
    r"|(?P<name>(?-i:[A-Z][\w-]*(?:\s+(?:[A-Z(+][\w()-]*|\+))*)))"
    r"\s+(?:(?:also|often|can|effectively|primarily|mainly|typically)\s+)?"
    r"(?:helps?\s+(?:to\s+)?(?:treat|relieve|manage|control|prevent|alleviate)"
    r"(?:\s+(?:and|or)\s+(?:treat|relieve|manage|control|prevent|alleviate))?"
    r"|treats|relieves|manages|controls|prevents|alleviates|cures)\s+",
    re.IGNORECASE,
)


def is_stated_with_use_verb(trigger: re.Match[str]) -> bool:
    """Whether a trigger says the drug is used / indicated / prescribed (not only that it
    treats or helps): in the body of a condition label, only such a trigger names a use."""
    return re.match(rf"{_USED}\b", trigger.group(0), re.IGNORECASE) is not None


def find_trigger(text: str, start: int, end: int, title: str = "") -> re.Match[str] | None:
    """The first phrase of text[start:end] that introduces what a drug is used for.

    "helps (to) relieve" and a bare "treats" / "relieves" count only as the main verb of
    the drug ("It helps to relieve", "The combination relieves", "<a word of the title>
    treats"), not of another subject ("This blocking action helps to alleviate
    symptoms", "The combined action treats the infection")."""
    found = _TRIGGER.search(text, start, end)
    helps = _HELPS.match(text, start, end)
    if helps and helps.group("name"):
        title_words = {w.lower() for w in re.findall(r"[\w-]+", title)}
        if not {w.lower() for w in re.findall(r"[\w-]+", helps.group("name"))} & title_words:
            helps = None
    if helps and (found is None or helps.start() < found.start()):
        return helps
    return found


def find_role(text: str, start: int, end: int) -> tuple[int, int] | None:
    """ "serves as a preservative in X": the span of the role word up to the sentence end,
    when the role is an excipient role (`excipient-role` words), else None."""
    match = _ROLE.search(text, start, end)
    if match is None:
        return None
    role = " ".join(match.group("role").lower().split())
    roles = words_of("excipient-role")
    if role not in roles and role.split()[-1] not in roles:
        return None
    return match.start("role"), end


_HEDGE = re.compile(
    r"\b(?:may|might|could|possibly|perhaps|potential(?:ly)?|investigat\w*|experimental(?:ly)?|"
    r"theoretical(?:ly)?|research|studies|study|suggest\w*|explored|unproven|hypothesi[sz]ed|"
    r"promise|promising|believed|thought\s+to|reportedly|purported(?:ly)?|anecdotal(?:ly)?|"
    r"speculative|presumabl[ey])\b",
    re.IGNORECASE,
)
# a label item's body that doubts the label's use ("**Gout:** Some studies suggest it may
# help", "**Acne:** It might be used in mild cases", "**X:** Not approved for this use")
_DOUBTED_USE = re.compile(
    r"\b(?:may|might|could)\s+(?:also\s+|sometimes\s+|potentially\s+)?(?:be\s+)?"
    r"(?:used|prescribed|considered|given|help\w*|improv\w*|offer\w*|benefi\w*|effective|"
    r"provid\w*|reduc\w*|allevia\w*|reliev\w*|support\w*|play\w*|"
    r"have\s+(?:a\s+|some\s+)?(?:role|benefit|effect))\b"
    r"|\b(?:studies|research|trials?|evidence)\b[^.]*?\b(?:suggest\w*|ongoing|needed|limited|"
    r"inconclusive|mixed|explor\w*)"
    r"|\b(?:investigat\w*|experimental|theoretical|anecdotal\w*|unproven|believed|"
    r"thought\s+to|being\s+(?:studied|explored|investigated)|"
    r"undergoing\s+(?:clinical\s+)?trials?)\b"
    r"|\bnot\s+(?:been\s+)?(?:approved|proven|established|recommended|indicated)\b",
    re.IGNORECASE,
)
_PAST = re.compile(
    r"\b(?:previously|formerly|historically|once\s+used|no\s+longer|used\s+to\s+be|was|were|"
    r"had\s+been|discontinued|withdrawn|superseded|obsolete)\b",
    re.IGNORECASE,
)
# a past use the text states as such: an adverb of former use, or a past-tense "was /
# were (…) used" or "use was" right before the trigger's own words
_FORMER = re.compile(
    r"\b(?:previously|formerly|historically|once\s+(?:been\s+)?(?:\w+ly\s+)?used)\b"
    r"|\b(?:was|were|had\s+been)\s+(?:(?:\w+ly|also|often|mainly|mostly|once)\s+){0,2}"
    r"(?=(?:used|employed|utili[sz]ed|prescribed|given)\b)"
    r"|\buses?\s+(?:was|were)\b",
    re.IGNORECASE,
)
# a subordinate clause whose subject is something else ("where other drugs were used")
_SUBORDINATE = re.compile(r"\b(?:where|when|whereas|after|before|if|unless)\b", re.IGNORECASE)
# a past cue that ends the use for good ("no longer used", "withdrawn"): no fact either way
_ENDED = re.compile(
    r"\b(?:no\s+longer|discontinued|withdrawn|superseded|obsolete|used\s+to\s+be)\b",
    re.IGNORECASE,
)


def clause_start(text: str, start: int, trigger: int) -> int:
    """Where the clause of a trigger starts: after the last comma or semicolon before it
    (a comma inside parentheses does not count)."""
    depth = 0
    cut = start
    for index in range(start, trigger):
        char = text[index]
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and char in ",;":
            cut = index + 1
    return cut


def stated_use(text: str, start: int, trigger: int) -> bool:
    """Whether the trigger at `trigger` (in the sentence starting at `start`) states a
    current use: no negation, hedge or past-use cue before it in its clause."""
    clause = clause_start(text, start, trigger)
    if negated(text, start, trigger):
        return False
    return not (_HEDGE.search(text, clause, trigger) or _PAST.search(text, clause, trigger))


def past_use(text: str, start: int, trigger: int, trigger_end: int) -> re.Match[str] | None:
    """The cue that makes the trigger at `trigger` a past use ("was previously used to
    treat X", "has historically been used for X", "Its primary use was in X"): a former-use
    adverb before the trigger in its clause, or a past tense of the trigger's own verb; None
    when the clause also negates or hedges, or ends the use ("no longer", "withdrawn"). The
    use it states was real: an indication qualified as past, not a current one."""
    clause = clause_start(text, start, trigger)
    if negated(text, start, trigger) or _HEDGE.search(text, clause, trigger):
        return None
    if _ENDED.search(text, clause, trigger_end):
        return None
    cue = _FORMER.search(text, clause, trigger_end)
    if cue is None or _SUBORDINATE.search(text, clause, cue.start()):
        return None  # "after procedures where other drugs were used for X": not its use
    return cue


def doubts_use(text: str, start: int, end: int) -> bool:
    """Whether a label item's body sentence text[start:end] doubts or denies the use its
    label names: a modal before a use verb ("may help", "might be used"), evidence words
    that hedge ("studies suggest", "more research is needed", "investigational") or "not
    approved/proven/recommended"."""
    return _DOUBTED_USE.search(text, start, end) is not None


# a label body sentence that calls the evidence for the use weak ("its role is less
# established", "has shown some use in a few cases")
_WEAK_EVIDENCE = re.compile(
    r"\b(?:less|not\s+(?:well|yet|fully))\s+established\b"
    r"|\bshown\s+some\s+(?:use|benefit|promise|effect|activity)\b",
    re.IGNORECASE,
)


def weak_evidence(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] calls the evidence for a use weak ("its role is less
    established"): in any sentence of a label's body, the label states no use."""
    return _WEAK_EVIDENCE.search(text, start, end) is not None


OFF_LABEL = re.compile(r"\boff[-\s]label\b", re.IGNORECASE)


def off_label(text: str, start: int, end: int) -> re.Match[str] | None:
    """The "off-label" that marks a use in text[start:end] ("is used off-label to treat",
    "Off-label uses include:"), if written there."""
    return OFF_LABEL.search(text, start, end)


def hedged(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] holds a negation, hedge or past-use cue anywhere."""
    return bool(
        _HEDGE.search(text, start, end)
        or _PAST.search(text, start, end)
        or negated(text, start, end)
    )
