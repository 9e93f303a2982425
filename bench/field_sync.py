"""In step at the sound, in the field (issue 12): independent clocks, 4G links, decode-ahead players.

Modelled mode (default, `--nodes 1000`): every node has its own clock (offset ±2 s, drift ±50 ppm, 5 % take a
±1 s step) and link (one-way 30-300 ms, exponential jitter of mean 20 ms drawn per direction, fixed asymmetry
±4 ms, 1 % loss costing a 200 ms retransmission, one drop of 2-5 s). Each node's time base (the agent's own
code, radio/node/timebase.py) is fed heartbeat bursts through its link for `--warmup-min` of virtual time.
The start of a node is the true instant its time base reads the start time; `--sink-nodes` of them play for
real: the agent's playout engine and decode-ahead player (ffmpeg → PCM) write into a PCM sink with its own
output latency, which stamps the true time the first sample leaves. The baseline is the same nodes starting
on their own clocks (what agents did before the time base: no correction below 50 ms, spawn at start).

Real-agent mode (`--real 6`): see bench/field_agents.py.

    .venv/bin/python bench/field_sync.py --nodes 1000

The JSON summary is the last line.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import machine, print_json, start_stats

from launcher.field import TrueTime
from launcher.field.fleet import ModelNode, make_fleet, warm_up
from radio.node.pcm import AheadPlayer
from radio.node.playout import Item, Playout, PlayoutEvent
from radio.protocol import PlayCommand
from station.lateness import percentile

UNCERTAINTY_LIMIT_MS = 20  # the agent's default max_start_uncertainty_ms


def tone(path: Path, seconds: float = 1.5) -> Path:
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    f"sine=frequency=440:duration={seconds}", "-ac", "1", "-b:a", "64k", str(path)], check=True)
    return path


def play_sinks(nodes: list[ModelNode], true: TrueTime, start_ms: int, media: Path, rng: random.Random
               ) -> dict[int, float]:
    """The sink-backed nodes play one item for real; returns node index → true time of the first sample."""
    players: list[AheadPlayer] = []
    outs: list[Playout] = []
    events: list[PlayoutEvent] = []
    cmd = PlayCommand(id=str(uuid.uuid4()), bulletin_id=1, issued_at_ms=int(true() * 1000), start_at_ms=start_ms,
                      expires_at_ms=start_ms + 60_000, media_url="http://server/media/x.mp3", sha256="0" * 64,
                      duration_ms=1500)
    for node in nodes:
        latency = rng.uniform(5, 40)  # each box's output buffer, measured on the box and configured
        player = AheadPlayer("sink", {"output_latency_ms": latency, "sink_latency_ms": latency,
                                      "start_lead_ms": 500}, true=true)
        playout = Playout(player, events.append, clock=node.base.now)
        threading.Thread(target=playout.run, daemon=True).start()
        playout.submit(Item(cmd, media))
        players.append(player)
        outs.append(playout)
    time.sleep(max(0.0, start_ms / 1000 - true()) + 2.5)
    for playout in outs:
        playout.close(silent=True)
    return {i: p.onsets[cmd.id] for i, p in enumerate(players) if cmd.id in p.onsets}


def run(n: int, sink_nodes: int, warmup_min: float, seed: int, lead_s: float) -> dict[str, Any]:
    rng = random.Random(seed)
    true = TrueTime(time.time())
    nodes = make_fleet(n, true, rng)
    warm_up(nodes, true, minutes=warmup_min, rng=rng)
    warm_end = true()
    start_s = round(warm_end + lead_s, 3)
    start_ms = int(start_s * 1000)
    offsets = [(n_.clock.wall_at(warm_end) - warm_end) * 1000 for n_ in nodes]
    status = [n_.base.status() for n_ in nodes]
    modelled = [n_.true_when(start_s, true) * 1000 for n_ in nodes]  # perfect players on each time base
    baseline = [n_.own_clock_when(start_s) * 1000 for n_ in nodes]
    true.set(warm_end)
    true.follow_host()
    with tempfile.TemporaryDirectory() as tmp:
        media = tone(Path(tmp) / "tone.mp3")
        sunk = play_sinks(nodes[:sink_nodes], true, start_ms, media, rng)
    starts = [sunk[i] * 1000 if i in sunk else modelled[i] for i in range(n)]
    stats = start_stats(starts, start_ms)
    sink_stats = start_stats([v * 1000 for v in sunk.values()], start_ms)
    base_stats = start_stats(baseline, start_ms)
    uncertainties = [s.uncertainty_ms for s in status if s.uncertainty_ms is not None]
    return {
        "bench": "field_sync", "mode": "modelled", "nodes": n, "started": len(starts) - (sink_nodes - len(sunk)),
        "skew_p99_ms": stats["skew_p99_ms"], "onset_error_p99_ms": stats["start_error_p99_ms"],
        "onset_error_max_ms": stats["start_error_max_ms"],
        "clock_offset_spread_ms": round(max(offsets) - min(offsets), 1),
        "baseline_skew_p99_ms": base_stats["skew_p99_ms"], "baseline_onset_error_p99_ms": base_stats[
            "start_error_p99_ms"],
        "sink_nodes": len(sunk), "sink_skew_p99_ms": sink_stats.get("skew_p99_ms"),
        "sink_onset_error_p99_ms": sink_stats.get("start_error_p99_ms"),
        "uncertainty_p99_ms": round(percentile(uncertainties, 99), 2) if uncertainties else None,
        "flagged": sum(1 for u in uncertainties if u > UNCERTAINTY_LIMIT_MS) + n - len(uncertainties),
        "stepped": sum(1 for n_ in nodes if n_.clock.steps), "warmup_min": warmup_min, "seed": seed,
        "machine": machine(),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--nodes", type=int, default=1000)
    ap.add_argument("--sink-nodes", type=int, default=20, help="nodes that play for real into a PCM sink")
    ap.add_argument("--warmup-min", type=float, default=30.0, help="virtual minutes of heartbeats before air")
    ap.add_argument("--lead-s", type=float, default=10.0,
                    help="command dispatched this long before air (the sinks decode on 2 shared cores meanwhile)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if not 1 <= args.nodes <= 10000 or not 0 <= args.sink_nodes <= min(args.nodes, 64):
        ap.error("--nodes 1..10000, --sink-nodes 0..64 (and at most --nodes)")
    print_json(run(args.nodes, args.sink_nodes, args.warmup_min, args.seed, args.lead_s))


if __name__ == "__main__":
    main()
