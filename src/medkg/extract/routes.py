"""Route words in a span of text, and the routes a dosing clause states.

The spellings are the route vocabulary's (`medkg.route_vocabulary`,
``data/terminology/routes.csv``); what follows is grammar, and nothing here
knows a drug or a route:

* **Route words.** Every spelling of the vocabulary, as a whole word (longest
  first; exact-case spellings only as written). A spelling marked "before a
  dosing word" counts only where the text goes on with a dosing word (a form,
  "dose", "use", "route", "administration" …), a label's colon or closing
  bracket, or another route word of the same list ("oral tablets", "Nasal:",
  "(Oral)", "oral or IV"). A Roman numeral spelling (``IV``) after "stage",
  "type", "class", "grade", "phase" … or next to another numeral ("stage III or
  IV") is a numeral, not a route.
* **Routes the vocabulary lacks** are found by their shape: an adjective with
  a route prefix (intra-, peri-, epi-, sub-, trans-, retro-, endo-, extra-,
  para-, supra-, inter-) right before "route", "use", "injection", "infusion",
  "administration", "instillation" or "implantation" ("intraosseous
  infusion"). Linking keeps such a word as the regimen's route text, with no
  concept.
* **Glosses.** A route word in brackets right after a route word of the same
  route ("Intravenous (IV)", "intramuscular [IM]") is that word's gloss, not a
  second route.
* **Lists.** Route words joined by "or", "and/or", "/" or a comma list that ends
  in one of those ("IV or IM", "IM/SubQ", "IV, IM or SubQ") are alternatives:
  one list, every member a route. "and" does not join ("IV and then oral" is
  two phases).
* **Negation.** A list is not a route of the clause when a negation comes
  before it in the same comma-free stretch, with no "if", "when", "but",
  "only" … between, at most five words before it not counting route words and
  "or" ("not for intravenous use", "should not be given intramuscularly", "is
  not available in an IV formulation", "neither X nor Y is given
  intravenously", "not meant to be taken orally or administered
  intravenously"); "no" and "without" only right before it ("no oral form"),
  "avoid" at most two words before ("avoid IM injection"). It is not one
  either when the stretch after it says it is not used ("IV administration is
  not recommended", "oral use is not possible", "is not a typical route", "IV
  administration does not exist", "IM use should be avoided", "intrathecal
  administration is contraindicated"). Limits are not negations: "not
  exceed", "no more than", "should not be given faster than".
* **Other administrations.** A list at most three words after "switch /
  transition / change / convert … to", "step down to", "after", "before",
  "following", "prior to", "alternative to", "instead of", "rather than", "in
  place of", "compared with", "than the" or "(together) with" is the route of another
  administration (a later phase, an earlier one, one compared with), not of
  this clause's dose. So is every list of a sentence that speaks of a
  combination's components on their own ("each available separately as IV
  medications", "not in this combination").

The routes of a clause are its first list that is neither negated nor
another administration's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from medkg.route_vocabulary import RouteVocabulary, bundled_routes
from medkg.text import Span

_DOSING_WORDS = (
    r"routes?|use|administration|application|doses?|dosages?|"
    r"dosing|therapy|treatment|regimens?|formulations?|forms?|preparations?|products?|"
    r"medications?|tablets?|caplets?|capsules?|solutions?|suspensions?|syrups?|liquids?|drops|"
    r"sprays?|gels?|creams?|ointments?|lotions?|foams?|suppositor(?:y|ies)|pessar(?:y|ies)|"
    r"inserts?|rings?|films?|powders?|granules|patch(?:es)?|injections?|infusions?|inhalations?|"
    r"inhalers?|instillations?|lozenges?|troches?|wafers?|strips?|rinses?|washes|mouthwash|"
    r"pastes?|emulsions?|elixirs?|concentrates?|bolus"
)
# After a "before a dosing word" spelling: a dosing word (at most two words later), or a
# label's colon / closing bracket (a parenthetical may come first: "Oral (Extended-Release):").
_RELEASE = r"(?:immediate|extended|sustained|modified|delayed|controlled|prolonged)[- ]release"
_DOSING_CONTEXT = re.compile(
    rf"(?:[\s*]*\([^()\n]*\)|,?\s+{_RELEASE})?[\s*]*[:)\]]"
    rf"|(?:\s*[-–]\s*|\s+)(?:[\w-]+\s+){{0,2}}?(?:{_DOSING_WORDS})\b",
    re.IGNORECASE,
)
_ROMAN = re.compile(r"[IVXL]+")
_NUMERAL_BEFORE = re.compile(
    r"(?:\b(?i:stage|type|class|grade|phase|part|schedule|category|level|factor|group|cycle|"
    r"tier|section|subtype|genotype|chapter|collagen|NYHA|WHO)\s+|\b[IVXL]+\s*(?:,|/|-|–|or|"
    r"and|to)\s*)$"
)
# ("IV or I.M.": a dotted abbreviation after it is no numeral)
_NUMERAL_AFTER = re.compile(
    r"\s*(?:/|-|–|or|to)\s*[IVXL]+\b(?!\s*[A-Za-z]|\.[A-Za-z])|\s*[IVXL]+\b(?!\.[A-Za-z])"
)
_UNKNOWN = re.compile(
    r"(?<![A-Za-z0-9-])(?:intra|peri|epi|sub|trans|retro|endo|extra|para|supra|inter)-?[a-z]{3,}?"
    r"(?:al|ar|ary|ous|ic|eal|ial)(?=\s+(?:route|use|injections?|infusions?|administration|"
    r"instillations?|implantation)\b)",
    re.IGNORECASE,
)
_GLOSS_OPEN = re.compile(r"\s*[(\[]\s*")
_GLOSS_CLOSE = re.compile(r"\s*[)\]]")
# Between two members of one list: "or", "and/or", "/", or a comma (valid only when the
# list ends with one of the others: "IV, IM or SubQ").
_JOIN = re.compile(r"\s*(?:(?P<comma>,)\s*(?:(?:and/)?or\s+)?|/\s*|(?:and/)?or\s+)", re.IGNORECASE)

_CUES = re.compile(
    r"\b(?P<near>no|without)\b|\b(?P<avoid>avoid(?:ed|ing|s)?)\b|"
    r"\b(?:not|never|cannot|neither|nor)\b|n't\b",
    re.IGNORECASE,
)
_LIMIT = re.compile(
    r"\s*(?:to\s+)?(?:be\s+)?(?:(?:given|infused|administered|injected|pushed|used)\s+)?"
    r"(?:exceed\w*|more|less|longer|fewer|faster|greater|higher|rapidly|quickly|over\s+less)\b",
    re.IGNORECASE,
)
# Words that start a condition or a contrast: a negation does not reach across them.
_CONDITION = (
    r"if|when|whenever|while|whereas|unless|but|only|although|though|because|since|until|where"
)
_SCOPE_BREAK = re.compile(
    rf"[,;:.!?()]|\b(?:{_CONDITION}|instead|rather|then|after|before|during)\b",
    re.IGNORECASE,
)
_NEGATED_AFTER = re.compile(
    r"(?:\s*[(\[][^()\[\]]*[)\]])?"
    rf"(?:\s+(?!(?:{_CONDITION})\b)[\w/-]+){{0,4}}?\s+(?:"
    r"(?:is|are|was|were|should|must|can|may|could|will|would)\s+(?:\w+ly\s+)?(?:not|never)\s+"
    r"(?:be\s+)?"
    r"(?:\w+ly\s+)?(?:used|given|administered|recommended|available|applicable|approved|"
    r"indicated|intended|suitable|advised|possible|feasible|appropriate|tolerated|injected|"
    r"infused|taken|meant|studied|established)\b"
    r"|(?:is|are)\s+not\s+(?:an?\s+|the\s+)?(?:\w+ly\s+)?(?:common|typical|usual|standard|"
    r"routine|preferred|option|route|form)\b"
    r"|(?:does|do)\s+not\s+(?:exist|apply)\b"
    r"|(?:is\s+|are\s+)?contraindicated\b"
    r"|(?:should|must|is|are)\s+(?:\w+ly\s+)?(?:be\s+)?avoided\b"
    r"|(?:is\s+|are\s+)?not\s+recommended\b)",
    re.IGNORECASE,
)
# A rate limit after the route ("not be given intravenously faster than …") is no negation.
_RATE_AFTER = re.compile(
    r"\s*(?:faster|more\s+(?:rapidly|quickly)|over\s+less|at\s+(?:a\s+)?rate\s+(?:of\s+)?"
    r"(?:more|greater|faster))\b",
    re.IGNORECASE,
)
_STRETCH_END = re.compile(r"[,;:.!?](?:\s|$)|[;!?]")
# Right before a list, words that make it the route of another administration: a later
# phase ("switch to oral"), an earlier one ("after IV treatment", "after an oral dose") or
# one compared with ("an alternative to IV administration", "rather than IM") or given
# alongside ("often with an initial oral dose", "with oral prednisone").
_ANOTHER = re.compile(
    r"\b(?:(?:switch(?:ed|es|ing)?|transition(?:ed|s|ing)?|chang(?:e|ed|es|ing)|"
    r"convert(?:ed|s|ing)?|step(?:ped|ping|s)?\s+down)\s+(?:over\s+|back\s+)?to|"
    r"after|before|following|prior\s+to|alternatives?\s+to|instead\s+of|rather\s+than|"
    r"in\s+place\s+of|as\s+opposed\s+to|compared\s+(?:to|with)|than\s+(?:the|an?|with)|"
    r"(?:together\s+|along\s+|in\s+combination\s+)?with)"
    r"(?:\s+(?!(?:and|or|but)\b)[\w-]+){0,3}?\s+$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[\w/-]+")
# In the same span, words that make every list the route of another product: the components
# of a combination given on their own ("each available separately as IV medications",
# "sometimes given IV separately").
_OTHER_PRODUCT = re.compile(
    r"\b(?:available|marketed|sold|given|administered|used|taken)\s+(?:\w+\s+)?separately\b"
    r"|\bnot\s+(?:in|as|with|for)\s+(?:(?:this|the)\s+)?(?:fixed[- ]dose\s+)?"
    r"combin(?:ation|ed\s+(?:form|product))\b|\bindividual(?:ly)?\s+components?\b|\beach\s+(?:component|ingredient)s?\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class RouteWord:
    """A route word as written: its span, the gloss it carries, whether the vocabulary knows it."""

    start: int
    end: int
    known: bool  # a spelling of the vocabulary; else found by its shape (no concept)
    gloss: Span | None = None  # a bracketed route word of the same route right after it

    @property
    def span(self) -> Span:
        return (self.start, self.end)

    @property
    def stop(self) -> int:
        """Where the word and its gloss end (the closing bracket included)."""
        return self.end if self.gloss is None else self.gloss[1]


@dataclass(frozen=True)
class RouteList:
    """Route words given as alternatives ("IV or IM"), and whether they are this clause's."""

    words: tuple[RouteWord, ...]
    negated: bool
    another: bool  # the route of another administration ("switch to oral", "after IV …")


