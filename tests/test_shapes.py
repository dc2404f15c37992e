"""The SHACL shapes (shapes/*.ttl), through medkg.shacl.validate.

For every shape: a minimal hand-made graph that conforms, and a broken variant
(one change, as a SPARQL update) that is rejected with the expected focus node
and path. Then: every shape says what is wrong, the value sets of the shapes
are the values the code writes, and the real seed graph conforms.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import get_args, get_type_hints

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from medkg.graph.code_facts import CODE_SYSTEMS
from medkg.graph.documents import MEDIA_TYPES
from medkg.graph.drug_facts import BAND_IRIS, RELATION_IRIS
from medkg.graph.writer import _MAPPING_PROPERTIES
from medkg.model import (
    DocumentFormat,
    DurationFact,
    PersonnelFact,
    StatementFact,
    WarningFact,
)
from medkg.namespaces import ID, MEDKG, PREFIXES, RDF, RDFS, SCHEMA, SH, SKOS
from medkg.quantities import TIME_UNITS
from medkg.shacl.validate import ValidationOutcome, load_shapes, validate_graph
from tests.conftest import Built

ROOT = Path(__file__).resolve().parent.parent
SHA = "0123456789abcdef" * 4

HEADER = """
@base <https://w3id.org/medkg/id/> .
@prefix medkg: <https://w3id.org/medkg/vocab#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

# ---------------------------------------------------------------------------
# Minimal valid graphs: name -> (fragments it needs, Turtle)
# ---------------------------------------------------------------------------

