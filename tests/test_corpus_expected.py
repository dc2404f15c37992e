"""Every fact of the sample corpus's EXPECTED.yaml, asked of one build of the fixture
corpus (tests/fixtures/corpus/, a copy of the shared corpus) together with the seeds.

Each test names the EXPECTED entry it checks. Where EXPECTED names a reaction by its
standard term and the document words it differently, the test looks for the document's
wording (``EXPECTED term -> wording``): mapping wordings to standard identifiers is the
term-normalisation step, not extraction. The last tests check that adding the corpus
changes nothing in the seeds' facts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from medkg.graph.labels import display_label
from medkg.namespaces import ID, MEDKG, RDF, RDFS, SCHEMA, SKOS
from medkg.pipeline.build import run
from medkg.pipeline.staging import BuildOutcome
from medkg.read.decode import read_source
from medkg.text import normalise_term

from .conftest import FIXTURES, SOURCES, Built

CORPUS = FIXTURES / "corpus"
HCPCS_SCHEME = URIRef("http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets")
CPT_SCHEME = URIRef("http://www.ama-assn.org/go/cpt")


@dataclass(frozen=True)
class CorpusBuild:
    outcome: BuildOutcome
    graph: Graph  # the union of every named graph


@pytest.fixture(scope="module")
def corpus() -> CorpusBuild:
    outcome = run([CORPUS, SOURCES])
    assert outcome.dataset is not None
    graph = Graph()
    for named in outcome.dataset.graphs():
        graph += named
    return CorpusBuild(outcome, graph)


@pytest.fixture(scope="module")
def g(corpus: CorpusBuild) -> Graph:
    return corpus.graph


# --------------------------------------------------------------------------
# Reading the graph
# --------------------------------------------------------------------------


def drug(name: str) -> URIRef:
    return ID[f"drug/{name}"]


def objects(graph: Graph, subject: Node, prop: URIRef) -> list[Node]:
    return sorted(graph.objects(subject, prop), key=str)


def one(graph: Graph, subject: Node, prop: URIRef) -> Node | None:
    found = objects(graph, subject, prop)
    assert len(found) <= 1, f"{subject} has several {prop}"
    return found[0] if found else None


def text(graph: Graph, subject: Node, prop: URIRef) -> str | None:
    value = one(graph, subject, prop)
    return None if value is None else str(value)


def label(graph: Graph, node: Node | None) -> str:
    """A drug's name, or a concept's label (local concepts are labelled by their
    normalised wording: lower case, hyphens folded, last word singular)."""
    return str(graph.value(node, SCHEMA.name) or graph.value(node, SKOS.prefLabel))


def key(wording: str) -> str:
    """A wording as a local concept's label spells it (the normalised key, its symbols and
    single letters in capitals: `medkg.graph.labels`)."""
    return display_label(normalise_term(wording))


def number(literal: Node | None) -> Decimal | None:
    return None if literal is None else Decimal(str(literal))


def quantity(graph: Graph, node: Node | None) -> tuple[object, ...] | None:
    """(value, unit) or ((low, high), unit) of a schema:QuantitativeValue."""
    if node is None:
        return None
    unit = text(graph, node, SCHEMA.unitCode)
    value = number(one(graph, node, SCHEMA.value))
    if value is not None:
        return (value, unit)
    low, high = number(one(graph, node, SCHEMA.minValue)), number(one(graph, node, SCHEMA.maxValue))
    return ((low, high), unit)


def timing(graph: Graph, regimen: Node) -> tuple[object, ...] | None:
    """(frequency, period, period max, UCUM unit, as needed)."""
    node = one(graph, regimen, MEDKG.timing)
    if node is None:
        return None
    return (
        int(str(one(graph, node, MEDKG.frequency))),
        number(one(graph, node, MEDKG.period)),
        number(one(graph, node, MEDKG.periodMax)),
        text(graph, node, MEDKG.periodUnit),
        one(graph, node, MEDKG.asNeeded) == Literal(True),
    )


def regimens(graph: Graph, drug_node: URIRef) -> list[URIRef]:
    found = [r for r in objects(graph, drug_node, SCHEMA.doseSchedule) if isinstance(r, URIRef)]
    return sorted(found, key=lambda r: int(str(r).rsplit("/", 1)[1]))


def route(graph: Graph, node: Node, prop: URIRef = SCHEMA.administrationRoute) -> str | None:
    concept = one(graph, node, prop)
    return None if concept is None else label(graph, concept)


def reactions(graph: Graph, drug_node: URIRef) -> Iterator[tuple[str, Node | None, bool | None]]:
    """(term as written, band, serious) of every adverse reaction of the drug."""
    for node in objects(graph, drug_node, MEDKG.adverseReaction):
        serious = one(graph, node, MEDKG.serious)
        yield (
            str(one(graph, node, MEDKG.termAsWritten)),
            one(graph, node, MEDKG.frequencyBand),
            None if serious is None else bool(serious.toPython()),  # type: ignore[union-attr]
        )


def band_terms(graph: Graph, drug_node: URIRef, band: URIRef) -> set[str]:
    return {term.lower() for term, found, _ in reactions(graph, drug_node) if found == band}


def serious_terms(graph: Graph, drug_node: URIRef) -> set[str]:
    return {term.lower() for term, _, serious in reactions(graph, drug_node) if serious}


def contraindications(graph: Graph, drug_node: URIRef) -> list[str]:
    return sorted(
        (
            label(graph, one(graph, node, MEDKG.condition))
            for node in objects(graph, drug_node, MEDKG.contraindication)
        ),
        key=str.lower,
    )


def contraindication_texts(graph: Graph, drug_node: URIRef) -> list[str]:
    return sorted(
        str(one(graph, node, SCHEMA.text))
        for node in objects(graph, drug_node, MEDKG.contraindication)
    )


def mechanism_steps(graph: Graph, drug_node: URIRef) -> list[tuple[str, str, str, str]]:
    """(subject, relation, object, quote) of the drug's mechanism steps, in order."""
    found = []
    for mechanism in objects(graph, drug_node, SCHEMA.mechanismOfAction):
        for step in objects(graph, mechanism, MEDKG.step):
            evidence = one(graph, step, MEDKG.evidence)
            found.append(
                (
                    int(str(one(graph, step, SCHEMA.position))),
                    label(graph, one(graph, step, MEDKG.subject)),
                    str(one(graph, step, MEDKG.relation)).rsplit("#", 1)[1],
                    label(graph, one(graph, step, MEDKG.object)),
                    str(one(graph, evidence, MEDKG.quote)),
                )
            )
    return [step[1:] for step in sorted(found)]


