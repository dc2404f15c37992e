"""Side Effects section -> adverse reactions with CIOMS frequency bands.

A Side Effects section states reactions in three ways, all handled here:

* a prose list after "include": ``Common side effects (>10%) include a, b and c.``
* a lead-in sentence ending in a colon, then list items:
  ``Side effects occurring in 1-10% of patients include:`` + ``*   Headache``
* labelled items or paragraphs: ``**Very common (>10%):** a, b, c`` or ``Rare: a, b.``

The words that say how often (the *lead*: the part of a sentence before
"include", a lead-in sentence, or a label) give the band, the seriousness and
the population of every reaction they introduce. The rules:

* A number wins over a word: ``Common side effects (more than 10%)`` is
  VERY_COMMON, because >10% is CIOMS very common. Percentages and "1 in N"
  rates are turned into an interval; the band is the one CIOMS band holding
  the whole interval (``1-10%`` -> COMMON, ``>10%`` -> VERY_COMMON); an
  interval spanning several bands (``<1%``) gives no band.
* Otherwise a band word: very common, common, uncommon, rare, very rare,
  "not known" / "frequency not known" (NOT_KNOWN). "less common", "more
  common" and "post-marketing" are kept as `frequency_text` with no band.
* `serious` is True only when the lead says "serious"; otherwise None.
* A population ("in children", a ``**Children:**`` label) becomes the
  reaction's population Mention; so does a trailing "in patients with …" on
  a term ("progression to X in patients with Y": reaction "progression to X").

Terms: a trailing parenthetical is a gloss (``Paresthesia (numbness or
tingling)`` -> term "Paresthesia", glosses ("numbness or tingling",));
nested examples (``malignancies, including breast cancer``, ``reactions such
as rash``) are glosses of the term they follow, not reactions of their own.
The reaction Mention's evidence is the bare term, without its gloss; the
fact's evidence is the sentence (prose) or list item that states it.

Sentences that are not reaction lists are kept as StatementFact: "advice"
for instructions (imperatives, "should", "must"), "unstructured" otherwise.
List items under a lead-in that is itself advice ("Seek help if you have:")
are warning signs, not reactions, and are kept as advice statements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Literal

from medkg.model import (
    AdverseReactionFact,
    Band,
    Block,
    Document,
    Evidence,
    Mention,
    Section,
    StatementFact,
)
from medkg.text import Span, evidence, mention, sentences, split_list, trim

# --------------------------------------------------------------------------
# Term lists: shared with the Precautions extractor
# --------------------------------------------------------------------------

# Word endings of adjectives ("atypical", "chronic", "non-fatal", "serious") and
# common clinical modifiers without such an ending.
_ADJECTIVE_ENDINGS = (
    "al",
    "ic",
    "ac",
    "ous",
    "ive",
    "ary",
    "ile",
    "ar",
    "ed",
    "ful",
    "less",
    "able",
    "ible",
)
_MODIFIERS = frozenset(
    {
        "upper",
        "lower",
        "inner",
        "outer",
        "left",
        "right",
        "acute",
        "chronic",
        "severe",
        "mild",
        "moderate",
        "minor",
        "major",
        "fatal",
        "early",
        "late",
    }
)
_EXAMPLES_MARKER = re.compile(r",?\s+(?:including|such as|e\.g\.,?|for example,?)\s+", re.I)
_PAREN_MARKER = re.compile(r"(?:e\.g\.|i\.e\.|for example|such as|including)[,:]?\s*", re.I)


def _is_adjective(word: str) -> bool:
    word = word.lower().strip("-")
    return word in _MODIFIERS or (len(word) > 3 and word.endswith(_ADJECTIVE_ENDINGS))


def split_terms(text: str, start: int, end: int) -> list[Span]:
    """Items of a prose list, keeping coordinated adjectives together.

    Uses `split_list` (commas and semicolons separate; a bare "and" only
    separates the last item), then joins back "A and B <noun>" when the left
    part is made only of adjectives and the right part has a noun after its
    adjective: "acute and chronic renal failure" and
    "upper and lower respiratory tract infections" stay one item, while
    "hypersensitivity reactions and hyperphosphatemia" is two.
    """
    parts = split_list(text, start, end)
    merged: list[Span] = []
    for part in parts:
        if merged:
            left = merged[-1]
            gap = text[left[1] : part[0]].strip()
            left_words = text[left[0] : left[1]].split()
            right_words = text[part[0] : part[1]].split()
            if (
                gap in ("and", "or")
                and len(right_words) >= 2
                and all(_is_adjective(word) for word in left_words)
            ):
                merged[-1] = (left[0], part[1])
                continue
        merged.append(part)
    return merged


@dataclass(frozen=True)
class Term:
    """A list item split into its term and what its parentheses or examples add."""

    term: Span
    glosses: tuple[Span, ...] = ()  # "(muscle pain)", "(pain, swelling)"
    examples: tuple[Span, ...] = ()  # "(e.g., rash, hives)", ", including breast cancer"


def _closing_paren(text: str, opening: int, end: int) -> int | None:
    depth = 0
    for i in range(opening, end):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    return None


def parenthetical(text: str, start: int, end: int) -> tuple[Span, Span | None, bool]:
    """Find the first top-level parenthetical of text[start:end].

    Returns (span before it, span of its content, whether the content is a
    list of examples introduced by "e.g."/"such as"/"including"). The content
    span is None when there is no parenthetical (or it opens the item).
    """
    start, end = trim(text, start, end, " \t\n.;:*")
    opening = text.find("(", start, end)
    if opening <= start:
        return (start, end), None, False
    closing = _closing_paren(text, opening, end)
    if closing is None:
        return (start, end), None, False
    inner_start, inner_end = trim(text, opening + 1, closing, " \t\n")
    marker = _PAREN_MARKER.match(text, inner_start, inner_end)
    if marker:
        inner_start = marker.end()
    return trim(text, start, opening, " \t\n,"), (inner_start, inner_end), marker is not None


def parse_term(text: str, start: int, end: int) -> Term:
    """Split one list item into term, glosses and examples.

    "Infusion site reactions (pain, swelling)" -> term + glosses (pain, redness);
    "hypersensitivity (e.g., rash, hives)" -> term + examples. Only a
    parenthetical that ends the item is a gloss; one in the middle stays in the
    term unless it lists examples.
    """
    head, inner, is_examples = parenthetical(text, start, end)
    if inner is None:
        return Term(head)
    items = tuple(split_list(text, inner[0], inner[1]))
    if is_examples:
        return Term(head, examples=items)
    tail = trim(text, inner[1], end, " \t\n.;:*)")
    if tail[0] < tail[1]:  # text after the parenthetical: it is part of the term
        return Term(trim(text, start, end, " \t\n.;:*"))
    return Term(head, glosses=items)


def list_terms(text: str, start: int, end: int) -> list[Term]:
    """Terms of a prose list; ", including x, y" / " such as x" after an item
    are that item's examples (up to the end of the list)."""
    start, end = trim(text, start, end, " \t\n.;:*")
    depth = 0
    cut: re.Match[str] | None = None
    for i in range(start, end):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and text[i] in ", ":
            cut = _EXAMPLES_MARKER.match(text, i, end)
            if cut:
                break
    if cut is None:
        return [parse_term(text, s, e) for s, e in split_terms(text, start, end)]
    terms = [parse_term(text, s, e) for s, e in split_terms(text, start, cut.start())]
    examples = tuple(split_list(text, cut.end(), end))
    if terms:
        terms[-1] = replace(terms[-1], glosses=terms[-1].glosses + examples)
    return terms