FRAGMENTS: dict[str, tuple[tuple[str, ...], str]] = {
    "monograph": (
        (),
        f"""
<document/mono> a medkg:SourceDocument ;
    dcterms:title "Exampline" ; medkg:fileName "exampline.md" ;
    medkg:sha256 "{SHA}" ; medkg:byteSize 2048 ;
    medkg:documentFormat "monograph" ; dcterms:format "text/markdown" .
<evidence/mono/0-9> a medkg:Evidence ; medkg:document <document/mono> ;
    medkg:sectionName "Generic Name" ; medkg:quote "Exampline" ; medkg:start 0 ; medkg:end 9 .
<evidence/mono/10-18> a medkg:Evidence ; medkg:document <document/mono> ;
    medkg:sectionName "Side Effects" ; medkg:quote "headache" ; medkg:start 10 ; medkg:end 18 .
<drug/exampline> a schema:Drug ; rdfs:label "Exampline" ; schema:name "Exampline" ;
    medkg:describedBy <document/mono> ; medkg:evidence <evidence/mono/0-9> .
<concept/headache> a skos:Concept ; skos:prefLabel "headache" .
""",
    ),
    "section": (
        ("monograph",),
        """
<document/mono> dcterms:hasPart <document/mono/section/1-usage> .
<document/mono/section/1-usage> a medkg:Section ; rdfs:label "Usage" ; medkg:heading "Usage" ;
    schema:position 1 ; medkg:start 20 ; medkg:end 80 .
""",
    ),
    "repair": (
        ("monograph",),
        """
<document/mono> medkg:encodingRepair <document/mono/repair/42> .
<document/mono/repair/42> a medkg:EncodingRepair ;
    medkg:found "mÂ²" ; medkg:repaired "m²" ; medkg:start 42 .
""",
    ),
    "statement": (
        ("monograph",),
        """
<document/mono> medkg:statement <document/mono/statement/0-9> .
<document/mono/statement/0-9> a medkg:Statement ; medkg:statementKind "disclaimer" ;
    schema:text "Exampline" ; medkg:evidence <evidence/mono/0-9> .
""",
    ),
    "indication": (
        ("monograph",),
        """
<drug/exampline> medkg:indication <indication/mono/headache> .
<indication/mono/headache> a medkg:Indication ; medkg:condition <concept/headache> ;
    medkg:termAsWritten "Headache" ;
    medkg:population "adults" ; medkg:qualifier "with frequent episodes" ;
    medkg:criterion <indication/mono/headache/criterion-1> ; medkg:evidence <evidence/mono/10-18> .
<indication/mono/headache/criterion-1> a medkg:Statement ; medkg:statementKind "criterion" ;
    schema:text "headache" ; schema:position 1 ; medkg:evidence <evidence/mono/10-18> .
""",
    ),
    "mechanism": (
        ("monograph",),
        """
<concept/pain-signalling> a skos:Concept ; skos:prefLabel "pain signalling" .
<drug/exampline> schema:mechanismOfAction <mechanism/mono/exampline> .
<mechanism/mono/exampline> a medkg:MechanismOfAction ;
    medkg:step <mechanism/mono/exampline/step-1> ;
    medkg:effect <mechanism/mono/exampline/effect-1> ;
    medkg:evidence <evidence/mono/0-9> .
<mechanism/mono/exampline/step-1> a medkg:MechanismStep ; schema:position 1 ;
    medkg:subject <drug/exampline> ; medkg:relation medkg:Inhibits ;
    medkg:object <concept/pain-signalling> ; medkg:evidence <evidence/mono/0-9> .
<mechanism/mono/exampline/effect-1> a medkg:MechanismEffect ; schema:position 1 ;
    medkg:direction medkg:Decrease ; medkg:affects <concept/headache> ;
    medkg:strength "to a lesser extent" ; medkg:evidence <evidence/mono/10-18> .
""",
    ),
    "regimen": (
        ("monograph",),
        """
<concept/subcutaneous-route> a skos:Concept ; skos:prefLabel "subcutaneous route" .
<concept/healthcare-professional> a skos:Concept ; skos:prefLabel "healthcare professional" .
<drug/exampline> schema:doseSchedule <regimen/mono/1> .
<regimen/mono/1> a medkg:DosingRegimen , schema:DoseSchedule ; medkg:evidence <evidence/mono/0-9> ;
    schema:administrationRoute <concept/subcutaneous-route> ; medkg:phase "maintenance" ;
    medkg:population "adults" ;
    medkg:dose <regimen/mono/1/dose> ; medkg:unitDose <regimen/mono/1/unit-dose> ;
    medkg:unitCount 2 ; medkg:unitForm "injection" ; medkg:consecutive true ;
    medkg:timing <regimen/mono/1/timing> ; medkg:maxDuration <regimen/mono/1/max-duration> ;
    medkg:durationLimitReason <regimen/mono/1/duration-limit-reason> ;
    medkg:administeredBy <concept/healthcare-professional> .
<regimen/mono/1/dose> a schema:QuantitativeValue ; schema:value "210"^^xsd:decimal ;
    schema:unitCode "mg" ; medkg:evidence <evidence/mono/0-9> .
<regimen/mono/1/unit-dose> a schema:QuantitativeValue ; schema:value "105"^^xsd:decimal ;
    schema:unitCode "mg" ; medkg:evidence <evidence/mono/0-9> .
<regimen/mono/1/max-duration> a schema:QuantitativeValue ; schema:value "12"^^xsd:decimal ;
    schema:unitCode "mo" ; medkg:isMaximum true ; medkg:evidence <evidence/mono/0-9> .
<regimen/mono/1/timing> a medkg:Timing ; medkg:frequency 1 ; medkg:period "1"^^xsd:decimal ;
    medkg:periodUnit "mo" ; medkg:evidence <evidence/mono/0-9> .
<regimen/mono/1/duration-limit-reason> a medkg:Statement ;
    medkg:statementKind "duration-limit-reason" ; schema:text "Exampline" ;
    medkg:evidence <evidence/mono/0-9> .
""",
    ),
    "guidance": (
        ("monograph",),
        """
<drug/exampline> medkg:populationGuidance <population-guidance/mono/children> .
<population-guidance/mono/children> a medkg:PopulationGuidance ; medkg:population "children" ;
    medkg:guidance "not approved" ; medkg:evidence <evidence/mono/0-9> .
""",
    ),
    "reaction": (
        ("monograph",),
        """
<drug/exampline> medkg:adverseReaction <adverse-reaction/mono/headache> .
<adverse-reaction/mono/headache> a medkg:AdverseReaction ; medkg:reaction <concept/headache> ;
    medkg:termAsWritten "headache" ; medkg:statedIn <document/mono> ;
    medkg:frequencyBand medkg:Common ; medkg:frequencyText "1-10%" ; medkg:serious false ;
    medkg:evidence <evidence/mono/10-18> .
""",
    ),
    "contraindication": (
        ("monograph",),
        """
<drug/exampline> medkg:contraindication <contraindication/mono/headache> .
<contraindication/mono/headache> a medkg:Contraindication ; medkg:condition <concept/headache> ;
    medkg:termAsWritten "headache" ;
    schema:text "headache" ; medkg:example <concept/headache> ;
    medkg:evidence <evidence/mono/10-18> .
""",
    ),
    "warning": (
        ("monograph",),
        """
<drug/exampline> medkg:warning <warning/mono/headache> , <warning/mono/exampline> .
<warning/mono/headache> a medkg:Warning ; medkg:warningKind "increased-risk" ;
    medkg:condition <concept/headache> ; schema:text "headache" ; medkg:detail "migraine" ;
    medkg:evidence <evidence/mono/10-18> .
<warning/mono/exampline> a medkg:Warning ; medkg:warningKind "statement" ;
    schema:text "Exampline" ; medkg:evidence <evidence/mono/0-9> .
""",
    ),
    "faq": (
        ("monograph",),
        """
<drug/exampline> medkg:faq <faq/mono/1> .
<faq/mono/1> a schema:Question ; schema:position 1 ; schema:text "What is Exampline?" ;
    schema:acceptedAnswer <faq/mono/1/answer> ; medkg:evidence <evidence/mono/0-9> .
<faq/mono/1/answer> a schema:Answer ; schema:text "A made-up drug." ;
    medkg:evidence <evidence/mono/10-18> .
""",
    ),
    "code": (
        ("monograph",),
        f"""
<document/page> a medkg:SourceDocument ;
    dcterms:title "Injection, exampline, 1 mg" ; medkg:fileName "j9999.txt" ;
    medkg:sha256 "{SHA}" ; medkg:byteSize 900 ;
    medkg:documentFormat "code-page" ; dcterms:format "text/plain" .
<evidence/page/0-5> a medkg:Evidence ; medkg:document <document/page> ;
    medkg:sectionName "Untitled" ; medkg:quote "J9999" ; medkg:start 0 ; medkg:end 5 .
<evidence/page/6-32> a medkg:Evidence ; medkg:document <document/page> ;
    medkg:sectionName "Untitled" ; medkg:quote "Injection, exampline, 1 mg" ;
    medkg:start 6 ; medkg:end 32 .
<code/hcpcs/J9999> a medkg:BillingCode , schema:MedicalCode , skos:Concept ;
    skos:prefLabel "J9999" ; skos:notation "J9999" ;
    schema:codeValue "J9999" ; schema:codingSystem "HCPCS Level II" ;
    skos:inScheme <http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets> ;
    medkg:description <code/hcpcs/J9999/page> ; medkg:evidence <evidence/page/0-5> .
<code/hcpcs/J9999/page> a medkg:BillingCodeDescription ;
    medkg:describesCode <code/hcpcs/J9999> ; medkg:statedIn <document/page> ;
    medkg:descriptor "Injection, exampline, 1 mg" ; rdfs:label "Injection, exampline, 1 mg" ;
    medkg:billingUnit <code/hcpcs/J9999/page/billing-unit> ; medkg:billedPerItem false ;
    medkg:bills <drug/exampline> ; medkg:evidence <evidence/page/0-5> , <evidence/page/6-32> .
<code/hcpcs/J9999/page/billing-unit> a schema:QuantitativeValue ;
    schema:value "1"^^xsd:decimal ; schema:unitCode "mg" ; medkg:evidence <evidence/page/6-32> .
""",
    ),
    "cpt": (
        ("procedure",),
        """
<code/cpt/96372> a medkg:BillingCode , schema:MedicalCode , skos:Concept ;
    skos:prefLabel "96372" ; skos:notation "96372" ; schema:codeValue "96372" ;
    schema:codingSystem "CPT" ; skos:inScheme <http://www.ama-assn.org/go/cpt> ;
    medkg:description <code/cpt/96372/page> ; medkg:evidence <evidence/page/0-5> .
<code/cpt/96372/page> a medkg:BillingCodeDescription ;
    medkg:describesCode <code/cpt/96372> ; medkg:statedIn <document/page> ;
    medkg:descriptor "Therapeutic injection" ; rdfs:label "Therapeutic injection" ;
    medkg:evidence <evidence/page/0-5> .
""",
    ),
    "procedure": (
        ("code",),
        """
<concept/subcutaneous-route> a skos:Concept ; skos:prefLabel "subcutaneous route" .
<concept/abdomen> a skos:Concept ; skos:prefLabel "abdomen" .
<concept/outpatient-clinic> a skos:Concept ; skos:prefLabel "outpatient clinic" .
<concept/nurse> a skos:Concept ; skos:prefLabel "nurse" .
<code/hcpcs/J9999> medkg:procedure <procedure/hcpcs/J9999> .
<procedure/hcpcs/J9999> a schema:MedicalProcedure ; schema:code <code/hcpcs/J9999> ;
    medkg:codeDescription <code/hcpcs/J9999/page> ;
    schema:name "Injection of exampline" ; medkg:medicalTerm "Injection, exampline, 1 mg" ;
    schema:description "An injection under the skin." ; medkg:route <concept/subcutaneous-route> ;
    medkg:procedureStep <procedure/hcpcs/J9999/step-1> ; medkg:bodySite <concept/abdomen> ;
    medkg:setting <concept/outpatient-clinic> ; medkg:anesthesiaRequired false ;
    medkg:duration <procedure/hcpcs/J9999/duration-1> ;
    medkg:personnel <procedure/hcpcs/J9999/personnel-1> ;
    medkg:risk <procedure/hcpcs/J9999/risk-1> ; medkg:evidence <evidence/page/6-32> .
<procedure/hcpcs/J9999/step-1> a medkg:Statement ; medkg:statementKind "step" ;
    schema:text "Injection, exampline, 1 mg" ; schema:position 1 ;
    medkg:evidence <evidence/page/6-32> .
<procedure/hcpcs/J9999/duration-1> a medkg:Duration ; medkg:durationOf "appointment" ;
    medkg:quantity <procedure/hcpcs/J9999/duration-1/quantity> ;
    medkg:evidence <evidence/page/6-32> .
<procedure/hcpcs/J9999/duration-1/quantity> a schema:QuantitativeValue ;
    schema:value "30"^^xsd:decimal ; schema:unitCode "min" ; medkg:approximate true ;
    medkg:evidence <evidence/page/6-32> .
<procedure/hcpcs/J9999/personnel-1> a medkg:PersonnelRole ; schema:position 1 ;
    medkg:who <concept/nurse> ; medkg:role "administers" ; medkg:evidence <evidence/page/6-32> .
<procedure/hcpcs/J9999/risk-1> a medkg:ProcedureRisk ; medkg:reaction <concept/headache> ;
    medkg:termAsWritten "headache" ; medkg:statedIn <document/page> ;
    medkg:frequencyBand medkg:Rare ; medkg:frequencyText "rare" ;
    medkg:evidence <evidence/page/6-32> .
""",
    ),
    "mapping": (
        ("monograph",),
        """
<concept/headache> skos:exactMatch <http://purl.obolibrary.org/obo/HP_0002315> .
<mapping/headache/hp-0002315> a medkg:IdentifierMapping ; medkg:mappedNode <concept/headache> ;
    medkg:mappingProperty skos:exactMatch ;
    medkg:mappedIdentifier <http://purl.obolibrary.org/obo/HP_0002315> ;
    skos:notation "HP:0002315" ; medkg:scheme "HP" ;
    medkg:confirmedIn "obophenotype/human-phenotype-ontology" ; medkg:confirmationQuality "A" .
""",
    ),
    "alignment": (
        ("monograph",),
        """
<alignment/headache/mono/10-18> a medkg:ConceptAlignment ; medkg:derived true ;
    medkg:alignedConcept <concept/headache> ; medkg:termAsWritten "head pain" ;
    medkg:alignmentBasis "gloss" ; rdfs:comment "page: 'headache (head pain)' glosses headache" ;
    prov:wasDerivedFrom <evidence/mono/10-18> .
""",
    ),
    "calculation": (
        ("regimen", "code"),
        """
<code/hcpcs/J9999/page> medkg:billingCalculation
    <derived/billing-units/code/hcpcs/J9999/page/regimen/mono/1> .
<derived/billing-units/code/hcpcs/J9999/page/regimen/mono/1> a medkg:BillingUnitCalculation ;
    medkg:derived true ; medkg:billingCode <code/hcpcs/J9999> ; medkg:regimen <regimen/mono/1> ;
    medkg:unitsPerAdministration "210"^^xsd:decimal ; medkg:unitsPerUnitDose "105"^^xsd:decimal ;
    medkg:administrationsPerCourse "12"^^xsd:decimal ; medkg:unitsPerCourse "2520"^^xsd:decimal ;
    rdfs:comment "Units = dose in mg / 1 mg per billing unit." ;
    prov:wasDerivedFrom <code/hcpcs/J9999/page> , <regimen/mono/1/dose> ,
        <code/hcpcs/J9999/page/billing-unit> .
""",
    ),
    "comparison": (
        ("reaction", "procedure"),
        """
<comparison/drug/exampline/code/hcpcs/J9999/page/adverse-reaction/headache>
    a medkg:CrossSourceComparison ;
    medkg:derived true ; medkg:aspect "adverse-reaction" ; medkg:agreement "differ" ;
    medkg:comparedConcept <concept/headache> ;
    medkg:claim <adverse-reaction/mono/headache> , <procedure/hcpcs/J9999/risk-1> ;
    prov:wasDerivedFrom <adverse-reaction/mono/headache> , <procedure/hcpcs/J9999/risk-1> ,
        <code/hcpcs/J9999/page> .
""",
    ),
}


