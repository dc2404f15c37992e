"""FHIR export: R5 validity, bundle references, round trips, answers from the bundle, codings."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fhir.resources import get_fhir_model_class as r5_model
from fhir.resources.R4B import get_fhir_model_class as r4b_model
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import SKOS

import medkg.pipeline.build
from medkg.cli import main
from medkg.errors import ExportInvalid
from medkg.export import EXPORTERS
from medkg.export.fhir import medication, render
from medkg.export.fhir.resource import MAX_ID, Resource, resource_id
from medkg.export.fhir.validation import validate
from medkg.pipeline.options import BuildOptions
from medkg.pipeline.staging import BuildOutcome
from medkg.shacl.validate import load_ontology

from .conftest import Built

ID = "https://w3id.org/medkg/id/"
MEDKG = "https://w3id.org/medkg/vocab#"
FHIR_BASE = "https://w3id.org/medkg/fhir"
UCUM = "http://unitsofmeasure.org"
HCPCS = "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
EXT = FHIR_BASE + "/StructureDefinition/"
BAND_SYSTEM = FHIR_BASE + "/CodeSystem/frequency-band"

# FHIR system -> how a code becomes the identifier IRI the graph holds as skos:exactMatch.
TO_IRI = {
    "http://snomed.info/sct": lambda code: f"http://snomed.info/id/{code}",
    "http://human-phenotype-ontology.org": lambda code: (
        "http://purl.obolibrary.org/obo/" + code.replace(":", "_")
    ),
    "http://purl.obolibrary.org/obo/mondo.owl": lambda code: (
        "http://purl.obolibrary.org/obo/" + code.replace(":", "_")
    ),
    "http://www.whocc.no/atc": lambda code: f"http://identifiers.org/atc/{code}",
}


# -- fixtures -----------------------------------------------------------------


@pytest.fixture(scope="module")
def fhir_files(built: Built) -> dict[str, Any]:
    """Every file the build wrote under fhir/, parsed."""
    folder = built.out / "fhir"
    return {
        f"fhir/{p.name}": json.loads(p.read_text("utf-8")) for p in sorted(folder.glob("*.json"))
    }


@pytest.fixture(scope="module")
def bundle(fhir_files: dict[str, Any]) -> dict[str, Any]:
    document: dict[str, Any] = fhir_files["fhir/bundle.json"]
    return document


@pytest.fixture(scope="module")
def dataset(built: Built) -> Dataset:
    """The built graph (as published in medkg.ttl) as a Dataset, for calling the exporter."""
    data = Dataset()
    graph = data.graph(URIRef(f"{ID}graph/test"))
    for triple in built.graph:
        graph.add(triple)
    return data


def resources_of(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def walk(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)


def graph_node(resource: dict[str, Any]) -> URIRef:
    values = [i["value"] for i in resource["identifier"] if i["system"] == "urn:ietf:rfc:3986"]
    return URIRef(values[0])


# -- validity and round trips -------------------------------------------------


def test_exporter_is_registered() -> None:
    assert "fhir" in EXPORTERS


def test_every_file_validates_as_r5(fhir_files: dict[str, Any]) -> None:
    kinds = {doc["resourceType"] for doc in fhir_files.values()}
    assert kinds == {
        "Bundle",
        "CodeSystem",
        "Medication",
        "MedicationKnowledge",
        "ClinicalUseDefinition",
        "ChargeItemDefinition",
        "ActivityDefinition",
    }
    for name, document in fhir_files.items():
        r5_model(document["resourceType"]).model_validate(document)
        if name != "fhir/bundle.json":
            assert name == f"fhir/{document['resourceType']}-{document['id']}.json"


def test_each_file_reread_by_fhir_resources_serialises_to_the_same_json(
    fhir_files: dict[str, Any],
) -> None:
    for name, document in fhir_files.items():
        model = r5_model(document["resourceType"]).model_validate(document)
        assert json.loads(model.model_dump_json()) == document, name


def test_files_are_deterministic_sorted_json(built: Built, dataset: Dataset) -> None:
    again = render(dataset)
    on_disk = {f"fhir/{p.name}": p.read_bytes() for p in (built.out / "fhir").glob("*.json")}
    assert again == on_disk  # the graph re-read from medkg.ttl gives the same bytes
    for data in on_disk.values():
        document = json.loads(data)
        assert (
            data.decode()
            == json.dumps(document, sort_keys=True, ensure_ascii=False, indent=2) + "\n"
        )


def test_bundle_is_a_collection_holding_every_resource_file(
    bundle: dict[str, Any], fhir_files: dict[str, Any]
) -> None:
    assert bundle["type"] == "collection"
    by_url = {e["fullUrl"]: e["resource"] for e in bundle["entry"]}
    assert len(by_url) == len(bundle["entry"]) == len(fhir_files) - 1
    for name, document in fhir_files.items():
        if name == "fhir/bundle.json":
            continue
        url = f"{FHIR_BASE}/{document['resourceType']}/{document['id']}"
        assert by_url[url] == document


def test_every_bundle_reference_resolves_to_an_entry(bundle: dict[str, Any]) -> None:
    full_urls = {e["fullUrl"] for e in bundle["entry"]}
    seen = 0
    for entry in bundle["entry"]:
        contained = {c["id"] for c in entry["resource"].get("contained", [])}
        for node in walk(entry["resource"]):
            ref = node.get("reference")
            if not isinstance(ref, str):
                continue
            seen += 1
            assert ref[1:] in contained if ref.startswith("#") else ref in full_urls, ref
    assert seen > 40
    code_systems = {r["url"] for r in resources_of(bundle, "CodeSystem")}
    for node in walk(bundle):
        if isinstance(node.get("system"), str) and node["system"].startswith(FHIR_BASE):
            assert node["system"] in code_systems


def test_narratives_are_well_formed_xhtml(bundle: dict[str, Any]) -> None:
    divs = [r["text"]["div"] for r in (e["resource"] for e in bundle["entry"]) if "text" in r]
    assert divs
    for div in divs:
        assert ET.fromstring(div).tag == "{http://www.w3.org/1999/xhtml}div"


# -- answers from the bundle alone ---------------------------------------------


def test_monthly_dose_and_j3111_units_from_the_bundle_alone(bundle: dict[str, Any]) -> None:
    entries = [e["resource"] for e in bundle["entry"]]
    knowledge = next(
        r
        for r in entries
        if r["resourceType"] == "MedicationKnowledge" and r["code"]["text"] == "Romosozumab"
    )
    dosages = [
        dosage
        for guideline in knowledge["indicationGuideline"]
        for dosing in guideline.get("dosingGuideline", [])
        for typed in dosing["dosage"]
        for dosage in typed["dosage"]
        if "doseAndRate" in dosage
    ]
    assert len(dosages) == 1
    dosage = dosages[0]
    dose = dosage["doseAndRate"][0]["doseQuantity"]
    repeat = dosage["timing"]["repeat"]
    assert (dose["value"], dose["code"], dose["system"]) == (210, "mg", UCUM)
    assert (repeat["frequency"], repeat["period"], repeat["periodUnit"]) == (1, 1, "mo")
    assert (repeat["boundsDuration"]["value"], repeat["boundsDuration"]["code"]) == (12, "mo")
    assert dosage["route"]["coding"] == [{"system": "http://snomed.info/sct", "code": "34206005"}]
    assert dosage["text"] == (
        "210 mg by subcutaneous route; given as 2 injections of 105 mg, one after the other; "
        "once a month; for up to 12 months; administered by healthcare professional"
    )
    units = next(x for x in dosage["extension"] if x["url"] == EXT + "dose-units")
    parts = {p["url"]: p for p in units["extension"]}
    assert parts["unitCount"]["valueInteger"] == 2
    assert parts["unitDose"]["valueQuantity"]["value"] == 105

    charge = next(
        r
        for r in entries
        if r["resourceType"] == "ChargeItemDefinition"
        and {"system": HCPCS, "code": "J3111"}.items() <= r["code"]["coding"][0].items()
    )
    # one ChargeItemDefinition per page's description of the code
    assert charge["id"] == "code-hcpcs-J3111-j3111-code-page"
    assert charge["identifier"] == [
        {"system": "urn:ietf:rfc:3986", "value": f"{ID}code/hcpcs/J3111/j3111-code-page"}
    ]
    assert charge["code"]["coding"][0]["display"] == "Injection, romosozumab-aqqg, 1 mg"
    assert [i["reference"] for i in charge["instance"]] == [
        f"{FHIR_BASE}/Medication/drug-romosozumab",
        f"{FHIR_BASE}/ActivityDefinition/procedure-hcpcs-J3111-j3111-code-page",
    ]
    assert "As stated in j3111-code-page.txt." in charge["description"]
    # the calculation reads alone: the drug and its regimen in words, no IRI
    assert charge["description"].endswith(
        "For the regimen of Romosozumab (210 mg by subcutaneous route; given as 2 injections of "
        "105 mg, one after the other; once a month; for up to 12 months; administered by "
        "healthcare professional): 210 units per administration; 105 units per unit dose; "
        "12 administrations per course; 2520 units per course."
    )
    assert "https://" not in charge["description"]
    unit = next(x for x in charge["extension"] if x["url"] == EXT + "billing-unit")["valueQuantity"]
    assert (unit["value"], unit["code"]) == (1, "mg")
    assert dose["value"] / unit["value"] == 210  # J3111 units per monthly dose
    calculation = next(x for x in charge["extension"] if x["url"] == EXT + "billing-units")
    numbers = {p["url"]: p for p in calculation["extension"]}
    assert numbers["unitsPerAdministration"]["valueDecimal"] == 210
    assert numbers["unitsPerCourse"]["valueDecimal"] == 2520
    assert numbers["medication"]["valueReference"]["reference"] == (
        f"{FHIR_BASE}/MedicationKnowledge/{knowledge['id']}"
    )


def test_activity_definition_gives_the_drug_with_its_dosage(bundle: dict[str, Any]) -> None:
    activity = next(
        r
        for r in resources_of(bundle, "ActivityDefinition")
        if r["code"]["coding"][0]["code"] == "J3111"
    )
    assert activity["kind"] == "MedicationRequest"
    assert activity["productReference"]["reference"] == f"{FHIR_BASE}/Medication/drug-romosozumab"
    assert activity["dosage"][0]["doseAndRate"][0]["doseQuantity"]["value"] == 210
    assert activity["location"]["concept"]["text"] == "outpatient clinic; physician's office"
    assert [p["role"]["text"] for p in activity["participant"]] == [
        "trained nurse or healthcare professional",
        "physician",
    ]


# -- clinical use, codings, frequency bands --------------------------------------


def test_clinical_use_definitions_one_per_statement(bundle: dict[str, Any], built: Built) -> None:
    uses = resources_of(bundle, "ClinicalUseDefinition")
    by_type: dict[str, int] = {}
    for use in uses:
        by_type[use["type"]] = by_type.get(use["type"], 0) + 1
    drug = URIRef(f"{ID}drug/romosozumab")
    procedure = URIRef(f"{ID}procedure/hcpcs/J3111/j3111-code-page")

    def count(prop: str, subject: URIRef = drug) -> int:
        return len(set(built.graph.objects(subject, URIRef(MEDKG + prop))))

    assert by_type == {
        "indication": count("indication"),
        "contraindication": count("contraindication"),
        "undesirable-effect": count("adverseReaction") + count("risk", procedure),
        "warning": count("warning"),
    }
    knowledge = resources_of(bundle, "MedicationKnowledge")[0]
    issues = {i["reference"] for i in knowledge["clinicalUseIssue"]}
    for use in uses:
        url = f"{FHIR_BASE}/ClinicalUseDefinition/{use['id']}"
        if use["type"] != "indication" and use["subject"][0]["reference"].endswith(
            "/Medication/drug-romosozumab"
        ):
            assert url in issues


def test_undesirable_effect_codings_are_exactly_the_confirmed_identifiers(
    bundle: dict[str, Any], built: Built
) -> None:
    g = built.graph
    checked = 0
    for use in resources_of(bundle, "ClinicalUseDefinition"):
        if use["type"] != "undesirable-effect":
            continue
        reaction = g.value(graph_node(use), URIRef(MEDKG + "reaction"))
        concept = use["undesirableEffect"]["symptomConditionEffect"]["concept"]
        written = {TO_IRI[c["system"]](c["code"]) for c in concept.get("coding", [])}
        confirmed = {
            str(o)
            for o in g.objects(reaction, SKOS.exactMatch)
            if any(
                str(o).startswith(p)
                for p in (
                    "http://snomed.info/id/",
                    "http://purl.obolibrary.org/obo/HP_",
                    "http://purl.obolibrary.org/obo/MONDO_",
                )
            )
        }
        assert written == confirmed, use["id"]
        checked += 1
    assert checked > 20


def test_every_coding_is_a_confirmed_identifier_and_no_unofficial_system(
    bundle: dict[str, Any], built: Built
) -> None:
    exact = {str(o) for o in built.graph.objects(None, SKOS.exactMatch)}
    notations = {str(o) for o in built.graph.objects(None, SKOS.notation)}
    external = 0
    for node in walk(bundle):
        system = node.get("system")
        if not isinstance(system, str) or "code" not in node:
            continue
        assert "drugbank" not in system.lower()
        if system in TO_IRI:
            assert TO_IRI[system](node["code"]) in exact, node
            external += 1
        elif system == HCPCS:
            assert node["code"] in notations
    assert external > 20
    knowledge = resources_of(bundle, "MedicationKnowledge")[0]
    assert knowledge["code"]["coding"] == [{"system": "http://www.whocc.no/atc", "code": "M05BX06"}]


def test_a_coding_carries_a_display_only_in_its_systems_own_words(
    bundle: dict[str, Any],
) -> None:
    """A display is the code system's wording for the code: medkg's band code system and
    FHIR's own (status, seriousness) have theirs, a billing code the descriptor its page
    states; a confirmed identifier's coding has none (the graph does not record the
    authority's wording), its concept's name being the CodeableConcept's text."""
    concepts = [node for node in walk(bundle) if node.get("coding")]
    codings = [c for node in concepts for c in node["coding"]]
    assert len(codings) > 40
    displays = {(c["code"], c.get("display")) for c in codings}
    assert ("active", "Active") in displays
    assert ("J3111", "Injection, romosozumab-aqqg, 1 mg") in displays
    assert ("HP:0002829", None) in displays
    arthralgia = next(n for n in concepts if n["coding"][0]["code"] == "HP:0002829")
    assert arthralgia["text"] == "arthralgia"
    for coding in codings:
        if coding["system"].startswith(("http://purl", "http://human-phenotype", "http://snomed")):
            assert "display" not in coding, coding


