"""The mechanism of action as a small inline SVG: one row per step (subject, relation, object)
and per effect (the drug, increases/decreases, what it affects).

An activating relation ends in an arrowhead, an inhibiting one in a bar (⊣), any
other in an open circle; the relation's words are written above the line. Labels
longer than fit are cut with an ellipsis, the full text in the box's ``<title>``.
Everything is escaped; the SVG has a title and description for screen readers.
"""

from __future__ import annotations

from dataclasses import dataclass

from medkg.serve.pages.html import esc

ACTIVATING = frozenset(
    {"activates", "stimulates", "increases", "releases", "reactivates", "converted to", "causes"}
)
INHIBITING = frozenset(
    {"inhibits", "suppresses", "decreases", "depletes", "depresses", "disrupts", "chelates"}
)
BOX_WIDTH, ROW_HEIGHT, GAP, MAX_CHARACTERS = 230, 46, 150, 30
WIDTH = 2 * BOX_WIDTH + GAP + 20


@dataclass(frozen=True)
class Link:
    """One row of the diagram: `subject` `relation` `object` (labels, relation in words)."""

    subject: str
    relation: str
    object: str


def mark(relation: str) -> str:
    """``activate``, ``inhibit`` or ``other``: how a relation's line ends."""
    if relation in ACTIVATING:
        return "activate"
    if relation in INHIBITING:
        return "inhibit"
    return "other"


def _box(x: int, y: int, label: str) -> str:
    shown = label if len(label) <= MAX_CHARACTERS else label[: MAX_CHARACTERS - 1] + "…"
    return (
        f'<g class="node"><title>{esc(label)}</title>'
        f'<rect x="{x}" y="{y}" width="{BOX_WIDTH}" height="30" rx="6"/>'
        f'<text x="{x + BOX_WIDTH // 2}" y="{y + 20}" text-anchor="middle">{esc(shown)}</text></g>'
    )


def _line(y: int, relation: str) -> str:
    start, end = 10 + BOX_WIDTH, 10 + BOX_WIDTH + GAP - 4
    kind = mark(relation)
    middle = y + 15
    ending = {
        "activate": (
            f'<path d="M{end - 10},{middle - 6} L{end},{middle} L{end - 10},{middle + 6} Z"/>'
        ),
        "inhibit": f'<path d="M{end},{middle - 9} L{end},{middle + 9}" class="bar"/>',
        "other": f'<circle cx="{end - 4}" cy="{middle}" r="4" class="open"/>',
    }[kind]
    return (
        f'<g class="edge {kind}"><line x1="{start}" y1="{middle}" x2="{end}" y2="{middle}"/>'
        f"{ending}"
        f'<text x="{(start + end) // 2}" y="{middle - 6}" text-anchor="middle">'
        f"{esc(relation)}</text>"
        "</g>"
    )


def mechanism_svg(drug: str, links: list[Link]) -> str:
    """The diagram of `links` (steps then effects) for `drug`; empty when there are none."""
    if not links:
        return ""
    rows = []
    for index, each in enumerate(links):
        y = 10 + index * ROW_HEIGHT
        rows.append(
            _box(10, y, each.subject)
            + _line(y, each.relation)
            + _box(10 + BOX_WIDTH + GAP, y, each.object)
        )
    height = 20 + len(links) * ROW_HEIGHT
    said = "; ".join(f"{each.subject} {each.relation} {each.object}" for each in links)
    return (
        f'<svg class="mechanism" role="img" aria-labelledby="mechanism-title mechanism-desc" '
        f'xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}">'
        f'<title id="mechanism-title">How {esc(drug)} works</title>'
        f'<desc id="mechanism-desc">{esc(said)}</desc>' + "".join(rows) + "</svg>"
    )