def fragment_order(names: tuple[str, ...]) -> list[str]:
    """`names` and everything they need, each once, dependencies first."""
    order: list[str] = []

    def visit(name: str) -> None:
        for needed in FRAGMENTS[name][0]:
            visit(needed)
        if name not in order:
            order.append(name)

    for name in names:
        visit(name)
    return order


def graph_of(*names: str) -> Graph:
    turtle = HEADER + "".join(FRAGMENTS[name][1] for name in fragment_order(names))
    return Graph().parse(data=turtle, format="turtle")


def update(graph: Graph, sparql: str) -> Graph:
    prologue = "\n".join(
        f"PREFIX {prefix}: <{namespace}>" for prefix, namespace in PREFIXES.items()
    )
    graph.update(f"BASE <{ID}>\n{prologue}\n{sparql}")
    return graph


# ---------------------------------------------------------------------------
# Reading the outcome
# ---------------------------------------------------------------------------


def expand(curie: str) -> str:
    prefix, local = curie.split(":", 1)
    return str(PREFIXES[prefix]) + local


def path_forms(curie: str) -> set[str]:
    """How validate_graph may name a simple path: prefixed, or the IRI with or without <>."""
    iri = expand(curie)
    return {curie, iri, f"<{iri}>"}


def report_blocks(outcome: ValidationOutcome) -> Iterator[str]:
    yield from outcome.report_text.split("Constraint Violation in ")[1:]


def reported(outcome: ValidationOutcome, focus: str, path: str) -> bool:
    """Whether a violation names `focus` (an IRI under id/, or BLANK for any blank
    node) and `path` ("medkg:start", "^dcterms:hasPart" for an inverse path, "-"
    for none)."""
    if path.startswith("^"):
        # validate_graph names a complex path by its blank node; pySHACL's own
        # report text shows it.
        inverse = f"Result Path: [ sh:inversePath {path[1:]} ]"
        return any(
            f"Focus Node: <{focus}>" in block and inverse in block
            for block in report_blocks(outcome)
        ) or any(v.focus == focus and v.path == path for v in outcome.violations)
    forms = {"-"} if path == "-" else path_forms(path)
    for violation in outcome.violations:
        focus_matches = (
            violation.focus == focus if focus != BLANK else not violation.focus.startswith("http")
        )
        if focus_matches and violation.path in forms:
            assert violation.message and violation.message != "(no message)"
            return True
    return False


BLANK = "blank node"


def describe(outcome: ValidationOutcome) -> str:
    return "\n".join(str(v) for v in outcome.violations) or "(conforms)"


