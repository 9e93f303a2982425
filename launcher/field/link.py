"""A 4G link as the field has it: base one-way delay, per-direction jitter, fixed asymmetry, loss and drops."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

RTO_S = 0.2  # Linux's minimum TCP retransmission timeout: what a lost segment costs
JITTER_MEAN_S = 0.020


@dataclass
class LinkModel:
    """Delays for the two directions of one node's link. Up = node → server.

    The asymmetry is split evenly: up gets base + asym/2, down gets base − asym/2, so round trips cannot see it."""

    base_s: float = 0.05
    asymmetry_s: float = 0.0
    jitter_mean_s: float = JITTER_MEAN_S
    loss: float = 0.01
    drops: list[tuple[float, float]] = field(default_factory=list)  # (true time, duration): link down
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, up: bool) -> float:
        """One message's one-way delay: base, the fixed asymmetry, exponential jitter, and a retransmission when
        the segment is lost."""
        d = self.base_s + (self.asymmetry_s / 2 if up else -self.asymmetry_s / 2)
        d += self.rng.expovariate(1 / self.jitter_mean_s) if self.jitter_mean_s > 0 else 0.0
        while self.rng.random() < self.loss:
            d += RTO_S
        return max(0.0, d)

    def down_at(self, t: float) -> bool:
        return any(at <= t < at + length for at, length in self.drops)

    def exchange(self, t0: float) -> tuple[float, float] | None:
        """A request sent at true time t0: (true time the server reads its clock, true time the answer is back),
        or None when the link is down."""
        if self.down_at(t0):
            return None
        at_server = t0 + self.delay(True)
        back = at_server + self.delay(False)
        return None if self.down_at(back) else (at_server, back)


def draw_link(rng: random.Random, *, base_min_s: float = 0.03, base_max_s: float = 0.3,
              asymmetry_s: float = 0.004, loss: float = 0.01) -> LinkModel:
    """A link with base delay uniform in [base_min, base_max], fixed asymmetry uniform in ±asymmetry_s."""
    return LinkModel(rng.uniform(base_min_s, base_max_s), rng.uniform(-asymmetry_s, asymmetry_s),
                     loss=loss, rng=random.Random(rng.random()))
