"""Every fact of the gold standard (tests/fixtures/gold/romosozumab.yaml), asked of the built graph
with SPARQL. Each test names the part of the gold file it checks."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from rdflib import Graph, URIRef

from medkg.model import FILE_NAME_SECTION
from medkg.namespaces import MEDKG, RDF, SCHEMA, SKOS

from .conftest import Built

PREFIXES = """
PREFIX medkg: <https://w3id.org/medkg/vocab#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
DRUG = "<https://w3id.org/medkg/id/drug/romosozumab>"
MONOGRAPH = "<https://w3id.org/medkg/id/document/romosozumab-monograph>"
PAGE = "<https://w3id.org/medkg/id/document/j3111-code-page>"


# what a billing code node says: its identity, and links to each page's description/procedure
CODE_IDENTITY = {
    RDF.type,
    SKOS.notation,
    SKOS.prefLabel,
    SCHEMA.codeValue,
    SCHEMA.codingSystem,
    SKOS.inScheme,
    MEDKG.evidence,
    MEDKG.description,
    MEDKG.procedure,
}


def rows(graph: Graph, query: str) -> list[tuple[Any, ...]]:
    return [
        tuple(None if v is None else v.toPython() for v in row)
        for row in graph.query(PREFIXES + query)
    ]


def values(graph: Graph, query: str) -> list[Any]:
    return sorted(str(row[0]) for row in rows(graph, query))


def ask(graph: Graph, query: str) -> bool:
    return bool(graph.query(PREFIXES + query).askAnswer)


# -- documents -------------------------------------------------------------------------


def test_documents(built: Built) -> None:
    found = rows(
        built.graph,
        """
        SELECT ?file ?format ?title ?sha WHERE {
          ?d a medkg:SourceDocument ; medkg:fileName ?file ; medkg:documentFormat ?format ;
             dcterms:title ?title ; medkg:sha256 ?sha } ORDER BY ?file""",
    )
    assert [(f, fmt, t) for f, fmt, t, _ in found] == [
        ("j3111-code-page.txt", "code-page", "Injection, romosozumab-aqqg, 1 mg"),
        ("romosozumab-monograph.txt", "monograph", "Romosozumab"),
    ]
    assert all(len(sha) == 64 for *_, sha in found)


def test_monograph_sections_in_order(built: Built) -> None:
    names = [
        r[0]
        for r in rows(
            built.graph,
            f"""
        SELECT ?name WHERE {{ {MONOGRAPH} dcterms:hasPart ?s . ?s rdfs:label ?name ;
        schema:position ?p }} ORDER BY ?p""",
        )
    ]
    assert names[:7] == [
        "Generic Name",
        "Usage",
        "Dosage",
        "Side Effects",
        "How it Works",
        "Precautions",
        "FAQs",
    ]


def test_code_page_sections(built: Built) -> None:
    names = {
        r[0]
        for r in rows(
            built.graph,
            f"""
        SELECT ?name WHERE {{ {PAGE} dcterms:hasPart ?s . ?s rdfs:label ?name }}""",
        )
    }
    assert {
        "Name of the Procedure",
        "Summary",
        "Purpose",
        "Indications",
        "Preparation",
        "Procedure Description",
        "Duration",
        "Setting",
        "Personnel",
        "Risks and Complications",
        "Benefits",
        "Recovery",
        "Alternatives",
        "Patient Experience",
    } <= names


def test_encoding_repair_recorded(built: Built) -> None:
    assert rows(
        built.graph,
        f"""
        SELECT ?found ?repaired WHERE {{ {MONOGRAPH} medkg:encodingRepair ?r .
        ?r medkg:found ?found ; medkg:repaired ?repaired }}""",
    ) == [("mÂ²", "m²")]


# -- drug ------------------------------------------------------------------------------


def test_drug_names(built: Built) -> None:
    assert values(built.graph, f"SELECT ?n WHERE {{ {DRUG} rdfs:label ?n }}") == ["Romosozumab"]
    assert values(built.graph, f"SELECT ?n WHERE {{ {DRUG} schema:nonProprietaryName ?n }}") == [
        "Romosozumab"
    ]
    assert values(built.graph, f"SELECT ?n WHERE {{ {DRUG} schema:alternateName ?n }}") == [
        "romosozumab-aqqg"
    ]
    assert len(values(built.graph, "SELECT ?d WHERE { ?d a schema:Drug }")) == 1


