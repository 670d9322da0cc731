"""Fuzzing: corrupted or tampered save files load, or raise SavingError; nothing runs.

Two families of damage, 700 files in all: text damage (truncation, spliced
garbage, flipped characters) and tampering with the parsed document (a value
replaced by random JSON or a dangerous class name, a key deleted, a list
entry duplicated), anywhere in the file.
"""

from __future__ import annotations

import asyncio
import builtins
import contextlib
import importlib
import json
import os
import pickle
import subprocess
from collections.abc import Iterator
from typing import Any
from unittest import mock

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import synalinks_nb as sn
from tests.saving import helpers

DANGEROUS = ["os.system", "__import__", "eval", "builtins>eval", "subprocess>Popen", "Program",
             "Sequential", "InputModule", "Lambda", "Action", "LanguageModel", "Cache",
             "ScriptedLanguageModel", "__class__", "Custom>Nope", "../../etc/passwd",
             "{instructions.__class__.__mro__}", "LogicalOp", "JsonOp", "NotOp"]
KEYS = ["class_name", "config", "ref", "tuple", "dict", "const", "schema", "graph", "layers",
        "operations", "nodes", "versions", "value", "path", "format_version", "function"]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 40) | st.floats(-2, 2) | st.text(max_size=6)
    | st.sampled_from(DANGEROUS),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=4), inner, max_size=3),
    max_leaves=6,
)


def _base_documents() -> list[dict[str, Any]]:
    lm = helpers.scripted()
    functional = asyncio.run(helpers.functional(lm))
    functional.get_variable("gen/instructions").assign(
        {"instructions": "tuned", "examples": []}, source="optimizer", epoch=0, batch=1)
    return [json.loads(functional.to_json()), json.loads(helpers.sequential(lm).to_json())]


BASES = _base_documents()
CUSTOM_OBJECTS = helpers.custom_objects(helpers.scripted())


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


PATHS = [[p for p in _paths(base) if p] for base in BASES]


def _tamper(document: Any, path: tuple[Any, ...], action: str, new: Any) -> Any:
    document = json.loads(json.dumps(document))
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if action == "replace":
        parent[last] = new
    elif action == "delete":
        del parent[last]
    elif action == "duplicate" and isinstance(parent, list):
        parent.insert(last, parent[last])
    elif action == "rename" and isinstance(parent, dict):
        parent[str(new)] = parent.pop(last)
    return document


# typing.get_type_hints evaluates the annotations of the functions given in custom_objects
# (``a: int``); those names, and only those, may be evaluated while loading.
ANNOTATION_NAMES = {"int", "Any", "dict", "str"}


@contextlib.contextmanager
def nothing_runs() -> Iterator[list[str]]:
    """Refuse process spawning, unpickling and imports by name; watch eval/exec."""
    calls: list[str] = []

    def refuse(name: str) -> Any:
        def called(*args: Any, **kwargs: Any) -> None:
            calls.append(f"{name}{args!r:.80}")
            raise AssertionError(f"{name} was called while loading a file")

        return called

    def watch(real: Any) -> Any:
        def called(source: Any, *args: Any) -> Any:
            names = set(source.co_names) if hasattr(source, "co_names") else {str(source)}
            if not names <= ANNOTATION_NAMES:
                calls.append(f"{real.__name__}({sorted(names)!r:.80})")
            return real(source, *args)

        return called

    refused = [(os, "system"), (os, "popen"), (subprocess, "Popen"), (pickle, "loads"),
               (importlib, "import_module")]
    with contextlib.ExitStack() as stack:
        for owner, attr in refused:
            stack.enter_context(mock.patch.object(owner, attr, refuse(f"{owner.__name__}.{attr}")))
        for attr in ("eval", "exec"):
            stack.enter_context(mock.patch.object(builtins, attr, watch(getattr(builtins, attr))))
        yield calls


def _load_or_saving_error(text: str) -> None:
    with nothing_runs() as calls:
        try:
            program = sn.saving.program_from_json(text, custom_objects=CUSTOM_OBJECTS)
        except sn.errors.SavingError as exc:
            message = str(exc)
            event(type(exc).__name__)
            assert message, "every refusal says what is wrong"
        else:
            assert isinstance(program, sn.Program)
            event("loaded")
    assert calls == []


FUZZ = settings(max_examples=350, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(data=st.data())
def test_text_damage_loads_or_raises_saving_error(data: st.DataObject) -> None:
    text = json.dumps(BASES[data.draw(st.integers(0, len(BASES) - 1))], indent=1)
    kind = data.draw(st.sampled_from(["truncate", "splice", "flip"]))
    at = data.draw(st.integers(0, len(text) - 1))
    if kind == "truncate":
        text = text[:at]
    elif kind == "splice":
        text = text[:at] + data.draw(st.text(max_size=12)) + text[at + data.draw(
            st.integers(0, 12)):]
    else:
        text = text[:at] + chr(data.draw(st.integers(32, 126))) + text[at + 1:]
    _load_or_saving_error(text)


@FUZZ
@given(data=st.data())
def test_tampered_documents_load_or_raise_saving_error(data: st.DataObject) -> None:
    which = data.draw(st.integers(0, len(BASES) - 1))
    path = data.draw(st.sampled_from(PATHS[which]))
    action = data.draw(st.sampled_from(["replace", "replace", "delete", "duplicate", "rename"]))
    new = data.draw(json_values)
    document = _tamper(BASES[which], path, action, new)
    _load_or_saving_error(json.dumps(document))


def test_untampered_bases_load() -> None:
    for base in BASES:
        assert isinstance(sn.saving.program_from_json(json.dumps(base),
                                                      custom_objects=CUSTOM_OBJECTS), sn.Program)
