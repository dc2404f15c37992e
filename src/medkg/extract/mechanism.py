"""How it Works section -> ordered mechanism steps, downstream effects, statements.

Every rule keys on English clause shapes and a small verb lexicon; nothing
here knows a drug, protein or disease.

Relations (`RELATION_VERBS`): inhibit / block / antagonize / neutralize ->
INHIBITS; suppress / negatively regulate -> SUPPRESSES; activate -> ACTIVATES;
stimulate / promote -> STIMULATES; bind (to) / target -> BINDS; deplete ->
DEPLETES; "is converted (metabolized) to X" -> CONVERTED_TO; "leads to the
destruction (depletion, elimination) of X" -> DEPLETES.

Clause shapes read, left to right in each sentence:

* ``S works|acts by <verb>ing O`` and ``S is a <noun phrase> that <verb>s O``;
* ``S <verb>s (the|its) O``; coordinated verbs (``binds to and inhibits O``)
  give one step per verb;
* ``By <verb>ing X, S <verb>s O``: the subject of the step is the cause phrase
  ``<verb>ing X``; ``S <verb>s X`` is a step of its own (dropped when already
  stated);
* after an object: ``, which <verb>s O2`` and ``, a <noun> that <verb>s O2``
  make that object the subject of the next step; `` and <verb>s O2`` keeps the
  subject.

Effects: ``leads to / results in an increase|decrease in E``, ``reduces |
lowers | decreases E`` (decrease), ``increases | raises | enhances E``
(increase), ``E rises|falls``. A degree phrase (``to a lesser extent``) is the
effect's strength.

Subjects: "It", "this drug" and the like resolve to the nearest preceding
mention of the drug's name (in this section, else an earlier one); the
drug's name is itself; a bare gerund ("Binding leads to …") stands for the
previous step's subject; a subject starting with "this/these/that/those" is
not resolved, so it gives no step.
Negated or hedged verbs ("does not inhibit", "may block") are not read: only
third-person forms count in main clauses.

Objects: the noun phrase after the verb, without a leading determiner, ending
at a clause boundary (",", "which", "that", "by", "through", ", a …", ",
making …", " and <verb>"); a step's object also ends before a location ("on
megakaryocytes", "in the brain"). A trailing parenthetical is a gloss
(``fibroblast growth factor 23 (FGF23)``); an inner one is dropped from the
Mention text and kept as a gloss (``thrombopoietin (TPO) receptor`` ->
``thrombopoietin receptor``), the evidence quote still being the exact span.
A coordinated object without prepositions is a list (``COX-1 and COX-2``;
``the cyclooxygenase enzymes COX-1 and COX-2`` names COX-1 and COX-2).

Evidence: a step's evidence runs from its clause's own subject (the drug name,
"which", "a protein that …") to the end of its object; when the subject is a
fronted cause phrase, from the verb. An effect's evidence runs from its verb
(or the degree phrase before it) to the end of the effect. A sentence that
yields nothing is kept as StatementFact(kind="unstructured").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from medkg.model import (
    Document,
    Evidence,
    MechanismEffect,
    MechanismStep,
    Mention,
    Relation,
    Section,
    StatementFact,
)
from medkg.text import Span, evidence, mention, normalise_term, sentences, split_gloss, split_list

Direction = Literal["increase", "decrease"]

# --------------------------------------------------------------------------
# Lexicon
# --------------------------------------------------------------------------

RELATION_VERBS: dict[Relation, tuple[str, ...]] = {
    Relation.INHIBITS: ("inhibit", "block", "antagonize", "antagonise", "neutralize", "neutralise"),
    Relation.SUPPRESSES: ("suppress", "negatively regulate"),
    Relation.ACTIVATES: ("activate",),
    Relation.STIMULATES: ("stimulate", "promote"),
    Relation.BINDS: ("bind", "target"),
    Relation.DEPLETES: ("deplete",),
}
EFFECT_VERBS: dict[Direction, tuple[str, ...]] = {
    "increase": ("increase", "raise", "boost", "enhance", "elevate"),
    "decrease": ("reduce", "decrease", "lower", "diminish", "lessen"),
}
_EFFECT_NOUNS: dict[str, Direction] = {
    "increase": "increase",
    "rise": "increase",
    "elevation": "increase",
    "gain": "increase",
    "decrease": "decrease",
    "reduction": "decrease",
    "fall": "decrease",
    "drop": "decrease",
    "decline": "decrease",
    "loss": "decrease",
}
_INTRANSITIVE: dict[str, Direction] = {
    "rises": "increase",
    "rise": "increase",
    "increases": "increase",
    "goes up": "increase",
    "go up": "increase",
    "falls": "decrease",
    "fall": "decrease",
    "decreases": "decrease",
    "drops": "decrease",
    "declines": "decrease",
    "goes down": "decrease",
    "go down": "decrease",
}
_PRONOUNS = frozenset(
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
_DEMONSTRATIVES = ("this", "these", "that", "those")
_NEGATIONS = frozenset({"not", "no", "never", "cannot", "neither", "nor"})
# A word that cannot end a subject: the "verb" after it is a noun ("its targets") or the
# clause is hedged ("may fall").
_NOT_SUBJECT_END = frozenset(
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
_ADVERBS = frozenset({"also", "then", "further", "thereby", "thus", "therefore", "in turn"})


def _third_person(verb: str) -> str:
    head, _, last = verb.rpartition(" ")
    ending = "es" if last.endswith(("s", "sh", "ch", "x", "z")) else "s"
    return f"{head} {last}{ending}".strip()


def _gerund(verb: str) -> str:
    head, _, last = verb.rpartition(" ")
    stem = last[:-1] if last.endswith("e") and not last.endswith("ee") else last
    return f"{head} {stem}ing".strip()


def _alternation(forms: list[str]) -> str:
    ordered = sorted(set(forms), key=len, reverse=True)
    return "|".join(re.escape(form).replace(r"\ ", r"\s+") for form in ordered)


def _lookup(table: dict[str, Relation], word: str) -> Relation:
    return table[" ".join(word.lower().split())]


_THIRD: dict[str, Relation] = {}
_BASE: dict[str, Relation] = {}
_GERUNDS: dict[str, Relation] = {}
for _relation, _words in RELATION_VERBS.items():
    for _verb in _words:
        _BASE[_verb] = _relation
        _THIRD[_third_person(_verb)] = _relation
        _GERUNDS[_gerund(_verb)] = _relation
_EFFECT_THIRD = {_third_person(v): d for d, vs in EFFECT_VERBS.items() for v in vs}
_EFFECT_BASE = {v: d for d, vs in EFFECT_VERBS.items() for v in vs}

_ADV = r"(?:(?:also|then|further|thereby|thus|therefore|in\s+turn|[a-z]+ly)\s+)*"


def _verb_group(forms: str) -> str:
    """One verb or coordinated verbs, each with an optional "to": "binds to and inhibits"."""
    one = rf"(?:{forms})(?:\s+to)?"
    return rf"{one}(?:\s*,?\s+and\s+{_ADV}{one})*"


_THIRD_FORMS = _alternation(list(_THIRD))
_FINITE_FORMS = _alternation(list(_THIRD) + list(_BASE))
_GERUND_FORMS = _alternation(list(_GERUNDS))
_EFFECT_THIRD_FORMS = _alternation(list(_EFFECT_THIRD))
_EFFECT_FINITE_FORMS = _alternation(list(_EFFECT_THIRD) + list(_EFFECT_BASE))
_RELATION_WORD = re.compile(rf"\b(?:{_alternation(list(_THIRD) + list(_BASE) + list(_GERUNDS))})\b")

_CAUSE_VERB = r"(?:leads?|led)\s+to|results?\s+in|causes?|produces?"
_DEPLETION = (
    rf"\b(?:{_CAUSE_VERB})\s+(?:the\s+|a\s+)?"
    r"(?:destruction|depletion|elimination|killing|lysis)\s+of\s+"
)
_NOMINAL = (
    rf"\b(?:{_CAUSE_VERB})\s+(?:an?\s+|the\s+)?(?:[a-z]+\s+)?"
    rf"(?P<noun>{'|'.join(_EFFECT_NOUNS)})\s+(?:in|of)\s+"
)
_INTRANSITIVE_FORMS = _alternation(list(_INTRANSITIVE))

PredicateKind = Literal[
    "works-by",
    "is-a-that",
    "converted",
    "relation",
    "depletion",
    "nominal",
    "effect",
    "intransitive",
]


def _predicates(finite: str, effect: str) -> tuple[tuple[PredicateKind, re.Pattern[str]], ...]:
    return (
        (
            "works-by",
            re.compile(
                rf"\b(?:works?|acts?|functions?)\s+by\s+{_ADV}(?P<verbs>{_verb_group(_GERUND_FORMS)})\s+"
            ),
        ),
        (
            "is-a-that",
            re.compile(
                rf"\b(?:is|are)\s+(?:an?|the)\s+(?:[\w/()-]+\s+){{0,6}}?(?:that|which)\s+{_ADV}"
                rf"(?P<verbs>{_verb_group(_FINITE_FORMS)})\s+"
            ),
        ),
        (
            "converted",
            re.compile(
                rf"\b(?:is|are)\s+{_ADV}(?:converted|metabolized|metabolised|transformed)\s+"
                rf"(?:[\w-]+\s+){{0,3}}?(?:to|into)\s+"
            ),
        ),
        ("relation", re.compile(rf"\b(?P<verbs>{_verb_group(finite)})\s+")),
        ("depletion", re.compile(_DEPLETION)),
        ("nominal", re.compile(_NOMINAL)),
        ("effect", re.compile(rf"\b(?P<verb>{effect})\s+")),
        ("intransitive", re.compile(rf"\b(?P<verb>{_INTRANSITIVE_FORMS})(?=\s*(?:[,;]|$))")),
    )


# Main clauses read third-person forms only; relative clauses ("that suppress") any finite form.
_MAIN_PREDICATES = _predicates(_THIRD_FORMS, _EFFECT_THIRD_FORMS)
_RELATIVE_PREDICATES = _predicates(_FINITE_FORMS, _EFFECT_FINITE_FORMS)

_STRENGTH = re.compile(
    r"(?:,\s*)?\b(?P<s>to\s+an?\s+(?:lesser|greater|smaller|larger|limited|certain|minor|some)\s+"
    r"(?:extent|degree))\b(?:\s*,)?"
)
_BY_CAUSE = re.compile(
    rf"By\s+{_ADV}(?P<cause>(?P<verb>[a-z]+ing)(?:\s+to)?\s+(?P<object>[^,]+?))\s*,\s*"
)
_DETERMINER = re.compile(r"(?:the|its|their|these|those|this|a|an)\s+", re.I)
_COMMA_CLAUSE = re.compile(
    r",\s*(?=(?:which|who|whose|where|a|an|the|but|so|thereby|thus|while|whereas|because|"
    r"as|this|it|and|[a-z]+ing)\b)"
)
_SPACE_CLAUSE = re.compile(
    rf"\s+(?:(?:which|that|who|by|through|via|thereby|because|while|whereas|leading|resulting|"
    rf"making|causing)\b|and\s+(?={_ADV}(?:{_FINITE_FORMS}|{_EFFECT_FINITE_FORMS})\b))"
)
_LOCATION = re.compile(r"\s+(?:in|on|at|within|into|inside|across|throughout|from)\s")
_PREPOSITION = re.compile(r"\b(?:of|in|on|to|for|with|by|at|from|into)\b")
_WHICH = re.compile(rf",?\s*(?P<head>which)\s+{_ADV}")
_APPOSITIVE = re.compile(rf",\s*(?P<head>(?:a|an)\s+(?:[\w/-]+\s+){{0,5}}?(?:that|which))\s+{_ADV}")
_AND = re.compile(rf"\s*,?\s+and\s+{_ADV}")
_INNER_PAREN = re.compile(r"\s*\(([^()]*)\)")
_LABEL = re.compile(r"\*\*[^*\n]+?\*\*\s*:?\s*")


# --------------------------------------------------------------------------
# Reading one sentence
# --------------------------------------------------------------------------


@dataclass
class _Context:
    """What the reader of one section knows across sentences."""

    document: Document
    section: Section
    drug: str
    steps: list[MechanismStep] = field(default_factory=list)
    effects: list[MechanismEffect] = field(default_factory=list)
    last_subject: Mention | None = None  # subject of the last step, for "Binding leads to …"


@dataclass
class _Sentence:
    """One sentence: `work` is its text with degree phrases blanked out (same offsets)."""

    context: _Context
    base: int
    work: str
    strength: tuple[Span, str] | None = None
    found: int = 0

    # ---- spans and mentions ------------------------------------------------

    def evidence(self, start: int, end: int) -> Evidence:
        c = self.context
        return evidence(c.document, c.section.name, self.base + start, self.base + end)

    def mention(self, start: int, end: int) -> Mention:
        c = self.context
        return mention(c.document, c.section.name, self.base + start, self.base + end)

    def term(self, start: int, end: int) -> Mention:
        """A term: trailing parenthetical split off as a gloss, inner ones dropped from text."""
        c = self.context
        glossed = split_gloss(c.document.text, self.base + start, self.base + end)
        ev = evidence(c.document, c.section.name, *glossed.term)
        inner = tuple(m.group(1).strip() for m in _INNER_PAREN.finditer(ev.quote))
        text = " ".join(_INNER_PAREN.sub("", ev.quote).split()) if inner else ev.quote
        return Mention(text=text, evidence=ev, glosses=glossed.glosses + inner)

    # ---- subjects ----------------------------------------------------------

    def subject(self, start: int, end: int) -> tuple[Span, Mention | None] | None:
        """The clause subject in work[start:end]: its span and what it refers to.

        None when the words before the verb are not a plain subject (a comma, a
        negation, more than eight words); the Mention is None when the subject
        cannot be resolved (a demonstrative).
        """
        words = [(m.start(), m.end()) for m in re.finditer(r"\S+", self.work[start:end])]
        while words and self._is_adverb(self.work[start + words[-1][0] : start + words[-1][1]]):
            words.pop()
        if not words or len(words) > 8:
            return None
        span = (start + words[0][0], start + words[-1][1])
        phrase = self.work[span[0] : span[1]]
        lowered = " ".join(phrase.lower().split())
        if "," in phrase or _NEGATIONS & set(lowered.split()):
            return None
        if lowered.split()[-1] in _NOT_SUBJECT_END:
            return None
        return span, self.resolve(span, lowered)

    @staticmethod
    def _is_adverb(word: str) -> bool:
        return word.lower() in _ADVERBS or (word.islower() and word.endswith("ly"))

    def resolve(self, span: Span, lowered: str) -> Mention | None:
        c = self.context
        if lowered in _PRONOUNS:
            return self.drug_antecedent(self.base + span[0])
        if lowered.split()[0] in _DEMONSTRATIVES:
            return None
        if " " not in lowered and lowered.endswith("ing") and c.last_subject is not None:
            return c.last_subject
        literal = self.mention(*span)
        return literal if literal.text else None  # markup only ("**") names nothing

    def drug_antecedent(self, before: int) -> Mention | None:
        """The nearest mention of the drug's name before `before`: in this section, else in
        an earlier section of the document (its Evidence names that section)."""
        c = self.context
        if not c.drug.strip():
            return None
        name = re.compile(rf"(?<!\w){re.escape(c.drug.strip())}(?!\w)", re.I)
        for match in reversed(list(name.finditer(c.document.text, 0, before))):
            home = next((s for s in c.document.sections if s.start <= match.start() < s.end), None)
            if home is not None:
                return mention(c.document, home.name, match.start(), match.end())
        return None

    # ---- objects -----------------------------------------------------------

    def phrase_end(self, start: int) -> int:
        """Where the noun phrase starting at `start` ends: the first clause boundary."""
        work, depth, listed = self.work, 0, False
        for i in range(start, len(work)):
            char = work[i]
            if char == "(":
                depth += 1
            elif char == ")":
                depth = max(0, depth - 1)
            elif depth:
                continue
            elif char in ";:":
                return i
            elif char == ",":
                boundary = _COMMA_CLAUSE.match(work, i)
                if boundary is None:
                    listed = True
                    continue
                after = work[boundary.end() : boundary.end() + 4]
                if after.startswith("and ") and listed and not self._verb_after(boundary.end() + 4):
                    continue  # Oxford comma closing a list: "A, B, and C"
                return i
            elif char.isspace() and _SPACE_CLAUSE.match(work, i):
                return i
        return len(work)

    def _verb_after(self, position: int) -> bool:
        rest = self.work[position:].lstrip()
        return any(p.match(rest) for _, p in _RELATIVE_PREDICATES)

    def items(self, start: int, end: int, location_cut: bool) -> list[Span]:
        """The object terms of the phrase work[start:end]."""
        determiner = _DETERMINER.match(self.work, start, end)
        if determiner:
            start = determiner.end()
        if location_cut:
            location = self._outside_parens(_LOCATION, start, end)
            if location is not None:
                end = location
        segment = self.work[start:end].strip(" ,.;")
        if not segment:
            return []
        end = start + len(self.work[start:end].rstrip(" ,.;"))
        start = end - len(segment)
        coordinated = re.search(r",|\band\b|\bor\b", re.sub(r"\([^()]*\)", "", segment))
        if not coordinated or _PREPOSITION.search(segment):
            return [(start, end)]
        items = split_list(self.work, start, end, split_or=True)
        return _named_members(self.work, items)

    def _outside_parens(self, pattern: re.Pattern[str], start: int, end: int) -> int | None:
        depth = 0
        for i in range(start, end):
            if self.work[i] == "(":
                depth += 1
            elif self.work[i] == ")":
                depth = max(0, depth - 1)
            elif depth == 0 and pattern.match(self.work, i, end):
                return i
        return None

    # ---- facts -------------------------------------------------------------

    def add_step(
        self, subject: Mention | None, relation: Relation, item: Span, ev_start: int
    ) -> Mention:
        obj = self.term(*item)
        if subject is not None and obj.text:
            end = obj.evidence.end - self.base
            c = self.context
            ev = self.evidence(ev_start, end)
            c.steps.append(MechanismStep(len(c.steps) + 1, subject, relation, obj, ev))
            c.last_subject = subject
            self.found += 1
        return obj

    def add_effect(self, direction: Direction, item: Span, ev_start: int, clause: Span) -> Mention:
        effect = self.term(*item)
        if not effect.text:
            return effect
        start, end = ev_start, effect.evidence.end - self.base
        strength = None
        if self.strength and clause[0] <= self.strength[0][0] < clause[1]:
            (s_start, s_end), strength = self.strength
            start, end = min(start, s_start), max(end, s_end)
        self.context.effects.append(
            MechanismEffect(effect, direction, self.evidence(start, end), strength)
        )
        self.found += 1
        return effect


def _named_members(text: str, items: list[Span]) -> list[Span]:
    """ "the cyclooxygenase enzymes COX-1", "COX-2" -> "COX-1", "COX-2": when the other
    members are single names, the first member's class words are not part of its name."""
    if len(items) < 2:
        return items
    first = text[items[0][0] : items[0][1]].split()
    rest_single = all(len(text[s:e].split()) == 1 for s, e in items[1:])
    last = first[-1]
    name_like = any(ch.isdigit() for ch in last) or sum(ch.isupper() for ch in last) >= 2
    if len(first) > 1 and rest_single and name_like:
        return [(items[0][1] - len(last), items[0][1]), *items[1:]]
    return items