def faq_count(graph: Graph, drug_node: URIRef) -> int:
    return len(objects(graph, drug_node, MEDKG.faq))


def quotes(graph: Graph, document: str) -> list[str]:
    """Every evidence quote read from a document."""
    doc = ID[f"document/{document}"]
    return sorted(
        str(q) for ev in graph.subjects(MEDKG.document, doc) for q in graph.objects(ev, MEDKG.quote)
    )


# --------------------------------------------------------------------------
# The builds
# --------------------------------------------------------------------------


def test_every_document_is_built_or_skipped_with_its_reason(corpus: CorpusBuild) -> None:
    statuses = {s.file: (s.format, s.status) for s in corpus.outcome.statuses}
    assert statuses == {
        "96372.txt": ("code-page", "built"),
        "A4206.txt": ("code-page", "built"),
        "J0584.txt": ("code-page", "built"),
        "J2350.txt": ("code-page", "built"),
        "J2796.txt": ("code-page", "built"),
        "burosumab.md": ("monograph", "built"),
        "ibuprofen.md": ("monograph", "built"),
        "ocrelizumab.md": ("monograph", "built"),
        "paracetamol-codeine.md": ("monograph", "built"),
        "pyridoxal-.md": (None, "skipped"),
        "romiplostim.md": ("monograph", "built"),
        "romosozumab-monograph.txt": ("monograph", "built"),
        "j3111-code-page.txt": ("code-page", "built"),
    }


# pyridoxal-.md: not a monograph (the text refuses); skipped with a reason, no drug node
def test_refusal_is_skipped_with_its_reason_and_makes_no_drug(
    corpus: CorpusBuild, g: Graph
) -> None:
    (status,) = [s for s in corpus.outcome.statuses if s.file == "pyridoxal-.md"]
    assert "refusal or a request for input" in status.reason
    assert "Please provide the complete generic name of the medicine." in status.reason
    names = {
        str(n).lower() for d in g.subjects(RDF.type, SCHEMA.Drug) for n in g.objects(d, SCHEMA.name)
    }
    assert not any(name.startswith("pyridoxal") for name in names)
    assert (ID["document/pyridoxal"], None, None) not in g


