"""Extract facts from a parsed code page (HCPCS Level II or CPT).

One page yields one `BillingCodeFact`, one `ProcedureFact`, a `DrugFact` when
the code bills a drug, and an unstructured `StatementFact` for every item or
sentence no rule used. The rules, section by section:

- **Billing code** (descriptor and code-type lines): the system comes from the
  code's shape (a letter A–V and four digits is HCPCS Level II; five digits,
  or four digits and a letter, is CPT — whatever the code-type line says, a
  CPT code is never typed HCPCS). The billing unit is the quantity that ends
  the descriptor (``1 mg``; ``up to 1,000 mcg`` is a maximum). A descriptor
  ending in ``, each`` bills per item: ``unit_is_each`` is set *and* the
  billing unit is the UCUM count ``1 {each}`` with the word ``each`` as its
  evidence. A descriptor whose first comma-part is ``Injection``/``Infusion``
  bills a drug: the second comma-part, less any quantity or parenthesis.
- **Drug**: named as the page's own text names it without the FDA four-letter
  suffix (``-abcd``), looked up in the Summary first, then the other
  sections; the suffixed descriptor name becomes an other name.
- **Name of the Procedure** (and text above it): ``Common Name(s):`` and
  ``Medical Term:`` labels (also both on one line), ``commonly known as …``,
  and a title line ``<name> (<code>)`` that gives the medical term when no
  label does.
- **Summary**: the whole section; **route**: the first ``subcutaneous``,
  ``intravenous``, ``intramuscular`` … (or ``-ly``) in Summary, then Procedure
  Description.
- **Purpose**: every item or sentence; goals from items under a ``Goals``
  label or from a ``The goal is to …`` sentence (its prose list split).
- **Indications, Preparation, Procedure Description (steps, in order),
  Benefits, Recovery, Patient Experience**: one mention per item or sentence.
- **Body sites**: a parenthesis right after ``site`` (``site (usually the
  arm or leg)``) or ``site … in/into/on the …``, split as a list.
- **Anesthesia**: the first item or sentence naming anesthesia or sedation:
  negated (``no``, ``not``, ``without``) -> not required; ``requires``,
  ``required``, ``needed``, ``under … anesthesia`` -> required; else not
  stated (None).
- **Duration**: clauses of the Duration text; each time phrase is a duration
  of the appointment (``appointment``, ``visit``, ``session`` …), of
  observation (``observation``, ``monitoring``) or else of the procedure.
  Vague phrases (``a few minutes``) and lower bounds (``at least one hour``)
  keep their words and no quantity.
- **Setting**: items, or the list after ``in``/``at`` in a sentence (after a
  verb such as ``performed``/``given`` when there is one; the whole sentence
  when it has no ``in``/``at``), split at commas and ``or``, articles dropped.
- **Personnel**: a role verb (gives/administers -> administers;
  oversees/supervises -> supervises; performs; assists) with its subject, or
  its agent after ``by``; ``may`` makes it optional. A bare noun list
  (``Nurse or pharmacist``) names people who perform the procedure.
- **Risks**: ``Common risks: a, b, c`` / ``Rare risks: …`` items are split at
  commas into one risk each with the band of the label (a ``such as …`` tail
  stays with its risk and gives its glosses; a trailing parenthetical is the
  risk's gloss, not part of its term); an unlabeled item is one risk.
- **Alternatives**: an item listing ``such as a, b or c`` gives each of a, b,
  c; an item that talks about the alternatives (has the word ``alternative``)
  is kept as a statement; any other item is one alternative.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from medkg.model import (
    Band,
    BillingCodeFact,
    Block,
    Document,
    DrugFact,
    DurationFact,
    Evidence,
    Extraction,
    Mention,
    PersonnelFact,
    ProcedureFact,
    Quantity,
    RiskFact,
    Section,
    StatementFact,
)
from medkg.parse.code_page import UNTITLED, code_system
from medkg.quantities import find_durations, find_quantities
from medkg.text import (
    Span,
    evidence,
    mention,
    paren_depth_split,
    sentences,
    split_gloss,
    split_list,
    trim,
)

HEADER = "Header"  # evidence section of the descriptor and code-type lines

_DRUG_FORMS = re.compile(r"(?:injections?|infusions?|injectable)", re.IGNORECASE)
_FDA_SUFFIX = re.compile(r"-[a-z]{4}$")
_COMMA = re.compile(r",\s*")
_EACH = re.compile(r",\s*(?P<each>each)\s*\.?\s*$", re.IGNORECASE)
_UP_TO = re.compile(r"(?:up\s+to|not\s+to\s+exceed|maximum(?:\s+of)?)\s+$", re.IGNORECASE)

_COMMON_LABEL = re.compile(r"common\s+names?(?:\(s\))?|also\s+known\s+as|other\s+names?", re.I)
_MEDICAL_LABEL = re.compile(r"(?:technical\s*/\s*)?(?:medical|technical)\s+term", re.I)
_MEDICAL_INLINE = re.compile(r"\s(?:Technical\s*/\s*)?(?:Medical|Technical)\s+Term\s*:\s*", re.I)
_KNOWN_AS = re.compile(r"(?:commonly|also|usually)\s+(?:known\s+as|called)\s+", re.I)
_ARTICLE = re.compile(r"(?:an?|the|either)\s+", re.IGNORECASE)

_ROUTE = re.compile(
    r"\b(?:subcutaneous|intravenous|intramuscular|intradermal|intravitreal|intrathecal|"
    r"intra-articular)(?:ly)?\b",
    re.IGNORECASE,
)
_GOAL_SENTENCE = re.compile(
    r"(?:the\s+)?(?:main\s+|primary\s+)?(?:goals?|aims?|objectives?)\s+(?:is|are)\s+(?:to\s+)?",
    re.IGNORECASE,
)
_GOAL_LABEL = re.compile(r"goals?|aims?|objectives?", re.IGNORECASE)

_SITE_PAREN = re.compile(r"\bsites?\s*\((?P<inner>[^()]*)\)", re.IGNORECASE)
_SITE_PLACE = re.compile(
    r"\bsites?\b[^.;()]*?\b(?:in|into|on)\s+the\s+(?P<place>[^.;,()]+?)"
    r"(?=\s*[.;,]|\s+(?:is|are|with|using|by|for)\b|\s*$)",
    re.IGNORECASE,
)
_SITE_QUALIFIER = re.compile(
    r"(?:(?:usually|typically|often|commonly|generally|most\s+often|for\s+example|"
    r"e\.g\.|such\s+as|either)[,\s]+)+",
    re.IGNORECASE,
)

_ANESTHESIA = re.compile(r"\b(?:an(?:a)?esthe(?:sia|tics?)|sedation)\b", re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:no|not|without|none|never)\b|n't\b", re.IGNORECASE)
_REQUIRED = re.compile(
    r"\b(?:requires?|required|needs?|needed|"
    r"under\s+(?:local\s+|general\s+|light\s+)?(?:an(?:a)?esthesia|sedation))\b",
    re.IGNORECASE,
)

_CLAUSE_BREAK = re.compile(
    r";\s*|,\s*(?:but|followed\s+by|and|while|whereas|plus)\s+|\s+followed\s+by\s+",
    re.IGNORECASE,
)
_VAGUE_TIME = re.compile(
    r"\b(?:a\s+few|several|a\s+couple\s+of|few)\s+(?:seconds|minutes|hours|days|weeks)\b",
    re.IGNORECASE,
)
_APPROXIMATE = re.compile(r"(?:about|around|approximately|roughly|approx\.|~)\s*$", re.I)
_AT_MOST = re.compile(r"(?:up\s+to|less\s+than|under|no\s+more\s+than|at\s+most)\s+$", re.I)
_AT_LEAST = re.compile(r"(?:at\s+least|more\s+than|over|longer\s+than)\s+$", re.IGNORECASE)
_APPOINTMENT = re.compile(r"\b(?:appointment|visit|session|stay|entire|whole|total)\b", re.I)
_OBSERVATION = re.compile(r"\b(?:observ\w*|monitor\w*|watched|waiting)\b", re.IGNORECASE)

_SETTING_VERB_PLACE = re.compile(
    r"\b(?:performed|given|done|administered|carried\s+out|takes?\s+place|provided|held|used)"
    r"\b[^.;]*?\b(?:in|at)\s+",
    re.IGNORECASE,
)
_SETTING_PLACE = re.compile(r"(?<=\s)(?:in|at)\s+", re.IGNORECASE)

_ROLE_VERBS: tuple[tuple[Literal["administers", "supervises", "assists", "performs"], str], ...] = (
    (
        "administers",
        r"administer(?:s|ed|ing)?|gives?|given|giving|inject(?:s|ed|ing)?|"
        r"infuse[sd]?|infusing",
    ),
    ("supervises", r"oversee[sn]?|overseeing|oversaw|supervis(?:e|es|ed|ing)|monitor(?:s|ed|ing)?"),
    ("performs", r"perform(?:s|ed|ing)?|carr(?:y|ies|ied)\s+out|done|does"),
    ("assists", r"assist(?:s|ed|ing)?|help(?:s|ed|ing)?"),
)
_ROLE_VERB = re.compile(
    "|".join(rf"\b(?P<{role}>{verbs})\b" for role, verbs in _ROLE_VERBS), re.IGNORECASE
)
_AUXILIARY_TAIL = re.compile(
    r"(?:\s+(?:is|are|was|were|will|can|may|might|should|must|usually|typically|also|"
    r"be|present|available|to|generally|often))+\s*$",
    re.IGNORECASE,
)
_OPTIONAL = re.compile(r"\b(?:may|might|can|if\s+needed|if\s+necessary|optionally)\b", re.I)

_RISK_BANDS: tuple[tuple[str, Band], ...] = (
    (r"very\s+common", Band.VERY_COMMON),
    (r"(?:un|less\s+)common", Band.UNCOMMON),
    (r"common|frequent", Band.COMMON),
    (r"very\s+rare", Band.VERY_RARE),
    (r"rare", Band.RARE),
)
_RISK_SENTENCE = re.compile(
    r"(?P<label>[A-Za-z ]{0,30}?(?:risks|side\s+effects|complications))\s+"
    r"(?:include|includes|are|may\s+include)\s+",
    re.IGNORECASE,
)
_EXAMPLES = re.compile(r"\s+(?:such\s+as|including|like|e\.g\.,?)\s+", re.IGNORECASE)
_ALTERNATIVE_WORD = re.compile(r"\balternatives?\b", re.IGNORECASE)


@dataclass(frozen=True)
class _Unit:
    """An item, or a sentence of a paragraph: the smallest thing a statement keeps."""

    section: str
    start: int
    end: int
    block: Block


@dataclass
class _Page:
    """The document being read, and which spans facts have used so far."""

    document: Document
    used: list[Span] = field(default_factory=list)
    statements: list[StatementFact] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.document.text

    def mention(self, section: str, start: int, end: int, glosses: tuple[str, ...] = ()) -> Mention:
        return mention(self.document, section, start, end, glosses)

    def evidence(self, section: str, start: int, end: int) -> Evidence:
        return evidence(self.document, section, start, end)

    def use(self, start: int, end: int) -> None:
        self.used.append((start, end))

    def keep(self, section: str, start: int, end: int) -> None:
        """Keep a span no rule understood as an unstructured statement."""
        self.statements.append(
            StatementFact(kind="unstructured", evidence=self.evidence(section, start, end))
        )

    def is_used(self, start: int, end: int) -> bool:
        return any(s < end and e > start for s, e in self.used)


def extract(document: Document) -> Extraction:
    """Every fact of one parsed code page (see the module docstring for the rules)."""
    page = _Page(document)
    code = _code_mention(page)
    billing = _billing_code(page, code)
    drugs = _drug(page, billing)
    procedure = _procedure(page, code)
    for section in document.sections:
        for unit in _units(document.text, section):
            if not page.is_used(unit.start, unit.end):
                page.keep(unit.section, unit.start, unit.end)
    return Extraction(
        document=document,
        drugs=drugs,
        billing_codes=(billing,),
        procedures=(procedure,),
        statements=tuple(page.statements),
    )


# --------------------------------------------------------------------------
# Sections as units
# --------------------------------------------------------------------------


def _units(text: str, section: Section) -> list[_Unit]:
    """Items whole, paragraphs by sentence; label lines are structure, not units."""
    units: list[_Unit] = []
    for block in section.blocks:
        if block.kind == "label":
            continue
        if block.kind == "paragraph":
            units.extend(
                _Unit(section.name, s, e, block) for s, e in sentences(text, block.start, block.end)
            )
        else:
            units.append(_Unit(section.name, block.start, block.end, block))
    return units


def _own_label(block: Block) -> bool:
    """Whether the block starts with its own ``Label:`` (not a label line above it)."""
    if block.label is None or not block.text.startswith(block.label):
        return False
    return block.text[len(block.label) :].lstrip().startswith(":")


def _sections(page: _Page, name: str) -> list[Section]:
    return [section for section in page.document.sections if section.name == name]


def _section_units(page: _Page, name: str) -> list[_Unit]:
    return [unit for section in _sections(page, name) for unit in _units(page.text, section)]


def _mentions(page: _Page, units: list[_Unit]) -> tuple[Mention, ...]:
    """One mention per unit, each marked as used."""
    found: list[Mention] = []
    for unit in units:
        found.append(page.mention(unit.section, unit.start, unit.end))
        page.use(unit.start, unit.end)
    return tuple(found)


def _section_of(page: _Page, start: int, end: int) -> str:
    for section in page.document.sections:
        if section.start <= start and end <= section.end:
            return section.name
    return HEADER


def _strip_article(text: str, start: int, end: int) -> Span:
    match = _ARTICLE.match(text, start, end)
    return (match.end(), end) if match else (start, end)


def _glosses(text: str, start: int, end: int) -> tuple[str, ...]:
    """Glosses of a term: a trailing parenthesis, or the examples after ``such as``."""
    examples = _EXAMPLES.search(text, start, end)
    if examples:
        return tuple(text[s:e] for s, e in split_list(text, examples.end(), end, split_or=True))
    return split_gloss(text, start, end).glosses


# --------------------------------------------------------------------------
# Billing code and drug
# --------------------------------------------------------------------------


def _code_mention(page: _Page) -> Mention:
    start, end = page.document.metadata["code_span"]
    return page.mention(_section_of(page, start, end), start, end)


def _billing_code(page: _Page, code: Mention) -> BillingCodeFact:
    meta = page.document.metadata
    d_start, d_end = meta["descriptor_span"]
    descriptor = page.mention(HEADER, d_start, d_end)
    unit, is_each = _billing_unit(page, d_start, d_end)
    return BillingCodeFact(
        system="HCPCS" if code_system(code.text) == "HCPCS" else "CPT",
        code=code,
        descriptor=descriptor,
        evidence=page.evidence(HEADER, d_start, meta["code_type_span"][1]),
        billing_unit=unit,
        unit_is_each=is_each,
        drug_name=_descriptor_drug(page, d_start, d_end),
    )


def _billing_unit(page: _Page, start: int, end: int) -> tuple[Quantity | None, bool]:
    """The quantity ending the descriptor, or ``1 {each}`` for ``, each``."""
    text = page.text
    each = _EACH.search(text, start, end)
    if each:
        ev = page.evidence(HEADER, *each.span("each"))
        return Quantity(unit="{each}", evidence=ev, value=Decimal(1)), True
    stop = trim(text, start, end, " \t.")[1]
    trailing = [q for q in find_quantities(text, start, stop) if q.end == stop]
    if not trailing:
        return None, False
    found = trailing[-1]
    up_to = _UP_TO.search(text, start, found.start)
    q_start = up_to.start() if up_to else found.start
    return (
        Quantity(
            unit=found.unit,
            evidence=page.evidence(HEADER, q_start, found.end),
            value=found.value,
            low=found.low,
            high=found.high,
            maximum=up_to is not None,
        ),
        False,
    )


def _descriptor_drug(page: _Page, start: int, end: int) -> Mention | None:
    """The second comma-part of an ``Injection, <drug>, <unit>`` descriptor."""
    text = page.text
    parts = paren_depth_split(text, start, end, _COMMA)
    if len(parts) < 2 or not _DRUG_FORMS.fullmatch(text, *parts[0]):
        return None
    d_start, d_end = parts[1]
    quantities = find_quantities(text, d_start, d_end)
    if quantities:
        d_end = quantities[0].start
    paren = text.find("(", d_start, d_end)
    if paren >= 0:
        d_end = paren
    d_start, d_end = trim(text, d_start, d_end, " \t,;:")
    if d_start >= d_end or not any(c.isalpha() for c in text[d_start:d_end]):
        return None
    return page.mention(HEADER, d_start, d_end)


def _drug(page: _Page, billing: BillingCodeFact) -> tuple[DrugFact, ...]:
    """The drug the code bills, named as the page names it without FDA suffix."""
    named = billing.drug_name
    if named is None:
        return ()
    suffix = _FDA_SUFFIX.search(named.text)
    base = named.text[: suffix.start()] if suffix else named.text
    pattern = re.compile(rf"(?<![\w-]){re.escape(base)}(?![\w-])", re.IGNORECASE)
    ordered = _sections(page, "Summary") + [
        s for s in page.document.sections if s.name != "Summary"
    ]
    name = named
    for section in ordered:
        found = pattern.search(page.text, section.start, section.end)
        if found:
            name = page.mention(section.name, *found.span())
            break
    return (
        DrugFact(
            name=name,
            evidence=billing.descriptor.evidence,
            other_names=(named,) if suffix else (),
        ),
    )


# --------------------------------------------------------------------------
# Procedure
# --------------------------------------------------------------------------


def _procedure(page: _Page, code: Mention) -> ProcedureFact:
    common_name, medical_term = _names(page)
    summary = _summary(page)
    anesthesia = _anesthesia(page)
    purpose, goals = _purpose(page)
    return ProcedureFact(
        evidence=_procedure_evidence(page),
        code=code,
        common_name=common_name,
        medical_term=medical_term,
        summary=summary,
        route=_route(page),
        purpose=purpose,
        goals=goals,
        indications=_mentions(page, _section_units(page, "Indications")),
        preparation=_mentions(page, _section_units(page, "Preparation")),
        steps=_mentions(page, _section_units(page, "Procedure Description")),
        body_sites=_body_sites(page),
        anesthesia_required=anesthesia[0] if anesthesia else None,
        anesthesia_evidence=anesthesia[1] if anesthesia else None,
        durations=_durations(page),
        settings=_settings(page),
        personnel=_personnel(page),
        risks=_risks(page),
        benefits=_mentions(page, _section_units(page, "Benefits")),
        recovery=_mentions(page, _section_units(page, "Recovery")),
        alternatives=_alternatives(page),
        patient_experience=_mentions(page, _section_units(page, "Patient Experience")),
    )


def _procedure_evidence(page: _Page) -> Evidence:
    for section in _sections(page, "Name of the Procedure"):
        if section.blocks:
            return page.evidence(section.name, section.blocks[0].start, section.blocks[-1].end)
    start, end = page.document.metadata["descriptor_span"]
    return page.evidence(HEADER, start, end)


def _name_blocks(page: _Page) -> list[tuple[str, Block]]:
    """Blocks of the Name of the Procedure section and of untitled text above it."""
    found: list[tuple[str, Block]] = []
    for section in page.document.sections:
        if section.name in (UNTITLED, "Name of the Procedure"):
            found.extend((section.name, block) for block in section.blocks)
        if section.name == "Name of the Procedure":
            break
    return found


def _value_span(text: str, block: Block) -> Span:
    """The text after a block's own ``Label:`` (the whole block when it has none)."""
    if not _own_label(block):
        return block.start, block.end
    colon = text.index(":", block.start, block.end)
    return trim(text, colon + 1, block.end, " \t")


