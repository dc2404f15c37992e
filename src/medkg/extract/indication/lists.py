"""Bulleted lists of uses in a Usage section: lead-ins, item labels, item bodies.

* **Lead-in.** A paragraph whose last sentence ends with ":" introduces a list
  of uses when it names uses ("Its main uses include:", "Specific
  indications are:", "Common infections treated include:", "Conditions it
  treats include:"), or holds a use trigger ("It is used to treat
  conditions such as:", "It is often prescribed for:"), or points back to a
  use just read ("These include:", "Examples include:"). A lead-in that
  talks of components or ingredients ("Each component plays a role:"), is
  negated, hedged or past (`indication_cues.hedged`), or whose use is for
  people ("used for individuals at risk, such as:") introduces none.
* **Label.** An item may open with a label (``**Label:** body`` or a plain
  ``Label: body``). Under a lead-in of uses the label is read by `label_kind`:
  a component's name (every word of it a word of the product's title, as in
  ``**Zinc:**``), a people phrase (``**Patients undergoing surgery:**``), a
  treatment line (``**First-line maintenance treatment:**``, ``**Intrathecal
  use:**``: only treatment words and modifiers), or a body function or goal
  (``**Supporting nerve function:**``) is not a condition; any other label is.
* **Body.** After a condition label, a body that opens with "This includes",
  "Such as", "Including" or "e.g." lists further conditions, and so does a
  body that is a plain list of names (`plain_list`: short items, no article,
  no verb: ``Boils, abscesses, cellulitis.``); a descriptive body is
  detail. After a treatment-line label, a body "For <people> with X …" gives
  the condition X for those people (`FOR_PEOPLE`).
"""

from __future__ import annotations

import re
from typing import Literal

from medkg.extract.indication.cues import hedged, words_of
from medkg.text import Span, split_list, trim

LabelKind = Literal["condition", "component", "people", "treatment", "other"]

_COMPONENTS = re.compile(
    r"\b(?:components?|ingredients?|constituents?|roles?|synergistic\w*|break\s+down|"
    r"contribut\w*|each\s+(?:drug|medication|medicine|agent)|individual\s+(?:drugs|medications|"
    r"agents)|combines?|works?\s+(?:by|together)|mechanism)\b",
    re.IGNORECASE,
)
_USES = re.compile(
    r"\b(?:uses|applications|indications|purposes)\b(?:\s+\w+){0,4}?\s*(?:include|includes|"
    r"are|:)"
    r"|\b(?:used|indicated|prescribed|employed)\s+(?:\w+\s+){0,2}?in\s+(?:\w+\s+){0,3}?"
    r"(?:situations|scenarios|settings|circumstances|ways|areas)\b"
    r"|\b(?:conditions|infections|cancers|disorders|diseases|illnesses|ailments|symptoms|"
    r"tumou?rs)\s+(?:(?:it|that\s+it|which\s+it)\s+(?:\w+\s+)?(?:treats|manages|addresses|"
    r"relieves|prevents)|(?:commonly\s+|often\s+|typically\s+)?(?:treated|managed|addressed)"
    r"(?:\s+with\s+\w+)?\s+include|include)\b",
    re.IGNORECASE,
)
_POINTS_BACK = re.compile(
    r"^(?:these|this|examples|specific\s+examples|such\s+(?:conditions|uses))\s+"
    r"(?:(?:conditions|infections|uses|disorders|diseases|symptoms)\s+)?"
    r"(?:may\s+)?(?:includes?|are)(?:,?\s+but\s+(?:are\s+)?not\s+limited\s+to)?\s*:$",
    re.IGNORECASE,
)
_PEOPLE = re.compile(
    r"(?:(?:[\w-]+\s+){0,2})(?:patients|people|persons|individuals|adults|children|women|men|"
    r"infants|those|anyone|athletes|travell?ers|mothers|elderly)\b",
    re.IGNORECASE,
)
_FOR_PEOPLE = re.compile(
    r"(?:for|in)\s+(?P<people>(?:[\w-]+\s+){0,2}?(?:patients|people|persons|individuals|adults|"
    r"children|women|men|infants|adolescents))\s+(?:with|who\s+have|suffering\s+from|"
    r"diagnosed\s+with)\s+",
    re.IGNORECASE,
)
_BODY_EXAMPLES = re.compile(
    r"(?:this|these|it)\s+(?:also\s+)?(?:includes?|covers?|encompass(?:es)?)\s+"
    r"(?:conditions\s+(?:like|such\s+as)\s+)?"
    r"|(?:such\s+as|including|e\.g\.,?|for\s+example,?|examples\s+(?:include|are):?)\s+",
    re.IGNORECASE,
)
_VERBISH = re.compile(
    r"\b(?:is|are|was|were|be|been|can|may|might|could|should|will|would|has|have|had|helps?|"
    r"works?|reduces?|relieves?|provides?|treats?|causes?|affects?|involves?|makes?|acts?|"
    r"targets?|blocks?|prevents?|improves?|occurs?|results?|leads?|requires?|means?|refers?)\b"
    r"|\b\w+ed\s+(?:by|with|to|in)\b"
    r"|\b(?!(?:following|including|involving|bleeding|swelling|itching|vomiting|burning|"
    r"wasting|sneezing|stinging|tingling|scarring|sweating|ringing|hearing|teething|"
    r"bedwetting)\b)\w+ing\b",
    re.IGNORECASE,
)
_ARTICLE_START = re.compile(
    r"(?:a|an|the|this|these|that|those|it|its|their|they|some|many|most|often|usually|"
    r"typically|used|also|both|each|every|all|any|only|not|no)\b",
    re.IGNORECASE,
)