# ---------------------------------------------------------------------------
# Broken variants
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Broken:
    name: str
    shape: str  # the class whose shape rejects it (or msh:NoBlankNodes)
    fragment: str  # the minimal valid graph it breaks
    sparql: str  # one change
    focus: str  # path under id/, or BLANK
    path: str  # "medkg:start", "^dcterms:hasPart", "-"

    def focus_iri(self) -> str:
        return self.focus if self.focus == BLANK else str(ID[self.focus])


CASES = [
    Broken(
        "sha256-upper-case",
        "medkg:SourceDocument",
        "monograph",
        f'DELETE DATA {{ <document/mono> medkg:sha256 "{SHA}" }} ;'
        f' INSERT DATA {{ <document/mono> medkg:sha256 "{SHA.upper()}" }}',
        "document/mono",
        "medkg:sha256",
    ),
    Broken(
        "document-format-unknown",
        "medkg:SourceDocument",
        "monograph",
        'DELETE DATA { <document/mono> medkg:documentFormat "monograph" } ;'
        ' INSERT DATA { <document/mono> medkg:documentFormat "pdf" }',
        "document/mono",
        "medkg:documentFormat",
    ),
    Broken(
        "section-starts-after-end",
        "medkg:Section",
        "section",
        "DELETE DATA { <document/mono/section/1-usage> medkg:start 20 } ;"
        " INSERT DATA { <document/mono/section/1-usage> medkg:start 81 }",
        "document/mono/section/1-usage",
        "medkg:start",
    ),
    Broken(
        "section-of-no-document",
        "medkg:Section",
        "section",
        "DELETE DATA { <document/mono> dcterms:hasPart <document/mono/section/1-usage> }",
        "document/mono/section/1-usage",
        "^dcterms:hasPart",
    ),
    Broken(
        "repair-without-found",
        "medkg:EncodingRepair",
        "repair",
        'DELETE DATA { <document/mono/repair/42> medkg:found "mÂ²" }',
        "document/mono/repair/42",
        "medkg:found",
    ),
    Broken(
        "evidence-empty-span",
        "medkg:Evidence",
        "monograph",
        "DELETE DATA { <evidence/mono/0-9> medkg:end 9 } ;"
        " INSERT DATA { <evidence/mono/0-9> medkg:end 0 }",
        "evidence/mono/0-9",
        "medkg:start",
    ),
    Broken(
        "evidence-quote-not-the-span",
        "msh:EvidenceQuoteShape",
        "monograph",
        "DELETE DATA { <evidence/mono/0-9> medkg:end 9 } ;"
        " INSERT DATA { <evidence/mono/0-9> medkg:end 12 }",
        "evidence/mono/0-9",
        "medkg:quote",
    ),
    Broken(
        "evidence-without-document",
        "medkg:Evidence",
        "monograph",
        "DELETE DATA { <evidence/mono/0-9> medkg:document <document/mono> }",
        "evidence/mono/0-9",
        "medkg:document",
    ),
    Broken(
        "evidence-negative-start",
        "medkg:Evidence",
        "monograph",
        "DELETE DATA { <evidence/mono/0-9> medkg:start 0 } ;"
        " INSERT DATA { <evidence/mono/0-9> medkg:start -1 }",
        "evidence/mono/0-9",
        "medkg:start",
    ),
    Broken(
        "statement-kind-unknown",
        "medkg:Statement",
        "statement",
        'DELETE DATA { <document/mono/statement/0-9> medkg:statementKind "disclaimer" } ;'
        ' INSERT DATA { <document/mono/statement/0-9> medkg:statementKind "opinion" }',
        "document/mono/statement/0-9",
        "medkg:statementKind",
    ),
    Broken(
        "statement-orphan",
        "msh:OrphanShape",
        "statement",
        "DELETE DATA { <document/mono> medkg:statement <document/mono/statement/0-9> }",
        "document/mono/statement/0-9",
        "-",
    ),
    Broken(
        "drug-without-evidence",
        "schema:Drug",
        "monograph",
        "DELETE DATA { <drug/exampline> medkg:evidence <evidence/mono/0-9> }",
        "drug/exampline",
        "medkg:evidence",
    ),
    Broken(
        "drug-described-by-nothing",
        "schema:Drug",
        "monograph",
        "DELETE DATA { <drug/exampline> medkg:describedBy <document/mono> }",
        "drug/exampline",
        "-",
    ),
    Broken(
        "indication-condition-is-text",
        "medkg:Indication",
        "indication",
        "DELETE DATA { <indication/mono/headache> medkg:condition <concept/headache> } ;"
        ' INSERT DATA { <indication/mono/headache> medkg:condition "headache" }',
        "indication/mono/headache",
        "medkg:condition",
    ),
    Broken(
        "indication-of-no-drug",
        "medkg:Indication",
        "indication",
        "DELETE DATA { <drug/exampline> medkg:indication <indication/mono/headache> }",
        "indication/mono/headache",
        "^medkg:indication",
    ),
    Broken(
        "mechanism-without-evidence",
        "medkg:MechanismOfAction",
        "mechanism",
        "DELETE DATA { <mechanism/mono/exampline> medkg:evidence <evidence/mono/0-9> }",
        "mechanism/mono/exampline",
        "medkg:evidence",
    ),
    Broken(
        "step-relation-not-a-relation",
        "medkg:MechanismStep",
        "mechanism",
        "DELETE DATA { <mechanism/mono/exampline/step-1> medkg:relation medkg:Inhibits } ;"
        " INSERT DATA { <mechanism/mono/exampline/step-1> medkg:relation medkg:Increase }",
        "mechanism/mono/exampline/step-1",
        "medkg:relation",
    ),
    Broken(
        "step-subject-is-text",
        "medkg:MechanismStep",
        "mechanism",
        "DELETE DATA { <mechanism/mono/exampline/step-1> medkg:subject <drug/exampline> } ;"
        ' INSERT DATA { <mechanism/mono/exampline/step-1> medkg:subject "Exampline" }',
        "mechanism/mono/exampline/step-1",
        "medkg:subject",
    ),
    Broken(
        "effect-direction-not-a-direction",
        "medkg:MechanismEffect",
        "mechanism",
        "DELETE DATA { <mechanism/mono/exampline/effect-1> medkg:direction medkg:Decrease } ;"
        " INSERT DATA { <mechanism/mono/exampline/effect-1> medkg:direction medkg:Inhibits }",
        "mechanism/mono/exampline/effect-1",
        "medkg:direction",
    ),
    Broken(
        "regimen-route-outside-vocabulary",
        "medkg:DosingRegimen",
        "regimen",
        "DELETE DATA { <regimen/mono/1>"
        " schema:administrationRoute <concept/subcutaneous-route> } ;"
        " INSERT DATA { <regimen/mono/1> schema:administrationRoute <concept/under-the-skin> ."
        ' <concept/under-the-skin> a skos:Concept ; skos:prefLabel "under the skin" }',
        "regimen/mono/1",
        "schema:administrationRoute",
    ),
    Broken(
        "regimen-two-doses",
        "medkg:DosingRegimen",
        "regimen",
        "INSERT DATA { <regimen/mono/1> medkg:dose <regimen/mono/1/unit-dose> }",
        "regimen/mono/1",
        "medkg:dose",
    ),
    Broken(
        "timing-unit-not-ucum",
        "medkg:Timing",
        "regimen",
        'DELETE DATA { <regimen/mono/1/timing> medkg:periodUnit "mo" } ;'
        ' INSERT DATA { <regimen/mono/1/timing> medkg:periodUnit "month" }',
        "regimen/mono/1/timing",
        "medkg:periodUnit",
    ),
    Broken(
        "timing-period-above-maximum",
        "medkg:Timing",
        "regimen",
        'INSERT DATA { <regimen/mono/1/timing> medkg:periodMax "0.5"^^xsd:decimal }',
        "regimen/mono/1/timing",
        "medkg:period",
    ),
    Broken(
        "quantity-value-is-text",
        "schema:QuantitativeValue",
        "regimen",
        'DELETE DATA { <regimen/mono/1/dose> schema:value "210"^^xsd:decimal } ;'
        ' INSERT DATA { <regimen/mono/1/dose> schema:value "210 mg" }',
        "regimen/mono/1/dose",
        "schema:value",
    ),
    Broken(
        "quantity-without-value",
        "schema:QuantitativeValue",
        "regimen",
        'DELETE DATA { <regimen/mono/1/dose> schema:value "210"^^xsd:decimal }',
        "regimen/mono/1/dose",
        "-",
    ),
    Broken(
        "quantity-range-upside-down",
        "schema:QuantitativeValue",
        "regimen",
        'INSERT DATA { <regimen/mono/1/dose> schema:minValue "400"^^xsd:decimal ;'
        ' schema:maxValue "200"^^xsd:decimal }',
        "regimen/mono/1/dose",
        "schema:minValue",
    ),
    Broken(
        "quantity-orphan",
        "msh:OrphanShape",
        "regimen",
        "DELETE DATA { <regimen/mono/1> medkg:unitDose <regimen/mono/1/unit-dose> }",
        "regimen/mono/1/unit-dose",
        "-",
    ),
    Broken(
        "guidance-without-guidance",
        "medkg:PopulationGuidance",
        "guidance",
        'DELETE DATA { <population-guidance/mono/children> medkg:guidance "not approved" }',
        "population-guidance/mono/children",
        "medkg:guidance",
    ),
    Broken(
        "reaction-band-not-a-band",
        "medkg:AdverseReaction",
        "reaction",
        "DELETE DATA { <adverse-reaction/mono/headache> medkg:frequencyBand medkg:Common } ;"
        " INSERT DATA { <adverse-reaction/mono/headache> medkg:frequencyBand medkg:Increase }",
        "adverse-reaction/mono/headache",
        "medkg:frequencyBand",
    ),
    Broken(
        "reaction-stated-nowhere",
        "medkg:AdverseReaction",
        "reaction",
        "DELETE DATA { <adverse-reaction/mono/headache> medkg:statedIn <document/mono> }",
        "adverse-reaction/mono/headache",
        "medkg:statedIn",
    ),
    Broken(
        "indication-without-wording",
        "medkg:Indication",
        "indication",
        'DELETE DATA { <indication/mono/headache> medkg:termAsWritten "Headache" }',
        "indication/mono/headache",
        "medkg:termAsWritten",
    ),
    Broken(
        "contraindication-with-two-wordings",
        "medkg:Contraindication",
        "contraindication",
        'INSERT DATA { <contraindication/mono/headache> medkg:termAsWritten "head ache" }',
        "contraindication/mono/headache",
        "medkg:termAsWritten",
    ),
    Broken(
        "contraindication-without-text",
        "medkg:Contraindication",
        "contraindication",
        'DELETE DATA { <contraindication/mono/headache> schema:text "headache" }',
        "contraindication/mono/headache",
        "schema:text",
    ),
    Broken(
        "increased-risk-without-condition",
        "msh:WarningConditionShape",
        "warning",
        "DELETE DATA { <warning/mono/headache> medkg:condition <concept/headache> }",
        "warning/mono/headache",
        "medkg:condition",
    ),
    Broken(
        "statement-warning-with-condition",
        "msh:WarningConditionShape",
        "warning",
        "INSERT DATA { <warning/mono/exampline> medkg:condition <concept/headache> }",
        "warning/mono/exampline",
        "medkg:condition",
    ),
    Broken(
        "warning-kind-unknown",
        "medkg:Warning",
        "warning",
        'DELETE DATA { <warning/mono/exampline> medkg:warningKind "statement" } ;'
        ' INSERT DATA { <warning/mono/exampline> medkg:warningKind "maybe" }',
        "warning/mono/exampline",
        "medkg:warningKind",
    ),
    Broken(
        "question-without-answer",
        "schema:Question",
        "faq",
        "DELETE DATA { <faq/mono/1> schema:acceptedAnswer <faq/mono/1/answer> }",
        "faq/mono/1",
        "schema:acceptedAnswer",
    ),
    Broken(
        "answer-without-evidence",
        "schema:Answer",
        "faq",
        "DELETE DATA { <faq/mono/1/answer> medkg:evidence <evidence/mono/10-18> }",
        "faq/mono/1/answer",
        "medkg:evidence",
    ),
    Broken(
        "hcpcs-code-malformed",
        "medkg:BillingCode",
        "code",
        'DELETE DATA { <code/hcpcs/J9999> skos:notation "J9999" ; schema:codeValue "J9999" } ;'
        ' INSERT DATA { <code/hcpcs/J9999> skos:notation "9999J" ; schema:codeValue "9999J" }',
        "code/hcpcs/J9999",
        "skos:notation",
    ),
    Broken(
        "cpt-code-in-hcpcs-scheme",
        "medkg:BillingCode",
        "cpt",
        "DELETE DATA { <code/cpt/96372> skos:inScheme <http://www.ama-assn.org/go/cpt> ;"
        ' schema:codingSystem "CPT" } ;'
        " INSERT DATA { <code/cpt/96372>"
        " skos:inScheme <http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets> ;"
        ' schema:codingSystem "HCPCS Level II" }',
        "code/cpt/96372",
        "skos:notation",
    ),
    Broken(
        "cpt-code-malformed",
        "medkg:BillingCode",
        "cpt",
        'DELETE DATA { <code/cpt/96372> skos:notation "96372" ; schema:codeValue "96372" } ;'
        ' INSERT DATA { <code/cpt/96372> skos:notation "J3111" ; schema:codeValue "J3111" }',
        "code/cpt/96372",
        "skos:notation",
    ),
    Broken(
        "coding-system-contradicts-scheme",
        "medkg:BillingCode",
        "cpt",
        'DELETE DATA { <code/cpt/96372> schema:codingSystem "CPT" } ;'
        ' INSERT DATA { <code/cpt/96372> schema:codingSystem "HCPCS Level II" }',
        "code/cpt/96372",
        "schema:codingSystem",
    ),
    Broken(
        "code-value-differs-from-notation",
        "medkg:BillingCode",
        "code",
        'DELETE DATA { <code/hcpcs/J9999> schema:codeValue "J9999" } ;'
        ' INSERT DATA { <code/hcpcs/J9999> schema:codeValue "J9998" }',
        "code/hcpcs/J9999",
        "schema:codeValue",
    ),
    Broken(
        "code-without-description",
        "medkg:BillingCode",
        "code",
        "DELETE DATA { <code/hcpcs/J9999> medkg:description <code/hcpcs/J9999/page> }",
        "code/hcpcs/J9999",
        "medkg:description",
    ),
    Broken(
        "description-of-no-code",
        "medkg:BillingCodeDescription",
        "code",
        "DELETE DATA { <code/hcpcs/J9999> medkg:description <code/hcpcs/J9999/page> }",
        "code/hcpcs/J9999/page",
        "^medkg:description",
    ),
    Broken(
        "description-describes-no-code",
        "medkg:BillingCodeDescription",
        "code",
        "DELETE DATA { <code/hcpcs/J9999/page> medkg:describesCode <code/hcpcs/J9999> }",
        "code/hcpcs/J9999/page",
        "medkg:describesCode",
    ),
    Broken(
        "description-stated-nowhere",
        "medkg:BillingCodeDescription",
        "code",
        "DELETE DATA { <code/hcpcs/J9999/page> medkg:statedIn <document/page> }",
        "code/hcpcs/J9999/page",
        "medkg:statedIn",
    ),
    Broken(
        "description-with-two-descriptors",
        "medkg:BillingCodeDescription",
        "code",
        'INSERT DATA { <code/hcpcs/J9999/page> medkg:descriptor "Injection, exampline, 10 mg" }',
        "code/hcpcs/J9999/page",
        "medkg:descriptor",
    ),
    Broken(
        "description-label-differs-from-descriptor",
        "medkg:BillingCodeDescription",
        "code",
        'DELETE DATA { <code/hcpcs/J9999/page> rdfs:label "Injection, exampline, 1 mg" } ;'
        ' INSERT DATA { <code/hcpcs/J9999/page> rdfs:label "Exampline" }',
        "code/hcpcs/J9999/page",
        "rdfs:label",
    ),
    Broken(
        "description-with-two-billing-units",
        "medkg:BillingCodeDescription",
        "code",
        "INSERT DATA { <code/hcpcs/J9999/page> medkg:billingUnit <code/hcpcs/J9999/page/unit-2> ."
        " <code/hcpcs/J9999/page/unit-2> a schema:QuantitativeValue ; schema:value 10.0 ;"
        ' schema:unitCode "ug" ; medkg:evidence <evidence/page/6-32> }',
        "code/hcpcs/J9999/page",
        "medkg:billingUnit",
    ),
    Broken(
        "description-bills-a-non-drug",
        "medkg:BillingCodeDescription",
        "code",
        "INSERT DATA { <code/hcpcs/J9999/page> medkg:bills <code/hcpcs/J9999/page/billing-unit> }",
        "code/hcpcs/J9999/page",
        "medkg:bills",
    ),
    Broken(
        "file-name-evidence-not-the-file-name",
        "msh:FileNameEvidenceShape",
        "code",
        'DELETE DATA { <evidence/page/0-5> medkg:sectionName "Untitled" } ;'
        ' INSERT DATA { <evidence/page/0-5> medkg:sectionName "File name" }',
        "evidence/page/0-5",
        "medkg:quote",
    ),
    Broken(
        "procedure-without-code-description",
        "schema:MedicalProcedure",
        "procedure",
        "DELETE DATA { <procedure/hcpcs/J9999> medkg:codeDescription <code/hcpcs/J9999/page> }",
        "procedure/hcpcs/J9999",
        "medkg:codeDescription",
    ),
    Broken(
        "procedure-paired-with-another-codes-description",
        "schema:MedicalProcedure",
        "cpt",
        "DELETE DATA { <procedure/hcpcs/J9999> medkg:codeDescription <code/hcpcs/J9999/page> } ;"
        " INSERT DATA { <procedure/hcpcs/J9999> medkg:codeDescription <code/cpt/96372/page> }",
        "procedure/hcpcs/J9999",
        "medkg:codeDescription",
    ),
    Broken(
        "procedure-code-is-text",
        "schema:MedicalProcedure",
        "procedure",
        "DELETE DATA { <procedure/hcpcs/J9999> schema:code <code/hcpcs/J9999> } ;"
        ' INSERT DATA { <procedure/hcpcs/J9999> schema:code "J9999" }',
        "procedure/hcpcs/J9999",
        "schema:code",
    ),
    Broken(
        "procedure-route-outside-vocabulary",
        "schema:MedicalProcedure",
        "procedure",
        "DELETE DATA { <procedure/hcpcs/J9999> medkg:route <concept/subcutaneous-route> } ;"
        " INSERT DATA { <procedure/hcpcs/J9999> medkg:route <concept/abdomen> }",
        "procedure/hcpcs/J9999",
        "medkg:route",
    ),
    Broken(
        "duration-of-unknown",
        "medkg:Duration",
        "procedure",
        'DELETE DATA { <procedure/hcpcs/J9999/duration-1> medkg:durationOf "appointment" } ;'
        ' INSERT DATA { <procedure/hcpcs/J9999/duration-1> medkg:durationOf "visit" }',
        "procedure/hcpcs/J9999/duration-1",
        "medkg:durationOf",
    ),
    Broken(
        "personnel-role-unknown",
        "medkg:PersonnelRole",
        "procedure",
        'DELETE DATA { <procedure/hcpcs/J9999/personnel-1> medkg:role "administers" } ;'
        ' INSERT DATA { <procedure/hcpcs/J9999/personnel-1> medkg:role "watches" }',
        "procedure/hcpcs/J9999/personnel-1",
        "medkg:role",
    ),
    Broken(
        "risk-stated-nowhere",
        "medkg:ProcedureRisk",
        "procedure",
        "DELETE DATA { <procedure/hcpcs/J9999/risk-1> medkg:statedIn <document/page> }",
        "procedure/hcpcs/J9999/risk-1",
        "medkg:statedIn",
    ),
    Broken(
        "concept-two-preferred-labels",
        "skos:Concept",
        "monograph",
        'INSERT DATA { <concept/headache> skos:prefLabel "cephalalgia" }',
        "concept/headache",
        "skos:prefLabel",
    ),
    Broken(
        "code-without-preferred-label",
        "skos:Concept",
        "code",
        'DELETE DATA { <code/hcpcs/J9999> skos:prefLabel "J9999" }',
        "code/hcpcs/J9999",
        "skos:prefLabel",
    ),
    Broken(
        "code-labelled-with-a-page-descriptor",
        "medkg:BillingCode",
        "code",
        'DELETE DATA { <code/hcpcs/J9999> skos:prefLabel "J9999" } ;'
        ' INSERT DATA { <code/hcpcs/J9999> skos:prefLabel "Injection, exampline, 1 mg" }',
        "code/hcpcs/J9999",
        "skos:prefLabel",
    ),
    Broken(
        "mapping-not-on-the-node",
        "msh:IdentifierMappingCarriedShape",
        "mapping",
        "DELETE DATA { <concept/headache> skos:exactMatch"
        " <http://purl.obolibrary.org/obo/HP_0002315> }",
        "mapping/headache/hp-0002315",
        "medkg:mappedIdentifier",
    ),
    Broken(
        "mapping-quality-unknown",
        "medkg:IdentifierMapping",
        "mapping",
        'DELETE DATA { <mapping/headache/hp-0002315> medkg:confirmationQuality "A" } ;'
        ' INSERT DATA { <mapping/headache/hp-0002315> medkg:confirmationQuality "C" }',
        "mapping/headache/hp-0002315",
        "medkg:confirmationQuality",
    ),
    Broken(
        "alignment-not-derived",
        "medkg:ConceptAlignment",
        "alignment",
        "DELETE DATA { <alignment/headache/mono/10-18> medkg:derived true } ;"
        " INSERT DATA { <alignment/headache/mono/10-18> medkg:derived false }",
        "alignment/headache/mono/10-18",
        "medkg:derived",
    ),
    Broken(
        "alignment-basis-unknown",
        "medkg:ConceptAlignment",
        "alignment",
        'DELETE DATA { <alignment/headache/mono/10-18> medkg:alignmentBasis "gloss" } ;'
        ' INSERT DATA { <alignment/headache/mono/10-18> medkg:alignmentBasis "guess" }',
        "alignment/headache/mono/10-18",
        "medkg:alignmentBasis",
    ),
    Broken(
        "calculation-derived-from-nothing",
        "medkg:BillingUnitCalculation",
        "calculation",
        "DELETE WHERE { <derived/billing-units/code/hcpcs/J9999/page/regimen/mono/1>"
        " prov:wasDerivedFrom ?input }",
        "derived/billing-units/code/hcpcs/J9999/page/regimen/mono/1",
        "prov:wasDerivedFrom",
    ),
    Broken(
        "calculation-of-no-description",
        "medkg:BillingUnitCalculation",
        "calculation",
        "DELETE DATA { <code/hcpcs/J9999/page> medkg:billingCalculation"
        " <derived/billing-units/code/hcpcs/J9999/page/regimen/mono/1> }",
        "derived/billing-units/code/hcpcs/J9999/page/regimen/mono/1",
        "^medkg:billingCalculation",
    ),
    Broken(
        "weight-based-dose-counted",
        "medkg:BillingUnitCalculation",
        "calculation",
        "INSERT DATA { <derived/billing-units/code/hcpcs/J9999/page/regimen/mono/1>"
        " medkg:weightDependent true }",
        "derived/billing-units/code/hcpcs/J9999/page/regimen/mono/1",
        "medkg:unitsPerCourse",
    ),
    Broken(
        "units-per-kilogram-not-weight-dependent",
        "medkg:BillingUnitCalculation",
        "calculation",
        "INSERT DATA { <derived/billing-units/code/hcpcs/J9999/page/regimen/mono/1>"
        ' medkg:unitsPerKilogram "2.1"^^xsd:decimal }',
        "derived/billing-units/code/hcpcs/J9999/page/regimen/mono/1",
        "medkg:weightDependent",
    ),
    Broken(
        "comparison-of-three-claims",
        "medkg:CrossSourceComparison",
        "comparison",
        "INSERT DATA { <comparison/drug/exampline/code/hcpcs/J9999/page/adverse-reaction/headache>"
        " medkg:claim <drug/exampline> }",
        "comparison/drug/exampline/code/hcpcs/J9999/page/adverse-reaction/headache",
        "medkg:claim",
    ),
    Broken(
        "comparison-agreement-unknown",
        "medkg:CrossSourceComparison",
        "comparison",
        "DELETE DATA { <comparison/drug/exampline/code/hcpcs/J9999/page/adverse-reaction/headache>"
        ' medkg:agreement "differ" } ;'
        " INSERT DATA { <comparison/drug/exampline/code/hcpcs/J9999/page/adverse-reaction/headache>"
        ' medkg:agreement "maybe" }',
        "comparison/drug/exampline/code/hcpcs/J9999/page/adverse-reaction/headache",
        "medkg:agreement",
    ),
    Broken(
        "blank-node-linked",
        "msh:NoBlankNodes",
        "monograph",
        'INSERT DATA { <drug/exampline> schema:sameAs _:elsewhere . _:elsewhere rdfs:label "x" }',
        "drug/exampline",
        "-",
    ),
    Broken(
        "blank-node-alone",
        "msh:NoBlankNodes",
        "monograph",
        'INSERT DATA { _:floating rdfs:label "floating" }',
        BLANK,
        "-",
    ),
]


