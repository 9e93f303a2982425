"""Issue 4 rules through the service: quiet hours, caps, overlap (refuse / queue), emergency, programmes."""

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from factories import make_audio, make_commune
from radio.db.models import AreaPolicyRow, Bulletin, Programme, ProgrammeSlot, ProgrammeTarget
from station.bulletins import BulletinError, create_bulletin
from station.programmes import TZ

NOW = datetime(2026, 11, 21, 1, 0, tzinfo=UTC)  # 08:00 local, Saturday 21/11/2026


def local(d, h, m=0, s=0):
    return datetime(2026, 11, d, h, m, s, tzinfo=TZ)


@pytest.fixture
def world(sessions):
    s = sessions()
    commune, villages, nodes = make_commune(s, villages=2, nodes_per_village=2)
    s.add(AreaPolicyRow(area_id=commune.id, quiet_start=time(21, 30), quiet_end=time(5, 30),
                        max_session_minutes=15, max_sessions_per_day=2, session_gap_minutes=10))
    s.commit()
    yield s, commune, villages, nodes
    s.close()


def _create(s, audio, start, areas, **kw):
    args = dict(title=kw.pop("title", "Bản tin"), audio_id=audio.id, start_at=start, area_ids=[a.id for a in areas],
                priority=kw.pop("priority", "normal"), created_by=None, now=NOW)
    args.update(kw)
    b = create_bulletin(s, **args)
    s.commit()
    return b


def test_quiet_hours_refuse_with_a_clear_message_and_write_nothing(world):
    s, commune, _v, _n = world
    audio = make_audio(s, duration_ms=60_000)
    with pytest.raises(BulletinError, match=r"Giờ yên tĩnh .* 21:30 đến 05:30"):
        _create(s, audio, local(22, 4, 30), [commune])
    s.rollback()
    assert s.scalars(select(Bulletin)).all() == []


def test_session_length_cap(world):
    s, commune, _v, _n = world
    ten_min = make_audio(s, duration_ms=600_000, seed="10")
    _create(s, ten_min, local(22, 6, 0), [commune])
    with pytest.raises(BulletinError, match="vượt mức tối đa 15 phút"):
        _create(s, ten_min, local(22, 6, 12), [commune])


def test_sessions_per_day_cap(world):
    s, commune, _v, _n = world
    audio = make_audio(s, duration_ms=60_000)
    _create(s, audio, local(22, 6, 0), [commune])
    _create(s, audio, local(22, 17, 0), [commune])
    with pytest.raises(BulletinError, match="3 phiên phát, vượt mức tối đa 2"):
        _create(s, audio, local(22, 19, 0), [commune])


def test_overlap_on_a_shared_node_is_refused_or_queued_back_to_back(world):
    s, commune, villages, _n = world
    audio = make_audio(s, duration_ms=120_000)
    first = _create(s, audio, local(22, 6, 0), [villages[0]], title="Tin A")
    with pytest.raises(BulletinError, match="Trùng giờ với bản tin “Tin A”"):
        _create(s, audio, local(22, 6, 1), [commune])
    # Another village's loudspeakers are free at that time.
    _create(s, audio, local(22, 6, 1), [villages[1]])
    queued = _create(s, make_audio(s, duration_ms=60_000, seed="q"), local(22, 6, 1), [villages[0]],
                     on_overlap="queue")
    assert queued.start_at == first.start_at + timedelta(seconds=121)
    assert "nối tiếp" in queued.status_detail


def test_emergency_airs_at_once_and_ignores_quiet_hours_and_caps(world):
    s, commune, _v, _n = world
    night_now = local(22, 3, 0).astimezone(UTC)
    audio = make_audio(s, duration_ms=60_000)
    b = create_bulletin(s, title="Bão số 9", audio_id=audio.id, start_at=None, area_ids=[commune.id],
                        priority="emergency", created_by=None, now=night_now)
    assert b.start_at == night_now + timedelta(seconds=3)


def test_chosen_nodes_can_be_targeted_without_an_area(world):
    s, _c, _v, nodes = world
    audio = make_audio(s)
    b = _create(s, audio, local(22, 9, 0), [], node_ids=[nodes[1].id])
    assert [t.node_id for t in b.node_targets] == [nodes[1].id]
    with pytest.raises(BulletinError, match="cụm loa được chọn không tồn tại"):
        _create(s, audio, local(22, 10, 0), [], node_ids=["nope"])


def test_programme_occurrence_gets_jingles_and_priority_first(world):
    s, commune, _v, _n = world
    on, off = make_audio(s, duration_ms=4000, seed="on"), make_audio(s, duration_ms=5000, seed="off")
    prog = Programme(name="Thời sự sáng", commune_id=commune.id, sign_on_audio_id=on.id, sign_off_audio_id=off.id)
    prog.slots.append(ProgrammeSlot(local_time=time(6, 0), days="mon-fri"))
    prog.targets.append(ProgrammeTarget(area_id=commune.id))
    s.add(prog)
    s.commit()
    occ = local(23, 6, 0)  # Monday
    normal = _create(s, make_audio(s, duration_ms=60_000, seed="n"), None, [], programme_id=prog.id,
                     occurrence_start=occ, title="Tin thường")
    urgent = _create(s, make_audio(s, duration_ms=30_000, seed="p"), None, [], programme_id=prog.id,
                     occurrence_start=occ, title="Tin ưu tiên", priority="priority")
    rows = s.scalars(select(Bulletin).where(Bulletin.programme_id == prog.id).order_by(Bulletin.start_at)).all()
    assert [(r.kind, r.title) for r in rows] == [("sign_on", "Nhạc hiệu mở đầu"), ("item", "Tin ưu tiên"),
                                                 ("item", "Tin thường"), ("sign_off", "Nhạc hiệu kết thúc")]
    assert urgent.start_at == occ + timedelta(seconds=5)
    assert normal.start_at == occ + timedelta(seconds=36)
    with pytest.raises(BulletinError, match="không phải một buổi phát"):
        _create(s, make_audio(s, seed="x"), None, [], programme_id=prog.id, occurrence_start=local(22, 6, 0))
