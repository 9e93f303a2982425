"""The `radio` command. Subcommands import lazily so a node-only install never imports Flask or SQLAlchemy."""

from __future__ import annotations

import argparse
import contextlib
import logging
import signal
import sys
import threading
from pathlib import Path


def _settings(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from radio.settings import load_settings

    return load_settings(getattr(args, "config", None))


def _audio_dir_from_config(config: str | None) -> Path:
    from radio.settings import load_settings

    return Path(load_settings(config).audio_dir)


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from radio.db.migrate import upgrade

    settings = _settings(args)
    settings.ensure_dirs()
    upgrade(settings.db_url)
    print(f"database at head: {settings.db_url.split('@')[-1]}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    if args.dev:
        # Werkzeug's development server: reloads nothing, serves one process; never for nodes in the field.
        from werkzeug.serving import run_simple

        from web import create_app

        settings = _settings(args)
        tls = (settings.tls_cert_file, settings.tls_key_file or settings.tls_cert_file) if settings.tls_cert_file \
            else None
        run_simple(settings.web_host, settings.web_port, create_app(settings), threaded=True, ssl_context=tls)
        return 0
    from launcher.webserver import serve

    serve(args.config)
    return 0


def cmd_scheduler(args: argparse.Namespace) -> int:
    from scheduler.service import SchedulerService

    service = SchedulerService(_settings(args))
    signal.signal(signal.SIGTERM, lambda *_: service.stop())
    try:
        service.run()
    except KeyboardInterrupt:
        service.stop()
    return 0


def cmd_keys(args: argparse.Namespace) -> int:
    from radio.keys import KeyStore, KeyStoreError

    store = KeyStore(_settings(args).keys_dir)
    try:
        if args.action == "generate":
            store.generate(force=args.force)
        elif args.action == "stage":
            store.stage()
        elif args.action == "rotate":
            store.rotate()
        elif args.action == "retire":
            print(f"retired {store.retire()} old key(s)", file=sys.stderr)
        print(store.trusted_bundle(), end="")
    except KeyStoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def cmd_pki(args: argparse.Namespace) -> int:
    from radio.pki import PkiError, init_ca, issue_files

    ca_dir = Path(args.ca_dir)
    try:
        if args.pki_command == "init":
            files = init_ca(ca_dir, args.name, force=args.force)
            print(f"CA certificate (give it to every node as ca_file): {files.cert}")
            print(f"CA private key (keep it offline, 0600): {files.key}")
        else:
            files = issue_files(ca_dir, args.name, Path(args.out or ca_dir), hosts=args.host, client=args.client)
            print(f"certificate (chain): {files.cert}\nprivate key: {files.key}")
    except PkiError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    import datetime as dt

    from launcher.backup import BackupError, backup
    from radio.settings import settings_file

    settings = _settings(args)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    out = Path(args.out) if args.out else settings.data_dir / "backups" / f"commune-radio-{stamp}.tar.gz"
    try:
        result = backup(settings, out, settings_file=settings_file(args.config))
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"backup written: {result.archive} ({result.database}, {result.files} files, {result.bytes} bytes)")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from launcher.backup import BackupError, restore

    settings = _settings(args)
    try:
        manifest = restore(Path(args.archive), settings,
                           settings_out=Path(args.settings_out) if args.settings_out else None)
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"restored the backup of {manifest['created_at']} ({manifest['database']}, schema "
          f"{manifest['schema_revision'] or '?'}) into {settings.data_dir}; next: radio db upgrade")
    return 0


def cmd_audio_gc(args: argparse.Namespace) -> int:
    from audio_library import AudioLibrary
    from radio.db.session import make_engine, make_sessionmaker
    from station.assets import collect_garbage

    settings = _settings(args)
    with make_sessionmaker(make_engine(settings.db_url))() as session:
        removed = collect_garbage(session, AudioLibrary(settings.audio_dir), min_age_s=args.min_age)
        session.commit()
    print(f"removed {len(removed)} unreferenced audio file(s)")
    return 0