def _verbs(group: str, table: dict[str, Relation]) -> list[Relation]:
    """Relations of the verbs in a verb group, in order, without repeats."""
    relations: list[Relation] = []
    for match in _RELATION_WORD.finditer(group):
        relation = _lookup(table, match.group(0))
        if relation not in relations:
            relations.append(relation)
    return relations


_ALL_FORMS: dict[str, Relation] = {**_BASE, **_THIRD, **_GERUNDS}


def _earliest(
    predicates: tuple[tuple[PredicateKind, re.Pattern[str]], ...], work: str, start: int
) -> tuple[PredicateKind, re.Match[str]] | None:
    best: tuple[PredicateKind, re.Match[str]] | None = None
    for kind, pattern in predicates:
        match = pattern.search(work, start)
        if match and (best is None or match.start() < best[1].start()):
            best = (kind, match)
    return best


def _apply(
    sentence: _Sentence,
    kind: PredicateKind,
    match: re.Match[str],
    subject: Mention | None,
    ev_start: int,
    clause_start: int,
) -> tuple[list[Mention], int]:
    """Turn one predicate into facts; return the objects it named and where its phrase ends."""
    work = sentence.work
    end = sentence.phrase_end(match.end())
    objects: list[Mention] = []
    if kind in ("effect", "nominal"):
        if kind == "effect":
            word = " ".join(match.group("verb").lower().split())
            direction = _EFFECT_THIRD.get(word) or _EFFECT_BASE[word]
        else:
            direction = _EFFECT_NOUNS[match.group("noun").lower()]
        for item in sentence.items(match.end(), end, location_cut=False):
            objects.append(sentence.add_effect(direction, item, ev_start, (clause_start, end)))
        return objects, end
    if kind == "converted":
        relations = [Relation.CONVERTED_TO]
    elif kind == "depletion":
        relations = [Relation.DEPLETES]
    else:
        relations = _verbs(match.group("verbs"), _ALL_FORMS)
    items = sentence.items(match.end(), end, location_cut=True)
    for item in items:
        for relation in relations:
            obj = sentence.add_step(subject, relation, item, ev_start)
        objects.append(obj)
    if kind == "converted":
        agent = re.match(r"[^,;]*?\bby\s+[^,;]+", work[end:])
        if agent and sentence.context.steps and subject is not None:
            step = sentence.context.steps[-1]
            sentence.context.steps[-1] = MechanismStep(
                step.order,
                step.subject,
                step.relation,
                step.object,
                sentence.evidence(ev_start, end + agent.end()),
            )
            end += agent.end()
    return objects, end


