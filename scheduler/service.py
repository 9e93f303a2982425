"""Composition root of the scheduler process: wires transport, dispatch, ingest, leader lease and engine."""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import UTC, datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session, sessionmaker

from radio.db.session import make_engine, make_sessionmaker
from radio.protocol.signing import load_or_create_private_key
from radio.settings import Settings
from scheduler.dispatch import Clock, Dispatcher, Publisher
from scheduler.engine import Engine
from scheduler.ingest import ProcessIngest
from scheduler.leader import LeaderLease
from scheduler.transport import MqttTransport

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


def build_engine(settings: Settings, sessions: sessionmaker[Session], transport: Publisher, key: Ed25519PrivateKey,
                 clock: Clock = utc_now) -> Engine:
    """Dispatcher and engine as the settings say (timings: README, Configuration)."""
    s = settings
    dispatcher = Dispatcher(sessions, transport, key, clock, media_base_url=s.media_base_url,
                            late_tolerance_s=s.late_tolerance_s, control_ttl_s=s.command_ttl_s)
    return Engine(sessions, dispatcher, clock, timezone=s.timezone, lead_s=s.dispatch_lead_s,
                  poll_s=s.scheduler_poll_s, late_tolerance_s=s.late_tolerance_s)


class SchedulerService:
    """Waits for leadership, then runs the engine; gives up leadership (and stops) if it cannot renew."""

    def __init__(self, settings: Settings, *, holder: str | None = None) -> None:
        self.settings = settings
        settings.ensure_dirs()
        self.db = make_engine(settings.db_url)
        self.sessions = make_sessionmaker(self.db)
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}"
        self.lease = LeaderLease(self.sessions, self.holder, settings.leader_ttl_s, utc_now)
        self.stopping = threading.Event()
        self.is_leader = threading.Event()
        self.transport: MqttTransport | None = None
        self.engine: Engine | None = None
        self.ingest: ProcessIngest | None = None

    def run(self) -> None:
        """Block until stop() or lost leadership."""
        renew_every = self.settings.leader_ttl_s / 3
        while not self.stopping.is_set() and not self.lease.try_acquire():
            self.stopping.wait(1.0)
        if self.stopping.is_set():
            return
        self.is_leader.set()
        log.info("scheduler %s is the leader", self.holder)
        try:
            self._start_components()
            while not self.stopping.wait(renew_every):
                if not self.lease.try_acquire():
                    log.error("lost the scheduler lease: stopping so two schedulers never run at once")
                    break
        finally:
            self._stop_components()
            self.is_leader.clear()

    def stop(self) -> None:
        self.stopping.set()

    def _start_components(self) -> None:
        s = self.settings
        key = load_or_create_private_key(s.signing_key_path)
        self.transport = MqttTransport(s.mqtt_host, s.mqtt_port, s.mqtt_username, s.mqtt_password,
                                       client_id="radio-scheduler")
        # Decoding and writes in a child process: sharing the MQTT thread's interpreter lock caps ingest near
        # 7,000 events/s on 2 cores; apart, 10,000+/s (docs/benchmarks.md, bench/ingest.py).
        self.ingest = ProcessIngest(s.db_url)
        self.ingest.start()
        self.transport.handlers.append(self.ingest.on_message)
        self.transport.start()
        self.engine = build_engine(s, self.sessions, self.transport, key)
        self.engine.start()

    def _stop_components(self) -> None:
        if self.engine:
            self.engine.stop()
        if self.transport:
            self.transport.stop()
        if self.ingest:
            self.ingest.stop()
        self.lease.release()
