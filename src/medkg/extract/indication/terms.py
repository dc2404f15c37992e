"""The conditions named in the object of a use: one `Term` per condition.

`conditions` reads a span such as "allergic conditions such as hay fever
(allergic rhinitis), urticaria (hives), and other allergic reactions" or
"long-term maintenance treatment of airflow obstruction":

* **Where the list ends.** The object is a list cut at commas; it ends
  before a piece that opens a new clause: an article ("…, a condition
  where"), a pronoun, a relative or subordinating word ("which", "when",
  "particularly", "especially", "while", "as"), an adverb ending in "-ly", or a
  verb ("reducing the risk", "helps …"). A semicolon ends it too.
* **Examples.** "X such as / including / like / e.g. A, B and C" gives X and
  each example A, B, C; a generic X ("conditions", "things", "symptoms",
  "various conditions") gives only the examples, and a generic tail of X
  ("pain from things like …") is dropped. Examples in a parenthesis
  ("(e.g., A, B)") are conditions too.
* **Leading words.** Articles and vague determiners ("a wide range of",
  "various", "certain", "other") go; a leading treatment phrase ("long-term
  maintenance treatment of", "temporary relief of", "prevention of",
  "symptoms of") becomes the term's qualifier, without the bare treating noun
  ("treatment of" alone gives none).
* **Coordination.** "and"/"or" between two items splits them, except: a
  short left part before a right part with a preposition ("pain and
  inflammation associated with X") or a short right part after a left part
  with one ("pain of osteoarthritis and rheumatoid arthritis") stays one
  condition; modifiers coordinated before a shared head take the head
  ("severe or refractory hypertension", "skin and soft tissue infections",
  "respiratory, genitourinary and skin infections"; head nouns and body parts
  are words of `indication-words.csv`); a head with a preposition distributes
  over a list of short objects ("deficiencies in iron, folate and zinc" ->
  deficiency in iron, deficiency in folate, deficiency in zinc). A bare
  modifier left without a head is never a condition.
* **What is never a condition.** A generic head or pronoun alone ("this
  specific condition", "these conditions", "various conditions", "this
  purpose"), a body function or goal ("nerve function", "energy
  metabolism"); a trailing phrase that points back ("caused by these
  organisms") is dropped from the condition.

`Term.text` is the condition in the document's words (with a distributed head
joined on); `Term.span` is where it is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from medkg.extract.indication.cues import TREATING_VERBS, words_of
from medkg.extract.indication.filters import (
    ends_in_head,
    is_generic,
    is_modifier,
    not_a_condition,
    plain_words,
)
from medkg.text import Span, paren_depth_pieces, singular, split_gloss, split_list, trim

_STRIP = " \t\n.,;:*_"


@dataclass(frozen=True)
class Term:
    text: str
    span: Span
    glosses: tuple[str, ...] = ()
    qualifier: Span | None = None


_COMMA = re.compile(r"\s*,\s*")
_SEPARATOR = re.compile(
    r"\s*[,;]\s*(?:(?:and/or|and|or)\s+)?|\s+(?:and/or|and|or)\s+|\s+as\s+well\s+as\s+",
    re.IGNORECASE,
)
# a word in -ly that is an adverb, not an adjective ("early", "daily", "family" are not)
_ADVERB = r"(?!(?:early|elderly|daily|weekly|monthly|oily|scaly|bodily|deadly|family|only)\b)\w+ly"
_STOP_PIECE = re.compile(
    r"(?:(?:and|or|but)\s+)?(?:a|an|the|this|these|that|those|it|its|they|their|which|where|who|"
    r"whose|when|whenever|while|whereas|although|though|particularly|especially|specifically|"
    r"often|usually|typically|mainly|primarily|mostly|generally|commonly|thereby|thus|so|as|"
    r"because|since|due|if|unless|until|by|with|without|helping|making|allowing|leading|"
    r"resulting|depending|based|along|alongside|together|not|but|either|providing|plus|"
    r"improving|reducing|increasing|decreasing|preventing|thanks|rather|instead|than|"
    r"in\s+(?:addition|combination|"
    r"conjunction|patients|people|adults|children|cases|some|certain|situations))\b"
    rf"|{_ADVERB}\b"
    r"|\w+ing\s+(?:the|a|an|its|their|his|her|it|them|to)\b"
    # a time or consensus word opens the main clause ("…, modern guidelines now favor X")
    r"|.*\b(?:now|currently|today|nowadays|generally)\b"
    r"|(?:(?!\b(?:who|whose|that|which|when|where)\b).)*"
    r"\b(?:is|are|was|were|can|may|might|could|will|would|should|has|have|helps?|works?)\b",
    re.IGNORECASE,
)
_EXAMPLES = re.compile(
    r",?\s+(?:such\s+as|including(?:\s+but\s+not\s+limited\s+to)?|like|e\.g\.,?|"
    r"for\s+(?:example|instance),?)(?:\s+|\s*:?\s*$)",
    re.IGNORECASE,
)
_PAREN_EXAMPLES = re.compile(
    r"\(\s*(?:e\.g\.|for\s+example|such\s+as|including)[,:]?\s*(?P<inner>[^()]*)\)", re.I
)
_DETERMINERS = re.compile(
    r"(?:(?:a|an|the|and|or|both|other|certain|various|several|many|some(?:\s+of\s+the)?|different|specific|"
    r"particular|numerous|any|all|its|their)\s+"
    r"|(?:a\s+)?(?:wide\s+|broad\s+|whole\s+)?(?:range|variety|number|host|spectrum|array)\s+of\s+"
    r"|(?:all|certain|some|specific|particular|various|several|different|many|other|multiple)?\s*"
    r"(?:types?|forms?|kinds?|cases?)\s+of\s+)+",
    re.IGNORECASE,
)
_TREATMENT_LEAD = re.compile(
    r"(?P<qualifier>(?:[\w-]+\s+){0,3}?)"
    r"(?P<noun>treatment|management|prevention|relief|control|therapy|prophylaxis|"
    r"maintenance|diagnosis|detection|imaging|evaluation|assessment|visuali[sz]ation|"
    r"symptoms)\s+(?:of|for|associated\s+with|related\s+to)\s+",
    re.IGNORECASE,
)
# "the frequency and severity of X", "the number of X": a measure of the condition X
_MEASURE_LEAD = re.compile(
    r"(?:(?:frequency|severity|duration|intensity|number|incidence|occurrence|recurrence)"
    r"(?:\s*,\s*|\s+(?:and|or)\s+|\s+of\s+|\s*$)){1,3}(?<=of\s)",
    re.IGNORECASE,
)
# "the potential for X", "possible X": what might happen is no condition of a use
_HEDGED_OBJECT = re.compile(r"(?:the\s+)?(?:potential|possible|possibly|potentially)\b", re.I)
_BARE_NOUNS = frozenset({"treatment", "management", "therapy", "the"})
_PREPOSITION = re.compile(
    r"\s(?:of|in|on|from|with|to|after|following|due|caused|associated|related|affecting|"
    r"involving|causing|resulting|characteri[sz]ed|at|during|by|where)\s",
    re.IGNORECASE,
)
_POINTS_BACK = re.compile(
    r"\s+(?:caused\s+by|due\s+to|associated\s+with|related\s+to|of|from|in|by|with)\s+"
    r"(?:these|this|those|such|them|it)\b.*$",
    re.IGNORECASE,
)
_GENERIC_TAIL = re.compile(
    r"\s+(?:from|in|of|with|associated\s+with|related\s+to|caused\s+by|affecting)\s+"
    r"(?:(?:[\w-]+)\s+){0,2}?(?P<head>[\w-]+)$",
    re.IGNORECASE,
)
_HEAD_PP = re.compile(
    r"(?P<head>(?:[\w-]+\s+)?(?P<noun>[\w-]+))\s+(?P<prep>in|of)\s+(?:the\s+)?(?P<object>.+)$",
    re.IGNORECASE,
)
_TRAILING_ADVERB = re.compile(
    rf"\s+{_ADVERB}$",
    re.IGNORECASE,
)
# a term that opens like a clause ("as maintenance therapy to …", "rather than …", "does
# not treat …", "characterized by …", "manifesting as …")
_CLAUSE_START = re.compile(
    r"(?:as|rather|instead|than|which|where|who|when|while|whereas|although|though|because|"
    r"since|if|unless|until|to|not|no|never|"
    r"(?:is|are|was|were|does|do|did|has|have|can|cannot|could|may|might|will|would|should|"
    r"must)(?:n['’]t)?|"
    r"(?:characteri[sz]ed|marked|typified|manifest(?:ing|ed)?|presenting|showing)\s+"
    r"(?:by|as|with|in))\b",
    re.IGNORECASE,
)
_GOAL_STEMS = (
    r"support|promot|improv|maintain|boost|enhanc|aid|help|provid|strengthen|regulat|"
    r"increas|reduc|lower|rais|restor|replenish|encourag|facilitat|stimulat|offer|produc|"
    r"tackl|break|clean|fight|combat|address|target|block|kill|treat|reliev|manag|prevent|"
    r"control|eas|alleviat"
)
# a term that opens with a verb of the drug ("Alleviates pain", "treats X", "supporting
# wound healing", "offering relief from …"): what the drug does, not a condition
_VERB_LEAD = re.compile(
    rf"(?:(?:{'|'.join(TREATING_VERBS)})e?s|helps|works|(?:{_GOAL_STEMS})ing)\b",
    re.IGNORECASE,
)
# a letter or number alone, the last word of a name coordinated with another
_SHORT_NAME = re.compile(r"[A-Z]|\d{1,2}")
# a negation anywhere in a piece: its examples are no conditions
_NEGATION = re.compile(r"\b(?:not|no|never|without|neither|nor)\b|n['’]t\b", re.IGNORECASE)
# a coordinator or an unclosed parenthesis left at a term's end ("A (B", "A and")
_DANGLING = re.compile(r"(?:\s+(?:and/or|and|or|but)|\s*\([^()]*)$", re.IGNORECASE)
_FINITE_VERB = re.compile(
    r"\b(?:can|could|may|might|will|would|should|must|is|are|was|were|does|do)\b", re.I
)
_PEOPLE_END = re.compile(
    r"\b(?:adults?|children|child|adolescents?|teenagers?|infants?|neonates?|newborns?|babies|"
    r"women|men|patients?|people|persons|individuals|girls|boys|elderly)$",
    re.IGNORECASE,
)
_GERUND_LEAD = re.compile(
    r"(?:treating|managing|relieving|preventing|controlling|alleviating|reducing|easing|"
    r"combating|addressing|correcting)(?:\s+(?:and|or)\s+\w+ing)?\s+",
    re.IGNORECASE,
)
# an underscore that opens or closes emphasis ("_Helicobacter pylori_ infection")
_EMPHASIS = re.compile(r"(?<!\w)_|_(?!\w)")
_PEOPLE_LEAD = re.compile(
    r"(?:those|people|persons|individuals|patients)\s+(?:with|who\s+have|suffering\s+from)\s+",
    re.IGNORECASE,
)


def list_end(text: str, start: int, end: int) -> int:
    """Where the list that opens text[start:end] ends (see the module docstring)."""
    return _list_end(text, start, end)[0]


def _list_end(text: str, start: int, end: int) -> tuple[int, Span | None]:
    """(where the list ends, the span of the piece that ends it)."""
    semicolon = _first_outside_parens(text, start, end, ";:")
    pieces = paren_depth_pieces(text, start, semicolon, _COMMA)
    for index, ((piece_start, piece_end), before) in enumerate(pieces[1:], start=1):
        s, e = trim(text, piece_start, piece_end, " \t\n")
        piece = re.sub(r"\([^()]*\)", "", text[s:e])
        if before and _STOP_PIECE.match(piece) and not _EXAMPLES.match(text, s - 1, e):
            stop_end = pieces[index + 1][0][0] if index + 1 < len(pieces) else semicolon
            return trim(text, start, piece_start, " \t\n,")[1], (s, stop_end)
    return semicolon, None


_ASIDE_EXAMPLES = re.compile(
    r"^(?:particularly|especially|specifically|notably|mainly|primarily|often|usually|"
    r"typically|commonly)\b(?:(?!\b(?:patients|people|persons|individuals|adults|children|"
    r"women|men|infants|those|risk)\b)[^;])*?"
    r"(?:\(\s*(?:e\.g\.|for\s+example|such\s+as|including)[,:]?\s*(?P<paren>[^()]*)\)"
    r"|\b(?:conditions|disorders|diseases|illnesses|ailments|problems|things)\s+"
    r"(?:like|such\s+as|including)\s+(?P<list>[^;]*))",
    re.IGNORECASE,
)


def _aside_examples(text: str, stop: Span | None, end: int) -> list[Term]:
    """Examples an aside after the list gives ("…, particularly in the gut (e.g., A, B)",
    "…, often stemming from conditions like A, B"): conditions of their own, unless the
    aside is about people or risk."""
    if stop is None:
        return []
    aside = _ASIDE_EXAMPLES.match(text[stop[0] : end])
    if aside is None:
        return []
    group = "paren" if aside.group("paren") is not None else "list"
    s, e = stop[0] + aside.start(group), stop[0] + aside.end(group)
    return _items(text, s, list_end(text, s, e))


def _first_outside_parens(text: str, start: int, end: int, chars: str) -> int:
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


def _examples_marker(text: str, start: int, end: int) -> re.Match[str] | None:
    depth = 0
    for index in range(start, end):
        char = text[index]
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and char in ", ":
            match = _EXAMPLES.match(text, index, end)
            if match:
                return match
    return None


def lead_off(text: str, start: int, end: int) -> tuple[int, Span | None]:
    """Drop leading determiners and treatment phrases: (new start, qualifier span)."""
    qualifier: Span | None = None
    for _ in range(4):
        moved = False
        for pattern in (_DETERMINERS, _PEOPLE_LEAD, _GERUND_LEAD, _MEASURE_LEAD):
            match = pattern.match(text, start, end)
            if match and match.end() < end:
                start, moved = match.end(), True
        lead = _TREATMENT_LEAD.match(text, start, end)
        if lead and lead.end() < end:
            words = text[lead.start() : lead.end("noun")].split()
            kept = [w for w in words if w.lower() not in _BARE_NOUNS]
            if kept and qualifier is None:
                q_start = lead.start() + text[lead.start() : lead.end()].find(kept[0])
                qualifier = trim(text, q_start, lead.end("noun"), _STRIP)
                if text[qualifier[0] : qualifier[1]].lower().endswith(" treatment"):
                    qualifier = (qualifier[0], qualifier[1] - len(" treatment"))
            start, moved = lead.end(), True
        if not moved:
            break
    return start, qualifier


def conditions(text: str, start: int, end: int, aside_end: int | None = None) -> list[Term]:
    """The conditions of a use's object text[start:end] (see the module docstring); an
    aside after the list, up to `aside_end`, may add examples."""
    start, end = trim(text, start, end, _STRIP)
    if _HEDGED_OBJECT.match(text, start, end):
        return []  # "to reduce the potential for misuse": a risk, not a condition
    start, qualifier = lead_off(text, start, end)
    whole_end = max(end, aside_end or end)
    end = _list_end(text, start, end)[0]
    stop = _list_end(text, start, whole_end)[1]
    marker = _examples_marker(text, start, end)
    if marker is None:
        terms = _items(text, start, end)
    else:
        tail = _GENERIC_TAIL.search(text[start : marker.start()])
        symptoms_of = qualifier is not None and text[qualifier[0] : qualifier[1]].lower().endswith(
            "symptoms"
        )
        if symptoms_of:
            # "the symptoms of eczema, including redness": the examples are symptoms
            terms = _items(text, start, marker.start())
        elif _opens_clause(text, start, marker.start()):
            # "A, characterized by symptoms like B, C": the examples describe A
            terms = _items(text, start, marker.start())
        elif tail and is_generic(tail.group("head")):
            # "pain from things like A, B": the examples are the conditions
            terms = _items(text, marker.end(), end)
        else:
            terms = _items(text, start, marker.start()) + _items(text, marker.end(), end)
    terms += _aside_examples(text, stop, whole_end)
    if qualifier is not None:
        terms = [t if t.qualifier else Term(t.text, t.span, t.glosses, qualifier) for t in terms]
    return terms


@dataclass
class _Piece:
    span: Span
    text: str
    before: str  # the separator before it, lower case and trimmed


def _pieces(text: str, start: int, end: int) -> list[_Piece]:
    found = []
    for (s, e), before in paren_depth_pieces(text, start, end, _SEPARATOR):
        s, e = trim(text, s, e, _STRIP)
        if s < e:
            found.append(_Piece((s, e), text[s:e], " ".join(before.lower().split())))
    return found


def _items(text: str, start: int, end: int) -> list[Term]:
    """The items of a list, coordination resolved (see the module docstring)."""
    start, end = trim(text, start, end, _STRIP)
    if start >= end:
        return []
    pieces = _pieces(text, start, end)
    distributed = _distribute_pp(text, pieces)
    if distributed is not None:
        return distributed
    merged: list[tuple[Span, str]] = []  # (where written, text)
    pending: list[_Piece] = []  # modifiers waiting for a head
    for piece in pieces:
        if merged and _CLAUSE_START.match(piece.text):
            break  # "gout and as maintenance therapy to …": the list ended
        if _VERB_LEAD.match(piece.text) and not _GERUND_LEAD.match(piece.text):
            break  # "Alleviates pain and discomfort": what the drug does, from here on
        bare = piece.before in ("and", "or", "and/or")
        if merged and bare and not pending and _keeps_together(merged[-1][1], piece.text):
            span = (merged[-1][0][0], piece.span[1])
            merged[-1] = (span, text[span[0] : span[1]])
            continue
        if is_modifier(piece.text) and not ends_in_head(piece.text):
            pending.append(piece)
            continue
        if pending:
            head = _shared_head([p.text for p in pending], piece.text)
            if head is not None:
                span = (pending[0].span[0], piece.span[1])
                for modifier in pending:
                    merged.append((span, f"{modifier.text} {head}"))
                pending = []
            else:
                pending = []  # bare modifiers without a head: no condition
        if merged and bare and _SHORT_NAME.fullmatch(piece.text):
            # "hepatitis B and C": the letter takes the words before the last one
            lead = merged[-1][1].split()[:-1]
            if lead:
                merged.append((piece.span, " ".join([*lead, piece.text])))
            continue
        merged.append((piece.span, piece.text))
    terms: list[Term] = []
    for span, written in merged:
        terms.extend(_clean(text, span, written))
    return terms


def _opens_clause(text: str, start: int, end: int) -> bool:
    """Whether the last item of the list text[start:end] opens a clause of its own."""
    pieces = _pieces(text, start, end)
    return len(pieces) > 1 and _CLAUSE_START.match(pieces[-1].text) is not None


def _states_no_examples(piece: str) -> bool:
    """Whether the words before a parenthesis of examples are negated or open a clause
    ("does not treat the cause (e.g., A)"): its examples are then no conditions."""
    return bool(_NEGATION.search(piece) or _CLAUSE_START.match(piece.strip(_STRIP)))


def _keeps_together(left: str, right: str) -> bool:
    """Whether "left and right" is one condition: a short left part before a right part
    with a preposition, or a short right part after a left part with one."""
    left_words, right_words = plain_words(left), plain_words(right)
    if len(left_words) <= 2 and _PREPOSITION.search(f" {right} "):
        return not _PREPOSITION.search(f" {left} ")
    return len(right_words) <= 2 and bool(_PREPOSITION.search(f" {left} "))


def _shared_head(modifiers: list[str], phrase: str) -> str | None:
    """The head coordinated modifiers share with `phrase`: after degree modifiers ("severe
    or refractory hypertension", "acute and chronic renal failure"), all of `phrase` but
    its first word when that is a degree modifier too; after other modifiers ("skin and
    soft tissue infections"), its last word when that is a head noun."""
    words = re.sub(r"\([^()]*\)", " ", phrase).split()
    if len(words) < 2:
        return None
    degree = words_of("degree-modifier")
    if all(w.lower() in degree for m in modifiers for w in m.split()):
        return " ".join(words[1:]) if words[0].lower() in degree else None
    if ends_in_head(phrase):
        return words[-1]
    return None


def _distribute_pp(text: str, pieces: list[_Piece]) -> list[Term] | None:
    """ "deficiencies in iron, folate and zinc": a head noun with "in"/"of" before a list of
    short objects -> one term per object, the head singular for a single object."""
    if len(pieces) < 2 or any(p.before in ("", "as well as") for p in pieces[1:]):
        return None
    match = _HEAD_PP.fullmatch(pieces[0].text)
    if match is None or match.group("noun").lower() not in words_of("head"):
        return None
    objects = [match.group("object")] + [p.text for p in pieces[1:]]
    if any(len(plain_words(o)) > 3 or ends_in_head(o) or is_generic(o) for o in objects):
        return None
    head = match.group("head").split()
    head[-1] = singular(head[-1])
    lead = f"{' '.join(head)} {match.group('prep').lower()}"
    terms: list[Term] = []
    first = pieces[0].span[0] + match.start("object")
    spans = [(first, pieces[0].span[1])] + [p.span for p in pieces[1:]]
    for index, (obj_span, piece) in enumerate(zip(spans, pieces, strict=True)):
        glossed = split_gloss(text, *obj_span)
        obj = text[glossed.term[0] : glossed.term[1]]
        where = piece.span if index else pieces[0].span
        terms.append(Term(f"{lead} {obj}", where, glossed.glosses))
    return terms


def _clean(text: str, span: Span, written: str) -> list[Term]:
    """One item -> its term(s): leads off, glosses and parenthetical examples split."""
    start, end = span
    as_written = written == text[start:end]
    if not as_written:  # a distributed head: keep the words, split no further
        words = re.sub(r"\([^()]*\)", " ", written).split()
        phrase = " ".join(words)
        return [] if not_a_condition(phrase) else [Term(phrase, span)]
    start, qualifier = lead_off(text, start, end)
    examples: list[Term] = []
    paren = _PAREN_EXAMPLES.search(text, start, end)
    if paren and _states_no_examples(text[start : paren.start()]):
        return []  # "does not treat the cause (e.g., A)": no condition at all
    if paren:
        inner = paren.start("inner"), paren.end("inner")
        for s, e in split_list(text, *inner):
            examples.extend(_clean(text, (s, e), text[s:e]))
        if text[paren.end() : end].strip(_STRIP) == "":
            end = paren.start()
    start, end = trim(text, start, end, _STRIP)
    back = _POINTS_BACK.search(text[start:end])
    if back and back.start() > 0:
        end = start + back.start()
    adverb = _TRAILING_ADVERB.search(text[start:end])
    if adverb and adverb.start() > 0:
        end = start + adverb.start()
    dangling = _DANGLING.search(text[start:end])
    if dangling and dangling.start() > 0:
        end = start + dangling.start()
    if start >= end:
        return examples
    glossed = split_gloss(text, start, end)
    term_span = glossed.term
    term = text[term_span[0] : term_span[1]]
    head = _PREPOSITION.split(f" {term} ", maxsplit=1)[0]
    if (
        not_a_condition(term)
        or is_modifier(term)
        or is_generic(head, vague=head.strip() == term.strip())
        or _PEOPLE_END.search(term)
        or _FINITE_VERB.search(term)
        or _CLAUSE_START.match(term)
        or _VERB_LEAD.match(term)
    ):
        return examples
    term = " ".join(_EMPHASIS.sub("", term.replace("*", "")).split())
    return [Term(term, (start, end), glossed.glosses, qualifier), *examples]
