"""`radio simulate --nodes N [--config FILE]`: N virtual loudspeaker nodes for demos and load tests.

Two ways to find a broker:
- default: nodes come from the database of --config (the sample commune is seeded up to N nodes), and a
  private Mosquitto with their fresh credentials is started on the configured MQTT port, with the
  scheduler account from the settings. Then `radio serve` and `radio scheduler` with the same --config
  drive N nodes. The accounts are written to <data_dir>/sim/accounts.json.
- --accounts FILE: an existing broker (settings mqtt_host/mqtt_port) that already knows these accounts
  (JSON list of {"node_id", "password", "area_codes"}).
Commands are verified with the public half of the settings' signing key.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import threading
import time
from pathlib import Path
from typing import Any

from radio.broker import SCHEDULER_USER, Mosquitto, NodeAccount


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("simulate", help="run N simulated loudspeaker nodes (load tests, demos)")
    p.add_argument("--nodes", type=int, required=True)
    p.add_argument("--config", help="server settings (TOML); RADIO_* variables apply as usual")
    p.add_argument("--accounts", help="JSON accounts for an existing broker (else: a private broker)")
    p.add_argument("--procs", type=int, default=None, help="worker processes (default: number of cores)")
    p.add_argument("--heartbeat-s", type=float, default=60.0)
    p.add_argument("--connect-rate", type=float, default=400.0, help="connects per second")
    p.add_argument("--duration", type=float, default=0.0, help="seconds to run; 0 = until Ctrl-C")
    p.set_defaults(func=cmd_simulate)


def load_accounts(path: Path, limit: int) -> list[NodeAccount]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    return [NodeAccount(str(a["node_id"]), str(a["password"]), tuple(str(c) for c in a["area_codes"]))
            for a in raw[:limit]]


def _seeded_accounts(settings: Any, nodes: int) -> list[NodeAccount]:
    from radio.db.migrate import upgrade
    from radio.db.session import make_engine, make_sessionmaker
    from radio.seed import seed_sample_commune

    settings.ensure_dirs()
    upgrade(settings.db_url)
    engine = make_engine(settings.db_url)
    try:
        with make_sessionmaker(engine)() as session:
            return seed_sample_commune(session, nodes=nodes).accounts
    finally:
        engine.dispose()


def cmd_simulate(args: argparse.Namespace) -> int:
    from launcher.sim.simulator import Simulator
    from launcher.sim.worker import raise_nofile_limit
    from radio.protocol.signing import load_or_create_private_key, public_key_pem
    from radio.settings import load_settings

    settings = load_settings(args.config)
    pem = public_key_pem(load_or_create_private_key(settings.signing_key_path))
    raise_nofile_limit()  # before the broker starts: it inherits the limit
    broker: Mosquitto | None = None
    if args.accounts:
        accounts = load_accounts(Path(args.accounts), args.nodes)
    else:
        accounts = _seeded_accounts(settings, args.nodes)
        sim_dir = settings.data_dir / "sim"
        passwords = {SCHEDULER_USER: settings.mqtt_password} if settings.mqtt_password else {}
        broker = Mosquitto(sim_dir / "broker", port=settings.mqtt_port, service_passwords=passwords)
        broker.write_config(accounts)
        broker.start()
        accounts_file = sim_dir / "accounts.json"
        accounts_file.write_text(json.dumps([a.__dict__ for a in accounts], indent=1))
        accounts_file.chmod(0o600)
        print(f"private Mosquitto on 127.0.0.1:{broker.port} (user {SCHEDULER_USER!r}, password "
              f"{'from the settings' if settings.mqtt_password else broker.service_passwords[SCHEDULER_USER]})")
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    sim = Simulator()
    try:
        sim.start(accounts, settings.mqtt_port if broker is None else broker.port, pem,
                  host=settings.mqtt_host if broker is None else "127.0.0.1", procs=args.procs,
                  heartbeat_s=args.heartbeat_s, connect_rate=args.connect_rate)
        print(f"{len(accounts)} simulated nodes in {len(sim.pids)} processes; Ctrl-C to stop", flush=True)
        deadline = time.monotonic() + args.duration if args.duration else None
        with contextlib.suppress(KeyboardInterrupt):
            while not done.wait(10.0 if deadline is None else min(10.0, max(0.0, deadline - time.monotonic()))):
                s = sim.status()
                print(f"connected {s.connected}/{s.nodes}  heartbeats {s.heartbeats}  events {s.events}", flush=True)
                if deadline is not None and time.monotonic() >= deadline:
                    break
    finally:
        print("stopping...", flush=True)
        sim.stop()
        if broker is not None:
            broker.stop()
    return 0
