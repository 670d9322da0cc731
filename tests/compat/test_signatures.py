"""A Synalinks call's keywords work here: every parameter Synalinks takes, we take.

``synalinks_signatures.json`` (written by ``scripts/synalinks_signatures.py`` from Synalinks'
repository) holds the parameters of every public callable; ``signatures.py`` compares them
with ours, core names only (the families test_api_names.py leaves out are left out here).
Every recorded name that exists here is compared, the families outside the core
(knowledge bases, retrievers, datasets, MCP) included. ``signature_differences.txt``
lists, with a reason, each gap we keep; like ``missing_names.txt`` it only shrinks: a
listed gap that is closed fails the test too.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import pytest

import synalinks_nb
from tests.compat.signatures import callable_gaps, checked, gaps, recorded, takes
from tests.compat.test_api_names import core_names

HERE = Path(__file__).parent


def listed() -> list[str]:
    text = (HERE / "signature_differences.txt").read_text(encoding="utf-8")
    return [line.split("#", 1)[0].strip() for line in text.splitlines()
            if line.split("#", 1)[0].strip()]


def test_every_line_of_the_differences_file_gives_a_reason() -> None:
    text = (HERE / "signature_differences.txt").read_text(encoding="utf-8")
    bare = [line for line in text.splitlines()
            if line.strip() and not line.startswith("#") and "#" not in line]
    assert not bare, f"Each listed gap needs a '# reason': {bare[:5]}"


def test_every_synalinks_parameter_is_taken_or_listed() -> None:
    known = set(listed())
    unexpected = [gap for gap in gaps(set(recorded())) if gap not in known]
    assert not unexpected, (
        f"{len(unexpected)} Synalinks parameters are not taken here and not listed in "
        f"signature_differences.txt: {unexpected[:20]}"
    )


def test_the_differences_list_only_shrinks() -> None:
    known = listed()
    current = set(gaps(set(recorded())))
    closed = [gap for gap in known if gap not in current]
    assert not closed, f"Remove these from signature_differences.txt, they work now: {closed}"
    assert len(known) == len(set(known)), "duplicates in signature_differences.txt"


def test_the_recording_covers_the_core_and_its_main_calls() -> None:
    signatures = recorded()
    names = [public for public, *_ in checked(set(core_names()))]
    assert len(set(names)) > 300, len(set(names))
    fit = {p["name"] for p in signatures["synalinks.Program"]["fit"]}
    assert {"x", "y", "epochs", "validation_split", "minibatch_size"} <= fit
    generator = {p["name"] for p in signatures["synalinks.Generator"]["__init__"]}
    assert {"data_model", "language_model", "temperature", "instructions"} <= generator


def _recorded(*params: tuple[str, str, bool]) -> list[dict[str, object]]:
    return [{"name": n, "kind": k, "default": d} for n, k, d in params]


def test_the_comparison_finds_each_kind_of_gap() -> None:
    def ours(a: int, b: int = 0, *, extra: int) -> None: ...

    theirs = _recorded(("a", "positional_or_keyword", False), ("c", "positional_or_keyword",
                                                               False))
    found = list(callable_gaps("f", theirs, inspect.signature(ours), lambda _: False))
    # c is Synalinks' second positional (ours is b), c is no keyword here, extra is
    # required here and Synalinks does not take it.
    assert found == ["f:c@1", "f:c", "f:+extra"]
    assert list(callable_gaps("f", theirs[:1], inspect.signature(ours), lambda _: True)) == [
        "f:+extra"]


def test_var_keyword_counts_only_when_the_code_passes_the_names_on() -> None:
    class Base:
        def __init__(self, name: str = "") -> None:
            self.name = name

    class Forwards(Base):
        def __init__(self, size: int = 0, **kwargs: object) -> None:
            super().__init__(**kwargs)  # type: ignore[arg-type]

    class Swallows(Base):
        def __init__(self, size: int = 0, **kwargs: object) -> None:
            super().__init__()

    assert takes(Forwards, "__init__", "name")
    assert not takes(Swallows, "__init__", "name")
    assert not takes(Forwards, "__init__", "colour")


@pytest.mark.parametrize("module", ["Action", "MultiDecision", "Branch"])
def test_generator_keywords_given_to_a_composite_module_reach_its_generator(
        module: str) -> None:
    # signatures.KWARGS_TARGETS counts these **kwargs as the Generator's: check they arrive.
    lm = synalinks_nb.ScriptedLanguageModel(responses=[])
    common = {"language_model": lm, "temperature": 0.25, "max_tokens": 77}
    if module == "Action":
        def lookup(city: str) -> str:
            """Look a city up.

            Args:
                city: the city.
            """
            return city
        built = synalinks_nb.Action(tool=synalinks_nb.Tool(lookup), **common)
    elif module == "Branch":
        built = synalinks_nb.Branch(question="Which?", labels=["a", "b"],
                                    branches=[synalinks_nb.Identity(), synalinks_nb.Identity()],
                                    **common)
    else:
        built = synalinks_nb.MultiDecision(question="Which?", labels=["a", "b"], **common)
    generators = [m for m in _submodules(built) if isinstance(m, synalinks_nb.Generator)]
    assert generators, f"no generator inside {module}"
    configs = [json.dumps(g.get_config(), default=str) for g in generators]
    assert any('"temperature": 0.25' in c and '"max_tokens": 77' in c for c in configs), configs


def _submodules(module: object) -> list[object]:
    found: list[object] = []
    pending = [module]
    while pending:
        current = pending.pop()
        found.append(current)
        pending.extend(v for v in vars(current).values()
                       if isinstance(v, synalinks_nb.Module) and v not in found)
    return found


def test_var_keyword_counts_when_the_body_takes_the_name_out() -> None:
    from tests.compat.signatures import reads_kwarg

    def handles(**options: object) -> None:
        options.pop("caching", None)

    def ignores(**options: object) -> None:
        options.pop("other", None)

    assert reads_kwarg(handles, "caching")
    assert not reads_kwarg(ignores, "caching")


def test_var_keyword_counts_for_names_the_class_declares_and_checks() -> None:
    from tests.compat.signatures import _KwargsHandler

    class Search:
        search_options = ("threshold",)

        def __init__(self, k: int = 1, **search_options: object) -> None:
            unknown = set(search_options) - set(self.search_options)
            if unknown:
                raise TypeError(unknown)

    init = Search.__init__
    handler = _KwargsHandler("x.Search", Search, "__init__", init, inspect.signature(Search))
    assert handler.accepts("threshold") and not handler.accepts("colour")
