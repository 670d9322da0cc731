"""Case-by-case behaviour of the pure JSON / JSON-schema ops.

Schemas with ``$defs`` come from real pydantic models, so these tests pin what
users get from their own data models. Each JSON result is also validated
against the schema the same op produced.
"""

from __future__ import annotations

import re
from typing import Any

import jsonschema
import pytest
from pydantic import BaseModel, ConfigDict

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
    schema_properties,
    suffix_json,
    suffix_schema,
    union_schemas,
)
from synalinks_nb.errors import InvalidOperationError


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Query(Strict):
    query: str


class Answer(Strict):
    thinking: str
    answer: str


class Item(Strict):
    name: str
    price: float
    secret: str


class Order(Strict):
    customer: str
    items: list[Item]
    secret: str


class Shipment(Strict):
    order: Order
    carrier: str


def _clashing_models() -> tuple[type[Strict], type[Strict], type[Strict]]:
    """Models whose ``$defs`` names (``Item``, ``Order``) clash with the ones above."""

    class Item(Strict):
        label: str

    class Basket(Strict):
        items: list[Item]

    class Order(Strict):
        items: list[Item]

    return Item, Basket, Order


OtherItem, Basket, OtherOrder = _clashing_models()


class Node(Strict):
    value: int
    children: list[Node] = []


