"""The fast path of validation accepts exactly what jsonschema accepts.

``compile_schema`` is checked against ``jsonschema.Draft202012Validator`` (the
validator ``validate_json`` used alone before) on random schemas of the subset
and on near-valid values: values built to fit the schema, then changed here and
there (a wrong type, a missing or extra key, a length or a bound off by one, 1
for True, 1.0 for 1). ``validate_json`` must raise the same message as
jsonschema's first error, and never import jsonschema for valid values of
schemas in the subset.
"""

from __future__ import annotations

import copy
import datetime
import enum
import json
import subprocess
import sys
from decimal import Decimal
from typing import Any, Literal

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import synalinks_nb as sn
from synalinks_nb.data_models import builtins
from synalinks_nb.data_models.fast_validation import compile_schema
from synalinks_nb.errors import SchemaValidationError
from tests.data_models.models import Answer, Query, Thought

NAMES = ["a", "b", "name", "n"]
TYPES = ["string", "integer", "number", "boolean", "null", "object", "array"]
DEFS = ["A", "B.1", "C-2_x"]
NUMBERS = [0, 1, -1, 2, 0.0, 1.0, -0.0, 0.5, 1.5, 2.0, -2.5, 10**20, 1e300]
scalars = st.one_of(st.none(), st.booleans(), st.sampled_from(NUMBERS), st.integers(-3, 3),
                    st.text(alphabet="ab😀é", max_size=3))
json_values = st.recursive(
    scalars,
    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.sampled_from(NAMES), kids,
                                                              max_size=3),
    max_leaves=6,
)
annotations = st.fixed_dictionaries({}, optional={
    "title": st.text(max_size=3), "description": st.text(max_size=3),
    "default": json_values, "examples": st.lists(json_values, max_size=2),
    "format": st.sampled_from(["date-time", "email", "uri", "whatever"]),
    "deprecated": st.booleans(), "readOnly": st.booleans(), "$comment": st.just("c"),
})  # fmt: skip


def jsonschema_accepts(value: Any, schema: Any) -> bool:
    return bool(jsonschema.Draft202012Validator(schema).is_valid(value))


# -- schemas of the subset ------------------------------------------------------------


@st.composite
def subschema(draw: st.DrawFn, depth: int, here: list[str], below: list[str]) -> Any:
    """A schema; ``here`` are the refs allowed on the same value (kept acyclic),
    ``below`` those allowed once the schema descends into properties or items."""
    kinds = ["bool", "type", "string", "number", "enum", "const"]
    kinds += ["ref"] * bool(here) + ["object", "array", "anyOf", "mixed"] * (depth > 0)
    kind = draw(st.sampled_from(kinds))
    if kind == "bool":
        return draw(st.booleans())
    schema: dict[str, Any] = draw(annotations)
    if kind == "type":
        schema["type"] = draw(type_keyword())
    elif kind == "string":
        schema.update(draw(string_keywords()), type="string")
    elif kind == "number":
        schema.update(draw(number_keywords()), type=draw(st.sampled_from(["integer", "number"])))
    elif kind == "enum":
        schema["enum"] = draw(st.lists(json_values, max_size=4))
    elif kind == "const":
        schema["const"] = draw(json_values)
    elif kind == "ref":
        schema["$ref"] = draw(st.sampled_from(here))
    elif kind == "anyOf":
        schema["anyOf"] = draw(st.lists(subschema(depth - 1, here, below), min_size=1, max_size=3))
    elif kind == "object":
        schema.update(draw(object_keywords(depth, below)), type="object")
    elif kind == "array":
        schema.update(draw(array_keywords(depth, below)), type="array")
    else:  # several kinds' keywords, each applying to its own kind of value only
        for part in draw(st.lists(st.sampled_from(["s", "n", "o", "a"]), unique=True)):
            schema.update(draw({"s": string_keywords(), "n": number_keywords(),
                                "o": object_keywords(depth, below),
                                "a": array_keywords(depth, below)}[part]))
        if draw(st.booleans()):
            schema["type"] = draw(type_keyword())
    return schema