def _without_code(page: _Page, start: int, end: int) -> Span:
    """Drop the ``(HCPCS A1234)`` reference (and what follows it) from a name span."""
    ref_start, _ = page.document.metadata["code_reference_span"]
    if start <= ref_start < end:
        end = ref_start
    return trim(page.text, start, end, " \t,;:.")


def _names(page: _Page) -> tuple[Mention | None, Mention | None]:
    """(common name, medical term) from the name block; see the module docstring."""
    text = page.text
    common: Mention | None = None
    medical: Mention | None = None
    titles: list[tuple[str, Span, Block]] = []
    for section, block in _name_blocks(page):
        if block.kind == "label":
            continue
        label = block.label or ""
        if label and _COMMON_LABEL.fullmatch(label):
            start, end = _value_span(text, block)
            inline = _MEDICAL_INLINE.search(text, start, end)
            if inline:
                m_start, m_end = _without_code(page, inline.end(), end)
                medical = medical or page.mention(section, m_start, m_end)
                end = inline.start()
            names = split_list(text, start, end)
            if names and common is None:
                common = page.mention(section, *names[0])
                for rest in names[1:]:
                    page.keep(section, *rest)
            page.use(block.start, block.end)
        elif label and _MEDICAL_LABEL.fullmatch(label):
            m_start, m_end = _without_code(page, *_value_span(text, block))
            medical = medical or page.mention(section, m_start, m_end)
            page.use(block.start, block.end)
        elif block.start <= page.document.metadata["code_span"][0] < block.end:
            title = _without_code(page, block.start, block.end)
            known_as = _KNOWN_AS.search(text, block.start, block.end)
            if known_as:
                c_start, c_end = trim(text, known_as.end(), block.end, " \t.,;")
                common = common or page.mention(section, *_strip_article(text, c_start, c_end))
                page.use(known_as.start(), c_end)
            titles.append((section, title, block))
    descriptor = page.document.metadata["descriptor"]
    for section, (start, end), block in titles:
        if medical is None and start < end:
            medical = page.mention(section, start, end)
            page.use(block.start, block.end)
        elif " ".join(text[start:end].split()).lower() == " ".join(descriptor.split()).lower():
            page.use(block.start, block.end)  # the title restates the descriptor
    return common, medical