def test_drug_nodes_are_the_documents_drugs_and_components(g: Graph) -> None:
    drugs = {str(d).rsplit("/", 1)[1] for d in g.subjects(RDF.type, SCHEMA.Drug)}
    assert drugs == {
        "burosumab",
        "codeine",
        "ibuprofen",
        "ocrelizumab",
        "paracetamol",
        "paracetamol-codeine",
        "romiplostim",
        "romosozumab",
    }


# --------------------------------------------------------------------------
# burosumab.md
# --------------------------------------------------------------------------


def test_burosumab_drug_and_route(g: Graph) -> None:
    node = drug("burosumab")
    assert text(g, node, SCHEMA.name) == "Burosumab"
    assert {route(g, r) for r in regimens(g, node)} == {"subcutaneous route"}


def test_burosumab_weight_based_regimens_by_population(g: Graph) -> None:
    children, adults = regimens(g, drug("burosumab"))
    assert text(g, children, MEDKG.population) == "Children (6 months and older) with XLH"
    assert quantity(g, one(g, children, MEDKG.dose)) == (Decimal("0.8"), "mg/kg")
    assert timing(g, children) == (1, Decimal(2), None, "wk", False)
    assert quantity(g, one(g, children, MEDKG.maxDose)) == (Decimal(90), "mg")
    assert text(g, adults, MEDKG.population) == "Adults with XLH"
    assert quantity(g, one(g, adults, MEDKG.dose)) == (Decimal(1), "mg/kg")
    assert timing(g, adults) == (1, Decimal(4), None, "wk", False)
    assert quantity(g, one(g, adults, MEDKG.maxDose)) == (Decimal(90), "mg")


def test_burosumab_target(g: Graph) -> None:
    steps = mechanism_steps(g, drug("burosumab"))
    assert [(s, r, o) for s, r, o, _ in steps] == [
        ("Burosumab", "Binds", "fibroblast growth factor 23"),
        ("Burosumab", "Inhibits", "fibroblast growth factor 23"),
    ]
    target = ID["concept/fibroblast-growth-factor-23"]
    assert [str(o) for o in g.objects(target, MEDKG.glossedAs)] == ["FGF23"]


# EXPECTED term -> the document's wording
BUROSUMAB_WORDING = {"pyrexia": "fever", "pain in extremity": "pain in the arms or legs"}


def test_burosumab_very_common_reactions_of_children_and_adults(g: Graph) -> None:
    expected = [
        "headache",
        "injection site reactions",
        "vomiting",
        "pyrexia",
        "pain in extremity",
        "decreased vitamin D",
        "back pain",
        "tooth infection",
        "restless legs syndrome",
        "dizziness",
        "constipation",
    ]
    wording = {BUROSUMAB_WORDING.get(term, term).lower() for term in expected}
    assert band_terms(g, drug("burosumab"), MEDKG.VeryCommon) == wording
    glossed = {str(o) for o in g.objects(ID["concept/fever"], MEDKG.glossedAs)}
    assert "pyrexia" in glossed
    populations = {
        str(g.value(node, MEDKG.population))
        for node in objects(g, drug("burosumab"), MEDKG.adverseReaction)
        if g.value(node, MEDKG.frequencyBand) == MEDKG.VeryCommon
    }
    assert populations == {"children", "adults"}


def test_burosumab_serious_reactions(g: Graph) -> None:
    assert serious_terms(g, drug("burosumab")) == {
        "hypersensitivity reactions",
        "hyperphosphatemia",
    }


def test_burosumab_contraindications(g: Graph) -> None:
    assert contraindications(g, drug("burosumab")) == [
        key("oral phosphate or active vitamin D analogs"),
        key("serum phosphorus is within or above the normal range for age"),
        key("severe renal impairment or end-stage renal disease"),
    ]
    texts = contraindication_texts(g, drug("burosumab"))
    # "use with …": the clause is kept with its lead
    assert "with oral phosphate or active vitamin D analogs" in texts


def test_burosumab_faqs(g: Graph) -> None:
    assert faq_count(g, drug("burosumab")) == 3


# --------------------------------------------------------------------------
# ocrelizumab.md
# --------------------------------------------------------------------------


