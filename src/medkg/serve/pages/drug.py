"""The drug page: a monograph summary read from the graph.

Sections: indications; dosing (dose, route, frequency, population, maximum);
adverse reactions grouped by frequency band, with seriousness; contraindications,
warnings and population guidance; the mechanism (an SVG diagram and its steps);
billing codes with units per administration and per course for each regimen.
Every fact's row carries its quotes and sources (`evidence_details`). Text a
person reads is a label, never an IRI.
"""

from __future__ import annotations

import re
from collections import defaultdict

from medkg.serve.pages import dosing
from medkg.serve.pages.billing import UNIT_HEADINGS, billing_rows, unit_cells
from medkg.serve.pages.graph_slice import MEDKG, RDFS, SCHEMA, SKOS, Slice, words_of
from medkg.serve.pages.html import esc, evidence_details, href_of, link, page, table
from medkg.serve.pages.mechanism_svg import Link, mechanism_svg

BANDS = (
    ("VeryCommon", "Very common (1 in 10 or more)"),
    ("Common", "Common (1 in 100 to 1 in 10)"),
    ("Uncommon", "Uncommon (1 in 1,000 to 1 in 100)"),
    ("Rare", "Rare (1 in 10,000 to 1 in 1,000)"),
    ("VeryRare", "Very rare (less than 1 in 10,000)"),
    ("FrequencyNotKnown", "Frequency not known"),
)
SECTIONS = (
    ("indications", "Indications"),
    ("dosing", "Dosing"),
    ("reactions", "Adverse reactions"),
    ("contraindications", "Contraindications"),
    ("warnings", "Warnings and precautions"),
    ("mechanism", "How it works"),
    ("billing", "Billing codes"),
)


def _as_written(graph: Slice, concept: str, fact: str) -> str:
    """A concept's label as the fact's quote spells it when a label occurs in the quote."""
    labels = graph.texts(concept, SKOS + "altLabel") + graph.texts(concept, SKOS + "prefLabel")
    for span in graph.evidence(fact):
        for label in sorted(labels, key=len, reverse=True):
            found = re.search(re.escape(label), span.quote, re.IGNORECASE)
            if found:
                return found.group(0)
    return graph.label(concept)


def _concept(graph: Slice, concept: str, text: str | None = None) -> str:
    return link(concept, text or graph.label(concept))


def _none(text: str) -> str:
    return f'<p class="none">{esc(text)}</p>'


def _indications(graph: Slice, drug: str) -> str:
    items = []
    for fact in graph.nodes(drug, MEDKG + "indication"):
        conditions = graph.nodes(fact, MEDKG + "condition")
        name = graph.text(fact, MEDKG + "termAsWritten")
        # the wording as written names the condition only when there is one
        worded = name if len(conditions) == 1 else None
        title = ", ".join(_concept(graph, each, worded) for each in conditions) or esc(name or "")
        details = []
        for prop, words in (("population", "in"), ("qualifier", "")):
            for text in graph.texts(fact, MEDKG + prop):
                details.append(esc(f"{words} {text}".strip()))
        lists = []
        for prop, heading in (("criterion", "When"), ("goal", "Goals")):
            statements = sorted(graph.nodes(fact, MEDKG + prop), key=graph.position)
            if statements:
                entries = "".join(
                    f"<li>{esc(graph.text(each, SCHEMA + 'text') or '')} "
                    f"{evidence_details(graph.evidence(each))}</li>"
                    for each in statements
                )
                lists.append(f'<p class="sub">{heading}:</p><ul>{entries}</ul>')
        items.append(
            f'<li class="fact"><strong>{title}</strong> {" ".join(details)} '
            f"{evidence_details(graph.evidence(fact))}{''.join(lists)}</li>"
        )
    return f'<ul class="facts">{"".join(items)}</ul>' if items else _none("No indication stated.")


def _dosing(graph: Slice, drug: str) -> str:
    rows = []
    regimens = graph.nodes(drug, SCHEMA + "doseSchedule")
    for regimen in sorted(regimens):
        rows.append(
            (
                esc(dosing.population(graph, regimen) or "not stated"),
                esc(dosing.dose(graph, regimen) or "—"),
                esc(dosing.route(graph, regimen) or "—"),
                esc(dosing.frequency(graph, regimen) or "—"),
                esc(dosing.maximum(graph, regimen) or "—"),
                evidence_details(graph.evidence(regimen)),
            )
        )
    if not rows:
        return _none("No dosing regimen stated.")
    return table(("Population", "Dose", "Route", "Frequency", "Maximum", "Source"), rows)


