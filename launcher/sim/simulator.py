"""`Simulator`: N virtual loudspeaker nodes in a few worker processes, for tests, benches and demos.

    sim = Simulator()
    sim.start(accounts, broker_port, public_key_pem, procs=2)
    sim.wait_connected(timeout=30)
    ...                                   # publish signed commands
    started = sim.results()["n38001-0001"].started_at_ms[command_id]
    sim.stop()

Workers are started with the "spawn" method: forking a parent that runs broker, web and scheduler threads
would copy their locks in whatever state they are in.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import shutil
import tempfile
import time
from collections.abc import Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from launcher.sim.model import NodeResult, SimConfig, SimStatus
from launcher.sim.worker import raise_nofile_limit, worker_main
from radio.broker import NodeAccount


class SimulatorError(RuntimeError):
    pass


class Simulator:
    def __init__(self) -> None:
        self._procs: list[tuple[BaseProcess, Connection]] = []
        self._tmp: str | None = None
        self.config: SimConfig | None = None

    @property
    def pids(self) -> list[int]:
        return [p.pid for p, _ in self._procs if p.pid is not None]

    def start(
        self,
        accounts: Sequence[NodeAccount],
        broker_port: int,
        public_key_pem: str,
        *,
        host: str = "127.0.0.1",
        procs: int | None = None,
        heartbeat_s: float = 60.0,
        connect_rate: float = 400.0,
        keepalive_s: int = 30,
        session_expiry_s: int = 86400,
        late_tolerance_ms: int = 5000,
        cache_dir: str | None = None,
        ready_timeout_s: float = 60.0,
    ) -> None:
        if self._procs:
            raise SimulatorError("simulator already started")
        procs = max(1, min(procs or os.cpu_count() or 1, len(accounts) or 1))
        if cache_dir is None:
            self._tmp = tempfile.mkdtemp(prefix="radio-sim-")
            cache_dir = self._tmp
        self.config = SimConfig(
            host=host, port=broker_port, public_key_pem=public_key_pem, heartbeat_s=heartbeat_s,
            connect_rate=connect_rate, keepalive_s=keepalive_s, session_expiry_s=session_expiry_s,
            late_tolerance_ms=late_tolerance_ms, cache_dir=cache_dir,
        )
        raise_nofile_limit()  # children inherit it (and so does a broker started after this)
        ctx = mp.get_context("spawn")
        for i in range(procs):
            share = list(accounts[i::procs])  # round robin: every process holds nodes of every village
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=worker_main, args=(child, i, share, self.config, procs),
                               name=f"radio-sim-{i}", daemon=True)
            proc.start()
            child.close()
            self._procs.append((proc, parent))
        for started, conn in self._procs:
            self._answer(started, conn, ready_timeout_s)

    def status(self, timeout_s: float = 30.0) -> SimStatus:
        total = SimStatus()
        for part in self._ask("status", None, timeout_s):
            total = total + part
        return total

    def wait_connected(self, timeout: float, *, expected: int | None = None) -> SimStatus:
        """Wait until every node is connected and subscribed (a command published before a node's SUBACK
        could miss it); raises TimeoutError with the counts otherwise."""
        deadline = time.monotonic() + timeout
        while True:
            status = self.status()
            want = expected if expected is not None else status.nodes
            if status.subscribed >= want:
                return status
            if time.monotonic() > deadline:
                raise TimeoutError(f"only {status.subscribed}/{want} nodes subscribed after {timeout} s: {status}")
            time.sleep(0.2)

    def results(self, timeout_s: float = 120.0) -> dict[str, NodeResult]:
        merged: dict[str, NodeResult] = {}
        for blob in self._ask("results", None, timeout_s):
            for result in pickle.loads(blob):
                merged[result.node_id] = result
        return merged

    def bursts(self) -> list[dict[str, Any]]:
        """Start-timer diagnostics, one dict per process and start instant: nodes started, whether the
        network loop paused in time, how late the first node started and how long the burst took (ms)."""
        return [b for part in self._ask("bursts", None, 30.0) for b in part]

    def stop(self, timeout_s: float = 10.0) -> None:
        """Clean shutdown of all nodes: offline status, then DISCONNECT."""
        try:
            if self._procs:
                self._ask("stop", timeout_s / 2, timeout_s)
        except (SimulatorError, OSError, EOFError):
            pass
        finally:
            for proc, conn in self._procs:
                proc.join(timeout=2)
                if proc.is_alive():
                    proc.kill()
                    proc.join(timeout=2)
                conn.close()
            self._procs.clear()
            if self._tmp:
                shutil.rmtree(self._tmp, ignore_errors=True)
                self._tmp = None

    def __enter__(self) -> Simulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _ask(self, request: str, arg: Any, timeout_s: float) -> list[Any]:
        # Ask all workers first, then collect: they answer in parallel.
        for _, conn in self._procs:
            conn.send((request, arg))
        return [self._answer(proc, conn, timeout_s) for proc, conn in self._procs]

    @staticmethod
    def _answer(proc: BaseProcess, conn: Connection, timeout_s: float) -> Any:
        if not conn.poll(timeout_s):
            raise SimulatorError(f"{proc.name} did not answer within {timeout_s} s (alive: {proc.is_alive()})")
        try:
            tag, value = conn.recv()
        except EOFError as exc:
            raise SimulatorError(f"{proc.name} exited (code {proc.exitcode})") from exc
        if tag not in ("ok", "ready"):
            raise SimulatorError(f"{proc.name}: {value}")
        return value