def _summary(page: _Page) -> Mention | None:
    for section in _sections(page, "Summary"):
        if section.blocks:
            start, end = section.blocks[0].start, section.blocks[-1].end
            page.use(start, end)
            return page.mention(section.name, start, end)
    return None


def _route(page: _Page) -> Mention | None:
    """The first route word of the Summary, else of the Procedure Description."""
    for name in ("Summary", "Procedure Description"):
        for section in _sections(page, name):
            found = _ROUTE.search(page.text, section.start, section.end)
            if found:
                return page.mention(name, *found.span())
    return None


def _purpose(page: _Page) -> tuple[tuple[Mention, ...], tuple[Mention, ...]]:
    """(purpose, goals): Goals-labelled items are goals; every other unit is a
    purpose, and a ``The goal is to …`` sentence also gives its goals."""
    text = page.text
    purpose: list[Mention] = []
    goals: list[Mention] = []
    for unit in _section_units(page, "Purpose"):
        page.use(unit.start, unit.end)
        if unit.block.label and _GOAL_LABEL.fullmatch(unit.block.label):
            if _own_label(unit.block):
                start, end = _value_span(text, unit.block)
                goals.extend(
                    page.mention(unit.section, s, e) for s, e in split_list(text, start, end)
                )
            else:
                goals.append(page.mention(unit.section, unit.start, unit.end))
            continue
        purpose.append(page.mention(unit.section, unit.start, unit.end))
        sentence = _GOAL_SENTENCE.match(text, unit.start, unit.end)
        if sentence:
            goals.extend(
                page.mention(unit.section, s, e)
                for s, e in split_list(text, sentence.end(), unit.end)
            )
    return tuple(purpose), tuple(goals)


