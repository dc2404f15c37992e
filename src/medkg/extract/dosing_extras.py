"""What a Dosage section says besides the dose itself: dosage forms, unit
strengths and premedications. Used by `medkg.extract.regimen`; nothing here
knows a drug.

* **Dosage forms.** In a sentence saying how the drug is taken or given,
  ``as <list>`` whose leading items each end in a product-form noun (tablet,
  capsule, suspension, solution, syrup, cream, patch …):
  ``taken by mouth as tablets, capsules or an oral suspension`` gives three
  forms. Administration acts ("an injection", "an infusion") are not forms:
  they are the regimen's unit form already. An item with a number ("two 105
  mg injections") stops the list.
* **Unit strengths.** ``each (<unit>) containing|contains Q1 S1 and Q2 S2``
  (``each containing 500 mg X and 30 mg Y``): one strength per quantity,
  its substance being the words after the quantity up to the next list
  separator.
* **Premedications.** ``Before|Prior to each|every <dose|infusion|…>,
  <patients|you …> receive|are given|take <list>`` and ``Premedicate|
  Premedication with <list>``: one premedication per item, with the dose and
  routes the item states (``X 100 mg intravenously``; `medkg.extract.routes`);
  a purpose ("to reduce …") ends the list. A following clause ``<list> may|can also be given``
  adds optional premedications. The premedication's evidence is the whole
  sentence (its purpose and timing stay in the quote).
"""

from __future__ import annotations

import re

from medkg.extract.routes import first_stated, route_lists
from medkg.model import Document, Evidence, Mention, Premedication, Quantity, Strength
from medkg.quantities import FoundQuantity, find_quantities
from medkg.text import Span, evidence, mention, split_list, trim

_PRODUCT_FORM = (
    r"tablets?|caplets?|capsules?|suspensions?|solutions?|syrups?|elixirs?|emulsions?|"
    r"powders?|granules|creams?|ointments?|gels?|lotions?|foams?|patch(?:es)?|"
    r"suppositor(?:y|ies)|pessar(?:y|ies)|lozenges?|sprays?|drops|inhalers?|films?|"
    r"wafers?|chewables?|(?:pre-?filled\s+)?syringes?|pens?|vials?|ampoules?|sachets?"
)
_FORM_ITEM = re.compile(
    rf"(?:(?:an?|the)\s+)?(?P<form>(?:[A-Za-z-]+\s+){{0,3}}?(?:{_PRODUCT_FORM}))", re.I
)
_AS = re.compile(r"\bas\s+", re.I)
_ARTICLE = re.compile(r"(?:an?|the|one)\s+", re.I)

_CONTAINING = re.compile(
    r"\beach(?:\s+[A-Za-z-]+)?\s+(?:containing|contains|holding|providing)\s+", re.I
)
_STRENGTH_LIST_END = re.compile(r"[();]|\.(?:\s|$)")
_STRENGTH_SEPARATOR = re.compile(r"\s*(?:,\s*(?:and\s+)?|\band\b|\bplus\b|\+)\s*$", re.I)

_BEFORE_EACH = re.compile(
    r"(?:Before|Prior\s+to)\s+(?:each|every|the|any)\s+(?:[\w-]+\s+)?"
    r"(?:doses?|infusions?|injections?|administrations?|treatments?)\s*,?\s+"
    r"(?:(?:patients|the\s+patient|you|adults|children|people)\s+)?"
    r"(?:(?:should|will|must|may|usually)\s+)?"
    r"(?:receive|are\s+given|be\s+given|is\s+given|get|take)\s+",
    re.I,
)
_PREMEDICATE_WITH = re.compile(r"\bpremedicat(?:e|ed|ion)\s+with\s+", re.I)
_PREMEDICATION_LIST_END = re.compile(
    r";|\.(?:\s|$)|\s+(?:to|in\s+order\s+to)\s+(?:reduce|prevent|lower|minimi[sz]e|avoid|"
    r"decrease|limit)\b|\s+(?:about|approximately|at\s+least|before|prior\s+to)\b",
    re.I,
)
_ALSO_GIVEN = re.compile(
    r"\s*;?\s*(?P<list>[^;.]+?)\s+(?:may|can|might|could)\s+also\s+be\s+"
    r"(?:given|used|added|administered|taken)\b",
    re.I,
)


