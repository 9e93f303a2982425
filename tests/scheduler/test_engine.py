import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from factories import make_audio, make_bulletin, make_commune
from radio.db.models import AreaPolicyRow, AsRun, Bulletin, ControlRequest
from radio.protocol.signing import generate_private_key
from scheduler.dispatch import Dispatcher
from scheduler.engine import Engine


class Clock:
    def __init__(self):
        self.now = datetime(2026, 11, 21, 23, 0, tzinfo=UTC)

    def __call__(self):
        return self.now


class RecordingDispatcher:
    def __init__(self):
        self.calls: list[int] = []

    def dispatch(self, bid):
        self.calls.append(bid)


def _engine(sessions, clock, dispatcher):
    return Engine(sessions, dispatcher, clock, timezone="Asia/Ho_Chi_Minh", lead_s=60, poll_s=0.5)


def test_reconcile_dispatches_due_bulletins_and_plans_later_ones(sessions):
    clock, disp = Clock(), RecordingDispatcher()
    with sessions() as s:
        _c, villages, _n = make_commune(s)
        audio = make_audio(s)
        soon = make_bulletin(s, audio, clock.now + timedelta(seconds=30), villages)
        later = make_bulletin(s, audio, clock.now + timedelta(hours=2), villages)
        s.commit()
    eng = _engine(sessions, clock, disp)
    eng.aps.start(paused=True)
    try:
        eng.reconcile()
        assert disp.calls == [soon.id]
        job = eng.aps.get_job(f"dispatch:{later.id}")
        assert job is not None
        assert job.next_run_time == later.start_at - timedelta(seconds=60)
        # A changed start time moves the job; a cancellation removes it.
        with sessions() as s:
            s.get(Bulletin, later.id).start_at = clock.now + timedelta(hours=3)
            s.commit()
        eng.reconcile()
        assert eng.aps.get_job(f"dispatch:{later.id}").next_run_time == clock.now + timedelta(hours=3, seconds=-60)
        with sessions() as s:
            s.get(Bulletin, later.id).status = "cancelled"
            s.commit()
        eng.reconcile()
        assert eng.aps.get_job(f"dispatch:{later.id}") is None
    finally:
        eng.aps.shutdown(wait=False)


class FakePublisher:
    def __init__(self):
        self.sent = []

    def publish(self, topic, payload, *, expiry_s, retain=False):
        self.sent.append((topic, json.loads(payload)))


def _real(sessions, clock, tmp_path):
    pub = FakePublisher()
    disp = Dispatcher(sessions, pub, generate_private_key(tmp_path / "k.pem"), clock, media_base_url="http://x")
    return _engine(sessions, clock, disp), pub


def test_run_missed_while_down_is_recorded_per_node_with_the_reason(sessions, tmp_path):
    clock = Clock()
    with sessions() as s:
        _c, villages, _n = make_commune(s, villages=2)
        b = make_bulletin(s, make_audio(s), clock.now - timedelta(minutes=10), villages)
        s.commit()
    eng, pub = _real(sessions, clock, tmp_path)
    eng.reconcile()
    assert pub.sent == []
    with sessions() as s:
        assert s.get(Bulletin, b.id).status == "missed"
        rows = s.scalars(select(AsRun).where(AsRun.bulletin_id == b.id)).all()
        assert len(rows) == 2
        assert {r.outcome for r in rows} == {"missed"}
        assert all("không chạy vào giờ phát (05:50:00 22/11/2026)" in r.detail for r in rows)


def test_run_missed_while_down_starts_late_inside_the_policy_window(sessions, tmp_path):
    clock = Clock()
    with sessions() as s:
        commune, villages, _n = make_commune(s)
        s.add(AreaPolicyRow(area_id=commune.id, late_start_window_s=900))
        b = make_bulletin(s, make_audio(s), clock.now - timedelta(minutes=10), villages)
        s.commit()
    eng, pub = _real(sessions, clock, tmp_path)
    eng.reconcile()
    assert len({p["id"] for _t, p in pub.sent}) == 1  # one command, published once per village topic
    cmd = pub.sent[0][1]
    assert cmd["start_at_ms"] == int((clock.now + timedelta(seconds=3)).timestamp() * 1000)
    with sessions() as s:
        stored = s.get(Bulletin, b.id)
        assert stored.status == "dispatched" and "Phát muộn" in stored.status_detail


