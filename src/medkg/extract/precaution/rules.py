"""Sentence rules of a Precautions section besides "contraindicated" and "increased risk".

Each rule finds, in one sentence, the span that names the conditions (read
by `precaution_terms.conditions`), or nothing:

* `caution_span` — a condition or population that needs care: "use with
  (extreme) caution / cautiously in …", "caution is advised / necessary in
  …", "use / exercise (extra) caution in …", "caution should be exercised
  in …", "careful monitoring is needed / crucial in/during/for …", "<people>
  with X should use it with caution / exercise caution / proceed with
  caution / be (closely) monitored / may need dose adjustments", "<people>
  with X require careful monitoring", "dose adjustments may be needed
  for <people> with X", "Avoid X" (X not the drug itself), "X should be
  avoided" (X not the drug itself).
* `interaction_span` — the substances named as interacting: "interact with
  …, including / such as / like / particularly …", "interactions (can
  occur) with …", "Avoid (using) X, Y …" in an interactions block,
  "concurrent use of <drug> with X …".
* `risk_span` — "the risk of X … is increased", "<drug> can/may cause X".
* `is_advice` — a sentence that only tells the reader to consult, inform,
  discuss or disclose: kept as an advice statement, not a warning.
* `negated` — a negation or hedge cue before the trigger in the sentence
  ("no significant interactions are listed", "not associated with an
  increased risk", "it is unclear whether …", "may be contraindicated"): the
  sentence states no fact. `reassures` — a block that says a care is unneeded
  or the use safe ("No dose adjustment is needed").
"""

from __future__ import annotations

import re

from medkg.text import Span, trim

# the people a precaution is about ("patients with …", "women who …")
PEOPLE = (
    r"(?:patients|people|persons|individuals|those|anyone|women|men|adults|children|mothers|"
    r"infants)"
)
_SELF = (
    r"(?:it|this\s+(?:\w+\s+)?(?:medicine|medication|drug|product|combination)|"
    r"the\s+(?:drug|medication|medicine))"
)


def drug_object(drug: str) -> str:
    """A regex of the drug as a sentence names it: a pronoun ("it", "this medicine"), its
    name, or a word of its name."""
    names = [drug.strip()] + [w for w in re.findall(r"[\w-]+", drug) if len(w) > 3]
    names = [re.escape(n) for n in names if n]
    return rf"(?:{_SELF}|{'|'.join(names)})" if names else _SELF


_NEGATION = re.compile(
    r"\b(?:no|not|never|without|neither|nor|none|unknown|unlikely|unclear|uncertain|whether)\b"
    r"|n't\b",
    re.I,
)
_HEDGE = re.compile(
    r"\b(?:may|might|could|possibly|perhaps)\s+(?:also\s+)?be\s+contraindicated", re.I
)


def negated(text: str, start: int, trigger: int) -> bool:
    """A negation cue in the clause of the trigger, before it and outside parentheses
    (the clause starts after the last comma or semicolon before the trigger)."""
    clause = max(text.rfind(",", start, trigger), text.rfind(";", start, trigger)) + 1
    # an aside in parentheses ("(without food)") does not negate its clause
    words = re.sub(r"\([^()]*\)", " ", text[max(start, clause) : trigger])
    return _NEGATION.search(words) is not None


_REASSURANCE = re.compile(
    r"\b(?:no|not|n't)\b[^.;]*?\b(?:needed|necessary|required|affect(?:s|ed)?|expected|"
    r"(?:been\s+)?(?:reported|observed|seen))\b"
    r"|\bno\b[^.;]*?\b(?:is|are|(?:has|have)\s+been)\s+known\b|\bnot\s+known\s+to\b|\bno\s+known\b"
    r"|\b(?:is|are)\s+(?:generally\s+|considered\s+)*safe\b",
    re.I,
)


