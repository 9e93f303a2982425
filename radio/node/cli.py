"""`radio node`: run the agent (`radio node --config FILE`) or, on the server, `radio node provision ...`.

Only the run path is node-side; provisioning imports the server packages lazily, so a node-only install
(`pip install "commune-radio[node]"`) can run the agent without Flask or SQLAlchemy.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path


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


def cmd_provision(args: argparse.Namespace) -> int:
    from radio.provision import ProvisionError, provision_node

    try:
        result = provision_node(
            node_id=args.node_id, village_code=args.village, out_dir=Path(args.out), name=args.name,
            broker_host=args.broker_host, broker_port=args.broker_port, server_url=args.server_url,
            broker_dir=Path(args.broker_dir) if args.broker_dir else None, broker_pid=args.broker_pid,
            settings_file=args.server_config, data_dir=Path(args.data_dir) if args.data_dir else None,
        )
    except ProvisionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(result.summary)
    return 0


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:  # type: ignore[type-arg]
    """Add the `node` command (run, and `provision`) to the `radio` CLI."""
    node = subparsers.add_parser("node", help="run a loudspeaker node agent, or provision one (server side)")
    node.add_argument("--config", help="the node's TOML config (see docs/node.md)")
    node.set_defaults(func=cmd_run)
    sub = node.add_subparsers(dest="node_command")
    p = sub.add_parser("provision", help="register a node: DB row, broker credentials + ACL, config bundle")
    p.add_argument("--node-id", required=True)
    p.add_argument("--village", required=True, help="village area code, e.g. 38001-03")
    p.add_argument("--name", help="display name (default: from the village)")
    p.add_argument("--broker-host", help="broker address as the node reaches it (default: server's mqtt_host)")
    p.add_argument("--broker-port", type=int, help="default: the server's mqtt_port")
    p.add_argument("--server-url", help="web base URL as the node reaches it (default: public_base_url)")
    p.add_argument("--broker-dir", help="directory with mosquitto's passwd and acl files to update")
    p.add_argument("--broker-pid", type=int, help="mosquitto's pid, to SIGHUP it (default: the running demo's, or "
                   "BROKER_DIR/mosquitto.pid; otherwise reload it yourself: systemctl reload mosquitto)")
    p.add_argument("--server-config", help="the server's settings TOML (default: RADIO_CONFIG)")
    p.add_argument("--data-dir", help="the server's data dir (default: from the settings); a running `radio demo` "
                   "there (var/demo/data) provides the database, broker and its pid to reload")
    p.add_argument("--out", required=True, help="directory for the node's config bundle")
    p.set_defaults(func=cmd_provision)
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