def test_frequency_code_system_has_the_six_cioms_bands_from_the_ontology(
    bundle: dict[str, Any],
) -> None:
    (system,) = resources_of(bundle, "CodeSystem")
    assert system["url"] == BAND_SYSTEM and system["content"] == "complete"
    codes = [c["code"] for c in system["concept"]]
    assert codes == ["very-common", "common", "uncommon", "rare", "very-rare", "not-known"]
    ontology = load_ontology()
    definitions = {
        str(ontology.value(band, SKOS.notation)): str(ontology.value(band, SKOS.definition))
        for band in ontology.objects(URIRef(MEDKG + "FrequencyBands"), SKOS.hasTopConcept)
    }
    assert {c["code"]: c["definition"] for c in system["concept"]} == definitions
    arthralgia = next(
        r
        for r in resources_of(bundle, "ClinicalUseDefinition")
        if r["id"] == "adverse-reaction-romosozumab-monograph-arthralgia"
    )
    frequency = arthralgia["undesirableEffect"]["frequencyOfOccurrence"]
    assert frequency["coding"][0] == {
        "system": BAND_SYSTEM,
        "code": "very-common",
        "display": "very common",
    }
    assert frequency["text"] == "more than 10%"
    used = {node["code"] for node in walk(bundle) if node.get("system") == BAND_SYSTEM}
    assert used <= set(codes)