def _reactions(graph: Slice, drug: str) -> str:
    groups: dict[str, list[str]] = defaultdict(list)
    for fact in graph.nodes(drug, MEDKG + "adverseReaction"):
        bands = graph.nodes(fact, MEDKG + "frequencyBand")
        written = graph.text(fact, MEDKG + "frequencyText")
        if bands:
            key = "band:" + words_of(bands[0])
        elif written:
            key = f"written:{written}"
        else:
            key = "none:"
        groups[key].append(fact)
    order = [f"band:{words_of(name)}" for name, _ in BANDS]
    headings = {f"band:{words_of(name)}": label for name, label in BANDS}
    keys = sorted(groups, key=lambda key: (order.index(key) if key in order else len(order), key))
    parts = []
    for key in keys:
        kind, _, written = key.partition(":")
        heading = headings.get(key) or (
            f"Frequency as written: “{written}”" if kind == "written" else "Frequency not stated"
        )
        rows = []
        for fact in sorted(groups[key], key=lambda fact: graph.label(_first(graph, fact)).lower()):
            concept = _first(graph, fact)
            written_term = graph.text(fact, MEDKG + "termAsWritten") or graph.label(concept)
            serious = graph.flag(fact, MEDKG + "serious")
            rows.append(
                (
                    _concept(graph, concept, written_term) if concept else esc(written_term),
                    esc(graph.text(fact, MEDKG + "frequencyText") or ""),
                    '<strong class="serious">serious</strong>' if serious else "",
                    evidence_details(graph.evidence(fact)),
                )
            )
        parts.append(
            f'<h3>{esc(heading)} <span class="count">({len(rows)})</span></h3>'
            + table(("Reaction", "Frequency as written", "Seriousness", "Source"), rows)
        )
    return "\n".join(parts) if parts else _none("No adverse reaction stated.")


def _first(graph: Slice, fact: str) -> str:
    found = graph.nodes(fact, MEDKG + "reaction")
    return found[0] if found else ""


def _statements(graph: Slice, drug: str) -> str:
    parts = []
    contraindications = []
    for fact in graph.nodes(drug, MEDKG + "contraindication"):
        conditions = [graph.label(each) for each in graph.nodes(fact, MEDKG + "condition")]
        text = graph.text(fact, SCHEMA + "text") or ", ".join(conditions)
        unnamed = [each for each in conditions if each.lower() not in text.lower()]
        if unnamed:  # the sentence does not name the condition (one sentence, several facts)
            text = f"{', '.join(unnamed)}: {text}"
        examples = [
            graph.label(each)
            for each in graph.nodes(fact, MEDKG + "example")
            if graph.label(each).lower() not in text.lower()
        ]
        note = f' <span class="note">(e.g. {esc(", ".join(examples))})</span>' if examples else ""
        contraindications.append(
            f'<li class="fact">{esc(text)}{note} {evidence_details(graph.evidence(fact))}</li>'
        )
    parts.append(
        '<section aria-labelledby="contraindications"><h2 id="contraindications">'
        "Contraindications</h2>"
        + (
            f'<ul class="facts">{"".join(contraindications)}</ul>'
            if contraindications
            else _none("No contraindication stated.")
        )
        + "</section>"
    )
    warnings = []
    for fact in graph.nodes(drug, MEDKG + "warning"):
        kind = graph.text(fact, MEDKG + "warningKind")
        tag = f'<span class="tag">{esc(kind.replace("-", " "))}</span> ' if kind else ""
        warnings.append(
            f'<li class="fact">{tag}{esc(graph.text(fact, SCHEMA + "text") or "")} '
            f"{evidence_details(graph.evidence(fact))}</li>"
        )
    for fact in graph.nodes(drug, MEDKG + "populationGuidance"):
        who = ", ".join(graph.texts(fact, MEDKG + "population"))
        what = "; ".join(graph.texts(fact, MEDKG + "guidance"))
        warnings.append(
            f'<li class="fact"><span class="tag">{esc(who)}</span> {esc(what)} '
            f"{evidence_details(graph.evidence(fact))}</li>"
        )
    parts.append(
        '<section aria-labelledby="warnings"><h2 id="warnings">Warnings and precautions</h2>'
        + (f'<ul class="facts">{"".join(warnings)}</ul>' if warnings else _none("None stated."))
        + "</section>"
    )
    return "\n".join(parts)


