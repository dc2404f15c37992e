"""`medkg.export.jsonld_schema`: the compiled gate never disagrees with jsonschema.

The reference here is the plain jsonschema check (`reference_problems`, the
algorithm ``medkg.export.jsonld.schema_problems`` used before the gate). For
real documents, for many mutations of real node objects and for random
schemas built from the keywords the gate implements, the new function must
give the same list, and the gate the same yes/no as ``is_valid``.

``fixtures/jsonld_schema/generated-nodes.json``: top-level nodes of the
``medkg.jsonld`` built from ``benchmarks/generate_corpus.py --monographs 60
--code-pages 60 --seed 5``, chosen so that together they hold every key path
that the committed ``dist/medkg.jsonld`` lacks (CPT codes, procedures,
personnel, durations, ...).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from medkg.export import jsonld
from medkg.export.jsonld_schema import (
    Check,
    bundled_schema,
    compile_schema,
    jsonschema_problems,
    schema_problems,
)

from .conftest import FIXTURES, ROOT

JSON = dict[str, Any]
CONTEXT = "context.jsonld"
ID = "https://w3id.org/medkg/id/"


def reference_problems(document: object, schema: JSON | None = None) -> list[str]:
    """The check as it was: jsonschema alone, every error, sorted, formatted, deduplicated."""
    validator = Draft202012Validator(bundled_schema() if schema is None else schema)
    errors = sorted(
        validator.iter_errors(document), key=lambda e: (e.json_path, list(map(str, e.schema_path)))
    )
    problems: dict[tuple[str, str], str] = {}
    for error in errors:
        rule = "/".join(map(str, error.schema_path))
        problems.setdefault(
            (error.json_path, error.message), f"{error.json_path}: {error.message} (rule {rule})"
        )
    return list(problems.values())


@cache
def dist_document() -> JSON:
    loaded: JSON = json.loads((ROOT / "dist" / "medkg.jsonld").read_text(encoding="utf-8"))
    return loaded


@cache
def generated_nodes() -> list[JSON]:
    path = FIXTURES / "jsonld_schema" / "generated-nodes.json"
    loaded: list[JSON] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def real_nodes() -> list[JSON]:
    return [*dist_document()["@graph"], *generated_nodes()]


def single(node: object) -> JSON:
    return {"@context": CONTEXT, "@graph": [node]}


@cache
def bundled_gate() -> Check:
    gate = compile_schema(bundled_schema())
    assert gate is not None
    return gate


@cache
def bundled_validator() -> Draft202012Validator:
    return Draft202012Validator(bundled_schema())


def assert_same(document: object, *, also_jsonld: bool = True) -> None:
    """Same problems as the reference (and as jsonld.schema_problems); the gate accepts
    exactly what jsonschema accepts (a document is valid when it has no problem)."""
    expected = reference_problems(document)
    assert schema_problems(document) == expected  # type: ignore[arg-type]
    if also_jsonld:
        assert jsonld.schema_problems(document) == expected  # type: ignore[arg-type]
    assert bool(bundled_gate()(document)) == (expected == [])


# --- valid documents --------------------------------------------------------------------------


def test_the_bundled_schema_gets_a_gate_and_it_accepts_dist() -> None:
    assert compile_schema(bundled_schema()) is not None
    assert bundled_gate()(dist_document())
    assert schema_problems(dist_document()) == [] == reference_problems(dist_document())


def test_every_real_node_alone_is_valid_under_both() -> None:
    for node in real_nodes():
        assert bundled_gate()(single(node)), node["id"]
        assert schema_problems(single(node)) == [] == reference_problems(single(node))


def test_the_generated_nodes_together_are_valid() -> None:
    document = {"@context": CONTEXT, "@graph": generated_nodes()}
    assert schema_problems(document) == [] == reference_problems(document)


def test_the_bundled_schema_is_the_one_jsonld_ships() -> None:
    assert bundled_schema() == jsonld.json_schema()


# --- broken documents: known breaks -------------------------------------------------------------


def _drug(document: JSON) -> JSON:
    return next(n for n in document["@graph"] if n.get("type") == "Drug")


BREAKS: dict[str, Callable[[JSON], None]] = {
    "no name": lambda drug: drug.pop("name"),
    "unknown band": lambda drug: next(
        r for r in drug["adverseReactions"] if "frequencyBand" in r
    ).update(frequencyBand="Sometimes"),
    "short HCPCS": lambda drug: drug["billingCodeDescriptions"][0]["describesCode"].update(
        notation="A123"
    ),
    "CPT with an HCPCS notation": lambda drug: drug["billingCodeDescriptions"][0][
        "describesCode"
    ].update(inScheme="CPT"),
    "unit with a space": lambda drug: drug["regimens"][0]["dose"].update(unit="milli grams"),
    "unknown route": lambda drug: drug["regimens"][0]["routes"][0].update(
        id=ID + "concept/intraosseous-route"
    ),
    "compact IRI key": lambda drug: drug.update({"medkg:unmapped": "x"}),
    "decimal as number": lambda drug: drug["regimens"][0]["dose"].update(value=210.0),
    "IRI with a space": lambda drug: drug.update(id=ID + "drug/a b"),
    "evidence without a quote": lambda drug: drug["evidence"][0].pop("quote"),
    "negative offset": lambda drug: drug["evidence"][0].update(start=-1),
    "boolean offset": lambda drug: drug["evidence"][0].update(end=True),
    "typed as evidence": lambda drug: drug.update(type="Evidence"),
    "typed as a source document": lambda drug: drug.update(type="SourceDocument"),
    # still valid: a drug object among others, and a node no rule of the schema singles out
    "type list with Drug": lambda drug: drug.update(type=["Drug", "Concept"]),
    "typed as a concept": lambda drug: drug.update(type="Concept"),
}
STILL_VALID = {"type list with Drug", "typed as a concept"}


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_a_known_break_gives_the_same_problems(name: str) -> None:
    document = copy.deepcopy(dist_document())
    BREAKS[name](_drug(document))
    problems = schema_problems(document)
    assert problems == reference_problems(document)
    assert bool(problems) == (name not in STILL_VALID)
    assert bool(bundled_gate()(document)) == (name in STILL_VALID)


def _first(document: JSON, key: str) -> JSON:
    """The first object (depth first) anywhere in the document that has `key`."""
    found = next((o for o in _objects(document) if key in o), None)
    assert found is not None, key
    return found


def test_what_a_draft_7_compiler_would_get_wrong_is_right() -> None:
    """fastjsonschema 2.22 (drafts 4-7) ignores ``dependentRequired`` and reads ``$`` as the
    very end of the string; jsonschema (and the gate) do neither."""
    document = copy.deepcopy(dist_document())
    timing = _first(document, "period")
    del timing["periodUnit"]
    assert not bundled_gate()(document)
    assert schema_problems(document) == reference_problems(document)
    assert any("'periodUnit' is a dependency of 'period'" in p for p in schema_problems(document))

    document = copy.deepcopy(dist_document())
    _drug(document)["id"] += "\n"  # `$` matches before a final newline: valid for re.search
    assert bundled_gate()(document)
    assert schema_problems(document) == [] == reference_problems(document)

    document = copy.deepcopy(dist_document())
    _first(document, "start")["start"] = 3.0  # an integer to draft 2020-12's type checker
    assert bundled_gate()(document)
    assert schema_problems(document) == [] == reference_problems(document)


def test_the_top_level_shape_gives_the_same_problems() -> None:
    documents: list[object] = [
        {},
        {"@context": CONTEXT},
        {"@context": "other.jsonld", "@graph": []},
        {"@context": CONTEXT, "@graph": [], "extra": 1},
        {"@context": CONTEXT, "@graph": [1, "x", None, [], {}]},
        [],
        "medkg",
        None,
    ]
    for document in documents:
        assert_same(document)


# --- broken documents: random mutations of real nodes ---------------------------------------------


def _locations(value: object) -> list[tuple[dict[str, Any] | list[Any], Any]]:
    """Every (container, key or index) in a JSON value, outermost first."""
    found: list[tuple[dict[str, Any] | list[Any], Any]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            found.append((value, key))
            found += _locations(item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.append((value, index))
            found += _locations(item)
    return found


def _objects(value: object) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        return [value, *(o for item in value.values() for o in _objects(item))]
    if isinstance(value, list):
        return [o for item in value for o in _objects(item)]
    return []


@cache
def _pools() -> tuple[list[str], list[str], list[JSON]]:
    """Every key, every string and every nested object of the real nodes."""
    keys: set[str] = set()
    strings: set[str] = set()
    objects = [o for node in real_nodes() for o in _objects(node)[1:]]
    for node in real_nodes():
        for container, key in _locations(node):
            if isinstance(key, str):
                keys.add(key)
            item = container[key]
            if isinstance(item, str):
                strings.add(item)
    return sorted(keys), sorted(strings), objects


JUNK_KEYS = ["medkg:x", "@id", "@Foo", "@graph", "1abc", "http://example.org/p", "", "a b", "type"]
EDGE_STRINGS = [
    "",
    " ",
    "x",
    "Drug",
    "Evidence",
    "SourceDocument",
    "IdentifierMapping",
    "Concept",
    "HCPCS",
    "CPT",
    "A1234",
    "W1234",
    "12345",
    "1234F",
    "1234X",
    "mg",
    "mg/kg",
    "m g",
    "[iU]",
    "1.5",
    ".5",
    "+1",
    "1e3",
    "-",
    f"{ID}x",
    f"{ID}x y",
    f"{ID}x\n",
    "http://example.org/x",
    "urn:x:y",
    "medkg:x",
    "ftp:",
    "0" * 64,
    "A",
    "B",
    "monograph",
    "text/plain",
    "Increase",
    "Inhibits",
]


def _strings_like(text: str) -> list[str]:
    return [
        text + " x",
        text + "\n",
        " " + text,
        text[:-1],
        text.upper(),
        text.lower(),
        text.replace("https", "http"),
        text.replace("/id/", "/ID/"),
        "medkg:" + text[-5:],
    ]


@st.composite
def replacement(draw: st.DrawFn, old: object) -> object:
    """A value to put where `old` was: another kind, a near miss, or a real object."""
    _, strings, objects = _pools()
    choices: list[st.SearchStrategy[Any]] = [
        st.none(),
        st.booleans(),
        st.integers(-2, 3),
        st.sampled_from([0.0, 1.0, -1.5, 2.5]),
        st.sampled_from(EDGE_STRINGS),
        st.sampled_from(strings),
        st.just([]),
        st.just({}),
        st.sampled_from(objects).map(copy.deepcopy),
        st.just([copy.deepcopy(old)]),
    ]
    if isinstance(old, str) and old:
        choices.append(st.sampled_from(_strings_like(old)))
    if isinstance(old, list) and old:
        choices += [st.just(copy.deepcopy(old[0])), st.just(copy.deepcopy(old * 2))]
    if isinstance(old, dict):
        choices.append(st.just({k: v for k, v in old.items() if k != "type"}))
    return draw(st.one_of(choices))


@st.composite
def mutated_document(draw: st.DrawFn) -> JSON:
    """A real node (dist or generated) with one to three random mutations."""
    keys, strings, _ = _pools()
    node = copy.deepcopy(draw(st.sampled_from(real_nodes())))
    for _ in range(draw(st.integers(1, 3))):
        locations = _locations(node)
        action = draw(st.sampled_from(["replace", "replace", "delete", "add", "retype", "blank"]))
        if action == "add":
            target = draw(st.sampled_from([node, *_objects(node)]))
            key = draw(st.sampled_from(keys) | st.sampled_from(JUNK_KEYS))
            target[key] = draw(replacement(target.get(key)))
        elif action == "retype":
            target = draw(st.sampled_from([node, *_objects(node)]))
            target["type"] = draw(
                st.sampled_from(sorted({s for s in strings if s[:1].isupper()} | {"Drug"}))
                | st.lists(st.sampled_from(["Drug", "Concept", "Evidence", "X"]), max_size=3)
            )
        elif action == "blank":  # an empty text, list or object where one was not
            filled = [(c, k) for c, k in locations if c[k] not in ("", [], {})]
            if filled:
                container, key = draw(st.sampled_from(filled))
                container[key] = (
                    type(container[key])()
                    if isinstance(container[key], str | list | dict)
                    else None
                )
        elif locations:
            container, key = draw(st.sampled_from(locations))
            if action == "delete":
                del container[key]
            else:
                container[key] = draw(replacement(container[key]))
    return single(node)


# jsonschema takes most of the time of these (it is what the gate spares the build)
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_document())
def test_a_mutated_real_node_gives_the_same_problems(document: JSON) -> None:
    assert_same(document, also_jsonld=False)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(mutated_document(), min_size=2, max_size=4))
def test_several_mutated_nodes_in_one_document_give_the_same_problems(
    documents: list[JSON],
) -> None:
    assert_same({"@context": CONTEXT, "@graph": [d["@graph"][0] for d in documents]})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_document())
def test_a_mutated_node_gives_what_jsonld_schema_problems_gives(document: JSON) -> None:
    assert schema_problems(document) == jsonld.schema_problems(document)


# --- the schema= argument: any schema, same answers ---------------------------------------------

NAMES = ["a", "b", "c"]
TYPES = ["object", "array", "string", "integer", "number", "boolean", "null"]

json_values: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.sampled_from([0.0, 1.0, -0.5, 2.5])
    | st.sampled_from(["", "a", "ab", "abc", "A1", "x y", "1", "b\n"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from([*NAMES, "d", "1"]), inner, max_size=3)
    ),
    max_leaves=8,
)

SUPPORTED_LEAVES: list[st.SearchStrategy[tuple[str, Any]]] = [
    st.tuples(
        st.just("type"), st.sampled_from(TYPES) | st.lists(st.sampled_from(TYPES), max_size=3)
    ),
    st.tuples(st.just("const"), json_values),
    st.tuples(st.just("enum"), st.lists(json_values, max_size=3)),
    st.tuples(st.just("pattern"), st.sampled_from(["^a", "b$", "^[a-z]+$", "^A[0-9]$", " ", ""])),
    st.tuples(
        st.sampled_from(["minLength", "maxLength", "minItems", "maxItems"]), st.integers(0, 3)
    ),
    st.tuples(st.sampled_from(["minimum", "maximum"]), st.integers(-2, 2) | st.just(0.5)),
    st.tuples(st.just("required"), st.lists(st.sampled_from(NAMES), max_size=3)),
    st.tuples(
        st.just("dependentRequired"),
        st.dictionaries(st.sampled_from(NAMES), st.lists(st.sampled_from(NAMES), max_size=2)),
    ),
    st.tuples(st.sampled_from(["description", "title", "$comment", "unknownWord"]), json_values),
]
REFERENCE = st.tuples(st.just("$ref"), st.just("#/$defs/leaf"))
# keywords the gate does not implement: the schema then gets no gate, and jsonschema decides
UNSUPPORTED_LEAVES: list[st.SearchStrategy[tuple[str, Any]]] = [
    st.tuples(st.just("format"), st.just("date")),
    st.tuples(st.just("uniqueItems"), st.booleans()),
    st.tuples(st.just("patternProperties"), st.just({"^d": {"type": "string"}})),
    st.tuples(st.just("minContains"), st.integers(0, 2)),
    st.tuples(st.just("$ref"), st.just("#/$defs/missing")),
    st.tuples(st.just("oneOf"), st.just([{"type": "string"}, {"minLength": 1}])),
]


def _keywords(
    children: st.SearchStrategy[Any], leaves: list[st.SearchStrategy[tuple[str, Any]]]
) -> st.SearchStrategy[Any]:
    keyword = st.one_of(
        *leaves,
        st.tuples(
            st.sampled_from(
                [
                    "items",
                    "contains",
                    "additionalProperties",
                    "propertyNames",
                    "not",
                    "if",
                    "then",
                    "else",
                ]
            ),
            children,
        ),
        st.tuples(
            st.just("properties"), st.dictionaries(st.sampled_from(NAMES), children, max_size=3)
        ),
        st.tuples(st.sampled_from(["anyOf", "allOf"]), st.lists(children, max_size=3)),
    )
    return st.booleans() | st.lists(keyword, max_size=4).map(dict)


def schemas(leaves: list[st.SearchStrategy[tuple[str, Any]]]) -> st.SearchStrategy[Any]:
    """A root schema over `leaves` and the applicators, with a ``$defs/leaf`` to refer to.
    (No ``$id``: jsonschema would try to fetch a reference resolved against it.)"""
    leaf_schema = st.recursive(
        st.booleans(), lambda children: _keywords(children, leaves), max_leaves=4
    )
    body = st.recursive(
        st.booleans(), lambda children: _keywords(children, [*leaves, REFERENCE]), max_leaves=8
    )
    return st.tuples(body, leaf_schema).map(
        lambda pair: (
            {**pair[0], "$defs": {"leaf": pair[1]}} if isinstance(pair[0], dict) else pair[0]
        )
    )


def outcome(function: Callable[[], list[str]]) -> tuple[str, object]:
    """A result or the kind of exception raised (an unresolvable $ref raises in both)."""
    try:
        return ("result", function())
    except Exception as error:  # compared, never hidden: both must raise the same kind
        return ("raised", type(error).__name__)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schemas(SUPPORTED_LEAVES), json_values)
def test_a_random_schema_gives_the_same_problems_and_the_gate_the_same_answer(
    schema: Any, instance: Any
) -> None:
    gate = compile_schema(schema)
    assert gate is not None, schema
    assert bool(gate(instance)) == Draft202012Validator(schema).is_valid(instance)
    assert schema_problems(instance, schema) == reference_problems(instance, schema)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schemas(SUPPORTED_LEAVES + UNSUPPORTED_LEAVES), json_values)
def test_a_schema_the_gate_cannot_compile_is_left_to_jsonschema(schema: Any, instance: Any) -> None:
    expected = outcome(lambda: reference_problems(instance, schema))
    assert outcome(lambda: schema_problems(instance, schema)) == expected
    gate = compile_schema(schema)
    if gate is not None and expected[0] == "result":
        assert bool(gate(instance)) == (expected[1] == [])


@pytest.mark.parametrize(
    "schema",
    [
        {"format": "date"},
        {"patternProperties": {"^a": True}, "additionalProperties": False},
        {"$ref": "https://example.org/other.json"},
        {"$ref": "#/$defs/missing"},
        {"$ref": "#/$defs/a~1b", "$defs": {"a/b": True}},
        {"$defs": {"x": {"$id": "inner", "type": "string"}}, "$ref": "#/$defs/x"},
        {"$schema": "http://json-schema.org/draft-07/schema#"},
        {"$id": "relative.json"},
        {"$id": "https://example.org/s.json#here"},
        {"$defs": {"loop": {"allOf": [{"$ref": "#/$defs/loop"}]}}, "$ref": "#/$defs/loop"},
        {"contains": True, "minContains": 2},
        {"items": True, "prefixItems": [True]},
        {"if": True, "then": None},
        {"type": "decimal"},
        {"minLength": 1.5},
        {"required": "a"},
        1,
    ],
)
def test_what_the_gate_does_not_implement_gets_no_gate(schema: Any) -> None:
    assert compile_schema(schema) is None


def test_a_reference_cycle_through_a_property_is_compiled() -> None:
    schema = {
        "$defs": {
            "tree": {
                "type": "object",
                "properties": {"kids": {"type": "array", "items": {"$ref": "#/$defs/tree"}}},
                "required": ["name"],
            }
        },
        "$ref": "#/$defs/tree",
    }
    gate = compile_schema(schema)
    assert gate is not None
    good = {"name": 1, "kids": [{"name": 2, "kids": [{"name": 3}]}]}
    bad = {"name": 1, "kids": [{"name": 2, "kids": [{"kids": []}]}]}
    assert gate(good) and not gate(bad)
    assert schema_problems(bad, schema) == reference_problems(bad, schema) != []


def test_a_custom_schema_is_used_instead_of_the_bundled_one() -> None:
    stricter = copy.deepcopy(bundled_schema())
    stricter["$defs"]["text"]["minLength"] = 10_000
    document = dist_document()
    problems = schema_problems(document, stricter)
    assert problems == reference_problems(document, stricter)
    assert problems and all("should be non-empty" not in p for p in problems)
    assert any(" is too short (rule " in p for p in problems)
    assert schema_problems(document, bundled_schema()) == []


def test_jsonschema_problems_is_the_reference_formatting() -> None:
    document = copy.deepcopy(dist_document())
    BREAKS["short HCPCS"](_drug(document))
    assert jsonschema_problems(document, bundled_validator()) == reference_problems(document)
