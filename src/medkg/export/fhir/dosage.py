"""A medkg:DosingRegimen as FHIR R5 Dosages: one per route.

- schema:administrationRoute -> route (SNOMED CT coding when the route concept has a confirmed
  exactMatch, its label as text); medkg:routeText (a route the vocabulary lacks) -> route.text
  only. Dosage.route holds one route, and one CodeableConcept may only hold codings of one
  meaning, so a regimen given by any of several routes ("IV or IM") is one Dosage per route,
  identical but for the route and the text; one with no route is one Dosage without it;
- medkg:dose (value / range) -> doseAndRate.doseQuantity / doseAndRate.doseRange (UCUM);
- medkg:timing frequency, frequencyMax, period, periodMax, periodUnit -> timing.repeat
  (same names);
- medkg:maxDuration -> timing.repeat.boundsDuration;
- medkg:asNeeded -> asNeeded;
- medkg:maxDose -> maxDosePerAdministration;
- medkg:maxDailyDose -> maxDosePerPeriod (numerator / 1 d);
- medkg:unitDose, unitCount, unitForm, consecutive -> extension ``dose-units`` and the text;
- the whole regimen, with who administers it and the population -> text.
"""

from __future__ import annotations

from rdflib import URIRef

from medkg.export.fhir import extensions
from medkg.export.fhir.quantities import (
    UNITS_OF_TIME,
    duration,
    quantity,
    spoken,
    ucum,
    unit_words,
    value_range,
)
from medkg.export.fhir.rdf import flag, iri, iris, label, number, text, texts
from medkg.export.fhir.resource import JSON
from medkg.export.fhir.terminology import concept, text_concept
from medkg.graph.reader import GraphReader
from medkg.namespaces import MEDKG, SCHEMA


def regimen_routes(graph: GraphReader, regimen: URIRef) -> list[tuple[str, JSON]]:
    """The regimen's routes as (label, CodeableConcept): its route concepts, then its route
    texts, each sorted."""
    nodes = iris(graph, regimen, SCHEMA.administrationRoute)
    found = sorted(((label(graph, n), concept(graph, n)) for n in nodes), key=lambda r: r[0])
    # a route text is an adjective as written ("intraosseous"): "by intraosseous route"
    words = texts(graph, regimen, MEDKG.routeText)
    found += [(f"{w} route", text_concept(w)) for w in words]
    return found


def dosages(graph: GraphReader, regimen: URIRef) -> list[JSON]:
    """The Dosages of one regimen: one per route (see the module docstring for the mapping)."""
    routes = regimen_routes(graph, regimen)
    if not routes:
        return [dosage(graph, regimen, None)]
    return [dosage(graph, regimen, route) for route in routes]


def dosage(graph: GraphReader, regimen: URIRef, route: tuple[str, JSON] | None) -> JSON:
    """The Dosage of one regimen given by `route` (its label and CodeableConcept)."""
    result: JSON = {"text": dosage_text(graph, regimen, route[0] if route else None)}
    parts = [extensions.simple(extensions.GRAPH_NODE, "Uri", str(regimen))]
    units = _dose_units(graph, regimen)
    if units is not None:
        parts.append(units)
    result["extension"] = parts
    if route is not None:
        result["route"] = route[1]
    dose = iri(graph, regimen, MEDKG.dose)
    if dose is not None:
        single = quantity(graph, dose)
        spread = value_range(graph, dose) if single is None else None
        if single is not None:
            result["doseAndRate"] = [{"doseQuantity": single}]
        elif spread is not None:
            result["doseAndRate"] = [{"doseRange": spread}]
    timing = _timing(graph, regimen)
    if timing:
        result["timing"] = timing
    timing_node = iri(graph, regimen, MEDKG.timing)
    if timing_node is not None and flag(graph, timing_node, MEDKG.asNeeded):
        result["asNeeded"] = True
    max_dose = iri(graph, regimen, MEDKG.maxDose)
    if max_dose is not None:
        per_administration = quantity(graph, max_dose)
        if per_administration is not None:
            result["maxDosePerAdministration"] = per_administration
    max_daily = iri(graph, regimen, MEDKG.maxDailyDose)
    if max_daily is not None:
        per_day = quantity(graph, max_daily)
        if per_day is not None:
            result["maxDosePerPeriod"] = [{"numerator": per_day, "denominator": ucum(1, "d")}]
    return result