StatementLabelKind = Literal["note", "disclaimer"]
_STATEMENT_LABELS: dict[str, StatementLabelKind] = {
    "note": "note",
    "please note": "note",
    "important": "note",
    "disclaimer": "disclaimer",
}


def statement_label_kind(text: str, start: int, end: int) -> StatementLabelKind | None:
    """ "note"/"disclaimer" when the label text[start:end] is "Note", "Disclaimer" …"""
    return _STATEMENT_LABELS.get(text[start:end].strip().lower())


_BOLD_LABEL = re.compile(r"\*\*(?P<a>[^*\n]+?):\s*\*\*\s*|\*\*(?P<b>[^*\n]+?)\*\*\s*:\s*")
_PLAIN_LABEL = re.compile(r"(?P<a>[A-Z][^:\n.]{0,50}):(?:\s+|$)")


def split_label(text: str, start: int, end: int, plain: bool = False) -> tuple[Span | None, Span]:
    """(label span, body span) of a block that opens with ``**Label:**``.

    With `plain`, an unemphasised ``Label: …`` prefix counts too (the caller
    decides whether such a label means anything).
    """
    start, end = trim(text, start, end, " \t\n")
    match = _BOLD_LABEL.match(text, start, end)
    if match is None and plain:
        match = _PLAIN_LABEL.match(text, start, end)
    if match is None:
        return None, (start, end)
    group = "a" if match.group("a") is not None else "b"
    label = (match.start(group), match.end(group))
    return label, trim(text, match.end(), end, " \t\n")


