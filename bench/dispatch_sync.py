"""Dispatch-to-start benchmark (issue 4): the real scheduler, database, web and Mosquitto, N simulated nodes.

LocalSystem runs Mosquitto (per-node accounts + ACL), SQLite, the web (it serves the media) and the
SchedulerService in this process; the simulator replaces the in-process node agents. One commune-wide
bulletin is synthesized and scheduled through the database like `radio selftest`; the scheduler dispatches
it `--lead-s` ahead of air time. We read the as-run rows the ingest wrote from the nodes' events, and the
simulator's sub-millisecond start times. The JSON summary is the last line.

    .venv/bin/python bench/dispatch_sync.py --nodes 1000
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import CpuWindow, machine, print_json, rss_mb, start_stats
from sqlalchemy import select

from launcher.selftest import ARTICLE, schedule_article, wait_for_outcomes
from launcher.sim import Simulator
from launcher.sim.system import SimulatedNodesSystem
from launcher.sim.worker import raise_nofile_limit
from radio.db.models import AsRun, CommandRow
from radio.db.session import make_engine, make_sessionmaker

MAX_NODES = 10000


def wait_started(db_url: str, bulletin_id: int, expected: int, timeout_s: float) -> tuple[CommandRow | None, int]:
    engine = make_engine(db_url)
    sessions = make_sessionmaker(engine)
    deadline = time.monotonic() + timeout_s
    command, started = None, 0
    try:
        while time.monotonic() < deadline:
            with sessions() as s:
                # The first play command published for the bulletin (a later one would be a re-dispatch).
                command = s.scalars(select(CommandRow).where(
                    CommandRow.bulletin_id == bulletin_id, CommandRow.kind == "play", CommandRow.payload != "",
                ).order_by(CommandRow.issued_at)).first()
                if command is not None:
                    started = len(s.scalars(select(AsRun.id).where(AsRun.command_id == command.id,
                                                                   AsRun.started_at_ms.is_not(None))).all())
                    s.expunge(command)
            if started >= expected:
                break
            time.sleep(0.2)
    finally:
        engine.dispose()
    return command, started


def as_run_rows(db_url: str, command_id: str) -> tuple[list[tuple[str, int | None, str]], list[dict[str, Any]]]:
    """The command's as-run rows, and every command stored for the bulletin (one expected)."""
    engine = make_engine(db_url)
    try:
        with make_sessionmaker(engine)() as s:
            rows = s.execute(select(AsRun.node_id, AsRun.started_at_ms, AsRun.outcome)
                             .where(AsRun.command_id == command_id)).all()
            bulletin_id = s.get(CommandRow, command_id).bulletin_id  # type: ignore[union-attr]
            commands = [
                {"kind": c.kind, "start_at": c.start_at.isoformat() if c.start_at else None,
                 "issued_at": c.issued_at.isoformat(), "published_at": c.published_at and c.published_at.isoformat(),
                 "as_run": dict(Counter(s.scalars(select(AsRun.outcome).where(AsRun.command_id == c.id)).all()))}
                for c in s.scalars(select(CommandRow).where(CommandRow.bulletin_id == bulletin_id)
                                   .order_by(CommandRow.issued_at))
            ]
        return [(n, t, o) for n, t, o in rows], commands
    finally:
        engine.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=1000)
    ap.add_argument("--procs", type=int, default=None, help="simulator processes (default: cores)")
    ap.add_argument("--start-in-s", type=float, default=15.0, help="bulletin start, from when it is saved")
    ap.add_argument("--lead-s", type=float, default=10.0, help="scheduler dispatch_lead_s")
    ap.add_argument("--connect-rate", type=float, default=400.0)
    args = ap.parse_args()
    if not 1 <= args.nodes <= MAX_NODES or not 0 < args.lead_s < args.start_in_s <= 120:
        ap.error(f"--nodes 1..{MAX_NODES}; 0 < --lead-s < --start-in-s <= 120")
    raise_nofile_limit()  # the broker started by LocalSystem inherits it
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one access-log line per media fetch

    with tempfile.TemporaryDirectory(prefix="radio-dispatch-") as tmp:
        system = SimulatedNodesSystem(Path(tmp), nodes=args.nodes, player="null",
                                      settings_overrides={"dispatch_lead_s": args.lead_s})
        sim = Simulator()
        try:
            system.start()
            assert system.settings is not None and system.scheduler is not None
            settings = system.settings
            if not system.scheduler.is_leader.wait(20):
                raise RuntimeError("scheduler did not become leader")
            pem = system.public_key_pem
            t0 = time.monotonic()
            sim.start(system.accounts, system.broker.port, pem, procs=args.procs, connect_rate=args.connect_rate)
            sim.wait_connected(timeout=args.nodes / args.connect_rate * 3 + 30)
            connect_s = time.monotonic() - t0
            print(f"{args.nodes} simulated nodes connected in {connect_s:.1f} s; scheduling the bulletin", flush=True)

            cpu = CpuWindow([system.broker.process.pid, *sim.pids]).start()  # type: ignore[union-attr]
            bulletin_id = schedule_article(system, ARTICLE, start_in_s=args.start_in_s, title="Bench dispatch")
            command, _ = wait_started(settings.db_url, bulletin_id, args.nodes, args.start_in_s + 20)
            cpu_pct = cpu.stop()
            if command is None:
                raise RuntimeError("the scheduler never dispatched the bulletin")
            payload = json.loads(command.payload)
            scheduled_ms = payload["start_at_ms"]
            counts = wait_for_outcomes(system, bulletin_id, args.nodes, timeout_s=payload["duration_ms"] / 1000 + 30)
            rows, commands = as_run_rows(settings.db_url, command.id)
            results = sim.results()
            bursts = [{k: v for k, v in b.items() if k != "due_ms"} for b in sim.bursts()]
            broker_pid = system.broker.process.pid  # type: ignore[union-attr]
            broker_rss, sim_rss = rss_mb(broker_pid), sum(rss_mb(p) for p in sim.pids)
            procs = len(sim.pids)
        finally:
            sim.stop()
            system.stop()

    db_starts = [float(t) for _, t, _ in rows if t is not None]
    sim_starts = [r.started_at_ms[command.id] for r in results.values() if command.id in r.started_at_ms]
    published_ms = command.published_at.timestamp() * 1000 if command.published_at else None
    db_stats = start_stats(db_starts, scheduled_ms)
    summary: dict[str, Any] = {
        "bench": "dispatch_sync",
        "nodes": args.nodes,
        "procs": procs,
        "commands": commands,  # all stored for the bulletin; the figures above are for the first play
        "as_run_rows": len(rows),
        "started": len(db_starts),
        "completed": Counter(o for _, _, o in rows)["completed"],
        **db_stats,  # from as_run.started_at_ms (integer ms, what the reports see)
        "sim": start_stats(sim_starts, scheduled_ms),  # the same starts at sub-ms resolution
        "dispatched_ahead_ms": round(scheduled_ms - published_ms) if published_ms else None,
        "outcomes": counts,
        "connect_s": round(connect_s, 1),
        "broker_cpu_pct": cpu_pct.pop(broker_pid),
        "sim_cpu_pct": round(sum(cpu_pct.values()), 1),
        "rss_mb": round(sim_rss, 1),
        "broker_rss_mb": round(broker_rss, 1),
        "start_bursts": bursts,
        "machine": machine(),
    }
    for k, v in summary.items():
        print(f"  {k:24} {v}")
    print_json(summary)


if __name__ == "__main__":
    main()
