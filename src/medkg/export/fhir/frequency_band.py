"""Our CodeSystem for the six CIOMS frequency bands, made from the ontology's medkg:FrequencyBands.

HL7's undesirable-effect-frequency code system has only three codes (Common,
Uncommon, Rare) and an example binding, so ClinicalUseDefinition
.undesirableEffect.frequencyOfOccurrence is coded with this one. Codes are the
ontology's skos:notation, displays its skos:prefLabel, definitions its
skos:definition; the order is CIOMS's, from most to least frequent.
"""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import DCTERMS, OWL, RDFS

from medkg.errors import ExportInvalid
from medkg.export.fhir.rdf import iris, text
from medkg.export.fhir.resource import FHIR_BASE, Resource, iri_identifier
from medkg.graph.reader import GraphReader
from medkg.namespaces import MEDKG, SKOS

CODE_SYSTEM_ID = "medkg-frequency-band"
CODE_SYSTEM_URL = FHIR_BASE + "/CodeSystem/frequency-band"
FILE = f"fhir/CodeSystem-{CODE_SYSTEM_ID}.json"
CIOMS_ORDER = ("very-common", "common", "uncommon", "rare", "very-rare", "not-known")
ONTOLOGY = URIRef(str(MEDKG).rstrip("#"))


# the last ontology read and its bands: every adverse reaction's band is looked up in the one
# ontology a build loads (`medkg.shacl.validate.load_ontology`), which nothing changes
_LAST: tuple[GraphReader, dict[URIRef, tuple[str, str, str]]] | None = None


def bands(ontology: GraphReader) -> dict[URIRef, tuple[str, str, str]]:
    """Band concept -> (code, display, definition), in CIOMS order; all six must be there.
    Read once per ontology graph object (the graph must not change after its first use)."""
    global _LAST
    if _LAST is None or _LAST[0] is not ontology:
        _LAST = (ontology, _read_bands(ontology))
    return _LAST[1]


def _read_bands(ontology: GraphReader) -> dict[URIRef, tuple[str, str, str]]:
    found: dict[str, tuple[URIRef, str, str]] = {}
    for band in iris(ontology, MEDKG.FrequencyBands, SKOS.hasTopConcept):
        code = text(ontology, band, SKOS.notation)
        if code:
            found[code] = (
                band,
                text(ontology, band, SKOS.prefLabel) or code,
                text(ontology, band, SKOS.definition) or "",
            )
    missing = [code for code in CIOMS_ORDER if code not in found or not found[code][2]]
    if missing:
        raise ExportInvalid(
            FILE,
            [
                f"ontology: medkg:FrequencyBands has no band (with skos:notation and "
                f"skos:definition) for {', '.join(missing)}; add it to ontology/medkg.ttl"
            ],
        )
    order = list(CIOMS_ORDER) + sorted(set(found) - set(CIOMS_ORDER))
    return {found[code][0]: (code, found[code][1], found[code][2]) for code in order}


def code_system(ontology: GraphReader) -> Resource:
    """The CodeSystem resource (content complete: every band with its definition)."""
    concepts = [
        {"code": code, "display": display, "definition": definition}
        for code, display, definition in bands(ontology).values()
    ]
    body = {
        "url": CODE_SYSTEM_URL,
        "identifier": [iri_identifier(MEDKG.FrequencyBands)],
        "name": "MedkgFrequencyBand",
        "title": text(ontology, MEDKG.FrequencyBands, SKOS.prefLabel) or "CIOMS frequency bands",
        "status": "active",
        "experimental": False,
        "description": text(ontology, MEDKG.FrequencyBands, RDFS.comment) or "",
        "caseSensitive": True,
        "content": "complete",
        "count": len(concepts),
        "concept": concepts,
    }
    version = text(ontology, ONTOLOGY, OWL.versionInfo)
    if version:
        body["version"] = version
    publisher = text(ontology, ONTOLOGY, DCTERMS.creator)
    if publisher:
        body["publisher"] = publisher
    return Resource("CodeSystem", CODE_SYSTEM_ID, body, MEDKG.FrequencyBands)


def band_concept(
    ontology: GraphReader, band: URIRef, wording: str | None
) -> dict[str, object] | None:
    """frequencyOfOccurrence: the band coded in our CodeSystem, the document's wording as text."""
    table = bands(ontology)
    if band not in table:
        return None
    code, display, _ = table[band]
    concept: dict[str, object] = {
        "coding": [{"system": CODE_SYSTEM_URL, "code": code, "display": display}]
    }
    concept["text"] = wording or display
    return concept