def type_keyword() -> st.SearchStrategy[Any]:
    return st.sampled_from(TYPES) | st.lists(st.sampled_from(TYPES), min_size=1, max_size=3,
                                             unique=True)


def string_keywords() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional={"minLength": st.integers(0, 3),
                                               "maxLength": st.integers(0, 3)})


def number_keywords() -> st.SearchStrategy[dict[str, Any]]:
    bound = st.sampled_from([0, 1, -1, 0.5, 2.0, 1.5])
    return st.fixed_dictionaries({}, optional={
        "minimum": bound, "maximum": bound, "exclusiveMinimum": bound, "exclusiveMaximum": bound})


@st.composite
def object_keywords(draw: st.DrawFn, depth: int, refs: list[str]) -> dict[str, Any]:
    names = draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=3))
    keywords: dict[str, Any] = {
        "properties": {n: draw(subschema(depth - 1, refs, refs)) for n in names},
        "required": draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=2)),
    }
    if draw(st.booleans()):
        keywords["additionalProperties"] = draw(st.booleans() | subschema(depth - 1, refs, refs))
    return keywords


@st.composite
def array_keywords(draw: st.DrawFn, depth: int, refs: list[str]) -> dict[str, Any]:
    keywords: dict[str, Any] = draw(st.fixed_dictionaries({}, optional={
        "minItems": st.integers(0, 2), "maxItems": st.integers(0, 3)}))
    if draw(st.booleans()):
        keywords["items"] = draw(subschema(depth - 1, refs, refs))
    return keywords


@st.composite
def root_schema(draw: st.DrawFn) -> dict[str, Any]:
    """A root schema with $defs; def k refers on the same value only to later defs."""
    names = draw(st.lists(st.sampled_from(DEFS), unique=True, max_size=3))
    refs = [f"#/$defs/{n}" for n in names]
    every = ["#", *refs]
    schema = draw(subschema(2, refs, every))
    if not isinstance(schema, dict):
        schema = {"anyOf": [schema]}
    if names:
        schema["$defs"] = {n: draw(subschema(2, refs[i + 1:], every)) for i, n in enumerate(names)}
    return schema


# -- near-valid values ----------------------------------------------------------------


@st.composite
def near_valid(draw: st.DrawFn, schema: Any, root: dict[str, Any], depth: int = 4) -> Any:
    """A value shaped by ``schema``, with a chance of a mistake at every level."""
    if depth == 0 or isinstance(schema, bool) or draw(st.integers(0, 9)) == 0:
        return draw(json_values)
    if "$ref" in schema and draw(st.booleans()):
        target = root if schema["$ref"] == "#" else root["$defs"][schema["$ref"][8:]]
        return draw(near_valid(target, root, depth - 1))
    if schema.get("enum") and draw(st.booleans()):
        return _twin(draw(st.sampled_from(schema["enum"])), draw)
    if "const" in schema and draw(st.booleans()):
        return _twin(schema["const"], draw)
    if "anyOf" in schema and draw(st.booleans()):
        return draw(near_valid(draw(st.sampled_from(schema["anyOf"])), root, depth - 1))
    declared = schema.get("type", TYPES)
    kind = draw(st.sampled_from([declared] if isinstance(declared, str) else declared))
    if kind == "object":
        return draw(_object_value(schema, root, depth))
    if kind == "array":
        size = _near_bound(draw, schema.get("minItems", 0), schema.get("maxItems", 3))
        items = schema.get("items", True)
        return [draw(near_valid(items, root, depth - 1)) for _ in range(min(size, 4))]
    if kind == "string":
        size = _near_bound(draw, schema.get("minLength", 0), schema.get("maxLength", 3))
        return "".join(draw(st.sampled_from("a😀é")) for _ in range(size))
    if kind in ("integer", "number"):
        bounds = [schema[k] for k in ("minimum", "maximum", "exclusiveMinimum",
                                      "exclusiveMaximum") if k in schema]
        base = draw(st.sampled_from(bounds or [0, 1]))
        return _twin(draw(st.sampled_from([base, base + 1, base - 1, base + 0.5, float(base)])),
                     draw)
    return draw(st.sampled_from([None, True, False, 0, 1]))


