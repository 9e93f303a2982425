import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from factories import make_audio, make_bulletin, make_commune
from radio.db.models import Area, AsRun, Bulletin, CommandRow, ControlRequest
from radio.protocol import PlayCommand, StopCommand, Targets, VolumeCommand, decode_command, topics
from radio.protocol.signing import generate_private_key, load_public_keys, public_key_pem, verify
from scheduler.dispatch import Dispatcher

NOW = datetime(2026, 11, 21, 23, 0, 0, tzinfo=UTC)  # 06:00 on 22/11 in Asia/Ho_Chi_Minh


class FakePublisher:
    def __init__(self):
        self.sent: list[tuple[str, bytes, float | None]] = []

    def publish(self, topic, payload, *, expiry_s, retain=False):
        self.sent.append((topic, payload, expiry_s))


def _setup(sessions, tmp_path):
    with sessions() as s:
        _commune, villages, _nodes = make_commune(s, villages=3, nodes_per_village=2)
        audio = make_audio(s, duration_ms=4000)
        b = make_bulletin(s, audio, NOW + timedelta(seconds=90), [villages[0], villages[2]])
        s.commit()
        bid = b.id
    key = generate_private_key(tmp_path / "k.pem")
    pub = FakePublisher()
    d = Dispatcher(sessions, pub, key, lambda: NOW, media_base_url="http://radio.local:5000/")
    return d, pub, key, bid


def test_dispatch_publishes_one_signed_command_per_target_group(sessions, tmp_path):
    d, pub, key, bid = _setup(sessions, tmp_path)
    cid = d.dispatch(bid)
    assert {t for t, _, _ in pub.sent} == {topics.area_cmd("38001-01"), topics.area_cmd("38001-03")}
    payloads = {p for _, p, _ in pub.sent}
    assert len(payloads) == 1
    obj = json.loads(payloads.pop())
    assert verify(obj, load_public_keys(public_key_pem(key)))
    cmd = decode_command(json.dumps(obj))
    assert isinstance(cmd, PlayCommand)
    assert cmd.id == cid
    assert cmd.start_at_ms == int((NOW + timedelta(seconds=90)).timestamp() * 1000)
    assert cmd.media_url == f"http://radio.local:5000/media/{'ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb'}.mp3"
    assert cmd.duration_ms == 4000
    # MQTT expiry matches the command's own validity: start + duration + tolerance - now.
    assert all(abs(e - (90 + 4 + 5)) < 0.01 for _, _, e in pub.sent)


def test_dispatch_creates_pending_as_run_rows_for_nodes_of_targeted_villages(sessions, tmp_path):
    d, _pub, _key, bid = _setup(sessions, tmp_path)
    d.dispatch(bid)
    with sessions() as s:
        nodes = s.scalars(select(AsRun.node_id).where(AsRun.bulletin_id == bid).order_by(AsRun.node_id)).all()
        assert nodes == ["n38001-010", "n38001-011", "n38001-030", "n38001-031"]
        assert s.get(Bulletin, bid).status == "dispatched"


def test_redispatch_after_restart_sends_the_same_command_id(sessions, tmp_path):
    d, pub, key, bid = _setup(sessions, tmp_path)
    first = d.dispatch(bid)
    restarted = Dispatcher(sessions, pub, key, lambda: NOW + timedelta(seconds=5), media_base_url="http://x")
    assert restarted.dispatch(bid, resend=True) == first
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(CommandRow)) == 1
        assert s.scalar(select(func.count()).select_from(AsRun)) == 4
    assert len({p for _, p, _ in pub.sent}) == 1


def test_cancelled_or_expired_bulletins_are_not_sent(sessions, tmp_path):
    d, pub, key, bid = _setup(sessions, tmp_path)
    with sessions() as s:
        s.get(Bulletin, bid).status = "cancelled"
        s.commit()
    assert d.dispatch(bid) is None
    assert pub.sent == []
    with sessions() as s:
        s.get(Bulletin, bid).status = "scheduled"
        s.commit()
    d.dispatch(bid)
    pub.sent.clear()
    d.dispatch(bid)  # already published: not sent again unless a restart asks for it
    assert pub.sent == []
    late = Dispatcher(sessions, pub, key, lambda: NOW + timedelta(hours=1), media_base_url="http://x")
    assert late.dispatch(bid, resend=True) is None  # expired: never re-sent
    assert pub.sent == []


def test_concurrent_dispatches_of_one_bulletin_make_one_command(sessions, tmp_path):
    """The APScheduler job and the reconcile job can both find a bulletin due (seen at 1,000 nodes)."""
    import threading

    d, pub, _key, bid = _setup(sessions, tmp_path)
    barrier = threading.Barrier(4)
    ids = []

    def go():
        barrier.wait()
        ids.append(d.dispatch(bid))

    threads = [threading.Thread(target=go) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(ids)) == 1
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(CommandRow)) == 1
        assert s.scalar(select(func.count()).select_from(AsRun)) == 4
    assert len(pub.sent) == 2  # published once, to each of the two village topics


@pytest.mark.security
def test_play_and_its_stop_carry_the_bulletins_targets_in_the_signed_bytes(sessions, tmp_path):
    d, pub, key, bid = _setup(sessions, tmp_path)
    cid = d.dispatch(bid)
    play = decode_command(pub.sent[0][1])
    assert play.targets == Targets(areas=("38001-01", "38001-03"))
    d.send_stop(bid)
    stop = decode_command(pub.sent[-1][1])
    assert isinstance(stop, StopCommand) and stop.target_command_id == cid and stop.targets == play.targets
    assert verify(json.loads(pub.sent[-1][1]), load_public_keys(public_key_pem(key)))


@pytest.mark.security
def test_control_commands_name_their_area_or_node_and_a_stop_all_expires_quickly(sessions, tmp_path):
    d, pub, _key, _bid = _setup(sessions, tmp_path)
    with sessions() as s:
        village = s.scalars(select(Area).where(Area.code == "38001-02")).one()
        reqs = [ControlRequest(kind="stop", area_id=village.id), ControlRequest(kind="volume", volume=40,
                                                                                 node_id="n38001-010")]
        s.add_all(reqs)
        s.commit()
        ids = [r.id for r in reqs]
    d.send_control(ids[0])
    d.send_control(ids[1])
    stop, volume = (decode_command(p) for _t, p, _e in pub.sent)
    assert isinstance(stop, StopCommand) and stop.target_command_id is None
    assert stop.targets == Targets(areas=("38001-02",))
    # Queued for an offline node, a "stop whatever plays" must not cut the next bulletin minutes later.
    assert stop.expires_at_ms - stop.issued_at_ms == 60_000 and pub.sent[0][2] <= 60
    assert isinstance(volume, VolumeCommand) and volume.targets == Targets(nodes=("n38001-010",))
