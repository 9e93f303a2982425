"""Server settings: one validated object built at each entry point from defaults, a file and the environment.

Only this module reads the environment. Precedence: defaults < TOML file (RADIO_CONFIG or --config) < RADIO_*.
"""

from __future__ import annotations

import os
import secrets
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

TIMEZONE = "Asia/Ho_Chi_Minh"


class SettingsError(ValueError):
    """A configuration value is missing or malformed."""


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path("var")
    database_url: str = ""  # empty: SQLite file in data_dir
    mqtt_host: str = "127.0.0.1"
    mqtt_port: int = 1883
    mqtt_username: str = "scheduler"
    mqtt_password: str = ""
    web_host: str = "127.0.0.1"
    web_port: int = 5000
    # Nodes fetch media from here; it must be reachable from the loudspeakers, not just from the server.
    public_base_url: str = ""
    secret_key: str = ""  # empty: generated once and kept in data_dir
    timezone: str = TIMEZONE
    # Commands go out this long before air time; nodes prefetch the media as soon as they receive them.
    dispatch_lead_s: float = 120.0
    # An emergency airs this soon after it is saved: time for every node to receive and fetch it.
    emergency_lead_s: float = 3.0
    # A node that cannot start within this of the scheduled time does not play (a late echo is worse): play
    # commands expire this long after the item would have ended, the scheduler treats a bulletin not sent by
    # then as overdue, and `radio node provision` writes it into node.toml (late_tolerance_ms).
    late_tolerance_s: float = 5.0
    # Stop and volume commands are valid this long after they are sent: a node back online later ignores them.
    command_ttl_s: float = 600.0
    scheduler_poll_s: float = 0.5
    leader_ttl_s: float = 6.0
    tts_engine: str = "espeak-ng"
    tts_voice: str = "vi"
    gtts_timeout_s: float = 10.0
    max_upload_bytes: int = 50 * 1024 * 1024
    # Session cookies only over HTTPS. Off only for plain-HTTP setups on one machine (`radio demo`, selftest):
    # over plain HTTP on a network anyone on the path could copy the cookie and act as the user.
    session_cookie_secure: bool = True
    # Flask-Login session protection, "basic" or "strong": see docs/architecture.md (Sessions and headers).
    session_protection: str = "basic"
    # REST API: at most this many requests per token, and per client address, in each window (0 = no limit).
    api_rate_per_token: int = 120
    api_rate_per_address: int = 300
    api_rate_window_s: int = 60
    # --- production web (`radio serve`, gunicorn; docs/deploy.md) ---
    # gthread workers: each open live page (SSE) holds one thread for up to 10 minutes, and each media download
    # one while its file is sent (sendfile), so threads, not processes, bound the concurrent connections.
    web_workers: int = 2
    web_threads: int = 64
    # HTTPS straight from gunicorn (a small deployment without nginx): the server certificate (full chain), key.
    tls_cert_file: str = ""
    tls_key_file: str = ""
    # Behind nginx: how many proxies set X-Forwarded-For/-Proto (the client address for the login limit, https).
    proxy_hops: int = 0
    # Behind nginx: answer /media with `X-Accel-Redirect: <prefix><sha256>.mp3` and let nginx send the file
    # from an `internal` location (deploy/nginx-commune-radio.conf). Empty: the web sends it (sendfile).
    media_accel_prefix: str = ""
    # The province server's uplink to the nodes (Mbit/s): the scheduler sends a play command early enough for
    # every targeted node to download the media through it (scheduler/lead.py). 0: no uplink plan.
    uplink_mbit: float = 0.0
    # The residents' page and podcast feed (no login, web/public.py): requests per client address and window
    # (api_rate_window_s), counted like the API's (0 = no limit).
    public_rate_per_address: int = 120
    # Staff alerts (station/alerts): how often the scheduler looks, and when a state becomes an alert.
    alert_check_s: float = 30.0
    alert_offline_after_s: float = 300.0
    alert_recovery_s: float = 900.0
    alert_flap_count: int = 4
    alert_flap_window_s: float = 1800.0
    alert_clock_uncertainty_ms: int = 200
    # E-mail for alerts and the weekly summary; empty host: no e-mail. smtp_security: none | starttls | ssl.
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_security: str = "starttls"
    smtp_from: str = "radio@localhost"
    # Disaster warnings re-air every this many seconds by default (QĐ 18/2021: every 2 hours).
    warning_interval_s: int = 7200
    # CAP import from a URL: only these hosts (comma-separated; empty = URL import off, file upload only), so the
    # server cannot be made to fetch arbitrary addresses.
    cap_url_hosts: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def audio_dir(self) -> Path:
        return self.data_dir / "audio"

    @property
    def keys_dir(self) -> Path:
        return self.data_dir / "keys"

    @property
    def signing_key_path(self) -> Path:
        return self.keys_dir / "server_ed25519.pem"

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'radio.db').resolve()}"

    @property
    def media_base_url(self) -> str:
        scheme = "https" if self.tls_cert_file else "http"
        return (self.public_base_url or f"{scheme}://{self.web_host}:{self.web_port}").rstrip("/")

    def ensure_dirs(self) -> None:
        for d in (self.data_dir, self.audio_dir, self.keys_dir):
            d.mkdir(parents=True, exist_ok=True)

    def flask_secret(self) -> str:
        """The Flask secret: configured, or generated once and kept private in data_dir (never in the repo)."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret_key"
        if not path.exists():
            self.ensure_dirs()
            path.write_text(secrets.token_hex(32))
            path.chmod(0o600)
        return path.read_text().strip()


_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})


def _coerce_bool(name: str, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    # A typo must not silently mean False: for session_cookie_secure that would send cookies in clear.
    raise SettingsError(f"setting {name}: cannot read {raw!r} as true/false")


def _coerce(name: str, raw: Any, kind: Any) -> Any:
    if kind in (bool, "bool"):
        return _coerce_bool(name, raw)
    try:
        if kind in (Path, "Path"):
            return Path(raw)
        if kind in (int, "int"):
            return int(raw)
        if kind in (float, "float"):
            return float(raw)
        if kind in (str, "str"):
            return str(raw)
    except (TypeError, ValueError) as exc:
        raise SettingsError(f"setting {name}: cannot read {raw!r} as {kind}") from exc
    return raw


def settings_file(config_file: str | Path | None = None, env: dict[str, str] | None = None) -> Path | None:
    """The settings file load_settings reads: --config, else RADIO_CONFIG, else none (what a backup keeps)."""
    env = dict(os.environ) if env is None else env
    path = config_file or env.get("RADIO_CONFIG")
    return Path(path) if path else None


def load_settings(
    config_file: str | Path | None = None,
    env: dict[str, str] | None = None,
    **overrides: Any,
) -> Settings:
    """Build Settings from defaults, an optional TOML file, RADIO_* variables and explicit overrides."""
    env = dict(os.environ) if env is None else env
    values: dict[str, Any] = {}
    path = config_file or env.get("RADIO_CONFIG")
    if path:
        try:
            values.update(tomllib.loads(Path(path).read_text(encoding="utf-8")))
        except FileNotFoundError as exc:
            raise SettingsError(f"config file not found: {path}") from exc
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"config file {path}: {exc}") from exc
    known = {f.name: f for f in fields(Settings) if f.name != "extra"}
    for name in known:
        key = f"RADIO_{name.upper()}"
        if key in env:
            values[name] = env[key]
    values.update(overrides)
    if "cookie_secure" in values:  # the name documented before session_cookie_secure; still honoured
        values.setdefault("session_cookie_secure", values.pop("cookie_secure"))
    unknown = {k: v for k, v in values.items() if k not in known}
    kwargs = {k: _coerce(k, v, known[k].type) for k, v in values.items() if k in known}
    return replace(Settings(**kwargs), extra=unknown)