def reassures(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] says a care is unneeded or the use safe ("No dose adjustment
    is needed", "does not affect driving", "No interaction is known", "It is safe") — not
    an unknown ("safety has not been established") or advice against use."""
    return _REASSURANCE.search(text, start, end) is not None


def hedged_contraindication(text: str, start: int, end: int) -> bool:
    """ "may be contraindicated": a possibility, not a contraindication."""
    return _HEDGE.search(text, start, end) is not None


# the words that ask for care ("use with caution", "caution is advised"), before what needs it
CAUTION_WORDS = (
    r"\b(?:(?:use|used|using|administer(?:ed)?|given|taken|prescribed)\s+"
    rf"(?:(?:{_SELF}|only)\s+)?(?:with\s+(?:\w+\s+)?caution|cautiously)|"
    r"(?:use|exercis(?:e|ed|ing))\s+(?:\w+\s+)?caution|"
    r"caution\s+is\s+(?:\w+\s+)?(?:advised|recommended|needed|required|warranted|necessary|"
    r"essential|important)|caution\s+(?:should|must)\s+be\s+(?:exercised|used|taken)|"
    r"(?:closely|carefully)\s+monitor)"
)
# "Careful monitoring is needed (in patients with X)"
MONITORING_WORDS = (
    r"\b(?:careful|close|regular|frequent)\s+monitoring\s+(?:is|may\s+be)\s+(?:\w+\s+)?"
    r"(?:needed|necessary|required|essential|advised|recommended|warranted|crucial|important)"
)
_CAUTION_AFTER = re.compile(
    rf"{CAUTION_WORDS}\s*,?\s*(?=(?:in|for|when|during|with|if)\b)"
    rf"|{MONITORING_WORDS}\s+(?=(?:in|during|for)\b)",
    re.I,
)
_SUBJECT_CAUTION = re.compile(
    r"^(?:(?:however|therefore|additionally|also|furthermore|moreover|in\s+addition),?\s+)?"
    rf"(?:{PEOPLE})\s+(?:with|who\s+have(?:\s+had)?|on)\s+(?P<cond>.+?)\s+"
    r"(?:(?:should|must|may|might)\s+(?:also\s+)?(?:"
    r"(?:use|take)\s+(?:\S+\s+){0,3}?(?:with\s+(?:\w+\s+)?caution|cautiously)|"
    r"(?:exercise|use)\s+(?:\w+\s+)?caution|proceed\s+with\s+(?:\w+\s+)?caution|"
    r"be\s+(?:\w+\s+)?(?:monitored|observed)|"
    r"(?:require|need)\s+(?:\w+\s+){0,2}?(?:dos(?:e|age|ing)|monitoring))"
    # "Patients with X require careful monitoring" (no modal)
    r"|(?:also\s+)?(?:require|need)\s+(?:\w+\s+){0,2}?monitoring)",
    re.I,
)
_DOSE_FOR = re.compile(
    r"\bdos(?:e|age|ing)s?\b(?=[^.;]{0,40}?\b(?:adjust|reduc|lower|chang))[^.;]{0,40}?"
    rf"\b(?:for|in)\s+(?={PEOPLE}\s+with\b)",
    re.I,
)
_WHEN_GIVING = re.compile(
    r"(?:when|while)\s+(?:using|prescribing|administering|giving|taking)\b[^.;,]*?\s+"
    rf"(?:to|in)\s+(?=(?:{PEOPLE}|the\s+elderly|older|elderly)\b)",
    re.I,
)
_PARTICIPLE = re.compile(
    r",\s+(?:\w+ly\s+)?(?!including\b|involving\b|affecting\b|requiring\b)[a-z]+ing\s+"
    r"(?:the|a|an|any|all|their|your|its|this|these)\b"
)
_AVOID = re.compile(r"^(?:also\s+)?avoid\s+(?!(?:using|taking|use|combining)\b)", re.I)
_AVOIDED = re.compile(
    r"^(?P<cond>[A-Z][^,;]+?)\s+(?:should|must)\s+(?:also\s+)?be\s+avoided\b", re.I
)
_STOP = re.compile(
    r"\s+(?:while|during|without|after|before|unless|as|when|because|since|until|if|so|which|"
    r"in\s+order|for\s+at\s+least|and\s+for|"
    r"to\s+(?:avoid|prevent|reduce|minimi[sz]e|ensure|protect|maintain|keep|help|allow))\b|[,;(]",
    re.I,
)


def _stop(text: str, start: int, end: int) -> int:
    found = _STOP.search(text, start, end)
    return found.start() if found else end


_MIGHT = re.compile(r"\b(?:might|could|possibly|perhaps)\b", re.I)


def _clause_start(text: str, start: int, position: int) -> int:
    """Where the clause holding `position` begins: after the last comma, semicolon or
    "but" before it."""
    found = [m.end() for m in re.finditer(r"[,;]|\bbut\b", text[start:position])]
    return start + found[-1] if found else start


def caution_span(text: str, start: int, end: int, drug: str) -> Span | None:
    """Where the conditions of a caution sentence are named, or None."""
    sentence = text[start:end]
    found = _CAUTION_AFTER.search(text, start, end)
    if found and not negated(text, start, found.end()):
        semicolon = text.find(";", found.end(), end)
        # "… when prescribing it to patients with X": the people, not the act
        act = _WHEN_GIVING.match(text, found.end(), end)
        begin = act.end() if act else found.end()
        stop = semicolon if semicolon > 0 else end
        # "…, strictly following the label": a participle clause ends the conditions
        participle = _PARTICIPLE.search(text, begin, stop)
        return begin, participle.start() if participle else stop
    found = _SUBJECT_CAUTION.match(sentence)
    if found and not _MIGHT.search(found.group(0)):
        return start + found.start("cond"), start + found.end("cond")
    found = _DOSE_FOR.search(text, start, end)
    # "adjustments are not needed for …", "adjustments for … have not been established";
    # "No adjustment is advised, but dose reduction may be needed in …" is read after "but";
    # "adjustments might be necessary for …" is a hedge
    clause = _clause_start(text, start, found.start()) if found else start
    if found and not _NEGATION.search(text, clause, end) and not _MIGHT.search(text, clause, end):
        return found.end(), end
    found = _AVOID.match(sentence)
    if found and not re.match(drug_object(drug), sentence[found.end() :], re.I):
        cut = _stop(text, start + found.end(), end)
        return start + found.end(), cut
    found = _AVOIDED.match(sentence)
    if (
        found
        and not re.fullmatch(drug_object(drug), found.group("cond"), re.I)
        # "X is known to cause harm and should be avoided": a clause, not a condition
        and not re.search(r"\b(?:is|are|was|were|has|have)\b", found.group("cond"), re.I)
        and not negated(text, start, start + found.end("cond"))
    ):
        return start + found.start("cond"), start + found.end("cond")
    return None


_INTERACTS = re.compile(
    r"\b(?:interact(?:s|ions?)?|used|combin\w+|concurrent(?:ly)?|together|co-?administ\w+)\b"
    r"[^.;]*?\b(?:including(?:\s+but\s+not\s+limited\s+to)?|such\s+as|like|particularly|"
    r"especially|notably|include(?:\s+those)?\s+with|occur\s+with|with)\s*:?\s+",
    re.I,
)
_INCLUDES = re.compile(
    r"\b(?:includes?|including(?:\s+but\s+not\s+limited\s+to)?|such\s+as)\s+", re.I
)
_AVOID_USING = re.compile(
    r"(?:also\s+)?avoid\s+(?:using|taking|combining|use\s+of|the\s+use\s+of)?\s*", re.I
)
_INTERACTION_STOP = re.compile(
    r",?\s+(?:to\s+avoid|in\s+"
    + PEOPLE
    + r"|may|might|can|could|should|must|is|are|as\s+(?:it|they|this|the)|"
    r"because|due\s+to|which|that|while|when|without|unless|potentially|"
    r"to\s+(?!the\b)(?:avoid|prevent|\w+e\b))\b",
    re.I,
)
_INTERACTION_CUE = re.compile(r"\binteract|\bconcurrent|\bcombin|\btogether\b", re.I)


# doubt beyond a plain modal: "X may interact with Y" states an interaction (the way labels
# write them); "X could potentially / theoretically interact with Y" does not
_DOUBTFUL = re.compile(r"\b(?:might|potentially|possibly|theoretically|conceivably)\b", re.I)


def interaction_span(text: str, start: int, end: int, in_block: bool) -> Span | None:
    """Where the interacting substances of a sentence are named, or None.

    Outside an interactions block the sentence must say "interact" (or
    "concurrent", "combined", "together")."""
    if not in_block and not _INTERACTION_CUE.search(text, start, end):
        return None
    found = _INTERACTS.search(text, start, end)
    if found is None and in_block:
        found = _INCLUDES.search(text, start, end)
    if found is None and in_block:
        found = _AVOID_USING.match(text, start, end)
        if found is not None and found.end() == start:
            found = None
    if found is None or negated(text, start, found.start()):
        return None
    if _DOUBTFUL.search(text, start, found.start()):
        return None  # "could potentially interact with X": a possibility, not a fact
    list_end = _INTERACTION_STOP.search(text, found.end(), end)
    stop = list_end.start() if list_end else end
    span = trim(text, found.end(), stop, " \t\n.,;:*")
    return span if span[0] < span[1] else None


_TAKING = re.compile(
    r"\bif\s+(?:you|the\s+patient|patients)\s+(?:are|is)\s+(?:currently\s+|already\s+|also\s+)*"
    r"(?:taking|using|on)\s+",
    re.I,
)
_CONCURRENT_USE = re.compile(
    r"\b(?:concurrent|concomitant|simultaneous|combined)\s+use\s+of\s+", re.I
)


def taken_with_span(text: str, start: int, end: int, drug: str) -> Span | None:
    """Substances named without the word "interact": "… if you are taking X",
    "<drug> may enhance the (toxic) effects of X", "the concurrent use of X may …"."""
    effects = re.compile(
        rf"^(?:{drug_object(drug)})\s+(?:may|can|could|might|will)\s+(?:also\s+)?"
        r"(?:enhance|potentiate|increase|intensify|reduce|decrease|diminish|antagonize)\s+"
        r"(?:the\s+)?(?:[\w-]+\s+|\([^()]*\)\s+){0,3}?effects?\s+of\s+",
        re.I,
    ).match(text[start:end])
    found: Span | None = None
    if effects is not None:
        found = (start, start + effects.end())
    else:
        for pattern in (_TAKING, _CONCURRENT_USE):
            match = pattern.search(text, start, end)
            if match is not None:
                found = match.span()
                break
    if found is None or negated(text, start, found[0]):
        return None
    list_end = _INTERACTION_STOP.search(text, found[1], end)
    span = trim(text, found[1], list_end.start() if list_end else end, " \t\n.,;:*")
    if span[0] >= span[1] or re.match(drug_object(drug), text[span[0] : span[1]], re.I):
        return None
    return span


_PASSIVE_RISK = re.compile(
    r"\b(?:the\s+)?risks?\s+of\s+(?P<list>[^.;]+?)\s+(?:is|are|may\s+be|can\s+be)\s+"
    r"(?:also\s+)?(?:increased|higher|greater|raised)\b",
    re.I,
)


_OCCURS = re.compile(
    r"\s+(?:(?:can|may)\s+(?:also\s+)?(?:occur|develop|happen)|(?:is|are)\s+(?:also\s+)?possible)"
    r"\s*(?:\(|$)",
    re.I,
)
_SIDE_EFFECT = re.compile(
    r"\s+(?:is|are)\s+(?:also\s+)?(?:a\s+|an\s+)?(?:(?:very|more|most|less|well)[\s-]+)?"
    r"(?:common|known|rare|possible|serious|potential|frequent|recogni[sz]ed)\s+"
    r"(?:side|adverse)\s+(?:effects?|reactions?)\b",
    re.I,
)
_SUBORDINATE = re.compile(
    r"(?:though|although|while|if|when|in\s+(?:rare|some)|rarely|occasionally|however|"
    r"additionally|also|furthermore|moreover)\b[^,]*,\s*",
    re.I,
)
_POTENTIAL = re.compile(
    r"\b(?:aware\s+of|watch\s+(?:out\s+)?for|there\s+is)\s+(?:a|the)\s+"
    r"(?:potential|possibility)\s+(?:for|of)\s+",
    re.I,
)
_NOT_A_RISK = re.compile(
    r"^(?:(?:drug|other|possible|potential|serious|some|such|these|this|any|severe|rare)\s+)*"
    r"(?:interactions?|side\s+effects|adverse\s+(?:effects|reactions|events)|it|this|that|"
    r"they|these|problems|complications|effects|changes|harm|reactions)$"
    r"|\binteract|\bthis\b|\bit\b",
    re.I,
)


def occurrence_span(text: str, start: int, end: int) -> Span | None:
    """ "X can occur", "X is (also) possible", "X is a common side effect", "be aware of
    the potential for X": X.

    The subject is the sentence after an opening subordinate clause ("Though
    less frequent, X can occur"); a generic subject ("side effects",
    "interactions", "it") names no condition."""
    sentence_end = trim(text, start, end, " \t\n.*_")[1]
    found = _OCCURS.search(text, start, sentence_end) or _SIDE_EFFECT.search(
        text, start, sentence_end
    )
    if found is not None:
        begin = start
        lead = _SUBORDINATE.match(text, start, found.start())
        if lead is not None:
            begin = lead.end()
        if negated(text, begin, found.start()) or ":" in text[begin : found.start()]:
            return None
        span = trim(text, begin, found.start(), " \t\n.,;:*_")
    else:
        potential = _POTENTIAL.search(text, start, end)
        if potential is None or negated(text, start, potential.start()):
            return None
        stop = _INTERACTION_STOP.search(text, potential.end(), end)
        span = trim(text, potential.end(), stop.start() if stop else end, " \t\n.,;:*_")
    if span[0] >= span[1] or _NOT_A_RISK.search(text[span[0] : span[1]]):
        return None
    return span


def risk_span(text: str, start: int, end: int, drug: str) -> Span | None:
    """ "the risk of X is increased" / "<drug> can cause X, including Y" / "X can occur"
    (`occurrence_span`)."""
    found = _PASSIVE_RISK.search(text, start, end)
    if found and not negated(text, start, found.start()):
        return found.span("list")
    occurs = occurrence_span(text, start, end)
    if occurs is not None:
        return occurs
    cause = re.compile(
        rf"^(?:{drug_object(drug)})\s+(?:can|may)\s+(?:also\s+)?cause\s+", re.I
    ).match(text[start:end])
    if cause:
        return start + cause.end(), end
    return None


_ADVICE = re.compile(
    r"^(?:always\s+|please\s+)?(?:inform|tell|consult|discuss|disclose|talk|speak|ask|seek|"
    r"notify|check\s+with|let)\b"
    r"|^(?:it(?:['’]s|\s+is)\s+(?:\w+\s+)?(?:crucial|essential|important|vital|advisable)\s+to\s+"
    r"(?:inform|tell|disclose|discuss|consult))",
    re.I,
)


def is_advice(text: str, start: int, end: int) -> bool:
    """Whether the sentence only tells the reader to consult or inform someone."""
    s, e = trim(text, start, end)
    return _ADVICE.search(text[s:e]) is not None