def _body_sites(page: _Page) -> tuple[Mention, ...]:
    """Places named in a parenthesis after ``site``, or ``site … in the …``."""
    text = page.text
    sites: list[Mention] = []
    for unit in _section_units(page, "Summary") + _section_units(page, "Procedure Description"):
        spans: list[Span] = []
        for match in _SITE_PAREN.finditer(text, unit.start, unit.end):
            spans.append(match.span("inner"))
        if not spans:
            spans.extend(m.span("place") for m in _SITE_PLACE.finditer(text, unit.start, unit.end))
        for start, end in spans:
            qualifier = _SITE_QUALIFIER.match(text, start, end)
            start = qualifier.end() if qualifier else start
            for s, e in split_list(text, start, end, split_or=True):
                sites.append(page.mention(unit.section, *_strip_article(text, s, e)))
    return tuple(sites)


def _anesthesia(page: _Page) -> tuple[bool, Evidence] | None:
    """(required, evidence) from the first unit naming anesthesia or sedation."""
    text = page.text
    names = ["Procedure Description"] + [
        s.name for s in page.document.sections if s.name != "Procedure Description"
    ]
    for name in dict.fromkeys(names):
        for unit in _section_units(page, name):
            if not _ANESTHESIA.search(text, unit.start, unit.end):
                continue
            if _NEGATION.search(text, unit.start, unit.end):
                required = False
            elif _REQUIRED.search(text, unit.start, unit.end):
                required = True
            else:
                continue
            page.use(unit.start, unit.end)
            return required, page.evidence(unit.section, unit.start, unit.end)
    return None


