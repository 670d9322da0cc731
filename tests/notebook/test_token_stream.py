"""The notebook's live output of streamed answers: one output per answer, updated in place."""

from __future__ import annotations

from typing import Any

import pytest

import synalinks_nb as sn
from synalinks_nb.language_models import ScriptedLanguageModel, streaming_to
from synalinks_nb.notebook.token_stream import NotebookTokenSink


class FakeDisplay:
    """Records display() calls and each handle's updates, as IPython's would send them."""

    def __init__(self) -> None:
        self.outputs: list[list[dict[str, str]]] = []

    def __call__(self, bundle: dict[str, str], raw: bool, display_id: bool) -> Any:
        assert raw and display_id
        shown = [bundle]
        self.outputs.append(shown)

        class Handle:
            def update(self, bundle: dict[str, str], raw: bool) -> None:
                shown.append(bundle)

        return Handle()


async def test_each_answer_has_one_output_whose_last_update_is_the_whole_text() -> None:
    display = FakeDisplay()
    lm = ScriptedLanguageModel(responses=["The capital is Paris.", "Rome <b>"], name="lm")
    with streaming_to(NotebookTokenSink(min_interval=0.0, display=display)):
        await lm([{"role": "user", "content": "France?"}], streaming=True)
        await lm([{"role": "user", "content": "Italy?"}], streaming=True)
    assert len(display.outputs) == 2
    first = [b["text/plain"] for b in display.outputs[0]]
    assert first == ["lm: The…", "lm: The capital…", "lm: The capital is…",
                     "lm: The capital is Paris.…", "lm: The capital is Paris."]
    last_html = display.outputs[1][-1]["text/html"]
    assert "Rome &lt;b&gt;" in last_html and "<b>" not in last_html
    assert "var(--jp-ui-font-color1)" in last_html  # follows the JupyterLab theme


def test_updates_are_throttled_but_the_end_is_always_shown() -> None:
    display = FakeDisplay()
    stream = NotebookTokenSink(min_interval=3600.0, display=display).open("lm")
    assert display.outputs == []  # nothing to show before the first piece
    for piece in ("a", "b", "c"):
        stream.write(piece)
    assert [b["text/plain"] for b in display.outputs[0]] == ["lm: a…"]  # the first, at once
    stream.close("TimeoutError")
    assert display.outputs[0][-1]["text/plain"] == "lm: abc [stopped: TimeoutError]"


def test_bad_interval_says_what_was_expected() -> None:
    with pytest.raises(ValueError, match=r"non-negative.*min_interval=-1"):
        NotebookTokenSink(min_interval=-1)


def test_the_package_registers_the_notebook_sink_for_kernels() -> None:
    assert isinstance(sn._notebook_token_sink(), NotebookTokenSink)