def test_serious_reactions_are_classified(bundle: dict[str, Any], built: Built) -> None:
    for use in resources_of(bundle, "ClinicalUseDefinition"):
        if use["type"] != "undesirable-effect":
            continue
        serious = built.graph.value(graph_node(use), URIRef(MEDKG + "serious"))
        classification = use["undesirableEffect"].get("classification")
        if serious is None:
            assert classification is None
        else:
            expected = "serious" if serious.toPython() else "non-serious"
            assert classification["coding"][0]["code"] == expected


# -- ids ----------------------------------------------------------------------------


def test_resource_ids_are_short_stable_and_distinct() -> None:
    long_one = URIRef(ID + "warning/doc/" + "a-very-long-sentence-" * 5)
    other = URIRef(ID + "warning/doc/" + "a-very-long-sentence-" * 5 + "x")
    assert len(resource_id(long_one)) <= MAX_ID
    assert resource_id(long_one) == resource_id(URIRef(str(long_one)))
    assert resource_id(long_one) != resource_id(other)
    assert resource_id(URIRef(ID + "code/hcpcs/A0001")) == "code-hcpcs-A0001"


# -- failures -------------------------------------------------------------------------


def test_a_broken_resource_makes_the_export_fail_naming_the_file(
    dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = medication.medication

    def broken(graph: Graph, drug: URIRef) -> Resource:
        resource = made(graph, drug)
        resource.body["status"] = {"text": "not a code"}
        return resource

    monkeypatch.setattr(medication, "medication", broken)
    with pytest.raises(ExportInvalid) as failure:
        render(dataset)
    assert failure.value.output == "fhir/Medication-drug-romosozumab.json"
    assert "status" in str(failure.value)


def test_a_reference_to_a_type_the_element_does_not_allow_is_refused() -> None:
    use = {
        "resourceType": "ClinicalUseDefinition",
        "id": "x",
        "type": "undesirable-effect",
        "subject": [{"reference": f"{FHIR_BASE}/MedicationKnowledge/drug-x"}],
    }
    with pytest.raises(ExportInvalid) as failure:
        validate(use, "fhir/ClinicalUseDefinition-x.json")
    assert failure.value.output == "fhir/ClinicalUseDefinition-x.json"
    assert "MedicationKnowledge" in str(failure.value)


def test_a_code_outside_a_required_value_set_is_refused() -> None:
    use = {"resourceType": "ClinicalUseDefinition", "id": "x", "type": "side-effect"}
    with pytest.raises(ExportInvalid, match="side-effect"):
        validate(use, "fhir/ClinicalUseDefinition-x.json")
    timing = {
        "resourceType": "ActivityDefinition",
        "id": "x",
        "status": "active",
        "timingTiming": {"repeat": {"period": 1, "periodUnit": "month"}},
    }
    with pytest.raises(ExportInvalid, match="periodUnit"):
        validate(timing, "fhir/ActivityDefinition-x.json")


def test_an_unresolved_bundle_reference_fails_the_export(
    dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = medication.medication_knowledge

    def dangling(*args: Any) -> Resource:
        resource = made(*args)
        resource.body["associatedMedication"] = [{"reference": f"{FHIR_BASE}/Medication/elsewhere"}]
        return resource

    monkeypatch.setattr(medication, "medication_knowledge", dangling)
    with pytest.raises(ExportInvalid) as failure:
        render(dataset)
    assert failure.value.output == "fhir/bundle.json"
    assert "Medication/elsewhere" in str(failure.value)


# -- R4B ---------------------------------------------------------------------------------


def test_r4b_output_validates_as_r4b_and_keeps_the_dose(dataset: Dataset) -> None:
    files = {name: json.loads(data) for name, data in render(dataset, "R4B").items()}
    for document in files.values():
        model = r4b_model(document["resourceType"]).model_validate(document)
        assert json.loads(model.model_dump_json()) == document
    knowledge = files["fhir/MedicationKnowledge-drug-romosozumab.json"]
    assert "indicationGuideline" not in knowledge
    guideline = knowledge["administrationGuidelines"][0]
    dosage = guideline["dosage"][0]["dosage"][0]
    assert dosage["doseAndRate"][0]["doseQuantity"]["value"] == 210
    assert guideline["indicationCodeableConcept"]["text"] == "osteoporosis"
    charge = files["fhir/ChargeItemDefinition-code-hcpcs-J3111-j3111-code-page.json"]
    assert [i["reference"] for i in charge["instance"]] == [
        f"{FHIR_BASE}/Medication/drug-romosozumab"
    ]
    with pytest.raises(ValueError, match="R6"):
        render(dataset, "R6")


def test_cli_passes_the_fhir_version_to_the_build(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    seen: dict[str, Any] = {}

    def fake_build(paths: list[Path], out: Path, options: BuildOptions, **_: Any) -> BuildOutcome:
        seen["fhir_version"] = options.fhir_version
        return BuildOutcome(staging=tmp_path / "staging")

    monkeypatch.setattr(medkg.pipeline.build, "build", fake_build)
    runner = CliRunner()
    result = runner.invoke(main, ["build", "--fhir-version", "R4B", "--out", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    assert seen == {"fhir_version": "R4B"}
    refused = runner.invoke(main, ["build", "--fhir-version", "R6", "--out", str(tmp_path / "d")])
    assert refused.exit_code == 2
