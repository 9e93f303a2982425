"""The shipped nginx site (deploy/nginx-commune-radio.conf) run privately on loopback: the tests and the media
benchmark put it in front of `radio serve` exactly as a province would, with their own ports and paths."""

from __future__ import annotations

import os
import shutil
import ssl
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "deploy" / "nginx-commune-radio.conf"


class NginxError(RuntimeError):
    pass


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found is None:
        raise NginxError("nginx is not installed (scripts/install-system-deps.sh installs nginx-light)")
    return found


def private_config(workdir: Path, *, https_port: int, http_port: int, upstream_port: int, audio_dir: Path,
                   cert: Path, key: Path, workers: int = 1, connections: int = 256) -> Path:
    """The shipped site file with these ports and paths, inside a minimal private nginx.conf; returns its path."""
    site = SITE.read_text()
    replacements = {
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "server 127.0.0.1:5000;": f"server 127.0.0.1:{upstream_port};",
        "/etc/commune-radio/tls/web.crt": str(cert),
        "/etc/commune-radio/tls/web.key": str(key),
        "/var/lib/commune-radio/audio/": f"{audio_dir.resolve()}/",
    }
    for old, new in replacements.items():
        if old not in site:
            raise NginxError(f"{SITE.name} no longer has {old!r}")
        site = site.replace(old, new)
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "site.conf").write_text(site)
    conf = workdir / "nginx.conf"
    user = "user root;" if os.geteuid() == 0 else ""  # the private files belong to this user
    conf.write_text(f"""{user}
daemon off;
worker_processes {workers};
worker_rlimit_nofile {max(1024, 4 * connections)};
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{ worker_connections {connections}; }}
http {{
    access_log off;
    default_type application/octet-stream;
    client_body_temp_path {workdir}/body;
    proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi;
    scgi_temp_path {workdir}/scgi;
    include {workdir}/site.conf;
}}
""")
    return conf


def check_config(conf: Path) -> None:
    done = subprocess.run([nginx_binary(), "-t", "-c", str(conf)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise NginxError(done.stderr)


def start(conf: Path, ready_url: str, ca_file: Path, timeout_s: float = 20.0) -> subprocess.Popen[bytes]:
    """nginx in the foreground as a child; returns once `ready_url` answers over HTTPS (checked with `ca_file`)."""
    check_config(conf)
    proc = subprocess.Popen([nginx_binary(), "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    context = ssl.create_default_context(cafile=str(ca_file))
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            urllib.request.urlopen(ready_url, timeout=5, context=context).close()
            return proc
        except OSError as exc:
            if time.monotonic() > deadline or proc.poll() is not None:
                stop(proc)
                raise NginxError(f"nginx did not answer {ready_url}: {exc}") from exc
            time.sleep(0.1)


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
    if proc.stderr is not None:
        proc.stderr.close()