@st.composite
def _object_value(draw: st.DrawFn, schema: dict[str, Any], root: dict[str, Any],
                  depth: int) -> dict[str, Any]:
    props = schema.get("properties", {})
    value = {}
    for name in sorted(set(props) | set(schema.get("required", []))):
        if draw(st.integers(0, 5)):  # mostly present: a missing required key is a mistake
            value[name] = draw(near_valid(props.get(name, True), root, depth - 1))
    if draw(st.integers(0, 3)) == 0:
        extra = schema.get("additionalProperties", True)
        value[draw(st.sampled_from(["x", *NAMES]))] = draw(near_valid(extra, root, depth - 1))
    return value


def _near_bound(draw: st.DrawFn, low: int, high: int) -> int:
    return max(0, draw(st.sampled_from([low, high, low - 1, high + 1, (low + high) // 2])))


def _twin(value: Any, draw: st.DrawFn) -> Any:
    """The value, or one JSON Schema may or may not call equal: 1 ↔ 1.0 ↔ True."""
    twins = {True: [True, 1, 1.0], False: [False, 0, 0.0]}
    if isinstance(value, bool):
        return draw(st.sampled_from(twins[value]))
    if isinstance(value, int | float) and float(value).is_integer() and abs(value) < 1e15:
        return draw(st.sampled_from([value, int(value), float(value), bool(value)]))
    return value


# -- properties -----------------------------------------------------------------------


def reference_error(value: Any, schema: dict[str, Any], what: str) -> str | None:
    """The message validate_json gave before the fast path (jsonschema's first error)."""
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(value),
                    key=lambda e: (len(e.path), str(e.path)))
    if not errors:
        return None
    first = errors[0]
    return (f"Expected the field {first.json_path} of {what} to match its schema. "
            f"Received: {first.message}")


@st.composite
def schema_and_values(draw: st.DrawFn) -> tuple[dict[str, Any], list[Any]]:
    schema = draw(root_schema())
    return schema, [draw(near_valid(schema, schema)) for _ in range(4)]


@settings(max_examples=400, deadline=None)
@given(schema_and_values())
def test_fast_path_accepts_exactly_what_jsonschema_accepts(
        case: tuple[dict[str, Any], list[Any]]) -> None:
    schema, values = case
    check = compile_schema(schema)
    assert check is not None, json.dumps(schema)
    jsonschema.Draft202012Validator.check_schema(schema)  # what skipping it relies on
    for value in values:
        assert check(value) == jsonschema_accepts(value, schema), (schema, value)


@settings(max_examples=150, deadline=None)
@given(schema_and_values())
def test_validate_json_raises_jsonschemas_first_error(
        case: tuple[dict[str, Any], list[Any]]) -> None:
    schema, values = case
    for value in values:
        expected = reference_error(value, schema, "the answer")
        if expected is None:
            sn.data_models.validate_json(value, schema, what="the answer")
        else:
            with pytest.raises(SchemaValidationError) as caught:
                sn.data_models.validate_json(value, schema, what="the answer")
            assert str(caught.value) == expected


JUNK: list[tuple[str, Any]] = [
    ("type", "strnig"), ("type", []), ("type", ["string", "string"]), ("type", 3),
    ("required", ["a", "a"]), ("required", "a"), ("required", [1]), ("properties", []),
    ("properties", {"a": 3}), ("additionalProperties", "no"), ("items", 3), ("items", []),
    ("minLength", -1), ("minLength", 1.5), ("minLength", True), ("maxItems", "2"),
    ("minimum", "0"), ("maximum", True), ("maximum", None), ("enum", "a"), ("anyOf", []),
    ("anyOf", {}), ("$ref", "#/$defs/Missing"), ("$ref", "#/definitions/A"),
    ("$ref", 3), ("title", 3), ("description", None), ("examples", {}), ("format", 1),
    ("deprecated", 1), ("$defs", {"A": 3}), ("pattern", "^a"), ("oneOf", [True]),
    ("uniqueItems", True), ("prefixItems", [True]), ("foo", 1), ("minLength", 2.0),
]  # fmt: skip


def _nodes(schema: Any) -> list[dict[str, Any]]:
    """Every schema dict inside ``schema``, in a fixed order."""
    if not isinstance(schema, dict):
        return []
    found = [schema]
    children = [*schema.get("properties", {}).values(), *schema.get("$defs", {}).values(),
                *schema.get("anyOf", []), schema.get("items"), schema.get("additionalProperties")]
    for child in children:
        found += _nodes(child)
    return found


@settings(max_examples=300, deadline=None)
@given(root_schema(), st.data())
def test_compiles_only_schemas_check_schema_accepts(schema: dict[str, Any],
                                                     data: st.DataObject) -> None:
    broken = copy.deepcopy(schema)
    node = data.draw(st.sampled_from(_nodes(broken)))
    name, junk = data.draw(st.sampled_from(JUNK))
    node[name] = junk
    check = compile_schema(broken)
    try:
        jsonschema.Draft202012Validator.check_schema(broken)
    except jsonschema.SchemaError:
        assert check is None, (name, junk)
        with pytest.raises(SchemaValidationError, match="Expected a valid JSON schema"):
            sn.data_models.validate_json({}, broken)
        return
    if check is not None:
        value = data.draw(near_valid(broken, broken))
        assert check(value) == jsonschema_accepts(value, broken)


# -- the cases worth naming -----------------------------------------------------------


@pytest.mark.parametrize(("schema", "value", "valid"), [
    ({"type": "integer"}, True, False),
    ({"type": "number"}, False, False),
    ({"type": "integer"}, 1.0, True),
    ({"type": "integer"}, 1.5, False),
    ({"type": "integer"}, float("inf"), False),
    ({"type": "boolean"}, 1, False),
    ({"enum": [1]}, True, False),
    ({"enum": [True]}, 1, False),
    ({"enum": [1]}, 1.0, True),
    ({"const": [1, {"a": 2.0}]}, [1.0, {"a": 2}], True),
    ({"const": {"a": 1}}, {"a": 1, "b": 2}, False),
    ({"const": 0}, False, False),
    ({"const": None}, 0, False),
    ({"enum": ["a", 1]}, "1", False),
    ({"enum": []}, None, False),
    ({"type": "string", "maxLength": 2}, "😀😀", True),
    ({"type": "string", "minLength": 3}, "😀😀", False),
    ({"minimum": 0}, "not a number", True),
    ({"minimum": 0}, True, True),
    ({"minimum": 0}, -1, False),
    ({"exclusiveMaximum": 1}, 1.0, False),
    ({"required": ["a"]}, [], True),
    ({"properties": {"a": {"type": "string"}}}, {"a": 1}, False),
    ({"type": "object", "additionalProperties": False}, {"a": 1}, False),
    ({"type": "object", "properties": {"a": True}, "additionalProperties": False},
     {"a": 1}, True),
    ({"additionalProperties": {"type": "integer"}, "properties": {"s": {"type": "string"}}},
     {"s": "x", "n": 1}, True),
    ({"additionalProperties": {"type": "integer"}}, {"n": "x"}, False),
    ({"type": "array", "items": False}, [], True),
    ({"type": "array", "items": False}, [1], False),
    ({"type": "array"}, (1, 2), False),
    ({"anyOf": [{"type": "string"}, {"type": "null"}]}, None, True),
    ({"anyOf": [{"type": "string"}, {"type": "null"}]}, 0, False),
    ({"type": ["string", "integer"], "minLength": 2, "minimum": 5}, 7, True),
    ({"type": ["string", "integer"], "minLength": 2, "minimum": 5}, "a", False),
    ({"type": "number", "format": "email"}, 3, True),
])  # fmt: skip
def test_tricky_cases_agree_with_jsonschema(schema: dict[str, Any], value: Any,
                                            valid: bool) -> None:
    check = compile_schema(schema)
    assert check is not None
    assert jsonschema_accepts(value, schema) is valid
    assert check(value) is valid


TREE = {
    "$defs": {"Node": {"type": "object", "properties": {
        "value": {"type": "integer"},
        "children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}},
        "required": ["value"], "additionalProperties": False}},
    "$ref": "#/$defs/Node",
}  # fmt: skip


def test_recursive_refs() -> None:
    check = compile_schema(TREE)
    assert check is not None
    deep: dict[str, Any] = {"value": 0}
    for i in range(50):
        deep = {"value": i, "children": [deep, {"value": 1.0}]}
    assert check(deep)
    deep["children"][0]["children"][1]["value"] = "3"
    assert not check(deep)
    assert not jsonschema_accepts(deep, TREE)


@pytest.mark.parametrize("schema", [
    {"type": "string", "pattern": "^a"},
    {"oneOf": [{"type": "string"}]},
    {"allOf": [{"type": "string"}]},
    {"type": "array", "prefixItems": [{"type": "string"}]},
    {"type": "array", "uniqueItems": True},
    {"patternProperties": {"^a": {"type": "string"}}},
    {"if": {"type": "string"}, "then": {"minLength": 1}},
    {"dependentRequired": {"a": ["b"]}},
    {"type": "number", "multipleOf": 2},
    {"properties": {"a": {"not": {"type": "null"}}}},
    {"$schema": "https://json-schema.org/draft/2020-12/schema"},
    {"$defs": {"A": {"$ref": "#/$defs/B"}, "B": {"anyOf": [{"$ref": "#/$defs/A"}]}},
     "$ref": "#/$defs/A"},
    {"properties": {"a": {"$defs": {}}}},
    # jsonschema unescapes these and finds nothing; the last is not even a URI reference
    {"$ref": "#/$defs/A%20B", "$defs": {"A%20B": {}}},
    {"$ref": "#/$defs/a~1b", "$defs": {"a~1b": {}}},
    {"$ref": "#/$defs/A B", "$defs": {"A B": {}}},
])  # fmt: skip
def test_other_schemas_are_left_to_jsonschema(schema: dict[str, Any]) -> None:
    assert compile_schema(schema) is None


def test_fallback_schemas_still_validate() -> None:
    schema = {"type": "object", "properties": {"code": {"type": "string", "pattern": "^[A-Z]+$"}}}
    sn.data_models.validate_json({"code": "ABC"}, schema)
    with pytest.raises(SchemaValidationError) as caught:
        sn.data_models.validate_json({"code": "abc"}, schema, what="the answer")
    assert str(caught.value) == ("Expected the field $.code of the answer to match its schema. "
                                 "Received: 'abc' does not match '^[A-Z]+$'")
    assert caught.value.path == "$.code"


def test_values_json_has_no_type_for_are_left_to_jsonschema() -> None:
    schema = {"type": "object", "properties": {"x": {"type": "number", "minimum": 0}}}
    check = compile_schema(schema)
    assert check is not None
    assert not check({"x": Decimal("1.5")})  # not proven...
    sn.data_models.validate_json({"x": Decimal("1.5")}, schema)  # ...and jsonschema accepts
    with pytest.raises(SchemaValidationError, match="less than the minimum"):
        sn.data_models.validate_json({"x": Decimal("-1")}, schema)


def test_error_message_and_path_are_unchanged() -> None:
    schema = {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}
    with pytest.raises(SchemaValidationError) as caught:
        sn.data_models.validate_json({"n": True}, schema, what="variable 'x'")
    assert str(caught.value) == ("Expected the field $.n of variable 'x' to match its schema. "
                                 "Received: True is not of type 'integer'")
    assert caught.value.path == "$.n"
    with pytest.raises(SchemaValidationError) as caught:
        sn.data_models.validate_json({"children": [{}]}, TREE)
    assert caught.value.path == "$"  # 'value' is missing at the top and in the child
    assert caught.value.errors == ["$: 'value' is a required property",
                                   "$.children[0]: 'value' is a required property"]


def test_invalid_schema_is_rejected_with_jsonschemas_message() -> None:
    with pytest.raises(SchemaValidationError) as caught:
        sn.data_models.validate_json("x", {"type": "strnig"}, what="the answer")
    with pytest.raises(jsonschema.SchemaError) as original:
        jsonschema.Draft202012Validator.check_schema({"type": "strnig"})
    expected = str(original.value)
    assert str(caught.value) == ("Expected a valid JSON schema for the answer. "
                                 f"Received an invalid schema: {expected}")


def test_first_valid_answer_does_not_import_jsonschema() -> None:
    code = """if True:
        import sys
        import synalinks_nb as sn
        class Answer(sn.DataModel):
            answer: str
        sn.data_models.validate_json({"answer": "Paris"}, Answer.get_schema())
        sn.data_models.validate_json(sn.Instructions().get_json(), sn.Instructions.get_schema())
        print("jsonschema" in sys.modules)
        try:
            sn.data_models.validate_json({"answer": 1}, Answer.get_schema())
        except sn.errors.SchemaValidationError as exc:
            print("jsonschema" in sys.modules, exc.path)
    """
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.split() == ["False", "True", "$.answer"]


# -- pydantic's schemas: the ones the package really meets ----------------------------


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"


class Node(sn.DataModel):
    value: int
    children: list[Node] = sn.Field(default_factory=list)


class Everything(sn.DataModel):
    label: Literal["a", "b"]
    one: Literal[1]
    maybe: str | None = None
    count: int = sn.Field(ge=0, le=10)
    ratio: float = sn.Field(gt=0, lt=1)
    tags: list[str] = sn.Field(min_length=1, max_length=3)
    name: str = sn.Field(min_length=1, max_length=5, description="A name")
    color: Color
    extra: dict[str, int]
    when: datetime.datetime
    flag: bool
    child: Node | None = None
    nums: list[int | float] = sn.Field(default_factory=list)
    confidence: sn.Score = sn.Score.MEDIUM
    stars: sn.Rating = sn.Rating.THREE


GOOD = {"label": "a", "one": 1, "count": 3, "ratio": 0.5, "tags": ["t"], "name": "ab",
        "color": "red", "extra": {"k": 1}, "when": "2024-01-01T00:00:00", "flag": True,
        "child": {"value": 1, "children": [{"value": 2}]}, "nums": [1, 2.5]}
MODELS = [Query, Answer, Thought, Node, Everything, builtins.Example, builtins.Instructions,
          builtins.Prediction, builtins.ChatMessage, builtins.ChatMessages]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_data_model_schemas_take_the_fast_path(model: type[sn.DataModel]) -> None:
    assert compile_schema(model.get_schema()) is not None


@pytest.mark.parametrize(("change", "valid"), [
    ({}, True), ({"one": 1.0}, True), ({"one": True}, False), ({"label": "c"}, False),
    ({"count": 11}, False), ({"count": 10.0}, True), ({"ratio": 1}, False),
    ({"tags": []}, False), ({"name": "😀" * 5}, True), ({"name": "😀" * 6}, False),
    ({"color": "blue"}, False), ({"extra": {"k": "1"}}, False), ({"when": "not a date"}, True),
    ({"flag": 1}, False), ({"child": None}, True), ({"child": {"value": 1, "x": 2}}, False),
    ({"child": {"value": 1, "children": [{"value": "2"}]}}, False), ({"nums": [True]}, False),
    ({"maybe": None}, True), ({"surplus": 1}, False), ({"confidence": 0.9}, True),
    ({"confidence": 0.95}, False), ({"stars": 5}, True), ({"stars": 0}, False),
])  # fmt: skip
def test_pydantic_schema_agrees_with_jsonschema(change: dict[str, Any], valid: bool) -> None:
    schema = Everything.get_schema()
    value = {**GOOD, **change}
    check = compile_schema(schema)
    assert check is not None
    assert jsonschema_accepts(value, schema) is valid
    assert check(value) is valid
