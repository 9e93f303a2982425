"""Issue 4 acceptance: 20+ real node agents on real Mosquitto start one bulletin in step and on time."""

import pytest
from sqlalchemy import select

from launcher.selftest import schedule_article, wait_for_outcomes
from launcher.sim import Simulator
from launcher.sim.system import SimulatedNodesSystem
from launcher.system import LocalSystem
from radio.db.models import AsRun, Bulletin, CommandRow
from radio.db.session import make_engine, make_sessionmaker
from station.lateness import bulletin_timeliness

pytestmark = pytest.mark.integration


@pytest.fixture
def system(tmp_path):
    s = LocalSystem(tmp_path, nodes=24, player="null")
    s.start()
    yield s
    s.stop()


def test_twenty_four_nodes_start_within_5_ms_of_each_other_and_20_ms_of_schedule(tmp_path):
    """Real scheduler, Mosquitto with per-node accounts and ACL, web media, SQLite; 24 simulated nodes, each its
    own MQTT client and credentials, in 2 processes (launcher.sim). In-process agents would share one interpreter
    and take turns at air time, which real boxes never do (see radio/sim/system.py)."""
    system = SimulatedNodesSystem(tmp_path, nodes=24, player="null")
    sim = Simulator()
    try:
        system.start()
        assert system.scheduler is not None and system.scheduler.is_leader.wait(20)
        sim.start(system.accounts, system.broker.port, system.public_key_pem, procs=2)
        sim.wait_connected(timeout=30)
        bulletin_id = schedule_article(system, "Bản tin đồng bộ. Đề nghị bà con lắng nghe.", start_in_s=6)
        counts = wait_for_outcomes(system, bulletin_id, 24, timeout_s=60)
        sessions = make_sessionmaker(make_engine(system.settings.db_url))
        with sessions() as s:
            t = bulletin_timeliness(s, bulletin_id)
    finally:
        sim.stop()
        system.stop()
    assert counts == {"completed": 24}
    assert t.nodes_started == 24
    assert t.skew_p99_ms <= 5, t
    assert t.error_p99_ms <= 20, t


@pytest.mark.security
def test_scheduler_restart_after_dispatch_does_not_play_twice(system):
    bulletin_id = schedule_article(system, "Bản tin thử khởi động lại.", start_in_s=8)
    sessions = make_sessionmaker(make_engine(system.settings.db_url))

    def status():
        with sessions() as s:
            return s.get(Bulletin, bulletin_id).status

    import time

    deadline = time.monotonic() + 5
    while status() != "dispatched" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert status() == "dispatched"
    system.scheduler.stop()  # the old leader releases; a new process would do the same
    time.sleep(1.0)
    system.start_scheduler()  # re-publishes the stored command with the same id
    counts = wait_for_outcomes(system, bulletin_id, 24, timeout_s=60)
    assert counts == {"completed": 24}
    with sessions() as s:
        assert len(s.scalars(select(CommandRow).where(CommandRow.bulletin_id == bulletin_id)).all()) == 1
        rows = s.scalars(select(AsRun).where(AsRun.bulletin_id == bulletin_id)).all()
        assert len(rows) == 24 and {r.attempt for r in rows} == {1}
