"""`radio node --config FILE`: run the loudspeaker agent. Node-side only: a node-only install
(`pip install "commune-radio[node]"`) runs it without Flask or SQLAlchemy. `radio node provision`, which runs on
the server, is added by the front door (launcher.cli).
"""

from __future__ import annotations

import argparse
import logging
import sys


def cmd_run(args: argparse.Namespace) -> int:
    from radio.node.agent import run_forever
    from radio.node.config import NodeConfigError, load_node_config

    if not args.config:
        print("error: radio node needs --config FILE (or a subcommand: provision)", file=sys.stderr)
        return 2
    try:
        config = load_node_config(args.config)
    except NodeConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    run_forever(config)
    return 0


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    """Add the `node` command (run the agent) to the `radio` CLI; returns its parser for server-side subcommands."""
    node = subparsers.add_parser("node", help="run a loudspeaker node agent, or provision one (server side)")
    node.add_argument("--config", help="the node's TOML config (see docs/node.md)")
    node.set_defaults(func=cmd_run)
    return node


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point (`python -m radio.node.cli --config FILE`), same as `radio node`."""
    parser = argparse.ArgumentParser(prog="radio")
    parser.add_argument("-v", "--verbose", action="store_true")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["node", *(argv if argv is not None else sys.argv[1:])])
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
