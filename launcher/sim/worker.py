"""A simulator worker process: a share of the virtual nodes, one network thread, one start-timer thread.

The process's main thread only answers the parent over a pipe; it blocks in recv() (no GIL held), so at air
time the start timer has the interpreter to itself once the network loop is paused.
"""

from __future__ import annotations

import gc
import logging
import pickle
import resource
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from launcher.sim.loop import Multiplexer
from launcher.sim.media import MediaCache
from launcher.sim.model import SimConfig, SimStatus
from launcher.sim.starter import StartTimer
from launcher.sim.vnode import Shared, VirtualNode
from radio.broker import NodeAccount
from radio.protocol.signing import load_public_keys

log = logging.getLogger(__name__)
MISC_CHUNK = 500  # clients per loop_misc slice: keep-alive pings without a long stall of the loop


def raise_nofile_limit() -> int:
    """Soft RLIMIT_NOFILE up to the hard limit: one socket per virtual node, thousands per process."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    return soft


class Worker:
    def __init__(self, index: int, accounts: list[NodeAccount], config: SimConfig, procs: int) -> None:
        self.config = config
        self.mux = Multiplexer()
        self.starter = StartTimer(self.mux, self._after_burst)
        media = MediaCache(Path(config.cache_dir) / f"proc{index}")
        self.shared = Shared(config, self.mux, load_public_keys(config.public_key_pem), media, self.starter)
        self.nodes = [VirtualNode(a, self.shared) for a in accounts]
        self.rate = max(1.0, config.connect_rate / procs)  # this process's share of the connect ramp
        self._misc_at = 0

    def start(self) -> None:
        t0 = time.time()
        for i, node in enumerate(self.nodes):
            self.mux.call_at(t0 + i / self.rate, node.connect)
        self.mux.call_at(t0 + len(self.nodes) / self.rate + 5, self._freeze_heap)
        self.mux.call_at(t0 + 1, self._misc)
        self.starter.start()
        self.mux.start()

    def _after_burst(self, handled: list[tuple[Any, Any]]) -> None:
        for node, command in handled:
            node.after_begin(command)

    def _misc(self) -> None:
        """Keep-alive for a slice of the clients; the slices cover every client about once a second."""
        chunk = self.nodes[self._misc_at:self._misc_at + MISC_CHUNK]
        for node in chunk:
            node.client.loop_misc()
        self._misc_at += MISC_CHUNK
        if self._misc_at >= len(self.nodes):
            self._misc_at = 0
        slices = max(1, -(-len(self.nodes) // MISC_CHUNK))
        self.mux.call_at(time.time() + 1.0 / slices, self._misc)

    @staticmethod
    def _freeze_heap() -> None:
        # The clients live for the whole run: move them out of the collector's view, so later collections
        # (and their pauses) only scan the short-lived objects. No gc.collect() first: over 5,000 clients it
        # stalls the loop for tens of ms, possibly just before an air time.
        gc.freeze()

    def status(self) -> SimStatus:
        return SimStatus(
            nodes=len(self.nodes),
            connected=sum(n.result.connected for n in self.nodes),
            subscribed=sum(n.result.subscribed for n in self.nodes),
            connects=sum(n.result.connects for n in self.nodes),
            heartbeats=sum(n.result.heartbeats for n in self.nodes),
            events=self.shared.events,
        )

    def results(self) -> bytes:
        # Pickled on the loop thread: the loop keeps mutating results while the pipe sends them.
        return pickle.dumps([n.result for n in self.nodes])

    def shutdown(self, timeout_s: float) -> None:
        self.shared.stopping = True
        self.starter.stop()
        self.mux.run_sync(self._shutdown_nodes)
        # Let the loop flush the offline statuses and DISCONNECTs; paho closes each socket once sent.
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and self.mux.run_sync(self._open_sockets):
            time.sleep(0.05)
        self.mux.stop()

    def _shutdown_nodes(self) -> None:
        for node in self.nodes:
            node.shutdown()

    def _open_sockets(self) -> int:
        return sum(1 for n in self.nodes if n.client.socket() is not None)


def worker_main(conn: Connection, index: int, accounts: list[NodeAccount], config: SimConfig, procs: int) -> None:
    logging.basicConfig(level=logging.WARNING, format=f"%(asctime)s sim[{index}] %(levelname)s %(message)s")
    raise_nofile_limit()
    worker = Worker(index, accounts, config, procs)
    worker.start()
    conn.send(("ready", None))
    while True:
        try:
            request, arg = conn.recv()
        except EOFError:  # parent gone: leave without a clean shutdown, as a power cut would
            return
        if request == "status":
            conn.send(("ok", worker.mux.run_sync(worker.status)))
        elif request == "results":
            conn.send(("ok", worker.mux.run_sync(worker.results, timeout=120)))
        elif request == "bursts":
            conn.send(("ok", [dict(b, proc=index) for b in worker.starter.bursts]))
        elif request == "stop":
            worker.shutdown(float(arg or 5.0))
            conn.send(("ok", None))
            return
        else:
            conn.send(("error", f"unknown request {request!r}"))
