"""The whole system on one machine: private Mosquitto, SQLite, web, scheduler and simulated nodes.

This is what `make demo`, `radio selftest` and the end-to-end tests run; each part is the real one.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server

from launcher.webserver import WebProcess
from radio.broker import (
    SCHEDULER_USER,
    LocalRun,
    Mosquitto,
    NodeAccount,
    TlsListener,
    free_port,
    remove_run_file,
    write_run_file,
)
from radio.db.migrate import upgrade
from radio.db.session import make_engine, make_sessionmaker
from radio.node.agent import NodeAgent
from radio.node.config import NodeConfig
from radio.pki import TestPki, make_test_pki
from radio.protocol.signing import load_or_create_private_key, public_key_pem
from radio.seed import SeedResult, seed_sample_commune
from radio.settings import Settings, load_settings
from scheduler.service import SchedulerService

log = logging.getLogger(__name__)


@dataclass
class LocalSystem:
    workdir: Path
    nodes: int = 12
    player: str = "null"
    web_port: int = 0
    settings_overrides: dict[str, Any] = field(default_factory=dict)
    admin_password: str | None = None
    demo_users: bool = False
    # Per-node NodeConfig changes, e.g. a broker port behind a fault-injection proxy, or a shorter heartbeat.
    node_overrides: dict[str, dict[str, Any]] = field(default_factory=dict)
    # "werkzeug": the web in a thread of this process (demo, most tests: nothing more to start);
    # "gunicorn": `radio serve` as a child process, the production web (deploy tests, benchmarks).
    web_server: str = "werkzeug"
    # TLS as in a deployment: a CA made for the run, the broker's TLS listener for the nodes (the scheduler stays
    # on the loopback plaintext one), the web over HTTPS; nodes verify the CA and the host name of both.
    tls: bool = False

    def __post_init__(self) -> None:
        self.workdir = Path(self.workdir)
        self.pki: TestPki | None = None
        tls_listener = None
        if self.tls:
            self.pki = make_test_pki(self.workdir / "pki")
            tls_listener = TlsListener(self.pki.server.cert, self.pki.server.key, self.pki.ca.cert,
                                       port=free_port(), bind="127.0.0.1")
        self.broker = Mosquitto(self.workdir / "broker", tls=tls_listener)
        self.settings: Settings | None = None
        self.seed: SeedResult | None = None
        self.agents: list[NodeAgent] = []
        self.scheduler: SchedulerService | None = None
        self._threads: list[threading.Thread] = []
        self._web: BaseWSGIServer | None = None
        self._web_process: WebProcess | None = None

    def start(self, *, web: bool = True, scheduler: bool = True) -> None:
        port = self.web_port or free_port()
        overrides = {
            "data_dir": self.workdir / "data",
            "mqtt_port": self.broker.port,
            "mqtt_username": SCHEDULER_USER,
            "mqtt_password": self.broker.service_passwords[SCHEDULER_USER],
            "web_port": port,
            # Plain HTTP on 127.0.0.1 (demo, selftest, browser tests): a Secure cookie would never come back.
            "session_cookie_secure": False,
        } | self._tls_settings() | self.settings_overrides
        self.settings = load_settings(env={}, **overrides)
        self.settings.ensure_dirs()
        # Created once here: the scheduler thread and node configs would otherwise race to create it.
        load_or_create_private_key(self.settings.signing_key_path)
        upgrade(self.settings.db_url)
        engine = make_engine(self.settings.db_url)
        with make_sessionmaker(engine)() as session:
            self.seed = seed_sample_commune(session, nodes=self.nodes, admin_password=self.admin_password,
                                            demo_users=self.demo_users)
        engine.dispose()
        self.broker.write_config(self.seed.accounts)
        self.broker.start()
        assert self.broker.process is not None
        # `radio node provision --data-dir` reads it to reach this broker and database (docs/node.md).
        write_run_file(self.settings.data_dir, LocalRun(
            self.broker.process.pid, self.broker.port, self.broker.workdir, self.settings.db_url,
            self.settings.media_base_url, self.player))
        if web:
            self._start_web()
        if scheduler:
            self.start_scheduler()
        self.start_nodes(self.seed.accounts)

    def _tls_settings(self) -> dict[str, Any]:
        if self.pki is None:
            return {}
        # The certificate names localhost and 127.0.0.1; nodes use "localhost", checked like a real host name.
        return {"tls_cert_file": str(self.pki.server.cert), "tls_key_file": str(self.pki.server.key)}

    def _start_web(self) -> None:
        from web import create_app

        assert self.settings is not None
        if self.web_server == "gunicorn":
            self._web_process = WebProcess(self.settings, self.workdir)
            self._web_process.start()
            return
        app = create_app(self.settings)
        ssl_context = None
        if self.settings.tls_cert_file:
            ssl_context = (self.settings.tls_cert_file, self.settings.tls_key_file)
        self._web = make_server(self.settings.web_host, self.settings.web_port, app, threaded=True,
                                ssl_context=ssl_context)
        self._spawn("web", self._web.serve_forever)

    def start_scheduler(self) -> SchedulerService:
        assert self.settings is not None
        self.scheduler = SchedulerService(self.settings)
        self._spawn("scheduler", self.scheduler.run)
        return self.scheduler

    def node_config(self, account: NodeAccount) -> NodeConfig:
        assert self.settings is not None
        key = load_or_create_private_key(self.settings.signing_key_path)
        node_dir = self.workdir / "nodes" / account.node_id
        config = NodeConfig(
            node_id=account.node_id, password=account.password, broker_port=self.broker.port,
            area_codes=account.area_codes, public_key_pem=public_key_pem(key), cache_dir=node_dir / "cache",
            player=self.player, player_options={"out_dir": str(node_dir / "played")},
            server_url=self.settings.media_base_url, late_tolerance_ms=int(self.settings.late_tolerance_s * 1000),
        )
        if self.pki is not None and self.broker.tls is not None:
            config = replace(config, broker_host="localhost", broker_port=self.broker.tls.port, broker_tls=True,
                             ca_file=self.pki.ca.cert,
                             server_url=self.settings.media_base_url.replace("127.0.0.1", "localhost"))
        return replace(config, **self.node_overrides.get(account.node_id, {}))

    def start_nodes(self, accounts: list[NodeAccount]) -> None:
        for account in accounts:
            agent = NodeAgent(self.node_config(account))
            agent.start(wait_s=0)
            self.agents.append(agent)
        for agent in self.agents:
            agent._connected.wait(10)

    @property
    def base_url(self) -> str:
        assert self.settings is not None
        return self.settings.media_base_url

    def stop(self) -> None:
        # The run file says "provision into me"; a stopping system must stop saying so first, whatever
        # the rest of the shutdown takes (a supervisor may kill us before the threads have joined).
        if self.settings is not None:
            remove_run_file(self.settings.data_dir)
        for agent in self.agents:
            try:
                agent.stop()
            except Exception:
                log.exception("stopping node %s", agent.config.node_id)
        self.agents.clear()
        if self.scheduler:
            self.scheduler.stop()
        if self._web:
            self._web.shutdown()
            self._web.server_close()
        if self._web_process:
            self._web_process.stop()
            self._web_process = None
        for thread in self._threads:
            thread.join(timeout=10)
        self._threads.clear()
        self.broker.stop()

    def _spawn(self, name: str, target: Any) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)