def route_words(
    text: str, start: int, end: int, vocabulary: RouteVocabulary | None = None
) -> list[RouteWord]:
    """Every route word in text[start:end], glosses folded into the word they gloss."""
    vocabulary = vocabulary or bundled_routes()
    found: list[tuple[int, int, bool, bool]] = []  # start, end, known, needs a dosing word
    for match in vocabulary.pattern.finditer(text, start, end):
        spelling = vocabulary.lookup(match.group())
        if spelling is None or _is_numeral(text, match.start(), match.end(), start):
            continue
        found.append((match.start(), match.end(), True, spelling.needs_dosing_word))
    for match in _UNKNOWN.finditer(text, start, end):
        if not any(s < match.end() and match.start() < e for s, e, _, _ in found):
            found.append((match.start(), match.end(), False, False))
    found.sort()
    words: list[RouteWord] = []
    conditional: list[bool] = []
    index = 0
    while index < len(found):
        s, e, known, needs = found[index]
        gloss = _gloss(text, vocabulary, found, index)
        words.append(RouteWord(s, e, known, gloss))
        conditional.append(needs)
        index += 2 if gloss is not None else 1
    # A conditional word counts before a dosing word, or when it is listed with one that counts.
    keep = [True] * len(words)
    for i in range(len(words) - 1, -1, -1):
        if conditional[i] and not _DOSING_CONTEXT.match(text, words[i].stop):
            joined = i + 1 < len(words) and _joined(text, words[i], words[i + 1]) is not None
            keep[i] = joined and keep[i + 1]
    return [word for word, kept in zip(words, keep, strict=True) if kept]