def cmd_provision(args: argparse.Namespace) -> int:
    from station.provision import ProvisionError, provision_node

    try:
        result = provision_node(
            node_id=args.node_id, village_code=args.village, out_dir=Path(args.out), name=args.name,
            broker_host=args.broker_host, broker_port=args.broker_port, server_url=args.server_url,
            broker_dir=Path(args.broker_dir) if args.broker_dir else None, broker_pid=args.broker_pid,
            settings_file=args.server_config, data_dir=Path(args.data_dir) if args.data_dir else None,
            ca_file=Path(args.ca_file) if args.ca_file else None,
            bridges_dir=Path(args.bridges) if args.bridges else None,
        )
    except ProvisionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(result.summary)
    return 0


def cmd_broker_bridges(args: argparse.Namespace) -> int:
    from radio.bridges import BridgeError, build, read_hashes
    from radio.db.session import make_engine, make_sessionmaker

    passwd = Path(args.passwd)
    hashes = read_hashes(passwd)
    if not hashes:
        print(f"error: no accounts in {passwd} (the single broker's password file)", file=sys.stderr)
        return 2
    engine = make_engine(_settings(args).db_url)
    try:
        with make_sessionmaker(engine)() as session:
            plans, warnings = build(session, Path(args.tree), hashes, Path(args.out),
                                    Path(args.conf_root) if args.conf_root else None, args.run_as)
    except BridgeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    for w in warnings:
        print(f"warning: {w}", file=sys.stderr)
    for name, p in sorted(plans.items()):
        print(f"{name}: {p.spec.listen}:{p.spec.port}, {len(p.nodes)} node(s), {len(p.codes)} area(s) -> "
              f"{Path(args.out) / name}/mosquitto.conf")
    return 0


def cmd_accounting_rebuild(args: argparse.Namespace) -> int:
    from datetime import date

    from sqlalchemy import select

    from radio.db.models import Area
    from radio.db.session import make_engine, make_sessionmaker
    from station.accounting.queries import area_scope
    from station.accounting.rollups import rebuild_scope

    try:
        first = date.fromisoformat(args.date_from) if args.date_from else None
        last = date.fromisoformat(args.date_to) if args.date_to else None
    except ValueError as exc:
        print(f"error: {exc} (dates are YYYY-MM-DD, local)", file=sys.stderr)
        return 2
    if first and last and first > last:
        print(f"error: --from {first} is after --to {last}", file=sys.stderr)
        return 2
    engine = make_engine(_settings(args).db_url)
    try:
        with make_sessionmaker(engine)() as session:
            communes, label = None, "all communes"
            if args.area:
                area = session.scalars(select(Area).where(Area.code == args.area)).first()
                if area is None:
                    print(f"error: no area with code {args.area!r}", file=sys.stderr)
                    return 2
                communes = list(area_scope(session, area).commune_ids)
                label = f"{len(communes)} commune(s) of {area.code} {area.name}"
            count = rebuild_scope(session.connection(), communes, first, last)
            session.commit()
    finally:
        engine.dispose()
    dates = f", local days {first or '…'} to {last or '…'}" if first or last else ""
    done = "all rollups rebuilt" if count < 0 else f"{count} bulletin rollup(s) recomputed"
    print(f"accounting: {done} ({label}{dates})")
    return 0


def cmd_selftest(args: argparse.Namespace) -> int:
    from launcher.selftest import run_selftest

    result = run_selftest(nodes=args.nodes)
    print(result.summary)
    return 0 if result.ok else 1