def test_drug_described_by_both_documents(built: Built) -> None:
    assert values(built.graph, f"SELECT ?d WHERE {{ {DRUG} medkg:describedBy ?d }}") == [
        "https://w3id.org/medkg/id/document/j3111-code-page",
        "https://w3id.org/medkg/id/document/romosozumab-monograph",
    ]


def test_drug_identifiers_with_quality(built: Built) -> None:
    assert rows(
        built.graph,
        f"""
        SELECT ?curie ?q WHERE {{ ?m medkg:mappedNode {DRUG} ; skos:notation ?curie ;
        medkg:confirmationQuality ?q ; medkg:confirmedIn ?src }} ORDER BY ?curie""",
    ) == [("ATC:M05BX06", "B"), ("DrugBank:DB11866", "B")]


# -- indication ------------------------------------------------------------------------


def test_indication(built: Built) -> None:
    found = rows(
        built.graph,
        f"""
        SELECT ?label ?pop ?qual WHERE {{ {DRUG} medkg:indication ?i .
        ?i medkg:condition ?c ; medkg:population ?pop ; medkg:qualifier ?qual .
        ?c skos:prefLabel ?label ;
           skos:exactMatch <http://purl.obolibrary.org/obo/MONDO_0005298> }}""",
    )
    assert found == [("osteoporosis", "postmenopausal women", "at high risk of fractures")]


def test_indication_criteria_and_goals(built: Built) -> None:
    criteria = [
        r[0]
        for r in rows(
            built.graph,
            f"""
        SELECT ?t WHERE {{ {DRUG} medkg:indication/medkg:criterion ?c .
        ?c schema:text ?t ; schema:position ?p }} ORDER BY ?p""",
        )
    ]
    assert criteria == [
        "history of osteoporotic fractures",
        "multiple risk factors for fractures",
        "other osteoporosis treatments have been ineffective or poorly tolerated",
    ]
    goals = [
        r[0]
        for r in rows(
            built.graph,
            f"""
        SELECT ?t WHERE {{ {DRUG} medkg:indication/medkg:goal ?g .
        ?g schema:text ?t ; schema:position ?p }} ORDER BY ?p""",
        )
    ]
    assert goals == ["increase bone strength", "reduce the risk of fractures"]


# -- mechanism -------------------------------------------------------------------------


def test_mechanism_chain_in_order(built: Built) -> None:
    steps = rows(
        built.graph,
        f"""
        SELECT ?p ?subject ?relation ?object ?quote WHERE {{
          {DRUG} schema:mechanismOfAction/medkg:step ?s .
          ?s schema:position ?p ; medkg:subject ?sub ; medkg:relation ?rel ; medkg:object ?obj ;
             medkg:evidence/medkg:quote ?quote .
          OPTIONAL {{ ?sub skos:prefLabel ?sl }} OPTIONAL {{ ?sub rdfs:label ?dl }}
          BIND(COALESCE(?sl, ?dl) AS ?subject)
          ?obj skos:prefLabel ?object .
          BIND(STRAFTER(STR(?rel), "#") AS ?relation)
        }} ORDER BY ?p""",
    )
    assert [(p, s, r, o) for p, s, r, o, _ in steps] == [
        (1, "Romosozumab", "Inhibits", "sclerostin"),
        (2, "sclerostin", "Suppresses", "bone formation"),
        (3, "blocking sclerostin", "Activates", "canonical Wnt signaling pathway"),
        (4, "canonical Wnt signaling pathway", "Stimulates", "bone formation"),
    ]
    quotes = [q for *_, q in steps]
    assert "Romosozumab works by inhibiting sclerostin" in quotes[0]
    assert "a protein that normally suppresses bone formation" in quotes[1]
    assert "activates the Wnt/beta-catenin signaling pathway" in quotes[2]
    assert "which stimulates bone formation" in quotes[3]


def test_mechanism_identifiers(built: Built) -> None:
    assert ask(
        built.graph,
        """ASK { ?s medkg:object ?o .
        ?o skos:exactMatch <http://purl.uniprot.org/uniprot/Q9BQB4> }""",
    )
    assert ask(
        built.graph,
        """ASK { ?s medkg:object ?o .
        ?o skos:exactMatch <http://purl.obolibrary.org/obo/GO_0060070> ;
           skos:altLabel "Wnt/beta-catenin signaling pathway" }""",
    )
    assert ask(
        built.graph,
        """ASK { ?s medkg:object ?o .
        ?o skos:exactMatch <http://purl.obolibrary.org/obo/GO_0001503> }""",
    )