# --------------------------------------------------------------------------
# Frequency: band, wording, seriousness, population
# --------------------------------------------------------------------------

# CIOMS bands as percentage intervals, most frequent first.
_BAND_INTERVALS: tuple[tuple[Band, Decimal, Decimal], ...] = (
    (Band.VERY_COMMON, Decimal(10), Decimal(100)),
    (Band.COMMON, Decimal(1), Decimal(10)),
    (Band.UNCOMMON, Decimal("0.1"), Decimal(1)),
    (Band.RARE, Decimal("0.01"), Decimal("0.1")),
    (Band.VERY_RARE, Decimal(0), Decimal("0.01")),
)

_NUMBER = r"(\d+(?:\.\d+)?)"
_PERCENT_RANGE = re.compile(rf"{_NUMBER}\s*%?\s*(?:-|–|—|to)\s*{_NUMBER}\s*%")
_PERCENT_BOUND = re.compile(
    rf"(?P<op>more than|greater than|over|above|at least|>=|≥|>|less than|fewer than|under|"
    rf"below|up to|<=|≤|<)\s*{_NUMBER}\s*%",
    re.I,
)
_RATE = re.compile(
    r"(?:(?P<op>more than|at least|up to|less than|fewer than)\s+)?"
    r"(?P<n>\d[\d,]*)\s+in\s+(?P<m>\d[\d,]*)\b",
    re.I,
)
_PERCENT = re.compile(rf"{_NUMBER}\s*%")
_LOWER_BOUND_WORDS = ("more than", "greater than", "over", "above", "at least", ">=", "≥", ">")

_BAND_WORDS = re.compile(
    r"\b(?:very common|very rare|less common|more common|uncommon|common|rare|"
    r"frequency not known|not known|frequency unknown|unknown frequency|post-?marketing)\b",
    re.I,
)
_WORD_BANDS: dict[str, Band | None] = {
    "very common": Band.VERY_COMMON,
    "common": Band.COMMON,
    "uncommon": Band.UNCOMMON,
    "rare": Band.RARE,
    "very rare": Band.VERY_RARE,
    "frequency not known": Band.NOT_KNOWN,
    "not known": Band.NOT_KNOWN,
    "frequency unknown": Band.NOT_KNOWN,
    "unknown frequency": Band.NOT_KNOWN,
}
_SERIOUS = re.compile(r"(?<!non-)(?<!not )\bserious\b", re.I)
_POPULATION_WORDS = (
    r"(?:(?:pediatric|paediatric|adult|elderly|older|young|adolescent)\s+patients|children|"
    r"adults|adolescents|teenagers|infants|neonates|newborns|the elderly|elderly people|"
    r"older adults|older people|women|men)"
)
_POPULATION_IN_LEAD = re.compile(rf"\b(?:in|among|for)\s+(?P<who>{_POPULATION_WORDS})\b", re.I)
_POPULATION_LABEL = re.compile(rf"{_POPULATION_WORDS}\b", re.I)


def band_for_interval(low: Decimal, high: Decimal) -> Band | None:
    """The CIOMS band holding the whole percentage interval [low, high], if one does."""
    for band, band_low, band_high in _BAND_INTERVALS:
        if low >= band_low and high <= band_high:
            return band
    return None