def cmd_demo(args: argparse.Namespace) -> int:
    from launcher.system import LocalSystem

    workdir = Path(args.workdir)
    system = LocalSystem(workdir, nodes=args.nodes, player="file", web_port=args.port, demo_users=True)
    system.start()
    assert system.settings is not None and system.seed is not None
    if system.seed.admin_password:
        print(f"Tài khoản quản trị: admin / {system.seed.admin_password}  (chỉ hiển thị một lần)")
    else:
        print("Tài khoản quản trị: admin (mật khẩu đã in ở lần chạy đầu tiên)")
    roles = {"bientap": "biên tập viên xã", "lanhdao": "lãnh đạo xã, duyệt bài", "giamsat": "giám sát tỉnh"}
    for username, password in system.seed.demo_passwords.items():
        print(f"Tài khoản {roles.get(username, username)}: {username} / {password}")
    print(f"Commune Radio demo: {system.base_url}/  ({args.nodes} simulated loudspeaker nodes)")
    data_dir = system.settings.data_dir
    print(f"Data dir: {data_dir}  (database, audio, keys)")
    print(f"Broker: mosquitto on 127.0.0.1:{system.broker.port}, files in {system.broker.workdir}")
    print(f"Add a node while it runs: radio node provision --data-dir {data_dir} --node-id NODE "
          f"--village 38001-01 --out DIR  (docs/node.md)")
    print("Ctrl-C to stop.", flush=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    with contextlib.suppress(KeyboardInterrupt):
        done.wait()
    print("stopping...", flush=True)
    system.stop()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="radio", description="Commune Radio")
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)

    db = sub.add_parser("db", help="database migrations").add_subparsers(dest="db_command", required=True)
    p = db.add_parser("upgrade", help="migrate the database to the latest schema")
    p.add_argument("--config")
    p.set_defaults(func=cmd_db_upgrade)

    for name, func, help_ in (("serve", cmd_serve, "run the web admin and media server (gunicorn; HUP reloads)"),
                              ("scheduler", cmd_scheduler, "run the scheduler (one active per database)")):
        p = sub.add_parser(name, help=help_)
        p.add_argument("--config")
        if name == "serve":
            p.add_argument("--dev", action="store_true", help="Werkzeug's development server instead of gunicorn")
        p.set_defaults(func=func)

    from radio.node.cli import register as register_node

    node = register_node(sub)
    node_sub = node.add_subparsers(dest="node_command")
    p = node_sub.add_parser("provision", help="register a node: DB row, broker credentials + ACL, config bundle")
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
    p.add_argument("--bridges", help="output directory of `radio broker bridges`: the node connects to the broker "
                   "of its area, whose files (and the others') are regenerated with its account")
    p.add_argument("--out", required=True, help="directory for the node's config bundle")
    p.add_argument("--ca-file", help="the province CA certificate (PEM): the node uses MQTT over TLS (port 8883 "
                   "unless --broker-port) and checks https media and /time against it (docs/deploy.md)")
    p.set_defaults(func=cmd_provision)
    try:
        from launcher.sim.cli import register as register_sim
    except ImportError:  # node-only install: the simulator needs the server packages
        pass
    else:
        register_sim(sub)

    broker = sub.add_parser("broker", help="MQTT broker configuration").add_subparsers(
        dest="broker_command", required=True)
    p = broker.add_parser("bridges", help="a central Mosquitto bridged to district/cluster brokers, from the area "
                          "tree (docs/brokers.md)")
    p.add_argument("--tree", required=True, help="TOML: the central broker and which areas each other broker serves")
    p.add_argument("--passwd", required=True, help="the existing (single) broker's password file: service and node "
                   "account hashes")
    p.add_argument("--out", required=True, help="output directory: one sub-directory per broker")
    p.add_argument("--conf-root", help="where the output directory is installed (paths in the configs; default "
                   "the output directory)")
    p.add_argument("--run-as", help="the user Mosquitto runs as when started by root (default: Mosquitto's own, "
                   "'mosquitto', which must be able to read the files)")
    p.add_argument("--config")
    p.set_defaults(func=cmd_broker_bridges)

    p = sub.add_parser("keys", help="the command-signing keys: generate, stage → rotate → retire; public prints "
                       "the PEM bundle nodes must trust")
    p.add_argument("action", choices=["generate", "public", "stage", "rotate", "retire"])
    p.add_argument("--force", action="store_true")
    p.add_argument("--config")
    p.set_defaults(func=cmd_keys)

    pki = sub.add_parser("pki", help="a small CA for TLS: province CA, broker and web certificates "
                         "(docs/deploy.md)").add_subparsers(dest="pki_command", required=True)
    p = pki.add_parser("init", help="make a CA (ca.crt, ca.key) in --ca-dir")
    p.add_argument("--ca-dir", required=True)
    p.add_argument("--name", default="Commune Radio CA", help="the CA's common name")
    p.add_argument("--force", action="store_true", help="replace an existing CA (every old certificate stops working)")
    p.set_defaults(func=cmd_pki)
    p = pki.add_parser("issue", help="issue NAME.crt and NAME.key signed by the CA in --ca-dir")
    p.add_argument("name", help="file name and common name, e.g. mqtt or web")
    p.add_argument("--ca-dir", required=True)
    p.add_argument("--host", action="append", default=[], help="a DNS name or IP address the certificate is for "
                   "(repeat: the names nodes use to reach it)")
    p.add_argument("--client", action="store_true", help="a client certificate (e.g. for a bridge) instead")
    p.add_argument("--out", help="output directory (default: --ca-dir)")
    p.set_defaults(func=cmd_pki)

    p = sub.add_parser("backup", help="database (native tools), audio library, keys and settings into one archive")
    p.add_argument("--config")
    p.add_argument("--out", help="archive path (default: DATA_DIR/backups/commune-radio-<UTC time>.tar.gz)")
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser("restore", help="restore an archive of `radio backup` into an empty data dir and database")
    p.add_argument("archive")
    p.add_argument("--config")
    p.add_argument("--settings-out", help="also write the backed-up settings file into this directory")
    p.set_defaults(func=cmd_restore)

    acct = sub.add_parser("accounting", help="airtime accounting (docs/accounting.md)").add_subparsers(
        dest="accounting_command", required=True)
    p = acct.add_parser("rebuild", help="recompute the airtime rollups from the as-run log: all of them, or an "
                        "area's communes and / or a range of local days")
    p.add_argument("--area", help="a province, commune or village code (its commune): only those communes")
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="first local day (inclusive)")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="last local day (inclusive)")
    p.add_argument("--config")
    p.set_defaults(func=cmd_accounting_rebuild)

    p = sub.add_parser("selftest", help="run the whole path headless and report")
    p.add_argument("--nodes", type=int, default=3)
    p.set_defaults(func=cmd_selftest)

    p = sub.add_parser("demo", help="run everything locally with simulated loudspeakers")
    p.add_argument("--nodes", type=int, default=12)
    p.add_argument("--port", type=int, default=5000)
    p.add_argument("--workdir", default="var/demo")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("audio", help="audio library maintenance").add_subparsers(dest="audio_command", required=True)
    gc = p.add_parser("gc", help="delete audio that no article, bulletin or programme refers to")
    gc.add_argument("--min-age", type=float, default=None, help="keep files younger than this (s); default 300")
    gc.add_argument("--config")
    gc.set_defaults(func=cmd_audio_gc)

    tts = sub.add_parser("tts", help="text to speech").add_subparsers(dest="tts_command", required=True)
    try:
        from audio_library.cli import register as register_tts
    except ImportError:  # node-only install
        pass
    else:
        register_tts(tts, _audio_dir_from_config)

    text = sub.add_parser("text", help="Vietnamese text tools").add_subparsers(dest="text_command", required=True)
    try:
        from audio_library.text.cli import register as register_text
    except ImportError:  # node-only install, or the text package is absent
        pass
    else:
        register_text(text)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not args.verbose:
        # Per-run chatter from the job runner and the HTTP server buries what an operator needs to see.
        for name in ("apscheduler", "werkzeug", "alembic"):
            logging.getLogger(name).setLevel(logging.WARNING)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
