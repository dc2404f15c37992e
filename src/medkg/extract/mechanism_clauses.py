"""Reading the clauses of one How it Works sentence, left to right, into steps and effects.

Rules. Clause shapes:

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
lowers | decreases E``, ``increases | raises | enhances E``, ``E rises|falls``
(the subject is then the effect). A degree phrase (``to a lesser extent``) is
blanked out of the sentence before reading and becomes the strength of the
effect in its clause.

Evidence: a step's evidence runs from its clause's own subject (the drug name,
"which", "a protein that …") to the end of its object; when the subject is a
fronted cause phrase, from the verb. An effect's evidence runs from its verb
(or the degree phrase before it) to the end of the effect. Used by
`medkg.extract.mechanism`; nothing here knows a drug.
"""

from __future__ import annotations

import re

from medkg.extract.mechanism_lexicon import (
    ADV,
    ALL_RELATION_FORMS,
    EFFECT_BASE,
    EFFECT_NOUNS,
    EFFECT_THIRD,
    GERUNDS,
    INTRANSITIVE_VERBS,
    MAIN_PREDICATES,
    RELATIVE_PREDICATES,
    ROLE_BLOCKERS,
    ROLE_MODIFIERS,
    ROLE_NOUNS,
    PredicateKind,
    earliest_predicate,
    verb_relations,
)
from medkg.extract.mechanism_sentence import Sentence
from medkg.model import MechanismEffect, MechanismStep, Mention, Relation
from medkg.text import Span

_STRENGTH = re.compile(
    r"(?:,\s*)?\b(?P<s>to\s+an?\s+(?:lesser|greater|smaller|larger|limited|certain|minor|some)\s+"
    r"(?:extent|degree))\b(?:\s*,)?"
)
_BY_CAUSE = re.compile(
    rf"By\s+{ADV}(?P<cause>(?P<verb>[a-z]+ing)(?:\s+to)?\s+(?P<object>[^,]+?))\s*,\s*"
)
_WHICH = re.compile(rf",?\s*(?P<head>which)\s+{ADV}")
_APPOSITIVE = re.compile(rf",\s*(?P<head>(?:a|an)\s+(?:[\w/-]+\s+){{0,5}}?(?:that|which))\s+{ADV}")
_AND = re.compile(rf"\s*,?\s+and\s+{ADV}")


def _apply(
    sentence: Sentence,
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
            direction = EFFECT_THIRD.get(word) or EFFECT_BASE[word]
        else:
            direction = EFFECT_NOUNS[match.group("noun").lower()]
        for item in sentence.items(match.end(), end, location_cut=False):
            objects.append(sentence.add_effect(direction, item, ev_start, (clause_start, end)))
        return objects, end
    if kind in ("role-of", "role-noun"):
        if ROLE_BLOCKERS & set(match.group("target").lower().split()):
            return objects, match.end()
        relations = [ROLE_NOUNS[match.group("role").lower()]]
        if kind == "role-noun":
            target = _role_target(work, match.span("target"))
            if target is not None:
                objects.append(
                    sentence.add_step(subject, relations[0], target, ev_start, match.end("role"))
                )
            return objects, match.end()
    elif kind == "converted":
        relations = [Relation.CONVERTED_TO]
    elif kind == "depletion":
        relations = [Relation.DEPLETES]
    else:
        relations = verb_relations(match.group("verbs"), ALL_RELATION_FORMS)
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


def _role_target(work: str, span: Span) -> Span | None:
    """The target named before a role noun: "a selective X receptor" -> "X receptor"; after
    a coordination only the last member ("an antihistamine and X" -> "X"); None when only
    modifiers are left."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", work[span[0] : span[1]])]
    words = [(span[0] + s, span[0] + e) for s, e in words]
    for i, (s, e) in enumerate(words):
        if work[s:e].lower() in ("and", "or", "a", "an", "the"):
            words = words[i + 1 :] if i + 1 < len(words) else []
            return _role_target(work, (words[0][0], words[-1][1])) if words else None
    while words and work[words[0][0] : words[0][1]].lower() in ROLE_MODIFIERS:
        words.pop(0)
    return (words[0][0], words[-1][1]) if words else None


def _continue(
    sentence: Sentence, objects: list[Mention], subject: Mention | None, end: int
) -> None:
    """Follow ", which …", ", a <noun> that …" and " and <verb> …" after a predicate."""
    work = sentence.work
    while end < len(work):
        relative = _WHICH.match(work, end) or _APPOSITIVE.match(work, end)
        conjunction = None if relative else _AND.match(work, end)
        opener = relative or conjunction
        if opener is None:
            return
        found = earliest_predicate(RELATIVE_PREDICATES, work, opener.end())
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


def read_sentence(sentence: Sentence) -> None:
    """Read the sentence's clauses left to right; the facts go to its section context."""
    work = sentence.work
    position = 0
    cause: Mention | None = None
    implied: tuple[Relation, Span] | None = None
    by = _BY_CAUSE.match(work)
    if by:
        cause = sentence.mention(*by.span("cause"))
        relation = GERUNDS.get(by.group("verb").lower())
        if relation is not None:
            implied = (relation, by.span("object"))
        position = by.end()
    found = earliest_predicate(MAIN_PREDICATES, work, position)
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
        direction = INTRANSITIVE_VERBS[" ".join(match.group("verb").lower().split())]
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


def mask_strength(work: str) -> tuple[str, tuple[Span, str] | None]:
    """The text with its degree phrase blanked out (same offsets), and that phrase."""
    match = _STRENGTH.search(work)
    if match is None:
        return work, None
    masked = work[: match.start()] + " " * (match.end() - match.start()) + work[match.end() :]
    return masked, (match.span("s"), match.group("s"))
