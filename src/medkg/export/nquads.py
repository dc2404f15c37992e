"""``medkg.nq``: N-Quads, one named graph per source document plus the links graph, lines sorted."""

from __future__ import annotations

from rdflib import Dataset

FILE = "medkg.nq"


def export(dataset: Dataset) -> dict[str, bytes]:
    text = dataset.serialize(format="nquads", encoding="utf-8").decode("utf-8")
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return {FILE: ("\n".join(lines) + "\n").encode("utf-8")}
