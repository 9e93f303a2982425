from datetime import UTC, datetime, timedelta

from factories import make_audio, make_bulletin, make_commune
from radio.db.models import AsRun, Bulletin
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


def test_bulletin_whose_start_passed_while_down_is_marked_missed(sessions):
    clock, disp = Clock(), RecordingDispatcher()
    with sessions() as s:
        _c, villages, _n = make_commune(s)
        b = make_bulletin(s, make_audio(s), clock.now - timedelta(minutes=10), villages)
        s.commit()
    _engine(sessions, clock, disp).reconcile()
    assert disp.calls == []
    with sessions() as s:
        assert s.get(Bulletin, b.id).status == "missed"


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
