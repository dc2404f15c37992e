"""One sentence of a How it Works section: its subjects, objects and the facts built from them.

Rules. Subjects: "It", "this drug" and the like resolve to the nearest
preceding mention of the drug's name (in this section, else an earlier one);
the drug's name is itself; a bare gerund ("Binding leads to …") stands for
the previous step's subject; "This" and "this <action noun>" ("This binding",
"This inhibition") stand for the drug when the previous sentence of the same
paragraph gave a step of the drug (they refer back to that action); "This means
it …" and "This active form (metabolite)" are the drug when the sentence before spoke
of it without a hedge; any other
subject starting with "this/these/that/those" is not resolved, so it gives no
step. In the first sentence under a component's bold label, a subject starting
with "this" ("This vitamin") is that component. Words before the verb that negate or
hedge it ("does not inhibit", "may block") leave the clause without a subject,
so it gives no step.

Objects: read by `medkg.extract.mechanism.objects`. A trailing parenthetical is a gloss
(``fibroblast growth factor 23 (FGF23)``); an inner one is dropped from the Mention text
and kept as a gloss (``thrombopoietin (TPO) receptor`` -> ``thrombopoietin receptor``),
the evidence quote still being the exact span.

A step's evidence ends at the end of its object; an effect's evidence also
covers the degree phrase (``to a lesser extent``) of its clause, which is its
strength. Used by `medkg.extract.mechanism`; nothing here knows a drug.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from medkg.extract.mechanism.lexicon import (
    Direction,
    is_outcome,
)
from medkg.extract.mechanism.objects import example_items, object_items, phrase_end
from medkg.extract.mechanism.owner import action_nouns, subject_acts
from medkg.extract.mechanism.phrases import NOMINAL_RELATIONS
from medkg.extract.mechanism.references import (
    coordinated_drug,
    is_active_form,
    means_pronoun,
    owned_part,
)
from medkg.extract.mechanism.subjects import (
    ADVERBS,
    APPOSITION,
    CLAUSE_WORDS,
    DEMONSTRATIVES,
    FRONTED,
    HEDGES,
    NEGATIONS,
    NOT_SUBJECT_END,
    PRONOUNS,
    SUBORDINATORS,
    UNRESOLVED_PRONOUNS,
    after_colon,
    drug_names,
)
from medkg.extract.mechanism.terms import expand_abbreviation, object_terms
from medkg.model import (
    Document,
    Evidence,
    MechanismEffect,
    MechanismStep,
    Mention,
    Relation,
    Section,
)
from medkg.text import Span, evidence, mention, normalise_term, split_gloss

_TRAILING_PAREN = re.compile(r"\s*\([^()]*\)\s*$")
# Relations that further their object: what the object then does is the drug's result.
_FURTHERING = frozenset({Relation.ACTIVATES, Relation.STIMULATES, Relation.CAUSES})
_INNER_PAREN = re.compile(r"\s*\(([^()]*)\)")


def _refers_to_action(lowered: str) -> bool:
    """ "This", "This binding", "This inhibition", "This action": the previous sentence's
    action; "This infection" or "This condition" is not (`action_nouns`)."""
    words = lowered.split()
    if not words or words[0] != "this" or len(words) > 2:
        return False
    return len(words) == 1 or words[1] in action_nouns() or words[1] in NOMINAL_RELATIONS


_REFERS_BACK = re.compile(r"\b(?:this|these|those)\b", re.I)
# a pronoun for the drug within a sentence ("it", "its", "this medication")
_DRUG_PRONOUN = re.compile(
    r"\b(?:it|its)\b|\b(?:this|the)\s+(?:drug|medication|medicine|combination|product)\b"
)
# "Examplin's activity …", "Its effect …": the possessor.
_POSSESSIVE = re.compile(r"\s*(?P<owner>[\w-]+(?:\s+[\w-]+){0,3}?)(?:['’]s\b|(?<=[Ii]ts)\s)")


@dataclass
class SectionContext:
    """What the reader of one section knows across sentences."""

    document: Document
    section: Section
    drug: str
    steps: list[MechanismStep] = field(default_factory=list)
    effects: list[MechanismEffect] = field(default_factory=list)
    last_subject: Mention | None = None  # subject of the last step, for "Binding leads to …"
    # the component a bold label names ("**Examplin:** Blocks …") for the body being read
    label: Mention | None = None
    first_sentence: bool = False  # is the sentence being read the first of its body?
    # other names of the drug (the document's generic name, when the section is about the
    # product its title names: "Examplin Oral" is written "Examplin")
    aliases: tuple[str, ...] = ()
    # the drug, as the subject of a step of the previous sentence in this body ("This …")
    previous_drug: Mention | None = None
    # abbreviations of the drug's name ("EXA" for "Examplic Acid (EXA)"): a subject so
    # written is the drug, though pronouns resolve to its full names only
    short_names: tuple[str, ...] = ()
    # fronted cause phrases of clauses whose subject is the drug ("By blocking X, Examplin …")
    drug_actions: list[Mention] = field(default_factory=list)
    # did the previous sentence of this body speak of the drug (a step or effect of it, its
    # name, or a pronoun for it)? Then "This …" opening the next one refers back to it
    previous_about_drug: bool = False
    # the previous sentence of this body, for "These molecules" after "its … molecules"
    previous_text: str = ""
    # abbreviations the section defines ("para-examplic acid (PEA)") and their long forms
    defined: dict[str, str] = field(default_factory=dict)

    def names(self) -> list[str]:
        """The drug's names: its own, the products it combines, and its aliases."""
        own = drug_names(self.drug)
        return own + [a for a in self.aliases if a not in own]

    def bare_names(self) -> list[str]:
        """The drug's names, each also without a trailing parenthetical ("Examplin
        (Systemic)" is written "Examplin")."""
        names = self.names()
        bare = [_TRAILING_PAREN.sub("", n) for n in names]
        return names + [b for b in bare if b and b not in names]


