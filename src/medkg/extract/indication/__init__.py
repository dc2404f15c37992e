"""Usage section -> indications: condition, population, qualifier, criteria, goals.

Read sentence by sentence; each rule keys on general English phrasing:

1. **Goals.** "The (primary) use / goal / aim / purpose … is to G1 and G2"
   gives the goals of the indications just read (split before each verb).
2. **Criteria or examples.** "This … includes <people> with A or those with
   B" gives the criteria A and B; "This includes (conditions like) X and Y"
   (no people) gives X and Y as further indications for the same people;
   "… for <people> in whom C" adds the criterion C.
3. **Indication.** A use trigger (`indication_cues.find_trigger`: "used to
   treat (or prevent)", "indicated for", "used in the management of", "Its
   primary use is in treating", "treats", "helps to relieve", "a medicine
   for", "Treatment of" …) is followed by its object, read by
   `indication_terms.conditions` (lists, examples, coordination, leading
   treatment phrases, generic heads). An excipient role ("serves as a
   preservative in X") is a use too. In the object, "in <population>" (a
   phrase headed by a population noun) gives the population, and so does
   "<population> with X" ("used to treat adults with X"); "who are …",
   "that …", "when …" the qualifier; ", and to <verb> Y" a further condition
   (for a treating verb) or a goal. A trailing parenthesis is a condition's
   gloss. A trigger that is negated, hedged or past (`indication_cues.stated_use`)
   states nothing: the sentence is kept as a statement. An "off-label" in the
   trigger's clause ("is sometimes used off-label to treat X") is the
   qualifier of the indications it gives.
4. **Population.** "It is (also) used in <population> and in <population>"
   gives the population of the indications just read; each further
   population is a further indication of the same condition.
5. **Lists.** A lead-in that names uses ("Its main uses include:") makes the
   items under it indications (`indication_lists`): a condition label is one,
   a plain list or "This includes …" after it names more; a treatment-line
   label is the qualifier of the condition its body names ("For adults with
   X"); a component or people label is none. Items under no such lead-in
   are read sentence by sentence. An "off-label" in the lead-in ("Off-label
   uses include:") is the qualifier of every indication its items give.
6. Any other sentence is kept as an unstructured statement.

An indication's evidence spans every sentence it was read from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from medkg.extract.block_labels import block_evidence, split_label
from medkg.extract.indication.cues import (
    LEADING_TREATMENT,
    TREATING_VERBS,
    clause_start,
    doubts_use,
    find_role,
    find_trigger,
    hedged,
    is_stated_with_use_verb,
    off_label,
    past_use,
    stated_use,
    weak_evidence,
)
from medkg.extract.indication.lists import (
    about_components,
    body_examples,
    for_people,
    label_kind,
    names_uses,
    opens_with_people,
    plain_list,
    points_back,
)
from medkg.extract.indication.roles import role_uses
from medkg.extract.indication.terms import Term, conditions, list_end
from medkg.model import PAST_USE, Block, Document, IndicationFact, Mention, StatementFact
from medkg.model import Section as SectionModel
from medkg.text import Span, evidence, mention, sentences, trim

_PUNCTUATION = " \t\n.,;:*_"

_POPULATION_NOUN = (
    r"(?:adults?|children|child|adolescents?|teenagers?|infants?|neonates?|newborns?|babies|"
    r"women|woman|men|man|patients?|people|persons?|individuals?|girls?|boys?|elderly|humans|"
    # animals: a veterinary use is for them
    r"animals?|cattle|cows?|dogs?|cats?|horses?|pigs?|sheep|poultry|livestock|pets?)"
)
# up to three words before the noun ("older adult women"), none a function word
_PREMODIFIERS = (
    r"(?:(?!(?:of|with|for|to|from|at|by|on|in|and|or|who|that|which)\b)[\w'-]+\s+){0,3}?"
)
_POPULATION = re.compile(rf"{_PREMODIFIERS}{_POPULATION_NOUN}\b", re.IGNORECASE)
_IN_POPULATION = re.compile(
    rf"\s+in\s+(?P<population>{_PREMODIFIERS}{_POPULATION_NOUN}\b)", re.IGNORECASE
)
_POPULATION_WITH = re.compile(
    rf"(?:(?:the|a|an)\s+)?(?P<population>{_PREMODIFIERS}{_POPULATION_NOUN})\s+"
    r"(?:with|who\s+(?:have|has)|suffering\s+from|diagnosed\s+with)\s+",
    re.IGNORECASE,
)
_NEXT_POPULATION = re.compile(
    rf",?\s+(?:and|or)\s+(?:in\s+)?(?={_PREMODIFIERS}{_POPULATION_NOUN}\b)", re.IGNORECASE
)
_RELATIVE = re.compile(
    r",?\s+(?P<relative>who|whose|that|which|when|where|if|(?:in|for)\s+whom)"
    r"(?:\s+|(?=['’]s\s))",
    re.IGNORECASE,
)
# a relative clause ends before examples: "…, such as pain after surgery"
_RELATIVE_END = re.compile(r",\s+(?:such\s+as|including|e\.g\.|for\s+example)\b|;", re.I)
_COPULA = re.compile(r"(?:are|is|were|was|['’]s)\s+", re.IGNORECASE)
_ARTICLE = re.compile(r"(?:the|a|an)\s+", re.IGNORECASE)
_AND_TO = re.compile(rf",?\s+and\s+(?:to\s+|(?=(?:{'|'.join(TREATING_VERBS)})\s))", re.IGNORECASE)
# a contrasting clause after the uses ("… gout, but it is not a cure for arthritis"): its
# words are no condition of the use before it, and its negation does not undo that use
_CONTRAST = re.compile(
    r"(?:,|;)?\s+(?:but|yet|however|although|though|whereas|while)\s+"
    r"(?=(?:it|this|they|these|is|are|was|does|do|did|not|has|have|should|can|may|will|its)\b)",
    re.IGNORECASE,
)
_USED_IN = re.compile(
    r"\b(?:used|given|approved|indicated|prescribed)\s+in\s+"
    rf"(?={_PREMODIFIERS}{_POPULATION_NOUN}\b)",
    re.IGNORECASE,
)
_EXAMPLES_AFTER = re.compile(
    r",\s+(?:including|such\s+as|e\.g\.,?|for\s+example,?)\s+", re.IGNORECASE
)
_TO_TREAT = re.compile(rf"\bto\s+(?:{'|'.join(TREATING_VERBS)})\b", re.IGNORECASE)
_ALSO = re.compile(r"\balso\b", re.IGNORECASE)
_INCLUDES = re.compile(
    r"(?:This|These|Such|That|The)\b[^.;]*?\b(?:includes?|comprises?|covers?|refers\s+to)\s+",
    re.IGNORECASE,
)
_EXAMPLE_LEAD = re.compile(r"(?:conditions\s+)?(?:like|such\s+as)\s+", re.IGNORECASE)
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


class _Reader:
    def __init__(self, document: Document, section: SectionModel, title: str) -> None:
        self.document = document
        self.text = document.text
        self.section = section.name
        self.title = title
        self.indications: list[_Indication] = []
        self.recent: list[_Indication] = []  # the indications the last sentences spoke of
        self.statements: list[StatementFact] = []
        self.last_use = False  # whether the last sentence stated a use
        self.lead_off_label: Mention | None = None  # the "off-label" of the list's lead-in
        self.label_body = False  # reading the body of a condition label
        self.components = False  # reading items under a lead-in about components
        self.past: Mention | None = None  # the qualifier of the sentence's past use, if any

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

    def _term(self, term: Term) -> Mention:
        """A condition: the term's words, its whole span (gloss included) as evidence."""
        whole = evidence(self.document, self.section, *term.span)
        return Mention(text=term.text, evidence=whole, glosses=term.glosses)

    # -- sentences -----------------------------------------------------------

    def read(self, start: int, end: int) -> None:
        trigger = find_trigger(self.text, start, end, self.title)
        if trigger is not None and self.label_body and not is_stated_with_use_verb(trigger):
            # "**Psoriasis:** It manages the scaling …": detail of the label's condition
            self.statements.append(
                StatementFact(
                    kind="unstructured", evidence=evidence(self.document, self.section, start, end)
                )
            )
            return
        if trigger is None and self._roles(start, end):
            return
        past = past_use(self.text, start, *trigger.span()) if trigger is not None else None
        current = (
            trigger is not None and past is None and stated_use(self.text, start, trigger.start())
        )
        self.past = self._past_mention(past.span()) if past is not None else None
        refused = trigger is not None and not current and past is None
        used = trigger is not None and not refused
        if refused:
            self.recent = []
        elif not (
            self._goals(start, end)
            or self._includes(start, end)
            or self._in_whom(start, end)
            or self._indication(start, end)
            or self._used_in(start, end)
        ):
            self._statement(start, end)
        else:
            self.last_use = used or self.last_use
            return
        if refused:
            self._statement(start, end)
        self.last_use = used

    def _roles(self, start: int, end: int) -> bool:
        """ "It is used as a sedative and local analgesic (for X)": one use per role, named
        by its purpose (`indication_roles`); a negated or hedged one states none."""
        found = role_uses(self.text, start, end)
        if found is None or self.label_body:
            return False
        past = past_use(self.text, start, *found.verb)
        if past is None and not stated_use(self.text, start, found.verb[0]):
            self.recent = []
            self._statement(start, end)
            return True
        self.past = self._past_mention(past.span()) if past is not None else None
        qualifier = self._mention(*found.qualifier) if found.qualifier else None
        uses = [
            _Indication(
                condition=Mention(
                    text=use.purpose, evidence=evidence(self.document, self.section, *use.span)
                ),
                spans=[(start, end)],
                qualifier=qualifier,
            )
            for use in found.uses
        ]
        self._mark_past(uses)
        self.indications.extend(uses)
        # a role names a purpose, not a condition: a next sentence ("Its main use is to
        # reduce X") states uses of its own rather than goals or examples of the role
        self.recent = []
        self.last_use = True
        return True

    def _past_mention(self, span: Span) -> Mention:
        """The qualifier of a past use, with the words that say so as its evidence."""
        return Mention(text=PAST_USE, evidence=evidence(self.document, self.section, *span))

    def _mark_past(self, found: list[_Indication]) -> None:
        """A past use is always qualified as one: a qualifier read from the object
        ("… who are at risk") moves to the criteria."""
        if self.past is None:
            return
        for indication in found:
            if indication.qualifier is not None and indication.qualifier.text != PAST_USE:
                indication.criteria.append(indication.qualifier)
            indication.qualifier = self.past

    def _statement(self, start: int, end: int) -> None:
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
        """ "This includes …" after a sentence that stated a use: criteria or examples of
        that use; a hedged one ("This might include …") names none."""
        match = _INCLUDES.match(self.text, start, end)
        if match is None or not self.recent:
            return False
        if hedged(self.text, start, match.end()):
            return True  # read, and no fact: "This might include A, B"
        if not opens_with_people(self.text, match.end(), end):
            return self._examples(match.end(), end, (start, end))
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

    def _examples(self, start: int, end: int, sentence: Span) -> bool:
        """ "This includes (conditions like) X and Y": further indications for the people
        of the indications just read."""
        lead = _EXAMPLE_LEAD.match(self.text, start, end)
        start = lead.end() if lead else start
        end, _, _ = self._relative(start, list_end(self.text, start, end))
        population = self.recent[0].population
        found = [
            _Indication(
                condition=self._term(term),
                spans=[self.recent[0].spans[0], sentence],
                population=population,
            )
            for term in conditions(self.text, start, end)
        ]
        past = self.recent[0].qualifier
        if past is not None and past.text == PAST_USE:
            for indication in found:
                indication.qualifier = past  # examples of a past use were past uses too
        self.indications.extend(found)
        return bool(found)

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

    def _object_start(self, start: int, end: int) -> int | None:
        """Where the object of the sentence's use starts, or None when it states none."""
        trigger = find_trigger(self.text, start, end, self.title)
        role = find_role(self.text, start, end)
        if role is not None and (trigger is None or role[0] < trigger.start()):
            return role[0]
        if trigger is not None:
            bare_in = re.search(r"\bin\s*$", trigger.group(0), re.IGNORECASE)
            if bare_in and _POPULATION_WITH.match(self.text, trigger.end(), end):
                return None  # "Its primary use is in patients with X": who, not what for
            return trigger.end()
        leading = LEADING_TREATMENT.match(self.text, start, end)
        return start if leading else None

    def _indication(self, start: int, end: int) -> bool:
        object_start = self._object_start(start, end)
        if object_start is None:
            return False
        contrast = _CONTRAST.search(self.text, object_start, end)
        object_end = contrast.start() if contrast is not None else end
        found: list[_Indication] = []
        goals: list[Mention] = []
        clauses = [*_AND_TO.finditer(self.text, object_start, object_end), None]
        cursor = object_start
        for index, split in enumerate(clauses):
            clause_end = split.start() if split else object_end
            if index == 0:
                found.extend(self._conditions(cursor, clause_end, (start, end)))
            else:
                verb = re.match(r"\w+", self.text[cursor:clause_end])
                if verb and verb.group().lower() in TREATING_VERBS:
                    object_start = cursor + verb.end()
                    found.extend(self._conditions(object_start, clause_end, (start, end)))
                elif (goal := self._mention(cursor, clause_end)) is not None:
                    goals.append(goal)
            cursor = split.end() if split else object_end
        if not found:
            return False
        marker = off_label(self.text, clause_start(self.text, start, object_start), object_start)
        for indication in found:
            indication.goals.extend(goals)
            if marker is not None and indication.qualifier is None:
                indication.qualifier = self._mention(*marker.span())
        self._mark_past(found)
        self.indications.extend(found)
        self.recent = found
        return True

    def _conditions(
        self, start: int, end: int, sentence: Span, population: Mention | None = None
    ) -> list[_Indication]:
        """The conditions (and population, qualifier) in the object of a use."""
        start = trim(self.text, start, end, _PUNCTUATION)[0]
        with_people = _POPULATION_WITH.match(self.text, start, end)
        if with_people and population is None:
            population = self._mention(*with_people.span("population"))
            start = with_people.end()
        elif population is None and _POPULATION.match(self.text, start, end):
            return []  # "used for individuals at risk": who, not what for
        population_match = _IN_POPULATION.search(self.text, start, end)
        if population_match and self.text[
            list_end(self.text, start, end) : population_match.start()
        ].strip(" ,"):
            population_match = None  # "…, particularly in women": not who it is for
        condition_end = population_match.start() if population_match else end
        condition_end = list_end(self.text, start, condition_end)
        condition_end, qualifier, criterion = self._relative(start, condition_end)
        terms = conditions(self.text, start, condition_end, end)
        if terms and population_match and population is None:
            after = _EXAMPLES_AFTER.match(self.text, population_match.end())
            if after is not None:
                # "X in humans, including A, B and C": the people, then examples of X
                population = self._mention(*population_match.span("population"))
                terms += conditions(self.text, after.end(), end)
        if not terms:
            return []
        if population_match and population is None:
            population_end, later, later_criterion = self._relative(
                population_match.start("population"), end
            )
            population = self._mention(population_match.start("population"), population_end)
            qualifier = qualifier or later
            criterion = criterion or later_criterion
        found: list[_Indication] = []
        for term in terms:
            own = self._mention(*term.qualifier) if term.qualifier else None
            indication = _Indication(
                condition=self._term(term),
                spans=[sentence],
                population=population,
                qualifier=own or qualifier,
            )
            if criterion:
                indication.criteria.append(criterion)
            found.append(indication)
        return found

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
        examples = _RELATIVE_END.search(self.text, match.end(), end)
        clause_end = examples.start() if examples else end
        return match.start(), self._mention(clause_start, clause_end), None

    def _used_in(self, start: int, end: int) -> bool:
        match = _USED_IN.search(self.text, start, end)
        if match is None or not self.recent or not stated_use(self.text, start, match.start()):
            return False
        if _TO_TREAT.search(self.text, match.end(), end):
            return False  # "It is used in cattle to treat X": a use of its own, not theirs
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

    # -- lists ---------------------------------------------------------------

    def lead_in(self, start: int, end: int) -> bool:
        """Whether the sentence text[start:end], ending with ":", introduces a list of uses."""
        if about_components(self.text, start, end):
            return False
        if names_uses(self.text, start, end):
            return True
        if points_back(self.text, start, end):
            return self.last_use
        trigger = find_trigger(self.text, start, end, self.title)
        return (
            trigger is not None
            and stated_use(self.text, start, trigger.start())
            and not opens_with_people(self.text, trigger.end(), end)
        )

    def item(self, block: Block, lead: bool) -> None:
        """One list item: under a lead-in of uses its label and body name indications,
        otherwise its body is read sentence by sentence."""
        before = len(self.indications)
        self._item(block, lead)
        if lead and self.lead_off_label is not None:
            for indication in self.indications[before:]:
                indication.qualifier = indication.qualifier or self.lead_off_label

    def _item(self, block: Block, lead: bool) -> None:
        label, body = split_label(self.text, block.start, block.end, plain=True)
        body_sentences = sentences(self.text, *body)
        if self.components and label is not None:
            self.recent = []  # "**Zinc:** This refers to …": a component, not the use read
        if not lead or not body_sentences:
            self._read_all(body_sentences)
            return
        if label is None:
            first = body_sentences[0]
            if find_trigger(self.text, *first, self.title) is None and plain_list(
                self.text, *first
            ):
                self._list_indications(*first, (block.start, block.end))
                self._read_all(body_sentences[1:])
            else:
                self._read_all(body_sentences)
            return
        kind = label_kind(self.text[label[0] : label[1]], self.title)
        whole = (block.start, block.end)
        if kind in ("condition", "treatment") and (
            doubts_use(self.text, *body_sentences[0])
            or any(weak_evidence(self.text, *sentence) for sentence in body_sentences)
        ):
            # "**Gout:** Studies suggest it may help": neither the label nor its body
            # states a use
            for sentence in body_sentences:
                self._statement(*sentence)
            return
        if kind == "condition":
            found = self._list_indications(*label, whole)
            self.recent = found
            first = body_sentences[0]
            examples = body_examples(self.text, *first)
            if examples is not None:
                self._list_indications(examples, first[1], whole)
            elif find_trigger(self.text, *first, self.title) is None and plain_list(
                self.text, *first
            ):
                self._list_indications(*first, whole)
            else:
                self._read_label_body(body_sentences[:1])
            self._read_label_body(body_sentences[1:])
            self.recent = found
        elif kind == "treatment":
            before = len(self.indications)
            first = body_sentences[0]
            people = for_people(self.text, *first)
            if people is not None:
                population = self._mention(*people.span("people"))
                found = self._conditions(people.end(), first[1], whole, population)
                self.indications.extend(found)
                self.recent = found
                self._read_all(body_sentences[1:])
            else:
                self._read_all(body_sentences)
            # the treatment line is the qualifier; a relative clause about the people
            # ("who have responded to …") becomes a criterion
            qualifier = self._mention(*label)
            for indication in self.indications[before:]:
                if indication.qualifier is not None and indication.qualifier.text == PAST_USE:
                    continue  # a past use stays one under any treatment line
                if indication.qualifier is not None and indication.population is not None:
                    indication.criteria.append(indication.qualifier)
                    indication.qualifier = None
                indication.qualifier = indication.qualifier or qualifier
        else:
            self._read_all(body_sentences)

    def _read_label_body(self, spans: list[Span]) -> None:
        self.label_body = True
        try:
            self._read_all(spans)
        finally:
            self.label_body = False

    def _read_all(self, spans: list[Span]) -> None:
        for start, end in spans:
            self.read(start, end)

    def _list_indications(self, start: int, end: int, whole: Span) -> list[_Indication]:
        found = []
        for term in conditions(self.text, start, end):
            indication = _Indication(condition=self._term(term), spans=[whole])
            if term.qualifier:
                indication.qualifier = self._mention(*term.qualifier)
            found.append(indication)
        self.indications.extend(found)
        return found

    def facts(self) -> tuple[IndicationFact, ...]:
        """One fact per indication read; a condition read again for the same people and
        qualifier (a label and its body, a sentence restating it) is one fact."""
        facts: list[IndicationFact] = []
        seen: set[tuple[str, str, str]] = set()
        for indication in self.indications:
            key = (
                " ".join(indication.condition.text.lower().split()),
                indication.population.text.lower() if indication.population else "",
                indication.qualifier.text.lower() if indication.qualifier else "",
            )
            if key in seen:
                continue
            seen.add(key)
            first = min(start for start, _ in indication.spans)
            last = max(end for _, end in indication.spans)
            facts.append(
                IndicationFact(
                    condition=indication.condition,
                    evidence=block_evidence(self.document, self.section, first, last),
                    population=indication.population,
                    qualifier=indication.qualifier,
                    criteria=tuple(indication.criteria),
                    goals=tuple(indication.goals),
                )
            )
        return tuple(facts)


def extract_indications(
    document: Document, section: SectionModel, drug: str
) -> tuple[tuple[IndicationFact, ...], tuple[StatementFact, ...]]:
    """Indications of a Usage section, and the sentences no rule understood.

    `drug` (with the document's title) names the product: an item label made of its
    words names a component, not a condition.
    """
    reader = _Reader(document, section, f"{document.title} {drug}")
    lead = False
    for block in section.blocks:
        if block.kind == "item":
            reader.item(block, lead)
            continue
        spans = sentences(document.text, block.start, block.end)
        reader._read_all(spans)
        lead = bool(spans) and document.text[spans[-1][1] - 1] == ":" and reader.lead_in(*spans[-1])
        reader.components = bool(spans) and about_components(document.text, *spans[-1])
        marker = off_label(document.text, *spans[-1]) if lead else None
        reader.lead_off_label = reader._mention(*marker.span()) if marker else None
    return reader.facts(), tuple(reader.statements)
