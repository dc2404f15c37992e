"""Dosing in words: quantities, schedules, routes, maxima and a regimen's one-line summary.

Read from a `Slice` (the regimen node and its quantity and timing nodes); used
by the drug page's dosing table and by the billing rows of drug and code pages.
"""

from __future__ import annotations

from decimal import Decimal

from medkg.quantities import TIME_WORDS
from medkg.serve.pages.graph_slice import MEDKG, SCHEMA, Slice


def number(value: Decimal | None) -> str:
    """`value` without trailing zeros (``210.0`` -> ``210``, ``0.80`` -> ``0.8``)."""
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text


def _time_unit(code: str, count: Decimal | None) -> str:
    word = TIME_WORDS.get(code, code)
    return word if count is None or count == 1 else word + "s"


def quantity(graph: Slice, node: str) -> str:
    """A quantity node as text: ``210 mg``, ``0.8–1 mg/kg``, ``1–2 tablets``, ``about 30
    minutes`` (time units and UCUM annotations such as ``{tablet}`` in words)."""
    unit = graph.text(node, SCHEMA + "unitCode") or ""
    value = graph.number(node, SCHEMA + "value")
    low, high = graph.number(node, SCHEMA + "minValue"), graph.number(node, SCHEMA + "maxValue")
    if value is not None:
        amount = number(value)
    elif low is not None and high is not None:
        amount = f"{number(low)}–{number(high)}"
    elif high is not None:
        amount = f"up to {number(high)}"
    elif low is not None:
        amount = f"at least {number(low)}"
    else:
        amount = ""
    if unit in TIME_WORDS:
        unit = _time_unit(unit, value if value is not None else high)
    elif unit.startswith("{") and unit.endswith("}"):  # a UCUM annotation: {tablet}
        unit = unit[1:-1] + ("" if (value if value is not None else high) == 1 else "s")
    text = f"{amount} {unit}".strip()
    return "about " + text if graph.flag(node, MEDKG + "approximate") else text


def _times(count: Decimal | None, most: Decimal | None) -> str:
    if most is not None and count is not None:
        return f"{number(count)}–{number(most)} times"
    if count == 1:
        return "once"
    if count == 2:
        return "twice"
    return f"{number(count)} times"


def schedule(graph: Slice, timing: str) -> str:
    """A timing node in words: ``once a month``, ``1–2 times every 2 weeks``, ``… as needed``."""
    count = graph.number(timing, MEDKG + "frequency")
    most = graph.number(timing, MEDKG + "frequencyMax")
    period = graph.number(timing, MEDKG + "period")
    period_max = graph.number(timing, MEDKG + "periodMax")
    unit = graph.text(timing, MEDKG + "periodUnit") or ""
    times = _times(count, most)
    if period_max is not None and period is not None:
        every = f"every {number(period)}–{number(period_max)} {_time_unit(unit, period_max)}"
    elif period is None or period == 1:
        every = f"a {_time_unit(unit, None)}"
    else:
        every = f"every {number(period)} {_time_unit(unit, period)}"
    text = f"{times} {every}"
    return text + " as needed" if graph.flag(timing, MEDKG + "asNeeded") else text


def route(graph: Slice, regimen: str) -> str:
    """The regimen's routes by label (and any route kept as written)."""
    names = [graph.label(node) for node in graph.nodes(regimen, SCHEMA + "administrationRoute")]
    names += graph.texts(regimen, MEDKG + "routeText")
    return ", ".join(names)


def dose(graph: Slice, regimen: str) -> str:
    """The dose per administration, with the units it is given as when the document says."""
    doses = [quantity(graph, node) for node in graph.nodes(regimen, MEDKG + "dose")]
    text = ", ".join(doses)
    unit_doses = graph.nodes(regimen, MEDKG + "unitDose")
    count = graph.text(regimen, MEDKG + "unitCount")
    form = graph.text(regimen, MEDKG + "unitForm")
    if unit_doses and count:
        given = f"{count} × {quantity(graph, unit_doses[0])}" + (f" {form}" if form else "")
        text = f"{text} ({given})" if text else given
    return text


def frequency(graph: Slice, regimen: str) -> str:
    return "; ".join(schedule(graph, timing) for timing in graph.nodes(regimen, MEDKG + "timing"))


def maximum(graph: Slice, regimen: str) -> str:
    """The regimen's maxima: per dose, per day and the longest course."""
    parts = []
    for prop, words in (
        ("maxDose", "per dose"),
        ("maxDailyDose", "a day"),
        ("maxDuration", "of treatment"),
    ):
        for node in graph.nodes(regimen, MEDKG + prop):
            parts.append(f"{quantity(graph, node)} {words}")
    return "; ".join(parts)


def population(graph: Slice, regimen: str) -> str:
    found = graph.texts(regimen, MEDKG + "population")
    phase = graph.text(regimen, MEDKG + "phase")
    text = ", ".join(found)
    return f"{text} ({phase})" if phase and text else text or (phase or "")


def summary(graph: Slice, regimen: str) -> str:
    """One line naming a regimen: population, dose, route and schedule."""
    parts = [
        population(graph, regimen) or "population not stated",
        dose(graph, regimen),
        route(graph, regimen),
        frequency(graph, regimen),
    ]
    return " · ".join(part for part in parts if part)