@pytest.mark.parametrize("name", sorted(FRAGMENTS))
def test_minimal_graph_conforms(name: str) -> None:
    outcome = validate_graph(graph_of(name))
    assert outcome.conforms, describe(outcome)


def test_all_minimal_graphs_together_conform() -> None:
    outcome = validate_graph(graph_of(*FRAGMENTS))
    assert outcome.conforms, describe(outcome)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_broken_graph_is_rejected(case: Broken) -> None:
    graph = update(graph_of(case.fragment), case.sparql)
    outcome = validate_graph(graph)
    assert not outcome.conforms
    assert reported(outcome, case.focus_iri(), case.path), (
        f"expected a violation at {case.focus_iri()} {case.path}, got:\n{describe(outcome)}"
    )


# ---------------------------------------------------------------------------
# The shapes themselves
# ---------------------------------------------------------------------------


def curie(node: Node) -> str:
    return load_shapes().namespace_manager.normalizeUri(str(node))


def node_shapes() -> list[Node]:
    return sorted(set(load_shapes().subjects(RDF.type, SH.NodeShape)), key=str)


def test_every_node_shape_has_a_broken_case() -> None:
    shapes = load_shapes()
    tested = {case.shape for case in CASES}
    for shape in node_shapes():
        targets = [curie(c) for c in shapes.objects(shape, SH.targetClass)]
        name = curie(shape)
        assert targets or name in tested, f"{name} has no target class and no broken case"
        for target in targets:
            assert target in tested, f"no broken case for the shape of {target}"


