"""Synalinks' plotting functions: the files they write and how notebooks show them."""

from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import Any

import pytest

import synalinks_nb as sn
from synalinks_nb.callbacks import History
from synalinks_nb.errors import MissingDependencyError


class Query(sn.DataModel):
    query: str


class Answer(sn.DataModel):
    answer: str


async def _program() -> Any:
    x = sn.Input(data_model=Query)
    lm = sn.ScriptedLanguageModel(responses=[{"answer": "ok"}])
    y = await sn.Generator(data_model=Answer, language_model=lm, name="answerer")(x)
    return sn.Program(inputs=x, outputs=y, name="qa")


async def test_plot_program_writes_the_programs_svg(tmp_path: Path) -> None:
    program = await _program()
    path = sn.utils.plot_program(program, to_file="qa.svg", to_folder=tmp_path,
                                 show_schemas=True, show_trainable=True)
    assert path == str(tmp_path / "qa.svg")
    svg = (tmp_path / "qa.svg").read_text()
    assert svg.startswith("<svg") and "answerer" in svg
    assert path._repr_svg_() == svg  # what a notebook shows inline


async def test_plot_program_png_without_a_renderer_names_what_to_install(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for renderer in ("resvg_py", "cairosvg"):
        monkeypatch.setitem(sys.modules, renderer, None)  # as if not installed
    monkeypatch.chdir(tmp_path)
    program = await _program()
    with pytest.raises(MissingDependencyError, match=r"resvg-py.*synalinks_nb\[plot\]"):
        sn.utils.plot_program(program)  # Synalinks' default: <program name>.png
    assert (tmp_path / "qa.svg").is_file() and not (tmp_path / "qa.png").exists()


async def test_plot_program_png_goes_through_the_installed_renderer(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    def svg_to_bytes(svg_string: str, **kwargs: Any) -> bytes:
        seen.update(kwargs, svg=svg_string)
        return b"\x89PNG fake"

    monkeypatch.setitem(sys.modules, "resvg_py", types.SimpleNamespace(svg_to_bytes=svg_to_bytes))
    path = sn.utils.plot_program(await _program(), to_file=tmp_path / "graph.png", dpi=192)
    assert path == str(tmp_path / "graph.png")
    assert (tmp_path / "graph.png").read_bytes().startswith(b"\x89PNG")
    assert seen["svg"].startswith("<svg") and seen["zoom"] == 2.0


async def test_plot_program_png_is_a_real_picture(tmp_path: Path) -> None:
    pytest.importorskip("resvg_py", reason="the plot extra (resvg-py) is not installed")
    path = sn.utils.plot_program(await _program(), to_file=tmp_path / "graph.png", dpi=96)
    png = (tmp_path / "graph.png").read_bytes()
    assert path == str(tmp_path / "graph.png")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and width > 100 and height > 100


async def test_plot_program_rejects_unknown_arguments_and_formats(tmp_path: Path) -> None:
    program = await _program()
    with pytest.raises(ValueError, match="show_everything"):
        sn.utils.plot_program(program, to_file=tmp_path / "a.svg", show_everything=True)
    with pytest.raises(ValueError, match=r"\.png or \.svg"):
        sn.utils.plot_program(program, to_file=tmp_path / "a.pdf")


def test_plot_history_draws_each_key(tmp_path: Path) -> None:
    history = History()
    history.history = {"reward": [0.1, 0.5, 0.9], "val_reward": [0.2, 0.4, 0.8]}
    path = sn.utils.plot_history(history, to_file="h.svg", to_folder=tmp_path,
                                 metrics_filter=["val_reward"])
    svg = Path(path).read_text()
    assert "val_reward" in svg and ">reward<" not in svg and "Training history" in svg
    with pytest.raises(ValueError, match="loss"):
        sn.utils.plot_history(history, to_file=tmp_path / "x.svg", metrics_filter=["loss"])


def test_plot_metrics_draws_one_bar_per_number(tmp_path: Path) -> None:
    path = sn.utils.plot_metrics({"reward": 0.75, "f1_score": 0.5, "errors": 0},
                                 to_file=tmp_path / "m.svg", title="Eval")
    svg = Path(path).read_text()
    assert svg.count("<title>") == 3 and "reward: 0.75" in svg and "Eval" in svg


def test_metrics_over_runs_show_means_and_standard_deviations(tmp_path: Path) -> None:
    before = [{"reward": 0.2, "f1": 0.5}, {"reward": 0.4, "f1": 0.5}]
    after = [{"reward": 0.9, "f1": 0.7}]
    svg = sn.utils.plot_metrics_with_mean_and_std(before, to_file=tmp_path / "a.svg",
                                                  metrics=["reward"])._repr_svg_()
    assert "reward · runs: 0.3 ± 0.1" in svg and "f1" not in svg
    svg = sn.utils.plot_metrics_comparison_with_mean_and_std(
        {"without_training": before, "with_training": after}, to_file=tmp_path / "b.svg",
    )._repr_svg_()
    assert "f1 · with_training: 0.7 ± 0" in svg and (tmp_path / "b.svg").is_file()
    svg = sn.utils.plot_metrics_comparison({"a": before[0], "b": after[0]},
                                           to_file=tmp_path / "c.svg")._repr_svg_()
    assert "reward · b: 0.9" in svg


def test_histories_over_runs_and_conditions(tmp_path: Path) -> None:
    def history(values: list[float]) -> History:
        h = History()
        h.history = {"val_reward": values}
        return h

    runs = [history([0.2, 0.4]), history([0.4, 0.8])]
    svg = sn.utils.plot_history_with_mean_and_std(runs, to_file=tmp_path / "a.svg")._repr_svg_()
    assert ">val_reward<" in svg and "val_reward + std" in svg
    svg = sn.utils.plot_history_comparison_with_mean_and_std(
        {"fewshot": runs, "omega": runs[:1]}, to_file=tmp_path / "b.svg")._repr_svg_()
    assert "fewshot: val_reward - std" in svg and "omega: val_reward" in svg
    assert "omega: val_reward + std" not in svg  # one run: no spread to show
    svg = sn.utils.plot_history_comparison({"x": runs[0], "y": runs[1]},
                                           to_file=tmp_path / "c.svg")._repr_svg_()
    assert "x: val_reward" in svg and "y: val_reward" in svg


def test_unknown_metrics_and_history_keys_are_refused_naming_the_known_ones(
        tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"metrics among \['reward'\]\. Received: \['f1'\]"):
        sn.utils.plot_metrics_with_mean_and_std([{"reward": 0.5}], to_file=tmp_path / "a.svg",
                                                metrics=["f1"])
    history = History()
    history.history = {"reward": [0.1, 0.5]}
    with pytest.raises(ValueError, match=r"history keys among \['reward'\]\. Received: \['loss'\]"):
        sn.utils.plot_history_with_mean_and_std([history], to_file=tmp_path / "b.svg",
                                                metrics_filter=["loss"])
