"""RDF namespaces and the IRIs medkg mints. One place, so every module agrees."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD

BASE = "https://w3id.org/medkg/"
MEDKG = Namespace(BASE + "vocab#")  # terms of our ontology (ontology/medkg.ttl)
ID = Namespace(BASE + "id/")  # nodes of the data
SCHEMA = SDO  # https://schema.org/
BIOLINK = Namespace("https://w3id.org/biolink/vocab/")
FHIR = Namespace("http://hl7.org/fhir/")
SH = Namespace("http://www.w3.org/ns/shacl#")

HCPCS_SCHEME = "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
CPT_SCHEME = "http://www.ama-assn.org/go/cpt"

PREFIXES: dict[str, str] = {
    "medkg": str(MEDKG),
    "id": str(ID),
    "schema": str(SCHEMA),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "rdfs": str(RDFS),
    "rdf": str(RDF),
    "owl": str(OWL),
    "xsd": str(XSD),
    "biolink": str(BIOLINK),
    "sh": str(SH),
}

# PREFIX declarations of every prefix above, one per line: the prologue of SPARQL text
# medkg writes itself
SPARQL_PREFIXES = "".join(
    f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in PREFIXES.items()
)

__all__ = [
    "BASE",
    "BIOLINK",
    "CPT_SCHEME",
    "DCTERMS",
    "FHIR",
    "HCPCS_SCHEME",
    "ID",
    "MEDKG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SH",
    "SKOS",
    "SPARQL_PREFIXES",
    "XSD",
]
