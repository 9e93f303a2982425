"""Plain data shared by the simulator's parent and its worker processes (all picklable)."""

from __future__ import annotations

from dataclasses import dataclass, field

import radio


@dataclass(frozen=True)
class SimConfig:
    """How every virtual node in a run behaves; the same for all worker processes."""

    host: str = "127.0.0.1"
    port: int = 1883
    public_key_pem: str = ""
    # Heartbeat period; each node jitters it by ±10 % so 10,000 nodes do not publish in lock-step.
    heartbeat_s: float = 60.0
    # Connects per second over all processes: a burst of 10,000 CONNECTs overflows Mosquitto's listen backlog.
    connect_rate: float = 400.0
    keepalive_s: int = 30
    session_expiry_s: int = 86400
    late_tolerance_ms: int = 5000
    cache_dir: str = ""
    agent_version: str = f"sim-{radio.__version__}"


@dataclass
class NodeResult:
    """What one virtual node did. Times are epoch milliseconds; started_at_ms keeps sub-ms precision."""

    node_id: str
    connected: bool = False
    subscribed: bool = False
    connects: int = 0  # accepted CONNACKs; more than one means the node reconnected
    heartbeats: int = 0
    delivered_at_ms: dict[str, float] = field(default_factory=dict)  # command arrived (before validation)
    received_at_ms: dict[str, int] = field(default_factory=dict)  # accepted and media ready
    scheduled_ms: dict[str, int] = field(default_factory=dict)
    started_at_ms: dict[str, float] = field(default_factory=dict)
    finished_at_ms: dict[str, int] = field(default_factory=dict)
    interrupted_at_ms: dict[str, int] = field(default_factory=dict)
    missed: dict[str, str] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    rejected: list[tuple[str | None, str]] = field(default_factory=list)


@dataclass(frozen=True)
class SimStatus:
    """Counters summed over the virtual nodes of one or all processes."""

    nodes: int = 0
    connected: int = 0
    subscribed: int = 0
    connects: int = 0
    heartbeats: int = 0
    events: int = 0

    def __add__(self, other: SimStatus) -> SimStatus:
        return SimStatus(*(a + b for a, b in zip(self._values(), other._values(), strict=True)))

    def _values(self) -> tuple[int, ...]:
        return (self.nodes, self.connected, self.subscribed, self.connects, self.heartbeats, self.events)