def _continue(
    sentence: _Sentence, objects: list[Mention], subject: Mention | None, end: int
) -> None:
    """Follow ", which …", ", a <noun> that …" and " and <verb> …" after a predicate."""
    work = sentence.work
    while end < len(work):
        relative = _WHICH.match(work, end) or _APPOSITIVE.match(work, end)
        conjunction = None if relative else _AND.match(work, end)
        opener = relative or conjunction
        if opener is None:
            return
        found = _earliest(_RELATIVE_PREDICATES, work, opener.end())
        if found is None or found[1].start() != opener.end() or found[0] == "intransitive":
            return
        kind, match = found
        if relative:
            next_subject = objects[0] if len(objects) == 1 else None
            ev_start = relative.start("head")
        else:
            next_subject, ev_start = subject, match.start()
        objects, end = _apply(sentence, kind, match, next_subject, ev_start, ev_start)
        subject = next_subject
        if not objects:
            return


def _read_sentence(sentence: _Sentence) -> None:
    work = sentence.work
    position = 0
    cause: Mention | None = None
    implied: tuple[Relation, Span] | None = None
    by = _BY_CAUSE.match(work)
    if by:
        cause = sentence.mention(*by.span("cause"))
        relation = _GERUNDS.get(by.group("verb").lower())
        if relation is not None:
            implied = (relation, by.span("object"))
        position = by.end()
    found = _earliest(_MAIN_PREDICATES, work, position)
    if found is None:
        return
    kind, match = found
    read = sentence.subject(position, match.start())
    if read is None:
        return
    (subject_start, subject_end), grammatical = read
    if kind == "intransitive":
        # "Serum phosphate rises": the subject is the effect; pronouns name nothing measurable.
        if grammatical is None or grammatical.evidence.start != sentence.base + subject_start:
            return
        direction = _INTRANSITIVE[" ".join(match.group("verb").lower().split())]
        effect = sentence.add_effect(
            direction, (subject_start, subject_end), subject_start, (subject_start, match.end())
        )
        end = match.end()
        if not effect.text:
            return
        effect_end = effect.evidence.end - sentence.base
        if effect_end < end:  # the effect's evidence covers its verb
            last = sentence.context.effects[-1]
            sentence.context.effects[-1] = MechanismEffect(
                last.effect, last.direction, sentence.evidence(subject_start, end), last.strength
            )
        _continue(sentence, [effect], None, end)
        return
    if implied is not None and grammatical is not None:
        for item in sentence.items(*implied[1], location_cut=True):
            sentence.add_step(grammatical, implied[0], item, by.start("cause") if by else 0)
    subject = cause if cause is not None else grammatical
    ev_start = match.start() if cause is not None else subject_start
    if kind in ("effect", "nominal"):
        ev_start = match.start()
    objects, end = _apply(sentence, kind, match, subject, ev_start, subject_start)
    _continue(sentence, objects, subject, end)


