"""One FHIR resource being exported: its type, a stable id made from our IRI, and its JSON body.

The rule for ids: the path of the node's IRI after ``https://w3id.org/medkg/id/``
with every character FHIR does not allow in an id (``[A-Za-z0-9-.]``) and every
``/`` turned into ``-`` (``id/drug/aspirin`` -> ``drug-aspirin``). A path
longer than FHIR's 64 characters keeps its first 53 characters and ends in
``.`` plus the first 10 hex digits of the SHA-256 of the full IRI, so the id
stays stable and unique. Every resource's ``fullUrl`` in the bundle (and
every reference to it) is ``https://w3id.org/medkg/fhir/<type>/<id>``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from rdflib import URIRef

from medkg.namespaces import BASE, ID

FHIR_BASE = BASE + "fhir"  # https://w3id.org/medkg/fhir
MAX_ID = 64
_HASH_DIGITS = 10
_NOT_ALLOWED = re.compile(r"[^A-Za-z0-9\-.]+")

JSON = dict[str, Any]


def resource_id(node: URIRef) -> str:
    """The FHIR id of the resource made from `node` (see the module docstring)."""
    iri = str(node)
    path = iri[len(str(ID)) :] if iri.startswith(str(ID)) else iri
    candidate = _NOT_ALLOWED.sub("-", path.replace("/", "-")).strip("-.") or "node"
    if len(candidate) <= MAX_ID:
        return candidate
    digest = hashlib.sha256(iri.encode("utf-8")).hexdigest()[:_HASH_DIGITS]
    keep = MAX_ID - _HASH_DIGITS - 1
    return f"{candidate[:keep].rstrip('-.')}.{digest}"


def full_url(resource_type: str, fhir_id: str) -> str:
    """The absolute URL of a resource: its bundle ``fullUrl`` and the target of references."""
    return f"{FHIR_BASE}/{resource_type}/{fhir_id}"


def reference(resource_type: str, fhir_id: str, display: str | None = None) -> JSON:
    """A FHIR Reference to a resource of this export (absolute, equal to its ``fullUrl``)."""
    ref: JSON = {"reference": full_url(resource_type, fhir_id)}
    if display:
        ref["display"] = display
    return ref


def iri_identifier(node: URIRef) -> JSON:
    """An Identifier carrying the graph node's IRI, so each resource links back to the graph."""
    return {"system": "urn:ietf:rfc:3986", "value": str(node)}


@dataclass
class Resource:
    """A resource to export. `body` is plain JSON; `source` is the graph node it was made from."""

    resource_type: str
    fhir_id: str
    body: JSON = field(default_factory=dict)
    source: URIRef | None = None

    @property
    def file_name(self) -> str:
        return f"fhir/{self.resource_type}-{self.fhir_id}.json"

    @property
    def full_url(self) -> str:
        return full_url(self.resource_type, self.fhir_id)

    def reference(self, display: str | None = None) -> JSON:
        return reference(self.resource_type, self.fhir_id, display)

    def json(self) -> JSON:
        """The resource as FHIR JSON (keys are sorted when written)."""
        return {"resourceType": self.resource_type, "id": self.fhir_id, **self.body}
