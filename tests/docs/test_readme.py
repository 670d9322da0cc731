"""The README's quickstart runs as written, with the embedded model."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def quickstart_code() -> str:
    section = README.read_text(encoding="utf-8").split("## Quickstart", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "the README's Quickstart section has no python block"
    return match.group(1)


async def run_cell(code: str, namespace: dict[str, Any]) -> None:
    """Run ``code`` like a notebook cell (top-level await allowed)."""
    compiled = compile(code, "README.md", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    result = eval(compiled, namespace)  # our own README: running it is the point
    if result is not None:
        await result


def test_quickstart_is_about_twenty_lines() -> None:
    lines = [line for line in quickstart_code().splitlines() if line.strip()]
    assert len(lines) <= 22


@pytest.mark.local_model
async def test_readme_quickstart_runs_and_trains(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNALINKS_NB_APPROVAL", "accept")  # headless: never wait for a click
    code = quickstart_code()
    before, after = code.split("program.compile(", 1)
    namespace: dict[str, Any] = {}
    await run_cell(before, namespace)
    assert isinstance(namespace["result"], namespace["sn"].JsonDataModel)
    assert set(namespace["result"].get_json()) == {"thinking", "answer"}

    query, answer = namespace["Query"], namespace["Answer"]
    namespace["x_train"] = [query(query="What is 2 + 2?"), query(query="Capital of Italy?")]
    namespace["y_train"] = [answer(thinking="", answer="4"), answer(thinking="", answer="Rome")]
    await run_cell("program.compile(" + after, namespace)

    history = namespace["history"]
    assert len(history.epoch) == 3
    variable = namespace["program"].trainable_variables[0]
    assert variable.value == variable.versions[0].value  # reverted to the first version


def test_every_relative_link_and_image_in_the_readme_exists() -> None:
    text = README.read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)#\s]+)\)", text)
    local = [t for t in targets if "://" not in t]
    assert local, "expected links to the tutorials and DEVELOP.md"
    missing = [t for t in local if not (README.parent / t).exists()]
    assert not missing, f"README links to files that do not exist: {missing}"