_GOAL_GERUND = re.compile(
    r"(?:support|promot|improv|maintain|boost|enhanc|aid|help|provid|strengthen|regulat|"
    r"increas|reduc|lower|rais|optimi[sz]|balanc|protect|restor|replenish|encourag|"
    r"facilitat|stimulat)ing$"
)


def _words(text: str) -> list[str]:
    return re.findall(r"[\w'’-]+", re.sub(r"\([^()]*\)", " ", text).lower())


def names_uses(text: str, start: int, end: int) -> bool:
    """Whether a lead-in sentence names uses ("Its main uses include:", "Common
    infections treated include:") and is neither about components nor hedged."""
    if _COMPONENTS.search(text, start, end) or hedged(text, start, end):
        return False
    return _USES.search(text, start, end) is not None


def points_back(text: str, start: int, end: int) -> bool:
    """ "These include:", "Examples include:": a lead-in that lists what was just read."""
    return _POINTS_BACK.match(" ".join(text[start:end].split())) is not None


def about_components(text: str, start: int, end: int) -> bool:
    return _COMPONENTS.search(text, start, end) is not None


def opens_with_people(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] opens with a people phrase ("individuals at risk …")."""
    match = _PEOPLE.match(text, start, end)
    return match is not None and not re.match(r"\s*(?:'s|’s)", text[match.end() : end])


def label_kind(label: str, title: str) -> LabelKind:
    """What an item's label names (see the module docstring)."""
    words = _words(label)
    if not words or hedged(label, 0, len(label)):
        return "other"
    title_words = set(_words(title.replace("+", " ")))
    if all(w in title_words for w in words):
        return "component"
    joined = " ".join(words)
    if _PEOPLE.fullmatch(joined) or (
        _PEOPLE.match(joined)
        and len(words) > 1
        and words[1] in ("with", "who", "undergoing", "at", "on", "receiving")
    ):
        return "people"
    treatment = words_of("treatment")
    modifiers = words_of("treatment-modifier") | {"and", "or", "the", "a", "an", "other"}
    head = words[: _head_length(words)]
    if any(w in treatment for w in head) and all(w in treatment or w in modifiers for w in head):
        return "treatment"
    if _GOAL_GERUND.match(words[0]):
        return "other"
    if words[-1] in words_of("not-condition"):
        return "other"
    return "condition"


def _head_length(words: list[str]) -> int:
    """How many words come before the label's first preposition ("Maintenance treatment
    in recurrent cancer" -> 2)."""
    for index, word in enumerate(words):
        if word in ("in", "after", "for", "of", "with", "during", "following") and index:
            return index
    return len(words)


def body_examples(text: str, start: int, end: int) -> int | None:
    """Where the listed conditions start when a body opens "This includes …", "Such as …"."""
    match = _BODY_EXAMPLES.match(text, start, end)
    return match.end() if match else None


def for_people(text: str, start: int, end: int) -> re.Match[str] | None:
    """ "For adults with X who …" opening a treatment-line body."""
    return _FOR_PEOPLE.match(text, start, end)


def plain_list(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] (one sentence) is a plain list of names: short items (at
    most five words, or three for a single item), no article or verb, not a description."""
    start, end = trim(text, start, end, " \t\n.;:*_")
    if start >= end or _ARTICLE_START.match(text, start, end):
        return False
    body = re.sub(r"\([^()]*\)", " ", text[start:end])
    if _VERBISH.search(body):
        return False
    items: list[Span] = split_list(text, start, end)
    longest = max(len(_words(text[s:e])) for s, e in items)
    return longest <= (5 if len(items) > 1 else 3)