def schema_of(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema()


def assert_valid(value: dict[str, Any], schema: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(value)


def assert_invalid(value: dict[str, Any], schema: dict[str, Any]) -> None:
    assert not jsonschema.Draft202012Validator(schema).is_valid(value)


STR = {"type": "string"}


def flat(*keys: str, required: tuple[str, ...] | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {key: dict(STR) for key in keys},
        "additionalProperties": False,
    }
    schema["required"] = list(keys if required is None else required)
    return schema


# -- concat ------------------------------------------------------------------------------


def test_concat_two_operands_suffixes_the_colliding_key():
    result = concat_schemas(schema_of(Answer), schema_of(Answer))

    assert list(result["properties"]) == ["thinking", "answer", "thinking_1", "answer_1"]
    assert result["required"] == ["thinking", "answer", "thinking_1", "answer_1"]
    assert result["properties"]["answer_1"]["title"] == "Answer 1"
    assert result["additionalProperties"] is False
    json = concat_json({"thinking": "t", "answer": "a"}, {"thinking": "u", "answer": "b"})
    assert json == {"thinking": "t", "answer": "a", "thinking_1": "u", "answer_1": "b"}
    assert_valid(json, result)


def test_concat_three_operands_numbers_in_order():
    once = concat_schemas(schema_of(Query), schema_of(Query))
    twice = concat_schemas(once, schema_of(Query))

    assert list(twice["properties"]) == ["query", "query_1", "query_2"]
    json = concat_json(concat_json({"query": "a"}, {"query": "b"}), {"query": "c"})
    assert json == {"query": "a", "query_1": "b", "query_2": "c"}
    assert_valid(json, twice)


def test_concat_appends_the_number_to_an_already_suffixed_key():
    # Synalinks appends to the key as written: a second answer_1 is answer_1_1.
    result = concat_schemas(flat("answer", "answer_1"), flat("answer_1", "answer"))

    assert list(result["properties"]) == ["answer", "answer_1", "answer_1_1", "answer_2"]
    json = concat_json({"answer": "a", "answer_1": "b"}, {"answer_1": "c", "answer": "d"})
    assert list(json) == list(result["properties"])
    assert json["answer_1_1"] == "c"
    assert json["answer_2"] == "d"


def test_concat_disjoint_keys_and_titles():
    result = concat_schemas(schema_of(Query), schema_of(Answer))

    assert list(result["properties"]) == ["query", "thinking", "answer"]
    assert result["title"] == "Query + Answer"
    assert concat_schemas(schema_of(Query), schema_of(Query))["title"] == "Query"
    assert concat_schemas(flat("a"), flat("b")).get("title") is None


def test_concat_required_comes_from_each_side_only():
    result = concat_schemas(flat("a", "b", required=("a",)), flat("b", "c", required=("b",)))

    # b from the first side is optional there; its copy b_1 from the second side is required.
    assert result["required"] == ["a", "b_1"]
    assert_valid({"a": "x", "b_1": "y"}, result)
    assert_invalid({"a": "x", "b": "y"}, result)


def test_concat_forbids_extra_keys_only_when_both_sides_do():
    open_schema = {"type": "object", "properties": {"b": STR}}

    assert concat_schemas(flat("a"), flat("b"))["additionalProperties"] is False
    assert "additionalProperties" not in concat_schemas(flat("a"), open_schema)


def test_concat_merges_pydantic_defs_and_refs_resolve():
    result = concat_schemas(schema_of(Shipment), schema_of(Order))
    json = concat_json(Shipment(order=_order(), carrier="UPS").model_dump(), _order().model_dump())

    assert set(result["$defs"]) == {"Item", "Order"}
    assert list(json) == ["order", "carrier", "customer", "items", "secret"]
    assert_valid(json, result)


def test_concat_renames_a_clashing_definition_and_its_refs():
    result = concat_schemas(schema_of(Order), schema_of(Basket))

    assert set(result["$defs"]) == {"Item", "Item_1"}
    assert result["properties"]["items"]["items"] == {"$ref": "#/$defs/Item"}
    assert result["properties"]["items_1"]["items"] == {"$ref": "#/$defs/Item_1"}
    assert result["$defs"]["Item_1"]["properties"] == {
        "label": {"title": "Label", "type": "string"}
    }
    json = concat_json(_order().model_dump(), {"items": [{"label": "apple"}]})
    assert_valid(json, result)
    json["items_1"] = [{"name": "apple", "price": 1.0, "secret": "s"}]
    assert_invalid(json, result)


def test_concat_keeps_one_copy_of_an_identical_definition():
    result = concat_schemas(schema_of(Order), schema_of(Order))

    assert set(result["$defs"]) == {"Item"}
    assert result["properties"]["items_1"]["items"] == {"$ref": "#/$defs/Item"}


def test_concat_renames_a_definition_whose_dependency_was_renamed():
    # Both sides call their models Order and Item; only Item differs, which makes
    # the second Order (pointing at the renamed Item) differ too.
    class Wrapper(Strict):
        order: OtherOrder  # type: ignore[valid-type]

    result = concat_schemas(schema_of(Shipment), schema_of(Wrapper))

    assert set(result["$defs"]) == {"Item", "Item_1", "Order", "Order_1"}
    assert result["properties"]["order_1"] == {"$ref": "#/$defs/Order_1", "title": "Order 1"}
    assert result["$defs"]["Order_1"]["properties"]["items"]["items"] == {"$ref": "#/$defs/Item_1"}
    json = concat_json(
        Shipment(order=_order(), carrier="UPS").model_dump(),
        {"order": {"items": [{"label": "x"}]}},
    )
    assert_valid(json, result)


def test_concat_json_uses_schemas_when_an_optional_key_is_missing():
    optional = flat("answer", required=())
    schema = concat_schemas(optional, flat("answer"))

    without_schema = concat_json({}, {"answer": "b"})
    with_schema = concat_json({}, {"answer": "b"}, schema1=optional)

    assert without_schema == {"answer": "b"}
    assert with_schema == {"answer_1": "b"}
    assert_valid(with_schema, schema)


def test_concat_does_not_modify_its_arguments():
    schema = schema_of(Order)
    snapshot = schema_of(Order)
    json = {"a": [1]}

    concat_schemas(schema, schema)
    result = concat_json(json, json)
    result["a"].append(2)

    assert schema == snapshot
    assert json == {"a": [1]}


# -- union ---------------------------------------------------------------------------------


def test_union_accepts_either_side_alone_and_both_concatenated():
    union = union_schemas(schema_of(Answer), schema_of(Query))

    assert list(union["properties"]) == ["thinking", "answer", "query"]
    assert "required" not in union
    assert_valid({"thinking": "t", "answer": "a"}, union)
    assert_valid({"query": "q"}, union)
    assert_valid(concat_json({"thinking": "t", "answer": "a"}, {"query": "q"}), union)
    assert union["title"] == "Answer | Query"


def test_union_colliding_key_accepts_both_types():
    class Count(Strict):
        answer: int

    union = union_schemas(schema_of(Answer), schema_of(Count))

    assert union["required"] == ["answer"]
    assert_valid({"thinking": "t", "answer": "a"}, union)
    assert_valid({"answer": 3}, union)
    assert_valid(concat_json({"thinking": "t", "answer": "a"}, {"answer": 3}), union)
    assert_invalid({"answer": [1]}, union)
    assert_invalid({"thinking": "t"}, union)


def test_union_second_side_with_suffixed_keys():
    first = {"type": "object", "properties": {"a": STR}, "required": ["a"]}
    second = {
        "type": "object",
        "properties": {"a": {"type": "integer"}, "a_1": {"type": "boolean"}},
    }
    union = union_schemas(first, second)

    assert list(union["properties"]) == ["a", "a_1", "a_1_1"]
    assert_valid({"a": "x"}, union)
    assert_valid({"a": 1, "a_1": True}, union)
    assert_valid(concat_json({"a": "x"}, {"a": 1, "a_1": True}), union)


def test_union_of_identical_schemas_adds_no_any_of():
    union = union_schemas(schema_of(Query), schema_of(Query))

    assert union["properties"]["query"] == {"title": "Query", "type": "string"}
    assert union["required"] == ["query"]


def test_union_with_clashing_definitions():
    union = union_schemas(schema_of(Order), schema_of(Basket))

    assert_valid(_order().model_dump(), union)
    assert_valid({"items": [{"label": "x"}]}, union)
    assert_valid(concat_json(_order().model_dump(), {"items": [{"label": "x"}]}), union)
    assert_invalid({"items": [{"colour": "x"}]}, union)


# -- factorize --------------------------------------------------------------------------------


def test_factorize_groups_suffixed_keys_into_a_plural_list():
    schema = concat_schemas(concat_schemas(schema_of(Answer), schema_of(Answer)), flat("answer"))
    json = {"thinking": "t", "answer": "a", "thinking_1": "u", "answer_1": "b", "answer_2": "c"}

    result = factorize_schema(schema)
    factorized = factorize_json(json)

    assert list(result["properties"]) == ["thinkings", "answers"]
    assert result["properties"]["answers"]["items"] == {"type": "string"}
    assert result["required"] == ["thinkings", "answers"]
    assert factorized == {"thinkings": ["t", "u"], "answers": ["a", "b", "c"]}
    assert_valid(factorized, result)


def test_factorize_merges_an_existing_plural_list():
    schema = {
        "type": "object",
        "properties": {"foos": {"type": "array", "items": STR}, "foo": STR, "foo_1": STR},
    }

    assert factorize_schema(schema)["properties"]["foos"]["items"] == STR
    assert factorize_json({"foos": ["a", "b"], "foo": "c", "foo_1": "d"}) == {
        "foos": ["a", "b", "c", "d"]
    }
    # Member order decides element order, wherever the plural key sits.
    assert factorize_json({"foo": "c", "foos": ["a"]}) == {"foos": ["c", "a"]}


def test_factorize_lone_keys():
    schema = {
        "type": "object",
        "properties": {"answer_1": STR, "entities": {"type": "array", "items": STR}},
        "required": ["answer_1", "entities"],
    }
    result = factorize_schema(schema)

    assert list(result["properties"]) == ["answer", "entities"]
    assert result["required"] == ["answer", "entities"]
    assert factorize_json({"answer_1": "a", "entities": ["e"]}) == {
        "answer": "a",
        "entities": ["e"],
    }


def test_factorize_different_entity_models_gives_any_of_items():
    class City(Strict):
        name: str

    class Event(Strict):
        date: str

    class Cities(Strict):
        entities: list[City]

    class Events(Strict):
        entities: list[Event]

    schema = factorize_schema(concat_schemas(schema_of(Cities), schema_of(Events)))
    json = factorize_json(
        concat_json({"entities": [{"name": "Paris"}]}, {"entities": [{"date": "today"}]})
    )

    assert list(schema["properties"]) == ["entities"]
    assert schema["properties"]["entities"]["items"] == {
        "anyOf": [{"$ref": "#/$defs/City"}, {"$ref": "#/$defs/Event"}]
    }
    assert json == {"entities": [{"name": "Paris"}, {"date": "today"}]}
    assert_valid(json, schema)
    assert_invalid({"entities": [{"colour": "red"}]}, schema)


def test_factorize_nested_models_keep_their_definitions():
    schema = factorize_schema(concat_schemas(schema_of(Order), schema_of(Order)))
    json = factorize_json(concat_json(_order().model_dump(), _order().model_dump()))

    # "items" and "items_1" are both lists of Item: the family is one flat list of Item.
    assert list(schema["properties"]) == ["customers", "items", "secrets"]
    assert schema["properties"]["items"]["items"] == {"$ref": "#/$defs/Item"}
    assert len(json["items"]) == 2
    assert_valid(json, schema)


def test_factorize_required_follows_members_and_optional_members_may_be_missing():
    schema = flat("answer", "answer_1", "note", required=("answer_1",))
    result = factorize_schema(schema)

    assert result["required"] == ["answers"]
    json = factorize_json({"answer_1": "b"}, schema=schema)
    assert json == {"answers": ["b"]}
    assert_valid(json, result)
    # Without the schema, a lone answer_1 looks like a lone key.
    assert factorize_json({"answer_1": "b"}) == {"answer": "b"}


def test_factorize_optional_member_splits_list_and_null_elements():
    schema = {
        "type": "object",
        "properties": {
            "tag": STR,
            "tags": {"anyOf": [{"type": "array", "items": STR}, {"type": "null"}]},
        },
    }
    result = factorize_schema(schema)

    assert result["properties"]["tags"]["items"] == {"anyOf": [STR, {"type": "null"}]}
    assert_valid(factorize_json({"tag": "a", "tags": ["b", "c"]}), result)
    assert_valid(factorize_json({"tag": "a", "tags": None}), result)


# -- masks ------------------------------------------------------------------------------------


def test_in_mask_matches_suffixed_and_plural_keys():
    schema = flat("thinking", "answer", "answer_1", "answer_12", "answers", "answered")
    json = dict.fromkeys(schema["properties"], "x")

    expected = ["answer", "answer_1", "answer_12", "answers"]
    assert list(in_mask_schema(schema, mask=["answer"])["properties"]) == expected
    assert list(in_mask_json(json, mask=["answer"])) == expected
    # A plural or suffixed mask key names the same family.
    assert list(in_mask_json(json, mask=["answers"])) == expected
    assert list(in_mask_json(json, mask=["answer_3"])) == expected


def test_out_mask_drops_the_family_and_keeps_the_rest():
    schema = flat("thinking", "thinking_1", "answer", "answers")
    result = out_mask_schema(schema, mask=["thinking"])
    json = out_mask_json(
        {"thinking": "t", "thinking_1": "u", "answer": "a", "answers": "b"}, mask=["thinking"]
    )

    assert list(result["properties"]) == ["answer", "answers"]
    assert result["required"] == ["answer", "answers"]
    assert json == {"answer": "a", "answers": "b"}
    assert_valid(json, result)


def test_required_lists_only_remaining_keys():
    schema = flat("a", "b", "c", required=("a", "c"))

    assert in_mask_schema(schema, mask=["b", "c"])["required"] == ["c"]
    assert "required" not in in_mask_schema(schema, mask=["b"])
    assert out_mask_schema(schema, mask=["a"])["required"] == ["c"]


def test_mask_pattern_is_searched_and_combined_with_the_mask():
    schema = flat("first_name", "last_name", "age", "email")
    json = {"first_name": "Ada", "last_name": "L", "age": "36", "email": "a@b"}

    assert in_mask_json(json, pattern="name$") == {"first_name": "Ada", "last_name": "L"}
    assert in_mask_json(json, mask=["age"], pattern="^first_") == {"first_name": "Ada", "age": "36"}
    assert out_mask_json(json, pattern="name$") == {"age": "36", "email": "a@b"}
    assert list(in_mask_schema(schema, mask=["age"], pattern="^first_")["properties"]) == [
        "first_name",
        "age",
    ]
    # The pattern also sees the base key: "name$" matches first_name_1 through first_name.
    assert in_mask_json({"first_name_1": "x", "age": 1}, pattern="name$") == {"first_name_1": "x"}


def test_mask_without_mask_or_pattern():
    schema = flat("a", "b")

    assert in_mask_schema(schema)["properties"] == {}
    assert in_mask_json({"a": 1}) == {}
    assert out_mask_schema(schema) == schema
    assert out_mask_json({"a": 1}, mask=[]) == {"a": 1}


def test_out_mask_recurses_into_defs_and_list_items():
    shipment = Shipment(order=_order(), carrier="UPS").model_dump()
    schema = out_mask_schema(schema_of(Shipment), mask=["secret"])
    json = out_mask_json(shipment, mask=["secret"])

    assert "secret" not in schema["$defs"]["Order"]["properties"]
    assert "secret" not in schema["$defs"]["Order"]["required"]
    assert "secret" not in schema["$defs"]["Item"]["properties"]
    assert json["order"]["items"] == [{"name": "apple", "price": 1.5}]
    assert "secret" not in json["order"]
    assert_valid(json, schema)
    assert_invalid(shipment, schema)


def test_out_mask_non_recursive_touches_the_top_level_only():
    schema = out_mask_schema(schema_of(Order), mask=["secret"], recursive=False)
    json = out_mask_json(_order().model_dump(), mask=["secret"], recursive=False)

    assert "secret" not in schema["properties"]
    assert "secret" in schema["$defs"]["Item"]["properties"]
    assert json["items"][0]["secret"] == "s"
    assert_valid(json, schema)


def test_in_mask_recurses_into_kept_objects_and_drops_unused_definitions():
    schema = in_mask_schema(schema_of(Shipment), mask=["order", "items", "name"])
    json = in_mask_json(
        Shipment(order=_order(), carrier="UPS").model_dump(), mask=["order", "items", "name"]
    )

    assert list(schema["properties"]) == ["order"]
    assert list(schema["$defs"]["Order"]["properties"]) == ["items"]
    assert list(schema["$defs"]["Item"]["properties"]) == ["name"]
    assert json == {"order": {"items": [{"name": "apple"}]}}
    assert_valid(json, schema)

    dropped = in_mask_schema(schema_of(Shipment), mask=["carrier"])
    assert "$defs" not in dropped
    assert in_mask_json(Shipment(order=_order(), carrier="UPS").model_dump(), mask=["carrier"]) == {
        "carrier": "UPS"
    }


def test_in_mask_drops_unmatched_lists():
    json = in_mask_json({"foo": 1, "items": [{"foo": 2, "bar": 3}]}, mask=["foo"])
    schema = in_mask_schema(schema_of(Order), mask=["customer"])

    assert json == {"foo": 1}
    assert list(schema["properties"]) == ["customer"]


def test_masks_recurse_into_inline_nested_objects():
    schema = {
        "type": "object",
        "properties": {
            "meta": {
                "type": "object",
                "properties": {"secret": STR, "id": STR},
                "required": ["secret", "id"],
            }
        },
    }
    result = out_mask_schema(schema, mask=["secret"])

    assert result["properties"]["meta"]["required"] == ["id"]
    assert_valid(out_mask_json({"meta": {"secret": "s", "id": "1"}}, mask=["secret"]), result)


def test_masks_handle_recursive_models():
    schema = out_mask_schema(schema_of(Node), mask=["value"])
    json = out_mask_json({"value": 1, "children": [{"value": 2, "children": []}]}, mask=["value"])

    assert "value" not in schema["properties"]
    assert json == {"children": [{"children": []}]}
    assert_valid(json, schema)


# -- prefix and suffix ------------------------------------------------------------------------


def test_prefix_and_suffix_rename_keys_titles_and_required():
    schema = flat("a", "b", required=("b",))

    prefixed = prefix_schema(schema, "draft")
    suffixed = suffix_schema(schema, "final")

    assert list(prefixed["properties"]) == ["draft_a", "draft_b"]
    assert prefixed["required"] == ["draft_b"]
    assert prefixed["properties"]["draft_a"]["title"] == "Draft A"
    assert list(suffixed["properties"]) == ["a_final", "b_final"]
    assert suffixed["required"] == ["b_final"]
    assert suffixed["properties"]["b_final"]["title"] == "B Final"
    assert prefix_json({"a": 1, "b": 2}, "draft") == {"draft_a": 1, "draft_b": 2}
    assert suffix_json({"a": 1}, "final") == {"a_final": 1}
    assert_valid(prefix_json({"b": "x"}, "draft"), prefixed)
    assert_invalid({"b": "x"}, prefixed)


def test_prefix_keeps_pydantic_refs_resolvable():
    schema = prefix_schema(schema_of(Order), "old")
    json = prefix_json(_order().model_dump(), "old")

    assert schema["properties"]["old_items"]["items"] == {"$ref": "#/$defs/Item"}
    assert_valid(json, schema)


# -- inspection -------------------------------------------------------------------------------


def test_schema_properties_resolves_refs():
    properties = schema_properties(schema_of(Shipment))

    assert list(properties) == ["order", "carrier"]
    assert properties["order"]["title"] == "Order"
    assert list(properties["order"]["properties"]) == ["customer", "items", "secret"]
    assert list(schema_properties(schema_of(Node))) == ["value", "children"]


def test_is_schema_equal_ignores_titles_descriptions_and_definition_names():
    described = schema_of(Order)
    described["title"] = "Something else"
    described["properties"]["customer"]["description"] = "Who pays"
    # Order's Item definition is renamed Item_1 when it meets Basket's Item.
    renamed = out_mask_schema(
        concat_schemas(schema_of(Basket), schema_of(Order)), pattern="^items$"
    )
    query = {"type": "object", "properties": {"query": STR}, "required": ["query"]}

    assert list(renamed["properties"]) == ["customer", "items_1", "secret"]
    assert renamed["properties"]["items_1"]["items"] == {"$ref": "#/$defs/Item_1"}
    assert is_schema_equal(described, schema_of(Order))
    assert is_schema_equal(schema_of(Query), query)
    assert is_schema_equal(
        in_mask_schema(suffix_schema(schema_of(Order), "1"), pattern="^items_1$", recursive=False),
        in_mask_schema(renamed, pattern="^items_1$", recursive=False),
    )


def test_is_schema_equal_sees_type_and_required_differences():
    assert not is_schema_equal(flat("a"), flat("a", required=()))
    assert not is_schema_equal(flat("a"), flat("b"))
    assert not is_schema_equal(
        flat("a"), {"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]}
    )
    assert not is_schema_equal(schema_of(Order), schema_of(Basket))
    # A property literally named "title" is a property, not an annotation.
    assert not is_schema_equal(flat("title"), flat("name"))


# -- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: concat_schemas("not a schema", {}), "Expected `schema1` to be a JSON schema"),
        (lambda: concat_schemas({"type": "string"}, {}), 'type "object"'),
        (lambda: concat_json({"a": 1}, [1]), "Expected `json2` to be a JSON object"),
        (lambda: in_mask_json({}, mask="answer"), "Expected `mask` to be a list"),
        (lambda: out_mask_schema({}, pattern="("), "valid regular expression"),
        (lambda: prefix_json({}, ""), "Expected `prefix` to be a non-empty string"),
        (lambda: suffix_schema({}, 3), "Received: suffix=3"),
        (lambda: is_schema_equal({}, None), "Received: schema2=None"),
    ],
)
def test_bad_inputs_raise_invalid_operation_error(call: Any, message: str):
    with pytest.raises(InvalidOperationError, match=re.escape(message)):
        call()


def _order() -> Order:
    return Order(customer="Ada", items=[Item(name="apple", price=1.5, secret="s")], secret="k")