def test_ocrelizumab_split_initial_dose_then_maintenance(g: Graph) -> None:
    initial, maintenance = regimens(g, drug("ocrelizumab"))
    assert {route(g, initial), route(g, maintenance)} == {"intravenous route"}
    assert text(g, initial, MEDKG.phase) == "initial"
    assert quantity(g, one(g, initial, MEDKG.dose)) == (Decimal(300), "mg")
    assert int(str(one(g, initial, MEDKG.unitCount))) == 2
    assert timing(g, initial) == (1, Decimal(2), None, "wk", False)  # the gap between the two
    assert text(g, maintenance, MEDKG.phase) == "maintenance"
    assert quantity(g, one(g, maintenance, MEDKG.dose)) == (Decimal(600), "mg")
    assert timing(g, maintenance) == (1, Decimal(6), None, "mo", False)


def test_ocrelizumab_premedication(g: Graph) -> None:
    found = {}
    for regimen in regimens(g, drug("ocrelizumab")):
        for premedication in objects(g, regimen, MEDKG.premedication):
            assert (premedication, RDF.type, MEDKG.DosingRegimen) in g
            found[label(g, one(g, premedication, MEDKG.substance))] = (
                quantity(g, one(g, premedication, MEDKG.dose)),
                route(g, premedication),
                one(g, premedication, MEDKG.optional) == Literal(True),
            )
    assert found == {
        "methylprednisolone": ((Decimal(100), "mg"), "intravenous route", False),
        "antihistamine": (None, None, False),
        "antipyretic": (None, None, True),
    }
    # a premedication is not a regimen of the drug itself
    assert len(regimens(g, drug("ocrelizumab"))) == 2


def test_ocrelizumab_target(g: Graph) -> None:
    steps = mechanism_steps(g, drug("ocrelizumab"))
    assert [(s, r, o) for s, r, o, _ in steps] == [
        ("Ocrelizumab", "Binds", key("CD20")),
        ("Ocrelizumab", "Depletes", key("B cells")),
    ]


def test_ocrelizumab_reactions(g: Graph) -> None:
    node = drug("ocrelizumab")
    assert band_terms(g, node, MEDKG.VeryCommon) == {
        "infusion reactions",
        "upper respiratory tract infections",
    }
    # EXPECTED "pain in extremity" is worded "pain in the extremities"
    assert band_terms(g, node, MEDKG.Common) == {
        "skin infections",
        "lower respiratory tract infections",
        "herpes virus infections",
        "depression",
        "back pain",
        "pain in the extremities",
        "cough",
        "diarrhea",
    }


def test_ocrelizumab_contraindications_and_children(g: Graph) -> None:
    node = drug("ocrelizumab")
    assert contraindications(g, node) == [
        key("active hepatitis B virus infection"),
        key("history of life-threatening infusion reaction to ocrelizumab"),
    ]
    (guidance,) = objects(g, node, MEDKG.populationGuidance)
    assert text(g, guidance, MEDKG.population) == "children"
    assert text(g, guidance, MEDKG.guidance) == "not approved for children"


def test_ocrelizumab_faqs(g: Graph) -> None:
    assert faq_count(g, drug("ocrelizumab")) == 2


# --------------------------------------------------------------------------
# ibuprofen.md
# --------------------------------------------------------------------------


def test_ibuprofen_route_and_forms(g: Graph) -> None:
    node = drug("ibuprofen")
    assert {route(g, r) for r in regimens(g, node)} == {"oral route"}
    assert {str(f) for f in g.objects(node, SCHEMA.dosageForm)} == {
        "tablet",
        "capsule",
        "oral suspension",
    }


def test_ibuprofen_ranges_as_needed_and_daily_maxima(g: Graph) -> None:
    adults, children = regimens(g, drug("ibuprofen"))
    assert text(g, adults, MEDKG.population) == "Adults and children 12 years and older"
    assert quantity(g, one(g, adults, MEDKG.dose)) == ((Decimal(200), Decimal(400)), "mg")
    assert timing(g, adults) == (1, Decimal(4), Decimal(6), "h", True)
    assert quantity(g, one(g, adults, MEDKG.maxDailyDose)) == (Decimal(1200), "mg")
    assert one(g, adults, MEDKG.maxDose) is None
    assert text(g, children, MEDKG.population) == "Children 6 months to 11 years"
    assert quantity(g, one(g, children, MEDKG.dose)) == ((Decimal(5), Decimal(10)), "mg/kg")
    assert timing(g, children) == (1, Decimal(6), Decimal(8), "h", False)
    assert quantity(g, one(g, children, MEDKG.maxDailyDose)) == (Decimal(40), "mg/kg")