def route_lists(
    text: str, start: int, end: int, vocabulary: RouteVocabulary | None = None
) -> list[RouteList]:
    """The route words of text[start:end] grouped into lists of alternatives, in order."""
    words = route_words(text, start, end, vocabulary)
    groups: list[list[RouteWord]] = []
    commas: list[list[bool]] = []
    for word in words:
        join = _joined(text, groups[-1][-1], word) if groups else None
        if join is None:
            groups.append([word])
            commas.append([])
        else:
            groups[-1].append(word)
            commas[-1].append(join == ",")
    lists: list[RouteList] = []
    for group, comma in zip(groups, commas, strict=True):
        # "IV, oral dosing …": a comma joins only a list that ends with "or" or "/"
        while comma and comma[-1]:
            lists.append(_route_list(text, start, end, [group.pop()], words))
            comma.pop()
        lists.append(_route_list(text, start, end, group, words))
    lists.sort(key=lambda found: found.words[0].start)
    return lists


def stated_routes(
    text: str, start: int, end: int, vocabulary: RouteVocabulary | None = None
) -> tuple[RouteWord, ...]:
    """The routes text[start:end] gives its dose: its first list that is neither negated nor
    another administration's."""
    return first_stated(route_lists(text, start, end, vocabulary))


def first_stated(lists: list[RouteList]) -> tuple[RouteWord, ...]:
    """The words of the first of `lists` that is neither negated nor another administration's."""
    for found in lists:
        if not found.negated and not found.another:
            return found.words
    return ()


