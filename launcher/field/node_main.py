"""A real `radio node` process whose box clock is a field model (offset, drift, an optional step).

Everything else is the agent as installed on a box: its config file, MQTT, GET /time, cache, state and
player. Used by the real-agent field benchmark (bench/field_agents.py):

    python -m launcher.field.node_main --config node.toml --offset-s 1.3 --drift-ppm -20 --epoch 1.8e9
"""

from __future__ import annotations

import argparse
import logging

from launcher.field.clock import FieldClock
from radio.node.agent import run_forever
from radio.node.config import load_node_config


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--config", required=True)
    ap.add_argument("--offset-s", type=float, default=0.0)
    ap.add_argument("--drift-ppm", type=float, default=0.0)
    ap.add_argument("--epoch", type=float, required=True, help="true time from which the drift accumulates")
    ap.add_argument("--step", action="append", default=[], metavar="AT:SECONDS",
                    help="step the wall clock by SECONDS at true time AT (repeatable)")
    args = ap.parse_args(argv)
    steps = [(float(at), float(sec)) for at, sec in (s.split(":") for s in args.step)]
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    clock = FieldClock(args.offset_s, args.drift_ppm, steps, epoch=args.epoch)
    run_forever(load_node_config(args.config), clock)


if __name__ == "__main__":
    main()
