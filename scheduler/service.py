"""Composition root of the scheduler process: wires transport, dispatch, ingest, leader lease and engine."""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session, sessionmaker

from radio.db.session import make_engine, make_sessionmaker
from radio.protocol.signing import load_or_create_private_key
from radio.settings import Settings
from scheduler.alerts_job import SUMMARY_EVERY_S, AlertJob
from scheduler.dispatch import Clock, Dispatcher, Publisher
from scheduler.engine import Engine
from scheduler.ingest_process import ProcessIngest
from scheduler.ingest_writer import is_retained_report
from scheduler.leader import LeaderLease
from scheduler.transport import Delivery, MqttTransport
from station.httt.config import links_from_settings
from station.httt.media import ProvinceAudioFetcher
from station.httt.worker import Connector
from station.service_health import SCHEDULER, write_service_health

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
                  poll_s=s.scheduler_poll_s, late_tolerance_s=s.late_tolerance_s, uplink_mbit=s.uplink_mbit)


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
        # The HTTT nguồn connector (station.httt) runs with the leader, so one process sends each province's queue.
        self.httt: Connector | None = None
        self._httt_stop = threading.Event()
        self._httt_thread: threading.Thread | None = None
        self._health_lock = threading.Lock()

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
            self.report_health()
            while not self.stopping.wait(renew_every):
                if not self.lease.try_acquire():
                    log.error("lost the scheduler lease: stopping so two schedulers never run at once")
                    break
                self.report_health()
        finally:
            self._stop_components()
            self.report_health(state="stopped")
            self.is_leader.clear()

    def stop(self) -> None:
        self.stopping.set()

    def health(self) -> dict[str, Any]:
        transport = self.transport.stats() if self.transport else {"connected": False}
        ingest = self.ingest.health() if self.ingest else {"alive": False}
        detail = {"mqtt": transport, "ingest": ingest}
        if self.httt is not None:
            detail["httt"] = self.httt.stats()
        return detail

    def report_health(self, state: str = "running") -> None:
        """Write this leader's health for /healthz: ok while the MQTT link is up and the ingest writer runs."""
        detail = self.health() | {"state": state}
        ok = state == "running" and bool(detail["mqtt"].get("connected")) and bool(detail["ingest"].get("alive"))
        try:
            with self._health_lock, self.sessions() as session:
                write_service_health(session, SCHEDULER, self.holder, ok, detail, utc_now(),
                                     only_own=state != "running")
        except Exception:
            log.exception("could not record the scheduler's health")

    def _on_delivery(self, delivery: Delivery) -> None:
        assert self.transport is not None and self.ingest is not None
        if is_retained_report(delivery) and delivery.payload:
            # Clear it at the broker: a retained event would otherwise be kept for every future subscriber.
            log.warning("clearing a retained message on %s", delivery.topic)
            self.transport.publish(delivery.topic, b"", expiry_s=None, retain=True)
        self.ingest.on_delivery(delivery)

    def _start_components(self) -> None:
        s = self.settings
        key = load_or_create_private_key(s.signing_key_path)
        self.transport = MqttTransport(s.mqtt_host, s.mqtt_port, s.mqtt_username, s.mqtt_password)
        # Decoding and writes in a supervised child process: sharing the MQTT thread's interpreter lock caps
        # ingest near 7,000 events/s on 2 cores; apart, the storage path does 25,000+/s on PostgreSQL
        # (docs/benchmarks.md, bench/ingest.py). A message is acknowledged to the broker only once the child has
        # stored it.
        self.ingest = ProcessIngest(s.db_url, acker=self.transport.ack_many, on_change=self.report_health)
        self.ingest.start()
        self.transport.handler = self._on_delivery
        self.transport.start()
        self.engine = build_engine(s, self.sessions, self.transport, key)
        self.engine.start()
        links = links_from_settings(s.extra)
        if links:
            # The province's recordings come into the library as uploads do (station/httt/media.py).
            fetcher = ProvinceAudioFetcher.for_settings(self.sessions, s, links)
            self.httt = Connector(self.sessions, links, utc_now, media_base_url=s.media_base_url,
                                  audio_fetch=fetcher)
            self._httt_stop.clear()
            self._httt_thread = threading.Thread(target=self.httt.run_forever, args=(self._httt_stop,),
                                                 name="httt", daemon=True)
            self._httt_thread.start()
        alerts = AlertJob(self.sessions, s, utc_now)
        self.engine.aps.add_job(alerts.run, "interval", seconds=s.alert_check_s, id="alerts", max_instances=1,
                                coalesce=True)
        # Warnings become bulletins here; the engine's next reconcile (every poll) dispatches them.
        self.engine.aps.add_job(alerts.warnings, "interval", seconds=max(s.scheduler_poll_s, 1.0), id="warnings",
                                max_instances=1, coalesce=True)
        self.engine.aps.add_job(alerts.weekly, "interval", seconds=SUMMARY_EVERY_S, id="weekly_summary",
                                max_instances=1, coalesce=True)

    def _stop_components(self) -> None:
        self._httt_stop.set()
        if self._httt_thread is not None:
            self._httt_thread.join(timeout=15)
        if self.engine:
            self.engine.stop()
        # The writer first, while the link is up: what it stores on the way out is still acknowledged.
        if self.ingest:
            self.ingest.stop()
        if self.transport:
            self.transport.stop()
        self.lease.release()
