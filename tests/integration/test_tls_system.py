"""The whole system as deployed: MQTT over TLS (8883-style listener), the web under gunicorn over HTTPS, node
agents that verify the CA and host names; a bulletin airs on every node and each as-run row arrives once."""

import pytest
from sqlalchemy import func, select

from launcher.selftest import schedule_article, wait_for_outcomes
from launcher.system import LocalSystem
from radio.db.models import AsRun
from radio.db.session import make_engine, make_sessionmaker

pytestmark = pytest.mark.integration


def test_bulletin_airs_over_tls_from_the_production_web(tmp_path):
    system = LocalSystem(tmp_path, nodes=2, player="file", web_server="gunicorn", tls=True,
                         settings_overrides={"web_workers": 1, "web_threads": 8})
    system.start()
    try:
        assert system.base_url.startswith("https://127.0.0.1:")
        assert system.broker.tls is not None
        assert f"listener {system.broker.tls.port} 127.0.0.1" in system.broker.conf_path.read_text()
        for agent in system.agents:
            assert agent.config.broker_tls and agent.config.broker_port == system.broker.tls.port
        bulletin_id = schedule_article(system, "Xin chào bà con, đây là bản tin thử qua kết nối mã hóa.",
                                       start_in_s=4)
        assert wait_for_outcomes(system, bulletin_id, 2, timeout_s=60) == {"completed": 2}
        engine = make_engine(system.settings.db_url)
        with make_sessionmaker(engine)() as session:
            assert session.scalar(select(func.count()).select_from(AsRun).where(AsRun.bulletin_id == bulletin_id)) == 2
        engine.dispose()
        # Every node fetched the media over HTTPS (the scheduler's URL) into its own cache.
        for agent in system.agents:
            assert any(agent.config.cache_dir.glob("*.mp3"))
    finally:
        system.stop()
