"""Run a node agent as its own process, as on a real box, optionally with the server packages made unimportable."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

SERVER_ONLY = ("flask", "sqlalchemy", "apscheduler", "pydub", "werkzeug", "alembic")

LAUNCHER = """
import sys
BLOCKED = set(sys.argv[2].split(",")) if sys.argv[2] else set()

class ServerPackageBlocker:
    # A node-only install has none of these: any import of them must fail, as it would there.
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"{name} is not installed on a node")
        return None

sys.meta_path.insert(0, ServerPackageBlocker())
from radio.node.cli import main
code = main(["--config", sys.argv[1]])
leaked = sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED)
sys.exit(3 if leaked else code)
"""


def write_node_toml(path: Path, *, node_id: str, password: str, port: int, areas: tuple[str, ...],
                    public_key_pem: str, player: str = "file", extra: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    (path.parent / "server.pem").write_text(public_key_pem)
    quoted = ", ".join(f'"{a}"' for a in areas)
    path.write_text(
        f'node_id = "{node_id}"\npassword = "{password}"\nbroker_host = "127.0.0.1"\nbroker_port = {port}\n'
        f'area_codes = [{quoted}]\npublic_key_file = "server.pem"\ncache_dir = "cache"\nstate_dir = "state"\n'
        f'player = "{player}"\nreconnect_min_s = 1\nreconnect_max_s = 1\n{extra}\n'
        f'[player_options]\nout_dir = "{path.parent / "played"}"\n'
    )
    return path


def start_node_process(config: Path, *, block_server_packages: bool = True) -> subprocess.Popen[bytes]:
    blocked = ",".join(SERVER_ONLY) if block_server_packages else ""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    with (config.parent / "agent.log").open("ab") as log:  # the child keeps its own copy of the descriptor
        return subprocess.Popen([sys.executable, "-c", LAUNCHER, str(config), blocked], stdout=log, stderr=log,
                                env=env, cwd=Path(__file__).resolve().parents[2])


def kill_hard(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL: no clean stop, no report, no DISCONNECT, like pulling the plug."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
        proc.wait(5)


def stop_clean(proc: subprocess.Popen[bytes], timeout: float = 10) -> int:
    """SIGTERM, as systemd stops the service; returns the exit code."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    return proc.wait(timeout)
