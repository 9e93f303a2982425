"""The scheduler keeps a heartbeat's time health on the node row; the protocol bounds it first."""

import json
from datetime import UTC, datetime

import pytest

from factories import make_commune
from radio.db.models import Node
from radio.protocol import Heartbeat, ProtocolError, decode_heartbeat, encode
from scheduler.health import apply_heartbeats

NOW = datetime(2026, 11, 30, 23, 0, 0, tzinfo=UTC)


def _hb(**extra: object) -> bytes:
    obj = json.loads(encode(Heartbeat(node_id="n1", at_ms=1)))
    obj.update(extra)
    return json.dumps(obj).encode()


def test_drift_and_source_are_decoded_bounded_and_unknown_sources_dropped():
    hb = decode_heartbeat(_hb(clock_drift_ppm=12.3456, clock_source="chrony", clock_uncertainty_ms=3))
    assert (hb.clock_drift_ppm, hb.clock_source, hb.clock_uncertainty_ms) == (12.35, "chrony", 3)
    assert decode_heartbeat(_hb(clock_source="sundial")).clock_source is None
    old = decode_heartbeat(_hb())  # an older agent sends neither
    assert old.clock_drift_ppm is None and old.clock_source is None
    for bad in (1e9, "12", True):
        with pytest.raises(ProtocolError):
            decode_heartbeat(_hb(clock_drift_ppm=bad))


def test_heartbeat_time_health_lands_on_the_node_row(sessions):
    with sessions() as s:
        make_commune(s, villages=1)
        s.commit()
    hb = decode_heartbeat(encode(Heartbeat("n38001-010", 1, clock_offset_ms=-1700, clock_uncertainty_ms=4,
                                           clock_drift_ppm=-31.5, clock_source="server")))
    with sessions() as s:
        apply_heartbeats(s, [hb], NOW)
        s.commit()
        node = s.get(Node, "n38001-010")
        assert (node.clock_offset_ms, node.clock_uncertainty_ms, node.clock_drift_ppm, node.clock_source) == (
            -1700, 4, -31.5, "server")