def _percent_interval(text: str, start: int, end: int) -> tuple[Decimal, Decimal, Span] | None:
    """The first stated rate in text[start:end] as a percentage interval and its span."""
    found: list[tuple[int, Decimal, Decimal, Span]] = []
    match = _PERCENT_RANGE.search(text, start, end)
    if match:
        low, high = Decimal(match.group(1)), Decimal(match.group(2))
        found.append((match.start(), low, high, match.span()))
    match = _PERCENT_BOUND.search(text, start, end)
    if match:
        value = Decimal(match.group(2))
        if match.group("op").lower() in _LOWER_BOUND_WORDS:
            found.append((match.start(), value, Decimal(100), match.span()))
        else:
            found.append((match.start(), Decimal(0), value, match.span()))
    match = _RATE.search(text, start, end)
    if match and int(match.group("m").replace(",", "")) > 0:
        value = (
            Decimal(100)
            * Decimal(match.group("n").replace(",", ""))
            / Decimal(match.group("m").replace(",", ""))
        )
        op = (match.group("op") or "").lower()
        if op in ("more than", "at least"):
            found.append((match.start(), value, Decimal(100), match.span()))
        elif op:
            found.append((match.start(), Decimal(0), value, match.span()))
        else:
            found.append((match.start(), value, value, match.span()))
    match = _PERCENT.search(text, start, end)
    if match:
        value = Decimal(match.group(1))
        found.append((match.start(), value, value, match.span()))
    if not found:
        return None
    # Earliest wins; at the same position the longer (range/bound) reading wins.
    found.sort(key=lambda item: (item[0], -(item[3][1] - item[3][0])))
    _, low, high, span = found[0]
    return low, high, span


@dataclass(frozen=True)
class Frequency:
    """What a lead says about the reactions it introduces."""

    band: Band | None = None
    frequency_text: str | None = None
    serious: bool | None = None
    population: Mention | None = None

    def over(self, inherited: Frequency) -> Frequency:
        """This frequency, with fields it does not state taken from `inherited`."""
        stated_band = self.frequency_text is not None
        return Frequency(
            band=self.band if stated_band else inherited.band,
            frequency_text=self.frequency_text if stated_band else inherited.frequency_text,
            serious=self.serious if self.serious is not None else inherited.serious,
            population=self.population or inherited.population,
        )

    @property
    def says_anything(self) -> bool:
        return (
            self.frequency_text is not None
            or self.serious is not None
            or self.population is not None
        )


def read_frequency(
    document: Document, section: str, start: int, end: int, is_label: bool = False
) -> Frequency:
    """Band, wording, seriousness and population stated in a lead span.

    A label that names a population ("Children (6 months and older)") is the
    population itself; in a lead sentence it must follow "in"/"among"/"for".
    """
    text = document.text
    band: Band | None = None
    frequency_text: str | None = None
    interval = _percent_interval(text, start, end)
    if interval is not None:
        low, high, (s, e) = interval
        band = band_for_interval(low, high)
        frequency_text = text[s:e].lower()
    else:
        word = _BAND_WORDS.search(text, start, end)
        if word:
            frequency_text = word.group(0).lower()
            band = _WORD_BANDS.get(frequency_text)
    serious = True if _SERIOUS.search(text, start, end) else None
    population: Mention | None = None
    who = _POPULATION_IN_LEAD.search(text, start, end)
    if who:
        population = mention(document, section, who.start("who"), who.end("who"))
    elif is_label:
        label = _POPULATION_LABEL.match(text, *trim(text, start, end))
        if label:
            population = mention(document, section, start, end)
    return Frequency(band, frequency_text, serious, population)


# --------------------------------------------------------------------------
# Sentences and blocks
# --------------------------------------------------------------------------

_REACTION_NOUN = re.compile(
    r"\b(?:side[ -]effects?|adverse (?:reactions?|effects?|events?)|undesirable effects?|"
    r"reactions)\b",
    re.I,
)
_INCLUDE = re.compile(r"\b(?:include|includes)\b\s*:?", re.I)
_ADVICE = re.compile(
    r"^(?:contact|call|seek|stop|tell|report|talk|ask|consult|see|get|inform|notify|"
    r"do not|don't|avoid|keep|go)\b|\b(?:should|must)\b",
    re.I,
)
_FINITE_VERB = re.compile(
    r"\b(?:should|must|may|might|can|could|will|would|is|are|was|were|has|have|had|does|do|"
    r"did|occurs?|happens?|contact|call|seek|stop|tell|report)\b",
    re.I,
)