def dosage_forms(document: Document, section: str, start: int, end: int) -> list[Mention]:
    """Dosage forms named by ``as <list>`` in text[start:end] (see the module docstring)."""
    text = document.text
    forms: list[Mention] = []
    for found in _AS.finditer(text, start, end):
        stop = end
        for mark in (";", ". "):
            at = text.find(mark, found.end(), end)
            if at >= 0:
                stop = min(stop, at)
        for item_start, item_end in split_list(text, found.end(), stop, split_or=True):
            item = _FORM_ITEM.fullmatch(text, item_start, item_end)
            if item is None or any(ch.isdigit() for ch in text[item_start:item_end]):
                break
            forms.append(mention(document, section, *item.span("form")))
        if forms:
            break
    return forms


def _quantity(document: Document, section: str, found: FoundQuantity) -> Quantity:
    return Quantity(
        unit=found.unit,
        evidence=evidence(document, section, found.start, found.end),
        value=found.value,
        low=found.low,
        high=found.high,
    )


def unit_strengths(document: Document, section: str, start: int, end: int) -> list[Strength]:
    """``each … containing Q1 S1 and Q2 S2`` in text[start:end] -> one strength per quantity."""
    text = document.text
    containing = _CONTAINING.search(text, start, end)
    if containing is None:
        return []
    list_end = _STRENGTH_LIST_END.search(text, containing.end(), end)
    stop = list_end.start() if list_end else end
    found = [q for q in find_quantities(text, containing.end(), stop) if not q.per_kg]
    strengths: list[Strength] = []
    whole = evidence(document, section, containing.start(), stop)
    for index, quantity in enumerate(found):
        substance_end = found[index + 1].start if index + 1 < len(found) else stop
        separator = _STRENGTH_SEPARATOR.search(text, quantity.end, substance_end)
        if separator is not None:
            substance_end = separator.start()
        of = re.match(r"\s+of\s+", text[quantity.end : substance_end])
        substance_start = quantity.end + (of.end() if of else 0)
        s, e = trim(text, substance_start, substance_end, " \t\n,")
        if s >= e:
            return []  # a quantity without its substance: not a strength list
        strengths.append(
            Strength(
                quantity=_quantity(document, section, quantity),
                substance=mention(document, section, s, e),
                evidence=whole,
            )
        )
    return strengths


def _premedication(
    document: Document, section: str, item: Span, sentence: Evidence, optional: bool
) -> Premedication | None:
    """One list item: "<substance> [Q] [route]" or "Q of <substance>"."""
    text = document.text
    start, end = item
    article = _ARTICLE.match(text, start, end)
    if article:
        start = article.end()
    quantities = find_quantities(text, start, end)
    lists = route_lists(text, start, end)
    routes = first_stated(lists)
    route = lists[0].words[0] if lists else None  # the first route word, stated or not
    stops = [q.start for q in quantities] + ([route.start] if route else [])
    substance_end = min(stops) if stops else end
    s, e = trim(text, start, substance_end, " \t\n,")
    if s >= e and quantities:
        of = re.match(
            r"\s+of\s+(?P<s>[^,]+?)(?=\s*$|\s+(?:by|via)\b)", text[quantities[0].end : end]
        )
        if of:
            s, e = quantities[0].end + of.start("s"), quantities[0].end + of.end("s")
            if route and s <= route.start < e:
                e = trim(text, s, route.start, " \t\n,")[1]
    if s >= e:
        return None
    return Premedication(
        substance=mention(document, section, s, e),
        evidence=sentence,
        dose=_quantity(document, section, quantities[0]) if quantities else None,
        routes=tuple(mention(document, section, *word.span) for word in routes),
        optional=optional,
    )


def premedications(document: Document, section: str, start: int, end: int) -> list[Premedication]:
    """Premedications stated by the sentence text[start:end]."""
    text = document.text
    opening = _BEFORE_EACH.match(text, start, end) or _PREMEDICATE_WITH.search(text, start, end)
    if opening is None:
        return []
    sentence = evidence(document, section, start, end)
    list_end = _PREMEDICATION_LIST_END.search(text, opening.end(), end)
    stop = list_end.start() if list_end else end
    found: list[Premedication] = []
    for item in split_list(text, opening.end(), stop):
        premedication = _premedication(document, section, item, sentence, optional=False)
        if premedication is not None:
            found.append(premedication)
    if not found:
        return []
    semicolon = text.find(";", stop, end)
    if semicolon >= 0:
        also = _ALSO_GIVEN.match(text, semicolon + 1, end)
        if also:
            for item in split_list(text, *also.span("list")):
                premedication = _premedication(document, section, item, sentence, optional=True)
                if premedication is not None:
                    found.append(premedication)
    return found