def test_every_class_the_code_writes_has_a_shape() -> None:
    shapes = load_shapes()
    targeted = set(shapes.objects(None, SH.targetClass))
    written = {
        MEDKG[name]
        for path in (ROOT / "src" / "medkg" / "graph").glob("*.py")
        for name in re.findall(r"RDF\.type, MEDKG\.([A-Za-z]+)", path.read_text(encoding="utf-8"))
    }
    written |= {
        SCHEMA.Drug,
        SCHEMA.QuantitativeValue,
        SCHEMA.MedicalProcedure,
        SCHEMA.Question,
        SCHEMA.Answer,
        SKOS.Concept,
    }
    assert written - targeted == set()


def property_shapes() -> list[Node]:
    shapes = load_shapes()
    found = set(shapes.subjects(RDF.type, SH.PropertyShape))
    found |= set(shapes.objects(None, SH.property))
    return sorted(found, key=str)


def test_every_shape_says_what_is_wrong() -> None:
    shapes = load_shapes()
    for shape in node_shapes():
        assert shapes.value(shape, SH.message) or shapes.value(shape, RDFS.label), curie(shape)
    for shape in property_shapes():
        path = shapes.value(shape, SH.path)
        assert shapes.value(shape, SH.message), f"property shape for {path} has no sh:message"
        assert shapes.value(shape, SH.name), f"property shape for {path} has no sh:name"
    for constraint in shapes.objects(None, SH.sparql):
        assert shapes.value(constraint, SH.message), f"SPARQL constraint {constraint}: no message"