def test_mechanism_effects(built: Built) -> None:
    effects = rows(
        built.graph,
        f"""
        SELECT ?direction ?label ?strength WHERE {{
        {DRUG} schema:mechanismOfAction/medkg:effect ?e .
        ?e medkg:direction ?d ; medkg:affects/skos:prefLabel ?label ; schema:position ?p .
        OPTIONAL {{ ?e medkg:strength ?strength }}
        BIND(STRAFTER(STR(?d), "#") AS ?direction) }} ORDER BY ?p""",
    )
    assert effects == [
        ("Increase", "bone mass density", None),
        ("Decrease", "bone resorption", "to a lesser extent"),
    ]


# -- regimen ---------------------------------------------------------------------------


def test_regimen_quantities(built: Built) -> None:
    found = rows(
        built.graph,
        f"""
        SELECT ?dose ?doseUnit ?unitDose ?count ?consecutive ?freq ?period ?periodUnit ?max ?maxUnit
               ?isMax ?snomed WHERE {{
          {DRUG} schema:doseSchedule ?r .
          ?r schema:administrationRoute ?route ; medkg:dose ?d ; medkg:unitDose ?u ;
             medkg:unitCount ?count ; medkg:consecutive ?consecutive ; medkg:timing ?t ;
             medkg:maxDuration ?m .
          ?route skos:exactMatch ?snomed .
          ?d schema:value ?dose ; schema:unitCode ?doseUnit .
          ?u schema:value ?unitDose .
          ?t medkg:frequency ?freq ; medkg:period ?period ; medkg:periodUnit ?periodUnit .
          ?m schema:value ?max ; schema:unitCode ?maxUnit ; medkg:isMaximum ?isMax }}""",
    )
    assert found == [
        (
            Decimal(210),
            "mg",
            Decimal(105),
            2,
            True,
            1,
            Decimal(1),
            "mo",
            Decimal(12),
            "mo",
            True,
            "http://snomed.info/id/34206005",
        )
    ]


def test_regimen_statements(built: Built) -> None:
    found = rows(
        built.graph,
        f"""
        SELECT ?reason ?after ?who WHERE {{ {DRUG} schema:doseSchedule ?r .
        ?r medkg:durationLimitReason/schema:text ?reason ; medkg:afterCourse/schema:text ?after ;
           medkg:administeredBy/skos:prefLabel ?who }}""",
    )
    assert len(found) == 1
    reason, after, who = found[0]
    assert "anabolic effects wear off" in reason
    assert "anti-resorptive medication" in after
    assert who == "healthcare professional"


def test_special_populations(built: Built) -> None:
    found = dict(
        rows(
            built.graph,
            f"""
        SELECT ?pop ?guidance WHERE {{ {DRUG} medkg:populationGuidance ?g .
        ?g medkg:population ?pop ; medkg:guidance ?guidance }}""",
        )
    )
    assert set(found) == {
        "hepatic impairment",
        "children",
        "renal impairment (eGFR <30 mL/min/1.73 m² or on dialysis)",
    }
    assert "not needed" in found["hepatic impairment"]
    renal = found["renal impairment (eGFR <30 mL/min/1.73 m² or on dialysis)"]
    assert "hypocalcemia" in renal and "vitamin D" in renal
    assert "not approved" in found["children"]


# -- adverse reactions -----------------------------------------------------------------

VERY_COMMON = ["arthralgia"]
COMMON = [
    "asthenia",
    "cardiac disorder",
    "headache",
    "hypersensitivity reaction",
    "injection site reaction",
    "insomnia",
    "muscle spasm",
    "neck pain",
    "paresthesia",
    "peripheral edema",
    "skin rash",
]
SERIOUS = [
    "acute myocardial infarction",
    "angioedema",
    "dermatitis",
    "erythema multiforme",
    "femur fracture",
    "hypocalcemia",
    "osteonecrosis of the jaw",
    "stroke",
    "urticaria",
]


def reactions(built: Built, band_filter: str) -> list[str]:
    return values(
        built.graph,
        f"""
        SELECT ?label WHERE {{ {DRUG} medkg:adverseReaction ?a . ?a medkg:statedIn {MONOGRAPH} ;
        medkg:reaction/skos:prefLabel ?label . {band_filter} }}""",
    )


