"""The FHIR checks of every build: what `validate` still refuses, and the round trip
through fhir.resources that is dumped only for element paths and JSON kinds not yet seen."""

from __future__ import annotations

import copy
import json
import types
import typing
from collections.abc import Iterator
from typing import Any

import pytest
from rdflib import Dataset, Graph, URIRef

from medkg.errors import ExportInvalid
from medkg.export import fhir
from medkg.export.fhir import frequency_band, round_trip
from medkg.export.fhir.bindings import REQUIRED_BINDINGS, binding_problems, rules_for
from medkg.export.fhir.validation import model_class, validate
from medkg.namespaces import SKOS
from medkg.shacl.validate import load_ontology

from .conftest import Built

FILE = "fhir/ActivityDefinition-x.json"


def activity(**repeat: Any) -> dict[str, Any]:
    return {
        "resourceType": "ActivityDefinition",
        "id": "x",
        "status": "active",
        "timingTiming": {"repeat": {"periodUnit": "d", **repeat}},
    }


@pytest.fixture(autouse=True)
def nothing_known(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no (path, kind) known to come back unchanged."""
    monkeypatch.setattr(round_trip, "KNOWN", {})


@pytest.fixture
def dumps(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The resource types fhir.resources dumps a model of, in order (a spy)."""
    seen: list[str] = []
    for version in ("R5", "R4B"):
        for kind in ("ActivityDefinition", "ClinicalUseDefinition"):
            cls = model_class(version, kind)
            dump = cls.model_dump

            def spy(self: Any, *args: Any, _dump: Any = dump, **kwargs: Any) -> Any:
                if self.__class__.__name__ in ("ActivityDefinition", "ClinicalUseDefinition"):
                    seen.append(self.__class__.__name__)
                return _dump(self, *args, **kwargs)

            monkeypatch.setattr(cls, "model_dump", spy)
    return seen


# -- the round trip: what it refuses ------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "where"),
    [
        (activity(period="1.5"), "ActivityDefinition.timingTiming.repeat.period"),
        (activity(frequency="2"), "ActivityDefinition.timingTiming.repeat.frequency"),
        ({**activity(period=1), "title": None}, "ActivityDefinition.title"),
        ({**activity(period=1), "topic": []}, "ActivityDefinition.topic"),
        ({**activity(period=1), "experimental": "true"}, "ActivityDefinition.experimental"),
    ],
)
def test_a_value_fhir_resources_writes_back_differently_is_refused(
    document: dict[str, Any], where: str
) -> None:
    with pytest.raises(ExportInvalid) as failure:
        validate(document, FILE)
    assert failure.value.output == FILE
    assert failure.value.problems == [
        f"fhir.resources R5 reads and writes back a different value at {where}"
    ]


def test_a_known_path_with_another_kind_of_value_is_still_dumped_and_refused(
    dumps: list[str],
) -> None:
    assert validate(activity(period=1.5, frequency=2), FILE) == activity(period=1.5, frequency=2)
    assert validate(activity(period=2.5, frequency=3), FILE) == activity(period=2.5, frequency=3)
    assert dumps == ["ActivityDefinition"]  # the second is made only of known pairs
    with pytest.raises(ExportInvalid, match=r"different value at .*\.repeat\.period$"):
        validate(activity(period="2.5", frequency=3), FILE)
    with pytest.raises(ExportInvalid, match=r"different value at ActivityDefinition\.topic$"):
        validate({**activity(period=2.5, frequency=3), "topic": []}, FILE)
    assert dumps == ["ActivityDefinition"] * 3


def test_a_refused_resource_teaches_nothing(dumps: list[str]) -> None:
    for _ in range(2):
        with pytest.raises(ExportInvalid):
            validate(activity(period="1.5"), FILE)
    assert dumps == ["ActivityDefinition"] * 2
    assert not round_trip.KNOWN.get("R5")


def test_each_fhir_version_learns_on_its_own(dumps: list[str]) -> None:
    validate(activity(period=1.5), FILE, "R5")
    validate(activity(period=1.5), FILE, "R4B")
    validate(activity(period=2.5), FILE, "R4B")
    assert dumps == ["ActivityDefinition"] * 2


