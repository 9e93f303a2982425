"""The whole system (real scheduler, web, Mosquitto) with one node's link cut by a TCP proxy, or the broker down."""

import json
import time
from datetime import timedelta

import pytest
from node_support import LinkCutter, wait_for
from sqlalchemy import func, select

from launcher.selftest import schedule_article, wait_for_outcomes
from launcher.system import LocalSystem
from radio.db.models import AsRun, Bulletin, Node, NodeEventRow
from radio.db.session import make_engine, make_sessionmaker

pytestmark = [pytest.mark.faults, pytest.mark.integration]

CUT, DIRECT = "n38001-0001", "n38001-0002"
TEXT = "Đài truyền thanh xã Cẩm Tân xin thông báo."


@pytest.fixture
def system(tmp_path):
    s = LocalSystem(tmp_path, nodes=2, player="file")
    proxy = LinkCutter(s.broker.port)
    for node_id in (CUT, DIRECT):
        s.node_overrides[node_id] = {"reconnect_min_s": 1, "reconnect_max_s": 1}
    s.node_overrides[CUT]["broker_port"] = proxy.port
    s.start()
    s.proxy = proxy
    s.sessions = make_sessionmaker(make_engine(s.settings.db_url))
    yield s
    s.stop()
    proxy.close()


def events(system, node_id, kind=None):
    with system.sessions() as s:
        q = select(NodeEventRow).where(NodeEventRow.node_id == node_id)
        rows = s.scalars(q if kind is None else q.where(NodeEventRow.kind == kind)).all()
    return rows


def played(system, node_id):
    path = system.workdir / "nodes" / node_id / "played" / "played.jsonl"
    return [json.loads(x) for x in path.read_text().splitlines()] if path.exists() else []


def bulletin_times(system, bulletin_id):
    with system.sessions() as s:
        b = s.get(Bulletin, bulletin_id)
        return int(b.start_at.timestamp() * 1000), b.audio.duration_ms


def test_link_drop_after_prefetch_still_plays_on_time_and_reports_later(system):
    bulletin_id = schedule_article(system, TEXT, start_in_s=3)
    assert wait_for(lambda: events(system, CUT, "received"), 10)
    system.proxy.cut()
    start_ms, duration_ms = bulletin_times(system, bulletin_id)
    assert wait_for(lambda: played(system, CUT), 10)
    assert abs(played(system, CUT)[0]["started_at"] * 1000 - start_ms) <= 50
    time.sleep(max(0.0, (start_ms + duration_ms) / 1000 - time.time()) + 0.3)
    assert events(system, CUT, "started") == []  # nothing could reach the server meanwhile
    system.proxy.restore()
    assert wait_for_outcomes(system, bulletin_id, 2, timeout_s=15) == {"completed": 2}
    kinds = sorted(e.kind for e in events(system, CUT))
    assert kinds == ["finished", "received", "started"]  # each stored once
    with system.sessions() as s:
        row = s.scalars(select(AsRun).where(AsRun.node_id == CUT)).one()
    assert abs(row.started_at_ms - start_ms) <= 50


def test_node_offline_across_air_time_never_plays_late_and_is_missed(system):
    def online():
        with system.sessions() as s:
            return s.get(Node, CUT).online

    system.proxy.cut()
    assert wait_for(lambda: not online(), 5)
    bulletin_id = schedule_article(system, TEXT, start_in_s=2)
    start_ms, duration_ms = bulletin_times(system, bulletin_id)
    # Back after the command expired (start + duration + 5 s): the broker must not deliver it, nor may it play.
    time.sleep(max(0.0, (start_ms + duration_ms + 5500) / 1000 - time.time()))
    system.proxy.restore()
    assert wait_for(online, 10)
    system.scheduler.engine.report_grace = timedelta(seconds=0)  # do not wait the 30 s for a late report
    counts = wait_for_outcomes(system, bulletin_id, 2, timeout_s=15)
    assert counts == {"completed": 1, "missed": 1}
    time.sleep(0.5)
    assert played(system, CUT) == [] and events(system, CUT) == []


@pytest.mark.security
def test_broker_restart_mid_broadcast_loses_no_event(system):
    bulletin_id = schedule_article(system, TEXT, start_in_s=2)
    start_ms, duration_ms = bulletin_times(system, bulletin_id)
    assert wait_for(lambda: events(system, CUT, "started") and events(system, DIRECT, "started"), 10)
    system.broker.stop()  # mid-broadcast: the nodes finish playing and keep their reports
    time.sleep(max(0.0, (start_ms + duration_ms) / 1000 - time.time()) + 0.3)
    assert all(played(system, n) for n in (CUT, DIRECT))
    # A bulletin scheduled while the broker is down is dispatched when it is back.
    second = schedule_article(system, "Bản tin thứ hai.", start_in_s=6)
    system.broker.start()
    assert wait_for_outcomes(system, bulletin_id, 2, timeout_s=15) == {"completed": 2}
    assert wait_for_outcomes(system, second, 2, timeout_s=20) == {"completed": 2}
    with system.sessions() as s:
        total = s.scalar(select(func.count()).select_from(NodeEventRow))
        distinct = s.scalar(select(func.count(func.distinct(NodeEventRow.event_id))))
    assert total == distinct == 12  # received, started, finished × 2 nodes × 2 bulletins