@dataclass
class Sentence:
    """One sentence: `work` is its text with degree phrases blanked out (same offsets)."""

    context: SectionContext
    base: int
    work: str
    strength: tuple[Span, str] | None = None
    found: int = 0
    # Is the clause being read the drug's own action, or stated as its result? Only then is
    # an effect (an increase or decrease) the drug's: "Histamine increases X" is not.
    acting: bool = False
    # Did the last fact read further its object (activates, stimulates, causes, increases)?
    furthered: bool = False
    # the drug, when it is the subject of the clause being read (for "This …" next)
    actor: Mention | None = None

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
        text = text.replace("*", "")  # emphasis markup ("of *Examplia coli*") is no word
        term = Mention(text=text, evidence=ev, glosses=glossed.glosses + inner)
        return expand_abbreviation(term, c.defined)

    # ---- subjects ----------------------------------------------------------

    def subject(self, start: int, end: int) -> tuple[Span, Mention | None] | None:
        """The clause subject in work[start:end]: its span and what it refers to.

        None when the words before the verb are not a plain subject (a comma, a
        negation, more than eight words); the Mention is None when the subject
        cannot be resolved (a demonstrative). A fronted phrase ("In the gut, it …")
        and an appositive ("Examplin, an antibiotic, …") are passed over, unless the
        fronted phrase hedges. In a body under a component's bold label, no subject
        before the verb ("Blocks X", "Enters cells and blocks X") is that component.
        Words up to a colon introduce the clause ("Its action is simple: it blocks X"):
        the subject follows the colon, unless they hedge or negate.
        """
        after = after_colon(self.work, start, end)
        if not (HEDGES | NEGATIONS) & set(re.findall(r"[a-z]+", self.work[start:after].lower())):
            start = after  # a hedged or negated introduction leaves the clause unread
        words = [(m.start(), m.end()) for m in re.finditer(r"\S+", self.work[start:end])]
        while words and self._is_adverb(self.work[start + words[-1][0] : start + words[-1][1]]):
            words.pop()
        label = self.context.label
        last = self.work[start + words[-1][0] : start + words[-1][1]].lower() if words else ""
        first = self.work[start + words[0][0] : start + words[0][1]].lower() if words else ""
        fragment = first in ("a", "an") and last in ("that", "which")  # "An X that blocks Y"
        if last == "and" and label is None:
            coordinated = coordinated_drug(self, start, words)
            if coordinated is not None:  # "Examplin slows X and reduces Y": Examplin
                return (start + words[0][0], start + words[-1][1]), coordinated
        if not words or last == "and" or (label is not None and fragment):
            # verb first ("Blocks X", "Enters cells and blocks X") or a noun phrase without a
            # verb ("An antibiotic that blocks X"): the subject is left out, as in a
            # component's labelled paragraph
            return ((end, end), label) if label is not None else None
        if last in ("that", "which"):  # "S triggers processes that lead to …": no plain subject
            return (start + words[0][0], start + words[-1][1]), None
        clause = span = (start + words[0][0], start + words[-1][1])
        phrase = self.work[span[0] : span[1]]
        lead = FRONTED.match(phrase) or APPOSITION.match(phrase)
        if lead is not None:  # the clause (and its evidence) still starts at the phrase
            if HEDGES & set(re.findall(r"[a-z]+", phrase.lower())):
                return None
            span = (span[0] + lead.start("s"), span[0] + lead.end("s"))
            phrase = lead.group("s")
        if len(phrase.split()) > 8:
            return None
        lowered = " ".join(phrase.lower().split())
        if phrase.count("(") != phrase.count(")"):  # "It is X (kills Y)": inside a gloss
            return None
        if "," in phrase or (NEGATIONS | CLAUSE_WORDS) & set(lowered.split()):
            return None
        if lowered.split()[0] in SUBORDINATORS:  # "Since X are …": a reason, not a claim
            return None
        if lowered.split()[-1] in NOT_SUBJECT_END:
            return None
        if lowered.split()[0] == "this" and label is not None and self.context.first_sentence:
            return clause, label  # "**Examplin:** This blocks …", "This vitamin is …"
        return clause, self.resolve(span, lowered)

    def drug_subject(self, start: int) -> Mention | None:
        """The drug, when the clause at `start` opens with its name or a pronoun for it and
        then a plain verb ("Examplin relieves …"); None for any other opening, or when the
        sentence hedges or negates anywhere."""
        lowered = set(re.findall(r"[a-z]+", self.work.lower()))
        if lowered & (HEDGES | NEGATIONS):
            return None
        words = list(re.finditer(r"[\w'’-]+", self.work[start:]))
        names = {normalise_term(n) for n in self.context.names()}
        for count in range(1, min(4, len(words) - 1) + 1):
            span = (start + words[0].start(), start + words[count - 1].end())
            phrase = " ".join(self.work[span[0] : span[1]].lower().split())
            verb = words[count].group(0)
            if phrase not in PRONOUNS and normalise_term(phrase) not in names:
                continue
            if not verb.islower() or verb in NOT_SUBJECT_END or verb in ADVERBS:
                return None
            return self.resolve(span, phrase)
        return None

    def possessor(self, start: int, end: int) -> Mention | None:
        """The drug, when the words in work[start:end] open with its possessive ("Examplin's
        activity", "Its effect"); None otherwise, or when the sentence hedges or negates."""
        if set(re.findall(r"[a-z]+", self.work.lower())) & (HEDGES | NEGATIONS):
            return None
        owner = _POSSESSIVE.match(self.work, start, end)
        if owner is None:
            return None
        span = owner.span("owner")
        lowered = " ".join(owner.group("owner").lower().split())
        if lowered == "its":
            return self.drug_antecedent(self.base + span[0])
        names = {normalise_term(n) for n in self.context.names()}
        return self.mention(*span) if normalise_term(lowered) in names else None

    def subject_acts(self, subject: Mention | None, clause: Span) -> bool:
        """Is the clause with these subject words (offsets in `work`) the drug's action or its
        result? See `mechanism_owner.subject_acts`."""
        span = (self.base + clause[0], self.base + clause[1])
        words = self.work[clause[0] : clause[1]]
        if subject is None and self._drug_clause_with_relative(clause):
            return True
        return subject_acts(self.context, subject, span, words, self.names_drug)

    def _drug_clause_with_relative(self, clause: Span) -> bool:
        """Are the words before the verb a clause of the drug ending in a relative pronoun
        ("It takes part in a reaction that lowers X", "Examplin is an agent that lowers X",
        "**Examplin:** This is an agent that lowers X"), or a plain "They" / "These" in a
        body under a component's label ("**Examplin and Testol:** … They work by …"): the
        clause then says what the drug's own action does."""
        words = self.work[clause[0] : clause[1]].lower().split()
        c = self.context
        if c.label is not None and words in (["they"], ["these"]):
            return True
        if len(words) < 3 or words[-1] not in ("that", "which"):
            return False
        if words[0] == "this" and c.label is not None and c.first_sentence:
            return True
        if self.drug_subject(clause[0]) is not None:
            return True
        # "<name> is a … that", "It is a … that": the drug, described
        for count in range(1, min(4, len(words) - 2) + 1):
            opening = " ".join(words[:count])
            if words[count] in ("is", "are") and (
                opening in PRONOUNS or self.names_drug(Mention(opening, self.evidence(0, 0)))
            ):
                return not (set(words) & (HEDGES | NEGATIONS))
        return False

    def hedged(self) -> bool:
        """Does the sentence hedge or negate anywhere ("may", "not")?"""
        return bool(set(re.findall(r"[a-z]+", self.work.lower())) & (HEDGES | NEGATIONS))

    def speaks_of_drug(self) -> bool:
        """Does the sentence name the drug, or open a clause with a pronoun for it?"""
        lowered = " ".join(self.work.lower().split())
        names = [normalise_term(n) for n in [*self.context.bare_names(), *self.context.short_names]]
        words = " ".join(normalise_term(w) for w in lowered.split())
        if any(n and re.search(rf"(?<!\w){re.escape(n)}(?!\w)", words) for n in names):
            return True
        return _DRUG_PRONOUN.search(lowered) is not None

    def names_drug(self, subject: Mention | None) -> bool:
        """Does the subject name the drug (or one of the products it combines)?"""
        c = self.context
        names = {normalise_term(n) for n in [*c.bare_names(), *c.short_names]}
        return subject is not None and normalise_term(subject.text) in names

    @staticmethod
    def _is_adverb(word: str) -> bool:
        """An adverb: listed, or a word in -ly written in lower case or opening the sentence
        ("Primarily works by …")."""
        plain = word.islower() or (word[:1].isupper() and word[1:].islower())
        return word.lower() in ADVERBS or (plain and word.endswith("ly") and len(word) > 4)

    def resolve(self, span: Span, lowered: str) -> Mention | None:
        c = self.context
        if lowered in PRONOUNS:
            return self.drug_antecedent(self.base + span[0])
        pronoun = means_pronoun(lowered)
        if pronoun is not None:
            # "X is a diuretic. This means it raises Y": it, the drug, unless the sentence
            # before hedged or negated (then what it "means" is no more certain)
            if not c.previous_about_drug:
                return None
            return self.drug_antecedent(self.base + span[1] - len(pronoun))
        if c.previous_about_drug and (is_active_form(lowered) or owned_part(c, lowered)):
            # "… converted to its active form. This active form blocks X"; "Examplin
            # contains antibodies. These antibodies bind X"
            return self.drug_antecedent(self.base + span[0])
        if _refers_to_action(lowered):
            return c.previous_drug
        if lowered.split()[0] in DEMONSTRATIVES or lowered in UNRESOLVED_PRONOUNS:
            return None
        if " " not in lowered and lowered.endswith("ing") and c.last_subject is not None:
            return c.last_subject
        literal = self.mention(*span)
        return literal if literal.text else None  # markup only ("**") names nothing

    def drug_antecedent(self, before: int) -> Mention | None:
        """The nearest mention of the drug's name, or of one of the products it combines
        ("A + B": A, B), before `before`: in this section, else in an earlier section of
        the document (its Evidence names that section)."""
        c = self.context
        names = c.names()
        if not names:
            return None
        alternatives = "|".join(
            re.escape(n).replace(r"\ ", r"[\s-]+") for n in sorted(names, key=len, reverse=True)
        )
        name = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.I)
        for match in reversed(list(name.finditer(c.document.text, 0, before))):
            home = next((s for s in c.document.sections if s.start <= match.start() < s.end), None)
            if home is not None:
                return mention(c.document, home.name, match.start(), match.end())
        return None

    # ---- objects -----------------------------------------------------------

    def phrase_end(self, start: int) -> int:
        """Where the noun phrase starting at `start` ends: the first clause boundary."""
        return phrase_end(self.work, start)

    def items(self, start: int, end: int, location_cut: bool) -> list[Span]:
        """The object terms of the phrase work[start:end]."""
        return object_items(self.work, start, end, location_cut)

    def examples(self, start: int, end: int) -> tuple[list[Span], int, bool] | None:
        """The examples that name what the class object work[start:end] stands for."""
        return example_items(self.work, start, end)

    # ---- facts -------------------------------------------------------------

    def add_step(
        self,
        subject: Mention | None,
        relation: Relation,
        item: Span,
        ev_start: int,
        ev_end: int | None = None,
    ) -> Mention:
        """A step with evidence from `ev_start` to the end of its object (or `ev_end`, when the
        words naming the relation follow the object: "a <target> agonist"); none on a symptom
        or clinical measure ("stimulates healing": an outcome, not a target)."""
        obj = self.term(*item)
        if subject is None or not obj.text or is_outcome(obj.text):
            return obj
        end = max(obj.evidence.end - self.base, ev_end or 0)
        c = self.context
        ev = self.evidence(ev_start, end)
        for named in object_terms(obj):  # "growth of X and Y": two terms
            c.steps.append(MechanismStep(len(c.steps) + 1, subject, relation, named, ev))
        c.last_subject = subject
        self.found += 1
        self.furthered = relation in _FURTHERING
        return obj

    def add_effect(self, direction: Direction, item: Span, ev_start: int, clause: Span) -> Mention:
        """An effect on the term at `item`, when the clause is the drug's action or its stated
        result (`acting`); none on a symptom or clinical measure (an outcome, not a
        mechanism) or on what a demonstrative refers back to ("these muscles")."""
        effect = self.term(*item)
        if not self.acting:
            return effect
        if not effect.text or is_outcome(effect.text) or _REFERS_BACK.search(effect.text):
            return effect
        start, end = ev_start, effect.evidence.end - self.base
        strength = None
        if self.strength and clause[0] <= self.strength[0][0] < clause[1]:
            (s_start, s_end), strength = self.strength
            start, end = min(start, s_start), max(end, s_end)
        for named in object_terms(effect):  # "growth of X and Y": two terms
            self.context.effects.append(
                MechanismEffect(named, direction, self.evidence(start, end), strength)
            )
        self.found += 1
        self.furthered = direction == "increase"
        return effect
