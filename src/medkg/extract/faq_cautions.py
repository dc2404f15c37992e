"""FAQ pairs -> cautions: "Can I drink alcohol …? No, avoid it" is a caution about alcohol.

Monographs state some cautions only in their FAQs. A pair gives a caution when

* the question asks whether the reader may do something ("Can I …", "Is it
  safe to …", "Should I …", "May I …");
* it names topics of the bundled table `data/terminology/faq-cautions.csv`
  (word stems: "stop", "alcohol", "driv", "pregnan" …; one caution per topic
  named: the first row of the topic whose qualifier — if any — the pair
  names, so a question about stopping answered "never stop abruptly" is
  "abrupt discontinuation", and "pregnant or breastfeeding" gives two);
* the answer cautions: it opens with "No", or advises against or limits ("avoid",
  "best not to", "should not", "do not", "never", "limit", "caution",
  "gradually", "consult … before"), or says the thing may do harm ("may
  increase", "can worsen" …); an answer that reassures ("no known
  interaction", "is safe", "not needed") gives none.

The caution's condition is the table's wording; its evidence is the whole pair.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from medkg.extract.precaution.rules import reassures
from medkg.model import Document, FaqFact, Mention, WarningFact
from medkg.resources import terminology_rows

_ASKS_LEAVE = re.compile(
    r"^\W*(?:q(?:uestion)?\s*\d*\s*[:.)]\s*)?"
    r"(?:can|could|may|should|must)\s+i\b|^\W*is\s+it\s+(?:safe|ok(?:ay)?|alright|fine)\s+to\b",
    re.I,
)
_CAUTIONS = re.compile(
    r"^\W*no\b|\b(?:not\s+(?:\w+\s+)?(?:recommended|advised|advisable)|best\s+(?:not|to\s+avoid)|"
    r"avoid(?:ed|ing)?|should\s+not|shouldn't|do\s+not|don't|never|limit(?:ed|ing)?|caution|"
    r"gradual(?:ly)?|tapering|consult\s+(?:\w+\s+){0,4}?before|"
    r"(?:may|can|could|might)\s+(?:\w+\s+)?(?:increase|worsen|cause|lead|impair|intensify|"
    r"enhance|raise|trigger|result))\b",
    re.I,
)


@dataclass(frozen=True)
class _Topic:
    caution: str
    topic: re.Pattern[str]
    qualifier: re.Pattern[str] | None


def _stem(word: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(word.strip().lower())}", re.I)


@cache
def _topics() -> tuple[_Topic, ...]:
    rows = terminology_rows("faq-cautions.csv", "FAQ caution table", ("caution", "topic"))
    return tuple(
        _Topic(
            caution=row["caution"].strip(),
            topic=_stem(row["topic"]),
            qualifier=_stem(row["qualifier"]) if (row.get("qualifier") or "").strip() else None,
        )
        for row in rows
    )


def _cautions(question: str, pair: str) -> list[str]:
    """The cautions of every topic the question names; of the rows of one topic, the
    first whose qualifier the pair names (a row without one matches any pair)."""
    found: list[str] = []
    topics_done: set[str] = set()
    for topic in _topics():
        if topic.topic.pattern in topics_done or not topic.topic.search(question):
            continue
        if topic.qualifier is None or topic.qualifier.search(pair):
            topics_done.add(topic.topic.pattern)
            if topic.caution not in found:
                found.append(topic.caution)
    return found


def faq_cautions(document: Document, faqs: tuple[FaqFact, ...]) -> tuple[WarningFact, ...]:
    """The cautions the FAQ pairs of a document state (see the module docstring)."""
    text = document.text
    found: list[WarningFact] = []
    for faq in faqs:
        question, answer = faq.question.evidence, faq.answer.evidence
        if not _ASKS_LEAVE.search(question.quote):
            continue
        if not _CAUTIONS.search(answer.quote) or reassures(text, answer.start, answer.end):
            continue
        for caution in _cautions(question.quote, faq.evidence.quote):
            condition = Mention(text=caution, evidence=question)
            found.append(WarningFact(kind="caution", evidence=faq.evidence, condition=condition))
    return tuple(found)
