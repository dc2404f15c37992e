"""The JSON Schema check of ``medkg.jsonld``, fast for valid documents.

`schema_problems` gives exactly what the plain jsonschema check gives (each
violation as "<JSON path>: <message> (rule <schema path>)", once), in two steps:

1. **A compiled yes/no gate.** `compile_schema` folds the schema into nested
   Python closures that only answer "valid?". ``allOf`` and ``$ref`` are
   inlined where they stand, so a node object is checked in one pass over its
   keys instead of one jsonschema ``descend`` per keyword and route. Every
   keyword is given jsonschema's own meaning (``Draft202012Validator`` with no
   format checker): its type checks, its ``equal`` for ``const``/``enum``,
   ``re.search`` for ``pattern``.
2. **jsonschema for the messages.** Only when the gate says "invalid" (or
   cannot be built, or fails) does jsonschema run, so messages, paths, order
   and deduplication are the ones it has always given.

The gate is built only for the keywords it implements; a schema using any
other assertion keyword, a remote or anchor ``$ref``, an embedded ``$id`` or
``$schema``, or a ``$ref`` cycle that never descends into the instance gets no
gate, and jsonschema alone decides (correct, just not faster).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from numbers import Number
from typing import Any, Final

from jsonschema import Draft202012Validator

JsonObject = dict[str, Any]
Check = Callable[[Any], object]
"""A compiled schema: a truthy result means the instance is valid."""

SCHEMA_FILE: Final = "medkg.schema.json"
DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"

# Keywords that never assert anything themselves: jsonschema ignores every key it has no
# validator for. Of those, these change what other keywords mean, so the gate refuses them
# (``$id`` and ``$schema`` are allowed at the root only).
_CHANGES_MEANING: Final = frozenset(
    {
        "$id",
        "$schema",
        "$anchor",
        "$dynamicAnchor",
        "$recursiveAnchor",
        "$recursiveRef",
        "$vocabulary",
        "minContains",
        "maxContains",
        "prefixItems",
        "patternProperties",
    }
)
_ASSERTIONS: Final = frozenset(Draft202012Validator.VALIDATORS)


class Unsupported(Exception):
    """The schema uses something the gate does not implement; jsonschema alone must decide."""


# --- jsonschema's notion of types and equality ------------------------------------------------

# The JSON Schema type names each kind of value satisfies, as jsonschema's draft 2020-12 type
# checker decides: an integer is an int that is not a bool, or a float with no fraction (1.0);
# a number is any numbers.Number that is not a bool.
_KINDS: Final[dict[str, frozenset[str]]] = {
    "object": frozenset({"object"}),
    "array": frozenset({"array"}),
    "string": frozenset({"string"}),
    "boolean": frozenset({"boolean"}),
    "integer": frozenset({"integer", "number"}),
    "number": frozenset({"number"}),
    "null": frozenset({"null"}),
    "other": frozenset(),
}
# Python types whose kind does not depend on the value (a float's does: 1.0 is an integer).
_KIND_OF_TYPE: Final[dict[type, str]] = {
    dict: "object",
    list: "array",
    str: "string",
    bool: "boolean",
    int: "integer",
    type(None): "null",
}


def kind(value: object) -> str:
    """The row of `_KINDS` a value belongs to (a subclass as jsonschema's isinstance sees it)."""
    exact = _KIND_OF_TYPE.get(type(value))
    if exact is not None:
        return exact
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    for python_type, name in _KIND_OF_TYPE.items():
        if isinstance(value, python_type):
            return name
    return "number" if isinstance(value, Number) else "other"


def equal(one: object, two: object) -> bool:
    """jsonschema's ``equal``: ``==``, except that booleans are not numbers, recursively."""
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return one == two
    if isinstance(one, Sequence) and isinstance(two, Sequence):
        return len(one) == len(two) and all(equal(a, b) for a, b in zip(one, two, strict=True))
    if isinstance(one, Mapping) and isinstance(two, Mapping):
        return len(one) == len(two) and all(k in two and equal(v, two[k]) for k, v in one.items())
    if isinstance(one, bool) or isinstance(two, bool):
        return False  # `one is two` already held for two equal booleans
    return bool(one == two)


# --- folding a schema into one conjunction of assertions ----------------------------------------

Schema = JsonObject | bool


@dataclass
class Shape:
    """Everything one schema asserts, with its ``allOf`` and ``$ref`` folded in: the instance is
    valid when every assertion holds. Subschemas that apply to parts of the instance (property
    values, items, ...) stay schemas; `Compiler` compiles them when it builds the check."""

    never: bool = False
    types: list[frozenset[str]] = field(default_factory=list)
    consts: list[object] = field(default_factory=list)
    enums: list[list[object]] = field(default_factory=list)
    patterns: list[re.Pattern[str]] = field(default_factory=list)
    min_length: list[int] = field(default_factory=list)
    max_length: list[int] = field(default_factory=list)
    minimum: list[int | float] = field(default_factory=list)
    maximum: list[int | float] = field(default_factory=list)
    min_items: list[int] = field(default_factory=list)
    max_items: list[int] = field(default_factory=list)
    items: list[Schema] = field(default_factory=list)
    contains: list[Schema] = field(default_factory=list)
    required: list[str] = field(default_factory=list)
    properties: dict[str, list[Schema]] = field(default_factory=dict)
    property_names: list[Schema] = field(default_factory=list)
    # additionalProperties: the sibling `properties` keys, and the schema every other key obeys
    additional: list[tuple[frozenset[str], Schema]] = field(default_factory=list)
    dependent_required: list[tuple[str, list[str]]] = field(default_factory=list)
    any_of: list[list[Schema]] = field(default_factory=list)
    not_: list[Schema] = field(default_factory=list)
    conditions: list[tuple[Schema, Schema | None, Schema | None]] = field(default_factory=list)


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_bound(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _strings(value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Unsupported(f"expected a list of strings, got {value!r}")
    return value


def _schema(value: object) -> Schema:
    if isinstance(value, bool | dict):
        return value
    raise Unsupported(f"not a schema: {value!r}")


def _schemas(value: object) -> list[Schema]:
    if not isinstance(value, list):
        raise Unsupported(f"expected a list of schemas, got {value!r}")
    return [_schema(v) for v in value]


class Compiler:
    """Compiles one root schema (and the ``#/...`` references inside it) into `Check`s."""

    def __init__(self, root: object) -> None:
        self.root = _schema(root)
        if isinstance(self.root, dict):
            if self.root.get("$schema", DIALECT) != DIALECT:
                raise Unsupported("only draft 2020-12 schemas")
            base = self.root.get("$id", "")
            if not isinstance(base, str) or not re.fullmatch(
                r"([A-Za-z][A-Za-z0-9+.-]*:[^#]*)?", base
            ):
                raise Unsupported(f"root $id {base!r}: only an absolute IRI with no fragment")
        self.checks: dict[tuple[int, ...], Check] = {}
        self.pending: set[tuple[int, ...]] = set()
        self.memories: list[set[str]] = []

    # -- folding --

    def resolve(self, ref: object) -> Schema:
        """The subschema a local JSON Pointer reference (``#`` or ``#/a/b``) names."""
        if not isinstance(ref, str) or not (ref == "#" or ref.startswith("#/")):
            raise Unsupported(f"only local JSON Pointer references: {ref!r}")
        if "%" in ref or "~" in ref:
            raise Unsupported(f"escaped reference: {ref!r}")
        target: object = self.root
        for segment in ref[2:].split("/") if ref != "#" else []:
            if isinstance(target, dict) and segment in target:
                target = target[segment]
            elif isinstance(target, list) and re.fullmatch(r"0|[1-9][0-9]*", segment):
                if int(segment) >= len(target):
                    raise Unsupported(f"unresolvable reference: {ref!r}")
                target = target[int(segment)]
            else:
                raise Unsupported(f"unresolvable reference: {ref!r}")
            if isinstance(target, dict) and "$id" in target:
                raise Unsupported(f"reference through an embedded $id: {ref!r}")
        return _schema(target)

    def fold(self, schema: Schema, shape: Shape, inlining: tuple[int, ...] = ()) -> None:
        """Add what `schema` asserts to `shape` (``allOf`` and ``$ref`` targets inlined)."""
        if schema is True:
            return
        if schema is False:
            shape.never = True
            return
        assert isinstance(schema, dict)
        if id(schema) in inlining:
            raise Unsupported("a $ref/allOf cycle that never descends into the instance")
        inlining += (id(schema),)
        for key, value in schema.items():
            if key in _CHANGES_MEANING:
                if schema is self.root and key in ("$id", "$schema"):
                    continue
                raise Unsupported(f"keyword {key}")
            if key in _ASSERTIONS:
                self._fold_keyword(schema, key, value, shape, inlining)

    def _fold_keyword(
        self, schema: JsonObject, key: str, value: Any, shape: Shape, inlining: tuple[int, ...]
    ) -> None:
        if key == "$ref":
            self.fold(self.resolve(value), shape, inlining)
        elif key == "allOf":
            for each in _schemas(value):
                self.fold(each, shape, inlining)
        elif key == "anyOf":
            shape.any_of.append(_schemas(value))
        elif key == "not":
            shape.not_.append(_schema(value))
        elif key == "if":
            shape.conditions.append(
                (
                    _schema(value),
                    _schema(schema["then"]) if "then" in schema else None,
                    _schema(schema["else"]) if "else" in schema else None,
                )
            )
        elif key == "type":
            names = [value] if isinstance(value, str) else _strings(value)
            if not set(names) <= set(_KINDS) - {"other"}:
                raise Unsupported(f"unknown type {value!r}")
            shape.types.append(frozenset(names))
        elif key == "const":
            shape.consts.append(value)
        elif key == "enum":
            if not isinstance(value, list):
                raise Unsupported("enum is not a list")
            shape.enums.append(value)
        elif key == "pattern":
            if not isinstance(value, str):
                raise Unsupported("pattern is not a string")
            try:
                shape.patterns.append(re.compile(value))
            except re.error as error:
                raise Unsupported(f"pattern {value!r}: {error}") from error
        elif key in ("minLength", "maxLength", "minItems", "maxItems") and _is_count(value):
            {
                "minLength": shape.min_length,
                "maxLength": shape.max_length,
                "minItems": shape.min_items,
                "maxItems": shape.max_items,
            }[key].append(value)
        elif key in ("minimum", "maximum") and _is_bound(value):
            (shape.minimum if key == "minimum" else shape.maximum).append(value)
        elif key == "items":
            shape.items.append(_schema(value))
        elif key == "contains":
            shape.contains.append(_schema(value))
        elif key == "required":
            shape.required += _strings(value)
        elif key == "properties" and isinstance(value, dict):
            for name, subschema in value.items():
                shape.properties.setdefault(name, []).append(_schema(subschema))
        elif key == "additionalProperties":
            siblings = schema.get("properties", {})
            if not isinstance(siblings, dict):
                raise Unsupported("properties is not an object")
            shape.additional.append((frozenset(siblings), _schema(value)))
        elif key == "propertyNames":
            shape.property_names.append(_schema(value))
        elif key == "dependentRequired" and isinstance(value, dict):
            shape.dependent_required += [(k, _strings(v)) for k, v in value.items()]
        else:
            raise Unsupported(f"keyword {key}: {value!r}")

    # -- building checks --

    def check(self, schemas: Sequence[Schema]) -> Check:
        """One check for the conjunction of `schemas` (memoised; recursion through a property
        or item, like a regimen's premedications, goes through a forwarding call)."""
        distinct = {id(s): s for s in schemas}
        key = tuple(distinct)
        known = self.checks.get(key)
        if known is not None:
            return known
        if key in self.pending:
            return lambda value: self.checks[key](value)
        self.pending.add(key)
        shape = Shape()
        for schema in distinct.values():
            self.fold(schema, shape)
        built = self.build(shape)
        self.pending.discard(key)
        self.checks[key] = built
        return built

    def build(self, shape: Shape) -> Check:
        """The check of one folded shape: per kind of value, the tests that apply to it."""
        if shape.never:
            return _never
        general = self._general_tests(shape)
        per_kind: dict[str, tuple[Check, ...] | None] = {}
        for name, satisfies in _KINDS.items():
            if not all(satisfies & allowed for allowed in shape.types):
                per_kind[name] = None
                continue
            per_kind[name] = (*self._kind_tests(name, shape), *general)
        if [k for k, v in per_kind.items() if v is not None] == ["string"]:
            return self.remembered(_dispatch(per_kind))
        return _dispatch(per_kind)

    def remembered(self, check: Check) -> Check:
        """`check`, remembering the strings it accepted until the end of the current `gate`
        call: a check of a ``str`` depends on the string alone, and keys, types and IRIs repeat
        in every node of a document."""
        accepted: set[str] = set()
        self.memories.append(accepted)

        def remembering(value: object) -> object:
            if type(value) is str and value in accepted:
                return True
            valid = check(value)
            if valid and type(value) is str:
                accepted.add(value)
            return valid

        return remembering

    def gate(self) -> Check:
        """The check of the root schema, forgetting every remembered string after each call."""
        root, memories = self.check([self.root]), self.memories

        def gate(document: object) -> object:
            try:
                return root(document)
            finally:
                for accepted in memories:
                    accepted.clear()

        return gate

    def _kind_tests(self, name: str, shape: Shape) -> list[Check]:
        """The tests of the keywords that apply only to one kind of value (`properties` only to
        objects, `pattern` only to strings, ...)."""
        if name == "object":
            return self._object_tests(shape)
        if name == "array":
            return self._array_tests(shape)
        if name == "string":
            return self._string_tests(shape)
        if name in ("integer", "number"):
            return self._number_tests(shape)
        return []

    def _general_tests(self, shape: Shape) -> list[Check]:
        tests: list[Check] = [_const_test(c) for c in shape.consts]
        tests += [_enum_test(e) for e in shape.enums]
        for alternatives in shape.any_of:
            tests.append(_any_test([self.check([a]) for a in alternatives]))
        for negated in shape.not_:
            tests.append(_not_test(self.check([negated])))
        for condition, then, otherwise in shape.conditions:
            tests.append(
                _condition_test(
                    self.check([condition]),
                    None if then is None else self.check([then]),
                    None if otherwise is None else self.check([otherwise]),
                )
            )
        return tests

    def _object_tests(self, shape: Shape) -> list[Check]:
        if not (
            shape.required
            or shape.properties
            or shape.property_names
            or shape.additional
            or shape.dependent_required
        ):
            return []
        required = tuple(dict.fromkeys(shape.required))
        properties = {name: self.check(s) for name, s in shape.properties.items()}
        names = self.remembered(self.check(shape.property_names)) if shape.property_names else None
        additional = [(known, self.check([s])) for known, s in shape.additional]
        dependent = tuple(shape.dependent_required)

        def object_test(value: dict[Any, Any]) -> bool:
            for name in required:
                if name not in value:
                    return False
            for name, item in value.items():
                test = properties.get(name)
                if test is not None and not test(item):
                    return False
                if names is not None and not names(name):
                    return False
                for known, extra in additional:
                    if name not in known and not extra(item):
                        return False
            return all(all(d in value for d in deps) for name, deps in dependent if name in value)

        return [object_test]

    def _array_tests(self, shape: Shape) -> list[Check]:
        tests: list[Check] = []
        if shape.min_items:
            fewest = max(shape.min_items)
            tests.append(lambda value: len(value) >= fewest)
        if shape.max_items:
            most = min(shape.max_items)
            tests.append(lambda value: len(value) <= most)
        if shape.items:
            item = self.check(shape.items)
            tests.append(lambda value: all(item(v) for v in value))
        tests += [_contains_test(self.check([contained])) for contained in shape.contains]
        return tests

    def _string_tests(self, shape: Shape) -> list[Check]:
        tests: list[Check] = [pattern.search for pattern in shape.patterns]
        if shape.min_length:
            shortest = max(shape.min_length)
            tests.append(lambda value: len(value) >= shortest)
        if shape.max_length:
            longest = min(shape.max_length)
            tests.append(lambda value: len(value) <= longest)
        return tests

    def _number_tests(self, shape: Shape) -> list[Check]:
        # kept as lists, compared one by one: exactly jsonschema's `instance < minimum`
        lows, highs = tuple(shape.minimum), tuple(shape.maximum)
        tests: list[Check] = []
        if lows:
            tests.append(lambda value: not any(value < low for low in lows))
        if highs:
            tests.append(lambda value: not any(value > high for high in highs))
        return tests


def _never(value: object) -> bool:
    return False


def _dispatch(per_kind: dict[str, tuple[Check, ...] | None]) -> Check:
    by_type = {python_type: per_kind[name] for python_type, name in _KIND_OF_TYPE.items()}
    if all(tests == () for tests in per_kind.values()):
        return lambda value: True

    def check(value: object) -> bool:
        try:
            tests = by_type[type(value)]
        except KeyError:
            tests = per_kind[kind(value)]
        if tests is None:
            return False
        for test in tests:  # noqa: SIM110 (a loop: faster than all() over a generator)
            if not test(value):
                return False
        return True

    return check


def _const_test(expected: object) -> Check:
    if type(expected) is str:
        return lambda value: value == expected if type(value) is str else equal(value, expected)
    return lambda value: equal(value, expected)


def _enum_test(choices: list[object]) -> Check:
    if all(type(c) is str for c in choices):
        strings = frozenset(choices)
        return lambda value: (
            value in strings if type(value) is str else any(equal(c, value) for c in choices)
        )
    return lambda value: any(equal(c, value) for c in choices)


def _contains_test(contained: Check) -> Check:
    return lambda value: any(contained(v) for v in value)


def _any_test(alternatives: list[Check]) -> Check:
    return lambda value: any(test(value) for test in alternatives)


def _not_test(negated: Check) -> Check:
    return lambda value: not negated(value)


def _condition_test(condition: Check, then: Check | None, otherwise: Check | None) -> Check:
    def test(value: object) -> object:
        branch = then if condition(value) else otherwise
        return branch is None or branch(value)

    return test


def compile_schema(schema: object) -> Check | None:
    """The yes/no check of `schema`, or None when the gate does not implement what it uses."""
    try:
        return Compiler(schema).gate()
    except Exception:  # Unsupported, or anything else: no gate is always a correct answer
        return None


# --- the public check ----------------------------------------------------------------------------


def bundled_schema() -> JsonObject:
    """``medkg.schema.json`` as shipped in ``medkg.export``."""
    loaded: JsonObject = json.loads(
        resources.files("medkg.export").joinpath(SCHEMA_FILE).read_bytes()
    )
    return loaded


@lru_cache(maxsize=1)
def _bundled() -> tuple[Draft202012Validator, Check | None]:
    """The bundled schema's jsonschema validator and gate, built once per process."""
    schema = bundled_schema()
    return Draft202012Validator(schema), compile_schema(schema)


def jsonschema_problems(document: object, validator: Draft202012Validator) -> list[str]:
    """Each violation as "<JSON path>: <message> (rule <schema path>)", as jsonschema reports
    it; a value that breaks the same rule through two routes of the schema is reported once."""
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


def schema_problems(document: JsonObject, schema: JsonObject | None = None) -> list[str]:
    """The violations of `schema` (default: ``medkg.schema.json``) by `document`, formatted as
    `jsonschema_problems` formats them; ``[]`` at once when the compiled gate accepts it."""
    if schema is None:
        validator, gate = _bundled()
    else:
        validator, gate = Draft202012Validator(schema), compile_schema(schema)
    if gate is not None:
        try:
            if gate(document):
                return []
        except Exception:  # whatever broke the gate, jsonschema decides (and raises as before)
            pass
    return jsonschema_problems(document, validator)