def test_very_common_reactions(built: Built) -> None:
    assert reactions(built, "?a medkg:frequencyBand medkg:VeryCommon") == VERY_COMMON


def test_common_reactions(built: Built) -> None:
    assert reactions(built, "?a medkg:frequencyBand medkg:Common") == COMMON


def test_serious_reactions_without_band(built: Built) -> None:
    assert (
        reactions(built, "?a medkg:serious true . FILTER NOT EXISTS { ?a medkg:frequencyBand ?b }")
        == SERIOUS
    )


def test_reaction_glosses_kept(built: Built) -> None:
    assert ask(
        built.graph, """ASK { ?c skos:prefLabel "arthralgia" ; medkg:glossedAs "joint pain" }"""
    )
    assert ask(
        built.graph,
        """ASK { ?c skos:prefLabel "paresthesia" ;
        medkg:glossedAs "numbness or tingling" }""",
    )


def test_reaction_identifiers(built: Built) -> None:
    expected = {
        "arthralgia": "HP_0002829",
        "headache": "HP_0002315",
        "insomnia": "HP_0100785",
        "acute myocardial infarction": "MONDO_0004781",
        "stroke": "MONDO_0005098",
        "urticaria": "MONDO_0005492",
        "osteonecrosis of the jaw": "MONDO_0018378",
    }
    for label, local in expected.items():
        assert ask(
            built.graph,
            f"""ASK {{ ?c skos:prefLabel "{label}" ;
            skos:exactMatch <http://purl.obolibrary.org/obo/{local}> }}""",
        ), label


def test_unconfirmed_terms_have_no_identifier(built: Built) -> None:
    assert not ask(
        built.graph, """ASK { ?c skos:prefLabel "cardiac disorder" ; skos:exactMatch ?x }"""
    )


def test_report_advice_kept(built: Built) -> None:
    assert ask(
        built.graph,
        f"""ASK {{ {MONOGRAPH} medkg:statement ?s . ?s medkg:statementKind "advice" ;
        schema:text ?t FILTER(CONTAINS(?t, "new or worsening symptoms")) }}""",
    )


# -- contraindications, warnings, FAQs, disclaimer ---------------------------------------


def test_contraindications(built: Built) -> None:
    assert values(
        built.graph,
        f"""SELECT ?label WHERE {{ {DRUG} medkg:contraindication ?c .
        ?c medkg:condition/skos:prefLabel ?label }}""",
    ) == ["hypersensitivity", "uncorrected hypocalcemia"]
    assert values(
        built.graph,
        f"""SELECT ?label WHERE {{ {DRUG} medkg:contraindication ?c .
        ?c medkg:example/skos:prefLabel ?label }}""",
    ) == ["angioedema", "erythema multiforme", "urticaria"]


def test_increased_risk_warnings(built: Built) -> None:
    assert values(
        built.graph,
        f"""SELECT ?t WHERE {{ {DRUG} medkg:warning ?w .
        ?w medkg:warningKind "increased-risk" ; schema:text ?t }}""",
    ) == [
        "atypical subtrochanteric and diaphyseal femoral fractures",
        "hypersensitivity reactions",
        "hypocalcemia",
        "major adverse cardiac events",
        "osteonecrosis of the jaw",
    ]
    assert values(built.graph, """SELECT ?d WHERE { ?w medkg:detail ?d }""") == [
        "cardiovascular death",
        "non-fatal myocardial infarction",
        "non-fatal stroke",
    ]


def test_warning_statements(built: Built) -> None:
    texts = values(
        built.graph,
        f"""SELECT ?t WHERE {{ {DRUG} medkg:warning ?w .
        ?w medkg:warningKind "statement" ; schema:text ?t }}""",
    )
    assert len(texts) == 7
    for phrase in (
        "in the past year",
        "other cardiovascular risk factors",
        "should be discontinued",
        "supplemental calcium and vitamin D",
        "women of reproductive potential",
        "during breastfeeding is unknown",
        "Good oral hygiene",
    ):
        assert sum(phrase in t for t in texts) == 1, phrase


