"""DashboardState: what the dashboard sends, and when, without a widget or a loop."""

from __future__ import annotations

from types import SimpleNamespace

from synalinks_nb.notebook import protocol as p
from synalinks_nb.notebook.dashboard_state import SNAPSHOT_INTERVAL, DashboardState


def test_points_go_out_at_once_but_the_snapshot_at_most_once_per_interval() -> None:
    state = DashboardState()
    state.set_status(state="running")
    state.add_point("train_reward", 1, 0.25)
    first, snapshot = state.take_update(now=100.0)
    assert first is not None and snapshot is not None

    state.add_point("train_reward", 2, 0.5)
    message, snapshot = state.take_update(now=100.0 + SNAPSHOT_INTERVAL / 2)
    assert message is not None and [pt["y"] for pt in message["points"]] == [0.5]
    assert snapshot is None  # a running fit does not re-sync every flush

    message, snapshot = state.take_update(now=100.0 + SNAPSHOT_INTERVAL)
    assert message is None  # nothing new since the last delta...
    assert snapshot == {"series": {"train_reward": [[1.0, 0.25], [2.0, 0.5]], "val_reward": []}}


def test_a_waiting_run_resyncs_the_snapshot_immediately() -> None:
    state = DashboardState()
    state.set_status(state="running")
    state.take_update(now=0.0)
    state.set_status(state="waiting")
    state.put_proposal(p.Proposal(id="a", variable_path="gen/examples"))
    message, snapshot = state.take_update(now=0.01)
    assert message is not None and [x["id"] for x in message["proposals"]] == ["a"]
    assert snapshot is not None and [x["id"] for x in snapshot["proposals"]] == ["a"]


def test_missing_rewards_are_not_plotted() -> None:
    state = DashboardState()
    assert not state.add_point("val_reward", 1, None)
    assert not state.add_point("val_reward", 1, True)
    assert state.take_update(now=0.0) == (None, None)


def test_decided_proposals_are_dropped_oldest_first_but_pending_ones_stay() -> None:
    state = DashboardState(max_proposals=3)
    state.put_proposal(p.Proposal(id="pending-0", variable_path="v"))
    for i in range(5):
        state.put_proposal(p.Proposal(id=f"done-{i}", variable_path="v", status="accepted"))
    assert list(state.proposals) == ["pending-0", "done-3", "done-4"]
    assert state.pending_count() == 1
    state.update_proposal("pending-0", status="rejected")
    state.update_proposal("gone", status="rejected")  # unknown ids are ignored
    assert state.pending_count() == 0


def test_usage_is_summed_over_models_per_phase_and_only_sent_when_it_moves() -> None:
    usage = p.PhaseUsage(calls=2, prompt_tokens=10, completion_tokens=5, cost=0.5)
    models = [SimpleNamespace(usage={"optimizer": usage}) for _ in range(2)]
    state = DashboardState()
    state.refresh_usage(models)
    message, _ = state.take_update(now=0.0)
    assert message is not None
    assert message["usage"]["optimizer"]["calls"] == 4
    assert message["usage"]["optimizer"]["cost"] == 1.0
    state.refresh_usage(models)
    assert state.take_update(now=5.0) == (None, None)


def test_versions_that_exist_already_are_in_the_snapshot_but_not_news() -> None:
    first = p.Version(variable_path="gen/instructions", index=0, source="init", value={})
    state = DashboardState(versions=[first])
    assert [v["source"] for v in state.snapshot(["versions"])["versions"]] == ["init"]
    assert state.take_update(now=0.0) == (None, None)


def test_close_pending_rejects_only_what_still_waits() -> None:
    state = DashboardState()
    state.put_proposal(p.Proposal(id="a", variable_path="v"))
    state.put_proposal(p.Proposal(id="b", variable_path="v", status="accepted"))
    state.close_pending("training ended")
    assert {k: (x.status, x.reason) for k, x in state.proposals.items()} == {
        "a": ("rejected", "training ended"), "b": ("accepted", "")}


def test_two_proposals_and_two_versions_in_one_window_all_reach_the_view() -> None:
    state = DashboardState()
    state.set_status(state="running")
    state.take_update(now=0.0)
    state.put_proposal(p.Proposal(id="a", variable_path="gen/examples"))
    state.put_proposal(p.Proposal(id="b", variable_path="gen/instructions"))
    state.update_proposal("a", status="accepted")  # "a" goes once, in its latest state
    for index in (1, 2):
        state.add_version(p.Version(variable_path="gen/examples", index=index))
    message, _ = state.take_update(now=0.05)
    assert message is not None
    assert [(x["id"], x["status"]) for x in message["proposals"]] == [
        ("b", "pending"), ("a", "accepted")]
    assert [v["index"] for v in message["versions"]] == [1, 2]
    assert p.parse_backend_message(message) == p.Delta.model_validate(message)
    assert state.take_update(now=0.2)[0] is None  # nothing is sent twice
