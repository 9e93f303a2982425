"""Modelled nodes for the field benchmark: each with its own clock, link and a real TimeBase, in one process.

Thousands of nodes cannot each run a real-time player on two cores, so the time exchange runs in virtual time
through the link model (the estimator is the agent's own code), and a node's start is the true instant its
time base reads the start time. A subset plays for real through the decode-ahead player into a PCM sink.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from launcher.field.clock import FieldClock, TrueTime, draw_clock
from launcher.field.link import LinkModel, draw_link
from radio.node.timebase import External, TimeBase


def _no_chrony() -> External | None:
    return None


@dataclass
class ModelNode:
    clock: FieldClock
    link: LinkModel
    base: TimeBase

    def burst(self, true: TrueTime, count: int = 8) -> int:
        """One refresh: `count` GET /time exchanges through the link at the current true time; returns answers.

        The server's clock is true time; the exchanges follow each other, each after the previous answer."""
        t = true()
        samples = []
        for _ in range(count):
            ex = self.link.exchange(t)
            if ex is None:
                t += 1.0  # the request timed out on a dropped link
                continue
            at_server, back = ex
            samples.append((self.clock.mono_at(t), at_server, self.clock.mono_at(back)))
            t = back
        self.base.add_burst(samples)
        return len(samples)

    def true_when(self, server_s: float, true: TrueTime) -> float:
        """The true instant this node's time base reads `server_s` (what a perfect player on it would do)."""
        h = server_s
        for _ in range(3):
            true.set(h)
            h -= self.base.now() - server_s
        return h

    def own_clock_when(self, server_s: float) -> float:
        """The true instant the box's own wall clock reads `server_s` (a node that starts on its own clock)."""
        h = server_s
        for _ in range(3):
            h -= self.clock.wall_at(h) - server_s
        return h


def make_fleet(n: int, true: TrueTime, rng: random.Random, *, step_fraction: float = 0.05,
               samples: int = 8) -> list[ModelNode]:
    nodes = []
    for _ in range(n):
        clock = draw_clock(rng, true=true, epoch=true())
        if rng.random() < step_fraction:  # an NTP step of ±1 s, some time in the next 20 minutes
            clock.steps.append((true() + rng.uniform(0, 1200), rng.choice((-1.0, 1.0))))
        link = draw_link(rng)
        link.drops.append((true() + rng.uniform(0, 1200), rng.uniform(2, 5)))  # a 4G drop of a few seconds
        nodes.append(ModelNode(clock, link, TimeBase(clock, source="server", external=_no_chrony,
                                                     samples_per_refresh=samples)))
    return nodes


def warm_up(nodes: list[ModelNode], true: TrueTime, *, minutes: float, every_s: float = 60.0,
            rng: random.Random | None = None) -> None:
    """Heartbeat refreshes every `every_s` (each node at its own phase) for `minutes` of virtual time."""
    rng = rng or random.Random(0)
    start = true()
    phases = [rng.uniform(0, every_s) for _ in nodes]
    rounds = int(minutes * 60 // every_s)
    for r in range(rounds):
        for node, phase in zip(nodes, phases, strict=True):
            true.set(start + r * every_s + phase)
            node.burst(true, node.base.samples_per_refresh)
    true.set(start + rounds * every_s)