def test_a_float_in_exponent_form_is_dumped_every_time_and_written_as_fhir_resources_does(
    dumps: list[str],
) -> None:
    validate(activity(period=1.5), FILE)
    for _ in range(2):
        written = validate(activity(period=1e16), FILE)
        assert written == activity(period=10**16)
        assert isinstance(written["timingTiming"]["repeat"]["period"], int)
    assert dumps == ["ActivityDefinition"] * 3
    assert fhir.serialise(written) == fhir.serialise(activity(period=10**16))


def test_leaves_name_element_paths_and_nested_resources_start_afresh() -> None:
    document = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [{"resource": {"resourceType": "Medication", "id": "m", "code": {}}}],
        "link": [],
    }
    assert list(round_trip.leaves(document, "Bundle")) == [
        ("Bundle.resourceType", "Bundle"),
        ("Bundle.type", "collection"),
        ("Medication.resourceType", "Medication"),
        ("Medication.id", "m"),
        ("Medication.code", {}),
        ("Bundle.link", []),
    ]
    assert [round_trip.kind(v) for v in (1, 1.5, True, "a", None, [], {}, 1e16, 1e-07)] == [
        "int",
        "float",
        "bool",
        "str",
        "NoneType",
        "[]",
        "dict",
        None,
        None,
    ]


# -- the build: same bytes whatever is known ----------------------------------------------


@pytest.fixture(scope="module")
def dataset(built: Built) -> Dataset:
    data = Dataset()
    graph = data.graph(URIRef("https://w3id.org/medkg/id/graph/test"))
    for triple in built.graph:
        graph.add(triple)
    return data


def as_fhir_resources_writes(files: dict[str, bytes], version: str) -> Iterator[tuple[str, str]]:
    for name, data in files.items():
        document = json.loads(data)
        model = model_class(version, document["resourceType"]).model_validate(document)
        yield name, fhir.serialise(json.loads(json.dumps(model.model_dump()))).decode()


@pytest.mark.parametrize("version", ["R5", "R4B"])
def test_the_files_are_the_same_bytes_with_nothing_or_everything_known(
    dataset: Dataset, version: str, dumps: list[str]
) -> None:
    first = fhir.render(dataset, version)
    dumped = len(dumps)
    again = fhir.render(dataset, version)
    assert again == first
    assert len(dumps) == dumped  # nothing new: nothing dumped the second time
    assert dict(as_fhir_resources_writes(first, version)) == {
        name: data.decode() for name, data in first.items()
    }


