"""Telemetry from the heartbeat is stored on the node row bounded, field by field, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from factories import make_commune
from radio.db.models import Node
from radio.protocol import Heartbeat, decode_heartbeat, encode, topics
from scheduler.health import TELEMETRY_COLUMNS, apply_heartbeats
from scheduler.ingest_writer import EventIngest

pytestmark = pytest.mark.security
NOW = datetime(2026, 12, 2, 7, 30, 0, tzinfo=UTC)
NODE = "n38001-010"
LOST_MS = int((NOW - timedelta(minutes=25)).timestamp() * 1000)
GOOD = {"temperature_c": 48.46, "storage_free_bytes": 1_200_000_000, "storage_total_bytes": 8_000_000_000,
        "latitude": 10.0452, "longitude": 105.7469, "signal_dbm": -85, "network": "4G", "amplifier_on": True,
        "mains_on": False, "mains_lost_at_ms": LOST_MS}


def _beat(sessions: sessionmaker[Session], payload: bytes) -> tuple[Node, int]:
    with sessions() as s:
        refused = apply_heartbeats(s, [decode_heartbeat(payload)], NOW)
        s.commit()
        node = s.get(Node, NODE)
        assert node is not None
        s.expunge(node)
        return node, refused


def _raw(telemetry: Any) -> bytes:
    hb = json.loads(encode(Heartbeat(NODE, 1, clock_offset_ms=4)))
    hb["telemetry"] = telemetry
    return json.dumps(hb).encode()


@pytest.fixture
def seeded(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    with sessions() as s:
        make_commune(s, villages=1)
        s.commit()
    return sessions


def test_telemetry_round_trips_into_the_node_row(seeded: sessionmaker[Session]) -> None:
    node, refused = _beat(seeded, encode(Heartbeat(NODE, 1, telemetry=dict(GOOD))))
    assert refused == 0
    assert node.temperature_c == 48.5 and node.signal_dbm == -85 and node.network == "4G"
    assert (node.storage_free_bytes, node.storage_total_bytes) == (1_200_000_000, 8_000_000_000)
    assert (node.latitude, node.longitude) == (10.0452, 105.7469)
    assert node.amplifier_on is True and node.mains_on is False
    assert node.mains_lost_at == NOW - timedelta(minutes=25)
    # A heartbeat without telemetry clears it: the box no longer knows, a stale value must not look current.
    node, _ = _beat(seeded, encode(Heartbeat(NODE, 2)))
    assert all(getattr(node, column) is None for column in TELEMETRY_COLUMNS)


@pytest.mark.parametrize(("bad", "lost"), [
    ({"temperature_c": 900}, ["temperature_c"]),
    ({"temperature_c": "hot"}, ["temperature_c"]),
    ({"temperature_c": True}, ["temperature_c"]),
    ({"signal_dbm": 12}, ["signal_dbm"]),
    ({"signal_dbm": -85.5}, ["signal_dbm"]),
    ({"network": "6G"}, ["network"]),
    ({"storage_free_bytes": 9_000_000_000}, ["storage_free_bytes", "storage_total_bytes"]),  # more than total
    ({"storage_total_bytes": -1}, ["storage_total_bytes"]),
    ({"latitude": 95.0}, ["latitude", "longitude"]),  # half a position is none
    ({"amplifier_on": 1}, ["amplifier_on"]),
    ({"mains_on": "no"}, ["mains_on", "mains_lost_at"]),  # a loss time without "mains off" is not kept
    ({"mains_lost_at_ms": LOST_MS + 3 * 86_400_000}, ["mains_lost_at"]),  # in the future
    ({"mains_lost_at_ms": 10**30}, ["mains_lost_at"]),  # beyond any date
    ({"mains_lost_at_ms": 1000}, ["mains_lost_at"]),  # 1970: the box's clock was not set
    ({"mains_on": True}, ["mains_lost_at"]),  # a loss while mains is on
])
def test_one_bad_field_is_refused_and_the_others_are_stored(seeded: sessionmaker[Session], bad: dict[str, Any],
                                                            lost: list[str]) -> None:
    node, refused = _beat(seeded, _raw(GOOD | bad))
    assert refused >= 1
    expected = {"temperature_c": 48.5, "storage_free_bytes": 1_200_000_000, "storage_total_bytes": 8_000_000_000,
                "latitude": 10.0452, "longitude": 105.7469, "signal_dbm": -85, "network": "4G",
                "amplifier_on": True, "mains_on": False, "mains_lost_at": NOW - timedelta(minutes=25)}
    for column, value in expected.items():
        stored = getattr(node, column)
        if column in lost:
            assert stored is None, column
        elif column == "mains_on" and "mains_on" in bad:
            assert stored is bad["mains_on"]
        else:
            assert stored == value, column
    assert node.clock_offset_ms == 4  # the heartbeat itself was kept


@pytest.mark.parametrize("telemetry", ["text", [1, 2], {"temperature_c": [1]}, {"network": "x" * 500},
                                       {"unknown": 1}, {"temperature_c": {"nested": 1}}])
def test_telemetry_that_is_not_telemetry_never_costs_the_heartbeat(seeded: sessionmaker[Session],
                                                                   telemetry: Any) -> None:
    node, refused = _beat(seeded, _raw(telemetry))
    assert refused == 0 and node.clock_offset_ms == 4 and node.heartbeat_at == NOW
    assert all(getattr(node, column) is None for column in TELEMETRY_COLUMNS)


def test_the_ingest_counts_refused_telemetry_fields_and_stores_the_rest(seeded: sessionmaker[Session]) -> None:
    ingest = EventIngest(seeded, lambda: NOW)
    ingest.start()
    try:
        ingest.on_message(topics.node_heartbeat(NODE), _raw(GOOD | {"temperature_c": 1e9, "signal_dbm": 40}))
    finally:
        ingest.stop()
    assert ingest.stats()["telemetry_refused"] == 2
    with seeded() as s:
        node = s.get(Node, NODE)
        assert node is not None and node.heartbeat_at == NOW
        assert node.temperature_c is None and node.signal_dbm is None and node.network == "4G"
