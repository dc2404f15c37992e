"""Stage 4, link: the same drug and the same concept across documents.

* **Drugs** are identified by their name after normalisation, with an FDA
  four-letter suffix (``-abcd``) stripped: a code page's ``examplumab-abcd``
  and a monograph's ``Examplumab`` are one drug.
* **Routes** are resolved by the route vocabulary alone (`Linker.route`); a route
  word it lacks has no concept.
* **Concepts** (conditions, proteins, processes) are resolved in this
  order, and the basis is kept so the graph can say why two wordings meet:
  1. a gloss another document about the same drug gives (``acute myocardial
     infarction (heart attack)`` makes a code page's ``heart attack`` that
     concept) — the document that sets the meaning for this drug comes
     first. Only a single parenthetical counts: a list of signs or examples
     (``infusion reactions (itching, rash, flushing)``, ``events such as heart
     attack or stroke``) names parts, not another name of the term. Only a
     document about a drug this one is also about lends its glosses (a
     document about no drug neither lends nor takes any), so linking never
     reaches beyond the documents of one drug;
  2. the lexicon, by exact label or synonym after normalisation;
  3. the lexicon, by the mention's own gloss: ``high blood pressure
     (hypertension)`` names the lexicon's hypertension when the term itself is
     not a lexicon name. Again only a single parenthetical that is one term
     (no list, no "e.g."), so that examples never stand for the term;
  4. a site reaction described by its manifestations (``pain or swelling at the
     infusion site`` ≡ ``infusion site reactions (pain, swelling)``), again
     only from a document about the same drug;
  5. otherwise a local concept named by the term itself.
  Nothing is matched fuzzily.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache

from medkg.link.lexicon import Identifier, Lexicon, LexiconEntry
from medkg.model import Evidence, Extraction, Mention
from medkg.resources import words_by_kind
from medkg.text import normalise_term, term_slug

FDA_SUFFIX = re.compile(r"-[a-z]{4}$")
_SEVERITY = re.compile(r"^(?:mild|moderate|severe|minor|slight|transient)\s+", re.IGNORECASE)
_AT_SITE = re.compile(
    r"^(?P<signs>.+?)\s+(?:at|around|near)\s+the\s+(?P<site>.+?\bsite)$", re.IGNORECASE
)
_SITE_REACTION = re.compile(r"^(?P<site>.+?\bsite)\s+reactions?$", re.IGNORECASE)
GLOSS_WORDS_FILE = "gloss-words.csv"


@cache
def gloss_words() -> dict[str, frozenset[str]]:
    """Words of `data/terminology/gloss-words.csv` by kind: "category-head" (a term
    headed by one names a category, and its gloss one example of it) and "narrowing"
    (a term holding one names more or less than its gloss)."""
    return words_by_kind(GLOSS_WORDS_FILE, "gloss word list", ("category-head", "narrowing"))


# a gloss that is one term: words, hyphens and apostrophes, no list or abbreviation marks
_ONE_TERM = re.compile(r"[^\W\d_][\w'’-]*(?:\s+[\w'’-]+){0,3}")
_LIST_WORDS = re.compile(r"\b(?:and|or|e\.g|eg|i\.e|ie|such|like|including|etc)\b", re.IGNORECASE)
_ARTICLE = re.compile(r"(?:a|an|the)\s", re.IGNORECASE)
_EXAMPLES = re.compile(r",?\s+(?:such as|including|e\.g\.,?)\s+.*$", re.IGNORECASE | re.DOTALL)


def head_term(text: str) -> str:
    """The term without trailing examples ("events such as stroke" -> "events")."""
    return _EXAMPLES.sub("", text).strip() or text


def strip_fda_suffix(name: str) -> str:
    """``examplumab-abcd`` -> ``examplumab`` (FDA suffix: hyphen and four lower-case letters)."""
    return FDA_SUFFIX.sub("", name.strip())


def drug_key(name: str) -> str:
    """The key a drug is known by across documents."""
    return term_slug(normalise_term(strip_fda_suffix(name.strip()).lower()))


_NOT_NAME = re.compile(r"[\W_]+")


def spelling_key(name: str) -> str:
    """A drug name as written, up to case, punctuation, spacing and an FDA suffix
    (``Tbo-filgrastim`` and ``tbo filgrastim``; ``Examplumab-abcd`` and ``examplumab``):
    the key of exact name matches against an outside dictionary. Unlike `drug_key` it folds
    no plural and drops no letter, so ``immunoglobulins`` never matches ``immunoglobulin``."""
    return _NOT_NAME.sub(" ", strip_fda_suffix(name.strip()).lower()).strip()


@dataclass(frozen=True)
class ConceptRef:
    """A resolved concept, and why a mention was resolved to it."""

    key: str
    label: str
    identifiers: tuple[Identifier, ...]
    basis: str  # "lexicon", "gloss", "site-reaction", "local"
    basis_source: str  # lexicon source, or the gloss's document and quote
    basis_evidence: Evidence | None = None  # the gloss the link rests on


@dataclass(frozen=True)
class _Gloss:
    term: Mention
    gloss: str


def _lexicon_ref(entry: LexiconEntry) -> ConceptRef:
    """The concept a lexicon entry names, with the name and source it matched by."""
    return ConceptRef(
        key=entry.concept,
        label=entry.label,
        identifiers=entry.identifiers,
        basis="lexicon",
        basis_source=f"{entry.matched_by!r}: {entry.match_source}",
    )


class Linker:
    """Resolves mentions to concepts with the lexicon and the glosses of a corpus."""

    def __init__(self, lexicon: Lexicon, extractions: Iterable[Extraction]):
        self.lexicon = lexicon
        self._glosses: dict[str, list[_Gloss]] = {}
        self._terms: dict[str, list[Mention]] = {}
        self._drugs: dict[str, frozenset[str]] = {}  # document -> keys of the drugs it is about
        for extraction in extractions:
            self._drugs[extraction.document.source] = _drug_keys(extraction)
            for term in _glossed_terms(extraction):
                self._terms.setdefault(normalise_term(term.text), []).append(term)
                if len(term.glosses) != 1:
                    continue  # several glosses list signs or examples, not another name
                for gloss in term.glosses:
                    self._glosses.setdefault(normalise_term(gloss), []).append(_Gloss(term, gloss))

    def _same_drug(self, one: str, other: str) -> bool:
        """Are the two documents different and both about some drug in common?"""
        return one != other and bool(
            self._drugs.get(one, frozenset()) & self._drugs.get(other, frozenset())
        )

    def concept(self, mention: Mention) -> ConceptRef:
        """The concept `mention` names (see the module docstring for the order)."""
        key = normalise_term(_SEVERITY.sub("", head_term(mention.text)))
        document = mention.evidence.document
        for gloss in self._glosses.get(key, []):
            source = gloss.term.evidence.document
            if self._same_drug(source, document):
                base = self._direct(gloss.term.text)
                if base.basis != "lexicon":  # the term as its own gloss resolves it
                    base = self._own_gloss(gloss.term) or base
                return replace(
                    base,
                    basis="gloss",
                    basis_source=(
                        f"{gloss.term.evidence.document} glosses {gloss.term.text!r} "
                        f"as {gloss.gloss!r}"
                    ),
                    basis_evidence=gloss.term.evidence,
                )
        direct = self._direct(head_term(mention.text))
        if direct.basis == "lexicon":
            return direct
        return self._own_gloss(mention) or self._site_reaction(mention) or direct

    def _own_gloss(self, mention: Mention) -> ConceptRef | None:
        """The lexicon concept the mention's single one-term gloss names, or None: not
        when the term is a category the gloss is one example of ("kidney problems"), or
        holds a word that makes it more or less than its gloss ("certain", "risk",
        "following"), or joins two terms ("a/b"); and not for a gloss that describes
        ("a skin rash") or lists."""
        if len(mention.glosses) != 1 or "/" in mention.text:
            return None
        gloss = mention.glosses[0].strip()
        if not _ONE_TERM.fullmatch(gloss) or _LIST_WORDS.search(gloss) or _ARTICLE.match(gloss):
            return None  # a list, an example or a description ("a skin rash"), not a name
        words = normalise_term(head_term(mention.text)).split()
        kinds = gloss_words()
        if not words or words[-1] in kinds.get("category-head", frozenset()):
            return None
        if kinds.get("narrowing", frozenset()) & set(mention.text.lower().split()):
            return None
        entry = self.lexicon.lookup(gloss)
        if entry is None:
            return None
        base = _lexicon_ref(entry)
        return replace(
            base,
            basis="gloss",
            basis_source=(
                f"{mention.evidence.document} glosses {mention.text!r} as {gloss!r}, "
                f"{base.basis_source}"
            ),
            basis_evidence=mention.evidence,
        )

    def _direct(self, text: str) -> ConceptRef:
        entry = self.lexicon.lookup(text) or self.lexicon.lookup(_SEVERITY.sub("", text))
        if entry is not None:
            return _lexicon_ref(entry)
        label = normalise_term(text)
        return ConceptRef(
            key=term_slug(label), label=label, identifiers=(), basis="local", basis_source=""
        )

    def _site_reaction(self, mention: Mention) -> ConceptRef | None:
        """``pain or swelling at the infusion site`` -> the concept of a term
        ``infusion site reactions (pain, swelling)`` elsewhere whose glosses
        include every sign named."""
        match = _AT_SITE.match(_SEVERITY.sub("", mention.text.strip()))
        if not match:
            return None
        signs = {
            normalise_term(s) for s in re.split(r",\s*|\s+or\s+|\s+and\s+", match["signs"]) if s
        }
        site = normalise_term(match["site"])
        for key, terms in sorted(self._terms.items()):
            reaction = _SITE_REACTION.match(key)
            if not reaction or normalise_term(reaction["site"]) != site:
                continue
            for term in terms:
                source = term.evidence.document
                if not self._same_drug(source, mention.evidence.document):
                    continue
                glossed = {normalise_term(g) for g in term.glosses}
                if signs and signs <= glossed:
                    return replace(
                        self._direct(term.text),
                        basis="site-reaction",
                        basis_source=(
                            f"{term.evidence.document}: {term.evidence.quote!r} names the signs "
                            f"{sorted(signs)} at the {site}"
                        ),
                        basis_evidence=term.evidence,
                    )
        return None

    def route(self, mention: Mention) -> ConceptRef | None:
        """The route concept a route word names in the route vocabulary; None for a word the
        vocabulary lacks (the graph keeps it as written, never as a made-up concept)."""
        hit = self.lexicon.route(mention.text)
        if hit is None:
            return None
        return ConceptRef(
            key=hit.concept,
            label=hit.label,
            identifiers=self.lexicon.identifiers.get(hit.concept, ()),
            basis="lexicon",
            basis_source=f"{hit.spelling!r}: {hit.source} (data/terminology/routes.csv)",
        )


def _drug_keys(extraction: Extraction) -> frozenset[str]:
    """Keys of the drugs a document is about: its drug, that drug's other names and
    components."""
    keys: set[str] = set()
    for drug in extraction.drugs:
        keys.add(drug_key(drug.name.text))
        keys.update(drug_key(m.text) for m in drug.other_names + drug.components)
        if drug.generic_name is not None:
            keys.add(drug_key(drug.generic_name.text))
    return frozenset(keys)


def _glossed_terms(extraction: Extraction) -> Iterable[Mention]:
    """Mentions of conditions that may carry glosses."""
    for reaction in extraction.adverse_reactions:
        yield reaction.reaction
    for contraindication in extraction.contraindications:
        yield contraindication.condition
    for warning in extraction.warnings:
        if warning.condition is not None:
            yield warning.condition
    for procedure in extraction.procedures:
        for risk in procedure.risks:
            yield risk.risk
