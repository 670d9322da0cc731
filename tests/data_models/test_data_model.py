from __future__ import annotations

import json

import pytest

import synalinks_nb as sn
from synalinks_nb.errors import SchemaValidationError, SymbolicValueError
from tests.data_models.models import Answer, Query


def test_extra_fields_are_forbidden() -> None:
    with pytest.raises(ValueError, match="extra"):
        Query(query="hi", other="x")  # type: ignore[call-arg]


def test_schema_json_and_pretty_forms() -> None:
    schema = Query.get_schema()
    assert schema["properties"]["query"]["description"] == "The user query"
    assert schema["required"] == ["query"]
    q = Query(query="hi")
    assert q.get_json() == {"query": "hi"}
    assert '"query": "hi"' in q.prettify_json()
    assert '"description": "The user query"' in Query.prettify_schema()


def test_conversions_keep_schema_and_value() -> None:
    q = Query(query="hi")
    j = q.to_json_data_model()
    assert j.get_json() == {"query": "hi"}
    assert j.get_schema() == Query.get_schema()
    s = Query.to_symbolic_data_model()
    assert s.get_schema() == Query.get_schema()


def test_json_data_model_validates_on_construction_and_names_the_field() -> None:
    with pytest.raises(SchemaValidationError) as info:
        sn.JsonDataModel(data_model=Query, json={"query": 3})
    assert info.value.path == "$.query"
    assert "query" in str(info.value)
    assert "3" in str(info.value)
    with pytest.raises(SchemaValidationError, match="required"):
        sn.JsonDataModel(schema=Query.get_schema(), json={})


def test_json_data_model_is_dict_like() -> None:
    j = sn.JsonDataModel(data_model=Answer(answer="Paris"))
    assert j["answer"] == "Paris"
    assert j.get("missing", 1) == 1
    assert list(j.keys()) == ["answer"]
    assert list(j.values()) == ["Paris"]
    assert list(j.items()) == [("answer", "Paris")]
    assert "answer" in j
    assert "nope" not in j
    assert repr(j) == 'JsonDataModel(name=\'Answer\', json={"answer": "Paris"})'


def test_symbolic_data_model_refuses_values() -> None:
    s = sn.SymbolicDataModel(data_model=Query)
    assert list(s.keys()) == ["query"]
    assert "query" in s
    for access in (s.get_json, lambda: s["query"], lambda: s.get("query"), s.values):
        with pytest.raises(SymbolicValueError, match="only has a schema"):
            access()


def test_optional_nested_data_model_type_hints_still_work() -> None:
    class Outer(sn.DataModel):
        inner: Answer | None = None

    assert Outer(inner=None).get_json() == {"inner": None}
    assert Outer(inner=Answer(answer="x")).get_json() == {"inner": {"answer": "x"}}


class Judged(sn.DataModel):
    confidence: sn.Score = sn.Field(description="How sure the answer is")
    stars: sn.Rating


def test_score_fields_serialize_as_the_number_as_in_synalinks() -> None:
    judged = Judged(confidence=0.9, stars=4)
    assert judged.get_json() == {"confidence": 0.9, "stars": 4}
    assert judged.confidence is sn.Score.GOOD and judged["stars"] == 4
    assert judged.confidence + 0.05 == pytest.approx(0.95)  # floats in arithmetic
    with pytest.raises(ValueError):
        Judged(confidence=0.75, stars=4)  # not a level of Score
    with pytest.raises(ValueError):
        Judged(confidence=0.9, stars=6)


def test_score_schemas_list_the_levels_and_say_the_scale_in_words() -> None:
    schema = Judged.get_schema()
    score = schema["$defs"]["Score"]
    assert score["enum"] == [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
    assert score["type"] == "number" and schema["$defs"]["Rating"]["type"] == "integer"
    # The prompt gets the scale, not the class docstring and its examples.
    assert score["description"].startswith("a float between 0.0 and 1.0")
    assert ">>>" not in json.dumps(schema)


def test_score_types_resolve_by_name_and_normalize_to_unit_interval() -> None:
    get, normalize = sn.backend.get_score_type, sn.backend.normalize_score
    assert get(None) is sn.Score and get("Rating10") is sn.Rating10
    assert get(sn.FineScore) is sn.FineScore
    assert normalize(sn.Rating.ONE, sn.Rating) == 0.0 and normalize(5, "Rating") == 1.0
    assert normalize(sn.Rating20.FIFTEEN, sn.Rating20) == pytest.approx(14 / 19)
    assert normalize(0.7, sn.Score) == pytest.approx(0.7)
    assert normalize(9, sn.Rating) == 1.0  # clipped
    with pytest.raises(ValueError, match="Received: 'Stars'"):
        get("Stars")
    with pytest.raises(ValueError, match="Received: <class 'str'>"):
        get(str)


def test_html_fallback_escapes_content() -> None:
    html = Answer(answer="<script>x</script>")._repr_html_()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_data_model_instances_read_like_synalinks_ones() -> None:
    q = Query(query="hi")
    assert q["query"] == q.get("query") == "hi"
    assert q.get("nope") is None and q.get("nope", 1) == 1
    assert list(Query.keys()) == ["query"] and list(q.keys()) == ["query"]
    with pytest.raises(KeyError, match="query"):
        q["nope"]


def test_synalinks_predicates_look_at_the_schema() -> None:
    symbolic = (sn.Instructions.to_symbolic_data_model() + Query.to_symbolic_data_model())
    assert sn.is_instructions(symbolic) and not sn.is_instructions(Query(query="hi"))
    assert sn.is_prediction(sn.Prediction(inputs={}, outputs=None))
    message = sn.ChatMessage(role="user", content="hi")
    assert sn.is_chat_message(message) and not sn.is_chat_messages(message)
    assert not sn.is_chat_message("hi")


def test_generic_models_and_their_predicates() -> None:
    chunk = (Query + sn.backend.Embedding).to_symbolic_data_model()
    assert sn.is_embedded(chunk) and sn.is_embedding(chunk) and not sn.is_embeddings(chunk)
    assert sn.is_embeddings(sn.Embeddings(embeddings=[[1.0]]))
    assert not sn.is_embedded(Query(query="hi"))
    stamped = sn.Stamp.to_symbolic_data_model() + Query.to_symbolic_data_model()
    assert sn.is_stamped(stamped) and not sn.is_stamped(Query)
    assert sn.Stamp(created_at="2026-01-02T03:04:05").get_json() == {
        "created_at": "2026-01-02T03:04:05"}
    assert sn.is_trainable(sn.Instructions()) and not sn.is_trainable(Query(query="x"))
    assert sn.is_trainable(sn.Variable(data_model=sn.Instructions))
    assert sn.utils.is_meta_class(Query) and not sn.utils.is_meta_class(Query(query="x"))
    assert sn.GenericIO(inputs={"a": 1}, outputs={}).get_json()["inputs"] == {"a": 1}
    assert sn.backend.get_uid("x") == 1 and sn.backend.get_uid("x") == 2
    sn.clear_session()
    assert sn.backend.get_uid("x") == 1


def test_ops_convert_to_json_and_symbolic() -> None:
    q = Query(query="hi")
    assert sn.ops.convert_to_json_data_model(q).get_json() == {"query": "hi"}
    assert sn.ops.convert_to_symbolic_data_model(q).get_schema() == Query.get_schema()
    with pytest.raises(sn.errors.InvalidOperationError, match="values"):
        sn.ops.convert_to_json_data_model(Query)