def test_ibuprofen_targets(g: Graph) -> None:
    steps = mechanism_steps(g, drug("ibuprofen"))
    assert [(s, r, o) for s, r, o, _ in steps] == [
        ("Ibuprofen", "Inhibits", key("COX-1")),
        ("Ibuprofen", "Inhibits", key("COX-2")),
    ]


def test_ibuprofen_contraindications_and_avoid(g: Graph) -> None:
    conditions = contraindications(g, drug("ibuprofen"))
    assert len(conditions) == 3
    aspirin, cabg, pregnancy = conditions
    assert "asthma" in aspirin and "hive" in aspirin and key("aspirin or another NSAID") in aspirin
    assert "heart bypass surgery" in cabg
    assert pregnancy == "third trimester of pregnancy"


def test_ibuprofen_interaction_with_anticoagulants(g: Graph) -> None:
    (warning,) = [
        w
        for w in objects(g, drug("ibuprofen"), MEDKG.warning)
        if (w, MEDKG.interactsWith, None) in g
    ]
    assert label(g, one(g, warning, MEDKG.condition)) == "bleeding"
    assert sorted(label(g, c) for c in objects(g, warning, MEDKG.interactsWith)) == [
        "anticoagulant",
        "warfarin",
    ]


def test_ibuprofen_faqs(g: Graph) -> None:
    assert faq_count(g, drug("ibuprofen")) == 2


# --------------------------------------------------------------------------
# paracetamol-codeine.md: a combination product and its two component drugs
# --------------------------------------------------------------------------


def test_combination_product_has_two_component_drug_nodes(g: Graph) -> None:
    product = drug("paracetamol-codeine")
    assert text(g, product, SCHEMA.name) == "Paracetamol + Codeine"
    components = objects(g, product, MEDKG.hasComponent)
    assert components == [drug("codeine"), drug("paracetamol")]
    for component, name in zip(components, ("Codeine", "Paracetamol"), strict=True):
        assert (component, RDF.type, SCHEMA.Drug) in g
        assert text(g, component, SCHEMA.name) == name


def test_combination_regimen_stays_on_the_product(g: Graph) -> None:
    (regimen,) = regimens(g, drug("paracetamol-codeine"))
    assert route(g, regimen) == "oral route"
    assert quantity(g, one(g, regimen, MEDKG.dose)) == ((Decimal(1), Decimal(2)), "{tablet}")
    assert timing(g, regimen) == (1, Decimal(4), Decimal(6), "h", True)
    assert quantity(g, one(g, regimen, MEDKG.maxDailyDose)) == (Decimal(8), "{tablet}")
    strengths = sorted(
        (quantity(g, s), label(g, one(g, s, MEDKG.substance)))
        for s in objects(g, regimen, MEDKG.unitStrength)
    )
    assert strengths == [
        ((Decimal(30), "mg"), "codeine phosphate"),
        ((Decimal(500), "mg"), "paracetamol"),
    ]
    for component in ("paracetamol", "codeine"):
        assert regimens(g, drug(component)) == []


def test_combination_facts_stay_on_the_product(g: Graph) -> None:
    product = drug("paracetamol-codeine")
    assert len(objects(g, product, MEDKG.indication)) == 1
    assert faq_count(g, product) == 1
    for component in ("paracetamol", "codeine"):
        node = drug(component)
        assert objects(g, node, MEDKG.indication) == []
        assert faq_count(g, node) == 0


def test_codeine_mechanism_is_on_the_codeine_node(g: Graph) -> None:
    steps = mechanism_steps(g, drug("codeine"))
    assert [(s, r, o) for s, r, o, _ in steps] == [
        ("Codeine", "ConvertedTo", "morphine"),
        ("morphine", "Activates", key("mu-opioid receptors")),
    ]
    assert "by the enzyme CYP2D6" in steps[0][3]
    assert mechanism_steps(g, drug("paracetamol-codeine")) == []