def _mechanism(graph: Slice, drug: str, name: str) -> str:
    links: list[Link] = []
    items = []
    for mechanism in graph.nodes(drug, SCHEMA + "mechanismOfAction"):
        for step in sorted(graph.nodes(mechanism, MEDKG + "step"), key=graph.position):
            subjects = graph.nodes(step, MEDKG + "subject")
            objects = graph.nodes(step, MEDKG + "object")
            relations = graph.nodes(step, MEDKG + "relation")
            subject = _as_written(graph, subjects[0], step) if subjects else name
            thing = _as_written(graph, objects[0], step) if objects else ""
            relation = words_of(relations[0]) if relations else "acts on"
            links.append(Link(subject, relation, thing))
            items.append((subject, relation, thing, step))
        for effect in sorted(graph.nodes(mechanism, MEDKG + "effect"), key=graph.position):
            affects = graph.nodes(effect, MEDKG + "affects")
            directions = graph.nodes(effect, MEDKG + "direction")
            thing = _as_written(graph, affects[0], effect) if affects else ""
            relation = words_of(directions[0]) if directions else "affects"
            strength = graph.text(effect, MEDKG + "strength")
            links.append(Link(name, relation + "s", thing))
            items.append(
                (name, relation + "s" + (f" ({strength})" if strength else ""), thing, effect)
            )
    if not items:
        return _none("No mechanism stated.")
    steps = "".join(
        f'<li class="fact">{esc(subject)} <em>{esc(relation)}</em> {esc(thing)} '
        f"{evidence_details(graph.evidence(node))}</li>"
        for subject, relation, thing, node in items
    )
    legend = (
        '<p class="legend">→ activates or increases · ⊣ inhibits or decreases · '
        "○ other relation</p>"
    )
    return (
        f"<figure>{mechanism_svg(name, links)}<figcaption>{legend}</figcaption></figure>"
        f'<ol class="facts">{steps}</ol>'
    )


def _billing(graph: Slice, drug: str, descriptions: list[str]) -> str:
    rows = []
    for row in billing_rows(graph, descriptions):
        if row.drug != drug:
            continue
        code_href = href_of(row.code)
        code = (
            f'<a href="{esc(code_href)}">{esc(row.notation)}</a>'
            if code_href
            else esc(row.notation)
        )
        coded = code + (f" <small>{esc(row.system)}</small>" if row.system else "")
        rows.append((coded, esc(row.descriptor), *unit_cells(graph, row)))
    if not rows:
        return _none("No billing code bills this drug.")
    return table(("Code", "Descriptor", *UNIT_HEADINGS), rows)


def render_drug_page(graph: Slice, descriptions: list[str]) -> str:
    """The drug page of `graph.node`; `descriptions` are the code descriptions billing it."""
    drug = graph.node
    name = graph.text(drug, SCHEMA + "name") or graph.label(drug)
    others = sorted(
        {
            text
            for prop in (SCHEMA + "alternateName", RDFS + "label", SCHEMA + "nonProprietaryName")
            for text in graph.texts(drug, prop)
        }
        - {name}
    )
    also = f'<p class="aka">Also: {esc(", ".join(others))}</p>' if others else ""
    documents = sorted(
        graph.text(each, MEDKG + "fileName") or graph.label(each)
        for each in graph.nodes(drug, MEDKG + "describedBy")
    )
    sources = f'<p class="aka">Sources: {esc(", ".join(documents))}</p>' if documents else ""
    contents = " ".join(f'<a href="#{key}">{esc(title)}</a>' for key, title in SECTIONS)
    body = f"""<h1>{esc(name)}</h1>
{also}{sources}
<p class="views">Linked data: <a href="?view=data">all properties</a> ·
<a href="?format=turtle">Turtle</a> · <a href="?format=jsonld">JSON-LD</a></p>
<nav class="contents" aria-label="sections">{contents}</nav>
<section aria-labelledby="indications"><h2 id="indications">Indications</h2>
{_indications(graph, drug)}</section>
<section aria-labelledby="dosing"><h2 id="dosing">Dosing</h2>
{_dosing(graph, drug)}</section>
<section aria-labelledby="reactions"><h2 id="reactions">Adverse reactions</h2>
{_reactions(graph, drug)}</section>
{_statements(graph, drug)}
<section aria-labelledby="mechanism"><h2 id="mechanism">How it works</h2>
{_mechanism(graph, drug, name)}</section>
<section aria-labelledby="billing"><h2 id="billing">Billing codes</h2>
{_billing(graph, drug, descriptions)}</section>"""
    return page(name, body)
