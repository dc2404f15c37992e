"""Derived facts, computed from the graph and marked as derived with their inputs.

* **Billing units**: for every page's description of a code that bills a drug
  (`medkg:BillingCodeDescription`) and every regimen of that drug whose dose is
  commensurable with the billing unit the same description gives — units per
  administration (dose ÷ unit), per unit dose (one injection), per course
  (× administrations in the maximum duration). A weight-based dose gives units
  per kilogram and says the count depends on weight; no number is invented.
  Two pages about one code give two calculations, each with its own page's
  unit and drug. A description billing several drugs (a combination:
  ``Injection, pertuzumab, trastuzumab, and hyaluronidase-zzxf, per 10 mg``)
  gives none: its unit measures the combination (or, in ``trastuzumab, 10 mg
  and hyaluronidase-oysk``, one part of it), which no single drug's regimen
  doses, so any count would be a guess.
* **Cross-source comparisons**: where a monograph and a code page speak of the
  same drug — the same adverse reaction (frequency bands agree or differ), the
  route (they agree when they share a route: "IV or IM" and IV agree), the
  indication criteria, who administers. The code page's claims are
  those of the procedure of the same page as the description that names the
  drug. Both claims stay in the graph with their sources; the comparison only
  points at them (and is derived from the description that paired them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.term import Node

from medkg.graph.quads import NamedGraph, TripleIndex
from medkg.graph.writer import GraphWriter, decimal_literal, local
from medkg.namespaces import ID, MEDKG, PROV, RDF, RDFS, SCHEMA, SKOS
from medkg.text import normalise_term, slug

MASS_IN_UG = {"ng": Decimal("0.001"), "ug": Decimal(1), "mg": Decimal(1000), "g": Decimal(1000000)}
TIME_IN_HOURS = {"h": Decimal(1), "d": Decimal(24), "wk": Decimal(168)}
TIME_IN_MONTHS = {"mo": Decimal(1), "a": Decimal(12)}

# framing words ignored when comparing criteria ("other" is kept: it carries meaning)
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "for",
        "in",
        "on",
        "with",
        "or",
        "and",
        "who",
        "whom",
        "those",
        "that",
        "which",
        "is",
        "are",
        "be",
        "been",
        "have",
        "has",
        "than",
        "by",
        "as",
        "at",
        "from",
        "their",
        "any",
    ]
)


def convert(value: Decimal, unit: str, target: str) -> Decimal | None:
    """`value` `unit` expressed in `target`, when the two are exactly commensurable."""
    if unit == target:
        return value
    for table in (MASS_IN_UG, TIME_IN_HOURS, TIME_IN_MONTHS):
        if unit in table and target in table:
            return value * table[unit] / table[target]
    return None


def _value(g: TripleIndex, node: Node, prop: URIRef) -> Decimal | None:
    literal = g.value(node, prop)
    return Decimal(str(literal)) if isinstance(literal, Literal) else None


def _text(g: TripleIndex, node: Node, prop: URIRef) -> str:
    value = g.value(node, prop)
    return str(value) if value is not None else ""


def write_derived(writer: GraphWriter) -> None:
    union = writer.quads.union.copy()  # what the documents say: derived facts are not read
    for description in sorted(set(union.subjects(MEDKG.bills, None)), key=str):
        code = union.value(description, MEDKG.describesCode)
        if code is None:
            continue
        drugs = sorted(set(union.objects(description, MEDKG.bills)), key=str)
        for drug in drugs:
            if len(drugs) == 1:  # a combination's unit is no one drug's: nothing derived
                _billing_units(writer, union, description, code, drug)
            _comparisons(writer, union, description, drug)


# -- billing units ------------------------------------------------------------


def _billing_units(
    writer: GraphWriter, g: TripleIndex, description: Node, code: Node, drug: Node
) -> None:
    """Calculations pairing the billing unit of one page's `description` with `drug`'s doses."""
    unit_node = g.value(description, MEDKG.billingUnit)
    if unit_node is None:
        return
    per_unit = _value(g, unit_node, SCHEMA.value)
    billing_unit = _text(g, unit_node, SCHEMA.unitCode)
    if per_unit is None or per_unit == 0:
        return
    for regimen in sorted(set(g.objects(drug, SCHEMA.doseSchedule)), key=str):
        dose = g.value(regimen, MEDKG.dose)
        if dose is None:
            continue
        dose_unit = _text(g, dose, SCHEMA.unitCode)
        weight_based = dose_unit.endswith("/kg")
        base_unit = dose_unit.removesuffix("/kg")
        pair = f"{local(URIRef(str(description)))}/{local(URIRef(str(regimen)))}"
        node = ID[f"derived/billing-units/{pair}"]
        links = writer.links
        inputs: list[Node] = [description, dose, unit_node]
        wrote = False
        for prop, per_kg_prop, amount in (
            (MEDKG.unitsPerAdministration, MEDKG.unitsPerKilogram, _value(g, dose, SCHEMA.value)),
            (
                MEDKG.unitsPerAdministrationMin,
                MEDKG.unitsPerKilogramMin,
                _value(g, dose, SCHEMA.minValue),
            ),
            (
                MEDKG.unitsPerAdministrationMax,
                MEDKG.unitsPerKilogramMax,
                _value(g, dose, SCHEMA.maxValue),
            ),
        ):
            if amount is None:
                continue
            in_unit = convert(amount, base_unit, billing_unit)
            if in_unit is None:
                continue
            units = in_unit / per_unit
            links.add((node, per_kg_prop if weight_based else prop, decimal_literal(units)))
            wrote = True
            if weight_based or prop != MEDKG.unitsPerAdministration:
                continue
            _units_per_unit_dose(links, g, node, regimen, base_unit, billing_unit, per_unit, inputs)
            _units_per_course(links, g, node, regimen, units, inputs)
        if not wrote:
            continue
        links.add((node, RDF.type, MEDKG.BillingUnitCalculation))
        links.add((node, MEDKG.derived, Literal(True)))
        links.add((node, MEDKG.billingCode, code))
        links.add((node, MEDKG.regimen, regimen))
        links.add((description, MEDKG.billingCalculation, node))
        if weight_based:
            links.add((node, MEDKG.weightDependent, Literal(True)))
            links.add(
                (
                    node,
                    RDFS.comment,
                    Literal(
                        f"The dose is per kilogram of body weight: units per administration = "
                        f"dose in {billing_unit} ÷ {per_unit} (the billing unit), "
                        "which depends on weight."
                    ),
                )
            )
        else:
            links.add(
                (
                    node,
                    RDFS.comment,
                    Literal(
                        f"Units = dose in {billing_unit} ÷ {per_unit} {billing_unit} "
                        "per billing unit."
                    ),
                )
            )
        for item in inputs:
            links.add((node, PROV.wasDerivedFrom, item))


def _units_per_unit_dose(
    links: NamedGraph,
    g: TripleIndex,
    node: URIRef,
    regimen: Node,
    base_unit: str,
    billing_unit: str,
    per_unit: Decimal,
    inputs: list[Node],
) -> None:
    unit_dose = g.value(regimen, MEDKG.unitDose)
    if unit_dose is None:
        return
    amount = _value(g, unit_dose, SCHEMA.value)
    unit = _text(g, unit_dose, SCHEMA.unitCode)
    converted = convert(amount, unit, billing_unit) if amount is not None else None
    if converted is not None:
        links.add((node, MEDKG.unitsPerUnitDose, decimal_literal(converted / per_unit)))
        inputs.append(unit_dose)


def _units_per_course(
    links: NamedGraph,
    g: TripleIndex,
    node: URIRef,
    regimen: Node,
    units: Decimal,
    inputs: list[Node],
) -> None:
    duration = g.value(regimen, MEDKG.maxDuration)
    timing = g.value(regimen, MEDKG.timing)
    if duration is None or timing is None:
        return
    length = _value(g, duration, SCHEMA.value)
    period = _value(g, timing, MEDKG.period)
    frequency = _value(g, timing, MEDKG.frequency)
    if length is None or period is None or frequency is None or period == 0:
        return
    if g.value(timing, MEDKG.periodMax) is not None:
        return  # "every 4 to 6 hours": the count of administrations is not fixed
    in_periods = convert(
        length, _text(g, duration, SCHEMA.unitCode), _text(g, timing, MEDKG.periodUnit)
    )
    if in_periods is None:
        return
    administrations = in_periods / period * frequency
    if administrations != administrations.to_integral_value():
        return
    links.add((node, MEDKG.administrationsPerCourse, decimal_literal(administrations)))
    links.add((node, MEDKG.unitsPerCourse, decimal_literal(units * administrations)))
    inputs.extend([duration, timing])


# -- cross-source comparisons --------------------------------------------------


def _comparisons(writer: GraphWriter, g: TripleIndex, description: Node, drug: Node) -> None:
    """Compare `drug`'s claims with those of the procedure on `description`'s page."""
    procedures = sorted(set(g.subjects(MEDKG.codeDescription, description)), key=str)
    if not procedures:
        return
    procedure = procedures[0]
    pairing = _Pairing(
        f"comparison/{local(URIRef(str(drug)))}/{local(URIRef(str(description)))}", description
    )
    claims: dict[Node | None, list[Node]] = {}  # concept -> the drug's claims of it, sorted
    for claim in sorted(set(g.objects(drug, MEDKG.adverseReaction)), key=str):
        claims.setdefault(g.value(claim, MEDKG.reaction), []).append(claim)
    for risk in sorted(set(g.objects(procedure, MEDKG.risk)), key=str):
        concept = g.value(risk, MEDKG.reaction)
        for claim in claims.get(concept, []):
            band_a, band_b = g.value(claim, MEDKG.frequencyBand), g.value(risk, MEDKG.frequencyBand)
            agreement = "agree" if band_a == band_b else "differ"
            if band_a is None or band_b is None:
                agreement = "not-comparable"
            _comparison(
                writer,
                pairing,
                f"adverse-reaction/{local(URIRef(str(concept)))[8:]}",
                "adverse-reaction",
                concept,
                claim,
                risk,
                agreement,
            )
    routes_b = set(g.objects(procedure, MEDKG.route))
    for regimen in sorted(set(g.objects(drug, SCHEMA.doseSchedule)), key=str):
        # Routes are alternatives ("IV or IM"): the claims agree when they share a route (the
        # compared concept when they share one only). Route texts (routes the vocabulary
        # lacks) are not compared.
        routes_a = set(g.objects(regimen, SCHEMA.administrationRoute))
        if routes_a and routes_b:
            shared = routes_a & routes_b
            _comparison(
                writer,
                pairing,
                f"route/{local(URIRef(str(regimen))).replace('/', '-')}",
                "route",
                next(iter(shared)) if len(shared) == 1 else None,
                regimen,
                procedure,
                "agree" if shared else "differ",
            )
        who = g.value(regimen, MEDKG.administeredBy)
        if who is not None:
            _administered_by(writer, g, pairing, regimen, who, procedure)
    for indication in sorted(set(g.objects(drug, MEDKG.indication)), key=str):
        _criteria(writer, g, pairing, indication, procedure)


@dataclass(frozen=True)
class _Pairing:
    """A page's description of a code naming a drug: the IRI path of its comparisons, and
    the description itself, which every comparison of the pair is derived from."""

    base: str
    description: Node


def _comparison(
    writer: GraphWriter,
    pairing: _Pairing,
    path: str,
    aspect: str,
    concept: Node | None,
    claim_a: Node,
    claim_b: Node,
    agreement: str,
    comment: str | None = None,
) -> None:
    links = writer.links
    node = writer.mint(f"{pairing.base}/{path}")  # a second claim of one concept gets -2
    links.add((node, RDF.type, MEDKG.CrossSourceComparison))
    links.add((node, MEDKG.derived, Literal(True)))
    links.add((node, MEDKG.aspect, Literal(aspect)))
    links.add((node, MEDKG.agreement, Literal(agreement)))
    if concept is not None:
        links.add((node, MEDKG.comparedConcept, concept))
    for claim in (claim_a, claim_b):
        links.add((node, MEDKG.claim, claim))
        links.add((node, PROV.wasDerivedFrom, claim))
    links.add((node, PROV.wasDerivedFrom, pairing.description))
    if comment:
        links.add((node, RDFS.comment, Literal(comment)))


def content_words(text: str) -> set[str]:
    words = normalise_term(text).split()
    return {_stem(w) for w in words if w not in _STOPWORDS}


def _stem(word: str) -> str:
    return re.sub(r"(?:es|s)$", "", word) if len(word) > 4 else word


def _criteria(
    writer: GraphWriter, g: TripleIndex, pairing: _Pairing, indication: Node, procedure: Node
) -> None:
    """Pair each stated criterion with the code-page indication sharing most content words."""
    page_items = sorted(set(g.objects(procedure, MEDKG.indicationText)), key=str)
    for criterion in sorted(set(g.objects(indication, MEDKG.criterion)), key=str):
        words = content_words(_text(g, criterion, SCHEMA.text))
        best: tuple[int, Node] | None = None
        for item in page_items:
            other = content_words(_text(g, item, SCHEMA.text))
            shared = len(words & other)
            smaller = min(len(words), len(other)) or 1
            if shared * 2 >= smaller + 1 and (best is None or shared > best[0]):
                best = (shared, item)
        if best is None:
            continue
        shared_words = sorted(words & content_words(_text(g, best[1], SCHEMA.text)))
        _comparison(
            writer,
            pairing,
            f"indication-criterion/{slug(local(URIRef(str(criterion))))}",
            "indication-criterion",
            None,
            criterion,
            best[1],
            "agree",
            f"Both state the criterion; shared content words: {', '.join(shared_words)}.",
        )


def _administered_by(
    writer: GraphWriter,
    g: TripleIndex,
    pairing: _Pairing,
    regimen: Node,
    who: Node,
    procedure: Node,
) -> None:
    label = normalise_term(_text(g, who, SKOS.prefLabel))
    for person in sorted(set(g.objects(procedure, MEDKG.personnel)), key=str):
        if _text(g, person, MEDKG.role) != "administers":
            continue
        other = normalise_term(_text(g, g.value(person, MEDKG.who) or person, SKOS.prefLabel))
        if label and (label in other or other in label):
            _comparison(
                writer,
                pairing,
                f"administered-by/{slug(local(URIRef(str(regimen))))}-{slug(label)}",
                "administered-by",
                who,
                regimen,
                person,
                "agree",
            )