def test_faqs(built: Built) -> None:
    faqs = rows(
        built.graph,
        f"""SELECT ?p ?q ?a WHERE {{ {DRUG} medkg:faq ?f .
        ?f schema:position ?p ; schema:text ?q ;
           schema:acceptedAnswer/schema:text ?a }} ORDER BY ?p""",
    )
    assert len(faqs) == 6
    assert faqs[0][1] == "How long does it take to see results from Romosozumab?"
    assert (
        faqs[1][2]
        == "Contact your healthcare provider as soon as possible to reschedule the missed dose."
    )
    assert all(q.endswith("?") for _, q, _ in faqs)


def test_disclaimer(built: Built) -> None:
    texts = values(
        built.graph,
        f"""SELECT ?t WHERE {{ {MONOGRAPH} medkg:statement ?s .
        ?s medkg:statementKind "disclaimer" ; schema:text ?t }}""",
    )
    assert len(texts) == 1 and "educational purposes only" in texts[0]


# -- billing code and procedure ----------------------------------------------------------


CODE = "<https://w3id.org/medkg/id/code/hcpcs/J3111>"
DESCRIPTION = "<https://w3id.org/medkg/id/code/hcpcs/J3111/j3111-code-page>"


def test_billing_code(built: Built) -> None:
    """The code node is the code's identity; what the page says about it is the page's
    description of it: descriptor, billing unit, billed drug."""
    assert rows(
        built.graph,
        f"""SELECT ?c ?d ?system ?descriptor ?value ?unit ?page WHERE {{
        ?c a medkg:BillingCode ; skos:notation "J3111" ; schema:codingSystem ?system ;
           skos:inScheme <http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets> ;
           medkg:description ?d .
        ?d a medkg:BillingCodeDescription ; medkg:describesCode ?c ;
           medkg:descriptor ?descriptor ; rdfs:label ?descriptor ; medkg:bills {DRUG} ;
           medkg:statedIn ?page ;
           medkg:billingUnit [ schema:value ?value ; schema:unitCode ?unit ] }}""",
    ) == [
        (
            CODE[1:-1],
            DESCRIPTION[1:-1],
            "HCPCS Level II",
            "Injection, romosozumab-aqqg, 1 mg",
            Decimal(1),
            "mg",
            PAGE[1:-1],
        )
    ]
    on_code = {p for p, _ in built.graph.predicate_objects(URIRef(CODE[1:-1]))}
    assert on_code == CODE_IDENTITY
    assert rows(built.graph, f"SELECT ?l WHERE {{ {CODE} skos:prefLabel ?l }}") == [("J3111",)]
    assert rows(built.graph, f"SELECT ?d WHERE {{ {PROCEDURE} medkg:codeDescription ?d }}") == [
        (DESCRIPTION[1:-1],)
    ]


PROCEDURE = "<https://w3id.org/medkg/id/procedure/hcpcs/J3111/j3111-code-page>"


def ordered(built: Built, prop: str) -> list[str]:
    return [
        r[0]
        for r in rows(
            built.graph,
            f"""SELECT ?t WHERE {{ {PROCEDURE} {prop} ?s .
        ?s schema:text ?t ; schema:position ?p }} ORDER BY ?p""",
        )
    ]


def test_procedure_names_and_route(built: Built) -> None:
    assert rows(
        built.graph,
        f"""SELECT ?name ?term ?snomed WHERE {{ {PROCEDURE} schema:name ?name ;
        medkg:medicalTerm ?term ; medkg:route/skos:exactMatch ?snomed }}""",
    ) == [
        (
            "Injection of romosozumab",
            "Injection, romosozumab-aqqg, 1 mg",
            "http://snomed.info/id/34206005",
        )
    ]


def test_procedure_steps_in_order(built: Built) -> None:
    steps = ordered(built, "medkg:procedureStep")
    assert len(steps) == 4
    assert "positioned comfortably" in steps[0]
    assert "cleansed with an antiseptic" in steps[1]
    assert "subcutaneous injection" in steps[2]
    assert "anesthesia or sedation" in steps[3]


def test_procedure_lists(built: Built) -> None:
    assert len(ordered(built, "medkg:indicationText")) == 3
    assert len(ordered(built, "schema:preparation")) == 3
    assert len(ordered(built, "medkg:benefit")) == 2
    assert len(ordered(built, "medkg:recovery")) == 3
    assert len(ordered(built, "medkg:patientExperience")) == 3
    assert ordered(built, "medkg:alternative")[:3] == [
        "bisphosphonates",
        "hormone replacement therapy",
        "lifestyle modifications (diet and exercise)",
    ]
    assert any("strengthen bones" in t for t in ordered(built, "medkg:goal"))
    assert any("osteoporosis" in t for t in ordered(built, "medkg:purpose"))


