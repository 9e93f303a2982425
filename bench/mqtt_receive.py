"""The scheduler's MQTT receiving path alone: a broker backlog drained by MqttTransport, acknowledged in batches.

Mosquitto holds N node events (QoS 1) for the scheduler's persistent session, as after a restart or a burst; then
the scheduler's real transport (MqttTransport, MQTT 5, manual acknowledgements, Receive Maximum 10,000) drains
them. The handler stands in for ProcessIngest without a database: it keeps each delivery and a second thread
acknowledges what arrived every 10 ms, as the ingest's result reader does after each commit. We time from the
connection until every message is acknowledged and the broker has nothing left for the session, and give the CPU
of this process (paho's network thread, the handler, the acknowledgements) and of Mosquitto per message, the
figures that decide how many events/s one core receives (docs/benchmarks.md, "As-run ingest").

    PYTHONPATH=. .venv/bin/python bench/mqtt_receive.py --messages 60000
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest import _cpu, start_bench_broker, start_publishers

from radio.broker import SCHEDULER_USER
from scheduler.transport import Delivery, MqttTransport


class AckingSink:
    """Keeps deliveries; a thread acknowledges everything received so far every 10 ms (one call per batch)."""

    def __init__(self, transport_of: list[MqttTransport]) -> None:
        self.transports = transport_of
        self.lock = threading.Lock()
        self.waiting: list[Delivery] = []
        self.received = 0
        self.acked = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def on_delivery(self, d: Delivery) -> None:
        with self.lock:
            self.waiting.append(d)
            self.received += 1

    def _run(self) -> None:
        while not self.stop.wait(0.01):
            with self.lock:
                batch, self.waiting = self.waiting, []
            if batch:
                self.transports[-1].ack_many(batch)
                self.acked += len(batch)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=60_000)
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--publishers", type=int, default=2)
    args = parser.parse_args()
    if not 3 <= args.messages <= 2_000_000:
        parser.error("--messages must be between 3 and 2,000,000")
    per_node = max(1, args.messages // (3 * args.nodes))
    jobs = [(f"n{n:05d}", str(uuid.uuid4()), 1_700_000_000_000 + b) for b in range(per_node)
            for n in range(args.nodes)][: max(1, args.messages // 3)]
    expected = 3 * len(jobs)
    with tempfile.TemporaryDirectory(prefix="radio-mqtt-recv-") as tmp:
        broker = start_bench_broker(Path(tmp) / "broker", args.publishers)
        try:
            client_id = f"bench-recv-{os.getpid()}"
            password = broker.service_passwords[SCHEDULER_USER]
            transports: list[MqttTransport] = []
            sink = AckingSink(transports)
            first = MqttTransport("127.0.0.1", broker.port, SCHEDULER_USER, password, client_id=client_id)
            transports.append(first)
            first.handler = sink.on_delivery
            first.start()
            time.sleep(0.5)
            first.stop()  # the persistent session keeps the subscription; the broker queues for it
            procs, go, done = start_publishers(broker, jobs, args.publishers, 0)
            go.set()
            sent = sum(done.get(timeout=600) for _ in procs)
            for p in procs:
                p.join(timeout=30)
            time.sleep(1.0)
            sink.received = sink.acked = 0
            sink.thread.start()
            broker_pid = broker.process.pid if broker.process else None
            cpu0, broker0 = _cpu(os.getpid()), _cpu(broker_pid)
            transport = MqttTransport("127.0.0.1", broker.port, SCHEDULER_USER, password, client_id=client_id)
            transports.append(transport)
            transport.handler = sink.on_delivery
            t0 = time.perf_counter()
            transport.start()
            deadline = t0 + max(120.0, expected / 1000)
            while sink.acked < sent and time.perf_counter() < deadline:
                time.sleep(0.002)
            elapsed = time.perf_counter() - t0
            cpu, broker_cpu = _cpu(os.getpid()) - cpu0, _cpu(broker_pid) - broker0
            sink.stop.set()
            transport.stop()
        finally:
            broker.stop()
    print(json.dumps({
        "messages": sent, "received": sink.received, "acknowledged": sink.acked, "elapsed_s": round(elapsed, 3),
        "messages_per_s": round(sink.acked / elapsed) if elapsed else None,
        "receiver_cpu_us_per_message": round(cpu / max(1, sink.acked) * 1e6, 1),
        "broker_cpu_us_per_message": round(broker_cpu / max(1, sink.acked) * 1e6, 1),
        "loadavg": os.getloadavg()[0],
    }), flush=True)


if __name__ == "__main__":
    main()