def _clauses(text: str, start: int, end: int) -> list[Span]:
    spans: list[Span] = []
    cursor = start
    for match in _CLAUSE_BREAK.finditer(text, start, end):
        spans.append(trim(text, cursor, match.start(), " \t.,"))
        cursor = match.end()
    spans.append(trim(text, cursor, end, " \t.,"))
    return [(s, e) for s, e in spans if s < e]


def _durations(page: _Page) -> tuple[DurationFact, ...]:
    """Durations stated in the Duration section, one per time phrase. In a
    sentence that states one, a clause that states none is kept as a statement."""
    text = page.text
    found: list[DurationFact] = []
    for unit in _section_units(page, "Duration"):
        unused: list[Span] = []
        for c_start, c_end in _clauses(text, unit.start, unit.end):
            phrases = _time_phrases(page, unit.section, c_start, c_end)
            if not phrases:
                unused.append((c_start, c_end))
                continue
            of: Literal["procedure", "appointment", "observation"] = "procedure"
            if _APPOINTMENT.search(text, c_start, c_end):
                of = "appointment"
            elif _OBSERVATION.search(text, c_start, c_end):
                of = "observation"
            clause_ev = page.evidence(unit.section, c_start, c_end)
            for quantity, phrase in phrases:
                found.append(
                    DurationFact(of=of, evidence=clause_ev, quantity=quantity, text=phrase)
                )
            page.use(c_start, c_end)
        if page.is_used(unit.start, unit.end):
            for start, end in unused:
                page.keep(unit.section, start, end)
    return tuple(found)


