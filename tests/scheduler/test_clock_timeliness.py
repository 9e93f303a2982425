"""The node's clock estimate travels from its `started` event to as_run and into the bulletin's timeliness."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from factories import make_audio, make_bulletin, make_commune
from radio.db.models import AsRun, Node
from radio.protocol import EventKind, NodeEvent
from radio.protocol.signing import generate_private_key
from scheduler.dispatch import Dispatcher
from scheduler.ingest import apply_to_as_run
from station.lateness import bulletin_timeliness

NOW = datetime(2026, 11, 21, 23, 0, 0, tzinfo=UTC)
START = NOW + timedelta(seconds=10)
START_MS = int(START.timestamp() * 1000)

pytestmark = pytest.mark.security


class NullPublisher:
    def publish(self, *a, **k):
        pass


def _started(cid, node, at, offset=None, uncertainty=None):
    return NodeEvent(f"{node}:{cid}:started", node, EventKind.STARTED, at, cid, 1, START_MS,
                     clock_offset_ms=offset, clock_uncertainty_ms=uncertainty)


def test_clock_estimate_is_stored_and_a_wrong_clock_shows_in_timeliness(sessions, tmp_path):
    with sessions() as s:
        _c, villages, _n = make_commune(s, villages=3)
        bid = make_bulletin(s, make_audio(s, duration_ms=3000), START, villages).id
        s.commit()
    cid = Dispatcher(sessions, NullPublisher(), generate_private_key(tmp_path / "k.pem"), lambda: NOW,
                     media_base_url="http://x").dispatch(bid)
    with sessions() as s:
        # n38001-030 is an old agent without clock members, 3 s fast by its last heartbeat.
        s.get(Node, "n38001-030").clock_offset_ms = -3000
        s.commit()
    with sessions() as s:  # new rows, then an update of existing rows: both write paths keep the estimate
        apply_to_as_run(s, [_started(cid, "n38001-010", START_MS + 3, offset=-3000, uncertainty=2)])
        s.commit()
    with sessions() as s:
        apply_to_as_run(s, [_started(cid, "n38001-020", START_MS + 1, offset=0, uncertainty=40),
                            _started(cid, "n38001-030", START_MS + 2)])
        s.commit()
    with sessions() as s:
        rows = {r.node_id: r for r in s.scalars(select(AsRun).where(AsRun.bulletin_id == bid))}
        assert (rows["n38001-010"].clock_offset_ms, rows["n38001-010"].clock_uncertainty_ms) == (-3000, 2)
        assert rows["n38001-030"].clock_offset_ms is None
        t = bulletin_timeliness(s, bid)
    assert t.nodes_started == 3 and t.unverified == 0
    assert t.error_max_ms == 2998  # the old node's real start: 3 s early, not "+2 ms"
    assert t.clock_uncertainty_max_ms == 40