def _timing(graph: GraphReader, regimen: URIRef) -> JSON:
    repeat: JSON = {}
    node = iri(graph, regimen, MEDKG.timing)
    if node is not None:
        unit = text(graph, node, MEDKG.periodUnit)
        frequency = number(graph, node, MEDKG.frequency)
        period = number(graph, node, MEDKG.period)
        period_max = number(graph, node, MEDKG.periodMax)
        frequency_max = number(graph, node, MEDKG.frequencyMax)
        if frequency is not None:
            repeat["frequency"] = int(frequency)
        if frequency_max is not None:
            repeat["frequencyMax"] = int(frequency_max)
        if period is not None and unit in UNITS_OF_TIME:
            repeat["period"] = period
            repeat["periodUnit"] = unit
            if period_max is not None:
                repeat["periodMax"] = period_max
    bounds = iri(graph, regimen, MEDKG.maxDuration)
    if bounds is not None:
        found = duration(graph, bounds)
        if found is not None:
            repeat["boundsDuration"] = found
    return {"repeat": repeat} if repeat else {}


def _dose_units(graph: GraphReader, regimen: URIRef) -> JSON | None:
    parts: list[JSON] = []
    unit_dose = iri(graph, regimen, MEDKG.unitDose)
    if unit_dose is not None:
        found = quantity(graph, unit_dose)
        if found is not None:
            parts.append(extensions.simple("unitDose", "Quantity", found))
    count = number(graph, regimen, MEDKG.unitCount)
    if count is not None:
        parts.append(extensions.simple("unitCount", "Integer", int(count)))
    form = text(graph, regimen, MEDKG.unitForm)
    if form:
        parts.append(extensions.simple("unitForm", "String", form))
    consecutive = flag(graph, regimen, MEDKG.consecutive)
    if consecutive is not None:
        parts.append(extensions.simple("consecutive", "Boolean", consecutive))
    if not parts:
        return None
    return extensions.complex_extension(extensions.DOSE_UNITS, parts)


def dosage_text(graph: GraphReader, regimen: URIRef, route: str | None) -> str:
    """The regimen given by `route` (a route's label) in words, every part from the graph
    ("500 mg by oral route; ...")."""
    pieces: list[str] = []
    dose = iri(graph, regimen, MEDKG.dose)
    head = spoken(graph, dose) if dose is not None else ""
    if route is not None:
        head = f"{head} by {route}".strip()
    if head:
        pieces.append(head)
    count = number(graph, regimen, MEDKG.unitCount)
    unit_dose = iri(graph, regimen, MEDKG.unitDose)
    form = text(graph, regimen, MEDKG.unitForm) or "unit"
    if count is not None:
        units = f"given as {int(count)} {form}{'s' if count != 1 else ''}"
        if unit_dose is not None:
            units += f" of {spoken(graph, unit_dose)}"
        if flag(graph, regimen, MEDKG.consecutive):
            units += ", one after the other"
        pieces.append(units)
    timing = iri(graph, regimen, MEDKG.timing)
    if timing is not None:
        pieces.append(_timing_text(graph, timing))
    bounds = iri(graph, regimen, MEDKG.maxDuration)
    if bounds is not None:
        pieces.append(f"for {spoken(graph, bounds)}")
    for prop, words in ((MEDKG.maxDose, "per dose"), (MEDKG.maxDailyDose, "per day")):
        limit = iri(graph, regimen, prop)
        if limit is not None:
            pieces.append(f"at most {spoken(graph, limit).removeprefix('up to ')} {words}")
    who = iri(graph, regimen, MEDKG.administeredBy)
    if who is not None:
        pieces.append(f"administered by {label(graph, who)}")
    population = text(graph, regimen, MEDKG.population)
    if population:
        pieces.append(f"population: {population}")
    return "; ".join(pieces)


def _timing_text(graph: GraphReader, timing: URIRef) -> str:
    """How often, in words: "once a month", "twice a day", "1-2 times a day", "once every 2
    weeks", "every 4-6 hours", "3 times" (no period)."""
    frequency = number(graph, timing, MEDKG.frequency)
    frequency_max = number(graph, timing, MEDKG.frequencyMax)
    period = number(graph, timing, MEDKG.period)
    period_max = number(graph, timing, MEDKG.periodMax)
    unit = text(graph, timing, MEDKG.periodUnit) or ""
    times = ""
    if frequency is not None and frequency_max:
        times = f"{int(frequency)}-{int(frequency_max)} times"
    elif frequency is not None:
        times = {1: "once", 2: "twice"}.get(int(frequency), f"{int(frequency)} times")
    every = ""
    if period is not None and period_max is not None:
        every = f"every {_plain(period)}-{_plain(period_max)} {unit_words(unit, False)}"
    elif period == 1 and times:
        name = unit_words(unit, True)
        article = "an" if name == "hour" or (name and name[0] in "aeiou") else "a"
        every = f"{article} {name}" if name else ""
    elif period == 1:
        every = f"every {unit_words(unit, True)}"
    elif period is not None:
        every = f"every {_plain(period)} {unit_words(unit, False)}"
    words = f"{times} {every}".strip()
    if flag(graph, timing, MEDKG.asNeeded):
        words += " as needed"
    return words


def _plain(value: float | int) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
