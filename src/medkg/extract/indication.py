"""Usage section -> indications: condition, population, qualifier, criteria, goals.

Read sentence by sentence; each rule keys on general English phrasing:

1. **Goals.** "The (primary) use / goal / aim / purpose … is to G1 and G2"
   gives the goals of the indications just read (split before each verb).
2. **Criteria.** "This … includes <people> with A or those with B" gives the
   criteria A and B; "… for <people> in whom C" adds the criterion C.
3. **Indication.** A treating phrase ("used to treat", "used for",
   "indicated / approved for", "treats", "relieves", "a medicine for",
   "Treatment of") is followed by the condition. In what follows it,
   "in <population>" (a phrase headed by a population noun: adults,
   children, women, patients …) gives the population; "who are …",
   "that …", "when …" the qualifier; ", and to <verb> Y" a further
   condition (for a treating verb) or a goal. The condition ends at a comma
   or "such as" / "including"; a trailing parenthesis is its gloss.
4. **Population.** "It is (also) used in <population> and in <population>"
   gives the population of the indications just read; each further
   population is a further indication of the same condition.
5. Any other sentence is kept as an unstructured statement.

An indication's evidence spans every sentence it was read from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from medkg.model import Document, IndicationFact, Mention, Section, StatementFact
from medkg.text import Span, evidence, mention, sentences, split_gloss, trim

_PUNCTUATION = " \t\n.,;:*_"

_POPULATION_NOUN = (
    r"(?:adults?|children|child|adolescents?|teenagers?|infants?|neonates?|newborns?|babies|"
    r"women|woman|men|man|patients?|people|persons?|individuals?|girls?|boys?|elderly)"
)
# up to three words before the noun ("older adult women"), none a function word
_PREMODIFIERS = (
    r"(?:(?!(?:of|with|for|to|from|at|by|on|in|and|or|who|that|which)\b)[\w'-]+\s+){0,3}?"
)
_POPULATION = re.compile(rf"{_PREMODIFIERS}{_POPULATION_NOUN}\b", re.IGNORECASE)
_IN_POPULATION = re.compile(
    rf"\s+in\s+(?P<population>{_PREMODIFIERS}{_POPULATION_NOUN}\b)", re.IGNORECASE
)
_NEXT_POPULATION = re.compile(
    rf",?\s+(?:and|or)\s+(?:in\s+)?(?={_PREMODIFIERS}{_POPULATION_NOUN}\b)", re.IGNORECASE
)
_RELATIVE = re.compile(
    r",?\s+(?P<relative>who|whose|that|which|when|if|(?:in|for)\s+whom)\s+", re.IGNORECASE
)
_COPULA = re.compile(r"(?:are|is|were|was)\s+", re.IGNORECASE)
_ARTICLE = re.compile(r"(?:the|a|an)\s+", re.IGNORECASE)
_EXAMPLES = re.compile(r"\s+(?:such\s+as|including|e\.g\.|for\s+example)(?=\s|,)", re.IGNORECASE)

_TREATING_VERBS = (
    "treat",
    "relieve",
    "manage",
    "control",
    "prevent",
    "reduce",
    "ease",
    "alleviate",
)
_TRIGGER = re.compile(
    r"\b(?:(?:used|indicated|approved|prescribed|given|taken|recommended)\s+(?:\w+ly\s+)?"
    r"(?:to\s+(?:treat|relieve|manage|control|prevent|reduce|ease|alleviate)"
    r"|for(?:\s+the\s+(?:treatment|management|prevention|relief|control)\s+of)?"
    r"|in\s+the\s+(?:treatment|management|prevention|relief)\s+of)"
    r"|(?:treats|relieves|manages|controls|prevents|alleviates)"
    r"|(?:medicine|medication|drug|treatment|therapy|agent)\s+for"
    r")\s+",
    re.IGNORECASE,
)
_LEADING_TREATMENT = re.compile(
    r"(?:the\s+)?(?:treatment|management|prevention|relief|control)\s+of\s+", re.IGNORECASE
)
_AND_TO = re.compile(r",?\s+and\s+to\s+", re.IGNORECASE)
_USED_IN = re.compile(
    r"\b(?:used|given|approved|indicated|prescribed)\s+in\s+"
    rf"(?={_PREMODIFIERS}{_POPULATION_NOUN}\b)",
    re.IGNORECASE,
)
_ALSO = re.compile(r"\balso\b", re.IGNORECASE)
_INCLUDES = re.compile(
    r"(?:This|These|Such|That|The)\b[^.;]*?\b(?:includes?|comprises?|covers?|refers\s+to)\s+",
    re.IGNORECASE,
)
_OR_THOSE = re.compile(
    r",?\s+(?:or|and)\s+(?=(?:those|people|patients|persons|individuals|women|men|adults|"
    r"children|anyone)\b)",
    re.IGNORECASE,
)
_WITH = re.compile(r"\b(?:with|who\s+(?:have|has|had)|having)\s+", re.IGNORECASE)
_IN_WHOM = re.compile(r"\b(?:in|for)\s+whom\s+", re.IGNORECASE)
_GOALS = re.compile(
    r"(?:The|Its|Their)\s+(?:(?:primary|main|principal|overall|chief|key)\s+)?"
    r"(?:use|goal|aim|purpose|objective)s?\b[^.;]*?\b(?:is|are)\s+to\s+",
    re.IGNORECASE,
)
_GOAL_VERBS = (
    r"increase|reduce|decrease|lower|raise|improve|prevent|relieve|treat|slow|stop|restore|"
    r"maintain|strengthen|protect|control|manage|promote|support|help|ease|delay|limit|keep|"
    r"build|boost|enhance|minimi[sz]e|repair|heal|shrink|block|cure|alleviate|prolong|"
    r"extend|avoid|lessen"
)
_GOAL_SPLIT = re.compile(
    rf"(?:,\s*(?:and\s+)?|\s+and\s+)(?:to\s+)?(?=(?:{_GOAL_VERBS})\b)", re.IGNORECASE
)


@dataclass(eq=False)
class _Indication:
    """An indication being read: its parts so far and the sentences they came from."""

    condition: Mention
    spans: list[Span]
    population: Mention | None = None
    qualifier: Mention | None = None
    criteria: list[Mention] = field(default_factory=list)
    goals: list[Mention] = field(default_factory=list)


def _first_outside_parens(text: str, start: int, end: int, chars: str) -> int:
    """Offset of the first of `chars` outside parentheses in text[start:end], else end."""
    depth = 0
    for index in range(start, end):
        char = text[index]
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif depth == 0 and char in chars:
            return index
    return end


class _Reader:
    def __init__(self, document: Document, section: Section) -> None:
        self.document = document
        self.text = document.text
        self.section = section.name
        self.indications: list[_Indication] = []
        self.recent: list[_Indication] = []  # the indications the last sentences spoke of
        self.statements: list[StatementFact] = []

    # -- spans -> mentions ---------------------------------------------------

    def _span(self, start: int, end: int) -> Span | None:
        start, end = trim(self.text, start, end, _PUNCTUATION)
        article = _ARTICLE.match(self.text, start, end)
        if article and article.end() < end:
            start = article.end()
        return (start, end) if start < end else None

    def _mention(self, start: int, end: int) -> Mention | None:
        span = self._span(start, end)
        return mention(self.document, self.section, *span) if span else None

    def _glossed(self, start: int, end: int) -> Mention | None:
        """A condition: the term, with a trailing parenthesis as its gloss."""
        span = self._span(start, end)
        if span is None:
            return None
        glossed = split_gloss(self.text, *span)
        whole = evidence(self.document, self.section, *span)
        term = self.text[glossed.term[0] : glossed.term[1]]
        return Mention(text=term or whole.quote, evidence=whole, glosses=glossed.glosses)

    # -- sentences -----------------------------------------------------------

    def read(self, start: int, end: int) -> None:
        if not (
            self._goals(start, end)
            or self._includes(start, end)
            or self._in_whom(start, end)
            or self._indication(start, end)
            or self._used_in(start, end)
        ):
            fact_evidence = evidence(self.document, self.section, start, end)
            self.statements.append(StatementFact(kind="unstructured", evidence=fact_evidence))

    def _goals(self, start: int, end: int) -> bool:
        match = _GOALS.match(self.text, start, end)
        if match is None or not self.recent:
            return False
        goals = self._goal_mentions(match.end(), end)
        for indication in self.recent:
            indication.goals.extend(goals)
            indication.spans.append((start, end))
        return bool(goals)

    def _goal_mentions(self, start: int, end: int) -> list[Mention]:
        goals: list[Mention] = []
        cursor = start
        for split in _GOAL_SPLIT.finditer(self.text, start, end):
            goal = self._mention(cursor, split.start())
            if goal:
                goals.append(goal)
            cursor = split.end()
        last = self._mention(cursor, end)
        return [*goals, last] if last else goals

    def _includes(self, start: int, end: int) -> bool:
        match = _INCLUDES.match(self.text, start, end)
        if match is None or not self.recent:
            return False
        criteria: list[Mention] = []
        cursor = match.end()
        parts = [*_OR_THOSE.finditer(self.text, cursor, end), None]
        for split in parts:
            part_end = split.start() if split else end
            with_ = _WITH.search(self.text, cursor, part_end)
            criterion = self._mention(with_.end() if with_ else cursor, part_end)
            if criterion:
                criteria.append(criterion)
            cursor = split.end() if split else end
        self._add_criteria(criteria, (start, end))
        return bool(criteria)

    def _in_whom(self, start: int, end: int) -> bool:
        match = _IN_WHOM.search(self.text, start, end)
        if match is None or not self.recent:
            return False
        criterion = self._mention(match.end(), end)
        self._add_criteria([criterion] if criterion else [], (start, end))
        return criterion is not None

    def _add_criteria(self, criteria: list[Mention], sentence: Span) -> None:
        for indication in self.recent:
            indication.criteria.extend(criteria)
            indication.spans.append(sentence)

    def _indication(self, start: int, end: int) -> bool:
        trigger = _TRIGGER.search(self.text, start, end) or _LEADING_TREATMENT.match(
            self.text, start, end
        )
        if trigger is None:
            return False
        found: list[_Indication] = []
        goals: list[Mention] = []
        clauses = [*_AND_TO.finditer(self.text, trigger.end(), end), None]
        cursor = trigger.end()
        for index, split in enumerate(clauses):
            clause_end = split.start() if split else end
            if index == 0:
                found.extend(self._conditions(cursor, clause_end, (start, end)))
            else:
                verb = re.match(r"\w+", self.text[cursor:clause_end])
                if verb and verb.group().lower() in _TREATING_VERBS:
                    object_start = cursor + verb.end()
                    found.extend(self._conditions(object_start, clause_end, (start, end)))
                elif (goal := self._mention(cursor, clause_end)) is not None:
                    goals.append(goal)
            cursor = split.end() if split else end
        if not found:
            return False
        for indication in found:
            indication.goals.extend(goals)
        self.indications.extend(found)
        self.recent = found
        return True

    def _conditions(self, start: int, end: int, sentence: Span) -> list[_Indication]:
        """The condition (and population, qualifier) in the object of a treating phrase."""
        population_match = _IN_POPULATION.search(self.text, start, end)
        condition_end = population_match.start() if population_match else end
        condition_end = _first_outside_parens(self.text, start, condition_end, ",;")
        examples = _EXAMPLES.search(self.text, start, condition_end)
        if examples:
            condition_end = examples.start()
        condition_end, qualifier, criterion = self._relative(start, condition_end)
        condition = self._glossed(start, condition_end)
        if condition is None:
            return []
        indication = _Indication(condition=condition, spans=[sentence], qualifier=qualifier)
        if criterion:
            indication.criteria.append(criterion)
        if population_match:
            population_end, qualifier, criterion = self._relative(
                population_match.start("population"), end
            )
            indication.population = self._mention(
                population_match.start("population"), population_end
            )
            indication.qualifier = indication.qualifier or qualifier
            if criterion:
                indication.criteria.append(criterion)
        return [indication]

    def _relative(self, start: int, end: int) -> tuple[int, Mention | None, Mention | None]:
        """Split off a relative clause: (end of the head, qualifier, criterion).

        "who are at high risk" gives the qualifier "at high risk"; "when …" and
        "whose …" are kept whole; "in whom C" gives the criterion C.
        """
        match = _RELATIVE.search(self.text, start, end)
        if match is None:
            return end, None, None
        relative = match.group("relative").lower()
        if relative.endswith("whom"):
            return match.start(), None, self._mention(match.end(), end)
        if relative in ("who", "that", "which"):
            copula = _COPULA.match(self.text, match.end(), end)
            clause_start = copula.end() if copula else match.end()
        else:
            clause_start = match.start("relative")
        return match.start(), self._mention(clause_start, end), None

    def _used_in(self, start: int, end: int) -> bool:
        match = _USED_IN.search(self.text, start, end)
        if match is None or not self.recent:
            return False
        populations: list[Mention] = []
        cursor = match.end()
        for split in [*_NEXT_POPULATION.finditer(self.text, cursor, end), None]:
            population = self._mention(cursor, split.start() if split else end)
            if population and _POPULATION.match(population.text):
                populations.append(population)
            cursor = split.end() if split else end
        if not populations:
            return False
        also = _ALSO.search(self.text, start, match.start()) is not None
        touched: list[_Indication] = []
        for population in populations:
            for indication in self.recent:
                if indication.population is None and not also:
                    indication.population = population
                    indication.spans.append((start, end))
                    touched.append(indication)
                else:
                    copy = _Indication(
                        condition=indication.condition,
                        spans=[indication.spans[0], (start, end)],
                        population=population,
                    )
                    self.indications.append(copy)
                    touched.append(copy)
            also = True  # every further population is a further indication
        self.recent = list(dict.fromkeys(touched))
        return True

    def facts(self) -> tuple[IndicationFact, ...]:
        facts: list[IndicationFact] = []
        for indication in self.indications:
            first = min(start for start, _ in indication.spans)
            last = max(end for _, end in indication.spans)
            facts.append(
                IndicationFact(
                    condition=indication.condition,
                    evidence=evidence(self.document, self.section, first, last),
                    population=indication.population,
                    qualifier=indication.qualifier,
                    criteria=tuple(indication.criteria),
                    goals=tuple(indication.goals),
                )
            )
        return tuple(facts)


def extract_indications(
    document: Document, section: Section, drug: str
) -> tuple[tuple[IndicationFact, ...], tuple[StatementFact, ...]]:
    """Indications of a Usage section, and the sentences no rule understood.

    `drug` is accepted for the common sub-extractor signature; the rules key on
    phrasing only.
    """
    reader = _Reader(document, section)
    for block in section.blocks:
        for start, end in sentences(document.text, block.start, block.end):
            reader.read(start, end)
    return reader.facts(), tuple(reader.statements)
