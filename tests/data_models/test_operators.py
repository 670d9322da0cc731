"""The operator table, case by case, on every kind of data model."""

from __future__ import annotations

import asyncio

import pytest

import synalinks_nb as sn
from synalinks_nb.errors import InvalidOperationError
from tests.data_models.models import Answer, Query, Thought

a = Answer(answer="a")
b = Answer(answer="b")
q = Query(query="q")


def test_concat_of_instances_merges_and_suffixes_collisions() -> None:
    assert (q + a).get_json() == {"query": "q", "answer": "a"}
    assert (a + b).get_json() == {"answer": "a", "answer_1": "b"}
    assert (a + b + Answer(answer="c")).get_json() == {
        "answer": "a", "answer_1": "b", "answer_2": "c"}
    assert list((a + b).get_schema()["properties"]) == ["answer", "answer_1"]


def test_concat_with_none_raises_value_error_as_synalinks() -> None:
    with pytest.raises(ValueError, match="None on the right"):
        _ = a + None
    with pytest.raises(InvalidOperationError, match="None on the left"):
        _ = None + a
    with pytest.raises(TypeError):  # still the TypeError it was
        _ = a + None
    with pytest.raises(ValueError, match="while building a program"):
        _ = Answer.to_symbolic_data_model() + None


def test_and_is_none_when_either_side_is_none() -> None:
    assert (a & q).get_json() == {"answer": "a", "query": "q"}
    assert (a & None) is None
    assert (None & a) is None


def test_or_keeps_whichever_side_is_present() -> None:
    assert (a | None).get_json() == {"answer": "a"}
    assert (None | b).get_json() == {"answer": "b"}
    assert (a | b).get_json() == {"answer": "a", "answer_1": "b"}


def test_xor_keeps_exactly_one_side() -> None:
    assert (a ^ None).get_json() == {"answer": "a"}
    assert (None ^ b).get_json() == {"answer": "b"}
    assert (a ^ b) is None


def test_invert_is_none() -> None:
    assert (~a) is None
    assert (~a.to_json_data_model()) is None


def test_contains_on_classes_instances_and_symbolic() -> None:
    assert "answer" in Answer
    assert "query" not in Answer
    assert "answer" in a
    assert "answer" in a.to_json_data_model()
    assert "answer" in Answer.to_symbolic_data_model()


def test_operators_on_classes_give_symbolic_models() -> None:
    out = Query + Answer
    assert isinstance(out, sn.SymbolicDataModel)
    assert list(out.keys()) == ["query", "answer"]
    assert list((Answer & Answer).keys()) == ["answer", "answer_1"]


def test_symbolic_or_schema_validates_whichever_side_fires() -> None:
    out = Answer.to_symbolic_data_model() | Thought.to_symbolic_data_model()
    schema = out.get_schema()
    # Synalinks keeps only the first operand's schema; ours accepts each outcome.
    for fired in (a, Thought(thinking="t"), a + Thought(thinking="t")):
        sn.JsonDataModel(schema=schema, json=fired.get_json())


def test_symbolic_xor_schema_validates_either_side() -> None:
    schema = (Answer.to_symbolic_data_model() ^ Query.to_symbolic_data_model()).get_schema()
    sn.JsonDataModel(schema=schema, json={"answer": "x"})
    sn.JsonDataModel(schema=schema, json={"query": "x"})


def test_symbolic_operator_with_none_raises() -> None:
    with pytest.raises(InvalidOperationError):
        _ = Answer.to_symbolic_data_model() & None


def test_wrong_operand_type_is_a_typed_error() -> None:
    with pytest.raises(InvalidOperationError, match="Received: int"):
        _ = a + 3


def test_functional_ops_mirror_the_operators() -> None:
    async def run() -> None:
        assert (await sn.ops.logical_and(a, None)) is None
        assert (await sn.ops.logical_or(None, b)).get_json() == {"answer": "b"}
        assert (await sn.ops.logical_xor(a, b)) is None
        assert (await sn.ops.logical_not(a)) is None
        assert (await sn.ops.concat(a, q)).get_json() == {"answer": "a", "query": "q"}

    asyncio.run(run())