def test_procedure_sites_settings_anesthesia(built: Built) -> None:
    assert values(
        built.graph, f"SELECT ?l WHERE {{ {PROCEDURE} medkg:bodySite/skos:prefLabel ?l }}"
    ) == ["abdomen", "upper thigh"]
    assert values(
        built.graph, f"SELECT ?l WHERE {{ {PROCEDURE} medkg:setting/skos:prefLabel ?l }}"
    ) == ["outpatient clinic", "physician's office"]
    assert rows(built.graph, f"SELECT ?a WHERE {{ {PROCEDURE} medkg:anesthesiaRequired ?a }}") == [
        (False,)
    ]


def test_procedure_durations(built: Built) -> None:
    found = rows(
        built.graph,
        f"""SELECT ?of ?text ?value ?unit ?approx WHERE {{
        {PROCEDURE} medkg:duration ?d . ?d medkg:durationOf ?of ; schema:text ?text .
        OPTIONAL {{ ?d medkg:quantity ?q . ?q schema:value ?value ; schema:unitCode ?unit ;
                   medkg:approximate ?approx }} }} ORDER BY ?of""",
    )
    assert found == [
        ("appointment", "around 30 minutes", Decimal(30), "min", True),
        ("procedure", "a few minutes", None, None, None),
    ]


def test_procedure_personnel(built: Built) -> None:
    found = rows(
        built.graph,
        f"""SELECT ?who ?role ?optional WHERE {{ {PROCEDURE} medkg:personnel ?p .
        ?p medkg:who/skos:prefLabel ?who ; medkg:role ?role .
        OPTIONAL {{ ?p medkg:optional ?optional }} }} ORDER BY ?role""",
    )
    assert found == [
        ("trained nurse or healthcare professional", "administers", None),
        ("physician", "supervises", True),
    ]


def test_procedure_risks(built: Built) -> None:
    found = rows(
        built.graph,
        f"""SELECT ?text ?band WHERE {{ {PROCEDURE} medkg:risk ?r .
        ?r medkg:termAsWritten ?text ; medkg:frequencyBand ?b .
        BIND(STRAFTER(STR(?b), "#") AS ?band)
        }} ORDER BY ?band ?text""",
    )
    assert found == [
        ("headache", "Common"),
        ("joint pain", "Common"),
        ("mild pain or redness at the injection site", "Common"),
        ("allergic reactions", "Rare"),
        ("cardiovascular events such as heart attack or stroke", "Rare"),
    ]


# -- across the two documents ------------------------------------------------------------


@pytest.mark.parametrize(
    ("monograph_term", "page_term"),
    [
        ("arthralgia", "joint pain"),
        ("headache", "headache"),
        ("Injection site reactions", "mild pain or redness at the injection site"),
        ("Hypersensitivity reactions", "allergic reactions"),
        ("acute myocardial infarction", "heart attack"),
        ("cerebrovascular accident", "stroke"),
    ],
)
def test_same_concept_in_different_words(built: Built, monograph_term: str, page_term: str) -> None:
    """The monograph's term and the page's wording resolve to one concept node."""
    monograph_concepts = set(
        values(
            built.graph,
            f"""SELECT ?c WHERE {{
        {DRUG} medkg:adverseReaction ?a . ?a medkg:reaction ?c ; medkg:evidence/medkg:quote ?q .
        FILTER(STRSTARTS(LCASE(?q), LCASE("{monograph_term}"))
               || CONTAINS(LCASE(?q), LCASE(" {monograph_term}"))) }}""",
        )
    )
    page_concepts = set(
        values(
            built.graph,
            f"""SELECT ?c WHERE {{
        {PROCEDURE} medkg:risk ?r . {{ ?r medkg:reaction ?c }} UNION {{ ?r medkg:example ?c }}
        ?c skos:prefLabel|skos:altLabel|medkg:glossedAs ?l .
        ?r medkg:evidence/medkg:quote ?q FILTER(CONTAINS(LCASE(?q), LCASE("{page_term}"))) }}""",
        )
    )
    assert monograph_concepts & page_concepts, (monograph_concepts, page_concepts)