def _ends_with_colon(text: str, start: int, end: int) -> bool:
    s, e = trim(text, start, end, " \t\n*_")
    return s < e and text[e - 1] == ":"


def is_advice(text: str, start: int, end: int) -> bool:
    """An instruction: opens with an imperative ("Contact …", "Do not …") or says should/must."""
    s, e = trim(text, start, end)
    return _ADVICE.search(text[s:e]) is not None


def block_evidence(document: Document, section: str, start: int, end: int) -> Evidence:
    """Evidence for a whole block or sentence; an opening ``**Label:**`` keeps its
    emphasis markers so the quote stays balanced (`evidence` would cut one side)."""
    s, e = trim(document.text, start, end, " \t\n")
    if _BOLD_LABEL.match(document.text, s, e) is None or document.text.count("**", s, e) % 2:
        return evidence(document, section, s, e)
    return Evidence(document.source, section, document.text[s:e], s, e)


def _statement(
    document: Document, section: str, start: int, end: int, advice: bool = False
) -> StatementFact:
    kind: Literal["advice", "unstructured"] = (
        "advice" if advice or is_advice(document.text, start, end) else "unstructured"
    )
    return StatementFact(kind=kind, evidence=block_evidence(document, section, start, end))


_TERM_POPULATION = re.compile(
    r"\s+in\s+(?P<who>(?:patients|people|persons|individuals|those|children|adults|women|men)"
    r"\b[^()]*)$",
    re.I,
)


def _split_population(document: Document, section: str, term: Span) -> tuple[Span, Mention | None]:
    """ "progression to X in patients with Y" -> term "progression to X", population
    "patients with Y": a trailing "in <people> …" says who, not what."""
    match = _TERM_POPULATION.search(document.text[term[0] : term[1]])
    if match is None or match.start() == 0:
        return term, None
    who = mention(document, section, term[0] + match.start("who"), term[0] + match.end("who"))
    return (term[0], term[0] + match.start()), who


@dataclass
class _Collector:
    document: Document
    section: str
    reactions: list[AdverseReactionFact]
    statements: list[StatementFact]

    def add_terms(self, start: int, end: int, fact_span: Span, frequency: Frequency) -> None:
        """One reaction per term of the list in text[start:end]."""
        text = self.document.text
        fact_evidence = block_evidence(self.document, self.section, *fact_span)
        for term in list_terms(text, start, end):
            glosses = tuple(text[s:e] for s, e in term.glosses + term.examples)
            term_span, population = _split_population(self.document, self.section, term.term)
            reaction = mention(self.document, self.section, *term_span, glosses=glosses)
            if not reaction.text:
                continue
            self.reactions.append(
                AdverseReactionFact(
                    reaction=reaction,
                    evidence=fact_evidence,
                    band=frequency.band,
                    frequency_text=frequency.frequency_text,
                    serious=frequency.serious,
                    population=population or frequency.population,
                )
            )

    def statement(self, start: int, end: int, advice: bool = False) -> None:
        self.statements.append(_statement(self.document, self.section, start, end, advice))


def _looks_like_sentence(text: str, start: int, end: int) -> bool:
    """A list item that says something ("Nausea may occur") rather than naming terms."""
    return _FINITE_VERB.search(text, start, end) is not None