def _time_phrases(
    page: _Page, section: str, start: int, end: int
) -> list[tuple[Quantity | None, str]]:
    """(quantity, words) for each time phrase; no quantity for vague or
    lower-bound phrases."""
    text = page.text
    phrases: list[tuple[int, Quantity | None, str]] = []
    for vague in _VAGUE_TIME.finditer(text, start, end):
        phrases.append((vague.start(), None, vague.group()))
    for q in find_durations(text, start, end):
        if q.start > 0 and text[q.start - 1].isalnum():
            continue  # "a minute" inside "data minutes"
        if any(s <= q.start < s + len(words) for s, _, words in phrases):
            continue
        before = text[max(start, q.start - 30) : q.start]
        at_least = _AT_LEAST.search(before)
        approx = _APPROXIMATE.search(before)
        at_most = _AT_MOST.search(before)
        qualifier = at_least or approx or at_most
        q_start = max(start, q.start - 30) + qualifier.start() if qualifier else q.start
        words = text[q_start : q.end]
        if at_least:
            phrases.append((q_start, None, words))
            continue
        quantity = Quantity(
            unit=q.unit,
            evidence=page.evidence(section, q_start, q.end),
            value=q.value,
            low=q.low,
            high=q.high,
            approximate=approx is not None,
            maximum=at_most is not None,
        )
        phrases.append((q_start, quantity, words))
    return [(quantity, words) for _, quantity, words in sorted(phrases, key=lambda p: p[0])]