def test_cancelling_a_dispatched_bulletin_sends_one_signed_stop(sessions, tmp_path):
    clock = Clock()
    with sessions() as s:
        _c, villages, _n = make_commune(s)
        b = make_bulletin(s, make_audio(s), clock.now + timedelta(seconds=30), villages)
        s.commit()
    eng, pub = _real(sessions, clock, tmp_path)
    eng.reconcile()
    play = pub.sent[0][1]
    with sessions() as s:
        s.get(Bulletin, b.id).status = "cancelled"
        s.commit()
    eng.reconcile()
    eng.reconcile()
    stops = [p for _t, p in pub.sent if p["type"] == "stop"]
    assert len({p["id"] for p in stops}) == 1 and len(stops) == 2  # one command, one publish per topic
    assert stops[0]["target_command_id"] == play["id"] and stops[0]["sig"]
    with sessions() as s:
        assert {r.outcome for r in s.scalars(select(AsRun))} == {"cancelled"}


def test_volume_request_is_signed_and_sent_once(sessions, tmp_path):
    clock = Clock()
    with sessions() as s:
        commune, _v, nodes = make_commune(s)
        s.add(ControlRequest(kind="volume", area_id=commune.id, volume=40))
        s.add(ControlRequest(kind="volume", node_id=nodes[0].id, volume=70))
        s.commit()
    eng, pub = _real(sessions, clock, tmp_path)
    eng.reconcile()
    eng.reconcile()
    assert sorted((t, p["volume"]) for t, p in pub.sent) == [
        ("radio/v1/area/38001/cmd", 40), (f"radio/v1/node/{nodes[0].id}/cmd", 70)]


def test_finalize_marks_silent_nodes_missed_and_closes_bulletins(sessions, tmp_path):
    from radio.protocol.signing import generate_private_key
    from scheduler.dispatch import Dispatcher

    clock = Clock()
    with sessions() as s:
        _c, villages, _n = make_commune(s)
        b = make_bulletin(s, make_audio(s, duration_ms=3000), clock.now + timedelta(seconds=10), villages)
        s.commit()

    class Null:
        def publish(self, *a, **k):
            pass

    Dispatcher(sessions, Null(), generate_private_key(tmp_path / "k"), clock, media_base_url="x").dispatch(b.id)
    eng = _engine(sessions, clock, RecordingDispatcher())
    clock.now += timedelta(seconds=20)
    eng.finalize()
    with sessions() as s:
        assert {r.outcome for r in s.query(AsRun)} == {"pending"}
    clock.now += timedelta(seconds=30)
    eng.finalize()
    with sessions() as s:
        assert {r.outcome for r in s.query(AsRun)} == {"missed"}
        assert s.get(Bulletin, b.id).status == "done"


def test_stop_everything_request_reaches_the_area(sessions, tmp_path):
    clock = Clock()
    with sessions() as s:
        commune, _v, _n = make_commune(s)
        s.add(ControlRequest(kind="stop", area_id=commune.id))
        s.add(ControlRequest(kind="explode", area_id=commune.id))
        s.commit()
    eng, pub = _real(sessions, clock, tmp_path)
    eng.reconcile()
    assert [(t, p["type"], p["target_command_id"]) for t, p in pub.sent] == [("radio/v1/area/38001/cmd", "stop", None)]
    with sessions() as s:
        assert all(r.sent_at is not None for r in s.scalars(select(ControlRequest)))


def test_restarted_engine_resends_the_same_command_not_a_new_one(sessions, tmp_path):
    clock = Clock()
    with sessions() as s:
        _c, villages, _n = make_commune(s, villages=1)
        make_bulletin(s, make_audio(s), clock.now + timedelta(seconds=30), villages)
        s.commit()
    eng, pub = _real(sessions, clock, tmp_path)
    eng.reconcile()
    first = pub.sent[-1][1]
    restarted, pub2 = _real(sessions, clock, tmp_path)
    restarted.republish_unexpired()
    restarted.reconcile()
    assert [p for _t, p in pub2.sent] == [first]  # identical payload, id and signature; sent once
    clock.now += timedelta(minutes=5)  # expired: nothing to resend
    again, pub3 = _real(sessions, clock, tmp_path)
    again.republish_unexpired()
    assert pub3.sent == []


def test_bulletin_is_done_as_soon_as_every_node_reported(sessions, tmp_path):
    clock = Clock()
    with sessions() as s:
        _c, villages, _n = make_commune(s)
        b = make_bulletin(s, make_audio(s, duration_ms=60_000), clock.now + timedelta(seconds=10), villages)
        s.commit()
    eng, _pub = _real(sessions, clock, tmp_path)
    eng.reconcile()
    clock.now += timedelta(seconds=15)  # aired, still inside its 60 s duration
    with sessions() as s:
        rows = s.scalars(select(AsRun)).all()
        rows[0].outcome = "completed"
        s.commit()
    eng.finalize()
    with sessions() as s:
        assert s.get(Bulletin, b.id).status == "dispatched"  # one node has not reported yet
        for r in s.scalars(select(AsRun)):
            r.outcome = "completed"
        s.commit()
    eng.finalize()
    with sessions() as s:
        assert s.get(Bulletin, b.id).status == "done"