@pytest.mark.parametrize(
    ("concept", "agreement"),
    [
        ("hypersensitivity reaction", "differ"),
        ("arthralgia", "differ"),
        ("headache", "agree"),
        ("injection site reaction", "agree"),
    ],
)
def test_differences_kept_with_their_sources(built: Built, concept: str, agreement: str) -> None:
    found = rows(
        built.graph,
        f"""SELECT ?agreement (COUNT(DISTINCT ?doc) AS ?docs) WHERE {{
        ?cmp a medkg:CrossSourceComparison ; medkg:aspect "adverse-reaction" ; medkg:derived true ;
             medkg:comparedConcept/skos:prefLabel "{concept}" ; medkg:agreement ?agreement ;
             medkg:claim ?claim .
        ?claim medkg:statedIn ?doc ; medkg:frequencyBand ?band }} GROUP BY ?agreement""",
    )
    assert found == [(agreement, 2)]


def test_agreements(built: Built) -> None:
    aspects = values(
        built.graph,
        """SELECT ?aspect WHERE { ?c a medkg:CrossSourceComparison ;
        medkg:aspect ?aspect ; medkg:agreement "agree" FILTER(?aspect != "adverse-reaction") }""",
    )
    assert aspects == [
        "administered-by",
        "indication-criterion",
        "indication-criterion",
        "indication-criterion",
        "route",
    ]


def test_billing_units_derived(built: Built) -> None:
    assert rows(
        built.graph,
        """SELECT ?calc ?desc ?admin ?unit ?course ?n WHERE {
        ?calc a medkg:BillingUnitCalculation ; medkg:derived true ;
              medkg:billingCode/skos:notation "J3111" ; medkg:unitsPerAdministration ?admin ;
              medkg:unitsPerUnitDose ?unit ; medkg:unitsPerCourse ?course ;
              medkg:administrationsPerCourse ?n .
        ?desc medkg:billingCalculation ?calc }""",
    ) == [
        (
            "https://w3id.org/medkg/id/derived/billing-units/code/hcpcs/J3111/j3111-code-page"
            "/regimen/romosozumab-monograph/1",
            DESCRIPTION[1:-1],
            Decimal(210),
            Decimal(105),
            Decimal(2520),
            Decimal(12),
        )
    ]
    inputs = values(
        built.graph,
        "SELECT ?i WHERE { ?calc a medkg:BillingUnitCalculation ; prov:wasDerivedFrom ?i }",
    )
    regimen = "https://w3id.org/medkg/id/regimen/romosozumab-monograph/1"
    assert inputs == [
        DESCRIPTION[1:-1],
        DESCRIPTION[1:-1] + "/billing-unit",
        f"{regimen}/dose",
        f"{regimen}/max-duration",
        f"{regimen}/timing",
        f"{regimen}/unit-dose",
    ]


# -- provenance ------------------------------------------------------------------------------


def test_every_evidence_quote_matches_its_offsets(built: Built) -> None:
    evidence = rows(
        built.graph,
        """SELECT ?file ?section ?quote ?start ?end WHERE {
        ?e a medkg:Evidence ; medkg:document/medkg:fileName ?file ; medkg:quote ?quote ;
           medkg:sectionName ?section ; medkg:start ?start ; medkg:end ?end }""",
    )
    assert len(evidence) > 100
    for file, section, quote, start, end in evidence:
        # evidence read from the file name (a code only the file name gives) quotes it
        quoted = file if section == FILE_NAME_SECTION else built.texts[file]
        assert quoted[start:end] == quote, (file, start, end)


def test_every_fact_node_has_evidence(built: Built) -> None:
    missing = values(
        built.graph,
        """SELECT ?n WHERE {
        VALUES ?type { schema:Drug medkg:Indication medkg:MechanismStep medkg:MechanismEffect
          medkg:DosingRegimen medkg:Timing schema:QuantitativeValue medkg:PopulationGuidance
          medkg:AdverseReaction medkg:Contraindication medkg:Warning schema:Question schema:Answer
          medkg:Statement medkg:BillingCode medkg:BillingCodeDescription
          schema:MedicalProcedure medkg:Duration
          medkg:PersonnelRole medkg:ProcedureRisk }
        ?n a ?type FILTER NOT EXISTS { ?n medkg:evidence ?e } }""",
    )
    assert missing == []


def test_no_blank_nodes(built: Built) -> None:
    assert not any(term.__class__.__name__ == "BNode" for triple in built.graph for term in triple)
