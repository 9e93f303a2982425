"""The scheduler's timing settings reach the engine and the dispatcher (scheduler.service.build_engine):
late_tolerance_s (when a bulletin not yet sent is overdue, how long its play command stays valid) and
command_ttl_s (how long stop and volume commands stay valid)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from factories import make_audio, make_bulletin, make_commune
from radio.db.models import Bulletin, CommandRow, ControlRequest
from radio.protocol.signing import generate_private_key
from radio.settings import load_settings
from scheduler.service import build_engine

NOW = datetime(2026, 11, 21, 23, 0, tzinfo=UTC)


class FakePublisher:
    def __init__(self):
        self.sent = []

    def publish(self, topic, payload, *, expiry_s, retain=False):
        self.sent.append((topic, json.loads(payload), expiry_s))


def _engine(sessions, tmp_path, **settings):
    pub = FakePublisher()
    engine = build_engine(load_settings(env={}, data_dir=tmp_path, **settings), sessions, pub,
                          generate_private_key(tmp_path / "k.pem"), lambda: NOW)
    return engine, pub


@pytest.mark.parametrize(("tolerance_s", "status"), [(5, "missed"), (60, "dispatched")])
def test_late_tolerance_decides_whether_a_bulletin_30_s_late_still_goes_out(sessions, tmp_path, tolerance_s,
                                                                            status):
    with sessions() as s:
        _c, villages, _n = make_commune(s)
        audio = make_audio(s, duration_ms=10_000)
        b = make_bulletin(s, audio, NOW - timedelta(seconds=30), villages)
        s.commit()
    engine, pub = _engine(sessions, tmp_path, late_tolerance_s=tolerance_s)
    engine.reconcile()
    with sessions() as s:
        assert s.get(Bulletin, b.id).status == status
    if status == "dispatched":
        cmd = pub.sent[0][1]
        # Valid until the item would have ended when started at the latest acceptable moment.
        assert cmd["expires_at_ms"] - cmd["start_at_ms"] == 10_000 + tolerance_s * 1000
    else:
        assert pub.sent == []


@pytest.mark.parametrize("tolerance_s", [5, 20])
def test_late_tolerance_sets_the_validity_of_play_commands(sessions, tmp_path, tolerance_s):
    with sessions() as s:
        _c, villages, _n = make_commune(s)
        b = make_bulletin(s, make_audio(s, duration_ms=10_000), NOW + timedelta(seconds=30), villages)
        s.commit()
    engine, pub = _engine(sessions, tmp_path, late_tolerance_s=tolerance_s, dispatch_lead_s=60)
    engine.reconcile()
    cmd = pub.sent[0][1]
    assert cmd["bulletin_id"] == b.id
    assert cmd["expires_at_ms"] - cmd["start_at_ms"] == 10_000 + tolerance_s * 1000


@pytest.mark.parametrize("ttl_s", [600, 90])
def test_command_ttl_sets_the_validity_of_stop_and_volume_commands(sessions, tmp_path, ttl_s):
    with sessions() as s:
        commune, _v, _n = make_commune(s)
        s.add(ControlRequest(kind="volume", area_id=commune.id, volume=40))
        s.add(ControlRequest(kind="stop", area_id=commune.id))
        s.commit()
    engine, pub = _engine(sessions, tmp_path, command_ttl_s=ttl_s)
    engine.reconcile()
    assert sorted(p["type"] for _t, p, _e in pub.sent) == ["stop", "volume"]
    # A "stop whatever plays" is about the moment it was pressed: never valid longer than 60 s (docs/protocol.md).
    expected_s = {"volume": ttl_s, "stop": min(ttl_s, 60)}
    for _topic, cmd, expiry_s in pub.sent:
        assert cmd["expires_at_ms"] - cmd["issued_at_ms"] == expected_s[cmd["type"]] * 1000
        assert expiry_s == pytest.approx(expected_s[cmd["type"]])  # the broker drops it for a node away longer
    with sessions() as s:
        rows = s.scalars(select(CommandRow)).all()
        assert sorted(r.expires_at - r.issued_at for r in rows) == sorted(
            timedelta(seconds=v) for v in expected_s.values())


def test_default_command_ttl_is_ten_minutes():
    assert load_settings(env={}).command_ttl_s == 600
