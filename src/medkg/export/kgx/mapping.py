"""The medkg -> Biolink table (``data/terminology/kgx-biolink.csv``), read once.

Every Biolink term the KGX files use comes from this table, never from code: the
category of each kind of node (by its ``rdf:type``, then by the scheme of its
confirmed identifiers), the predicate, association class and qualifiers of each
kind of fact, and the edge provenance (knowledge source, level, agent type). The
tests check every term against the pinned Biolink Model release the table names.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from rdflib import URIRef

from medkg.errors import ResourceMissing
from medkg.namespaces import PREFIXES
from medkg.resources import terminology_rows

TABLE = "kgx-biolink.csv"
KINDS = ("setting", "type", "scheme", "fact", "relation", "effect")
SETTINGS = (
    "biolink_version",
    "id_prefix",
    "primary_knowledge_source",
    "knowledge_level",
    "agent_type",
)


@dataclass(frozen=True)
class EdgeKind:
    """How one kind of medkg fact becomes a Biolink edge."""

    predicate: str
    association: str
    aspect: str = ""  # object_aspect_qualifier, "" for none
    direction: str = ""  # object_direction_qualifier, "" for none


@dataclass(frozen=True)
class Scheme:
    """An identifier namespace: its Biolink CURIE prefix and the category it implies."""

    namespace: str
    prefix: str
    category: str  # "" when the scheme says nothing about the kind


@dataclass(frozen=True)
class BiolinkMapping:
    settings: dict[str, str]
    types: tuple[tuple[URIRef, str], ...]  # in table order; "" category: not a node
    schemes: tuple[Scheme, ...]  # in table order: the first with a category wins
    facts: dict[URIRef, EdgeKind]  # drug property -> edge kind
    relations: dict[URIRef, EdgeKind]  # mechanism step relation -> edge kind
    effects: dict[URIRef, EdgeKind]  # mechanism effect direction -> edge kind

    def curie(self, iri: str) -> str | None:
        """The Biolink CURIE of an identifier IRI in a known scheme, else None."""
        for scheme in self.schemes:
            if iri.startswith(scheme.namespace) and len(iri) > len(scheme.namespace):
                return f"{scheme.prefix}:{iri[len(scheme.namespace) :]}"
        return None

    def category_of_identifiers(self, iris: list[str]) -> str:
        """The category the first scheme (in table order) with one says, else ""."""
        for scheme in self.schemes:
            if scheme.category and any(i.startswith(scheme.namespace) for i in iris):
                return scheme.category
        return ""


def _term(value: str, where: str) -> URIRef:
    prefix, _, local = value.partition(":")
    if prefix not in PREFIXES or not local:
        raise ResourceMissing(f"{where}: {value!r} is not a medkg CURIE; correct the row")
    return URIRef(PREFIXES[prefix] + local)


@cache
def bundled_mapping() -> BiolinkMapping:
    """The bundled table; `ResourceMissing` naming the file and line when it is wrong."""
    rows = terminology_rows(TABLE, "KGX Biolink table", ("kind", "medkg"), {"kind": KINDS})
    settings: dict[str, str] = {}
    types: list[tuple[URIRef, str]] = []
    schemes: list[Scheme] = []
    edges: dict[str, dict[URIRef, EdgeKind]] = {"fact": {}, "relation": {}, "effect": {}}
    for number, row in enumerate(rows, start=2):
        where = f"{TABLE}:{number}"
        kind, medkg, biolink = row["kind"], row["medkg"].strip(), (row["biolink"] or "").strip()
        if kind == "setting":
            settings[medkg] = biolink
        elif kind == "type":
            types.append((_term(medkg, where), biolink))
        elif kind == "scheme":
            schemes.append(Scheme(medkg, (row["association"] or "").strip(), biolink))
        else:
            association = (row["association"] or "").strip()
            if not biolink or not association:
                raise ResourceMissing(f"{where}: a {kind} row needs biolink and association")
            edges[kind][_term(medkg, where)] = EdgeKind(
                biolink,
                association,
                (row["aspect"] or "").strip(),
                (row["direction"] or "").strip(),
            )
    missing = [name for name in SETTINGS if not settings.get(name)]
    if missing:
        raise ResourceMissing(f"{TABLE}: no setting {', '.join(missing)}; reinstall medkg")
    return BiolinkMapping(
        settings, tuple(types), tuple(schemes), edges["fact"], edges["relation"], edges["effect"]
    )