def _settings(page: _Page) -> tuple[Mention, ...]:
    """Places from Setting items, or from the list after ``in``/``at``."""
    text = page.text
    places: list[Mention] = []
    for unit in _section_units(page, "Setting"):
        start = unit.start
        if unit.block.kind == "paragraph":
            place = _SETTING_VERB_PLACE.search(text, unit.start, unit.end) or (
                _SETTING_PLACE.search(text, unit.start, unit.end)
            )
            if place:
                start = place.end()
        for s, e in split_list(text, start, unit.end, split_or=True):
            places.append(page.mention(unit.section, *_strip_article(text, s, e)))
        page.use(unit.start, unit.end)
    return tuple(places)


def _personnel(page: _Page) -> tuple[PersonnelFact, ...]:
    """Who does what, from Personnel items and sentences."""
    text = page.text
    people: list[PersonnelFact] = []
    for unit in _section_units(page, "Personnel"):
        unit_ev = page.evidence(unit.section, unit.start, unit.end)
        verb = _ROLE_VERB.search(text, unit.start, unit.end)
        if verb is None:
            for s, e in split_list(text, unit.start, unit.end, split_or=True):
                who = page.mention(unit.section, *_strip_article(text, s, e))
                people.append(PersonnelFact(who=who, role="performs", evidence=unit_ev))
            page.use(unit.start, unit.end)
            continue
        role = next(r for r, _ in _ROLE_VERBS if verb.group(r) is not None)
        by = re.compile(r"\s+by\s+", re.IGNORECASE).match(text, verb.end(), unit.end)
        if by:
            w_start, w_end = trim(text, by.end(), unit.end, " \t.,;")
            optional = False
        else:
            w_start, w_end = unit.start, verb.start()
            tail = _AUXILIARY_TAIL.search(text, w_start, w_end)
            if tail:
                w_end = tail.start()
            optional = _OPTIONAL.search(text, unit.start, verb.start()) is not None
        w_start, w_end = _strip_article(text, *trim(text, w_start, w_end, " \t.,;"))
        if w_start >= w_end:
            continue
        who = page.mention(unit.section, w_start, w_end)
        people.append(PersonnelFact(who=who, role=role, evidence=unit_ev, optional=optional))
        page.use(unit.start, unit.end)
    return tuple(people)


