"""Reading the clauses of one How it Works sentence, left to right, into steps and effects.

Rules. Clause shapes:

* ``S works|acts by <verb>ing O`` and ``S is a <noun phrase> that <verb>s O``;
* ``S <verb>s (the|its) O``; coordinated verbs (``binds to and inhibits O``)
  give one step per verb;
* ``By <verb>ing X, S <verb>s O``: the subject of the step is the cause phrase
  ``<verb>ing X``; ``S <verb>s X`` is a step of its own (dropped when already
  stated);
* after an object: ``, which <verb>s O2`` and ``, a <noun> that <verb>s O2``
  make that object the subject of the next step; `` and <verb>s O2`` and ``,
  <verb>s O2`` keep the subject; `` to <verb> O2`` keeps it too, except after stimulates/activates
  ("stimulates the gland to release X": the gland releases X); ``, causing X to
  <verb>`` is a step of the subject on X.

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

from medkg.extract.mechanism.lexicon import (
    ADV,
    ALL_RELATION_FORMS,
    BY_GERUND,
    EFFECT_BASE,
    EFFECT_GERUNDS,
    EFFECT_NOUNS,
    EFFECT_THIRD,
    GERUND_PREDICATES,
    GERUNDS,
    INTRANSITIVE_VERBS,
    LEVEL_ADJECTIVES,
    MAIN_PREDICATES,
    RELATIVE_PREDICATES,
    THIRD_PERSON_FORMS,
    Direction,
    PredicateKind,
    earliest_predicate,
    verb_relations,
)
from medkg.extract.mechanism.phrases import NOMINAL_RELATIONS
from medkg.extract.mechanism.references import plural_drug_predicate
from medkg.extract.mechanism.roles import ROLE_BLOCKERS, ROLE_MODIFIERS, ROLE_OF_NOUNS
from medkg.extract.mechanism.sentence import Sentence
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
# "increases X, reduces Y": a comma and the next verb of the same subject.
_COMMA_VERB = re.compile(rf"\s*,\s*(?={ADV}(?:{THIRD_PERSON_FORMS})\b){ADV}")
_ROLE_NOUN = next(pattern for kind, pattern in MAIN_PREDICATES if kind == "role-noun")
# " to release X" after an object: what the object (after a causative verb) or subject does.
_PURPOSE = re.compile(rf"\s+to\s+(?:help\s+)?{ADV}")
_CAUSATIVE = frozenset({Relation.STIMULATES, Relation.ACTIVATES})
# "…, causing the muscles to relax", "…, leading to relaxation of X": what the clause's
# subject brings about.
_CAUSING = re.compile(
    r"\s*,\s*(?:thereby\s+|thus\s+|ultimately\s+)?"
    r"(?=(?:causing|leading\s+to|resulting\s+in|producing|triggering)\s)"
)
_CAUSING_KINDS = frozenset({"causes-to", "causes-process", "nominal-relation"})
# Predicates read only when the clause's subject is the drug: what another subject (a
# hormone, bacteria) is involved in, causes or prevents is not the drug's mechanism.
_DRUG_ONLY = frozenset({"involved", "nominal-relation", "prevents", "causes-process"})
# Predicates whose words name one relation: "is required for", "is incorporated into".
_FIXED_RELATIONS: dict[str, Relation] = {
    "required-for": Relation.REQUIRED_FOR,
    "resistant": Relation.RESISTANT_TO,
    "incorporated": Relation.INCORPORATED_INTO,
    "involved": Relation.INVOLVED_IN,
    "prevents": Relation.INHIBITS,
}
# Predicates that state an effect (an increase or decrease), not a step.
EFFECT_KINDS = frozenset({"effect", "nominal", "levels", "works-by-effect", "gerund-effect"})
# Predicates whose verb is a gerund: a coordinated gerund ("…, and interfering with Y") goes on.
_GERUND_KINDS = frozenset({"works-by", "works-by-effect", "gerund", "gerund-effect"})
# Effects stated as the result of the clause before ("…, which leads to an increase in X").
_RESULT_KINDS = frozenset({"nominal", "levels"})
_RESULT_VERB = re.compile(r"\s*(?:leads?|led)\s+to\b|\s*results?\s+in\b", re.I)


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
    if kind in EFFECT_KINDS:
        if kind == "nominal":
            direction = EFFECT_NOUNS[match.group("noun").lower()]
        elif kind == "levels":
            direction = LEVEL_ADJECTIVES[match.group("adjective").lower()]
        else:
            word = " ".join(match.group("verb").lower().split())
            direction = EFFECT_THIRD.get(word) or EFFECT_BASE.get(word) or EFFECT_GERUNDS[word]
        for item in sentence.items(match.end(), end, location_cut=False):
            objects.append(sentence.add_effect(direction, item, ev_start, (clause_start, end)))
        return objects, end
    if kind in ("resistant", "resistant-adjective") and not sentence.names_drug(subject):
        return objects, end  # "bacteria resistant to X": only the drug's own resistance is read
    if kind in _DRUG_ONLY and not sentence.names_drug(subject):
        return objects, end
    if kind == "causes-process":
        process = _with_gloss(work, match.span("process"))
        return [sentence.add_step(subject, Relation.CAUSES, process, ev_start)], process[1]
    if kind == "resistant-adjective":
        withstood = sentence.add_step(
            subject, Relation.RESISTANT_TO, match.span("target"), ev_start, match.end()
        )
        return [withstood], match.end()
    if kind == "causes-to":
        relations = verb_relations(match.group("verbs"), ALL_RELATION_FORMS)
        for item in sentence.items(*match.span("object"), location_cut=True):
            for relation in relations:
                obj = sentence.add_step(subject, relation, item, ev_start, match.end())
            objects.append(obj)
        return objects, match.end()
    if kind == "is-a-that":
        role = _ROLE_NOUN.match(work, match.start())
        if role is not None and role.end() <= match.end():  # "is a X blocker that …"
            _apply(sentence, "role-noun", role, subject, ev_start, clause_start)
    if kind in ("role-of", "role-noun"):
        if ROLE_BLOCKERS & set(match.group("target").lower().split()):
            return objects, match.end()
        relations = [ROLE_OF_NOUNS[match.group("role").lower()]]
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
    elif kind == "nominal-relation":
        relations = [NOMINAL_RELATIONS[match.group("noun").lower()]]
    elif kind in _FIXED_RELATIONS:
        relations = [_FIXED_RELATIONS[kind]]
    else:
        relations = verb_relations(match.group("verbs"), ALL_RELATION_FORMS)
    items = sentence.items(match.end(), end, location_cut=True)
    examples = sentence.examples(match.end(), end)
    if examples is not None and examples[0]:  # "several enzymes, such as A and B"
        items = examples[0] if examples[2] else items + examples[0]
        end = examples[1]
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


def _with_gloss(work: str, span: Span) -> Span:
    """The span with the parenthetical right after it ("vasodilation (widening of …)")."""
    gloss = re.match(r"\s*\([^()]*\)", work[span[1] :])
    return (span[0], span[1] + gloss.end()) if gloss else span


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
    while words and _is_modifier(work[words[0][0] : words[0][1]].lower()):
        words.pop(0)
    return (words[0][0], words[-1][1]) if words else None


def _is_modifier(word: str) -> bool:
    """A word before a role noun that says how, not what: "selective", "centrally"."""
    return word in ROLE_MODIFIERS or word.endswith("ly")


def _continue(
    sentence: Sentence,
    objects: list[Mention],
    subject: Mention | None,
    end: int,
    kind: PredicateKind,
) -> None:
    """Follow ", which …", ", a <noun> that …", " and <verb> …" and " by <verb>ing …" after
    a predicate of `kind`."""
    work = sentence.work
    while end < len(work):
        by = BY_GERUND.match(work, end)
        if by is not None and subject is not None:
            # "S lowers X by inhibiting Y": a step (or effect) of S
            kind = "gerund" if by.group("verbs") else "gerund-effect"
            objects, end = _apply(sentence, kind, by, subject, by.start() + 1, by.start() + 1)
            if not objects:
                return
            continue
        causing = _CAUSING.match(work, end)
        if causing is not None and subject is not None and kind not in EFFECT_KINDS:
            found = earliest_predicate(MAIN_PREDICATES, work, causing.end())
            if found is None or found[0] not in _CAUSING_KINDS:
                return
            if found[1].start() != causing.end():
                return
            kind, match = found
            objects, end = _apply(sentence, kind, match, subject, match.start(), match.start())
            if not objects:
                return
            continue
        purpose = _PURPOSE.match(work, end)
        if purpose is not None and subject is not None and kind not in EFFECT_KINDS:
            # "stimulates the pancreas to release insulin": the pancreas releases it;
            # "acts on X to relax Y": the subject does
            found = earliest_predicate(RELATIVE_PREDICATES, work, purpose.end())
            if found is None or found[1].start() != purpose.end():
                return
            if found[0] not in ("relation", "effect"):
                return
            steps = sentence.context.steps
            causative = bool(steps) and steps[-1].relation in _CAUSATIVE and len(objects) == 1
            subject = objects[0] if causative else subject
            kind, match = found
            objects, end = _apply(sentence, kind, match, subject, match.start(), match.start())
            if not objects:
                return
            continue
        relative = _WHICH.match(work, end) or _APPOSITIVE.match(work, end)
        conjunction = None if relative else (_AND.match(work, end) or _COMMA_VERB.match(work, end))
        opener = relative or conjunction
        if opener is None:
            return
        predicates = RELATIVE_PREDICATES
        if conjunction is not None and kind in _GERUND_KINDS:
            predicates = GERUND_PREDICATES
        found = earliest_predicate(predicates, work, opener.end())
        if found is None or found[1].start() != opener.end() or found[0] == "intransitive":
            return
        after_effect = kind in EFFECT_KINDS
        kind, match = found
        if relative:
            # "blocks X, a hormone that raises Y" and "inhibits X, which raises Y" say what X
            # does (unopposed, or by itself): a step of X, no effect of the drug (its own
            # effect would be the opposite, which is not inferred), unless the drug furthers
            # X ("enhances X, a transmitter that lowers Y"); ", which leads to | results in
            # <a change>" names the result of the drug's action itself
            sentence.acting = sentence.acting and (
                sentence.furthered
                or (relative.group("head") == "which" and _states_result(kind, match))
            )
            next_subject = objects[0] if len(objects) == 1 else None
            if after_effect and next_subject is not None and " of " in next_subject.text:
                next_subject = None  # "the activity of X, a … that": X, not its activity
            ev_start = relative.start("head")
        else:
            next_subject, ev_start = subject, match.start()
        objects, end = _apply(sentence, kind, match, next_subject, ev_start, ev_start)
        subject = next_subject
        if not objects:
            return


def _states_result(kind: PredicateKind, match: re.Match[str]) -> bool:
    """Does the predicate name a result of what came before ("leads to an increase in",
    "results in lower levels of"), not an action of its own ("raises", "causes")?"""
    return kind in _RESULT_KINDS and _RESULT_VERB.match(match.group(0)) is not None


def read_sentence(sentence: Sentence) -> None:
    """Read the sentence's clauses left to right; the facts go to its section context."""
    work = sentence.work
    position = 0
    cause: Mention | None = None
    implied: tuple[Relation, Span] | None = None
    by = _BY_CAUSE.match(work)
    implied_effect: tuple[Direction, Span] | None = None
    if by:
        cause = sentence.mention(*by.span("cause"))
        verb = by.group("verb").lower()
        relation = GERUNDS.get(verb)
        if relation is not None:
            implied = (relation, by.span("object"))
        elif verb in EFFECT_GERUNDS:
            implied_effect = (EFFECT_GERUNDS[verb], by.span("object"))
        position = by.end()
    found = plural_drug_predicate(sentence, position) or earliest_predicate(
        MAIN_PREDICATES, work, position
    )
    if found is None:
        if by and (implied or implied_effect):
            # "By reducing X, S relieves pain": the main verb is not read, but S is the drug
            drug = sentence.drug_subject(position)
            if drug is not None:
                sentence.acting, sentence.actor = True, drug
                _implied(sentence, drug, implied, implied_effect, by.start("cause"))
        return
    kind, match = found
    if kind == "ability":
        # "Examplin's activity stems from its ability to chelate X": a step of the drug
        owner = sentence.possessor(position, match.start())
        if owner is not None:
            sentence.acting = True
            objects, end = _apply(sentence, kind, match, owner, position, position)
            _continue(sentence, objects, owner, end, kind)
        return
    read = sentence.subject(position, match.start())
    if read is None:
        return
    (subject_start, subject_end), grammatical = read
    if kind == "intransitive":
        # "Serum phosphate rises": the subject is the effect; pronouns name nothing measurable.
        if grammatical is None or grammatical.evidence.start != sentence.base + subject_start:
            return
        direction = INTRANSITIVE_VERBS[" ".join(match.group("verb").lower().split())]
        sentence.acting = True  # the sentence is about what happens to the effect itself
        before = len(sentence.context.effects)
        effect = sentence.add_effect(
            direction, (subject_start, subject_end), subject_start, (subject_start, match.end())
        )
        sentence.acting = False  # what follows has no subject of the drug's
        end = match.end()
        if len(sentence.context.effects) == before:  # an outcome, or nothing: no effect
            return
        effect_end = effect.evidence.end - sentence.base
        if effect_end < end:  # the effect's evidence covers its verb
            last = sentence.context.effects[-1]
            sentence.context.effects[-1] = MechanismEffect(
                last.effect, last.direction, sentence.evidence(subject_start, end), last.strength
            )
        _continue(sentence, [effect], None, end, kind)
        return
    sentence.acting = sentence.subject_acts(grammatical, (subject_start, match.start()))
    if sentence.acting and sentence.names_drug(grammatical):
        sentence.actor = grammatical
    if cause is not None and sentence.acting:
        sentence.context.drug_actions.append(cause)
    if grammatical is not None:
        _implied(sentence, grammatical, implied, implied_effect, by.start("cause") if by else 0)
    subject = cause if cause is not None and kind not in _DRUG_ONLY else grammatical
    ev_start = match.start() if cause is not None and subject is cause else subject_start
    if kind in EFFECT_KINDS:
        ev_start = match.start()
    objects, end = _apply(sentence, kind, match, subject, ev_start, subject_start)
    _continue(sentence, objects, subject, end, kind)


def _implied(
    sentence: Sentence,
    subject: Mention,
    step: tuple[Relation, Span] | None,
    effect: tuple[Direction, Span] | None,
    ev_start: int,
) -> None:
    """The fact of a fronted "By <verb>ing X, S …" of S: a step (or an effect) on X."""
    if step is not None:
        for item in sentence.items(*step[1], location_cut=True):
            sentence.add_step(subject, step[0], item, ev_start)
    if effect is not None:
        for item in sentence.items(*effect[1], location_cut=False):
            sentence.add_effect(effect[0], item, ev_start, (ev_start, effect[1][1]))


def mask_strength(work: str) -> tuple[str, tuple[Span, str] | None]:
    """The text with its degree phrase blanked out (same offsets), and that phrase."""
    match = _STRENGTH.search(work)
    if match is None:
        return work, None
    masked = work[: match.start()] + " " * (match.end() - match.start()) + work[match.end() :]
    return masked, (match.span("s"), match.group("s"))