def test_component_contraindications_and_reactions(g: Graph) -> None:
    assert contraindications(g, drug("codeine")) == [
        key("children younger than 12 years"),
        key("CYP2D6 ultra-rapid metabolizers"),
        key("patients under 18 years after removal of the tonsils or adenoids"),
    ]
    assert band_terms(g, drug("codeine"), MEDKG.Common) == {
        "constipation",
        "drowsiness",
        "nausea",
        "dizziness",
    }
    assert band_terms(g, drug("paracetamol"), MEDKG.Common) == {"nausea"}
    assert list(reactions(g, drug("paracetamol-codeine"))) == []


# --------------------------------------------------------------------------
# romiplostim.md
# --------------------------------------------------------------------------


def test_romiplostim_weekly_weight_based_regimen(g: Graph) -> None:
    (regimen,) = regimens(g, drug("romiplostim"))
    assert route(g, regimen) == "subcutaneous route"
    assert quantity(g, one(g, regimen, MEDKG.dose)) == (Decimal(1), "ug/kg")
    assert timing(g, regimen) == (1, Decimal(1), None, "wk", False)
    assert quantity(g, one(g, regimen, MEDKG.maxDose)) == (Decimal(10), "ug/kg")


def test_romiplostim_encoding_repairs(g: Graph) -> None:
    repaired = read_source(CORPUS / "monographs" / "romiplostim.md").text
    assert "2°C to 8°C" in repaired and "patient’s" in repaired
    assert "Â" not in repaired and "â€" not in repaired
    repairs = {
        (str(g.value(r, MEDKG.found)), str(g.value(r, MEDKG.repaired)))
        for r in g.objects(ID["document/romiplostim"], MEDKG.encodingRepair)
    }
    assert repairs == {("2Â°", "2°"), ("8Â°", "8°"), ("tâ€™s", "t’s")}
    said = quotes(g, "romiplostim")
    assert any("2°C to 8°C" in q for q in said)
    assert any("patient’s complete blood count" in q for q in said)


def test_romiplostim_html_is_kept_as_text(g: Graph) -> None:
    said = quotes(g, "romiplostim")
    assert any("≥50 × 10<sup>9</sup>/L" in q for q in said)
    units = {str(u) for u in g.objects(None, SCHEMA.unitCode)}
    assert "L" not in units  # "10<sup>9</sup>/L" is no quantity


def test_romiplostim_reactions(g: Graph) -> None:
    node = drug("romiplostim")
    assert band_terms(g, node, MEDKG.VeryCommon) == {
        "arthralgia",
        "dizziness",
        "insomnia",
        "myalgia",
        "pain in extremity",
        "abdominal pain",
    }
    assert band_terms(g, node, MEDKG.Common) == {
        "shoulder pain",
        "dyspepsia",
        "paresthesia",
        "headache",
    }


def test_romiplostim_target_and_no_faqs(g: Graph) -> None:
    steps = mechanism_steps(g, drug("romiplostim"))
    assert ("Romiplostim", "Activates", "thrombopoietin receptor") in [
        (s, r, o) for s, r, o, _ in steps
    ]
    assert faq_count(g, drug("romiplostim")) == 0


# --------------------------------------------------------------------------
# Code pages
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Code:
    iri: str
    description: str  # what the page says about the code: id/code/<system>/<code>/<page>
    page: str  # the page's document IRI path
    notation: str
    scheme: URIRef
    system: str
    descriptor: str
    unit: tuple[object, ...] | None
    drug: str | None
    routes: set[str]