def _route_list(
    text: str, start: int, end: int, words: list[RouteWord], every: list[RouteWord]
) -> RouteList:
    first, last = words[0], words[-1]
    stop = _STRETCH_END.search(text, last.stop, end)
    after = text[last.stop : stop.start() if stop else end]
    negated = (
        _negated_before(text, start, first.start, every) and not _RATE_AFTER.match(text, last.stop)
    ) or _NEGATED_AFTER.match(after) is not None
    return RouteList(
        words=tuple(words),
        negated=negated,
        another=_ANOTHER.search(text, start, first.start) is not None
        or _OTHER_PRODUCT.search(text, *_sentence(text, start, end, first.start, last.stop))
        is not None,
    )


_SENTENCE_END = re.compile(r"[.!?;](?=\s|$)")


def _sentence(text: str, start: int, end: int, first: int, last: int) -> Span:
    """The sentence of text[start:end] that holds text[first:last]."""
    opening = start
    for stop in _SENTENCE_END.finditer(text, start, first):
        opening = stop.end()
    closing = _SENTENCE_END.search(text, last, end)
    return opening, closing.end() if closing else end


def _negated_before(text: str, start: int, at: int, every: list[RouteWord]) -> bool:
    """Is there a negation cue close enough before `at`, in the same stretch? Route words
    and "or" between the cue and `at` do not count ("not … orally or … intravenously")."""
    for cue in _CUES.finditer(text, max(start, at - 160), at):
        between = text[cue.end() : at]
        if _SCOPE_BREAK.search(between) or _LIMIT.match(text, cue.end()):
            continue
        counted = [
            word
            for word in _WORD.finditer(text, cue.end(), at)
            if word.group().lower() not in ("or", "nor")
            and not any(w.start <= word.start() < w.stop for w in every)
        ]
        limit = 0 if cue.group("near") else 2 if cue.group("avoid") else 5
        if len(counted) <= limit:
            return True
    return False


def _joined(text: str, first: RouteWord, second: RouteWord) -> str | None:
    """How `second` joins `first` into one list: "," or "or" (also "/"), or None."""
    join = _JOIN.fullmatch(text, first.stop, second.start)
    if join is None:
        return None
    return "," if join.group("comma") and not re.search(r"\bor\b", join.group(), re.I) else "or"


def _gloss(
    text: str, vocabulary: RouteVocabulary, found: list[tuple[int, int, bool, bool]], index: int
) -> Span | None:
    """The bracketed route word right after found[index] when it names the same route."""
    if index + 1 >= len(found):
        return None
    s, e, known, _ = found[index]
    gs, ge, gloss_known, _ = found[index + 1]
    opening = _GLOSS_OPEN.match(text, e)
    closing = _GLOSS_CLOSE.match(text, ge)
    if not (known and gloss_known and opening and opening.end() == gs and closing):
        return None
    word, gloss = vocabulary.lookup(text[s:e]), vocabulary.lookup(text[gs:ge])
    if word is None or gloss is None or word.concept != gloss.concept:
        return None
    return (gs, closing.end())


def _is_numeral(text: str, start: int, end: int, floor: int) -> bool:
    """Is the (Roman-numeral-shaped) word a numeral here: "stage IV", "III or IV"?"""
    if not _ROMAN.fullmatch(text, start, end):
        return False
    before = text[max(floor, start - 40) : start]
    return bool(_NUMERAL_BEFORE.search(before)) or bool(_NUMERAL_AFTER.match(text, end))
