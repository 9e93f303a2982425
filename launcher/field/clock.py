"""A box's clock as the field has it: offset, crystal drift and wall-clock steps, derived from true (host) time."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class FieldClock:
    """One box's clocks as pure functions of true time, so any past or future reading can be computed.

    wall = true + offset + drift × (true − epoch) + the steps already taken; mono drifts the same way and never
    steps (an NTP step moves CLOCK_REALTIME only)."""

    offset_s: float = 0.0
    drift_ppm: float = 0.0
    steps: list[tuple[float, float]] = field(default_factory=list)  # (true time, step in seconds)
    true: Callable[[], float] = time.time
    epoch: float = field(default_factory=time.time)
    mono_base: float = 1000.0  # an arbitrary origin, as CLOCK_MONOTONIC has

    def wall_at(self, t: float) -> float:
        stepped = sum(s for at, s in self.steps if at <= t)
        return t + self.offset_s + self.drift_ppm * 1e-6 * (t - self.epoch) + stepped

    def mono_at(self, t: float) -> float:
        return self.mono_base + (t - self.epoch) * (1 + self.drift_ppm * 1e-6)

    def true_at_mono(self, mono: float) -> float:
        return self.epoch + (mono - self.mono_base) / (1 + self.drift_ppm * 1e-6)

    def wall(self) -> float:
        return self.wall_at(self.true())

    def mono(self) -> float:
        return self.mono_at(self.true())

    def step(self, seconds: float, at: float | None = None) -> None:
        """Step the wall clock (an NTP step) now or at a given true time."""
        self.steps.append((self.true() if at is None else at, seconds))


def draw_clock(rng: random.Random, *, offset_s: float = 2.0, drift_ppm: float = 50.0,
               true: Callable[[], float] = time.time, epoch: float | None = None) -> FieldClock:
    """A clock with offset uniform in ±offset_s and drift uniform in ±drift_ppm."""
    return FieldClock(rng.uniform(-offset_s, offset_s), rng.uniform(-drift_ppm, drift_ppm), true=true,
                      epoch=true() if epoch is None else epoch)


class TrueTime:
    """True time for a modelled run: set by hand (virtual hours in milliseconds), then following the host clock
    from where it was left, so a run can warm up in virtual time and play in real time on one timeline."""

    def __init__(self, start: float) -> None:
        self._t = start
        self._shift: float | None = None

    def __call__(self) -> float:
        return self._t if self._shift is None else time.time() + self._shift

    def set(self, t: float) -> None:
        self._t = t

    def advance(self, seconds: float) -> None:
        self._t += seconds

    def follow_host(self) -> None:
        """From now on, run at the host clock's pace (the sinks and the writers need real time)."""
        self._shift = self._t - time.time()