def test_a_resource_the_renderer_breaks_after_the_paths_are_known_is_still_refused(
    dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    fhir.render(dataset)  # every path the sample corpus has is known now
    made = fhir.resources

    def with_a_null(*args: Any) -> list[Any]:
        resources = made(*args)
        use = next(r for r in resources if r.resource_type == "ClinicalUseDefinition")
        use.body = {**copy.deepcopy(use.body), "status": None}
        return resources

    monkeypatch.setattr(fhir, "resources", with_a_null)
    with pytest.raises(ExportInvalid) as failure:
        fhir.render(dataset)
    assert failure.value.output.startswith("fhir/ClinicalUseDefinition-")
    assert failure.value.problems == [
        "fhir.resources R5 reads and writes back a different value at ClinicalUseDefinition.status"
    ]


# -- the other checks: every resource ----------------------------------------------------


def test_model_validation_references_and_bindings_run_on_known_shapes_too() -> None:
    use = {
        "resourceType": "ClinicalUseDefinition",
        "id": "x",
        "type": "indication",
        "subject": [{"reference": "https://w3id.org/medkg/fhir/Medication/drug-x"}],
    }
    validate(use, "fhir/ClinicalUseDefinition-x.json")
    assert round_trip.KNOWN["R5"]
    with pytest.raises(ExportInvalid, match="side-effect"):
        validate({**use, "type": "side-effect"}, "fhir/ClinicalUseDefinition-x.json")
    wrong = [{"reference": "https://w3id.org/medkg/fhir/MedicationKnowledge/drug-x"}]
    with pytest.raises(ExportInvalid, match="refers to a MedicationKnowledge"):
        validate({**use, "subject": wrong}, "fhir/ClinicalUseDefinition-x.json")
    with pytest.raises(ExportInvalid, match="id"):
        validate({**use, "id": "not an id"}, "fhir/ClinicalUseDefinition-x.json")


def test_binding_rules_are_found_by_full_path_and_by_suffix() -> None:
    assert rules_for("Bundle.type") == ("Bundle.type",)
    assert rules_for("ActivityDefinition.timingTiming.repeat.periodUnit") == (".repeat.periodUnit",)
    assert rules_for("MedicationKnowledge.text.status") == (".text.status",)
    assert rules_for("Medication.status") == ("Medication.status",)
    assert rules_for("Medication.code.text") == ()
    assert rules_for("ClinicalUseDefinition.relatedArtifact.type") == (".relatedArtifact.type",)
    for rule in REQUIRED_BINDINGS:  # every rule is reachable
        assert rule in rules_for(rule if not rule.startswith(".") else "Resource" + rule)
    leaves = [("Group.type", []), ("Group.type", "person"), ("Group.type", "people")]
    assert list(binding_problems(leaves)) == [
        "Group.type: 'people' is not in the required value set (Group.type)"
    ]


# -- rendering: the frequency bands are read once per ontology ----------------------------


def test_the_bands_are_read_once_per_ontology_graph(monkeypatch: pytest.MonkeyPatch) -> None:
    ontology = load_ontology()
    reads: list[Graph] = []
    read = frequency_band._read_bands

    def counted(graph: Graph) -> dict[URIRef, tuple[str, str, str]]:
        reads.append(graph)
        return read(graph)

    monkeypatch.setattr(frequency_band, "_LAST", None)
    monkeypatch.setattr(frequency_band, "_read_bands", counted)
    band = next(iter(frequency_band.bands(ontology)))
    first = frequency_band.band_concept(ontology, band, "often")
    assert frequency_band.band_concept(ontology, band, "often") == first
    assert reads == [ontology]
    without_rare = Graph()
    for triple in ontology:
        if not (triple[1] == SKOS.notation and str(triple[2]) == "rare"):
            without_rare.add(triple)
    with pytest.raises(ExportInvalid, match="for rare"):
        frequency_band.band_concept(without_rare, band, "often")
    assert frequency_band.band_concept(ontology, band, "often") == first
    assert reads == [ontology, without_rare]  # a failed read leaves the last one in place


# -- the premise of remembering: no element medkg writes is written back by value ---------

WRITTEN_BY_VALUE = {"Date", "DateTime", "Instant", "Time", "Uuid", "Base64Binary", "Integer64"}


def leaf_type(version: str, path: str) -> str:
    """The fhir.resources type of the element at a path of `round_trip.leaves`: the name of
    its primitive's marker (``String``, ``Decimal``, ...), or of the Python type."""
    resource_type, *keys = path.split(".")
    model: Any = model_class(version, resource_type)
    found = "resource"
    for key in keys:
        if key == "resourceType":
            return "resourceType"
        by_alias = {field.alias or name: field for name, field in model.model_fields.items()}
        annotation = by_alias[key].annotation
        while typing.get_origin(annotation) in (typing.Union, types.UnionType, list):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        if typing.get_origin(annotation) is typing.Annotated:
            found = type(annotation.__metadata__[0]).__name__
        elif hasattr(annotation, "get_model_klass"):
            model = annotation.get_model_klass()
            found = model.__name__
        else:
            found = getattr(annotation, "__name__", str(annotation))
    return found


def test_no_element_the_sample_corpus_writes_is_written_back_by_value(dataset: Dataset) -> None:
    for version in ("R5", "R4B"):
        fhir.render(dataset, version)
        known = round_trip.KNOWN[version]
        assert len(known) > 100
        kinds = {leaf_type(version, path) for path, _ in known}
        assert {"String", "Code", "Decimal", "Uri", "bool"} <= kinds
        assert not kinds & WRITTEN_BY_VALUE, sorted(kinds & WRITTEN_BY_VALUE)
    assert leaf_type("R5", "ActivityDefinition.date") == "DateTime"  # the check can see one
