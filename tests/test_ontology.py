"""The medkg vocabulary (ontology/medkg.ttl), through medkg.shacl.validate.load_ontology.

Every medkg: term the graph code and the shapes use is declared, with a label
and a comment, and properties with a domain and a range; the concept schemes
agree with the enums of medkg.model; the mappings are spelled as their
vocabularies spell them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, SKOS, XSD
from rdflib.term import Node

from medkg import __version__
from medkg.graph.drug_facts import BAND_IRIS, RELATION_IRIS
from medkg.model import Band, Relation
from medkg.namespaces import BIOLINK, MEDKG, RDF, RDFS, SCHEMA
from medkg.shacl.validate import load_ontology, load_shapes

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "medkg"
ONTOLOGY_IRI = URIRef("https://w3id.org/medkg/vocab")

CLASS = OWL.Class
PROPERTY_TYPES = {OWL.ObjectProperty, OWL.DatatypeProperty}
DECLARATIONS = {CLASS, OWL.AnnotationProperty, SKOS.Concept, SKOS.ConceptScheme} | PROPERTY_TYPES
MAPPINGS = (
    SKOS.exactMatch,
    SKOS.closeMatch,
    SKOS.broadMatch,
    SKOS.narrowMatch,
    SKOS.relatedMatch,
    RDFS.subClassOf,
    RDFS.subPropertyOf,
)


def ontology() -> Graph:
    return load_ontology()


def is_medkg(node: Node) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(str(MEDKG))


def terms_in_code() -> set[URIRef]:
    """Every MEDKG.name and MEDKG["name"] in src/medkg."""
    names: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r"\bMEDKG\.([A-Za-z_][A-Za-z0-9_]*)", text))
        names |= set(re.findall(r"\bMEDKG\[\"([^\"]+)\"\]", text))
    return {MEDKG[name] for name in names}


def terms_in_shapes() -> set[URIRef]:
    shapes = load_shapes()
    return {node for triple in shapes for node in triple if is_medkg(node)}  # type: ignore[misc]


USED = sorted(terms_in_code() | terms_in_shapes(), key=str)


def local(term: URIRef) -> str:
    return str(term)[len(str(MEDKG)) :]


# ---------------------------------------------------------------------------
# The document
# ---------------------------------------------------------------------------


def test_ontology_header() -> None:
    graph = ontology()
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in graph
    assert graph.value(ONTOLOGY_IRI, DCTERMS.title)
    assert graph.value(ONTOLOGY_IRI, DCTERMS.description)
    assert isinstance(graph.value(ONTOLOGY_IRI, DCTERMS.license), URIRef)
    assert graph.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0") == Literal(__version__)


def test_ontology_file_parses_on_its_own() -> None:
    graph = Graph().parse(ROOT / "ontology" / "medkg.ttl", format="turtle")
    assert len(graph) == len(ontology())


def test_ontology_has_no_blank_nodes() -> None:
    """pySHACL mixes the ontology into the data graph it validates, and the data
    must not have blank nodes (msh:NoBlankNodes): so the ontology has none, e.g.
    no owl:unionOf domains."""
    blanks = [triple for triple in ontology() if any(isinstance(n, BNode) for n in triple)]
    assert blanks == []


def test_ontology_declares_no_named_individuals() -> None:
    """pySHACL deep-copies every owl:NamedIndividual into the data graph, following
    links ten levels deep: the concept schemes' hasTopConcept/topConceptOf cycles
    made one validation take minutes."""
    assert list(ontology().subjects(RDF.type, OWL.NamedIndividual)) == []


# ---------------------------------------------------------------------------
# Every term used is declared and documented
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("term", USED, ids=local)
def test_term_is_declared_with_label_and_comment(term: URIRef) -> None:
    graph = ontology()
    kinds = set(graph.objects(term, RDF.type))
    assert kinds & DECLARATIONS, f"{local(term)} is used but not declared in ontology/medkg.ttl"
    label = graph.value(term, RDFS.label) or graph.value(term, SKOS.prefLabel)
    comment = graph.value(term, RDFS.comment) or graph.value(term, SKOS.definition)
    assert isinstance(label, Literal) and str(label), f"{local(term)} has no label"
    assert isinstance(comment, Literal) and len(str(comment)) > 20, f"{local(term)} has no comment"


def declared(kinds: set[URIRef]) -> list[URIRef]:
    graph = ontology()
    found = {s for kind in kinds for s in graph.subjects(RDF.type, kind) if is_medkg(s)}
    return sorted(found, key=str)  # type: ignore[arg-type]


@pytest.mark.parametrize("prop", declared(PROPERTY_TYPES), ids=local)
def test_property_has_domain_and_range(prop: URIRef) -> None:
    graph = ontology()
    domains = list(graph.objects(prop, RDFS.domain))
    ranges = list(graph.objects(prop, RDFS.range))
    # several rdfs:domain would mean their intersection
    assert len(domains) == 1, f"{local(prop)}: one rdfs:domain"
    assert len(ranges) == 1, f"{local(prop)}: one rdfs:range"
    domain, range_ = domains[0], ranges[0]
    assert (domain, RDF.type, CLASS) in graph or domain == OWL.Thing, f"{domain}: not a class"
    if (prop, RDF.type, OWL.DatatypeProperty) in graph:
        assert str(range_).startswith(str(XSD)), f"{local(prop)}: range {range_} is not xsd"
    else:
        assert (range_, RDF.type, CLASS) in graph or range_ in (OWL.Thing, RDF.Property), (
            f"{local(prop)}: range {range_} is not a declared class"
        )


@pytest.mark.parametrize("cls", declared({CLASS}), ids=local)
def test_class_is_documented(cls: URIRef) -> None:
    graph = ontology()
    assert graph.value(cls, RDFS.label) and graph.value(cls, RDFS.comment)


def test_every_declared_term_is_used_or_abstract() -> None:
    """Declared terms nobody writes are either abstract domains (used by the
    ontology itself), concept schemes, or the fhirElement annotation."""
    graph = ontology()
    used = set(USED)
    for term in declared(DECLARATIONS):
        if term in used:
            continue
        referenced = set(graph.subjects(RDFS.domain, term))
        referenced |= set(graph.subjects(RDFS.subClassOf, term))
        referenced |= set(graph.subjects(SKOS.inScheme, term))
        assert referenced or term == MEDKG.fhirElement, f"{local(term)} is declared but never used"


# ---------------------------------------------------------------------------
# Concept schemes agree with the model
# ---------------------------------------------------------------------------


def notation(concept: URIRef) -> str:
    return str(ontology().value(concept, SKOS.notation))


@pytest.mark.parametrize("band", list(Band), ids=lambda b: b.value)
def test_frequency_band_concept(band: Band) -> None:
    graph = ontology()
    concept = BAND_IRIS[band]
    assert notation(concept) == band.value
    assert (concept, SKOS.inScheme, MEDKG.FrequencyBands) in graph
    assert (concept, RDF.type, SKOS.Concept) in graph
    definition = str(graph.value(concept, SKOS.definition))
    assert "1/" in definition or "cannot be estimated" in definition
    assert graph.value(concept, SKOS.prefLabel)


def test_frequency_band_ranges() -> None:
    definitions = {band: str(ontology().value(BAND_IRIS[band], SKOS.definition)) for band in Band}
    assert ">= 1/10)" in definitions[Band.VERY_COMMON]
    assert ">= 1/100 to < 1/10" in definitions[Band.COMMON]
    assert ">= 1/1,000 to < 1/100" in definitions[Band.UNCOMMON]
    assert ">= 1/10,000 to < 1/1,000" in definitions[Band.RARE]
    assert "< 1/10,000" in definitions[Band.VERY_RARE]
    assert "cannot be estimated from the available data" in definitions[Band.NOT_KNOWN]


def test_scheme_members_are_exactly_the_model_values() -> None:
    graph = ontology()
    assert set(graph.subjects(SKOS.inScheme, MEDKG.FrequencyBands)) == set(BAND_IRIS.values())
    relations = set(graph.subjects(SKOS.inScheme, MEDKG.MechanismRelations))
    assert relations == set(RELATION_IRIS.values())
    assert set(graph.subjects(SKOS.inScheme, MEDKG.EffectDirections)) == {
        MEDKG.Increase,
        MEDKG.Decrease,
    }


@pytest.mark.parametrize("relation", list(Relation), ids=lambda r: r.value)
def test_mechanism_relation_concept(relation: Relation) -> None:
    graph = ontology()
    concept = RELATION_IRIS[relation]
    assert notation(concept) == relation.value
    assert graph.value(concept, SKOS.prefLabel) and graph.value(concept, SKOS.definition)


RO = "http://purl.obolibrary.org/obo/RO_"


def test_mechanism_relations_map_to_the_relation_ontology() -> None:
    graph = ontology()
    close = {s: o for s, o in graph.subject_objects(SKOS.closeMatch) if str(o).startswith(RO)}
    assert close == {
        MEDKG.Inhibits: URIRef(RO + "0002212"),  # negatively regulates
        MEDKG.Suppresses: URIRef(RO + "0002212"),
        MEDKG.Activates: URIRef(RO + "0002213"),  # positively regulates
        MEDKG.Stimulates: URIRef(RO + "0002213"),
    }
    # binding is narrower than "molecularly interacts with"
    assert (MEDKG.Binds, SKOS.broadMatch, URIRef(RO + "0002436")) in graph


# ---------------------------------------------------------------------------
# Mappings
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "relation", "target"),
    [
        (MEDKG.adverseReaction, SKOS.closeMatch, BIOLINK.has_adverse_event),
        (MEDKG.indication, SKOS.closeMatch, BIOLINK.treats),
        (MEDKG.contraindication, SKOS.closeMatch, BIOLINK.contraindicated_in),
        (MEDKG.adverseReaction, SKOS.relatedMatch, SCHEMA.adverseOutcome),
        (MEDKG.contraindication, SKOS.relatedMatch, SCHEMA.contraindication),
        (MEDKG.DosingRegimen, RDFS.subClassOf, SCHEMA.DoseSchedule),
        (MEDKG.BillingCode, RDFS.subClassOf, SCHEMA.MedicalCode),
        (MEDKG.BillingCode, RDFS.subClassOf, SKOS.Concept),
    ],
    ids=lambda x: x.n3() if isinstance(x, URIRef) else str(x),
)
def test_mapping(term: URIRef, relation: URIRef, target: URIRef) -> None:
    assert (term, relation, target) in ontology()


def test_design_rule_is_stated_where_schema_org_does_not_fit() -> None:
    graph = ontology()
    for term in (MEDKG.adverseReaction, MEDKG.contraindication, MEDKG.indication):
        assert "MedicalTherapy" in str(graph.value(term, RDFS.comment)), local(term)


def test_biolink_terms_are_spelled_as_biolink_spells_them() -> None:
    """Biolink predicates and slots are snake_case, classes CamelCase."""
    graph = ontology()
    for relation in MAPPINGS:
        for term, target in graph.subject_objects(relation):
            if not str(target).startswith(str(BIOLINK)):
                continue
            name = str(target)[len(str(BIOLINK)) :]
            if (term, RDF.type, CLASS) in graph:
                assert re.fullmatch(r"[A-Z][A-Za-z]+", name), name
            else:
                assert re.fullmatch(r"[a-z]+(_[a-z]+)*", name), name


FHIR_ROOTS = {
    "MedicationKnowledge",
    "Medication",
    "ClinicalUseDefinition",
    "ChargeItemDefinition",
    "ActivityDefinition",
    "DocumentReference",
    "Provenance",
    "Dosage",
    "Timing",
    "Quantity",
}


def test_fhir_elements_are_element_paths() -> None:
    graph = ontology()
    elements = list(graph.subject_objects(MEDKG.fhirElement))
    assert len(elements) > 40
    for term, element in elements:
        assert isinstance(element, Literal), term
        assert re.fullmatch(r"[A-Z][A-Za-z]+(\.[a-z][A-Za-z]*(\[x\])?)*", str(element)), element
        assert str(element).split(".")[0] in FHIR_ROOTS, element


@pytest.mark.parametrize(
    ("term", "element"),
    [
        (MEDKG.DosingRegimen, "MedicationKnowledge.indicationGuideline.dosingGuideline.dosage"),
        (MEDKG.frequencyBand, "ClinicalUseDefinition.undesirableEffect.frequencyOfOccurrence"),
        (MEDKG.BillingCode, "ChargeItemDefinition.code"),
        (MEDKG.BillingCodeDescription, "ChargeItemDefinition"),
        (MEDKG.personnel, "ActivityDefinition.participant"),
        (MEDKG.period, "Timing.repeat.period"),
    ],
    ids=lambda x: local(x) if isinstance(x, URIRef) else x,
)
def test_fhir_element(term: URIRef, element: str) -> None:
    assert (term, MEDKG.fhirElement, Literal(element)) in ontology()


@pytest.mark.parametrize(
    ("prop", "domain", "range_"),
    [
        (MEDKG.descriptor, MEDKG.BillingCodeDescription, XSD.string),
        (MEDKG.billingUnit, MEDKG.BillingCodeDescription, SCHEMA.QuantitativeValue),
        (MEDKG.billedPerItem, MEDKG.BillingCodeDescription, XSD.boolean),
        (MEDKG.bills, MEDKG.BillingCodeDescription, SCHEMA.Drug),
        (MEDKG.billingCalculation, MEDKG.BillingCodeDescription, MEDKG.BillingUnitCalculation),
        (MEDKG.description, MEDKG.BillingCode, MEDKG.BillingCodeDescription),
        (MEDKG.describesCode, MEDKG.BillingCodeDescription, MEDKG.BillingCode),
        (MEDKG.codeDescription, SCHEMA.MedicalProcedure, MEDKG.BillingCodeDescription),
    ],
    ids=lambda x: local(x) if isinstance(x, URIRef) and is_medkg(x) else str(x),
)
def test_what_a_page_says_about_a_code_is_on_its_description(
    prop: URIRef, domain: URIRef, range_: URIRef
) -> None:
    """A billing code node is the code's identity; descriptor, unit and drug are what
    one page says (medkg:BillingCodeDescription), so pages never mix their claims."""
    graph = ontology()
    assert graph.value(prop, RDFS.domain) == domain
    assert graph.value(prop, RDFS.range) == range_
    assert (MEDKG.BillingCodeDescription, RDFS.subClassOf, MEDKG.Fact) in graph
    assert MEDKG.BillingCodeDescription in set(graph.objects(MEDKG.statedIn, SCHEMA.domainIncludes))