def allowed(path: URIRef) -> list[set[Node]]:
    """The sh:in value sets of every property shape on `path`."""
    shapes = load_shapes()
    sets = []
    for shape in shapes.subjects(SH.path, path):
        listed = shapes.value(shape, SH["in"])
        if listed is not None:
            sets.append(set(Collection(shapes, listed)))
    assert sets, f"no sh:in for {path}"
    return sets


def literal_args(cls: type, field: str) -> set[Node]:
    return {Literal(value) for value in get_args(get_type_hints(cls)[field])}


def route_concepts() -> set[Node]:
    with (ROOT / "data" / "terminology" / "routes.csv").open(encoding="utf-8") as handle:
        return {ID[f"concept/{row['concept']}"] for row in csv.DictReader(handle)}


# Statement kinds the graph code writes itself (writer.statement / statements calls).
WRITER_STATEMENT_KINDS = {
    "criterion",
    "goal",
    "duration-limit-reason",
    "after-course",
    "purpose",
    "indication",
    "preparation",
    "step",
    "benefit",
    "recovery",
    "alternative",
    "patient-experience",
}

VALUE_SETS: dict[str, tuple[URIRef, set[Node]]] = {
    "frequency bands": (MEDKG.frequencyBand, set(BAND_IRIS.values())),
    "mechanism relations": (MEDKG.relation, set(RELATION_IRIS.values())),
    "effect directions": (MEDKG.direction, {MEDKG.Increase, MEDKG.Decrease}),
    "warning kinds": (MEDKG.warningKind, literal_args(WarningFact, "kind")),
    "statement kinds": (
        MEDKG.statementKind,
        literal_args(StatementFact, "kind") | {Literal(k) for k in WRITER_STATEMENT_KINDS},
    ),
    "personnel roles": (MEDKG.role, literal_args(PersonnelFact, "role")),
    "duration of": (MEDKG.durationOf, literal_args(DurationFact, "of")),
    "document formats": (MEDKG.documentFormat, {Literal(f) for f in get_args(DocumentFormat)}),
    "media types": (
        URIRef("http://purl.org/dc/terms/format"),
        {Literal(m) for m in MEDIA_TYPES.values()},
    ),
    "coding systems": (SCHEMA.codingSystem, {Literal(name) for name, _ in CODE_SYSTEMS.values()}),
    "code schemes": (SKOS.inScheme, {URIRef(scheme) for _, scheme in CODE_SYSTEMS.values()}),
    "regimen routes": (SCHEMA.administrationRoute, route_concepts()),
    "procedure routes": (MEDKG.route, route_concepts()),
    "mapping properties": (MEDKG.mappingProperty, set(_MAPPING_PROPERTIES.values())),
    "period units": (MEDKG.periodUnit, {Literal(u) for u in TIME_UNITS.values()}),
}