def _mask_strength(work: str) -> tuple[str, tuple[Span, str] | None]:
    match = _STRENGTH.search(work)
    if match is None:
        return work, None
    masked = work[: match.start()] + " " * (match.end() - match.start()) + work[match.end() :]
    return masked, (match.span("s"), match.group("s"))


# --------------------------------------------------------------------------
# Section
# --------------------------------------------------------------------------


def _bodies(section: Section, text: str) -> list[Span]:
    """Spans of the section's paragraphs and items, without a leading bold label."""
    spans: list[Span] = []
    blocks = [b for b in section.blocks if b.kind in ("paragraph", "item")]
    for block in blocks:
        start = block.start
        label = _LABEL.match(text, start, block.end)
        if label:
            start = label.end()
        spans.append((start, block.end))
    if not section.blocks:
        spans.append((section.start, section.end))
    return spans


def extract_mechanism(
    document: Document, section: Section, drug: str
) -> tuple[tuple[MechanismStep, ...], tuple[MechanismEffect, ...], tuple[StatementFact, ...]]:
    """Steps (ordered, repeats dropped), effects and unread sentences of a How it Works section.

    `drug` is the name of the drug the section is about, as the document
    spells it; pronouns and the name resolve to it.
    """
    context = _Context(document, section, drug)
    statements: list[StatementFact] = []
    text = document.text
    for body_start, body_end in _bodies(section, text):
        for start, end in sentences(text, body_start, body_end):
            clause_end = end
            while clause_end > start and text[clause_end - 1] in ".!?* ":
                clause_end -= 1
            work, strength = _mask_strength(text[start:clause_end])
            sentence = _Sentence(context, start, work, strength)
            _read_sentence(sentence)
            kept = evidence(document, section.name, start, end)
            if sentence.found == 0 and kept.quote:  # a sentence of markup only says nothing
                statements.append(StatementFact("unstructured", kept))
    return _unique(context.steps), tuple(context.effects), tuple(statements)


def _unique(steps: list[MechanismStep]) -> tuple[MechanismStep, ...]:
    """Steps without repeats (same subject, relation, object), renumbered in reading order."""
    seen: set[tuple[str, Relation, str]] = set()
    kept: list[MechanismStep] = []
    for step in steps:
        key = (normalise_term(step.subject.text), step.relation, normalise_term(step.object.text))
        if key in seen:
            continue
        seen.add(key)
        kept.append(
            MechanismStep(len(kept) + 1, step.subject, step.relation, step.object, step.evidence)
        )
    return tuple(kept)
