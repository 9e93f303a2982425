"""A node's disk trouble, reported in its heartbeat, is kept on its row for the monitor."""

from datetime import UTC, datetime

import pytest

from factories import make_commune
from radio.db.models import Node
from radio.protocol import Heartbeat, decode_heartbeat, encode
from scheduler.health import apply_heartbeats

pytestmark = pytest.mark.security
NOW = datetime(2026, 11, 21, 23, 0, 0, tzinfo=UTC)


def test_storage_error_is_stored_and_cleared(sessions):
    with sessions() as s:
        make_commune(s, villages=1)
        s.commit()
    full = decode_heartbeat(encode(Heartbeat("n38001-010", 1, storage_error="state disk full: database or disk "
                                             "is full", clock_uncertainty_ms=3)))
    assert full.clock_uncertainty_ms == 3
    with sessions() as s:
        apply_heartbeats(s, [full], NOW)
        s.commit()
        assert s.get(Node, "n38001-010").storage_error.startswith("state disk full")
    with sessions() as s:
        apply_heartbeats(s, [Heartbeat("n38001-010", 2)], NOW)
        s.commit()
        assert s.get(Node, "n38001-010").storage_error is None
