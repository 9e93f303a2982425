"""Durable node state: commands re-armed after a restart, seen ids, the outbox and the PUBACK bookkeeping."""

import pytest
from node_support import play_command

from radio.node.state import Change, NodeState


@pytest.fixture
def state(tmp_path):
    s = NodeState(tmp_path / "state.db")
    yield s
    s.close()


def reopen(state):
    state.close()
    return NodeState(state.path)


def test_accepted_command_and_seen_id_survive_a_restart(state):
    cmd = play_command(1_000_000)
    state.remember(cmd.id, cmd)
    state.remember("stop-1")
    state = reopen(state)
    [stored] = state.commands()
    assert stored.cmd == cmd and stored.state == "accepted" and stored.attempt == 1
    assert state.seen_ids() == [cmd.id, "stop-1"]


def test_event_and_command_change_are_one_record(state):
    cmd = play_command(1_000_000)
    state.remember(cmd.id, cmd)
    state.record_event("e1", "t", b"started", cmd.id, Change.STARTED, attempt=1, at_ms=5)
    assert state.commands()[0].state == "started" and state.commands()[0].started_ms == 5
    state.record_event("e2", "t", b"interrupted", cmd.id, Change.RETRY, attempt=1)
    assert state.commands()[0].state == "accepted" and state.commands()[0].attempt == 2
    state.record_event("e3", "t", b"finished", cmd.id, Change.DONE, attempt=2)
    assert state.commands() == []
    assert [r.event_id for r in state.outbox()] == ["e1", "e2", "e3"]


def test_outbox_keeps_order_and_forgets_only_delivered_rows(state):
    seqs = [state.record_event(f"e{i}", "t", f"p{i}".encode()) for i in range(4)]
    state.delivered(seqs[1])
    state = reopen(state)
    assert [r.event_id for r in state.outbox()] == ["e0", "e2", "e3"]
    assert [r.payload for r in state.outbox()] == [b"p0", b"p2", b"p3"]
    assert state.outbox_size() == 3


def test_seen_ids_are_bounded(tmp_path):
    state = NodeState(tmp_path / "s.db", seen_capacity=3)
    for i in range(5):
        state.remember(f"c{i}")
    state.prune_seen()
    assert state.seen_ids() == ["c2", "c3", "c4"]
    state.close()


def test_settings_outlive_a_restart(state):
    state.put("volume", "40")
    state.put("volume", "35")
    assert reopen(state).get("volume") == "35"
