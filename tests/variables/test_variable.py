from __future__ import annotations

import pytest

import synalinks_nb as sn
from synalinks_nb.errors import InvalidVariableValueError, VariableError


def make() -> sn.Variable:
    return sn.Variable(initializer={"instructions": "v0"}, data_model=sn.Instructions,
                       name="instructions", module="gen")


def test_initial_version_is_recorded() -> None:
    v = make()
    assert v.path == "gen/instructions"
    assert v.get_json() == {"instructions": "v0", "examples": []}
    assert [x.source for x in v.versions] == ["init"]


def test_invalid_assignment_leaves_value_and_versions_untouched() -> None:
    v = make()
    before_value, before_versions = v.get_json(), v.versions
    with pytest.raises(InvalidVariableValueError) as info:
        v.assign({"instructions": 3, "examples": []})
    assert info.value.path == "$.instructions"
    assert "gen/instructions" in str(info.value)
    assert v.get_json() == before_value
    assert v.versions == before_versions
    with pytest.raises(InvalidVariableValueError):
        v.assign({"instructions": "x", "unknown": 1})
    with pytest.raises(InvalidVariableValueError):
        v.assign({"instructions": {1, 2}})
    assert len(v.versions) == 1


def test_versions_record_provenance() -> None:
    v = make()
    version = v.assign({"instructions": "v1", "examples": []}, source="optimizer", epoch=1,
                       batch=2, reward_before=0.1, reward_after=0.9, decided_by="policy")
    assert version.index == 1
    assert version.source == "optimizer"
    assert (version.epoch, version.batch) == (1, 2)
    assert (version.reward_before, version.reward_after) == (0.1, 0.9)
    assert version.decided_by == "policy"
    with pytest.raises(VariableError, match="source"):
        v.assign({"instructions": "x", "examples": []}, source="magic")


def test_revert_gives_the_exact_earlier_value_as_a_new_version() -> None:
    v = make()
    v0 = v.get_json()
    v.assign({"instructions": "v1", "examples": [{"inputs": {"q": 1}, "outputs": {"a": 2}}]})
    v.assign({"instructions": "v2", "examples": []})
    v.revert(0)
    assert v.get_json() == v0
    assert [x.source for x in v.versions] == ["init", "edit", "edit", "revert"]
    assert v.versions[-1].note == "revert to 0"
    v.revert(1)
    assert v.get_json()["examples"][0]["outputs"] == {"a": 2}
    with pytest.raises(VariableError, match="version index"):
        v.revert(99)


def test_returned_values_are_copies() -> None:
    v = make()
    value = v.get_json()
    value["instructions"] = "mutated"
    assert v.get_json()["instructions"] == "v0"
    assert v.versions[0].value["instructions"] == "v0"


def test_listeners_see_every_change_and_can_unsubscribe() -> None:
    v = make()
    seen: list[str] = []
    unsubscribe = v.subscribe(lambda var, version: seen.append(version.source))
    v.assign({"instructions": "v1", "examples": []}, source="human")
    v.revert(0)
    unsubscribe()
    v.assign({"instructions": "v2", "examples": []})
    assert seen == ["human", "revert"]


def test_a_failing_listener_does_not_break_assignment(caplog: pytest.LogCaptureFixture) -> None:
    v = make()

    def broken(var: sn.Variable, version: sn.Version) -> None:
        raise RuntimeError("display died")

    v.subscribe(broken)
    v.assign({"instructions": "v1", "examples": []})
    assert v.get_json()["instructions"] == "v1"
    assert "display died" in caplog.text


def test_variable_reads_like_a_dict_and_update_is_a_validated_version() -> None:
    v = make()
    assert v["instructions"] == v.get("instructions") == "v0"
    assert v.get("missing", "default") == "default"
    assert sorted(v.keys()) == ["examples", "instructions"]
    assert dict(v.items()) == v.get_json() and list(v.values()) == ["v0", []]
    v["examples"].append({"inputs": {}, "outputs": {}})  # a copy: the value is unchanged
    assert v.get_json()["examples"] == []
    v.update({"instructions": "v1"})
    assert v.get_json() == {"instructions": "v1", "examples": []}
    assert [x.source for x in v.versions] == ["init", "edit"]
    with pytest.raises(InvalidVariableValueError):
        v.update({"instructions": 3})
    assert v.get_schema() is v.schema and '"v1"' in v.prettify_json()


def test_set_history_replaces_value_and_history_without_telling_listeners() -> None:
    saved = make()
    saved.assign({"instructions": "v1"}, source="optimizer", epoch=0, batch=2)
    loaded = make()
    seen: list[int] = []
    loaded.subscribe(lambda variable, version: seen.append(version.index))
    loaded.set_history(saved.get_json(), saved.versions)
    assert loaded.get_json()["instructions"] == "v1"
    assert [(x.source, x.batch) for x in loaded.versions] == [("init", None), ("optimizer", 2)]
    assert seen == []
    with pytest.raises(InvalidVariableValueError):
        loaded.set_history({"instructions": 3}, [])
    assert len(loaded.versions) == 2  # a refused value changes nothing