def _label(collector: _Collector, span: Span, inherited: Frequency) -> tuple[bool, Frequency]:
    """Handle the first sentence of a block when it opens with a label.

    Returns (handled, frequency the label sets). A bold label always counts;
    a plain "Word:" prefix only when it says a frequency, seriousness or
    population ("Rare: …", not "Nausea: mild"). "Note:"/"Disclaimer:" blocks
    are statements of that kind.
    """
    document, section, text = collector.document, collector.section, collector.document.text
    label, body = split_label(text, *span, plain=True)
    if label is None:
        return False, inherited
    kind = statement_label_kind(text, *label)
    if kind is not None:
        collector.statements.append(
            StatementFact(kind=kind, evidence=block_evidence(document, section, *span))
        )
        return True, inherited
    stated = read_frequency(document, section, *label, is_label=True)
    bold = text.startswith("**", trim(text, *span, " \t\n")[0])
    if not stated.says_anything and not bold:
        return False, inherited
    frequency = stated.over(inherited)
    if body[0] >= body[1]:
        return True, frequency  # "**Common:**" alone introduces the items below it
    if _looks_like_sentence(text, *body):
        collector.statement(*span)
    else:
        collector.add_terms(*body, span, frequency)
    return True, frequency


def _sentence(collector: _Collector, start: int, end: int) -> Frequency | None:
    """Handle one sentence of a paragraph; return the frequency it sets for
    following list items when it is a lead-in ending in a colon."""
    document, section = collector.document, collector.section
    text = document.text
    noun = _REACTION_NOUN.search(text, start, end)
    include = _INCLUDE.search(text, noun.end(), end) if noun else None
    if noun and include:
        frequency = read_frequency(document, section, start, include.start())
        list_start, list_end = trim(text, include.end(), end, " \t\n.:*")
        if list_start < list_end:
            collector.add_terms(list_start, list_end, (start, end), frequency)
            return None
        return frequency
    if _ends_with_colon(text, start, end):
        if is_advice(text, start, end):
            collector.statement(start, end)
            return _WARNING_SIGNS
        return read_frequency(document, section, start, end)
    collector.statement(start, end)
    return None


# A lead-in that is advice ("Seek help if you notice:"): its items are warning signs.
_WARNING_SIGNS = Frequency(frequency_text="warning signs")


def _item(collector: _Collector, block: Block, inherited: Frequency) -> Frequency | None:
    """Handle a list item; return the frequency its label sets for deeper items."""
    text = collector.document.text
    if inherited is _WARNING_SIGNS:
        collector.statement(block.start, block.end, advice=True)
        return None
    spans = sentences(text, block.start, block.end) or [(block.start, block.end)]
    handled, frequency = _label(collector, spans[0], inherited)
    if not handled:
        if _looks_like_sentence(text, *spans[0]):
            collector.statement(*spans[0])
        else:
            collector.add_terms(*spans[0], spans[0], inherited)
    for start, end in spans[1:]:
        _sentence(collector, start, end)
    return frequency if handled else None


def _paragraph(collector: _Collector, block: Block) -> Frequency:
    """Handle a paragraph; return the frequency it sets for the items after it."""
    lead = Frequency()
    spans = sentences(collector.document.text, block.start, block.end)
    for number, (start, end) in enumerate(spans):
        if number == 0:
            handled, frequency = _label(collector, (start, end), lead)
            if handled:
                lead = frequency
                continue
        lead = _sentence(collector, start, end) or Frequency()
    return lead


def extract_adverse_reactions(
    document: Document, section: Section
) -> tuple[tuple[AdverseReactionFact, ...], tuple[StatementFact, ...]]:
    """Adverse reactions and leftover statements of a Side Effects section.

    Blocks are read in order. A paragraph is split into sentences; a sentence
    with a prose list after "include" gives reactions, a sentence ending in a
    colon is a lead-in whose frequency applies to the list items after it
    (until the next paragraph). A labelled block (``**Common (1-10%):** a, b``)
    gives its own frequency to its terms and to deeper items below it.
    """
    collector = _Collector(document, section.name, [], [])
    lead = Frequency()  # set by the last paragraph
    labels: dict[int, Frequency] = {}  # depth -> frequency set by a labelled item
    for block in section.blocks:
        if block.kind != "item":
            labels = {}
            lead = _paragraph(collector, block)
            continue
        labels = {depth: f for depth, f in labels.items() if depth < block.depth}
        inherited = labels[max(labels)] if labels else lead
        frequency = _item(collector, block, inherited)
        if frequency is not None:
            labels[block.depth] = frequency
    return tuple(collector.reactions), tuple(collector.statements)
