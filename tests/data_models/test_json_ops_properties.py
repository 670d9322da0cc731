"""Property tests: every op's JSON result validates against the same op's schema.

Random flat schemas draw their keys from a small pool full of collisions
(``answer``, ``answer_1``, ``answers``...), so suffixing, families and masks are
exercised on every run. Optional keys are sometimes absent from the JSON.
"""

from __future__ import annotations

from typing import Any

import jsonschema
from hypothesis import given, settings
from hypothesis import strategies as st

from synalinks_nb.data_models.json_ops import (
    concat_json,
    concat_schemas,
    factorize_json,
    factorize_schema,
    in_mask_json,
    in_mask_schema,
    is_schema_equal,
    out_mask_json,
    out_mask_schema,
    prefix_json,
    prefix_schema,
    suffix_json,
    suffix_schema,
    union_schemas,
)

KEYS = ["answer", "answer_1", "answers", "answer_2_1", "thinking", "query", "entity",
        "entities", "status", "first_name", "last_name", "score_3"]  # fmt: skip
TYPES: dict[str, st.SearchStrategy[Any]] = {
    "string": st.text(max_size=3),
    "integer": st.integers(),
    "boolean": st.booleans(),
    "array": st.lists(st.text(max_size=2), max_size=3),
}


def _subschema(type_name: str) -> dict[str, Any]:
    if type_name == "array":
        return {"type": "array", "items": {"type": "string"}}
    return {"type": type_name}


@st.composite
def sample(draw: st.DrawFn, complete: bool = False) -> tuple[dict[str, Any], dict[str, Any]]:
    """A flat object schema and a JSON object that validates against it."""
    keys = draw(st.lists(st.sampled_from(KEYS), unique=True, max_size=6))
    types = {key: draw(st.sampled_from(sorted(TYPES))) for key in keys}
    required = [key for key in keys if draw(st.booleans())]
    schema = {
        "type": "object",
        "title": draw(st.sampled_from(["A", "B"])),
        "properties": {key: _subschema(types[key]) for key in keys},
        "required": required,
        "additionalProperties": False,
    }
    present = [k for k in keys if complete or k in required or draw(st.booleans())]
    return schema, {key: draw(TYPES[types[key]]) for key in present}


masks = st.lists(st.sampled_from([*KEYS, "answers", "entity_9", "name"]), max_size=3)
patterns = st.sampled_from([None, "name$", "^a", "_1$", "score"])


def assert_valid(value: dict[str, Any], schema: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(value)


@settings(max_examples=120, deadline=None)
@given(sample(complete=True), sample(complete=True))
def test_concat_names_json_keys_like_schema_properties(first, second):
    (schema1, json1), (schema2, json2) = first, second

    schema = concat_schemas(schema1, schema2)
    json = concat_json(json1, json2)

    assert list(json) == list(schema["properties"])
    assert_valid(json, schema)


@settings(max_examples=120, deadline=None)
@given(sample(), sample())
def test_concat_json_with_schemas_validates_when_optional_keys_are_missing(first, second):
    (schema1, json1), (schema2, json2) = first, second

    json = concat_json(json1, json2, schema1=schema1, schema2=schema2)

    assert_valid(json, concat_schemas(schema1, schema2))


@settings(max_examples=120, deadline=None)
@given(sample(), sample())
def test_union_accepts_either_side_and_both(first, second):
    (schema1, json1), (schema2, json2) = first, second

    union = union_schemas(schema1, schema2)

    assert_valid(json1, union)
    assert_valid(json2, union)
    assert_valid(concat_json(json1, json2, schema1=schema1, schema2=schema2), union)


@settings(max_examples=120, deadline=None)
@given(sample(), sample())
def test_factorize_of_a_concatenation_validates(first, second):
    (schema1, json1), (schema2, json2) = first, second
    schema = concat_schemas(schema1, schema2)
    json = concat_json(json1, json2, schema1=schema1, schema2=schema2)

    factorized = factorize_json(json, schema=schema)

    assert_valid(factorized, factorize_schema(schema))


@settings(max_examples=120, deadline=None)
@given(sample(complete=True))
def test_factorize_names_json_keys_like_schema_properties(drawn):
    schema, json = drawn

    assert list(factorize_json(json)) == list(factorize_schema(schema)["properties"])


@settings(max_examples=120, deadline=None)
@given(sample(), masks, patterns, st.booleans())
def test_masks_validate_and_partition_the_keys(drawn, mask, pattern, recursive):
    schema, json = drawn

    kept_schema = in_mask_schema(schema, mask, recursive, pattern)
    dropped_schema = out_mask_schema(schema, mask, recursive, pattern)
    kept = in_mask_json(json, mask, recursive, pattern)
    dropped = out_mask_json(json, mask, recursive, pattern)

    assert_valid(kept, kept_schema)
    assert_valid(dropped, dropped_schema)
    assert set(kept_schema["properties"]).isdisjoint(dropped_schema["properties"])
    assert {**kept_schema["properties"], **dropped_schema["properties"]} == schema["properties"]
    assert set(kept) <= set(kept_schema["properties"])
    assert {**kept, **dropped} == json


@settings(max_examples=80, deadline=None)
@given(sample(), st.sampled_from(["draft", "x", "final_2"]))
def test_prefix_and_suffix_validate(drawn, affix):
    schema, json = drawn

    assert_valid(prefix_json(json, affix), prefix_schema(schema, affix))
    assert_valid(suffix_json(json, affix), suffix_schema(schema, affix))


@settings(max_examples=80, deadline=None)
@given(sample(), sample())
def test_is_schema_equal_is_reflexive_and_sees_property_changes(first, second):
    (schema1, _), (schema2, _) = first, second

    assert is_schema_equal(schema1, dict(schema1, title="Other"))
    same_keys = set(schema1["properties"]) == set(schema2["properties"])
    if not same_keys:
        assert not is_schema_equal(schema1, schema2)