def _band(label: str) -> Band | None:
    for pattern, band in _RISK_BANDS:
        if re.match(pattern + r"\b", label, re.IGNORECASE):
            return band
    return None


def _risk_items(text: str, start: int, end: int) -> list[Span]:
    """Comma-split risks; a ``such as`` tail stays with the risk it belongs to."""
    parts = split_list(text, start, end)
    merged: list[Span] = []
    for s, e in parts:
        if merged and _EXAMPLES.search(text, *merged[-1]):
            merged[-1] = (merged[-1][0], e)
        else:
            merged.append((s, e))
    return merged


def _risk_term(text: str, start: int, end: int) -> Span:
    """A risk's term: without a trailing parenthetical, which glosses it
    ("infusion reactions (itching, rash)"); a ``such as`` tail stays (it is
    read as examples when the term is linked)."""
    if _EXAMPLES.search(text, start, end):
        return start, end
    return split_gloss(text, start, end).term


def _risks(page: _Page) -> tuple[RiskFact, ...]:
    text = page.text
    risks: list[RiskFact] = []
    for unit in _section_units(page, "Risks and Complications"):
        unit_ev = page.evidence(unit.section, unit.start, unit.end)
        label = unit.block.label
        list_start: int | None = None
        sentence = _RISK_SENTENCE.match(text, unit.start, unit.end)
        if label and _own_label(unit.block) and unit.start == unit.block.start:
            list_start = _value_span(text, unit.block)[0]
        elif sentence:
            label = sentence.group("label")
            list_start = sentence.end()
        if list_start is None:
            if unit.block.kind != "item":
                continue  # an unlabeled sentence: kept as a statement
            band = _band(label) if label else None  # the label line above the item
            risk = page.mention(
                unit.section,
                *_risk_term(text, unit.start, unit.end),
                _glosses(text, unit.start, unit.end),
            )
            risks.append(
                RiskFact(
                    risk=risk, evidence=unit_ev, band=band, frequency_text=label if band else None
                )
            )
            page.use(unit.start, unit.end)
            continue
        band = _band(label) if label else None
        for s, e in _risk_items(text, list_start, unit.end):
            risk = page.mention(unit.section, *_risk_term(text, s, e), _glosses(text, s, e))
            risks.append(
                RiskFact(
                    risk=risk, evidence=unit_ev, band=band, frequency_text=label if band else None
                )
            )
        page.use(unit.start, unit.end)
    return tuple(risks)


def _alternatives(page: _Page) -> tuple[Mention, ...]:
    text = page.text
    found: list[Mention] = []
    for unit in _section_units(page, "Alternatives"):
        if _ALTERNATIVE_WORD.search(text, unit.start, unit.end):
            continue  # a remark about the alternatives: kept as a statement
        examples = _EXAMPLES.search(text, unit.start, unit.end)
        if examples:
            for s, e in split_list(text, examples.end(), unit.end, split_or=True):
                found.append(page.mention(unit.section, s, e, split_gloss(text, s, e).glosses))
        else:
            found.append(
                page.mention(
                    unit.section,
                    unit.start,
                    unit.end,
                    split_gloss(text, unit.start, unit.end).glosses,
                )
            )
        page.use(unit.start, unit.end)
    return tuple(found)
