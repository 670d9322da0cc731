"""TrainingDashboard driven as its view would drive it, while ``await program.fit(...)`` runs.

``FakeView`` replaces the widget's ``send`` to capture what Python sends and
answers pings like ``js/training_dashboard.ts`` does; user actions go through
the widget's comm handler (``_handle_custom_msg``) with the same payloads
the JS builds (``decision``, ``accept_all``, ``stop``, ``revert``).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from category_task import category_handler, dataset
from category_task import make_program as category_program
from flip_task import dataset as flip_dataset
from flip_task import make_program as flip_program
from reflection_task import handler as reflection_handler

import synalinks_nb as sn
from synalinks_nb import optimizers
from synalinks_nb.notebook import TrainingDashboard, protocol
from synalinks_nb.notebook import training_dashboard as td


async def make_program(latency: float = 0.0, only_improvements: bool = True) -> Any:
    lm = sn.ScriptedLanguageModel(handler=category_handler(), latency=latency)
    program = await category_program(lm)
    program.compile(
        reward="exact_match",
        optimizer=optimizers.RandomFewShot(
            nb_min_examples=4, nb_max_examples=8, only_improvements=only_improvements
        ),
    )
    return program


class FakeView:
    """Plays the JS view: captures sent messages, answers pings, clicks buttons."""

    def __init__(self, widget: Any, answer_pings: bool = True) -> None:
        self.widget = widget
        self.sent: list[dict[str, Any]] = []
        self.answer_pings = answer_pings
        widget.send = self._receive

    def _receive(self, content: dict[str, Any], buffers: Any = None) -> None:
        protocol.parse_backend_message(content)  # everything sent must match the protocol
        self.sent.append(content)
        if content["type"] == "ping" and self.answer_pings:
            # Delivered later, as a real comm message would be.
            asyncio.get_running_loop().call_soon(self.click, {"type": "pong", "id": content["id"]})

    def click(self, content: dict[str, Any]) -> None:
        self.widget._handle_custom_msg(content, [])

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [m for m in self.sent if m["type"] == kind]

    async def pending(self) -> dict[str, Any]:
        """The first pending proposal in the snapshot trait, once there is one (5 s at most)."""
        for _ in range(500):
            waiting = [x for x in self.widget.proposals if x["status"] == "pending"]
            if waiting and waiting[0]["id"] in self.widget._requests:
                return waiting[0]
            await asyncio.sleep(0.01)
        raise AssertionError("no proposal became pending")


def proposal(widget: Any, pid: str) -> dict[str, Any]:
    return next(x for x in widget.proposals if x["id"] == pid)


async def human_fit(samples: int = 8, epochs: int = 1, only_improvements: bool = True
                    ) -> tuple[Any, TrainingDashboard, FakeView, asyncio.Future[Any]]:
    """A program, its dashboard with a fake view, and ``fit(approval="human")`` running."""
    program = await make_program(only_improvements=only_improvements)
    dash = TrainingDashboard(program)
    view = FakeView(dash)
    xs, ys = dataset(samples)
    fit = asyncio.ensure_future(program.fit(xs, ys, epochs=epochs, batch_size=8, verbose=0,
                                            callbacks=[dash], approval="human"))
    return program, dash, view, fit


async def test_accept_applies_the_proposal_shown_in_traits_and_messages() -> None:
    program, dash, view, fit = await human_fit()
    var = program.trainable_variables[0]
    pending = await view.pending()
    assert pending["variable_path"] == var.path
    assert pending["after"]["examples"] and not pending["before"]["examples"]
    assert dash.status["state"] == "waiting"
    assert dash.highlight == "gen"
    assert any(x["id"] == pending["id"] for m in view.of_type("delta")
               for x in m.get("proposals", []))
    view.click({"type": "decision", "proposal_id": pending["id"], "action": "accept"})
    await asyncio.wait_for(fit, 5)
    assert var.get_json() == pending["after"]
    assert var.versions[-1].decided_by == "human"
    assert proposal(dash, pending["id"])["status"] == "accepted"
    assert dash.versions[-1]["index"] == 1 and dash.status["state"] == "done"
    assert dash.banner == ""


async def test_invalid_edit_is_refused_with_a_message_and_changes_nothing() -> None:
    program, dash, view, fit = await human_fit()
    var = program.trainable_variables[0]
    before = var.get_json()
    pending = await view.pending()
    view.click(
        {
            "type": "decision",
            "proposal_id": pending["id"],
            "action": "edit",
            "value": {"instructions": 42},
        }
    )
    await asyncio.sleep(0.05)
    errors = view.of_type("edit_error")
    assert errors and errors[0]["proposal_id"] == pending["id"]
    assert "instructions" in errors[0]["message"]
    assert not fit.done(), "the proposal stays pending after a refused edit"
    assert var.get_json() == before and len(var.versions) == 1
    edited = {**pending["after"], "instructions": "Answer with the category in capitals."}
    view.click(
        {"type": "decision", "proposal_id": pending["id"], "action": "edit", "value": edited}
    )
    await asyncio.wait_for(fit, 5)
    assert var.get_json()["instructions"] == edited["instructions"]
    assert proposal(dash, pending["id"])["status"] == "edited"


async def test_reject_discards_the_proposal() -> None:
    program, dash, view, fit = await human_fit()
    var = program.trainable_variables[0]
    before = var.get_json()
    pending = await view.pending()
    view.click({"type": "decision", "proposal_id": pending["id"], "action": "reject"})
    await asyncio.wait_for(fit, 5)
    assert var.get_json() == before and len(var.versions) == 1
    assert proposal(dash, pending["id"])["status"] == "rejected"
    assert proposal(dash, pending["id"])["decided_by"] == "human"


async def test_revert_restores_and_a_bad_revert_answers_an_error() -> None:
    program = await make_program()
    dash = TrainingDashboard(program)
    view = FakeView(dash)
    var = program.trainable_variables[0]
    initial = var.get_json()
    xs, ys = dataset(8)
    await program.fit(
        xs, ys, epochs=1, batch_size=8, verbose=0, callbacks=[dash], approval="accept"
    )
    assert var.get_json() != initial
    view.click({"type": "revert", "variable_path": var.path, "index": 0})
    assert var.get_json() == initial and var.versions[-1].source == "revert"
    await asyncio.sleep(td.FLUSH_INTERVAL * 2)
    assert dash.versions[-1]["source"] == "revert"
    view.click({"type": "revert", "variable_path": var.path, "index": 99})
    assert view.of_type("revert_error")[0]["variable_path"] == var.path
    assert var.get_json() == initial


async def test_stop_ends_fit_cleanly_after_the_current_batch() -> None:
    program, dash, view, fit = await human_fit(samples=32, epochs=3)
    await view.pending()
    view.click({"type": "stop"})
    history = await asyncio.wait_for(fit, 5)
    assert dash.status["state"] == "stopped"
    assert dash.status["epoch"] == 1 and dash.status["batch"] == 1
    assert len(history.history["reward"]) == 1
    assert program.trainable_variables[0].versions[-1].source == "init"


async def test_a_failed_fit_shows_the_error_and_closes_pending_proposals() -> None:
    class Failing(sn.callbacks.Callback):
        def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
            if epoch == 1:
                raise RuntimeError("disk full")

    program = await make_program()
    dash = TrainingDashboard(program)
    FakeView(dash)
    xs, ys = dataset(8)
    with pytest.raises(RuntimeError):
        await program.fit(xs, ys, epochs=2, batch_size=8, verbose=0,
                          callbacks=[dash, Failing()], approval="accept")
    assert dash.status["state"] == "error"
    assert dash.status["message"] == "failed: RuntimeError: disk full"

    # Interrupted while a human was deciding: the proposal no longer waits for anyone.
    program = await make_program()
    dash = TrainingDashboard(program)
    view = FakeView(dash)
    fit = asyncio.ensure_future(program.fit(xs, ys, epochs=1, batch_size=8, verbose=0,
                                            callbacks=[dash], approval="human"))
    waiting = await view.pending()
    fit.cancel()
    with pytest.raises(asyncio.CancelledError):
        await fit
    assert dash.status["state"] == "stopped"
    assert proposal(dash, waiting["id"])["status"] == "rejected"
    assert proposal(dash, waiting["id"])["reason"] == "training ended before a decision"


async def test_accept_all_remaining_stops_asking() -> None:
    program, dash, view, fit = await human_fit(samples=32, only_improvements=False)
    await view.pending()
    view.click({"type": "accept_all"})
    await asyncio.wait_for(fit, 5)
    accepted = [x for x in dash.proposals if x["status"] == "accepted"]
    assert len(accepted) >= 2, [(x["status"], x["reason"]) for x in dash.proposals]
    assert all(x["decided_by"] == "human" for x in accepted)
    assert not [x for x in dash.proposals if x["status"] == "pending"]
    assert len(program.trainable_variables[0].versions) == 1 + len(accepted)


async def test_no_pong_falls_back_to_the_policy_with_a_banner() -> None:
    program = await make_program()
    dash = TrainingDashboard(program, probe_timeout=0.3)
    view = FakeView(dash, answer_pings=False)
    xs, ys = dataset(8)
    history = await asyncio.wait_for(
        program.fit(xs, ys, epochs=1, batch_size=8, verbose=0, callbacks=[dash], approval="human"),
        5,
    )
    assert len(view.of_type("ping")) >= 2, "the probe retries"
    assert history.approval["mode"] == "accept"
    assert "did not answer" in dash.banner and "run_in_background" in dash.banner
    assert program.trainable_variables[0].versions[-1].decided_by == "policy"


async def test_env_override_never_waits_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SYNALINKS_NB_APPROVAL", "reject")
    sn.config.reset()
    program = await make_program()
    dash = TrainingDashboard(program)
    view = FakeView(dash)
    xs, ys = dataset(8)
    await asyncio.wait_for(
        program.fit(xs, ys, epochs=1, batch_size=8, verbose=0, callbacks=[dash], approval="human"),
        5,
    )
    assert not view.of_type("ping")
    assert dash.banner.startswith("The environment sets SYNALINKS_NB_APPROVAL='reject'")
    assert dash.banner.count("SYNALINKS_NB_APPROVAL") == 2  # the setting, and what to unset


async def test_decision_from_another_thread_resolves_on_the_loop() -> None:
    _, dash, view, fit = await human_fit()
    pending = await view.pending()
    msg = {"type": "decision", "proposal_id": pending["id"], "action": "accept"}
    # A comm subshell (ipykernel 7.0-7.3) runs handlers on its own thread.
    await asyncio.to_thread(view.click, msg)
    await asyncio.wait_for(fit, 5)
    assert proposal(dash, pending["id"])["status"] == "accepted"


async def test_fast_fit_is_coalesced_and_the_snapshot_holds_the_final_state() -> None:
    program = await make_program()
    dash = TrainingDashboard(program)
    view = FakeView(dash)
    xs, ys = dataset(400)
    loop = asyncio.get_running_loop()
    start = loop.time()
    await program.fit(
        xs,
        ys,
        epochs=2,
        batch_size=4,
        verbose=0,
        callbacks=[dash],
        approval="accept",
        validation_split=0.1,
    )
    elapsed = loop.time() - start
    deltas = view.of_type("delta")
    batches = 2 * len(dash.series["train_reward"]) // 2
    assert len(dash.series["train_reward"]) == 2 * 90
    assert len(dash.series["val_reward"]) == 2
    assert len(deltas) < batches / 2, "deltas are coalesced, not one per batch"
    assert len(deltas) <= elapsed / td.FLUSH_INTERVAL + 3
    points = sum(len(d.get("points", [])) for d in deltas)
    assert points == 2 * 90 + 2, "every point reaches the view exactly once"
    assert dash.status["state"] == "done" and dash.status["epoch"] == 2
    assert dash.usage["inference"]["calls"] > 0


async def test_the_card_shows_why_this_change_and_both_scores() -> None:
    program = await category_program(sn.ScriptedLanguageModel(handler=reflection_handler))
    program.compile(reward="exact_match", optimizer=optimizers.GEPA())
    dash = TrainingDashboard(program)
    view = FakeView(dash)
    xs, ys = dataset(16)
    fit = asyncio.ensure_future(program.fit(xs[:8], ys[:8], epochs=1, batch_size=8, verbose=0,
                                            validation_data=(xs[8:], ys[8:]),
                                            callbacks=[dash], approval="human"))
    pending = await view.pending()
    assert "labels must be upper case" in pending["rationale"]
    assert (pending["reward_before"], pending["reward_after"]) == (0.0, 1.0)
    assert (pending["val_reward_before"], pending["val_reward_after"]) == (0.0, 1.0)
    view.click({"type": "decision", "proposal_id": pending["id"], "action": "accept"})
    history = await asyncio.wait_for(fit, 5)
    assert history.proposals[0]["rationale"] == pending["rationale"]
    page = dash._repr_mimebundle_()[0]["text/html"]
    assert "Why this change" in page and "labels must be upper case" in page


async def test_the_card_lists_the_samples_it_fixes_and_breaks_with_their_traces() -> None:
    sn.config.traces.configure(enabled=True)
    program = await flip_program()
    dash = TrainingDashboard(program)
    view = FakeView(dash)
    xs, ys = flip_dataset()
    fit = asyncio.ensure_future(program.fit(
        xs[:8], ys[:8], epochs=1, batch_size=8, shuffle=False, verbose=0,
        validation_data=(xs[8:], ys[8:]), callbacks=[dash], approval="human"))
    pending = await view.pending()
    batch, val = pending["batch_flips"], pending["val_flips"]
    assert (batch["fixed_count"], batch["broken_count"]) == (3, 2)
    assert (val["fixed_count"], val["broken_count"]) == (2, 1)
    broken = batch["broken"][0]
    assert (broken["inputs"], broken["output_before"], broken["output_after"]) == (
        {"item": "s1"}, {"label": "S1"}, {"label": "?"})
    # Every trace a flipped sample links to reached the view, by delta and in the trait.
    linked = {s[k] for f in (batch, val) for s in f["fixed"] + f["broken"]
              for k in ("trace_before", "trace_after")}
    assert None not in linked and len(linked) == 2 * (3 + 2 + 2 + 1)
    sent = {t["id"] for m in view.of_type("delta") for t in m.get("traces", [])}
    assert linked <= sent and linked <= {t["id"] for t in dash.traces}
    view.click({"type": "decision", "proposal_id": pending["id"], "action": "reject"})
    await asyncio.wait_for(fit, 5)
    page = dash._repr_mimebundle_()[0]["text/html"]
    assert "fixes 3 · breaks 2 on its batch; fixes 2 · breaks 1 on validation" in page


def test_repr_and_static_html_fallback() -> None:
    graph = {
        "name": "qa",
        "nodes": [{"id": "gen", "type": "Generator", "trainable": True}],
        "edges": [],
    }
    dash = TrainingDashboard(graph)
    assert repr(dash) == (
        "TrainingDashboard(program='qa', state='idle', epoch=0/0, "
        "batch=0/0, proposals=0, pending=0)"
    )
    data, _ = dash._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    assert "<script" not in data["text/html"] and "Training" in data["text/html"]


async def test_a_label_only_proposal_is_reviewed_unscored_and_accepted_by_a_person() -> None:
    # LabeledFewShot under acceptance="batch": no call, no batch score; the card still asks.
    lm = sn.ScriptedLanguageModel(handler=category_handler())
    program = await category_program(lm)
    program.compile(reward="exact_match", optimizer=optimizers.LabeledFewShot(k=4))
    dash = TrainingDashboard(program)
    view = FakeView(dash)
    xs, ys = dataset(8)
    fit = asyncio.ensure_future(program.fit(xs, ys, epochs=1, verbose=0, callbacks=[dash],
                                            acceptance="batch", approval="human"))
    pending = await view.pending()
    assert pending["reward_before"] is None and pending["reward_after"] is None
    assert len(pending["after"]["examples"]) == 4
    view.click({"type": "decision", "proposal_id": pending["id"], "action": "accept"})
    await asyncio.wait_for(fit, 5)
    assert program.trainable_variables[0].get_json() == pending["after"]
    assert lm.calls == []
    assert dash.status["state"] == "done"