@pytest.mark.parametrize("name", sorted(VALUE_SETS))
def test_value_set_is_what_the_code_writes(name: str) -> None:
    path, expected = VALUE_SETS[name]
    for values in allowed(path):
        assert values == expected


def test_confirmation_qualities_cover_the_lexicon() -> None:
    with (ROOT / "data" / "terminology" / "identifiers.csv").open(encoding="utf-8") as handle:
        qualities = {Literal(row["quality"]) for row in csv.DictReader(handle)}
    for values in allowed(MEDKG.confirmationQuality):
        assert qualities <= values


def test_shapes_have_no_unused_blank_subjects() -> None:
    """Every blank node of the shapes graph hangs off something (a typo in Turtle,
    such as '.' for ';', leaves a dangling blank node that constrains nothing)."""
    shapes = load_shapes()
    for subject in set(shapes.subjects()):
        if isinstance(subject, BNode):
            assert next(shapes.subject_predicates(subject), None) is not None, subject


# ---------------------------------------------------------------------------
# The real seed graph
# ---------------------------------------------------------------------------


def test_seed_graph_conforms_and_exercises_every_shape(built: Built) -> None:
    graph = built.graph
    outcome = validate_graph(graph)
    assert outcome.conforms, describe(outcome)
    shapes = load_shapes()
    for target in set(shapes.objects(None, SH.targetClass)):
        assert next(graph.subjects(RDF.type, target), None) is not None, (
            f"the seed graph has no {curie(target)}: its shape is not exercised"
        )


def test_seed_graph_loses_its_evidence(built: Built) -> None:
    graph = Graph()
    graph += built.graph
    regimen = next(graph.subjects(RDF.type, MEDKG.DosingRegimen))
    graph.remove((regimen, MEDKG.evidence, None))
    outcome = validate_graph(graph)
    assert reported(outcome, str(regimen), "medkg:evidence"), describe(outcome)


def test_corpus_graph_conforms() -> None:
    """The sample corpus (combination products, weight-based doses, a CPT code, a
    supply code billed per item) builds a graph the shapes accept."""
    from medkg.pipeline.build import run  # the whole pipeline; it validates before rendering

    outcome = run([ROOT / "data" / "sources", ROOT / "tests" / "fixtures" / "corpus"])
    assert outcome.dataset is not None
    graph = Graph()
    for named in outcome.dataset.graphs():
        graph += named
    assert (ID["code/cpt/96372"], SKOS.inScheme, URIRef("http://www.ama-assn.org/go/cpt")) in graph
    assert next(graph.subjects(MEDKG.weightDependent, Literal(True)), None) is not None
    assert next(graph.subjects(MEDKG.hasComponent, None), None) is not None