CODES = {
    "J0584.txt": Code(
        "code/hcpcs/J0584",
        "code/hcpcs/J0584/j0584",
        "document/j0584",
        "J0584",
        HCPCS_SCHEME,
        "HCPCS Level II",
        "Injection, burosumab-twza 1 mg",
        (Decimal(1), "mg"),
        "burosumab",
        {"subcutaneous route"},
    ),
    "J2350.txt": Code(
        "code/hcpcs/J2350",
        "code/hcpcs/J2350/j2350",
        "document/j2350",
        "J2350",
        HCPCS_SCHEME,
        "HCPCS Level II",
        "Injection, ocrelizumab, 1 mg",
        (Decimal(1), "mg"),
        "ocrelizumab",
        {"intravenous route"},
    ),
    "J2796.txt": Code(
        "code/hcpcs/J2796",
        "code/hcpcs/J2796/j2796",
        "document/j2796",
        "J2796",
        HCPCS_SCHEME,
        "HCPCS Level II",
        "Injection, romiplostim, 10 micrograms",
        (Decimal(10), "ug"),
        "romiplostim",
        {"subcutaneous route"},
    ),
    "A4206.txt": Code(
        "code/hcpcs/A4206",
        "code/hcpcs/A4206/a4206",
        "document/a4206",
        "A4206",
        HCPCS_SCHEME,
        "HCPCS Level II",
        "Syringe with needle, sterile, 1 cc or less, each",
        (Decimal(1), "{each}"),
        None,
        set(),
    ),
    "96372.txt": Code(
        "code/cpt/96372",
        "code/cpt/96372/96372",
        "document/96372",
        "96372",
        CPT_SCHEME,
        "CPT",
        "Therapeutic, prophylactic, or diagnostic injection (specify substance or drug);"
        " subcutaneous or intramuscular",
        None,
        None,
        {"subcutaneous route", "intramuscular route"},  # "under the skin or into a muscle"
    ),
}


@pytest.mark.parametrize("page", sorted(CODES))
def test_code_page(g: Graph, page: str) -> None:
    expected = CODES[page]
    node = ID[expected.iri]
    assert (node, RDF.type, MEDKG.BillingCode) in g
    assert text(g, node, SKOS.notation) == expected.notation
    assert text(g, node, SKOS.prefLabel) == expected.notation
    assert objects(g, node, SKOS.inScheme) == [expected.scheme]
    assert text(g, node, SCHEMA.codingSystem) == expected.system
    # the code node is the code's identity; the page's claims are on its description
    for claim in (MEDKG.descriptor, MEDKG.billingUnit, MEDKG.bills, MEDKG.billedPerItem):
        assert objects(g, node, claim) == []
    description = ID[expected.description]
    assert objects(g, node, MEDKG.description) == [description]
    assert (description, RDF.type, MEDKG.BillingCodeDescription) in g
    assert one(g, description, MEDKG.describesCode) == node
    assert one(g, description, MEDKG.statedIn) == ID[expected.page]
    assert text(g, description, MEDKG.descriptor) == expected.descriptor
    assert text(g, description, RDFS.label) == expected.descriptor
    assert quantity(g, one(g, description, MEDKG.billingUnit)) == expected.unit
    billed = objects(g, description, MEDKG.bills)
    assert billed == ([drug(expected.drug)] if expected.drug else [])
    procedure = one(g, node, MEDKG.procedure)
    assert procedure is not None
    assert one(g, procedure, MEDKG.codeDescription) == description
    assert {label(g, r) for r in objects(g, procedure, MEDKG.route)} == expected.routes


def test_drug_code_links_to_the_monograph_drug_node(g: Graph) -> None:
    node = drug("burosumab")
    assert objects(g, ID["code/hcpcs/J0584/j0584"], MEDKG.bills) == [node]
    assert objects(g, node, MEDKG.describedBy) == [ID["document/burosumab"], ID["document/j0584"]]
    assert text(g, node, SCHEMA.alternateName) == "burosumab-twza"


def test_cpt_code_is_never_typed_or_schemed_as_hcpcs(g: Graph) -> None:
    assert (ID["code/hcpcs/96372"], None, None) not in g
    assert (None, None, ID["code/hcpcs/96372"]) not in g
    node = ID["code/cpt/96372"]
    assert (node, SKOS.inScheme, HCPCS_SCHEME) not in g
    assert text(g, node, SCHEMA.codingSystem) == "CPT"


def test_each_unit_is_billed_per_item(g: Graph) -> None:
    assert one(g, ID["code/hcpcs/A4206/a4206"], MEDKG.billedPerItem) == Literal(True)
    assert one(g, ID["code/hcpcs/A4206"], MEDKG.billedPerItem) is None


def procedure_of(g: Graph, code: str) -> Node:
    """The procedure the (only) page of `code` describes."""
    procedures = list(g.objects(ID[f"code/hcpcs/{code}"], MEDKG.procedure))
    assert len(procedures) == 1, procedures
    return procedures[0]


def settings(g: Graph, code: str) -> set[str]:
    return {label(g, s) for s in g.objects(procedure_of(g, code), MEDKG.setting)}


def test_settings_and_body_sites(g: Graph) -> None:
    assert settings(g, "J0584") == {"physician's office", "outpatient clinic"}
    assert settings(g, "J2350") == {"infusion center", "hospital outpatient department"}
    sites = {label(g, s) for s in g.objects(procedure_of(g, "J0584"), MEDKG.bodySite)}
    assert sites == {"upper arm", "upper thigh", "buttock", "abdomen"}


def test_unheaded_text_of_the_supply_page_is_kept(g: Graph) -> None:
    kept = {str(g.value(s, SCHEMA.text)) for s in g.objects(ID["document/a4206"], MEDKG.statement)}
    assert kept == {
        "Sterile 1 cc syringes with an attached needle are used to give small volumes of"
        " medicine, such as insulin or vaccines, under the skin or into a muscle.",
        "Accurate measurement of small doses",
        "Single use to prevent infection",
        "Patients who inject medicines at home",
        "Clinics giving vaccines or subcutaneous medicines",
    }


def calculations(g: Graph, code: str) -> dict[str, Node]:
    """Billing-unit calculations of a code's (only) page, by the phase (or number) of
    their regimen."""
    found = {}
    description = one(g, ID[f"code/hcpcs/{code}"], MEDKG.description)
    for node in g.objects(description, MEDKG.billingCalculation):
        regimen = one(g, node, MEDKG.regimen)
        found[text(g, regimen, MEDKG.phase) or str(regimen).rsplit("/", 1)[1]] = node
    return found


def test_derived_units_for_the_maintenance_dose(g: Graph) -> None:
    maintenance = calculations(g, "J2350")["maintenance"]
    assert number(one(g, maintenance, MEDKG.unitsPerAdministration)) == Decimal(600)
    assert one(g, maintenance, MEDKG.derived) == Literal(True)


def test_weight_based_dose_gives_units_per_kilogram_not_a_count(g: Graph) -> None:
    (calculation,) = calculations(g, "J2796").values()
    assert one(g, calculation, MEDKG.weightDependent) == Literal(True)
    assert number(one(g, calculation, MEDKG.unitsPerKilogram)) == Decimal("0.1")
    assert one(g, calculation, MEDKG.unitsPerAdministration) is None
    assert one(g, calculation, MEDKG.unitsPerCourse) is None


# --------------------------------------------------------------------------
# The seeds are not changed by the corpus
# --------------------------------------------------------------------------


def is_seed_subject(node: Node) -> bool:
    name = str(node).lower()
    return isinstance(node, URIRef) and ("romosozumab" in name or "j3111" in name)


def seed_subgraph(graph: Graph) -> set[tuple[Node, Node, Node]]:
    return {triple for triple in graph if is_seed_subject(triple[0])}


def test_adding_the_corpus_changes_nothing_in_the_seed_facts(built: Built, g: Graph) -> None:
    alone = seed_subgraph(built.graph)
    assert (drug("romosozumab"), RDF.type, SCHEMA.Drug) in alone
    assert (ID["code/hcpcs/J3111/j3111-code-page"], MEDKG.bills, drug("romosozumab")) in alone
    assert len(alone) > 1500
    assert seed_subgraph(g) == alone


def test_seed_concepts_resolve_as_without_the_corpus(built: Built, g: Graph) -> None:
    """The concepts the seed facts point at are the same nodes with and without the
    corpus (a corpus document about another drug lends no gloss to the seeds)."""

    def pointed(graph: Graph) -> set[tuple[Node, Node, Node]]:
        return {
            (s, p, o)
            for s, p, o in seed_subgraph(graph)
            if isinstance(o, URIRef) and str(o).startswith(str(ID["concept/"]))
        }

    assert pointed(g) == pointed(built.graph)


def test_fixture_corpus_is_a_copy_of_the_shared_corpus_layout() -> None:
    names = sorted(str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*") if p.is_file())
    assert names == [
        "hcpcs/96372.txt",
        "hcpcs/A4206.txt",
        "hcpcs/J0584.txt",
        "hcpcs/J2350.txt",
        "hcpcs/J2796.txt",
        "monographs/burosumab.md",
        "monographs/ibuprofen.md",
        "monographs/ocrelizumab.md",
        "monographs/paracetamol-codeine.md",
        "monographs/pyridoxal-.md",
        "monographs/romiplostim.md",
    ]
